"""Response grading: a matrix to a response level, raised by customer tier, explained."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from itsm_core._plain import as_mapping, blank_problem, check_keys, read_str, shown, type_problem
from itsm_core.errors import InvalidPriorityMatrix, Problem, UnknownTier
from itsm_core.priority._decision import GradingDecision
from itsm_core.priority._matrix import GradingMatrix, read_matrix
from itsm_core.priority._tiers import (
    DEFAULT_TIERS,
    TierVocabulary,
    apply_tier,
    as_tiers,
    canonical_tiers,
    read_vocabulary,
    tier_problems,
    vocabulary_data,
    vocabulary_problem,
)


@attrs.frozen(kw_only=True)
class ResponseGrading:
    """Grades a complaint or an emergency to a response level: 1 major, 2 serious, 3 general.

    The matrix gives the level for its two inputs (complaint severity x urgency, or risk
    likelihood x severity); a customer tier then raises it by its levels, never above level 1.
    ``tiers`` are tiers of ``tier_vocabulary`` (one not listed raises nothing; one outside the
    vocabulary is refused with :class:`~itsm_core.errors.UnknownTier`). Leave ``tiers`` empty
    when tiers do not apply (an emergency risk matrix): every tier is then refused.

    >>> from itsm_core.priority import COMPLAINT_GRADING
    >>> decision = COMPLAINT_GRADING.grade(2, 1, tier="vip")
    >>> decision.level, decision.label
    (1, 'Major')
    """

    name: str
    matrix: GradingMatrix
    tiers: Mapping[str, int] = attrs.field(factory=dict, converter=as_tiers)
    tier_vocabulary: TierVocabulary = DEFAULT_TIERS

    def __attrs_post_init__(self) -> None:
        checks = [
            blank_problem(self.name, "name"),
            type_problem(self.matrix, GradingMatrix, "matrix", "a GradingMatrix"),
        ]
        problems = [problem for problem in checks if problem is not None]
        vocabulary = vocabulary_problem(self.tier_vocabulary, "tier_vocabulary")
        if vocabulary is not None:
            problems.append(vocabulary)
        else:
            problems.extend(tier_problems(self.tiers, self.tier_vocabulary))
        if problems:
            raise InvalidPriorityMatrix(f"grading {shown(self.name)}", problems)
        object.__setattr__(self, "tiers", canonical_tiers(self.tiers, self.tier_vocabulary))

    def grade(self, row: int, column: int, *, tier: str | None = None) -> GradingDecision:
        """The response level for the matrix inputs ``row`` and ``column``, explained."""
        if tier is not None and not self.tiers:  # tiers do not apply: refuse every one
            raise UnknownTier(str(tier), (), path="tier")
        if tier is not None:
            tier = self.tier_vocabulary.canonical(tier, path="tier")
        cell = self.matrix.explain(row, column)
        steps = [cell]
        level = cell.value
        if tier is not None:
            level, step = apply_tier(self.tiers, tier, level, self.matrix.result)
            steps.append(step)
        return GradingDecision(
            grading=self.name,
            matrix=self.matrix.name,
            row=row,
            column=column,
            matrix_level=cell.value,
            level=level,
            label=self.matrix.result.label(level),
            steps=steps,
        )

    def to_dict(self) -> dict[str, object]:
        """Plain, JSON-safe data; :meth:`from_dict` reads it back."""
        return {
            "name": self.name,
            "matrix": self.matrix.to_dict(),
            "tiers": dict(self.tiers),
            **vocabulary_data(self.tier_vocabulary, "tier_vocabulary"),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> ResponseGrading:
        """Build a grading from plain data; every problem is reported in one error."""
        problems: list[Problem] = []
        mapping = as_mapping(data, "", problems)
        if mapping is None:
            raise InvalidPriorityMatrix("grading", problems)
        check_keys(mapping, "", ("name", "matrix"), ("tiers", "tier_vocabulary"), problems)
        name = read_str(mapping, "name", "", problems)
        matrix = read_matrix(mapping["matrix"], "matrix", problems) if "matrix" in mapping else None
        vocabulary = read_vocabulary(mapping, "tier_vocabulary", problems)
        tiers = mapping.get("tiers", {})
        if vocabulary is not None:
            problems.extend(tier_problems(tiers, vocabulary))
        if problems or name is None or matrix is None or vocabulary is None:
            raise InvalidPriorityMatrix(f"grading {shown(name)}" if name else "grading", problems)
        return cls(
            name=name,
            matrix=matrix,
            tiers=tiers,  # type: ignore[arg-type]
            tier_vocabulary=vocabulary,
        )
