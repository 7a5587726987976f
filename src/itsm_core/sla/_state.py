"""What an evaluation returns: the state of every clock cycle at an instant."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterator

import attrs

from itsm_core._plain import shown
from itsm_core.errors import ItsmError, Problem, ValidationError
from itsm_core.sla._definition import ClockKind
from itsm_core.sla._duration import Duration
from itsm_core.sla._thresholds import ActionKind


class ClockStatus(enum.StrEnum):
    """Where a clock cycle stands.

    ``breached`` is a cycle still under way past its target (running or paused); ``met_late``
    is a cycle that stopped after its target. A target is a "within": a stop at the deadline
    instant meets it, while a cycle still running at that instant has breached.
    """

    NOT_STARTED = "not_started"
    RUNNING = "running"
    PAUSED = "paused"
    BREACHED = "breached"
    MET = "met"
    MET_LATE = "met_late"
    CANCELLED = "cancelled"

    @property
    def ongoing(self) -> bool:
        """True for a cycle under way (running, paused, or breached and not stopped)."""
        return self in (ClockStatus.RUNNING, ClockStatus.PAUSED, ClockStatus.BREACHED)


@attrs.frozen(kw_only=True)
class ThresholdState:
    """A threshold of a cycle: when the cycle reaches (or reached) it, if it is known."""

    name: str
    action: ActionKind
    notify: tuple[str, ...]
    level: int | None
    point: dt.timedelta
    at: dt.datetime | None
    reached: bool


@attrs.frozen(kw_only=True)
class ClockState:
    """One cycle of one clock, measured at ``measured_at``.

    ``elapsed`` and ``target_time`` are clock time: working time on ``calendar`` for working
    units, physical time otherwise; paused time never counts. ``remaining`` is negative once
    breached; ``percent`` is exact (never rounded into a false breach). ``due_at`` is the
    current breach time (None while paused before the target: a paused clock has no deadline),
    ``original_due_at`` the one computed when the cycle started, ``breached_at`` the instant
    the target was reached. ``paused`` lists the pauses (the last one open while paused).

    ``coverage_warning`` says when some of these instants lie beyond the dates the calendar's
    holiday data covers (a ticket opened on 30 December with a 3-working-day target, before
    next year's holidays are known): the clock was measured there on the calendar's weekly
    pattern instead of failing, and may move once the data is loaded. None otherwise.
    """

    name: str
    group: str | None
    kind: ClockKind
    policy: str | None
    cycle: int
    status: ClockStatus
    measured_at: dt.datetime
    started_at: dt.datetime | None = None
    stopped_at: dt.datetime | None = None
    target: Duration | None = None
    target_time: dt.timedelta | None = None
    calendar: str = "24x7"
    elapsed: dt.timedelta = dt.timedelta(0)
    remaining: dt.timedelta | None = None
    percent: float | None = None
    due_at: dt.datetime | None = None
    original_due_at: dt.datetime | None = None
    breached_at: dt.datetime | None = None
    paused: tuple[tuple[dt.datetime, dt.datetime | None], ...] = ()
    paused_time: dt.timedelta = dt.timedelta(0)
    thresholds: tuple[ThresholdState, ...] = ()
    reason: str | None = None
    coverage_warning: str | None = None

    @property
    def key(self) -> str:
        """``name`` or ``name@group``: the clock's identity in a report."""
        return self.name if self.group is None else f"{self.name}@{self.group}"

    @property
    def breached(self) -> bool:
        """True when the target was reached before the cycle stopped (or it still runs)."""
        return self.status in (ClockStatus.BREACHED, ClockStatus.MET_LATE)


@attrs.frozen(kw_only=True)
class SlaReport:
    """Every clock of one ticket at ``at``: ``clocks`` holds each clock's latest cycle,
    ``history`` the earlier cycles; ``selection`` explains which policies apply and why."""

    ticket_id: str
    at: dt.datetime
    clocks: tuple[ClockState, ...]
    history: tuple[ClockState, ...]
    policies: tuple[str, ...]
    selection: tuple[str, ...]

    @property
    def coverage_warnings(self) -> tuple[str, ...]:
        """The distinct ``coverage_warning`` of its clocks (latest cycles and history): clocks
        measured beyond a calendar's holiday data. Empty when there are none."""
        found = (c.coverage_warning for c in (*self.history, *self.clocks))
        return tuple(dict.fromkeys(w for w in found if w is not None))

    def clock(self, name: str, group: str | None = None) -> ClockState:
        """The latest cycle of the clock ``name`` (of ``group`` for a per-group clock)."""
        for clock in self.clocks:
            if clock.name == name and clock.group == group:
                return clock
        known = ", ".join(c.key for c in self.clocks) or "none"
        raise ValidationError(
            f"SLA report of {shown(self.ticket_id)}",
            [Problem("clock", f"no clock {shown(name)} (group {shown(group)}); clocks: {known}")],
        )

    def cycles(self, name: str, group: str | None = None) -> tuple[ClockState, ...]:
        """Every cycle of a clock, oldest first."""
        return tuple(
            c for c in (*self.history, *self.clocks) if c.name == name and c.group == group
        )


@attrs.frozen
class SweepError:
    """A ticket that could not be measured: its position among the trackers of a
    :func:`sweep` (or the histories of :func:`evaluate_many`), its ticket (None without
    events) and the error measuring it alone raises (its ``report(at)``, the listing of its
    actions, or :func:`evaluate`)."""

    index: int
    ticket_id: str | None
    error: ItsmError


@attrs.frozen(kw_only=True)
class SlaBatch:
    """What :func:`evaluate_many` gives: the report of every history it could measure, in
    order, and the error of each one it could not (``errors``), so one ticket's bad data or
    missing calendar never fails the whole batch.

    It iterates, indexes and counts like the tuple of ``reports`` (what ``evaluate_many``
    returned before), so ``for report in evaluate_many(...)`` keeps working; check
    ``errors`` (or call :meth:`raise_first`) to learn what was left out.
    """

    at: dt.datetime
    reports: tuple[SlaReport, ...]
    errors: tuple[SweepError, ...] = ()

    def __iter__(self) -> Iterator[SlaReport]:
        return iter(self.reports)

    def __len__(self) -> int:
        return len(self.reports)

    def __getitem__(self, index: int) -> SlaReport:
        return self.reports[index]

    @property
    def ok(self) -> bool:
        """True when every history was measured."""
        return not self.errors

    def raise_first(self) -> None:
        """Raise the error of the first history that could not be measured, if any."""
        if self.errors:
            raise self.errors[0].error
