"""Folding events into tickets: the only way a ticket's fields change.

The ticket is an aggregate of the kernel (:class:`itsm_core.kernel.Aggregate`): the kernel
checks what every stream must satisfy (it starts at #1, each event follows the last, one
ticket per stream); this module says how ``open`` builds a ticket and how a later event evolves
it. The fold applies the payload literally (set the fields, append the comment, merge the
attributes) and moves the state to ``event.to_state``; every decision was made before the event
was written, so folding needs no workflow, no clock and no decoding.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from itsm_core.errors import InvalidEventStream, Problem, ValidationError
from itsm_core.kernel import Aggregate
from itsm_core.tickets._event import TicketEvent
from itsm_core.tickets._ticket import Ticket

#: What an ``open`` event's payload must set: the ticket's required fields.
_OPENING = ("kind", "workflow", "requester")


def _start(event: TicketEvent) -> Ticket:
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
    try:
        return Ticket(
            id=event.ticket_id,
            opened_at=event.at,
            opened_by=event.actor,
            state=event.to_state,
            status=event.to_status,
            version=event.sequence,
            updated_at=event.at,
            **_changes(None, event.payload),
        )
    except ValidationError as exc:
        raise _does_not_fit(event, exc) from exc


def _evolve(ticket: Ticket, event: TicketEvent) -> Ticket:
    if event.from_state != ticket.state:
        raise InvalidEventStream(
            repr(ticket.id),
            [
                Problem(
                    "from_state",
                    f"{event.from_state!r} is not the state {ticket.state!r} "
                    f"(event #{event.sequence}, {event.name!r})",
                )
            ],
        )
    try:
        return attrs.evolve(
            ticket,
            state=event.to_state,
            status=event.to_status,
            version=event.sequence,
            updated_at=event.at,
            **_changes(ticket, event.payload),
        )
    except ValidationError as exc:
        raise _does_not_fit(event, exc) from exc


def _changes(ticket: Ticket | None, payload: Mapping[str, object]) -> dict[str, Any]:
    """The payload as ticket field values: comments appended, attributes merged."""
    changes = dict(payload)
    comment = changes.pop("comment", None)
    if comment is not None:
        changes["comments"] = (*ticket.comments, comment) if ticket else (comment,)
    note = changes.pop("work_note", None)
    if note is not None:
        changes["work_notes"] = (*ticket.work_notes, note) if ticket else (note,)
    attributes = changes.get("attributes")
    if ticket is not None and isinstance(attributes, Mapping):
        changes["attributes"] = {**ticket.attributes, **attributes}
    return changes


def _does_not_fit(event: TicketEvent, exc: ValidationError) -> InvalidEventStream:
    """A payload the ticket refuses (an empty requester...), as a problem of the stream."""
    return InvalidEventStream(
        repr(event.ticket_id),
        [
            Problem(
                f"payload.{problem.path}" if problem.path else "payload",
                f"{problem.message} (event #{event.sequence})",
            )
            for problem in exc.problems
        ],
    )


#: The ticket as an aggregate of the kernel: its fold and replay.
TICKET: Aggregate[Ticket, TicketEvent] = Aggregate(name="ticket", start=_start, evolve=_evolve)


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
