"""The cycles under way of many trackers as columns, measured at an instant in bulk.

One row per cycle under way (a :class:`LivePlan`), one threshold row per threshold of its
metric. With numpy the columns are ``int64``/``bool`` arrays and each step is a few array
expressions plus one ``add_many`` / ``elapsed_many`` call per calendar; without numpy they are
lists and each step a loop calling the calendar's scalar methods. Both give the same figures.

Calendar errors are never raised from here: a calendar call that fails for a batch is redone
item by item, and the tickets of the items that fail are reported in ``failed`` (the sweep
then measures those tickets one by one, the plain way, which raises the same error).
"""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Callable, Sequence
from itertools import chain
from operator import attrgetter
from typing import Any

import attrs

from itsm_core.calendar import TWENTY_FOUR_SEVEN, BusinessTime, Calendar
from itsm_core.calendar._instants import from_us, to_us
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
    POSITION,
    RUNNING,
    SINCE,
    TARGET,
    THRESHOLDS,
    US,
    WARN,
    LivePlan,
    TrackerPlan,
)

_LIVE = attrgetter("live")
_ROWS = attrgetter("rows")
_THRESHOLD_ROWS = attrgetter("threshold_rows")
#: Status codes of a cycle under way.
TICKING, PAUSED, BREACHED = 0, 1, 2


def numpy_module() -> Any:
    """numpy when installed (the ``numpy`` extra), else None."""
    try:
        import numpy
    except ImportError:  # pragma: no cover - numpy is installed where the tests run
        return None
    return numpy


class Columns:
    """The cycles under way of a sweep's tickets, with their deadlines resolved.

    Built once per sweep (``add_many`` finds every deadline still ahead of a running cycle);
    :meth:`measure` then measures every cycle at an instant.
    """

    def __init__(
        self, np: Any, tickets: list[int], plans: list[TrackerPlan], failed: set[int]
    ) -> None:
        """Lay out the cycles under way of ``plans`` (of the ``tickets`` of those indexes in
        the sweep); the tickets whose deadlines the calendar refuses are added to ``failed``."""
        self.np = np
        #: Per row: the plan, its ticket (index in the sweep), its position in the report.
        self.plans: list[LivePlan] = list(chain.from_iterable(map(_LIVE, plans)))
        rows = b"".join(map(_ROWS, plans))
        threshold_rows = b"".join(map(_THRESHOLD_ROWS, plans))
        counts = list(map(len, map(_LIVE, plans)))
        if np is not None:
            self._numpy_columns(np, rows, threshold_rows, tickets, counts)
        else:
            self._list_columns(rows, threshold_rows, tickets, counts)
        self._resolve(failed)

    def _numpy_columns(
        self,
        np: Any,
        rows: bytes,
        threshold_rows: bytes,
        tickets: list[int],
        counts: list[int],
    ) -> None:
        table = np.frombuffer(rows, dtype=np.int64).reshape(-1, POSITION + 1)
        (
            self.since,
            running,
            self.closed,
            self.target,
            has_target,
            self.due_kind,
            due_us,
            base_ids,
            thresholds,
            positions,
        ) = table.T
        self.running = running.astype(bool)
        self.has_target = has_target.astype(bool)
        self.due_us = due_us.copy()
        self.ticket_col = np.repeat(np.array(tickets, dtype=np.int64), counts)
        _, first, self.base_col = np.unique(base_ids, return_index=True, return_inverse=True)
        self.bases = [self.plans[f].base for f in first.tolist()]
        self.t_row_col = np.repeat(np.arange(len(table)), thresholds)
        starts = np.concatenate(([0], np.cumsum(thresholds)[:-1])) if len(table) else thresholds
        t_pos = np.arange(len(self.t_row_col)) - starts[self.t_row_col]
        t_table = np.frombuffer(threshold_rows, dtype=np.int64).reshape(-1, US + 1)
        self.t_point, t_warn, self.t_kind, t_us = t_table.T
        self.t_warn = t_warn.astype(bool)
        self.t_us = t_us.copy()
        self.tickets: list[int] = self.ticket_col.tolist()
        self.positions: list[int] = positions.tolist()
        self.t_row: list[int] = self.t_row_col.tolist()
        self.t_pos: list[int] = t_pos.tolist()
        self.t_start: list[int] = starts.tolist()

    def _list_columns(
        self,
        rows: bytes,
        threshold_rows: bytes,
        tickets: list[int],
        counts: list[int],
    ) -> None:
        columns = _unpacked(rows, POSITION + 1)
        self.since = columns[SINCE]
        self.running = [bool(v) for v in columns[RUNNING]]
        self.closed = columns[CLOSED]
        self.target = columns[TARGET]
        self.has_target = [bool(v) for v in columns[HAS_TARGET]]
        self.due_kind = columns[DUE_KIND]
        self.due_us = columns[DUE_US]
        self.tickets = [i for i, n in zip(tickets, counts, strict=True) for _ in range(n)]
        self.positions = columns[POSITION]
        bases: dict[int, int] = {}
        self.bases = []
        for plan in self.plans:
            if id(plan.base) not in bases:
                bases[id(plan.base)] = len(self.bases)
                self.bases.append(plan.base)
        self.base_col = [bases[i] for i in columns[BASE]]
        counts = columns[THRESHOLDS]
        self.t_row = [r for r, n in enumerate(counts) for _ in range(n)]
        self.t_pos = [k for n in counts for k in range(n)]
        self.t_start = [0, *_running_sum(counts)][: len(counts)]
        t_columns = _unpacked(threshold_rows, US + 1)
        self.t_point = t_columns[POINT]
        self.t_warn = [bool(v) for v in t_columns[WARN]]
        self.t_kind = t_columns[KIND]
        self.t_us = t_columns[US]

    # -- deadlines still ahead (once per sweep) ---------------------------------------------

    def _resolve(self, failed: set[int]) -> None:
        """Turn every ``AHEAD`` deadline (working time after ``since``) into an instant."""
        if self.np is not None:
            self._resolve_numpy(failed)
            return
        for r in range(len(self.plans)):
            if self.due_kind[r] == AHEAD:
                self.due_us[r] = self._add_one(r, self.due_us[r], failed)
        for t, r in enumerate(self.t_row):
            if self.t_kind[t] == AHEAD:
                self.t_us[t] = self._add_one(r, self.t_us[t], failed)

    def _add_one(self, row: int, step: int, failed: set[int]) -> int:
        plan = self.plans[row]
        try:
            return to_us(plan.base.add(plan.run.since, dt.timedelta(microseconds=step)), "due")
        except ItsmError:
            failed.add(self.tickets[row])
            return 0

    def _resolve_numpy(self, failed: set[int]) -> None:
        np = self.np
        due_rows = np.flatnonzero(self.due_kind == AHEAD)
        thresholds = np.flatnonzero(self.t_kind == AHEAD)
        rows = np.concatenate((due_rows, self.t_row_col[thresholds]))
        steps = np.concatenate((self.due_us[due_rows], self.t_us[thresholds]))
        found = np.zeros(len(rows), dtype=np.int64)
        for g, base in enumerate(self.bases):
            mine = np.flatnonzero(self.base_col[rows] == g)
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
        self,
        now: dt.datetime,
        now_us: int,
        quiet: BusinessTime | None,
        ok: Sequence[bool],
        failed: set[int],
    ) -> Measured:
        """Every cycle of the tickets marked ``ok`` measured at ``now``; tickets whose calendar
        (or ``quiet`` hours) fails are added to ``failed`` (their rows are then left out)."""
        if self.np is not None:
            return self._measure_numpy(now, now_us, quiet, ok, failed)
        return self._measure_lists(now, now_us, quiet, ok, failed)

    def _measure_lists(
        self,
        now: dt.datetime,
        now_us: int,
        quiet: BusinessTime | None,
        ok: Sequence[bool],
        failed: set[int],
    ) -> Measured:
        spent = list(self.closed)
        for r, plan in enumerate(self.plans):
            if self.running[r] and ok[self.tickets[r]] and self.since[r] < now_us:
                try:
                    spent[r] += _us(plan.base.elapsed(plan.run.since, now))
                except ItsmError:
                    failed.add(self.tickets[r])
        deliver = list(self.t_us)
        if quiet is not None:
            for t, r in enumerate(self.t_row):
                if self.t_kind[t] != NEVER and ok[self.tickets[r]]:
                    try:
                        deliver[t] = to_us(quiet.next_working(self.at(t)), "deliver")
                    except ItsmError:
                        failed.add(self.tickets[r])
        live = [ok[i] and i not in failed for i in self.tickets]
        status = [
            BREACHED
            if self.has_target[r] and spent[r] >= self.target[r]
            else (TICKING if self.running[r] else PAUSED)
            for r in range(len(self.plans))
        ]
        reached = [
            live[r] and self.t_kind[t] != NEVER and self.t_us[t] <= now_us
            for t, r in enumerate(self.t_row)
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
        later = [
            r
            for r in range(len(self.plans))
            if live[r] and self.due_kind[r] != NEVER and self.due_us[r] > now_us
        ]
        pending = [
            t
            for t, r in enumerate(self.t_row)
            if live[r] and self.t_kind[t] != NEVER and deliver[t] > now_us
        ]
        return Measured(
            spent=spent,
            status=status,
            due=due,
            due_deliver=[deliver[t] for t in due],
            later=later,
            later_us=[self.due_us[r] for r in later],
            pending=pending,
            pending_us=[deliver[t] for t in pending],
        )

    def _measure_numpy(
        self,
        now: dt.datetime,
        now_us: int,
        quiet: BusinessTime | None,
        ok: Sequence[bool],
        failed: set[int],
    ) -> Measured:
        np = self.np
        ok_row = np.asarray(ok, dtype=bool)[self.ticket_col]
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
                plan = self.plans[r]
                try:
                    spent[r] += _us(plan.base.elapsed(plan.run.since, now))
                except ItsmError:
                    failed.add(self.tickets[r])
        known = self.t_kind != NEVER
        deliver = self.t_us
        if quiet is not None:
            deliver = self._deliver_numpy(quiet, known & ok_row[self.t_row_col], failed)
        if failed:
            ok_row &= ~np.isin(self.ticket_col, np.fromiter(failed, dtype=np.int64))
        status = np.where(
            self.has_target & (spent >= self.target),
            BREACHED,
            np.where(self.running, TICKING, PAUSED),
        )
        reached = known & ok_row[self.t_row_col] & (self.t_us <= now_us)
        top = np.full(len(self.plans), np.iinfo(np.int64).min, dtype=np.int64)
        np.maximum.at(top, self.t_row_col[reached], self.t_point[reached])
        superseded = self.t_warn & (top[self.t_row_col] > self.t_point)
        due = np.flatnonzero(reached & ~superseded & (deliver <= now_us))
        later = np.flatnonzero(ok_row & (self.due_kind != NEVER) & (self.due_us > now_us))
        pending = np.flatnonzero(known & ok_row[self.t_row_col] & (deliver > now_us))
        return Measured(
            spent=spent.tolist(),
            status=status.tolist(),
            due=due.tolist(),
            due_deliver=deliver[due].tolist(),
            later=later.tolist(),
            later_us=self.due_us[later].tolist(),
            pending=pending.tolist(),
            pending_us=deliver[pending].tolist(),
        )

    def _deliver_numpy(self, quiet: BusinessTime, mask: Any, failed: set[int]) -> Any:
        """When each threshold's action may go out: the next working instant of ``quiet``."""
        np = self.np
        deliver = self.t_us.copy()
        if quiet is TWENTY_FOUR_SEVEN:
            return deliver
        items = np.flatnonzero(mask)
        if isinstance(quiet, Calendar) and len(items):
            # next_working(t) is add(t, 1 us) - 1 us on a calendar of whole microseconds: t
            # itself in working time, else the next opening. A coverage error here is at
            # worst one microsecond early; such a batch is redone item by item below.
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
                failed.add(self.tickets[self.t_row[t]])
        return deliver

    # -- values of single rows --------------------------------------------------------------

    def due(self, row: int) -> dt.datetime | None:
        """When the cycle of ``row`` reaches its target (None: paused before it)."""
        plan = self.plans[row]
        if plan.due.kind == FIXED:
            return plan.due.at
        if plan.due.kind == NEVER:
            return None
        return from_us(int(self.due_us[row]), plan.run.since.tzinfo)

    def at(self, t: int) -> dt.datetime:
        """When threshold row ``t`` is reached (it is known to be)."""
        row = self.t_row[t]
        plan = self.plans[row]
        instant = plan.ats[self.t_pos[t]]
        if instant.kind == FIXED:
            assert instant.at is not None
            return instant.at
        return from_us(int(self.t_us[t]), plan.run.since.tzinfo)

    def instants(self, row: int) -> Callable[[dt.timedelta], dt.datetime | None]:
        """``instant(point)`` for the cycle of ``row`` (see :func:`clock_state`)."""
        plan = self.plans[row]
        known: dict[dt.timedelta, dt.datetime | None] = {}
        if plan.target is not None:
            known[plan.target] = self.due(row)
        start = self.t_start[row]
        for k, point in enumerate(plan.points):
            instant = plan.ats[k]
            at = None if instant.kind == NEVER else self.at(start + k)
            known.setdefault(point, at)
        return known.__getitem__


@attrs.frozen
class Measured:
    """The cycles under way measured at an instant (lists indexed by row or threshold row).

    ``spent`` and ``status`` per row; ``due``: the threshold rows whose action is due
    (reached, not superseded by a later threshold, deliverable), with ``due_deliver`` when
    each may go out; ``later``: the rows whose deadline is after the instant (``later_us``);
    ``pending``: the threshold rows whose action goes out after it (``pending_us``).
    """

    spent: list[int]
    status: list[int]
    due: list[int]
    due_deliver: list[int]
    later: list[int]
    later_us: list[int]
    pending: list[int]
    pending_us: list[int]


def _us(delta: dt.timedelta) -> int:
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _unpacked(packed: bytes, width: int) -> list[list[int]]:
    """The columns of rows of ``width`` 64-bit integers packed in ``packed``."""
    flat = array("q")
    flat.frombytes(packed)
    return [flat[k::width].tolist() for k in range(width)]


def _running_sum(values: list[int]) -> list[int]:
    out: list[int] = []
    total = 0
    for value in values:
        total += value
        out.append(total)
    return out
