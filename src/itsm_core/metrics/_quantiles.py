"""Bounded, mergeable quantiles of non-negative integers (durations in microseconds).

A :class:`QuantileStore` is exact while it holds at most ``EXACT_LIMIT`` values: it keeps the
multiset of values and a quantile is the nearest-rank order statistic. Beyond that it turns into
a log-bucket sketch (the DDSketch construction of Masson, Rim and Lee, VLDB 2019): value ``x > 0``
falls in bucket ``i = ceil(log_γ x)`` with ``γ = (1 + α)/(1 − α)``, and a bucket is reported as
``2γ^i/(γ + 1)``. The estimate of any quantile is then within a relative error ``α`` of the exact
nearest-rank value (``RELATIVE_ACCURACY`` = 1 %). Memory is bounded by the number of buckets
(``log_γ`` of the value range: about 1,300 buckets from one microsecond to ten years).

Merging adds counts, so it is exactly associative and commutative, and a store built by
merging any split of the values equals the store built from all of them in one pass: the switch
to the sketch depends only on how many values there are.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

#: Up to this many values, quantiles are exact.
EXACT_LIMIT = 1000
#: The relative error bound of the sketch beyond ``EXACT_LIMIT`` values.
RELATIVE_ACCURACY = 0.01
_GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY)
_LOG_GAMMA = math.log(_GAMMA)


def nearest_rank(percent: int, n: int) -> int:
    """The 1-based rank of the ``percent`` quantile of ``n`` values: ``max(1, ceil(p·n/100))``.

    >>> nearest_rank(50, 10), nearest_rank(50, 11), nearest_rank(90, 10), nearest_rank(0, 5)
    (5, 6, 9, 1)
    """
    return max(1, -(-percent * n // 100))


def _bucket(value: int) -> int:
    return math.ceil(math.log(value) / _LOG_GAMMA)


def _representative(bucket: int) -> int:
    return round(2 * _GAMMA**bucket / (_GAMMA + 1))


class QuantileStore:
    """Non-negative integers, exactly while few, as a relative-error sketch beyond.

    >>> store = QuantileStore()
    >>> store.add_all([5, 1, 4, 2, 3])
    >>> store.quantile(50), store.quantile(90), store.exact
    (3, 5, True)
    """

    __slots__ = ("_exact", "_n", "_sketch", "_zeros")

    def __init__(self) -> None:
        self._n = 0
        self._exact: Counter[int] | None = Counter()
        self._sketch: Counter[int] = Counter()
        self._zeros = 0

    @property
    def n(self) -> int:
        """How many values were added."""
        return self._n

    @property
    def exact(self) -> bool:
        """True while quantiles are exact order statistics."""
        return self._exact is not None

    def add(self, value: int) -> None:
        """Add one value (``value >= 0``)."""
        self._n += 1
        if self._exact is not None:
            self._exact[value] += 1
            if self._n > EXACT_LIMIT:
                self._to_sketch()
        elif value == 0:
            self._zeros += 1
        else:
            self._sketch[_bucket(value)] += 1

    def add_all(self, values: Iterable[int]) -> None:
        """Add every value."""
        for value in values:
            self.add(value)

    def _to_sketch(self) -> None:
        assert self._exact is not None
        for value, count in self._exact.items():
            if value == 0:
                self._zeros += count
            else:
                self._sketch[_bucket(value)] += count
        self._exact = None

    def merged(self, other: QuantileStore) -> QuantileStore:
        """A new store holding the values of both."""
        out = QuantileStore()
        out._n = self._n + other._n
        if self._exact is not None and other._exact is not None:
            out._exact = self._exact + other._exact
            if out._n > EXACT_LIMIT:
                out._to_sketch()
            return out
        out._exact = None
        for store in (self, other):
            if store._exact is not None:
                for value, count in store._exact.items():
                    if value == 0:
                        out._zeros += count
                    else:
                        out._sketch[_bucket(value)] += count
            else:
                out._zeros += store._zeros
                out._sketch.update(store._sketch)
        return out

    def quantile(self, percent: int) -> int | None:
        """The nearest-rank ``percent`` quantile (exact, or within the relative error bound).

        None when the store is empty.
        """
        if self._n == 0:
            return None
        rank = nearest_rank(percent, self._n)
        seen = 0
        if self._exact is not None:
            for value in sorted(self._exact):
                seen += self._exact[value]
                if seen >= rank:
                    return value
        else:
            seen = self._zeros
            if seen >= rank:
                return 0
            for bucket in sorted(self._sketch):
                seen += self._sketch[bucket]
                if seen >= rank:
                    return _representative(bucket)
        raise AssertionError("rank beyond the count")  # pragma: no cover

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, QuantileStore):
            return NotImplemented
        return (self._n, self._exact, self._zeros, +self._sketch) == (
            other._n,
            other._exact,
            other._zeros,
            +other._sketch,
        )

    __hash__ = None  # type: ignore[assignment]

    def __getstate__(self) -> tuple[int, Counter[int] | None, Counter[int], int]:
        return (self._n, self._exact, self._sketch, self._zeros)

    def __setstate__(self, state: tuple[int, Counter[int] | None, Counter[int], int]) -> None:
        self._n, self._exact, self._sketch, self._zeros = state
