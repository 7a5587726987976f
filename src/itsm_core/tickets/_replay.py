"""Folding events into tickets: the only way a ticket's fields change."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from itsm_core.errors import InvalidEventStream, Problem
from itsm_core.tickets._codec import decode_changes
from itsm_core.tickets._event import TicketEvent
from itsm_core.tickets._ticket import Ticket


def apply_event(ticket: Ticket | None, event: TicketEvent) -> Ticket:
    """The ticket after ``event``: ``open`` builds it, every other event evolves it.

    The fold applies the payload literally (set the fields, append the comment, merge the
    attributes) and moves the state to ``event.to_state``; every decision was made before the
    event was written, so folding needs no workflow and no clock.
    """
    problems: list[Problem] = []
    changes = decode_changes(event.payload, problems)
    if ticket is None:
        if event.name != "open" or event.sequence != 1:
            problems.append(
                Problem(
                    "sequence",
                    f"a stream starts with 'open' #1, not {event.name!r} #{event.sequence}",
                )
            )
    elif event.ticket_id != ticket.id:
        problems.append(Problem("ticket_id", f"{event.ticket_id!r} is not {ticket.id!r}"))
    elif event.sequence != ticket.version + 1:
        problems.append(Problem("sequence", f"#{event.sequence} does not follow #{ticket.version}"))
    elif event.from_state != ticket.state:
        problems.append(
            Problem("from_state", f"{event.from_state!r} is not the state {ticket.state!r}")
        )
    if problems:
        raise InvalidEventStream(repr(event.ticket_id), problems)
    common: dict[str, Any] = {
        "state": event.to_state,
        "status": event.to_status,
        "version": event.sequence,
        "updated_at": event.at,
    }
    if ticket is None:
        return _build(event, changes, common)
    comment = changes.pop("comment", None)
    if comment is not None:
        changes["comments"] = (*ticket.comments, comment)
    note = changes.pop("work_note", None)
    if note is not None:
        changes["work_notes"] = (*ticket.work_notes, note)
    attributes = changes.pop("attributes", None)
    if attributes is not None:
        changes["attributes"] = {**ticket.attributes, **attributes}
    try:
        return attrs.evolve(ticket, **changes, **common)
    except (TypeError, ValueError) as exc:
        raise InvalidEventStream(repr(event.ticket_id), [Problem("payload", str(exc))]) from exc


def _build(event: TicketEvent, changes: dict[str, Any], common: dict[str, Any]) -> Ticket:
    try:
        return Ticket(
            id=event.ticket_id,
            opened_at=event.at,
            opened_by=event.actor,
            **changes,
            **common,
        )
    except (TypeError, ValueError) as exc:
        raise InvalidEventStream(repr(event.ticket_id), [Problem("payload", str(exc))]) from exc


def replay(events: Iterable[TicketEvent]) -> Ticket:
    """Rebuild a ticket by folding its events in order: ``replay(events) == ticket``.

    Raises :class:`InvalidEventStream` for an empty stream, a gap or repeat in the sequence
    numbers, an event of another ticket, or a payload that does not fit the ticket.
    """
    ticket: Ticket | None = None
    for event in events:
        ticket = apply_event(ticket, event)
    if ticket is None:
        raise InvalidEventStream("''", [Problem("events", "no events to replay")])
    return ticket
