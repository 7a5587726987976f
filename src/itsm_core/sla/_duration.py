"""Targets with explicit units: "4 working hours", "2 working days", "72 hours"."""

from __future__ import annotations

import datetime as dt
import enum
import re

import attrs

from itsm_core._checks import is_int
from itsm_core._plain import shown
from itsm_core.calendar import BusinessTime
from itsm_core.errors import Problem, ValidationError


class Unit(enum.StrEnum):
    """A duration unit. ``working_*`` units count on the metric's business calendar.

    ``minutes``, ``hours`` and ``calendar_days`` count physical (24x7) time; a calendar day is
    24 hours. ``working_days`` counts working days of the calendar (a Friday-afternoon start
    plus two working days ends on Tuesday afternoon), never 48 hours. A bare "days" is refused
    as ambiguous (ServiceNow turns days into 24-hour blocks silently; GLPI PR #10600).
    """

    MINUTES = "minutes"
    HOURS = "hours"
    CALENDAR_DAYS = "calendar_days"
    WORKING_MINUTES = "working_minutes"
    WORKING_HOURS = "working_hours"
    WORKING_DAYS = "working_days"

    @property
    def working(self) -> bool:
        """True for units measured on a business calendar."""
        return self.value.startswith("working")


_SIZE = {
    Unit.MINUTES: dt.timedelta(minutes=1),
    Unit.HOURS: dt.timedelta(hours=1),
    Unit.CALENDAR_DAYS: dt.timedelta(days=1),
    Unit.WORKING_MINUTES: dt.timedelta(minutes=1),
    Unit.WORKING_HOURS: dt.timedelta(hours=1),
}
_WORDS = {
    "minute": Unit.MINUTES,
    "min": Unit.MINUTES,
    "hour": Unit.HOURS,
    "h": Unit.HOURS,
    "calendar day": Unit.CALENDAR_DAYS,
    "working minute": Unit.WORKING_MINUTES,
    "working hour": Unit.WORKING_HOURS,
    "working day": Unit.WORKING_DAYS,
}
_LABEL = {
    Unit.MINUTES: "minute",
    Unit.HOURS: "hour",
    Unit.CALENDAR_DAYS: "calendar day",
    Unit.WORKING_MINUTES: "working minute",
    Unit.WORKING_HOURS: "working hour",
    Unit.WORKING_DAYS: "working day",
}
_TEXT = re.compile(r"^\s*(\d+)\s*([a-z ]+?)s?\s*$")


def positive_int(value: object) -> bool:
    """True for an int (not a bool) of at least 1."""
    return is_int(value) and value >= 1


def nonempty(value: object) -> bool:
    """True for a string with more than blanks."""
    return isinstance(value, str) and bool(value.strip())


#: The largest amount: more than any real target, and within what ``datetime.timedelta`` holds.
MAX_AMOUNT = 999_999_999


def _amount(instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if not positive_int(value):
        raise ValidationError(
            "Duration", [Problem("amount", f"{shown(value)} is not a positive int")]
        )
    if isinstance(value, int) and value > MAX_AMOUNT:
        raise ValidationError(
            "Duration", [Problem("amount", f"{shown(value)} is above {MAX_AMOUNT}")]
        )


@attrs.frozen
class Duration:
    """A positive whole number of a :class:`Unit`.

    >>> Duration.parse("2 working days")
    Duration(amount=2, unit=<Unit.WORKING_DAYS: 'working_days'>)
    >>> str(Duration(1, Unit.WORKING_HOURS)), str(Duration.parse("90 min"))
    ('1 working hour', '90 minutes')
    """

    amount: int = attrs.field(validator=_amount)
    unit: Unit = attrs.field(converter=Unit)

    @classmethod
    def parse(cls, text: object) -> Duration:
        """Read "4 working hours", "30 minutes", "24 h", "3 calendar days", "2 working days"."""
        match = _TEXT.match(text.lower()) if isinstance(text, str) else None
        if match is not None and len(digits := match.group(1).lstrip("0")) > len(str(MAX_AMOUNT)):
            raise ValidationError(
                "Duration",
                [Problem("", f"an amount of {len(digits)} digits is above {MAX_AMOUNT}")],
            )
        if match is None or match.group(2) not in _WORDS:
            hint = ""
            if match is not None and match.group(2) == "day":
                hint = ": say 'working days' or 'calendar days' (24 h)"
            raise ValidationError(
                "Duration", [Problem("", f"cannot read {shown(text)} as a duration{hint}")]
            )
        return cls(int(match.group(1)), _WORDS[match.group(2)])

    def __str__(self) -> str:
        label = _LABEL[self.unit]
        return f"{self.amount} {label}{'' if self.amount == 1 else 's'}"

    @property
    def working(self) -> bool:
        """True when measured on the business calendar."""
        return self.unit.working

    def clock_time(self, start: dt.datetime, calendar: BusinessTime) -> dt.timedelta:
        """The time this duration allows a clock started at ``start``, on its own time base.

        Working minutes and hours are that much working time; working days are the working time
        from ``start`` to the same working position ``amount`` working days later (so a half
        day counts as what it is); the other units are physical time.
        """
        if self.unit is Unit.WORKING_DAYS:
            add_days = getattr(calendar, "add_working_days", None)
            if add_days is None:
                raise ValidationError(
                    "Duration",
                    [Problem(str(self), f"{shown(calendar)} cannot count working days")],
                )
            end: dt.datetime = add_days(start, self.amount)
            return calendar.elapsed(start, end)
        return self.amount * _SIZE[self.unit]

    def clock_time_plain(self) -> dt.timedelta:
        """The length of a minutes/hours duration (threshold offsets), as clock time."""
        if self.unit is Unit.WORKING_DAYS:
            raise ValidationError(
                "Duration", [Problem(str(self), "working days have no fixed length")]
            )
        return self.amount * _SIZE[self.unit]


def name_problem(value: object) -> str | None:
    """What is wrong with ``value`` as a name (a string with more than blanks), or None."""
    if not isinstance(value, str):
        return f"expected a string, got {shown(value)}"
    return None if value.strip() else "must not be empty"
