"""The result types every rate, mean and comparison returns: estimate, n, interval, method."""

from __future__ import annotations

import enum
import math

import attrs

from itsm_core.errors import Problem, ValidationError


class IntervalMethod(enum.StrEnum):
    """How a confidence interval was computed; every :class:`Interval` names its method.

    One vocabulary for every interval of the library, the survey statistics of
    :mod:`itsm_core.satisfaction` included (NPS, Cronbach's alpha).
    """

    WILSON = "wilson"
    """Wilson (1927) score interval for a proportion: the default."""
    WILSON_CC = "wilson_cc"
    """Wilson score interval with continuity correction (Newcombe 1998, method 4)."""
    AGRESTI_COULL = "agresti_coull"
    """Agresti-Coull (1998): Wald on counts with z²/2 added to successes and failures."""
    CLOPPER_PEARSON = "clopper_pearson"
    """Clopper-Pearson (1934) exact interval from beta quantiles."""
    WALD = "wald"
    """Normal approximation ``estimate ± z·SE``; for NPS the trinomial-mean interval."""
    ADJUSTED_WALD = "adjusted_wald"
    """NPS: Wald after adding 0.75 detractors, 1.5 passives, 0.75 promoters (Rocks 2016)."""
    NEWCOMBE = "newcombe"
    """Newcombe (1998) hybrid score interval for a difference of two proportions."""
    STUDENT_T = "student_t"
    """``mean ± t(1 − α/2, n − 1)·s/√n``."""
    WELCH = "welch"
    """Welch (1947) interval for a difference of two means with unequal variances."""
    FELDT = "feldt"
    """Feldt (1987) F-based interval for Cronbach's alpha."""


def _check_confidence(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not 0.0 < value < 1.0:
        raise ValidationError("Interval", [Problem("confidence", f"must be in (0, 1): {value}")])


@attrs.frozen(kw_only=True)
class Interval:
    """A two-sided confidence interval.

    ``clipped`` is True when the formula gave a bound outside the range the quantity can take
    (a Wald interval below 0 %, an NPS interval above +100...) and the bound was moved to the
    edge of that range. Rounding noise of a method that cannot leave the range (Wilson) is not
    clipping.

    >>> Interval(lower=0.2, upper=0.5, confidence=0.95, method=IntervalMethod.WILSON).width
    0.3
    """

    lower: float
    upper: float
    confidence: float = attrs.field(validator=_check_confidence)
    method: IntervalMethod
    clipped: bool = False

    def __attrs_post_init__(self) -> None:
        problems = []
        if math.isnan(self.lower) or math.isnan(self.upper):
            problems.append(Problem("lower/upper", "a bound is NaN"))
        elif self.lower > self.upper:
            problems.append(Problem("lower", f"{self.lower} is above upper {self.upper}"))
        if problems:
            raise ValidationError("Interval", problems)

    @property
    def width(self) -> float:
        """``upper - lower``."""
        return self.upper - self.lower

    def contains(self, value: float) -> bool:
        """True when ``lower <= value <= upper``."""
        return self.lower <= value <= self.upper

    def scaled(self, factor: float) -> Interval:
        """The same interval with both bounds multiplied by a positive ``factor`` (e.g. 100)."""
        return attrs.evolve(self, lower=self.lower * factor, upper=self.upper * factor)


@attrs.frozen(kw_only=True)
class ProportionEstimate:
    """A rate ``successes / n`` (0..1) with its confidence interval.

    >>> from itsm_core.stats import proportion
    >>> rate = proportion(45, 50)
    >>> rate.n, rate.estimate, round(rate.percent, 1), rate.interval.method.value
    (50, 0.9, 90.0, 'wilson')
    """

    successes: int
    n: int
    interval: Interval

    def __attrs_post_init__(self) -> None:
        if not 0 <= self.successes <= self.n or self.n < 1:
            raise ValidationError(
                "ProportionEstimate",
                [
                    Problem(
                        "successes",
                        f"need 0 <= successes <= n and n >= 1: {self.successes}/{self.n}",
                    )
                ],
            )

    @property
    def estimate(self) -> float:
        """The observed proportion ``successes / n`` in 0..1."""
        return self.successes / self.n

    @property
    def percent(self) -> float:
        """The observed proportion as a percentage, 0..100."""
        return 100.0 * self.successes / self.n


@attrs.frozen(kw_only=True)
class MeanEstimate:
    """A sample mean with its standard deviation and t-interval.

    With a single observation the standard deviation, the standard error and the interval are
    undefined and are ``None``.
    """

    n: int
    mean: float
    standard_deviation: float | None
    standard_error: float | None
    interval: Interval | None


@attrs.frozen(kw_only=True)
class Difference:
    """A comparison of two groups: ``estimate = first - second`` with its interval and test.

    ``statistic`` is the z (or Welch t) statistic of the test of no difference and ``p_value``
    its two-sided p-value; both are ``None`` when the standard error is zero (nothing varies).
    ``degrees_of_freedom`` is set for t-based comparisons only.
    """

    estimate: float
    standard_error: float
    interval: Interval
    statistic: float | None
    p_value: float | None
    n_first: int
    n_second: int
    degrees_of_freedom: float | None = None
