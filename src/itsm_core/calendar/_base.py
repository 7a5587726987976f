"""Operations shared by every calendar: working time between instants, and deadlines.

Semantics (see docs/calendar/semantics.md):

* ``elapsed(a, b)`` is the measure of working time in ``[a, b)``, in physical time, signed:
  negative when ``b < a``.
* ``add(s, d)`` for ``d > 0`` is the *earliest* instant ``t`` with ``elapsed(s, t) == d``, so a
  deadline that ends exactly at a closing time stays there; for ``d < 0`` it is the *latest*
  ``t`` with ``elapsed(t, s) == -d`` (it lands on an opening); ``add(s, 0) == s``.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from itsm_core.errors import CalendarCoverageError

from ._instants import duration_us, from_us, to_us
from ._intervals import Span
from ._timeline import State, Timeline

if TYPE_CHECKING:
    from ._combined import CombinedCalendar

#: Bounds that no instant reaches, for calendars without coverage limits.
UNBOUNDED = (-(1 << 62), 1 << 62)


class CoverageLimit(NamedTuple):
    """The stretch of instants a calendar's holiday data covers."""

    low: int
    high: int
    calendar: str
    covered: tuple[dt.date, dt.date]
    zone: dt.tzinfo


def bounds_of(limits: Iterable[CoverageLimit]) -> tuple[int, int]:
    """The instants every limit allows."""
    low, high = UNBOUNDED
    for limit in limits:
        low = max(low, limit.low)
        high = min(high, limit.high)
    return low, high


class Calendar:
    """Business time arithmetic over a calendar's working intervals.

    The base of :class:`BusinessCalendar` and :class:`CombinedCalendar`; use those. Every method
    takes timezone-aware datetimes (a naive one raises ``NaiveDatetimeError``) and returns
    datetimes in the time zone of its (first) argument.

    ``extrapolate=True`` on a call allows instants beyond the dates the holiday data covers
    (the weekly pattern is then used as is); without it such a call raises
    ``CalendarCoverageError``.
    """

    __slots__ = ()

    name: str
    _timeline: Timeline
    _limits: tuple[CoverageLimit, ...]
    _bounds: tuple[int, int]

    # -- what subclasses provide ------------------------------------------------------------

    def _chunk(self, year: int) -> list[Span]:
        """The working intervals (UTC microseconds) inside the UTC year ``year``."""
        raise NotImplementedError

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-safe data that :meth:`from_dict` turns back into an equal calendar."""
        raise NotImplementedError

    @staticmethod
    def from_dict(data: object) -> BusinessCalendar | CombinedCalendar:
        """A calendar from plain data: a business calendar, or a ``union`` / ``intersection`` /
        ``difference`` of calendars. Raises ``InvalidCalendar`` listing every problem."""
        from ._data import calendar_from_dict

        return calendar_from_dict(data)

    # -- plumbing ---------------------------------------------------------------------------

    def _year_spans(self, year: int) -> list[Span]:
        return self._timeline.year_spans(self._chunk, year)

    def _state(self, low: int, high: int) -> State:
        state = self._timeline.state
        if state is not None and state.low <= low and high < state.high:
            return state
        return self._timeline.covering(self._chunk, low, high)

    def _check(self, us: int) -> None:
        low, high = self._bounds
        if not low <= us <= high:
            self._coverage_error(us)

    def _coverage_error(self, us: int) -> None:
        for limit in self._limits:
            if not limit.low <= us <= limit.high:
                requested = from_us(us, limit.zone).date()
                raise CalendarCoverageError(limit.calendar, requested, limit.covered)

    def _add_us(self, s: int, d: int) -> int:
        state = self._state(s, s)
        while True:
            target = state.before(s) + d
            if d > 0 and target <= state.total:
                j = bisect_left(state.cum, target)
                return state.starts[j - 1] + target - state.cum[j - 1]
            if d < 0 and target >= 0:
                j = bisect_right(state.cum, target)
                return state.starts[j - 1] + target - state.cum[j - 1]
            state = self._timeline.grow(self._chunk, d > 0, self.name)

    # -- operations -------------------------------------------------------------------------

    def elapsed(
        self, start: dt.datetime, end: dt.datetime, *, extrapolate: bool = False
    ) -> dt.timedelta:
        """Working time in ``[start, end)``; negative when ``end`` is before ``start``.

        >>> from zoneinfo import ZoneInfo
        >>> from itsm_core.calendar import BusinessCalendar
        >>> cal = BusinessCalendar.from_dict({"timezone": "Asia/Shanghai", "weekly": {
        ...     "monday": [["09:00", "12:00"], ["13:00", "18:00"]]}})
        >>> mon = dt.datetime(2025, 3, 3, 8, tzinfo=ZoneInfo("Asia/Shanghai"))
        >>> cal.elapsed(mon, mon + dt.timedelta(hours=6))  # 09:00-12:00 and 13:00-14:00
        datetime.timedelta(seconds=14400)
        """
        a = to_us(start, "start")
        b = to_us(end, "end")
        if not extrapolate:
            low, high = self._bounds
            if not (low <= a <= high and low <= b <= high):
                self._check(a)
                self._check(b)
        state = self._timeline.state
        if state is None or not (state.low <= a < state.high and state.low <= b < state.high):
            state = self._timeline.covering(self._chunk, min(a, b), max(a, b))
        return dt.timedelta(microseconds=state.before(b) - state.before(a))

    def add(
        self, start: dt.datetime, duration: dt.timedelta, *, extrapolate: bool = False
    ) -> dt.datetime:
        """The instant when ``duration`` of working time has passed since ``start``.

        A negative duration counts backwards. The earliest such instant for a positive
        duration (a deadline ending at a closing time stays at the closing time), the latest for
        a negative one (it lands on an opening), and ``start`` itself for zero.

        >>> from zoneinfo import ZoneInfo
        >>> from itsm_core.calendar import BusinessCalendar
        >>> cal = BusinessCalendar.from_dict({"timezone": "Asia/Shanghai", "weekly": {
        ...     "monday": [["09:00", "12:00"], ["13:00", "18:00"]]}})
        >>> mon = dt.datetime(2025, 3, 3, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
        >>> cal.add(mon, dt.timedelta(hours=2)).isoformat()  # ends at a closing: stays there
        '2025-03-03T12:00:00+08:00'
        >>> cal.add(mon, dt.timedelta(hours=3)).isoformat()  # the lunch hour does not count
        '2025-03-03T14:00:00+08:00'
        """
        s = to_us(start, "start")
        d = duration_us(duration, "duration")
        if not extrapolate:
            self._check(s)
        if d == 0:
            return start
        t = self._add_us(s, d)
        if not extrapolate:
            self._check(t)
        return from_us(t, start.tzinfo)

    def is_working(self, when: dt.datetime, *, extrapolate: bool = False) -> bool:
        """True when ``when`` lies inside working time (windows are ``[open, close)``)."""
        t = to_us(when, "when")
        if not extrapolate:
            self._check(t)
        state = self._state(t, t)
        i = bisect_right(state.starts, t) - 1
        return i >= 0 and t < state.ends[i]

    def next_working(self, when: dt.datetime, *, extrapolate: bool = False) -> dt.datetime:
        """Where working time next runs: ``when`` itself during working time, else the next
        opening. It is ``add(when, d)`` for the smallest ``d`` there could be."""
        t = to_us(when, "when")
        if not extrapolate:
            self._check(t)
        state = self._state(t, t)
        while True:
            i = bisect_right(state.starts, t) - 1
            if i >= 0 and t < state.ends[i]:
                return when
            if i + 1 < len(state.starts):
                found = state.starts[i + 1]
                break
            state = self._timeline.grow(self._chunk, True, self.name)
        if not extrapolate:
            self._check(found)
        return from_us(found, when.tzinfo)

    def previous_working(self, when: dt.datetime, *, extrapolate: bool = False) -> dt.datetime:
        """Where working time last ran: ``when`` itself if working time ends at or runs up to
        it, else the last closing before it."""
        t = to_us(when, "when")
        if not extrapolate:
            self._check(t)
        state = self._state(t, t)
        while True:
            i = bisect_left(state.ends, t)
            if i < len(state.ends) and state.starts[i] < t:
                return when
            if i > 0:
                found = state.ends[i - 1]
                break
            state = self._timeline.grow(self._chunk, False, self.name)
        if not extrapolate:
            self._check(found)
        return from_us(found, when.tzinfo)

    def working_intervals(
        self, start: dt.datetime, end: dt.datetime, *, extrapolate: bool = False
    ) -> tuple[tuple[dt.datetime, dt.datetime], ...]:
        """The stretches of working time inside ``[start, end)``, in ``start``'s time zone."""
        a = to_us(start, "start")
        b = to_us(end, "end")
        if not extrapolate:
            self._check(a)
            self._check(b)
        if b <= a:
            return ()
        state = self._state(a, b)
        spans: list[list[int]] = []
        i = max(bisect_right(state.starts, a) - 1, 0)
        while i < len(state.starts) and state.starts[i] < b:
            lo, hi = max(state.starts[i], a), min(state.ends[i], b)
            if lo < hi:
                if spans and spans[-1][1] == lo:
                    spans[-1][1] = hi
                else:
                    spans.append([lo, hi])
            i += 1
        tz = start.tzinfo
        return tuple((from_us(lo, tz), from_us(hi, tz)) for lo, hi in spans)

    # -- bulk -------------------------------------------------------------------------------

    def add_many(self, starts: Any, durations: Any, *, extrapolate: bool = False) -> Any:
        """``add`` over two sequences of equal length.

        With numpy installed and ``datetime64`` / ``timedelta64`` arrays given (datetime64 values
        are UTC instants), the result is a ``datetime64[us]`` array computed vectorised.
        Otherwise a list of datetimes, each in the time zone of its start.
        """
        from ._bulk import add_many

        return add_many(self, starts, durations, extrapolate)

    def elapsed_many(self, starts: Any, ends: Any, *, extrapolate: bool = False) -> Any:
        """``elapsed`` over two sequences of equal length.

        With numpy installed and ``datetime64`` arrays given (UTC instants), the result is a
        ``timedelta64[us]`` array computed vectorised; otherwise a list of timedeltas.
        """
        from ._bulk import elapsed_many

        return elapsed_many(self, starts, ends, extrapolate)

    # -- combination ------------------------------------------------------------------------

    def union(self, *others: Calendar, name: str = "") -> CombinedCalendar:
        """Working time of this calendar or any of ``others`` (e.g. follow-the-sun teams)."""
        from ._combined import CombinedCalendar

        return CombinedCalendar("union", (self, *others), name=name)

    def intersection(self, *others: Calendar, name: str = "") -> CombinedCalendar:
        """Working time common to this calendar and all of ``others``."""
        from ._combined import CombinedCalendar

        return CombinedCalendar("intersection", (self, *others), name=name)

    def difference(self, *others: Calendar, name: str = "") -> CombinedCalendar:
        """Working time of this calendar outside every one of ``others`` (a weekly meeting)."""
        from ._combined import CombinedCalendar

        return CombinedCalendar("difference", (self, *others), name=name)

    def __or__(self, other: Calendar) -> CombinedCalendar:
        return self.union(other)

    def __and__(self, other: Calendar) -> CombinedCalendar:
        return self.intersection(other)

    def __sub__(self, other: Calendar) -> CombinedCalendar:
        return self.difference(other)


if TYPE_CHECKING:
    from ._business import BusinessCalendar
