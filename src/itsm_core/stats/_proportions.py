"""Confidence intervals for one proportion and for the difference of two.

Every rate the library reports (CSAT top-box share, first-contact resolution, SLA compliance,
reopen rate...) is a binomial proportion ``k / n``. The Wilson score interval is the default:
the Wald interval has poor coverage near 0 % and 100 % and for small n (Newcombe 1998,
*Statistics in Medicine* 17:857-872; Vollset 1993).
"""

from __future__ import annotations

import math

from itsm_core._plain import shown
from itsm_core.errors import Problem
from itsm_core.stats._checks import (
    confidence_problems,
    count_problems,
    raise_if,
    require_n,
)
from itsm_core.stats._distributions import (
    beta_quantile,
    normal_quantile,
    normal_two_sided_p,
)
from itsm_core.stats._estimates import (
    Difference,
    Interval,
    IntervalMethod,
    ProportionEstimate,
)

_PROPORTION_METHODS = (
    IntervalMethod.WILSON,
    IntervalMethod.WILSON_CC,
    IntervalMethod.AGRESTI_COULL,
    IntervalMethod.CLOPPER_PEARSON,
    IntervalMethod.WALD,
)
_DIFFERENCE_METHODS = (IntervalMethod.NEWCOMBE, IntervalMethod.WALD)


def _check_counts(
    subject: str, successes: object, n: object, confidence: object, names: tuple[str, str]
) -> None:
    problems = confidence_problems(confidence)
    problems += count_problems(successes, names[0])
    problems += count_problems(n, names[1])
    if not problems:
        assert isinstance(successes, int)
        assert isinstance(n, int)
        if successes > n:
            problems.append(Problem(names[0], f"{successes} is more than {names[1]} = {n}"))
    raise_if(subject, problems)


def _check_method(
    subject: str, method: object, allowed: tuple[IntervalMethod, ...]
) -> IntervalMethod:
    if isinstance(method, IntervalMethod) and method in allowed:
        return method
    names = ", ".join(m.value for m in allowed)
    raise_if(subject, [Problem("method", f"{shown(method)} is not one of {names}")])
    raise AssertionError  # pragma: no cover - raise_if raised


def _z(confidence: float) -> float:
    return normal_quantile(1.0 - (1.0 - confidence) / 2.0)


def _clip(lower: float, upper: float) -> tuple[float, float, bool]:
    clipped = lower < 0.0 or upper > 1.0
    return max(lower, 0.0), min(upper, 1.0), clipped


def _wilson_bounds(successes: int, n: int, z: float) -> tuple[float, float]:
    p = successes / n
    z2 = z * z
    denominator = 1.0 + z2 / n
    centre = (p + z2 / (2.0 * n)) / denominator
    half = z * math.sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n)) / denominator
    # The score interval never leaves [0, 1]; only rounding can push it out, so clamp and
    # return the exact bounds at k = 0 and k = n.
    lower = 0.0 if successes == 0 else max(centre - half, 0.0)
    upper = 1.0 if successes == n else min(centre + half, 1.0)
    return lower, upper


def _wilson_cc_bounds(successes: int, n: int, z: float) -> tuple[float, float]:
    p = successes / n
    z2 = z * z
    denominator = 2.0 * (n + z2)
    if successes == 0:
        lower = 0.0
    else:
        root = math.sqrt(z2 - 2.0 - 1.0 / n + 4.0 * p * (n * (1.0 - p) + 1.0))
        lower = max((2.0 * n * p + z2 - 1.0 - z * root) / denominator, 0.0)
    if successes == n:
        upper = 1.0
    else:
        root = math.sqrt(z2 + 2.0 - 1.0 / n + 4.0 * p * (n * (1.0 - p) - 1.0))
        upper = min((2.0 * n * p + z2 + 1.0 + z * root) / denominator, 1.0)
    return lower, upper


def proportion_interval(
    successes: int,
    n: int,
    confidence: float = 0.95,
    method: IntervalMethod = IntervalMethod.WILSON,
) -> Interval:
    """Two-sided confidence interval for the proportion ``successes / n``.

    The default is the Wilson (1927) score interval; with ``p = k/n`` and ``z`` the
    ``1 − α/2`` normal quantile::

        centre = (p + z²/2n) / (1 + z²/n)
        half   = z·sqrt(p(1 − p)/n + z²/4n²) / (1 + z²/n)

    Its bounds are exactly 0 at ``k = 0`` and exactly 1 at ``k = n``.

    Args:
        successes: the count of "yes" outcomes, ``0 <= successes <= n``.
        n: the number of observations, at least 1.
        confidence: the two-sided level, e.g. 0.95.
        method: ``WILSON`` (default), ``WILSON_CC``, ``AGRESTI_COULL``, ``CLOPPER_PEARSON``
            or ``WALD``. Wald and Agresti-Coull bounds beyond [0, 1] are clipped and the
            interval says so.

    Raises:
        ValidationError: a negative count, ``successes > n``, a confidence outside (0, 1).
        InsufficientData: ``n == 0`` (a rate over nothing is undefined, never 0 %).

    >>> iv = proportion_interval(81, 263)  # Newcombe (1998) Table I, method 3: 0.2553-0.3662
    >>> round(iv.lower, 4), round(iv.upper, 4)
    (0.2553, 0.3662)
    >>> iv = proportion_interval(0, 20)  # Newcombe (1998) Table I: 0.0000-0.1611
    >>> iv.lower, round(iv.upper, 4), iv.clipped
    (0.0, 0.1611, False)
    """
    subject = "proportion_interval"
    _check_counts(subject, successes, n, confidence, ("successes", "n"))
    chosen = _check_method(subject, method, _PROPORTION_METHODS)
    require_n(subject, n, 1, "n", "no observations")
    z = _z(confidence)
    clipped = False
    if chosen is IntervalMethod.WILSON:
        lower, upper = _wilson_bounds(successes, n, z)
    elif chosen is IntervalMethod.WILSON_CC:
        lower, upper = _wilson_cc_bounds(successes, n, z)
    elif chosen is IntervalMethod.CLOPPER_PEARSON:
        alpha = 1.0 - confidence
        lower = 0.0 if successes == 0 else beta_quantile(alpha / 2, successes, n - successes + 1)
        upper = (
            1.0 if successes == n else beta_quantile(1 - alpha / 2, successes + 1, n - successes)
        )
    elif chosen is IntervalMethod.AGRESTI_COULL:
        n_tilde = n + z * z
        p_tilde = (successes + z * z / 2.0) / n_tilde
        half = z * math.sqrt(p_tilde * (1.0 - p_tilde) / n_tilde)
        lower, upper, clipped = _clip(p_tilde - half, p_tilde + half)
    else:  # WALD
        p = successes / n
        half = z * math.sqrt(p * (1.0 - p) / n)
        lower, upper, clipped = _clip(p - half, p + half)
    return Interval(lower=lower, upper=upper, confidence=confidence, method=chosen, clipped=clipped)


def proportion(
    successes: int,
    n: int,
    *,
    confidence: float = 0.95,
    method: IntervalMethod = IntervalMethod.WILSON,
) -> ProportionEstimate:
    """A rate with its n and its confidence interval (Wilson by default).

    The general entry point for CSAT top-box shares, first-contact resolution, SLA compliance,
    reopen rates and any other ``k / n``. Raises like :func:`proportion_interval`.

    >>> fcr = proportion(148, 200)
    >>> fcr.percent, [round(b, 3) for b in (fcr.interval.lower, fcr.interval.upper)]
    (74.0, [0.675, 0.796])
    """
    interval = proportion_interval(successes, n, confidence, method)
    return ProportionEstimate(successes=successes, n=n, interval=interval)


def difference_of_proportions(
    successes_first: int,
    n_first: int,
    successes_second: int,
    n_second: int,
    *,
    confidence: float = 0.95,
    method: IntervalMethod = IntervalMethod.NEWCOMBE,
) -> Difference:
    """Compare two independent proportions: ``p1 − p2`` with an interval and a z-test.

    The interval is Newcombe's hybrid score interval (Newcombe 1998, *Statistics in Medicine*
    17:873-890, method 10) by default: with Wilson intervals ``(l1, u1)`` and ``(l2, u2)``,
    ``[d − sqrt((p1 − l1)² + (u2 − p2)²), d + sqrt((u1 − p1)² + (p2 − l2)²)]``. ``WALD`` gives
    ``d ± z·SE`` clipped to [−1, 1]. ``standard_error`` is the unpooled
    ``sqrt(p1(1−p1)/n1 + p2(1−p2)/n2)``; the test statistic is the usual pooled two-proportion
    z (equivalent to the 2x2 chi-square test), ``None`` when both groups are all 0 or all 1.

    >>> diff = difference_of_proportions(56, 70, 48, 80)  # Newcombe 1998 example (a)
    >>> round(diff.estimate, 4), round(diff.interval.lower, 4), round(diff.interval.upper, 4)
    (0.2, 0.0524, 0.3339)
    """
    subject = "difference_of_proportions"
    _check_counts(subject, successes_first, n_first, confidence, ("successes_first", "n_first"))
    _check_counts(subject, successes_second, n_second, confidence, ("successes_second", "n_second"))
    chosen = _check_method(subject, method, _DIFFERENCE_METHODS)
    require_n(subject, n_first, 1, "n_first", "no observations in the first group")
    require_n(subject, n_second, 1, "n_second", "no observations in the second group")
    p1 = successes_first / n_first
    p2 = successes_second / n_second
    estimate = p1 - p2
    standard_error = math.sqrt(p1 * (1 - p1) / n_first + p2 * (1 - p2) / n_second)
    z = _z(confidence)
    clipped = False
    if chosen is IntervalMethod.NEWCOMBE:
        l1, u1 = _wilson_bounds(successes_first, n_first, z)
        l2, u2 = _wilson_bounds(successes_second, n_second, z)
        lower = estimate - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
        upper = estimate + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    else:
        lower, upper = estimate - z * standard_error, estimate + z * standard_error
        clipped = lower < -1.0 or upper > 1.0
        lower, upper = max(lower, -1.0), min(upper, 1.0)
    pooled = (successes_first + successes_second) / (n_first + n_second)
    pooled_se = math.sqrt(pooled * (1 - pooled) * (1 / n_first + 1 / n_second))
    statistic = estimate / pooled_se if pooled_se > 0 else None
    p_value = normal_two_sided_p(statistic) if statistic is not None else None
    return Difference(
        estimate=estimate,
        standard_error=standard_error,
        interval=Interval(
            lower=lower, upper=upper, confidence=confidence, method=chosen, clipped=clipped
        ),
        statistic=statistic,
        p_value=p_value,
        n_first=n_first,
        n_second=n_second,
    )
