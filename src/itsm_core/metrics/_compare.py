"""Comparing two periods: the change of each KPI and whether it is significant."""

from __future__ import annotations

import datetime as dt
import math
from statistics import NormalDist

import attrs

from itsm_core._plain import shown
from itsm_core.errors import Problem, ValidationError
from itsm_core.metrics._definitions import DurationKpi, RateKpi
from itsm_core.metrics._results import DurationResult, KpiReport, RateResult, find
from itsm_core.stats import Difference, Interval, IntervalMethod, difference_of_proportions

_HOUR = dt.timedelta(hours=1)


@attrs.frozen(kw_only=True)
class Comparison:
    """The change of one KPI from ``first`` to ``second`` period (``second - first``).

    ``unit`` is ``"h"`` for durations (means compared) and ``""`` for rates (0..1).
    ``difference`` carries the interval and the test: Newcombe's interval and the pooled
    z-test for rates (:func:`itsm_core.stats.difference_of_proportions`), a Welch
    z-interval and test on the means for durations (normal approximation, needs n >= 2 on
    both sides). None when either side lacks data.
    """

    kpi: str
    group: tuple[str, ...]
    first: str
    second: str
    first_value: float | None
    second_value: float | None
    unit: str
    difference: Difference | None
    alpha: float

    @property
    def delta(self) -> float | None:
        """``second_value - first_value``, None when either is missing."""
        if self.first_value is None or self.second_value is None:
            return None
        return self.second_value - self.first_value

    @property
    def significant(self) -> bool | None:
        """True when the test rejects "no change" at level ``alpha``; None without a test."""
        if self.difference is None or self.difference.p_value is None:
            return None
        return self.difference.p_value < self.alpha


def _rate(first: RateResult, second: RateResult, alpha: float) -> Comparison:
    difference = None
    if first.n and second.n:
        difference = difference_of_proportions(
            second.successes, second.n, first.successes, first.n, confidence=1 - alpha
        )
    return Comparison(
        kpi=first.kpi.name,
        group=first.group,
        first=first.period.label,
        second=second.period.label,
        first_value=first.successes / first.n if first.n else None,
        second_value=second.successes / second.n if second.n else None,
        unit="",
        difference=difference,
        alpha=alpha,
    )


def welch_z(first: DurationResult, second: DurationResult, confidence: float) -> Difference | None:
    """Welch's comparison of two mean durations (hours) with a normal approximation."""
    if first.standard_deviation is None or second.standard_deviation is None:
        return None
    assert first.mean is not None
    assert second.mean is not None
    s1, s2 = first.standard_deviation / _HOUR, second.standard_deviation / _HOUR
    estimate = (second.mean - first.mean) / _HOUR
    se = math.sqrt(s1 * s1 / first.n + s2 * s2 / second.n)
    z = NormalDist().inv_cdf(1 - (1 - confidence) / 2)
    statistic = estimate / se if se > 0 else None
    p_value = 2 * (1 - NormalDist().cdf(abs(statistic))) if statistic is not None else None
    return Difference(
        estimate=estimate,
        standard_error=se,
        interval=Interval(
            lower=estimate - z * se,
            upper=estimate + z * se,
            confidence=confidence,
            method=IntervalMethod.WALD,
        ),
        statistic=statistic,
        p_value=p_value,
        n_first=second.n,
        n_second=first.n,
    )


def _duration(first: DurationResult, second: DurationResult, alpha: float) -> Comparison:
    return Comparison(
        kpi=first.kpi.name,
        group=first.group,
        first=first.period.label,
        second=second.period.label,
        first_value=None if first.mean is None else first.mean / _HOUR,
        second_value=None if second.mean is None else second.mean / _HOUR,
        unit="h",
        difference=welch_z(first, second, 1 - alpha),
        alpha=alpha,
    )


def compare_periods(
    report: KpiReport,
    first: str,
    second: str,
    *,
    group: tuple[str, ...] = (),
    alpha: float = 0.05,
) -> tuple[Comparison, ...]:
    """Every duration mean and rate of ``group``, from period ``first`` to ``second``.

    Raises ValidationError when a period label is not in the report or ``alpha`` is not in
    (0, 1).
    """
    labels = {p.label for p in report.periods}
    problems = [
        Problem(name, f"no period {shown(label)} in the report")
        for name, label in (("first", first), ("second", second))
        if label not in labels
    ]
    if not 0 < alpha < 1:
        problems.append(Problem("alpha", f"must be in (0, 1): {alpha}"))
    if problems:
        raise ValidationError("compare_periods", problems)
    out = []
    for kpi in report.spec.kpis:
        if isinstance(kpi, DurationKpi):
            a = find(report.durations, kpi.name, first, group)
            b = find(report.durations, kpi.name, second, group)
            if a is not None and b is not None:
                out.append(_duration(a, b, alpha))
        elif isinstance(kpi, RateKpi):
            ra = find(report.rates, kpi.name, first, group)
            rb = find(report.rates, kpi.name, second, group)
            if ra is not None and rb is not None:
                out.append(_rate(ra, rb, alpha))
    return tuple(out)
