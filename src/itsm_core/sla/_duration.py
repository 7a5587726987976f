"""Durations with explicit units: "4 working hours", "2 business days", "72 hours".

:meth:`Duration.of` is the one reader of durations (SLA targets, threshold offsets, the command
line): text with a unit that says which time it counts, or a ``timedelta``.
"""

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
#: Every unit the text form accepts (singular; an ``s`` may follow), and what it means.
_WORDS = {
    "minute": Unit.MINUTES,
    "calendar minute": Unit.MINUTES,
    "hour": Unit.HOURS,
    "calendar hour": Unit.HOURS,
    "calendar day": Unit.CALENDAR_DAYS,
    "working minute": Unit.WORKING_MINUTES,
    "business minute": Unit.WORKING_MINUTES,
    "working hour": Unit.WORKING_HOURS,
    "business hour": Unit.WORKING_HOURS,
    "working day": Unit.WORKING_DAYS,
    "business day": Unit.WORKING_DAYS,
}
_LABEL = {
    Unit.MINUTES: "minute",
    Unit.HOURS: "hour",
    Unit.CALENDAR_DAYS: "calendar day",
    Unit.WORKING_MINUTES: "working minute",
    Unit.WORKING_HOURS: "working hour",
    Unit.WORKING_DAYS: "working day",
}
#: The units a duration may be written in, for error messages.
ACCEPTED_UNITS = (
    "minutes or hours (calendar time, 24x7; also 'calendar minutes', 'calendar hours'), "
    "calendar days (24 h), working minutes, working hours, working days "
    "('business' for 'working': business time on the calendar)"
)
#: Short forms that do not say whether they count calendar or business time.
_AMBIGUOUS = frozenset({"h", "hr", "m", "min", "mn", "d", "wd", "bd", "bh", "wh"})
_TEXT = re.compile(r"^\s*(\d+)\s*([a-z ]+?)s?\s*$")
_DAY = dt.timedelta(days=1)


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
    >>> str(Duration(1, Unit.WORKING_HOURS)), str(Duration.parse("90 minutes"))
    ('1 working hour', '90 minutes')
    """

    amount: int = attrs.field(validator=_amount)
    unit: Unit = attrs.field(converter=Unit)

    @classmethod
    def parse(cls, text: object) -> Duration:
        """Read "4 working hours", "4 business hours", "30 minutes", "3 calendar days",
        "2 working days"...

        A whole number and a unit (:data:`ACCEPTED_UNITS`): ``business`` means ``working``
        (Zendesk and Jira Service Management say business hours), and ``minutes`` and
        ``hours`` alone are calendar time. Forms that do not say which time they count are
        refused, listing every accepted unit: a bare ``days``, and short forms such as
        ``4h`` or ``90 min`` (read as calendar time before; a helpdesk's "4h" usually
        means business hours).

        >>> Duration.parse("4 business hours") == Duration.parse("4 working hours")
        True
        >>> Duration.parse("4h")
        Traceback (most recent call last):
        ...
        itsm_core.errors.ValidationError: invalid value for Duration: 1 problem
          - cannot read '4h' as a duration: 'h' does not say whether it counts calendar or
          business time; write a whole number and one of: minutes or hours (calendar time, ...
        """
        words = text.lower().replace("_", " ").replace("-", " ") if isinstance(text, str) else ""
        match = _TEXT.match(" ".join(words.split()) or words)
        if match is not None and len(digits := match.group(1).lstrip("0")) > len(str(MAX_AMOUNT)):
            raise ValidationError(
                "Duration",
                [Problem("", f"an amount of {len(digits)} digits is above {MAX_AMOUNT}")],
            )
        if match is None or match.group(2) not in _WORDS:
            unit = None if match is None else match.group(2)
            if unit == "day":
                hint = "say 'working days' or 'calendar days' (24 h)"
            elif unit in _AMBIGUOUS:
                hint = f"{unit!r} does not say whether it counts calendar or business time"
            else:
                hint = "unknown unit" if match is not None else "expected a number and a unit"
            raise ValidationError(
                "Duration",
                [
                    Problem(
                        "",
                        f"cannot read {shown(text)} as a duration: {hint}; write a whole number "
                        f"and one of: {ACCEPTED_UNITS}",
                    )
                ],
            )
        return cls(int(match.group(1)), _WORDS[match.group(2)])

    @classmethod
    def from_timedelta(cls, delta: dt.timedelta, *, working: bool = True) -> Duration:
        """A ``timedelta`` as whole hours, else whole minutes: working time on the clock's
        calendar (like ``calendar.add(start, delta)``; on a 24x7 metric it is calendar time),
        or plain clock time with ``working=False`` (threshold offsets).

        A day or more is refused: ``timedelta(days=2)`` cannot say whether it means two
        working days or 48 hours of working time; write ``"2 working days"``,
        ``"2 calendar days"`` or ``"48 working hours"``.

        >>> str(Duration.from_timedelta(dt.timedelta(hours=4)))
        '4 working hours'
        >>> str(Duration.from_timedelta(dt.timedelta(minutes=90), working=False))
        '90 minutes'
        """
        if not isinstance(delta, dt.timedelta):
            raise ValidationError("Duration", [Problem("", f"expected a timedelta, got {delta!r}")])
        problem = None
        if delta <= dt.timedelta(0):
            problem = f"{delta} is not a positive duration"
        elif delta % dt.timedelta(minutes=1):
            problem = f"{delta} is not a whole number of minutes"
        elif delta >= _DAY:
            problem = (
                f"{delta} is a day or more: say 'N working days', 'N calendar days' or "
                "'N working hours'"
            )
        if problem is not None:
            raise ValidationError("Duration", [Problem("", problem)])
        if delta % dt.timedelta(hours=1):
            unit = Unit.WORKING_MINUTES if working else Unit.MINUTES
            return cls(delta // dt.timedelta(minutes=1), unit)
        return cls(delta // dt.timedelta(hours=1), Unit.WORKING_HOURS if working else Unit.HOURS)

    @classmethod
    def of(cls, value: Duration | str | dt.timedelta, *, working: bool = True) -> Duration:
        """The one reader of durations (SLA targets, threshold offsets, the command line): a
        :class:`Duration` as it is, text by :meth:`parse`, a ``timedelta`` by
        :meth:`from_timedelta` (``working`` as there). Anything else is a ValidationError."""
        if isinstance(value, Duration):
            return value
        if isinstance(value, dt.timedelta):
            return cls.from_timedelta(value, working=working)
        if isinstance(value, str):
            return cls.parse(value)
        raise ValidationError(
            "Duration",
            [
                Problem(
                    "",
                    f"expected text such as '4 working hours' or a timedelta, got {shown(value)}",
                )
            ],
        )

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
