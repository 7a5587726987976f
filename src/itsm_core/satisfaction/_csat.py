"""CSAT: top-box shares and mean scores, for a list of scores or per question and dimension.

Top-2-box CSAT is the share of answers in the two best boxes (4 and 5 on a 1-5 scale), a
percentage, and is *not* the mean score; the two are reported side by side and named apart
(kicue.com "How to calculate CSAT"). The 0-100 index of the mean, ``(mean − 1)/(k − 1) × 100``,
is the ACSI-style rescaling (满意度), distinct from the satisfied share (满意率).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import attrs

from itsm_core._plain import shown
from itsm_core.errors import Problem
from itsm_core.satisfaction._scales import Scale
from itsm_core.satisfaction._scoring import mean_index, positive_set, scores_on_scale
from itsm_core.satisfaction._survey import Survey, SurveyResponse
from itsm_core.stats import (
    IntervalMethod,
    MeanEstimate,
    ProportionEstimate,
    mean_estimate,
    proportion,
)
from itsm_core.stats._checks import raise_if, require_n


def top_box(
    scores: Iterable[int],
    scale: Scale,
    *,
    positive: Iterable[int] | None = None,
    confidence: float = 0.95,
    method: IntervalMethod = IntervalMethod.WILSON,
) -> ProportionEstimate:
    """The share of ``scores`` in the favourable boxes, with its interval (Wilson by default).

    ``positive`` is the set of favourable values; by default the two best values of the scale
    (top-2-box: {4, 5} on 1-5, {6, 7} on 1-7) or "yes" on a yes/no scale. Pass ``{5}`` for
    top-box, ``{3, 4, 5}`` for a top-3-box, and so on.

    Raises:
        ValidationError: a score off the scale (index and value named) or a bad positive set.
        InsufficientData: no scores.

    >>> from itsm_core.satisfaction import FIVE_POINT
    >>> share = top_box([5, 4, 4, 3, 5, 2, 5, 4, 1, 5], FIVE_POINT)
    >>> share.successes, share.n, share.percent
    (7, 10, 70.0)
    """
    subject = "top_box"
    values = scores_on_scale(subject, scores, scale)
    chosen = positive_set(subject, scale, positive)
    require_n(subject, len(values), 1, "scores", "no scores")
    successes = sum(1 for value in values if value in chosen)
    return proportion(successes, len(values), confidence=confidence, method=method)


def mean_score(scores: Iterable[int], scale: Scale, *, confidence: float = 0.95) -> MeanEstimate:
    """The mean score with its t-interval, clipped to the scale's range (and saying so).

    >>> from itsm_core.satisfaction import FIVE_POINT
    >>> mean_score([5, 4, 4, 3, 5], FIVE_POINT).mean
    4.2
    """
    values = scores_on_scale("mean_score", scores, scale)
    return mean_estimate(values, confidence=confidence, bounds=(scale.low, scale.high))


@attrs.frozen(kw_only=True)
class CsatScore:
    """CSAT of one question or one dimension.

    ``n`` counts answers (a respondent who skipped an optional question is not in its n);
    ``respondents`` counts the respondents who gave at least one of them. With ``n == 0`` the
    share and the mean are ``None``: undefined, never 0 %.
    """

    key: str
    scale: Scale
    positive: frozenset[int]
    n: int
    respondents: int
    top_box: ProportionEstimate | None
    mean: MeanEstimate | None

    @property
    def index(self) -> float | None:
        """The mean rescaled to 0..100 (best end = 100), or None without answers."""
        return None if self.mean is None else mean_index(self.mean.mean, self.scale)


@attrs.frozen(kw_only=True)
class CsatReport:
    """CSAT of a survey round, per question and per dimension."""

    survey_id: str
    respondents: int
    by_question: tuple[CsatScore, ...]
    by_dimension: tuple[CsatScore, ...]

    def question(self, question_id: str) -> CsatScore:
        """The score of one question (KeyError-free: ValidationError when unknown)."""
        return _find(self.by_question, question_id, "question")

    def dimension(self, name: str) -> CsatScore:
        """The score of one dimension (ValidationError when unknown)."""
        return _find(self.by_dimension, name, "dimension")


def _find(scores: tuple[CsatScore, ...], key: str, kind: str) -> CsatScore:
    for score in scores:
        if score.key == key:
            return score
    raise_if("CsatReport", [Problem(kind, f"no {kind} {shown(key)} in the report")])
    raise AssertionError  # pragma: no cover


def _score(
    key: str,
    scale: Scale,
    positive: frozenset[int],
    answers: Sequence[tuple[str, int]],
    confidence: float,
) -> CsatScore:
    values = [value for _, value in answers]
    n = len(values)
    share = mean = None
    if n:
        share = proportion(sum(v in positive for v in values), n, confidence=confidence)
        mean = mean_estimate(values, confidence=confidence, bounds=(scale.low, scale.high))
    return CsatScore(
        key=key,
        scale=scale,
        positive=positive,
        n=n,
        respondents=len({respondent for respondent, _ in answers}),
        top_box=share,
        mean=mean,
    )


def csat(
    survey: Survey,
    responses: Iterable[SurveyResponse],
    *,
    positive: Mapping[str, Iterable[int]] | None = None,
    confidence: float = 0.95,
) -> CsatReport:
    """CSAT of every question and every dimension of ``survey`` over ``responses``.

    Args:
        survey: the survey definition.
        responses: its responses; each is checked against the survey again.
        positive: favourable values by question id or dimension name. A question uses its
            own entry, else its dimension's, else the default top-2-box; a dimension uses its
            own entry, else the default.
        confidence: the level of every interval.

    Per dimension the answers of all its questions are pooled: the share is positive answers
    over all answers of the dimension and the mean is the mean answer. The Wilson interval then
    treats the answers as independent, which they are not when one respondent answers several
    questions of a dimension: read it as a lower bound on the uncertainty.

    Raises:
        ValidationError: a response that does not fit the survey (every problem listed), or a
            ``positive`` key that is neither a question nor a dimension.
    """
    subject = "csat"
    checked = survey.check_responses(responses)
    overrides = dict(positive or {})
    known = {q.id for q in survey.questions} | set(survey.dimensions)
    problems = [
        Problem(f"positive.{key}", "neither a question id nor a dimension of the survey")
        for key in overrides
        if key not in known
    ]
    raise_if(subject, problems)
    by_question = []
    pooled: dict[str, list[tuple[str, int]]] = {d: [] for d in survey.dimensions}
    for question in survey.questions:
        key = question.id if question.id in overrides else question.dimension
        chosen = positive_set(
            subject,
            question.scale,
            overrides.get(key) if key is not None else None,
            f"positive.{key}",
        )
        answers = [
            (r.respondent_id, int(value))
            for r in checked
            if (value := r.get(question.id)) is not None
        ]
        by_question.append(_score(question.id, question.scale, chosen, answers, confidence))
        if question.dimension is not None:
            pooled[question.dimension].extend(answers)
    by_dimension = []
    for dimension, answers in pooled.items():
        scale = survey.questions_in(dimension)[0].scale
        chosen = positive_set(subject, scale, overrides.get(dimension), f"positive.{dimension}")
        by_dimension.append(_score(dimension, scale, chosen, answers, confidence))
    return CsatReport(
        survey_id=survey.id,
        respondents=len(checked),
        by_question=tuple(by_question),
        by_dimension=tuple(by_dimension),
    )
