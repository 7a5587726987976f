"""Customer value segments: the handbook's high, mid and low value (高价值、中价值和低价值), as a
vocabulary a desk may replace."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import attrs

from itsm_core._plain import is_text, shown, tuple_or_given
from itsm_core.errors import InvalidPolicy, Problem
from itsm_core.i18n import N_, Messages

#: The labels of the default segments, as the catalogue translates them.
_LABELS: Mapping[str, str] = {
    "high": N_("High value"),
    "mid": N_("Mid value"),
    "low": N_("Low value"),
}


def _names_problems(names: object) -> list[Problem]:
    if not isinstance(names, tuple) or not names:
        return [Problem("names", f"expected a non-empty list of names, got {shown(names)}")]
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, name in enumerate(names):
        if not is_text(name) or name != name.strip():
            problems.append(Problem(f"names[{i}]", f"expected a segment name, got {shown(name)}"))
        elif name in seen:
            problems.append(Problem(f"names[{i}]", f"{shown(name)} is listed twice"))
        else:
            seen.add(name)
    return problems


@attrs.frozen
class SegmentVocabulary:
    """The value segments customers are placed in, most valuable first.

    :data:`DEFAULT_SEGMENTS` is the handbook's ``high``, ``mid`` and ``low`` value; a desk with
    other segments (``strategic``, ``key``...) gives its own names. A customer's segment must be
    one of them (:class:`~itsm_core.customers.CustomerDirectory` checks it). The default names
    have labels in every language (:meth:`label`); other names are shown as given.

    >>> DEFAULT_SEGMENTS.names, "high" in DEFAULT_SEGMENTS
    (('high', 'mid', 'low'), True)
    >>> SegmentVocabulary(["gold", "gold"])
    Traceback (most recent call last):
    ...
    itsm_core.errors.InvalidPolicy: invalid policy value segments: 1 problem
      - names[1]: 'gold' is listed twice
    """

    names: tuple[str, ...] = attrs.field(converter=tuple_or_given)

    def __attrs_post_init__(self) -> None:
        problems = _names_problems(self.names)
        if problems:
            raise InvalidPolicy("value segments", problems)

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)

    def problem(self, name: object, path: str) -> Problem | None:
        """The problem of ``name`` at ``path`` (not a segment, listing the known ones), or None."""
        if name in self.names:
            return None
        known = ", ".join(self.names)
        return Problem(path, f"unknown value segment {shown(name)} (known: {known})")

    def label(self, name: str, messages: Messages) -> str:
        """How ``name`` is shown in ``messages``' language (高价值 for ``high`` in Chinese).

        >>> DEFAULT_SEGMENTS.label("high", Messages.load("zh-CN", "customers"))
        '高价值'
        """
        return messages.text(_LABELS.get(name, name))

    def to_dict(self) -> dict[str, object]:
        """Plain, JSON-safe data; :meth:`from_dict` reads it back."""
        return {"names": list(self.names)}

    @classmethod
    def from_dict(cls, data: object) -> SegmentVocabulary:
        """A vocabulary from ``{"names": [...]}``; :class:`~itsm_core.errors.InvalidPolicy`
        lists every problem with its path."""
        if not isinstance(data, Mapping) or set(data) != {"names"}:
            problem = Problem("", f"expected a mapping with the key names, got {shown(data)}")
            raise InvalidPolicy("value segments", [problem])
        return cls(data["names"])


DEFAULT_SEGMENTS = SegmentVocabulary(("high", "mid", "low"))
"""The handbook's value segments: high, mid and low value (高价值、中价值和低价值)."""
