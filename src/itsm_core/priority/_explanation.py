"""One step of an explanation: which rule, matrix cell or modifier acted, and why."""

from __future__ import annotations

import enum
from collections.abc import Mapping

import attrs

from itsm_core._checks import is_int
from itsm_core._plain import as_mapping, check_keys, join, read_enum, read_str, shown
from itsm_core.errors import DeserializationError, Problem


class StepKind(enum.StrEnum):
    """What acted in a step of a decision."""

    GIVEN = "given"
    """A level supplied by the caller (impact or urgency already known)."""
    RULE = "rule"
    """An intake rule fired and set impact or urgency."""
    MATRIX = "matrix"
    """A matrix cell gave the priority or response level."""
    TIER = "tier"
    """The customer tier raised the result by some levels (never above level 1)."""
    MAJOR_INCIDENT = "major-incident"
    """A major incident forced priority 1."""
    OVERRIDE = "override"
    """A person overrode the result, with a reason."""


_FIELDS = ("kind", "source", "target", "value", "label", "reason")


@attrs.frozen(kw_only=True)
class ExplanationStep:
    """One step of a decision, in the order it was taken.

    ``target`` is the quantity the step set (``"impact"``, ``"priority"``...) and ``value`` /
    ``label`` what it set it to; ``source`` names the rule, cell or modifier and ``reason`` says
    why it acted. ``str(step)`` is the plain-text line an auditor reads.

    >>> step = ExplanationStep(kind=StepKind.TIER, source="tier 'vip'", target="priority",
    ...                        value=1, label="Critical", reason="raises by 1 level from 2")
    >>> print(step)
    tier: tier 'vip' -> priority 1 (Critical): raises by 1 level from 2
    """

    kind: StepKind
    source: str
    target: str
    value: int
    label: str
    reason: str

    def __str__(self) -> str:
        return (
            f"{self.kind}: {self.source} -> {self.target} {self.value} ({self.label}): "
            f"{self.reason}"
        )

    def to_dict(self) -> dict[str, object]:
        """Plain, JSON-safe data; :meth:`from_dict` reads it back."""
        return {
            "kind": self.kind.value,
            "source": self.source,
            "target": self.target,
            "value": self.value,
            "label": self.label,
            "reason": self.reason,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> ExplanationStep:
        """Read a step back from :meth:`to_dict` data (``DeserializationError`` if malformed)."""
        problems: list[Problem] = []
        step = read_step(data, "", problems)
        if step is None:
            raise DeserializationError("explanation step", problems)
        return step


def read_step(value: object, path: str, problems: list[Problem]) -> ExplanationStep | None:
    """Read one step at ``path``; record problems and return None when invalid."""
    data = as_mapping(value, path, problems)
    if data is None:
        return None
    before = len(problems)
    check_keys(data, path, _FIELDS, (), problems)
    kind = (
        read_enum(data["kind"], StepKind, join(path, "kind"), problems) if "kind" in data else None
    )
    texts = {key: read_str(data, key, path, problems) for key in _FIELDS if key != "value"}
    number = data.get("value")
    if "value" in data and not is_int(number):
        problems.append(
            Problem(
                f"{path}.value" if path else "value", f"expected an integer, got {shown(number)}"
            )
        )
    if len(problems) > before or kind is None or not is_int(number):
        return None
    return ExplanationStep(
        kind=kind,
        source=str(texts["source"]),
        target=str(texts["target"]),
        value=number,
        label=str(texts["label"]),
        reason=str(texts["reason"]),
    )
