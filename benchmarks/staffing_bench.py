"""Staffing plan: agents per 15-minute interval with Erlang C, side by side with pyworkforce.

The day: 96 quarter hours of a hotline in Asia/Shanghai, ``20 + 400 exp(-((i - 42) / 16)^2)``
calls a quarter (rounded to whole calls, as a forecast is usually given), 240 s handle time,
80 % answered within 20 s, 30 % shrinkage; the peak is about 107 erlangs. Scaling rows take the
first 24 quarter hours, the day, and a week of 672 (each weekday's volume scaled differently).
The "unrounded" rows keep the model's fractional calls plus ``i / 1000``, so no two intervals
repeat and every interval is searched (``staffing_plan`` shares one search between intervals
with the same calls and handle time). The first 24 quarter hours are the night, the hardest
case for ``staffing_plan`` (low traffic, where pyworkforce's per-interval work is smallest).

The peer is pyworkforce's ``ErlangC(...).required_positions(0.8)`` called once per interval on
the same input (transactions, AHT and answer time in minutes); it returns plain dicts, while
``staffing_plan`` also checks the forecasts and builds the plan's rows. Each round times both
on the same forecasts, alternating which goes first; the table shows medians of the rounds,
the first call in a new process (cold, median over as many processes as rounds) for the day,
and whether the agent counts agree. The
figure is the slower of the two 96-interval days (whole and unrounded calls).
pyworkforce rounds ``positions / (1 - shrinkage)`` in floats (21 / 0.7 = 30.000000000000004
gives 31); ``staffing_plan`` rounds exactly (30), so rostered counts may differ by one.
Times are CPU time of the process (``time.process_time``), both sides single-threaded.

    .venv/bin/python benchmarks/staffing_bench.py            # 9 rounds
    .venv/bin/python benchmarks/staffing_bench.py --quick    # 5 rounds
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from itsm_core.routing import IntervalForecast, ServiceTarget, erlang_c, staffing_plan

SHANGHAI = ZoneInfo("Asia/Shanghai")
QUARTER = dt.timedelta(minutes=15)
HANDLE_TIME = dt.timedelta(seconds=240)
TARGET = ServiceTarget(service_level=0.8, answer_within=dt.timedelta(seconds=20))
SHRINKAGE = 0.3
WEEK = (1.0, 0.96, 0.93, 0.95, 1.08, 0.55, 0.42)  # Monday to Sunday
# CPU seconds of this process: on a shared machine wall time mostly measures the wait for a core
clock = time.process_time


def forecasts(intervals: int, *, rounded: bool) -> list[IntervalForecast]:
    midnight = dt.datetime(2025, 9, 29, tzinfo=SHANGHAI)
    rows = []
    for i in range(intervals):
        calls = WEEK[i // 96 % 7] * (20 + 400 * math.exp(-((((i % 96) - 42) / 16) ** 2)))
        calls = round(calls) if rounded else calls + i / 1000
        rows.append(IntervalForecast(midnight + i * QUARTER, calls=calls, handle_time=HANDLE_TIME))
    return rows


def ours(rows: list[IntervalForecast]) -> list[tuple[int, int]]:
    plan = staffing_plan(rows, interval=QUARTER, target=TARGET, shrinkage=SHRINKAGE)
    return [(row.staffing.agents, row.staffing.scheduled) for row in plan.rows]


def pyworkforce(rows: list[IntervalForecast]) -> list[tuple[int, int]]:
    from pyworkforce.queuing import ErlangC

    minutes = QUARTER.total_seconds() / 60
    answer = TARGET.answer_within.total_seconds() / 60
    needed = []
    for row in rows:
        erlang = ErlangC(
            transactions=row.calls,
            aht=row.handle_time.total_seconds() / 60,
            asa=answer,
            interval=minutes,
            shrinkage=SHRINKAGE,
        )
        result = erlang.required_positions(service_level=TARGET.service_level)
        needed.append((result["raw_positions"], result["positions"]))
    return needed


def timed(run: Callable[[], Any]) -> tuple[float, Any]:
    began = clock()
    result = run()
    return clock() - began, result


def side_by_side(
    rows: list[IntervalForecast], rounds: int
) -> tuple[list[float], list[float], list[tuple[int, int]], list[tuple[int, int]]]:
    """Seconds per call of each side over ``rounds`` rounds, and what each side answered.

    A round times a batch of calls of each side (at least 20 ms of the faster one), ours first
    in even rounds and pyworkforce first in odd ones, so load on the machine hits both alike.
    """
    first, got_ours = timed(lambda: ours(rows))
    other, got_theirs = timed(lambda: pyworkforce(rows))
    batch = max(1, math.ceil(0.02 / min(first, other)))
    sides: list[tuple[Callable[[list[IntervalForecast]], Any], list[float]]] = [
        (ours, []),
        (pyworkforce, []),
    ]
    for n in range(rounds):
        for run, times in sides if n % 2 == 0 else sides[::-1]:
            began = clock()
            for _ in range(batch):
                run(rows)
            times.append((clock() - began) / batch)
    return sides[0][1], sides[1][1], got_ours, got_theirs


def first_calls() -> None:
    """Print the seconds of the first call of each side in this process (the day, whole calls)."""
    day = forecasts(96, rounded=True)
    print(timed(lambda: ours(day))[0], timed(lambda: pyworkforce(day))[0])


def cold_calls(rounds: int) -> tuple[float, float]:
    """Medians over ``rounds`` new processes of each side's first call."""
    command = [sys.executable, __file__, "--first-calls"]
    mine, theirs = [], []
    for _ in range(rounds):
        child = subprocess.run(command, check=True, capture_output=True, text=True)
        first, other = child.stdout.split()
        mine.append(float(first))
        theirs.append(float(other))
    return statistics.median(mine), statistics.median(theirs)


def bench_plans(rounds: int) -> float:
    print(f"staffing plan vs pyworkforce ErlangC, medians of {rounds} rounds (ms)")
    header = (
        f"{'intervals':>9} {'calls':<9} {'distinct':>8} {'ours':>8} {'pyworkforce':>11} "
        f"{'speed-up':>8} {'agents agree':>12} {'rostered agree':>14}"
    )
    print(header)
    print("-" * len(header))
    cold = cold_calls(rounds)
    headline = math.inf
    for rounded in (True, False):
        for intervals in (24, 96, 672):
            rows = forecasts(intervals, rounded=rounded)
            mine, theirs, got_ours, got_theirs = side_by_side(rows, rounds)
            ratio = statistics.median(theirs) / statistics.median(mine)
            agents = sum(a[0] == b[0] for a, b in zip(got_ours, got_theirs, strict=True))
            rostered = sum(a[1] == b[1] for a, b in zip(got_ours, got_theirs, strict=True))
            distinct = len({(row.calls, row.handle_time) for row in rows})
            print(
                f"{intervals:>9} {'whole' if rounded else 'unrounded':<9} {distinct:>8} "
                f"{statistics.median(mine) * 1e3:>8.2f} {statistics.median(theirs) * 1e3:>11.2f} "
                f"{ratio:>7.1f}x {f'{agents}/{intervals}':>12} {f'{rostered}/{intervals}':>14}"
            )
            if intervals == 96 and rounded:
                print(
                    f"{'':>9} {'cold':<9} {'':>8} {cold[0] * 1e3:>8.2f} {cold[1] * 1e3:>11.2f} "
                    f"{cold[1] / cold[0]:>7.1f}x   (first call of a new process)"
                )
            if intervals == 96:
                headline = min(headline, ratio)
    return headline


def bench_erlang_c(rounds: int) -> None:
    from pyworkforce.queuing import ErlangC

    print()
    print(f"Erlang C at large traffic, 2 % spare agents, medians of {rounds} rounds (ms)")
    header = (
        f"{'erlangs':>8} {'agents':>7} {'ours':>8} {'pyworkforce':>11} {'C ours':>8} {'C peer':>8}"
    )
    print(header)
    print("-" * len(header))
    for traffic in (100.0, 1_000.0, 10_000.0):
        agents = int(traffic * 1.02)
        peer = ErlangC(transactions=traffic, aht=1.0, asa=1.0, interval=1)
        mine = [timed(partial(erlang_c, agents, traffic)) for _ in range(rounds)]
        theirs = [timed(partial(peer.waiting_probability, agents)) for _ in range(rounds)]
        print(
            f"{traffic:>8,.0f} {agents:>7,} {statistics.median(t for t, _ in mine) * 1e3:>8.3f} "
            f"{statistics.median(t for t, _ in theirs) * 1e3:>11.3f} "
            f"{mine[0][1]:>8.4f} {theirs[0][1]:>8.4f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="5 rounds instead of 9")
    parser.add_argument("--first-calls", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    rounds = 5 if arguments.quick else 9
    try:
        import pyworkforce.queuing  # noqa: F401
    except ImportError:
        print("pyworkforce is not installed (pip install -e '.[dev]'): no peer to compare with")
        return
    if arguments.first_calls:
        first_calls()
        return
    headline = bench_plans(rounds)
    bench_erlang_c(rounds)
    print()
    print(f"figure: staffing_plan_96 = {headline:.1f} x pyworkforce (goal > 1x)")


if __name__ == "__main__":
    main()
