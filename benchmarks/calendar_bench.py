"""Business-time arithmetic: itsm_core.calendar against pandas, businesstime, businesstimedelta.

The same randomly generated cases (seeded) go through this library and through each peer that
supports the case:

* pandas ``CustomBusinessHour``: add whole hours (forwards and backwards);
* businesstime: elapsed, one working interval a day (the only shape it supports);
* businesstimedelta: add and elapsed.

For each library and scenario it prints the median and 90th percentile microseconds per
operation, our speed-up, and how many of their answers disagree with ours and why: the same
business instant written differently (the boundary convention: where a deadline lands when the
budget ends exactly at a closing time), an error raised, or a wrong answer, named after the
scenario that triggers it (overnight shifts, daylight saving, reversed ranges, ...). Then the
bulk forms in operations per second, and ``add_working_days`` for 2, 20 and 250 working days
(forwards and backwards) against the day-by-day walk it replaced, which the tests keep as their
reference (``stepping_add_working_days`` in tests/calendar/test_calendar_properties.py).

Scenarios: ``single`` Mon-Fri 09:00-17:00; ``split`` Mon-Fri 09:00-12:00 and 13:00-18:00;
``overnight`` Mon-Fri 22:00-06:00; ``dst`` America/New_York every day 00:00-05:00 (the clock
changes fall inside working time); ``reversed`` elapsed with the end before the start. The first
three are in Asia/Shanghai with a few holidays.

    .venv/bin/python benchmarks/calendar_bench.py            # full run, a few minutes
    .venv/bin/python benchmarks/calendar_bench.py --quick    # smoke run, well under a minute
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import random
import statistics
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any
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
        rules.append(btd.HolidayRule(HOLIDAYS, tz=tz))
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


ROWS: list[tuple[str, ...]] = []
OUR_MEDIANS: dict[str, list[float]] = {"add": [], "elapsed": []}


def report(
    op: str,
    scenario: str,
    library: str,
    costs: list[float],
    base: float | None,
    verdicts: Counter[str] | None,
) -> None:
    median, p90 = percentiles(costs)
    if base is None:
        OUR_MEDIANS[op].append(median)
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
    cal = ours(name)
    starts = random_instants(rng, name, count)
    hours = [rng.choice([-1, 1]) * rng.randint(1, 200) for _ in range(count)]
    args = [(s, dt.timedelta(hours=h)) for s, h in zip(starts, hours, strict=True)]
    mine, costs = timed(cal.add, args)
    report("add", name, "itsm_core", costs, None, None)
    base = percentiles(costs)[0]
    pd_add = pandas_add(name)
    assert pd_add is not None
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
    cal = ours(scenario)
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


def run_bulk(count: int) -> list[str]:
    cal = ours("split")
    rng = np.random.default_rng(7)
    low = np.datetime64("2024-01-01T00:00", "us").astype(np.int64)
    span = 540 * 86_400_000_000
    starts = (low + rng.integers(0, span, count)).astype("datetime64[us]")
    ends = starts + rng.integers(0, 30 * 86_400_000_000, count).astype("timedelta64[us]")
    budgets = rng.integers(-200 * 3_600_000_000, 200 * 3_600_000_000, count).astype(
        "timedelta64[us]"
    )
    cal.elapsed_many(starts[:10], ends[:10])  # compile the years once
    cal.add_many(starts[:10], budgets[:10])
    lines = []
    for label, fn, args in (
        ("add_many", cal.add_many, (starts, budgets)),
        ("elapsed_many", cal.elapsed_many, (starts, ends)),
    ):
        best = min(_once(fn, args) for _ in range(3))
        lines.append(
            f"{label:<13} {count:>10,} ops (numpy datetime64)  {count / best:>14,.0f} ops/s"
        )
    return lines


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


def run_working_days(rng: random.Random, count: int, slow: int) -> list[str]:
    cal = ours("split")
    zone = ZoneInfo(SHANGHAI_KEY)
    starts = random_instants(rng, "split", count)
    walk = stepping_reference()
    rows = [("working days", "cases", "median us", "p90 us", "before (walk) us", "faster", "agree")]
    for days in (2, 20, 250):
        args = [(s, rng.choice([-1, 1]) * days) for s in starts]
        mine, costs = timed(cal.add_working_days, args)
        median, p90 = percentiles(costs)
        before, speed, agree = "-", "-", "-"
        if walk is not None:
            theirs, their_costs = timed(
                lambda s, n: walk(cal.day_spans, zone, s, n),
                args[:slow],
            )
            before_median = percentiles(their_costs)[0]
            before = f"{before_median:,.1f}"
            speed = f"{before_median / median:,.0f}x"
            agree = f"{sum(a == b for a, b in zip(mine, theirs, strict=False))}/{len(theirs)}"
        rows.append(
            (f"+/-{days}", str(count), f"{median:,.1f}", f"{p90:,.1f}", before, speed, agree)
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in [rows[0], tuple("-" * w for w in widths), *rows[1:]]
    ]


def _once(fn: Callable[..., Any], args: tuple[Any, ...]) -> float:
    t0 = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run of a few seconds")
    parser.add_argument("--seed", type=int, default=2024)
    options = parser.parse_args()
    count, slow, bulk = (300, 40, 200_000) if options.quick else (3000, 300, 2_000_000)
    rng = random.Random(options.seed)
    for name in ("single", "split", "overnight", "dst"):
        run_add(rng, name, count, slow)
    for name in ("single", "split", "overnight", "dst", "reversed"):
        run_elapsed(rng, name, count, slow, 7)
    run_elapsed(rng, "single", count, max(slow // 10, 10), 365)
    header = (
        "op",
        "scenario",
        "library",
        "cases",
        "median us",
        "p90 us",
        "ours faster",
        "their answers vs ours",
    )
    widths = [max(len(str(r[i])) for r in [header, *ROWS]) for i in range(len(header))]
    for row in [header, tuple("-" * w for w in widths), *ROWS]:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    print()
    for op, medians in OUR_MEDIANS.items():
        print(f"itsm_core {op}: median of scenario medians {statistics.median(medians):.2f} us/op")
    print()
    for line in run_bulk(bulk):
        print(line)
    print()
    print("add_working_days, split scenario (index built on first use, included):")
    for line in run_working_days(rng, count, slow):
        print(line)


if __name__ == "__main__":
    main()
