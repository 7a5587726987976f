"""The workflow pages show what the renderers produce for the built-in workflows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from itsm_core.tickets import BUILTIN_WORKFLOWS
from itsm_core.workflow import render_markdown_table, render_mermaid

DOCS = Path(__file__).resolve().parents[2] / "docs" / "tickets"
PAGE_OF = {
    "incident": "incident.md",
    "service_request": "service-request.md",
    "consultation": "consultation.md",
    "complaint": "complaint.md",
    "problem": "problem.md",
    "change_normal": "change.md",
    "change_standard": "change.md",
    "change_emergency": "change.md",
    "major_incident": "major-incident.md",
    "technical_service": "technical-service.md",
}


def test_every_builtin_workflow_has_a_page() -> None:
    assert set(PAGE_OF) == set(BUILTIN_WORKFLOWS.names)


@pytest.mark.parametrize("name", sorted(PAGE_OF))
def test_page_shows_the_rendered_diagram_and_table(name: str) -> None:
    text = (DOCS / PAGE_OF[name]).read_text(encoding="utf-8")
    section = text.split(f"## `{name}`\n", 1)[1]
    diagram = re.search(r"```mermaid\n(.*?)```", section, re.S)
    assert diagram is not None
    workflow = BUILTIN_WORKFLOWS.get(name)
    assert diagram.group(1) == render_mermaid(workflow), f"regenerate docs/tickets/{PAGE_OF[name]}"
    assert render_markdown_table(workflow) in section


REFERENCE = Path(__file__).resolve().parents[2] / "docs" / "reference" / "tickets.md"


def test_the_reference_lists_every_public_name_once_grouped_by_importance() -> None:
    import itsm_core.tickets

    text = REFERENCE.read_text(encoding="utf-8")
    listed = re.findall(r"^::: itsm_core\.tickets\.(\w+)$", text, re.M)
    assert sorted(listed) == sorted(itsm_core.tickets.__all__)
    assert len(listed) == len(set(listed))
    assert "::: itsm_core.tickets\n" not in text  # no alphabetical dump of the module
    sections = re.findall(r"^## (.+)$", text, re.M)
    assert sections[:2] == ["Start here", "Commands"]
    assert listed[0] == "decide"
