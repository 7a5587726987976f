"""Mapping a batch of exported tickets before any is replayed, so one error lists every problem
of every ticket (and names each export it came from once)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from itsm_core.errors import DeserializationError, Problem

_Item = TypeVar("_Item")
_Plan = TypeVar("_Plan")


def map_all(
    items: Iterable[_Item],
    plan: Callable[[_Item], _Plan],
    found: Sequence[tuple[str, Problem]] = (),
) -> list[_Plan]:
    """``plan(item)`` for every item, or one DeserializationError with the problems of every
    plan that raised one and the ``found`` (subject, problem) pairs found before.

    >>> def parse(text: str) -> int:
    ...     if not text.isdigit():
    ...         raise DeserializationError("export 'a.csv'", [Problem("line 2", "not a number")])
    ...     return int(text)
    >>> map_all(["1", "2"], parse)
    [1, 2]
    >>> try:
    ...     map_all(["1", "x"], parse, [("export 'b.csv'", Problem("line 5", "unknown key"))])
    ... except DeserializationError as error:
    ...     print(error.subject, [str(p) for p in error.problems])
    export 'b.csv', export 'a.csv' ['line 5: unknown key', 'line 2: not a number']
    """
    problems = [problem for _, problem in found]
    subjects = list(dict.fromkeys(subject for subject, _ in found))
    plans: list[_Plan] = []
    for item in items:
        try:
            plans.append(plan(item))
        except DeserializationError as exc:
            problems.extend(exc.problems)
            if exc.subject not in subjects:
                subjects.append(exc.subject)
    if problems:
        raise DeserializationError(", ".join(subjects), problems)
    return plans
