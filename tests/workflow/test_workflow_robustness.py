"""Workflow data that once escaped as a non-ItsmError (found by tests/fuzz), or was coerced."""

from __future__ import annotations

from typing import Any

import pytest

from itsm_core.errors import InvalidWorkflowDefinition
from itsm_core.tickets import BUILTIN_GUARDS, BUILTIN_WORKFLOWS, IncidentState
from itsm_core.workflow import workflow_from_dict

INCIDENT_WORKFLOW = BUILTIN_WORKFLOWS.get("incident")


def _problems(data: Any) -> list[tuple[str, str]]:
    with pytest.raises(InvalidWorkflowDefinition) as caught:
        workflow_from_dict(data, IncidentState, BUILTIN_GUARDS)
    return [(problem.path, problem.message) for problem in caught.value.problems]


@pytest.mark.parametrize(("data", "kind"), [(None, "NoneType"), ([], "list"), ("wf", "str")])
def test_not_a_mapping(data: Any, kind: str) -> None:
    # Was: AttributeError ... has no attribute 'get'.
    assert _problems(data) == [("", f"expected a mapping, got {kind}")]


def test_unknown_top_level_keys_are_reported_with_the_others() -> None:
    data = INCIDENT_WORKFLOW.to_dict() | {"colour": "red", 3: "x", "name": 7}
    assert _problems(data) == [
        ("3", "unknown key (expected: initial, name, states, terminal, transitions)"),
        ("colour", "unknown key (expected: initial, name, states, terminal, transitions)"),
        ("name", "expected a string, got 7"),
    ]


def test_a_description_that_is_not_a_string_is_refused_not_converted() -> None:
    data = INCIDENT_WORKFLOW.to_dict()
    data["transitions"][0]["description"] = 42
    assert _problems(data) == [("transitions[0].description", "expected a string, got 42")]


def test_a_transition_without_an_event_still_has_its_other_fields_checked() -> None:
    data = INCIDENT_WORKFLOW.to_dict()
    data["transitions"][0] |= {"event": None, "roles": "agent", "required_fields": [1]}
    assert _problems(data) == [
        ("transitions[0].event", "expected a string, got None"),
        ("transitions[0].required_fields", "expected a list of strings, got [1]"),
        ("transitions[0].roles", "expected a list of strings, got 'agent'"),
    ]


def test_the_round_trip_still_holds() -> None:
    data = INCIDENT_WORKFLOW.to_dict()
    assert workflow_from_dict(data, IncidentState, BUILTIN_GUARDS) == INCIDENT_WORKFLOW
