"""Queue figures with traffic a hair below the agents: the ASA overflowed a timedelta
(OverflowError) before; it is now ``timedelta.max``, and staffing searches on from there."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from itsm_core.routing import ServiceTarget, agents_needed, queue_figures

AHT = dt.timedelta(seconds=180)
WITHIN = dt.timedelta(seconds=20)


@pytest.mark.parametrize("traffic", [4.999999999999, 4.9999999999999995, 5 - 1e-14])
def test_traffic_a_hair_below_the_agents_gives_the_longest_asa(traffic: float) -> None:
    figures = queue_figures(agents=5, traffic=traffic, handle_time=AHT, answer_within=WITHIN)
    assert figures.stable
    assert figures.average_speed_of_answer == dt.timedelta.max
    assert 0.0 <= figures.service_level <= 1.0


def test_staffing_for_such_traffic_adds_agents_until_the_target_is_met() -> None:
    target = ServiceTarget(service_level=0.8, answer_within=WITHIN)
    plan = agents_needed(calls=5 - 1e-15, interval=AHT, handle_time=AHT, target=target)
    assert plan.agents > 5
    assert target.met_by(plan.figures)


@given(
    agents=st.integers(1, 60),
    below=st.floats(min_value=0.0, max_value=1.0, exclude_min=True),
    handle=st.timedeltas(min_value=dt.timedelta(microseconds=1), max_value=dt.timedelta.max),
)
@example(agents=5, below=5e-16, handle=AHT)
def test_queue_figures_never_overflow(agents: int, below: float, handle: dt.timedelta) -> None:
    traffic = max(agents - below, 0.0)
    figures = queue_figures(
        agents=agents, traffic=traffic, handle_time=handle, answer_within=WITHIN
    )
    asa = figures.average_speed_of_answer
    assert asa is None or dt.timedelta(0) <= asa <= dt.timedelta.max
