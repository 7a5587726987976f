"""Argument checks every store applies the same way (the in-memory ones and the adapters)."""

from __future__ import annotations

from itsm_core._plain import integer, text
from itsm_core.errors import Problem, ValidationError


def check_append(stream: object, expected_version: object) -> None:
    """The arguments of ``EventStore.append``; ValidationError lists every problem.

    >>> check_append("", -1)
    Traceback (most recent call last):
    ...
    itsm_core.errors.ValidationError: invalid value for append: 2 problems
      - stream: expected a non-blank string, got ''
      - expected_version: expected an integer >= 0, got -1
    """
    problems: list[Problem] = []
    text(stream, "stream", problems)
    integer(expected_version, "expected_version", problems, minimum=0)
    if problems:
        raise ValidationError("append", problems)


def check_read(stream: object | None = None, after: object = 0, limit: object = None) -> None:
    """The arguments of ``read`` / ``read_all``; ValidationError lists every problem."""
    problems: list[Problem] = []
    if stream is not None:
        text(stream, "stream", problems)
    integer(after, "after", problems, minimum=0)
    if limit is not None:
        integer(limit, "limit", problems, minimum=1)
    if problems:
        raise ValidationError("read", problems)


def check_save(key: object, expected_version: object) -> None:
    """The arguments of ``Repository.save``; ValidationError lists every problem."""
    problems: list[Problem] = []
    text(key, "key", problems)
    integer(expected_version, "expected_version", problems, minimum=0)
    if problems:
        raise ValidationError("save", problems)


def check_key(key: object) -> None:
    """A repository key: a non-empty string."""
    problems: list[Problem] = []
    text(key, "key", problems)
    if problems:
        raise ValidationError("key", problems)
