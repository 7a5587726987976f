"""Benchmark: the SLA clocks of 10,000 and 100,000 open tickets at one instant (the sweep).

Usage: .venv/bin/python benchmarks/sla_bench.py [--quick] [--rounds N]

A desk keeps one ``SlaTracker`` per open ticket, folds each event into it as it arrives, and
every minute asks for every clock, the actions due and the next change. For each size this
prints medians of ``--rounds`` rounds (wall clock and CPU time) of:

* the fold: every ticket's events applied one by one (``SlaTracker.apply``);
* the first sweep after the fold, which also plans each tracker (see docs/sla/sweep.md);
* the sweep at ``now`` (the headline): ``sweep(trackers, now, recorded=...)`` on trackers
  swept before, with the actions due a minute earlier recorded, as a desk runs it every
  minute; with numpy, then without it (the pure Python path, numpy hidden from the sweep);
* today's per-ticket paths on the same trackers, in the same run: ``report(now)`` per
  tracker, then with ``due_actions`` and ``next_change_at``, and ``evaluate_many`` from the
  events (the last two on a subsample when slow, extrapolated linearly: the table says so).

The results are checked against the per-ticket path on a subsample. The machine's load
average is printed before and after. The fold runs with the garbage collector as it comes;
after it, the collector is frozen (``gc.freeze``): a desk holds its trackers for hours, and a
full collection scanning them is not what the other rows measure.
The last line is ``figure: sla_sweep_100k = <seconds> s (goal < 1 s)``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from typing import Any, TypeVar

import attrs

import itsm_core.sla._columns as sweep_columns
from itsm_core.calendar import BusinessCalendar
from itsm_core.sla import (
    FIRST_RESPONSE,
    GROUP_RESOLUTION,
    RESOLUTION,
    SERVICENOW_THRESHOLDS,
    MetricSpec,
    PolicySet,
    SlaPolicy,
    SlaTracker,
    due_actions,
    evaluate_many,
    next_change_at,
    sweep,
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
)

T = TypeVar("T")
T0 = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
NOW = T0 + dt.timedelta(days=15)
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
CALENDARS = {"office": OFFICE}
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


# -- measuring ----------------------------------------------------------------------------


@attrs.frozen
class Timing:
    wall: float
    cpu: float
    scale: float = 1.0  # a subsample's times are multiplied by this (extrapolated)


def timed(call: Callable[[], T], rounds: int, scale: float = 1.0) -> tuple[Timing, T]:
    """Medians of ``rounds`` calls (wall and CPU), and the last call's result."""
    walls: list[float] = []
    cpus: list[float] = []
    result: Any = None
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        result = call()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return Timing(statistics.median(walls) * scale, statistics.median(cpus) * scale, scale), result


@contextmanager
def without_numpy() -> Iterator[None]:
    """The sweep as it runs where numpy is not installed (its pure Python path)."""
    found = sweep_columns.numpy_module
    sweep_columns.numpy_module = lambda: None
    try:
        yield
    finally:
        sweep_columns.numpy_module = found


def fold(data: Sequence[Sequence[TicketEvent]]) -> list[SlaTracker]:
    """Each ticket's tracker, fed its events one at a time as they would arrive."""
    trackers = []
    for events in data:
        tracker = SlaTracker(policies=POLICIES, calendars=CALENDARS)
        for event in events:
            tracker = tracker.apply(event)
        trackers.append(tracker)
    return trackers


def per_ticket(trackers: Sequence[SlaTracker], recorded: frozenset[str]) -> object:
    reports = [t.report(NOW) for t in trackers]
    return due_actions(reports, NOW, recorded=recorded), next_change_at(reports, NOW)


def check(trackers: Sequence[SlaTracker], recorded: frozenset[str]) -> str:
    """The sweep against the per-ticket path, on the trackers given."""
    result = sweep(trackers, NOW, recorded=recorded)
    reports = [t.report(NOW) for t in trackers]
    same = (
        not result.errors
        and result.reports() == tuple(reports)
        and result.due_actions == due_actions(reports, NOW, recorded=recorded)
        and result.next_change_at == next_change_at(reports, NOW, recorded=recorded)
    )
    return f"identical on {len(trackers):,} tickets" if same else "DIFFERENT (a bug)"


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run(count: int, rounds: int, data: Sequence[Sequence[TicketEvent]]) -> float:
    """Measure one size; returns the headline (sweep at now, numpy, wall median)."""
    events = sum(len(h) for h in data)
    gc.collect()
    gc.freeze()
    rows: list[tuple[str, Timing, str]] = []
    folds: list[float] = []
    firsts: list[float] = []
    fold_cpu: list[float] = []
    first_cpu: list[float] = []
    trackers: list[SlaTracker] = []
    for _ in range(rounds):  # each round folds afresh, so each first sweep plans every tracker
        trackers = []
        gc.collect()
        timing, trackers = timed(lambda: fold(data), 1)
        folds.append(timing.wall)
        fold_cpu.append(timing.cpu)
        gc.collect()
        gc.freeze()  # the trackers are long-lived from now on
        timing, _ = timed(partial(sweep, trackers, NOW), 1)
        firsts.append(timing.wall)
        first_cpu.append(timing.cpu)
    gc.collect()
    gc.freeze()
    rows.append(
        (
            "fold, event by event (SlaTracker.apply)",
            Timing(statistics.median(folds), statistics.median(fold_cpu)),
            f"{events / statistics.median(folds):,.0f} events/s",
        )
    )
    rows.append(
        (
            "first sweep after the fold (plans each tracker)",
            Timing(statistics.median(firsts), statistics.median(first_cpu)),
            "",
        )
    )
    earlier = sweep(trackers, NOW - dt.timedelta(minutes=1))
    recorded = frozenset(a.key for a in earlier.due_actions)
    timing, result = timed(lambda: sweep(trackers, NOW, recorded=recorded), rounds)
    clocks = len(result.clocks())
    rows.append(("sweep at now, numpy  <- the goal: < 1 s", timing, _rate(count, timing)))
    headline = timing.wall
    with without_numpy():
        timing, _ = timed(lambda: sweep(trackers, NOW, recorded=recorded), rounds)
    rows.append(("sweep at now, without numpy", timing, _rate(count, timing)))
    sample = trackers[: min(count, 10_000)]
    scale = count / len(sample)
    timing, _ = timed(lambda: [t.report(NOW) for t in sample], rounds, scale)
    rows.append(("today: report(now) per tracker", timing, _rate(count, timing)))
    timing, _ = timed(lambda: per_ticket(sample, recorded), rounds, scale)
    rows.append(("today: report + due_actions + next_change_at", timing, _rate(count, timing)))
    few = data[: min(count, 2_000)]
    timing, _ = timed(
        lambda: evaluate_many(POLICIES, few, NOW, calendars=CALENDARS),
        rounds,
        count / len(few),
    )
    rows.append(("today: evaluate_many from the events", timing, _rate(count, timing)))
    print(
        f"\n{count:,} open tickets, {events:,} events, {clocks:,} clocks; "
        f"{len(earlier.due_actions):,} actions recorded a minute before, "
        f"{len(result.due_actions):,} due now; medians of {rounds} rounds"
    )
    print(f"{'':50} {'wall s':>9} {'cpu s':>9}   {'rate':>16}")
    for label, timing, rate in rows:
        scale = timing.scale
        note = "" if scale == 1 else f"  (from {count / scale:,.0f}, x{scale:g})"
        print(f"  {label:48} {timing.wall:9.3f} {timing.cpu:9.3f}   {rate:>16}{note}")
    print(f"  results: {check(trackers[:1_000], recorded)}")
    gc.unfreeze()
    gc.collect()
    return headline


def _rate(count: int, timing: Timing) -> str:
    return f"{count / timing.wall:,.0f} tickets/s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1,000 and 5,000 tickets (smoke)")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    sizes = (1_000, 5_000) if args.quick else (10_000, 100_000)
    print(f"SLA sweep benchmark; load average before: {load()} (2 cores shared)")
    data = histories(max(sizes))
    sweep([], NOW)  # imports numpy once, outside the timings
    headline = 0.0
    for count in sizes:
        headline = run(count, args.rounds, data[:count])
    print(f"\nload average after: {load()}")
    print(f"figure: sla_sweep_{max(sizes) // 1000}k = {headline:.2f} s (goal < 1 s)")


if __name__ == "__main__":
    main()
