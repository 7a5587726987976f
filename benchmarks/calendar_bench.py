"""Business-time arithmetic: itsm_core.calendar against its peers, one table per figure.

The figures of issue 19, each a table with the peer or the goal side by side in the same run,
ending with a line ``figure: <name> = <value> <unit> (goal <goal>)``:

* ``add`` and ``elapsed``, warm, on the goal's scenario (``split``: Asia/Shanghai, 09:00-12:00
  and 13:00-18:00 Mon-Fri, holidays), by span from 1 day to 5 years (the deadline, or the end,
  that far after the start); goal <= 2 us each at any span, so the figure is the slowest span.
  Peers: businesstimedelta (the same calendar) and pandas ``CustomBusinessHour`` (whole hours).
* ``speed-up vs businesstime``: ``elapsed`` on businesstime's only shape (``single``, 09:00-17:00
  Mon-Fri with holidays; businesstime gets the naive datetimes it needs), by span; goal >= 15x
  at every span from 1 day up, so the figure is the 1-day span, the hardest.
* ``first use``, cold: a new calendar value each round and its first ``add``, by span; goal
  < 1 ms for a deadline a day later. The peers' first call too.

Before them, the yardsticks: answers against the peers by scenario (the same random cases; how
many of their answers disagree with ours and why: the boundary convention, where a deadline
lands when the budget ends exactly at a closing time, an error raised, or a wrong answer named
after the scenario that triggers it); the bulk forms against numpy's day-level hybrid
(``busday_count`` / ``busday_offset`` plus clipped windows); ``add_working_days`` against numpy
``busday_offset``, workalendar and the day-by-day walk it replaced, which the tests keep as
their reference (``stepping_add_working_days`` in tests/calendar/test_calendar_properties.py).

Timing: medians over interleaved rounds (25 in a full run, 5 in a quick one), each round timing
every library in turn on a batch of the same random cases, so that a burst of load on a shared
machine falls on all of them alike. Warm tables run each batch once untimed before timing it
(caches warm, as repeated ``timeit`` runs are), with the garbage collector off while timing (as
``timeit`` does). Microseconds grow with the machine's load (printed with each table); ratios
between libraries timed in the same rounds much less.

Scenarios: ``single`` Mon-Fri 09:00-17:00; ``split`` Mon-Fri 09:00-12:00 and 13:00-18:00;
``overnight`` Mon-Fri 22:00-06:00; ``dst`` America/New_York every day 00:00-05:00 (the clock
changes fall inside working time); ``reversed`` elapsed with the end before the start. The first
three are in Asia/Shanghai with a few holidays.

    .venv/bin/python benchmarks/calendar_bench.py            # full run, about ten minutes
    .venv/bin/python benchmarks/calendar_bench.py --quick    # smoke run, under a minute
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import importlib.util
import os
import random
import statistics
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

import numpy as np

from itsm_core.calendar import BusinessCalendar

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")
HOLIDAYS = [
    dt.date(2024, 1, 1), *[dt.date(2024, 5, d) for d in range(1, 4)],
    *[dt.date(2024, 10, d) for d in range(1, 8)], dt.date(2025, 1, 1),
    *[dt.date(2025, 5, d) for d in range(1, 6)], *[dt.date(2025, 10, d) for d in range(1, 9)],
    dt.date(2026, 1, 1), dt.date(2026, 10, 1), dt.date(2027, 1, 1), dt.date(2028, 1, 1),
]  # fmt: skip
ALL_DAYS = (*WEEKDAYS, "saturday", "sunday")
SHANGHAI_KEY = "Asia/Shanghai"
SCENARIOS: dict[str, dict[str, Any]] = {
    "single": {"zone": SHANGHAI_KEY, "windows": [("09:00", "17:00")], "days": WEEKDAYS},
    "split": {
        "zone": SHANGHAI_KEY,
        "windows": [("09:00", "12:00"), ("13:00", "18:00")],
        "days": WEEKDAYS,
    },
    "overnight": {"zone": SHANGHAI_KEY, "windows": [("22:00", "30:00")], "days": WEEKDAYS},
    "dst": {"zone": "America/New_York", "windows": [("00:00", "05:00")], "days": ALL_DAYS},
}


def ours(name: str) -> BusinessCalendar:
    spec = SCENARIOS[name]
    return BusinessCalendar.from_dict(
        {
            "name": name,
            "timezone": spec["zone"],
            "weekly": {day: [list(w) for w in spec["windows"]] for day in spec["days"]},
            "holidays": [] if name == "dst" else [d.isoformat() for d in HOLIDAYS],
        }
    )


def _time(text: str) -> dt.time:
    hours, minutes = map(int, text.split(":"))
    return dt.time(hours % 24, minutes)


# -- the peers (imported only here: the package never imports them) ---------------------------


def pandas_add(name: str) -> Callable[[Any, int], Any] | None:
    import pandas as pd

    spec = SCENARIOS[name]
    offset = pd.offsets.CustomBusinessHour(
        start=[_time(a).strftime("%H:%M") for a, _ in spec["windows"]],
        end=[_time(b).strftime("%H:%M") for _, b in spec["windows"]],
        weekmask=" ".join(d[:3].capitalize() for d in spec["days"]),
        holidays=[] if name == "dst" else HOLIDAYS,
    )

    def add(start: Any, hours: int) -> Any:
        return start + hours * offset

    return add


def pandas_input(name: str, start: dt.datetime) -> Any:
    import pandas as pd

    if name == "dst":
        return pd.Timestamp(start)
    return pd.Timestamp(start.replace(tzinfo=None))


def btd_rules(name: str) -> Any:
    import businesstimedelta as btd
    import pytz

    spec = SCENARIOS[name]
    tz = pytz.timezone(spec["zone"])
    days = [
        WEEKDAYS.index(d) if d in WEEKDAYS else 5 + ("saturday", "sunday").index(d)
        for d in spec["days"]
    ]
    first, last = spec["windows"][0][0], spec["windows"][-1][1]
    rules: list[Any] = [
        btd.WorkDayRule(start_time=_time(first), end_time=_time(last), working_days=days, tz=tz)
    ]
    for (_, gap_start), (gap_end, _) in zip(spec["windows"], spec["windows"][1:], strict=False):
        rules.append(
            btd.LunchTimeRule(
                start_time=_time(gap_start), end_time=_time(gap_end), working_days=days, tz=tz
            )
        )
    if name != "dst":
        # businesstimedelta's HolidayRule fails (TypeError) when it finds no holiday within five
        # years: pad the list with a Saturday a year, which changes nothing on Mon-Fri rules.
        padding = [dt.date(year, 1, 1 + (5 - dt.date(year, 1, 1).weekday()) % 7)
                   for year in range(2020, 2100)]  # fmt: skip
        rules.append(btd.HolidayRule([*HOLIDAYS, *padding], tz=tz))
    return btd.Rules(rules)


def btd_add(name: str) -> Callable[[dt.datetime, dt.timedelta], dt.datetime]:
    import businesstimedelta as btd

    rules = btd_rules(name)

    def add(start: dt.datetime, duration: dt.timedelta) -> dt.datetime:
        if duration >= dt.timedelta():
            return start + btd.BusinessTimeDelta(rules, timedelta=duration)  # type: ignore[no-any-return]
        return start - btd.BusinessTimeDelta(rules, timedelta=-duration)  # type: ignore[no-any-return]

    return add


def btd_elapsed(name: str) -> Callable[[dt.datetime, dt.datetime], dt.timedelta]:
    rules = btd_rules(name)

    def elapsed(a: dt.datetime, b: dt.datetime) -> dt.timedelta:
        return rules.difference(a, b).timedelta  # type: ignore[no-any-return]

    return elapsed


def businesstime_elapsed(name: str) -> Callable[[dt.datetime, dt.datetime], dt.timedelta]:
    from businesstime import BusinessTime

    spec = SCENARIOS[name]
    ((start, end),) = spec["windows"]
    calendar = BusinessTime(
        business_hours=(_time(start), _time(end)), weekends=(5, 6), holidays=HOLIDAYS
    )

    def elapsed(a: dt.datetime, b: dt.datetime) -> dt.timedelta:
        return calendar.businesstime_hours(a.replace(tzinfo=None), b.replace(tzinfo=None))  # type: ignore[no-any-return]

    return elapsed


# -- cases -------------------------------------------------------------------------------------


def random_instants(rng: random.Random, name: str, count: int) -> list[dt.datetime]:
    zone = ZoneInfo(SCENARIOS[name]["zone"])
    base = dt.datetime(2024, 1, 1)
    out = []
    for _ in range(count):
        minutes = rng.randrange(0, 540 * 24 * 60)
        if name == "dst" and rng.random() < 0.5:  # half of them on the nights the clocks change
            night = rng.choice(
                [dt.datetime(2024, 3, 10), dt.datetime(2024, 11, 3), dt.datetime(2025, 3, 9)]
            )
            local = night + dt.timedelta(minutes=rng.randrange(-24 * 60, 24 * 60))
        else:
            local = base + dt.timedelta(minutes=minutes)
        out.append(local.replace(tzinfo=zone))
    return out


def timed(fn: Callable[..., Any], args: list[tuple[Any, ...]]) -> tuple[list[Any], list[float]]:
    results, costs = [], []
    clock = time.perf_counter_ns
    for row in args:
        t0 = clock()
        try:
            result = fn(*row)
        except Exception as error:  # peers' failures are counted, not fatal
            result = error
        costs.append((clock() - t0) / 1000)
        results.append(result)
    return results, costs


def percentiles(costs: list[float]) -> tuple[float, float]:
    ordered = sorted(costs)
    return statistics.median(ordered), ordered[int(0.9 * (len(ordered) - 1))]


BUG_OF = {
    "overnight": "overnight",
    "dst": "daylight saving",
    "reversed": "reversed range",
    "single": "after hours (businesstime#26)",
    "split": "other",
}


def _utc(value: Any, zone: ZoneInfo) -> dt.datetime:
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(dt.UTC)  # type: ignore[no-any-return]


def classify_add(
    cal: BusinessCalendar, name: str, mine: list[dt.datetime], theirs: list[Any]
) -> Counter[str]:
    zone = ZoneInfo(SCENARIOS[name]["zone"])
    verdicts: Counter[str] = Counter()
    for ours_t, their_t in zip(mine, theirs, strict=True):
        if isinstance(their_t, Exception):
            verdicts["error " + type(their_t).__name__] += 1
            continue
        a, b = _utc(ours_t, zone), _utc(their_t, zone)
        if a == b:
            verdicts["agree"] += 1
        elif cal.elapsed(a, b) == dt.timedelta():
            verdicts["boundary convention"] += 1
        else:
            verdicts["wrong: " + BUG_OF[name]] += 1
    return verdicts


def classify_elapsed(name: str, mine: list[dt.timedelta], theirs: list[Any]) -> Counter[str]:
    verdicts: Counter[str] = Counter()
    for ours_d, their_d in zip(mine, theirs, strict=True):
        if isinstance(their_d, Exception):
            verdicts["error " + type(their_d).__name__] += 1
        elif abs(ours_d - their_d) < dt.timedelta(seconds=1):
            verdicts["agree"] += 1
        else:
            verdicts["wrong: " + BUG_OF[name]] += 1
    return verdicts


# -- timing ------------------------------------------------------------------------------------

Case = tuple[Any, ...]


def per_op(fn: Callable[..., Any], batch: list[Case]) -> float:
    """Microseconds per call of ``fn`` over one batch of cases, the garbage collector off (as
    ``timeit`` does: a collection triggered by another library's garbage would land on
    whichever library is timed next)."""
    clock = time.perf_counter_ns
    gc.disable()
    try:
        t0 = clock()
        for case in batch:
            fn(*case)
        return (clock() - t0) / 1000 / len(batch)
    finally:
        gc.enable()


def calibrated_batch(fn: Callable[..., Any], cases: list[Case], budget_ms: float) -> int:
    """How many cases of ``fn`` fit in about ``budget_ms`` (1 to 200); warms ``fn`` up."""
    cost = per_op(fn, cases[:1])
    if cost < budget_ms * 1000 / 3:
        cost = per_op(fn, cases[:3])
    return max(1, min(200, len(cases), int(budget_ms * 1000 / max(cost, 0.01))))


class Timed(NamedTuple):
    """A function to time, its cases, about how long one batch of them may take, and whether
    each batch runs once untimed first (caches warm, as in repeated ``timeit`` runs; not for
    calls of seconds)."""

    fn: Callable[..., Any]
    cases: list[Case]
    budget_ms: float
    warm: bool = True


def rounds_of(entries: dict[str, Timed], rounds: int) -> dict[str, list[float]]:
    """Microseconds per call of each function in each of ``rounds`` interleaved rounds.

    Each round times every function in turn on a batch of its cases (the same random cases,
    as each library takes them; a slow peer gets a smaller batch, sized to about its budget),
    so that a burst of load on the shared machine falls on all of them alike; medians over
    rounds then discard such bursts.
    """
    sizes = {name: calibrated_batch(fn, cases, budget) for name, (fn, cases, budget, _) in
             entries.items()}  # fmt: skip
    costs: dict[str, list[float]] = {name: [] for name in entries}
    for r in range(rounds):
        for name, (fn, cases, _, warm_first) in entries.items():
            size = sizes[name]
            first = (r * size) % max(len(cases) - size, 1)
            batch = cases[first : first + size]
            gc.collect()  # between batches, not timed
            if warm_first:
                per_op(fn, batch)
            costs[name].append(per_op(fn, batch))
    return costs


def median_of(entries: dict[str, Timed], rounds: int) -> dict[str, float]:
    """The median over interleaved rounds of each function's microseconds per call."""
    return {name: statistics.median(c) for name, c in rounds_of(entries, rounds).items()}


def table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    return [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in [header, tuple("-" * w for w in widths), *rows]
    ]


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


# -- scaling cases -----------------------------------------------------------------------------

SPANS = {"1 day": 1, "7 days": 7, "30 days": 30, "1 year": 365, "5 years": 1826}


def span_cases(
    rng: random.Random, name: str, count: int, days: int
) -> tuple[list[Case], list[Case]]:
    """``(start, end)`` pairs ``days`` apart, and ``(start, duration)`` pairs whose deadline
    lies ``days`` later: the working time of the same stretch (never zero)."""
    cal = ours(name)
    pairs: list[Case] = []
    adds: list[Case] = []
    for start in random_instants(rng, name, 3 * count):
        end = start + dt.timedelta(days=days)
        work = cal.elapsed(start, end)
        pairs.append((start, end))
        if work:
            adds.append((start, work))
        if len(adds) >= count and len(pairs) >= count:
            break
    return pairs[:count], adds[:count]


def warm(cal: BusinessCalendar) -> BusinessCalendar:
    """The calendar with every month the cases can reach compiled (the warm state)."""
    zone = cal._zone
    cal.elapsed(dt.datetime(2023, 12, 1, tzinfo=zone), dt.datetime(2030, 12, 31, tzinfo=zone))
    return cal


def hours_cases(adds: list[Case]) -> list[Case]:
    """The add cases rounded to whole hours (pandas adds whole business hours only)."""
    return [(s, max(1, round(d / dt.timedelta(hours=1)))) for s, d in adds]


# -- the figures ---------------------------------------------------------------------------------

FIGURES: dict[str, float] = {}
GOAL_US = 2.0
GOAL_RATIO = 15.0
GOAL_FIRST_MS = 1.0


#: From this span up, businesstimedelta (walking day by day, seconds a call over years) is
#: timed on its own: five rounds of one call, none in a quick run.
SLOW_DAYS = 365


def slow_peer(fn: Callable[..., Any], cases: list[Case], quick: bool) -> float | None:
    return None if quick else median_of({"peer": Timed(fn, cases, 1, warm=False)}, 5)["peer"]


def _us(value: float | None) -> str:
    return "-" if value is None else f"{value:,.1f}"


def _times(theirs: float | None, ours_us: float) -> str:
    return "-" if theirs is None else f"{theirs / ours_us:,.0f}x"


def bench_add(rng: random.Random, count: int, rounds: int, quick: bool) -> list[str]:
    """Warm ``add`` on the goal's scenario (split, tz-aware, holidays), by span."""
    split = warm(ours("split"))
    btd = btd_add("split")
    pd_add = pandas_add("split")
    rows = []
    worst = 0.0
    for label, days in SPANS.items():
        _, adds = span_cases(rng, "split", count, days)
        hours = [(pandas_input("split", s), h) for s, h in hours_cases(adds)]
        entries = {"ours": Timed(split.add, adds, 2), "pandas": Timed(pd_add, hours, 20)}
        if days < SLOW_DAYS:
            entries["btd"] = Timed(btd, adds, 20)
        found = median_of(entries, rounds)
        ours_us = found["ours"]
        peers = {
            "pandas": found["pandas"],
            "btd": found["btd"] if days < SLOW_DAYS else slow_peer(btd, adds, quick),
        }
        worst = max(worst, ours_us)
        rows.append(
            (
                label,
                f"{ours_us:.2f}",
                f"<= {GOAL_US:g}",
                "yes" if ours_us <= GOAL_US else "NO",
                _us(peers["btd"]),
                _times(peers["btd"], ours_us),
                _us(peers["pandas"]),
                _times(peers["pandas"], ours_us),
            )
        )
    FIGURES["add"] = worst
    header = ("span", "ours us", "goal us", "met", "businesstimedelta us", "vs btd",
              "pandas CBH us", "vs pandas")  # fmt: skip
    return [
        "add, warm: split calendar (Asia/Shanghai, 09-12 and 13-18 Mon-Fri, holidays), deadline"
        f" `span` later ({load()})",
        *table(header, rows),
        f"figure: calendar add = {worst:.2f} us (goal <= {GOAL_US:g} us, any span; the slowest"
        " span's median)",
    ]


def bench_elapsed(rng: random.Random, count: int, rounds: int, quick: bool) -> list[str]:
    """Warm ``elapsed`` on the goal's scenario, by span."""
    split = warm(ours("split"))
    btd = btd_elapsed("split")
    rows = []
    worst = 0.0
    for label, days in SPANS.items():
        pairs, _ = span_cases(rng, "split", count, days)
        entries = {"ours": Timed(split.elapsed, pairs, 2)}
        if days < SLOW_DAYS:
            entries["btd"] = Timed(btd, pairs, 20)
        found = median_of(entries, rounds)
        ours_us = found["ours"]
        their_us = found["btd"] if days < SLOW_DAYS else slow_peer(btd, pairs, quick)
        worst = max(worst, ours_us)
        rows.append(
            (
                label,
                f"{ours_us:.2f}",
                f"<= {GOAL_US:g}",
                "yes" if ours_us <= GOAL_US else "NO",
                _us(their_us),
                _times(their_us, ours_us),
            )
        )
    FIGURES["elapsed"] = worst
    header = ("span", "ours us", "goal us", "met", "businesstimedelta us", "vs btd")
    return [
        f"elapsed, warm: split calendar, end `span` after start ({load()})",
        *table(header, rows),
        f"figure: calendar elapsed = {worst:.2f} us (goal <= {GOAL_US:g} us, any span; the slowest"
        " span's median)",
    ]


def bench_businesstime(rng: random.Random, count: int, rounds: int) -> list[str]:
    """Warm ``elapsed`` against businesstime on its shape (one window a day), by span."""
    single = warm(ours("single"))
    split = warm(ours("split"))
    peer = businesstime_elapsed("single")
    rows = []
    ratios = {}
    for label, days in SPANS.items():
        pairs, _ = span_cases(rng, "single", count, days)
        # Ours and businesstime interleaved round by round, on the same cases; the speed-up is
        # the median of the rounds' ratios.
        costs = rounds_of(
            {
                "ours": Timed(single.elapsed, pairs, 2),
                "split": Timed(split.elapsed, pairs, 2),
                "businesstime": Timed(peer, pairs, 20),
            },
            rounds,
        )
        found = {name: statistics.median(values) for name, values in costs.items()}
        their_us = found["businesstime"]
        pairs_of_costs = zip(costs["businesstime"], costs["ours"], strict=True)
        ratio = statistics.median(theirs / mine for theirs, mine in pairs_of_costs)
        ratios[label] = ratio
        rows.append(
            (
                label,
                f"{found['ours']:.2f}",
                f"{found['split']:.2f}",
                f"{their_us:,.1f}",
                f"{ratio:,.1f}x",
                f">= {GOAL_RATIO:g}x",
                "yes" if ratio >= GOAL_RATIO else "NO",
            )
        )
    FIGURES["speed-up"] = ratios["1 day"]
    header = ("span", "ours us (single)", "ours us (split)", "businesstime us", "speed-up",
              "goal", "met")  # fmt: skip
    return [
        "elapsed against businesstime: its shape, 09:00-17:00 Mon-Fri with holidays (businesstime"
        f" gets naive datetimes, the only kind it takes; {load()})",
        *table(header, rows),
        f"figure: calendar speed-up vs businesstime at 1 day = {ratios['1 day']:.1f} x (goal >="
        f" {GOAL_RATIO:g} x at every span from 1 day up; lowest: {min(ratios.values()):.1f} x)",
    ]


def bench_first_use(rng: random.Random, rounds: int) -> list[str]:
    """Cold: a new calendar value each round, its first ``add``; the peers' first call too."""
    import businesstimedelta

    data = ours("split").to_dict()
    rows = []
    first_ms = {}
    for label, days in SPANS.items():
        _, adds = span_cases(rng, "split", max(rounds, 7), days)
        build, first, second, btd_cold, pandas_cold = [], [], [], [], []
        for start, work in adds[: max(rounds, 7)]:
            t0 = time.perf_counter()
            cal = BusinessCalendar.from_dict(data)
            t1 = time.perf_counter()
            cal.add(start, work)
            t2 = time.perf_counter()
            cal.add(start, work)
            t3 = time.perf_counter()
            build.append((t1 - t0) * 1e3)
            first.append((t2 - t1) * 1e3)
            second.append((t3 - t2) * 1e6)
            t0 = time.perf_counter()
            rules = btd_rules("split")
            if days <= 30:  # beyond, businesstimedelta walks for a long time: not repeated
                start + businesstimedelta.BusinessTimeDelta(rules, timedelta=work)
            t1 = time.perf_counter()
            pandas_add("split")(
                pandas_input("split", start), max(1, round(work / dt.timedelta(hours=1)))
            )
            t2 = time.perf_counter()
            btd_cold.append((t1 - t0) * 1e3)
            pandas_cold.append((t2 - t1) * 1e3)
        first_ms[label] = statistics.median(first)
        rows.append(
            (
                label,
                f"{statistics.median(build):.2f}",
                f"{first_ms[label]:.2f}",
                f"< {GOAL_FIRST_MS:g}",
                "yes" if first_ms[label] < GOAL_FIRST_MS else "NO",
                f"{statistics.median(second):.1f}",
                f"{statistics.median(btd_cold):.2f}" if days <= 30 else "-",
                f"{statistics.median(pandas_cold):.2f}",
            )
        )
    FIGURES["first use"] = first_ms["1 day"]
    header = ("span", "build ms", "first add ms", "goal ms", "met", "second add us",
              "btd first ms", "pandas first ms")  # fmt: skip
    return [
        "first use, cold: a new calendar value each round (split), its first add with a deadline"
        " `span` later (compiles the months it needs), then the same add again (warm;"
        f" {load()})",
        *table(header, rows),
        f"figure: calendar first use = {first_ms['1 day']:.2f} ms (goal < {GOAL_FIRST_MS:g} ms for"
        " the first add of a new calendar, a deadline a day later)",
    ]


# -- yardsticks: numpy's day-level hybrid for the bulk forms, busday_offset and workalendar ----

DAY_US = 86_400_000_000
HOUR_US = 3_600_000_000
SPLIT_WINDOWS = ((9 * HOUR_US, 12 * HOUR_US), (13 * HOUR_US, 18 * HOUR_US))
SPLIT_DAY_US = sum(b - a for a, b in SPLIT_WINDOWS)
SHANGHAI_US = 8 * HOUR_US  # Asia/Shanghai has had no daylight saving since 1991
BUSDAYS = np.busdaycalendar(weekmask="1111100", holidays=[d.isoformat() for d in HOLIDAYS])


def _work_before(np_: Any, tod: Any) -> Any:
    """Working time of a working day before each local time of day (split windows)."""
    return sum(np_.clip(tod - a, 0, b - a) for a, b in SPLIT_WINDOWS)


def hybrid_elapsed(starts: Any, ends: Any) -> Any:
    """elapsed_many the numpy way: whole working days by ``busday_count``, the two partial days
    by clipping the windows. Exact for the split scenario (a fixed offset, no make-up days)."""
    lo, hi = np.minimum(starts, ends), np.maximum(starts, ends)
    lo_local, hi_local = lo + SHANGHAI_US, hi + SHANGHAI_US
    lo_day, hi_day = lo_local // DAY_US, hi_local // DAY_US
    lo_date, hi_date = lo_day.astype("datetime64[D]"), hi_day.astype("datetime64[D]")
    full = np.busday_count(lo_date, hi_date, busdaycal=BUSDAYS) * SPLIT_DAY_US
    head = np.where(
        np.is_busday(lo_date, busdaycal=BUSDAYS), _work_before(np, lo_local - lo_day * DAY_US), 0
    )
    tail = np.where(
        np.is_busday(hi_date, busdaycal=BUSDAYS), _work_before(np, hi_local - hi_day * DAY_US), 0
    )
    return np.where(ends >= starts, 1, -1) * (full - head + tail)


def hybrid_add(starts: Any, durations: Any) -> Any:
    """add_many the numpy way, forwards only: the position on the start's working day plus the
    budget, split into whole working days (``busday_offset``) and a position on the last one."""
    local = starts + SHANGHAI_US
    day = local // DAY_US
    date = day.astype("datetime64[D]")
    first = np.busday_offset(date, 0, roll="forward", busdaycal=BUSDAYS)
    position = np.where(first == date, _work_before(np, local - day * DAY_US), 0) + durations
    whole = (position - 1) // SPLIT_DAY_US  # a budget ending at a closing time stays there
    rest = position - whole * SPLIT_DAY_US
    target = np.busday_offset(first, whole, roll="forward", busdaycal=BUSDAYS)
    (a1, b1), (a2, _) = SPLIT_WINDOWS
    tod = np.where(rest <= b1 - a1, a1 + rest, a2 + rest - (b1 - a1))
    return target.astype(np.int64) * DAY_US + tod - SHANGHAI_US


def bench_bulk(count: int, rounds: int) -> list[str]:
    cal = warm(ours("split"))
    rng = np.random.default_rng(7)
    low = np.datetime64("2024-01-01T00:00", "us").astype(np.int64)
    starts = low + rng.integers(0, 540 * DAY_US, count)
    ends = starts + rng.integers(-30 * DAY_US, 30 * DAY_US, count)
    mixed = rng.integers(-200 * HOUR_US, 200 * HOUR_US, count)
    forward = np.abs(mixed) + 1
    as_m = starts.astype("datetime64[us]")
    rows = []
    agreements = []
    for label, ours_fn, args, theirs_fn, their_args in (
        ("elapsed_many", cal.elapsed_many, (as_m, ends.astype("datetime64[us]")),
         hybrid_elapsed, (starts, ends)),
        ("add_many, forwards", cal.add_many, (as_m, forward.astype("timedelta64[us]")),
         hybrid_add, (starts, forward)),
        ("add_many, mixed signs", cal.add_many, (as_m, mixed.astype("timedelta64[us]")),
         None, ()),
    ):  # fmt: skip
        mine = [_seconds(ours_fn, args) for _ in range(rounds)]
        theirs = [_seconds(theirs_fn, their_args) for _ in range(rounds)] if theirs_fn else []
        ours_rate = count / statistics.median(mine)
        their_rate = count / statistics.median(theirs) if theirs else None
        agree = "-"
        if theirs_fn is not None:
            same = np.asarray(ours_fn(*args)).view(np.int64) == theirs_fn(*their_args)
            agree = f"{int(same.sum()):,}/{count:,}"
            agreements.append(int(same.sum()) == count)
        rows.append(
            (
                label,
                f"{count:,}",
                f"{ours_rate:,.0f}",
                "-" if their_rate is None else f"{their_rate:,.0f}",
                "-" if their_rate is None else f"{ours_rate / their_rate:.1f}x",
                agree,
            )
        )
    header = ("bulk (datetime64 arrays)", "ops", "ours ops/s", "numpy hybrid ops/s", "ours/hybrid",
              "answers agree")  # fmt: skip
    return [
        "bulk forms against numpy's day-level hybrid (busday_count / busday_offset plus clipped"
        " windows; exact for this calendar only: a fixed offset and no make-up days)",
        *table(header, rows),
    ]


def _seconds(fn: Callable[..., Any], args: tuple[Any, ...]) -> float:
    t0 = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t0


def workalendar_split() -> Any:
    """A workalendar calendar with the same weekends and holidays as the split scenario."""
    from workalendar.core import Calendar as Workalendar

    class Split(Workalendar):  # type: ignore[misc]
        WEEKEND_DAYS = (5, 6)

        def holidays(self, year: int | None = None) -> list[tuple[dt.date, str]]:
            return [(d, "holiday") for d in HOLIDAYS if d.year == year]

    return Split()


def stepping_reference() -> Callable[..., dt.datetime] | None:
    """The day-by-day walk ``add_working_days`` used before its index, from the tests (or None
    when the tests are not there)."""
    path = Path(__file__).resolve().parents[1] / "tests/calendar/test_calendar_properties.py"
    spec = importlib.util.spec_from_file_location("_calendar_reference", path)
    if spec is None or spec.loader is None or not path.exists():
        return None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.stepping_add_working_days  # type: ignore[no-any-return]


def bench_working_days(rng: random.Random, count: int, rounds: int) -> list[str]:
    cal = ours("split")
    zone = ZoneInfo(SHANGHAI_KEY)
    starts = random_instants(rng, "split", count)
    cal.add_working_days(starts[0], 1)
    walk = stepping_reference()
    work = workalendar_split()
    header = ("working days", "ours us", "busday_offset us", "workalendar us", "walk us",
              "dates agree: numpy", "workalendar")  # fmt: skip
    rows = []
    for days in (2, 20, 250):
        cases = [(s, rng.choice([-1, 1]) * days) for s in starts]
        dates = [(np.datetime64(s.date()), n) for s, n in cases]
        plain = [(s.date(), n) for s, n in cases]

        def numpy_offset(day: Any, n: int) -> Any:
            return np.busday_offset(day, n, roll="forward", busdaycal=BUSDAYS)

        found = median_of(
            {
                "ours": Timed(cal.add_working_days, cases, 2),
                "numpy": Timed(numpy_offset, dates, 2),
                "workalendar": Timed(work.add_working_days, plain, 20),
            },
            rounds,
        )
        walk_us = "-"
        if walk is not None:

            def walked(s: dt.datetime, n: int) -> dt.datetime:
                return walk(cal.day_spans, zone, s, n)  # type: ignore[misc]

            walk_us = f"{median_of({'walk': Timed(walked, cases, 20)}, 5)['walk']:,.1f}"
        mine = [cal.add_working_days(s, n).date() for s, n in cases]
        numpy_dates = [numpy_offset(d, n).astype(dt.date) for d, n in dates]
        wa_dates = [work.add_working_days(d, n) for d, n in plain]
        rows.append(
            (
                f"+/-{days}",
                f"{found['ours']:.1f}",
                f"{found['numpy']:.1f}",
                f"{found['workalendar']:,.1f}",
                walk_us,
                f"{sum(a == b for a, b in zip(mine, numpy_dates, strict=True))}/{count}",
                f"{sum(a == b for a, b in zip(mine, wa_dates, strict=True))}/{count}",
            )
        )
    return [
        "add_working_days (split), against numpy busday_offset and workalendar (dates only: they"
        " neither keep the time of day nor take make-up days; workalendar starting on a day off"
        " counts from that day, ours and numpy from the next working day), and the day-by-day"
        " walk the index replaced",
        *table(header, rows),
    ]


# -- correctness against the peers ---------------------------------------------------------------

ROWS: list[tuple[str, ...]] = []


def report(
    op: str,
    scenario: str,
    library: str,
    costs: list[float],
    base: float | None,
    verdicts: Counter[str] | None,
) -> None:
    median, p90 = percentiles(costs)
    speed = "" if base is None else f"{median / base:,.0f}x"
    detail = ""
    if verdicts is not None:
        agree = verdicts.pop("agree", 0)
        detail = f"{agree}/{len(costs)} agree" + "".join(
            f"; {n} {k}" for k, n in sorted(verdicts.items())
        )
    ROWS.append(
        (op, scenario, library, str(len(costs)), f"{median:,.1f}", f"{p90:,.1f}", speed, detail)
    )


def run_add(rng: random.Random, name: str, count: int, slow: int) -> None:
    cal = warm(ours(name))
    starts = random_instants(rng, name, count)
    hours = [rng.choice([-1, 1]) * rng.randint(1, 200) for _ in range(count)]
    args = [(s, dt.timedelta(hours=h)) for s, h in zip(starts, hours, strict=True)]
    mine, costs = timed(cal.add, args)
    report("add", name, "itsm_core", costs, None, None)
    base = percentiles(costs)[0]
    pd_add = pandas_add(name)
    theirs, their_costs = timed(
        pd_add, [(pandas_input(name, s), h) for s, h in zip(starts, hours, strict=True)]
    )
    report("add", name, "pandas CBH", their_costs, base, classify_add(cal, name, mine, theirs))
    add = btd_add(name)
    theirs, their_costs = timed(add, args[:slow])
    base_slow = percentiles(costs[:slow])[0]
    report(
        "add",
        name,
        "businesstimedelta",
        their_costs,
        base_slow,
        classify_add(cal, name, mine[:slow], theirs),
    )


def run_elapsed(rng: random.Random, name: str, count: int, slow: int, span_days: int) -> None:
    scenario = "single" if name == "reversed" else name
    cal = warm(ours(scenario))
    starts = random_instants(rng, scenario, count)
    ends = [s + dt.timedelta(minutes=rng.randrange(1, span_days * 24 * 60)) for s in starts]
    pairs = (
        [(e, s) for s, e in zip(starts, ends, strict=True)]
        if name == "reversed"
        else list(zip(starts, ends, strict=True))
    )
    label = f"{name} <= {span_days} d"
    mine, costs = timed(cal.elapsed, pairs)
    report("elapsed", label, "itsm_core", costs, None, None)
    for library, factory, limit in (
        ("businesstime", businesstime_elapsed, count),
        ("businesstimedelta", btd_elapsed, slow),
    ):
        if library == "businesstime" and scenario != "single":
            continue
        theirs, their_costs = timed(factory(scenario), pairs[:limit])
        report(
            "elapsed",
            label,
            library,
            their_costs,
            percentiles(costs[:limit])[0],
            classify_elapsed(name, mine[:limit], theirs),
        )


def bench_correctness(rng: random.Random, count: int, slow: int) -> list[str]:
    for name in ("single", "split", "overnight", "dst"):
        run_add(rng, name, count, slow)
    for name in ("single", "split", "overnight", "dst", "reversed"):
        run_elapsed(rng, name, count, slow, 7)
    header = ("op", "scenario", "library", "cases", "median us", "p90 us", "ours faster",
              "their answers vs ours")  # fmt: skip
    return [
        "answers against the peers, by scenario (each call timed alone: the timer's overhead"
        " is in these figures; the tables below time batches)",
        *table(header, ROWS),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run of a few seconds")
    parser.add_argument("--seed", type=int, default=2024)
    options = parser.parse_args()
    if options.quick:
        count, slow, bulk, rounds = 200, 20, 100_000, 5
    else:
        count, slow, bulk, rounds = 2000, 200, 1_000_000, 25
    rng = random.Random(options.seed)
    print(f"calendar_bench: {time.strftime('%Y-%m-%d %H:%M')}, {load()}")
    print("Medians of interleaved rounds; microseconds inflate with the machine's load, ratios")
    print("between libraries timed in the same rounds much less.\n")
    sections = [
        lambda: bench_correctness(rng, count, slow),
        lambda: bench_bulk(bulk, max(rounds // 5, 5)),
        lambda: bench_working_days(rng, count // 4, rounds),
        lambda: bench_add(rng, count, rounds, options.quick),
        lambda: bench_elapsed(rng, count, rounds, options.quick),
        lambda: bench_businesstime(rng, count, rounds),
        lambda: bench_first_use(rng, rounds),
    ]
    for section in sections:
        for line in section():
            print(line)
        print()
    assert list(FIGURES) == ["add", "elapsed", "speed-up", "first use"]


if __name__ == "__main__":
    main()
