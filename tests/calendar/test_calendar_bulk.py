"""Bulk forms agree with the scalar ones; concurrent use of one calendar agrees with serial use."""

from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsm_core.calendar import BusinessCalendar, Weekday, WeeklyPattern, Window
from itsm_core.errors import CalendarCoverageError, NaiveDatetimeError, ValidationError

NEW_YORK = ZoneInfo("America/New_York")
CALENDAR = BusinessCalendar(
    timezone="America/New_York",
    weekly=WeeklyPattern(
        monday=[Window.of("09:00", "12:00"), Window.of("13:00", "17:00")],
        tuesday=[Window.of("00:00", "05:00")],
        wednesday=[Window.of("22:00", "30:00")],
        saturday=[Window.of("01:00", "03:00")],
        sunday=[Window.of("01:00", "03:00")],
    ),
)

instants = st.datetimes(
    dt.datetime(2023, 1, 1), dt.datetime(2027, 12, 31), timezones=st.just(NEW_YORK)
)
durations = st.timedeltas(-dt.timedelta(days=400), dt.timedelta(days=400))


@given(st.lists(st.tuples(instants, instants, durations), min_size=1, max_size=30))
def test_bulk_lists_match_scalar(rows: list[tuple[dt.datetime, dt.datetime, dt.timedelta]]) -> None:
    starts = [a for a, _, _ in rows]
    ends = [b for _, b, _ in rows]
    spans = [d for _, _, d in rows]
    assert CALENDAR.elapsed_many(starts, ends) == [
        CALENDAR.elapsed(a, b) for a, b in zip(starts, ends, strict=True)
    ]
    got = CALENDAR.add_many(starts, spans)
    assert got == [CALENDAR.add(s, d) for s, d in zip(starts, spans, strict=True)]
    assert all(g.tzinfo is s.tzinfo for g, s in zip(got, starts, strict=True))


@given(st.lists(st.tuples(instants, instants, durations), min_size=1, max_size=30))
def test_bulk_arrays_match_scalar(
    rows: list[tuple[dt.datetime, dt.datetime, dt.timedelta]],
) -> None:
    def as_array(values: list[dt.datetime]) -> np.ndarray:
        return np.array(
            [v.astimezone(dt.UTC).replace(tzinfo=None) for v in values], dtype="datetime64[us]"
        )

    starts = as_array([a for a, _, _ in rows])
    ends = as_array([b for _, b, _ in rows])
    spans = np.array([d for _, _, d in rows], dtype="timedelta64[us]")
    elapsed = CALENDAR.elapsed_many(starts, ends)
    assert elapsed.dtype == np.dtype("timedelta64[us]")
    assert elapsed.tolist() == [CALENDAR.elapsed(a, b) for a, b, _ in rows]
    added = CALENDAR.add_many(starts, spans)
    expected = [CALENDAR.add(a, d).astimezone(dt.UTC).replace(tzinfo=None) for a, _, d in rows]
    assert added.tolist() == expected


def test_bulk_edge_cases() -> None:
    empty = np.array([], dtype="datetime64[us]")
    assert CALENDAR.elapsed_many(empty, empty).size == 0
    assert CALENDAR.add_many(empty, np.array([], dtype="timedelta64[us]")).size == 0
    assert CALENDAR.elapsed_many([], []) == []
    assert CALENDAR.add_many([], []) == []
    with pytest.raises(ValidationError):
        CALENDAR.elapsed_many([dt.datetime(2025, 1, 1, tzinfo=dt.UTC)], [])
    with pytest.raises(NaiveDatetimeError):
        CALENDAR.elapsed_many([dt.datetime(2025, 1, 1)], [dt.datetime(2025, 1, 2)])
    nat = np.array(["NaT"], dtype="datetime64[us]")
    with pytest.raises(ValidationError):
        CALENDAR.elapsed_many(nat, nat)
    with pytest.raises(ValidationError):
        CALENDAR.add_many(
            np.array(["2025-01-01"], dtype="datetime64[us]"),
            np.array(["NaT"], dtype="timedelta64[us]"),
        )
    covered = BusinessCalendar(
        timezone="UTC",
        weekly=WeeklyPattern.uniform([Window.of("09:00", "17:00")], Weekday.MONDAY),
        coverage=(dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
    )
    starts = np.array(["2025-12-29T10:00"], dtype="datetime64[us]")
    with pytest.raises(CalendarCoverageError):
        covered.add_many(starts, np.array([dt.timedelta(hours=8)], dtype="timedelta64[us]"))
    with pytest.raises(CalendarCoverageError):
        covered.elapsed_many(starts, np.array(["2026-01-05"], dtype="datetime64[us]"))
    ok = covered.add_many(
        starts, np.array([dt.timedelta(hours=8)], dtype="timedelta64[us]"), extrapolate=True
    )
    assert ok.tolist() == [dt.datetime(2026, 1, 5, 10)]


def test_threads_fill_the_cache_consistently() -> None:
    calendar = BusinessCalendar.from_dict(CALENDAR.to_dict())
    starts = [dt.datetime(2000 + i, 3, 1, 10, tzinfo=NEW_YORK) for i in range(40)]
    expected = [CALENDAR.add(s, dt.timedelta(hours=500)) for s in starts]
    results: dict[int, list[dt.datetime]] = {}

    def work(worker: int) -> None:
        order = starts[worker::4] + starts
        results[worker] = [calendar.add(s, dt.timedelta(hours=500)) for s in order][-len(starts) :]

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(result == expected for result in results.values())


def test_threads_fill_the_working_day_index_consistently() -> None:
    calendar = BusinessCalendar.from_dict(CALENDAR.to_dict())
    starts = [dt.datetime(2000 + i, 3, 1, 10, tzinfo=NEW_YORK) for i in range(0, 40, 3)]
    counts = [300, -300, 7, -7]
    expected = [CALENDAR.add_working_days(s, n) for s in starts for n in counts]
    results: dict[int, list[dt.datetime]] = {}

    def work(worker: int) -> None:
        order = starts[worker::4] + starts
        found = [calendar.add_working_days(s, n) for s in order for n in counts]
        results[worker] = found[-len(expected) :]

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(result == expected for result in results.values())
