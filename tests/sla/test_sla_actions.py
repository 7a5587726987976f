"""Thresholds, due actions, recorded actions and the next change."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from itsm_core.errors import NaiveDatetimeError
from itsm_core.sla import (
    RESOLUTION,
    ActionKind,
    Duration,
    MetricSpec,
    PolicySet,
    SlaPolicy,
    Threshold,
    Unit,
    due_actions,
    evaluate,
    next_change_at,
    pause_findings,
)
from itsm_core.sla._abuse import PauseFindingKind as Kind
from itsm_core.sla._actions import action_key
from itsm_core.tickets import AddComment, Hold, HoldReason, Resolve, Resume

T0 = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)
M = dt.timedelta(minutes=1)
THRESHOLDS = (
    Threshold(name="warn-50", percent=50, notify=("assignee",)),
    Threshold(name="soon", before_breach=Duration(15, Unit.MINUTES), notify=("lead",)),
    Threshold(name="breach", action=ActionKind.BREACH, percent=100, notify=("lead",)),
    Threshold(
        name="level-2",
        action=ActionKind.ESCALATE,
        after_breach=Duration(1, Unit.HOURS),
        level=2,
        notify=("manager",),
    ),
)
POLICIES = PolicySet(
    policies=[
        SlaPolicy(
            name="p",
            metrics=[MetricSpec(clock=RESOLUTION, targets={"*": "4 hours"}, thresholds=THRESHOLDS)],
        )
    ]
)


def test_threshold_instants(history: Any) -> None:
    h = history(T0)
    clock = evaluate(POLICIES, h.events, T0).clock("resolution")
    assert [(t.name, t.at) for t in clock.thresholds] == [
        ("warn-50", T0 + 2 * H),
        ("soon", T0 + 4 * H - 15 * M),
        ("breach", T0 + 4 * H),
        ("level-2", T0 + 5 * H),
    ]
    assert not any(t.reached for t in clock.thresholds)


def test_actions_are_due_once_and_in_order(history: Any) -> None:
    h = history(T0)
    now = T0 + 2 * H
    report = evaluate(POLICIES, h.events, now)
    (action,) = due_actions(report, now)
    assert (
        action.key == "INC1/resolution/1/warn-50" == action_key("INC1", report.clocks[0], "warn-50")
    )
    assert action.notify == ("assignee",)
    assert action.due_at == now
    assert due_actions(report, now, recorded={action.key}) == ()
    assert next_change_at(report, now, recorded={action.key}) == T0 + 4 * H - 15 * M
    assert next_change_at(report, now) == T0 + 4 * H - 15 * M


def test_a_late_scheduler_gets_the_breach_not_the_stale_warnings(history: Any) -> None:
    h = history(T0)
    now = T0 + 5 * H
    actions = due_actions(evaluate(POLICIES, h.events, now), now)
    assert [(a.threshold, a.action, a.level) for a in actions] == [
        ("breach", ActionKind.BREACH, None),
        ("level-2", ActionKind.ESCALATE, 2),
    ]


def test_paused_clock_reaches_nothing_and_has_no_next_change(history: Any) -> None:
    h = history(T0)
    h.do(Hold(reason=HoldReason.AWAITING_VENDOR), T0 + H)
    report = evaluate(POLICIES, h.events, T0 + 30 * H)
    assert due_actions(report, T0 + 30 * H) == ()
    assert next_change_at(report, T0 + 30 * H) is None
    h.do(Resume(), T0 + 30 * H)
    report = evaluate(POLICIES, h.events, T0 + 30 * H)
    assert next_change_at(report, T0 + 30 * H) == T0 + 31 * H  # warn-50 after 2 h of clock


def test_stopped_clock_acts_no_more(history: Any) -> None:
    h = history(T0)
    h.do(Resolve(code="x", note="y"), T0 + 3 * H)
    report = evaluate(POLICIES, h.events, T0 + 9 * H)
    assert due_actions([report], T0 + 9 * H) == ()
    assert next_change_at([report], T0 + 9 * H) is None


def test_naive_now_is_refused(history: Any) -> None:
    report = evaluate(POLICIES, history(T0).events, T0)
    with pytest.raises(NaiveDatetimeError):
        due_actions(report, dt.datetime(2026, 3, 2))
    with pytest.raises(NaiveDatetimeError):
        next_change_at(report, dt.datetime(2026, 3, 2))


def test_pause_findings(history: Any) -> None:
    h = history(T0)
    h.do(Hold(reason=HoldReason.AWAITING_CUSTOMER), T0 + H)
    h.customer(AddComment(text="here is the log"), T0 + 2 * H)
    h.do(Resume(), T0 + 5 * H)
    h.do(Hold(reason=HoldReason.AWAITING_CUSTOMER), T0 + 6 * H)
    report = evaluate(POLICIES, h.events, T0 + 50 * H)
    findings = pause_findings(report, h.events, max_pause=24 * H)
    assert [(f.kind, f.paused_from, f.paused_until) for f in findings] == [
        (Kind.CUSTOMER_REPLIED, T0 + H, T0 + 5 * H),
        (Kind.TOO_LONG, T0 + 6 * H, None),
    ]
    assert findings[0].event_sequence == 3
    assert pause_findings(report, h.events) == findings[:1]
