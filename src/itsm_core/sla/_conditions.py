"""Clock and selection conditions: typed, serialisable predicates over a ticket event.

A condition is evaluated on a :class:`Fact`: one event and the ticket as it is after it. Event
conditions (``EventIn``, ``FieldChanged``, ``PublicComment``) hold for that event only; state
conditions (``StatusIn``, ``StateIn``, ``FieldIn``) hold while the ticket stays so. They combine
with ``AllOf``, ``AnyOf`` and ``Not``, and read and write plain data:

>>> cond = condition_from_dict({"all": [{"status_in": ["open"]}, {"field_in":
...     {"field": "priority", "values": [1, 2]}}]})
>>> cond.describe()
'(status in {open} and priority in {1, 2})'
>>> condition_from_dict(cond.to_dict()) == cond
True
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from itsm_core._checks import frozen_set
from itsm_core._plain import key_text, read_enum, shown
from itsm_core.errors import DeserializationError, Problem
from itsm_core.tickets import STAFF_ROLES, Comment, Role, Ticket, TicketEvent
from itsm_core.workflow import StatusCategory

Scalar = str | int | bool | None
_TICKET_FIELDS = frozenset(attrs.fields_dict(Ticket))


@attrs.frozen
class Fact:
    """What a condition looks at: an event (None when only a ticket is judged) and the ticket
    after it."""

    event: TicketEvent | None
    ticket: Ticket


def field_value(ticket: Ticket, name: str) -> Any:
    """The JSON-like value of a ticket field (enums as their value; ``attributes.key`` too)."""
    if name.startswith("attributes."):
        return ticket.attributes.get(name.removeprefix("attributes."))
    value = getattr(ticket, name)
    return value.value if isinstance(value, enum.Enum) else value


def field_problem(name: object) -> str | None:
    if not isinstance(name, str) or not name:
        return f"expected a ticket field name, got {shown(name)}"
    if name.startswith("attributes.") and len(name) > len("attributes."):
        return None
    if name not in _TICKET_FIELDS:
        return f"{shown(name)} is not a ticket field (or 'attributes.<key>')"
    return None


def _check_field(kind: str, name: str) -> None:
    problem = field_problem(name)
    if problem is not None:
        raise DeserializationError(kind, [Problem("field", problem)])


def _statuses(values: Iterable[StatusCategory | str]) -> frozenset[StatusCategory]:
    return frozenset(StatusCategory(v) for v in values)


def _set(values: Iterable[object]) -> str:
    return "{" + ", ".join(sorted(str(v) for v in values)) + "}"


@attrs.frozen
class EventIn:
    """The event's name is one of ``names`` (``"open"``, ``"acknowledge"``, ``"reopen"``...)."""

    names: frozenset[str] = attrs.field(converter=frozen_set)

    def __call__(self, fact: Fact) -> bool:
        return fact.event is not None and fact.event.name in self.names

    def describe(self) -> str:
        """Readable form."""
        return f"event in {_set(self.names)}"

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {"event_in": sorted(self.names)}


@attrs.frozen
class StatusIn:
    """The ticket's status category after the event is one of ``statuses``."""

    statuses: frozenset[StatusCategory] = attrs.field(converter=_statuses)

    def __call__(self, fact: Fact) -> bool:
        return fact.ticket.status in self.statuses

    def describe(self) -> str:
        """Readable form."""
        return f"status in {_set(s.value for s in self.statuses)}"

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {"status_in": sorted(s.value for s in self.statuses)}


@attrs.frozen
class StateIn:
    """The ticket's workflow state after the event is one of ``states``."""

    states: frozenset[str] = attrs.field(converter=frozen_set)

    def __call__(self, fact: Fact) -> bool:
        return fact.ticket.state in self.states

    def describe(self) -> str:
        """Readable form."""
        return f"state in {_set(self.states)}"

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {"state_in": sorted(self.states)}


@attrs.frozen
class FieldIn:
    """A ticket field (after the event) has one of ``values`` (enums compare by value)."""

    field: str
    values: frozenset[Scalar] = attrs.field(converter=frozen_set)

    def __attrs_post_init__(self) -> None:
        _check_field("FieldIn", self.field)

    def __call__(self, fact: Fact) -> bool:
        return field_value(fact.ticket, self.field) in self.values

    def describe(self) -> str:
        """Readable form."""
        return f"{self.field} in {_set(self.values)}"

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        values = sorted(self.values, key=lambda v: (str(type(v)), str(v)))
        return {"field_in": {"field": self.field, "values": values}}


@attrs.frozen
class FieldChanged:
    """The event changed ``field`` (it is in the event's payload)."""

    field: str

    def __attrs_post_init__(self) -> None:
        _check_field("FieldChanged", self.field)

    def __call__(self, fact: Fact) -> bool:
        return fact.event is not None and self.field in fact.event.payload

    def describe(self) -> str:
        """Readable form."""
        return f"{self.field} changed"

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {"field_changed": self.field}


class CommentBy(enum.StrEnum):
    """Whose public comment a :class:`PublicComment` condition waits for."""

    STAFF = "staff"
    CUSTOMER = "customer"
    ANYONE = "anyone"


@attrs.frozen
class PublicComment:
    """The event adds a public comment (never an internal work note) by staff or the customer.

    Staff are the roles in :data:`itsm_core.tickets.STAFF_ROLES`; the customer is the
    ``customer`` role.
    """

    by: CommentBy = attrs.field(converter=CommentBy)

    def __call__(self, fact: Fact) -> bool:
        if fact.event is None:
            return False
        comment = fact.event.payload.get("comment")
        if not isinstance(comment, Comment):
            return False
        role = comment.role
        if self.by is CommentBy.STAFF:
            return role in STAFF_ROLES
        if self.by is CommentBy.CUSTOMER:
            return role == Role.CUSTOMER
        return True

    def describe(self) -> str:
        """Readable form."""
        return f"public comment by {self.by.value}"

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {"public_comment": self.by.value}


def _conditions(values: Iterable[Condition]) -> tuple[Condition, ...]:
    return tuple(values)


@attrs.frozen
class AllOf:
    """Every one of ``conditions`` holds (true when there are none)."""

    conditions: tuple[Condition, ...] = attrs.field(converter=_conditions)

    def __call__(self, fact: Fact) -> bool:
        return all(c(fact) for c in self.conditions)

    def describe(self) -> str:
        """Readable form."""
        if not self.conditions:
            return "always"
        return "(" + " and ".join(c.describe() for c in self.conditions) + ")"

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {"all": [c.to_dict() for c in self.conditions]}


@attrs.frozen
class AnyOf:
    """At least one of ``conditions`` holds (false when there are none)."""

    conditions: tuple[Condition, ...] = attrs.field(converter=_conditions)

    def __call__(self, fact: Fact) -> bool:
        return any(c(fact) for c in self.conditions)

    def describe(self) -> str:
        """Readable form."""
        if not self.conditions:
            return "never"
        return "(" + " or ".join(c.describe() for c in self.conditions) + ")"

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {"any": [c.to_dict() for c in self.conditions]}


@attrs.frozen
class Not:
    """``condition`` does not hold."""

    condition: Condition

    def __call__(self, fact: Fact) -> bool:
        return not self.condition(fact)

    def describe(self) -> str:
        """Readable form."""
        return f"not {self.condition.describe()}"

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {"not": self.condition.to_dict()}


Condition = (
    EventIn | StatusIn | StateIn | FieldIn | FieldChanged | PublicComment | AllOf | AnyOf | Not
)


def condition_problem(value: object) -> str | None:
    """What is wrong with ``value`` as a condition (one of the classes above, combined of
    conditions), or None."""
    if isinstance(value, EventIn | StatusIn | StateIn | FieldIn | FieldChanged | PublicComment):
        return None
    if isinstance(value, Not):
        return condition_problem(value.condition)
    if isinstance(value, AllOf | AnyOf):
        parts: tuple[object, ...] = value.conditions
        return next((p for p in map(condition_problem, parts) if p is not None), None)
    return f"expected a condition (condition_from_dict reads plain data), got {shown(value)}"


#: The condition that always holds, and the one that never does.
ALWAYS = AllOf(())
NEVER = AnyOf(())


def condition_from_dict(data: object) -> Condition:
    """A condition from plain data; DeserializationError lists every problem with its path."""
    problems: list[Problem] = []
    result = _parse(data, "", problems)
    if problems or result is None:
        raise DeserializationError("condition", problems)
    return result


def _parse(data: object, path: str, problems: list[Problem]) -> Condition | None:
    if not isinstance(data, Mapping) or len(data) != 1:
        problems.append(Problem(path, f"expected a mapping with one key, got {shown(data)}"))
        return None
    ((key, value),) = data.items()
    here = f"{path}.{key_text(key)}" if path else key_text(key)
    try:
        if key in ("all", "any"):
            if not isinstance(value, list | tuple):
                problems.append(Problem(here, "expected a list of conditions"))
                return None
            parts = [_parse(v, f"{here}[{i}]", problems) for i, v in enumerate(value)]
            kept = [p for p in parts if p is not None]
            return AllOf(kept) if key == "all" else AnyOf(kept)
        if key == "not":
            inner = _parse(value, here, problems)
            return None if inner is None else Not(inner)
        if key in ("event_in", "state_in", "status_in"):
            if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
                problems.append(Problem(here, "expected a list of names"))
                return None
            if key == "event_in":
                return EventIn(value)
            if key == "state_in":
                return StateIn(value)
            return StatusIn(value)
        if key == "field_in":
            if not isinstance(value, Mapping) or set(value) != {"field", "values"}:
                problems.append(Problem(here, "expected {'field': ..., 'values': [...]}"))
                return None
            values = value["values"]
            if not isinstance(values, list | tuple) or not all(
                v is None or isinstance(v, str | int | bool) for v in values
            ):
                problems.append(Problem(f"{here}.values", "expected a list of JSON scalars"))
                return None
            return FieldIn(value["field"], values)
        if key == "field_changed":
            return FieldChanged(value)
        if key == "public_comment":
            by = read_enum(value, CommentBy, here, problems)
            return None if by is None else PublicComment(by)
    except DeserializationError as exc:
        problems.extend(Problem(here, p.message) for p in exc.problems)
        return None
    except ValueError as exc:
        problems.append(Problem(here, str(exc)))
        return None
    problems.append(Problem(here, "unknown condition"))
    return None
