"""``add_many`` and ``elapsed_many``: the same arithmetic over arrays, with numpy when present.

numpy is an optional extra, imported on first use. With numpy, instants become an int64 array
of microseconds and each operation is a search over the calendar's intervals (``Sorted``) and a
few array expressions; ``datetime64`` arrays in and out skip Python objects entirely. Without
numpy (or for plain sequences when numpy is absent), each item goes through the scalar method.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from itsm_core.errors import Problem, ValidationError

from ._base import UNBOUNDED
from ._instants import US, delta_us, duration_us, to_us
from ._timeline import State

if TYPE_CHECKING:
    from ._base import Calendar


def _numpy() -> Any:
    try:
        import numpy
    except ImportError:  # pragma: no cover - numpy is installed where the tests run
        return None
    return numpy


#: The most edges a bucket of ``Sorted`` may hold for its stepping search; beyond, a binary
#: search per value.
MAX_STEPS = 8
DAY_US = 86_400_000_000


class Sorted:
    """A sorted int64 array of edges, indexed by buckets to count the edges below many values.

    ``below(x)`` is ``numpy.searchsorted(edges, x, side="left")`` for values ``x`` from
    ``origin`` up to the last bucket's end. A binary search per value misses the cache at most
    of its steps when the values are spread out (about 150 ns each for a million values over a
    few thousand edges); here each value's bucket gives the count of edges before the bucket,
    and as many vectorised steps as the fullest bucket has edges add those between the bucket's
    start and the value.
    """

    def __init__(self, np: Any, edges: Any, origin: int, width: int, buckets: int) -> None:
        self.edges = edges
        self.origin = origin
        self.width = width
        starts = origin + width * np.arange(buckets + 1, dtype=np.int64)
        self.first = np.searchsorted(edges, starts, side="left")
        self.steps = int(np.diff(self.first).max(initial=0))
        self.padded = np.append(edges, np.iinfo(np.int64).max)

    def below(self, np: Any, x: Any) -> Any:
        if self.steps > MAX_STEPS:
            return np.searchsorted(self.edges, x, side="left")
        bucket = (x - self.origin) // self.width
        np.clip(bucket, 0, len(self.first) - 1, out=bucket)
        found = self.first[bucket]
        for _ in range(self.steps):
            found += self.padded[found] < x
        return found


class Arrays:
    """int64 arrays of a state: ``starts``, ``lengths`` and ``before`` (working time before
    each interval), each with a zero-length sentinel interval first, and ``cum``, the working
    time up to the end of each; with an index of day buckets over ``starts`` and one over
    ``cum`` with buckets of the mean interval length."""

    __slots__ = ("before", "cum", "cum_index", "lengths", "start_index", "starts")

    def __init__(self, np: Any, state: State) -> None:
        spans = np.array(state.spans, dtype=np.int64).reshape(-1, 2)
        low = np.full(1, state.low_us, dtype=np.int64)
        self.starts = np.concatenate((low, spans[:, 0]))
        self.lengths = np.concatenate((np.zeros(1, dtype=np.int64), spans[:, 1] - spans[:, 0]))
        self.cum = np.cumsum(self.lengths)
        self.before = self.cum - self.lengths
        days = -(-(state.high_us - state.low_us) // DAY_US)
        self.start_index = Sorted(np, self.starts, state.low_us, DAY_US, days)
        total, count = int(self.cum[-1]), len(self.cum)
        self.cum_index = Sorted(np, self.cum, 0, max(1, -(-(total + 1) // count)), count)


def _arrays(np: Any, state: State) -> Arrays:
    """The numpy arrays of a state (made once, then kept with it)."""
    arrays = state.arrays
    if arrays is None:
        arrays = state.arrays = Arrays(np, state)
    return arrays  # type: ignore[no-any-return]


def _before(np: Any, state: State, t: Any) -> Any:
    """Working time from the start of the state to each instant of ``t``."""
    arrays = _arrays(np, state)
    i = arrays.start_index.below(np, t + 1) - 1  # the last interval starting at or before t
    return arrays.before[i] + np.minimum(t - arrays.starts[i], arrays.lengths[i])


def _instants(np: Any, values: Any, where: str) -> tuple[Any, bool]:
    """int64 microseconds of the values, and whether they came as a datetime64 array."""
    if isinstance(values, np.ndarray) and values.dtype.kind == "M":
        us = values.astype("datetime64[us]").view(np.int64)
        if np.isnat(values).any():
            raise ValidationError(where, [Problem(where, "NaT is not an instant")])
        return us, True
    return np.fromiter((to_us(v, where) for v in values), dtype=np.int64), False


def _durations(np: Any, values: Any, where: str) -> Any:
    if isinstance(values, np.ndarray) and values.dtype.kind == "m":
        if np.isnat(values).any():
            raise ValidationError(where, [Problem(where, "NaT is not a duration")])
        return values.astype("timedelta64[us]").view(np.int64)
    return np.fromiter((duration_us(v, where) for v in values), dtype=np.int64)


def _same_length(a: Any, b: Any) -> None:
    if len(a) != len(b):
        raise ValidationError(
            "sequences", [Problem("sequences", f"lengths differ: {len(a)} and {len(b)}")]
        )


def _check_all(calendar: Calendar, np: Any, us: Any) -> None:
    if calendar._bounds == UNBOUNDED:
        return
    low, high = (delta_us(bound) for bound in calendar._bounds)
    bad = (us < low) | (us > high)
    if bad.any():
        calendar._check(US * int(us[np.argmax(bad)]))


def _state(calendar: Calendar, low: int, high: int) -> State:
    return calendar._state(US * low, US * high)


def elapsed_many(calendar: Calendar, starts: Any, ends: Any, extrapolate: bool) -> Any:
    np = _numpy()
    if np is None:  # pragma: no cover - numpy is installed where the tests run
        pairs = zip(starts, ends, strict=True)
        return [calendar.elapsed(a, b, extrapolate=extrapolate) for a, b in pairs]
    _same_length(starts, ends)
    a, as_array = _instants(np, starts, "starts")
    b, _ = _instants(np, ends, "ends")
    if len(a) == 0:
        return np.array([], dtype="timedelta64[us]") if as_array else []
    if not extrapolate:
        _check_all(calendar, np, a)
        _check_all(calendar, np, b)
    state = _state(calendar, int(min(a.min(), b.min())), int(max(a.max(), b.max())))
    result = _before(np, state, b) - _before(np, state, a)
    if as_array:
        return result.view("timedelta64[us]")
    return [dt.timedelta(microseconds=x) for x in result.tolist()]


def add_many(calendar: Calendar, starts: Any, durations: Any, extrapolate: bool) -> Any:
    np = _numpy()
    if np is None:  # pragma: no cover - numpy is installed where the tests run
        pairs = zip(starts, durations, strict=True)
        return [calendar.add(s, d, extrapolate=extrapolate) for s, d in pairs]
    _same_length(starts, durations)
    s, as_array = _instants(np, starts, "starts")
    d = _durations(np, durations, "durations")
    if len(s) == 0:
        return np.array([], dtype="datetime64[us]") if as_array else []
    if not extrapolate:
        _check_all(calendar, np, s)
    state = _state(calendar, int(s.min()), int(s.max()))
    while True:
        target = _before(np, state, s) + d
        total = int(_arrays(np, state).cum[-1])
        if target.max() > total:  # only a forward step can go past the end
            state = calendar._grow(True)
        elif target.min() < 0:  # only a backward step can go before the start
            state = calendar._grow(False)
        else:
            break
    arrays = _arrays(np, state)
    cum = arrays.cum
    # Forward: the first prefix value >= target (a closing time stays); backward: the first
    # prefix value > target, that is >= target + 1 in integer microseconds (an opening). One
    # search for both. Zero steps are put back to their start below.
    j = arrays.cum_index.below(np, target + (d < 0))
    np.clip(j, 1, len(cum) - 1, out=j)
    result = arrays.starts[j] + (target - cum[j - 1])
    zero = d == 0
    if zero.any():
        result[zero] = s[zero]
    if not extrapolate:
        _check_all(calendar, np, result)
    if as_array:
        return result.view("datetime64[us]")
    rows = zip(result.tolist(), d.tolist(), starts, strict=True)
    to_datetime = calendar._datetime
    return [to_datetime(US * t, start.tzinfo) if step else start for t, step, start in rows]
