"""Instants at the ends of what a datetime can show (years 1 and 9999): every calendar answers
or raises an ItsmError naming the instant, never OverflowError or ValueError ("year 0 is out of
range"), whatever the zone, the direction or what the calendar compiled before."""

from __future__ import annotations

import contextlib
import datetime as dt
import zoneinfo
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from itsm_core.calendar import TWENTY_FOUR_SEVEN, BusinessCalendar, Calendar
from itsm_core.errors import ItsmError, ValidationError

OFFICE = {
    "name": "office",
    "timezone": "Asia/Shanghai",
    "weekly": {"monday": [["09:00", "18:00"]], "saturday": [["22:00", "24:00"]]},
}
NEW_YORK = {**OFFICE, "name": "new-york", "timezone": "America/New_York"}
EAST = dt.timezone(dt.timedelta(hours=14))
WEST = dt.timezone(dt.timedelta(hours=-12))
ZONES = st.sampled_from(
    [dt.UTC, EAST, WEST, zoneinfo.ZoneInfo("Asia/Shanghai"), zoneinfo.ZoneInfo("America/New_York")]
)
NEAR_THE_ENDS = st.one_of(
    st.datetimes(dt.datetime(1, 1, 1), dt.datetime(1, 1, 10), timezones=ZONES),
    st.datetimes(dt.datetime(2, 1, 1), dt.datetime(2, 2, 1), timezones=ZONES),
    st.datetimes(dt.datetime(9997, 12, 1), dt.datetime(9997, 12, 31), timezones=ZONES),
    st.datetimes(dt.datetime(9999, 12, 20), dt.datetime(9999, 12, 31, 23, 59), timezones=ZONES),
)
DURATIONS = st.timedeltas(dt.timedelta(days=-40), dt.timedelta(days=40))


def calendars() -> list[Any]:
    """Fresh calendars: what one compiled before is part of what is tested."""
    return [
        BusinessCalendar.from_dict(OFFICE),
        Calendar.from_dict({"union": [OFFICE, NEW_YORK]}),
        TWENTY_FOUR_SEVEN,
    ]


def test_24x7_past_the_end_is_a_validation_error() -> None:
    end = dt.datetime(9999, 12, 31, 23, tzinfo=dt.UTC)
    with pytest.raises(ValidationError, match="outside the years 1 to 9999"):
        TWENTY_FOUR_SEVEN.add(end, dt.timedelta(hours=2))  # was OverflowError
    with pytest.raises(ValidationError, match="outside the years 1 to 9999"):
        TWENTY_FOUR_SEVEN.add(end, dt.timedelta.max)
    first = dt.datetime(1, 1, 1, tzinfo=EAST)  # 0000-12-31T10:00 UTC: no UTC datetime shows it
    assert TWENTY_FOUR_SEVEN.elapsed(first, first + dt.timedelta(hours=1)) == dt.timedelta(hours=1)
    with pytest.raises(ValidationError, match="outside the years 1 to 9999"):
        TWENTY_FOUR_SEVEN.add(first, dt.timedelta(hours=1))  # was OverflowError


def test_working_days_from_the_first_day_in_a_zone_ahead_of_utc() -> None:
    office = BusinessCalendar.from_dict(OFFICE)
    with pytest.raises(ValidationError):  # was OverflowError ("date value out of range")
        office.add_working_days(dt.datetime(1, 1, 1, tzinfo=EAST), -3, extrapolate=True)


def test_growing_backward_to_the_first_year_after_other_calls() -> None:
    for calendar in calendars()[:2]:
        for start in (dt.datetime(2, 3, 1, tzinfo=dt.UTC), dt.datetime(3, 1, 1, tzinfo=dt.UTC)):
            with contextlib.suppress(ItsmError):
                calendar.add(start, -dt.timedelta(days=2), extrapolate=True)
        with pytest.raises(ItsmError):  # was ValueError: year 0 is out of range
            calendar.add(
                dt.datetime(2, 1, 5, tzinfo=dt.UTC), -dt.timedelta(days=2), extrapolate=True
            )


@given(
    which=st.integers(0, 2),
    first=NEAR_THE_ENDS,
    duration=DURATIONS,
    gap=DURATIONS,
    extrapolate=st.booleans(),
)
@example(  # found: OverflowError from the 24x7 calendar
    which=2,
    first=dt.datetime(1, 1, 9, 22, 57, tzinfo=WEST),
    duration=-dt.timedelta(days=14),
    gap=dt.timedelta(0),
    extrapolate=False,
)
def test_near_the_ends_every_answer_is_a_value_or_an_itsm_error(
    which: int, first: dt.datetime, duration: dt.timedelta, gap: dt.timedelta, extrapolate: bool
) -> None:
    calendar = calendars()[which]
    options = {} if calendar is TWENTY_FOUR_SEVEN else {"extrapolate": extrapolate}
    try:
        second = first + gap
    except OverflowError:
        second = first
    calls: list[Callable[[], object]] = [
        lambda: calendar.add(first, duration, **options),
        lambda: calendar.elapsed(first, second, **options),
        lambda: calendar.next_working(first, **options),
    ]
    if hasattr(calendar, "add_working_days"):
        calls.append(lambda: calendar.add_working_days(first, duration.days, **options))
    for call in calls:
        with contextlib.suppress(ItsmError):  # anything else fails the test
            call()
