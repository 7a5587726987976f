"""BM25 (Okapi) with the Robertson/Sparck Jones IDF, and the boost for articles that solved tickets.

For a query with distinct terms ``t`` and an article ``d`` of length ``|d|`` (its number of
terms) in an index of ``N`` articles of average length ``avgdl``::

    idf(t)      = ln((N - n(t) + 0.5) / (n(t) + 0.5))                 n(t): articles containing t
    w(t, d)     = idf(t) * f(t, d) * (k1 + 1) / (f(t, d) + k1 * (1 - b + b * |d| / avgdl))
    relevance   = sum of w(t, d) over the distinct query terms t found in d
    boost       = solved_boost * ln(1 + tickets solved with d)
    score       = relevance + boost

This is the classic Okapi BM25 of Robertson et al. with the Robertson/Sparck Jones IDF
without relevance information (no ``+ 1`` inside the logarithm, no floor): a term in more than
half of the articles has a negative IDF and counts against an article, as in the original
formulation. Repeated query terms count once (no query-term frequency). Defaults ``k1 = 1.2``,
``b = 0.75``. The boost is added, not multiplied, so it is the same whatever the sign of the
relevance and it only reorders articles that match the query.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import attrs

from itsm_core._plain import is_number, shown
from itsm_core.errors import Problem, ValidationError
from itsm_core.knowledge._fields import settings_from_dict

_FIELDS = ("k1", "b", "solved_boost")


def _number_problems(name: str, value: object, low: float, high: float | None) -> list[Problem]:
    if not is_number(value):
        return [Problem(name, f"must be a finite number, got {shown(value)}")]
    if value < low or (high is not None and value > high):
        bound = f"between {low:g} and {high:g}" if high is not None else f"at least {low:g}"
        return [Problem(name, f"must be {bound}, got {value!r}")]
    return []


@attrs.frozen(kw_only=True)
class Bm25:
    """The ranking parameters: BM25's ``k1`` and ``b``, and the solved-tickets boost weight.

    >>> ranking = Bm25()
    >>> round(ranking.idf(documents=10, containing=1), 6)   # ln(9.5 / 1.5)
    1.845827
    >>> ranking.term_weight(frequency=1, length=4, average_length=4.0, idf=1.0)
    1.0
    >>> Bm25.from_dict({"k1": 1.5}).to_dict()
    {'k1': 1.5, 'b': 0.75, 'solved_boost': 0.25}
    """

    k1: float = 1.2
    """Term-frequency saturation: 0 ignores repeats; larger values let them count longer."""
    b: float = 0.75
    """Length normalisation: 0 ignores length, 1 normalises fully by ``|d| / avgdl``."""
    solved_boost: float = 0.25
    """Weight of ``ln(1 + solved tickets)`` added to the relevance; 0 switches it off."""

    def __attrs_post_init__(self) -> None:
        problems = [
            *_number_problems("k1", self.k1, 0.0, None),
            *_number_problems("b", self.b, 0.0, 1.0),
            *_number_problems("solved_boost", self.solved_boost, 0.0, None),
        ]
        if problems:
            raise ValidationError("Bm25", problems)

    @staticmethod
    def idf(documents: int, containing: int) -> float:
        """Robertson/Sparck Jones IDF: ``ln((N - n + 0.5) / (n + 0.5))``."""
        return math.log((documents - containing + 0.5) / (containing + 0.5))

    def term_weight(self, frequency: int, length: int, average_length: float, idf: float) -> float:
        """The BM25 weight of one term occurring ``frequency`` times in an article."""
        norm = self.k1 * (1.0 - self.b + self.b * length / average_length)
        return idf * frequency * (self.k1 + 1.0) / (frequency + norm)

    def boost(self, solved: int) -> float:
        """What ``solved`` tickets add to an article's score: ``solved_boost * ln(1 + solved)``."""
        return self.solved_boost * math.log1p(solved)

    # -- data ------------------------------------------------------------------------------

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Bm25:
        """Build from plain data; missing keys take their defaults, unknown keys are errors."""
        return settings_from_dict(cls, data, _FIELDS, "Bm25")

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-safe data :meth:`from_dict` reads back."""
        return {key: getattr(self, key) for key in _FIELDS}
