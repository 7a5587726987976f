"""Small checks every package shares: aware datetimes, true integers, frozen collections.

One home for what would otherwise be copied into each package (DESIGN.md, "one home per
concept"). Private: the packages use these, users never import them.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import types
from collections.abc import Iterable, Mapping
from typing import Any, TypeGuard, TypeVar, cast

import attrs

from itsm_core.errors import NaiveDatetimeError, Problem

_T = TypeVar("_T")


def is_aware(value: dt.datetime) -> bool:
    """True when ``value`` carries a time zone that gives it an offset.

    >>> is_aware(dt.datetime(2026, 1, 5, tzinfo=dt.UTC)), is_aware(dt.datetime(2026, 1, 5))
    (True, False)
    """
    return value.tzinfo is not None and value.utcoffset() is not None


def check_aware(value: dt.datetime, where: str) -> dt.datetime:
    """``value`` when it is aware, else :class:`~itsm_core.errors.NaiveDatetimeError` naming
    ``where`` (a field path such as ``"Ticket.opened_at"`` or ``"decide.now"``).

    >>> check_aware(dt.datetime(2026, 1, 5), "Ticket.opened_at")
    Traceback (most recent call last):
    ...
    itsm_core.errors.NaiveDatetimeError: invalid value for Ticket.opened_at: 1 problem
      - Ticket.opened_at: naive datetime 2026-01-05T00:00:00 (a time zone is required)
    """
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(where, value)
    return value


def check_aware_fields(instance: object, *names: str) -> None:
    """:func:`check_aware` on each named attribute of ``instance`` that is not None, with the
    path ``ClassName.field``."""
    for name in names:
        value = getattr(instance, name)
        if value is not None:
            check_aware(value, f"{type(instance).__name__}.{name}")


def is_int(value: object) -> TypeGuard[int]:
    """True for an ``int`` that is not a ``bool`` (``True`` is not a count or a level).

    >>> is_int(3), is_int(True), is_int(3.0)
    (True, False, False)
    """
    return isinstance(value, int) and not isinstance(value, bool)


def frozen_set(values: Iterable[_T]) -> frozenset[_T]:
    """An attrs converter: any iterable as a frozenset (a set field compares by content)."""
    return frozenset(values)


def frozen_mapping(value: Mapping[str, _T]) -> Mapping[str, _T]:
    """An attrs converter: a read-only copy of a mapping (a frozen value stays frozen)."""
    if isinstance(value, types.MappingProxyType):
        return value
    return types.MappingProxyType(dict(value))


def type_name(value: Any) -> str:
    """The name of ``value``'s type, for messages ("expected a mapping, got list")."""
    return type(value).__name__


def text_problems(value: object, path: str) -> list[Problem]:
    """A :class:`~itsm_core.errors.Problem` for each string inside ``value`` (mapping keys,
    list items and attrs fields included) that is not Unicode text: one holding a lone
    surrogate, which no UTF-8 file, database or JSON document can hold.

    Stores and the audit seal refuse such text the same way, naming the field, instead of
    failing with ``UnicodeEncodeError`` in one place and accepting it in another.

    >>> [str(p) for p in text_problems({"note": "ok", "tags": ["a\\ud800"]}, "payload")]
    ["payload.tags[0]: lone surrogate '\\\\ud800' at index 1 (not Unicode text, not storable)"]
    """
    problems: list[Problem] = []
    todo: list[tuple[object, str]] = [(value, path)]
    seen: set[int] = set()
    while todo:  # a loop, not recursion: deeply nested data is walked without RecursionError
        item, where = todo.pop()
        if not isinstance(item, str):
            if id(item) in seen:  # shared, or a cycle
                continue
            seen.add(id(item))
        if isinstance(item, str):
            problem = _lone_surrogate(item, where)
            if problem is not None:
                problems.append(problem)
        elif isinstance(item, Mapping):
            for key, inner in item.items():
                label = key if isinstance(key, str) else f"<{type(key).__name__} key>"
                inside = f"{where}.{label}" if where else label
                if isinstance(key, str) and _lone_surrogate(key, where) is not None:
                    problems.append(Problem(where, f"key {key!r}: not Unicode text"))
                    inside = where
                todo.append((inner, inside))
        elif isinstance(item, list | tuple | set | frozenset):
            todo.extend((inner, f"{where}[{index}]") for index, inner in enumerate(item))
        elif attrs.has(type(item)):
            todo.extend(
                (getattr(item, field.name), f"{where}.{field.name}" if where else field.name)
                for field in attrs.fields(cast(Any, type(item)))
            )
    return sorted(problems, key=lambda problem: problem.path)


def _lone_surrogate(text: str, where: str) -> Problem | None:
    if text.isascii():
        return None
    for index, char in enumerate(text):
        if "\ud800" <= char <= "\udfff":
            return Problem(
                where,
                f"lone surrogate {char!r} at index {index} (not Unicode text, not storable)",
            )
    return None


_LONGEST_SHOWN = 80
_MOST_BITS_SHOWN = 200  # about 60 digits


def shown(value: object) -> str:
    """``value`` as an error message shows it: the repr of a short scalar, the type of
    anything else.

    Never raises and never floods a message: a long text is cut, an integer of thousands of
    digits (whose repr Python refuses) is described, a container is named by its type (its
    repr could be huge, or nested too deep to make).

    >>> shown("phone"), shown(0), shown(None), shown([1, 2]), shown(-(10**5000))
    ("'phone'", '0', 'None', 'list', 'an integer of about 5001 digits')
    >>> shown("x" * 100)[-6:], len(shown("x" * 100))
    ('xxx...', 80)
    """
    if isinstance(value, int) and not isinstance(value, bool):
        if value.bit_length() > _MOST_BITS_SHOWN:
            return f"an integer of about {int(value.bit_length() * math.log10(2)) + 1} digits"
        return repr(value)
    if value is None or isinstance(value, bool | float | str | bytes | enum.Enum):
        text = repr(value)
        return text if len(text) <= _LONGEST_SHOWN else text[: _LONGEST_SHOWN - 3] + "..."
    return type(value).__name__
