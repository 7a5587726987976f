"""SERVQUAL: the gap between perceived and expected service, per item, dimension and overall.

Instrument: Parasuraman, Zeithaml & Berry (PZB), "SERVQUAL: a multiple-item scale for
measuring consumer perceptions of service quality", *Journal of Retailing* 64(1), 1988: five
dimensions and 22 items, each asked twice, as an expectation (E) and a perception (P), on a
7-point agreement scale (many replications use 5 points). Items 10-13 and 18-22 of the 1988
version are negatively worded and are reverse-scored (``low + high − x``) before any gap; the
1991 revision (PZB, *J. Retailing* 67(4)) words every item positively.

Scores, following the usual recipe (th4.ilovetranslation "Computing the SERVQUAL score";
12manage):

1. item gap per respondent ``G_ij = P_ij − E_ij`` (only where both are answered);
2. dimension gap per respondent ``G_dj`` = mean of that respondent's item gaps in ``d``;
3. dimension gap ``Ḡ_d`` = mean over respondents of ``G_dj`` (mean of differences, with per-
   respondent availability: a respondent counts for a dimension if one pair of it is complete);
4. unweighted SERVQUAL = mean of the five ``Ḡ_d``;
5. weighted SERVQUAL = mean over respondents of ``Σ_d w_dj · G_dj`` with ``w_dj`` their 100
   importance points divided by their total (or, when weights are passed, ``Σ_d w_d · Ḡ_d``).

A negative gap means perceptions fall short of expectations; the most negative dimension is the
first one to improve.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping

import attrs

from itsm_core._plain import shown
from itsm_core.errors import InsufficientData, InvalidSurvey, Problem
from itsm_core.satisfaction._checks import instance_of
from itsm_core.satisfaction._scales import SEVEN_POINT, Scale
from itsm_core.stats import MeanEstimate, mean_estimate
from itsm_core.stats._checks import is_number, raise_if


class ServqualDimension(enum.StrEnum):
    """The five SERVQUAL dimensions (PZB 1988), in the instrument's order."""

    TANGIBLES = "tangibles"
    """Physical facilities, equipment, personnel, communication materials (items 1-4)."""
    RELIABILITY = "reliability"
    """Performing the promised service dependably and accurately (items 5-9)."""
    RESPONSIVENESS = "responsiveness"
    """Willingness to help customers and provide prompt service (items 10-13)."""
    ASSURANCE = "assurance"
    """Knowledge and courtesy of employees, conveying trust and confidence (items 14-17)."""
    EMPATHY = "empathy"
    """Caring, individualised attention (items 18-22)."""


_PZB_RANGES = (
    (ServqualDimension.TANGIBLES, range(1, 5)),
    (ServqualDimension.RELIABILITY, range(5, 10)),
    (ServqualDimension.RESPONSIVENESS, range(10, 14)),
    (ServqualDimension.ASSURANCE, range(14, 18)),
    (ServqualDimension.EMPATHY, range(18, 23)),
)
_PZB_1988_NEGATIVE = frozenset([*range(10, 14), *range(18, 23)])


@attrs.frozen
class ServqualItem:
    """One statement: its number, its dimension, and whether it is reverse-scored."""

    number: int
    dimension: ServqualDimension
    reverse: bool = False


@attrs.frozen
class ServqualInstrument:
    """The items and the answer scale of a SERVQUAL questionnaire.

    >>> instrument = ServqualInstrument.pzb_1988()
    >>> len(instrument.items), tuple(i.number for i in instrument.items if i.reverse)
    (22, (10, 11, 12, 13, 18, 19, 20, 21, 22))
    """

    items: tuple[ServqualItem, ...]
    scale: Scale = SEVEN_POINT

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        if self.scale.yes_no:
            problems.append(Problem("scale", "SERVQUAL needs a numeric agreement scale"))
        seen: set[int] = set()
        for index, item in enumerate(self.items):
            if not instance_of(item, ServqualItem):
                problems.append(Problem(f"items[{index}]", f"not a ServqualItem: {shown(item)}"))
                continue
            if isinstance(item.number, bool) or not isinstance(item.number, int):
                problems.append(
                    Problem(f"items[{index}].number", f"not an integer: {shown(item.number)}")
                )
            elif item.number in seen:
                problems.append(Problem(f"items[{index}].number", f"duplicate item {item.number}"))
            seen.add(item.number)
        covered = {i.dimension for i in self.items if instance_of(i, ServqualItem)}
        problems += [
            Problem("items", f"no item for dimension {shown(d.value)}")
            for d in ServqualDimension
            if d not in covered
        ]
        if problems:
            raise InvalidSurvey("SERVQUAL instrument", problems)

    @classmethod
    def pzb_1988(cls, scale: Scale = SEVEN_POINT) -> ServqualInstrument:
        """The 22 items of PZB 1988, items 10-13 and 18-22 reverse-scored."""
        return cls(
            tuple(
                ServqualItem(number, dimension, number in _PZB_1988_NEGATIVE)
                for dimension, numbers in _PZB_RANGES
                for number in numbers
            ),
            scale,
        )

    @classmethod
    def pzb_1991(cls, scale: Scale = SEVEN_POINT) -> ServqualInstrument:
        """The 22 items of the 1991 revision, all worded positively."""
        return cls(
            tuple(
                ServqualItem(number, dimension)
                for dimension, numbers in _PZB_RANGES
                for number in numbers
            ),
            scale,
        )

    def item(self, number: int) -> ServqualItem | None:
        """The item with this number, or None."""
        return next((i for i in self.items if i.number == number), None)


def _pairs(scores: Mapping[int, int] | Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    items = scores.items() if isinstance(scores, Mapping) else scores
    return tuple((key, value) for key, value in items)


def _weight_pairs(
    points: Mapping[ServqualDimension, float] | Iterable[tuple[ServqualDimension, float]] | None,
) -> tuple[tuple[ServqualDimension, float], ...] | None:
    if points is None:
        return None
    items = points.items() if isinstance(points, Mapping) else points
    return tuple((key, value) for key, value in items)


@attrs.frozen(kw_only=True)
class ServqualResponse:
    """One respondent's expectation and perception scores by item number, and optionally the
    importance points (normally 100) they spread over the five dimensions.

    Mappings passed in are stored as tuples of pairs, so a response is an immutable value;
    :func:`servqual` checks every score against the instrument.

    >>> r = ServqualResponse(respondent_id="c1", expectations={1: 7}, perceptions={1: 5})
    >>> r.expectations, dict(r.perceptions)
    (((1, 7),), {1: 5})
    """

    respondent_id: str
    expectations: tuple[tuple[int, int], ...] = attrs.field(converter=_pairs)
    perceptions: tuple[tuple[int, int], ...] = attrs.field(converter=_pairs)
    importance: tuple[tuple[ServqualDimension, float], ...] | None = attrs.field(
        default=None, converter=_weight_pairs
    )


@attrs.frozen(kw_only=True)
class ItemGap:
    """Means of one item over the respondents who answered both E and P (after reversal);
    ``None`` when nobody did."""

    number: int
    dimension: ServqualDimension
    n: int
    expectation: float | None
    perception: float | None
    gap: float | None


@attrs.frozen(kw_only=True)
class DimensionGap:
    """One dimension: mean expectation, mean perception (the SERVPERF score) and the gap.

    ``gap`` is the mean of the respondents' dimension gaps with its paired t-interval (the
    test published studies report per dimension). ``importance`` is the mean normalised weight
    (0..1) the respondents gave the dimension, when they gave any.
    """

    dimension: ServqualDimension
    n: int
    expectation: float
    perception: float
    gap: MeanEstimate
    importance: float | None


@attrs.frozen(kw_only=True)
class ServqualReport:
    """A SERVQUAL analysis: item and dimension gaps, the overall scores, what to improve first."""

    n: int
    items: tuple[ItemGap, ...]
    dimensions: tuple[DimensionGap, ...]
    unweighted: float
    weighted: float | None
    n_weighted: int
    most_in_need: ServqualDimension

    def dimension(self, dimension: ServqualDimension) -> DimensionGap:
        """The gap of one dimension."""
        return next(d for d in self.dimensions if d.dimension is dimension)


def _mean(values: list[float]) -> float:
    return math.fsum(values) / len(values)


def _weights_problems(weights: Iterable[tuple[object, object]], path: str) -> list[Problem]:
    problems: list[Problem] = []
    total = 0.0
    dimensions = {d.value for d in ServqualDimension}
    for key, value in weights:
        if not isinstance(key, str) or key not in dimensions:
            problems.append(Problem(f"{path}.{key}", "not a SERVQUAL dimension"))
        if not is_number(value) or not math.isfinite(value) or value < 0:  # type: ignore[arg-type, operator]
            problems.append(
                Problem(f"{path}.{key}", f"must be a finite number >= 0, got {shown(value)}")
            )
        else:
            total += float(value)  # type: ignore[arg-type]
    if not problems and total <= 0:
        problems.append(Problem(path, "the weights add up to 0"))
    return problems


def _normalised(
    weights: Iterable[tuple[ServqualDimension, float]],
) -> dict[ServqualDimension, float]:
    pairs = [(ServqualDimension(k), float(v)) for k, v in weights]
    total = math.fsum(v for _, v in pairs)
    return {k: v / total for k, v in pairs}


def _response_problems(
    instrument: ServqualInstrument, response: ServqualResponse, path: str, require_100: bool
) -> list[Problem]:
    problems: list[Problem] = []
    if not instance_of(response, ServqualResponse):
        return [Problem(path, f"not a ServqualResponse: {shown(response)}")]
    for label, scores in (
        ("expectations", response.expectations),
        ("perceptions", response.perceptions),
    ):
        seen: set[int] = set()
        for number, value in scores:
            if number in seen:
                problems.append(Problem(f"{path}.{label}[{shown(number)}]", "item given twice"))
            seen.add(number)
            if instrument.item(number) is None:
                problems.append(Problem(f"{path}.{label}[{shown(number)}]", "no such item"))
                continue
            message = instrument.scale.answer_problem(value)
            if message is not None:
                problems.append(Problem(f"{path}.{label}[{number}]", message))
    if response.importance is not None:
        found = _weights_problems(response.importance, f"{path}.importance")
        problems += found
        if not found and require_100:
            total = math.fsum(v for _, v in response.importance)
            if abs(total - 100.0) > 1e-9:
                problems.append(
                    Problem(f"{path}.importance", f"points add up to {total:g}, not 100")
                )
    return problems


def _respondent_gaps(
    instrument: ServqualInstrument,
    response: ServqualResponse,
    item_rows: dict[int, list[tuple[int, int]]],
) -> dict[ServqualDimension, tuple[float, float, float]]:
    """``{dimension: (mean E, mean P, mean gap)}`` of one respondent; fills ``item_rows``."""
    scale = instrument.scale
    expectations, perceptions = dict(response.expectations), dict(response.perceptions)
    per_dim: dict[ServqualDimension, list[tuple[int, int]]] = {}
    for item in instrument.items:
        e, p = expectations.get(item.number), perceptions.get(item.number)
        if e is None or p is None:
            continue
        if item.reverse:
            e, p = scale.low + scale.high - e, scale.low + scale.high - p
        item_rows[item.number].append((e, p))
        per_dim.setdefault(item.dimension, []).append((e, p))
    return {
        d: (
            _mean([e for e, _ in pairs]),
            _mean([p for _, p in pairs]),
            _mean([p - e for e, p in pairs]),
        )
        for d, pairs in per_dim.items()
    }


def servqual(
    instrument: ServqualInstrument,
    responses: Iterable[ServqualResponse],
    *,
    weights: Mapping[ServqualDimension, float] | None = None,
    require_100_points: bool = False,
    confidence: float = 0.95,
) -> ServqualReport:
    """Compute SERVQUAL gaps (P − E) per item, per dimension and overall.

    Args:
        instrument: the items and scale (e.g. :meth:`ServqualInstrument.pzb_1988`).
        responses: the respondents' E and P scores and optional importance points.
        weights: sample-level dimension weights (any positive scale, normalised); when given
            they replace the respondents' own points for the weighted score.
        require_100_points: reject respondents whose importance points do not add up to 100,
            instead of normalising by their actual total (a total of 0 is always rejected).
        confidence: the level of the per-dimension gap intervals.

    Only complete E/P pairs count (mean of differences, never difference of means). A
    respondent enters the weighted score only if they gave importance points and have a gap in
    every dimension they gave points to; ``n_weighted`` says how many did.

    Raises:
        ValidationError: any score off the scale, unknown item, bad importance (all listed).
        InsufficientData: no respondent, or a dimension with no complete E/P pair at all.
    """
    subject = "servqual"
    checked = tuple(responses)
    problems: list[Problem] = []
    for index, response in enumerate(checked):
        problems += _response_problems(
            instrument, response, f"responses[{index}]", require_100_points
        )
    if weights is not None:
        problems += _weights_problems(weights.items(), "weights")
    raise_if(subject, problems)
    if not checked:
        raise InsufficientData(subject, [Problem("responses", "no responses (n = 0)")])
    item_rows: dict[int, list[tuple[int, int]]] = {i.number: [] for i in instrument.items}
    gaps = [_respondent_gaps(instrument, r, item_rows) for r in checked]
    empty = [d for d in ServqualDimension if not any(d in g for g in gaps)]
    if empty:
        raise InsufficientData(
            subject,
            [
                Problem(f"dimension.{d.value}", "no respondent answered both E and P of an item")
                for d in empty
            ],
        )
    items = []
    for item in instrument.items:
        rows = item_rows[item.number]
        items.append(
            ItemGap(
                number=item.number,
                dimension=item.dimension,
                n=len(rows),
                expectation=_mean([e for e, _ in rows]) if rows else None,
                perception=_mean([p for _, p in rows]) if rows else None,
                gap=_mean([p - e for e, p in rows]) if rows else None,
            )
        )
    own_weights = [_normalised(r.importance) for r in checked if r.importance is not None]
    dimensions = []
    for dimension in ServqualDimension:
        rows3 = [g[dimension] for g in gaps if dimension in g]
        dimensions.append(
            DimensionGap(
                dimension=dimension,
                n=len(rows3),
                expectation=_mean([e for e, _, _ in rows3]),
                perception=_mean([p for _, p, _ in rows3]),
                gap=mean_estimate([g for _, _, g in rows3], confidence=confidence),
                importance=(
                    _mean([w.get(dimension, 0.0) for w in own_weights]) if own_weights else None
                ),
            )
        )
    unweighted = _mean([d.gap.mean for d in dimensions])
    weighted: float | None = None
    n_weighted = 0
    if weights is not None:
        normal = _normalised(weights.items())
        weighted = math.fsum(normal.get(d.dimension, 0.0) * d.gap.mean for d in dimensions)
        n_weighted = len(checked)
    else:
        scores = []
        for response, own in zip(checked, gaps, strict=True):
            if response.importance is None:
                continue
            normal = {d: w for d, w in _normalised(response.importance).items() if w > 0}
            if all(d in own for d in normal):
                scores.append(math.fsum(w * own[d][2] for d, w in normal.items()))
        if scores:
            weighted, n_weighted = _mean(scores), len(scores)
    order = list(ServqualDimension)
    most_in_need = min(
        dimensions,
        key=lambda d: (d.gap.mean, -(d.importance or 0.0), order.index(d.dimension)),
    ).dimension
    return ServqualReport(
        n=len(checked),
        items=tuple(items),
        dimensions=tuple(dimensions),
        unweighted=unweighted,
        weighted=weighted,
        n_weighted=n_weighted,
        most_in_need=most_in_need,
    )
