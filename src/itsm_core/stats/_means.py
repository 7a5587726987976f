"""The mean of a sample with its t-interval, and Welch's comparison of two means."""

from __future__ import annotations

import math
from collections.abc import Iterable

from itsm_core._plain import is_number, shown
from itsm_core.errors import Problem
from itsm_core.stats._checks import (
    confidence_problems,
    count_problems,
    finite_values,
    raise_if,
    require_n,
)
from itsm_core.stats._distributions import t_quantile, t_two_sided_p
from itsm_core.stats._estimates import Difference, Interval, IntervalMethod, MeanEstimate


def _summary(subject: str, path: str, values: list[float]) -> tuple[int, float, float | None]:
    """``(n, mean, sample standard deviation)`` of finite values, the deviation None for one
    value; ValidationError naming ``path`` when they overflow a float (values near 1e308)."""
    n = len(values)
    lowest, highest = min(values), max(values)
    if lowest == highest:  # exactly: fsum(values) / n can miss the value by an ulp
        return n, lowest, None if n == 1 else 0.0
    try:
        mean = math.fsum(values) / n
        squares = math.fsum((v - mean) ** 2 for v in values) if n > 1 else 0.0
    except OverflowError:
        mean = squares = math.inf
    if not (math.isfinite(mean) and math.isfinite(squares)):
        raise_if(subject, [Problem(path, "too large: the mean or the variance overflows a float")])
    return n, mean, None if n == 1 else math.sqrt(squares / (n - 1))


def _bounds_problems(bounds: object) -> list[Problem]:
    if bounds is None:
        return []
    ok = (
        isinstance(bounds, tuple)
        and len(bounds) == 2
        and all(is_number(b) for b in bounds)
        and bounds[0] < bounds[1]
    )
    wrong = f"must be (low, high), finite numbers with low < high: {shown(bounds)}"
    return [] if ok else [Problem("bounds", wrong)]


def mean_estimate(
    values: Iterable[float],
    *,
    confidence: float = 0.95,
    bounds: tuple[float, float] | None = None,
) -> MeanEstimate:
    """The mean of ``values`` with the Student t interval ``x̄ ± t(1 − α/2, n − 1)·s/√n``.

    Args:
        values: the observations (ints or floats; bools, NaN and infinities are rejected).
        confidence: the two-sided level.
        bounds: the range the quantity can take (e.g. ``(1, 5)`` for a 5-point scale); an
            interval reaching beyond it is clipped and marked ``clipped``.

    With n = 1 the mean is returned with no standard deviation and no interval.

    Raises:
        InsufficientData: no values.

    >>> est = mean_estimate([4, 5, 3, 5, 4])
    >>> est.n, est.mean, round(est.interval.lower, 3), round(est.interval.upper, 3)
    (5, 4.2, 3.161, 5.239)
    >>> mean_estimate([4, 5, 3, 5, 4], bounds=(1, 5)).interval.clipped
    True
    """
    subject = "mean_estimate"
    raise_if(subject, confidence_problems(confidence) + _bounds_problems(bounds))
    data = finite_values(subject, values)
    require_n(subject, len(data), 1, "values", "no values")
    n, mean, sd = _summary(subject, "values", data)
    if sd is None:
        return MeanEstimate(
            n=1, mean=mean, standard_deviation=None, standard_error=None, interval=None
        )
    se = sd / math.sqrt(n)
    half = t_quantile(1.0 - (1.0 - confidence) / 2.0, n - 1) * se
    lower, upper, clipped = mean - half, mean + half, False
    if bounds is not None:
        clipped = lower < bounds[0] or upper > bounds[1]
        lower, upper = max(lower, bounds[0]), min(upper, bounds[1])
    interval = Interval(
        lower=lower,
        upper=upper,
        confidence=confidence,
        method=IntervalMethod.STUDENT_T,
        clipped=clipped,
    )
    return MeanEstimate(n=n, mean=mean, standard_deviation=sd, standard_error=se, interval=interval)


def difference_of_means(
    first: Iterable[float],
    second: Iterable[float],
    *,
    confidence: float = 0.95,
) -> Difference:
    """Welch's comparison of two independent means: ``mean(first) − mean(second)``.

    ``SE = sqrt(s1²/n1 + s2²/n2)``; the degrees of freedom are Welch-Satterthwaite's
    ``SE⁴ / ((s1²/n1)²/(n1 − 1) + (s2²/n2)²/(n2 − 1))``. The interval is
    ``d ± t(1 − α/2, df)·SE`` and the statistic is Welch's t with its two-sided p-value.
    When neither sample varies the standard error is 0: the interval is the single point ``d``
    and the statistic, p-value and degrees of freedom are ``None``.

    Raises:
        InsufficientData: fewer than two values in either sample.

    >>> diff = difference_of_means([4, 5, 5, 4, 5], [3, 4, 3, 2, 4])
    >>> round(diff.estimate, 2), round(diff.statistic, 3), round(diff.p_value, 4)
    (1.4, 3.13, 0.0169)
    """
    subject = "difference_of_means"
    raise_if(subject, confidence_problems(confidence))
    a = finite_values(subject, first, "first")
    b = finite_values(subject, second, "second")
    require_n(subject, len(a), 2, "first", "too few values for a variance")
    require_n(subject, len(b), 2, "second", "too few values for a variance")
    n_a, mean_a, sd_a = _summary(subject, "first", a)
    n_b, mean_b, sd_b = _summary(subject, "second", b)
    assert sd_a is not None
    assert sd_b is not None
    return _welch(subject, (n_a, mean_a, sd_a), (n_b, mean_b, sd_b), confidence)


def welch_from_summaries(
    first: tuple[int, float, float],
    second: tuple[int, float, float],
    *,
    confidence: float = 0.95,
) -> Difference:
    """:func:`difference_of_means` from summaries ``(n, mean, sample standard deviation)``.

    Welch's comparison depends on a sample only through these three figures, so this gives
    what the raw values would; use it when only summaries were kept (a KPI's mean and
    standard deviation).

    Raises:
        InsufficientData: n below 2 in either summary.
        ValidationError: n not an integer count, a mean or standard deviation that is not a
            finite number, or is negative.

    >>> diff = welch_from_summaries((5, 4.6, 0.5477225575051661), (5, 3.2, 0.8366600265340756))
    >>> round(diff.estimate, 2), round(diff.statistic, 3), round(diff.p_value, 4)
    (1.4, 3.13, 0.0169)
    """
    subject = "welch_from_summaries"
    raise_if(subject, confidence_problems(confidence))
    raise_if(subject, _summary_problems("first", first) + _summary_problems("second", second))
    require_n(subject, first[0], 2, "first", "too few values for a variance")
    require_n(subject, second[0], 2, "second", "too few values for a variance")
    return _welch(subject, first, second, confidence)


def _summary_problems(name: str, summary: object) -> list[Problem]:
    if not isinstance(summary, tuple | list) or len(summary) != 3:
        return [Problem(name, f"must be (n, mean, sd), got {shown(summary)}")]
    n, mean, sd = summary
    problems = count_problems(n, f"{name}.n")
    for field, value, at_least in (("mean", mean, ""), ("sd", sd, " >= 0")):
        if not is_number(value) or (at_least and value < 0):
            problems.append(
                Problem(f"{name}.{field}", f"{shown(value)} is not a finite number{at_least}")
            )
    return problems


def _welch(
    subject: str,
    first: tuple[int, float, float],
    second: tuple[int, float, float],
    confidence: float,
) -> Difference:
    (n_a, mean_a, sd_a), (n_b, mean_b, sd_b) = first, second
    var_a = sd_a * sd_a / n_a
    var_b = sd_b * sd_b / n_b
    estimate = mean_a - mean_b
    se = math.sqrt(var_a + var_b)
    if not (math.isfinite(estimate) and math.isfinite(se)):
        raise_if(
            subject,
            [Problem("first, second", "too large: the difference overflows a float")],
        )
    if se == 0.0:
        return Difference(
            estimate=estimate,
            standard_error=0.0,
            interval=Interval(
                lower=estimate, upper=estimate, confidence=confidence, method=IntervalMethod.WELCH
            ),
            statistic=None,
            p_value=None,
            n_first=n_a,
            n_second=n_b,
        )
    # Welch-Satterthwaite on the variance shares (which sum to 1): the same formula, but the
    # squares cannot underflow to 0 when the variances are tiny.
    share_a, share_b = var_a / (var_a + var_b), var_b / (var_a + var_b)
    df = 1.0 / (share_a**2 / (n_a - 1) + share_b**2 / (n_b - 1))
    half = t_quantile(1.0 - (1.0 - confidence) / 2.0, df) * se
    statistic = estimate / se
    return Difference(
        estimate=estimate,
        standard_error=se,
        interval=Interval(
            lower=estimate - half,
            upper=estimate + half,
            confidence=confidence,
            method=IntervalMethod.WELCH,
        ),
        statistic=statistic,
        p_value=t_two_sided_p(statistic, df),
        n_first=n_a,
        n_second=n_b,
        degrees_of_freedom=df,
    )
