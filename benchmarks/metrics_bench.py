"""Benchmark: ticket events folded into a KPI accumulator (events per second, peak memory).

The scenario is a desk of 20 teams over one quarter (90 days, daily periods in Asia/Shanghai),
the standard KPI set, grouped by team, ticket counts broken down by kind, channel, category and
priority. Its events are those of the tickets aggregate: a few hundred histories are made with
``decide`` (open, assign, acknowledge, comments, transfers, functional and hierarchical
escalations, holds, resolutions, reopens, cancellations, an auto-close three days after the
resolution), and each ticket replays one of them with its own team, opening time and pace
(durations to the second, all distinct). Tickets open through the quarter; their events come
in time order, interleaved as a desk records them.

Rows: 100,000 and 1,000,000 events over the same 90 days and 20 teams (the second desk opens
10x more tickets a day). For each row:

* fold: events pre-built, only ``add_all`` timed; the median (and range) of ``--rounds`` rounds
  (at least 5);
* report: ``report()`` on the folded accumulator, median of the same rounds;
* peak memory: ``tracemalloc`` peak of one fold plus its report (the pre-built events are not
  counted; the accumulator's counters, quantile stores, per-ticket records and the report are).

The last lines are the figures: the fold speed of the 1,000,000-event desk, and the ratio of the
peak memories of the two desks (flat: memory grows with days, groups and tickets in flight, not
with events).

Run: ``.venv/bin/python benchmarks/metrics_bench.py [--quick] [--rounds N] [--against DIR]``.
``--quick``: 10,000 and 100,000 events. ``--against DIR``: also measure the checkout at ``DIR``
(its ``src``, in a subprocess, same events, same rounds) and print both side by side.
"""

from __future__ import annotations

import argparse
import datetime as dt
import heapq
import json
import os
import random
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from copy import copy as copy_of
from pathlib import Path
from types import MappingProxyType

from itsm_core.errors import CommandRejected
from itsm_core.metrics import Dimension, Granularity, KpiAccumulator, PeriodGrid, ReportSpec
from itsm_core.tickets import (
    Acknowledge,
    AddComment,
    Assign,
    Cancel,
    Channel,
    Close,
    Command,
    CommandContext,
    Escalate,
    EscalationKind,
    Hold,
    HoldReason,
    OpenTicket,
    Reopen,
    Resolve,
    Resume,
    TicketEvent,
    TicketKind,
    Transfer,
    decide,
)

GOAL = 300_000
DAYS = 90
TEAMS = tuple(f"team{i:02d}" for i in range(20))
SPEC = ReportSpec(
    periods=PeriodGrid(Granularity.DAY, "Asia/Shanghai", dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
    group_by=(Dimension.GROUP,),
)
START = dt.datetime(2025, 12, 31, 16, tzinfo=dt.UTC)  # 2026-01-01 00:00 in Shanghai
SHAPES = 400
SEED = 2026


def _gap(rnd: random.Random, median_minutes: float, sigma: float = 1.0) -> float:
    """A log-normal gap in seconds."""
    return 60 * median_minutes * rnd.lognormvariate(0, sigma)


def _shape(k: int) -> list[TicketEvent]:
    """One ticket history made by ``decide`` (team placeholders ``G0``, ``G1``)."""
    rnd = random.Random(SEED * 1000 + k)
    kind = rnd.choices(
        (TicketKind.INCIDENT, TicketKind.SERVICE_REQUEST, TicketKind.COMPLAINT), (80, 15, 5)
    )[0]
    opened = OpenTicket(
        ticket_id="T",
        kind=kind,
        requester="customer",
        channel=rnd.choice((Channel.PHONE, Channel.EMAIL, Channel.WEB, Channel.CHAT)),
        category=f"cat{rnd.randrange(12)}",
        priority=rnd.choices((1, 2, 3, 4), (5, 15, 50, 30))[0],
        workflow="incident",  # one workflow for every kind, to keep the shapes simple
    )
    steps: list[tuple[float, Command, str]] = [
        (_gap(rnd, 3), Assign(group="G0"), "agent"),
        (_gap(rnd, 20), Acknowledge(), "agent"),
    ]
    for _ in range(rnd.choice((0, 1, 1, 2, 2, 3, 4))):
        customer = rnd.random() < 0.3
        text = "any news?" if customer else "looking into it"
        steps.append(
            (
                _gap(rnd, 45),
                AddComment(text=text, internal=rnd.random() < 0.3 and not customer),
                "customer" if customer else "agent",
            )
        )
    if rnd.random() < 0.2:
        steps.append((_gap(rnd, 60), Transfer(group="G1", reason="skills"), "agent"))
    if rnd.random() < 0.08:
        steps.append(
            (_gap(rnd, 30), Escalate(kind=EscalationKind.FUNCTIONAL, reason="L2"), "agent")
        )
    if rnd.random() < 0.03:
        command = Escalate(kind=EscalationKind.HIERARCHICAL, reason="VIP")
        steps.append((_gap(rnd, 30), command, "supervisor"))
    if rnd.random() < 0.04:
        steps.append((_gap(rnd, 60), Cancel(reason="duplicate"), "agent"))
    else:
        if rnd.random() < 0.15:
            steps += [
                (_gap(rnd, 30), Hold(reason=HoldReason.AWAITING_CUSTOMER), "agent"),
                (_gap(rnd, 600), Resume(), "agent"),
            ]
        steps.append((_gap(rnd, 240, 1.3), Resolve(code="fixed", note="done"), "agent"))
        if rnd.random() < 0.06:
            steps += [
                (_gap(rnd, 1440), Reopen(reason="not fixed"), "customer"),
                (_gap(rnd, 240), Resolve(code="fixed", note="done again"), "agent"),
            ]
        steps.append((3 * 86400.0, Close(), "agent"))
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    ticket, events = decide(None, opened, CommandContext(actor="desk", role="agent", now=now))
    out = list(events)
    for gap, step, role in steps:
        now += dt.timedelta(seconds=round(gap))
        context = CommandContext(actor=role, role=role, now=now)
        try:
            ticket, events = decide(ticket, step, context)
        except CommandRejected as refused:
            raise AssertionError(f"shape {k}: {refused}") from refused
        out.extend(events)
    return out


def _shapes() -> list[tuple[list[TicketEvent], list[float]]]:
    """The histories and each event's offset from the opening, in seconds."""
    out = []
    for k in range(SHAPES):
        history = _shape(k)
        opened = history[0].at
        out.append((history, [(e.at - opened).total_seconds() for e in history]))
    return out


def _replayed(
    shape: tuple[list[TicketEvent], list[float]], ticket: str, opened: dt.datetime, i: int
) -> list[TicketEvent]:
    """``shape`` as ticket ``ticket``: its own teams, opening time and pace.

    Each event is a copy of the checked template event with its ticket id, time and payload
    replaced by values of the same types (aware times, team names): building a million events
    through the checking constructor would take most of the run.
    """
    history, offsets = shape
    rnd = random.Random(i)
    pace = 0.5 + 1.5 * rnd.random()
    teams = {"G0": TEAMS[i % len(TEAMS)], "G1": TEAMS[(i * 7 + 3) % len(TEAMS)]}
    out = []
    for event, offset in zip(history, offsets, strict=True):
        # The auto-close comes three days after the resolution, whatever the pace.
        last = offsets[-2] if event.name == "close" else offset
        at = opened + dt.timedelta(seconds=round(last * pace) + (offset - last))
        payload = {
            key: at
            if isinstance(value, dt.datetime)
            else teams.get(value, value)
            if isinstance(value, str)
            else value
            for key, value in event.payload.items()
        }
        copy = copy_of(event)
        object.__setattr__(copy, "ticket_id", ticket)
        object.__setattr__(copy, "at", at)
        object.__setattr__(copy, "payload", MappingProxyType(payload))
        out.append(copy)
    return out


def events(
    count: int, shapes: list[tuple[list[TicketEvent], list[float]]]
) -> Iterator[TicketEvent]:
    """``count`` events of tickets opening evenly through the quarter, in time order."""
    mean = statistics.fmean(len(history) for history, _ in shapes)
    tickets = round(1.02 * count / mean)  # a few more: the last ones are still in flight
    spacing = DAYS * 86400 / tickets
    pending: list[tuple[dt.datetime, int, int, list[TicketEvent]]] = []
    produced = i = 0
    picker = random.Random(SEED)
    while produced < count:
        opening = START + dt.timedelta(seconds=round(i * spacing))
        if i < tickets and (not pending or opening <= pending[0][0]):
            history = _replayed(picker.choice(shapes), f"INC{i:07d}", opening, i)
            heapq.heappush(pending, (history[0].at, i, 0, history))
            i += 1
            continue
        if not pending:
            break
        _, ticket, k, history = heapq.heappop(pending)
        yield history[k]
        produced += 1
        if k + 1 < len(history):
            heapq.heappush(pending, (history[k + 1].at, ticket, k + 1, history))


def measure(sizes: list[int], rounds: int) -> list[dict[str, float]]:
    """Each size: fold and report medians over ``rounds``, and the traced peak."""
    shapes = _shapes()
    rows = []
    for size in sizes:
        stream = list(events(size, shapes))
        folds, reports = [], []
        for _ in range(rounds):
            accumulator = KpiAccumulator(SPEC)
            began = time.perf_counter()
            accumulator.add_all(stream)
            folds.append(time.perf_counter() - began)
            began = time.perf_counter()
            report = accumulator.report()
            reports.append(time.perf_counter() - began)
            del accumulator
        tracemalloc.start()
        KpiAccumulator(SPEC).add_all(stream).report()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rows.append(
            {
                "events": len(stream),
                "tickets": report.diagnostics.tickets,
                "in_flight": report.diagnostics.in_flight,
                "fold": statistics.median(folds),
                "fastest": min(folds),
                "slowest": max(folds),
                "report": statistics.median(reports),
                "peak": peak,
            }
        )
        del stream, report
    return rows


def _other(checkout: str, sizes: list[int], rounds: int) -> list[dict[str, float]]:
    """The same measure, run on the ``src`` of another checkout in a subprocess."""
    env = {**os.environ, "PYTHONPATH": str(Path(checkout, "src").resolve())}
    args = ["--rounds", str(rounds), "--sizes", ",".join(map(str, sizes)), "--json"]
    done = subprocess.run(
        [sys.executable, __file__, *args], env=env, check=True, capture_output=True, text=True
    )
    rows: list[dict[str, float]] = json.loads(done.stdout)
    return rows


def _print(label: str, rows: list[dict[str, float]]) -> None:
    for row in rows:
        rate = row["events"] / row["fold"]
        print(
            f"| {label} | {row['events']:,.0f} | {row['tickets']:,.0f} | {row['in_flight']:,.0f} "
            f"| {rate:,.0f} | {row['events'] / row['slowest']:,.0f}-"
            f"{row['events'] / row['fastest']:,.0f} | {row['report']:.2f} "
            f"| {row['peak'] / 2**20:.1f} | >= {GOAL:,} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 and 100,000 events")
    parser.add_argument("--rounds", type=int, default=5, help="rounds per row (at least 5)")
    parser.add_argument("--against", help="another checkout to measure side by side")
    parser.add_argument("--sizes", help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    sizes = [10_000, 100_000] if options.quick else [100_000, 1_000_000]
    if options.sizes:
        sizes = [int(size) for size in options.sizes.split(",")]
    rounds = max(options.rounds, 1 if options.json else 5)
    if options.json:
        print(json.dumps(measure(sizes, rounds)))
        return
    print(f"uptime: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} (load, 1 and 5 min)")
    print(
        f"KPI fold: {len(SPEC.kpis)} standard KPIs, {len(TEAMS)} teams, daily periods over "
        f"{DAYS} days, medians of {rounds} rounds\n"
    )
    print(
        "| code | events | tickets | in flight at the end | fold events/s | range "
        "| report s | peak MiB | goal |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    if options.against:
        _print(options.against, _other(options.against, sizes, rounds))
    rows = measure(sizes, rounds)
    _print("this checkout", rows)
    headline = rows[-1]
    ratio = headline["peak"] / rows[0]["peak"]
    growth = headline["events"] / rows[0]["events"]
    print(f"\npeak memory: {ratio:.2f}x for {growth:.0f}x the events over the same days and teams")
    speed = headline["events"] / headline["fold"]
    print(f"figure: kpi_fold = {speed:,.0f} events/s (goal >= 300,000)")
    print(f"figure: kpi_peak_memory_10x = {ratio:.2f} x (goal flat, ~1x)")


if __name__ == "__main__":
    main()
