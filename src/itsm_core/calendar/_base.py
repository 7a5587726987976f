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

from ._instants import US, ZERO, delta_us, from_delta, from_us, plain_duration, to_delta
from ._intervals import Span
from ._timeline import UNBOUNDED, State, Timeline

if TYPE_CHECKING:
    from ._combined import CombinedCalendar

__all__ = ["UNBOUNDED", "Calendar", "CoverageLimit", "bounds_of"]


class CoverageLimit(NamedTuple):
    """The stretch of instants (microseconds) a calendar's holiday data covers."""

    low: int
    high: int
    calendar: str
    covered: tuple[dt.date, dt.date]
    zone: dt.tzinfo


def bounds_of(limits: Iterable[CoverageLimit]) -> tuple[dt.timedelta, dt.timedelta]:
    """The instants every limit allows, as timedeltas since the epoch."""
    low, high = UNBOUNDED
    for limit in limits:
        low = max(low, US * limit.low)
        high = min(high, US * limit.high)
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
    _zone: dt.tzinfo
    _timeline: Timeline
    _limits: tuple[CoverageLimit, ...]
    _bounds: tuple[dt.timedelta, dt.timedelta]
    _extrapolating: Calendar | None

    # -- what subclasses provide ------------------------------------------------------------

    def _chunk(self, month: int) -> list[Span]:
        """The working intervals (UTC microseconds) inside the UTC month ``month``
        (numbered ``year * 12 + month - 1``)."""
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

    def _month_spans(self, month: int) -> list[Span]:
        return self._timeline.month_spans(self._chunk, month)

    def _state(self, low: dt.timedelta, high: dt.timedelta) -> State:
        state = self._timeline.state
        if state is not None and state.low <= low and high < state.high:
            return state
        return self._timeline.covering(self._chunk, self._zone, low, high)

    def _grow(self, forward: bool) -> State:
        return self._timeline.grow(self._chunk, self._zone, forward, self.name)

    def _instant(self, value: dt.datetime, where: str) -> dt.timedelta:
        """An aware datetime as a timedelta since the epoch (the zone map spares asking its
        zone when it can)."""
        zone_map = self._timeline.known_map()
        return to_delta(value, where) if zone_map is None else zone_map.instant(value, where)

    def _datetime(self, instant: dt.timedelta, tz: dt.tzinfo | None) -> dt.datetime:
        """The datetime in ``tz`` of an instant given as a timedelta since the epoch."""
        zone_map = self._timeline.known_map()
        return from_delta(instant, tz) if zone_map is None else zone_map.datetime(instant, tz)

    def _check(self, t: dt.timedelta) -> None:
        low, high = self._bounds
        if not low <= t <= high:
            self._coverage_error(delta_us(t))

    def _coverage_error(self, us: int) -> None:
        for limit in self._limits:
            if not limit.low <= us <= limit.high:
                requested = from_us(us, limit.zone).date()
                raise CalendarCoverageError(limit.calendar, requested, limit.covered)

    def _add(self, s: dt.timedelta, d: dt.timedelta) -> dt.timedelta:
        """The instant ``add`` answers, for a non-zero ``d``."""
        forward = d > ZERO
        state = self._state(s, s)
        while True:
            target = state.before(s) + d
            if state.cum[0] <= target <= state.cum[-1]:
                return state.at(target, forward)
            state = self._grow(forward)

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
        state = self._timeline.state
        if state is not None:
            found = state.elapsed(start, end, extrapolate)
            if found is not None:
                return found
        a, b = self._instant(start, "start"), self._instant(end, "end")
        if not extrapolate:
            low, high = self._bounds
            if not (low <= a <= high and low <= b <= high):
                self._check(a)
                self._check(b)
        state = self._state(min(a, b), max(a, b))
        return state.before(b) - state.before(a)

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
        state = self._timeline.state
        if state is not None:
            found = state.add(start, duration, extrapolate)
            if found is not None:
                return found
        s = self._instant(start, "start")
        d = plain_duration(duration, "duration")
        if not extrapolate:
            self._check(s)
        if not d:
            return start
        t = self._add(s, d)
        if not extrapolate:
            self._check(t)
        return self._datetime(t, start.tzinfo)

    def is_working(self, when: dt.datetime, *, extrapolate: bool = False) -> bool:
        """True when ``when`` lies inside working time (windows are ``[open, close)``)."""
        t = self._instant(when, "when")
        if not extrapolate:
            self._check(t)
        state = self._state(t, t)
        i = bisect_right(state.starts, t) - 1
        return t < state.ends[i]

    def next_working(self, when: dt.datetime, *, extrapolate: bool = False) -> dt.datetime:
        """Where working time next runs: ``when`` itself during working time, else the next
        opening. It is ``add(when, d)`` for the smallest ``d`` there could be."""
        t = self._instant(when, "when")
        if not extrapolate:
            self._check(t)
        state = self._state(t, t)
        while True:
            i = bisect_right(state.starts, t) - 1
            if t < state.ends[i]:
                return when
            if i + 1 < len(state.starts):
                found = state.starts[i + 1]
                break
            state = self._grow(True)
        if not extrapolate:
            self._check(found)
        return self._datetime(found, when.tzinfo)

    def previous_working(self, when: dt.datetime, *, extrapolate: bool = False) -> dt.datetime:
        """Where working time last ran: ``when`` itself if working time ends at or runs up to
        it, else the last closing before it."""
        t = self._instant(when, "when")
        if not extrapolate:
            self._check(t)
        state = self._state(t, t)
        while True:
            i = bisect_left(state.ends, t, 1)
            if i < len(state.ends) and state.starts[i] < t:
                return when
            if i > 1:
                found = state.ends[i - 1]
                break
            state = self._grow(False)
        if not extrapolate:
            self._check(found)
        return self._datetime(found, when.tzinfo)

    def working_intervals(
        self, start: dt.datetime, end: dt.datetime, *, extrapolate: bool = False
    ) -> tuple[tuple[dt.datetime, dt.datetime], ...]:
        """The stretches of working time inside ``[start, end)``, in ``start``'s time zone."""
        a = self._instant(start, "start")
        b = self._instant(end, "end")
        if not extrapolate:
            self._check(a)
            self._check(b)
        if b <= a:
            return ()
        state = self._state(a, b)
        spans: list[list[dt.timedelta]] = []
        i = max(bisect_right(state.starts, a) - 1, 1)
        while i < len(state.starts) and state.starts[i] < b:
            lo, hi = max(state.starts[i], a), min(state.ends[i], b)
            if lo < hi:
                if spans and spans[-1][1] == lo:
                    spans[-1][1] = hi
                else:
                    spans.append([lo, hi])
            i += 1
        tz = start.tzinfo
        return tuple((self._datetime(lo, tz), self._datetime(hi, tz)) for lo, hi in spans)

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

    # -- holiday coverage -------------------------------------------------------------------

    def _coverages(self) -> tuple[tuple[dt.date, dt.date], ...]:
        """The date ranges the holiday data of this calendar (and of its parts) covers."""
        raise NotImplementedError

    def _twin(self) -> Calendar:
        """A new calendar like this one that extrapolates beyond its coverage."""
        raise NotImplementedError

    @property
    def covered_until(self) -> dt.date | None:
        """The last local date the holiday data covers (for a combination, the earliest last
        date of its parts); None when the calendar has no coverage limit.

        China's holidays and make-up working days are published a year at a time: a desk
        checks this ahead (``covered_until - today``) to load next year's data before its
        deadlines reach it. Past it, calendar calls raise ``CalendarCoverageError`` unless
        they extrapolate; SLA clocks extrapolate and say so (``ClockState.coverage_warning``).

        >>> from itsm_core.calendar import BusinessCalendar
        >>> office = BusinessCalendar.from_dict({"timezone": "Asia/Shanghai",
        ...     "weekly": {"monday": [["09:00", "18:00"]]},
        ...     "coverage": {"start": "2025-01-01", "end": "2025-12-31"}})
        >>> office.covered_until, office.covered_from
        (datetime.date(2025, 12, 31), datetime.date(2025, 1, 1))
        """
        ends = [last for _, last in self._coverages()]
        return min(ends) if ends else None

    @property
    def covered_from(self) -> dt.date | None:
        """The first local date the holiday data covers (for a combination, the latest first
        date of its parts); None when the calendar has no coverage limit."""
        starts = [first for first, _ in self._coverages()]
        return max(starts) if starts else None

    def covers(self, when: dt.datetime) -> bool:
        """True when the calendar answers for ``when`` without extrapolating: it lies within
        the dates its holiday data covers, or the calendar has no limit (or extrapolates)."""
        low, high = self._bounds
        return low <= self._instant(when, "when") <= high

    def extrapolating(self) -> Calendar:
        """This calendar, answering beyond its holiday coverage by its weekly pattern instead
        of raising ``CalendarCoverageError``; the calendar itself when it never raises.

        Made once per calendar value and kept with it (a derived memo, like its compiled
        months), so every caller gets the same object and shares its caches.

        >>> from itsm_core.calendar import BusinessCalendar
        >>> office = BusinessCalendar.from_dict({"timezone": "Asia/Shanghai",
        ...     "weekly": {"monday": [["09:00", "18:00"]]},
        ...     "coverage": {"start": "2025-01-01", "end": "2025-12-31"}})
        >>> lenient = office.extrapolating()
        >>> lenient.extrapolate, lenient is office.extrapolating(), lenient.covered_until
        (True, True, datetime.date(2025, 12, 31))
        """
        if not self._limits:
            return self
        twin = self._extrapolating
        if twin is None:
            twin = self._twin()
            object.__setattr__(self, "_extrapolating", twin)  # a derived memo, see above
        return twin

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
