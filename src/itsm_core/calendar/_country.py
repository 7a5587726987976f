"""Country holidays and make-up working days from the ``holidays`` package (an extra).

``holidays`` computes future years from rules: for China it then silently returns no make-up
working days (调休), whose dates the State Council publishes one year at a time. So this loader
only accepts years the package has *official* data for, and records them as the calendar's
coverage. For a country whose package class keeps a table of decreed substitutions
(``special_public_holidays``) and that has make-up working days (``weekend_workdays``), the
official years are those from the table's first to its last year; for other countries, the
years the package supports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from itsm_core.errors import CalendarCoverageError, InvalidCalendar, Problem

from ._special_days import DayOverride, Holiday
from ._weekly import Weekday, WeeklyPattern

if TYPE_CHECKING:
    from ._business import BusinessCalendar


def _load(country: str, years: list[int], subdiv: str | None) -> Any:
    try:
        import holidays
    except ImportError as error:  # pragma: no cover - the extra is installed where tests run
        raise ModuleNotFoundError(
            "from_holidays needs the 'holidays' package: pip install 'itsm-core[holidays]'"
        ) from error
    try:
        return holidays.country_holidays(country, subdiv=subdiv, years=years)
    except NotImplementedError as error:
        raise InvalidCalendar(repr(country), [Problem("country", str(error))]) from None


def official_years(country: str, subdiv: str | None, table: Any) -> tuple[int, int]:
    """The first and last year a ``holidays`` country has official data for.

    A country with make-up working days in its decree table (``special_public_holidays``,
    whose keys are years) is official from the table's first to its last year. The check
    populates the table's own years, because the package's ``weekend_workdays`` of a given
    object may hold dates of other years (and none for a year it only guesses).
    """
    special = getattr(table, "special_public_holidays", None) or {}
    if special:
        first, last = min(special), max(special)
        decreed = _load(country, list(range(first, last + 1)), subdiv)
        if any(first <= day.year <= last for day in decreed.weekend_workdays):
            return first, last
    return int(table.start_year), int(table.end_year)


def from_holidays(
    country: str,
    years: Iterable[int],
    *,
    timezone: str,
    weekly: WeeklyPattern,
    subdiv: str | None = None,
    make_up_like: Weekday = Weekday.MONDAY,
    name: str = "",
) -> BusinessCalendar:
    """A business calendar with a country's official holidays and make-up working days.

    Holidays become :class:`Holiday` days off; the package's ``weekend_workdays`` (China's
    调休) become :class:`DayOverride` working days with the windows of ``make_up_like``. The
    calendar's coverage is the requested years, which must be consecutive.

    Raises:
        CalendarCoverageError: a requested year has no official data in the installed
            ``holidays`` (it would be a rule-based guess, e.g. China beyond its last
            published make-up-day table).
        InvalidCalendar: unknown country, or years not consecutive.
    """
    from ._business import BusinessCalendar

    wanted = sorted(set(years))
    label = name or f"{country} holidays"
    if not wanted or wanted != list(range(wanted[0], wanted[-1] + 1)):
        raise InvalidCalendar(
            repr(label), [Problem("years", f"expected consecutive years, got {wanted}")]
        )
    table = _load(country, wanted, subdiv)
    first, last = official_years(country, subdiv, table)
    covered = (dt.date(first, 1, 1), dt.date(last, 12, 31))
    for year in wanted:
        if not first <= year <= last:
            raise CalendarCoverageError(label, dt.date(year, 1, 1), covered)
    holidays = tuple(
        Holiday(day, day, str(title)) for day, title in sorted(table.items()) if day.year in wanted
    )
    make_up_days = {
        day: DayOverride(like=make_up_like, name="make-up working day")
        for day in sorted(table.weekend_workdays)
        if day.year in wanted and day not in table
    }
    return BusinessCalendar(
        name=label,
        timezone=timezone,
        weekly=weekly,
        holidays=holidays,
        overrides=make_up_days,
        coverage=(dt.date(wanted[0], 1, 1), dt.date(wanted[-1], 12, 31)),
    )
