"""Errors specific to business calendars (the shared tree lives in itsm_core.errors)."""

from __future__ import annotations

from itsm_core.errors import DomainError


class NoWorkingTimeError(DomainError, LookupError):
    """A search for working time found none within the search horizon.

    Raised by ``add``, ``next_working`` and their kin when a calendar has no working time at all
    for ``years`` consecutive years in the direction searched (an empty pattern, an intersection
    of calendars that never overlap), instead of searching forever.
    """

    def __init__(self, calendar: str, direction: str, years: int) -> None:
        self.calendar = calendar
        self.direction = direction
        self.years = years
        super().__init__(
            f"calendar {calendar!r} has no working time in {years} consecutive years "
            f"searching {direction}"
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.calendar, self.direction, self.years))
