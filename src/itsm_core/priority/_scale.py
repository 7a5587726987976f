"""An ordered, labelled scale of levels: level 1 is the most severe or urgent."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from itsm_core._checks import is_int
from itsm_core._plain import as_list, as_mapping, check_keys, is_text, join, read_str, shown, under
from itsm_core.errors import InvalidPriorityMatrix, Problem, ValidationError


def _as_tuple(value: Sequence[str]) -> tuple[str, ...]:
    # A string is a sequence too, but never a list of labels: leave it for validation to refuse.
    if isinstance(value, list | tuple):
        return tuple(value)
    return value  # type: ignore[return-value]


@attrs.frozen
class PriorityScale:
    """The levels of one graded quantity (impact, urgency, priority, response level...).

    Levels are the integers ``1..len(labels)``; level 1 is the most severe, urgent or important,
    as ServiceNow and ITIL number them. ``labels[k - 1]`` names level ``k``.

    >>> urgency = PriorityScale("urgency", ["High", "Medium", "Low"])
    >>> urgency.describe(2), 3 in urgency, 4 in urgency
    ('2 (Medium)', True, False)
    """

    name: str
    labels: tuple[str, ...] = attrs.field(converter=_as_tuple)

    def __attrs_post_init__(self) -> None:
        problems = scale_problems(self.name, self.labels)
        if problems:
            raise InvalidPriorityMatrix(f"scale {shown(self.name)}", problems)

    @property
    def size(self) -> int:
        """The number of levels."""
        return len(self.labels)

    @property
    def levels(self) -> range:
        """The levels, most severe first: ``range(1, size + 1)``."""
        return range(1, self.size + 1)

    def __contains__(self, level: object) -> bool:
        return is_int(level) and 1 <= level <= self.size

    def label(self, level: int) -> str:
        """The label of ``level``; a level off the scale is a ``ValidationError``."""
        self.check(level, self.name)
        return self.labels[level - 1]

    def describe(self, level: int) -> str:
        """``level`` with its label, e.g. ``'2 (Medium)'``."""
        return f"{level} ({self.label(level)})"

    def problem(self, level: object, path: str) -> Problem | None:
        """A problem when ``level`` is not on this scale, else None."""
        if level in self:
            return None
        return Problem(
            path,
            f"{shown(level)} is not a {self.name} level (levels 1..{self.size}, 1 the highest)",
        )

    def check(self, level: object, path: str) -> None:
        """Raise ``ValidationError`` when ``level`` is not on this scale."""
        problem = self.problem(level, path)
        if problem is not None:
            raise ValidationError(self.name, [problem])

    def to_dict(self) -> dict[str, object]:
        """Plain, JSON-safe data; :meth:`from_dict` reads it back."""
        return {"name": self.name, "labels": list(self.labels)}

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> PriorityScale:
        """Build a scale from plain data, reporting every problem as ``InvalidPriorityMatrix``."""
        problems: list[Problem] = []
        scale = read_scale(data, "", problems)
        if scale is None:
            raise InvalidPriorityMatrix("scale", problems)
        return scale


def scale_problems(name: object, labels: object) -> list[Problem]:
    """Every problem of a scale definition (used by the class and by readers)."""
    problems: list[Problem] = []
    if not (isinstance(name, str) and name.strip()):
        problems.append(Problem("name", f"expected a non-blank string, got {shown(name)}"))
    if not isinstance(labels, tuple | list):
        problems.append(Problem("labels", f"expected a list of labels, got {shown(labels)}"))
        return problems
    if not labels:
        problems.append(Problem("labels", "a scale needs at least one level"))
    seen: dict[str, int] = {}
    for index, label in enumerate(labels):
        if not is_text(label):
            problems.append(
                Problem(join("labels", index), f"expected a non-blank label, got {shown(label)}")
            )
        elif label in seen:
            problems.append(
                Problem(join("labels", index), f"label {shown(label)} repeats level {seen[label]}")
            )
        else:
            seen[label] = index + 1
    return problems


def read_scale(value: object, path: str, problems: list[Problem]) -> PriorityScale | None:
    """Read a scale from plain data at ``path``; record problems and return None when invalid."""
    data = as_mapping(value, path, problems)
    if data is None:
        return None
    before = len(problems)
    check_keys(data, path, ("name", "labels"), (), problems)
    name = read_str(data, "name", path, problems)
    labels = as_list(data["labels"], join(path, "labels"), problems) if "labels" in data else None
    if name is None or labels is None or len(problems) > before:
        return None
    found = scale_problems(name, labels)
    if found:
        problems.extend(under(path, found))
        return None
    return PriorityScale(name, [str(label) for label in labels])
