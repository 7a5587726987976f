"""Worked examples on real business calendars, each deadline computed by hand.

The office calendar: Asia/Shanghai, Monday to Friday 09:00-12:00 and 13:00-18:00 (8 working
hours a day), National Day holidays 1-8 October 2025 and the make-up working Sunday 28
September 2025 (调休). The New York calendar: 09:00-17:00 on weekdays, across the daylight-saving
change of Sunday 8 March 2026.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from itsm_core.calendar import BusinessCalendar
from itsm_core.sla import (
    RESOLUTION,
    ClockStatus,
    MetricSpec,
    PolicySet,
    SlaPolicy,
    Threshold,
    due_actions,
    evaluate,
)
from itsm_core.tickets import Hold, HoldReason, Resume

SH = ZoneInfo("Asia/Shanghai")
NY = ZoneInfo("America/New_York")
PARIS = ZoneInfo("Europe/Paris")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")
OFFICE = BusinessCalendar.from_dict(
    {
        "name": "office",
        "timezone": "Asia/Shanghai",
        "weekly": {d: [["09:00", "12:00"], ["13:00", "18:00"]] for d in WEEKDAYS},
        "holidays": [{"start": "2025-10-01", "end": "2025-10-08", "name": "National Day"}],
        "overrides": {"2025-09-28": {"like": "monday", "name": "make-up day"}},
    }
)
NEW_YORK = BusinessCalendar.from_dict(
    {
        "name": "ny",
        "timezone": "America/New_York",
        "weekly": {d: [["09:00", "17:00"]] for d in WEEKDAYS},
    }
)
CALENDARS = {"office": OFFICE, "ny": NEW_YORK}


def policies(target: str, calendar: str | None = "office", **spec: Any) -> PolicySet:
    metric = MetricSpec(clock=RESOLUTION, targets={"*": target}, calendar=calendar, **spec)
    return PolicySet(policies=[SlaPolicy(name="p", metrics=[metric])])


@pytest.mark.parametrize(
    ("opened", "target", "due"),
    [
        # weekend: Friday 16-18 (2 h), then Monday 09-11
        (
            dt.datetime(2025, 3, 7, 16, tzinfo=SH),
            "4 working hours",
            dt.datetime(2025, 3, 10, 11, tzinfo=SH),
        ),
        # lunch break: 10-12 (2 h), 13-15 (2 h)
        (
            dt.datetime(2025, 3, 3, 10, tzinfo=SH),
            "4 working hours",
            dt.datetime(2025, 3, 3, 15, tzinfo=SH),
        ),
        # holiday: 30 Sep 17-18 (1 h), 1-8 Oct closed, 9 Oct 09-10
        (
            dt.datetime(2025, 9, 30, 17, tzinfo=SH),
            "2 working hours",
            dt.datetime(2025, 10, 9, 10, tzinfo=SH),
        ),
        # make-up working Sunday: opened Saturday, Sunday 09-12 and 13-14 count
        (
            dt.datetime(2025, 9, 27, 10, tzinfo=SH),
            "4 working hours",
            dt.datetime(2025, 9, 28, 14, tzinfo=SH),
        ),
        # two working days from Friday 16:00 are Tuesday 16:00 (16 working hours), not 48 h
        (
            dt.datetime(2025, 3, 7, 16, tzinfo=SH),
            "2 working days",
            dt.datetime(2025, 3, 11, 16, tzinfo=SH),
        ),
        # calendar time ignores the calendar: 48 h are 48 h
        (
            dt.datetime(2025, 3, 7, 16, tzinfo=SH),
            "48 hours",
            dt.datetime(2025, 3, 9, 16, tzinfo=SH),
        ),
    ],
)
def test_deadlines(history: Any, opened: dt.datetime, target: str, due: dt.datetime) -> None:
    h = history(opened)
    clock = evaluate(policies(target), h.events, opened, calendars=CALENDARS).clock("resolution")
    assert clock.due_at == due
    assert clock.original_due_at == due


def test_two_working_days_is_sixteen_working_hours(history: Any) -> None:
    opened = dt.datetime(2025, 3, 7, 16, tzinfo=SH)
    h = history(opened)
    report = evaluate(policies("2 working days"), h.events, opened, calendars=CALENDARS)
    assert report.clock("resolution").target_time == dt.timedelta(hours=16)


def test_pause_in_working_hours_moves_the_deadline_by_working_time(history: Any) -> None:
    opened = dt.datetime(2025, 3, 7, 16, tzinfo=SH)
    h = history(opened)
    h.do(Hold(reason=HoldReason.AWAITING_CUSTOMER), dt.datetime(2025, 3, 10, 10, tzinfo=SH))
    h.do(Resume(), dt.datetime(2025, 3, 10, 11, tzinfo=SH))
    now = dt.datetime(2025, 3, 10, 14, tzinfo=SH)
    clock = evaluate(policies("2 working days"), h.events, now, calendars=CALENDARS).clock(
        "resolution"
    )
    # Friday 16-18, Monday 09-10, 11-12 and 13-14: 5 working hours
    assert clock.elapsed == dt.timedelta(hours=5)
    assert clock.due_at == dt.datetime(2025, 3, 11, 17, tzinfo=SH)
    assert clock.original_due_at == dt.datetime(2025, 3, 11, 16, tzinfo=SH)
    # overnight the clock does not move
    night = dt.datetime(2025, 3, 10, 23, tzinfo=SH)
    later = evaluate(policies("2 working days"), h.events, night, calendars=CALENDARS)
    assert later.clock("resolution").elapsed == dt.timedelta(hours=9)


def test_daylight_saving_change_in_new_york(history: Any) -> None:
    opened = dt.datetime(2026, 3, 6, 16, tzinfo=NY)  # Friday 16:00 EST = 21:00 UTC
    h = history(opened)
    report = evaluate(policies("2 working hours", "ny"), h.events, opened, calendars=CALENDARS)
    due = report.clock("resolution").due_at
    assert due is not None
    # Friday 16-17 EST, then Monday 09-10 EDT (UTC-4 since Sunday): 14:00 UTC, not 15:00
    assert due.astimezone(dt.UTC) == dt.datetime(2026, 3, 9, 14, tzinfo=dt.UTC)
    monday = dt.datetime(2026, 3, 9, 9, 30, tzinfo=NY)
    clock = evaluate(policies("2 working hours", "ny"), h.events, monday, calendars=CALENDARS)
    assert clock.clock("resolution").elapsed == dt.timedelta(minutes=90)


def test_calendar_time_across_spring_forward_counts_physical_hours(history: Any) -> None:
    opened = dt.datetime(2026, 3, 28, 12, tzinfo=PARIS)
    h = history(opened)
    clock = evaluate(policies("24 hours", None), h.events, opened).clock("resolution")
    # 24 physical hours later the wall clock shows 13:00 (the night lost an hour)
    assert clock.due_at == dt.datetime(2026, 3, 29, 13, tzinfo=PARIS)
    noon = dt.datetime(2026, 3, 29, 12, tzinfo=PARIS)
    at_noon = evaluate(policies("24 hours", None), h.events, noon).clock("resolution")
    assert at_noon.elapsed == dt.timedelta(hours=23)
    assert at_noon.status is ClockStatus.RUNNING


def test_customer_calendar_and_time_zone(history: Any) -> None:
    opened = dt.datetime(2026, 3, 9, 20, tzinfo=dt.UTC)  # Tuesday 04:00 Shanghai, 16:00 NY
    h = history(opened)
    chosen = policies("2 working hours", "office", customer_calendar=True)
    own = evaluate(
        chosen, h.events, opened, calendars=CALENDARS, customer_calendars={"bob": NEW_YORK}
    )
    clock = own.clock("resolution")
    assert clock.calendar == "customer:bob"
    assert clock.due_at == dt.datetime(2026, 3, 10, 10, tzinfo=NY)  # 16-17, then 09-10
    other = evaluate(chosen, h.events, opened, calendars=CALENDARS)
    assert other.clock("resolution").due_at == dt.datetime(2026, 3, 10, 11, tzinfo=SH)


def test_warnings_deferred_into_working_hours(history: Any) -> None:
    opened = dt.datetime(2025, 3, 7, 17, tzinfo=SH)  # Friday 17:00
    h = history(opened)
    spec = policies("24 hours", None, thresholds=[Threshold(name="half", percent=50)])
    saturday = dt.datetime(2025, 3, 8, 6, tzinfo=SH)  # warning reached Saturday 05:00
    report = evaluate(spec, h.events, saturday)
    assert [a.threshold for a in due_actions(report, saturday)] == ["half"]
    assert due_actions(report, saturday, quiet_hours=OFFICE) == ()
    monday = dt.datetime(2025, 3, 10, 9, tzinfo=SH)
    later = evaluate(spec, h.events, monday)
    actions = due_actions(later, monday, quiet_hours=OFFICE)
    assert [a.due_at for a in actions] == [monday]
    assert actions[0].reached_at == dt.datetime(2025, 3, 8, 5, tzinfo=SH)
