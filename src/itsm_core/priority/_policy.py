"""A priority policy: intake rules, a priority matrix and modifiers, giving explained decisions."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from itsm_core._plain import as_mapping, blank_problem, check_keys, read_str, shown, type_problem
from itsm_core.errors import InvalidPriorityMatrix, Problem, UnknownTier, ValidationError
from itsm_core.priority._decision import PriorityDecision
from itsm_core.priority._explanation import ExplanationStep, StepKind
from itsm_core.priority._intake import IntakeFacts, IntakeRules, read_rules
from itsm_core.priority._matrix import GradingMatrix, read_matrix
from itsm_core.priority._override import Override
from itsm_core.priority._scale import PriorityScale
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
class PriorityPolicy:
    """How a desk sets priorities: intake rules, an impact x urgency matrix and modifiers.

    A decision takes these steps, each recorded in the explanation:

    1. impact and urgency: given by the caller, or derived by the first intake rule that fires;
    2. the matrix cell for (impact, urgency) gives the priority;
    3. the customer tier raises it by its levels, never above P1;
    4. a major incident forces P1;
    5. a manual override, with a reason, sets the priority, and is the only step that may lower
       it.

    ``tiers`` maps customer tiers of ``tier_vocabulary`` to the levels they raise; a tier of
    the vocabulary not listed raises nothing, and a tier outside it is refused
    (:class:`~itsm_core.errors.UnknownTier`, listing the known tiers) rather than guessed. An
    alias (``standard``) is kept under its tier name (``regular``). Leave ``tiers`` empty when
    tiers do not apply: every tier is then refused.
    """

    name: str
    matrix: GradingMatrix
    intake: IntakeRules
    tiers: Mapping[str, int] = attrs.field(factory=dict, converter=as_tiers)
    tier_vocabulary: TierVocabulary = DEFAULT_TIERS

    def __attrs_post_init__(self) -> None:
        checks = [
            blank_problem(self.name, "name"),
            type_problem(self.matrix, GradingMatrix, "matrix", "a GradingMatrix"),
            type_problem(self.intake, IntakeRules, "intake", "IntakeRules"),
        ]
        problems = [problem for problem in checks if problem is not None]
        if not problems:
            for target, scale in (("impact", self.matrix.rows), ("urgency", self.matrix.columns)):
                for index, rule in enumerate(getattr(self.intake, target)):
                    problem = scale.problem(rule.level, f"intake.{target}[{index}].level")
                    if problem is not None:
                        problems.append(problem)
        vocabulary = vocabulary_problem(self.tier_vocabulary, "tier_vocabulary")
        if vocabulary is not None:
            problems.append(vocabulary)
        else:
            problems.extend(tier_problems(self.tiers, self.tier_vocabulary))
        if problems:
            raise InvalidPriorityMatrix(f"policy {shown(self.name)}", problems)
        object.__setattr__(self, "tiers", canonical_tiers(self.tiers, self.tier_vocabulary))

    @property
    def impact_scale(self) -> PriorityScale:
        """The impact scale (the matrix rows)."""
        return self.matrix.rows

    @property
    def urgency_scale(self) -> PriorityScale:
        """The urgency scale (the matrix columns)."""
        return self.matrix.columns

    @property
    def priority_scale(self) -> PriorityScale:
        """The priority scale (the matrix results)."""
        return self.matrix.result

    def decide(
        self,
        facts: IntakeFacts,
        *,
        tier: str | None = None,
        major_incident: bool = False,
        override: Override | None = None,
    ) -> PriorityDecision:
        """Decide the priority of a request from the facts collected at intake."""
        found = type_problem(facts, IntakeFacts, "facts", "IntakeFacts")
        if found is not None:
            raise ValidationError("intake facts", [found])
        steps: list[ExplanationStep] = []
        levels: list[int] = []
        for target, scale in (("impact", self.impact_scale), ("urgency", self.urgency_scale)):
            match = self.intake.first_match(target, facts)
            levels.append(match.rule.level)
            steps.append(
                ExplanationStep(
                    kind=StepKind.RULE,
                    source=f"{target} rule {match.index + 1} {match.rule.name!r}",
                    target=target,
                    value=match.rule.level,
                    label=scale.label(match.rule.level),
                    reason="; ".join(match.reasons),
                )
            )
        return self._finish(
            levels[0], levels[1], steps, tier=tier, major_incident=major_incident, override=override
        )

    def decide_levels(
        self,
        impact: int,
        urgency: int,
        *,
        tier: str | None = None,
        major_incident: bool = False,
        override: Override | None = None,
    ) -> PriorityDecision:
        """Decide the priority when impact and urgency are already known (e.g. set by an agent).

        >>> from itsm_core.priority import ITIL_POLICY
        >>> decision = ITIL_POLICY.decide_levels(2, 1, tier="vip")
        >>> decision.priority, decision.label
        (1, 'Critical')
        >>> for line in decision.lines():
        ...     print(line)
        1. given: impact supplied -> impact 2 (Medium): set by the caller
        2. given: urgency supplied -> urgency 1 (High): set by the caller
        3. matrix: itil-3x3[impact=2][urgency=1] -> priority 2 (High): impact 2 (Medium) x ...
        4. tier: tier 'vip' -> priority 1 (Critical): raises by 1 level from 2 (High)
        """
        problems = [
            p
            for p in (
                self.impact_scale.problem(impact, "impact"),
                self.urgency_scale.problem(urgency, "urgency"),
            )
            if p is not None
        ]
        if problems:
            raise ValidationError("priority input", problems)
        steps = [
            ExplanationStep(
                kind=StepKind.GIVEN,
                source=f"{scale.name} supplied",
                target=scale.name,
                value=level,
                label=scale.label(level),
                reason="set by the caller",
            )
            for scale, level in ((self.impact_scale, impact), (self.urgency_scale, urgency))
        ]
        return self._finish(
            impact, urgency, steps, tier=tier, major_incident=major_incident, override=override
        )

    def _finish(
        self,
        impact: int,
        urgency: int,
        steps: list[ExplanationStep],
        *,
        tier: str | None,
        major_incident: bool,
        override: Override | None,
    ) -> PriorityDecision:
        checks = [
            type_problem(major_incident, bool, "major_incident", "a bool"),
            None
            if override is None
            else type_problem(override, Override, "override", "an Override"),
        ]
        problems = [problem for problem in checks if problem is not None]
        given: object = override
        if isinstance(given, Override):
            found = self.priority_scale.problem(given.priority, "override.priority")
            if found is not None:
                problems.append(found)
        if tier is not None:
            tier = self._tier(tier, problems)
        if problems:
            raise ValidationError("priority decision", problems)
        scale = self.priority_scale
        cell = self.matrix.explain(impact, urgency)
        steps.append(cell)
        priority = cell.value
        if tier is not None:
            priority, step = apply_tier(self.tiers, tier, priority, scale)
            steps.append(step)
        if major_incident:
            was = scale.describe(priority)
            priority = 1
            steps.append(
                ExplanationStep(
                    kind=StepKind.MAJOR_INCIDENT,
                    source="major incident",
                    target=scale.name,
                    value=1,
                    label=scale.label(1),
                    reason=f"a major incident is always {scale.name} 1 (was {was})",
                )
            )
        if override is not None:
            was = scale.describe(priority)
            priority = override.priority
            who = f" by {override.by!r}" if override.by else ""
            steps.append(
                ExplanationStep(
                    kind=StepKind.OVERRIDE,
                    source=f"manual override{who}",
                    target=scale.name,
                    value=priority,
                    label=scale.label(priority),
                    reason=f"reason: {override.reason} (was {was})",
                )
            )
        return PriorityDecision(
            policy=self.name,
            matrix=self.matrix.name,
            impact=impact,
            urgency=urgency,
            matrix_priority=cell.value,
            priority=priority,
            label=scale.label(priority),
            steps=steps,
        )

    def _tier(self, tier: str, others: list[Problem]) -> str:
        """The tier name ``tier`` stands for; UnknownTier (with ``others``) when unknown here."""
        if not self.tiers:  # tiers do not apply: refuse every one
            raise UnknownTier(
                str(tier), (), path="tier", subject="priority decision", others=others
            )
        return self.tier_vocabulary.canonical(
            tier, path="tier", subject="priority decision", others=others
        )

    def to_dict(self) -> dict[str, object]:
        """Plain, JSON-safe data; :meth:`from_dict` reads it back."""
        return {
            "name": self.name,
            "matrix": self.matrix.to_dict(),
            "intake": self.intake.to_dict(),
            "tiers": dict(self.tiers),
            **vocabulary_data(self.tier_vocabulary, "tier_vocabulary"),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> PriorityPolicy:
        """Build a policy from plain data; every problem is reported in one error."""
        problems: list[Problem] = []
        mapping = as_mapping(data, "", problems)
        if mapping is None:
            raise InvalidPriorityMatrix("policy", problems)
        check_keys(
            mapping, "", ("name", "matrix", "intake"), ("tiers", "tier_vocabulary"), problems
        )
        name = read_str(mapping, "name", "", problems)
        matrix = read_matrix(mapping["matrix"], "matrix", problems) if "matrix" in mapping else None
        intake = read_rules(mapping["intake"], "intake", problems) if "intake" in mapping else None
        vocabulary = read_vocabulary(mapping, "tier_vocabulary", problems)
        tiers = mapping.get("tiers", {})
        if vocabulary is not None:
            problems.extend(tier_problems(tiers, vocabulary))
        subject = f"policy {shown(name)}" if name else "policy"
        if problems or name is None or matrix is None or intake is None or vocabulary is None:
            raise InvalidPriorityMatrix(subject, problems or [Problem("", "incomplete")])
        try:
            return cls(
                name=name,
                matrix=matrix,
                intake=intake,
                tiers=tiers,  # type: ignore[arg-type]
                tier_vocabulary=vocabulary,
            )
        except InvalidPriorityMatrix as error:
            raise InvalidPriorityMatrix(subject, error.problems) from None
