"""Priority, policy and calendar changes mid-flight: carry over, restart, retroactive."""

from __future__ import annotations

import datetime as dt
from typing import Any

from itsm_core.sla import (
    FIRST_RESPONSE,
    RESOLUTION,
    ClockStatus,
    Duration,
    FieldIn,
    MetricSpec,
    PolicySet,
    SlaPolicy,
    SlaTracker,
    Unit,
    evaluate,
)
from itsm_core.sla._policy import OnChange
from itsm_core.tickets import Acknowledge, Classify, Hold, HoldReason, Resume

T0 = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)


def by_priority(mode: OnChange) -> PolicySet:
    metric = MetricSpec(clock=RESOLUTION, targets={"1": "4 hours", "3": "24 hours"}, on_change=mode)
    return PolicySet(policies=[SlaPolicy(name="p", metrics=[metric])])


def raised_to_p1(history: Any) -> Any:
    h = history(T0, priority=3)
    h.do(Hold(reason=HoldReason.AWAITING_CUSTOMER), T0 + H)
    h.do(Resume(), T0 + 2 * H)
    h.do(Classify(priority=1), T0 + 3 * H)
    return h


def test_carry_over_keeps_elapsed_and_pauses(history: Any) -> None:
    h = raised_to_p1(history)
    clock = evaluate(by_priority(OnChange.CARRY_OVER), h.events, T0 + 4 * H).clock("resolution")
    assert clock.target == Duration(4, Unit.HOURS)
    assert clock.started_at == T0
    assert clock.cycle == 1
    assert clock.elapsed == 3 * H  # 4 h minus the 1 h pause, carried over
    assert clock.due_at == T0 + 5 * H
    assert clock.original_due_at == T0 + 24 * H  # as computed at the start (P3)
    assert clock.paused == ((T0 + H, T0 + 2 * H),)


def test_restart_begins_a_new_cycle_at_the_change(history: Any) -> None:
    h = raised_to_p1(history)
    report = evaluate(by_priority(OnChange.RESTART), h.events, T0 + 4 * H)
    old, new = report.cycles("resolution")
    assert old.status is ClockStatus.CANCELLED
    assert old.elapsed == 2 * H
    assert old.reason is not None
    assert "restarted" in old.reason
    assert new.cycle == 2
    assert new.started_at == T0 + 3 * H
    assert new.elapsed == H


def test_retroactive_start_measures_from_the_opening_with_its_pauses(history: Any) -> None:
    # ServiceNow's canonical case: a P1 SLA that attaches when a P3 becomes P1 counts from the
    # creation, and the pause before the change is replayed.
    p1 = SlaPolicy(
        name="p1",
        precedence=1,
        condition=FieldIn("priority", [1]),
        metrics=[MetricSpec(clock=RESOLUTION, targets={"*": "4 hours"}, on_change="retroactive")],
    )
    h = raised_to_p1(history)
    clock = evaluate(PolicySet(policies=[p1]), h.events, T0 + 4 * H).clock("resolution")
    assert clock.started_at == T0
    assert clock.elapsed == 3 * H
    assert clock.paused == ((T0 + H, T0 + 2 * H),)
    assert clock.status is ClockStatus.RUNNING
    attach = evaluate(
        PolicySet(
            policies=[
                SlaPolicy(
                    name="p1",
                    condition=p1.condition,
                    metrics=[MetricSpec(clock=RESOLUTION, targets={"*": "4 hours"})],
                )
            ]
        ),
        h.events,
        T0 + 4 * H,
    ).clock("resolution")
    assert attach.started_at == T0 + 3 * H
    assert attach.elapsed == H


def test_retroactive_attach_after_the_stop_records_the_cycle(history: Any) -> None:
    p1 = SlaPolicy(
        name="p1",
        condition=FieldIn("priority", [1]),
        metrics=[
            MetricSpec(clock=FIRST_RESPONSE, targets={"*": "30 minutes"}, on_change="retroactive")
        ],
    )
    h = history(T0, priority=3)
    h.do(Acknowledge(), T0 + H)
    h.do(Classify(priority=1), T0 + 2 * H)
    clock = evaluate(PolicySet(policies=[p1]), h.events, T0 + 3 * H).clock("first_response")
    assert clock.status is ClockStatus.MET_LATE
    assert clock.elapsed == H


def test_policy_no_longer_applying_cancels_the_clock(history: Any) -> None:
    p1 = SlaPolicy(
        name="p1",
        condition=FieldIn("priority", [1]),
        metrics=[MetricSpec(clock=RESOLUTION, targets={"*": "4 hours"})],
    )
    h = history(T0, priority=1)
    h.do(Classify(priority=2), T0 + H)
    clock = evaluate(PolicySet(policies=[p1]), h.events, T0 + 9 * H).clock("resolution")
    assert clock.status is ClockStatus.CANCELLED
    assert clock.elapsed == H
    assert clock.reason == "cancelled: no policy supplies this metric any more"


def test_an_edited_calendar_re_projects_the_open_clock(history: Any) -> None:
    class Half:
        """Counts half of physical time (a stand-in for an edited calendar)."""

        def elapsed(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
            return (end - start) / 2

        def add(self, start: dt.datetime, duration: dt.timedelta) -> dt.datetime:
            return start + 2 * duration

        def next_working(self, when: dt.datetime) -> dt.datetime:
            return when

    metric = MetricSpec(clock=RESOLUTION, targets={"*": "8 working hours"}, calendar="c")
    policies = PolicySet(policies=[SlaPolicy(name="p", metrics=[metric])])
    h = history(T0)
    tracker = SlaTracker(policies=policies, calendars={"c": Half()}).apply_all(h.events)
    assert tracker.report(T0 + 4 * H).clock("resolution").elapsed == 2 * H
    edited = SlaTracker(policies=policies, calendars={"c": Half()}).apply_all(h.events[:1])
    assert edited.report(T0 + 4 * H).clock("resolution").due_at == T0 + 16 * H
