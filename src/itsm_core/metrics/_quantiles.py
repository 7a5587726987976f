"""Bounded, mergeable quantiles of non-negative integers (durations in microseconds).

A :class:`QuantileStore` is exact while it holds at most ``EXACT_LIMIT`` values: it keeps the
multiset of values and a quantile is computed from the order statistics by the method asked for
(:class:`~itsm_core.stats.QuantileMethod`: numpy's default linear interpolation unless nearest
rank is asked for; the same answer as :func:`itsm_core.stats.percentile`). Beyond that it turns
into a log-bucket sketch (the DDSketch construction of Masson, Rim and Lee, VLDB 2019): value
``x > 0`` falls in bucket ``i = ceil(log_γ x)`` with ``γ = (1 + α)/(1 − α)``, and a bucket is
reported as ``2γ^i/(γ + 1)``. Every order statistic the sketch reports is then within a
relative error ``α`` of the exact one (``RELATIVE_ACCURACY`` = 1 %); a linear quantile
interpolates between the two order statistics around its position with the exact weight, so it
is within the same relative error of the exact linear quantile (an interpolation of two
non-negative values each within ``α`` of the truth is within ``α`` of the interpolated truth).
Memory is bounded by the number of buckets (``log_γ`` of the value range: about 1,300 buckets
from one microsecond to ten years).

Merging adds counts, so it is exactly associative and commutative, and a store built by
merging any split of the values equals the store built from all of them in one pass: the switch
to the sketch depends only on how many values there are.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, MutableSequence, Sequence
from itertools import repeat
from operator import truediv

from itsm_core.stats import QuantileMethod
from itsm_core.stats._order import order_positions

#: Up to this many values, quantiles are exact.
EXACT_LIMIT = 1000
#: The relative error bound of the sketch beyond ``EXACT_LIMIT`` values.
RELATIVE_ACCURACY = 0.01
_GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY)
_LOG_GAMMA = math.log(_GAMMA)


def _bucket(value: int) -> int:
    return math.ceil(math.log(value) / _LOG_GAMMA)


def _representative(bucket: int) -> int:
    return round(2 * _GAMMA**bucket / (_GAMMA + 1))


class _Buckets:
    """Counts of the sketch buckets from ``low`` on, one machine integer each (8 bytes a
    bucket: about 1,300 buckets span a microsecond to ten years)."""

    __slots__ = ("counts", "low")

    def __init__(self) -> None:
        self.low = 0
        self.counts = array("q")

    def add(self, bucket: int, count: int) -> None:
        """Count ``count`` values in ``bucket`` (``count > 0``)."""
        self._cover(bucket, bucket)
        self.counts[bucket - self.low] += count

    def update(self, other: _Buckets | Counter[int]) -> None:
        """Add the counts of ``other``."""
        pairs = list(other.items())
        if not pairs:
            return
        self._cover(min(b for b, _ in pairs), max(b for b, _ in pairs))
        counts, low = self.counts, self.low
        for bucket, count in pairs:
            counts[bucket - low] += count

    def _cover(self, first: int, last: int) -> None:
        """Make room for buckets ``first`` to ``last``."""
        counts = self.counts
        if not counts:
            self.low = first
            counts.frombytes(bytes(8 * (last - first + 1)))
            return
        if first < self.low:
            self.counts = counts = array("q", bytes(8 * (self.low - first))) + counts
            self.low = first
        if last >= self.low + len(counts):
            counts.frombytes(bytes(8 * (last + 1 - self.low - len(counts))))

    def items(self) -> Iterator[tuple[int, int]]:
        """``(bucket, count)`` of every bucket holding values, in order."""
        return ((self.low + i, count) for i, count in enumerate(self.counts) if count)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _Buckets):
            return NotImplemented
        return (self.low, self.counts) == (other.low, other.counts)

    __hash__ = None  # type: ignore[assignment]


class QuantileStore:
    """Non-negative integers, exactly while few, as a relative-error sketch beyond.

    >>> store = QuantileStore()
    >>> store.add_all([5, 1, 4, 2, 3])
    >>> store.quantile(50), store.quantile(90), store.exact
    (3, 4.6, True)
    """

    __slots__ = ("_exact", "_n", "_sketch", "_zeros")

    def __init__(self) -> None:
        self._n = 0
        # The values while exact, in the order added (8 bytes each in a machine array; a list
        # once a value does not fit 64 bits); None once a sketch.
        self._exact: MutableSequence[int] | None = array("q")
        self._sketch: _Buckets | None = None
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
            self._sketch.add(_bucket(value), 1)

    def add_all(self, values: Iterable[int]) -> None:
        """Add every value."""
        batch = values if isinstance(values, array | list | tuple) else list(values)
        exact = self._exact
        if exact is not None and self._n + len(batch) <= EXACT_LIMIT:
            if isinstance(batch, array) and isinstance(exact, array):
                exact.extend(batch)  # one copy of machine integers
                self._n += len(batch)
            else:
                for value in batch:
                    self.add(value)
            return
        # Beyond the exact limit: every value goes to the sketch, in bulk.
        self._n += len(batch)
        if exact is not None:
            self._to_sketch()
        assert self._sketch is not None
        sketch, zeros = _sketched(batch)
        self._sketch.update(sketch)
        self._zeros += zeros

    def _to_sketch(self) -> None:
        assert self._exact is not None
        sketch, self._zeros = _sketched(self._exact)
        self._sketch = _Buckets()
        self._sketch.update(sketch)
        self._exact = None

    def merged(self, other: QuantileStore) -> QuantileStore:
        """A new store holding the values of both."""
        return combined((self, other))

    def quantile(
        self, percent: int, method: QuantileMethod = QuantileMethod.LINEAR
    ) -> float | None:
        """The ``percent`` quantile by ``method`` (linear by default): exact, or within the
        relative error bound once a sketch.

        None when the store is empty.

        >>> store = QuantileStore()
        >>> store.add_all([4, 1, 3, 2])
        >>> store.quantile(50), store.quantile(50, QuantileMethod.NEAREST_RANK)
        (2.5, 2)
        """
        if self._n == 0:
            return None
        lower, upper, weight = order_positions(percent, self._n, method)
        if self._exact is not None:
            ordered = sorted(self._exact)
            low, high = ordered[lower], ordered[upper]
        else:
            low, high = self._order_statistic(lower), self._order_statistic(upper)
        if weight == 0 or low == high:
            return low
        return low + float(weight * (high - low))

    def _order_statistic(self, index: int) -> int:
        """The sketch's estimate of the value of 0-based rank ``index``."""
        assert self._sketch is not None
        seen = self._zeros
        if seen > index:
            return 0
        for bucket, count in self._sketch.items():
            seen += count
            if seen > index:
                return _representative(bucket)
        raise AssertionError("rank beyond the count")  # pragma: no cover

    def _content(self) -> tuple[object, ...]:
        if self._exact is not None:
            return (self._n, sorted(self._exact))
        assert self._sketch is not None
        return (self._n, self._zeros, self._sketch)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, QuantileStore):
            return NotImplemented
        return self._content() == other._content()

    __hash__ = None  # type: ignore[assignment]

    def __getstate__(self) -> tuple[int, MutableSequence[int] | None, _Buckets | None, int]:
        return (self._n, self._exact, self._sketch, self._zeros)

    def __setstate__(
        self, state: tuple[int, MutableSequence[int] | None, _Buckets | None, int]
    ) -> None:
        self._n, self._exact, self._sketch, self._zeros = state


def combined(stores: Sequence[QuantileStore]) -> QuantileStore:
    """A new store holding the values of every store of ``stores`` (none is changed)."""
    out = QuantileStore()
    out._n = sum(store._n for store in stores)
    if out._n <= EXACT_LIMIT and all(store._exact is not None for store in stores):
        values: MutableSequence[int] = array("q")
        try:
            for store in stores:
                values.extend(store._exact or ())
        except (OverflowError, TypeError):  # a value beyond 64 bits: Python values
            values = [value for store in stores for value in store._exact or ()]
        out._exact = values
        return out
    out._exact = None
    out._sketch = _Buckets()
    for store in stores:
        if store._exact is not None:
            sketch, zeros = _sketched(store._exact)
            out._sketch.update(sketch)
        else:
            assert store._sketch is not None
            out._sketch.update(store._sketch)
            zeros = store._zeros
        out._zeros += zeros
    return out


def _sketched(values: Sequence[int]) -> tuple[Counter[int], int]:
    """The sketch buckets of ``values`` (``_bucket`` of each, computed in C) and the count of
    zeros."""
    logs = map(math.log, filter(None, values))
    sketch = Counter(map(math.ceil, map(truediv, logs, repeat(_LOG_GAMMA))))
    return sketch, values.count(0)
