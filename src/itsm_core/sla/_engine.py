"""The SLA engine: fold a ticket's events into its clocks, then measure them at any instant."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

import attrs

from itsm_core._checks import check_aware
from itsm_core._plain import shown
from itsm_core.calendar import TWENTY_FOUR_SEVEN, BusinessTime
from itsm_core.errors import ItsmError, Problem, ValidationError
from itsm_core.sla._conditions import Fact
from itsm_core.sla._definition import Restart
from itsm_core.sla._measure import GAP, Run
from itsm_core.sla._plan import TrackerPlan, tracker_plan
from itsm_core.sla._policy import MetricSpec, OnChange, SlaPolicy
from itsm_core.sla._selection import PolicySet, Selection, metrics_in_force
from itsm_core.sla._state import ClockState, SlaBatch, SlaReport, SweepError
from itsm_core.sla._track import InForce, Track, measure, not_started
from itsm_core.tickets import Ticket, TicketEvent, apply_event

Calendars = Mapping[str, BusinessTime]


@attrs.frozen(kw_only=True)
class SlaTracker:
    """The SLA state of one ticket, folded from its events; frozen, so any prefix can be kept
    and continued: ``tracker.apply_all(a).apply_all(b)`` equals ``tracker.apply_all(a + b)``.

    ``calendars`` maps the calendar names policies use to calendars; ``customer_calendars``
    maps requesters to their own calendars (for metrics with ``customer_calendar``).

    Each tracker value also keeps, privately, what a :func:`sweep` needs of it (its clocks
    split into what a later instant changes and what it does not), worked out by the first
    sweep that measures it: a desk that sweeps every minute plans again only the trackers
    that changed since the last sweep.
    """

    policies: PolicySet
    calendars: Calendars = attrs.field(factory=dict)
    customer_calendars: Calendars = attrs.field(factory=dict)
    ticket: Ticket | None = None
    facts: tuple[Fact, ...] = ()
    tracks: tuple[Track, ...] = ()
    selection: Selection | None = None
    _plan: TrackerPlan | None = attrs.field(default=None, init=False, eq=False, repr=False)

    def apply(self, event: TicketEvent) -> SlaTracker:
        """The tracker after one more event."""
        return self.apply_all((event,))

    def apply_all(self, events: Iterable[TicketEvent]) -> SlaTracker:
        """The tracker after ``events``, in order.

        The events are folded into local working copies (the facts as a list, the tracks by
        key) and the new frozen tracker is built once at the end, so a long history costs no
        copy of the whole state per event; the policy selection is explained once, for the
        last event (the only explanation a tracker keeps).
        """
        ticket = self.ticket
        facts = list(self.facts)
        tracks = {t.key: t for t in self.tracks}
        pending = list(events)
        selection = self.selection
        for n, event in enumerate(pending, start=1 - len(pending)):
            ticket = apply_event(ticket, event)
            fact = Fact(event, ticket)
            facts.append(fact)
            if n:  # not the last event: the metrics, without the words
                metrics = metrics_in_force(self.policies, fact)
            else:  # the last: the selection the tracker keeps, explained
                selection = self.policies.select(ticket, fact)
                metrics = selection.metrics
            self._judge(facts, tracks, metrics)
        if ticket is None or not pending:
            return self
        return type(self)(
            policies=self.policies,
            calendars=self.calendars,
            customer_calendars=self.customer_calendars,
            ticket=ticket,
            facts=tuple(facts),
            tracks=tuple(tracks[k] for k in sorted(tracks)),
            selection=selection,
        )

    def _judge(
        self,
        facts: Sequence[Fact],
        tracks: dict[tuple[str, str], Track],
        metrics: Mapping[str, tuple[SlaPolicy, MetricSpec]],
    ) -> None:
        """Judge the last of ``facts`` on every clock, under the ``metrics`` in force after
        it, updating ``tracks`` in place."""
        index = len(facts) - 1
        fact = facts[index]
        ticket = fact.ticket
        wanted: dict[tuple[str, str], InForce] = {}
        for name, (policy, spec) in metrics.items():
            if spec.clock.per_group:
                groups = {t.group for t in tracks.values() if t.name == name and t.group}
                if ticket.assignment_group:
                    groups.add(ticket.assignment_group)
                for group in groups:
                    current = tracks.get((name, group))
                    wanted[(name, group)] = self._in_force(
                        policy.name, spec, ticket, group, current
                    )
            else:
                current = tracks.get((name, ""))
                wanted[(name, "")] = self._in_force(policy.name, spec, ticket, None, current)
        for key in wanted.keys() - tracks.keys():
            tracks[key] = Track(key[0], key[1] or None)
        for key, track in tracks.items():
            track = _govern(track, wanted.get(key), facts, index)
            if track.in_force is not None:
                track = _step(track, fact, index)
            tracks[key] = track

    def _in_force(
        self,
        policy: str,
        spec: MetricSpec,
        ticket: Ticket,
        group: str | None,
        track: Track | None,
    ) -> InForce:
        """What governs the clock after this event; the ``track``'s own when unchanged."""
        own = self.customer_calendars.get(ticket.requester) if spec.customer_calendar else None
        if own is not None:
            name, calendar = f"customer:{ticket.requester}", own
        elif spec.calendar is None:
            name, calendar = "24x7", TWENTY_FOUR_SEVEN
        elif spec.calendar in self.calendars:
            name, calendar = spec.calendar, self.calendars[spec.calendar]
        else:
            raise ValidationError(
                f"policy {shown(policy)}",
                [Problem(f"{spec.name}.calendar", f"no calendar {shown(spec.calendar)} was given")],
            )
        target = spec.target_for(ticket)
        current = None if track is None else track.in_force
        if current is not None and current.governs_as(policy, spec, target, name, calendar):
            return current
        definition = spec.clock if group is None else spec.clock.for_group(group)
        return InForce(policy, spec, definition, target, name, calendar)

    def report(self, now: dt.datetime) -> SlaReport:
        """Every clock measured at ``now`` (not before the last event)."""
        check_aware(now, "now")
        if self.ticket is None:
            raise ValidationError(
                "SlaTracker.report",
                [
                    Problem(
                        "events",
                        "no events yet: a ticket's SLA clocks start with its first event "
                        "('open'); apply the ticket's events before measuring it",
                    )
                ],
            )
        if now < self.ticket.updated_at:
            raise ValidationError(
                "SlaTracker.report",
                [Problem("now", f"{now.isoformat()} is before the last event")],
            )
        clocks: list[ClockState] = []
        history: list[ClockState] = []
        for track in self.tracks:
            if track.run is not None and track.in_force is not None:
                history.extend(track.done)
                clocks.append(measure(track, track.in_force, track.run, now))
            elif track.done:
                history.extend(track.done[:-1])
                clocks.append(track.done[-1])
            elif track.in_force is not None:
                clocks.append(not_started(track, track.in_force, now))
        selection = self.selection
        return SlaReport(
            ticket_id=self.ticket.id,
            at=now,
            clocks=tuple(clocks),
            history=tuple(history),
            policies=() if selection is None else selection.policies,
            selection=() if selection is None else selection.explanation,
        )


def plan_of(tracker: SlaTracker) -> TrackerPlan | None:
    """What a sweep needs of ``tracker`` (made once per tracker value); None before any event."""
    plan = tracker._plan
    if plan is None and tracker.ticket is not None:
        plan = tracker_plan(tracker.ticket, tracker.tracks, tracker.selection)
        object.__setattr__(tracker, "_plan", plan)  # a derived memo, see the class docstring
    return plan


def _govern(track: Track, wanted: InForce | None, facts: Sequence[Fact], index: int) -> Track:
    """Apply a change of what governs the clock (policy, target, calendar) at ``facts[index]``."""
    current = track.in_force
    if wanted is current:
        return track
    if wanted is not None and current is not None and wanted.same_terms(current):
        if wanted.calendar is current.calendar:
            return track
        return track.but(in_force=wanted)  # an edited calendar re-projects the clock
    at = facts[index].ticket.updated_at
    if wanted is None:
        if track.run is not None and current is not None:
            track = _finish(track, at, "cancelled: no policy supplies this metric any more")
        return track.but(in_force=None, last=None, window=index + 1)
    mode = wanted.spec.on_change
    if current is not None and mode is OnChange.RESTART and track.run is not None:
        track = _finish(track, at, f"cancelled: restarted on a change to {_describe(wanted)}")
        return track.but(in_force=wanted, window=index)
    if mode is OnChange.RETROACTIVE and (current is not None or index > 0):
        return _replay(track, wanted, facts, index)
    return track.but(in_force=wanted)


def _describe(in_force: InForce) -> str:
    return f"{in_force.policy}/{in_force.target or 'no target'}/{in_force.calendar_name}"


def _replay(track: Track, wanted: InForce, facts: Sequence[Fact], index: int) -> Track:
    """Recompute the cycle under way as if ``wanted`` had governed it from its start: the
    cycle's events (all of them if no cycle ran yet) are judged again by its conditions. The
    event at ``index`` itself is judged afterwards by the caller."""
    fresh = Track(
        track.name,
        track.group,
        in_force=wanted,
        count=track.count - (1 if track.run is not None else 0),
        last=track.last if track.run is None else None,
        window=track.window,
    )
    for i in range(track.window, index):
        fresh = _step(fresh, facts[i], i)
    return fresh.but(done=(*track.done, *fresh.done))


def _step(track: Track, fact: Fact, index: int) -> Track:
    """Judge one event by the clock's six conditions (see :class:`ClockDefinition`)."""
    in_force = track.in_force
    assert in_force is not None
    rules = in_force.definition
    at = fact.ticket.updated_at
    run = track.run
    if run is None:
        if rules.start(fact) and not rules.stop(fact) and not rules.cancel(fact):
            return _begin(track, in_force, fact, index)
        return track
    if rules.stop(fact):
        return _finish(track, at, None, window=index + 1)
    if rules.reset(fact) and rules.start(fact):
        track = _finish(track, at, "cancelled: reset")
        return _begin(track.but(last=None), in_force, fact, index)
    if rules.cancels(fact):
        return _finish(track, at, "cancelled: cancel condition", window=index + 1)
    if run.running and rules.pause(fact):
        return track.but(run=run.switch(at, False))
    if not run.running and rules.resumes(fact):
        return track.but(run=run.switch(at, True))
    return track


def _begin(track: Track, in_force: InForce, fact: Fact, index: int) -> Track:
    at = fact.ticket.updated_at
    running = not in_force.definition.pause(fact)
    last = track.last
    if last is not None and in_force.definition.on_restart is Restart.CONTINUE:
        gap = (last.since, at, GAP)
        intervals = last.intervals if at == last.since else (*last.intervals, gap)
        run = Run(track.count + 1, last.started_at, intervals, at, running, last.original_due_at)
        return track.but(run=run, count=track.count + 1, last=None)
    target = in_force.target_time(at)
    due = None if target is None else in_force.base.add(at, target)
    run = Run(track.count + 1, at, (), at, running, original_due_at=due)
    return track.but(run=run, count=track.count + 1, last=None, window=index)


def _finish(track: Track, at: dt.datetime, reason: str | None, window: int | None = None) -> Track:
    """Stop (``reason`` None) or cancel the cycle under way at ``at``; it is frozen from now."""
    assert track.run is not None
    assert track.in_force is not None
    run = track.run.switch(at, False)
    state = measure(track, track.in_force, run, at, stopped=True, reason=reason)
    return track.but(
        run=None,
        done=(*track.done, state),
        last=run if reason is None else None,
        window=track.window if window is None else window,
    )


def evaluate(
    policies: PolicySet,
    events: Sequence[TicketEvent],
    now: dt.datetime,
    *,
    calendars: Calendars | None = None,
    customer_calendars: Calendars | None = None,
) -> SlaReport:
    """The SLA clocks of one ticket at ``now``, from its events (those after ``now`` are not
    yet history and are left out). Pure: the same arguments always give the same report.

    Raises ValidationError when there is nothing to measure yet (no events, or none at or
    before ``now``), saying which."""
    check_aware(now, "now")
    history = list(events)
    kept = [e for e in history if e.at <= now]
    if not kept:
        if history:
            first = min(e.at for e in history)
            why = (
                f"ticket {history[0].ticket_id!r} has no event at or before now "
                f"({now.isoformat()}): its first is at {first.isoformat()}"
            )
        else:
            why = "no events: a ticket's SLA clocks start with its first event ('open')"
        raise ValidationError("evaluate", [Problem("events", why)])
    tracker = SlaTracker(
        policies=policies,
        calendars=calendars or {},
        customer_calendars=customer_calendars or {},
    )
    return tracker.apply_all(kept).report(now)


def evaluate_many(
    policies: PolicySet,
    histories: Iterable[Sequence[TicketEvent]],
    now: dt.datetime,
    *,
    calendars: Calendars | None = None,
    customer_calendars: Calendars | None = None,
    strict: bool = False,
) -> SlaBatch:
    """:func:`evaluate` for many tickets at one instant (a dashboard, a scheduler run).

    A history that cannot be measured (no events yet, an event of another ticket, a calendar
    not given...) does not fail the batch: its error is in the result's ``errors`` (with its
    position and ticket) and the others are measured as usual. The result iterates like the
    tuple of reports it holds; with ``strict=True`` the first error is raised instead (as
    before errors were collected). A bad argument (a naive ``now``) still raises.

    Each history is folded again; a desk that measures the same open tickets again and again
    keeps an :class:`SlaTracker` per ticket and measures them all with :func:`sweep`.

    >>> batch = evaluate_many(PolicySet(policies=()), [[]], dt.datetime(2026, 1, 5, tzinfo=dt.UTC))
    >>> batch.reports, [(e.index, e.ticket_id) for e in batch.errors]
    ((), [(0, None)])
    """
    check_aware(now, "now")
    reports: list[SlaReport] = []
    errors: list[SweepError] = []
    for index, events in enumerate(histories):
        history = list(events)
        try:
            reports.append(
                evaluate(
                    policies,
                    history,
                    now,
                    calendars=calendars,
                    customer_calendars=customer_calendars,
                )
            )
        except ItsmError as error:
            if strict:
                raise
            ticket_id = history[0].ticket_id if history else None
            errors.append(SweepError(index, ticket_id, error))
    return SlaBatch(at=now, reports=tuple(reports), errors=tuple(errors))
