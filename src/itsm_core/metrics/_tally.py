"""The mergeable sums behind a report: integer counters and quantile stores, nothing else.

Every field is a sum of integers (microseconds for durations) or a :class:`QuantileStore`, so
merging two tallies is exactly associative and commutative: any split of the tickets, merged
in any order, gives the tally of one pass.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections import Counter

from itsm_core.calendar import BusinessTime
from itsm_core.metrics._definitions import (
    DurationKpi,
    OpenTickets,
    Outcome,
    Population,
    RateKpi,
    TimeBasis,
)
from itsm_core.metrics._quantiles import QuantileStore
from itsm_core.metrics._spec import ReportSpec
from itsm_core.metrics._track import Track

_MICROSECOND = dt.timedelta(microseconds=1)


class DurationCell:
    """Sums of one duration KPI in one period and group."""

    __slots__ = ("censored", "excluded", "n", "store", "sum_squares", "total")

    def __init__(self) -> None:
        self.n = 0
        self.censored = 0
        self.excluded = 0
        self.total = 0
        self.sum_squares = 0
        self.store = QuantileStore()

    def add(self, microseconds: int) -> None:
        """One observed duration."""
        self.n += 1
        self.total += microseconds
        self.sum_squares += microseconds * microseconds
        self.store.add(microseconds)

    def merged(self, other: DurationCell) -> DurationCell:
        """The sums of both."""
        out = DurationCell()
        out.n = self.n + other.n
        out.censored = self.censored + other.censored
        out.excluded = self.excluded + other.excluded
        out.total = self.total + other.total
        out.sum_squares = self.sum_squares + other.sum_squares
        out.store = self.store.merged(other.store)
        return out

    def __getstate__(self) -> tuple[int, int, int, int, int, QuantileStore]:
        return (self.n, self.censored, self.excluded, self.total, self.sum_squares, self.store)

    def __setstate__(self, state: tuple[int, int, int, int, int, QuantileStore]) -> None:
        self.n, self.censored, self.excluded, self.total, self.sum_squares, self.store = state


class Cell:
    """Everything counted for one period and group: tickets, durations, rates."""

    __slots__ = ("durations", "rates", "tickets")

    def __init__(self) -> None:
        self.tickets = 0
        self.durations: dict[str, DurationCell] = {}
        self.rates: Counter[tuple[str, str]] = Counter()

    def duration(self, name: str) -> DurationCell:
        """The duration sums of KPI ``name`` (created empty)."""
        cell = self.durations.get(name)
        if cell is None:
            cell = self.durations[name] = DurationCell()
        return cell

    def merged(self, other: Cell) -> Cell:
        """The sums of both."""
        out = Cell()
        out.tickets = self.tickets + other.tickets
        for name in self.durations.keys() | other.durations.keys():
            out.durations[name] = self.duration(name).merged(other.duration(name))
        out.rates = self.rates + other.rates
        return out

    def __getstate__(self) -> tuple[int, dict[str, DurationCell], Counter[tuple[str, str]]]:
        return (self.tickets, self.durations, self.rates)

    def __setstate__(
        self, state: tuple[int, dict[str, DurationCell], Counter[tuple[str, str]]]
    ) -> None:
        self.tickets, self.durations, self.rates = state


CellKey = tuple[int, tuple[str, ...]]


class Tally:
    """The counters of a report. ``emit`` counts a ticket; ``interval`` its time in backlog."""

    def __init__(self, spec: ReportSpec, calendar: BusinessTime | None) -> None:
        self.spec = spec
        self.calendar = calendar
        self.cells: dict[CellKey, Cell] = {}
        self.breakdowns: Counter[tuple[int, str, str]] = Counter()
        self.backlog: Counter[int] = Counter()
        self.ages: Counter[tuple[int, int]] = Counter()
        self.flows: Counter[tuple[int, str]] = Counter()
        self.sla: Counter[tuple[int, tuple[str, ...], str, str]] = Counter()
        self.csat: Counter[tuple[int, tuple[str, ...], int]] = Counter()
        self.nps: Counter[tuple[int, tuple[str, ...], int]] = Counter()
        self.diagnostics: Counter[str] = Counter()
        self.boundaries = spec.periods.utc_boundaries
        self._durations = [k for k in spec.kpis if isinstance(k, DurationKpi)]
        self._rates = [k for k in spec.kpis if isinstance(k, RateKpi)]

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        del state["_durations"], state["_rates"], state["boundaries"]
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        spec = self.spec
        self.boundaries = spec.periods.utc_boundaries
        self._durations = [k for k in spec.kpis if isinstance(k, DurationKpi)]
        self._rates = [k for k in spec.kpis if isinstance(k, RateKpi)]

    def merged(self, other: Tally) -> Tally:
        """A new tally with the sums of both."""
        out = Tally(self.spec, self.calendar)
        for key in self.cells.keys() | other.cells.keys():
            mine, theirs = self.cells.get(key), other.cells.get(key)
            out.cells[key] = (mine or Cell()).merged(theirs or Cell())
        for name in ("breakdowns", "backlog", "ages", "flows", "sla", "csat", "nps", "diagnostics"):
            setattr(out, name, getattr(self, name) + getattr(other, name))
        return out

    # -- counting --------------------------------------------------------------------------------

    def flow(self, at: dt.datetime, name: str) -> None:
        """Count a backlog flow (``opened``, ``reopened``, ``closed``, ``cancelled``) at ``at``."""
        index = self.spec.periods.index(at)
        if index is not None:
            self.flows[(index, name)] += 1

    def interval(self, start: dt.datetime, end: dt.datetime | None, opened_at: dt.datetime) -> None:
        """A stretch ``[start, end)`` in the backlog (``end`` None: still open at the end).

        It counts at every boundary ``b`` with ``start < b <= end``: the ticket is open once
        every event before ``b`` is applied.
        """
        bounds = self.boundaries
        first = bisect_right(bounds, start)
        last = len(bounds) if end is None else bisect_right(bounds, end)
        buckets = self.spec.age_buckets
        for j in range(first, last):
            self.backlog[j] += 1
            self.ages[(j, bisect_left(buckets, bounds[j] - opened_at))] += 1

    def emit(self, track: Track, as_of: dt.datetime) -> None:
        """Count a ticket in its cohort (the period it was opened in)."""
        index = self.spec.periods.index(track.opened_at)
        if index is None:
            return
        spec = self.spec
        group = tuple(track.dimension(d) for d in spec.group_by)
        cell = self.cells.get((index, group))
        if cell is None:
            cell = self.cells[(index, group)] = Cell()
        cell.tickets += 1
        for dimension in spec.breakdowns:
            self.breakdowns[(index, dimension.value, track.dimension(dimension))] += 1
        admitted: dict[Population, bool] = {}

        def admits(population: Population) -> bool:
            if population not in admitted:
                admitted[population] = population.admits(
                    track.kind, track.channel, track.category, track.priority, track.cancelled
                )
            return admitted[population]

        for kpi in self._durations:
            if admits(kpi.population):
                self._duration(cell.duration(kpi.name), kpi, track)
        for rate in self._rates:
            if admits(rate.population):
                cell.rates[(rate.name, self._verdict(rate, track, as_of))] += 1

    def _duration(self, cell: DurationCell, kpi: DurationKpi, track: Track) -> None:
        start, end = track.milestone(kpi.start), track.milestone(kpi.end)
        if start is None or end is None:
            if track.status.is_final:
                cell.excluded += 1
            else:
                cell.censored += 1
            return
        if end < start:
            cell.excluded += 1
            return
        if kpi.basis is TimeBasis.CALENDAR:
            delta = end - start  # both UTC: physical time
        else:
            assert self.calendar is not None
            delta = self.calendar.elapsed(start, end)
        cell.add(delta // _MICROSECOND)

    def _verdict(self, rate: RateKpi, track: Track, as_of: dt.datetime) -> str:
        """``yes``, ``no``, ``censored`` or ``out`` (not in the denominator)."""
        window = self.spec.reopen_window
        if rate.denominator is Outcome.RESOLVED and track.first_resolved_at is None:
            return "out" if track.status.is_final else "censored"
        decided = track.decided(rate.numerator, as_of, window)
        if not decided and rate.open_tickets is OpenTickets.EXCLUDE:
            return "censored"
        verdict = "yes" if track.has(rate.numerator) else "no"
        return verdict if decided else f"open_{verdict}"
