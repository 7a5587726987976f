"""Small checks every package shares: aware datetimes, true integers, frozen collections.

One home for what would otherwise be copied into each package (DESIGN.md, "one home per
concept"). Private: the packages use these, users never import them.
"""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Iterable, Mapping
from typing import Any, TypeGuard, TypeVar

from itsm_core.errors import NaiveDatetimeError

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


def shown(value: object) -> str:
    """``repr(value)`` for a message, or a short stand-in when Python cannot make it (an int
    of thousands of digits, a structure nested too deep): an error message never fails.

    >>> shown("vpn"), shown([1, 2]), shown(10**5000)
    ("'vpn'", '[1, 2]', '<int too large to show>')
    """
    try:
        return repr(value)
    except (ValueError, RecursionError):
        return f"<{type_name(value)} too large to show>"
