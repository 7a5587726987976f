"""Customer tiers: how many levels each tier raises a result, never above level 1."""

from __future__ import annotations

from collections.abc import Mapping

from itsm_core._checks import frozen_mapping, is_int
from itsm_core._plain import as_mapping, join, shown
from itsm_core.errors import Problem
from itsm_core.priority._explanation import ExplanationStep, StepKind
from itsm_core.priority._scale import PriorityScale


def as_tiers(value: Mapping[str, int]) -> Mapping[str, int]:
    """A read-only copy of a tier mapping (anything else is left for validation to refuse)."""
    found: object = value
    return frozen_mapping(value) if isinstance(found, Mapping) else value


def tier_problems(tiers: object, path: str = "tiers") -> list[Problem]:
    """Every problem of a tier mapping: names non-blank strings, raises integers >= 0."""
    problems: list[Problem] = []
    mapping = as_mapping(tiers, path, problems)
    for name, steps in (mapping or {}).items():
        if not name.strip():
            problems.append(Problem(join(path, shown(name)), "a tier needs a non-blank name"))
        if not (is_int(steps) and steps >= 0):
            problems.append(
                Problem(
                    join(path, name), f"expected a raise of 0 or more levels, got {shown(steps)}"
                )
            )
    return problems


def apply_tier(
    tiers: Mapping[str, int], tier: str, value: int, scale: PriorityScale
) -> tuple[int, ExplanationStep]:
    """Raise ``value`` by the tier's levels, never above level 1, and explain it.

    ``tier`` must be a key of ``tiers``: callers check it and report an unknown tier together
    with the other problems of their input.
    """
    steps = tiers[tier]
    raised = max(1, value - steps)
    capped = " (capped at level 1)" if value - steps < 1 else ""
    noun = "level" if steps == 1 else "levels"
    step = ExplanationStep(
        kind=StepKind.TIER,
        source=f"tier {tier!r}",
        target=scale.name,
        value=raised,
        label=scale.label(raised),
        reason=f"raises by {steps} {noun} from {scale.describe(value)}{capped}",
    )
    return raised, step
