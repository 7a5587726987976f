"""One clock of one ticket: what governs it, its cycles, and how it reads at an instant.

A :class:`Track` is what the fold keeps per clock (per clock and group for an OLA); the
functions here turn a track into :class:`ClockState` values. They are shared by
:meth:`SlaTracker.report` (one ticket) and the sweep (many tickets measured in bulk), so both
build their states with the very same code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import attrs

from itsm_core.calendar import TWENTY_FOUR_SEVEN, BusinessTime, Calendar
from itsm_core.sla._definition import ClockDefinition
from itsm_core.sla._duration import Duration
from itsm_core.sla._measure import Progress, Run
from itsm_core.sla._policy import MetricSpec
from itsm_core.sla._state import ClockState, ClockStatus, ThresholdState
from itsm_core.sla._thresholds import Threshold

#: The default of :meth:`Track.but`: keep the field as it is.
_KEEP: Any = object()


@attrs.frozen
class InForce:
    """What governs a clock now: the policy, metric, target and calendar.

    A track keeps the same instance for as long as nothing of this changes, so the target's
    clock time is computed once per cycle start (a "working days" target costs a look-up in
    the calendar's working-day index) and remembered in ``_target_times``. That memo is private and
    derived: it maps a cycle's start to a value that depends only on this instance's fields,
    so sharing it between threads can at worst compute the same value twice.

    Beyond the dates a calendar's holiday data covers, the clock is measured on the
    calendar's weekly pattern (its :meth:`~itsm_core.calendar.Calendar.extrapolating` twin)
    instead of failing, and each state measured there carries a ``coverage_warning``.
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
    #: The clock's time base: the calendar for working units, else physical time.
    base: BusinessTime = attrs.field(init=False, eq=False, repr=False)
    #: The calendar as clocks measure on it: extrapolating beyond its holiday coverage.
    measuring: BusinessTime = attrs.field(init=False, eq=False, repr=False)
    #: The calendar whose coverage the clock's instants are checked against (None: no limit).
    bounded: Calendar | None = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        physical = self.target is not None and not self.target.working
        calendar = self.calendar
        measuring = calendar.extrapolating() if isinstance(calendar, Calendar) else calendar
        bounded = None if physical or measuring is calendar else calendar
        object.__setattr__(self, "measuring", measuring)
        object.__setattr__(self, "bounded", bounded)
        object.__setattr__(self, "base", TWENTY_FOUR_SEVEN if physical else measuring)

    def target_time(self, started_at: dt.datetime) -> dt.timedelta | None:
        """The target as clock time for a cycle started at ``started_at``."""
        if self.target is None:
            return None
        found = self._target_times.get(started_at)
        if found is None:
            found = self.target.clock_time(started_at, self.measuring)
            self._target_times[started_at] = found
        return found

    def coverage_warning(self, *instants: dt.datetime | None) -> str | None:
        """What to say when one of ``instants`` lies beyond the holiday data of the calendar
        (measured there on its weekly pattern); None when all are covered."""
        bounded = self.bounded
        if bounded is None:
            return None
        outside = [t for t in instants if t is not None and not bounded.covers(t)]
        if not outside:
            return None
        first, last = bounded.covered_from, bounded.covered_until
        return (
            f"calendar {self.calendar_name!r} has holiday data for {first} to {last} only: "
            f"times outside it (from {min(outside).isoformat()}) follow its weekly pattern"
        )

    def same_terms(self, other: InForce) -> bool:
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
class Track:
    """One clock of one ticket while folding: what governs it, its cycle under way, its past.

    ``memo`` is private and derived: the sweep keeps there what it computed once about this
    track's cycle under way (see ``_plan``). A track that changes is a new value with an empty
    memo; one that an event leaves alone keeps it.
    """

    name: str
    group: str | None
    in_force: InForce | None = None
    run: Run | None = None
    done: tuple[ClockState, ...] = ()
    last: Run | None = None
    count: int = 0
    window: int = 0
    memo: dict[str, Any] = attrs.field(factory=dict, init=False, eq=False, repr=False)

    @property
    def key(self) -> tuple[str, str]:
        return (self.name, self.group or "")

    def but(
        self,
        *,
        in_force: InForce | None = _KEEP,
        run: Run | None = _KEEP,
        done: tuple[ClockState, ...] = _KEEP,
        last: Run | None = _KEEP,
        count: int = _KEEP,
        window: int = _KEEP,
    ) -> Track:
        """This track with the fields given changed: ``attrs.evolve`` without its generic
        cost, for the fold changes a track on most events."""
        return Track(
            self.name,
            self.group,
            self.in_force if in_force is _KEEP else in_force,
            self.run if run is _KEEP else run,
            self.done if done is _KEEP else done,
            self.last if last is _KEEP else last,
            self.count if count is _KEEP else count,
            self.window if window is _KEEP else window,
        )


def not_started(track: Track, in_force: InForce, now: dt.datetime) -> ClockState:
    """A clock that applies but has not started yet, at ``now``."""
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


def measure(
    track: Track,
    in_force: InForce,
    run: Run,
    now: dt.datetime,
    *,
    stopped: bool = False,
    reason: str | None = None,
) -> ClockState:
    """The state of ``run`` at ``now`` (its stop, when ``stopped``)."""
    progress = Progress(in_force.base, run)
    target = in_force.target_time(run.started_at)
    return clock_state(
        track,
        in_force,
        run,
        now,
        progress.elapsed(now),
        target,
        progress.instant,
        stopped=stopped,
        reason=reason,
    )


def clock_state(
    track: Track,
    in_force: InForce,
    run: Run,
    now: dt.datetime,
    spent: dt.timedelta,
    target: dt.timedelta | None,
    instant: Callable[[dt.timedelta], dt.datetime | None],
    *,
    stopped: bool = False,
    reason: str | None = None,
) -> ClockState:
    """The state of ``run`` at ``now``, given its clock time ``spent`` so far, its ``target``
    clock time and ``instant(point)``, when the run reaches a clock time (see
    :meth:`Progress.instant`)."""
    remaining = percent = due = breached_at = None
    thresholds: tuple[ThresholdState, ...] = ()
    if target is not None:
        remaining = target - spent
        percent = spent / target * 100 if target else None
        due = instant(target)
        instants = {target: due}  # each distinct point is looked up on the calendar once
        if due is not None and due <= now and (not stopped or spent > target):
            breached_at = due
        if due is None and stopped:
            due = in_force.base.add(now, remaining) if remaining > dt.timedelta(0) else None
        points = [(t, t.point(target)) for t in in_force.spec.thresholds]
        for _, point in points:
            if point not in instants:
                instants[point] = instant(point)
        thresholds = tuple(threshold_state(t, point, instants[point], now) for t, point in points)
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
    warning = in_force.coverage_warning(
        run.started_at, now, due, *(t.at for t in thresholds), run.original_due_at
    )
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
        coverage_warning=warning,
    )


def threshold_state(
    threshold: Threshold, point: dt.timedelta, at: dt.datetime | None, now: dt.datetime
) -> ThresholdState:
    """A threshold of a cycle at ``now``: reached at ``at`` (None: not known to be reached)."""
    return ThresholdState(
        name=threshold.name,
        action=threshold.action,
        notify=threshold.notify,
        level=threshold.level,
        point=point,
        at=at,
        reached=at is not None and at <= now,
    )
