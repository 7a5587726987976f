"""The mergeable sums behind a report: integer counters and quantile stores, nothing else.

Every field is a sum of integers (microseconds for durations) or a :class:`QuantileStore`, so
merging two tallies is exactly associative and commutative: any split of the tickets, merged
in any order, gives the tally of one pass.

Counting a ticket is the hot spot of a KPI stream, so the spec is compiled once into plain
tuples (which milestone, outcome and population each KPI reads, by position or bit): no KPI
object is hashed, compared or called per ticket. A ticket's durations are appended to machine
arrays and folded into the sums in bulk; its rate verdicts are one count of a verdict pattern
(worked out once per pattern of outcomes).
"""

from __future__ import annotations

import datetime as dt
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Sequence
from operator import attrgetter, mul

from itsm_core.calendar import BusinessTime
from itsm_core.metrics._definitions import (
    DurationKpi,
    OpenTickets,
    Outcome,
    Population,
    RateKpi,
    TimeBasis,
)
from itsm_core.metrics._quantiles import QuantileStore, combined
from itsm_core.metrics._spec import ReportSpec
from itsm_core.metrics._track import (
    CANCELLED,
    DIMENSION_FIELDS,
    FINAL,
    MILESTONE_INDEX,
    NONE_LABEL,
    OUTCOME_BIT,
    Track,
    label,
)

_MICROSECOND = dt.timedelta(microseconds=1)
#: Pending durations of a cell are folded into its sums when this many wait.
_SETTLE_AT = 1024
#: The verdicts of a rate KPI kept per cell, in the order of their counts. A ticket outside
#: the denominator (``out``) is not counted.
VERDICTS = ("yes", "no", "censored", "open_yes", "open_no")
_NO, _CENSORED, _OPEN = 1, 2, 3
#: The backlog flows, each counted per period.
FLOWS = ("opened", "reopened", "closed", "cancelled")


class DurationCell:
    """Sums of one duration KPI in one period and group.

    New durations wait in ``pending`` (a machine array, 8 bytes each) and are folded into the
    sums and the quantile store in bulk: every ``_SETTLE_AT`` tickets of the cell, and before
    the sums are read (:meth:`settled`).
    """

    __slots__ = ("censored", "excluded", "n", "pending", "store", "sum_squares", "total")

    def __init__(self) -> None:
        self.n = 0
        self.censored = 0
        self.excluded = 0
        self.total = 0
        self.sum_squares = 0
        self.store = QuantileStore()
        self.pending = array("q")

    def add(self, microseconds: int) -> None:
        """One observed duration."""
        try:
            self.pending.append(microseconds)
        except OverflowError:  # beyond 64 bits (a calendar's own elapsed): count it now
            self._settle((microseconds,))

    def settled(self) -> DurationCell:
        """The cell with every pending duration in its sums (returned for chaining)."""
        if self.pending:
            self._settle(self.pending)
            self.pending = array("q")
        return self

    def _settle(self, values: Sequence[int]) -> None:
        self.n += len(values)
        self.total += sum(values)
        self.sum_squares += sum(map(mul, values, values))
        self.store.add_all(values)

    def merged(self, other: DurationCell) -> DurationCell:
        """The sums of both."""
        return DurationCell.combined((self, other))

    @staticmethod
    def combined(cells: Sequence[DurationCell]) -> DurationCell:
        """The sums of every cell of ``cells`` (none is changed)."""
        out = DurationCell()
        out.n = sum(cell.n for cell in cells)
        out.censored = sum(cell.censored for cell in cells)
        out.excluded = sum(cell.excluded for cell in cells)
        out.total = sum(cell.total for cell in cells)
        out.sum_squares = sum(cell.sum_squares for cell in cells)
        out.store = combined([cell.store for cell in cells])
        for cell in cells:
            out.pending.extend(cell.pending)
        return out.settled() if len(out.pending) >= _SETTLE_AT else out

    def __getstate__(self) -> tuple[int, int, int, int, int, QuantileStore, array[int]]:
        return (
            self.n,
            self.censored,
            self.excluded,
            self.total,
            self.sum_squares,
            self.store,
            self.pending,
        )

    def __setstate__(
        self, state: tuple[int, int, int, int, int, QuantileStore, array[int]]
    ) -> None:
        (
            self.n,
            self.censored,
            self.excluded,
            self.total,
            self.sum_squares,
            self.store,
            self.pending,
        ) = state


class Cell:
    """Everything counted for one period and group: tickets, durations, rates.

    ``durations[k]`` holds the k-th duration KPI of the spec. Rates are counted by verdict
    pattern: ``verdicts`` maps the positions a ticket counts at (``5 * k + v`` for verdict
    ``VERDICTS[v]`` of the k-th rate KPI) to how many tickets did; tickets share a few dozen
    patterns, so one count per ticket does for every rate. :meth:`rate_counts` adds them up.
    """

    __slots__ = ("durations", "rates", "tickets", "verdicts")

    def __init__(self, durations: int, rates: int) -> None:
        self.tickets = 0
        self.durations = [DurationCell() for _ in range(durations)]
        self.rates = rates
        self.verdicts: dict[tuple[int, ...], int] = {}

    def settle(self) -> None:
        """Fold every pending duration into its sums (no figure changes)."""
        for sums in self.durations:
            sums.settled()

    def rate_counts(self) -> list[int]:
        """The count of each rate verdict, at ``5 * k + v``."""
        counts = [0] * (len(VERDICTS) * self.rates)
        for pattern, tickets in self.verdicts.items():
            for position in pattern:
                counts[position] += tickets
        return counts

    def merged(self, other: Cell) -> Cell:
        """The sums of both."""
        return Cell.combined((self, other))

    @staticmethod
    def combined(cells: Sequence[Cell]) -> Cell:
        """The sums of every cell of ``cells`` (none is changed; at least one)."""
        out = Cell(0, cells[0].rates)
        out.tickets = sum(cell.tickets for cell in cells)
        out.durations = [
            DurationCell.combined(sums)
            for sums in zip(*(cell.durations for cell in cells), strict=True)
        ]
        for cell in cells:
            for pattern, tickets in cell.verdicts.items():
                out.verdicts[pattern] = out.verdicts.get(pattern, 0) + tickets
        return out

    def __getstate__(self) -> tuple[int, list[DurationCell], int, dict[tuple[int, ...], int]]:
        return (self.tickets, self.durations, self.rates, self.verdicts)

    def __setstate__(
        self, state: tuple[int, list[DurationCell], int, dict[tuple[int, ...], int]]
    ) -> None:
        self.tickets, self.durations, self.rates, self.verdicts = state


CellKey = tuple[int, tuple[str, ...]]
#: A bit beyond the outcome bits: the ticket was resolved at least once.
_FIRST_RESOLVED = 1 << len(OUTCOME_BIT)
#: A duration KPI compiled: its position, start and end milestone positions, business time,
#: population bit (0: every ticket).
_DurationPlan = tuple[int, int, int, bool, int]
#: A rate KPI compiled: numerator outcome bit, the outcome itself, whether the denominator is
#: resolved tickets, whether open tickets count, population bit (0: every ticket).
_RatePlan = tuple[int, Outcome, bool, bool, int]


def _labeller(fields: tuple[str, ...]) -> Callable[[Track], tuple[str, ...]]:
    """A function giving a track's labels of ``fields`` (attribute names), as a tuple."""
    if not fields:
        return lambda track: ()
    get = attrgetter(*fields)
    if len(fields) == 1:
        return lambda track: (label(get(track)),)
    return lambda track: tuple(map(label, get(track)))


def _getter(fields: tuple[str, ...]) -> Callable[[Track], tuple[object, ...]]:
    """A function giving a track's values of ``fields`` (attribute names), as a tuple."""
    if not fields:
        return lambda track: ()
    get = attrgetter(*fields)
    if len(fields) == 1:
        return lambda track: (get(track),)
    return get


class Tally:
    """The counters of a report. ``emit`` counts a ticket; ``interval`` and ``leave`` its time
    in the backlog, ``flow`` its moves in and out."""

    def __init__(self, spec: ReportSpec, calendar: BusinessTime | None) -> None:
        self.spec = spec
        self.calendar = calendar
        periods = len(spec.periods.periods)
        self.cells: dict[CellKey, Cell] = {}
        self.breakdowns: dict[tuple[int, str, str], int] = {}
        #: Tickets open at each boundary, and by age bucket (``ages[j * buckets + k]``).
        self.backlog = [0] * (periods + 1)
        self.ages = [0] * ((periods + 1) * (len(spec.age_buckets) + 1))
        #: Each flow's count per period.
        self.flows = {name: [0] * periods for name in FLOWS}
        self.sla: Counter[tuple[int, tuple[str, ...], str, str]] = Counter()
        self.csat: Counter[tuple[int, tuple[str, ...], int]] = Counter()
        self.nps: Counter[tuple[int, tuple[str, ...], int]] = Counter()
        self.diagnostics: Counter[str] = Counter()
        self._compile()

    def _compile(self) -> None:
        """The plan of the spec: the positions, bits and functions ``emit`` reads."""
        spec = self.spec
        self.boundaries = spec.periods.utc_boundaries
        # Each population but "every ticket" gets a bit after the outcome bits.
        bits: dict[Population, int] = {}
        for kpi in spec.kpis:
            if kpi.population != Population() and kpi.population not in bits:
                bits[kpi.population] = _FIRST_RESOLVED << (len(bits) + 1)
        self._populations = tuple((bit, population) for population, bit in bits.items())
        durations = [k for k in spec.kpis if isinstance(k, DurationKpi)]
        plans = [
            (
                position,
                MILESTONE_INDEX[k.start],
                MILESTONE_INDEX[k.end],
                k.basis is TimeBasis.BUSINESS,
                bits.get(k.population, 0),
            )
            for position, k in enumerate(durations)
        ]
        self._plain_durations = tuple(p[:3] for p in plans if not p[3] and not p[4])
        self._other_durations: tuple[_DurationPlan, ...] = tuple(p for p in plans if p[3] or p[4])
        self._rates: tuple[_RatePlan, ...] = tuple(
            (
                OUTCOME_BIT[k.numerator],
                k.numerator,
                k.denominator is Outcome.RESOLVED,
                k.open_tickets is OpenTickets.COUNT,
                bits.get(k.population, 0),
            )
            for k in spec.kpis
            if isinstance(k, RateKpi)
        )
        self._group = _labeller(tuple(DIMENSION_FIELDS[d] for d in spec.group_by))
        self._breakdown_names = tuple(d.value for d in spec.breakdowns)
        self._breakdown_values = _getter(tuple(DIMENSION_FIELDS[d] for d in spec.breakdowns))
        # Where a final ticket counts among the rate verdicts, by its outcome bits (filled
        # as bit patterns are met: a few dozen at most).
        self._final_verdicts: dict[int, tuple[int, ...]] = {}

    def new_cell(self) -> Cell:
        """An empty cell for this spec."""
        return Cell(len(self._plain_durations) + len(self._other_durations), len(self._rates))

    def __getstate__(self) -> dict[str, object]:
        # The plan is derived from the spec: rebuilt on unpickling.
        return {k: v for k, v in self.__dict__.items() if k != "boundaries" and k[0] != "_"}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._compile()

    def merged(self, other: Tally, *, share: bool = False) -> Tally:
        """A new tally with the sums of both.

        With ``share``, a cell found in one tally only is the same object in the result (no
        copy): for a result that is only read, such as a report's.
        """
        out = Tally(self.spec, self.calendar)
        for key in self.cells.keys() | other.cells.keys():
            mine, theirs = self.cells.get(key), other.cells.get(key)
            if mine is not None and theirs is not None:
                out.cells[key] = mine.merged(theirs)
            else:
                only = mine or theirs
                assert only is not None
                out.cells[key] = only if share else only.merged(self.new_cell())
        out.backlog = [a + b for a, b in zip(self.backlog, other.backlog, strict=True)]
        out.ages = [a + b for a, b in zip(self.ages, other.ages, strict=True)]
        out.flows = {
            name: [a + b for a, b in zip(counts, other.flows[name], strict=True)]
            for name, counts in self.flows.items()
        }
        out.breakdowns = dict(self.breakdowns)
        for where, count in other.breakdowns.items():
            out.breakdowns[where] = out.breakdowns.get(where, 0) + count
        for name in ("sla", "csat", "nps", "diagnostics"):
            setattr(out, name, getattr(self, name) + getattr(other, name))
        return out

    # -- counting --------------------------------------------------------------------------------

    def period(self, instant: dt.datetime) -> int | None:
        """The index of the period holding ``instant`` (UTC), None outside the grid."""
        bounds = self.boundaries
        if instant < bounds[0] or instant >= bounds[-1]:
            return None
        return bisect_right(bounds, instant) - 1

    def flow(self, at: dt.datetime, name: str) -> None:
        """Count a backlog flow (``opened``, ``reopened``, ``closed``, ``cancelled``) at ``at``."""
        index = self.period(at)
        if index is not None:
            self.flows[name][index] += 1

    def interval(self, start: dt.datetime, end: dt.datetime | None, opened_at: dt.datetime) -> None:
        """A stretch ``[start, end)`` in the backlog (``end`` None: still open at the end).

        It counts at every boundary ``b`` with ``start < b <= end``: the ticket is open once
        every event before ``b`` is applied.
        """
        bounds = self.boundaries
        last = len(bounds) if end is None else bisect_right(bounds, end)
        first = bisect_right(bounds, start)
        if first < last:
            self._backlog(first, last, opened_at)

    def leave(
        self, start: dt.datetime, end: dt.datetime, opened_at: dt.datetime, cancelled: bool
    ) -> None:
        """A ticket left the backlog at ``end`` (resolved, closed or ``cancelled``): the
        stretch ``[start, end)`` (see :meth:`interval`) and its flow."""
        bounds = self.boundaries
        last = bisect_right(bounds, end)
        if 0 < last < len(bounds):  # end is in period last - 1
            self.flows["cancelled" if cancelled else "closed"][last - 1] += 1
        first = bisect_right(bounds, start)
        if first < last:
            self._backlog(first, last, opened_at)

    def _backlog(self, first: int, last: int, opened_at: dt.datetime) -> None:
        """Count a ticket open at boundaries ``first`` to ``last - 1``, by age."""
        bounds, buckets = self.boundaries, self.spec.age_buckets
        width = len(buckets) + 1
        backlog, ages = self.backlog, self.ages
        for j in range(first, last):
            backlog[j] += 1
            ages[j * width + bisect_left(buckets, bounds[j] - opened_at)] += 1

    def emit(self, track: Track, as_of: dt.datetime) -> None:
        """Count a ticket in its cohort (the period it was opened in)."""
        index = track.cohort
        if index is None:
            return
        key = (index, self._group(track))
        cell = self.cells.get(key)
        if cell is None:
            cell = self.cells[key] = self.new_cell()
        cell.tickets += 1
        breakdowns = self.breakdowns
        values = self._breakdown_values(track)
        for dimension, value in zip(self._breakdown_names, values, strict=True):
            where = (index, dimension, NONE_LABEL if value is None else str(value))
            breakdowns[where] = breakdowns.get(where, 0) + 1
        outcomes = track.outcomes()
        if track.first_resolved_at is not None:
            outcomes |= _FIRST_RESOLVED
        for bit, population in self._populations:
            if population.admits(
                track.kind, track.channel, track.category, track.priority, track.status is CANCELLED
            ):
                outcomes |= bit
        final = track.status in FINAL
        milestones = track.milestones()
        durations = cell.durations
        # Calendar time for every ticket (the common case), inlined; the others measured by
        # _measure, which says the same.
        for position, first, last in self._plain_durations:
            start, end = milestones[first], milestones[last]
            if start is None or end is None:
                if final:
                    durations[position].excluded += 1
                else:
                    durations[position].censored += 1
            elif end < start:
                durations[position].excluded += 1
            else:  # both UTC: physical time
                durations[position].pending.append((end - start) // _MICROSECOND)
        for position, first, last, business, admitted in self._other_durations:
            if not admitted or outcomes & admitted:
                self._measure(
                    durations[position], milestones[first], milestones[last], final, business
                )
        if cell.tickets % _SETTLE_AT == 0:  # at most one duration a KPI per ticket
            cell.settle()
        if final:
            pattern = self._final_verdicts.get(outcomes)
            if pattern is None:
                pattern = self._final_verdicts[outcomes] = self._verdicts(track, outcomes, as_of)
        else:
            pattern = self._verdicts(track, outcomes, as_of)
        verdicts = cell.verdicts
        verdicts[pattern] = verdicts.get(pattern, 0) + 1

    def _measure(
        self,
        sums: DurationCell,
        start: dt.datetime | None,
        end: dt.datetime | None,
        final: bool,
        business: bool,
    ) -> None:
        """Count one ticket's duration from ``start`` to ``end`` (its milestones) in ``sums``."""
        if start is None or end is None:
            if final:
                sums.excluded += 1
            else:
                sums.censored += 1
        elif end < start:
            sums.excluded += 1
        elif business:
            assert self.calendar is not None
            sums.add(self.calendar.elapsed(start, end) // _MICROSECOND)
        else:
            sums.add((end - start) // _MICROSECOND)

    def _verdicts(self, track: Track, outcomes: int, as_of: dt.datetime) -> tuple[int, ...]:
        """Where ``track`` (with ``outcomes`` bits) counts among its cell's rate verdicts.

        For a final ticket the answer depends on the bits alone: every outcome is decided.
        """
        out = []
        window = self.spec.reopen_window
        final = track.status in FINAL
        for k, (bit, outcome, of_resolved, count_open, admitted) in enumerate(self._rates):
            base = k * len(VERDICTS)
            if admitted and not outcomes & admitted:
                continue
            if of_resolved and not outcomes & _FIRST_RESOLVED:
                if not final:
                    out.append(base + _CENSORED)
                continue  # not in the denominator
            decided = final or track.decided(outcome, as_of, window)
            if decided:
                out.append(base if outcomes & bit else base + _NO)
            elif count_open:
                out.append(base + _OPEN + (0 if outcomes & bit else _NO))
            else:
                out.append(base + _CENSORED)
        return tuple(out)
