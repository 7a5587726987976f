"""Auto-close: which resolved tickets are due, with wall-clock and business-time rules."""

from __future__ import annotations

import datetime as dt

import pytest

from itsm_core.errors import NaiveDatetimeError, ValidationError
from itsm_core.tickets import (
    AddComment,
    CommandContext,
    ConfirmResolution,
    OpenTicket,
    Resolve,
    Ticket,
    TicketKind,
    after,
    after_business_time,
    decide,
    due_for_auto_close,
)
from itsm_core.tickets._autoclose import customer_replied_since_resolution

T0 = dt.datetime(2026, 3, 6, 17, 0, tzinfo=dt.UTC)  # a Friday


def ctx(role: str, at: dt.datetime) -> CommandContext:
    return CommandContext(actor=role, role=role, now=at)


def resolved(ticket_id: str, at: dt.datetime = T0) -> Ticket:
    opening = OpenTicket(ticket_id=ticket_id, kind=TicketKind.INCIDENT, requester="b")
    ticket = decide(None, opening, ctx("agent", at - dt.timedelta(hours=1))).state
    return decide(ticket, Resolve(code="c", note="n"), ctx("agent", at)).state


class WeekdayCalendar:
    """An independent oracle: whole weekdays only (business time = days Mon-Fri)."""

    def add(self, start: dt.datetime, duration: dt.timedelta, /) -> dt.datetime:
        days = duration.days
        current = start
        while days:
            current += dt.timedelta(days=1)
            if current.weekday() < 5:
                days -= 1
        return current

    # The rest of the BusinessTime protocol; auto-close only ever adds.
    def elapsed(self, start: dt.datetime, end: dt.datetime, /) -> dt.timedelta:
        raise NotImplementedError

    def next_working(self, when: dt.datetime, /) -> dt.datetime:
        raise NotImplementedError


def test_wall_clock_rule() -> None:
    tickets = [resolved("A"), resolved("B", T0 + dt.timedelta(days=1))]
    now = T0 + dt.timedelta(days=3)
    due = due_for_auto_close(tickets, now, is_due=after(dt.timedelta(days=3)))
    assert [t.id for t in due] == ["A"]


def test_business_days_skip_the_weekend() -> None:
    ticket = resolved("A")  # Friday 17:00
    rule = after_business_time(WeekdayCalendar(), dt.timedelta(days=3))
    assert due_for_auto_close([ticket], T0 + dt.timedelta(days=4), is_due=rule) == ()  # Tuesday
    assert due_for_auto_close([ticket], T0 + dt.timedelta(days=5), is_due=rule) == (ticket,)


def test_a_customer_reply_or_confirmation_or_open_ticket_is_not_due() -> None:
    replied = resolved("R")
    assert not customer_replied_since_resolution(replied)
    replied, _ = decide(
        replied, AddComment(text="still broken?"), ctx("customer", T0 + dt.timedelta(hours=1))
    )
    assert customer_replied_since_resolution(replied)
    agent_note = resolved("N")
    agent_note, _ = decide(
        agent_note, AddComment(text="fyi"), ctx("agent", T0 + dt.timedelta(hours=1))
    )
    confirmed = resolved("C")
    confirmed, _ = decide(
        confirmed, ConfirmResolution(), ctx("customer", T0 + dt.timedelta(hours=1))
    )
    fresh, _ = decide(
        None, OpenTicket(ticket_id="O", kind=TicketKind.INCIDENT, requester="b"), ctx("agent", T0)
    )
    due = due_for_auto_close(
        [replied, agent_note, confirmed, fresh],
        T0 + dt.timedelta(days=30),
        is_due=after(dt.timedelta(days=1)),
    )
    assert [t.id for t in due] == ["N"]


def test_bad_arguments() -> None:
    with pytest.raises(ValidationError):
        after(dt.timedelta(0))
    with pytest.raises(ValidationError):
        after_business_time(WeekdayCalendar(), -dt.timedelta(days=1))
    with pytest.raises(NaiveDatetimeError):
        due_for_auto_close([], dt.datetime(2026, 1, 1), is_due=after(dt.timedelta(days=1)))
