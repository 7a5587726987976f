"""The cycles under way of many trackers as columns, measured at an instant in bulk.

One row per cycle under way (a :class:`LivePlan`), one threshold row per threshold of its
metric, laid out by joining the packed rows of each tracker's plan. With numpy the columns are
``int64``/``bool`` arrays and each step is a few array expressions plus one ``add_many`` /
``elapsed_many`` call per calendar; without numpy they are lists, and each step a loop calling
the calendar's scalar methods. Both give the same figures (the tests run both).

Calendar errors are never raised from here: a calendar call that fails for a batch is redone
item by item, and the tickets of the items that fail are added to ``failed`` (the sweep then
measures those tickets one by one, the plain way, which raises the same error).
"""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Callable
from itertools import accumulate, chain
from operator import attrgetter
from typing import Any, cast

import attrs

from itsm_core.calendar import TWENTY_FOUR_SEVEN, BusinessTime, Calendar
from itsm_core.calendar._instants import to_us
from itsm_core.errors import ItsmError
from itsm_core.sla._plan import (
    AHEAD,
    BASE,
    CLOSED,
    DUE_KIND,
    DUE_US,
    FIXED,
    HAS_TARGET,
    KIND,
    NEVER,
    POINT,
    ROW,
    RUNNING,
    SINCE,
    TARGET,
    THRESHOLD_ROW,
    THRESHOLDS,
    US,
    WARN,
    Instant,
    LivePlan,
    TrackerPlan,
)

#: Status codes of a cycle under way.
TICKING, PAUSED, BREACHED = 0, 1, 2
#: Later than any instant: the "last event" of a ticket the columns leave out.
LATEST = (1 << 63) - 1
#: The header of a ticket without a plan (no events yet): left out of the columns.
_NO_PLAN = array("q", (LATEST, -1, 0)).tobytes()
_HEADER = attrgetter("header")
_ROWS = attrgetter("rows")
_THRESHOLD_ROWS = attrgetter("threshold_rows")
_KEYS = attrgetter("keys")


def numpy_module() -> Any:
    """numpy when installed (the ``numpy`` extra), else None."""
    try:
        import numpy
    except ImportError:  # pragma: no cover - numpy is installed where the tests run
        return None
    return numpy


def _unpacked(packed: bytes, width: int) -> list[list[int]]:
    """The columns of rows of ``width`` 64-bit integers packed in ``packed``."""
    flat = array("q")
    flat.frombytes(packed)
    return [flat[k::width].tolist() for k in range(width)]


class Columns:
    """The cycles under way of a sweep's tickets, with their deadlines resolved.

    Built once per sweep (``add_many`` finds every deadline still ahead of a running cycle);
    :meth:`measure` then measures every cycle at an instant. Per ticket: ``updated`` (its last
    event; :data:`LATEST` for a ticket left out) and ``first`` (its first row); per row:
    ``tickets`` and the fields of :attr:`LivePlan.row`; per threshold row: ``t_row`` and the
    fields of :attr:`LivePlan.threshold_rows`. numpy arrays with numpy, else lists.
    """

    def __init__(self, plans: list[TrackerPlan | None], failed: set[int]) -> None:
        """Lay out the cycles under way of ``plans`` (one per ticket, None for one without
        events); the tickets whose deadlines the calendar refuses are added to ``failed``."""
        self.np = np = numpy_module()
        self.plans = plans
        if None in plans:
            headers = b"".join(_NO_PLAN if p is None else p.header for p in plans)
        else:
            headers = b"".join(map(_HEADER, plans))
        if np is not None:
            self._numpy_columns(np, headers)
        else:
            self._list_columns(headers)
        self._keys: list[str] | None = None
        self._resolve(failed)
        for i in failed:  # a deadline the calendar refused: measured alone at any instant
            self.updated[i] = LATEST

    def _numpy_columns(self, np: Any, headers: bytes) -> None:
        head = np.frombuffer(headers, dtype=np.int64).reshape(-1, 3)
        counts = head[:, 1]
        usable = counts >= 0
        self.good = cast(list[TrackerPlan], self.plans) if usable.all() else self._usable()
        self.updated = np.where(usable, head[:, 0], LATEST)
        counts = np.where(usable, counts, 0)
        self.first = np.concatenate(([0], np.cumsum(counts)))
        self.tickets = np.repeat(np.arange(len(head)), counts)
        table = np.frombuffer(b"".join(map(_ROWS, self.good)), dtype=np.int64)
        table = table.reshape(-1, ROW)
        self.since = table[:, SINCE]
        self.running = table[:, RUNNING].astype(bool)
        self.closed = table[:, CLOSED]
        self.target = table[:, TARGET]
        self.has_target = table[:, HAS_TARGET].astype(bool)
        self.due_kind = table[:, DUE_KIND]
        self.due_us = table[:, DUE_US].copy()
        thresholds = table[:, THRESHOLDS]
        self.t_first = np.concatenate(([0], np.cumsum(thresholds)))
        self.t_row = np.repeat(np.arange(len(table)), thresholds)
        packed = b"".join(map(_THRESHOLD_ROWS, self.good))
        t_table = np.frombuffer(packed, dtype=np.int64).reshape(-1, THRESHOLD_ROW)
        self.t_point = t_table[:, POINT]
        self.t_warn = t_table[:, WARN].astype(bool)
        self.t_kind = t_table[:, KIND]
        self.t_us = t_table[:, US].copy()
        _, first, self.base_col = np.unique(table[:, BASE], return_index=True, return_inverse=True)
        self.bases: list[BusinessTime] = [self.plan(int(r)).base for r in first]

    def _list_columns(self, headers: bytes) -> None:
        updated, counts, _ = _unpacked(headers, 3)
        usable = [n >= 0 for n in counts]
        self.good = self._usable()
        self.updated = [u if fine else LATEST for u, fine in zip(updated, usable, strict=True)]
        counts = [max(n, 0) for n in counts]
        self.first = list(accumulate(counts, initial=0))
        self.tickets = [i for i, n in enumerate(counts) for _ in range(n)]
        table = _unpacked(b"".join(map(_ROWS, self.good)), ROW)
        self.since = table[SINCE]
        self.running = [bool(v) for v in table[RUNNING]]
        self.closed = table[CLOSED]
        self.target = table[TARGET]
        self.has_target = [bool(v) for v in table[HAS_TARGET]]
        self.due_kind = table[DUE_KIND]
        self.due_us = table[DUE_US]
        thresholds = table[THRESHOLDS]
        self.t_first = list(accumulate(thresholds, initial=0))
        self.t_row = [r for r, n in enumerate(thresholds) for _ in range(n)]
        t_table = _unpacked(b"".join(map(_THRESHOLD_ROWS, self.good)), THRESHOLD_ROW)
        self.t_point = t_table[POINT]
        self.t_warn = [bool(v) for v in t_table[WARN]]
        self.t_kind = t_table[KIND]
        self.t_us = t_table[US]
        bases: dict[int, int] = {}
        self.bases = []
        for row, key in enumerate(table[BASE]):
            if key not in bases:
                bases[key] = len(self.bases)
                self.bases.append(self.plan(row).base)
        self.base_col = [bases[key] for key in table[BASE]]

    def _usable(self) -> list[TrackerPlan]:
        return [p for p in self.plans if p is not None and p.error is None]

    # -- single rows ------------------------------------------------------------------------

    def plan(self, row: int) -> LivePlan:
        """The live plan of ``row``."""
        ticket = int(self.tickets[row])
        plan = self.plans[ticket]
        assert plan is not None
        return plan.live[row - int(self.first[ticket])]

    def ticket_id(self, ticket: int) -> str:
        """The id of the ticket at index ``ticket`` (one with a plan)."""
        plan = self.plans[ticket]
        assert plan is not None
        return plan.ticket_id

    def ticket_of(self, t: int) -> int:
        """The ticket (index in the sweep) of threshold row ``t``."""
        return int(self.tickets[self.t_row[t]])

    def keys(self) -> list[str]:
        """The action key of each threshold row."""
        if self._keys is None:
            self._keys = list(chain.from_iterable(map(_KEYS, self.good)))
        return self._keys

    def threshold(self, t: int) -> tuple[LivePlan, int]:
        """The live plan of threshold row ``t`` and the threshold's position in its metric."""
        row = int(self.t_row[t])
        return self.plan(row), t - int(self.t_first[row])

    def due(self, row: int) -> dt.datetime | None:
        """When the cycle of ``row`` reaches its target (None: paused before it)."""
        return _datetime(self.plan(row), self.plan(row).due)

    def at(self, t: int) -> dt.datetime:
        """When threshold row ``t`` is reached (it is known to be)."""
        plan, k = self.threshold(t)
        at = _datetime(plan, plan.ats[k])
        assert at is not None
        return at

    def instants(self, row: int) -> Callable[[dt.timedelta], dt.datetime | None]:
        """``instant(point)`` for the cycle of ``row`` (see :func:`clock_state`)."""
        plan = self.plan(row)
        known: dict[dt.timedelta, dt.datetime | None] = {}
        if plan.target is not None:
            known[plan.target] = self.due(row)
        start = int(self.t_first[row])
        for k, point in enumerate(plan.points):
            at = None if plan.ats[k].kind == NEVER else self.at(start + k)
            known.setdefault(point, at)
        return known.__getitem__

    # -- deadlines still ahead (once per sweep) ---------------------------------------------

    def _resolve(self, failed: set[int]) -> None:
        """Turn every ``AHEAD`` deadline (working time after ``since``) into an instant."""
        if self.np is not None:
            self._resolve_numpy(failed)
            return
        for r, kind in enumerate(self.due_kind):
            if kind == AHEAD:
                self.due_us[r] = self._add_one(r, self.due_us[r], failed)
        for t, kind in enumerate(self.t_kind):
            if kind == AHEAD:
                self.t_us[t] = self._add_one(self.t_row[t], self.t_us[t], failed)

    def _add_one(self, row: int, step: int, failed: set[int]) -> int:
        plan = self.plan(row)
        try:
            return to_us(plan.base.add(plan.run.since, dt.timedelta(microseconds=step)), "due")
        except ItsmError:
            failed.add(int(self.tickets[row]))
            return 0

    def _resolve_numpy(self, failed: set[int]) -> None:
        np = self.np
        due_rows = np.flatnonzero(self.due_kind == AHEAD)
        thresholds = np.flatnonzero(self.t_kind == AHEAD)
        rows = np.concatenate((due_rows, self.t_row[thresholds]))
        steps = np.concatenate((self.due_us[due_rows], self.t_us[thresholds]))
        found = np.zeros(len(rows), dtype=np.int64)
        groups = self.base_col[rows]
        for g, base in enumerate(self.bases):
            mine = np.flatnonzero(groups == g)
            if len(mine) == 0:
                continue
            starts = self.since[rows[mine]]
            if base is TWENTY_FOUR_SEVEN:
                found[mine] = starts + steps[mine]
                continue
            try:
                assert isinstance(base, Calendar)
                ends = base.add_many(starts.view("M8[us]"), steps[mine].view("m8[us]"))
                found[mine] = ends.view(np.int64)
            except ItsmError:
                for i in mine.tolist():
                    found[i] = self._add_one(int(rows[i]), int(steps[i]), failed)
        self.due_us[due_rows] = found[: len(due_rows)]
        self.t_us[thresholds] = found[len(due_rows) :]

    # -- at an instant ----------------------------------------------------------------------

    def measure(
        self, now: dt.datetime, now_us: int, quiet: BusinessTime | None, failed: set[int]
    ) -> Measured:
        """Every cycle measured at ``now``. The tickets left out (no plan, ``now`` before their
        last event, a calendar or ``quiet`` hours refusing) are added to ``failed``."""
        if self.np is not None:
            return self._measure_numpy(now, now_us, quiet, failed)
        return self._measure_lists(now, now_us, quiet, failed)

    def _measure_lists(
        self, now: dt.datetime, now_us: int, quiet: BusinessTime | None, failed: set[int]
    ) -> Measured:
        failed.update(i for i, u in enumerate(self.updated) if u > now_us)
        rows = range(len(self.since))
        spent = list(self.closed)
        for r in rows:
            if self.running[r] and self.tickets[r] not in failed and self.since[r] < now_us:
                plan = self.plan(r)
                try:
                    spent[r] += _us(plan.base.elapsed(plan.run.since, now))
                except ItsmError:
                    failed.add(self.tickets[r])
        known = [kind != NEVER for kind in self.t_kind]
        deliver = list(self.t_us)
        if quiet is not None:
            for t, r in enumerate(self.t_row):
                if known[t] and self.tickets[r] not in failed:
                    try:
                        deliver[t] = to_us(quiet.next_working(self.at(t)), "deliver")
                    except ItsmError:
                        failed.add(self.tickets[r])
        live = [i not in failed for i in self.tickets]
        status = [
            BREACHED
            if self.has_target[r] and spent[r] >= self.target[r]
            else (TICKING if self.running[r] else PAUSED)
            for r in rows
        ]
        reached = [
            live[r] and known[t] and self.t_us[t] <= now_us for t, r in enumerate(self.t_row)
        ]
        top: dict[int, int] = {}
        for t, r in enumerate(self.t_row):
            if reached[t] and self.t_point[t] > top.get(r, self.t_point[t] - 1):
                top[r] = self.t_point[t]
        due = [
            t
            for t, r in enumerate(self.t_row)
            if reached[t]
            and not (self.t_warn[t] and top[r] > self.t_point[t])
            and deliver[t] <= now_us
        ]
        later = [r for r in rows if live[r] and self.due_kind[r] != NEVER]
        later = [r for r in later if self.due_us[r] > now_us]
        pending = [
            t for t, r in enumerate(self.t_row) if live[r] and known[t] and deliver[t] > now_us
        ]
        return Measured(
            spent=spent,
            status=status,
            due=due,
            later=later,
            later_us=[self.due_us[r] for r in later],
            pending=pending,
            pending_us=[deliver[t] for t in pending],
        )

    def _measure_numpy(
        self, now: dt.datetime, now_us: int, quiet: BusinessTime | None, failed: set[int]
    ) -> Measured:
        np = self.np
        failed.update(np.flatnonzero(self.updated > now_us).tolist())
        ok_row = self._rows_of_tickets_not_in(failed)
        spent = self.closed.copy()
        ticking = self.running & ok_row & (self.since < now_us)
        for g, base in enumerate(self.bases):
            rows = np.flatnonzero(ticking & (self.base_col == g))
            if len(rows) == 0:
                continue
            starts = self.since[rows]
            if base is TWENTY_FOUR_SEVEN:
                spent[rows] += now_us - starts
                continue
            if isinstance(base, Calendar):
                try:
                    ends = np.full(len(rows), now_us, dtype=np.int64).view("M8[us]")
                    spent[rows] += base.elapsed_many(starts.view("M8[us]"), ends).view(np.int64)
                    continue
                except ItsmError:
                    pass
            for r in rows.tolist():
                plan = self.plan(r)
                try:
                    spent[r] += _us(plan.base.elapsed(plan.run.since, now))
                except ItsmError:
                    failed.add(int(self.tickets[r]))
        known = self.t_kind != NEVER
        deliver = self.t_us
        if quiet is not None:
            deliver = self._deliver_numpy(quiet, known & ok_row[self.t_row], failed)
        ok_row = self._rows_of_tickets_not_in(failed)
        status = np.where(
            self.has_target & (spent >= self.target),
            BREACHED,
            np.where(self.running, TICKING, PAUSED),
        )
        ok_threshold = ok_row[self.t_row]
        reached = known & ok_threshold & (self.t_us <= now_us)
        top = np.full(len(self.since), np.iinfo(np.int64).min, dtype=np.int64)
        np.maximum.at(top, self.t_row[reached], self.t_point[reached])
        superseded = self.t_warn & (top[self.t_row] > self.t_point)
        due = np.flatnonzero(reached & ~superseded & (deliver <= now_us))
        later = np.flatnonzero(ok_row & (self.due_kind != NEVER) & (self.due_us > now_us))
        pending = np.flatnonzero(known & ok_threshold & (deliver > now_us))
        return Measured(
            spent=spent,
            status=status,
            due=due.tolist(),
            later=later,
            later_us=self.due_us[later],
            pending=pending,
            pending_us=deliver[pending],
        )

    def _rows_of_tickets_not_in(self, failed: set[int]) -> Any:
        np = self.np
        ok = np.ones(len(self.updated), dtype=bool)
        if failed:
            ok[np.fromiter(failed, dtype=np.int64, count=len(failed))] = False
        return ok[self.tickets]

    def _deliver_numpy(self, quiet: BusinessTime, mask: Any, failed: set[int]) -> Any:
        """When each threshold's action may go out: the next working instant of ``quiet``."""
        np = self.np
        deliver = self.t_us.copy()
        if quiet is TWENTY_FOUR_SEVEN:
            return deliver
        items = np.flatnonzero(mask)
        if isinstance(quiet, Calendar) and len(items):
            # next_working(t) is add(t, 1 us) - 1 us on a calendar of whole microseconds: t
            # itself in working time, else the next opening. The bulk add checks the calendar's
            # coverage one microsecond later than next_working would, so a batch it refuses is
            # redone item by item below, with next_working's own checks.
            starts = self.t_us[items]
            try:
                steps = np.full(len(items), 1, dtype=np.int64).view("m8[us]")
                found = quiet.add_many(starts.view("M8[us]"), steps).view(np.int64) - 1
            except ItsmError:
                pass
            else:
                deliver[items] = found
                return deliver
        for t in items.tolist():
            try:
                deliver[t] = to_us(quiet.next_working(self.at(t)), "deliver")
            except ItsmError:
                failed.add(self.ticket_of(t))
        return deliver


@attrs.frozen
class Measured:
    """The cycles under way measured at an instant.

    ``spent`` and ``status`` per row; ``due``: the threshold rows whose action is due (reached,
    not superseded by a later threshold, deliverable; a list); ``later``: the rows whose
    deadline is after the instant (``later_us``); ``pending``: the threshold rows whose action
    goes out after it (``pending_us``). The columns are numpy arrays with numpy, else lists.
    """

    spent: Any
    status: Any
    due: list[int]
    later: Any
    later_us: Any
    pending: Any
    pending_us: Any


def _datetime(plan: LivePlan, instant: Instant) -> dt.datetime | None:
    """The datetime of ``instant`` of ``plan``'s cycle. A deadline ahead is asked of the time
    base again, as :meth:`Progress.instant` asks it: the columns compare microseconds, while
    the datetimes handed out are the calendar's own (its zone, its ``fold``)."""
    if instant.kind == NEVER:
        return None
    if instant.kind == FIXED:
        return instant.at
    return plan.base.add(plan.run.since, dt.timedelta(microseconds=instant.us))


def _us(delta: dt.timedelta) -> int:
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
