"""What a sweep needs of one tracker, worked out once per tracker value.

Most of a ticket's report does not depend on the instant it is measured at: a stopped cycle is
frozen, a clock not started yet only carries ``now``, and even a cycle under way has fixed
deadlines (its target and threshold instants move only when an event pauses or resumes it).
The one figure that moves with ``now`` is the working time since the cycle's last change.

:class:`TrackerPlan` is that split, made by the first sweep that meets a tracker value and
kept with it: the fixed clock states, and for each cycle under way a :class:`LivePlan` holding
its figures as integer microseconds. A deadline still ahead of a running cycle is kept as
"this much working time after ``since``" and found for many clocks at once with the
calendar's ``add_many``; the rest needs only ``elapsed_many`` from ``since`` to ``now``. A live
plan is remembered in its track's memo, so an event that leaves a clock alone does not plan
it again.
"""

from __future__ import annotations

import datetime as dt
import struct
from array import array
from typing import NamedTuple

import attrs

from itsm_core.calendar import TWENTY_FOUR_SEVEN, BusinessTime, Calendar
from itsm_core.calendar._instants import to_us
from itsm_core.errors import ItsmError
from itsm_core.sla._actions import key_of
from itsm_core.sla._measure import RUN, Run
from itsm_core.sla._selection import Selection
from itsm_core.sla._state import ClockState
from itsm_core.sla._thresholds import ActionKind
from itsm_core.sla._track import InForce, Track
from itsm_core.tickets import Ticket

#: Kinds of :class:`Instant`.
NEVER, FIXED, AHEAD = 0, 1, 2
#: The fields of :attr:`LivePlan.row`, and their number.
SINCE, RUNNING, CLOSED, TARGET, HAS_TARGET, DUE_KIND, DUE_US, BASE, THRESHOLDS = range(9)
ROW = 9
#: The fields of each threshold in :attr:`LivePlan.threshold_rows`, and their number.
POINT, WARN, KIND, US = range(4)
THRESHOLD_ROW = 4


class Instant(NamedTuple):
    """When a cycle reaches a clock time, as far as it is known without ``now``.

    ``FIXED``: at ``at`` (``us`` its microseconds); ``AHEAD``: ``us`` microseconds of working
    time after the cycle's ``since`` on its time base (found in bulk); ``NEVER``: the cycle is
    paused before it.
    """

    kind: int
    us: int
    at: dt.datetime | None


_NEVER = Instant(NEVER, 0, None)
_ZERO = dt.timedelta(0)
_ROW = struct.Struct(f"{ROW}q")


@attrs.frozen(eq=False)
class LivePlan:
    """A cycle under way, reduced to what fixes its measurement at any later instant.

    ``row`` holds its figures as 64-bit integers, packed (fields ``SINCE``...): the clock
    time ``spent`` at ``now`` is ``CLOSED`` plus, while ``RUNNING``, the working time from
    ``SINCE`` to ``now``; ``DUE_KIND``/``DUE_US`` say when it reaches its ``target`` (an
    :class:`Instant`, also in ``due``); the time base is identified by its ``id``.
    ``threshold_rows`` holds, packed, four integers per threshold of its metric (``POINT``,
    ``WARN``, ``KIND``, ``US``), with the same instants in ``ats`` and the points in
    ``points``; each threshold's action key is the ticket id followed by its ``key_suffixes``.
    """

    track: Track
    in_force: InForce
    run: Run
    base: BusinessTime
    target: dt.timedelta | None
    due: Instant
    ats: tuple[Instant, ...]
    points: tuple[dt.timedelta, ...]
    row: bytes
    threshold_rows: bytes
    clock_key: str
    key_suffixes: tuple[str, ...]


def _us(delta: dt.timedelta) -> int:
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def live_plan(track: Track) -> LivePlan:
    """The plan of ``track``'s cycle under way (kept in the track's memo).

    The calendar is asked here what :meth:`Progress` would ask it about closed counting
    stretches; a calendar error (coverage, no working time) propagates, and the caller then
    measures the ticket the plain way, which raises the very same error.
    """
    found = track.memo.get("live")
    if found is not None:
        return found  # type: ignore[no-any-return]
    in_force, run = track.in_force, track.run
    assert in_force is not None
    assert run is not None
    base = in_force.base
    stretches = [(a, base.elapsed(a, b)) for a, b, kind in run.intervals if kind == RUN]
    closed_us = sum(_us(length) for _, length in stretches)
    target = in_force.target_time(run.started_at)
    bulk = base is TWENTY_FOUR_SEVEN or isinstance(base, Calendar)
    clock = track.name if track.group is None else f"{track.name}@{track.group}"
    due = _NEVER
    ats: list[Instant] = []
    points: list[dt.timedelta] = []
    threshold_rows: list[int] = []
    suffixes: list[str] = []
    if target is not None:
        due = _instant(run, base, bulk, stretches, closed_us, target)
        known = {target: due}
        for threshold in in_force.spec.thresholds:
            point = threshold.point(target)
            at = known.get(point)
            if at is None:
                at = known[point] = _instant(run, base, bulk, stretches, closed_us, point)
            ats.append(at)
            points.append(point)
            warn = threshold.action is ActionKind.WARN
            threshold_rows.extend((_us(point), warn, at.kind, at.us))
            suffixes.append(key_of("", clock, run.number, threshold.name))
    row = _ROW.pack(
        to_us(run.since, "since"),
        run.running,
        closed_us,
        0 if target is None else _us(target),
        target is not None,
        due.kind,
        due.us,
        id(base),
        len(ats),
    )
    plan = LivePlan(
        track=track,
        in_force=in_force,
        run=run,
        base=base,
        target=target,
        due=due,
        ats=tuple(ats),
        points=tuple(points),
        row=row,
        threshold_rows=array("q", threshold_rows).tobytes(),
        clock_key=clock,
        key_suffixes=tuple(suffixes),
    )
    track.memo["live"] = plan
    return plan


def _instant(
    run: Run,
    base: BusinessTime,
    bulk: bool,
    stretches: list[tuple[dt.datetime, dt.timedelta]],
    closed_us: int,
    point: dt.timedelta,
) -> Instant:
    """:meth:`Progress.instant`, except that an instant still ahead of a running cycle is left
    for the bulk step (as working time after ``since``) when the time base has one."""
    if point <= _ZERO:
        return Instant(FIXED, to_us(run.started_at, "started_at"), run.started_at)
    total = _ZERO
    for a, length in stretches:
        if total + length >= point:
            at = base.add(a, point - total)
            return Instant(FIXED, to_us(at, "instant"), at)
        total += length
    if not run.running:
        return _NEVER
    if bulk:
        return Instant(AHEAD, _us(point) - closed_us, None)
    at = base.add(run.since, point - total)
    return Instant(FIXED, to_us(at, "instant"), at)


@attrs.frozen(eq=False)
class TrackerPlan:
    """A tracker's report, split into what ``now`` changes and what it does not.

    ``clocks`` follows :meth:`SlaTracker.report`: a fixed :class:`ClockState` (a stopped
    cycle), a :class:`Track` (a clock not started yet) or a :class:`LivePlan` (a cycle under
    way, also listed in ``live``). ``header`` (the last event's instant, the number of live
    plans and of their thresholds), ``rows`` and ``threshold_rows`` (those of the live plans)
    are packed 64-bit integers, so that a sweep lays out many trackers by joining bytes;
    ``keys`` are the action keys of the thresholds, in the same order. ``error`` is set when a
    cycle could not be planned: the header then says -1 live plans, and the sweep measures this
    ticket alone.
    """

    ticket_id: str
    updated_at: dt.datetime
    updated_us: int
    clocks: tuple[ClockState | Track | LivePlan, ...]
    history: tuple[ClockState, ...]
    live: tuple[LivePlan, ...]
    header: bytes
    rows: bytes
    threshold_rows: bytes
    keys: tuple[str, ...]
    policies: tuple[str, ...]
    selection: tuple[str, ...]
    error: ItsmError | None = None


def tracker_plan(
    ticket: Ticket, tracks: tuple[Track, ...], selection: Selection | None
) -> TrackerPlan:
    """The plan of a tracker with these ``ticket``, ``tracks`` and ``selection``."""
    clocks: list[ClockState | Track | LivePlan] = []
    history: list[ClockState] = []
    live: list[LivePlan] = []
    error: ItsmError | None = None
    for track in tracks:
        if track.run is not None and track.in_force is not None:
            history.extend(track.done)
            try:
                plan = live_plan(track)
            except ItsmError as exc:
                error = exc
                continue
            live.append(plan)
            clocks.append(plan)
        elif track.done:
            history.extend(track.done[:-1])
            clocks.append(track.done[-1])
        elif track.in_force is not None:
            clocks.append(track)
    keys = [ticket.id + suffix for plan in live for suffix in plan.key_suffixes]
    updated_us = to_us(ticket.updated_at, "updated_at")
    header = array("q", (updated_us, -1 if error is not None else len(live), len(keys)))
    return TrackerPlan(
        ticket_id=ticket.id,
        updated_at=ticket.updated_at,
        updated_us=updated_us,
        clocks=tuple(clocks),
        history=tuple(history),
        live=tuple(live),
        header=header.tobytes(),
        rows=b"".join(plan.row for plan in live),
        threshold_rows=b"".join(plan.threshold_rows for plan in live),
        keys=tuple(keys),
        policies=() if selection is None else selection.policies,
        selection=() if selection is None else selection.explanation,
        error=error,
    )
