"""Demo section: SLA clocks with a pause, a warning and a breach, and the actions they trigger."""

from __future__ import annotations

import datetime as dt

from itsm_core.sla import (
    FIRST_RESPONSE,
    RESOLUTION,
    ActionKind,
    ClockState,
    Duration,
    MetricSpec,
    PolicySet,
    SlaPolicy,
    Threshold,
    Unit,
    due_actions,
    evaluate,
    next_change_at,
)
from itsm_core.tickets import (
    Acknowledge,
    Command,
    CommandContext,
    Hold,
    HoldReason,
    OpenTicket,
    Resume,
    Ticket,
    TicketEvent,
    TicketKind,
    decide,
)

T0 = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
THRESHOLDS = (
    Threshold(name="warn-75", percent=75, notify=("assignee",)),
    Threshold(name="breach", action=ActionKind.BREACH, percent=100, notify=("lead",)),
    Threshold(
        name="level-2",
        action=ActionKind.ESCALATE,
        level=2,
        after_breach=Duration(1, Unit.HOURS),
        notify=("manager",),
    ),
)
POLICIES = PolicySet(
    policies=(
        SlaPolicy(
            name="standard",
            metrics=(
                MetricSpec(clock=FIRST_RESPONSE, targets={"*": "30 minutes"}),
                MetricSpec(
                    clock=RESOLUTION,
                    targets={"1": "2 hours", "2": "4 hours"},
                    thresholds=THRESHOLDS,
                ),
            ),
        ),
    )
)


def _history(ticket_id: str, priority: int, steps: list[tuple[Command, int]]) -> list[TicketEvent]:
    ticket: Ticket | None = None
    events: list[TicketEvent] = []
    opening = OpenTicket(
        ticket_id=ticket_id, kind=TicketKind.INCIDENT, requester="bob", priority=priority
    )
    for command, minutes in [(opening, 0), *steps]:
        ctx = CommandContext(actor="ana", role="agent", now=T0 + dt.timedelta(minutes=minutes))
        ticket, new = decide(ticket, command, ctx)
        events.extend(new)
    return events


def _minutes(value: dt.timedelta | None) -> str:
    return "-" if value is None else f"{int(value.total_seconds() // 60)} min"


def _time(value: dt.datetime | None) -> str:
    return "-" if value is None else value.strftime("%H:%M")


def show() -> None:
    """Print three tickets' clocks at 12:30 and the actions due then."""
    now = T0 + dt.timedelta(hours=3, minutes=30)
    histories = {
        "INC1 (paused)": _history(
            "INC1",
            2,
            [
                (Acknowledge(), 10),
                (Hold(reason=HoldReason.AWAITING_CUSTOMER), 60),
                (Resume(), 150),
            ],
        ),
        "INC2 (warning)": _history("INC2", 2, [(Acknowledge(), 20)]),
        "INC3 (breach)": _history("INC3", 1, [(Acknowledge(), 45)]),
    }
    reports = [evaluate(POLICIES, events, now) for events in histories.values()]
    print(f"SLA clocks at {now:%Y-%m-%d %H:%M} UTC")
    header = f"{'ticket':<16}{'clock':<16}{'status':<11}{'elapsed':>9}{'remaining':>11}  due"
    print(header)
    print("-" * len(header))
    for label, report in zip(histories, reports, strict=True):
        for clock in report.clocks:
            print(_row(label, clock))
    print()
    print("Actions due (recorded once, never repeated):")
    for action in due_actions(reports, now):
        who = ", ".join(action.notify)
        level = f" level {action.level}" if action.level else ""
        print(f"  {action.key:<32}{action.action.value}{level} -> {who}")
    upcoming = next_change_at(reports, now)
    print(f"Next change: {_time(upcoming)} (wake the scheduler then, no polling)")


def _row(label: str, clock: ClockState) -> str:
    return (
        f"{label:<16}{clock.name:<16}{clock.status.value:<11}{_minutes(clock.elapsed):>9}"
        f"{_minutes(clock.remaining):>11}  {_time(clock.due_at)}"
    )


if __name__ == "__main__":
    show()
