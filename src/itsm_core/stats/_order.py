"""Order statistics: the median and percentiles, each by a named method.

Two methods, the two that service-desk figures are compared against:

- ``linear`` (the default) is numpy's default, Hyndman and Fan's type 7, also pandas',
  ``statistics.quantiles(method="inclusive")`` and Excel's ``PERCENTILE.INC``: the ``p``
  percentile of ``n`` sorted values sits at the 0-based position ``h = (n − 1)·p/100`` and is
  interpolated linearly between the two order statistics around it. The median of an even count
  is the mean of the two middle values, as ``statistics.median`` gives.
- ``nearest_rank`` is Hyndman and Fan's type 1 (numpy's ``inverted_cdf``): the value of rank
  ``max(1, ⌈p·n/100⌉)``, always one of the values. The median of an even count is the lower
  middle value (``statistics.median_low``).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from fractions import Fraction

from itsm_core._plain import shown
from itsm_core.errors import Problem
from itsm_core.stats._checks import finite_values, is_number, raise_if, require_n


class QuantileMethod(enum.StrEnum):
    """How a percentile is taken from sorted values."""

    LINEAR = "linear"
    """numpy's default (type 7): interpolate at position ``(n − 1)·p/100``; the median of an
    even count averages the two middle values."""
    NEAREST_RANK = "nearest_rank"
    """Type 1 (numpy ``inverted_cdf``): the value of rank ``max(1, ⌈p·n/100⌉)``."""


def order_positions(
    percent: int | float, n: int, method: QuantileMethod
) -> tuple[int, int, Fraction]:
    """Where the ``percent`` percentile of ``n`` sorted values lies: the 0-based indices of the
    two order statistics around it and the weight of the upper one (exact).

    The percentile is ``x[lower] + weight · (x[upper] − x[lower])`` (``n >= 1``,
    ``0 <= percent <= 100``).

    >>> order_positions(50, 4, QuantileMethod.LINEAR)
    (1, 2, Fraction(1, 2))
    >>> order_positions(90, 10, QuantileMethod.NEAREST_RANK)
    (8, 8, Fraction(0, 1))
    """
    if method is QuantileMethod.NEAREST_RANK:
        rank = max(1, -(-Fraction(percent) * n // 100))
        return rank - 1, rank - 1, Fraction(0)
    position = Fraction(percent) * (n - 1) / 100
    lower = int(position)
    weight = position - lower
    return lower, min(lower + 1, n - 1), weight


def percentile(
    values: Iterable[float],
    percent: float,
    *,
    method: QuantileMethod = QuantileMethod.LINEAR,
) -> float:
    """The ``percent`` percentile of ``values`` (0 to 100), by ``method`` (linear by default).

    >>> percentile([1, 2, 3, 4], 50), percentile([1, 2, 3, 4], 90)
    (2.5, 3.7)
    >>> percentile([1, 2, 3, 4], 50, method=QuantileMethod.NEAREST_RANK)
    2.0

    Raises:
        InsufficientData: no values.
        ValidationError: a value is not a finite number, or ``percent`` is not in 0..100.
    """
    subject = "percentile"
    numbers = sorted(finite_values(subject, values))
    if not (is_number(percent) and 0 <= percent <= 100):
        raise_if(subject, [Problem("percent", f"must be a number from 0 to 100: {shown(percent)}")])
    raw_method: object = method  # any value reaches here from callers' data
    if not isinstance(raw_method, QuantileMethod):
        raise_if(subject, [Problem("method", f"not a QuantileMethod: {shown(raw_method)}")])
    require_n(subject, len(numbers), 1, "values", "no values")
    lower, upper, weight = order_positions(percent, len(numbers), method)
    low, high = numbers[lower], numbers[upper]
    if weight == 0 or low == high:
        return low
    return low + float(weight) * (high - low)


def median(values: Iterable[float], *, method: QuantileMethod = QuantileMethod.LINEAR) -> float:
    """The median of ``values``: the mean of the two middle values of an even count (linear),
    or the lower of them (nearest rank).

    >>> median([4, 1, 3, 2]), median([4, 1, 3, 2], method=QuantileMethod.NEAREST_RANK)
    (2.5, 2.0)
    """
    return percentile(values, 50, method=method)
