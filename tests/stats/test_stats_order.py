"""Medians and percentiles name their method and agree with numpy, statistics and pandas."""

from __future__ import annotations

import math
import statistics

import numpy
import pandas
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itsm_core.errors import InsufficientData, ValidationError
from itsm_core.stats import QuantileMethod, median, percentile

LINEAR, NEAREST = QuantileMethod.LINEAR, QuantileMethod.NEAREST_RANK
values_strategy = st.lists(
    st.floats(-1e9, 1e9, allow_nan=False) | st.integers(-(10**9), 10**9), min_size=1, max_size=60
)


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)


@settings(max_examples=30)
@given(values_strategy, st.integers(0, 100) | st.floats(0, 100))
def test_linear_is_numpys_default_and_pandas(values: list[float], percent: float) -> None:
    ours = percentile(values, percent)
    assert close(ours, float(numpy.percentile(values, percent)))
    assert close(ours, float(pandas.Series(values, dtype=float).quantile(percent / 100)))


@settings(max_examples=30)
@given(values_strategy, st.integers(0, 100))
def test_nearest_rank_is_numpys_inverted_cdf(values: list[float], percent: int) -> None:
    ours = percentile(values, percent, method=NEAREST)
    assert ours == float(numpy.percentile(values, percent, method="inverted_cdf"))
    assert ours in [float(v) for v in values]


@settings(max_examples=30)
@given(values_strategy)
def test_the_median_averages_the_middle_values_of_an_even_count(values: list[float]) -> None:
    assert close(median(values), float(statistics.median(values)))
    assert median(values, method=NEAREST) == float(statistics.median_low(values))
    if len(values) >= 2:
        # statistics.quantiles' inclusive method is the linear one as well.
        cuts = statistics.quantiles([float(v) for v in values], n=10, method="inclusive")
        assert all(close(percentile(values, 10 * (i + 1)), c) for i, c in enumerate(cuts))


def test_worked_examples() -> None:
    assert (median([4, 1, 3, 2]), median([4, 1, 3, 2], method=NEAREST)) == (2.5, 2.0)
    assert (median([3, 1, 2]), median([3, 1, 2], method=NEAREST)) == (2.0, 2.0)
    assert percentile([10, 20, 30, 40], 90) == 37.0
    assert percentile([10, 20, 30, 40], 90, method=NEAREST) == 40.0
    assert percentile([10, 20], 0) == 10.0 == percentile([10, 20], 0, method=NEAREST)
    assert percentile([7], 33.3) == 7.0


def test_bad_input_is_named() -> None:
    with pytest.raises(InsufficientData) as empty:
        median([])
    assert empty.value.problems[0].path == "values"
    for percent in (-1, 101, math.nan, "50", True):
        with pytest.raises(ValidationError) as bad:
            percentile([1, 2], percent)  # type: ignore[arg-type]
        assert bad.value.problems[0].path == "percent"
    with pytest.raises(ValidationError) as value:
        median([1.0, math.inf])
    assert value.value.problems[0].path == "values[1]"
    with pytest.raises(ValidationError) as method:
        percentile([1, 2], 50, method="linear")  # type: ignore[arg-type]
    assert method.value.problems[0].path == "method"
