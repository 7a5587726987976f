"""The actions due now, and when anything next changes (so callers never poll).

Which actions were already taken is the caller's record: ``due_actions`` takes the set of
recorded action keys. Notifications are side effects the caller performs (and may retry,
batch or send on several channels), so the caller's outbox is the source of truth; the
ticket's workflow has no event for them, and writing one per e-mail would bloat its history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable

import attrs

from itsm_core._checks import check_aware
from itsm_core.calendar import BusinessTime
from itsm_core.sla._state import ClockState, SlaReport, ThresholdState
from itsm_core.sla._thresholds import ActionKind


@attrs.frozen(kw_only=True)
class DueAction:
    """An action to take: notify ``notify``, escalate to ``level``.

    ``key`` identifies it (ticket, clock, cycle, threshold): record it once done, and pass the
    recorded keys back so it is never repeated. ``reached_at`` is when the clock reached the
    threshold, ``due_at`` when it may be delivered (deferred into working hours if asked).
    """

    key: str
    ticket_id: str
    clock: str
    cycle: int
    threshold: str
    action: ActionKind
    notify: tuple[str, ...]
    level: int | None
    reached_at: dt.datetime
    due_at: dt.datetime


def action_key(ticket_id: str, clock: ClockState, threshold: str) -> str:
    """The key of a threshold action: ``ticket/clock/cycle/threshold``."""
    return key_of(ticket_id, clock.key, clock.cycle, threshold)


def key_of(ticket_id: str, clock: str, cycle: int, threshold: str) -> str:
    """The key of ``threshold`` of cycle ``cycle`` of the clock keyed ``clock``."""
    return f"{ticket_id}/{clock}/{cycle}/{threshold}"


def _candidates(
    report: SlaReport, recorded: Collection[str], quiet: BusinessTime | None
) -> Iterable[tuple[ClockState, ThresholdState, str, dt.datetime]]:
    for clock in report.clocks:
        if not clock.status.ongoing:
            continue
        for state in clock.thresholds:
            key = action_key(report.ticket_id, clock, state.name)
            if state.at is None or key in recorded:
                continue
            deliver = state.at if quiet is None else quiet.next_working(state.at)
            yield clock, state, key, deliver


def due_actions(
    reports: SlaReport | Iterable[SlaReport],
    now: dt.datetime,
    *,
    recorded: Collection[str] = frozenset(),
    quiet_hours: BusinessTime | None = None,
) -> tuple[DueAction, ...]:
    """The threshold actions due at ``now`` and not yet in ``recorded``, oldest first.

    Only cycles under way act (a clock met before a deferred warning went out needs none).
    With ``quiet_hours`` (a calendar), an action reached outside its working time is due at its
    next opening: no escalation e-mails at midnight (zammad#4432, glpi PR #22678). A warning
    whose cycle has already reached a later threshold is dropped as superseded, so a clock that
    attaches already late, or a scheduler that was down, sends the breach, not three warnings
    before it (frappe/helpdesk#2967).
    """
    check_aware(now, "now")
    items = [reports] if isinstance(reports, SlaReport) else list(reports)
    out: list[DueAction] = []
    for report in items:
        for clock, state, key, deliver in _candidates(report, recorded, quiet_hours):
            if not state.reached or deliver > now:
                continue
            superseded = state.action is ActionKind.WARN and any(
                other.reached and other.point > state.point for other in clock.thresholds
            )
            if superseded:
                continue
            assert state.at is not None
            out.append(
                DueAction(
                    key=key,
                    ticket_id=report.ticket_id,
                    clock=clock.key,
                    cycle=clock.cycle,
                    threshold=state.name,
                    action=state.action,
                    notify=state.notify,
                    level=state.level,
                    reached_at=state.at,
                    due_at=deliver,
                )
            )
    return tuple(sorted(out, key=lambda a: (a.due_at, a.key)))


def next_change_at(
    reports: SlaReport | Iterable[SlaReport],
    now: dt.datetime,
    *,
    recorded: Collection[str] = frozenset(),
    quiet_hours: BusinessTime | None = None,
) -> dt.datetime | None:
    """The first instant after ``now`` at which, without a new event, a clock breaches or an
    action falls due; None when nothing will change until the next event (every clock paused,
    stopped or without target). Schedule a wake-up then instead of polling.
    """
    check_aware(now, "now")
    items = [reports] if isinstance(reports, SlaReport) else list(reports)
    times: list[dt.datetime] = []
    for report in items:
        times.extend(
            clock.due_at
            for clock in report.clocks
            if clock.status.ongoing and clock.due_at is not None and clock.due_at > now
        )
        times.extend(
            deliver
            for _, _, _, deliver in _candidates(report, recorded, quiet_hours)
            if deliver > now
        )
    return min(times, key=lambda t: t.astimezone(dt.UTC)) if times else None
