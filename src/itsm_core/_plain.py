"""Reading plain (JSON-safe) data: one home for the small readers every package needs.

Each reader takes the value, the path where it stands in the input (``rules[2].skills``) and a
list of problems; it returns what it read, or None after recording a
:class:`~itsm_core.errors.Problem` that names the path. So a ``from_dict`` collects every
problem of a definition in one pass and raises one error that lists them all, and no malformed
input escapes as a ``TypeError`` or ``KeyError``.

>>> problems: list[Problem] = []
>>> data = as_mapping({"name": " ", "level": 0, "colour": "red"}, "rules[0]", problems)
>>> check_keys(data, "rules[0]", ("name", "level"), ("group",), problems)
>>> read_str(data, "name", "rules[0]", problems), read_int(data, "level", "rules[0]", problems,
...                                                         minimum=1)
(None, None)
>>> for problem in problems:
...     print(problem)
rules[0].colour: unknown key (expected one of group, level, name)
rules[0].name: expected a non-blank string, got ' '
rules[0].level: expected an integer >= 1, got 0
>>> as_mapping({1: "a"}, "statuses", problems) is None, str(problems[-1])
(True, 'statuses: expected string keys, got 1')

Private: the packages use these, users never import them. Datetime and integer checks live in
:mod:`itsm_core._checks`.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any, TypeGuard, TypeVar

from itsm_core._checks import is_int
from itsm_core.errors import DefinitionError, Problem, ValidationError

_T = TypeVar("_T")
_E = TypeVar("_E", bound=enum.Enum)

_LONGEST_SHOWN = 80
_MOST_BITS_SHOWN = 200  # about 60 digits


# -- paths and messages -----------------------------------------------------------------------


def join(path: str, key: str | int) -> str:
    """The path of ``key`` inside ``path``: ``a.b`` for a name, ``a[0]`` for an index.

    >>> join("", "rules"), join("rules", 0), join("rules[0]", "name")
    ('rules', 'rules[0]', 'rules[0].name')
    """
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def shown(value: object) -> str:
    """``value`` as a message shows it: its repr, cut short when long.

    Never raises and never floods a message: an integer of thousands of digits (whose repr
    Python refuses) is described, and a value whose repr fails (a list nested too deep, or
    holding such an integer) is named by its type.

    >>> shown("phone"), shown(0), shown(None), shown([1, 2]), shown(-(10**5000))
    ("'phone'", '0', 'None', '[1, 2]', 'an integer of about 5001 digits')
    >>> shown("x" * 100)[-6:], len(shown("x" * 100)), shown([10**5000])
    ('xxx...', 80, 'list')
    """
    if isinstance(value, int) and value.bit_length() > _MOST_BITS_SHOWN:
        return f"an integer of about {int(value.bit_length() * math.log10(2)) + 1} digits"
    try:
        text = repr(value)
    except Exception:  # a message must be written whatever the value
        return type(value).__name__
    return text if len(text) <= _LONGEST_SHOWN else text[: _LONGEST_SHOWN - 3] + "..."


def key_text(key: object) -> str:
    """A mapping key as a path shows it: the key itself for text, else :func:`shown` (data may
    hold any key; an integer of thousands of digits is described, never ``str()``-ed).

    >>> key_text("name"), key_text(7), key_text(10**5000)
    ('name', '7', 'an integer of about 5001 digits')
    """
    return key if isinstance(key, str) else shown(key)


def under(path: str, problems: Iterable[Problem]) -> list[Problem]:
    """``problems`` found inside the value at ``path``, with their paths rooted at ``path``.

    >>> [str(p) for p in under("rules[1]", [Problem("name", "missing"), Problem("", "twice")])]
    ['rules[1].name: missing', 'rules[1]: twice']
    """
    return [Problem(join(path, p.path) if p.path else path, p.message) for p in problems]


def blank_problem(value: object, path: str) -> Problem | None:
    """A problem when ``value`` is not a non-blank string, else None."""
    if is_text(value):
        return None
    return Problem(path, f"expected a non-blank string, got {shown(value)}")


def type_problem(value: object, expected: type, path: str, what: str) -> Problem | None:
    """A problem when ``value`` is not an instance of ``expected`` (``what`` names it)."""
    if isinstance(value, expected):
        return None
    return Problem(path, f"expected {what}, got {shown(value)}")


# -- checks that do not record ----------------------------------------------------------------


def is_text(value: object) -> TypeGuard[str]:
    """True for a string that is not blank.

    >>> is_text("a"), is_text(" "), is_text(None)
    (True, False, False)
    """
    return isinstance(value, str) and bool(value.strip())


def is_a(value: object, kind: type | tuple[type, ...]) -> bool:
    """``isinstance`` for values typed more narrowly than they may be at run time (no
    narrowing, so the checks of invalid input stay reachable for the type checker)."""
    return isinstance(value, kind)


def member_problems(
    items: Iterable[object], kind: type, key: str, path: str, noun: str
) -> list[Problem]:
    """The problems of a collection of ``kind`` values told apart by their ``key`` attribute:
    a member of another type (``path[i]``), and a key given twice (``path[i].key``).

    >>> import attrs
    >>> Item = attrs.make_class("Item", ["item_id"])
    >>> found = member_problems([Item("a"), 3, Item("a")], Item, "item_id", "items", "item")
    >>> [str(p) for p in found]
    ['items[1]: expected a Item, got 3', "items[2].item_id: repeated item 'a'"]
    """
    problems: list[Problem] = []
    seen: set[object] = set()
    for i, item in enumerate(items):
        if not is_a(item, kind):
            problems.append(
                Problem(f"{path}[{i}]", f"expected a {kind.__name__}, got {shown(item)}")
            )
        elif (value := getattr(item, key)) in seen:
            problems.append(Problem(f"{path}[{i}].{key}", f"repeated {noun} {shown(value)}"))
        else:
            seen.add(value)
    return problems


def is_number(value: object) -> TypeGuard[float]:
    """True for an int or float that is not a bool and is finite as a float (an int beyond
    the float range is not: arithmetic on it would overflow).

    >>> is_number(2), is_number(0.5), is_number(True), is_number(float("nan")), is_number(10**400)
    (True, True, False, False, False)
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an int too large for a float
        return False


def is_duration(value: object, *, positive: bool) -> bool:
    """True for a timedelta that is positive (``positive``) or at least zero."""
    if not isinstance(value, dt.timedelta):
        return False
    return value > dt.timedelta(0) if positive else value >= dt.timedelta(0)


def as_seconds(value: object) -> dt.timedelta | None:
    """``value`` seconds as a timedelta; None when it is not a number (a bool, NaN, text) or
    more seconds than a timedelta holds.

    >>> as_seconds(90), as_seconds(True), as_seconds(1e300)
    (datetime.timedelta(seconds=90), None, None)
    """
    if not is_number(value):
        return None
    try:
        return dt.timedelta(seconds=value)
    except OverflowError:
        return None


def refuse_constant(name: str) -> Any:
    """A ``json.loads(parse_constant=...)`` hook: ``NaN``, ``Infinity`` and ``-Infinity`` are
    not JSON, and a ValueError says so (the callers turn it into their own error).

    >>> import json
    >>> json.loads("[NaN]", parse_constant=refuse_constant)
    Traceback (most recent call last):
    ...
    ValueError: NaN is not a JSON number
    """
    raise ValueError(f"{name} is not a JSON number")


# -- readers ----------------------------------------------------------------------------------


def as_mapping(value: object, path: str, problems: list[Problem]) -> Mapping[str, object] | None:
    """``value`` if it is a mapping with string keys, else None and a problem."""
    if not isinstance(value, Mapping):
        problems.append(Problem(path, f"expected a mapping, got {shown(value)}"))
        return None
    for key in value:
        if not isinstance(key, str):
            problems.append(Problem(path, f"expected string keys, got {shown(key)}"))
            return None
    return value


def as_list(value: object, path: str, problems: list[Problem]) -> list[object] | None:
    """``value`` as a list if it is a list or tuple, else None and a problem."""
    if isinstance(value, list | tuple):
        return list(value)
    problems.append(Problem(path, f"expected a list, got {shown(value)}"))
    return None


def check_keys(
    data: Mapping[str, object],
    path: str,
    required: Collection[str],
    optional: Collection[str],
    problems: list[Problem],
) -> None:
    """Record every missing required key and every key that is neither required nor optional."""
    problems.extend(Problem(join(path, key), "missing") for key in required if key not in data)
    allowed = ", ".join(sorted({*required, *optional}))
    problems.extend(
        Problem(join(path, key), f"unknown key (expected one of {allowed})")
        for key in data
        if key not in required and key not in optional
    )


def text(value: object, path: str, problems: list[Problem]) -> str | None:
    """``value`` if it is a non-blank string, else None and a problem."""
    found = blank_problem(value, path)
    if found is None:
        return value  # type: ignore[return-value]  # blank_problem checked it
    problems.append(found)
    return None


def texts(value: object, path: str, problems: list[Problem]) -> tuple[str, ...] | None:
    """A list of non-blank strings, else None and a problem for each bad part."""
    items = as_list(value, path, problems)
    if items is None:
        return None
    before = len(problems)
    read = [text(item, join(path, i), problems) for i, item in enumerate(items)]
    if len(problems) > before:
        return None
    return tuple(item for item in read if item is not None)


def integer(
    value: object, path: str, problems: list[Problem], *, minimum: int, maximum: int | None = None
) -> int | None:
    """``value`` if it is an int (not a bool) ``>= minimum`` (and ``<= maximum``, if given),
    else None and a problem.

    >>> problems: list[Problem] = []
    >>> integer(2**63, "after", problems, minimum=0, maximum=2**63 - 1), str(problems[0])
    (None, 'after: expected an integer from 0 to 9223372036854775807, got 9223372036854775808')
    """
    if is_int(value) and value >= minimum and (maximum is None or value <= maximum):
        return value
    expected = f">= {minimum}" if maximum is None else f"from {minimum} to {maximum}"
    problems.append(Problem(path, f"expected an integer {expected}, got {shown(value)}"))
    return None


def iso_date(value: object, path: str, problems: list[Problem]) -> dt.date | None:
    """``value`` read as a date ``"YYYY-MM-DD"`` (a ``date`` is taken as it is, a ``datetime``
    is not a date), else None and a problem.

    >>> problems: list[Problem] = []
    >>> iso_date("2026-06-30", "review_by", problems), iso_date("30/06", "review_by", problems)
    (datetime.date(2026, 6, 30), None)
    >>> print(problems[0])
    review_by: expected a date "YYYY-MM-DD", got '30/06'
    """
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    problems.append(Problem(path, f'expected a date "YYYY-MM-DD", got {shown(value)}'))
    return None


def read_enum(value: object, kind: type[_E], path: str, problems: list[Problem]) -> _E | None:
    """``value`` if it is a member of ``kind``, else the member whose value it is, else None and
    a problem.

    >>> import enum
    >>> class Colour(enum.Enum):
    ...     RED = "red"
    >>> problems: list[Problem] = []
    >>> read_enum("red", Colour, "c", problems), read_enum("blue", Colour, "c", problems)
    (<Colour.RED: 'red'>, None)
    >>> print(problems[0])
    c: expected one of 'red', got 'blue'
    """
    if isinstance(value, kind):
        return value
    for member in kind:
        if member.value == value:
            return member
    names = ", ".join(repr(member.value) for member in kind)
    problems.append(Problem(path, f"expected one of {names}, got {shown(value)}"))
    return None


def read_str(
    data: Mapping[str, object], key: str, path: str, problems: list[Problem]
) -> str | None:
    """:func:`text` under ``key`` of ``data``; None without a problem when the key is absent
    (:func:`check_keys` reports a missing one)."""
    return text(data[key], join(path, key), problems) if key in data else None


def read_int(
    data: Mapping[str, object], key: str, path: str, problems: list[Problem], *, minimum: int
) -> int | None:
    """:func:`integer` under ``key`` of ``data``; None without a problem when it is absent."""
    if key not in data:
        return None
    return integer(data[key], join(path, key), problems, minimum=minimum)


def read_list(
    data: Mapping[str, object],
    key: str,
    path: str,
    problems: list[Problem],
    default: Sequence[object] = (),
) -> list[object]:
    """The list under ``key`` of ``data`` (``default`` when absent); an empty list and a
    problem when it is not a list.

    >>> problems: list[Problem] = []
    >>> read_list({"kinds": ["a"]}, "kinds", "population", problems), read_list({}, "kinds", "p",
    ...     problems, ["b"]), read_list({"kinds": 5}, "kinds", "population", problems)
    (['a'], ['b'], [])
    >>> print(problems[0])
    population.kinds: expected a list, got 5
    """
    value = data.get(key, default)
    found = as_list(value, join(path, key), problems)
    return found if found is not None else []


# -- building values --------------------------------------------------------------------------


def build(
    factory: Callable[[], _T],
    error: type[DefinitionError | ValidationError],
    path: str,
    problems: list[Problem],
) -> _T | None:
    """Call ``factory``; when it raises ``error``, record its problems under ``path``."""
    try:
        return factory()
    except error as caught:
        problems.extend(under(path, caught.problems))
        return None


def enum_set(
    values: Iterable[object],
    kind: type[_E],
    error: Callable[[str, list[Problem]], Exception],
    subject: str,
    path: str,
) -> frozenset[_E]:
    """An attrs converter: ``values`` (members of ``kind`` or their values) as a frozenset of
    members, refusing a bare string and every unknown value with ``error(subject, problems)``."""
    problems: list[Problem] = []
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        problems.append(Problem(path, f"expected a set of {kind.__name__}, got {shown(values)}"))
        raise error(subject, problems)
    members = {read_enum(value, kind, path, problems) for value in values}
    if problems:
        raise error(subject, problems)
    return frozenset(member for member in members if member is not None)


def tuple_or_given(values: Any) -> Any:
    """An attrs converter for a field checked after conversion: a list or tuple as a tuple;
    anything else (a bare string above all) as given, for the checks to refuse."""
    return tuple(values) if isinstance(values, list | tuple) else values


def member_or_given(kind: type[enum.Enum], value: Any) -> Any:
    """For an attrs converter of a field checked after conversion: the member of ``kind``
    ``value`` is (or names); anything else as given, for the checks to refuse.

    >>> import enum
    >>> class Colour(enum.StrEnum):
    ...     RED = "red"
    >>> member_or_given(Colour, "red"), member_or_given(Colour, "blue"), member_or_given(Colour, [])
    (<Colour.RED: 'red'>, 'blue', [])
    """
    for member in kind:
        if value is member or (isinstance(value, str) and member.value == value):
            return member
    return value


def string_set(
    values: Iterable[str],
    error: Callable[[str, list[Problem]], Exception],
    subject: str,
    path: str,
) -> frozenset[str]:
    """An attrs converter: ``values`` as a frozenset, refusing a bare string (never split into
    letters) with ``error(subject, [problem at path])``."""
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise error(subject, [Problem(path, f"expected a set of strings, got {shown(values)}")])
    return frozenset(values)
