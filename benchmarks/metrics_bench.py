"""Benchmark: ticket events folded into a KPI accumulator (events per second, peak memory).

The scenario is a desk of 20 teams over one quarter (90 days, daily periods in Asia/Shanghai),
the standard KPI set, grouped by team, ticket counts broken down by kind, channel, category and
priority. Its events are those of the tickets aggregate: 400 histories are made with ``decide``
(open, assign, acknowledge, agent and customer comments, transfers, functional and hierarchical
escalations, holds, resolutions, reopens, cancellations, an auto-confirmation (closing) three
days after the resolution; about 7.5 events a ticket) and each ticket replays one of them with
its own team, opening time and pace (durations to the second, all distinct). Tickets open
evenly through the quarter; their events come in time order, each built when its turn comes, as
a reader of a live feed would deliver them.

Rows: 100,000 and 1,000,000 events over the same 90 days and 20 teams (the second desk opens
10x more tickets a day). For each row:

* fold: events pre-built, only ``add_all`` timed; the median (and range) of ``--rounds`` rounds
  (at least 5), in wall-clock time and in CPU time of the process (the machine is shared: the
  CPU rate is what an idle machine would show);
* report: ``report()`` on the folded accumulator, median of the same rounds;
* memory: ``tracemalloc`` after one fold and at the peak of the fold plus its report (the
  pre-built events are not counted; counters, quantile stores, per-ticket records and the report
  are).

The last lines are the figures: the fold speed of the 1,000,000-event desk (wall clock), and the
ratio of the peak memories of the two desks.

Run: ``.venv/bin/python benchmarks/metrics_bench.py [--quick] [--rounds N] [--against DIR]``.
``--quick``: 10,000 and 100,000 events. ``--against DIR``: also measure the checkout at ``DIR``
(its ``src``, in a subprocess, same events, same rounds), row by row before this checkout's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
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
from itsm_core.metrics import (
    EXACT_LIMIT,
    Dimension,
    Granularity,
    KpiAccumulator,
    PeriodGrid,
    ReportSpec,
)
from itsm_core.tickets import (
    Acknowledge,
    AddComment,
    Assign,
    Cancel,
    Channel,
    Command,
    CommandContext,
    ConfirmResolution,
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

#: The auto-close of resolved tickets the customer did not answer, three days on: an explicit
#: auto-confirmation (a ticket closes only once the customer confirms, or by such a policy).
AUTO_CONFIRMED = ConfirmResolution(note="auto-confirmed: no answer in 3 days", auto=True)


def _gap(rnd: random.Random, median_minutes: float, sigma: float = 1.0) -> float:
    """A log-normal gap in seconds."""
    return 60 * median_minutes * rnd.lognormvariate(0, sigma)


#: The notes of a talkative ticket, in turn: a customer's comment, an agent's work note (neither
#: is a first response, so no KPI of the ticket changes).
NOTES = (
    ("customer", AddComment(text="any news? here is more detail")),
    ("agent", AddComment(text="checked the logs again", internal=True)),
)


def _shape(k: int, factor: int = 1) -> list[TicketEvent]:
    """One ticket history made by ``decide`` (team placeholders ``G0``, ``G1``).

    With ``factor`` above 1 the ticket is talkative: the same steps at the same times, and
    between them notes (customer comments, work notes), so that it has ``factor`` times the
    events with the same figures.
    """
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
        steps.append((3 * 86400.0, AUTO_CONFIRMED, "system"))
    extra = (factor - 1) * (1 + len(steps))  # notes spread over the gaps before the steps
    notes = [extra // len(steps) + (i < extra % len(steps)) for i in range(len(steps))]
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    ticket, events = decide(None, opened, CommandContext(actor="desk", role="agent", now=now))
    out = list(events)
    written = 0
    for (gap, step, role), count in zip(steps, notes, strict=True):
        seconds = round(gap)
        talk = [
            (seconds * j // (count + 1), *NOTES[(written + j) % len(NOTES)])
            for j in range(1, count + 1)
        ]
        written += count
        for offset, who, command in [*talk, (seconds, role, step)]:
            context = CommandContext(actor=who, role=who, now=now + dt.timedelta(seconds=offset))
            try:
                ticket, events = decide(ticket, command, context)
            except CommandRejected as refused:
                raise AssertionError(f"shape {k}: {refused}") from refused
            out.extend(events)
        now += dt.timedelta(seconds=seconds)
    return out


Shape = tuple[list[TicketEvent], list[float]]


def _shapes(factor: int = 1) -> list[Shape]:
    """The histories and each event's offset from the opening, in seconds."""
    out = []
    for k in range(SHAPES):
        history = _shape(k, factor)
        opened = history[0].at
        out.append((history, [(e.at - opened).total_seconds() for e in history]))
    return out


class _Replay:
    """A shape replayed as one ticket: its own id, teams, opening time and pace."""

    def __init__(self, shape: Shape, ticket: str, opened: dt.datetime, i: int) -> None:
        self.history, offsets = shape
        self.ticket = ticket
        self.teams = {"G0": TEAMS[i % len(TEAMS)], "G1": TEAMS[(i * 7 + 3) % len(TEAMS)]}
        pace = 0.5 + 1.5 * random.Random(i).random()
        # The auto-close comes three days after the last resolution, whatever the pace: what
        # follows that resolution keeps its own offsets from it.
        last = max((j for j, e in enumerate(self.history) if e.name == "resolve"), default=None)
        resolved = offsets[-1] if last is None else offsets[last]
        self.times = [
            opened
            + dt.timedelta(
                seconds=round(resolved * pace) + offset - resolved
                if last is not None and j > last
                else round(offset * pace)
            )
            for j, offset in enumerate(offsets)
        ]

    def event(self, k: int) -> TicketEvent:
        """The k-th event: a copy of the checked template event with its ticket id, time and
        payload replaced by values of the same types (aware times, team names). Building a
        million events through the checking constructor would take most of the run."""
        template, at = self.history[k], self.times[k]
        payload = {
            key: at
            if isinstance(value, dt.datetime)
            else self.teams.get(value, value)
            if isinstance(value, str)
            else value
            for key, value in template.payload.items()
        }
        event = copy_of(template)
        object.__setattr__(event, "ticket_id", self.ticket)
        object.__setattr__(event, "at", at)
        object.__setattr__(event, "payload", MappingProxyType(payload))
        return event


def events(count: int, shapes: list[Shape], factor: int = 1) -> Iterator[TicketEvent]:
    """``count`` events of tickets opening evenly through the quarter, in time order (each
    event is built when its turn comes, as a reader of a live feed would). The shapes have
    ``factor`` times the events of the plain ones: the desk has the tickets of ``count /
    factor`` plain events."""
    mean = statistics.fmean(len(history) for history, _ in shapes) / factor
    tickets = round(1.02 * count / factor / mean)  # a few more: the last are still in flight
    spacing = DAYS * 86400 / tickets
    pending: list[tuple[dt.datetime, int, int, _Replay]] = []
    produced = i = 0
    picker = random.Random(SEED)
    while produced < count:
        opening = START + dt.timedelta(seconds=round(i * spacing))
        if i < tickets and (not pending or opening <= pending[0][0]):
            replay = _Replay(picker.choice(shapes), f"INC{i:07d}", opening, i)
            heapq.heappush(pending, (replay.times[0], i, 0, replay))
            i += 1
            continue
        if not pending:
            break
        _, ticket, k, replay = heapq.heappop(pending)
        yield replay.event(k)
        produced += 1
        if k + 1 < len(replay.times):
            heapq.heappush(pending, (replay.times[k + 1], ticket, k + 1, replay))


def measure(size: int, rounds: int, factor: int = 1) -> dict[str, float]:
    """Fold and report medians over ``rounds`` (wall and CPU time), and the traced memory, for
    ``size`` events of tickets with ``factor`` times the plain events each."""
    stream = list(events(size, _shapes(factor), factor))
    folds, cpu, reports = [], [], []
    for _ in range(rounds):
        gc.collect()
        accumulator = KpiAccumulator(SPEC)
        began, began_cpu = time.perf_counter(), time.process_time()
        accumulator.add_all(stream)
        folds.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
        began = time.perf_counter()
        report = accumulator.report()
        reports.append(time.perf_counter() - began)
        del accumulator
    gc.collect()
    tracemalloc.start()
    accumulator = KpiAccumulator(SPEC).add_all(stream)
    folded, _ = tracemalloc.get_traced_memory()
    accumulator.report()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "events": len(stream),
        "tickets": report.diagnostics.tickets,
        "in_flight": report.diagnostics.in_flight,
        "fold": statistics.median(folds),
        "fastest": min(folds),
        "slowest": max(folds),
        "cpu": statistics.median(cpu),
        "report": statistics.median(reports),
        "folded": folded,
        "peak": peak,
    }


def _other(checkout: str, size: int, rounds: int, factor: int) -> dict[str, float]:
    """The same measure, run on the ``src`` of another checkout in a subprocess."""
    env = {**os.environ, "PYTHONPATH": str(Path(checkout, "src").resolve())}
    args = ["--rounds", str(rounds), "--size", str(size), "--factor", str(factor), "--json"]
    done = subprocess.run(
        [sys.executable, __file__, *args], env=env, check=True, capture_output=True, text=True
    )
    row: dict[str, float] = json.loads(done.stdout)
    return row


def _print(code: str, desk: str, row: dict[str, float]) -> None:
    events = row["events"]
    print(
        f"| {code} | {desk} | {events:,.0f} | {row['tickets']:,.0f} | {row['in_flight']:,.0f} "
        f"| {events / row['fold']:,.0f} ({events / row['slowest']:,.0f}-"
        f"{events / row['fastest']:,.0f}) | {events / row['cpu']:,.0f} | {row['report']:.2f} "
        f"| {row['folded'] / 2**20:.1f} | {row['peak'] / 2**20:.1f} | >= {GOAL:,} |",
        flush=True,
    )


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} CPUs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 and 100,000 events")
    parser.add_argument("--rounds", type=int, default=5, help="rounds per row (at least 5)")
    parser.add_argument("--against", help="another checkout to measure side by side")
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--factor", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    rounds = max(options.rounds, 5)
    if options.json:
        print(json.dumps(measure(options.size, rounds, options.factor)))
        return
    base = 10_000 if options.quick else 100_000
    desks = {
        "plain": ("the desk", base, 1),
        "talkative": ("10x the events: the same tickets, each with 10x the events", 10 * base, 10),
        "busier": ("10x the events: 10x the tickets, as many events each", 10 * base, 1),
    }
    print(f"before: {_load()}")
    print(
        f"KPI fold: {len(SPEC.kpis)} standard KPIs, {len(TEAMS)} teams, daily periods over "
        f"{DAYS} days; medians of {rounds} rounds (range in brackets)\n"
    )
    print(
        "| code | desk | events | tickets | in flight at the end | fold events/s (wall) | fold "
        "events per CPU-second | report s | memory after the fold MiB | peak MiB (fold + "
        "report) | goal |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    rows = {}
    for name, (desk, size, factor) in desks.items():
        if options.against:
            _print(options.against, desk, _other(options.against, size, rounds, factor))
        rows[name] = measure(size, rounds, factor)
        _print("this checkout", desk, rows[name])
    print(f"\nafter: {_load()}")
    plain, talkative, busier = rows["plain"], rows["talkative"], rows["busier"]
    ratio = talkative["peak"] / plain["peak"]
    print(
        f"peak memory, 10x the events of the same tickets over the same days and teams: "
        f"{ratio:.2f}x ({talkative['in_flight'] / max(plain['in_flight'], 1):.2f}x in flight "
        f"at the end)"
    )
    print(
        f"peak memory, 10x the tickets over the same days and teams: "
        f"{busier['peak'] / plain['peak']:.2f}x (not flat: the tickets in flight, "
        f"{busier['in_flight'] / max(plain['in_flight'], 1):.0f}x, and the durations kept "
        f"exactly, at most {EXACT_LIMIT:,} per period, team and KPI, grow with the tickets)"
    )
    for name, row in (("talkative", talkative), ("busier", busier)):
        wall = row["events"] / row["fold"]
        print(f"kpi_fold ({name} desk): {wall:,.0f} events/s of wall clock")
    speed = busier["events"] / busier["cpu"]
    print(f"figure: kpi_fold = {speed:,.0f} events/s (goal >= 300,000)")
    print(f"figure: kpi_peak_memory_10x = {ratio:.2f} x (goal flat, ~1x)")


if __name__ == "__main__":
    main()
