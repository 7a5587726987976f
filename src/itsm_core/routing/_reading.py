"""Helpers that read plain (JSON-safe) data and collect every problem with its path."""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Callable, Collection, Mapping
from typing import TypeGuard, TypeVar

from itsm_core.errors import Problem

_E = TypeVar("_E", bound=enum.Enum)


def join(path: str, key: str | int) -> str:
    """The path of ``key`` inside ``path``: ``a.b`` for a name, ``a[0]`` for an index."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def is_int(value: object) -> TypeGuard[int]:
    """True for an ``int`` that is not a ``bool``."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_text(value: object) -> TypeGuard[str]:
    """True for a string that is not blank."""
    return isinstance(value, str) and bool(value.strip())


def as_mapping(value: object, path: str, problems: list[Problem]) -> Mapping[str, object] | None:
    """``value`` if it is a mapping with string keys, else record a problem and return None."""
    if isinstance(value, Mapping) and all(isinstance(key, str) for key in value):
        return value
    problems.append(Problem(path, f"expected a mapping with string keys, got {value!r}"))
    return None


def as_list(value: object, path: str, problems: list[Problem]) -> list[object] | None:
    """``value`` as a list if it is a list or tuple, else record a problem and return None."""
    if isinstance(value, list | tuple):
        return list(value)
    problems.append(Problem(path, f"expected a list, got {value!r}"))
    return None


def check_keys(
    data: Mapping[str, object],
    path: str,
    required: Collection[str],
    optional: Collection[str],
    problems: list[Problem],
) -> None:
    """Record every missing required key and every key that is not expected."""
    problems.extend(Problem(join(path, key), "missing") for key in required if key not in data)
    problems.extend(
        Problem(join(path, key), "unexpected key")
        for key in data
        if key not in required and key not in optional
    )


def read_enum(value: object, kind: type[_E], path: str, problems: list[Problem]) -> _E | None:
    """The member of ``kind`` whose value is ``value`` (None and a problem when there is none)."""
    for member in kind:
        if member.value == value:
            return member
    names = ", ".join(repr(member.value) for member in kind)
    problems.append(Problem(path, f"expected one of {names}, got {value!r}"))
    return None


def read_texts(value: object, path: str, problems: list[Problem]) -> frozenset[str] | None:
    """A set of non-blank strings from a list (None and a problem when malformed)."""
    items = as_list(value, path, problems)
    if items is None:
        return None
    bad = [i for i, item in enumerate(items) if not is_text(item)]
    problems.extend(
        Problem(join(path, i), f"expected a non-blank string, got {items[i]!r}") for i in bad
    )
    return None if bad else frozenset(str(item) for item in items)


def read_levels(value: object, path: str, problems: list[Problem]) -> dict[str, int] | None:
    """A mapping of names to integer levels ``>= 1`` (None and problems when malformed)."""
    data = as_mapping(value, path, problems)
    if data is None:
        return None
    before = len(problems)
    for key, level in data.items():
        if not is_text(key):
            problems.append(Problem(join(path, key), "expected a non-blank name"))
        if not (is_int(level) and level >= 1):
            problems.append(Problem(join(path, key), f"expected an integer >= 1, got {level!r}"))
    if len(problems) > before:
        return None
    return {key: level for key, level in data.items() if is_int(level)}


_T = TypeVar("_T")


def build(factory: Callable[[], _T], path: str, problems: list[Problem]) -> _T | None:
    """Call ``factory``; when it raises ``InvalidRouting``, record its problems under ``path``."""
    from itsm_core.errors import InvalidRouting

    try:
        return factory()
    except InvalidRouting as error:
        problems.extend(
            Problem(join(path, p.path) if p.path else path, p.message) for p in error.problems
        )
        return None


def is_a(value: object, kind: type | tuple[type, ...]) -> bool:
    """``isinstance`` for values typed more narrowly than they may be at run time (no
    narrowing, so the checks of invalid input stay reachable for the type checker)."""
    return isinstance(value, kind)


def is_number(value: object) -> bool:
    """True for a finite int or float that is not a bool."""
    return is_a(value, (int, float)) and not is_a(value, bool) and math.isfinite(value)  # type: ignore[arg-type]


def is_duration(value: object, *, positive: bool) -> bool:
    """True for a timedelta that is positive (``positive``) or at least zero."""
    if not isinstance(value, dt.timedelta):
        return False
    return value > dt.timedelta(0) if positive else value >= dt.timedelta(0)
