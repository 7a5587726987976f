"""The compiled form of a calendar: sorted UTC working intervals with prefix sums.

A calendar describes working time by local rules; the timeline turns them, one UTC month at a
time, into a sorted list of disjoint intervals ``[start, end)`` of instants, with ``cum[i]`` the
working time of all intervals before interval ``i``. Working time between two instants is then a
difference of two prefix values, each found by one binary search, whatever the distance between
them.

Months are compiled on demand and kept in a dict (a month's intervals are a pure function of the
calendar and the month), with the offsets of the calendar's zone sampled once a day over the
month (``_zone``). The searchable state is rebuilt from that dict for a contiguous range of
months and swapped in with one assignment, under a lock. Readers take one reference to the state
and never see it half-built; only differences of prefix values reach callers, so the results do
not depend on which months happened to be compiled first. The first call on a new calendar
compiles the month it needs (a millisecond or less), not whole years.

The state keeps its instants as timedeltas since the epoch (see ``_instants``) and its zone map,
so that ``add`` and ``elapsed`` are a few binary searches and timedelta operations in C.
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from typing import Any

from itsm_core.errors import NoWorkingTimeError, Problem, ValidationError

from ._instants import (
    EPOCH,
    FIRST_YEAR,
    LAST_YEAR,
    US,
    ZERO,
    delta_us,
    month_start_us,
    utc_month,
)
from ._intervals import Span
from ._zone import ZoneMap, day_offsets

ChunkSource = Callable[[int], list[Span]]

_DATETIME = dt.datetime
_TIMEDELTA = dt.timedelta
_UTC = dt.UTC

#: Bounds that no instant reaches, for calendars without coverage limits.
UNBOUNDED = (dt.timedelta.min, dt.timedelta.max)

#: Consecutive years without working time after which a search gives up.
SEARCH_YEARS = 50
#: The months a calendar can compute (a window of a day needs its neighbours to exist).
FIRST_MONTH = FIRST_YEAR * 12
LAST_MONTH = LAST_YEAR * 12 + 11
#: The most months a search for working time adds to the range at once.
GROWTH_MONTHS = 12


class State:
    """The searchable intervals of the UTC months ``first`` to ``last``, and the fast paths of
    ``add`` and ``elapsed``.

    ``starts`` and ``ends`` are timedeltas since the epoch, with a zero-length interval at
    ``low`` first, so that every instant of the range has an interval at or before it.
    ``cum[i]`` is the *prefix value* at the start of interval ``i``: working time counted from an
    origin that stays where it is when the range is extended (so an extension keeps the objects
    it already has), ``cum[0]`` the value at ``low`` and ``cum[-1]`` at ``high``. Only
    differences of prefix values mean anything, and only they reach callers. ``base[i]`` is
    ``cum[i] - starts[i]``, so that the prefix value at an instant ``t`` of interval ``i`` is
    ``base[i] + min(t, ends[i])``. ``spans`` are the same intervals in integer microseconds,
    for the bulk forms; ``bounds`` the instants the calendar's coverage allows.
    """

    __slots__ = (
        "arrays",
        "base",
        "bounds",
        "cum",
        "ends",
        "first",
        "high",
        "high_us",
        "last",
        "low",
        "low_us",
        "spans",
        "starts",
        "zone",
    )

    def __init__(
        self,
        first: int,
        last: int,
        chunks: dict[int, list[Span]],
        zone: ZoneMap,
        bounds: tuple[dt.timedelta, dt.timedelta],
        previous: State | None = None,
    ) -> None:
        """The state of the months ``first`` to ``last`` (compiled in ``chunks``), reusing a
        ``previous`` state of months inside that range."""
        self.first = first
        self.last = last
        self.low_us = month_start_us(first)
        self.high_us = month_start_us(last + 1)
        self.low = US * self.low_us
        self.high = US * self.high_us
        self.zone = zone
        self.bounds = bounds
        #: numpy copies, made on first use by the bulk forms.
        self.arrays: Any = None
        if previous is None:
            middle_first, middle_last = first, first - 1
            middle: list[list[Any]] = [[], [], [], [], []]
            low_value = high_value = 0
        else:
            middle_first, middle_last = previous.first, previous.last
            middle = [
                previous.spans,
                previous.starts[1:],
                previous.ends[1:],
                previous.cum[1:-1],
                previous.base[1:],
            ]
            low_value, high_value = delta_us(previous.cum[0]), delta_us(previous.cum[-1])
        earlier = [span for month in range(first, middle_first) for span in chunks[month]]
        later = [span for month in range(middle_last + 1, last + 1) for span in chunks[month]]
        start_value = low_value - sum(end - start for start, end in earlier)
        before, _ = _columns(earlier, start_value)
        after, end_value = _columns(later, high_value)
        self.spans: list[Span] = [*earlier, *middle[0], *later]
        self.starts: list[dt.timedelta] = [self.low, *before[0], *middle[1], *after[0]]
        self.ends: list[dt.timedelta] = [self.low, *before[1], *middle[2], *after[1]]
        self.cum: list[dt.timedelta] = [
            US * start_value,
            *before[2],
            *middle[3],
            *after[2],
            US * end_value,
        ]
        self.base: list[dt.timedelta] = [self.cum[0] - self.low, *before[3], *middle[4], *after[3]]

    def before(self, t: dt.timedelta) -> dt.timedelta:
        """The prefix value at ``t`` (``low <= t < high``)."""
        i = bisect_right(self.starts, t) - 1
        end = self.ends[i]
        return self.base[i] + (t if t < end else end)

    def at(self, target: dt.timedelta, forward: bool) -> dt.timedelta:
        """The instant of the prefix value ``target`` (``cum[0] <= target <= cum[-1]``): the
        earliest one when ``forward`` (a closing time stays), else the latest (an opening)."""
        j = bisect_left(self.cum, target) if forward else bisect_right(self.cum, target)
        return target - self.base[j - 1]

    # The fast paths. They inline ZoneMap.instant and ZoneMap.datetime (a call costs about a
    # tenth of a microsecond, a good part of these operations) and answer None whenever they
    # would need anything else: an argument that is not a datetime in UTC or in the map's zone
    # within one of its stretches, an instant outside the state or the coverage, a result
    # beyond the state. The caller then takes the general path, which answers the same or
    # raises.

    def elapsed(
        self, start: dt.datetime, end: dt.datetime, extrapolate: bool
    ) -> dt.timedelta | None:
        """``Calendar.elapsed``, or None."""
        zone = self.zone
        edges, offsets, epoch = zone.wall_edges_delta, zone.offsets_delta, zone.epoch
        if type(start) is not _DATETIME or type(end) is not _DATETIME:
            return None
        tz = start.tzinfo
        if tz is zone.zone:
            a = start - epoch
            i = bisect_right(edges, a)
            if not i & 1:
                return None
            a -= offsets[i >> 1]
        elif tz is _UTC:
            a = start - EPOCH
        else:
            return None
        tz = end.tzinfo
        if tz is zone.zone:
            b = end - epoch
            i = bisect_right(edges, b)
            if not i & 1:
                return None
            b -= offsets[i >> 1]
        elif tz is _UTC:
            b = end - EPOCH
        else:
            return None
        low, high = self.low, self.high
        if not (low <= a < high and low <= b < high):
            return None
        if not extrapolate:
            low, high = self.bounds
            if not (low <= a <= high and low <= b <= high):
                return None
        starts, ends, base = self.starts, self.ends, self.base
        i = bisect_right(starts, a) - 1
        j = bisect_right(starts, b) - 1
        e, f = ends[i], ends[j]
        return (base[j] + (b if b < f else f)) - (base[i] + (a if a < e else e))

    def add(
        self, start: dt.datetime, duration: dt.timedelta, extrapolate: bool
    ) -> dt.datetime | None:
        """``Calendar.add``, or None (also for a zero duration)."""
        zone = self.zone
        if type(start) is not _DATETIME or type(duration) is not _TIMEDELTA or not duration:
            return None
        tz = start.tzinfo
        if tz is zone.zone:
            s = start - zone.epoch
            i = bisect_right(zone.wall_edges_delta, s)
            if not i & 1:
                return None
            s -= zone.offsets_delta[i >> 1]
        elif tz is _UTC:
            s = start - EPOCH
        else:
            return None
        if not self.low <= s < self.high:
            return None
        i = bisect_right(self.starts, s) - 1
        e = self.ends[i]
        target = self.base[i] + (s if s < e else e) + duration
        if duration > ZERO:
            if target > self.cum[-1]:
                return None
            t = target - self.base[bisect_left(self.cum, target) - 1]
        else:
            if target < self.cum[0]:
                return None
            t = target - self.base[bisect_right(self.cum, target) - 1]
        if not extrapolate:
            low, high = self.bounds
            if not (low <= s <= high and low <= t <= high):
                return None
        if tz is _UTC:
            return EPOCH + t
        i = bisect_right(zone.utc_edges_delta, t)
        if not i & 1:
            return None
        return zone.epoch + (t + zone.offsets_delta[i >> 1])


def _columns(spans: list[Span], value: int) -> tuple[list[list[dt.timedelta]], int]:
    """``starts``, ``ends``, ``cum`` and ``base`` of consecutive intervals (see ``State``) whose
    first starts at the prefix value ``value``, and the prefix value after the last."""
    values = list(itertools.accumulate((end - start for start, end in spans), initial=value))
    pairs = zip(values[:-1], spans, strict=True)
    return [
        [US * start for start, _ in spans],
        [US * end for _, end in spans],
        [US * done for done in values[:-1]],
        [US * (done - start) for done, (start, _) in pairs],
    ], values[-1]


class Timeline:
    """The lazily filled cache held privately by each calendar value."""

    __slots__ = ("_chunks", "_lock", "_map", "_offsets", "bounds", "memo", "state")

    def __init__(self, bounds: tuple[dt.timedelta, dt.timedelta] = UNBOUNDED) -> None:
        #: The instants the calendar's coverage allows (timedeltas since the epoch).
        self.bounds = bounds
        self._lock = threading.Lock()
        self._chunks: dict[int, list[Span]] = {}
        self._offsets: dict[int, list[int]] = {}
        #: The zone map built last, with its first and last month: any narrower request reuses
        #: it (a map over more months answers the same, only more often without the zone).
        self._map: tuple[int, int, ZoneMap] | None = None
        self.state: State | None = None
        #: Other pure per-key results a calendar may keep (e.g. rule holidays by year).
        self.memo: dict[object, object] = {}

    def __reduce__(self) -> tuple[object, ...]:
        # A copy or an unpickled calendar starts with an empty cache.
        return (Timeline, (self.bounds,))

    def covering(
        self, source: ChunkSource, zone: dt.tzinfo, low: dt.timedelta, high: dt.timedelta
    ) -> State:
        """A state whose range contains the instants ``low`` and ``high`` (``high`` < its end)."""
        state = self.state
        if state is not None and state.low <= low and high < state.high:
            return state
        first, last = utc_month(delta_us(low)), utc_month(delta_us(high))
        for value, month in ((low, first), (high, last)):
            if not FIRST_MONTH <= month <= LAST_MONTH:
                where = "instant"
                year = "before 1" if month < 0 else month // 12
                us = delta_us(value)
                problem = f"year {year} of {us} us is outside {FIRST_YEAR}-{LAST_YEAR}"
                raise ValidationError(where, [Problem(where, problem)])
        with self._lock:
            state = self.state
            if state is not None:
                first = min(first, state.first)
                last = max(last, state.last)
            return self._build(source, zone, first, last)

    def grow(self, source: ChunkSource, zone: dt.tzinfo, forward: bool, name: str) -> State:
        """Extend the state in one direction until it gains working time: by as many months as
        it has (up to ``GROWTH_MONTHS``), then a month at a time; give up after
        ``SEARCH_YEARS`` years of months without working time."""
        with self._lock:
            state = self.state
            assert state is not None
            first, last = state.first, state.last
            step = min(last - first + 1, GROWTH_MONTHS)
            ahead = (last + 1, last + step) if forward else (first - step, first - 1)
            # one map for the months compiled next (never past the months a datetime can show)
            self.zone_map(zone, max(ahead[0], FIRST_MONTH) - 1, min(ahead[1], LAST_MONTH) + 1)
            added = empty = 0
            while empty < SEARCH_YEARS * 12:
                month = last + 1 if forward else first - 1
                if not FIRST_MONTH <= month <= LAST_MONTH:
                    break
                first, last = min(first, month), max(last, month)
                added += 1
                empty = empty + 1 if not self.month_spans(source, month) else 0
                if added >= step and empty < added:
                    return self._build(source, zone, first, last)
        direction = "forward" if forward else "backward"
        raise NoWorkingTimeError(name, direction, SEARCH_YEARS)

    def month_spans(self, source: ChunkSource, month: int) -> list[Span]:
        """The compiled intervals of one UTC month (computed once, then kept)."""
        chunk = self._chunks.get(month)
        if chunk is None:
            chunk = self._chunks[month] = source(month)
        return chunk

    def zone_map(self, zone: dt.tzinfo, first: int, last: int) -> ZoneMap:
        """The stretches of ``zone``'s offset over the UTC months ``first`` to ``last``, or
        over more months."""
        cached = self._map
        if cached is not None:
            low, high, known = cached
            if low <= first <= last <= high and known.zone is zone:
                return known
        samples: list[int] = []
        for month in range(first, last + 1):
            found = self._offsets.get(month)
            if found is None:
                found = self._offsets[month] = day_offsets(zone, month)
            samples += found
        built = ZoneMap(zone, month_start_us(first), samples)
        self._map = (first, last, built)
        return built

    def known_map(self) -> ZoneMap | None:
        """A zone map already built: the state's, else the last one; None before any."""
        state, cached = self.state, self._map
        if state is not None:
            return state.zone
        return None if cached is None else cached[2]

    def _build(self, source: ChunkSource, zone: dt.tzinfo, first: int, last: int) -> State:
        zone_map = self.zone_map(zone, first - 1, last + 1)  # also the one the months compile with
        for month in range(first, last + 1):
            self.month_spans(source, month)
        state = State(first, last, self._chunks, zone_map, self.bounds, self.state)
        self.state = state
        return state
