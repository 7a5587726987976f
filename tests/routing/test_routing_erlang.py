"""Erlang B and C: published examples, an exact rational oracle, pyworkforce, and laws."""

from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsm_core.errors import ValidationError
from itsm_core.routing import erlang_b, erlang_c, queue_figures

SECOND = dt.timedelta(seconds=1)


# -- published examples -----------------------------------------------------------------------
#
# 100 calls in 30 minutes, 180 s handle time, 80 % within 20 s: traffic 10 erlangs. Published
# by Call Centre Helper ("Erlang C formula - made simple"), in the pyworkforce README (PyPI,
# version 0.1.0: raw positions 14, positions 20 at 30 % shrinkage, service level
# 0.8883500191794669, occupancy 0.7142857142857143, waiting probability 0.1741319335950498)
# and by the CRAN package ErlangC 0.1.0 (wait probability 0.6821182 with 11 agents and
# 0.1741319 with 14, service level 0.88835, ASA 7.83593701177724 s).


def test_call_centre_helper_example_with_11_agents() -> None:
    assert erlang_c(11, 10.0) == pytest.approx(0.6821182, abs=5e-8)


def test_call_centre_helper_example_with_14_agents() -> None:
    figures = queue_figures(
        agents=14, traffic=10.0, handle_time=180 * SECOND, answer_within=20 * SECOND
    )
    assert figures.probability_of_waiting == pytest.approx(0.1741319335950498, rel=1e-12)
    assert figures.service_level == pytest.approx(0.8883500191794669, rel=1e-12)
    assert figures.occupancy == pytest.approx(0.7142857142857143, rel=1e-12)
    assert figures.average_speed_of_answer is not None
    assert figures.average_speed_of_answer.total_seconds() == pytest.approx(7.835937, abs=1e-6)
    assert figures.stable


@pytest.mark.parametrize(
    ("lines", "traffic"),
    [(1, 0.0101), (10, 4.461), (50, 37.90), (100, 84.06)],
)
def test_erlang_b_table_at_one_percent_blocking(lines: int, traffic: float) -> None:
    # the widely reproduced Erlang B table: traffic carried at 1 % grade of service,
    # given to 3-4 significant figures (hence the tolerance)
    assert erlang_b(lines, traffic) == pytest.approx(0.01, abs=2e-5)


# -- an exact oracle: the textbook formulas in rational arithmetic -----------------------------


def exact_erlang_c(agents: int, traffic: int) -> Fraction:
    """Erlang C with factorials and powers, exactly, for small integer traffic."""
    a = Fraction(traffic)
    tail = a**agents / math.factorial(agents) * agents / (agents - a)
    head = sum(a**k / math.factorial(k) for k in range(agents))
    return tail / (head + tail)


def exact_erlang_b(agents: int, traffic: int) -> Fraction:
    a = Fraction(traffic)
    top = a**agents / math.factorial(agents)
    return top / sum(a**k / math.factorial(k) for k in range(agents + 1))


@given(agents=st.integers(1, 60), traffic=st.integers(1, 59))
def test_matches_the_factorial_formulas_exactly_computed(agents: int, traffic: int) -> None:
    assert erlang_b(agents, traffic) == pytest.approx(float(exact_erlang_b(agents, traffic)))
    if agents > traffic:
        assert erlang_c(agents, traffic) == pytest.approx(float(exact_erlang_c(agents, traffic)))
    else:
        assert erlang_c(agents, traffic) == 1.0


# -- pyworkforce as an oracle (dev dependency, optional) ---------------------------------------


@given(
    calls=st.integers(1, 2000),
    aht=st.integers(30, 900),
    answer=st.integers(5, 120),
    extra=st.integers(1, 30),
)
def test_agrees_with_pyworkforce(calls: int, aht: int, answer: int, extra: int) -> None:
    erlang = pytest.importorskip("pyworkforce.queuing").ErlangC
    # pyworkforce works in minutes: transactions per interval, aht and asa in minutes
    oracle = erlang(transactions=calls, aht=aht / 60, asa=answer / 60, interval=30)
    traffic = calls * aht / 1800
    agents = math.floor(traffic) + extra
    ours = queue_figures(
        agents=agents, traffic=traffic, handle_time=aht * SECOND, answer_within=answer * SECOND
    )
    assert ours.probability_of_waiting == pytest.approx(oracle.waiting_probability(agents))
    assert ours.service_level == pytest.approx(oracle.service_level(agents), abs=1e-12)
    assert ours.occupancy == pytest.approx(oracle.achieved_occupancy(agents))


# -- laws -----------------------------------------------------------------------------------


traffics = st.floats(0.01, 3000, allow_nan=False)


@given(traffic=traffics, extra=st.integers(0, 200), answer=st.integers(0, 300))
def test_adding_an_agent_never_lowers_the_service_level(
    traffic: float, extra: int, answer: int
) -> None:
    agents = math.floor(traffic) + extra
    before, after = (
        queue_figures(
            agents=n, traffic=traffic, handle_time=180 * SECOND, answer_within=answer * SECOND
        )
        for n in (agents, agents + 1)
    )
    assert after.service_level >= before.service_level
    assert after.probability_of_waiting <= before.probability_of_waiting
    if before.average_speed_of_answer is not None:
        assert after.average_speed_of_answer is not None
        assert after.average_speed_of_answer <= before.average_speed_of_answer


@given(traffic=traffics, extra=st.integers(1, 200))
def test_probabilities_stay_in_range_and_c_is_at_least_b(traffic: float, extra: int) -> None:
    agents = math.floor(traffic) + extra
    b, c = erlang_b(agents, traffic), erlang_c(agents, traffic)
    assert 0.0 <= b <= c <= 1.0


@pytest.mark.parametrize("traffic", [1_000.0, 10_000.0, 50_000.0])
def test_large_traffic_is_stable(traffic: float) -> None:
    # A^n / n! overflows a float long before this; the recursion never forms it
    for agents in (int(traffic) + 1, int(traffic * 1.01), int(traffic * 1.05)):
        c = erlang_c(agents, traffic)
        assert math.isfinite(c)
        assert 0.0 < c <= 1.0
    assert erlang_c(int(traffic * 1.05), traffic) < erlang_c(int(traffic) + 1, traffic)


def test_edge_cases() -> None:
    assert erlang_c(5, 0.0) == 0.0
    assert erlang_c(0, 0.0) == 0.0
    assert erlang_c(3, 3.0) == 1.0
    unstable = queue_figures(agents=3, traffic=4.0, handle_time=SECOND, answer_within=SECOND)
    assert (unstable.service_level, unstable.average_speed_of_answer, unstable.stable) == (
        0.0,
        None,
        False,
    )
    idle = queue_figures(agents=0, traffic=0.0, handle_time=SECOND, answer_within=SECOND)
    assert (idle.service_level, idle.occupancy, idle.average_speed_of_answer) == (
        1.0,
        0.0,
        dt.timedelta(0),
    )


def test_bad_inputs_are_reported_together() -> None:
    with pytest.raises(ValidationError) as caught:
        erlang_c(-1, float("nan"))
    assert [p.path for p in caught.value.problems] == ["agents", "traffic"]
    with pytest.raises(ValidationError) as caught:
        queue_figures(agents=2, traffic=1.0, handle_time=dt.timedelta(0), answer_within=-SECOND)
    assert [p.path for p in caught.value.problems] == ["handle_time", "answer_within"]
    with pytest.raises(ValidationError):
        erlang_b(True, 1.0)
