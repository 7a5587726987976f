"""The results of deciding a priority or grading a response, each with its explanation."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from itsm_core._checks import is_int
from itsm_core._plain import as_list, as_mapping, check_keys, join, read_str, shown
from itsm_core.errors import DeserializationError, Problem
from itsm_core.priority._explanation import ExplanationStep, read_step


def _as_steps(value: Iterable[ExplanationStep]) -> tuple[ExplanationStep, ...]:
    return tuple(value)


def _numbered(steps: tuple[ExplanationStep, ...]) -> tuple[str, ...]:
    return tuple(f"{number}. {step}" for number, step in enumerate(steps, start=1))


@attrs.frozen(kw_only=True)
class PriorityDecision:
    """A priority with the ordered explanation of every step that produced it.

    ``matrix_priority`` is what the matrix gave before modifiers (tier, major incident,
    override); ``priority`` is the final result and ``label`` its label. ``steps`` are in the
    order they were taken; :meth:`lines` renders them as plain text for an auditor.
    """

    policy: str
    matrix: str
    impact: int
    urgency: int
    matrix_priority: int
    priority: int
    label: str
    steps: tuple[ExplanationStep, ...] = attrs.field(converter=_as_steps)

    @property
    def overridden(self) -> bool:
        """True when a manual override set the final priority."""
        return any(step.kind == "override" for step in self.steps)

    def lines(self) -> tuple[str, ...]:
        """The explanation as numbered plain-text lines, one per step."""
        return _numbered(self.steps)

    def __str__(self) -> str:
        head = f"priority {self.priority} ({self.label}) by policy {self.policy!r}"
        return "\n".join([head, *self.lines()])

    def to_dict(self) -> dict[str, object]:
        """Plain, JSON-safe data a ticket can store; :meth:`from_dict` reads it back."""
        return {
            "policy": self.policy,
            "matrix": self.matrix,
            "impact": self.impact,
            "urgency": self.urgency,
            "matrix_priority": self.matrix_priority,
            "priority": self.priority,
            "label": self.label,
            "steps": [step.to_dict() for step in self.steps],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> PriorityDecision:
        """Read a decision back from :meth:`to_dict` data (else ``DeserializationError``)."""
        ints = ("impact", "urgency", "matrix_priority", "priority")
        fields = _read_record(data, ("policy", "matrix", "label"), ints, "priority decision")
        return cls(**fields)  # type: ignore[arg-type]


@attrs.frozen(kw_only=True)
class GradingDecision:
    """A response level (or other graded result) with the explanation of every step.

    ``row`` and ``column`` are the input levels (e.g. complaint severity and urgency, or risk
    likelihood and severity), ``matrix_level`` the matrix cell, ``level`` the final result after
    the customer-tier raise, ``label`` its label.
    """

    grading: str
    matrix: str
    row: int
    column: int
    matrix_level: int
    level: int
    label: str
    steps: tuple[ExplanationStep, ...] = attrs.field(converter=_as_steps)

    def lines(self) -> tuple[str, ...]:
        """The explanation as numbered plain-text lines, one per step."""
        return _numbered(self.steps)

    def __str__(self) -> str:
        head = f"level {self.level} ({self.label}) by grading {self.grading!r}"
        return "\n".join([head, *self.lines()])

    def to_dict(self) -> dict[str, object]:
        """Plain, JSON-safe data; :meth:`from_dict` reads it back."""
        return {
            "grading": self.grading,
            "matrix": self.matrix,
            "row": self.row,
            "column": self.column,
            "matrix_level": self.matrix_level,
            "level": self.level,
            "label": self.label,
            "steps": [step.to_dict() for step in self.steps],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> GradingDecision:
        """Read a decision back from :meth:`to_dict` data (else ``DeserializationError``)."""
        ints = ("row", "column", "matrix_level", "level")
        fields = _read_record(data, ("grading", "matrix", "label"), ints, "grading decision")
        return cls(**fields)  # type: ignore[arg-type]


def _read_record(
    data: object, texts: tuple[str, ...], ints: tuple[str, ...], subject: str
) -> dict[str, object]:
    problems: list[Problem] = []
    mapping = as_mapping(data, "", problems)
    if mapping is None:
        raise DeserializationError(subject, problems)
    check_keys(mapping, "", (*texts, *ints, "steps"), (), problems)
    fields: dict[str, object] = {key: read_str(mapping, key, "", problems) for key in texts}
    for key in ints:
        value = mapping.get(key)
        if key in mapping and not (is_int(value) and value >= 1):
            problems.append(Problem(key, f"expected a level >= 1, got {shown(value)}"))
        fields[key] = value
    items = as_list(mapping["steps"], "steps", problems) if "steps" in mapping else []
    fields["steps"] = [
        read_step(item, join("steps", i), problems) for i, item in enumerate(items or [])
    ]
    if problems:
        raise DeserializationError(subject, problems)
    return fields
