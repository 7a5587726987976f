"""The business-time protocol and the 24x7 calendar: one home for both, in `calendar`."""

from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsm_core.calendar import TWENTY_FOUR_SEVEN, BusinessCalendar, BusinessTime
from itsm_core.errors import NaiveDatetimeError

SHANGHAI = ZoneInfo("Asia/Shanghai")
PARIS = ZoneInfo("Europe/Paris")
OFFICE = BusinessCalendar.from_dict(
    {
        "timezone": "Asia/Shanghai",
        "weekly": {
            day: [["09:00", "12:00"], ["13:00", "18:00"]]
            for day in ("monday", "tuesday", "wednesday", "thursday", "friday")
        },
    }
)
EVENINGS = BusinessCalendar.from_dict(
    {"timezone": "Asia/Shanghai", "weekly": {"monday": [["18:00", "22:00"]]}}
)


def test_every_calendar_is_business_time() -> None:
    calendars: list[BusinessTime] = [OFFICE, OFFICE | EVENINGS, OFFICE - EVENINGS]
    calendars.append(TWENTY_FOUR_SEVEN)
    assert all(isinstance(calendar, BusinessTime) for calendar in calendars)
    assert not isinstance(object(), BusinessTime)


def test_twenty_four_seven_counts_physical_time_across_daylight_saving() -> None:
    before = dt.datetime(2026, 3, 28, 12, tzinfo=PARIS)
    after = dt.datetime(2026, 3, 29, 12, tzinfo=PARIS)  # the clocks went forward overnight
    assert TWENTY_FOUR_SEVEN.elapsed(before, after) == dt.timedelta(hours=23)
    assert TWENTY_FOUR_SEVEN.elapsed(after, before) == -dt.timedelta(hours=23)
    assert TWENTY_FOUR_SEVEN.add(before, dt.timedelta(hours=23)) == after
    assert TWENTY_FOUR_SEVEN.add(before, dt.timedelta(hours=23)).tzinfo is PARIS


def test_twenty_four_seven_is_always_working() -> None:
    night = dt.datetime(2026, 3, 1, 3, tzinfo=SHANGHAI)  # a Sunday, 03:00
    assert TWENTY_FOUR_SEVEN.next_working(night) is night
    assert TWENTY_FOUR_SEVEN.add_working_days(night, 2) == night + dt.timedelta(days=2)


@pytest.mark.parametrize(
    ("call", "where"),
    [
        (lambda t: TWENTY_FOUR_SEVEN.elapsed(t.replace(tzinfo=None), t), "start"),
        (lambda t: TWENTY_FOUR_SEVEN.elapsed(t, t.replace(tzinfo=None)), "end"),
        (lambda t: TWENTY_FOUR_SEVEN.add(t.replace(tzinfo=None), dt.timedelta(1)), "start"),
        (lambda t: TWENTY_FOUR_SEVEN.next_working(t.replace(tzinfo=None)), "when"),
    ],
)
def test_twenty_four_seven_refuses_naive_datetimes(
    call: Callable[[dt.datetime], object], where: str
) -> None:
    with pytest.raises(NaiveDatetimeError) as raised:
        call(dt.datetime(2026, 3, 2, 9, tzinfo=SHANGHAI))
    assert raised.value.problems[0].path == where


def test_twenty_four_seven_is_one_value() -> None:
    assert repr(TWENTY_FOUR_SEVEN) == "TWENTY_FOUR_SEVEN"
    assert TWENTY_FOUR_SEVEN.name == "24x7"
    copy = pickle.loads(pickle.dumps(TWENTY_FOUR_SEVEN))
    assert copy == TWENTY_FOUR_SEVEN
    assert hash(copy) == hash(TWENTY_FOUR_SEVEN)


@given(
    st.datetimes(
        min_value=dt.datetime(2000, 1, 1),
        max_value=dt.datetime(2090, 1, 1),
        timezones=st.sampled_from([dt.UTC, SHANGHAI, PARIS, ZoneInfo("America/New_York")]),
    ),
    st.timedeltas(min_value=-dt.timedelta(days=400), max_value=dt.timedelta(days=400)),
)
def test_twenty_four_seven_add_and_elapsed_are_inverse(
    start: dt.datetime, duration: dt.timedelta
) -> None:
    end = TWENTY_FOUR_SEVEN.add(start, duration)
    assert TWENTY_FOUR_SEVEN.elapsed(start, end) == duration
    assert end.tzinfo is start.tzinfo
