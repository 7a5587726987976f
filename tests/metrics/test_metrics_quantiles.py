"""Quantiles: exact while small (linear by default, as numpy; nearest rank on request), within
the stated relative error beyond, and merging any split equals one pass."""

from __future__ import annotations

import math
import pickle
import random
import statistics

import numpy
from hypothesis import given
from hypothesis import strategies as st

from itsm_core.metrics import EXACT_LIMIT, RELATIVE_ACCURACY, QuantileStore
from itsm_core.stats import QuantileMethod

NEAREST = QuantileMethod.NEAREST_RANK


def oracle(values: list[int], percent: int) -> int:
    """The nearest-rank definition (Hyndman and Fan type 1), by sorting."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(percent * len(ordered) / 100)) - 1]


def linear(values: list[int], percent: int) -> float:
    """numpy's default method (Hyndman and Fan type 7)."""
    return float(numpy.percentile(values, percent))


def durations(seed: int, count: int) -> list[int]:
    """Log-normal microsecond durations (minutes to weeks), with some zeros."""
    rnd = random.Random(seed)
    return [0 if rnd.random() < 0.02 else int(rnd.lognormvariate(22, 2)) for _ in range(count)]


@given(st.lists(st.integers(0, 10**12), min_size=1, max_size=EXACT_LIMIT))
def test_small_stores_are_exact(values: list[int]) -> None:
    store = QuantileStore()
    store.add_all(values)
    assert store.exact
    for percent in (0, 10, 50, 90, 99, 100):
        assert store.quantile(percent, NEAREST) == oracle(values, percent)
        assert store.quantile(percent, NEAREST) == numpy.percentile(
            values, percent, method="inverted_cdf"
        )
        assert math.isclose(store.quantile(percent) or 0, linear(values, percent), abs_tol=1e-3)
    assert store.quantile(50, NEAREST) == statistics.median_low(values)
    # The default: the median of an even count averages the two middle values.
    assert store.quantile(50) == statistics.median(values)


def test_an_even_count_has_the_mean_of_the_middle_values_as_its_median() -> None:
    store = QuantileStore()
    store.add_all([40, 10, 30, 20])
    assert (store.quantile(50), store.quantile(50, NEAREST)) == (25, 20)
    assert store.quantile(90) == 37.0 == linear([10, 20, 30, 40], 90)


@given(st.integers(0, 2**32), st.integers(EXACT_LIMIT + 1, 4 * EXACT_LIMIT))
def test_large_stores_stay_within_the_relative_error(seed: int, count: int) -> None:
    values = durations(seed, count)
    store = QuantileStore()
    store.add_all(values)
    assert not store.exact
    percents = (1, 25, 50, 75, 90, 95, 99, 100)
    linear_values = numpy.percentile(values, percents)
    for percent, exact_linear in zip(percents, linear_values, strict=True):
        exact = oracle(values, percent)
        estimate = store.quantile(percent, NEAREST)
        assert estimate is not None
        # The bound, plus half a microsecond for rounding to whole microseconds.
        assert abs(estimate - exact) <= RELATIVE_ACCURACY * exact + 0.5
        # The linear quantile interpolates two estimated order statistics: the same bound.
        estimate_linear = store.quantile(percent)
        assert estimate_linear is not None
        assert abs(estimate_linear - exact_linear) <= RELATIVE_ACCURACY * exact_linear + 0.5


@given(st.integers(0, 2**32), st.integers(1, 3 * EXACT_LIMIT), st.data())
def test_any_split_merges_to_the_one_pass_store(seed: int, count: int, data: st.DataObject) -> None:
    values = durations(seed, count)
    whole = QuantileStore()
    whole.add_all(values)
    cuts = sorted(data.draw(st.lists(st.integers(0, count), max_size=4)))
    pieces = [values[a:b] for a, b in zip([0, *cuts], [*cuts, count], strict=True)]
    stores = []
    for piece in pieces:
        store = QuantileStore()
        store.add_all(piece)
        stores.append(store)
    order = data.draw(st.permutations(range(len(stores))))
    merged = QuantileStore()
    for i in order:
        merged = merged.merged(stores[i]) if data.draw(st.booleans()) else stores[i].merged(merged)
    assert merged == whole
    assert merged.n == count
    assert merged.quantile(90) == whole.quantile(90)
    assert merged.quantile(90, NEAREST) == whole.quantile(90, NEAREST)
    assert pickle.loads(pickle.dumps(merged)) == whole


def test_empty_store_has_no_quantile_and_compares_by_content() -> None:
    store = QuantileStore()
    assert store.quantile(50) is None
    assert store != "store"
    assert store == QuantileStore()


def test_zeros_are_kept_exactly_in_the_sketch() -> None:
    store = QuantileStore()
    store.add_all([0] * (EXACT_LIMIT + 1) + [10**9])
    store.add(0)
    assert (store.quantile(50), store.exact) == (0, False)
    assert store.quantile(50, NEAREST) == 0
    assert abs((store.quantile(100) or 0) - 10**9) <= RELATIVE_ACCURACY * 10**9
