"""Benchmark: replay ticket events and decide ticket commands, against the goals of issue 19.

Run: ``.venv/bin/python benchmarks/tickets_bench.py`` (``--quick`` for a smoke run,
``--rounds N`` for more rounds, ``--baseline PATH`` to measure another checkout's ``src`` in the
same run, e.g. ``--baseline ../main/src``, its rounds interleaved with this tree's).

The scenario: incidents that live a typical life (open, classify, assign, acknowledge, comment,
hold on the customer, resume, resolve, reopen, resolve, close: 15 commands and 15 events).

* replay: the events of N/15 such tickets, folded stream by stream into their tickets
  (``replay(events)``), at N = 10,000 and 100,000 events;
* decide: N/15 such lives decided command by command from nothing (``decide``), each command
  with its own ``CommandContext`` (who, when), as a desk builds one per request.

Each row is the median of the rounds (wall clock, ``time.perf_counter``, and CPU time of the
process, ``time.process_time``); the machine's load average is printed first. The last lines
are the figures of the 100,000 rows, in CPU time. Nothing is asserted about speed; the results
are checked (every replayed ticket equals the decided one).

One more row, "decide, collector paused", is not a figure: the same lives decided with Python's
garbage collector paused (``gc.disable()`` around the timed loop, in this benchmark only; the
library never touches the collector), to show what the collector costs when every event is
kept.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import statistics
import subprocess
import sys
import time

from itsm_core.tickets import (
    Acknowledge,
    AddComment,
    Assign,
    Classify,
    Command,
    CommandContext,
    ConfirmResolution,
    Hold,
    HoldReason,
    OpenTicket,
    Reopen,
    Resolve,
    Resume,
    Ticket,
    TicketEvent,
    TicketKind,
    decide,
    replay,
)

T0 = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)

#: One incident life: 14 commands after the opening (15 events).
LIFE: list[tuple[str, Command]] = [
    ("agent", Classify(impact=2, urgency=2, priority=3)),
    ("agent", Assign(group="network", assignee="ana")),
    ("agent", Acknowledge()),
    ("agent", AddComment(text="looking into it")),
    ("agent", Hold(reason=HoldReason.AWAITING_CUSTOMER)),
    ("customer", AddComment(text="here is the log")),
    ("customer", Resume()),
    ("agent", AddComment(text="found it", internal=True)),
    ("agent", Resolve(code="fixed", note="restarted the service")),
    ("customer", Reopen(reason="it came back")),
    ("agent", AddComment(text="second look")),
    ("agent", Resolve(code="fixed", note="replaced the disk")),
    ("agent", AddComment(text="closing")),
    ("system", ConfirmResolution(note="auto-confirmed: no answer in 3 days", auto=True)),
]
PER_LIFE = len(LIFE) + 1

SIZES = (10_000, 100_000)
GOALS = {"replay": 200_000, "decide": 50_000}
UNITS = {"replay": "events", "decide": "commands"}
#: The comparison row: decide with the collector paused (not a figure).
PAUSED = "decide, collector paused"
MEASURES = ("replay", "decide", PAUSED)


def life(number: int) -> tuple[Ticket, list[TicketEvent]]:
    """Decide one incident's life; return the ticket and its events."""
    ctx = CommandContext(actor="agent-1", role="agent", now=T0)
    opening = OpenTicket(ticket_id=f"INC{number:07d}", kind=TicketKind.INCIDENT, requester="bob")
    ticket, events = decide(None, opening, ctx)
    trail = list(events)
    for step, (role, command) in enumerate(LIFE, start=1):
        ctx = CommandContext(actor=f"{role}-1", role=role, now=T0 + dt.timedelta(minutes=step))
        ticket, events = decide(ticket, command, ctx)
        trail.extend(events)
    return ticket, trail


Timings = dict[str, dict[str, list[list[float]]]]


def measure(sizes: tuple[int, ...], rounds: int) -> Timings:
    """``[wall seconds, CPU seconds]`` per round, by measure and size (a string, for JSON).

    Each round decides the lives, then replays their events; every replayed ticket must equal
    the decided one (checked outside the timings).
    """
    results: Timings = {name: {} for name in MEASURES}
    for size in sizes:
        count = size // PER_LIFE
        for _ in range(rounds):
            wall, cpu = time.perf_counter(), time.process_time()
            lives = [life(n) for n in range(count)]
            decided = time.perf_counter() - wall, time.process_time() - cpu
            wall, cpu = time.perf_counter(), time.process_time()
            tickets = [replay(events) for _, events in lives]
            replayed = time.perf_counter() - wall, time.process_time() - cpu
            assert tickets == [ticket for ticket, _ in lives], "replay must rebuild the tickets"
            del lives, tickets
            gc.collect()
            gc.disable()  # the comparison row only: the library never touches the collector
            try:
                wall, cpu = time.perf_counter(), time.process_time()
                lives = [life(n) for n in range(count)]
                paused = time.perf_counter() - wall, time.process_time() - cpu
            finally:
                gc.enable()
            del lives
            gc.collect()
            results["decide"].setdefault(str(size), []).append(list(decided))
            results["replay"].setdefault(str(size), []).append(list(replayed))
            results[PAUSED].setdefault(str(size), []).append(list(paused))
    return results


def baseline(src: str, sizes: tuple[int, ...], rounds: int) -> Timings:
    """The same measure, run by another checkout's ``src`` in a child process."""
    argv = [sys.executable, __file__, "--json", "--rounds", str(rounds)]
    argv += ["--sizes", *map(str, sizes)]
    env = {**os.environ, "PYTHONPATH": src}
    done = subprocess.run(argv, env=env, check=True, capture_output=True, text=True)
    result: Timings = json.loads(done.stdout)
    return result


def rate(size: int, timings: list[list[float]], column: int = 0) -> float:
    """Operations per second: the median of the rounds' wall (0) or CPU (1) seconds."""
    return (size // PER_LIFE) * PER_LIFE / statistics.median(t[column] for t in timings)


def load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10x smaller, 3 rounds")
    parser.add_argument("--rounds", type=int, default=5, help="rounds per row (median)")
    parser.add_argument("--baseline", metavar="SRC", help="another checkout's src, side by side")
    parser.add_argument("--sizes", type=int, nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = tuple(args.sizes or ((1_000, 10_000) if args.quick else SIZES))
    rounds = 3 if args.quick else args.rounds
    if args.json:
        print(json.dumps(measure(sizes, rounds)))
        return

    print(f"load average (1, 5, 15 min) before: {load()}; {os.cpu_count()} cores")
    ours: Timings = {name: {} for name in MEASURES}
    theirs: Timings = {name: {} for name in MEASURES}
    # One round at a time, each tree in turn, so that both see the same load.
    for _ in range(rounds):
        runs = [(ours, measure(sizes, 1))]
        if args.baseline:
            runs.append((theirs, baseline(args.baseline, sizes, 1)))
        for into, result in runs:
            for name, by_size in result.items():
                for size, timings in by_size.items():
                    into[name].setdefault(size, []).extend(timings)
    print(f"load average (1, 5, 15 min) after: {load()}")
    print(f"medians of {rounds} rounds, as operations a second of wall clock and of CPU time")
    print("(the CPU time of the process: on a shared machine, wall clock also counts the waits")
    print("for a core)")
    print()
    columns = ["measure", "size"]
    if args.baseline:
        columns += ["baseline wall", "baseline CPU"]
    columns += ["wall", "CPU"]
    if args.baseline:
        columns += ["speed-up (CPU)"]
    columns += ["goal", "met (wall / CPU)"]
    print("| " + " | ".join(columns) + " |")
    print("|" + "|".join("---:" if i > 1 else "---" for i in range(len(columns))) + "|")
    for name in MEASURES:
        unit = UNITS["decide" if name == PAUSED else name]
        goal = GOALS.get(name)
        for size in sizes:
            wall = rate(size, ours[name][str(size)])
            cpu = rate(size, ours[name][str(size)], 1)
            cells = [name, f"{size:,} {unit}"]
            if args.baseline:
                before = rate(size, theirs[name][str(size)], 1)
                cells += [f"{rate(size, theirs[name][str(size)]):,.0f}/s", f"{before:,.0f}/s"]
            cells += [f"{wall:,.0f}/s", f"{cpu:,.0f}/s"]
            if args.baseline:
                cells += [f"{cpu / before:.1f}x"]
            if goal is None:
                cells += ["(not a figure)", ""]
            else:
                met = "/".join("yes" if value >= goal else "no" for value in (wall, cpu))
                cells += [f">= {goal:,}/s", met]
            print("| " + " | ".join(cells) + " |")
    print()
    headline = str(max(sizes))
    for name in ("replay", "decide"):
        wall = rate(int(headline), ours[name][headline])
        cpu = rate(int(headline), ours[name][headline], 1)
        print(f"{name}: {wall:,.0f} {UNITS[name]}/s of wall clock")
        print(f"figure: {name} = {cpu:,.0f} {UNITS[name]}/s (goal >= {GOALS[name]:,})")


if __name__ == "__main__":
    main()
