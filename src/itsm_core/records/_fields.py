"""Small readers for policy data: each records a Problem with its path instead of raising."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from itsm_core.errors import Problem


def mapping(data: object, path: str, problems: list[Problem]) -> Mapping[str, Any] | None:
    """``data`` when it is a mapping with string keys, else None and a problem."""
    if not isinstance(data, Mapping):
        problems.append(Problem(path, f"expected a mapping, got {type(data).__name__}"))
        return None
    bad = [key for key in data if not isinstance(key, str)]
    if bad:
        problems.append(Problem(path, f"keys must be strings, got {bad[0]!r}"))
        return None
    return data


def known_keys(
    data: Mapping[str, Any], allowed: set[str], path: str, problems: list[Problem]
) -> None:
    """A problem for each key of ``data`` not in ``allowed``."""
    problems.extend(
        Problem(join(path, key), f"unknown key (expected one of {', '.join(sorted(allowed))})")
        for key in sorted(set(data) - allowed)
    )


def join(path: str, key: str) -> str:
    """``path.key`` (or ``key`` at the top)."""
    return f"{path}.{key}" if path else key


def text(value: object, path: str, problems: list[Problem]) -> str | None:
    """A non-blank string, else None and a problem."""
    if isinstance(value, str) and value.strip():
        return value
    problems.append(Problem(path, f"expected a non-empty string, got {value!r}"))
    return None


def strings(value: object, path: str, problems: list[Problem]) -> list[str]:
    """A list of non-blank strings; each bad item is a problem."""
    if not isinstance(value, list | tuple):
        problems.append(Problem(path, f"expected a list of strings, got {value!r}"))
        return []
    out = []
    for index, item in enumerate(value):
        checked = text(item, f"{path}[{index}]", problems)
        if checked is not None:
            out.append(checked)
    return out


def nonblank(value: object) -> bool:
    """True for a string that is not blank."""
    return isinstance(value, str) and bool(value.strip())


def is_int(value: object) -> bool:
    """True for an int that is not a bool."""
    return isinstance(value, int) and not isinstance(value, bool)


def string_set(
    values: Iterable[str],
    error: Callable[[str, list[Problem]], Exception],
    subject: str,
    path: str,
) -> frozenset[str]:
    """``values`` as a frozenset, refusing a bare string (never split into letters)."""
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise error(subject, [Problem(path, f"expected a set of strings, got {values!r}")])
    return frozenset(values)
