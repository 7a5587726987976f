"""The Check tools against published textbook examples and independent recomputation."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import statistics
from typing import TypedDict

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsm_core.errors import InsufficientData, ValidationError
from itsm_core.improvement import (
    Direction,
    KpiKind,
    Measurement,
    compare,
    detect,
    nelson,
    p_chart,
    pareto,
    phase_one,
    western_electric,
    xmr_chart,
)
from itsm_core.improvement._run_rules import RunRule, Side
from itsm_core.improvement._xmr_chart import D2, D4

# Montgomery, Introduction to Statistical Quality Control, Exercise 6-1 (nonconforming bearing
# and seal assemblies, 20 samples of n = 100). The published solution (Montgomery's solutions
# manual, ch. 6, Minitab output): p̄ = 117/2000 = 0.0585, UCL = 0.1289, LCL = 0; sample 12 is
# out of control; without it p̄ = 102/1900 = 0.0537, UCL = 0.1213, LCL = 0.
EX_6_1 = [7, 4, 1, 3, 6, 8, 10, 5, 2, 7, 6, 15, 0, 9, 5, 1, 4, 5, 7, 12]

# Montgomery, Introduction to Statistical Quality Control, Example 6.5 (6th ed.; cost of
# processing mortgage loan applications, 20 weeks). Textbook summary: x̄ = 300.5,
# MR̄ = 7.79, X limits 279.78 / 321.22, MR UCL = 25.45. These 20 values reproduce that
# summary exactly (see the research notes, §5.5 and §8 item 5: recalled data, summary checked).
EX_6_5 = [310, 288, 297, 298, 307, 303, 294, 297, 308, 306,
          294, 299, 297, 299, 314, 295, 293, 306, 301, 304]  # fmt: skip

UTC = dt.UTC


class _Period(TypedDict):
    period_start: dt.datetime
    period_end: dt.datetime


def _week(day: int) -> _Period:
    start = dt.datetime(2026, 3, day, tzinfo=UTC)
    return {"period_start": start, "period_end": start + dt.timedelta(days=7)}


# --- p chart ----------------------------------------------------------------------------------


def test_p_chart_montgomery_exercise_6_1() -> None:
    chart = p_chart(EX_6_1, 100)
    assert chart.centre == pytest.approx(0.0585)
    assert chart.points[0].upper == pytest.approx(0.1289, abs=5e-5)
    assert chart.points[0].lower is None  # 0.0585 − 0.0704 < 0: shown as 0
    assert chart.out_of_control == (11,)  # sample 12, 0-based


def test_p_chart_phase_one_recomputation_matches_montgomery() -> None:
    result = phase_one(lambda ex: p_chart(EX_6_1, 100, exclude=ex))
    assert result.removed == (11,)
    assert result.stable
    assert len(result.rounds) == 2
    final = result.final
    assert final.centre == pytest.approx(102 / 1900)
    assert round(final.centre, 4) == 0.0537
    assert final.points[0].upper == pytest.approx(0.1213, abs=5e-5)
    assert final.excluded == (11,)
    # The removed point is still plotted, and still beyond the recomputed limit.
    assert final.out_of_control == (11,)


def test_p_chart_varying_sample_size_stair_step_limits() -> None:
    counts = [5, 9, 4, 12]
    sizes = [80, 120, 60, 150]
    chart = p_chart(counts, sizes)
    p_bar = sum(counts) / sum(sizes)  # independent recomputation of the textbook formula
    assert chart.centre == pytest.approx(p_bar)
    for point, n, d in zip(chart.points, sizes, counts, strict=True):
        sigma = math.sqrt(p_bar * (1 - p_bar) / n)
        assert point.value == pytest.approx(d / n)
        assert point.upper == pytest.approx(p_bar + 3 * sigma)
        assert point.lower is None or point.lower == pytest.approx(p_bar - 3 * sigma)
    assert len(set(chart.upper)) == 4  # one limit per sample size


def test_p_chart_lower_limit_present_when_positive() -> None:
    chart = p_chart([40, 44, 22, 34, 24, 32, 28, 32, 34, 30], 200)
    # Gupta, An Introduction to Business Statistics, Example 16.6: p̄ = 0.16,
    # UCL = 0.2378, LCL = 0.0822, all points in control.
    assert chart.centre == pytest.approx(0.16)
    assert chart.points[0].upper == pytest.approx(0.2378, abs=5e-5)
    assert chart.points[0].lower == pytest.approx(0.0822, abs=5e-5)
    assert chart.out_of_control == ()


@pytest.mark.parametrize(
    ("counts", "sizes", "path"),
    [
        ([1, -1], 10, "nonconforming[1]"),
        ([1, 11], 10, "nonconforming[1]"),
        ([1, 2], [10], "sizes"),
        ([1, 2], [10, 0], "sizes[1]"),
        ([True, 2], 10, "nonconforming[0]"),
    ],
)
def test_p_chart_rejects_bad_input(counts: list[int], sizes: list[int] | int, path: str) -> None:
    with pytest.raises(ValidationError) as info:
        p_chart(counts, sizes)
    assert path in [p.path for p in info.value.problems]


def test_p_chart_without_variation_or_data_has_no_limits() -> None:
    with pytest.raises(InsufficientData):
        p_chart([0, 0, 0], 10)
    with pytest.raises(InsufficientData):
        p_chart([1, 2], 10, exclude={0, 1})
    with pytest.raises(ValidationError, match="exclude"):
        p_chart([1, 2], 10, exclude={5})


# --- XmR ------------------------------------------------------------------------------------


def test_xmr_montgomery_example_6_5() -> None:
    chart = xmr_chart(EX_6_5)
    assert chart.mean == pytest.approx(300.5)
    assert chart.mr_bar == pytest.approx(148 / 19)
    assert round(chart.mr_bar, 2) == 7.79
    x = chart.individuals.points[0]
    # Tables (2.66, 3.267) versus exact constants differ in the 3rd-4th digit: tolerance 0.02.
    assert x.upper == pytest.approx(321.22, abs=0.02)
    assert x.lower == pytest.approx(279.78, abs=0.02)
    assert chart.moving_range.points[0].upper == pytest.approx(25.45, abs=0.02)
    assert chart.moving_range.points[0].lower is None
    assert chart.out_of_control == ()
    assert chart.moving_range.out_of_control == ()


def test_xmr_constants() -> None:
    # d2(2) = 2/sqrt(pi) = 1.1284; D4(2) = 1 + 3·d3/d2 with d3(2) = 0.8525: 3.2665.
    assert pytest.approx(2 / math.sqrt(math.pi), abs=5e-4) == D2
    assert pytest.approx(1 + 3 * 0.8525 / (2 / math.sqrt(math.pi)), abs=1e-3) == D4


@given(st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=3, max_size=40))
def test_xmr_matches_independent_computation(values: list[float]) -> None:
    ranges = [abs(b - a) for a, b in itertools.pairwise(values)]
    mr_bar = statistics.fmean(ranges)
    if mr_bar == 0:
        with pytest.raises(InsufficientData):
            xmr_chart(values)
        return
    chart = xmr_chart(values)
    mean = statistics.fmean(values)
    assert chart.mean == pytest.approx(mean, abs=1e-9)
    upper = chart.individuals.points[0].upper
    assert upper == pytest.approx(mean + 2.6596 * mr_bar, abs=1e-4 * mr_bar + 1e-9)
    for point in chart.individuals.points:
        limit = 3 * mr_bar / 1.128
        outside = point.value >= mean + limit or point.value <= mean - limit
        assert point.beyond_limits == outside or math.isclose(
            abs(point.value - mean), 3 * mr_bar / 1.128, rel_tol=1e-9
        )


def test_xmr_phase_one_drops_moving_ranges_touching_removed_points() -> None:
    values = [10.0, 11.0, 10.5, 30.0, 10.2, 10.8, 11.1, 10.4]
    chart = xmr_chart(values, exclude={3})
    kept = [v for i, v in enumerate(values) if i != 3]
    assert chart.mean == pytest.approx(statistics.fmean(kept))
    usable = [abs(values[i] - values[i - 1]) for i in range(1, 8) if 3 not in (i, i - 1)]
    assert chart.mr_bar == pytest.approx(statistics.fmean(usable))
    result = phase_one(lambda ex: xmr_chart(values, exclude=ex))
    assert result.removed == (3,)
    assert result.final.excluded == (3,)
    assert result.initial.excluded == ()


def test_xmr_needs_two_values_and_variation() -> None:
    with pytest.raises(InsufficientData):
        xmr_chart([5.0])
    with pytest.raises(InsufficientData):
        xmr_chart([5.0, 5.0, 5.0])
    with pytest.raises(ValidationError):
        xmr_chart([1.0, math.nan])


def test_phase_one_gives_up_after_max_rounds() -> None:
    # Each recomputation tightens the limits and exposes a new point.
    values = [0.0, 0.1, 0.0, 0.1, 0.0, 5.0, 0.0, 0.1, 0.0, 60.0]
    result = phase_one(lambda ex: xmr_chart(values, exclude=ex), max_rounds=1)
    assert len(result.rounds) == 2
    assert result.removed
    with pytest.raises(ValidationError):
        phase_one(lambda ex: xmr_chart(values, exclude=ex), max_rounds=0)


# --- run rules ------------------------------------------------------------------------------


def _labels(z: list[float], rules: str = "we") -> list[tuple[str, tuple[int, ...]]]:
    rule_set = western_electric() if rules == "we" else nelson()
    return [(s.label, s.indices) for s in detect(z, rule_set)]


def test_rule_one_on_the_limit_counts() -> None:
    assert _labels([0.0, 3.0, -3.0, 0.5, 2.99]) == [("WE1", (1,)), ("WE1", (2,))]


def test_two_of_three_is_one_sided() -> None:
    # Montgomery: a point above +2σ followed by one below −2σ does not signal.
    assert _labels([2.5, -2.5, 0.0]) == []
    signals = detect([2.5, 0.0, 2.1], western_electric())
    assert [(s.label, s.side, s.indices) for s in signals] == [("WE2", Side.ABOVE, (0, 2))]


def test_four_of_five_below() -> None:
    signals = detect([-1.2, -1.5, 0.3, -1.1, -1.0], western_electric())
    assert [(s.label, s.side, s.indices) for s in signals] == [("WE3", Side.BELOW, (0, 1, 3, 4))]


def test_run_length_is_a_parameter_and_runs_merge() -> None:
    z = [0.5] * 10
    assert _labels(z) == [("WE4", tuple(range(10)))]
    assert _labels(z, "nelson") == [("Nelson 2", tuple(range(10)))]
    assert detect([0.5] * 8, nelson()) == ()
    assert detect([0.5] * 8, western_electric(run_length=9)) == ()
    # A point on the centre line breaks a run.
    assert detect([0.5] * 4 + [0.0] + [0.5] * 4, western_electric()) == ()


def test_nelson_trend_alternating_stratification_mixture() -> None:
    trend = [-1.0, -0.6, -0.2, 0.1, 0.4, 0.9]
    assert ("Nelson 3", tuple(range(6))) in _labels(trend, "nelson")
    assert not any(label == "Nelson 3" for label, _ in _labels(trend[:5], "nelson"))
    alternating = [0.5 if i % 2 else -0.5 for i in range(14)]
    assert ("Nelson 4", tuple(range(14))) in _labels(alternating, "nelson")
    flat = [0.1 * ((-1) ** i) * (i % 3) for i in range(15)]
    assert ("Nelson 7", tuple(range(15))) in _labels(flat, "nelson")
    mixture = [1.5 if i % 2 else -1.5 for i in range(8)]
    assert ("Nelson 8", tuple(range(8))) in _labels(mixture, "nelson")


def test_rule_set_contents() -> None:
    assert [s.rule for s in nelson().rules] == [
        RunRule.BEYOND_LIMITS,
        RunRule.RUN,
        RunRule.TREND,
        RunRule.ALTERNATING,
        RunRule.TWO_OF_THREE,
        RunRule.FOUR_OF_FIVE,
        RunRule.STRATIFICATION,
        RunRule.MIXTURE,
    ]
    with pytest.raises(ValidationError):
        western_electric(run_length=1)
    with pytest.raises(ValidationError):
        detect([math.nan], nelson())


def _brute_rule_one(z: list[float]) -> list[int]:
    return [i for i, v in enumerate(z) if abs(v) >= 3]


def _brute_two_of_three(z: list[float]) -> set[int]:
    flagged: set[int] = set()
    for end in range(2, len(z)):
        window = range(end - 2, end + 1)
        for sign in (1, -1):
            hits = [i for i in window if sign * z[i] >= 2]
            if len(hits) >= 2:
                flagged.update(hits)
    return flagged


zs = st.lists(st.floats(-4, 4, allow_nan=False), max_size=40)


@given(zs)
def test_rules_agree_with_brute_force(z: list[float]) -> None:
    signals = detect(z, western_electric())
    assert sorted(s.first for s in signals if s.label == "WE1") == _brute_rule_one(z)
    we2 = {i for s in signals if s.label == "WE2" for i in s.indices}
    assert we2 == _brute_two_of_three(z)
    for s in signals:
        assert list(s.indices) == sorted(set(s.indices))
        assert 0 <= s.first <= s.last < len(z)


@given(zs)
def test_rules_are_mirror_symmetric(z: list[float]) -> None:
    flip = {Side.ABOVE: Side.BELOW, Side.BELOW: Side.ABOVE, Side.BOTH: Side.BOTH}
    up = {(s.label, flip[s.side], s.indices) for s in detect(z, nelson())}
    down = {(s.label, s.side, s.indices) for s in detect([-v for v in z], nelson())}
    assert up == down


def test_chart_signals_use_per_point_sigma() -> None:
    chart = p_chart(EX_6_1, 100)
    labels = [s.label for s in chart.signals(western_electric())]
    assert "WE1" in labels
    assert chart.z_scores()[11] > 3


# --- Pareto ---------------------------------------------------------------------------------


def test_pareto_textbook_shape_and_inclusive_threshold() -> None:
    analysis = pareto({"b": 30, "a": 50, "c": 12, "Other": 8})
    assert [b.category for b in analysis.bars] == ["a", "b", "c", "Other"]
    assert analysis.bars[1].cumulative_share == pytest.approx(0.8)
    assert analysis.vital_few == ("a", "b")  # exactly 80 % reaches 80 %
    assert analysis.total == 100
    assert analysis.worst.category == "a"


def test_pareto_other_pinned_last_and_ties_by_name() -> None:
    analysis = pareto([("zeta", 10), ("Other", 40), ("alpha", 10), ("mid", 20)])
    assert [b.category for b in analysis.bars] == ["mid", "alpha", "zeta", "Other"]
    assert analysis.worst.category == "mid"
    assert analysis.bar("zeta").rank == 3
    with pytest.raises(ValidationError, match="unknown"):
        analysis.bar("nope")
    assert "| 1 | mid |" in analysis.to_markdown()


def test_pareto_rejects_bad_input_with_every_problem() -> None:
    with pytest.raises(ValidationError) as info:
        pareto([("a", -1), ("a", 2), ("", 1)], threshold=1.5)
    paths = [p.path for p in info.value.problems]
    assert "threshold" in paths
    assert len(paths) == 4
    with pytest.raises(ValidationError):
        pareto({})
    with pytest.raises(ValidationError):
        pareto({"a": 0, "b": 0})


counts_st = st.dictionaries(
    st.text("abcdefgh", min_size=1, max_size=3), st.integers(0, 50), min_size=1, max_size=8
).filter(lambda d: sum(d.values()) > 0)


@given(counts_st, st.sampled_from([0.5, 0.8, 0.9, 1.0]))
def test_pareto_laws(counts: dict[str, int], threshold: float) -> None:
    analysis = pareto(counts, threshold=threshold, other=None)
    total = sum(counts.values())
    shares = [b.share for b in analysis.bars]
    assert shares == sorted(shares, reverse=True)
    assert analysis.bars[-1].cumulative_share == 1.0
    assert math.fsum(shares) == pytest.approx(1.0)
    # vital few: the smallest prefix reaching the threshold (independent recomputation)
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    running, expected = 0, []
    for name, count in ordered:
        if running >= threshold * total - 1e-9:
            break
        expected.append(name)
        running += count
    assert list(analysis.vital_few) == expected
    # order of input never matters
    assert pareto(dict(reversed(list(counts.items()))), threshold=threshold, other=None) == analysis


# --- before / after -------------------------------------------------------------------------


def test_compare_proportions_reuses_newcombe() -> None:
    before = Measurement.proportion("fcr", 48, 80, **_week(2))
    after = Measurement.proportion("fcr", 56, 70, **_week(9))
    result = compare(before, after, direction=Direction.HIGHER_IS_BETTER)
    # Newcombe (1998) example (a): 56/70 − 48/80 = 0.2, 95 % CI 0.0524 to 0.3339.
    assert result.difference is not None
    assert result.difference.interval.lower == pytest.approx(0.0524, abs=5e-5)
    assert result.difference.interval.upper == pytest.approx(0.3339, abs=5e-5)
    assert result.improvement == pytest.approx(0.2)
    assert result.improved is True
    assert result.relative_change == pytest.approx(0.2 / 0.6)


def test_compare_means_equals_welch_on_raw_values() -> None:
    from itsm_core.stats import difference_of_means

    old = [12.0, 15.5, 9.0, 20.0, 14.0, 11.5]
    new = [8.0, 9.5, 11.0, 7.5, 10.0]
    before = Measurement.mean_of("mttr", old, unit="h", **_week(2))
    after = Measurement.mean_of("mttr", new, unit="h", **_week(9))
    result = compare(before, after, direction=Direction.LOWER_IS_BETTER)
    direct = difference_of_means(new, old)
    assert result.difference is not None
    assert result.difference.estimate == pytest.approx(direct.estimate)
    assert result.difference.interval.lower == pytest.approx(direct.interval.lower)
    assert result.difference.interval.upper == pytest.approx(direct.interval.upper)
    assert result.difference.p_value == pytest.approx(direct.p_value)
    assert result.improvement > 0


def test_compare_values_and_refusals() -> None:
    before = Measurement(kpi="backlog", value=120, n=1, unit="tickets", **_week(2))
    after = Measurement(kpi="backlog", value=90, n=1, unit="tickets", **_week(9))
    result = compare(before, after, direction=Direction.LOWER_IS_BETTER)
    assert result.difference is None
    assert result.significant is None
    assert result.improved is None
    assert result.improvement == 30
    other = Measurement(kpi="queue", value=90, n=1, unit="tickets", **_week(9))
    with pytest.raises(ValidationError, match="measures 'queue'"):
        compare(before, other, direction=Direction.LOWER_IS_BETTER)
    one = Measurement.mean_of("mttr", [5.0], **_week(2))
    two = Measurement.mean_of("mttr", [4.0, 6.0], **_week(9))
    with pytest.raises(InsufficientData):
        compare(one, two, direction=Direction.LOWER_IS_BETTER)
    zero = Measurement(kpi="backlog", value=0, n=1, unit="tickets", **_week(2))
    assert compare(zero, after, direction=Direction.LOWER_IS_BETTER).relative_change is None


def test_measurement_validation() -> None:
    start = dt.datetime(2026, 3, 2, tzinfo=UTC)
    with pytest.raises(ValidationError) as info:
        Measurement(
            kpi="",
            value=0.33,
            n=10,
            kind=KpiKind.PROPORTION,
            period_start=start,
            period_end=start,
            standard_deviation=1.0,
        )
    paths = {p.path for p in info.value.problems}
    assert paths == {"kpi", "value", "period_end", "standard_deviation"}
    with pytest.raises(ValidationError):
        Measurement.proportion("x", 5, 4, **_week(2))
    with pytest.raises(ValidationError):
        Measurement.proportion("x", 0, 0, **_week(2))
    with pytest.raises(ValidationError):
        Measurement.mean_of("x", [], **_week(2))
    with pytest.raises(ValidationError):
        Measurement(kpi="x", value=math.inf, n=1, **_week(2))
    with pytest.raises(ValidationError):
        Measurement(kpi="x", value=1.5, n=1, kind=KpiKind.PROPORTION, **_week(2))
    from itsm_core.errors import NaiveDatetimeError

    with pytest.raises(NaiveDatetimeError):
        Measurement(kpi="x", value=1, n=1, period_start=dt.datetime(2026, 1, 1), period_end=start)
    m = Measurement.mean_of("mttr", [1.0, 3.0], unit="h", **_week(2))
    assert m.describe() == "mttr 2 h (n=2)"
    assert m.successes is None
    assert Measurement.proportion("r", 1, 8, **_week(2)).describe() == "r 12.5% (n=8)"
