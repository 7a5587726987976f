"""Calendars combined from others: union, intersection, difference of their working time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import reduce
from typing import Any, Literal

import attrs

from itsm_core._plain import shown
from itsm_core.errors import InvalidCalendar, Problem

from ._base import Calendar, CoverageLimit, bounds_of
from ._intervals import Span, intersect, subtract, union
from ._timeline import Timeline

Operation = Literal["union", "intersection", "difference"]
OPERATIONS: tuple[Operation, ...] = ("union", "intersection", "difference")


def _calendars(value: Iterable[Calendar]) -> tuple[Calendar, ...]:
    return tuple(value)


@attrs.frozen
class CombinedCalendar(Calendar):
    """Working time combined from calendars, possibly in different time zones. Frozen.

    ``union``: working time of any of them (follow-the-sun support); ``intersection``: of all
    of them (a team's hours within a customer's contract hours); ``difference``: of the first
    outside all the others (office hours minus a weekly team meeting). Built with
    ``a | b``, ``a & b``, ``a - b`` or the methods of the same names. The holiday coverage of a
    combination is where every part is covered.
    """

    operation: Operation
    calendars: tuple[Calendar, ...] = attrs.field(converter=_calendars)
    name: str = attrs.field(default="", kw_only=True)

    _zone: dt.tzinfo = attrs.field(init=False, eq=False, repr=False, hash=False)
    _timeline: Timeline = attrs.field(init=False, eq=False, repr=False, hash=False)
    _limits: tuple[CoverageLimit, ...] = attrs.field(init=False, eq=False, repr=False, hash=False)
    _bounds: tuple[dt.timedelta, dt.timedelta] = attrs.field(
        init=False, eq=False, repr=False, hash=False
    )
    _extrapolating: Calendar | None = attrs.field(
        init=False, default=None, eq=False, repr=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        problems = []
        if self.operation not in OPERATIONS:
            problems.append(
                Problem(
                    "operation",
                    f"expected one of {', '.join(OPERATIONS)}, got {shown(self.operation)}",
                )
            )
        if len(self.calendars) < 2:
            problems.append(Problem("calendars", "combine at least two calendars"))
        parts: tuple[object, ...] = self.calendars
        for i, part in enumerate(parts):
            if not isinstance(part, Calendar):
                problems.append(Problem(f"calendars[{i}]", f"not a calendar: {shown(part)}"))
        if problems:
            raise InvalidCalendar(repr(self.name or self.operation), problems)
        limits = tuple(limit for part in self.calendars for limit in part._limits)
        # The zone whose datetimes convert without asking it: the first calendar's.
        object.__setattr__(self, "_zone", self.calendars[0]._zone)
        bounds = bounds_of(limits)
        object.__setattr__(self, "_timeline", Timeline(bounds))
        object.__setattr__(self, "_limits", limits)
        object.__setattr__(self, "_bounds", bounds)

    def _chunk(self, month: int) -> list[Span]:
        parts = [part._month_spans(month) for part in self.calendars]
        if self.operation == "union":
            return union(*parts)
        if self.operation == "intersection":
            return reduce(intersect, parts)
        return subtract(parts[0], union(*parts[1:]))

    def _coverages(self) -> tuple[tuple[dt.date, dt.date], ...]:
        return tuple(span for part in self.calendars for span in part._coverages())

    def _twin(self) -> Calendar:
        parts = [part.extrapolating() for part in self.calendars]
        return CombinedCalendar(self.operation, parts, name=self.name)

    def to_dict(self) -> dict[str, Any]:
        """``{"union": [...], "name": ...}`` (or ``intersection`` / ``difference``)."""
        return {self.operation: [part.to_dict() for part in self.calendars], "name": self.name}
