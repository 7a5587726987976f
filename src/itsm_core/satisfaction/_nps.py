"""NPS: promoters, passives, detractors; the score, its standard error and interval; comparisons.

Definitions follow Rocks (2016), "Interval estimation for the 'Net Promoter Score'",
*The American Statistician* 70(4), and his R package ``NPS`` (github.com/brendan-r/NPS):

* ``NPS = 100 × (P − D) / n``, in −100..+100;
* each response is a value +1 / 0 / −1 and NPS/100 is their mean, so with ``p = P/n`` and
  ``d = D/n`` the per-response variance is ``σ² = (p + d) − (p − d)²``;
* ``SE = 100 × sqrt(σ² / n)``; Wald interval ``NPS ± z·SE``;
* adjusted Wald: add 0.75 detractors, 1.5 passives and 0.75 promoters (n + 3), then Wald.
  Rocks and MeasuringU (Sauro & Lewis 2021) found it the best of the simple methods. The
  point estimate stays the raw NPS; the interval is centred on the adjusted NPS.

Bounds beyond ±100 are clipped and the interval says so.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping

import attrs

from itsm_core._plain import as_mapping, shown
from itsm_core.errors import InvalidSurvey, Problem
from itsm_core.satisfaction._scales import ZERO_TO_TEN
from itsm_core.satisfaction._scoring import scores_on_scale
from itsm_core.stats import Difference, Interval, IntervalMethod
from itsm_core.stats._checks import confidence_problems, count_problems, raise_if, require_n
from itsm_core.stats._distributions import normal_quantile, normal_two_sided_p

_PSEUDO = (0.75, 1.5, 0.75)  # (promoters, passives, detractors) added by adjusted Wald
_METHODS = (IntervalMethod.ADJUSTED_WALD, IntervalMethod.WALD)


class NpsCategory(enum.StrEnum):
    """The three NPS groups."""

    PROMOTER = "promoter"
    PASSIVE = "passive"
    DETRACTOR = "detractor"


@attrs.frozen
class NpsBreaks:
    """Where the 0-10 scale splits: detractors ``0..detractor_max``, promoters
    ``promoter_min..10``, passives in between (possibly none).

    The default is the standard 0-6 / 7-8 / 9-10.

    >>> NpsBreaks().classify(8).value, NpsBreaks(detractor_max=5).classify(6).value
    ('passive', 'passive')
    """

    detractor_max: int = 6
    promoter_min: int = 9

    def __attrs_post_init__(self) -> None:
        problems = _breaks_problems(self.detractor_max, self.promoter_min)
        if problems:
            raise InvalidSurvey("NPS breaks", problems)

    def classify(self, score: int) -> NpsCategory:
        """The group of one 0-10 score (validated by :meth:`NpsCounts.from_scores`)."""
        if score <= self.detractor_max:
            return NpsCategory.DETRACTOR
        if score >= self.promoter_min:
            return NpsCategory.PROMOTER
        return NpsCategory.PASSIVE

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-safe data."""
        return {"detractor_max": self.detractor_max, "promoter_min": self.promoter_min}

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> NpsBreaks:
        """Build breaks from plain data, reporting every problem."""
        problems: list[Problem] = []
        if as_mapping(data, "", problems) is None:
            raise InvalidSurvey("NPS breaks", problems)
        problems = [
            Problem(key, "unknown key")
            for key in sorted(data)
            if key not in {"detractor_max", "promoter_min"}
        ]
        low, high = data.get("detractor_max", 6), data.get("promoter_min", 9)
        problems += _breaks_problems(low, high)
        if problems:
            raise InvalidSurvey("NPS breaks", problems)
        assert isinstance(low, int)
        assert isinstance(high, int)
        return cls(low, high)


def _breaks_problems(low: object, high: object) -> list[Problem]:
    problems = []
    for name, value in (("detractor_max", low), ("promoter_min", high)):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
            problems.append(Problem(name, f"must be an integer in 0..10, got {shown(value)}"))
    if not problems:
        assert isinstance(low, int)
        assert isinstance(high, int)
        if high <= low:
            problems.append(
                Problem(
                    "promoter_min", f"must be above detractor_max = {shown(low)}, got {shown(high)}"
                )
            )
    return problems


@attrs.frozen
class NpsCounts:
    """How many promoters, passives and detractors.

    >>> NpsCounts.from_scores([10, 9, 8, 7, 6, 0]).as_tuple()
    (2, 2, 2)
    """

    promoters: int
    passives: int
    detractors: int

    def __attrs_post_init__(self) -> None:
        problems = count_problems(self.promoters, "promoters")
        problems += count_problems(self.passives, "passives")
        problems += count_problems(self.detractors, "detractors")
        raise_if("NpsCounts", problems)

    @property
    def n(self) -> int:
        """All responses."""
        return self.promoters + self.passives + self.detractors

    def as_tuple(self) -> tuple[int, int, int]:
        """``(promoters, passives, detractors)``."""
        return (self.promoters, self.passives, self.detractors)

    @classmethod
    def from_scores(cls, scores: Iterable[int], breaks: NpsBreaks | None = None) -> NpsCounts:
        """Count 0-10 scores; any score that is not an integer 0..10 is an error, never NA."""
        values = scores_on_scale("NpsCounts.from_scores", scores, ZERO_TO_TEN)
        chosen = breaks or NpsBreaks()
        groups = [chosen.classify(v) for v in values]
        return cls(
            groups.count(NpsCategory.PROMOTER),
            groups.count(NpsCategory.PASSIVE),
            groups.count(NpsCategory.DETRACTOR),
        )


@attrs.frozen(kw_only=True)
class NpsResult:
    """An NPS with its n, standard error and interval, all in NPS points (−100..100).

    ``standard_error`` is the one the interval used (from the adjusted counts for adjusted
    Wald). ``score`` is the raw float, for tests and further arithmetic; ``rounded`` is the
    whole number to display.
    """

    counts: NpsCounts
    score: float
    standard_error: float
    interval: Interval

    @property
    def n(self) -> int:
        """All responses."""
        return self.counts.n

    @property
    def rounded(self) -> int:
        """The score rounded half away from zero, for display."""
        return int(math.copysign(math.floor(abs(self.score) + 0.5), self.score))

    @property
    def promoter_percent(self) -> float:
        """Share of promoters, 0..100."""
        return 100.0 * self.counts.promoters / self.counts.n

    @property
    def detractor_percent(self) -> float:
        """Share of detractors, 0..100."""
        return 100.0 * self.counts.detractors / self.counts.n


def trinomial_moments(
    positive: float, neutral: float, negative: float
) -> tuple[float, float, float]:
    """``(n, mean, variance)`` of values +1 / 0 / −1 with these (possibly fractional) counts."""
    n = positive + neutral + negative
    p, d = positive / n, negative / n
    return n, p - d, max((p + d) - (p - d) ** 2, 0.0)


def _counts_of(
    subject: str, data: NpsCounts | Iterable[int], breaks: NpsBreaks | None
) -> NpsCounts:
    if isinstance(data, NpsCounts):
        if breaks is not None:
            raise_if(subject, [Problem("breaks", "counts are already classified; omit breaks")])
        return data
    return NpsCounts.from_scores(data, breaks)


def _check(subject: str, confidence: float, method: object) -> IntervalMethod:
    problems = confidence_problems(confidence)
    if not (isinstance(method, IntervalMethod) and method in _METHODS):
        problems.append(Problem("method", f"{shown(method)} is not adjusted_wald or wald"))
    raise_if(subject, problems)
    assert isinstance(method, IntervalMethod)
    return method


def _adjusted(counts: NpsCounts, method: IntervalMethod) -> tuple[float, float, float]:
    pseudo = _PSEUDO if method is IntervalMethod.ADJUSTED_WALD else (0.0, 0.0, 0.0)
    return (
        counts.promoters + pseudo[0],
        counts.passives + pseudo[1],
        counts.detractors + pseudo[2],
    )


def nps(
    data: NpsCounts | Iterable[int],
    *,
    breaks: NpsBreaks | None = None,
    confidence: float = 0.95,
    method: IntervalMethod = IntervalMethod.ADJUSTED_WALD,
) -> NpsResult:
    """The Net Promoter Score of 0-10 scores (or of counts) with its interval.

    Args:
        data: the 0-10 answers, or :class:`NpsCounts` already counted.
        breaks: where the scale splits (default 0-6 / 7-8 / 9-10); only with scores.
        confidence: the two-sided level.
        method: ``ADJUSTED_WALD`` (default, recommended for small n) or ``WALD``.

    Raises:
        ValidationError: a score that is not an integer 0..10 (each one named).
        InsufficientData: no responses.

    >>> result = nps(NpsCounts(50, 30, 20), method=IntervalMethod.WALD)
    >>> result.score, round(result.standard_error, 3)
    (30.0, 7.81)
    >>> round(result.interval.lower, 2), round(result.interval.upper, 2)
    (14.69, 45.31)
    """
    subject = "nps"
    chosen = _check(subject, confidence, method)
    counts = _counts_of(subject, data, breaks)
    require_n(subject, counts.n, 1, "responses", "no responses")
    n_adj, mean_adj, variance = trinomial_moments(*_adjusted(counts, chosen))
    standard_error = 100.0 * math.sqrt(variance / n_adj)
    half = normal_quantile(1.0 - (1.0 - confidence) / 2.0) * standard_error
    centre = 100.0 * mean_adj
    lower, upper = centre - half, centre + half
    clipped = lower < -100.0 or upper > 100.0
    return NpsResult(
        counts=counts,
        score=100.0 * (counts.promoters - counts.detractors) / counts.n,
        standard_error=standard_error,
        interval=Interval(
            lower=max(lower, -100.0),
            upper=min(upper, 100.0),
            confidence=confidence,
            method=chosen,
            clipped=clipped,
        ),
    )


def compare_nps(
    first: NpsCounts | Iterable[int],
    second: NpsCounts | Iterable[int],
    *,
    breaks: NpsBreaks | None = None,
    confidence: float = 0.95,
    method: IntervalMethod = IntervalMethod.ADJUSTED_WALD,
) -> Difference:
    """Compare two groups or periods: ``NPS(first) − NPS(second)`` in points (−200..200).

    ``SE = 100 × sqrt(σ₁²/n₁ + σ₂²/n₂)`` (Rocks' two-sample Wald test). With adjusted Wald the
    pseudo-observations are added to each group and the standard error, interval and z
    statistic come from the adjusted counts; ``estimate`` is always the raw difference. The
    statistic and p-value are ``None`` when neither group varies.

    >>> diff = compare_nps(NpsCounts(60, 25, 15), NpsCounts(45, 30, 25), method=IntervalMethod.WALD)
    >>> diff.estimate, round(diff.p_value, 4)
    (25.0, 0.0229)
    """
    subject = "compare_nps"
    chosen = _check(subject, confidence, method)
    a = _counts_of(subject, first, breaks)
    b = _counts_of(subject, second, breaks)
    require_n(subject, a.n, 1, "first", "no responses in the first group")
    require_n(subject, b.n, 1, "second", "no responses in the second group")
    n_a, mean_a, var_a = trinomial_moments(*_adjusted(a, chosen))
    n_b, mean_b, var_b = trinomial_moments(*_adjusted(b, chosen))
    se = 100.0 * math.sqrt(var_a / n_a + var_b / n_b)
    centre = 100.0 * (mean_a - mean_b)
    half = normal_quantile(1.0 - (1.0 - confidence) / 2.0) * se
    lower, upper = centre - half, centre + half
    statistic = centre / se if se > 0 else None
    return Difference(
        estimate=100.0 * ((a.promoters - a.detractors) / a.n - (b.promoters - b.detractors) / b.n),
        standard_error=se,
        interval=Interval(
            lower=max(lower, -200.0),
            upper=min(upper, 200.0),
            confidence=confidence,
            method=chosen,
            clipped=lower < -200.0 or upper > 200.0,
        ),
        statistic=statistic,
        p_value=None if statistic is None else normal_two_sided_p(statistic),
        n_first=a.n,
        n_second=b.n,
    )
