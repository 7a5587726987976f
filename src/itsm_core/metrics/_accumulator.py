"""One pass over ticket events to a KPI report, in partial results that merge."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from itsm_core._checks import check_aware
from itsm_core._plain import shown
from itsm_core.calendar import BusinessTime
from itsm_core.errors import (
    InvalidKpiDefinition,
    Problem,
    ShardOverlap,
    ValidationError,
)
from itsm_core.metrics._inputs import SlaOutcome, SurveyAnswer
from itsm_core.metrics._report import build_report
from itsm_core.metrics._results import KpiReport
from itsm_core.metrics._spec import ReportSpec
from itsm_core.metrics._tally import Tally
from itsm_core.metrics._track import ACTIVE, CANCELLED, FINAL, NONE_LABEL, Track
from itsm_core.tickets import TicketEvent

_UTC = dt.UTC
#: Before any event: the latest event seen, while none has been.
_EARLIEST = dt.datetime.min.replace(tzinfo=_UTC)


class KpiAccumulator:
    """Streams ticket events (plus SLA outcomes and survey answers) into a KPI report.

    Feed events with :meth:`add` / :meth:`add_all` in any interleaving of tickets, each
    ticket's events in their order; then :meth:`report`. Memory holds the counters of each
    period and group and one small record per ticket still in flight (dropped when the ticket
    is closed or cancelled); events are never kept.

    Partial results merge: build one accumulator per shard (all events of a ticket in the
    same shard), then ``a.merge(b)``. Merging is associative and commutative and the merged
    report equals the report of one pass over all events. Accumulators pickle, so shards can
    run in a process pool.

    The accumulator is the one mutable object of the package: it is a fold, like a
    ``collections.Counter``. :meth:`report` does not change it.

    Args:
        spec: what to compute.
        calendar: measures business time (a :class:`~itsm_core.calendar.BusinessTime`, such
            as a ``BusinessCalendar``); required when a KPI of the spec is in business time.
    """

    def __init__(self, spec: ReportSpec, *, calendar: BusinessTime | None = None) -> None:
        if spec.needs_calendar and calendar is None:
            raise InvalidKpiDefinition(
                "report spec",
                [Problem("calendar", "a KPI is in business time: pass a calendar")],
            )
        self.spec = spec
        self.calendar = calendar
        self._tally = Tally(spec, calendar)
        self._tracks: dict[str, Track] = {}
        # The latest event of the tickets no longer in flight and of orphan events (those in
        # flight hold theirs): kept per ticket, not per event.
        self._latest: dt.datetime | None = None

    # -- feeding ---------------------------------------------------------------------------------

    def add(self, event: TicketEvent) -> None:
        """Fold one ticket event in."""
        self.add_all((event,))

    def add_all(self, events: Iterable[TicketEvent]) -> KpiAccumulator:
        """Fold every event in; returns the accumulator (for chaining)."""
        # The one loop every event goes through: names bound locally, diagnostics counted in
        # locals and written back at the end (also when an event is refused).
        tally = self._tally
        tracks = self._tracks
        window = self.spec.reopen_window
        period, flow, leave, emit = tally.period, tally.flow, tally.leave, tally.emit
        opened = tally.flows["opened"]
        latest = _EARLIEST if self._latest is None else self._latest  # of finished tickets
        count = orphans = reordered = tickets = 0
        try:
            for count, event in enumerate(events, start=1):  # noqa: B007 (read after the loop)
                at = event.at
                if at.tzinfo is not _UTC:
                    at = at.astimezone(_UTC)
                track = tracks.get(event.ticket_id)
                if track is None:
                    if event.from_state is not None:
                        orphans += 1
                        latest = max(latest, at)
                        continue
                    index = period(at)
                    tracks[event.ticket_id] = Track(event, at, index)
                    tickets += 1
                    if index is not None:
                        opened[index] += 1
                    continue
                if event.from_state is None:
                    latest = max(latest, at)
                    raise ValidationError(
                        "KpiAccumulator.add",
                        [Problem("event", f"ticket {shown(event.ticket_id)} is opened twice")],
                    )
                if at < track.last_at:
                    at = track.last_at
                    reordered += 1
                track.last_at = at
                before = track.apply(event, at, window)
                if before is None:
                    continue
                # The ticket moved (or stays final): backlog, flows, and its figures once final.
                after = track.status
                if before in ACTIVE:
                    if after not in ACTIVE:
                        assert track.active_since is not None
                        leave(track.active_since, at, track.opened_at, after is CANCELLED)
                        track.active_since = None
                elif after in ACTIVE:
                    track.active_since = at
                    flow(at, "reopened")
                if after in FINAL:
                    del tracks[event.ticket_id]
                    latest = max(latest, at)  # the ticket's last event
                    emit(track, at)
        finally:
            if latest is not _EARLIEST:
                self._latest = latest
            diagnostics = tally.diagnostics
            diagnostics["events"] += count
            if tickets:
                diagnostics["tickets"] += tickets
            if orphans or reordered:
                diagnostics["orphan_events"] += orphans
                diagnostics["reordered_events"] += reordered
        return self

    def _group(self, dimensions: dict[str, str]) -> tuple[str, ...]:
        return tuple(dimensions.get(d.value, NONE_LABEL) for d in self.spec.group_by)

    def add_sla(self, outcome: SlaOutcome) -> None:
        """Count one SLA clock outcome in the period of its ``at``."""
        index = self.spec.periods.index(outcome.at)
        if index is not None:
            group = self._group(dict(outcome.dimensions))
            self._tally.sla[(index, group, outcome.metric, outcome.status.value)] += 1

    def add_survey(self, answer: SurveyAnswer) -> None:
        """Count one survey answer in the period of its ``at``."""
        index = self.spec.periods.index(answer.at)
        if index is not None:
            group = self._group(dict(answer.dimensions))
            if answer.csat is not None:
                self._tally.csat[(index, group, answer.csat)] += 1
            if answer.nps is not None:
                self._tally.nps[(index, group, answer.nps)] += 1

    # -- combining -------------------------------------------------------------------------------

    def merge(self, other: KpiAccumulator) -> KpiAccumulator:
        """A new accumulator holding both partial results (neither is changed).

        Raises:
            ValidationError: the specs differ.
            ShardOverlap: both hold the same ticket in flight (shards must partition tickets).
        """
        if other.spec != self.spec:
            raise ValidationError(
                "KpiAccumulator.merge", [Problem("spec", "partial results of different specs")]
            )
        shared = self._tracks.keys() & other._tracks.keys()
        if shared:
            listed = ", ".join(sorted(shared)[:5])
            raise ShardOverlap(
                "KpiAccumulator.merge",
                [Problem("tickets", f"{len(shared)} tickets in both shards: {listed}")],
            )
        out = KpiAccumulator(self.spec, calendar=self.calendar)
        out._tally = self._tally.merged(other._tally)
        out._tracks = {**self._tracks, **other._tracks}
        latest = [t for t in (self._latest, other._latest) if t is not None]
        out._latest = max(latest) if latest else None
        return out

    # -- reporting -------------------------------------------------------------------------------

    @property
    def in_flight(self) -> int:
        """Tickets in flight (opened, not yet closed or cancelled)."""
        return len(self._tracks)

    def _latest_event(self) -> dt.datetime | None:
        """The time of the latest event seen (UTC), None before any."""
        times = [track.last_at for track in self._tracks.values()]
        if self._latest is not None:
            times.append(self._latest)
        return max(times, default=None)

    def report(self, as_of: dt.datetime | None = None) -> KpiReport:
        """The report as of ``as_of``: tickets still in flight count as open (censored).

        ``as_of`` defaults to the end of the reporting range, or the latest event if later; it
        may not be earlier than the latest event seen.
        """
        grid_end = self.spec.periods.end
        latest = self._latest_event()
        if as_of is None:
            as_of = grid_end if latest is None else max(grid_end, latest)
        check_aware(as_of, "KpiAccumulator.report.as_of")
        if latest is not None and as_of < latest:
            raise ValidationError(
                "KpiAccumulator.report",
                [Problem("as_of", f"{as_of} is before the latest event {latest}")],
            )
        # Tickets in flight are counted in a tally of their own, added to a read-only view.
        in_flight = Tally(self.spec, self.calendar)
        for track in self._tracks.values():
            if track.active_since is not None:
                in_flight.interval(track.active_since, None, track.opened_at)
            in_flight.emit(track, as_of)
        return build_report(self._tally.merged(in_flight, share=True), as_of, len(self._tracks))
