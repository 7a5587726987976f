"""Worked examples computed by hand: lunch breaks, make-up days, night shifts, DST nights."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from itsm_core.calendar import (
    BusinessCalendar,
    Closure,
    DayOverride,
    Holiday,
    HolidayRule,
    PatternVersion,
    Weekday,
    WeeklyPattern,
    Window,
)
from itsm_core.errors import CalendarCoverageError, NoWorkingTimeError

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")
H = dt.timedelta(hours=1)
WORKDAYS = (Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY)


def at(
    zone: dt.tzinfo,
    year: int,
    month: int,
    day: int,
    hour: int = 0,
    minute: int = 0,
    *,
    fold: int = 0,
) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=zone, fold=fold)


def utc(t: dt.datetime) -> dt.datetime:
    return t.astimezone(dt.UTC)


@pytest.fixture(scope="module")
def office() -> BusinessCalendar:
    """Chinese office hours with a lunch break, National Day 2025 and its make-up days."""
    return BusinessCalendar(
        name="office",
        timezone="Asia/Shanghai",
        weekly=WeeklyPattern.uniform(
            [Window.of("09:00", "12:00"), Window.of("13:00", "18:00")], *WORKDAYS
        ),
        holidays=[Holiday(dt.date(2025, 10, 1), dt.date(2025, 10, 8), "National Day")],
        overrides={
            dt.date(2025, 9, 28): DayOverride(like=Weekday.MONDAY, name="make-up"),
            dt.date(2025, 10, 11): DayOverride(like=Weekday.MONDAY, name="make-up"),
        },
    )


def test_lunch_break(office: BusinessCalendar) -> None:
    monday = at(SHANGHAI, 2025, 3, 3, 11)
    assert office.add(monday, 2 * H) == at(SHANGHAI, 2025, 3, 3, 14)
    assert office.add(at(SHANGHAI, 2025, 3, 7, 17), 2 * H) == at(SHANGHAI, 2025, 3, 10, 10)
    assert office.elapsed(at(SHANGHAI, 2025, 3, 7, 16), at(SHANGHAI, 2025, 3, 10, 10)) == 3 * H
    assert (
        office.elapsed(at(SHANGHAI, 2025, 3, 3, 12), at(SHANGHAI, 2025, 3, 3, 13)) == dt.timedelta()
    )


def test_boundary_convention(office: BusinessCalendar) -> None:
    # A deadline that ends exactly at a closing time stays there...
    assert office.add(at(SHANGHAI, 2025, 3, 3, 10), 2 * H) == at(SHANGHAI, 2025, 3, 3, 12)
    assert office.add(at(SHANGHAI, 2025, 3, 7, 10), 7 * H) == at(SHANGHAI, 2025, 3, 7, 18)
    # ...and counting backwards lands on an opening.
    assert office.add(at(SHANGHAI, 2025, 3, 3, 14), -H) == at(SHANGHAI, 2025, 3, 3, 13)
    assert office.add(at(SHANGHAI, 2025, 3, 10, 10), -H) == at(SHANGHAI, 2025, 3, 10, 9)
    assert office.add(at(SHANGHAI, 2025, 3, 10, 9), -H) == at(SHANGHAI, 2025, 3, 7, 17)
    assert office.add(at(SHANGHAI, 2025, 3, 8, 9), dt.timedelta()) == at(SHANGHAI, 2025, 3, 8, 9)


def test_make_up_days_and_holidays(office: BusinessCalendar) -> None:
    # Friday evening to Monday morning: Sunday 28 September is a working day.
    assert office.elapsed(at(SHANGHAI, 2025, 9, 26, 18), at(SHANGHAI, 2025, 9, 29, 9)) == 8 * H
    # Tuesday 30 September 17:00 + 2 h skips 1-8 October and lands on Thursday 9 October.
    assert office.add(at(SHANGHAI, 2025, 9, 30, 17), 2 * H) == at(SHANGHAI, 2025, 10, 9, 10)
    # Saturday 11 October works, so Friday 18:00 + 1 h is Saturday 10:00.
    assert office.add(at(SHANGHAI, 2025, 10, 10, 18), H) == at(SHANGHAI, 2025, 10, 11, 10)
    assert not office.is_working(at(SHANGHAI, 2025, 10, 3, 10))
    assert office.is_working(at(SHANGHAI, 2025, 9, 28, 10))


def test_results_keep_the_callers_time_zone(office: BusinessCalendar) -> None:
    start = at(dt.UTC, 2025, 3, 3, 3)  # 11:00 in Shanghai
    deadline = office.add(start, 2 * H)
    assert deadline.tzinfo is dt.UTC
    assert deadline == at(dt.UTC, 2025, 3, 3, 6)


@pytest.fixture(scope="module")
def night() -> BusinessCalendar:
    """Mon-Fri night shift 22:00-06:00 in London, holiday on Wednesday 15 January 2025."""
    return BusinessCalendar(
        timezone="Europe/London",
        weekly=WeeklyPattern.uniform([Window.of("22:00", "30:00")], *WORKDAYS),
        holidays=[Holiday(dt.date(2025, 1, 15))],
    )


def test_night_shift_belongs_to_the_day_it_starts(night: BusinessCalendar) -> None:
    # Tuesday's shift runs into Wednesday morning; the Wednesday holiday cancels Wednesday's.
    tuesday = at(LONDON, 2025, 1, 14, 20)
    assert night.elapsed(tuesday, tuesday + 48 * H) == 8 * H
    assert night.is_working(at(LONDON, 2025, 1, 15, 5))
    assert not night.is_working(at(LONDON, 2025, 1, 15, 23))
    # Friday 23:00 + 5 h is Saturday 04:00 (the shift runs to Saturday 06:00).
    assert night.add(at(LONDON, 2025, 1, 17, 23), 5 * H) == at(LONDON, 2025, 1, 18, 4)
    # Monday 07:00 - 2 h is Saturday 04:00, in the tail of Friday's shift.
    assert night.add(at(LONDON, 2025, 1, 20, 7), -2 * H) == at(LONDON, 2025, 1, 18, 4)
    assert night.next_working(at(LONDON, 2025, 1, 18, 7)) == at(LONDON, 2025, 1, 20, 22)
    assert night.previous_working(at(LONDON, 2025, 1, 18, 7)) == at(LONDON, 2025, 1, 18, 6)


def small_hours(zone: str, start: str = "00:00", end: str = "05:00") -> BusinessCalendar:
    return BusinessCalendar(timezone=zone, weekly=WeeklyPattern.uniform([Window.of(start, end)]))


def test_spring_forward_night_is_short() -> None:
    cal = small_hours("America/New_York")
    midnight = at(NEW_YORK, 2024, 3, 10)
    assert cal.elapsed(midnight, at(NEW_YORK, 2024, 3, 10, 6)) == 4 * H
    assert cal.add(midnight, 3 * H) == at(NEW_YORK, 2024, 3, 10, 4)
    # An hour-long window inside the gap has no working time.
    gap = small_hours("America/New_York", "02:00", "03:00")
    assert gap.elapsed(midnight, midnight + 24 * H) == dt.timedelta()
    # A boundary inside the gap is read with the offset before it (02:30 -> 03:30 EDT).
    late = small_hours("America/New_York", "02:30", "04:00")
    assert late.elapsed(midnight, at(NEW_YORK, 2024, 3, 10, 12)) == dt.timedelta(minutes=30)
    assert late.next_working(midnight) == at(NEW_YORK, 2024, 3, 10, 3, 30)


def test_fall_back_night_counts_the_repeated_hour_twice() -> None:
    cal = small_hours("America/New_York")
    midnight = at(NEW_YORK, 2024, 11, 3)
    assert cal.elapsed(midnight, at(NEW_YORK, 2024, 11, 3, 6)) == 6 * H
    assert cal.add(midnight, 3 * H) == at(NEW_YORK, 2024, 11, 3, 1, fold=1) + H
    assert utc(cal.add(midnight, 3 * H)) == at(dt.UTC, 2024, 11, 3, 7)
    repeated = small_hours("America/New_York", "01:00", "02:00")
    assert repeated.elapsed(midnight, midnight + 24 * H) == 2 * H
    # An ambiguous boundary is its first occurrence: 01:30 EDT.
    half = small_hours("America/New_York", "01:30", "04:00")
    assert half.elapsed(midnight, midnight + 24 * H) == dt.timedelta(hours=3, minutes=30)
    assert utc(half.next_working(midnight)) == at(dt.UTC, 2024, 11, 3, 5, 30)


def test_lord_howe_half_hour_shift() -> None:
    cal = small_hours("Australia/Lord_Howe", "00:00", "06:00")
    spring = at(LORD_HOWE, 2024, 10, 6)  # 02:00 -> 02:30
    assert cal.elapsed(spring, spring + 12 * H) == dt.timedelta(hours=5, minutes=30)
    autumn = at(LORD_HOWE, 2024, 4, 7)  # 02:00 -> 01:30
    assert cal.elapsed(autumn, autumn + 12 * H) == dt.timedelta(hours=6, minutes=30)
    assert cal.add(spring, 3 * H) == at(LORD_HOWE, 2024, 10, 6, 3, 30)


def test_round_the_clock_is_physical_time() -> None:
    cal = BusinessCalendar(
        timezone="Europe/London", weekly=WeeklyPattern.uniform([Window.of("00:00", "24:00")])
    )
    start = at(LONDON, 2025, 3, 30)
    assert cal.elapsed(start, at(LONDON, 2025, 3, 31)) == 23 * H
    # Physical hours: 48 h later is 01:00 on 1 April, not the wall-clock "start + 48 h".
    assert cal.add(start, 48 * H) == at(LONDON, 2025, 4, 1, 1)
    assert utc(cal.add(start, 48 * H)) == utc(start) + 48 * H
    assert cal.is_working(at(LONDON, 2025, 6, 1))
    end = at(LONDON, 2025, 4, 2)
    assert cal.working_intervals(start, end) == ((start, end),)


def test_versions_holiday_rules_closures() -> None:
    nine_to_five = WeeklyPattern.uniform([Window.of("09:00", "17:00")], *WORKDAYS)
    seven_to_three = WeeklyPattern.uniform([Window.of("07:00", "15:00")], *WORKDAYS)
    cal = BusinessCalendar(
        timezone="Europe/London",
        weekly=nine_to_five,
        versions=[PatternVersion(dt.date(2025, 6, 1), seven_to_three)],
        holiday_rules=[HolidayRule("DTSTART:20000101\nRRULE:FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25")],
        closures=[Closure(at(LONDON, 2025, 3, 4, 10), at(LONDON, 2025, 3, 4, 12), "upgrade")],
    )
    assert cal.add(at(LONDON, 2025, 5, 30, 16), 2 * H) == at(LONDON, 2025, 6, 2, 8)
    assert not cal.is_working(at(LONDON, 2026, 12, 25, 10))
    assert cal.is_holiday(dt.date(2030, 12, 25))
    assert cal.elapsed(at(LONDON, 2025, 3, 4, 9), at(LONDON, 2025, 3, 4, 17)) == 6 * H
    assert cal.working_intervals(at(LONDON, 2025, 3, 4, 9), at(LONDON, 2025, 3, 4, 18)) == (
        (at(LONDON, 2025, 3, 4, 9), at(LONDON, 2025, 3, 4, 10)),
        (at(LONDON, 2025, 3, 4, 12), at(LONDON, 2025, 3, 4, 17)),
    )


def test_partial_days() -> None:
    cal = BusinessCalendar(
        timezone="Europe/London",
        weekly=WeeklyPattern.uniform([Window.of("09:00", "17:00")], *WORKDAYS),
        overrides={
            dt.date(2025, 12, 24): DayOverride(
                remove=[Window.of("12:00", "24:00")], name="half day"
            ),
            dt.date(2025, 12, 23): DayOverride(add=[Window.of("18:00", "21:00")], name="evening"),
            dt.date(2025, 12, 22): DayOverride(windows=[Window.of("10:00", "11:00")]),
        },
    )
    day = dt.timedelta(days=1)
    assert cal.elapsed(at(LONDON, 2025, 12, 24), at(LONDON, 2025, 12, 24) + day) == 3 * H
    assert cal.elapsed(at(LONDON, 2025, 12, 23), at(LONDON, 2025, 12, 23) + day) == 11 * H
    assert cal.elapsed(at(LONDON, 2025, 12, 22), at(LONDON, 2025, 12, 22) + day) == H


def test_working_days(office: BusinessCalendar) -> None:
    # Two working days later, at the same working position.
    assert office.add_working_days(at(SHANGHAI, 2025, 3, 6, 14), 2) == at(SHANGHAI, 2025, 3, 10, 14)
    assert office.add_working_days(at(SHANGHAI, 2025, 3, 10, 14), -2) == at(
        SHANGHAI, 2025, 3, 6, 14
    )
    # Across National Day: Tuesday 30 September + 1 working day is Thursday 9 October.
    assert office.add_working_days(at(SHANGHAI, 2025, 9, 30, 10), 1) == at(
        SHANGHAI, 2025, 10, 9, 10
    )
    # From a day off: the clock starts at the next opening (Monday 09:00), so + 1 is Tuesday 09:00.
    assert office.add_working_days(at(SHANGHAI, 2025, 3, 8, 15), 1) == at(SHANGHAI, 2025, 3, 11, 9)
    # After closing: Monday 20:00 is Monday's closing position.
    assert office.add_working_days(at(SHANGHAI, 2025, 3, 10, 20), 1) == at(
        SHANGHAI, 2025, 3, 11, 18
    )
    assert office.add_working_days(at(SHANGHAI, 2025, 3, 10, 20), 0) == at(
        SHANGHAI, 2025, 3, 10, 20
    )


def test_working_days_half_day_and_night_shift(night: BusinessCalendar) -> None:
    half = BusinessCalendar(
        timezone="Asia/Shanghai",
        weekly=WeeklyPattern.uniform([Window.of("09:00", "18:00")], *WORKDAYS),
        overrides={dt.date(2025, 3, 11): DayOverride(windows=[Window.of("09:00", "12:00")])},
    )
    # Position 5 h on Monday; Tuesday has only 3 h, so the day's closing time.
    assert half.add_working_days(at(SHANGHAI, 2025, 3, 10, 14), 1) == at(SHANGHAI, 2025, 3, 11, 12)
    # 02:00 on Tuesday belongs to Monday's shift (position 4 h); one day later: Wednesday 02:00.
    assert night.add_working_days(at(LONDON, 2025, 1, 21, 2), 1) == at(LONDON, 2025, 1, 22, 2)


def weekdays_9_to_17(zone: str = "Europe/London", **fields: Any) -> BusinessCalendar:
    return BusinessCalendar(
        timezone=zone,
        weekly=WeeklyPattern.uniform([Window.of("09:00", "17:00")], *WORKDAYS),
        **fields,
    )


def test_working_days_hundreds_and_thousands() -> None:
    cal = weekdays_9_to_17()
    monday = at(LONDON, 2025, 3, 3, 10)
    # Without holidays, 5 working days are one week: 250 are 50 weeks, 2600 are 520 weeks.
    for count, weeks in ((250, 50), (2600, 520)):
        day = dt.date(2025, 3, 3) + dt.timedelta(weeks=weeks)
        later = at(LONDON, day.year, day.month, day.day, 10)
        assert cal.add_working_days(monday, count) == later
        assert cal.add_working_days(later, -count) == monday
    # Friday + 1 is Monday, + 6 is the Monday after.
    assert cal.add_working_days(at(LONDON, 2025, 3, 7, 16), 1) == at(LONDON, 2025, 3, 10, 16)
    assert cal.add_working_days(at(LONDON, 2025, 3, 7, 16), 6) == at(LONDON, 2025, 3, 17, 16)


def test_working_days_across_holidays_make_up_days_and_new_year(
    office: BusinessCalendar,
) -> None:
    # Tuesday 30 September + 5: Thu 9, Fri 10, Sat 11 (make-up), Mon 13, Tue 14 October.
    tuesday = at(SHANGHAI, 2025, 9, 30, 10)
    assert office.add_working_days(tuesday, 5) == at(SHANGHAI, 2025, 10, 14, 10)
    assert office.add_working_days(at(SHANGHAI, 2025, 10, 14, 10), -5) == tuesday
    # Seven back from Tuesday 14 October: Monday 29 then Sunday 28 September (make-up).
    assert office.add_working_days(at(SHANGHAI, 2025, 10, 14, 10), -7) == at(
        SHANGHAI, 2025, 9, 28, 10
    )
    # Across New Year's Eve (no New Year holiday in this calendar): Wed 31 December -> Fri 2.
    assert office.add_working_days(at(SHANGHAI, 2025, 12, 31, 15), 2) == at(
        SHANGHAI, 2026, 1, 2, 15
    )
    assert office.add_working_days(at(SHANGHAI, 2026, 1, 2, 15), -2) == at(
        SHANGHAI, 2025, 12, 31, 15
    )
    # Opening and closing positions: 0 h and the whole 8 h day.
    assert office.add_working_days(at(SHANGHAI, 2025, 3, 3, 9), 1) == at(SHANGHAI, 2025, 3, 4, 9)
    assert office.add_working_days(at(SHANGHAI, 2025, 3, 3, 18), 1) == at(SHANGHAI, 2025, 3, 4, 18)
    # At the lunch break the position is 3 h: the next day's 12:00 (the earliest such instant).
    assert office.add_working_days(at(SHANGHAI, 2025, 3, 3, 12, 30), 1) == at(
        SHANGHAI, 2025, 3, 4, 12
    )


def test_working_days_keep_the_position_across_daylight_saving() -> None:
    always = BusinessCalendar(
        timezone="America/New_York", weekly=WeeklyPattern.uniform([Window.of("00:00", "24:00")])
    )
    # Noon on Saturday 8 March 2025 is 12 h into the day; Sunday has 23 h (spring forward), and
    # 12 h after its midnight (EST) is 13:00 EDT.
    saturday = at(NEW_YORK, 2025, 3, 8, 12)
    assert always.add_working_days(saturday, 1) == at(NEW_YORK, 2025, 3, 9, 13)
    assert always.add_working_days(at(NEW_YORK, 2025, 3, 9, 13), -1) == saturday
    # Sunday 2 November has 25 h: 12 h after its midnight (EDT) is 11:00 EST.
    assert always.add_working_days(at(NEW_YORK, 2025, 11, 1, 12), 1) == at(
        NEW_YORK, 2025, 11, 2, 11
    )


def test_working_days_night_shift_across_new_year(night: BusinessCalendar) -> None:
    # 02:00 on Thursday 1 January 2026 belongs to Wednesday's shift (position 4 h).
    new_year = at(LONDON, 2026, 1, 1, 2)
    assert night.add_working_days(new_year, 1) == at(LONDON, 2026, 1, 2, 2)
    assert night.add_working_days(new_year, 3) == at(LONDON, 2026, 1, 6, 2)  # Monday's shift
    assert night.add_working_days(new_year, -1) == at(LONDON, 2025, 12, 31, 2)


def test_working_days_coverage() -> None:
    cal = weekdays_9_to_17("UTC", coverage=(dt.date(2025, 1, 1), dt.date(2025, 12, 31)))
    tuesday = at(dt.UTC, 2025, 12, 30, 10)
    assert cal.add_working_days(tuesday, 1) == at(dt.UTC, 2025, 12, 31, 10)
    with pytest.raises(CalendarCoverageError):
        cal.add_working_days(tuesday, 2)  # Thursday 1 January 2026 is not covered
    assert cal.add_working_days(tuesday, 2, extrapolate=True) == at(dt.UTC, 2026, 1, 1, 10)
    with pytest.raises(CalendarCoverageError):
        cal.add_working_days(at(dt.UTC, 2024, 12, 31, 10), 1)


def test_working_days_across_long_gaps() -> None:
    empty = WeeklyPattern()
    weekdays = WeeklyPattern.uniform([Window.of("09:00", "17:00")], *WORKDAYS)
    # No working day before 2030: from 2025 the clock starts at Tuesday 1 January 2030 09:00.
    later = BusinessCalendar(
        timezone="UTC", weekly=empty, versions=[PatternVersion(dt.date(2030, 1, 1), weekdays)]
    )
    assert later.add_working_days(at(dt.UTC, 2025, 6, 2, 10), 1) == at(dt.UTC, 2030, 1, 2, 9)
    with pytest.raises(NoWorkingTimeError):
        later.add_working_days(at(dt.UTC, 2030, 1, 1, 10), -1)
    # 45 years without a working day are crossed; 51 years are not (the search gives up after
    # 50 years of 366 days, whichever years were looked at first).
    for gap, crossed in ((45, True), (51, False)):
        resumed = dt.date(2030 + gap, 1, 1)
        while resumed.weekday() >= 5:
            resumed += dt.timedelta(days=1)
        first = at(dt.UTC, resumed.year, resumed.month, resumed.day, 10)
        friday, monday = at(dt.UTC, 2029, 12, 28, 10), at(dt.UTC, 2029, 12, 31, 10)
        for later_years_first in (True, False):
            cal = BusinessCalendar(
                timezone="UTC",
                weekly=weekdays,
                versions=[
                    PatternVersion(dt.date(2030, 1, 1), empty),
                    PatternVersion(dt.date(2030 + gap, 1, 1), weekdays),
                ],
            )
            if later_years_first:
                assert cal.add_working_days(first, 1) > first
            assert cal.add_working_days(friday, 1) == monday
            walks = [(monday, 1, first), (friday, 2, first), (first, -1, monday)]
            walks.append((cal.add_working_days(first, 1), -3, friday))
            for start, count, expected in walks:
                if crossed:
                    assert cal.add_working_days(start, count) == expected
                else:
                    with pytest.raises(NoWorkingTimeError):
                        cal.add_working_days(start, count)
