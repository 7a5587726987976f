"""Agents needed per interval, shrinkage, and a day's plan."""

from __future__ import annotations

import datetime as dt
import math
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsm_core.errors import NaiveDatetimeError, ValidationError
from itsm_core.routing import (
    IntervalForecast,
    ServiceTarget,
    agents_needed,
    queue_figures,
    staffing_plan,
)
from itsm_core.routing._staffing import traffic_of

SECOND = dt.timedelta(seconds=1)
HALF_HOUR = dt.timedelta(minutes=30)
QUARTER = dt.timedelta(minutes=15)
TARGET = ServiceTarget(service_level=0.8, answer_within=20 * SECOND)
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_published_example_needs_14_agents_and_20_rostered_at_30_percent_shrinkage() -> None:
    # Call Centre Helper / pyworkforce README / CRAN ErlangC: 14 raw, 20 with 30 % shrinkage
    staffing = agents_needed(
        calls=100, interval=HALF_HOUR, handle_time=180 * SECOND, target=TARGET, shrinkage=0.3
    )
    assert (staffing.agents, staffing.scheduled) == (14, 20)
    assert staffing.traffic == 10.0
    assert staffing.figures.service_level == pytest.approx(0.88835, abs=5e-6)


def test_the_answer_is_the_smallest_that_meets_the_target() -> None:
    staffing = agents_needed(calls=100, interval=HALF_HOUR, handle_time=180 * SECOND, target=TARGET)
    below = queue_figures(
        agents=staffing.agents - 1,
        traffic=10.0,
        handle_time=180 * SECOND,
        answer_within=20 * SECOND,
    )
    assert below.service_level < 0.8 <= staffing.figures.service_level


def test_occupancy_cap_asa_cap_and_minimum() -> None:
    capped = ServiceTarget(service_level=0.5, answer_within=20 * SECOND, max_occupancy=0.6)
    staffing = agents_needed(calls=100, interval=HALF_HOUR, handle_time=180 * SECOND, target=capped)
    assert staffing.agents == 17  # ceil(10 / 0.6)
    fast = ServiceTarget(
        service_level=0.5, answer_within=20 * SECOND, max_average_speed_of_answer=2 * SECOND
    )
    quick = agents_needed(calls=100, interval=HALF_HOUR, handle_time=180 * SECOND, target=fast)
    asa = quick.figures.average_speed_of_answer
    assert asa is not None
    assert asa <= 2 * SECOND
    slower = queue_figures(
        agents=quick.agents - 1, traffic=10.0, handle_time=180 * SECOND, answer_within=20 * SECOND
    )
    assert slower.average_speed_of_answer is not None
    assert slower.average_speed_of_answer > 2 * SECOND
    night = ServiceTarget(service_level=0.8, answer_within=20 * SECOND, minimum_agents=2)
    empty = agents_needed(calls=0, interval=HALF_HOUR, handle_time=180 * SECOND, target=night)
    assert (empty.agents, empty.scheduled, empty.figures.service_level) == (2, 2, 1.0)


@given(
    calls=st.floats(0, 5000, allow_nan=False),
    more=st.floats(0, 500, allow_nan=False),
    aht=st.integers(10, 1200),
    shrinkage=st.floats(0, 0.6),
)
def test_more_traffic_never_needs_fewer_agents(
    calls: float, more: float, aht: int, shrinkage: float
) -> None:
    needed = [
        agents_needed(
            calls=c,
            interval=HALF_HOUR,
            handle_time=aht * SECOND,
            target=TARGET,
            shrinkage=shrinkage,
        )
        for c in (calls, calls + more)
    ]
    assert needed[0].agents <= needed[1].agents
    assert needed[0].scheduled <= needed[1].scheduled
    for staffing in needed:
        assert TARGET.met_by(staffing.figures)
        assert staffing.scheduled * (1 - shrinkage) >= staffing.agents - 1e-9
        assert staffing.agents > staffing.traffic or staffing.traffic == 0


def test_a_day_of_96_quarter_hours() -> None:
    midnight = dt.datetime(2025, 9, 29, tzinfo=SHANGHAI)
    forecasts = [
        IntervalForecast(
            midnight + i * QUARTER,
            calls=round(5 + 60 * math.exp(-(((i - 44) / 14) ** 2))),
            handle_time=240 * SECOND,
        )
        for i in range(96)
    ]
    plan = staffing_plan(forecasts, interval=QUARTER, target=TARGET, shrinkage=0.25)
    assert len(plan.rows) == 96
    assert plan.rows[-1].end == midnight + dt.timedelta(days=1)
    peak = plan.peak
    assert peak is not None
    # the busiest quarter (10:45-11:00 local) needs the most; the first such row is reported
    assert peak.staffing.scheduled == plan.rows[44].staffing.scheduled
    assert all(row.staffing.scheduled <= peak.staffing.scheduled for row in plan.rows)
    assert peak.start <= midnight + 44 * QUARTER
    assert plan.scheduled_hours == sum(r.staffing.scheduled for r in plan.rows) / 4
    assert all(TARGET.met_by(row.staffing.figures) for row in plan.rows)
    text = plan.to_text()
    assert text.splitlines()[0].split()[:3] == ["start", "calls", "AHT"]
    assert len(text.splitlines()) == 98


def test_a_plan_reports_every_gap_and_bad_value() -> None:
    start = dt.datetime(2025, 9, 29, tzinfo=SHANGHAI)
    forecasts = [
        IntervalForecast(start, 10, 60 * SECOND),
        IntervalForecast(start + HALF_HOUR, -1, 60 * SECOND),
        IntervalForecast(start + 3 * HALF_HOUR, 10, 60 * SECOND),
    ]
    with pytest.raises(ValidationError) as caught:
        staffing_plan(forecasts, interval=HALF_HOUR, target=TARGET)
    assert [p.path for p in caught.value.problems] == ["forecasts[2].start"]
    with pytest.raises(ValidationError) as caught:
        staffing_plan(forecasts[:2], interval=HALF_HOUR, target=TARGET)
    assert [p.path for p in caught.value.problems] == ["forecasts[1].calls"]
    with pytest.raises(ValidationError):
        staffing_plan(forecasts, interval=dt.timedelta(0), target=TARGET)
    with pytest.raises(NaiveDatetimeError):
        IntervalForecast(dt.datetime(2025, 9, 29), 1, SECOND)
    assert staffing_plan([], interval=HALF_HOUR, target=TARGET).peak is None


def test_targets_are_data_and_validated() -> None:
    full = ServiceTarget(
        service_level=0.9,
        answer_within=15 * SECOND,
        max_occupancy=0.85,
        max_average_speed_of_answer=10 * SECOND,
        minimum_agents=1,
    )
    assert ServiceTarget.from_dict(full.to_dict()) == full
    with pytest.raises(ValidationError) as caught:
        ServiceTarget(
            service_level=1.0,
            answer_within=-SECOND,
            max_occupancy=0.0,
            max_average_speed_of_answer=dt.timedelta(0),
            minimum_agents=-1,
        )
    assert len(caught.value.problems) == 5
    with pytest.raises(ValidationError) as caught:
        ServiceTarget.from_dict({"service_level": 0.8, "answer_within_seconds": "20", "x": 1})
    assert {p.path for p in caught.value.problems} == {"answer_within_seconds", "x"}
    with pytest.raises(ValidationError):
        ServiceTarget.from_dict([])
    with pytest.raises(ValidationError):
        agents_needed(calls=1, interval=HALF_HOUR, handle_time=SECOND, target=TARGET, shrinkage=1)
    with pytest.raises(ValidationError) as caught:
        traffic_of(float("inf"), dt.timedelta(0), -SECOND)
    assert len(caught.value.problems) == 3
