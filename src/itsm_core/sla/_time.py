"""The little of a business calendar the SLA engine uses, and plain 24x7 physical time."""

from __future__ import annotations

import datetime as dt
from typing import Protocol, runtime_checkable

from itsm_core._checks import check_aware


@runtime_checkable
class BusinessTime(Protocol):
    """What a clock needs from a calendar; :class:`itsm_core.calendar.BusinessCalendar` fits.

    ``elapsed(a, b)`` is the working time in ``[a, b)``; ``add(s, d)`` the earliest instant at
    which ``d`` of working time has passed since ``s``; ``next_working(t)`` is ``t`` during
    working time, else the next opening.
    """

    def elapsed(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta: ...

    def add(self, start: dt.datetime, duration: dt.timedelta) -> dt.datetime: ...

    def next_working(self, when: dt.datetime) -> dt.datetime: ...


class AlwaysWorking:
    """Calendar time (24x7): every instant counts, measured on the UTC timeline.

    Subtraction goes through UTC, so a day that loses an hour to daylight saving counts 23 h,
    not the 24 h that Python's same-zone aware subtraction gives (dateutil#1271).

    >>> from zoneinfo import ZoneInfo
    >>> paris = ZoneInfo("Europe/Paris")
    >>> a = dt.datetime(2026, 3, 28, 12, tzinfo=paris)
    >>> TWENTY_FOUR_SEVEN.elapsed(a, a.replace(day=29))  # the spring-forward day
    datetime.timedelta(seconds=82800)
    """

    name = "24x7"

    def elapsed(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Physical time from ``start`` to ``end`` (signed)."""
        return check_aware(end, "end").astimezone(dt.UTC) - check_aware(start, "start").astimezone(
            dt.UTC
        )

    def add(self, start: dt.datetime, duration: dt.timedelta) -> dt.datetime:
        """``start`` plus ``duration`` of physical time, in ``start``'s time zone."""
        utc = check_aware(start, "start").astimezone(dt.UTC) + duration
        return utc.astimezone(start.tzinfo)

    def next_working(self, when: dt.datetime) -> dt.datetime:
        """Always ``when``: every instant is working time."""
        return check_aware(when, "when")

    def add_working_days(self, start: dt.datetime, days: int) -> dt.datetime:
        """``days`` days of 24 physical hours later."""
        return self.add(start, dt.timedelta(days=days))

    def __repr__(self) -> str:
        return "TWENTY_FOUR_SEVEN"


#: The 24x7 calendar: physical time, no breaks.
TWENTY_FOUR_SEVEN = AlwaysWorking()
