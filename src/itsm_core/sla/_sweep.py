"""The sweep: the SLA clocks of a whole desk at one instant, in bulk.

A desk keeps one :class:`SlaTracker` per open ticket and feeds it each event as it arrives.
Every minute or so it asks what is due, what breached and when to look again. :func:`sweep`
answers for every tracker at once, with the same figures as each tracker's
:meth:`~SlaTracker.report`, :func:`due_actions` and :func:`next_change_at`:

* what does not depend on the instant was worked out when each tracker was folded (stopped
  cycles, and the deadlines of the cycles under way, see ``_plan``);
* the cycles under way of all trackers are laid out as columns (``_columns``), their
  deadlines still ahead found with one ``add_many`` per calendar, and their working time up
  to ``now`` with one ``elapsed_many`` per calendar;
* only the actions due, the next change and the reports you ask for become Python objects.

A tracker that cannot be measured (no events yet, ``now`` before its last event, a calendar
whose holiday data ends) gets its error in :attr:`SweepResult.errors`; the others are
measured as usual.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from heapq import heapify, heappop
from itertools import accumulate, compress
from operator import attrgetter
from typing import Any

import attrs

from itsm_core._checks import check_aware
from itsm_core.calendar import BusinessTime
from itsm_core.calendar._instants import from_us, to_us
from itsm_core.errors import ItsmError, Problem, ValidationError
from itsm_core.sla._actions import DueAction, due_actions, next_change_at
from itsm_core.sla._columns import BREACHED, PAUSED, TICKING, Columns, Measured, numpy_module
from itsm_core.sla._engine import SlaTracker, plan_of
from itsm_core.sla._plan import LivePlan, TrackerPlan
from itsm_core.sla._state import ClockState, ClockStatus, SlaReport
from itsm_core.sla._track import Track, clock_state, not_started

_PLAN = attrgetter("_plan")
_LIVE = attrgetter("live")
_UPDATED = attrgetter("updated_us")
#: Later than any instant: the "last event" of a tracker the columns leave out.
_NEVER = 1 << 63
_LIVE_STATUS = {
    TICKING: ClockStatus.RUNNING,
    PAUSED: ClockStatus.PAUSED,
    BREACHED: ClockStatus.BREACHED,
}


@attrs.frozen
class SweepError:
    """A tracker the sweep could not measure: its position among the trackers, its ticket
    (None for a tracker without events) and the error its own ``report(now)`` raises."""

    index: int
    ticket_id: str | None
    error: ItsmError


@attrs.frozen(kw_only=True)
class ClockColumns:
    """Every clock of every measured ticket, one row per clock, as columns (tuples).

    The rows are the ``clocks`` of each ticket's report, tickets in the order of the sweep
    (those in error left out): ``ticket_id``, ``clock`` (the clock's key, ``name`` or
    ``name@group``), ``cycle``, ``status``, ``elapsed`` and ``remaining`` clock time (None
    without a target), and ``due_at`` (None when paused before the target or without one).
    """

    ticket_id: tuple[str, ...]
    clock: tuple[str, ...]
    cycle: tuple[int, ...]
    status: tuple[ClockStatus, ...]
    elapsed: tuple[dt.timedelta, ...]
    remaining: tuple[dt.timedelta | None, ...]
    due_at: tuple[dt.datetime | None, ...]

    def __len__(self) -> int:
        return len(self.ticket_id)


def _trackers(values: Iterable[SlaTracker]) -> tuple[SlaTracker, ...]:
    return tuple(values)


@attrs.frozen(eq=False)
class SlaSweep:
    """Many trackers, laid out once to be measured at any instant.

    ``SlaSweep(trackers)`` costs about as much as one measurement; :meth:`at` measures every
    tracker at ``now``. Build a new sweep when trackers change (it is cheap: what each tracker
    needs was worked out when it was folded). :func:`sweep` does both in one call.
    """

    trackers: tuple[SlaTracker, ...] = attrs.field(converter=_trackers)
    _plans: tuple[TrackerPlan | None, ...] = attrs.field(init=False, repr=False)
    _columns: Columns = attrs.field(init=False, repr=False)
    _rows: tuple[int, ...] = attrs.field(init=False, repr=False)
    _ticket_ids: tuple[str | None, ...] = attrs.field(init=False, repr=False)
    _updated: list[int] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        trackers = self.trackers
        if not all(issubclass(kind, SlaTracker) for kind in set(map(type, trackers))):
            given: tuple[object, ...] = trackers
            wrong = next(i for i, t in enumerate(given) if not isinstance(t, SlaTracker))
            raise ValidationError(
                "SlaSweep", [Problem(f"trackers[{wrong}]", "expected an SlaTracker")]
            )
        # Plain loops over up to a million trackers: map() and compress() keep them in C.
        plans: list[TrackerPlan | None] = list(map(_PLAN, trackers))
        for i in [i for i, plan in enumerate(plans) if plan is None]:
            plans[i] = plan_of(trackers[i])
        usable = [plan is not None and plan.error is None for plan in plans]
        good: list[TrackerPlan] = list(compress(plans, usable))  # type: ignore[arg-type]
        index = list(compress(range(len(plans)), usable))
        counts = [0] * len(plans)
        updated = [_NEVER] * len(plans)  # a tracker measured alone is never up to date here
        if len(good) == len(plans):
            counts = list(map(len, map(_LIVE, good)))
            updated = list(map(_UPDATED, good))
        else:
            for i, plan in zip(index, good, strict=True):
                counts[i] = len(plan.live)
                updated[i] = plan.updated_us
        failed: set[int] = set()
        columns = Columns(numpy_module(), index, good, failed)
        for i in failed:
            updated[i] = _NEVER
        object.__setattr__(self, "_plans", tuple(plans))
        object.__setattr__(self, "_columns", columns)
        object.__setattr__(self, "_rows", tuple(accumulate(counts, initial=0)))
        object.__setattr__(
            self, "_ticket_ids", tuple(None if p is None else p.ticket_id for p in plans)
        )
        object.__setattr__(self, "_updated", updated)

    def __len__(self) -> int:
        return len(self.trackers)

    def at(
        self,
        now: dt.datetime,
        *,
        recorded: Collection[str] = frozenset(),
        quiet_hours: BusinessTime | None = None,
    ) -> SweepResult:
        """Every tracker measured at ``now``: the same reports, actions due and next change as
        each tracker's ``report(now)`` passed to :func:`due_actions` and
        :func:`next_change_at` with ``recorded`` and ``quiet_hours``."""
        check_aware(now, "now")
        if not isinstance(recorded, set | frozenset):
            recorded = frozenset(recorded)
        now_us = to_us(now, "now")
        ok = [updated <= now_us for updated in self._updated]
        failed = {i for i, fine in enumerate(ok) if not fine}
        measured = self._columns.measure(now, now_us, quiet_hours, ok, failed)
        alone: dict[int, tuple[SlaReport, tuple[DueAction, ...], dt.datetime | None]] = {}
        errors: list[SweepError] = []
        for i in sorted(failed):
            tracker = self.trackers[i]
            ok[i] = False
            try:
                report = tracker.report(now)
                options: dict[str, Any] = {"recorded": recorded, "quiet_hours": quiet_hours}
                actions = due_actions(report, now, **options)
                alone[i] = (report, actions, next_change_at(report, now, **options))
            except ItsmError as exc:
                ticket = tracker.ticket
                errors.append(SweepError(i, None if ticket is None else ticket.id, exc))
        return SweepResult(
            at=now,
            ticket_ids=self._ticket_ids,
            errors=tuple(errors),
            sweep=self,
            ok=tuple(ok),
            measured=measured,
            alone=alone,
            recorded=recorded,
            quiet_hours=quiet_hours,
        )


@attrs.frozen(eq=False)
class SweepResult:
    """Every tracker of a sweep measured at ``at``.

    ``ticket_ids`` follows the trackers (None for one without events); ``errors`` lists the
    trackers that could not be measured, with the error each one's ``report(at)`` raises;
    ``due_actions`` and ``next_change_at`` are those of every other tracker together.
    :meth:`report` gives one tracker's full report, :meth:`clocks` every clock as columns,
    :meth:`next_changes` each tracker's own next change.
    """

    at: dt.datetime
    ticket_ids: tuple[str | None, ...]
    errors: tuple[SweepError, ...]
    due_actions: tuple[DueAction, ...] = attrs.field(init=False)
    next_change_at: dt.datetime | None = attrs.field(init=False)
    _sweep: SlaSweep = attrs.field(repr=False)
    _ok: tuple[bool, ...] = attrs.field(repr=False)
    _measured: Measured = attrs.field(repr=False)
    _alone: dict[int, tuple[SlaReport, tuple[DueAction, ...], dt.datetime | None]] = attrs.field(
        repr=False
    )
    _recorded: Collection[str] = attrs.field(repr=False)
    _quiet_hours: BusinessTime | None = attrs.field(repr=False)

    def __attrs_post_init__(self) -> None:
        actions = self._due_actions()
        object.__setattr__(self, "due_actions", actions)
        changes = self._changes(first_only=True)
        object.__setattr__(self, "next_change_at", changes[0] if changes else None)

    # -- one ticket -------------------------------------------------------------------------

    def report(self, index: int) -> SlaReport:
        """The report of the tracker at ``index``: equal to its ``report(at)``, which is what
        is raised for a tracker in :attr:`errors`."""
        given: object = index
        if not isinstance(given, int) or not 0 <= given < len(self.ticket_ids):
            raise ValidationError(
                "SweepResult.report",
                [Problem("index", f"{index!r} is not the index of one of the trackers")],
            )
        if index in self._alone:
            return self._alone[index][0]
        if not self._ok[index]:
            raise next(e.error for e in self.errors if e.index == index)
        plan = self._plans[index]
        assert plan is not None
        now = self.at
        clocks: list[ClockState] = []
        row = self._sweep._rows[index]
        for clock in plan.clocks:
            if isinstance(clock, ClockState):
                clocks.append(clock)
            elif isinstance(clock, Track):
                assert clock.in_force is not None
                clocks.append(not_started(clock, clock.in_force, now))
            else:
                clocks.append(self._live_state(clock, row))
                row += 1
        return SlaReport(
            ticket_id=plan.ticket_id,
            at=now,
            clocks=tuple(clocks),
            history=plan.history,
            policies=plan.policies,
            selection=plan.selection,
        )

    def reports(self) -> tuple[SlaReport, ...]:
        """The report of every tracker not in :attr:`errors`, in order."""
        return tuple(self.report(i) for i, ok in enumerate(self._measured_ok) if ok)

    @property
    def _plans(self) -> tuple[TrackerPlan | None, ...]:
        return self._sweep._plans

    @property
    def _measured_ok(self) -> list[bool]:
        return [ok or i in self._alone for i, ok in enumerate(self._ok)]

    def _live_state(self, plan: LivePlan, row: int) -> ClockState:
        spent = dt.timedelta(microseconds=self._measured.spent[row])
        instants = self._sweep._columns.instants(row)
        return clock_state(
            plan.track, plan.in_force, plan.run, self.at, spent, plan.target, instants
        )

    # -- columns ----------------------------------------------------------------------------

    def clocks(self) -> ClockColumns:
        """Every clock of every measured tracker as columns (built on each call)."""
        columns = self._sweep._columns
        spent, status = self._measured.spent, self._measured.status
        ids: list[str] = []
        keys: list[str] = []
        cycles: list[int] = []
        statuses: list[ClockStatus] = []
        elapsed: list[dt.timedelta] = []
        remaining: list[dt.timedelta | None] = []
        due: list[dt.datetime | None] = []

        def add(ticket_id: str, state: ClockState) -> None:
            ids.append(ticket_id)
            keys.append(state.key)
            cycles.append(state.cycle)
            statuses.append(state.status)
            elapsed.append(state.elapsed)
            remaining.append(state.remaining)
            due.append(state.due_at)

        for i, ok in enumerate(self._ok):
            if i in self._alone:
                report = self._alone[i][0]
                for state in report.clocks:
                    add(report.ticket_id, state)
            if not ok:
                continue
            plan = self._plans[i]
            assert plan is not None
            row = self._sweep._rows[i]
            for clock in plan.clocks:
                if isinstance(clock, ClockState):
                    add(plan.ticket_id, clock)
                elif isinstance(clock, Track):
                    assert clock.in_force is not None
                    add(plan.ticket_id, not_started(clock, clock.in_force, self.at))
                else:
                    ids.append(plan.ticket_id)
                    keys.append(clock.clock_key)
                    cycles.append(clock.run.number)
                    statuses.append(_LIVE_STATUS[status[row]])
                    took = dt.timedelta(microseconds=spent[row])
                    elapsed.append(took)
                    target = clock.target
                    remaining.append(None if target is None else target - took)
                    due.append(None if target is None else columns.due(row))
                    row += 1
        return ClockColumns(
            ticket_id=tuple(ids),
            clock=tuple(keys),
            cycle=tuple(cycles),
            status=tuple(statuses),
            elapsed=tuple(elapsed),
            remaining=tuple(remaining),
            due_at=tuple(due),
        )

    # -- actions and the next change --------------------------------------------------------

    def _ticket_id(self, index: int) -> str:
        ticket_id = self.ticket_ids[index]
        assert ticket_id is not None
        return ticket_id

    def _key(self, t: int) -> str:
        """The action key of threshold row ``t``."""
        columns = self._sweep._columns
        row = columns.t_row[t]
        suffix = columns.plans[row].key_suffixes[columns.t_pos[t]]
        return self._ticket_id(columns.tickets[row]) + suffix

    def _deliver(self, t: int, at: dt.datetime, deliver_us: int) -> dt.datetime:
        """When the action of threshold row ``t``, reached ``at``, may go out (as the quiet
        hours' ``next_working`` gives it: ``at`` itself, or an instant in its zone)."""
        if deliver_us == self._sweep._columns.t_us[t]:
            return at
        return from_us(deliver_us, at.tzinfo)

    def _due_actions(self) -> tuple[DueAction, ...]:
        columns = self._sweep._columns
        recorded = self._recorded
        out: list[tuple[int, int, DueAction]] = []  # (ticket, position, action)
        measured = self._measured
        for t, deliver_us in zip(measured.due, measured.due_deliver, strict=True):
            key = self._key(t)
            if key in recorded:
                continue
            row = columns.t_row[t]
            plan = columns.plans[row]
            threshold = plan.in_force.spec.thresholds[columns.t_pos[t]]
            ticket = columns.tickets[row]
            at = columns.at(t)
            action = DueAction(
                key=key,
                ticket_id=self._ticket_id(ticket),
                clock=plan.clock_key,
                cycle=plan.run.number,
                threshold=threshold.name,
                action=threshold.action,
                notify=threshold.notify,
                level=threshold.level,
                reached_at=at,
                due_at=self._deliver(t, at, deliver_us),
            )
            out.append((ticket, t, action))
        for i, (_, actions, _) in self._alone.items():
            out.extend((i, -1, a) for a in actions)
        out.sort(key=lambda item: (item[0], item[1]))  # the order of the tickets' reports
        return tuple(sorted((a for _, _, a in out), key=_action_order))

    def _changes(self, *, first_only: bool) -> list[dt.datetime | None]:
        """Each tracker's next change (``first_only``: the earliest of all, alone in a list).

        The candidates are those of :func:`next_change_at`, as tuples that sort like its
        choice among equal instants: by instant, then ticket, then position in the report
        (deadlines before threshold actions, each in clock and threshold order).
        """
        columns = self._sweep._columns
        measured = self._measured
        items: list[tuple[int, int, int, int, int, int]] = []  # us, ticket, part, pos, k, ref
        for r, us in zip(measured.later, measured.later_us, strict=True):
            items.append((us, columns.tickets[r], 0, columns.positions[r], 0, r))
        for t, us in zip(measured.pending, measured.pending_us, strict=True):
            r = columns.t_row[t]
            items.append((us, columns.tickets[r], 1, columns.positions[r], columns.t_pos[t], t))
        for i, (_, _, change) in self._alone.items():
            if change is not None:
                items.append((to_us(change, "change"), i, -1, 0, 0, i))
        recorded = self._recorded
        if first_only:
            heapify(items)  # then pop the earliest until one is not a recorded action
            while items:
                first = heappop(items)
                if first[2] != 1 or not recorded or self._key(first[5]) not in recorded:
                    return [self._make(first)]
            return []
        if recorded:
            items = [it for it in items if it[2] != 1 or self._key(it[5]) not in recorded]
        firsts: dict[int, tuple[int, int, int, int, int, int]] = {}
        for item in items:
            known = firsts.get(item[1])
            if known is None or item < known:
                firsts[item[1]] = item
        return [self._make(firsts[i]) if i in firsts else None for i in range(len(self.ticket_ids))]

    def _make(self, item: tuple[int, int, int, int, int, int]) -> dt.datetime:
        us, ticket, part, _, _, ref = item
        if part == -1:
            change = self._alone[ticket][2]
            assert change is not None
            return change
        if part == 0:
            due = self._sweep._columns.due(ref)
            assert due is not None
            return due
        return self._deliver(ref, self._sweep._columns.at(ref), us)

    def next_changes(self) -> tuple[dt.datetime | None, ...]:
        """Each tracker's own :func:`next_change_at` (None for one in :attr:`errors`)."""
        return tuple(self._changes(first_only=False))


def _action_order(action: DueAction) -> tuple[dt.datetime, str]:
    return (action.due_at, action.key)


def sweep(
    trackers: Iterable[SlaTracker],
    now: dt.datetime,
    *,
    recorded: Collection[str] = frozenset(),
    quiet_hours: BusinessTime | None = None,
) -> SweepResult:
    """Every tracker measured at ``now``: ``SlaSweep(trackers).at(now, ...)``."""
    return SlaSweep(trackers).at(now, recorded=recorded, quiet_hours=quiet_hours)
