"""The fast staffing search: the same answers as building the figures of every agent count."""

from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsm_core.errors import ValidationError
from itsm_core.routing import (
    IntervalForecast,
    ServiceTarget,
    agents_needed,
    queue_figures,
    staffing_plan,
)

SECOND = dt.timedelta(seconds=1)
HALF_HOUR = dt.timedelta(minutes=30)
QUARTER = dt.timedelta(minutes=15)
TARGET = ServiceTarget(service_level=0.8, answer_within=20 * SECOND)
SHANGHAI = ZoneInfo("Asia/Shanghai")

targets = st.builds(
    ServiceTarget,
    service_level=st.floats(0.01, 0.99),
    answer_within=st.integers(0, 300).map(lambda s: s * SECOND),
    max_occupancy=st.none() | st.floats(0.3, 1.0),
    max_average_speed_of_answer=st.none() | st.integers(1, 60).map(lambda s: s * SECOND),
    minimum_agents=st.integers(0, 40),
)


@given(calls=st.integers(0, 3000), aht=st.integers(10, 900), target=targets)
def test_the_answer_is_the_first_agent_count_whose_figures_meet_the_target(
    calls: int, aht: int, target: ServiceTarget
) -> None:
    # the oracle builds the full figures of every agent count from zero; the search tests
    # most counts in plain floats and must land on the same count with the same figures
    # (whole calls and seconds keep the traffic at least 1/1800 from an integer)
    staffing = agents_needed(
        calls=calls, interval=HALF_HOUR, handle_time=aht * SECOND, target=target
    )

    def figures(agents: int) -> object:
        return queue_figures(
            agents=agents,
            traffic=staffing.traffic,
            handle_time=aht * SECOND,
            answer_within=target.answer_within,
        )

    assert staffing.figures == figures(staffing.agents)
    assert target.met_by(staffing.figures)
    lowest = target.minimum_agents if calls == 0 else math.floor(staffing.traffic) + 1
    for agents in range(lowest, staffing.agents):
        assert not target.met_by(figures(agents))  # type: ignore[arg-type]


@given(agents=st.integers(0, 10_000), shrinkage=st.floats(0, 1, exclude_max=True) | st.just(0))
def test_rostered_agents_are_rounded_up_exactly(agents: int, shrinkage: float) -> None:
    expected = math.ceil(Fraction(agents) / (1 - Fraction(shrinkage)))
    traffic_free = ServiceTarget(
        service_level=0.8, answer_within=20 * SECOND, minimum_agents=agents
    )
    staffing = agents_needed(
        calls=0, interval=HALF_HOUR, handle_time=SECOND, target=traffic_free, shrinkage=shrinkage
    )
    assert (staffing.agents, staffing.scheduled) == (agents, expected)


def test_rostering_is_exact_where_floats_round_up() -> None:
    # 21 / (1 - 0.3) is 30.000000000000004 in floats (pyworkforce rosters 31); exactly, 30
    target = ServiceTarget(service_level=0.8, answer_within=20 * SECOND, minimum_agents=21)
    staffing = agents_needed(
        calls=0, interval=HALF_HOUR, handle_time=SECOND, target=target, shrinkage=0.3
    )
    assert (staffing.agents, staffing.scheduled) == (21, 30)


calls_pool = st.sampled_from([0, 0.0, -0.0, 5, 5.0, 12, 12.5, 40, 40.0, 97.25, 180])


@given(
    calls=st.lists(calls_pool, max_size=30),
    aht=st.lists(st.sampled_from([120, 180, 240]), min_size=30, max_size=30),
    shrinkage=st.sampled_from([0.0, 0.3, 0.25]),
)
def test_a_plan_is_agents_needed_of_each_interval(
    calls: list[float], aht: list[int], shrinkage: float
) -> None:
    # repeated (calls, handle time) pairs share one search; 5 and 5.0, 0.0 and -0.0 do not
    start = dt.datetime(2025, 9, 29, tzinfo=SHANGHAI)
    forecasts = [
        IntervalForecast(start + i * QUARTER, c, a * SECOND)
        for i, (c, a) in enumerate(zip(calls, aht, strict=False))
    ]
    plan = staffing_plan(forecasts, interval=QUARTER, target=TARGET, shrinkage=shrinkage)
    for forecast, row in zip(forecasts, plan.rows, strict=True):
        alone = agents_needed(
            calls=forecast.calls,
            interval=QUARTER,
            handle_time=forecast.handle_time,
            target=TARGET,
            shrinkage=shrinkage,
        )
        assert row.staffing == alone
        assert repr(row.staffing) == repr(alone)  # the same calls: 5 is not 5.0, -0.0 not 0.0


def test_intervals_with_the_same_forecast_share_one_staffing() -> None:
    start = dt.datetime(2025, 9, 29, tzinfo=SHANGHAI)
    forecasts = [
        IntervalForecast(start + i * QUARTER, calls, 240 * SECOND)
        for i, calls in enumerate([30, 60, 30, 30.0])
    ]
    rows = staffing_plan(forecasts, interval=QUARTER, target=TARGET).rows
    assert rows[0].staffing is rows[2].staffing
    assert rows[0].staffing is not rows[3].staffing
    assert type(rows[3].staffing.calls) is float


def test_a_bad_shrinkage_is_reported_on_each_interval_whose_forecast_is_readable() -> None:
    start = dt.datetime(2025, 9, 29, tzinfo=SHANGHAI)
    forecasts = [
        IntervalForecast(start, 10, 60 * SECOND),
        IntervalForecast(start + HALF_HOUR, -1, 60 * SECOND),
        IntervalForecast(start + 2 * HALF_HOUR, 10, 60 * SECOND),
    ]
    with pytest.raises(ValidationError) as caught:
        staffing_plan(forecasts, interval=HALF_HOUR, target=TARGET, shrinkage=1.0)
    assert [p.path for p in caught.value.problems] == [
        "forecasts[0].shrinkage",
        "forecasts[1].calls",
        "forecasts[2].shrinkage",
    ]


@pytest.mark.parametrize("calls", [2.9999999999999996, 4.999999999999999, 9.999999999999998])
@pytest.mark.parametrize("asa_cap", [None, 30 * SECOND])
def test_traffic_a_hair_below_an_integer_is_staffed(
    calls: float, asa_cap: dt.timedelta | None
) -> None:
    # the first stable count (traffic + 1e-15 agents) would wait for millions of years; the
    # search judges it in floats and never builds its figures, so nothing overflows
    target = ServiceTarget(
        service_level=0.8, answer_within=20 * SECOND, max_average_speed_of_answer=asa_cap
    )
    staffing = agents_needed(calls=calls, interval=SECOND, handle_time=SECOND, target=target)
    assert staffing.traffic == calls
    assert staffing.agents > math.ceil(calls)
    assert target.met_by(staffing.figures)
    forecasts = [IntervalForecast(dt.datetime(2025, 9, 29, tzinfo=SHANGHAI), calls, SECOND)]
    plan = staffing_plan(forecasts, interval=SECOND, target=target)
    assert plan.rows[0].staffing == staffing
