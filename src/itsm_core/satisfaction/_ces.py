"""CES, the Customer Effort Score, on 5- or 7-point scales, with the direction made explicit.

* CES 1.0 (Dixon, Freeman & Toman, HBR 2010): "How much effort did you personally have to put
  forth to handle your request?", 1-5, **lower is better**.
* CES 2.0 (Dixon, Toman & DeLisi, *The Effortless Experience*, 2013): agreement with
  "The company made it easy for me to handle my issue", 1-7, **higher is better**.

Three aggregations are reported, each named: the mean; the share of favourable answers (above
the midpoint on the good side: 5-7 "agree" on a 7-point scale, per zonkafeedback); and the
index ``% best two − % below the midpoint`` (on 1-7: % 6-7 minus % 1-3, cys.group), −100..100.
The 5-point index (% best two minus % worst two) is this library's generalisation.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import attrs

from itsm_core.errors import Problem
from itsm_core.satisfaction._nps import trinomial_moments
from itsm_core.satisfaction._scales import Scale
from itsm_core.satisfaction._scoring import positive_set, scores_on_scale
from itsm_core.stats import (
    Interval,
    IntervalMethod,
    MeanEstimate,
    ProportionEstimate,
    mean_estimate,
    proportion,
)
from itsm_core.stats._checks import raise_if, require_n
from itsm_core.stats._distributions import normal_quantile

CES_1 = Scale(1, 5, higher_is_better=False)
"""CES 1.0: 1 (very low effort) .. 5 (very high effort), lower is better."""
CES_2 = Scale(1, 7)
"""CES 2.0: 1 (strongly disagree it was easy) .. 7 (strongly agree), higher is better."""


@attrs.frozen(kw_only=True)
class CesResult:
    """CES of one question: the mean, the favourable share and the index, all with their n.

    ``index`` is in −100..100 with an interval from the +1/0/−1 trinomial (like NPS Wald).
    """

    scale: Scale
    n: int
    mean: MeanEstimate
    favourable: ProportionEstimate
    favourable_values: frozenset[int]
    index: float
    index_interval: Interval
    index_positive: frozenset[int]
    index_negative: frozenset[int]


def _side(scale: Scale, better: bool) -> frozenset[int]:
    """Values strictly on the better (or worse) side of the midpoint."""
    middle = (scale.low + scale.high) / 2
    good_is_high = scale.higher_is_better == better
    return frozenset(v for v in scale.values if (v > middle if good_is_high else v < middle))


def ces(
    scores: Iterable[int],
    scale: Scale,
    *,
    favourable: Iterable[int] | None = None,
    index_positive: Iterable[int] | None = None,
    index_negative: Iterable[int] | None = None,
    confidence: float = 0.95,
) -> CesResult:
    """The Customer Effort Score of ``scores`` on a 5- or 7-point ``scale``.

    Args:
        scores: the answers.
        scale: ``CES_1``, ``CES_2`` or any 5- or 7-point numeric scale with its direction.
        favourable: values counted as favourable (default: the good side of the midpoint).
        index_positive: the index's positive values (default: the two best values).
        index_negative: the index's negative values (default: the bad side of the midpoint).
        confidence: the level of every interval.

    Raises:
        ValidationError: a scale that is not 5 or 7 numeric points, a score off the scale,
            overlapping index sets.
        InsufficientData: no scores.

    >>> result = ces([7, 6, 6, 5, 4, 2, 7, 6, 3, 7], CES_2)
    >>> result.mean.mean, result.favourable.percent, result.index
    (5.3, 70.0, 40.0)
    """
    subject = "ces"
    if scale.yes_no or scale.points not in (5, 7):
        raise_if(subject, [Problem("scale", f"CES needs a 5- or 7-point scale, got {scale}")])
    values = scores_on_scale(subject, scores, scale)
    good = positive_set(
        subject, scale, favourable if favourable is not None else _side(scale, True), "favourable"
    )
    plus = positive_set(
        subject,
        scale,
        index_positive if index_positive is not None else scale.best(2),
        "index_positive",
    )
    minus = positive_set(
        subject,
        scale,
        index_negative if index_negative is not None else _side(scale, False),
        "index_negative",
    )
    if plus & minus:
        raise_if(
            subject, [Problem("index_negative", f"overlaps index_positive: {sorted(plus & minus)}")]
        )
    require_n(subject, len(values), 1, "scores", "no scores")
    n = len(values)
    n_plus = sum(v in plus for v in values)
    n_minus = sum(v in minus for v in values)
    _, mean, variance = trinomial_moments(n_plus, n - n_plus - n_minus, n_minus)
    half = normal_quantile(1.0 - (1.0 - confidence) / 2.0) * 100.0 * math.sqrt(variance / n)
    index = 100.0 * mean
    lower, upper = index - half, index + half
    return CesResult(
        scale=scale,
        n=n,
        mean=mean_estimate(values, confidence=confidence, bounds=(scale.low, scale.high)),
        favourable=proportion(sum(v in good for v in values), n, confidence=confidence),
        favourable_values=good,
        index=index,
        index_interval=Interval(
            lower=max(lower, -100.0),
            upper=min(upper, 100.0),
            confidence=confidence,
            method=IntervalMethod.WALD,
            clipped=lower < -100.0 or upper > 100.0,
        ),
        index_positive=plus,
        index_negative=minus,
    )
