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
from array import array
from collections import Counter
from collections.abc import Iterable, MutableSequence

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
        # The values while exact, in the order added (8 bytes each in a machine array; a list
        # once a value does not fit 64 bits); None once a sketch.
        self._exact: MutableSequence[int] | None = array("q")
        self._sketch: Counter[int] | None = None
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
        exact = self._exact
        if exact is not None:
            try:
                exact.append(value)
            except (OverflowError, TypeError):  # not a 64-bit integer: keep Python values
                self._exact = [*exact, value]
            if self._n > EXACT_LIMIT:
                self._to_sketch()
        elif value == 0:
            self._zeros += 1
        else:
            assert self._sketch is not None
            self._sketch[_bucket(value)] += 1

    def add_all(self, values: Iterable[int]) -> None:
        """Add every value."""
        exact = self._exact
        if (
            isinstance(values, array)
            and isinstance(exact, array)
            and values.typecode == exact.typecode
            and self._n + len(values) <= EXACT_LIMIT
        ):
            exact.extend(values)  # one copy of machine integers
            self._n += len(values)
            return
        for value in values:
            self.add(value)

    def _to_sketch(self) -> None:
        assert self._exact is not None
        self._sketch, self._zeros = _sketched(self._exact)
        self._exact = None

    def merged(self, other: QuantileStore) -> QuantileStore:
        """A new store holding the values of both."""
        out = QuantileStore()
        out._n = self._n + other._n
        mine, theirs = self._exact, other._exact
        if mine is not None and theirs is not None:
            if isinstance(mine, array) and isinstance(theirs, array):
                out._exact = mine + theirs
            else:
                out._exact = [*mine, *theirs]
            if out._n > EXACT_LIMIT:
                out._to_sketch()
            return out
        out._exact = None
        out._sketch = Counter()
        for store in (self, other):
            if store._exact is not None:
                sketch, zeros = _sketched(store._exact)
            else:
                assert store._sketch is not None
                sketch, zeros = store._sketch, store._zeros
            out._sketch.update(sketch)
            out._zeros += zeros
        return out

    def quantile(self, percent: int) -> int | None:
        """The nearest-rank ``percent`` quantile (exact, or within the relative error bound).

        None when the store is empty.
        """
        if self._n == 0:
            return None
        rank = nearest_rank(percent, self._n)
        if self._exact is not None:
            return sorted(self._exact)[rank - 1]
        assert self._sketch is not None
        seen = self._zeros
        if seen >= rank:
            return 0
        for bucket in sorted(self._sketch):
            seen += self._sketch[bucket]
            if seen >= rank:
                return _representative(bucket)
        raise AssertionError("rank beyond the count")  # pragma: no cover

    def _content(self) -> tuple[object, ...]:
        if self._exact is not None:
            return (self._n, sorted(self._exact))
        assert self._sketch is not None
        return (self._n, self._zeros, +self._sketch)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, QuantileStore):
            return NotImplemented
        return self._content() == other._content()

    __hash__ = None  # type: ignore[assignment]

    def __getstate__(
        self,
    ) -> tuple[int, MutableSequence[int] | None, Counter[int] | None, int]:
        return (self._n, self._exact, self._sketch, self._zeros)

    def __setstate__(
        self, state: tuple[int, MutableSequence[int] | None, Counter[int] | None, int]
    ) -> None:
        self._n, self._exact, self._sketch, self._zeros = state


def _sketched(values: Iterable[int]) -> tuple[Counter[int], int]:
    """The sketch buckets of ``values`` and the count of zeros."""
    sketch: Counter[int] = Counter()
    zeros = 0
    for value in values:
        if value == 0:
            zeros += 1
        else:
            sketch[_bucket(value)] += 1
    return sketch, zeros
