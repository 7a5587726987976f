"""KPIs computed per shard in a process pool, merged, and checked against one pass.

Each worker builds the events of its own shard of tickets (as it would read its partition of
a warehouse table: every event of one ticket in the same shard), folds them into a
``KpiAccumulator`` and returns it; the parent merges the partial results in any order. The
merged report is equal, figure for figure, to the report of one pass over every event.

Run: ``.venv/bin/python examples/sharded_kpis.py [tickets] [workers]``.
"""

from __future__ import annotations

import datetime as dt
import sys
import zlib
from concurrent.futures import ProcessPoolExecutor
from functools import reduce

from itsm_core.metrics import (
    Dimension,
    Granularity,
    KpiAccumulator,
    KpiReport,
    PeriodGrid,
    ReportSpec,
)
from itsm_core.tickets import (
    Acknowledge,
    Assign,
    Channel,
    Command,
    CommandContext,
    ConfirmResolution,
    Escalate,
    EscalationKind,
    OpenTicket,
    Reopen,
    Resolve,
    TicketEvent,
    TicketKind,
    Transfer,
    decide,
)

START = dt.datetime(2026, 1, 5, 8, tzinfo=dt.UTC)
SPEC = ReportSpec(
    periods=PeriodGrid(Granularity.WEEK, "UTC", dt.date(2026, 1, 5), dt.date(2026, 2, 1)),
    group_by=(Dimension.GROUP,),
)
GROUPS = ("desk", "network", "apps", "db")


def shard_of(ticket_id: str, shards: int) -> int:
    """A stable shard number for a ticket (the same in every process and run)."""
    return zlib.crc32(ticket_id.encode()) % shards


def ticket_events(i: int) -> list[TicketEvent]:
    """The deterministic history of ticket ``i``."""
    opened = START + dt.timedelta(minutes=37 * i)
    group = GROUPS[i % 4]
    opening = OpenTicket(
        ticket_id=f"INC{i:06d}",
        kind=TicketKind.INCIDENT,
        requester=f"user{i % 97}",
        channel=(Channel.PHONE, Channel.EMAIL, Channel.WEB)[i % 3],
        priority=1 + i % 4,
    )
    ticket, events = decide(None, opening, CommandContext(actor="d", role="agent", now=opened))
    trail = list(events)
    steps: list[tuple[int, Command]] = [(5 + i % 17, Assign(group=group))]
    steps.append((20 + i % 43, Acknowledge()))
    if i % 5 == 0:
        steps.append((90, Transfer(group=GROUPS[(i + 1) % 4], reason="skills")))
    if i % 7 == 0:
        steps.append((120, Escalate(kind=EscalationKind.FUNCTIONAL, reason="L2")))
    if i % 11 != 0:  # one ticket in eleven stays open
        resolved = 150 + 60 * (i % 30)
        steps.append((resolved, Resolve(code="fixed", note="done")))
        if i % 13 == 0:
            steps.append((resolved + 60, Reopen(reason="again")))
            steps.append((resolved + 240, Resolve(code="fixed", note="again")))
        elif i % 3 == 0:  # closed once the customer confirms
            steps.append((resolved + 1800, ConfirmResolution()))
    for minutes, command in steps:
        role = "customer" if isinstance(command, ConfirmResolution) else "agent"
        ctx = CommandContext(actor=group, role=role, now=opened + dt.timedelta(minutes=minutes))
        ticket, events = decide(ticket, command, ctx)
        trail.extend(events)
    return trail


def shard_accumulator(shard: int, shards: int, tickets: int) -> KpiAccumulator:
    """Worker: the partial result of one shard."""
    accumulator = KpiAccumulator(SPEC)
    for i in range(tickets):
        if shard_of(f"INC{i:06d}", shards) == shard:
            accumulator.add_all(ticket_events(i))
    return accumulator


def sharded_report(tickets: int, workers: int) -> KpiReport:
    """Compute per shard in a process pool, merge, report."""
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [
            pool.submit(shard_accumulator, shard, workers, tickets) for shard in range(workers)
        ]
        partials = [future.result() for future in futures]
    # Merge in reverse order to show the order does not matter.
    return reduce(KpiAccumulator.merge, reversed(partials)).report()


def one_pass_report(tickets: int) -> KpiReport:
    """The same report in one pass over every event, tickets interleaved by time."""
    events = sorted(
        (e for i in range(tickets) for e in ticket_events(i)), key=lambda e: (e.at, e.ticket_id)
    )
    return KpiAccumulator(SPEC).add_all(events).report()


def main(tickets: int = 400, workers: int = 2) -> KpiReport:
    """Run both ways, check they agree, print a short summary; returns the report."""
    merged = sharded_report(tickets, workers)
    single = one_pass_report(tickets)
    assert merged == single, "the merged report differs from one pass"
    print(f"{tickets} tickets, {merged.diagnostics.events} events, {workers} shards: ")
    print("merged report == one-pass report")
    ttr = merged.duration("time_to_resolve")
    assert ttr.median is not None
    print(f"time_to_resolve: n={ttr.n}, open={ttr.censored}, median={ttr.median}")
    rate = merged.rate("reopen_rate")
    assert rate.estimate is not None
    print(f"reopen_rate: {rate.successes}/{rate.n} = {rate.estimate.percent:.1f} %")
    return merged


if __name__ == "__main__":
    arguments = [int(a) for a in sys.argv[1:3]]
    main(*arguments)
