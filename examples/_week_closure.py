"""Confirmed closure: a ticket closes only once the customer confirms (得到客户确认后关闭).

ASK-107 was answered on Monday afternoon. The desk's attempt to close it right after the answer
is refused (decided on the ticket as it stood, nothing is stored); it closed when the customer
confirmed on the desk's call back, as its history in the event store shows.
"""

from __future__ import annotations

import datetime as dt

from _week_cases import _trail
from _week_days import when
from _week_desk import heading
from _week_run import Week

from itsm_core.errors import CommandRejected
from itsm_core.tickets import Close, CommandContext, decide, replay

TICKET = "ASK-107"


def show(week: Week) -> None:
    """Try to close ASK-107 before its customer confirmed, then show how it did close."""
    heading("Closed only once the customer confirms")
    history = week.desk.history(TICKET)
    resolved = next(i for i, event in enumerate(history) if event.name == "resolve")
    before = replay(history[: resolved + 1])
    attempt = before.updated_at + dt.timedelta(minutes=5)
    agent = history[resolved].actor
    print(f"{TICKET}: answered {when(before.updated_at)} by {agent}; the desk tries to close it")
    ctx = CommandContext(actor=agent, role="agent", now=attempt)
    try:
        decide(before, Close(reason="answered"), ctx)  # on the ticket as it was; nothing stored
    except CommandRejected as refused:
        guard, _, why = refused.reasons[0].partition(": ")
        print(f"  {when(attempt)} close refused ({guard}): {why.split(':')[0]}")
    else:
        raise AssertionError("a ticket closed before its customer confirmed")
    _trail(week, TICKET)
    ticket = week.desk.ticket(TICKET)
    print(f"  -> {ticket.state}, confirmed by the customer: {ticket.customer_confirmation}")
