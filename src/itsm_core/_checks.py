"""Small checks every package shares: aware datetimes, true integers, frozen collections and
JSON-safe values.

One home for what would otherwise be copied into each package (DESIGN.md, "one home per
concept"). Private: the packages use these, users never import them.
"""

from __future__ import annotations

import datetime as dt
import math
import types
from collections.abc import Iterable, Mapping
from typing import Any, TypeGuard, cast

import attrs

from itsm_core.errors import NaiveDatetimeError, Problem, ValidationError


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


# The two converters take and give ``Any`` items on purpose: mypy's attrs plugin cannot solve a
# generic converter (``Iterable[_T]``), and would refuse every call that builds the class.


def frozen_set(values: Iterable[Any]) -> frozenset[Any]:
    """An attrs converter: any iterable as a frozenset (a set field compares by content)."""
    return frozenset(values)


def frozen_mapping(value: Mapping[str, Any]) -> Mapping[str, Any]:
    """An attrs converter: a read-only copy of a mapping (a frozen value stays frozen)."""
    if isinstance(value, types.MappingProxyType):
        return value
    return types.MappingProxyType(dict(value))


def type_name(value: Any) -> str:
    """The name of ``value``'s type, for messages ("expected a mapping, got list")."""
    return type(value).__name__


#: A JSON-safe value in frozen form (read-only mappings, tuples for lists): what ticket
#: attributes, command fields and other free-form data hold.
Json = None | bool | int | float | str | tuple["Json", ...] | Mapping[str, "Json"]


def freeze_json(value: object, where: str) -> Json:
    """A frozen copy of the JSON-safe ``value``: mappings read-only, lists as tuples.

    Anything else (a set, a datetime, NaN, a non-string key) is a
    :class:`~itsm_core.errors.ValidationError` listing every such place, each with its path
    under ``where``.

    >>> freeze_json({"a": [1, "x", None]}, "attributes")["a"]
    (1, 'x', None)
    >>> freeze_json({"when": object(), "n": float("nan")}, "attributes")
    Traceback (most recent call last):
    ...
    itsm_core.errors.ValidationError: invalid value for attributes: 2 problems
      - attributes.when: object is not JSON-safe
      - attributes.n: nan is not a finite number
    """
    problems: list[Problem] = []
    try:
        frozen = _freeze(value, where, problems)
    except RecursionError:  # nested thousands deep: no JSON document a person wrote
        raise ValidationError(where or "JSON value", [Problem(where, "nested too deep")]) from None
    if problems:
        raise ValidationError(where or "JSON value", problems)
    return frozen


def _freeze(value: object, path: str, problems: list[Problem]) -> Json:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            problems.append(Problem(path, f"{value} is not a finite number"))
        return value
    if isinstance(value, list | tuple):
        return tuple(_freeze(item, f"{path}[{i}]", problems) for i, item in enumerate(value))
    if isinstance(value, Mapping):
        out: dict[str, Json] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                problems.append(Problem(path, f"a key of type {type_name(key)} is not a string"))
                continue
            out[key] = _freeze(item, f"{path}.{key}" if path else key, problems)
        return types.MappingProxyType(out)
    problems.append(Problem(path, f"{type_name(value)} is not JSON-safe"))
    return None


def frozen_json(value: Mapping[str, object]) -> Mapping[str, Json]:
    """An attrs converter for a ``Mapping[str, Json]`` field (ticket attributes, command fields):
    a frozen copy, or a :class:`~itsm_core.errors.ValidationError` listing every value that is
    not JSON-safe, each by its key path."""
    if not isinstance(value, Mapping):
        raise ValidationError(
            "JSON object", [Problem("", f"expected a mapping, got {type_name(value)}")]
        )
    frozen = freeze_json(value, "")
    assert isinstance(frozen, Mapping)  # a mapping freezes to a mapping
    return frozen


def unstorable_problems(value: object, path: str) -> list[Problem]:
    """A :class:`~itsm_core.errors.Problem` for each value inside ``value`` (mapping keys,
    list items and attrs fields included) that no UTF-8 file, database or JSON document can
    hold: a string with a lone surrogate (not Unicode text), an integer of thousands of digits
    (Python refuses to write it as text).

    Stores and the audit seal refuse such values the same way, naming the field, instead of
    failing with ``UnicodeEncodeError`` or ``ValueError`` in one place and accepting them in
    another.

    >>> [str(p) for p in unstorable_problems({"note": "ok", "tags": ["a\\ud800"]}, "payload")]
    ["payload.tags[0]: lone surrogate '\\\\ud800' at index 1 (not Unicode text, not storable)"]
    >>> [str(p) for p in unstorable_problems({"n": 10**5000}, "attributes")]
    ['attributes.n: an integer of about 5001 digits (too long to write as text, not storable)']
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
        elif isinstance(item, int) and item.bit_length() > _MOST_BITS_WRITTEN:
            digits = int(item.bit_length() * math.log10(2)) + 1
            message = (
                f"an integer of about {digits} digits (too long to write as text, not storable)"
            )
            problems.append(Problem(where, message))
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


#: Integers longer than this are refused by stores: Python writes at most 4300 digits as
#: text (``sys.get_int_max_str_digits``), and 14000 bits stay below that.
_MOST_BITS_WRITTEN = 14_000


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
