"""Business time as the rest of the library sees it: one protocol, and the 24x7 calendar.

SLA clocks, auto-close rules and KPI reports take any :class:`BusinessTime`: a
:class:`~itsm_core.calendar.BusinessCalendar`, a :class:`~itsm_core.calendar.CombinedCalendar`,
:data:`TWENTY_FOUR_SEVEN` or a calendar of your own with the same three operations.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol, runtime_checkable

import attrs

from itsm_core._checks import check_aware

from ._instants import outside_years, to_delta


@runtime_checkable
class BusinessTime(Protocol):
    """What the library needs from a calendar: working time between instants, and deadlines.

    ``elapsed(a, b)`` is the working time in ``[a, b)`` (negative when ``b`` is before ``a``);
    ``add(s, d)`` is the earliest instant at which ``d`` of working time has passed since
    ``s``; ``next_working(t)`` is ``t`` during working time, else the next opening. Every
    calendar of this package fits, and so does :data:`TWENTY_FOUR_SEVEN`. A calendar that can
    also count working days (``add_working_days(start, days)``) supports SLA targets in
    working days.

    >>> from itsm_core.calendar import BusinessCalendar
    >>> office = BusinessCalendar.from_dict({"timezone": "Asia/Shanghai", "weekly": {
    ...     "monday": [["09:00", "18:00"]]}})
    >>> isinstance(office, BusinessTime), isinstance(TWENTY_FOUR_SEVEN, BusinessTime)
    (True, True)
    """

    def elapsed(self, start: dt.datetime, end: dt.datetime, /) -> dt.timedelta:
        """The working time in ``[start, end)``, negative when ``end`` is before ``start``."""
        ...

    def add(self, start: dt.datetime, duration: dt.timedelta, /) -> dt.datetime:
        """The earliest instant at which ``duration`` of working time has passed since
        ``start``."""
        ...

    def next_working(self, when: dt.datetime, /) -> dt.datetime:
        """``when`` during working time, else the next opening."""
        ...


@attrs.frozen(repr=False)
class AlwaysWorking:
    """Calendar time (24x7): every instant counts, measured on the UTC timeline.

    Use the one instance, :data:`TWENTY_FOUR_SEVEN`. Subtraction goes through UTC, so a day
    that loses an hour to daylight saving counts 23 h, not the 24 h that Python's same-zone
    aware subtraction gives (dateutil#1271).

    >>> from zoneinfo import ZoneInfo
    >>> paris = ZoneInfo("Europe/Paris")
    >>> a = dt.datetime(2026, 3, 28, 12, tzinfo=paris)
    >>> TWENTY_FOUR_SEVEN.elapsed(a, a.replace(day=29))  # the spring-forward day
    datetime.timedelta(seconds=82800)
    """

    name = "24x7"

    def elapsed(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Physical time from ``start`` to ``end`` (signed)."""
        utc_end = check_aware(end, "end")
        try:
            return utc_end.astimezone(dt.UTC) - check_aware(start, "start").astimezone(dt.UTC)
        except OverflowError:  # an instant whose UTC reading is before year 1 or after 9999
            return to_delta(end, "end") - to_delta(start, "start")

    def add(self, start: dt.datetime, duration: dt.timedelta) -> dt.datetime:
        """``start`` plus ``duration`` of physical time, in ``start``'s time zone.

        Raises:
            ValidationError: when the result is outside the years 1 to 9999 in that zone.
        """
        try:
            utc = check_aware(start, "start").astimezone(dt.UTC) + duration
            return utc.astimezone(start.tzinfo)
        except OverflowError:  # at the ends of time only: no cost on the way
            days = to_delta(start, "start").days + duration.days
            raise outside_years(days, start.tzinfo) from None

    def next_working(self, when: dt.datetime) -> dt.datetime:
        """Always ``when``: every instant is working time."""
        return check_aware(when, "when")

    def add_working_days(self, start: dt.datetime, days: int) -> dt.datetime:
        """``days`` days of 24 physical hours later."""
        return self.add(start, dt.timedelta(days=days))

    def __repr__(self) -> str:
        return "TWENTY_FOUR_SEVEN"


TWENTY_FOUR_SEVEN = AlwaysWorking()
"""The 24x7 calendar: physical time, no breaks, measured on the UTC timeline.

A :class:`BusinessTime` like any calendar (``elapsed``, ``add``, ``next_working``, and
``add_working_days`` counting days of 24 h): the time base of SLA clocks whose targets are in
calendar time, and the calendar to pass wherever business time is asked for but every hour
counts.
"""
