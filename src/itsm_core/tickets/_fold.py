"""Folding events into tickets: the only way a ticket's fields change.

The ticket is an aggregate of the kernel (:class:`itsm_core.kernel.Aggregate`): the kernel
checks what every stream must satisfy (it starts at #1, each event follows the last, one
ticket per stream); this module says how ``open`` builds a ticket and how a later event evolves
it. The fold applies the payload literally (set the fields, append the comment, merge the
attributes) and moves the state to ``event.to_state``; every decision was made before the event
was written, so folding needs no workflow, no clock and no decoding.

The events of a fold go into one working copy of the ticket's fields (a dict), and the frozen
ticket is built from it once, at the end: the types of the payload values were checked when the
event was built, so the fold only checks what a ticket refuses beyond them (an empty requester,
a negative reopen count), on the few events that set such a field. ``apply_event`` (one event)
takes the same path, so one event at a time and many at once give the same ticket and the same
errors.
"""

from __future__ import annotations

import types
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from itsm_core._checks import frozen_json
from itsm_core.errors import InvalidEventStream, Problem
from itsm_core.kernel import Aggregate
from itsm_core.tickets._event import TicketEvent
from itsm_core.tickets._payload import CHECKED_AS_THE_TICKET, SPECIAL_KEYS
from itsm_core.tickets._ticket import (
    CHECKED_FIELDS,
    Ticket,
    checked_ticket,
    field_problems,
    ticket_values,
)

#: What an ``open`` event's payload must set: the ticket's required fields.
_OPENING = ("kind", "workflow", "requester")

#: The value of every ticket field that has a default, as the constructor sets it, before the
#: ``open`` event sets any (``attributes``, the one built by a factory, frozen).
_DEFAULTS: types.MappingProxyType[str, Any] = types.MappingProxyType(
    {
        **{
            field.name: field.default
            for field in attrs.fields(Ticket)
            if field.default is not attrs.NOTHING and field.name != "attributes"
        },
        "attributes": frozen_json({}),
    }
)

#: The fields a ticket checks beyond their types that the event did not check: the fold checks
#: them when a payload sets one (an empty requester, a negative reopen count).
_FOLD_CHECKED = CHECKED_FIELDS - CHECKED_AS_THE_TICKET

#: Payload keys the fold cannot copy as they are: the special keys, and the fields above.
_NOT_PLAIN = SPECIAL_KEYS | _FOLD_CHECKED


class _Draft:
    """A ticket's fields as one dict that events change in place (a working copy), built into
    a frozen :class:`Ticket` once, at the end of a fold.

    Each event is checked against the ticket (its ``open`` payload, its ``from_state``) and
    its payload values against what a ticket refuses (:func:`field_problems`); the types of
    the values were checked when the event was built, so nothing is decoded or checked again.
    """

    __slots__ = ("values",)

    def __init__(self, ticket: Ticket | None) -> None:
        self.values = None if ticket is None else ticket_values(ticket)

    def apply(self, event: TicketEvent) -> None:
        values = self.values
        if values is None:
            values = self.values = _opened(event)
        elif event.from_state != values["state"]:
            raise InvalidEventStream(
                repr(values["id"]),
                [
                    Problem(
                        "from_state",
                        f"{event.from_state!r} is not the state {values['state']!r} "
                        f"(event #{event.sequence}, {event.name!r})",
                    )
                ],
            )
        values["state"] = event.to_state
        values["status"] = event.to_status
        values["version"] = event.sequence
        values["updated_at"] = event.at
        payload = event.payload
        if _NOT_PLAIN.isdisjoint(payload):
            values.update(payload.items())  # from a mappingproxy, pairs are the fast path
        else:
            _set(values, event)

    def build(self) -> Ticket:
        values = self.values
        assert values is not None  # the kernel applies an event before it builds
        self.values = None  # the ticket takes the working copy over as its own
        return checked_ticket(values)


def _opened(event: TicketEvent) -> dict[str, Any]:
    """The fields of a ticket that ``event`` opens, before its payload is applied."""
    problems = []
    if event.name != "open":
        problems.append(
            Problem("name", f"a ticket's stream starts with 'open', not {event.name!r}")
        )
    missing = [name for name in _OPENING if name not in event.payload]
    if missing:
        problems.append(Problem("payload", f"an 'open' event sets {', '.join(missing)}"))
    if problems:
        raise InvalidEventStream(repr(event.ticket_id), problems)
    values = _DEFAULTS.copy()  # the dict's own copy (unpacking a mappingproxy is slow)
    values.update(id=event.ticket_id, opened_at=event.at, opened_by=event.actor)
    return values


def _set(values: dict[str, Any], event: TicketEvent) -> None:
    """Apply a payload with special keys or checked fields: comments appended, attributes
    merged, values the ticket would refuse reported as a problem of the stream."""
    payload = event.payload
    if not _FOLD_CHECKED.isdisjoint(payload):
        problems = field_problems(payload)
        if problems:
            raise _does_not_fit(event, problems)
    value: Any
    for key, value in payload.items():
        if key == "comment":
            values["comments"] = (*values["comments"], value)
        elif key == "work_note":
            values["work_notes"] = (*values["work_notes"], value)
        elif key == "attributes":
            values["attributes"] = types.MappingProxyType({**values["attributes"], **value})
        else:
            values[key] = value


def _fold_one(ticket: Ticket | None, event: TicketEvent) -> Ticket:
    draft = _Draft(ticket)
    draft.apply(event)
    return draft.build()


def _start(event: TicketEvent) -> Ticket:
    return _fold_one(None, event)


def _evolve(ticket: Ticket, event: TicketEvent) -> Ticket:
    return _fold_one(ticket, event)


def _does_not_fit(event: TicketEvent, problems: Sequence[Problem]) -> InvalidEventStream:
    """A payload the ticket refuses (an empty requester...), as a problem of the stream."""
    return InvalidEventStream(
        repr(event.ticket_id),
        [
            Problem(
                f"payload.{problem.path}" if problem.path else "payload",
                f"{problem.message} (event #{event.sequence})",
            )
            for problem in problems
        ],
    )


#: The ticket as an aggregate of the kernel: its fold and replay. One event at a time
#: (``apply``) and many (``fold``, ``replay``) go through the same working copy.
TICKET: Aggregate[Ticket, TicketEvent] = Aggregate(
    name="ticket", start=_start, evolve=_evolve, draft=_Draft
)


def apply_event(ticket: Ticket | None, event: TicketEvent) -> Ticket:
    """The ticket after ``event``: ``open`` builds it (``ticket`` is None), every later event
    evolves it. Raises :class:`~itsm_core.errors.InvalidEventStream` for an event that does
    not follow the ticket (another ticket, a gap in the sequence, another state)."""
    return TICKET.apply(ticket, event)


def replay(events: Iterable[TicketEvent]) -> Ticket:
    """Rebuild a ticket by folding its events in order: ``replay(events) == ticket``.

    Raises :class:`~itsm_core.errors.InvalidEventStream` for an empty stream, a gap or repeat
    in the sequence numbers, an event of another ticket, or a payload that does not fit the
    ticket.
    """
    return TICKET.replay(events)
