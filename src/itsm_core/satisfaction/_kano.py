"""The Kano model: classify a feature from its functional / dysfunctional question pair.

Each respondent answers two questions about a feature: how they feel if it is present
(functional) and if it is absent (dysfunctional), each with the same five answers. The
evaluation table (rows functional, columns dysfunctional; Berger et al. 1993, as printed in the
stp25kano README and docker-venom-stack kanoMatrix.js)::

                 Like  Must-be  Neutral  Live-with  Dislike
    Like          Q      A        A         A         O
    Must-be       R      I        I         I         M
    Neutral       R      I        I         I         M
    Live-with     R      I        I         I         M
    Dislike       R      R        R         R         Q

Over respondents: the mode; the "M > O > A > I" rule for near ties (Matzler et al. 1996);
total strength %A + %O + %M and category strength (Lee & Newcomb 1997); Fong's (1996) test;
Berger's satisfaction coefficients CS+ = (A + O)/(A + O + M + I) and
CS− = −(O + M)/(A + O + M + I).
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable

import attrs

from itsm_core._plain import shown
from itsm_core.errors import InsufficientData, Problem
from itsm_core.satisfaction._checks import instance_of
from itsm_core.stats._checks import count_problems, is_number, raise_if


class KanoAnswer(enum.StrEnum):
    """The five answers to a Kano question, in the questionnaire's order (1..5)."""

    LIKE = "like"
    MUST_BE = "must_be"
    NEUTRAL = "neutral"
    LIVE_WITH = "live_with"
    DISLIKE = "dislike"


class KanoCategory(enum.StrEnum):
    """The six outcomes of the evaluation table."""

    ATTRACTIVE = "A"
    ONE_DIMENSIONAL = "O"
    MUST_BE = "M"
    INDIFFERENT = "I"
    REVERSE = "R"
    QUESTIONABLE = "Q"


_A, _O, _M, _I, _R, _Q = (
    KanoCategory.ATTRACTIVE,
    KanoCategory.ONE_DIMENSIONAL,
    KanoCategory.MUST_BE,
    KanoCategory.INDIFFERENT,
    KanoCategory.REVERSE,
    KanoCategory.QUESTIONABLE,
)
_TABLE: tuple[tuple[KanoCategory, ...], ...] = (
    (_Q, _A, _A, _A, _O),
    (_R, _I, _I, _I, _M),
    (_R, _I, _I, _I, _M),
    (_R, _I, _I, _I, _M),
    (_R, _R, _R, _R, _Q),
)
_ANSWERS = tuple(KanoAnswer)
_PRIORITY = (_M, _O, _A, _I)  # the "M > O > A > I" rule
_TIE_ORDER = (_M, _O, _A, _I, _R, _Q)


def kano_category(functional: KanoAnswer, dysfunctional: KanoAnswer) -> KanoCategory:
    """Look up one respondent's category in the evaluation table.

    >>> kano_category(KanoAnswer.LIKE, KanoAnswer.DISLIKE).value
    'O'
    >>> kano_category(KanoAnswer.MUST_BE, KanoAnswer.DISLIKE).value
    'M'
    """
    problems = [
        Problem(name, f"not a KanoAnswer: {shown(value)}")
        for name, value in (("functional", functional), ("dysfunctional", dysfunctional))
        if not instance_of(value, KanoAnswer)
    ]
    raise_if("kano_category", problems)
    return _TABLE[_ANSWERS.index(functional)][_ANSWERS.index(dysfunctional)]


@attrs.frozen(kw_only=True)
class KanoResult:
    """The classification of one feature over its respondents.

    * ``counts``: respondents per category (all six, in A, O, M, I, R, Q order);
    * ``mode``: the most frequent category (exact ties broken M > O > A > I > R > Q);
    * ``category``: the mode after the near-tie rule: when the mode is A, O, M or I, the
      first of M, O, A, I whose share is within ``tie_margin`` of the mode's is chosen;
    * ``better`` / ``worse``: Berger's CS+ (0..1) and CS− (−1..0), ``None`` when every answer
      was R or Q; ``n_valid`` = A + O + M + I is their denominator;
    * ``total_strength``: (A + O + M) / n; ``category_strength``: share of the first category
      minus share of the second (denominator n, including R and Q);
    * ``fong_significant``: Fong's test that the two most frequent categories (Q excluded)
      differ, ``|m1 − m2| >= 1.65·sqrt((m1 + m2)(2n − m1 − m2)/(2n))``;
    * ``questionable_share``: Q / n; a high value signals a badly worded question.
    """

    feature: str
    n: int
    counts: tuple[tuple[KanoCategory, int], ...]
    mode: KanoCategory
    category: KanoCategory
    tie_margin: float
    better: float | None
    worse: float | None
    n_valid: int
    total_strength: float
    category_strength: float
    fong_difference: int
    fong_threshold: float
    fong_significant: bool
    questionable_share: float

    def count(self, category: KanoCategory) -> int:
        """Respondents in one category."""
        return dict(self.counts)[category]

    def share(self, category: KanoCategory) -> float:
        """Share (0..1) of respondents in one category."""
        return self.count(category) / self.n


def _is_answer_pair(pair: object) -> bool:
    return (
        isinstance(pair, tuple)
        and len(pair) == 2
        and all(isinstance(answer, KanoAnswer) for answer in pair)
    )


def classify_feature(
    feature: str,
    answers: Iterable[tuple[KanoAnswer, KanoAnswer]],
    *,
    tie_margin: float = 0.05,
) -> KanoResult:
    """Classify ``feature`` from ``(functional, dysfunctional)`` answer pairs.

    Args:
        feature: a name for the feature.
        answers: one pair per respondent.
        tie_margin: shares within this distance (0..1) of the mode count as tied for the
            "M > O > A > I" rule; 0.05 (5 points) follows stp25kano. Use 0 for exact ties only.

    Raises:
        ValidationError: an answer that is not a KanoAnswer (each listed), a bad margin.
        InsufficientData: no answers.
    """
    subject = "classify_feature"
    pairs = list(answers)
    problems: list[Problem] = []
    if not is_number(tie_margin) or not 0 <= tie_margin < 1:
        problems.append(Problem("tie_margin", f"must be in [0, 1), got {shown(tie_margin)}"))
    for index, pair in enumerate(pairs):
        if not _is_answer_pair(pair):
            problems.append(
                Problem(f"answers[{index}]", f"not a pair of KanoAnswer: {shown(pair)}")
            )
    raise_if(subject, problems)
    counts = dict.fromkeys(KanoCategory, 0)
    for functional, dysfunctional in pairs:
        counts[kano_category(functional, dysfunctional)] += 1
    return kano_from_counts(feature, counts, tie_margin=tie_margin)


def kano_from_counts(
    feature: str, counts: dict[KanoCategory, int], *, tie_margin: float = 0.05
) -> KanoResult:
    """Classify a feature from category counts already tallied (missing categories are 0).

    >>> # stp25kano README, "Hotline": I 42 % vs A 41 %; the M > O > A > I rule picks A.
    >>> r = kano_from_counts("Hotline", {KanoCategory.MUST_BE: 15, KanoCategory.ONE_DIMENSIONAL: 24,
    ...     KanoCategory.ATTRACTIVE: 121, KanoCategory.INDIFFERENT: 124,
    ...     KanoCategory.REVERSE: 6, KanoCategory.QUESTIONABLE: 6})
    >>> r.mode.value, r.category.value, round(r.better, 3), round(r.worse, 3), r.fong_significant
    ('I', 'A', 0.511, -0.137, False)
    """
    subject = "kano_from_counts"
    problems = [
        Problem(f"counts.{key}", f"must be a count >= 0, got {shown(value)}")
        for key, value in counts.items()
        if not instance_of(key, KanoCategory) or count_problems(value, "")
    ]
    if not is_number(tie_margin) or not 0 <= tie_margin < 1:
        problems.append(Problem("tie_margin", f"must be in [0, 1), got {shown(tie_margin)}"))
    raise_if(subject, problems)
    full = {category: counts.get(category, 0) for category in KanoCategory}
    n = sum(full.values())
    if n == 0:
        raise InsufficientData(subject, [Problem("answers", f"no answers for {shown(feature)}")])
    ranked = sorted(_TIE_ORDER, key=lambda c: (-full[c], _TIE_ORDER.index(c)))
    mode = ranked[0]
    category = mode
    if mode in _PRIORITY:
        top = full[mode] / n
        category = next(c for c in _PRIORITY if top - full[c] / n <= tie_margin + 1e-12)
    valid = full[_A] + full[_O] + full[_M] + full[_I]
    better = (full[_A] + full[_O]) / valid if valid else None
    worse = -(full[_O] + full[_M]) / valid if valid else None
    without_q = [c for c in ranked if c is not _Q]
    m1, m2 = full[without_q[0]], full[without_q[1]]
    threshold = 1.65 * math.sqrt((m1 + m2) * (2 * n - m1 - m2) / (2 * n))
    return KanoResult(
        feature=feature,
        n=n,
        counts=tuple((c, full[c]) for c in KanoCategory),
        mode=mode,
        category=category,
        tie_margin=tie_margin,
        better=better,
        worse=worse,
        n_valid=valid,
        total_strength=(full[_A] + full[_O] + full[_M]) / n,
        category_strength=(full[ranked[0]] - full[ranked[1]]) / n,
        fong_difference=abs(m1 - m2),
        fong_threshold=threshold,
        fong_significant=abs(m1 - m2) >= threshold,
        questionable_share=full[_Q] / n,
    )
