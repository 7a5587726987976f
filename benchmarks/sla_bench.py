"""Benchmark: evaluate the SLA clocks of many open tickets at one instant (tickets per second).

Usage: .venv/bin/python benchmarks/sla_bench.py [--quick] [--tickets N]

Also prints, for comparison, the time to replay the same tickets alone
(``itsm_core.tickets.replay``): the SLA fold replays every event too, so that is the floor the
SLA engine cannot go below.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections.abc import Sequence

import attrs

from itsm_core.calendar import BusinessCalendar
from itsm_core.sla import (
    FIRST_RESPONSE,
    GROUP_RESOLUTION,
    RESOLUTION,
    SERVICENOW_THRESHOLDS,
    MetricSpec,
    PolicySet,
    SlaPolicy,
    due_actions,
    evaluate_many,
    next_change_at,
)
from itsm_core.tickets import (
    Acknowledge,
    AddComment,
    Assign,
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
    replay,
)

T0 = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
OFFICE = BusinessCalendar.from_dict(
    {
        "name": "office",
        "timezone": "Asia/Shanghai",
        "weekly": {
            d: [["09:00", "12:00"], ["13:00", "18:00"]]
            for d in ("monday", "tuesday", "wednesday", "thursday", "friday")
        },
        "extrapolate": True,
    }
)
POLICIES = PolicySet(
    policies=[
        SlaPolicy(
            name="standard",
            metrics=[
                MetricSpec(
                    clock=FIRST_RESPONSE, targets={"*": "4 working hours"}, calendar="office"
                ),
                MetricSpec(
                    clock=RESOLUTION,
                    targets={"1": "4 hours", "2": "2 working days", "*": "5 working days"},
                    calendar="office",
                    thresholds=SERVICENOW_THRESHOLDS,
                ),
                MetricSpec(
                    clock=GROUP_RESOLUTION, targets={"*": "8 working hours"}, calendar="office"
                ),
            ],
        )
    ]
)
TEMPLATES: list[list[tuple[Command, str, int]]] = [
    [(Assign(group="desk"), "agent", 5)],
    [(Assign(group="desk"), "agent", 5), (Acknowledge(), "agent", 30)],
    [
        (Assign(group="network"), "agent", 10),
        (Acknowledge(), "agent", 40),
        (Hold(reason=HoldReason.AWAITING_CUSTOMER), "agent", 90),
        (AddComment(text="log attached"), "customer", 300),
        (Resume(), "agent", 400),
    ],
]


def template(index: int) -> list[TicketEvent]:
    ticket: Ticket | None = None
    events: list[TicketEvent] = []
    opening = OpenTicket(
        ticket_id="T", kind=TicketKind.INCIDENT, requester="bob", priority=1 + index % 3
    )
    for command, role, minutes in [(opening, "customer", 0), *TEMPLATES[index % len(TEMPLATES)]]:
        ctx = CommandContext(actor="x", role=role, now=T0 + dt.timedelta(minutes=minutes))
        ticket, new = decide(ticket, command, ctx)
        events.extend(new)
    return events


def histories(count: int) -> list[Sequence[TicketEvent]]:
    """``count`` open tickets: the templates, renamed and shifted by up to two weeks."""
    bases = [template(i) for i in range(9)]
    out: list[Sequence[TicketEvent]] = []
    for n in range(count):
        shift = dt.timedelta(minutes=(n * 37) % (14 * 24 * 60))
        out.append(
            [attrs.evolve(e, ticket_id=f"INC{n}", at=e.at + shift) for e in bases[n % len(bases)]]
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="2,000 tickets (smoke run)")
    parser.add_argument("--tickets", type=int, default=100_000)
    args = parser.parse_args()
    count = 2_000 if args.quick else args.tickets
    data = histories(count)
    events = sum(len(h) for h in data)
    now = T0 + dt.timedelta(days=15)
    started = time.perf_counter()
    reports = evaluate_many(POLICIES, data, now, calendars={"office": OFFICE})
    evaluated = time.perf_counter() - started
    started = time.perf_counter()
    actions = due_actions(reports, now)
    wake = next_change_at(reports, now)
    scheduled = time.perf_counter() - started
    started = time.perf_counter()
    for history in data:
        replay(history)
    replayed = time.perf_counter() - started
    clocks = sum(len(r.clocks) for r in reports)
    print(f"SLA batch evaluation: {count:,} open tickets, {events:,} events, {clocks:,} clocks")
    print(f"  evaluate_many: {evaluated:8.2f} s  {count / evaluated:10,.0f} tickets/s")
    print(f"  (replaying the tickets alone: {replayed:.2f} s, {replayed / evaluated:.0%} of that)")
    print(f"  due_actions + next_change_at: {scheduled:.2f} s ({len(actions):,} actions due)")
    print(f"  next change at: {wake}")


if __name__ == "__main__":
    main()
