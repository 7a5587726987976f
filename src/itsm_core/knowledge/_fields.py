"""What the knowledge values check of their fields (texts, numbers, tags), and the reader of
their small settings (:class:`Bm25`, :class:`GapPolicy`) from plain data.

Each ``*_problems`` function returns the problems it finds (an empty list when there are
none), so a value reports every problem at once in one
:class:`~itsm_core.errors.ValidationError`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from itsm_core._checks import frozen_set, is_int, type_name
from itsm_core._plain import shown
from itsm_core.errors import DeserializationError, Problem, ValidationError

_T = TypeVar("_T")


def positive_int_problems(value: object, where: str) -> list[Problem]:
    """A problem when ``value`` is not a positive int (bools are not ints here)."""
    if not is_int(value) or value < 1:
        return [Problem(where, f"must be a positive int, got {shown(value)}")]
    return []


def text_problems(value: object, where: str) -> list[Problem]:
    """A problem when ``value`` is not a non-empty, non-blank string."""
    if not isinstance(value, str) or not value.strip():
        return [Problem(where, f"must be a non-empty string, got {shown(value)}")]
    return []


def tag_problems(tags: Iterable[object], where: str) -> list[Problem]:
    """Problems with tags: each a non-empty string without surrounding whitespace."""
    return [
        Problem(where, f"tag {shown(tag)} must be a non-empty string without surrounding spaces")
        for tag in sorted(tags, key=shown)
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


def settings_from_dict(
    build: Callable[..., _T], data: object, names: Iterable[str], subject: str
) -> _T:
    """``build(**data)`` for settings written as a flat mapping of ``names``: missing keys take
    their defaults; anything else (not a mapping, unknown or non-string keys, invalid values)
    is reported at once in one :class:`~itsm_core.errors.DeserializationError`.

    >>> settings_from_dict(dict, {"k1": 2, 7: 1, "x": 0}, ("k1",), "Bm25")
    Traceback (most recent call last):
    ...
    itsm_core.errors.DeserializationError: invalid data for Bm25: 2 problems
      - 7: unknown key
      - x: unknown key
    """
    if not isinstance(data, Mapping):
        raise DeserializationError(
            subject, [Problem("", f"expected a mapping, got {type_name(data)}")]
        )
    known = tuple(names)
    unknown = (key if isinstance(key, str) else shown(key) for key in data if key not in known)
    problems = [Problem(path, "unknown key") for path in sorted(unknown)]
    values: dict[str, Any] = {key: data[key] for key in known if key in data}
    try:
        built = build(**values)
    except ValidationError as error:
        problems.extend(error.problems)
    if problems:
        raise DeserializationError(subject, problems)
    return built
