"""Business calendars: exact, fast working-time arithmetic on timezone-aware datetimes.

A :class:`BusinessCalendar` is a frozen value: an IANA time zone, a weekly pattern of local
working windows (any number per day, crossing midnight, or 24x7), holidays (dates, ranges,
rrule rules), per-date overrides (make-up working days, half days, extra evenings), date-bounded
pattern versions, closures, and the date range its holiday data covers. Calendars combine by
union, intersection and difference (:class:`CombinedCalendar`).

Operations: ``add`` (also backwards), ``elapsed`` (signed), ``is_working``, ``next_working``,
``previous_working``, ``working_intervals``, ``add_working_days``, and the bulk ``add_many`` /
``elapsed_many`` (vectorised with numpy when installed).

:class:`BusinessTime` is what the rest of the library asks of a calendar (SLA clocks, auto-close
rules, KPI reports): every calendar here fits it, and so does :data:`TWENTY_FOUR_SEVEN`, plain
physical time.
"""

from ._base import Calendar
from ._business import BusinessCalendar
from ._business_time import TWENTY_FOUR_SEVEN, BusinessTime
from ._combined import CombinedCalendar
from ._country import from_holidays
from ._special_days import Closure, DayOverride, Holiday, HolidayRule
from ._weekly import PatternVersion, Weekday, WeeklyPattern
from ._window import Window

__all__ = [
    "TWENTY_FOUR_SEVEN",
    "BusinessCalendar",
    "BusinessTime",
    "Calendar",
    "Closure",
    "CombinedCalendar",
    "DayOverride",
    "Holiday",
    "HolidayRule",
    "PatternVersion",
    "Weekday",
    "WeeklyPattern",
    "Window",
    "from_holidays",
]
