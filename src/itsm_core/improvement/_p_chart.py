"""The p chart: fraction nonconforming per sample, with constant or varying sample sizes."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from itsm_core._checks import is_int
from itsm_core.errors import InsufficientData, Problem, ValidationError
from itsm_core.improvement._control_chart import ChartKind, ChartPoint, ControlChart


def _counts(name: str, values: Iterable[object], problems: list[Problem]) -> list[int]:
    result = []
    for i, value in enumerate(values):
        if not is_int(value) or value < 0:
            problems.append(Problem(f"{name}[{i}]", f"must be an integer count >= 0: {value!r}"))
        else:
            result.append(value)
    return result


def _index(value: object, size: int) -> bool:
    return is_int(value) and 0 <= value < size


def _exclusions(exclude: Iterable[int], size: int, problems: list[Problem]) -> frozenset[int]:
    chosen = frozenset(exclude)
    problems.extend(
        Problem("exclude", f"{i!r} is not a point index (0..{size - 1})")
        for i in sorted(chosen, key=repr)
        if not _index(i, size)
    )
    return chosen


def p_chart(
    nonconforming: Sequence[int],
    sizes: Sequence[int] | int,
    *,
    exclude: Iterable[int] = (),
) -> ControlChart:
    """A p chart of ``nonconforming[i] / sizes[i]`` with 3-sigma limits.

    Centre line ``p̄ = ΣD_i / Σn_i`` over the points not in ``exclude``; at each point
    ``σ_i = sqrt(p̄(1 − p̄) / n_i)`` and the limits are ``p̄ ± 3σ_i``: they step with the
    sample size (Montgomery, *Introduction to Statistical Quality Control*, the p chart with
    variable sample size). A lower limit that is not above 0 is dropped (the chart shows 0),
    as is an upper limit at or above 1.

    Args:
        nonconforming: the count of nonconforming units per sample (breached, reopened...).
        sizes: the sample size per sample, or one size for all.
        exclude: point indices to leave out of the estimate of ``p̄`` (Phase I, after an
            assignable cause was found); they are still plotted and judged.

    Raises:
        ValidationError: negative or non-integer counts, a count above its sample size,
            lengths that differ, a sample size of 0, an index to exclude that does not exist.
        InsufficientData: no samples left to estimate from, or ``p̄`` is 0 or 1 (no
            variation, so no limits).

    >>> chart = p_chart([2, 5, 3, 4], 50)
    >>> round(chart.centre, 3), round(chart.points[0].upper, 4), chart.points[0].lower
    (0.07, 0.1782, None)
    """
    subject = "p_chart"
    problems: list[Problem] = []
    counts = _counts("nonconforming", nonconforming, problems)
    size_list = [sizes] * len(nonconforming) if isinstance(sizes, int) else list(sizes)
    ns = _counts("sizes", size_list, problems)
    if not problems:
        if len(ns) != len(counts):
            problems.append(
                Problem("sizes", f"{len(ns)} sizes for {len(counts)} samples: lengths differ")
            )
        for i, (d, n) in enumerate(zip(counts, ns, strict=False)):
            if n == 0:
                problems.append(Problem(f"sizes[{i}]", "a sample of size 0"))
            elif d > n:
                problems.append(Problem(f"nonconforming[{i}]", f"{d} is more than n = {n}"))
    excluded = _exclusions(exclude, len(counts), problems)
    if problems:
        raise ValidationError(subject, problems)
    kept = [i for i in range(len(counts)) if i not in excluded]
    if not kept:
        raise InsufficientData(subject, [Problem("nonconforming", "no samples to estimate p̄")])
    total_d = sum(counts[i] for i in kept)
    total_n = sum(ns[i] for i in kept)
    centre = total_d / total_n
    if total_d in (0, total_n):
        raise InsufficientData(
            subject, [Problem("nonconforming", f"p̄ = {centre:g}: no variation, no limits")]
        )
    points = []
    for i, (d, n) in enumerate(zip(counts, ns, strict=True)):
        sigma = math.sqrt(centre * (1.0 - centre) / n)
        lower = centre - 3.0 * sigma
        upper = centre + 3.0 * sigma
        points.append(
            ChartPoint(
                index=i,
                value=d / n,
                centre=centre,
                sigma=sigma,
                lower=lower if lower > 0 else None,
                upper=upper if upper < 1 else None,
                excluded=i in excluded,
            )
        )
    return ControlChart(kind=ChartKind.P, centre=centre, points=tuple(points))
