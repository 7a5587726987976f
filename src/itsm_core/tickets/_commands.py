"""Commands: what someone asks to do to a ticket. Each is validated when built."""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from itsm_core.errors import NaiveDatetimeError, Problem, ValidationError
from itsm_core.tickets._json import Json, frozen_mapping
from itsm_core.tickets._ticket import ticket_field_problems
from itsm_core.tickets._vocabulary import (
    ChangeType,
    Channel,
    ComplaintType,
    CustomerTier,
    EscalationKind,
    HoldReason,
    TicketKind,
)


def _require(command: object, *names: str) -> None:
    problems = [
        Problem(name, "must not be empty")
        for name in names
        if not (getattr(command, name) or "").strip()
    ]
    if problems:
        raise ValidationError(type(command).__name__, problems)


def _strings(values: Iterable[str]) -> Any:
    """A list or tuple as a tuple; anything else is kept as given, for the checks to refuse.

    A string is not taken for a sequence of lines: ``"ab"`` is refused, not split into
    ``("a", "b")``.
    """
    return tuple(values) if isinstance(values, list | tuple) else values


def _strings_problem(name: str, values: object) -> Problem | None:
    """A problem unless ``values`` is a tuple of strings."""
    if isinstance(values, tuple) and all(isinstance(value, str) for value in values):
        return None
    return Problem(name, f"expected a list of strings, got {values!r}")


_C = typing.TypeVar("_C")


def _field_types(cls: type) -> dict[str, tuple[type, ...]]:
    """The plain runtime classes each field of a command accepts (generic fields are skipped)."""
    found: dict[str, tuple[type, ...]] = {}
    for name, hint in typing.get_type_hints(cls).items():
        options = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
        if all(isinstance(option, type) for option in options):
            found[name] = tuple(options)
    return found


def _typed(cls: type[_C]) -> type[_C]:
    """Check a command's field types on construction, before its own checks run.

    A plain string where an enum is expected (``channel="email"``) or any other wrong type is a
    ValidationError naming every such field, never an AttributeError deep inside ``decide``.
    """
    own_check = cls.__dict__.get("__attrs_post_init__")
    field_types = _field_types(cls)

    def check_then_validate(self: object) -> None:
        problems = [
            Problem(name, f"{value!r} is not {' or '.join(_type_name(t) for t in expected)}")
            for name, expected in field_types.items()
            if not isinstance(value := getattr(self, name), expected)
            or (isinstance(value, bool) and bool not in expected)
        ]
        if problems:
            raise ValidationError(type(self).__name__, problems)
        if own_check is not None:
            own_check(self)

    cls.__attrs_post_init__ = check_then_validate  # type: ignore[attr-defined]
    return cls


def _type_name(kind: type) -> str:
    if kind is type(None):
        return "None"
    if issubclass(kind, enum.Enum):
        return f"a {kind.__name__} ({', '.join(repr(m.value) for m in kind)})"
    return kind.__name__


@attrs.frozen(kw_only=True)
@_typed
class OpenTicket:
    """Open a ticket (accept it into the service desk). Decide it on ``None``.

    ``workflow`` names the workflow to follow; by default the built-in one for ``kind`` (and
    ``change_type`` for changes). ``attributes`` are extra JSON-safe fields the workflow's
    guards may read (``{"affects_customer_business": True}`` for a change).
    """

    ticket_id: str
    kind: TicketKind
    requester: str
    symptom: str | None = None
    channel: Channel | None = None
    customer_tier: CustomerTier = CustomerTier.REGULAR
    service: str | None = None
    configuration_item: str | None = None
    occurred_at: dt.datetime | None = None
    impact_scope: str | None = None
    expected_resolution_at: dt.datetime | None = None
    category: str | None = None
    impact: int | None = None
    urgency: int | None = None
    priority: int | None = None
    complaint_type: ComplaintType | None = None
    response_level: int | None = None
    change_type: ChangeType | None = None
    workflow: str | None = None
    attributes: Mapping[str, Json] = attrs.field(factory=dict, converter=frozen_mapping)

    def __attrs_post_init__(self) -> None:
        for name in ("occurred_at", "expected_resolution_at"):
            value = getattr(self, name)
            if value is not None and (value.tzinfo is None or value.utcoffset() is None):
                raise NaiveDatetimeError(f"OpenTicket.{name}", value)
        problems = ticket_field_problems(
            impact=self.impact,
            urgency=self.urgency,
            priority=self.priority,
            response_level=self.response_level,
        )
        problems.extend(
            Problem(name, "must not be empty")
            for name in ("ticket_id", "requester")
            if not getattr(self, name).strip()
        )
        if self.change_type is not None and self.kind is not TicketKind.CHANGE:
            problems.append(Problem("change_type", f"only changes have one, not a {self.kind}"))
        if problems:
            raise ValidationError("OpenTicket", problems)


@attrs.frozen(kw_only=True)
@_typed
class Acknowledge:
    """The handler takes the ticket in (first response); starts work where the workflow says."""

    note: str | None = None


@attrs.frozen(kw_only=True)
@_typed
class Classify:
    """Set category, impact, urgency, priority (1 is highest) and the grading of complaints.

    The priority is computed by the caller (e.g. with a priority matrix); ``explanation`` keeps
    the lines that say why.
    """

    category: str | None = None
    impact: int | None = None
    urgency: int | None = None
    priority: int | None = None
    explanation: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    complaint_type: ComplaintType | None = None
    response_level: int | None = None

    def __attrs_post_init__(self) -> None:
        problems = ticket_field_problems(
            impact=self.impact,
            urgency=self.urgency,
            priority=self.priority,
            response_level=self.response_level,
        )
        explanation = _strings_problem("explanation", self.explanation)
        if explanation is not None:
            problems.append(explanation)
        values = attrs.astuple(self, recurse=False)
        if all(v is None or v == () for v in values):
            problems.append(Problem("", "nothing to classify"))
        if problems:
            raise ValidationError("Classify", problems)


@attrs.frozen(kw_only=True)
@_typed
class Assign:
    """Assign the ticket to a group and/or an agent."""

    group: str | None = None
    assignee: str | None = None
    reason: str | None = None

    def __attrs_post_init__(self) -> None:
        if not (self.group or self.assignee):
            raise ValidationError("Assign", [Problem("", "give a group or an assignee")])


@attrs.frozen(kw_only=True)
@_typed
class Transfer:
    """Move an assigned ticket to another group and/or agent, saying why."""

    reason: str
    group: str | None = None
    assignee: str | None = None

    def __attrs_post_init__(self) -> None:
        _require(self, "reason")
        if not (self.group or self.assignee):
            raise ValidationError("Transfer", [Problem("", "give a group or an assignee")])


@attrs.frozen(kw_only=True)
@_typed
class Escalate:
    """Functional escalation (next support level, optionally a new group) or hierarchical."""

    kind: EscalationKind
    reason: str
    group: str | None = None

    def __attrs_post_init__(self) -> None:
        _require(self, "reason")
        if self.group is not None and self.kind is EscalationKind.HIERARCHICAL:
            raise ValidationError(
                "Escalate", [Problem("group", "a hierarchical escalation keeps the group")]
            )


@attrs.frozen(kw_only=True)
@_typed
class AddComment:
    """A public comment (seen by the customer) or an internal work note."""

    text: str
    internal: bool = False

    def __attrs_post_init__(self) -> None:
        _require(self, "text")


@attrs.frozen(kw_only=True)
@_typed
class Hold:
    """Put the ticket on hold for a reason (SLA clocks pause)."""

    reason: HoldReason
    note: str | None = None


@attrs.frozen(kw_only=True)
@_typed
class Resume:
    """Take the ticket off hold."""

    note: str | None = None


@attrs.frozen(kw_only=True)
@_typed
class Resolve:
    """Resolve with a resolution code and a note."""

    code: str
    note: str

    def __attrs_post_init__(self) -> None:
        _require(self, "code", "note")


@attrs.frozen(kw_only=True)
@_typed
class ConfirmResolution:
    """The customer confirms the resolution (the follow-up succeeded)."""

    note: str | None = None


@attrs.frozen(kw_only=True)
@_typed
class RejectResolution:
    """The customer rejects the resolution: the ticket reopens (counted as a reopen)."""

    reason: str

    def __attrs_post_init__(self) -> None:
        _require(self, "reason")


@attrs.frozen(kw_only=True)
@_typed
class Close:
    """Close a resolved ticket; ``fields`` carries what the workflow requires (a review...)."""

    reason: str | None = None
    fields: Mapping[str, Json] = attrs.field(factory=dict, converter=frozen_mapping)


@attrs.frozen(kw_only=True)
@_typed
class Reopen:
    """Reopen a resolved ticket, saying why (counted)."""

    reason: str

    def __attrs_post_init__(self) -> None:
        _require(self, "reason")


@attrs.frozen(kw_only=True)
@_typed
class Cancel:
    """Cancel (or withdraw) the ticket, saying why."""

    reason: str

    def __attrs_post_init__(self) -> None:
        _require(self, "reason")


@attrs.frozen(kw_only=True)
@_typed
class Archive:
    """Archive a finished ticket (the last of the five complaint steps); it becomes read-only."""

    note: str | None = None


@attrs.frozen(kw_only=True)
@_typed
class LinkSurvey:
    """Link the satisfaction survey sent for this ticket."""

    survey: str

    def __attrs_post_init__(self) -> None:
        _require(self, "survey")


@attrs.frozen(kw_only=True)
@_typed
class Advance:
    """Fire a workflow event that has no dedicated command (``approve``, ``implement``...).

    ``fields`` are the event's input (checked against the transition's required fields and
    choices) and are kept in the ticket's ``attributes``.
    """

    event: str
    fields: Mapping[str, Json] = attrs.field(factory=dict, converter=frozen_mapping)
    reason: str | None = None

    def __attrs_post_init__(self) -> None:
        _require(self, "event")


#: Every command :func:`decide` accepts.
Command = (
    OpenTicket
    | Acknowledge
    | Classify
    | Assign
    | Transfer
    | Escalate
    | AddComment
    | Hold
    | Resume
    | Resolve
    | ConfirmResolution
    | RejectResolution
    | Close
    | Reopen
    | Cancel
    | Archive
    | LinkSurvey
    | Advance
)
