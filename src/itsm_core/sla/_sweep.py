"""The sweep: the SLA clocks of a whole desk at one instant, in bulk.

A desk keeps one :class:`SlaTracker` per open ticket and feeds it each event as it arrives.
Every minute or so it asks what is due, what breached and when to look again. :func:`sweep`
answers for every tracker at once, with the same figures as each tracker's
:meth:`~SlaTracker.report`, :func:`due_actions` and :func:`next_change_at`:

* what does not depend on the instant is worked out once per tracker value and kept with it
  (stopped cycles, and the deadlines of the cycles under way; see ``_plan``);
* the cycles under way of all trackers are laid out as columns (``_columns``), their
  deadlines still ahead found with one ``add_many`` per calendar, and their working time up
  to ``now`` with one ``elapsed_many`` per calendar;
* only the actions due, the next change and what you ask for become Python objects.

A tracker that cannot be measured (no events yet, ``now`` before its last event, a calendar
whose holiday data ends) gets its error in :attr:`SweepResult.errors`; the others are measured
as usual.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from heapq import heapify, heappop
from operator import attrgetter
from typing import Any

import attrs

from itsm_core._checks import check_aware
from itsm_core._plain import shown
from itsm_core.calendar import BusinessTime
from itsm_core.calendar._instants import to_us
from itsm_core.errors import ItsmError, Problem, ValidationError
from itsm_core.sla._actions import DueAction, due_actions, next_change_at
from itsm_core.sla._columns import BREACHED, PAUSED, TICKING, Columns, Measured
from itsm_core.sla._engine import SlaTracker, plan_of
from itsm_core.sla._plan import LivePlan, TrackerPlan
from itsm_core.sla._state import ClockState, ClockStatus, SlaReport, SweepError
from itsm_core.sla._track import Track, clock_state, not_started

_PLAN = attrgetter("_plan")
_LIVE_STATUS = (ClockStatus.RUNNING, ClockStatus.PAUSED, ClockStatus.BREACHED)
assert (TICKING, PAUSED, BREACHED) == (0, 1, 2)

#: A candidate for the next change: instant (us), ticket, part of the report (-1: a ticket
#: measured alone, 0: a deadline, 1: a threshold action), and the ticket (part -1), row (part
#: 0) or threshold row (part 1) it comes from. Rows follow the clocks of each report, and
#: threshold rows the thresholds of each clock, so these tuples sort like the report's order.
Change = tuple[int, int, int, int]
#: What the per-ticket functions gave for a ticket measured alone.
Alone = tuple[SlaReport, tuple[DueAction, ...], dt.datetime | None]


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


@attrs.frozen(eq=False, repr=False)
class SlaSweep:
    """Many trackers, laid out once to be measured at any instant.

    ``SlaSweep(trackers)`` lays their cycles under way out as columns; :meth:`at` measures
    every tracker at an instant, and can be called for as many instants as you like. Lay out
    anew when trackers change: it is cheap, for what each tracker needs is kept with it (worked
    out by the first sweep that meets it). :func:`sweep` does both in one call.
    """

    trackers: tuple[SlaTracker, ...] = attrs.field(converter=_trackers)
    _columns: Columns = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        trackers = self.trackers
        try:
            plans: list[TrackerPlan | None] = list(map(_PLAN, trackers))  # C speed, no loop
        except AttributeError:
            plans = []
        if len(plans) != len(trackers) or not all(
            issubclass(kind, SlaTracker) for kind in set(map(type, trackers))
        ):
            given: tuple[object, ...] = trackers
            wrong = next(i for i, t in enumerate(given) if not isinstance(t, SlaTracker))
            raise ValidationError(
                "SlaSweep", [Problem(f"trackers[{wrong}]", "expected an SlaTracker")]
            )
        if None in plans:
            for i in [i for i, plan in enumerate(plans) if plan is None]:
                plans[i] = plan_of(trackers[i])
        object.__setattr__(self, "_columns", Columns(plans, set()))

    def __len__(self) -> int:
        return len(self.trackers)

    def __repr__(self) -> str:
        return f"SlaSweep(<{len(self.trackers)} trackers>)"

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
        failed: set[int] = set()
        measured = self._columns.measure(now, to_us(now, "now"), quiet_hours, failed)
        alone: dict[int, Alone] = {}
        errors: list[SweepError] = []
        options: dict[str, Any] = {"recorded": recorded, "quiet_hours": quiet_hours}
        for i in sorted(failed):
            tracker = self.trackers[i]
            try:
                report = tracker.report(now)
                actions = due_actions(report, now, **options)
                alone[i] = (report, actions, next_change_at(report, now, **options))
            except ItsmError as exc:
                ticket = tracker.ticket
                errors.append(SweepError(i, None if ticket is None else ticket.id, exc))
        return SweepResult(
            at=now,
            errors=tuple(errors),
            sweep=self,
            measured=measured,
            failed=frozenset(failed),
            alone=alone,
            recorded=recorded,
            quiet_hours=quiet_hours,
        )


@attrs.frozen(eq=False, repr=False)
class SweepResult:
    """Every tracker of a sweep measured at ``at``.

    ``errors`` lists the trackers that could not be measured, with the error each one's
    ``report(at)`` raises; ``due_actions`` and ``next_change_at`` are those of all the other
    trackers together, as :func:`due_actions` and :func:`next_change_at` give them.
    :meth:`report` gives one tracker's report, :meth:`clocks` every clock as columns,
    :meth:`next_changes` each tracker's own next change, :attr:`ticket_ids` the tickets.
    """

    at: dt.datetime
    errors: tuple[SweepError, ...]
    due_actions: tuple[DueAction, ...] = attrs.field(init=False)
    next_change_at: dt.datetime | None = attrs.field(init=False)
    _sweep: SlaSweep = attrs.field(repr=False)
    _measured: Measured = attrs.field(repr=False)
    _failed: frozenset[int] = attrs.field(repr=False)
    _alone: dict[int, Alone] = attrs.field(repr=False)
    _recorded: Collection[str] = attrs.field(repr=False)
    _quiet_hours: BusinessTime | None = attrs.field(repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "due_actions", self._due_actions())
        object.__setattr__(self, "next_change_at", self._next_change())

    def __repr__(self) -> str:
        return (
            f"SweepResult(at={self.at!r}, trackers={len(self._sweep.trackers)}, "
            f"errors={len(self.errors)}, due_actions={len(self.due_actions)}, "
            f"next_change_at={self.next_change_at!r})"
        )

    @property
    def ticket_ids(self) -> tuple[str | None, ...]:
        """The ticket of each tracker, in order (None for a tracker without events)."""
        return tuple(None if t.ticket is None else t.ticket.id for t in self._sweep.trackers)

    @property
    def _columns(self) -> Columns:
        return self._sweep._columns

    # -- one ticket -------------------------------------------------------------------------

    def report(self, index: int) -> SlaReport:
        """The report of the tracker at ``index``: equal to its ``report(at)``; a tracker in
        :attr:`errors` raises its error."""
        given: object = index
        if not isinstance(given, int) or not 0 <= given < len(self._sweep.trackers):
            raise ValidationError(
                "SweepResult.report",
                [Problem("index", f"{shown(index)} is not the index of one of the trackers")],
            )
        if index in self._alone:
            return self._alone[index][0]
        if index in self._failed:
            raise next(e.error for e in self.errors if e.index == index)
        plan = self._columns.plans[index]
        assert plan is not None
        return SlaReport(
            ticket_id=plan.ticket_id,
            at=self.at,
            clocks=tuple(self._states(index, plan)),
            history=plan.history,
            policies=plan.policies,
            selection=plan.selection,
        )

    def reports(self) -> tuple[SlaReport, ...]:
        """The report of every tracker not in :attr:`errors`, in order."""
        errors = {e.index for e in self.errors}
        return tuple(self.report(i) for i in range(len(self._sweep.trackers)) if i not in errors)

    def _states(self, index: int, plan: TrackerPlan) -> Iterable[ClockState]:
        row = int(self._columns.first[index])
        for clock in plan.clocks:
            if isinstance(clock, ClockState):
                yield clock
            elif isinstance(clock, Track):
                assert clock.in_force is not None
                yield not_started(clock, clock.in_force, self.at)
            else:
                yield self._live_state(clock, row)
                row += 1

    def _live_state(self, plan: LivePlan, row: int) -> ClockState:
        spent = dt.timedelta(microseconds=int(self._measured.spent[row]))
        instants = self._columns.instants(row)
        return clock_state(
            plan.track, plan.in_force, plan.run, self.at, spent, plan.target, instants
        )

    # -- columns ----------------------------------------------------------------------------

    def clocks(self) -> ClockColumns:
        """Every clock of every measured tracker as columns (built on each call: a few
        microseconds a clock)."""
        columns = self._columns
        spent, status = self._measured.spent, self._measured.status
        rows: list[_ClockRow] = []
        for i, plan in enumerate(columns.plans):
            if i in self._alone:
                report = self._alone[i][0]
                rows.extend(_clock_row(report.ticket_id, state) for state in report.clocks)
                continue
            if i in self._failed or plan is None:
                continue
            row = int(columns.first[i])
            for clock in plan.clocks:
                if isinstance(clock, LivePlan):
                    took = dt.timedelta(microseconds=int(spent[row]))
                    target = clock.target
                    rows.append(
                        (
                            plan.ticket_id,
                            clock.clock_key,
                            clock.run.number,
                            _LIVE_STATUS[status[row]],
                            took,
                            None if target is None else target - took,
                            None if target is None else columns.due(row),
                        )
                    )
                    row += 1
                elif isinstance(clock, Track):
                    assert clock.in_force is not None
                    state = not_started(clock, clock.in_force, self.at)
                    rows.append(_clock_row(plan.ticket_id, state))
                else:
                    rows.append(_clock_row(plan.ticket_id, clock))
        return ClockColumns(
            ticket_id=tuple(r[0] for r in rows),
            clock=tuple(r[1] for r in rows),
            cycle=tuple(r[2] for r in rows),
            status=tuple(r[3] for r in rows),
            elapsed=tuple(r[4] for r in rows),
            remaining=tuple(r[5] for r in rows),
            due_at=tuple(r[6] for r in rows),
        )

    # -- actions and the next change --------------------------------------------------------

    def _deliver(self, at: dt.datetime) -> dt.datetime:
        """When an action reached ``at`` may go out (the columns compared microseconds; the
        datetime is the quiet hours' own)."""
        return at if self._quiet_hours is None else self._quiet_hours.next_working(at)

    def _due_actions(self) -> tuple[DueAction, ...]:
        """The actions due, ordered as :func:`due_actions` orders them: by when they may go
        out, then key, then (for equal keys: the same ticket twice) the order of the reports.
        Sorted on integers first; only the actions due become objects."""
        columns = self._columns
        measured = self._measured
        keys = columns.keys() if measured.due else []
        recorded = self._recorded
        order: list[tuple[int, str, int, int, DueAction | None]] = [
            (deliver, keys[t], columns.ticket_of(t), t, None)
            for t, deliver in zip(measured.due, measured.due_deliver, strict=True)
            if not recorded or keys[t] not in recorded
        ]
        for i, (_, actions, _) in self._alone.items():
            order.extend((to_us(a.due_at, "due_at"), a.key, i, n, a) for n, a in enumerate(actions))
        order.sort(key=_first_four)
        return tuple(
            self._due_action(t, key, ticket) if action is None else action
            for _, key, ticket, t, action in order
        )

    def _due_action(self, t: int, key: str, ticket: int) -> DueAction:
        columns = self._columns
        plan, k = columns.threshold(t)
        threshold = plan.in_force.spec.thresholds[k]
        at = columns.at(t)
        return DueAction(
            key=key,
            ticket_id=columns.ticket_id(ticket),
            clock=plan.clock_key,
            cycle=plan.run.number,
            threshold=threshold.name,
            action=threshold.action,
            notify=threshold.notify,
            level=threshold.level,
            reached_at=at,
            due_at=self._deliver(at),
        )

    def _candidates(self, where: Any = None) -> list[Change]:
        """The candidates for the next change (only those at the instant ``where`` if given),
        as tuples that sort like :func:`next_change_at` chooses among equal instants: by
        instant, then ticket, then place in the report (deadlines before threshold actions,
        each in clock and threshold order)."""
        columns = self._columns
        measured = self._measured
        later, later_us = measured.later, measured.later_us
        pending, pending_us = measured.pending, measured.pending_us
        if where is not None:
            later, later_us = _at(later, later_us, where)
            pending, pending_us = _at(pending, pending_us, where)
        tickets = columns.tickets
        items: list[Change] = [
            (us, int(tickets[r]), 0, r) for r, us in zip(_ints(later), _ints(later_us), strict=True)
        ]
        t_ticket = [int(tickets[columns.t_row[t]]) for t in _ints(pending)]
        items.extend(
            (us, i, 1, t)
            for t, us, i in zip(_ints(pending), _ints(pending_us), t_ticket, strict=True)
        )
        if self._recorded:
            keys = columns.keys()
            items = [it for it in items if it[2] != 1 or keys[it[3]] not in self._recorded]
        for i, (_, _, change) in self._alone.items():
            if change is not None:
                instant = to_us(change, "change")
                if where is None or instant == where:
                    items.append((instant, i, -1, i))
        return items

    def _next_change(self) -> dt.datetime | None:
        measured = self._measured
        firsts = [min(values) for values in (measured.later_us, measured.pending_us) if len(values)]
        firsts.extend(to_us(c, "change") for _, _, c in self._alone.values() if c is not None)
        if not firsts:
            return None
        # The earliest instant's candidates, unless all are recorded actions (then all).
        items = self._candidates(min(firsts)) or self._candidates()
        heapify(items)
        return self._make(heappop(items)) if items else None

    def next_changes(self) -> tuple[dt.datetime | None, ...]:
        """Each tracker's own :func:`next_change_at` (None for one in :attr:`errors`)."""
        firsts: dict[int, Change] = {}
        for item in self._candidates():
            known = firsts.get(item[1])
            if known is None or item < known:
                firsts[item[1]] = item
        count = len(self._sweep.trackers)
        return tuple(self._make(firsts[i]) if i in firsts else None for i in range(count))

    def _make(self, item: Change) -> dt.datetime:
        _, ticket, part, ref = item
        if part == -1:
            change = self._alone[ticket][2]
            assert change is not None
            return change
        if part == 0:
            due = self._columns.due(ref)
            assert due is not None
            return due
        return self._deliver(self._columns.at(ref))


_ClockRow = tuple[str, str, int, ClockStatus, dt.timedelta, dt.timedelta | None, dt.datetime | None]


def _clock_row(ticket_id: str, state: ClockState) -> _ClockRow:
    return (
        ticket_id,
        state.key,
        state.cycle,
        state.status,
        state.elapsed,
        state.remaining,
        state.due_at,
    )


def _ints(values: Any) -> list[int]:
    return values if isinstance(values, list) else values.tolist()


def _at(items: Any, values: Any, where: int) -> tuple[Any, Any]:
    """The ``items`` whose ``values`` equal ``where``."""
    if isinstance(values, list):
        chosen = [k for k, v in enumerate(values) if v == where]
        return [items[k] for k in chosen], [values[k] for k in chosen]
    mask = values == where
    return items[mask], values[mask]


def _first_four(item: tuple[int, str, int, int, DueAction | None]) -> tuple[int, str, int, int]:
    return item[:4]


def sweep(
    trackers: Iterable[SlaTracker],
    now: dt.datetime,
    *,
    recorded: Collection[str] = frozenset(),
    quiet_hours: BusinessTime | None = None,
) -> SweepResult:
    """Every tracker measured at ``now``: ``SlaSweep(trackers).at(now, ...)``."""
    return SlaSweep(trackers).at(now, recorded=recorded, quiet_hours=quiet_hours)
