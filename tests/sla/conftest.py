"""Helpers for the SLA tests: ticket histories built with ``decide`` on real commands."""

from __future__ import annotations

import datetime as dt

import pytest

from itsm_core.tickets import (
    Command,
    CommandContext,
    OpenTicket,
    Ticket,
    TicketEvent,
    TicketKind,
    decide,
)


class History:
    """A ticket's events, built command by command at given instants."""

    def __init__(self, start: dt.datetime, ticket_id: str = "INC1", **open_fields: object):
        self.start = start
        self.ticket: Ticket | None = None
        self.events: list[TicketEvent] = []
        fields: dict[str, object] = {"kind": TicketKind.INCIDENT, "requester": "bob"}
        fields.update(open_fields)
        self.do(OpenTicket(ticket_id=ticket_id, **fields), start, role="customer", actor="bob")  # type: ignore[arg-type]

    def do(
        self, command: Command, at: dt.datetime, *, role: str = "agent", actor: str = "ana"
    ) -> History:
        """Decide ``command`` at ``at``; keep the events."""
        self.ticket, events = decide(
            self.ticket, command, CommandContext(actor=actor, role=role, now=at)
        )
        self.events.extend(events)
        return self

    def customer(self, command: Command, at: dt.datetime) -> History:
        """Decide ``command`` as the customer."""
        return self.do(command, at, role="customer", actor="bob")


@pytest.fixture
def history() -> type[History]:
    """The History builder class."""
    return History
