"""The compiled form of a calendar: sorted UTC working intervals with prefix sums.

A calendar describes working time by local rules; the timeline turns them, one UTC year at a
time, into a sorted list of disjoint intervals ``[start, end)`` of microseconds since the epoch,
with ``cum[i]`` the working time of all intervals before interval ``i``. Working time between two
instants is then a difference of two prefix values, each found by one binary search, whatever
the distance between them.

Years are compiled on demand and kept in a dict (a year's intervals are a pure function of the
calendar and the year), and the searchable state is rebuilt from that dict for a contiguous
range of years and swapped in with one assignment, under a lock. Readers take one reference to
the state and never see it half-built; only differences of prefix values reach callers, so the
results do not depend on which years happened to be compiled first.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections.abc import Callable
from typing import Any

from itsm_core.errors import NoWorkingTimeError, Problem, ValidationError

from ._instants import FIRST_YEAR, LAST_YEAR, date_to_us, utc_year
from ._intervals import Span

ChunkSource = Callable[[int], list[Span]]

#: Consecutive years without working time after which a search gives up.
SEARCH_YEARS = 50


def _year_start(year: int) -> int:
    import datetime as dt

    return date_to_us(dt.date(year, 1, 1))


class State:
    """The searchable intervals of the UTC years ``first_year`` to ``last_year``."""

    __slots__ = ("arrays", "cum", "ends", "first_year", "high", "last_year", "low", "starts")

    def __init__(self, first_year: int, last_year: int, chunks: dict[int, list[Span]]) -> None:
        self.first_year = first_year
        self.last_year = last_year
        self.low = _year_start(first_year)
        self.high = _year_start(last_year + 1)
        starts: list[int] = []
        ends: list[int] = []
        cum = [0]
        total = 0
        for year in range(first_year, last_year + 1):
            for start, end in chunks[year]:
                starts.append(start)
                ends.append(end)
                total += end - start
                cum.append(total)
        self.starts = starts
        self.ends = ends
        self.cum = cum
        #: numpy copies, made on first use by the bulk paths.
        self.arrays: Any = None

    @property
    def total(self) -> int:
        """Working time of the whole state."""
        return self.cum[-1]

    def before(self, t: int) -> int:
        """Working time from the start of the state to ``t`` (``low <= t <= high``)."""
        i = bisect_right(self.starts, t) - 1
        if i < 0:
            return 0
        start = self.starts[i]
        end = self.ends[i]
        return self.cum[i] + (t - start if t < end else end - start)


class Timeline:
    """The lazily filled cache held privately by each calendar value."""

    __slots__ = ("_chunks", "_lock", "memo", "state")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._chunks: dict[int, list[Span]] = {}
        self.state: State | None = None
        #: Other pure per-key results a calendar may keep (e.g. rule holidays by year).
        self.memo: dict[object, object] = {}

    def __reduce__(self) -> tuple[object, ...]:
        # A copy or an unpickled calendar starts with an empty cache.
        return (Timeline, ())

    def covering(self, source: ChunkSource, low: int, high: int) -> State:
        """A state whose range contains the instants ``low`` and ``high`` (``high`` < its end)."""
        state = self.state
        if state is not None and state.low <= low and high < state.high:
            return state
        first, last = utc_year(low), utc_year(high)
        for value, year in ((low, first), (high, last)):
            if not FIRST_YEAR <= year <= LAST_YEAR:
                where = "instant"
                raise ValidationError(
                    where,
                    [
                        Problem(
                            where, f"year {year} of {value} us is outside {FIRST_YEAR}-{LAST_YEAR}"
                        )
                    ],
                )
        with self._lock:
            state = self.state
            if state is not None:
                first = min(first, state.first_year)
                last = max(last, state.last_year)
            return self._build(source, first, last)

    def grow(self, source: ChunkSource, forward: bool, name: str) -> State:
        """Extend the state by whole years in one direction until it gains working time."""
        with self._lock:
            state = self.state
            assert state is not None
            first, last = state.first_year, state.last_year
            for _ in range(SEARCH_YEARS):
                if forward:
                    last += 1
                    year = last
                else:
                    first -= 1
                    year = first
                if not FIRST_YEAR <= year <= LAST_YEAR:
                    break
                if self.year_spans(source, year):
                    return self._build(source, first, last)
            self._build(source, max(first, FIRST_YEAR), min(last, LAST_YEAR))
        direction = "forward" if forward else "backward"
        raise NoWorkingTimeError(name, direction, SEARCH_YEARS)

    def year_spans(self, source: ChunkSource, year: int) -> list[Span]:
        """The compiled intervals of one UTC year (computed once, then kept)."""
        chunk = self._chunks.get(year)
        if chunk is None:
            chunk = self._chunks[year] = source(year)
        return chunk

    def _build(self, source: ChunkSource, first: int, last: int) -> State:
        for year in range(first, last + 1):
            self.year_spans(source, year)
        state = State(first, last, self._chunks)
        self.state = state
        return state
