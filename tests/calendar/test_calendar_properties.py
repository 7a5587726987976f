"""Laws of business time, and a differential test against a deliberately simple reference.

The reference below reads the same plain data as ``BusinessCalendar.from_dict`` but shares no
code with the package: it resolves each local day's windows as sets of minutes, converts each
window boundary to UTC with zoneinfo, merges, and walks the intervals one by one. For working
days it keeps the day-by-day walk the package used before its working-day index
(``stepping_add_working_days``); benchmarks/calendar_bench.py times it as the "before".
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import assume, given, note
from hypothesis import strategies as st

from itsm_core.calendar import BusinessCalendar, Calendar

UTC = dt.UTC
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
ZONES = ("Asia/Shanghai", "America/New_York", "Europe/London", "Australia/Lord_Howe", "UTC")
FIRST = dt.date(2024, 1, 1)
LAST = dt.date(2025, 12, 31)
SLOT = 30  # minutes: the grid of random windows, fine enough to hit every DST boundary

Data = dict[str, Any]
Spans = list[tuple[dt.datetime, dt.datetime]]


# -- the reference ---------------------------------------------------------------------------


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _minute_set(windows: list[list[str]]) -> set[int]:
    return {m for start, end in windows for m in range(_minutes(start), _minutes(end))}


def _runs(minutes: set[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for m in sorted(minutes):
        if runs and runs[-1][1] == m:
            runs[-1] = (runs[-1][0], m + 1)
        else:
            runs.append((m, m + 1))
    return runs


@functools.cache
def _weekly_runs(windows: tuple[tuple[str, str], ...]) -> tuple[tuple[int, int], ...]:
    """``_runs(_minute_set(windows))`` of a weekday's windows, computed once per distinct list
    (a walk over years of dates meets the same few weekday lists again and again)."""
    return tuple(_runs(_minute_set([list(w) for w in windows])))


def _holiday_dates(data: Data) -> set[dt.date]:
    days = set()
    for item in data.get("holidays", []):
        if isinstance(item, str):
            days.add(dt.date.fromisoformat(item))
        else:
            day = dt.date.fromisoformat(item["start"])
            while day <= dt.date.fromisoformat(item.get("end", item["start"])):
                days.add(day)
                day += dt.timedelta(days=1)
    return days


def ref_windows(data: Data, day: dt.date) -> list[tuple[int, int]]:
    """The day's windows in minutes after its midnight."""
    weekly = data["weekly"]
    for version in data.get("versions", []):
        if dt.date.fromisoformat(version["valid_from"]) <= day:
            weekly = version["weekly"]
    own = DAYS[day.weekday()]
    override = data.get("overrides", {}).get(day.isoformat())
    if override is None:
        if day in _holiday_dates(data):
            return []
        return list(_weekly_runs(tuple((a, b) for a, b in weekly.get(own, []))))
    if isinstance(override, list):
        return _runs(_minute_set(override))
    if "windows" in override:
        minutes = _minute_set(override["windows"])
    else:
        minutes = _minute_set(weekly.get(override.get("like", own), []))
    minutes |= _minute_set(override.get("add", []))
    minutes -= _minute_set(override.get("remove", []))
    return _runs(minutes)


def ref_intervals(data: Data, first: dt.date, last: dt.date) -> Spans:
    """Working intervals in UTC of the days ``first`` to ``last``, merged."""
    zone = ZoneInfo(data["timezone"])
    spans: Spans = []
    day = first
    while day <= last:
        midnight = dt.datetime(day.year, day.month, day.day)
        for start, end in ref_windows(data, day):
            a = (midnight + dt.timedelta(minutes=start)).replace(tzinfo=zone).astimezone(UTC)
            b = (midnight + dt.timedelta(minutes=end)).replace(tzinfo=zone).astimezone(UTC)
            if a < b:
                spans.append((a, b))
        day += dt.timedelta(days=1)
    merged: Spans = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _days_around(a: dt.datetime, b: dt.datetime) -> tuple[dt.date, dt.date]:
    return (min(a, b).date() - dt.timedelta(days=3), max(a, b).date() + dt.timedelta(days=2))


def ref_elapsed(data: Data, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
    if b < a:
        return -ref_elapsed(data, b, a)
    total = dt.timedelta()
    for start, end in ref_intervals(data, *_days_around(a, b)):
        total += max(dt.timedelta(), min(end, b) - max(start, a))
    return total


def ref_add(data: Data, s: dt.datetime, d: dt.timedelta) -> dt.datetime:
    if not d:
        return s
    horizon = dt.timedelta(days=60)
    while True:
        if d > dt.timedelta():
            spans = ref_intervals(data, *_days_around(s, s + horizon))
            remaining = d
            for start, end in spans:
                if end <= s:
                    continue
                begin = max(start, s)
                if remaining <= end - begin:
                    return begin + remaining
                remaining -= end - begin
        else:
            spans = ref_intervals(data, *_days_around(s - horizon, s))
            remaining = -d
            for start, end in reversed(spans):
                if start >= s:
                    continue
                finish = min(end, s)
                if remaining <= finish - start:
                    return finish - remaining
                remaining -= finish - start
        horizon *= 2


def ref_day_spans(data: Data, day: dt.date) -> list[tuple[int, int]]:
    """A date's own windows as merged UTC microsecond spans (empty spans dropped)."""
    zone = ZoneInfo(data["timezone"])
    midnight = dt.datetime(day.year, day.month, day.day)
    spans = []
    for start, end in ref_windows(data, day):
        a = _us((midnight + dt.timedelta(minutes=start)).replace(tzinfo=zone))
        b = _us((midnight + dt.timedelta(minutes=end)).replace(tzinfo=zone))
        if a < b:
            spans.append((a, b))
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)


def _us(t: dt.datetime) -> int:
    return (t - EPOCH) // dt.timedelta(microseconds=1)


class NoWorkingDay(Exception):
    """The reference walk met 50 years of 366 days without a working day."""


def stepping_add_working_days(
    spans_of: Callable[[dt.date], list[tuple[int, int]]],
    zone: dt.tzinfo,
    start: dt.datetime,
    days: int,
) -> dt.datetime:
    """``add_working_days`` as a walk over the dates one by one: the package's algorithm before
    its working-day index, kept as the reference. ``spans_of(date)`` gives a date's own working
    spans in UTC microseconds; a date is a working day when it has any."""

    def next_working_day(day: dt.date, step: int) -> tuple[dt.date, list[tuple[int, int]]]:
        for _ in range(50 * 366):
            day += dt.timedelta(days=step)
            spans = spans_of(day)
            if spans:
                return day, spans
        raise NoWorkingDay

    if days == 0:
        return start
    s = _us(start)
    local = start.astimezone(zone).date()
    owner, spans = local - dt.timedelta(days=1), spans_of(local - dt.timedelta(days=1))
    if not any(a <= s < b for a, b in spans):
        owner, spans = local, spans_of(local)
    if spans:
        position = sum(min(max(s - a, 0), b - a) for a, b in spans)
    else:
        owner, spans = next_working_day(owner, 1)
        position = 0
    for _ in range(abs(days)):
        owner, spans = next_working_day(owner, 1 if days > 0 else -1)
    done = 0
    for a, b in spans:  # the earliest instant at `position` on the target day, else its closing
        if done + (b - a) >= position:
            return EPOCH + dt.timedelta(microseconds=a + max(position - done, 0))
        done += b - a
    return EPOCH + dt.timedelta(microseconds=spans[-1][1])


# -- random calendars and instants -------------------------------------------------------------
#
# Every strategy that does not depend on drawn data is built once (functools.cache, tuples for
# sampled_from): hypothesis validates a new strategy object on its first draw, and the
# composites below would otherwise build and validate dozens per example.


def _clock(slots: int) -> str:
    minutes = slots * SLOT
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@functools.cache
@st.composite
def day_windows(draw: st.DrawFn, low: int = 0, tail: int = 0, high: int = 48) -> list[list[str]]:
    """Non-overlapping windows on the 30-minute grid from slot ``low``, maybe ending overnight."""
    points = sorted(draw(st.sets(st.integers(low, high), max_size=6)))
    if len(points) % 2:
        points = points[:-1]
    pairs = [[points[i], points[i + 1]] for i in range(0, len(points), 2)]
    pairs = [p for p in pairs if p[0] < 48]
    if tail and pairs and pairs[-1][0] >= tail:  # a night shift, at most 24 hours long
        pairs[-1][1] = 48 + tail
    return [[_clock(a), _clock(b)] for a, b in pairs]


@functools.cache
@st.composite
def weekly_data(draw: st.DrawFn) -> dict[str, list[list[str]]]:
    kind = draw(st.sampled_from(("split", "split", "small hours", "24x7", "night", "office")))
    if kind == "24x7":
        return {day: [["00:00", "24:00"]] for day in DAYS}
    if kind == "night":
        chosen = draw(st.sets(st.sampled_from(DAYS), min_size=1))
        return {day: [["22:00", "30:00"]] for day in DAYS if day in chosen}
    if kind == "small hours":  # boundaries where clocks change: 00:00-04:00 on the grid
        return {day: draw(day_windows(high=8)) for day in DAYS}
    if kind == "office":
        return {day: [["09:00", "12:00"], ["13:00", "18:00"]] for day in DAYS[:5]}
    tails = [draw(st.sampled_from((0, 0, 0, 4, 8, 12))) for _ in DAYS]
    return {day: draw(day_windows(low=tails[i - 1], tail=tails[i])) for i, day in enumerate(DAYS)}


@functools.cache
def _dst_days(zone: str) -> list[dt.date]:
    tz = ZoneInfo(zone)
    days = []
    day = FIRST
    while day <= LAST:
        noon = dt.datetime(day.year, day.month, day.day, 12, tzinfo=tz)
        if (noon - dt.timedelta(days=1)).utcoffset() != noon.utcoffset():
            days.append(day)
        day += dt.timedelta(days=1)
    return days or [dt.date(2024, 6, 1)]


@functools.cache
def _date_in_range() -> st.SearchStrategy[dt.date]:
    return st.dates(FIRST + dt.timedelta(days=40), LAST - dt.timedelta(days=70))


@functools.cache
def _special_days(zone: str) -> st.SearchStrategy[dt.date]:
    """Any date of the range, or one where the zone's clocks change."""
    return st.one_of(_date_in_range(), st.sampled_from(_dst_days(zone)))


@functools.cache
def _instant_days(zone: str) -> st.SearchStrategy[dt.date]:
    """Any date of the range, or (twice as likely) one where the zone's clocks change."""
    dst_days = _dst_days(zone)
    return st.one_of(_date_in_range(), st.sampled_from(dst_days), st.sampled_from(dst_days))


@functools.cache
@st.composite
def calendar_data(draw: st.DrawFn) -> Data:
    zone = draw(st.sampled_from(ZONES))
    data: Data = {"timezone": zone, "weekly": draw(weekly_data())}
    special = draw(st.lists(_special_days(zone), max_size=8, unique=True))
    overrides: Data = {}
    holidays: list[Any] = []
    for day in special:
        choice = draw(st.sampled_from(("holiday", "off", "like", "windows", "add", "remove")))
        key = day.isoformat()
        if choice == "holiday":
            holidays.append(key)
        elif choice == "off":
            overrides[key] = []
        elif choice == "like":
            overrides[key] = {"like": draw(st.sampled_from(DAYS))}
        elif choice == "windows":
            overrides[key] = {"windows": draw(day_windows(tail=draw(st.sampled_from((0, 6)))))}
        else:
            overrides[key] = {choice: draw(day_windows())}
    data["overrides"] = overrides
    data["holidays"] = holidays
    if draw(st.booleans()):
        data["versions"] = [
            {"valid_from": draw(_date_in_range()).isoformat(), "weekly": draw(weekly_data())}
        ]
    return data


@st.composite
def instants(draw: st.DrawFn, data: Data) -> dt.datetime:
    zone = ZoneInfo(data["timezone"])
    day = draw(_instant_days(data["timezone"]))
    if draw(st.booleans()):
        spans = ref_intervals(data, day - dt.timedelta(days=1), day + dt.timedelta(days=1))
        if spans:
            edge = draw(st.sampled_from([t for span in spans for t in span]))
            return edge.astimezone(zone)
    slot = draw(st.integers(0, 47))
    local = dt.datetime(day.year, day.month, day.day) + dt.timedelta(minutes=slot * SLOT)
    local += dt.timedelta(microseconds=draw(st.sampled_from((0, 0, 1, 999_999, 1_234_567))))
    return local.replace(tzinfo=zone, fold=draw(st.integers(0, 1)))


durations = st.integers(-200 * 60, 200 * 60).map(lambda m: dt.timedelta(minutes=m)) | st.integers(
    -(10**12), 10**12
).map(lambda us: dt.timedelta(microseconds=us))


def _utc(t: dt.datetime) -> dt.datetime:
    return t.astimezone(UTC)


def _has_time(data: Data) -> bool:
    return any(data["weekly"].get(day) for day in DAYS)


# -- tests ---------------------------------------------------------------------------------------


@given(st.data())
def test_elapsed_matches_reference(draw: st.DataObject) -> None:
    data = draw.draw(calendar_data())
    calendar = BusinessCalendar.from_dict(data)
    a = draw.draw(instants(data))
    b = draw.draw(instants(data))
    note(f"{a.isoformat()} -> {b.isoformat()}")
    assert calendar.elapsed(a, b) == ref_elapsed(data, _utc(a), _utc(b))


@given(st.data())
def test_add_matches_reference(draw: st.DataObject) -> None:
    data = draw.draw(calendar_data())
    assume(_has_time(data) and all(_has_time(v) for v in data.get("versions", [])))
    calendar = BusinessCalendar.from_dict(data)
    s = draw.draw(instants(data))
    if draw.draw(st.booleans()):
        d = draw.draw(durations)
    else:  # exactly the working time to another instant, often a boundary
        d = ref_elapsed(data, _utc(s), _utc(draw.draw(instants(data))))
    got = calendar.add(s, d)
    note(f"{s.isoformat()} + {d} -> {got.isoformat()}")
    assert _utc(got) == ref_add(data, _utc(s), d)
    assert got.tzinfo is s.tzinfo


@given(st.data())
def test_is_working_and_neighbours_match_reference(draw: st.DataObject) -> None:
    data = draw.draw(calendar_data())
    assume(_has_time(data) and all(_has_time(v) for v in data.get("versions", [])))
    calendar = BusinessCalendar.from_dict(data)
    t = draw.draw(instants(data))
    u = _utc(t)
    spans = ref_intervals(data, *_days_around(u - dt.timedelta(days=30), u + dt.timedelta(days=30)))
    inside = any(a <= u < b for a, b in spans)
    assert calendar.is_working(t) is inside
    later = [a for a, b in spans if a > u]
    expected_next = u if inside else min(later)
    assert _utc(calendar.next_working(t)) == expected_next
    ran = any(a < u <= b for a, b in spans)
    expected_previous = u if ran else max(b for a, b in spans if b < u)
    assert _utc(calendar.previous_working(t)) == expected_previous


@given(st.data())
def test_working_intervals_match_reference(draw: st.DataObject) -> None:
    data = draw.draw(calendar_data())
    calendar = BusinessCalendar.from_dict(data)
    a, b = sorted([_utc(draw.draw(instants(data))), _utc(draw.draw(instants(data)))])
    expected = [(max(x, a), min(y, b)) for x, y in ref_intervals(data, *_days_around(a, b))]
    expected = [(x, y) for x, y in expected if x < y]
    got = [(_utc(x), _utc(y)) for x, y in calendar.working_intervals(a, b)]
    assert got == expected


@given(st.data())
def test_combinations_match_reference_set_operations(draw: st.DataObject) -> None:
    left_data, right_data = draw.draw(calendar_data()), draw.draw(calendar_data())
    left = BusinessCalendar.from_dict(left_data)
    right = BusinessCalendar.from_dict(right_data)
    a, b = sorted([_utc(draw.draw(instants(left_data))), _utc(draw.draw(instants(right_data)))])
    days = _days_around(a, b)
    left_spans, right_spans = ref_intervals(left_data, *days), ref_intervals(right_data, *days)

    def member(spans: Spans) -> Callable[[dt.datetime], bool]:
        # The spans are sorted and merged: only the last one starting at or before t may hold t.
        starts = [x for x, _ in spans]

        def holds(t: dt.datetime) -> bool:
            i = bisect.bisect_right(starts, t) - 1
            return i >= 0 and t < spans[i][1]

        return holds

    # Between consecutive boundaries of either set, membership is constant: one probe each.
    in_left, in_right = member(left_spans), member(right_spans)
    cuts = sorted({a, b, *(t for s in left_spans + right_spans for t in s if a < t < b)})
    pieces = [
        (hi - lo, in_left(probe), in_right(probe))
        for lo, hi in itertools.pairwise(cuts)
        for probe in [lo + (hi - lo) / 2]
    ]

    def measure(inside: Any) -> dt.timedelta:
        return sum((width for width, p, q in pieces if inside(p, q)), dt.timedelta())

    assert (left | right).elapsed(a, b) == measure(lambda p, q: p or q)
    assert (left & right).elapsed(a, b) == measure(lambda p, q: p and q)
    assert (left - right).elapsed(a, b) == measure(lambda p, q: p and not q)


@given(st.data())
def test_compiled_fast_paths_match_reference(draw: st.DataObject) -> None:
    """Once the whole range is compiled, ``add`` and ``elapsed`` take the fast paths of the
    compiled state (the zone's offsets cached, no call to the zone): same answers as the
    reference, and results identical, ``fold`` included, to converting the reference's."""
    data = draw.draw(calendar_data())
    assume(_has_time(data) and all(_has_time(v) for v in data.get("versions", [])))
    calendar = BusinessCalendar.from_dict(data)
    calendar.elapsed(dt.datetime(2023, 11, 1, tzinfo=UTC), dt.datetime(2026, 3, 1, tzinfo=UTC))
    a, b = draw.draw(instants(data)), draw.draw(instants(data))
    if draw.draw(st.booleans()):  # UTC datetimes take the fast paths too
        a = _utc(a)
    if draw.draw(st.booleans()):
        b = _utc(b)
    assert calendar.elapsed(a, b) == ref_elapsed(data, _utc(a), _utc(b))
    d = draw.draw(durations) if draw.draw(st.booleans()) else ref_elapsed(data, _utc(a), _utc(b))
    got = calendar.add(a, d)
    note(f"{a.isoformat()} + {d} -> {got.isoformat()}")
    expected = ref_add(data, _utc(a), d).astimezone(a.tzinfo) if d else a
    assert (got, got.isoformat(), got.fold) == (expected, expected.isoformat(), expected.fold)
    assert got.tzinfo is a.tzinfo


# -- laws ------------------------------------------------------------------------------------------


@st.composite
def calendar_and_instants(draw: st.DrawFn) -> tuple[Calendar, list[dt.datetime]]:
    data = draw(calendar_data())
    assume(_has_time(data) and all(_has_time(v) for v in data.get("versions", [])))
    return BusinessCalendar.from_dict(data), [draw(instants(data)) for _ in range(3)]


positive = st.integers(1, 300 * 3600 * 10**6).map(lambda us: dt.timedelta(microseconds=us))


@given(calendar_and_instants(), durations)
def test_elapsed_inverts_add(case: tuple[Calendar, list[dt.datetime]], d: dt.timedelta) -> None:
    calendar, (s, _, _) = case
    assert calendar.elapsed(s, calendar.add(s, d)) == d


@given(calendar_and_instants(), positive, positive)
def test_add_composes(
    case: tuple[Calendar, list[dt.datetime]], a: dt.timedelta, b: dt.timedelta
) -> None:
    calendar, (s, _, _) = case
    assert calendar.add(calendar.add(s, a), b) == calendar.add(s, a + b)


@given(calendar_and_instants())
def test_elapsed_is_additive_and_antisymmetric(case: tuple[Calendar, list[dt.datetime]]) -> None:
    calendar, (a, b, c) = case
    assert calendar.elapsed(a, c) == calendar.elapsed(a, b) + calendar.elapsed(b, c)
    assert calendar.elapsed(a, b) == -calendar.elapsed(b, a)


@given(calendar_and_instants(), durations, durations)
def test_add_is_monotone(
    case: tuple[Calendar, list[dt.datetime]], d1: dt.timedelta, d2: dt.timedelta
) -> None:
    calendar, (s1, s2, _) = case
    s1, s2 = sorted([s1, s2], key=_utc)
    d1, d2 = sorted([d1, d2])
    assert _utc(calendar.add(s1, d1)) <= _utc(calendar.add(s1, d2))
    assert _utc(calendar.add(s1, d1)) <= _utc(calendar.add(s2, d1))
    assert calendar.elapsed(s1, s2) >= dt.timedelta()


# -- working days ----------------------------------------------------------------------------------

working_day_counts = st.one_of(st.integers(-5, 5), st.integers(-800, 800))


@given(st.data())
def test_add_working_days_matches_the_stepping_reference(draw: st.DataObject) -> None:
    data = draw.draw(calendar_data())
    assume(_has_time(data) and all(_has_time(v) for v in data.get("versions", [])))
    calendar = BusinessCalendar.from_dict(data)
    s = draw.draw(instants(data))
    days = draw.draw(working_day_counts)
    spans_of = functools.cache(functools.partial(ref_day_spans, data))
    expected = stepping_add_working_days(spans_of, ZoneInfo(data["timezone"]), s, days)
    got = calendar.add_working_days(s, days)
    note(f"{s.isoformat()} + {days} working days -> {got.isoformat()}")
    assert _utc(got) == _utc(expected)
    assert got.tzinfo is s.tzinfo


@given(st.data())
def test_working_days_match_the_references_dates(draw: st.DataObject) -> None:
    """The index and the reference agree on which dates work, and on their spans."""
    data = draw.draw(calendar_data())
    calendar = BusinessCalendar.from_dict(data)
    day = draw.draw(_special_days(data["timezone"]))
    assert calendar.day_spans(day) == ref_day_spans(data, day)
