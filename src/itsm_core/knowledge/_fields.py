"""What the knowledge values check of their fields: texts, positive ints, tags.

Each ``*_problems`` function returns the problems it finds (an empty list when there are
none), so a value reports every problem at once in one
:class:`~itsm_core.errors.ValidationError`.
"""

from __future__ import annotations

from collections.abc import Iterable

from itsm_core._checks import frozen_set, is_int
from itsm_core.errors import Problem, ValidationError


def positive_int_problems(value: object, where: str) -> list[Problem]:
    """A problem when ``value`` is not a positive int (bools are not ints here)."""
    if not is_int(value) or value < 1:
        return [Problem(where, f"must be a positive int, got {value!r}")]
    return []


def text_problems(value: object, where: str) -> list[Problem]:
    """A problem when ``value`` is not a non-empty, non-blank string."""
    if not isinstance(value, str) or not value.strip():
        return [Problem(where, f"must be a non-empty string, got {value!r}")]
    return []


def tag_problems(tags: Iterable[object], where: str) -> list[Problem]:
    """Problems with tags: each a non-empty string without surrounding whitespace."""
    return [
        Problem(where, f"tag {tag!r} must be a non-empty string without surrounding spaces")
        for tag in sorted(tags, key=repr)
        if not isinstance(tag, str) or not tag or tag != tag.strip()
    ]


def tag_set(values: Iterable[str]) -> frozenset[str]:
    """An attrs converter for tags: a collection as a frozenset; a lone string is refused
    (it would become a set of its characters).

    >>> sorted(tag_set(["vpn", "网络"]))
    ['vpn', '网络']
    >>> tag_set("vpn")
    Traceback (most recent call last):
    ...
    itsm_core.errors.ValidationError: invalid value for tags: 1 problem
      - tags: expected a collection, got 'vpn'
    """
    if isinstance(values, str):
        raise ValidationError("tags", [Problem("tags", f"expected a collection, got {values!r}")])
    return frozen_set(values)


def optional_tag_set(values: Iterable[str] | None) -> frozenset[str] | None:
    """:func:`tag_set`, with None kept (a field that is not changed)."""
    return None if values is None else tag_set(values)
