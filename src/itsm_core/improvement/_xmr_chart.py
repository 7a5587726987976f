"""The XmR chart: individual values and their moving ranges, for one value per period."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import attrs

from itsm_core._plain import is_number
from itsm_core.errors import InsufficientData, Problem, ValidationError
from itsm_core.improvement._control_chart import ChartKind, ChartPoint, ControlChart
from itsm_core.improvement._p_chart import _exclusions

#: d2 for subgroups of 2: the expected range of two standard normal values (2/sqrt(pi)).
D2 = 1.128
#: D4 for subgroups of 2: the moving-range chart's upper limit factor, 1 + 3·d3/d2.
D4 = 3.267


@attrs.frozen(kw_only=True)
class XmRChart:
    """An individuals chart and its moving-range chart, estimated together.

    ``sigma = mr_bar / d2`` is the short-term standard deviation both charts use.
    """

    individuals: ControlChart
    moving_range: ControlChart
    mean: float
    mr_bar: float
    sigma: float

    @property
    def out_of_control(self) -> tuple[int, ...]:
        """Indices of the individual values on or beyond their limits."""
        return self.individuals.out_of_control

    @property
    def excluded(self) -> tuple[int, ...]:
        """Indices of the individual values left out of the estimate."""
        return self.individuals.excluded


def xmr_chart(values: Sequence[float], *, exclude: Iterable[int] = ()) -> XmRChart:
    """Individuals (X) and moving-range (mR) charts with 3-sigma limits.

    With ``MR_i = |x_i − x_(i−1)|`` (i ≥ 1), ``x̄`` the mean of the values and ``MR̄`` the mean
    of the moving ranges: X limits ``x̄ ± 3·MR̄/d2`` (``3/d2 = 2.66``), mR upper limit
    ``D4·MR̄`` and no lower limit, with ``d2 = 1.128`` and ``D4 = 3.267`` for ranges of two
    (Montgomery, *Introduction to Statistical Quality Control*, control charts for individual
    measurements; NIST/SEMATECH e-Handbook 6.3.2.2). Wheeler prints 2.66 and 3.27; software
    computing d2 and D4 exactly differs from these tables in the third or fourth digit.

    The moving range of point ``i`` is indexed ``i`` (the first point has none). Points in
    ``exclude`` are left out of ``x̄``, and so is every moving range that touches them
    (Phase I recomputation); they are still plotted and judged.

    Raises:
        ValidationError: a value that is not a finite number, an unknown index to exclude.
        InsufficientData: fewer than two values (or usable moving ranges) to estimate from,
            or values that never vary (``MR̄ = 0``).

    >>> chart = xmr_chart([10.0, 12.0, 11.0, 13.0, 12.0])
    >>> chart.mean, chart.mr_bar, round(chart.individuals.points[0].upper, 3)
    (11.6, 1.5, 15.589)
    """
    subject = "xmr_chart"
    data = list(values)
    problems = [
        Problem(f"values[{i}]", f"not a finite number: {v!r}")
        for i, v in enumerate(data)
        if not is_number(v)
    ]
    excluded = _exclusions(exclude, len(data), problems)
    if problems:
        raise ValidationError(subject, problems)
    kept = [x for i, x in enumerate(data) if i not in excluded]
    ranges = {i: abs(data[i] - data[i - 1]) for i in range(1, len(data))}
    kept_ranges = [r for i, r in ranges.items() if i not in excluded and i - 1 not in excluded]
    if len(kept) < 2 or not kept_ranges:
        raise InsufficientData(
            subject, [Problem("values", f"{len(kept)} usable values: need at least 2 in a row")]
        )
    mean = math.fsum(kept) / len(kept)
    mr_bar = math.fsum(kept_ranges) / len(kept_ranges)
    if mr_bar == 0:
        raise InsufficientData(subject, [Problem("values", "the values never vary (MR̄ = 0)")])
    sigma = mr_bar / D2
    x_points = tuple(
        ChartPoint(
            index=i,
            value=x,
            centre=mean,
            sigma=sigma,
            lower=mean - 3.0 * sigma,
            upper=mean + 3.0 * sigma,
            excluded=i in excluded,
        )
        for i, x in enumerate(data)
    )
    # sigma of a moving range: d3·sigma, with D4 = 1 + 3·d3/d2, so d3·sigma = (D4 − 1)·MR̄/3.
    mr_sigma = (D4 - 1.0) * mr_bar / 3.0
    mr_points = tuple(
        ChartPoint(
            index=i,
            value=r,
            centre=mr_bar,
            sigma=mr_sigma,
            lower=None,
            upper=D4 * mr_bar,
            excluded=i in excluded or i - 1 in excluded,
        )
        for i, r in ranges.items()
    )
    return XmRChart(
        individuals=ControlChart(kind=ChartKind.INDIVIDUALS, centre=mean, points=x_points),
        moving_range=ControlChart(kind=ChartKind.MOVING_RANGE, centre=mr_bar, points=mr_points),
        mean=mean,
        mr_bar=mr_bar,
        sigma=sigma,
    )
