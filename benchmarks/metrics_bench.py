"""Benchmark: 1,000,000 ticket events to a full KPI report (events per second, peak memory).

Events are synthesised directly as ``TicketEvent`` values (open, assign, acknowledge, maybe a
transfer, an escalation, a hold, resolve, maybe a reopen and a second resolve, close), tickets
interleaved in time order, and streamed through a ``KpiAccumulator`` grouped by team with
daily periods. Two runs:

1. throughput: events pre-built in chunks of 100,000; only ``add_all`` and ``report`` timed;
2. memory: the same events generated on the fly under ``tracemalloc``; the peak shows memory
   stays bounded by groups and in-flight tickets, not by the number of events.

Run: ``.venv/bin/python benchmarks/metrics_bench.py [--quick]`` (``--quick``: 50,000 events).
"""

from __future__ import annotations

import datetime as dt
import sys
import time
import tracemalloc
from collections.abc import Iterator

from itsm_core.metrics import (
    Dimension,
    Granularity,
    KpiAccumulator,
    PeriodGrid,
    ReportSpec,
    render_csv,
    render_markdown,
)
from itsm_core.tickets import Channel, SupportLevel, TicketEvent, TicketKind
from itsm_core.workflow import StatusCategory as S

START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
SPEC = ReportSpec(
    periods=PeriodGrid(
        Granularity.DAY, "Asia/Shanghai", dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    ),
    group_by=(Dimension.GROUP,),
)
GROUPS = tuple(f"team{i}" for i in range(20))
MINUTE = dt.timedelta(minutes=1)


def _event(
    ticket: str, seq: int, name: str, at: dt.datetime, before: S | None, after: S, **payload: object
) -> TicketEvent:
    state = {
        S.NEW: "new",
        S.OPEN: "in_progress",
        S.ON_HOLD: "on_hold",
        S.RESOLVED: "resolved",
        S.CLOSED: "closed",
        S.CANCELLED: "cancelled",
    }
    return TicketEvent(
        ticket_id=ticket,
        sequence=seq,
        name=name,
        at=at,
        actor="agent",
        role="agent",
        from_state=None if before is None else state[before],
        from_status=before,
        to_state=state[after],
        to_status=after,
        payload=payload,
    )


def ticket_events(i: int) -> list[TicketEvent]:
    """About ten events for ticket ``i``, on a fixed pattern."""
    tid = f"INC{i:07d}"
    t = START + i * 3 * MINUTE
    group = GROUPS[i % len(GROUPS)]
    out = [
        _event(
            tid,
            1,
            "open",
            t,
            None,
            S.NEW,
            kind=TicketKind.INCIDENT,
            channel=Channel.PHONE,
            priority=1 + i % 4,
            category=f"cat{i % 12}",
        )
    ]
    steps: list[tuple[int, str, S, dict[str, object]]] = [
        (5, "assign", S.NEW, {"assignment_group": group}),
        (20 + i % 40, "acknowledge", S.OPEN, {}),
        (30, "comment", S.OPEN, {}),
    ]
    if i % 4 == 0:
        steps.append((60, "transfer", S.OPEN, {"assignment_group": GROUPS[(i + 3) % 20]}))
    if i % 9 == 0:
        steps.append((20, "escalate", S.OPEN, {"support_level": SupportLevel.L2}))
    if i % 5 == 0:
        steps += [(30, "hold", S.ON_HOLD, {}), (240, "resume", S.OPEN, {})]
    steps.append((60 * (1 + i % 48), "resolve", S.RESOLVED, {"first_contact_resolution": False}))
    if i % 15 == 0:
        steps += [(600, "reopen", S.OPEN, {}), (120, "resolve", S.RESOLVED, {})]
    if i % 10 != 0:
        steps.append((60 * 24, "close", S.CLOSED, {}))
    status = S.NEW
    for seq, (gap, name, after, payload) in enumerate(steps, start=2):
        t += gap * MINUTE
        out.append(_event(tid, seq, name, t, status, after, **payload))
        status = after
    return out


def events(count: int) -> Iterator[TicketEvent]:
    """About ``count`` events, tickets interleaved (a window of 64 tickets in flight)."""
    produced = 0
    i = 0
    window: list[list[TicketEvent]] = []
    while produced < count:
        while len(window) < 64:
            window.append(ticket_events(i))
            i += 1
        head = min(range(len(window)), key=lambda k: window[k][0].at)
        yield window[head].pop(0)
        produced += 1
        if not window[head]:
            window.pop(head)


def main() -> None:
    quick = "--quick" in sys.argv
    total = 50_000 if quick else 1_000_000
    chunk = 100_000
    stream = events(total)
    accumulator = KpiAccumulator(SPEC)
    elapsed = 0.0
    done = 0
    while done < total:
        batch = [e for _, e in zip(range(min(chunk, total - done)), stream, strict=False)]
        began = time.perf_counter()
        accumulator.add_all(batch)
        elapsed += time.perf_counter() - began
        done += len(batch)
    began = time.perf_counter()
    report = accumulator.report()
    markdown, table = render_markdown(report), render_csv(report)
    reporting = time.perf_counter() - began
    print(
        f"events: {done:,}  tickets: {report.diagnostics.tickets:,}  "
        f"in flight at the end: {report.diagnostics.in_flight:,}"
    )
    print(f"fold: {elapsed:.2f} s  ->  {done / elapsed:,.0f} events/s")
    print(
        f"report + Markdown + CSV: {reporting:.2f} s "
        f"({len(markdown):,} and {len(table):,} characters)"
    )
    print(f"total: {done / (elapsed + reporting):,.0f} events/s to a full report")

    tracemalloc.start()
    accumulator = KpiAccumulator(SPEC).add_all(events(total))
    accumulator.report()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"peak traced memory, events generated on the fly: {peak / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
