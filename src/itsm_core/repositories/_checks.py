"""Argument checks every store applies the same way (the in-memory ones and the adapters).

Text that is not Unicode (a lone surrogate, such as ``"\\ud800"``) is refused by every store
alike, in stream names, keys and every string inside a stored value, with a
:class:`~itsm_core.errors.ValidationError` naming where: a database or a file cannot hold it
as UTF-8, so an in-memory store that kept it would accept what a durable one must refuse.
"""

from __future__ import annotations

from collections.abc import Sequence

from itsm_core._checks import unstorable_problems
from itsm_core._plain import integer, text
from itsm_core.errors import Problem, ValidationError

#: Versions, positions and limits fit a 64-bit signed integer (SQLite's INTEGER and most
#: databases'); a larger one is refused by every store alike.
_LARGEST = 2**63 - 1


def _count(value: object, name: str, minimum: int, problems: list[Problem]) -> None:
    integer(value, name, problems, minimum=minimum, maximum=_LARGEST)


def _name(value: object, name: str, problems: list[Problem]) -> None:
    if text(value, name, problems) is not None:
        problems.extend(unstorable_problems(value, name))


def check_append(stream: object, expected_version: object, events: Sequence[object] = ()) -> None:
    """The arguments of ``EventStore.append``; ValidationError lists every problem, text
    that is not Unicode in the events included (``events[1].reason``).

    >>> check_append("", -1)
    Traceback (most recent call last):
    ...
    itsm_core.errors.ValidationError: invalid value for append: 2 problems
      - stream: expected a non-blank string, got ''
      - expected_version: expected an integer from 0 to 9223372036854775807, got -1
    """
    problems: list[Problem] = []
    _name(stream, "stream", problems)
    _count(expected_version, "expected_version", 0, problems)
    problems.extend(unstorable_problems(list(events), "events"))
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


def check_save(key: object, expected_version: object, value: object = None) -> None:
    """The arguments of ``Repository.save``; ValidationError lists every problem, text that
    is not Unicode in the value included (``value.comments[0].text``)."""
    problems: list[Problem] = []
    _name(key, "key", problems)
    _count(expected_version, "expected_version", 0, problems)
    problems.extend(unstorable_problems(value, "value"))
    if problems:
        raise ValidationError("save", problems)


def check_key(key: object) -> None:
    """A repository key: a non-empty string."""
    problems: list[Problem] = []
    _name(key, "key", problems)
    if problems:
        raise ValidationError("key", problems)
