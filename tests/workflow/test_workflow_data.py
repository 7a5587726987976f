"""The workflow data format: one reader, defaults that agree with the constructor, every bad
piece of data refused with its path, and the serializer's converter going through it."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from itsm_core.errors import InvalidWorkflowDefinition
from itsm_core.serialization import make_converter
from itsm_core.tickets import (
    BUILTIN_GUARDS,
    BUILTIN_WORKFLOWS,
    ComplaintState,
    IncidentState,
    ProblemState,
)
from itsm_core.workflow import StatusCategory, Workflow, workflow_from_dict

HUGE = 10**5000  # str() and repr() of it raise ValueError
TOO_LARGE = "an integer of about 5001 digits"


def _problems(data: object) -> list[tuple[str, str]]:
    with pytest.raises(InvalidWorkflowDefinition) as caught:
        workflow_from_dict(data, IncidentState, BUILTIN_GUARDS)  # type: ignore[arg-type]
    return [(problem.path, problem.message) for problem in caught.value.problems]


def test_without_terminal_the_terminal_states_are_the_constructors_default() -> None:
    data = INCIDENT_WORKFLOW.to_dict()
    del data["terminal"]
    read = workflow_from_dict(data, IncidentState, BUILTIN_GUARDS)
    built: Workflow[IncidentState, Any] = Workflow(
        name=INCIDENT_WORKFLOW.name,
        states=INCIDENT_WORKFLOW.states,
        initial=INCIDENT_WORKFLOW.initial,
        transitions=INCIDENT_WORKFLOW.transitions,
    )
    assert read.terminal == built.terminal == {IncidentState.CLOSED, IncidentState.CANCELLED}
    assert read == built == INCIDENT_WORKFLOW
    assert {read.category(s) for s in read.terminal} <= {
        StatusCategory.CLOSED,
        StatusCategory.CANCELLED,
    }


def test_an_explicit_terminal_list_is_kept_as_written() -> None:
    data = INCIDENT_WORKFLOW.to_dict()
    data["terminal"] = ["closed"]  # cancelled is then a dead end: refused, not defaulted
    assert _problems(data) == [
        ("states.CANCELLED", "not terminal but no transition leaves it (dead end)")
    ]


COMPLAINT_WORKFLOW = BUILTIN_WORKFLOWS.get("complaint")
CONSULTATION_WORKFLOW = BUILTIN_WORKFLOWS.get("consultation")
PROBLEM_WORKFLOW = BUILTIN_WORKFLOWS.get("problem")
INCIDENT_WORKFLOW = BUILTIN_WORKFLOWS.get("incident")


def _with(change: Callable[[dict[Any, Any]], object]) -> dict[Any, Any]:
    data = copy.deepcopy(INCIDENT_WORKFLOW.to_dict())
    change(data)
    return data


def _transition(**fields: object) -> Callable[[dict[Any, Any]], object]:
    return lambda data: data["transitions"][0].update(fields)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (  # non-string keys
            _with(lambda d: d["states"].update({1: "open"})),
            ("states.1", "unknown state 1 (not a value of IncidentState)"),
        ),
        (
            _with(lambda d: d["states"].update({HUGE: "open"})),
            (f"states.{TOO_LARGE}", f"unknown state {TOO_LARGE} (not a value of IncidentState)"),
        ),
        (
            _with(lambda d: d.update({HUGE: 1})),
            (TOO_LARGE, "unknown key (expected: initial, name, states, terminal, transitions)"),
        ),
        (_with(_transition(**{"7": 1})), ("transitions[0]", "unknown keys: 7")),
        (
            _with(lambda d: d["transitions"][0].update({HUGE: 1})),
            ("transitions[0]", f"unknown keys: {TOO_LARGE}"),
        ),
        (
            _with(_transition(field_choices={1: ["a"]})),
            ("transitions[0].field_choices.1", "expected a field name, got 1"),
        ),
        (
            _with(_transition(field_choices={HUGE: ["a"]})),
            (
                f"transitions[0].field_choices.{TOO_LARGE}",
                f"expected a field name, got {TOO_LARGE}",
            ),
        ),
        # values that are not what the format says
        (
            _with(lambda d: d.update({"states": ["new"]})),
            ("states", "expected a mapping of state to category"),
        ),
        (
            _with(lambda d: d["states"].update({"new": {"a": 1}})),
            ("states.new", "unknown category {'a': 1}"),
        ),
        (
            _with(lambda d: d["states"].update({"new": HUGE})),
            ("states.new", f"unknown category {TOO_LARGE}"),
        ),
        (
            _with(lambda d: d.update({"name": HUGE})),
            ("name", f"expected a string, got {TOO_LARGE}"),
        ),
        (
            _with(lambda d: d.update({"initial": {"x": 1}})),
            ("initial", "unknown state {'x': 1} (not a value of IncidentState)"),
        ),
        (
            _with(lambda d: d.update({"terminal": {"a": 1}})),
            ("terminal", "expected a list of strings, got {'a': 1}"),
        ),
        (
            _with(lambda d: d.update({"transitions": {"a": 1}})),
            ("transitions", "expected a list, got dict"),
        ),
        (
            _with(lambda d: d["transitions"].append([1])),
            # the incident's 11 transitions, then the appended one
            ("transitions[11]", "expected a mapping, got list"),
        ),
        (
            _with(_transition(field_choices=["a"])),
            ("transitions[0].field_choices", "expected a mapping, got list"),
        ),
        (
            _with(_transition(field_choices={"a": {"x": 1}})),
            ("transitions[0].field_choices.a", "expected a list of strings, got {'x': 1}"),
        ),
        (
            _with(_transition(guards={"a": 1})),
            ("transitions[0].guards", "expected a list of strings, got {'a': 1}"),
        ),
        (
            _with(_transition(to={"x": 1})),
            ("transitions[0].to", "unknown state {'x': 1} (not a value of IncidentState)"),
        ),
        (
            _with(_transition(event=HUGE)),
            ("transitions[0].event", f"expected a string, got {TOO_LARGE}"),
        ),
        (
            _with(_transition(description=[HUGE])),
            ("transitions[0].description", "expected a string, got list"),
        ),
    ],
)
def test_bad_data_is_refused_naming_its_path(
    data: dict[str, Any], expected: tuple[str, str]
) -> None:
    assert _problems(data) == [expected]


def test_the_converter_writes_and_reads_workflows_through_the_one_reader() -> None:
    # The problem workflow has no guards (the consultation's close now has one: see below).
    converter = make_converter()
    data = converter.unstructure(PROBLEM_WORKFLOW)
    assert data == PROBLEM_WORKFLOW.to_dict()
    read = converter.structure(data, Workflow[ProblemState, Any])
    assert read == PROBLEM_WORKFLOW
    data["terminal"] = "closed"
    with pytest.raises(InvalidWorkflowDefinition, match="terminal: expected a list of strings"):
        converter.structure(data, Workflow[ProblemState, Any])


def test_a_converter_without_a_guard_registry_refuses_guards_by_name() -> None:
    data = make_converter().unstructure(COMPLAINT_WORKFLOW)
    with pytest.raises(InvalidWorkflowDefinition, match="no guard named"):
        make_converter().structure(data, Workflow[ComplaintState, Any])
    assert workflow_from_dict(data, ComplaintState, BUILTIN_GUARDS) == COMPLAINT_WORKFLOW


def test_reading_a_workflow_needs_its_state_enum() -> None:
    with pytest.raises(TypeError, match="Workflow\\[StateEnum, Subject\\]"):
        make_converter().structure(CONSULTATION_WORKFLOW.to_dict(), Workflow)
