"""The SLA engine: fold a ticket's events into its clocks, then measure them at any instant."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

import attrs

from itsm_core._checks import check_aware
from itsm_core.calendar import TWENTY_FOUR_SEVEN, BusinessTime
from itsm_core.errors import Problem, ValidationError
from itsm_core.sla._conditions import Fact
from itsm_core.sla._definition import ClockDefinition, Restart
from itsm_core.sla._duration import Duration
from itsm_core.sla._measure import GAP, Progress, Run
from itsm_core.sla._policy import MetricSpec, OnChange
from itsm_core.sla._selection import PolicySet, Selection, metrics_in_force
from itsm_core.sla._state import ClockState, ClockStatus, SlaReport, ThresholdState
from itsm_core.sla._thresholds import Threshold
from itsm_core.tickets import Ticket, TicketEvent, apply_event

Calendars = Mapping[str, BusinessTime]


@attrs.frozen
class _InForce:
    """What governs a clock now: the policy, metric, target and calendar.

    A track keeps the same instance for as long as nothing of this changes, so the target's
    clock time is computed once per cycle start (a "working days" target costs a look-up in
    the calendar's working-day index) and remembered in ``_target_times``. That memo is private and
    derived: it maps a cycle's start to a value that depends only on this instance's fields,
    so sharing it between threads can at worst compute the same value twice.
    """

    policy: str
    spec: MetricSpec
    definition: ClockDefinition
    target: Duration | None
    calendar_name: str
    calendar: BusinessTime
    _target_times: dict[dt.datetime, dt.timedelta] = attrs.field(
        factory=dict, init=False, eq=False, repr=False
    )

    @property
    def base(self) -> BusinessTime:
        """The clock's time base: the calendar for working units, else physical time."""
        if self.target is not None and not self.target.working:
            return TWENTY_FOUR_SEVEN
        return self.calendar

    def target_time(self, started_at: dt.datetime) -> dt.timedelta | None:
        """The target as clock time for a cycle started at ``started_at``."""
        if self.target is None:
            return None
        found = self._target_times.get(started_at)
        if found is None:
            found = self.target.clock_time(started_at, self.calendar)
            self._target_times[started_at] = found
        return found

    def same_terms(self, other: _InForce) -> bool:
        """True when ``other`` differs from this at most in its calendar object (an edited
        calendar under the same name re-projects the clock; other changes follow ``on_change``)."""
        return (
            self.policy == other.policy
            and self.spec == other.spec
            and self.definition == other.definition
            and self.target == other.target
            and self.calendar_name == other.calendar_name
        )

    def governs_as(
        self, policy: str, spec: MetricSpec, target: Duration | None, name: str, calendar: object
    ) -> bool:
        """True when this is what ``policy``'s ``spec`` with ``target`` on ``calendar`` (named
        ``name``) would build: the track keeps it (and its memo) instead of building anew."""
        return (
            self.spec is spec
            and self.policy == policy
            and self.target == target
            and self.calendar_name == name
            and self.calendar is calendar
        )


@attrs.frozen
class _Track:
    """One clock of one ticket while folding: what governs it, its cycle under way, its past."""

    name: str
    group: str | None
    in_force: _InForce | None = None
    run: Run | None = None
    done: tuple[ClockState, ...] = ()
    last: Run | None = None
    count: int = 0
    window: int = 0

    @property
    def key(self) -> tuple[str, str]:
        return (self.name, self.group or "")


@attrs.frozen(kw_only=True)
class SlaTracker:
    """The SLA state of one ticket, folded from its events; frozen, so any prefix can be kept
    and continued: ``tracker.apply_all(a).apply_all(b)`` equals ``tracker.apply_all(a + b)``.

    ``calendars`` maps the calendar names policies use to calendars; ``customer_calendars``
    maps requesters to their own calendars (for metrics with ``customer_calendar``).
    """

    policies: PolicySet
    calendars: Calendars = attrs.field(factory=dict)
    customer_calendars: Calendars = attrs.field(factory=dict)
    ticket: Ticket | None = None
    facts: tuple[Fact, ...] = ()
    tracks: tuple[_Track, ...] = ()
    selection: Selection | None = None

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
        for event in events:
            ticket = apply_event(ticket, event)
            facts.append(Fact(event, ticket))
            self._judge(facts, tracks)
        if ticket is None or len(facts) == len(self.facts):
            return self
        return attrs.evolve(
            self,
            ticket=ticket,
            facts=tuple(facts),
            tracks=tuple(tracks[k] for k in sorted(tracks)),
            selection=self.policies.select(ticket, facts[-1]),
        )

    def _judge(self, facts: Sequence[Fact], tracks: dict[tuple[str, str], _Track]) -> None:
        """Judge the last of ``facts`` on every clock, updating ``tracks`` in place."""
        index = len(facts) - 1
        fact = facts[index]
        ticket = fact.ticket
        wanted: dict[tuple[str, str], _InForce] = {}
        for name, (policy, spec) in metrics_in_force(self.policies, fact).items():
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
            tracks[key] = _Track(key[0], key[1] or None)
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
        track: _Track | None,
    ) -> _InForce:
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
                f"policy {policy!r}",
                [Problem(f"{spec.name}.calendar", f"no calendar {spec.calendar!r} was given")],
            )
        target = spec.target_for(ticket)
        current = None if track is None else track.in_force
        if current is not None and current.governs_as(policy, spec, target, name, calendar):
            return current
        definition = spec.clock if group is None else spec.clock.for_group(group)
        return _InForce(policy, spec, definition, target, name, calendar)

    def report(self, now: dt.datetime) -> SlaReport:
        """Every clock measured at ``now`` (not before the last event)."""
        check_aware(now, "now")
        if self.ticket is None:
            raise ValidationError("SlaTracker", [Problem("events", "no events yet")])
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
                clocks.append(_measure(track, track.in_force, track.run, now))
            elif track.done:
                history.extend(track.done[:-1])
                clocks.append(track.done[-1])
            elif track.in_force is not None:
                clocks.append(_not_started(track, track.in_force, now))
        selection = self.selection
        return SlaReport(
            ticket_id=self.ticket.id,
            at=now,
            clocks=tuple(clocks),
            history=tuple(history),
            policies=() if selection is None else selection.policies,
            selection=() if selection is None else selection.explanation,
        )


def _govern(track: _Track, wanted: _InForce | None, facts: Sequence[Fact], index: int) -> _Track:
    """Apply a change of what governs the clock (policy, target, calendar) at ``facts[index]``."""
    current = track.in_force
    if wanted is current:
        return track
    if wanted is not None and current is not None and wanted.same_terms(current):
        if wanted.calendar is current.calendar:
            return track
        return attrs.evolve(track, in_force=wanted)  # an edited calendar re-projects the clock
    at = facts[index].ticket.updated_at
    if wanted is None:
        if track.run is not None and current is not None:
            track = _finish(track, at, "cancelled: no policy supplies this metric any more")
        return attrs.evolve(track, in_force=None, last=None, window=index + 1)
    mode = wanted.spec.on_change
    if current is not None and mode is OnChange.RESTART and track.run is not None:
        track = _finish(track, at, f"cancelled: restarted on a change to {_describe(wanted)}")
        return attrs.evolve(track, in_force=wanted, window=index)
    if mode is OnChange.RETROACTIVE and (current is not None or index > 0):
        return _replay(track, wanted, facts, index)
    return attrs.evolve(track, in_force=wanted)


def _describe(in_force: _InForce) -> str:
    return f"{in_force.policy}/{in_force.target or 'no target'}/{in_force.calendar_name}"


def _replay(track: _Track, wanted: _InForce, facts: Sequence[Fact], index: int) -> _Track:
    """Recompute the cycle under way as if ``wanted`` had governed it from its start: the
    cycle's events (all of them if no cycle ran yet) are judged again by its conditions. The
    event at ``index`` itself is judged afterwards by the caller."""
    fresh = _Track(
        track.name,
        track.group,
        in_force=wanted,
        count=track.count - (1 if track.run is not None else 0),
        last=track.last if track.run is None else None,
        window=track.window,
    )
    for i in range(track.window, index):
        fresh = _step(fresh, facts[i], i)
    return attrs.evolve(fresh, done=(*track.done, *fresh.done))


def _step(track: _Track, fact: Fact, index: int) -> _Track:
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
        return _begin(attrs.evolve(track, last=None), in_force, fact, index)
    if rules.cancels(fact):
        return _finish(track, at, "cancelled: cancel condition", window=index + 1)
    if run.running and rules.pause(fact):
        return attrs.evolve(track, run=run.switch(at, False))
    if not run.running and rules.resumes(fact):
        return attrs.evolve(track, run=run.switch(at, True))
    return track


def _begin(track: _Track, in_force: _InForce, fact: Fact, index: int) -> _Track:
    at = fact.ticket.updated_at
    running = not in_force.definition.pause(fact)
    last = track.last
    if last is not None and in_force.definition.on_restart is Restart.CONTINUE:
        gap = (last.since, at, GAP)
        intervals = last.intervals if at == last.since else (*last.intervals, gap)
        run = attrs.evolve(
            last, number=track.count + 1, intervals=intervals, since=at, running=running
        )
        return attrs.evolve(track, run=run, count=track.count + 1, last=None)
    target = in_force.target_time(at)
    due = None if target is None else in_force.base.add(at, target)
    run = Run(track.count + 1, at, (), at, running, original_due_at=due)
    return attrs.evolve(track, run=run, count=track.count + 1, last=None, window=index)


def _finish(
    track: _Track, at: dt.datetime, reason: str | None, window: int | None = None
) -> _Track:
    """Stop (``reason`` None) or cancel the cycle under way at ``at``; it is frozen from now."""
    assert track.run is not None
    assert track.in_force is not None
    run = track.run.switch(at, False)
    state = _measure(track, track.in_force, run, at, stopped=True, reason=reason)
    return attrs.evolve(
        track,
        run=None,
        done=(*track.done, state),
        last=run if reason is None else None,
        window=track.window if window is None else window,
    )


def _not_started(track: _Track, in_force: _InForce, now: dt.datetime) -> ClockState:
    return ClockState(
        name=track.name,
        group=track.group,
        kind=in_force.definition.kind,
        policy=in_force.policy,
        cycle=0,
        status=ClockStatus.NOT_STARTED,
        measured_at=now,
        target=in_force.target,
        calendar=in_force.calendar_name,
    )


def _measure(
    track: _Track,
    in_force: _InForce,
    run: Run,
    now: dt.datetime,
    *,
    stopped: bool = False,
    reason: str | None = None,
) -> ClockState:
    """The state of ``run`` at ``now`` (its stop, when ``stopped``)."""
    base = in_force.base
    progress = Progress(base, run)
    spent = progress.elapsed(now)
    target = in_force.target_time(run.started_at)
    remaining = percent = due = breached_at = None
    thresholds: tuple[ThresholdState, ...] = ()
    if target is not None:
        remaining = target - spent
        percent = spent / target * 100 if target else None
        due = progress.instant(target)
        instants = {target: due}  # each distinct point is looked up on the calendar once
        if due is not None and due <= now and (not stopped or spent > target):
            breached_at = due
        if due is None and stopped:
            due = base.add(now, remaining) if remaining > dt.timedelta(0) else None
        points = [(t, t.point(target)) for t in in_force.spec.thresholds]
        for _, point in points:
            if point not in instants:
                instants[point] = progress.instant(point)
        thresholds = tuple(_threshold(t, point, instants[point], now) for t, point in points)
    if reason is not None:
        status = ClockStatus.CANCELLED
    elif stopped:
        late = target is not None and spent > target
        status = ClockStatus.MET_LATE if late else ClockStatus.MET
    elif target is not None and spent >= target:
        status = ClockStatus.BREACHED
    else:
        status = ClockStatus.RUNNING if run.running else ClockStatus.PAUSED
    pauses = run.pauses(open_end=not stopped)
    paused_time = sum((TWENTY_FOUR_SEVEN.elapsed(a, b or now) for a, b in pauses), dt.timedelta(0))
    return ClockState(
        name=track.name,
        group=track.group,
        kind=in_force.definition.kind,
        policy=in_force.policy,
        cycle=run.number,
        status=status,
        measured_at=now,
        started_at=run.started_at,
        stopped_at=now if stopped else None,
        target=in_force.target,
        target_time=target,
        calendar=in_force.calendar_name,
        elapsed=spent,
        remaining=remaining,
        percent=percent,
        due_at=due,
        original_due_at=run.original_due_at,
        breached_at=breached_at,
        paused=pauses,
        paused_time=paused_time,
        thresholds=thresholds,
        reason=reason,
    )


def _threshold(
    threshold: Threshold, point: dt.timedelta, at: dt.datetime | None, now: dt.datetime
) -> ThresholdState:
    return ThresholdState(
        name=threshold.name,
        action=threshold.action,
        notify=threshold.notify,
        level=threshold.level,
        point=point,
        at=at,
        reached=at is not None and at <= now,
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
    yet history and are left out). Pure: the same arguments always give the same report."""
    check_aware(now, "now")
    tracker = SlaTracker(
        policies=policies,
        calendars=calendars or {},
        customer_calendars=customer_calendars or {},
    )
    return tracker.apply_all(e for e in events if e.at <= now).report(now)


def evaluate_many(
    policies: PolicySet,
    histories: Iterable[Sequence[TicketEvent]],
    now: dt.datetime,
    *,
    calendars: Calendars | None = None,
    customer_calendars: Calendars | None = None,
) -> tuple[SlaReport, ...]:
    """:func:`evaluate` for many tickets at one instant (a dashboard, a scheduler run)."""
    return tuple(
        evaluate(policies, events, now, calendars=calendars, customer_calendars=customer_calendars)
        for events in histories
    )
