"""Helpers that read plain (JSON-safe) data and collect every problem with its path."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TypeGuard

from itsm_core.errors import Problem


def join(path: str, key: str | int) -> str:
    """The path of ``key`` inside ``path``: ``a.b`` for a name, ``a[0]`` for an index."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def is_int(value: object) -> TypeGuard[int]:
    """True for an ``int`` that is not a ``bool`` (``True`` is not a level)."""
    return isinstance(value, int) and not isinstance(value, bool)


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


def read_str(
    data: Mapping[str, object], key: str, path: str, problems: list[Problem]
) -> str | None:
    """A non-blank string under ``key`` (None and a problem when absent or of another type)."""
    if key not in data:
        return None
    value = data[key]
    if isinstance(value, str) and value.strip():
        return value
    problems.append(Problem(join(path, key), f"expected a non-blank string, got {value!r}"))
    return None


def read_int(
    data: Mapping[str, object],
    key: str,
    path: str,
    problems: list[Problem],
    *,
    minimum: int,
) -> int | None:
    """An int ``>= minimum`` under ``key`` (None and a problem when absent or invalid)."""
    if key not in data:
        return None
    value = data[key]
    if is_int(value) and value >= minimum:
        return value
    problems.append(Problem(join(path, key), f"expected an integer >= {minimum}, got {value!r}"))
    return None


def is_text(value: object) -> bool:
    """True for a string that is not blank."""
    return isinstance(value, str) and bool(value.strip())


def blank_problem(value: object, path: str) -> Problem | None:
    """A problem when ``value`` is not a non-blank string, else None."""
    if is_text(value):
        return None
    return Problem(path, f"expected a non-blank string, got {value!r}")


def type_problem(value: object, expected: type, path: str, what: str) -> Problem | None:
    """A problem when ``value`` is not an instance of ``expected`` (``what`` names it)."""
    if isinstance(value, expected):
        return None
    return Problem(path, f"expected {what}, got {value!r}")
