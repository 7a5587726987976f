"""Quantiles of the normal, Student t, F and beta distributions in pure Python.

The normal quantile comes from :class:`statistics.NormalDist`. The others are built on the
regularised incomplete beta function ``I_x(a, b)``, evaluated with the continued fraction of
Numerical Recipes (Press et al., 3rd ed., section 6.4, modified Lentz method), and inverted by
bisection, which is slow but cannot fail to converge. Relations used (Abramowitz & Stegun
26.5.27, 26.6.2, 26.7.1):

* Student t with ``df`` degrees of freedom: ``P(|T| > t) = I_{df/(df+t²)}(df/2, 1/2)``;
* F(d1, d2): ``P(X <= x) = I_{d1·x/(d1·x+d2)}(d1/2, d2/2)``.

With many degrees of freedom (more than 10⁵) the differences of log-gammas lose the digits the
t distribution differs from the normal by, so t uses its expansion around the normal there
(Abramowitz & Stegun 26.7.5 for the quantile; the matching Edgeworth terms for the tail), exact
to about 1e-15 from that point on.

The test suite checks every function against scipy.
"""

from __future__ import annotations

import math
from statistics import NormalDist

_STANDARD_NORMAL = NormalDist()
_TINY = 1e-300
_EPS = 1e-16
_MAX_TERMS = 100_000
#: Beyond this many degrees of freedom, t comes from its expansion around the normal.
_LARGE_DF = 1e5


def normal_quantile(q: float) -> float:
    """Quantile of the standard normal distribution (``q`` in (0, 1))."""
    return _STANDARD_NORMAL.inv_cdf(q)


def normal_two_sided_p(z: float) -> float:
    """Two-sided p-value of a standard normal statistic."""
    return 2.0 * (1.0 - _STANDARD_NORMAL.cdf(abs(z)))


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    c = 1.0
    d = 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, _MAX_TERMS):
        m2 = 2 * m
        aa = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        h *= d * c
        aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < _EPS:
            return h
    raise ArithmeticError(
        f"incomplete beta did not converge for a={a}, b={b}, x={x}"
    )  # pragma: no cover


def regularized_beta(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function ``I_x(a, b)`` for ``a, b > 0``."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_continued_fraction(a, b, x) / a
    return 1.0 - front * _beta_continued_fraction(b, a, 1.0 - x) / b


def beta_quantile(q: float, a: float, b: float) -> float:
    """The ``q``-quantile of the Beta(a, b) distribution, by bisection to float precision."""
    if q <= 0.0:
        return 0.0
    if q >= 1.0:
        return 1.0
    low, high = 0.0, 1.0
    while True:
        middle = 0.5 * (low + high)
        if middle in (low, high):
            return middle
        if regularized_beta(a, b, middle) < q:
            low = middle
        else:
            high = middle


def t_two_sided_p(t: float, df: float) -> float:
    """Two-sided p-value ``P(|T| >= |t|)`` of Student's t with ``df`` degrees of freedom."""
    if df > _LARGE_DF:
        x = abs(t)
        density = _STANDARD_NORMAL.pdf(x)
        if density == 0.0:  # far in the tail (and x**7 could overflow)
            return normal_two_sided_p(x)
        x2 = x * x
        first = x * (x2 + 1.0) / 4.0
        second = x * (((3.0 * x2 - 7.0) * x2 - 5.0) * x2 - 3.0) / 96.0
        tail = density * (first / df + second / (df * df))
        return min(normal_two_sided_p(x) + 2.0 * tail, 1.0)
    return regularized_beta(df / 2.0, 0.5, df / (df + t * t))


def t_quantile(q: float, df: float) -> float:
    """The ``q``-quantile of Student's t distribution with ``df`` > 0 degrees of freedom."""
    if q == 0.5:
        return 0.0
    if df > _LARGE_DF:
        z = normal_quantile(q)
        z2 = z * z
        first = z * (z2 + 1.0) / 4.0
        second = z * ((5.0 * z2 + 16.0) * z2 + 3.0) / 96.0
        third = z * (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) / 384.0
        return z + first / df + second / df**2 + third / df**3
    upper_tail = 1.0 - q if q > 0.5 else q
    x = beta_quantile(2.0 * upper_tail, df / 2.0, 0.5)
    magnitude = math.sqrt(df * (1.0 / x - 1.0))
    return magnitude if q > 0.5 else -magnitude


def f_quantile(q: float, d1: float, d2: float) -> float:
    """The ``q``-quantile of the F distribution with ``(d1, d2)`` degrees of freedom."""
    y = beta_quantile(q, d1 / 2.0, d2 / 2.0)
    if y >= 1.0:
        return math.inf  # pragma: no cover - q effectively 1
    return d2 * y / (d1 * (1.0 - y))
