"""Checking a value against a declared field type, for commands and event payloads alike.

A wrong type is refused with a message naming what was expected, never converted: ``"email"``
is not a :class:`Channel`, ``True`` is not an int, ``"ab"`` is not a list of lines.
"""

from __future__ import annotations

import enum
import types
import typing
from typing import Any

from itsm_core._plain import shown
from itsm_core.errors import Problem


def plain_classes(hint: Any) -> tuple[type, ...] | None:
    """The runtime classes a value of type ``hint`` may be (``str | None`` gives
    ``(str, NoneType)``); None for a generic type such as ``tuple[str, ...]``."""
    options = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
    if all(isinstance(option, type) for option in options):
        return tuple(options)
    return None


def type_problem(path: str, value: object, expected: tuple[type, ...]) -> Problem | None:
    """A problem unless ``value`` is an instance of one of ``expected`` (a bool is no int).

    >>> from itsm_core.tickets import Channel
    >>> type_problem("channel", "email", (Channel, type(None))).message
    "'email' is not a Channel ('phone', 'email', 'web', 'chat', 'on_site', 'mobile') or None"
    """
    if isinstance(value, expected) and not (isinstance(value, bool) and bool not in expected):
        return None
    return Problem(path, f"{shown(value)} is not {' or '.join(_type_name(t) for t in expected)}")


def strings_problem(path: str, values: object) -> Problem | None:
    """A problem unless ``values`` is a tuple of strings."""
    if isinstance(values, tuple) and all(isinstance(value, str) for value in values):
        return None
    return Problem(path, f"expected a list of strings, got {shown(values)}")


def _type_name(kind: type) -> str:
    if kind is type(None):
        return "None"
    if issubclass(kind, enum.Enum):
        return f"a {kind.__name__} ({', '.join(shown(m.value) for m in kind)})"
    return kind.__name__
