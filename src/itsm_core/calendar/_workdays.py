"""The working days of a calendar as a sorted index, so that moving by n working days is a lookup.

A working day is a local date with working windows of its own (``BusinessCalendar.day_spans``
is not empty). The index holds, for a contiguous range of local years, the ordinals of the
working days in ascending order with the spans of each. Moving ``n`` working days from a date is
then one binary search and an offset of ``n`` in the list, whatever ``n``: the cost does not
depend on the number of days.

As in ``_timeline``, years are compiled on demand and kept in a dict (a year's working days are
a pure function of the calendar and the year); the searchable state is rebuilt from that dict
for a contiguous range of years and swapped in with one assignment, under a lock. Readers take
one reference to the state and never see it half-built. Answers depend only on the working days
themselves, never on which years happened to be compiled first: a search that runs off the
compiled range grows it and looks again.

A search gives up with ``NoWorkingTimeError`` when it meets ``HORIZON_DAYS`` consecutive days
without a working day (``SEARCH_YEARS`` years of 366 days), as a day-by-day walk would.
"""

from __future__ import annotations

import datetime as dt
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Callable

from itsm_core.errors import NoWorkingTimeError, Problem, ValidationError

from ._instants import FIRST_YEAR, LAST_YEAR
from ._intervals import Span
from ._timeline import SEARCH_YEARS

#: A local date's ordinal (``date.toordinal()``) and its working spans (UTC microseconds).
Workday = tuple[int, list[Span]]
#: The working days of one local year, in date order.
YearSource = Callable[[int], list[Workday]]

#: Consecutive days without a working day after which a search gives up.
HORIZON_DAYS = SEARCH_YEARS * 366


def _year_start(year: int) -> int:
    return dt.date(year, 1, 1).toordinal()


class WorkdayState:
    """The working days of the local years ``first_year`` to ``last_year``, searchable."""

    __slots__ = ("breaks", "days", "first_year", "high", "last_year", "low", "spans")

    def __init__(self, first_year: int, last_year: int, chunks: dict[int, list[Workday]]) -> None:
        self.first_year = first_year
        self.last_year = last_year
        #: Ordinals of the first day covered and of the first day after the range.
        self.low = _year_start(first_year)
        self.high = _year_start(last_year + 1)
        days: list[int] = []
        spans: list[list[Span]] = []
        for year in range(first_year, last_year + 1):
            for day, day_spans in chunks[year]:
                days.append(day)
                spans.append(day_spans)
        self.days = days
        self.spans = spans
        #: Indices ``i`` where more than ``HORIZON_DAYS`` days separate ``days[i - 1]`` and
        #: ``days[i]``: a walk from one to the other would have given up.
        self.breaks = [i for i in range(1, len(days)) if days[i] - days[i - 1] > HORIZON_DAYS]

    def spans_on(self, day: int) -> list[Span]:
        """The spans of the date ``day`` (an ordinal inside the range); empty if not working."""
        i = bisect_left(self.days, day)
        if i < len(self.days) and self.days[i] == day:
            return self.spans[i]
        return []

    def has_break(self, first: int, last: int) -> bool:
        """True when a break lies at an index from ``first`` to ``last``."""
        i = bisect_left(self.breaks, first)
        return i < len(self.breaks) and self.breaks[i] <= last


class WorkdayIndex:
    """The lazily filled index of working days held privately by a business calendar."""

    __slots__ = ("_chunks", "_lock", "state")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._chunks: dict[int, list[Workday]] = {}
        self.state: WorkdayState | None = None

    def __reduce__(self) -> tuple[object, ...]:
        # A copy or an unpickled calendar starts with an empty index.
        return (WorkdayIndex, ())

    def spans_on(self, source: YearSource, day: int) -> list[Span]:
        """The spans of the date with ordinal ``day``; empty when it is not a working day."""
        return self._covering(source, day).spans_on(day)

    def shift(self, source: YearSource, day: int, count: int, name: str) -> Workday:
        """The working day ``count`` working days after the date ``day`` (before when negative).

        ``day`` itself need not be a working day: ``+1`` is the first working day after it,
        ``-1`` the last one before it. ``count`` must not be zero.
        """
        state = self._covering(source, day)
        while True:
            days = state.days
            if count > 0:
                after = bisect_right(days, day)  # index of the first working day after `day`
                target = after + count - 1
                if target < len(days):
                    if days[after] - day > HORIZON_DAYS or state.has_break(after + 1, target):
                        break
                    return days[target], state.spans[target]
                reached = days[-1] if len(days) > after else day
                if reached + HORIZON_DAYS < state.high:  # a whole horizon seen, nothing in it
                    break
                missing = target - len(days) + 1
            else:
                before = bisect_left(days, day) - 1  # index of the last working day before
                target = before + count + 1
                if target >= 0:
                    if day - days[before] > HORIZON_DAYS or state.has_break(target + 1, before):
                        break
                    return days[target], state.spans[target]
                reached = days[0] if before >= 0 else day
                if reached - HORIZON_DAYS >= state.low:
                    break
                missing = -target
            state = self._grow(source, count > 0, missing, name)
        raise NoWorkingTimeError(name, "forward" if count > 0 else "backward", SEARCH_YEARS)

    def _covering(self, source: YearSource, day: int) -> WorkdayState:
        """A state whose range contains the date with ordinal ``day``."""
        state = self.state
        if state is not None and state.low <= day < state.high:
            return state
        year = dt.date.fromordinal(day).year if 1 <= day <= dt.date.max.toordinal() else 0
        if not FIRST_YEAR <= year <= LAST_YEAR:
            where = "start"
            problem = f"its working day falls outside the years {FIRST_YEAR}-{LAST_YEAR}"
            raise ValidationError(where, [Problem(where, problem)])
        with self._lock:
            state = self.state
            first, last = year, year
            if state is not None:
                first = min(first, state.first_year)
                last = max(last, state.last_year)
            return self._build(source, first, last)

    def _grow(self, source: YearSource, forward: bool, missing: int, name: str) -> WorkdayState:
        """Extend the range by whole years in one direction until it holds ``missing`` more
        working days, or more than ``SEARCH_YEARS`` years in a row without any."""
        with self._lock:
            state = self.state
            assert state is not None
            first, last = state.first_year, state.last_year
            found = empty = 0
            while found < missing and empty <= SEARCH_YEARS:
                year = last + 1 if forward else first - 1
                if not FIRST_YEAR <= year <= LAST_YEAR:
                    if (first, last) == (state.first_year, state.last_year):
                        direction = "forward" if forward else "backward"
                        raise NoWorkingTimeError(name, direction, SEARCH_YEARS)
                    break
                first, last = min(first, year), max(last, year)
                count = len(self._year(source, year))
                found += count
                empty = 0 if count else empty + 1
            return self._build(source, first, last)

    def _year(self, source: YearSource, year: int) -> list[Workday]:
        chunk = self._chunks.get(year)
        if chunk is None:
            chunk = self._chunks[year] = source(year)
        return chunk

    def _build(self, source: YearSource, first: int, last: int) -> WorkdayState:
        for year in range(first, last + 1):
            self._year(source, year)
        state = WorkdayState(first, last, self._chunks)
        self.state = state
        return state
