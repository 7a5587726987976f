"""Day by day: the requests that came in, their priorities, the work done, the SLA board.

The SLA scheduler never polls: after each event of a ticket, and at each instant
``next_change_at`` names, it has the desk evaluate the ticket's clocks from its stored events
(``ServiceDesk.evaluate``, on the office calendar) and sends the actions then due. Each action
has a key, recorded once, so it is never sent twice. At close of business (18:00) the
supervisor reads the SLA board: the clocks that need attention (paused, past 75 % of their
target, breached) and the actions the scheduler sent that day.
"""

from __future__ import annotations

import collections
import datetime as dt
import textwrap

from _week_desk import DAYS, END_OF_WEEK, close_of_business, table
from _week_run import Week

from itsm_core.sla import (
    ClockState,
    ClockStatus,
    DueAction,
    SlaReport,
    due_actions,
    next_change_at,
)
from itsm_core.tickets import Channel, TicketEvent, TicketKind

#: Tickets whose priority decision is printed in full, with its explanation.
EXPLAINED = ("INC-117", "CMP-113", "INC-129")
KIND_LABELS = {
    TicketKind.INCIDENT: "incident",
    TicketKind.SERVICE_REQUEST: "request",
    TicketKind.CONSULTATION: "consultation",
    TicketKind.COMPLAINT: "complaint",
    TicketKind.PROBLEM: "problem",
    TicketKind.CHANGE: "change",
}


CHANNEL_LABELS = {
    Channel.PHONE: "phone",
    Channel.EMAIL: "email",
    Channel.WEB: "web portal",
    Channel.CHAT: "chat",
    Channel.ON_SITE: "walk-in",
    Channel.MOBILE: "mobile",
}


def channel_label(channel: Channel | None) -> str:
    """How the request came in, as the desk says it."""
    return "internal" if channel is None else CHANNEL_LABELS[channel]


def duration(value: dt.timedelta | None) -> str:
    """A duration as hours and minutes, "-" when unknown."""
    if value is None:
        return "-"
    minutes = round(value.total_seconds() / 60)
    sign = "-" if minutes < 0 else ""
    hours, minutes = divmod(abs(minutes), 60)
    return f"{sign}{hours}h{minutes:02d}"


def when(value: dt.datetime | None) -> str:
    """A local instant, short."""
    return "-" if value is None else f"{value:%a %d %b %H:%M}"


def board(week: Week, now: dt.datetime) -> list[SlaReport]:
    """The SLA reports of every ticket opened before ``now``."""
    reports = []
    for ticket_id, row in week.rows.items():
        if row.opened_at < now:
            reports.append(week.desk.evaluate(ticket_id, now))
    return reports


def needs_attention(clock: ClockState, now: dt.datetime) -> bool:
    """Paused, in warning, breached, or met late today."""
    if clock.status in (ClockStatus.PAUSED, ClockStatus.BREACHED):
        return True
    if clock.status is ClockStatus.RUNNING:
        return clock.percent is not None and clock.percent >= 75
    if clock.status is ClockStatus.MET_LATE and clock.stopped_at is not None:
        return clock.stopped_at.date() == now.date()
    return False


def _status(clock: ClockState) -> str:
    if clock.status is ClockStatus.RUNNING and clock.percent is not None:
        return "warning" if clock.percent < 100 else "breached"
    return clock.status.value


def _intake(week: Week, day: int) -> None:
    rows = []
    for ticket_id, row in week.rows.items():
        if row.day != day:
            continue
        decision = week.priorities.get(ticket_id)
        grading = week.gradings.get(ticket_id)
        if decision is not None:
            grade = f"P{decision.priority} {decision.label}"
            basis = f"I{decision.impact} x U{decision.urgency}"
        elif grading is not None:
            grade = f"L{grading.level} {grading.label}"
            basis = f"S{row.severity} x U{row.urgency}"
        else:
            grade = basis = "-"
        if row.vip:
            basis += " vip"
        channel = channel_label(row.channel)
        rows.append(
            (
                ticket_id,
                f"{row.opened_at:%H:%M}",
                channel,
                KIND_LABELS[row.kind],
                row.category,
                basis,
                grade,
            )
        )
    print(f"Intake: {len(rows)} requests")
    table(("ticket", "time", "channel", "kind", "category", "facts", "priority"), rows)
    for ticket_id in EXPLAINED:
        if week.rows[ticket_id].day == day:
            explained = week.priorities.get(ticket_id) or week.gradings[ticket_id]
            print()
            print(f"  Why {ticket_id} got its level:")
            for line in str(explained).splitlines():
                print(textwrap.fill(line, 104, initial_indent="    ", subsequent_indent="       "))


def _work(week: Week, day: int) -> None:
    counts: collections.Counter[str] = collections.Counter()
    for record in week.desk.store.read_all():
        event = record.event
        if event.at.date() == DAYS[day] and event.name not in ("open", "classify"):
            counts[event.name] += 1
    done = ", ".join(f"{name} {n}" for name, n in sorted(counts.items())) or "nothing"
    print(textwrap.fill(f"Work recorded: {done}", 104, subsequent_indent="  "))


def scheduler(week: Week) -> list[tuple[dt.datetime, DueAction]]:
    """Every action the SLA scheduler sends during the week, with the instant it runs.

    For each ticket it wakes at each of its events and at each ``next_change_at``.
    """
    sent: list[tuple[dt.datetime, DueAction]] = []
    for ticket_id in week.rows:
        history = week.desk.history(ticket_id)
        recorded: set[str] = set()
        now: dt.datetime | None = history[0].at
        while now is not None and now < END_OF_WEEK:
            report = week.desk.evaluate(ticket_id, now)
            for action in due_actions(report, now, recorded=frozenset(recorded)):
                sent.append((now, action))
                recorded.add(action.key)
            now = _next_wake_up(history, report, now, recorded)
    return sorted(sent, key=lambda item: (item[0], item[1].key))


def _next_wake_up(
    history: tuple[TicketEvent, ...], report: SlaReport, now: dt.datetime, recorded: set[str]
) -> dt.datetime | None:
    candidates = [event.at for event in history if event.at > now]
    change = next_change_at(report, now, recorded=frozenset(recorded))
    if change is not None:
        candidates.append(change)
    return min(candidates, default=None)


def show_day(week: Week, day: int, sent: list[tuple[dt.datetime, DueAction]]) -> None:
    """Print one day: intake, work, and the SLA board at close of business."""
    title = f"{DAYS[day]:%A %d %B %Y}"
    if DAYS[day].weekday() == 5:
        title += ": the desk is closed, the portal and mailbox are not"
    if DAYS[day].weekday() == 6:
        title += ": a make-up working day (调休) before National Day"
    print()
    print(title)
    print("-" * len(title))
    _intake(week, day)
    print()
    _work(week, day)
    now = close_of_business(day)
    reports = board(week, now)
    watch = [
        (
            report.ticket_id,
            clock.name,
            _status(clock),
            duration(clock.elapsed),
            duration(clock.remaining),
            "-" if clock.percent is None else f"{clock.percent:.0f} %",
            when(clock.due_at),
        )
        for report in reports
        for clock in report.clocks
        if needs_attention(clock, now)
    ]
    print()
    print(f"SLA board at {now:%H:%M} ({len(reports)} tickets): clocks needing attention")
    if watch:
        table(("ticket", "clock", "status", ">elapsed", ">left", ">used", "due"), watch)
    else:
        print("  none")
    today = [
        (
            f"{instant:%H:%M}",
            action.ticket_id,
            action.clock,
            action.threshold,
            action.action.value + (f" level {action.level}" if action.level else ""),
            ", ".join(action.notify),
        )
        for instant, action in sent
        if instant.date() == DAYS[day]
    ]
    if today:
        print("Actions the SLA scheduler sent today (each once):")
        table(("at", "ticket", "clock", "threshold", "action", "notified"), today)


def show(week: Week) -> None:
    """Print the seven days of the week."""
    sent = scheduler(week)
    for day in range(len(DAYS)):
        show_day(week, day, sent)
