"""The one event record of the ticket audit trail."""

from __future__ import annotations

import datetime as dt
import enum
import types
from collections.abc import Mapping
from typing import Any, ClassVar

import attrs

from itsm_core._checks import check_aware, is_int
from itsm_core._plain import shown
from itsm_core.errors import Problem, ValidationError
from itsm_core.tickets._payload import PAYLOAD_TYPES, frozen_payload
from itsm_core.workflow import StatusCategory


class EventFlag(enum.StrEnum):
    """What an import (see :func:`import_history`) notes on an event.

    Every imported event is flagged ``imported``; lenient mode also records, flagged, what the
    workflow would refuse: a row repeating the current state, a row recorded before the
    previous event, a state that no transition reaches.
    """

    IMPORTED = "imported"
    REPEATED_STATE = "repeated_state"
    OUT_OF_ORDER = "out_of_order"
    NOT_IN_WORKFLOW = "not_in_workflow"


#: No flags: one value shared by every event without any.
_NO_FLAGS: frozenset[str] = frozenset()

#: No payload: one value shared by the decided events that set no field.
_NO_PAYLOAD: Mapping[str, object] = types.MappingProxyType({})


def _flags(values: Any) -> Any:
    """Flag names as a frozenset; anything else is kept as given, for the checks to refuse."""
    if isinstance(values, list | tuple | set | frozenset) and all(
        isinstance(value, str) for value in values
    ):
        return frozenset(values)
    return values


@attrs.frozen(kw_only=True)
class TicketEvent:
    """Something that happened to a ticket: who, when, what (from, to, fields) and why.

    Attributes:
        ticket_id: the ticket (the event's ``stream_id``).
        sequence: 1 for ``open``, then +1 per event; the ticket's ``version`` after it.
        name: the event (``"open"``, ``"resolve"``, ``"comment"``, a custom workflow event...).
        at: when it happened (aware).
        actor, role: who did it, in which role.
        from_state, from_status: the state and category before (None for ``open``).
        to_state, to_status: after (equal to the "from" pair when the state did not move).
        payload: the ticket fields the event sets, each a value of the field's type (an aware
            datetime, an enum member...); ``comment`` and ``work_note`` append a
            :class:`Comment`, ``attributes`` merges JSON-safe keys. :data:`PAYLOAD_TYPES`
            gives the type of every key. Checked when the event is built.
        reason: why, in the actor's words (a note, a cancel reason...).
        flags: set by imports (:class:`EventFlag`): ``imported``, and for what the workflow
            would refuse, ``repeated_state``, ``out_of_order``, ``not_in_workflow``.

    Events are compared by value; they are not hashable (the payload is a mapping). Their
    plain form is the converter's (:func:`itsm_core.serialization.make_converter`).

    >>> import datetime as dt
    >>> from itsm_core.tickets import HoldReason
    >>> from itsm_core.workflow import StatusCategory
    >>> event = TicketEvent(ticket_id="INC1", sequence=2, name="hold",
    ...     at=dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC), actor="ana", role="agent",
    ...     from_state="in_progress", from_status=StatusCategory.OPEN,
    ...     to_state="on_hold", to_status=StatusCategory.ON_HOLD,
    ...     payload={"hold_reason": HoldReason.AWAITING_CUSTOMER})
    >>> event.payload["hold_reason"], event.moved
    (<HoldReason.AWAITING_CUSTOMER: 'awaiting_customer'>, True)
    """

    #: The type of the value of each payload key (a ticket field's type, or Comment).
    PAYLOAD_TYPES: ClassVar[Mapping[str, Any]] = PAYLOAD_TYPES

    ticket_id: str
    sequence: int
    name: str
    at: dt.datetime
    actor: str
    role: str
    from_state: str | None
    from_status: StatusCategory | None
    to_state: str
    to_status: StatusCategory
    payload: Mapping[str, object] = attrs.field(factory=dict, converter=frozen_payload)
    reason: str | None = None
    flags: frozenset[str] = attrs.field(default=_NO_FLAGS, converter=_flags)

    def __attrs_post_init__(self) -> None:
        at: object = self.at
        if isinstance(at, dt.datetime):
            check_aware(at, "TicketEvent.at")
        problems = _problems(self)
        if problems:
            raise ValidationError("TicketEvent", problems)

    @property
    def stream_id(self) -> str:
        """The id of the stream the event belongs to: its ``ticket_id``."""
        return self.ticket_id

    @property
    def moved(self) -> bool:
        """True when the event changed the ticket's state."""
        return self.from_state != self.to_state

    @property
    def flagged(self) -> bool:
        """True when an import recorded something the workflow would refuse."""
        return bool(self.flags - {EventFlag.IMPORTED})


def _problems(event: TicketEvent) -> list[Problem]:
    """Everything wrong with the event's plain fields: a wrong type is refused, never
    converted (``ticket_id`` 5 is not ``"5"``)."""
    values: dict[str, object] = {name: getattr(event, name) for name in _PLAIN_FIELDS}
    problems: list[Problem] = []
    for name in ("ticket_id", "name", "actor", "role", "to_state"):
        value = values[name]
        if not isinstance(value, str):
            problems.append(Problem(name, f"expected a string, got {shown(value)}"))
        elif not value:
            problems.append(Problem(name, "must not be empty"))
    sequence = values["sequence"]
    if not is_int(sequence):
        problems.append(Problem("sequence", f"expected an int, got {shown(sequence)}"))
    elif sequence < 1:
        problems.append(Problem("sequence", f"{sequence} is not a positive number"))
    if not isinstance(values["at"], dt.datetime):
        problems.append(Problem("at", f"expected an aware datetime, got {shown(values['at'])}"))
    for name in ("from_state", "reason"):
        value = values[name]
        if value is not None and not isinstance(value, str):
            problems.append(Problem(name, f"expected a string or null, got {shown(value)}"))
    for name in ("from_status", "to_status"):
        value = values[name]
        if not isinstance(value, StatusCategory) and (value is not None or name == "to_status"):
            problems.append(Problem(name, f"expected a status category, got {shown(value)}"))
    if (values["from_state"] is None) != (values["from_status"] is None):
        problems.append(Problem("from_state", "from_state and from_status go together"))
    flags = values["flags"]
    if not isinstance(flags, frozenset):
        problems.append(Problem("flags", f"expected a set of flag names, got {shown(flags)}"))
    else:
        unknown = sorted(str(flag) for flag in flags - set(EventFlag))
        if unknown:
            problems.append(Problem("flags", f"unknown flags: {', '.join(unknown)}"))
    return problems


_PLAIN_FIELDS = tuple(field.name for field in attrs.fields(TicketEvent) if field.name != "payload")

#: The order of the values :func:`checked_event` sets: every field of :class:`TicketEvent`.
_FIELD_ORDER = (
    "ticket_id",
    "sequence",
    "name",
    "at",
    "actor",
    "role",
    "from_state",
    "from_status",
    "to_state",
    "to_status",
    "payload",
    "reason",
    "flags",
)
assert tuple(field.name for field in attrs.fields(TicketEvent)) == _FIELD_ORDER

#: The setter of each field's slot, in that order (a frozen class refuses ``setattr``).
_SETTERS = tuple(getattr(TicketEvent, name).__set__ for name in _FIELD_ORDER)


def checked_event(
    *,
    ticket_id: str,
    sequence: int,
    name: str,
    at: dt.datetime,
    actor: str,
    role: str,
    from_state: str | None,
    from_status: StatusCategory | None,
    to_state: str,
    to_status: StatusCategory,
    payload: dict[str, Any],
    reason: str | None,
) -> TicketEvent:
    """The event with these fields (no ``flags``; the ``payload`` dict taken over as the
    read-only payload), built as unpickling builds it, without checking the values again: for
    :func:`decide`, whose values were checked where they entered (the command, the context, the
    ticket, the workflow). Anything else builds a :class:`TicketEvent`, which checks every
    value."""
    values = (
        ticket_id,
        sequence,
        name,
        at,
        actor,
        role,
        from_state,
        from_status,
        to_state,
        to_status,
        types.MappingProxyType(payload) if payload else _NO_PAYLOAD,
        reason,
        _NO_FLAGS,
    )
    event: TicketEvent = object.__new__(TicketEvent)
    for setter, value in zip(_SETTERS, values, strict=True):
        setter(event, value)
    return event
