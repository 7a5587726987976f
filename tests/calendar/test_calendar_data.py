"""Plain data in and out, validation that reports every problem, and coverage limits."""

from __future__ import annotations

import copy
import datetime as dt
import json
import pickle
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from itsm_core.calendar import (
    BusinessCalendar,
    Calendar,
    Closure,
    CombinedCalendar,
    DayOverride,
    Holiday,
    HolidayRule,
    Weekday,
    WeeklyPattern,
    Window,
)
from itsm_core.errors import (
    CalendarCoverageError,
    InvalidCalendar,
    NaiveDatetimeError,
    NoWorkingTimeError,
    ValidationError,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
H = dt.timedelta(hours=1)

FULL: dict[str, Any] = {
    "name": "cn-office",
    "timezone": "Asia/Shanghai",
    "weekly": {
        "monday": [["09:00", "12:00"], ["13:00", "18:00"]],
        "tuesday": [["09:00", "12:00"], ["13:00", "18:00"]],
        "wednesday": [["09:00", "12:00"], ["13:00", "18:00"]],
        "thursday": [["09:00", "12:00"], ["13:00", "18:00"]],
        "friday": [["22:00", "30:00:30.500000"]],
        "saturday": [],
        "sunday": [],
    },
    "versions": [
        {
            "valid_from": "2026-01-01",
            "weekly": {
                d: []
                for d in (
                    "monday",
                    "tuesday",
                    "wednesday",
                    "thursday",
                    "friday",
                    "saturday",
                    "sunday",
                )
            },
        },
    ],
    "holidays": [
        "2025-01-01",
        {"start": "2025-10-01", "end": "2025-10-08", "name": "National Day"},
        {"start": "2025-05-01", "name": "Labour Day"},
    ],
    "holiday_rules": [
        {
            "rrule": "DTSTART:20000101\nRRULE:FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25",
            "name": "Christmas",
        }
    ],
    "overrides": {
        "2025-09-28": {"like": "monday", "name": "make-up"},
        "2025-12-24": {"remove": [["12:00", "24:00"]]},
        "2025-12-30": {"windows": [["09:00", "12:00"]], "add": [["19:00", "21:00"]]},
        "2025-12-31": {"windows": []},
    },
    "closures": [
        {
            "start": "2025-03-01T22:00:00+08:00",
            "end": "2025-03-02T02:00:00+08:00",
            "name": "upgrade",
        }
    ],
    "coverage": {"start": "2025-01-01", "end": "2025-12-31"},
    "extrapolate": False,
}


def test_round_trip_through_json() -> None:
    calendar = BusinessCalendar.from_dict(FULL)
    data = json.loads(json.dumps(calendar.to_dict()))
    assert data == FULL
    assert BusinessCalendar.from_dict(data) == calendar
    assert Calendar.from_dict(data) == calendar


def test_python_construction_equals_data() -> None:
    built = BusinessCalendar(
        timezone="Asia/Shanghai",
        weekly=WeeklyPattern(monday=[Window.of("09:00", "18:00")]),
        holidays=[Holiday(dt.date(2025, 1, 1))],
        holiday_rules=[
            HolidayRule.from_rrule(HolidayRule("DTSTART:20000101\nRRULE:FREQ=YEARLY")._rule)
        ],
        overrides={dt.date(2025, 1, 4): DayOverride(like=Weekday.MONDAY)},
        closures=[
            Closure(
                dt.datetime(2025, 1, 6, 9, tzinfo=SHANGHAI),
                dt.datetime(2025, 1, 6, 10, tzinfo=SHANGHAI),
            )
        ],
    )
    assert BusinessCalendar.from_dict(built.to_dict()) == built
    assert hash(built) == hash(BusinessCalendar.from_dict(built.to_dict()))


def test_every_problem_is_reported_with_its_path() -> None:
    bad = {
        "name": "broken",
        "timezone": "Mars/Olympus",
        "weekly": {
            "monday": [["09:00", "12:00"], ["11:00", "13:00"]],
            "tuesday": [["25:00", "26:00"], ["9am", "10:00"]],
            "sunday": [["20:00", "34:00"]],
            "someday": [],
        },
        "holidays": ["2025-13-01", {"start": "2025-02-02", "end": "2025-02-01"}],
        "holiday_rules": [{"rrule": "RRULE:FREQ=YEARLY"}],
        "overrides": {
            "2025-02-03": {"like": "funday"},
            "2025-02-04": {"windows": [], "like": "monday"},
        },
        "closures": [{"start": "2025-03-01T22:00:00", "end": "2025-03-01T23:00:00+00:00"}],
        "coverage": {"start": "2025-12-31", "end": "2025-01-01"},
        "extrapolate": "yes",
        "colour": "blue",
    }
    with pytest.raises(InvalidCalendar) as caught:
        BusinessCalendar.from_dict(bad)
    paths = {problem.path for problem in caught.value.problems}
    assert paths >= {
        "timezone",
        "weekly.monday[1]",
        "weekly.tuesday[0]",
        "weekly.tuesday[1][0]",
        "weekly.sunday[0]",
        "weekly.someday",
        "holidays[0]",
        "holidays[1].end",
        "holiday_rules[0].rrule",
        "overrides.2025-02-03.like",
        "overrides.2025-02-04.like",
        "closures[0].start",
        "coverage",
        "extrapolate",
        "colour",
    }
    assert "invalid calendar 'broken'" in str(caught.value)


def test_cross_day_and_cross_field_problems() -> None:
    data = {
        "timezone": "UTC",
        "weekly": {"monday": [["22:00", "30:00"]], "tuesday": [["05:00", "07:00"]]},
        "versions": [
            {"valid_from": "2025-02-01", "weekly": {}},
            {"valid_from": "2025-01-01", "weekly": {}},
        ],
        "holidays": ["2025-03-03"],
        "overrides": {"2025-03-03": []},
    }
    with pytest.raises(InvalidCalendar) as caught:
        BusinessCalendar.from_dict(data)
    paths = [problem.path for problem in caught.value.problems]
    assert paths == ["weekly.monday[0]", "versions[1].valid_from", "overrides.2025-03-03"]


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ([], ""),
        ({"weekly": {}}, "timezone"),
        ({"timezone": "UTC", "weekly": {"monday": "09:00"}}, "weekly.monday"),
        ({"timezone": "UTC", "weekly": {"monday": [["09:00"]]}}, "weekly.monday[0]"),
        ({"timezone": "UTC", "weekly": {}, "overrides": []}, "overrides"),
        ({"timezone": "UTC", "weekly": {}, "overrides": {"x": []}}, "overrides.x"),
        (
            {
                "timezone": "UTC",
                "weekly": {},
                "overrides": {"2025-01-01": [["10:00", "12:00"], ["11:00", "13:00"]]},
            },
            "overrides.2025-01-01[1]",
        ),
        ({"timezone": "UTC", "weekly": {}, "overrides": {"2025-01-01": 3}}, "overrides.2025-01-01"),
        (
            {"timezone": "UTC", "weekly": {}, "holidays": [{"end": "2025-01-01"}]},
            "holidays[0].start",
        ),
        (
            {"timezone": "UTC", "weekly": {}, "holidays": [{"start": "2025-01-01", "name": 3}]},
            "holidays[0].name",
        ),
        (
            {
                "timezone": "UTC",
                "weekly": {},
                "holiday_rules": [{"rrule": "DTSTART:20000101\nRRULE:FREQ=NEVER"}],
            },
            "holiday_rules[0].rrule",
        ),
        (
            {"timezone": "UTC", "weekly": {}, "holiday_rules": [{"rrule": 5}]},
            "holiday_rules[0].rrule",
        ),
        (
            {"timezone": "UTC", "weekly": {}, "versions": [{"valid_from": "2025-01-01"}]},
            "versions[0].weekly",
        ),
        (
            {
                "timezone": "UTC",
                "weekly": {},
                "closures": [{"start": "nope", "end": "2025-01-01T00:00:00+00:00"}],
            },
            "closures[0].start",
        ),
        (
            {
                "timezone": "UTC",
                "weekly": {},
                "closures": [
                    {"start": "2025-01-02T00:00:00+00:00", "end": "2025-01-01T00:00:00+00:00"}
                ],
            },
            "closures[0].end",
        ),
        ({"timezone": "UTC", "weekly": {}, "coverage": {"start": "2025-01-01"}}, "coverage.end"),
        ({"timezone": 7, "weekly": {}}, "timezone"),
        ({"timezone": "UTC", "weekly": {"monday": [["09:00", "09:00"]]}}, "weekly.monday[0]"),
        ({"timezone": "UTC", "weekly": {"monday": [["09:00", "61:00"]]}}, "weekly.monday[0][1]"),
        ({"timezone": "UTC", "weekly": {"monday": [["09:00", "10:75"]]}}, "weekly.monday[0][1]"),
        ({"timezone": "UTC", "weekly": {"monday": [["00:00", "24:00:01"]]}}, "weekly.monday[0]"),
        ({"union": [{"timezone": "UTC", "weekly": {}}]}, "union"),
        ({"union": [], "intersection": []}, ""),
        (
            {"union": [{"timezone": "UTC", "weekly": {}}, {"timezone": "x", "weekly": {}}]},
            "union[1].timezone",
        ),
    ],
)
def test_single_problems(data: object, path: str) -> None:
    with pytest.raises(InvalidCalendar) as caught:
        Calendar.from_dict(data)
    assert path in {problem.path for problem in caught.value.problems}


def test_python_constructors_validate() -> None:
    with pytest.raises(InvalidCalendar):
        Window.of("18:00", "09:00")
    with pytest.raises(InvalidCalendar):
        Window.of("9", "10:00")
    with pytest.raises(InvalidCalendar):
        WeeklyPattern(monday=[Window.of("09:00", "12:00"), Window.of("10:00", "11:00")])
    with pytest.raises(InvalidCalendar):
        Holiday(dt.date(2025, 1, 2), dt.date(2025, 1, 1))
    with pytest.raises(InvalidCalendar):
        Holiday(dt.datetime(2025, 1, 2, tzinfo=SHANGHAI))
    with pytest.raises(InvalidCalendar):
        HolidayRule("FREQ=YEARLY")
    with pytest.raises(InvalidCalendar):
        DayOverride(windows=(), like=Weekday.MONDAY)
    with pytest.raises(InvalidCalendar):
        Closure(dt.datetime(2025, 1, 1), dt.datetime(2025, 1, 2))
    with pytest.raises(InvalidCalendar):
        BusinessCalendar(timezone="Nowhere/City", weekly=WeeklyPattern())
    with pytest.raises(InvalidCalendar):
        CombinedCalendar("union", [BusinessCalendar(timezone="UTC", weekly=WeeklyPattern())])
    with pytest.raises(InvalidCalendar):
        CombinedCalendar("xor", [1, 2])  # type: ignore[arg-type, list-item]


def test_helpers() -> None:
    window = Window.of("22:00", dt.timedelta(hours=30))
    assert window.overnight
    assert str(window) == "22:00-30:00"
    assert not Window.of("09:00", "17:00").overnight
    pattern = WeeklyPattern.from_days({Weekday.SATURDAY: [window]})
    assert pattern.day(Weekday.SATURDAY) == (window,)
    assert pattern.day(0) == ()
    assert DayOverride(windows=()).is_day_off
    assert not DayOverride().is_day_off
    assert Holiday(dt.date(2025, 1, 1)).to_data() == "2025-01-01"
    assert HolidayRule("DTSTART:20000101T000000Z\nRRULE:FREQ=YEARLY").dates_between(
        dt.date(2025, 1, 1), dt.date(2025, 12, 31)
    ) == [dt.date(2025, 1, 1)]
    with pytest.raises(InvalidCalendar):
        HolidayRule("DTSTART:20000101\nRRULE:FREQ=YEARLY\nRRULE:FREQ=DAILY")


def test_combined_round_trip_and_operators() -> None:
    a = BusinessCalendar(
        timezone="Asia/Shanghai", weekly=WeeklyPattern.uniform([Window.of("09:00", "18:00")])
    )
    b = BusinessCalendar(
        timezone="Europe/London", weekly=WeeklyPattern.uniform([Window.of("09:00", "18:00")])
    )
    for combined in (a | b, a & b, a - b, a.union(b, name="sun")):
        assert Calendar.from_dict(json.loads(json.dumps(combined.to_dict()))) == combined
    start = dt.datetime(2025, 1, 6, tzinfo=dt.UTC)
    day = dt.timedelta(days=1)
    # Shanghai 01:00-10:00 UTC, London 09:00-18:00 UTC in January: overlap 09:00-10:00.
    assert (a | b).elapsed(start, start + day) == 17 * H
    assert (a & b).elapsed(start, start + day) == H
    assert (a - b).elapsed(start, start + day) == 8 * H
    assert (
        BusinessCalendar(timezone="UTC", weekly=WeeklyPattern())
        .union(a, b)
        .elapsed(start, start + day)
        == 17 * H
    )


def test_naive_and_wrong_inputs_raise() -> None:
    cal = BusinessCalendar(
        timezone="UTC", weekly=WeeklyPattern.uniform([Window.of("09:00", "17:00")])
    )
    naive = dt.datetime(2025, 1, 1, 10)
    aware = naive.replace(tzinfo=dt.UTC)
    with pytest.raises(NaiveDatetimeError):
        cal.add(naive, H)
    with pytest.raises(NaiveDatetimeError):
        cal.elapsed(aware, naive)
    with pytest.raises(ValidationError):
        cal.is_working(dt.date(2025, 1, 1))  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        cal.add(aware, 3)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        cal.add_working_days(aware, 1.5)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        cal.is_working(dt.datetime(1, 1, 1, tzinfo=dt.UTC))


def test_coverage_limits_and_extrapolation() -> None:
    data = {**FULL, "versions": []}
    cal = BusinessCalendar.from_dict(data)
    inside = dt.datetime(2025, 12, 30, 9, tzinfo=SHANGHAI)
    beyond = dt.datetime(2026, 1, 5, 9, tzinfo=SHANGHAI)
    with pytest.raises(CalendarCoverageError) as caught:
        cal.elapsed(inside, beyond)
    assert caught.value.requested == dt.date(2026, 1, 5)
    assert caught.value.covered == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    with pytest.raises(CalendarCoverageError):
        cal.add(inside, 20 * H)  # the result lies in 2026
    for method in (cal.is_working, cal.next_working, cal.previous_working):
        with pytest.raises(CalendarCoverageError):
            method(beyond)
    # 30 Dec: 09-12 and 19-21; 31 Dec off; Thu 1 Jan 2026 8 h (no holiday data for 2026);
    # Friday's night shift 22:00 to 06:00:30.5.
    worked = 3 * H + 2 * H + 8 * H + 8 * H + dt.timedelta(seconds=30.5)
    assert cal.elapsed(inside, beyond, extrapolate=True) == worked
    assert cal.add(inside, 20 * H, extrapolate=True) > beyond - 4 * 24 * H
    # The instant at midnight closing the last covered day is still inside.
    assert cal.elapsed(inside, dt.datetime(2026, 1, 1, tzinfo=SHANGHAI)) == 5 * H
    free = BusinessCalendar.from_dict({**data, "extrapolate": True})
    assert free.elapsed(inside, beyond) == worked
    other = BusinessCalendar(
        timezone="UTC", weekly=WeeklyPattern.uniform([Window.of("00:00", "24:00")])
    )
    with pytest.raises(CalendarCoverageError):
        (cal | other).elapsed(inside, beyond)


def test_no_working_time_is_an_error_not_a_hang() -> None:
    empty = BusinessCalendar(timezone="UTC", weekly=WeeklyPattern())
    start = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    with pytest.raises(NoWorkingTimeError):
        empty.add(start, H)
    with pytest.raises(NoWorkingTimeError):
        empty.add(start, -H)
    with pytest.raises(NoWorkingTimeError):
        empty.next_working(start)
    with pytest.raises(NoWorkingTimeError):
        empty.previous_working(start)
    with pytest.raises(NoWorkingTimeError):
        empty.add_working_days(start, 1)
    assert empty.elapsed(start, start + 1000 * H) == dt.timedelta()
    assert pickle.loads(pickle.dumps(NoWorkingTimeError("x", "forward", 50))).years == 50


def test_working_days_at_the_ends_of_the_computable_years() -> None:
    cal = BusinessCalendar(
        timezone="UTC", weekly=WeeklyPattern.uniform([Window.of("09:00", "17:00")])
    )
    with pytest.raises(ValidationError, match="outside the years 2-9997"):
        cal.add_working_days(dt.datetime(1, 1, 1, 10, tzinfo=dt.UTC), 1)
    last = dt.datetime(9997, 12, 31, 10, tzinfo=dt.UTC)
    assert cal.add_working_days(last, -1) == dt.datetime(9997, 12, 30, 10, tzinfo=dt.UTC)
    with pytest.raises(NoWorkingTimeError, match="forward"):
        cal.add_working_days(last, 1)  # 9998 is past the years the calendar computes


def test_copies_pickles_and_fill_order() -> None:
    cal = BusinessCalendar.from_dict({**FULL, "coverage": None})
    a = dt.datetime(2024, 2, 1, 10, tzinfo=SHANGHAI)
    b = dt.datetime(2031, 7, 1, 10, tzinfo=SHANGHAI)
    expected = cal.elapsed(a, b)
    for other in (pickle.loads(pickle.dumps(cal)), copy.deepcopy(cal)):
        assert other == cal
        other.is_working(dt.datetime(2040, 1, 1, tzinfo=SHANGHAI))  # fill years in another order
        other.is_working(dt.datetime(2019, 1, 1, tzinfo=SHANGHAI))
        assert other.elapsed(a, b) == expected
        assert other.add(a, expected) == cal.add(a, expected)
        c = dt.datetime(2025, 11, 3, 10, tzinfo=SHANGHAI)
        other.add_working_days(dt.datetime(2019, 1, 1, tzinfo=SHANGHAI), 1)  # index 2019 first
        assert other.add_working_days(a, 300) == cal.add_working_days(a, 300)
        assert other.add_working_days(c, -300) == cal.add_working_days(c, -300)
