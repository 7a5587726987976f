"""BM25 (Okapi) with Lucene's non-negative IDF, and the boost from usage and feedback.

For a query with distinct terms ``t`` and an article ``d`` of length ``|d|`` (its number of
terms) in an index of ``N`` articles of average length ``avgdl``::

    idf(t)      = ln(1 + (N - n(t) + 0.5) / (n(t) + 0.5))             n(t): articles containing t
    w(t, d)     = idf(t) * f(t, d) * (k1 + 1) / (f(t, d) + k1 * (1 - b + b * |d| / avgdl))
    relevance   = sum of w(t, d) over the distinct query terms t found in d
    boost       = solved_boost * ln(1 + tickets solved with d)
                + feedback_boost * (helpful - not_helpful) / (helpful + not_helpful + 2)
    score       = relevance + boost

The IDF is Lucene's form (``idf_form = "lucene"``, the default): always positive, so every
matched term adds to the relevance and an article matching more of the query's terms (with
the same frequencies and length) never ranks lower. ``idf_form = "rsj"`` gives the classic
Robertson/Sparck Jones IDF ``ln((N - n + 0.5) / (n + 0.5))`` of Okapi BM25, negative for a term
in more than half of the articles. Repeated query terms count once (no query-term frequency).
Defaults ``k1 = 1.2``, ``b = 0.75``. The boost is added, not multiplied, and it only reorders
articles that match the query; the feedback part is a smoothed net vote between
``-feedback_boost`` and ``+feedback_boost``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import attrs

from itsm_core._plain import is_number, shown
from itsm_core.errors import Problem, ValidationError
from itsm_core.knowledge._fields import settings_from_dict

_FIELDS = ("k1", "b", "solved_boost", "feedback_boost", "idf_form")
IDF_FORMS = ("lucene", "rsj")


def _number_problems(name: str, value: object, low: float, high: float | None) -> list[Problem]:
    if not is_number(value):
        return [Problem(name, f"must be a finite number, got {shown(value)}")]
    if value < low or (high is not None and value > high):
        bound = f"between {low:g} and {high:g}" if high is not None else f"at least {low:g}"
        return [Problem(name, f"must be {bound}, got {value!r}")]
    return []


@attrs.frozen(kw_only=True)
class Bm25:
    """The ranking parameters: BM25's ``k1`` and ``b``, the IDF form, and the boost weights.

    >>> ranking = Bm25()
    >>> round(ranking.idf(documents=10, containing=1), 6)   # ln(1 + 9.5 / 1.5)
    1.99243
    >>> round(Bm25(idf_form="rsj").idf(documents=10, containing=1), 6)   # ln(9.5 / 1.5)
    1.845827
    >>> ranking.term_weight(frequency=1, length=4, average_length=4.0, idf=1.0)
    1.0
    >>> Bm25.from_dict({"k1": 1.5}).to_dict()
    {'k1': 1.5, 'b': 0.75, 'solved_boost': 0.25, 'feedback_boost': 0.2, 'idf_form': 'lucene'}
    """

    k1: float = 1.2
    """Term-frequency saturation: 0 ignores repeats; larger values let them count longer."""
    b: float = 0.75
    """Length normalisation: 0 ignores length, 1 normalises fully by ``|d| / avgdl``."""
    solved_boost: float = 0.25
    """Weight of ``ln(1 + solved tickets)`` added to the relevance; 0 switches it off."""
    feedback_boost: float = 0.2
    """Weight of the smoothed net helpful vote added to the relevance; 0 switches it off."""
    idf_form: str = "lucene"
    """``"lucene"`` (never negative, the default) or ``"rsj"`` (classic Okapi)."""

    def __attrs_post_init__(self) -> None:
        problems = [
            *_number_problems("k1", self.k1, 0.0, None),
            *_number_problems("b", self.b, 0.0, 1.0),
            *_number_problems("solved_boost", self.solved_boost, 0.0, None),
            *_number_problems("feedback_boost", self.feedback_boost, 0.0, None),
        ]
        if self.idf_form not in IDF_FORMS:
            problems.append(
                Problem("idf_form", f"must be 'lucene' or 'rsj', got {shown(self.idf_form)}")
            )
        if problems:
            raise ValidationError("Bm25", problems)

    def idf(self, documents: int, containing: int) -> float:
        """Lucene's ``ln(1 + (N - n + 0.5) / (n + 0.5))``, or the Robertson/Sparck Jones
        ``ln((N - n + 0.5) / (n + 0.5))`` with ``idf_form = "rsj"``."""
        ratio = (documents - containing + 0.5) / (containing + 0.5)
        return math.log(ratio) if self.idf_form == "rsj" else math.log1p(ratio)

    def term_weight(self, frequency: int, length: int, average_length: float, idf: float) -> float:
        """The BM25 weight of one term occurring ``frequency`` times in an article."""
        norm = self.k1 * (1.0 - self.b + self.b * length / average_length)
        return idf * frequency * (self.k1 + 1.0) / (frequency + norm)

    def boost(self, solved: int, helpful: int = 0, not_helpful: int = 0) -> float:
        """What usage adds to an article's score: ``solved_boost * ln(1 + solved)`` plus
        ``feedback_boost * (helpful - not_helpful) / (helpful + not_helpful + 2)``."""
        boost = self.solved_boost * math.log1p(solved)
        if helpful or not_helpful:
            votes = helpful + not_helpful + 2
            boost += self.feedback_boost * (helpful - not_helpful) / votes
        return boost

    # -- data ------------------------------------------------------------------------------

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Bm25:
        """Build from plain data; missing keys take their defaults, unknown keys are errors."""
        return settings_from_dict(cls, data, _FIELDS, "Bm25")

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-safe data :meth:`from_dict` reads back."""
        return {key: getattr(self, key) for key in _FIELDS}
