"""The documented data format of workflows: plain JSON-safe data, guards travelling by name.

The one reader (:func:`workflow_from_dict`) and the one writer (:meth:`Workflow.to_dict`) of
the format; the serializer's converter delegates to them. The format::

    {
      "name": "access",
      "initial": "requested",
      "states": {"requested": "new", "granted": "closed", ...},   # state value -> category
      "terminal": ["granted", ...],              # optional: the closed and cancelled states
      "transitions": [
        {"event": "grant", "from": ["approved"], "to": "granted",
         "roles": [...], "required_fields": [...], "field_choices": {"field": [...]},
         "guards": ["office_hours"], "description": "..."},   # all but event/from/to optional
      ],
    }
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any, Generic, TypeVar

from itsm_core._checks import type_name
from itsm_core._plain import key_text, shown
from itsm_core.errors import InvalidWorkflowDefinition, Problem
from itsm_core.workflow._category import StatusCategory
from itsm_core.workflow._guard import Guard
from itsm_core.workflow._transition import Transition
from itsm_core.workflow._workflow import Workflow

S = TypeVar("S", bound=enum.Enum)
T = TypeVar("T")

_WORKFLOW_KEYS = frozenset({"name", "initial", "states", "terminal", "transitions"})
_CATEGORIES = frozenset(category.value for category in StatusCategory)
_TRANSITION_KEYS = frozenset(
    {"event", "from", "to", "roles", "required_fields", "field_choices", "guards", "description"}
)


def workflow_to_dict(workflow: Workflow[Any, Any]) -> dict[str, Any]:
    """Write ``workflow`` as plain data (states by value, guards by name): what
    :meth:`Workflow.to_dict` returns."""
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
    """Build a workflow from plain data written by :meth:`Workflow.to_dict` (or by hand).

    ``states`` is the enum whose values the data names; ``guards`` maps the guard names the
    data uses to the guards themselves. Without ``"terminal"``, the terminal states are the
    closed and cancelled ones, as for a :class:`Workflow` built in Python; the optional keys
    of a transition default as in :class:`Transition`. Every problem, in the data (each with
    its path: ``transitions[2].from``, ``states.open``) or in the definition it describes, is
    reported in one :class:`~itsm_core.errors.InvalidWorkflowDefinition`.

    >>> from itsm_core.tickets import BUILTIN_GUARDS, BUILTIN_WORKFLOWS, IncidentState
    >>> INCIDENT_WORKFLOW = BUILTIN_WORKFLOWS.get("incident")
    >>> copy = workflow_from_dict(INCIDENT_WORKFLOW.to_dict(), IncidentState, BUILTIN_GUARDS)
    >>> copy == INCIDENT_WORKFLOW
    True
    >>> workflow_from_dict({"name": "x", "states": {1: "new"}, "initial": 1}, IncidentState)
    Traceback (most recent call last):
    ...
    itsm_core.errors.InvalidWorkflowDefinition: invalid workflow 'x': 3 problems
      - states.1: unknown state 1 (not a value of IncidentState)
      - initial: unknown state 1 (not a value of IncidentState)
      - transitions: expected a list, got NoneType
    """
    reader = _Reader(states, guards or {})
    if not isinstance(data, Mapping):
        raise InvalidWorkflowDefinition(
            "'workflow'", [Problem("", f"expected a mapping, got {type_name(data)}")]
        )
    workflow = reader.workflow(data)
    name = data.get("name")
    if reader.problems or workflow is None:
        subject = shown(name) if isinstance(name, str) else "'workflow'"
        raise InvalidWorkflowDefinition(subject, reader.problems)
    return workflow


class _Reader(Generic[S, T]):
    """Reads workflow data into a workflow, collecting every problem with its path."""

    def __init__(self, states: type[S], guards: Mapping[str, Guard[T]]) -> None:
        self.enum = states
        self.guards = guards
        self.by_value = {str(member.value): member for member in states}
        self.problems: list[Problem] = []

    def workflow(self, data: Mapping[Any, Any]) -> Workflow[S, T] | None:
        self.unknown_keys(data, _WORKFLOW_KEYS, "")
        name = self.text(data.get("name"), "name")
        states = self.state_map(data.get("states"))
        initial = self.state(data.get("initial"), "initial")
        terminal = None
        if "terminal" in data:
            values = self.strings(data["terminal"], "terminal")
            terminal = {s for i, v in enumerate(values) if (s := self.state(v, f"terminal[{i}]"))}
        transitions = self.transitions(data.get("transitions"))
        if self.problems or name is None or initial is None:
            return None
        if terminal is None:  # the constructor's default: the closed and cancelled states
            return Workflow(name=name, states=states, initial=initial, transitions=transitions)
        return Workflow(
            name=name, states=states, initial=initial, transitions=transitions, terminal=terminal
        )

    def unknown_keys(self, data: Mapping[Any, Any], known: frozenset[str], path: str) -> None:
        unknown = sorted(key_text(key) for key in data if key not in known)
        if not unknown:
            return
        if not path:  # the top level lists each key on its own, as its path
            expected = ", ".join(sorted(known))
            self.problems.extend(
                Problem(key, f"unknown key (expected: {expected})") for key in unknown
            )
        else:
            self.problems.append(Problem(path, f"unknown keys: {', '.join(unknown)}"))

    def state_map(self, data: object) -> dict[S, StatusCategory]:
        if not isinstance(data, Mapping):
            self.problems.append(Problem("states", "expected a mapping of state to category"))
            return {}
        found: dict[S, StatusCategory] = {}
        for value, category in data.items():
            path = f"states.{key_text(value)}"
            member = self.state(value, path)
            if not isinstance(category, str) or category not in _CATEGORIES:
                self.problems.append(Problem(path, f"unknown category {shown(category)}"))
            elif member is not None:
                found[member] = StatusCategory(category)
        return found

    def transitions(self, data: object) -> list[Transition[S, T]]:
        if not isinstance(data, list):
            self.problems.append(Problem("transitions", f"expected a list, got {type_name(data)}"))
            return []
        found = []
        for index, raw in enumerate(data):
            transition = self.transition(raw, f"transitions[{index}]")
            if transition is not None:
                found.append(transition)
        return found

    def transition(self, raw: object, where: str) -> Transition[S, T] | None:
        if not isinstance(raw, Mapping):
            self.problems.append(Problem(where, f"expected a mapping, got {type_name(raw)}"))
            return None
        before = len(self.problems)
        self.unknown_keys(raw, _TRANSITION_KEYS, where)
        names = self.strings(raw.get("from"), f"{where}.from")
        sources = [self.state(value, f"{where}.from") for value in names]
        target = self.state(raw.get("to"), f"{where}.to")
        guards: list[Guard[T]] = []
        for name in self.strings(raw.get("guards", []), f"{where}.guards"):
            if name in self.guards:
                guards.append(self.guards[name])
            else:
                self.problems.append(Problem(f"{where}.guards", f"no guard named {shown(name)}"))
        choices = self.field_choices(raw.get("field_choices", {}), f"{where}.field_choices")
        event = self.text(raw.get("event"), f"{where}.event")
        required = self.strings(raw.get("required_fields", []), f"{where}.required_fields")
        roles = self.strings(raw.get("roles", []), f"{where}.roles")
        description = self.text(raw.get("description", ""), f"{where}.description")
        if len(self.problems) > before or event is None or description is None or target is None:
            return None
        return Transition(
            event=event,
            sources=[s for s in sources if s is not None],
            target=target,
            required_fields=required,
            field_choices=choices,
            roles=roles,
            guards=guards,
            description=description,
        )

    def field_choices(self, data: object, where: str) -> dict[str, list[str]]:
        if not isinstance(data, Mapping):
            self.problems.append(Problem(where, f"expected a mapping, got {type_name(data)}"))
            return {}
        found: dict[str, list[str]] = {}
        for field, options in data.items():
            path = f"{where}.{key_text(field)}"
            if not isinstance(field, str):
                self.problems.append(Problem(path, f"expected a field name, got {shown(field)}"))
                continue
            found[field] = self.strings(options, path)
        return found

    def state(self, value: object, path: str) -> S | None:
        if isinstance(value, str) and value in self.by_value:
            return self.by_value[value]
        self.problems.append(
            Problem(path, f"unknown state {shown(value)} (not a value of {self.enum.__name__})")
        )
        return None

    def strings(self, value: object, path: str) -> list[str]:
        if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
            return list(value)
        self.problems.append(Problem(path, f"expected a list of strings, got {shown(value)}"))
        return []

    def text(self, value: object, path: str) -> str | None:
        if isinstance(value, str):
            return value
        self.problems.append(Problem(path, f"expected a string, got {shown(value)}"))
        return None
