"""Argument checks every store applies the same way (the in-memory ones and the adapters)."""

from __future__ import annotations

from itsm_core.errors import Problem, ValidationError


def _count(value: object, name: str, minimum: int, problems: list[Problem]) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        problems.append(Problem(name, f"must be an integer >= {minimum}, got {value!r}"))


def _name(value: object, name: str, problems: list[Problem]) -> None:
    if not isinstance(value, str) or not value.strip():
        problems.append(Problem(name, f"must be a non-empty string, got {value!r}"))


def check_append(stream: object, expected_version: object) -> None:
    """The arguments of ``EventStore.append``; ValidationError lists every problem.

    >>> check_append("", -1)
    Traceback (most recent call last):
    ...
    itsm_core.errors.ValidationError: invalid value for append: 2 problems
      - stream: must be a non-empty string, got ''
      - expected_version: must be an integer >= 0, got -1
    """
    problems: list[Problem] = []
    _name(stream, "stream", problems)
    _count(expected_version, "expected_version", 0, problems)
    if problems:
        raise ValidationError("append", problems)


def check_read(stream: object | None = None, after: object = 0, limit: object = None) -> None:
    """The arguments of ``read`` / ``read_all``; ValidationError lists every problem."""
    problems: list[Problem] = []
    if stream is not None:
        _name(stream, "stream", problems)
    _count(after, "after", 0, problems)
    if limit is not None:
        _count(limit, "limit", 1, problems)
    if problems:
        raise ValidationError("read", problems)


def check_save(key: object, expected_version: object) -> None:
    """The arguments of ``Repository.save``; ValidationError lists every problem."""
    problems: list[Problem] = []
    _name(key, "key", problems)
    _count(expected_version, "expected_version", 0, problems)
    if problems:
        raise ValidationError("save", problems)


def check_key(key: object) -> None:
    """A repository key: a non-empty string."""
    problems: list[Problem] = []
    _name(key, "key", problems)
    if problems:
        raise ValidationError("key", problems)
