"""A service quality index: a weighted mean of dimension scores on 0..100, weights as data."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import attrs

from itsm_core._plain import shown
from itsm_core.errors import InvalidSurvey, Problem
from itsm_core.stats._checks import is_number, raise_if

SQI_DIMENSIONS = ("response", "functionality", "reliability", "security", "supportability")
"""The five dimensions of the service quality index named in the issue, in order."""

_TOLERANCE = 1e-9


def _weight_problems(weights: object) -> list[Problem]:
    if not isinstance(weights, Mapping) or not weights:
        return [
            Problem("weights", f"must be a non-empty mapping of name to weight: {shown(weights)}")
        ]
    problems: list[Problem] = []
    for name, value in weights.items():
        if not isinstance(name, str) or not name:
            problems.append(
                Problem(f"weights.{name}", "a dimension name must be a non-empty string")
            )
        if not is_number(value) or not math.isfinite(value) or value < 0:
            problems.append(
                Problem(f"weights.{name}", f"must be a finite number >= 0, got {shown(value)}")
            )
    return problems


def _weight_pairs(
    weights: Mapping[str, float] | Iterable[tuple[str, float]],
) -> tuple[tuple[str, float], ...]:
    items = weights.items() if isinstance(weights, Mapping) else weights
    return tuple((name, value) for name, value in items)


@attrs.frozen
class QualityIndexWeights:
    """Dimension weights that are each >= 0 and add up to 1, as ``(dimension, weight)`` pairs.

    Build it from a mapping (``QualityIndexWeights({"response": 0.4, ...})``), or from points
    on any scale with :meth:`from_points`.

    >>> w = QualityIndexWeights.from_points({"response": 30, "reliability": 50, "security": 20})
    >>> w.weight("reliability")
    0.5
    >>> QualityIndexWeights({"response": 0.7, "security": 0.7})
    Traceback (most recent call last):
    ...
    itsm_core.errors.InvalidSurvey: invalid survey quality index weights: 1 problem
      - weights: add up to 1.4, not 1 (use from_points to normalise)
    """

    pairs: tuple[tuple[str, float], ...] = attrs.field(converter=_weight_pairs)

    def __attrs_post_init__(self) -> None:
        as_dict = dict(self.pairs)
        problems = _weight_problems(as_dict)
        if len(as_dict) != len(self.pairs):
            problems.append(Problem("weights", "a dimension is named twice"))
        if not problems:
            total = math.fsum(as_dict.values())
            if abs(total - 1.0) > _TOLERANCE:
                problems.append(
                    Problem("weights", f"add up to {total:g}, not 1 (use from_points to normalise)")
                )
        if problems:
            raise InvalidSurvey("quality index weights", problems)

    @property
    def dimensions(self) -> tuple[str, ...]:
        """The weighted dimensions, in the order given."""
        return tuple(name for name, _ in self.pairs)

    def weight(self, dimension: str) -> float:
        """The weight of one dimension (0 when it is not weighted)."""
        return dict(self.pairs).get(dimension, 0.0)

    @classmethod
    def from_points(cls, points: Mapping[str, float]) -> QualityIndexWeights:
        """Weights from points on any scale (e.g. 100 points), divided by their total."""
        problems = _weight_problems(points)
        if not problems and math.fsum(points.values()) <= 0:
            problems.append(Problem("weights", "the points add up to 0"))
        if problems:
            raise InvalidSurvey("quality index weights", problems)
        total = math.fsum(points.values())
        return cls({name: value / total for name, value in points.items()})

    @classmethod
    def equal(cls, dimensions: tuple[str, ...] = SQI_DIMENSIONS) -> QualityIndexWeights:
        """The same weight for every dimension."""
        return cls.from_points(dict.fromkeys(dimensions, 1.0))

    def to_dict(self) -> dict[str, float]:
        """Plain JSON-safe data; ``QualityIndexWeights(data)`` reads it back."""
        return dict(self.pairs)


@attrs.frozen(kw_only=True)
class QualityIndex:
    """The index (0..100) and each dimension's contribution ``weight × score`` to it."""

    value: float
    contributions: tuple[tuple[str, float], ...]


def service_quality_index(
    scores: Mapping[str, float], weights: QualityIndexWeights
) -> QualityIndex:
    """The weighted mean ``Σ w_d · score_d`` of dimension scores on 0..100.

    Every weighted dimension needs a score and every score a weight; anything else is an
    error naming each offending dimension, so a missing measurement is never silently a 0.

    >>> w = QualityIndexWeights.from_points({"response": 30, "reliability": 50, "security": 20})
    >>> service_quality_index({"response": 80, "reliability": 90, "security": 70}, w).value
    83.0
    """
    problems = [
        Problem(f"scores.{name}", "weighted dimension has no score")
        for name in weights.dimensions
        if name not in scores
    ]
    for name, value in scores.items():
        if name not in weights.dimensions:
            problems.append(Problem(f"scores.{name}", "dimension has no weight"))
        elif not is_number(value) or not 0.0 <= value <= 100.0:
            problems.append(
                Problem(f"scores.{name}", f"must be a number in 0..100, got {shown(value)}")
            )
    raise_if("service_quality_index", problems)
    contributions = tuple((name, weight * scores[name]) for name, weight in weights.pairs)
    value = math.fsum(c for _, c in contributions)
    return QualityIndex(value=min(max(value, 0.0), 100.0), contributions=contributions)
