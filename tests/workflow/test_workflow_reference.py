"""The reference page lists every public name of the package once, and nothing else."""

from __future__ import annotations

import re
from pathlib import Path

import itsm_core.workflow

PAGE = Path(__file__).resolve().parents[2] / "docs" / "reference" / "workflow.md"


def test_the_reference_lists_every_public_name_once() -> None:
    entries = re.findall(r"^::: itsm_core\.workflow\.(\w+)$", PAGE.read_text("utf-8"), re.M)
    assert sorted(entries) == sorted(itsm_core.workflow.__all__)
