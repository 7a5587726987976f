"""Workflows to and from plain JSON-safe data; guards travel by name through a registry."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any, TypeVar

from itsm_core.errors import InvalidWorkflowDefinition, Problem
from itsm_core.workflow._category import StatusCategory
from itsm_core.workflow._guard import Guard
from itsm_core.workflow._transition import Transition
from itsm_core.workflow._workflow import Workflow

S = TypeVar("S", bound=enum.Enum)
T = TypeVar("T")


def workflow_to_dict(workflow: Workflow[Any, Any]) -> dict[str, Any]:
    """Write ``workflow`` as plain data (states by value, guards by name).

    >>> from itsm_core.tickets import BUILTIN_WORKFLOWS
    >>> INCIDENT_WORKFLOW = BUILTIN_WORKFLOWS.get("incident")
    >>> data = workflow_to_dict(INCIDENT_WORKFLOW)
    >>> data["initial"], data["states"]["on_hold"]
    ('new', 'on_hold')
    """
    return {
        "name": workflow.name,
        "initial": str(workflow.initial.value),
        "states": {str(s.value): c.value for s, c in workflow.states.items()},
        "terminal": sorted(str(s.value) for s in workflow.terminal),
        "transitions": [
            {
                "event": t.event,
                "from": sorted(str(s.value) for s in t.sources),
                "to": str(t.target.value),
                "roles": sorted(t.roles),
                "required_fields": sorted(t.required_fields),
                "field_choices": {k: sorted(v) for k, v in sorted(t.field_choices.items())},
                "guards": list(t.guard_names),
                "description": t.description,
            }
            for t in workflow.transitions
        ],
    }


def workflow_from_dict(
    data: Mapping[str, Any],
    states: type[S],
    guards: Mapping[str, Guard[T]] | None = None,
) -> Workflow[S, T]:
    """Build a workflow from plain data written by :func:`workflow_to_dict` (or by hand).

    ``states`` is the enum whose values the data names; ``guards`` maps the guard names the data
    uses to the guards themselves. Every problem, in the data or in the definition it describes,
    is reported in one :class:`~itsm_core.errors.InvalidWorkflowDefinition`.

    >>> from itsm_core.tickets import BUILTIN_WORKFLOWS, IncidentState
    >>> INCIDENT_WORKFLOW = BUILTIN_WORKFLOWS.get("incident")
    >>> copy = workflow_from_dict(INCIDENT_WORKFLOW.to_dict(), IncidentState)
    >>> copy == INCIDENT_WORKFLOW
    True
    """
    if not isinstance(data, Mapping):
        raise InvalidWorkflowDefinition(
            "'workflow'", [Problem("", f"expected a mapping, got {type(data).__name__}")]
        )
    registry: Mapping[str, Guard[T]] = guards or {}
    problems: list[Problem] = [
        Problem(str(key), f"unknown key (expected: {', '.join(sorted(_WORKFLOW_KEYS))})")
        for key in sorted(set(data) - _WORKFLOW_KEYS, key=str)
    ]
    by_value = {str(member.value): member for member in states}

    def state(value: object, path: str) -> S | None:
        if isinstance(value, str) and value in by_value:
            return by_value[value]
        problems.append(
            Problem(path, f"unknown state {value!r} (not a value of {states.__name__})")
        )
        return None

    def strings(value: object, path: str) -> list[str]:
        if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
            return list(value)
        problems.append(Problem(path, f"expected a list of strings, got {value!r}"))
        return []

    name = data.get("name")
    if not isinstance(name, str):
        problems.append(Problem("name", f"expected a string, got {name!r}"))
    state_map: dict[S, StatusCategory] = {}
    raw_states = data.get("states")
    if not isinstance(raw_states, Mapping):
        problems.append(Problem("states", "expected a mapping of state to category"))
        raw_states = {}
    for value, category in raw_states.items():
        member = state(value, f"states.{value}")
        try:
            cat = StatusCategory(category)
        except ValueError:
            problems.append(Problem(f"states.{value}", f"unknown category {category!r}"))
            continue
        if member is not None:
            state_map[member] = cat
    initial = state(data.get("initial"), "initial")
    terminal_values = strings(data.get("terminal", []), "terminal")
    terminal = {s for i, v in enumerate(terminal_values) if (s := state(v, f"terminal[{i}]"))}
    transitions: list[Transition[S, T]] = []
    raw_transitions = data.get("transitions")
    if not isinstance(raw_transitions, list):
        problems.append(Problem("transitions", "expected a list"))
        raw_transitions = []
    for i, raw in enumerate(raw_transitions):
        where = f"transitions[{i}]"
        if not isinstance(raw, Mapping):
            problems.append(Problem(where, "expected a mapping"))
            continue
        unknown = set(raw) - _TRANSITION_KEYS
        if unknown:
            names = ", ".join(sorted(str(key) for key in unknown))
            problems.append(Problem(where, f"unknown keys: {names}"))
        sources = [state(v, f"{where}.from") for v in strings(raw.get("from"), f"{where}.from")]
        target = state(raw.get("to"), f"{where}.to")
        guard_list: list[Guard[T]] = []
        for guard_name in strings(raw.get("guards", []), f"{where}.guards"):
            if guard_name in registry:
                guard_list.append(registry[guard_name])
            else:
                problems.append(Problem(f"{where}.guards", f"no guard named {guard_name!r}"))
        choices = raw.get("field_choices", {})
        if not isinstance(choices, Mapping):
            problems.append(Problem(f"{where}.field_choices", "expected a mapping"))
            choices = {}
        event = raw.get("event")
        if not isinstance(event, str):
            problems.append(Problem(f"{where}.event", f"expected a string, got {event!r}"))
        required = strings(raw.get("required_fields", []), f"{where}.required_fields")
        field_choices = {
            str(k): strings(v, f"{where}.field_choices.{k}") for k, v in choices.items()
        }
        roles = strings(raw.get("roles", []), f"{where}.roles")
        description = raw.get("description", "")
        if not isinstance(description, str):
            problems.append(
                Problem(f"{where}.description", f"expected a string, got {description!r}")
            )
        if (
            not isinstance(event, str)
            or not isinstance(description, str)
            or target is None
            or any(s is None for s in sources)
        ):
            continue
        transitions.append(
            Transition(
                event=event,
                sources=[s for s in sources if s is not None],
                target=target,
                required_fields=required,
                field_choices=field_choices,
                roles=roles,
                guards=guard_list,
                description=description,
            )
        )
    if problems or initial is None or not isinstance(name, str):
        raise InvalidWorkflowDefinition(repr(name), problems)
    return Workflow(
        name=name,
        states=state_map,
        initial=initial,
        transitions=transitions,
        terminal=frozenset(terminal),
    )


_WORKFLOW_KEYS = frozenset({"name", "initial", "states", "terminal", "transitions"})
_TRANSITION_KEYS = frozenset(
    {"event", "from", "to", "roles", "required_fields", "field_choices", "guards", "description"}
)
