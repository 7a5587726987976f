"""Helpers for the records tests: a full incident story built with ``decide``."""

from __future__ import annotations

import datetime as dt

import pytest

from itsm_core.tickets import (
    Acknowledge,
    AddComment,
    Assign,
    Command,
    CommandContext,
    ConfirmResolution,
    Hold,
    HoldReason,
    OpenTicket,
    Resolve,
    Resume,
    Ticket,
    TicketEvent,
    TicketKind,
    decide,
)

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def incident_story(ticket_id: str = "INC1") -> tuple[Ticket, tuple[TicketEvent, ...]]:
    """An incident opened, worked, resolved and confirmed by its requester (10 events)."""
    steps: list[tuple[Command, str, str]] = [
        (
            OpenTicket(
                ticket_id=ticket_id,
                kind=TicketKind.INCIDENT,
                requester="zhang",
                symptom="VPN down since 8:00, call me on 13812345678",
            ),
            "zhang",
            "customer",
        ),
        (Assign(group="network", assignee="ana"), "li", "agent"),
        (Acknowledge(note="looking into it"), "ana", "agent"),
        (AddComment(text="Please mail logs to ana@example.com"), "ana", "agent"),
        (AddComment(text="caller ID 11010519491231002X", internal=True), "ana", "agent"),
        (Hold(reason=HoldReason.AWAITING_CUSTOMER), "ana", "agent"),
        (AddComment(text="logs sent, 座机 010-62345678"), "zhang", "customer"),
        (Resume(), "ana", "agent"),
        (Resolve(code="fixed", note="VPN profile renewed"), "ana", "agent"),
        (ConfirmResolution(note="works, thanks"), "zhang", "customer"),
    ]
    ticket: Ticket | None = None
    events: list[TicketEvent] = []
    for minutes, (command, actor, role) in enumerate(steps):
        ctx = CommandContext(actor=actor, role=role, now=START + dt.timedelta(minutes=10 * minutes))
        ticket, new = decide(ticket, command, ctx)
        events.extend(new)
    assert ticket is not None
    return ticket, tuple(events)


@pytest.fixture(scope="session")
def story() -> tuple[Ticket, tuple[TicketEvent, ...]]:
    """The closed incident INC1 and its 10 events."""
    return incident_story()
