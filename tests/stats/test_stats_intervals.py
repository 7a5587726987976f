"""Proportion intervals, differences of proportions and means, and the distributions behind."""

from __future__ import annotations

import math
import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsm_core.errors import InsufficientData, ValidationError
from itsm_core.stats import (
    Interval,
    IntervalMethod,
    difference_of_means,
    difference_of_proportions,
    mean_estimate,
    proportion,
    proportion_interval,
    welch_from_summaries,
)
from itsm_core.stats._distributions import (
    beta_quantile,
    f_quantile,
    regularized_beta,
    t_quantile,
    t_two_sided_p,
)

# Newcombe (1998) "Two-sided confidence intervals for the single proportion: comparison of
# seven methods", Statistics in Medicine 17:857-872, Table I, method 3 (Wilson score).
NEWCOMBE_SINGLE = [
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0000, 0.1611),
    (1, 29, 0.0061, 0.1718),
]

# Newcombe (1998) "Interval estimation for the difference between independent proportions:
# comparison of eleven methods", Statistics in Medicine 17:873-890, Table II, method 10
# (hybrid score); reproduced to 4 dp by statsmodels confint_proportions_2indep(method="newcomb").
NEWCOMBE_DIFFERENCE = [
    ((56, 70, 48, 80), 0.0524, 0.3339),
    ((9, 10, 3, 10), 0.1705, 0.8090),
    ((6, 7, 2, 7), 0.0582, 0.8062),
    ((5, 56, 0, 29), -0.0381, 0.1926),
    ((0, 10, 0, 20), -0.1611, 0.2775),
    ((0, 10, 0, 10), -0.2775, 0.2775),
    ((10, 10, 0, 20), 0.6791, 1.0000),
    ((10, 10, 0, 10), 0.6075, 1.0000),
]


@pytest.mark.parametrize(("k", "n", "lower", "upper"), NEWCOMBE_SINGLE)
def test_wilson_matches_newcombe_table(k: int, n: int, lower: float, upper: float) -> None:
    interval = proportion_interval(k, n)
    assert round(interval.lower, 4) == lower
    assert round(interval.upper, 4) == upper
    assert interval.method is IntervalMethod.WILSON
    assert not interval.clipped


@pytest.mark.parametrize(("counts", "lower", "upper"), NEWCOMBE_DIFFERENCE)
def test_newcombe_difference_matches_table(
    counts: tuple[int, int, int, int], lower: float, upper: float
) -> None:
    diff = difference_of_proportions(*counts)
    assert round(diff.interval.lower, 4) == lower
    assert round(diff.interval.upper, 4) == upper
    assert diff.interval.method is IntervalMethod.NEWCOMBE
    assert diff.estimate == pytest.approx(counts[0] / counts[1] - counts[2] / counts[3])


def test_clopper_pearson_matches_scipy_docs_example() -> None:
    # scipy.stats.binomtest docs: binomtest(k=7, n=50).proportion_ci() (exact method)
    # -> (0.05819170033997342, 0.26739600249700846)
    interval = proportion_interval(7, 50, method=IntervalMethod.CLOPPER_PEARSON)
    assert interval.lower == pytest.approx(0.05819170033997342, abs=1e-12)
    assert interval.upper == pytest.approx(0.26739600249700846, abs=1e-12)


def test_wilson_edges_are_exact() -> None:
    assert proportion_interval(0, 7).lower == 0.0
    assert proportion_interval(7, 7).upper == 1.0


def test_wald_clipping_is_reported() -> None:
    interval = proportion_interval(1, 10, method=IntervalMethod.WALD)
    assert interval.lower == 0.0
    assert interval.clipped
    assert not proportion_interval(5, 10, method=IntervalMethod.WALD).clipped


def test_rate_carries_n_estimate_and_interval() -> None:
    rate = proportion(148, 200)
    assert (rate.successes, rate.n, rate.estimate, rate.percent) == (148, 200, 0.74, 74.0)
    assert rate.interval.contains(rate.estimate)
    assert rate.interval.confidence == 0.95


def test_empty_input_is_insufficient_data_not_zero() -> None:
    with pytest.raises(InsufficientData) as info:
        proportion(0, 0)
    assert info.value.problems[0].path == "n"
    with pytest.raises(InsufficientData):
        difference_of_proportions(1, 2, 0, 0)
    with pytest.raises(InsufficientData):
        mean_estimate([])
    with pytest.raises(InsufficientData):
        difference_of_means([1.0], [1.0, 2.0])


def test_bad_counts_list_every_problem() -> None:
    with pytest.raises(ValidationError) as info:
        proportion_interval(-1, True, confidence=1.5)
    paths = [p.path for p in info.value.problems]
    assert paths == ["confidence", "successes", "n"]
    with pytest.raises(ValidationError, match="more than n"):
        proportion(11, 10)
    with pytest.raises(ValidationError, match="method"):
        proportion(1, 10, method=IntervalMethod.FELDT)
    with pytest.raises(ValidationError, match="method"):
        difference_of_proportions(1, 10, 2, 10, method=IntervalMethod.WILSON)


def test_interval_rejects_inverted_bounds() -> None:
    with pytest.raises(ValidationError):
        Interval(lower=0.6, upper=0.4, confidence=0.95, method=IntervalMethod.WALD)
    with pytest.raises(ValidationError):
        Interval(lower=0.1, upper=0.4, confidence=0.0, method=IntervalMethod.WALD)
    with pytest.raises(ValidationError):
        Interval(lower=math.nan, upper=0.4, confidence=0.9, method=IntervalMethod.WALD)
    scaled = Interval(lower=0.1, upper=0.4, confidence=0.9, method=IntervalMethod.WALD).scaled(100)
    assert (scaled.lower, scaled.upper) == pytest.approx((10.0, 40.0))


@given(
    n=st.integers(1, 2000),
    data=st.data(),
    confidence=st.floats(0.5, 0.999),
    method=st.sampled_from(
        [
            IntervalMethod.WILSON,
            IntervalMethod.WILSON_CC,
            IntervalMethod.AGRESTI_COULL,
            IntervalMethod.CLOPPER_PEARSON,
            IntervalMethod.WALD,
        ]
    ),
)
def test_interval_in_unit_range_and_contains_estimate(
    n: int, data: st.DataObject, confidence: float, method: IntervalMethod
) -> None:
    k = data.draw(st.integers(0, n))
    interval = proportion_interval(k, n, confidence, method)
    assert 0.0 <= interval.lower <= interval.upper <= 1.0
    if method is not IntervalMethod.AGRESTI_COULL:  # its centre is shifted towards 1/2
        assert interval.lower <= k / n + 1e-12
        assert k / n <= interval.upper + 1e-12


@given(n=st.integers(1, 500), data=st.data())
def test_wilson_is_symmetric_under_swapping_outcomes(n: int, data: st.DataObject) -> None:
    k = data.draw(st.integers(0, n))
    a, b = proportion_interval(k, n), proportion_interval(n - k, n)
    assert a.lower == pytest.approx(1.0 - b.upper, abs=1e-12)
    assert a.upper == pytest.approx(1.0 - b.lower, abs=1e-12)


@given(n=st.integers(2, 300), data=st.data())
def test_higher_confidence_gives_wider_interval(n: int, data: st.DataObject) -> None:
    k = data.draw(st.integers(0, n))
    narrow, wide = proportion_interval(k, n, 0.8), proportion_interval(k, n, 0.99)
    assert wide.lower <= narrow.lower + 1e-15
    assert narrow.upper <= wide.upper + 1e-15


def test_difference_test_statistic_and_degenerate_case() -> None:
    diff = difference_of_proportions(56, 70, 48, 80)
    pooled = 104 / 150
    z = 0.2 / math.sqrt(pooled * (1 - pooled) * (1 / 70 + 1 / 80))
    assert diff.statistic == pytest.approx(z)
    same = difference_of_proportions(0, 10, 0, 20)
    assert same.statistic is None
    assert same.p_value is None
    wald = difference_of_proportions(10, 10, 0, 10, method=IntervalMethod.WALD)
    assert (wald.interval.lower, wald.interval.upper) == (1.0, 1.0)
    clipped = difference_of_proportions(9, 10, 0, 10, method=IntervalMethod.WALD)
    assert clipped.interval.clipped
    assert clipped.interval.upper == 1.0


def test_mean_estimate_single_value_and_constant_values() -> None:
    one = mean_estimate([4])
    assert (one.n, one.mean, one.standard_deviation, one.interval) == (1, 4.0, None, None)
    constant = mean_estimate([3, 3, 3])
    assert constant.interval is not None
    assert constant.interval.width == 0.0
    with pytest.raises(ValidationError) as info:
        mean_estimate([1, True, math.nan, "x"])  # type: ignore[list-item]
    assert [p.path for p in info.value.problems] == ["values[1]", "values[2]", "values[3]"]
    with pytest.raises(ValidationError, match="bounds"):
        mean_estimate([1, 2], bounds=(5, 1))


def test_difference_of_means_without_variation() -> None:
    diff = difference_of_means([2, 2, 2], [1, 1])
    assert diff.estimate == 1.0
    assert diff.statistic is None
    assert diff.degrees_of_freedom is None
    assert diff.interval.width == 0.0


# --- independent oracles: scipy and statsmodels (dev-only) ---------------------------------


def test_proportion_methods_match_statsmodels() -> None:
    sm = pytest.importorskip("statsmodels.stats.proportion")
    names = {
        IntervalMethod.WILSON: "wilson",
        IntervalMethod.AGRESTI_COULL: "agresti_coull",
        IntervalMethod.CLOPPER_PEARSON: "beta",
        IntervalMethod.WALD: "normal",
    }
    for k, n in [(0, 1), (1, 1), (3, 7), (81, 263), (500, 1000), (999, 1000), (2, 9000)]:
        for confidence in (0.8, 0.95, 0.99):
            for method, name in names.items():
                ours = proportion_interval(k, n, confidence, method)
                low, high = sm.proportion_confint(k, n, alpha=1 - confidence, method=name)
                assert ours.lower == pytest.approx(low, abs=1e-10), (k, n, method)
                assert ours.upper == pytest.approx(high, abs=1e-10), (k, n, method)


def test_wilson_cc_matches_scipy() -> None:
    stats = pytest.importorskip("scipy.stats")
    for k, n in [(0, 20), (1, 29), (15, 148), (81, 263), (20, 20), (7, 50)]:
        ours = proportion_interval(k, n, method=IntervalMethod.WILSON_CC)
        ci = stats.binomtest(k, n).proportion_ci(method="wilsoncc")
        assert ours.lower == pytest.approx(ci.low, abs=1e-10)
        assert ours.upper == pytest.approx(ci.high, abs=1e-10)


def test_newcombe_matches_statsmodels_on_a_grid() -> None:
    sm = pytest.importorskip("statsmodels.stats.proportion")
    for counts in [(3, 9, 7, 11), (0, 5, 5, 5), (40, 41, 2, 60), (123, 456, 78, 90)]:
        ours = difference_of_proportions(*counts, confidence=0.9)
        low, high = sm.confint_proportions_2indep(
            counts[0], counts[1], counts[2], counts[3], method="newcomb", alpha=0.1
        )
        assert ours.interval.lower == pytest.approx(low, abs=1e-10)
        assert ours.interval.upper == pytest.approx(high, abs=1e-10)


def test_means_match_scipy() -> None:
    stats = pytest.importorskip("scipy.stats")
    a = [4.0, 5.0, 3.0, 5.0, 4.0, 2.0, 5.0]
    b = [3.0, 3.0, 2.0, 4.0, 1.0]
    ours = mean_estimate(a, confidence=0.9)
    low, high = stats.t.interval(0.9, len(a) - 1, loc=sum(a) / len(a), scale=stats.sem(a))
    assert ours.interval is not None
    assert (ours.interval.lower, ours.interval.upper) == pytest.approx((low, high), abs=1e-10)
    diff = difference_of_means(a, b)
    welch = stats.ttest_ind(a, b, equal_var=False)
    ci = welch.confidence_interval(0.95)
    assert diff.statistic == pytest.approx(welch.statistic, abs=1e-10)
    assert diff.p_value == pytest.approx(welch.pvalue, abs=1e-10)
    assert diff.degrees_of_freedom == pytest.approx(welch.df, abs=1e-10)
    assert (diff.interval.lower, diff.interval.upper) == pytest.approx((ci.low, ci.high), abs=1e-9)


def test_distributions_match_scipy() -> None:
    stats = pytest.importorskip("scipy.stats")
    for df in (1, 2, 3.5, 7, 30, 250, 5000):
        for q in (0.005, 0.025, 0.1, 0.5, 0.9, 0.975, 0.9995):
            assert t_quantile(q, df) == pytest.approx(stats.t.ppf(q, df), rel=1e-9, abs=1e-12)
        assert t_two_sided_p(2.1, df) == pytest.approx(2 * stats.t.sf(2.1, df), rel=1e-9)
    for d1, d2 in ((1, 1), (4, 8), (29, 261), (199, 1990), (2, 30000)):
        for q in (0.025, 0.5, 0.975):
            assert f_quantile(q, d1, d2) == pytest.approx(stats.f.ppf(q, d1, d2), rel=1e-9)
    for a, b, x in ((0.5, 0.5, 0.3), (2, 3, 0.9), (50, 40, 0.55), (1e-3, 5, 0.01)):
        assert regularized_beta(a, b, x) == pytest.approx(stats.beta.cdf(x, a, b), rel=1e-9)
    assert beta_quantile(0.0, 2, 3) == 0.0
    assert beta_quantile(1.0, 2, 3) == 1.0
    assert regularized_beta(2, 3, 0.0) == 0.0
    assert regularized_beta(2, 3, 1.0) == 1.0


@given(
    st.lists(st.floats(-1e3, 1e3), min_size=2, max_size=30),
    st.lists(st.floats(-1e3, 1e3), min_size=2, max_size=30),
)
def test_welch_from_summaries_equals_welch_on_the_raw_values(
    first: list[float], second: list[float]
) -> None:
    raw = difference_of_means(first, second)
    summary = welch_from_summaries(
        (len(first), statistics.fmean(first), statistics.stdev(first)),
        (len(second), statistics.fmean(second), statistics.stdev(second)),
    )
    assert summary.estimate == pytest.approx(raw.estimate, rel=1e-9, abs=1e-9)
    assert summary.standard_error == pytest.approx(raw.standard_error, rel=1e-9, abs=1e-9)
    assert (summary.p_value is None) == (raw.p_value is None)
    assert (summary.n_first, summary.n_second) == (raw.n_first, raw.n_second)


def test_welch_from_summaries_refuses_bad_summaries() -> None:
    with pytest.raises(ValidationError, match=r"first\.sd: -1\.0 is not a finite number >= 0"):
        welch_from_summaries((5, 1.0, -1.0), (5, 1.0, 1.0))
    with pytest.raises(ValidationError, match=r"second\.mean: nan"):
        welch_from_summaries((5, 1.0, 1.0), (5, float("nan"), 1.0))
    with pytest.raises(InsufficientData):
        welch_from_summaries((1, 1.0, 0.0), (5, 1.0, 1.0))


def test_constant_values_do_not_vary_at_all() -> None:
    # Found by the property above: the mean fsum(values) / n of three equal values missed
    # them by an ulp, so they "varied" and gave a p-value of 1e-32 instead of none.
    constant = [682.815096959953] * 3
    estimate = mean_estimate(constant)
    assert (estimate.mean, estimate.standard_deviation) == (682.815096959953, 0.0)
    assert mean_estimate([1e308, 1e308]).mean == 1e308  # and no overflow on the way
    diff = difference_of_means([0.0, 0.0], constant)
    assert (diff.standard_error, diff.statistic, diff.p_value) == (0.0, None, None)


def test_welch_with_tiny_variances_has_finite_degrees_of_freedom() -> None:
    # Found by the property above: var**2 underflowed to 0 and the Welch-Satterthwaite
    # degrees of freedom divided by zero.
    diff = difference_of_means([0.0, 0.0], [0.0, 9.388577617421019e-150])
    assert diff.degrees_of_freedom == pytest.approx(1.0)
    assert diff.p_value is not None
    assert 0.0 <= diff.p_value <= 1.0


def test_t_with_many_degrees_of_freedom_matches_scipy() -> None:
    # Found while moving the statistics: from about 10**8 degrees of freedom the incomplete
    # beta lost the digits t differs from the normal by (1.76 instead of 1.96 at 10**15).
    stats = pytest.importorskip("scipy.stats")
    for df in (9.9e4, 1.5e5, 1e6, 1e9, 1e15, 1e18):
        for q in (0.0005, 0.025, 0.4, 0.6, 0.975, 0.9995):
            assert t_quantile(q, df) == pytest.approx(stats.t.ppf(q, df), rel=1e-10, abs=1e-12)
        for t in (-3.5, 0.0, 0.3, 2.0, 5.0):
            expected = 2 * stats.t.sf(abs(t), df)
            assert t_two_sided_p(t, df) == pytest.approx(expected, rel=1e-9, abs=1e-15)
    # Found by the property tests: far in the tail the expansion's terms overflowed to NaN.
    assert t_two_sided_p(9.29453694166476e43, 4240509340.9999995) == 0.0
