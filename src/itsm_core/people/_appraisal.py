"""Appraisal (考核评估): KPI-derived scores combined with self, superior and 360-degree ratings
(360度反馈) and quality inspections, per appraisal dimension, into a total and a rating band."""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from itsm_core._checks import frozen_mapping
from itsm_core._plain import (
    as_mapping,
    blank_problem,
    check_keys,
    is_a,
    is_number,
    join,
    member_or_given,
    read_list,
    shown,
    text,
    tuple_or_given,
)
from itsm_core.errors import InvalidPeopleDefinition, Problem, ValidationError
from itsm_core.i18n import N_
from itsm_core.metrics import EXAMPLE_SCORECARD, ScorecardResult
from itsm_core.people._needs import InspectionOutcome


class AppraisalSource(enum.StrEnum):
    """Where a score comes from: the KPI scorecard, the person themself, their superior, the
    360-degree feedback (peers, subordinates, internal customers, 360度反馈), or quality
    inspections."""

    KPI = "kpi"
    SELF = "self"
    SUPERIOR = "superior"
    FEEDBACK_360 = "feedback_360"
    INSPECTION = "inspection"


def _source(value: object) -> object:
    return member_or_given(AppraisalSource, value)


@attrs.frozen(kw_only=True)
class Rating:
    """One rater's score (0-100) of a person on one dimension; every 360-degree rater gives
    their own rating, and the ratings of one source are averaged."""

    rater: str
    source: AppraisalSource = attrs.field(converter=_source)
    dimension: str
    score: float

    def __attrs_post_init__(self) -> None:
        found = [blank_problem(self.rater, "rater"), blank_problem(self.dimension, "dimension")]
        problems = [problem for problem in found if problem is not None]
        if not is_a(self.source, AppraisalSource) or self.source is AppraisalSource.KPI:
            message = f"expected a rating source (not kpi), got {shown(self.source)}"
            problems.append(Problem("source", message))
        if not is_number(self.score) or not 0 <= self.score <= 100:
            problems.append(Problem("score", f"expected 0 to 100, got {shown(self.score)}"))
        if problems:
            raise ValidationError("Rating", problems)


def inspection_ratings(outcomes: Iterable[InspectionOutcome]) -> tuple[Rating, ...]:
    """Quality inspection outcomes as ratings of work quality (source ``inspection``)."""
    return tuple(
        Rating(
            rater=outcome.reference or "inspection",
            source=AppraisalSource.INSPECTION,
            dimension="work_quality",
            score=outcome.score,
        )
        for outcome in outcomes
    )


@attrs.frozen(kw_only=True)
class RatingBand:
    """A band of the total: ``label`` from ``minimum`` (inclusive) up to the next band."""

    label: str
    minimum: float


@attrs.frozen(kw_only=True)
class DimensionAppraisal:
    """One dimension: its weight, the score of each source that has one, and their weighted
    mean (None when no source scored it)."""

    name: str
    weight: float
    sources: Mapping[AppraisalSource, float]
    score: float | None


@attrs.frozen(kw_only=True)
class AppraisalResult:
    """A person's appraisal: each dimension, the total (the weighted mean of the dimensions
    with a score) and its band; ``missing`` lists (dimension, source) pairs with a weight but
    no score, left out of the weighting (never scored 0)."""

    person: str
    dimensions: tuple[DimensionAppraisal, ...]
    total: float | None
    band: str | None
    missing: tuple[tuple[str, AppraisalSource], ...]


#: The spec's four appraisal dimensions with the weights of the example scorecard
#: (``itsm_core.metrics.EXAMPLE_SCORECARD``): work quality 0.3, attitude 0.2, ability 0.3,
#: output 0.2.
DEFAULT_DIMENSIONS: Mapping[str, float] = {d.name: d.weight for d in EXAMPLE_SCORECARD.dimensions}
#: The weight of each source: KPIs first, then the superior, 360-degree feedback, the person
#: themself, inspections.
DEFAULT_WEIGHTS: Mapping[AppraisalSource, float] = {
    AppraisalSource.KPI: 0.4,
    AppraisalSource.SUPERIOR: 0.25,
    AppraisalSource.FEEDBACK_360: 0.15,
    AppraisalSource.SELF: 0.1,
    AppraisalSource.INSPECTION: 0.1,
}
#: 优秀 90 and above, 良好 80, 合格 60, 不合格 below 60.
DEFAULT_BANDS: tuple[RatingBand, ...] = (
    RatingBand(label=N_("excellent"), minimum=90.0),
    RatingBand(label=N_("good"), minimum=80.0),
    RatingBand(label=N_("qualified"), minimum=60.0),
    RatingBand(label=N_("unqualified"), minimum=0.0),
)


def _weights(value: Mapping[Any, Any]) -> Mapping[Any, Any]:
    return frozen_mapping({member_or_given(AppraisalSource, k): v for k, v in value.items()})


@attrs.frozen(kw_only=True)
class AppraisalScheme:
    """How an appraisal is weighed: the dimensions and their weights (the spec's four by
    default: work quality, attitude, ability, output), the weight of each source, and the
    rating bands (highest first, the last from 0). Data: :meth:`from_dict`, :meth:`to_dict`.

    A dimension's score is the weighted mean of the sources that scored it; the total is the
    weighted mean of the dimensions with a score. A KPI score of a dimension is the scorecard's
    score of the dimension of the same name (``itsm_core.metrics.Scorecard``).
    """

    dimensions: Mapping[str, float] = attrs.field(
        default=DEFAULT_DIMENSIONS, converter=frozen_mapping
    )
    weights: Mapping[AppraisalSource, float] = attrs.field(
        default=DEFAULT_WEIGHTS, converter=_weights
    )
    bands: tuple[RatingBand, ...] = attrs.field(default=DEFAULT_BANDS, converter=tuple_or_given)

    def __attrs_post_init__(self) -> None:
        problems = _scheme_problems(self)
        if problems:
            raise InvalidPeopleDefinition("appraisal scheme", problems)

    def band(self, total: float) -> str:
        """The label of the band ``total`` (0-100) falls in."""
        for band in self.bands:
            if total >= band.minimum:
                return band.label
        return self.bands[-1].label

    def appraise(
        self,
        person: str,
        *,
        kpi: ScorecardResult | Mapping[str, float] | None = None,
        ratings: Iterable[Rating] = (),
    ) -> AppraisalResult:
        """The appraisal of ``person`` from the KPI scores (a scorecard result, or a mapping
        of dimension to score) and the ratings.

        Raises:
            ValidationError: a rating or KPI score of a dimension the scheme does not have,
                of a source without a weight, or a KPI score outside 0-100.
        """
        scores = _kpi_scores(kpi)
        given = list(ratings)
        problems = [
            Problem(join("kpi", name), f"unknown dimension {shown(name)}")
            for name in scores
            if name not in self.dimensions
        ]
        problems.extend(
            Problem(join("kpi", name), f"expected 0 to 100, got {shown(value)}")
            for name, value in scores.items()
            if value is not None and (not is_number(value) or not 0 <= value <= 100)
        )
        for i, rating in enumerate(given):
            if rating.dimension not in self.dimensions:
                message = f"unknown dimension {shown(rating.dimension)}"
                problems.append(Problem(f"ratings[{i}].dimension", message))
            if self.weights.get(rating.source, 0) <= 0:
                message = f"{rating.source.value} has no weight in the scheme"
                problems.append(Problem(f"ratings[{i}].source", message))
        if problems:
            raise ValidationError(f"appraisal of {shown(person)}", problems)
        dimensions = []
        missing: list[tuple[str, AppraisalSource]] = []
        for name, weight in self.dimensions.items():
            found: dict[AppraisalSource, float] = {}
            kpi_score = scores.get(name)
            if kpi_score is not None:
                found[AppraisalSource.KPI] = kpi_score
            for source in AppraisalSource:
                marks = [r.score for r in given if r.dimension == name and r.source is source]
                if marks:
                    found[source] = math.fsum(marks) / len(marks)
            weighed = [(self.weights[s], v) for s, v in found.items() if self.weights.get(s, 0)]
            missing.extend(
                (name, source)
                for source, w in self.weights.items()
                if w > 0 and source not in found
            )
            dimensions.append(
                DimensionAppraisal(
                    name=name, weight=weight, sources=found, score=_weighted_mean(weighed)
                )
            )
        total = _weighted_mean([(d.weight, d.score) for d in dimensions if d.score is not None])
        return AppraisalResult(
            person=person,
            dimensions=tuple(dimensions),
            total=total,
            band=None if total is None else self.band(total),
            missing=tuple(missing),
        )

    def to_dict(self) -> dict[str, object]:
        """Plain data; :meth:`from_dict` reads it back."""
        return {
            "dimensions": dict(self.dimensions),
            "weights": {source.value: weight for source, weight in self.weights.items()},
            "bands": [{"label": b.label, "minimum": b.minimum} for b in self.bands],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> AppraisalScheme:
        """A scheme from plain data (every key optional, the defaults otherwise);
        InvalidPeopleDefinition lists every problem with its path."""
        problems: list[Problem] = []
        top = as_mapping(data, "", problems)
        if top is None:
            raise InvalidPeopleDefinition("appraisal scheme", problems)
        check_keys(top, "", (), ("dimensions", "weights", "bands"), problems)
        values: dict[str, Any] = {}
        for name in ("dimensions", "weights"):
            if name in top:
                values[name] = as_mapping(top[name], name, problems)
        if "bands" in top:
            bands = []
            for i, raw in enumerate(read_list(top, "bands", "", problems)):
                where = f"bands[{i}]"
                band = as_mapping(raw, where, problems)
                if band is None:
                    continue
                check_keys(band, where, ("label", "minimum"), (), problems)
                label = text(band.get("label"), f"{where}.label", problems)
                if label is not None and "minimum" in band:
                    bands.append(RatingBand(label=label, minimum=band["minimum"]))  # type: ignore[arg-type]
            values["bands"] = bands
        if problems:
            raise InvalidPeopleDefinition("appraisal scheme", problems)
        return cls(**values)


def _kpi_scores(kpi: ScorecardResult | Mapping[str, float] | None) -> dict[str, float | None]:
    if kpi is None:
        return {}
    if isinstance(kpi, ScorecardResult):
        return {d.name: d.score for d in kpi.dimensions}
    return dict(kpi)


def _weighted_mean(pairs: list[tuple[float, float]]) -> float | None:
    if not pairs:
        return None
    return math.fsum(w * s for w, s in pairs) / math.fsum(w for w, _ in pairs)


def _scheme_problems(scheme: AppraisalScheme) -> list[Problem]:
    problems: list[Problem] = []
    if not scheme.dimensions:
        problems.append(Problem("dimensions", "give at least one"))
    for name, weight in scheme.dimensions.items():
        if blank_problem(name, "") is not None or not is_number(weight) or weight <= 0:
            message = f"expected a positive weight, got {shown(weight)}"
            problems.append(Problem(join("dimensions", str(name)), message))
    for source, weight in scheme.weights.items():
        where = join("weights", str(getattr(source, "value", source)))
        if not is_a(source, AppraisalSource):
            known = ", ".join(s.value for s in AppraisalSource)
            problems.append(Problem(where, f"unknown source (known: {known})"))
        elif not is_number(weight) or weight < 0:
            problems.append(Problem(where, f"expected a weight >= 0, got {shown(weight)}"))
    if not any(
        is_a(s, AppraisalSource) and is_number(w) and w > 0 for s, w in scheme.weights.items()
    ):
        problems.append(Problem("weights", "give at least one positive weight"))
    problems.extend(_band_problems(scheme.bands))
    return problems


def _band_problems(bands: object) -> list[Problem]:
    if not isinstance(bands, tuple) or not bands:
        return [Problem("bands", f"give at least one band, got {shown(bands)}")]
    problems: list[Problem] = []
    labels: set[str] = set()
    previous: float | None = None
    for i, band in enumerate(bands):
        where = f"bands[{i}]"
        if not isinstance(band, RatingBand):
            problems.append(Problem(where, f"expected a RatingBand, got {shown(band)}"))
            continue
        if blank_problem(band.label, "") is not None or band.label in labels:
            problems.append(Problem(f"{where}.label", f"blank or repeated: {shown(band.label)}"))
        labels.add(band.label)
        minimum = band.minimum
        if not is_number(minimum) or not 0 <= minimum <= 100:
            message = f"expected 0 to 100, got {shown(minimum)}"
            problems.append(Problem(f"{where}.minimum", message))
            continue
        if previous is not None and minimum >= previous:
            message = f"{minimum:g} is not below the band before ({previous:g}): highest first"
            problems.append(Problem(f"{where}.minimum", message))
        previous = minimum
    last = bands[-1]
    if isinstance(last, RatingBand) and is_number(last.minimum) and last.minimum != 0:
        message = f"the last band starts at 0, not {last.minimum:g} (every total has a band)"
        problems.append(Problem(f"bands[{len(bands) - 1}].minimum", message))
    return problems
