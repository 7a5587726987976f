"""Clock evaluation on 24x7 calendar time: worked examples, each number computed by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from itsm_core.errors import NaiveDatetimeError, ValidationError
from itsm_core.sla import (
    FIRST_RESPONSE,
    GROUP_RESOLUTION,
    NEXT_RESPONSE,
    RESOLUTION,
    SERVICENOW_THRESHOLDS,
    ClockDefinition,
    ClockKind,
    ClockStatus,
    EventIn,
    FieldIn,
    MetricSpec,
    PolicySet,
    SlaPolicy,
    SlaTracker,
    StatusIn,
    evaluate,
    evaluate_many,
)
from itsm_core.sla._definition import CancelWhen, Restart
from itsm_core.tickets import (
    Acknowledge,
    AddComment,
    Assign,
    Cancel,
    Classify,
    ConfirmResolution,
    Hold,
    HoldReason,
    Reopen,
    Resolve,
    Resume,
    Transfer,
)
from itsm_core.workflow import StatusCategory

T0 = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)  # a Monday
H = dt.timedelta(hours=1)
M = dt.timedelta(minutes=1)


def at(minutes: int) -> dt.datetime:
    return T0 + minutes * M


POLICY = SlaPolicy(
    name="std",
    metrics=(
        MetricSpec(
            clock=FIRST_RESPONSE, targets={"*": "2 hours"}, thresholds=SERVICENOW_THRESHOLDS
        ),
        MetricSpec(clock=RESOLUTION, targets={"1": "4 hours", "2": "8 hours"}),
        MetricSpec(clock=GROUP_RESOLUTION, targets={"*": "4 hours"}),
        MetricSpec(clock=NEXT_RESPONSE, targets={"*": "1 hours"}),
    ),
)
POLICIES = PolicySet(policies=[POLICY])


def test_pause_does_not_count_and_first_response_met(history: Any) -> None:
    h = history(T0, priority=2)
    h.do(Assign(group="network"), at(5))
    h.do(Hold(reason=HoldReason.AWAITING_CUSTOMER), at(60))
    h.do(Resume(), at(120))
    h.do(Acknowledge(), at(130))
    report = evaluate(POLICIES, h.events, at(300))
    first = report.clock("first_response")
    assert first.status is ClockStatus.MET
    assert first.elapsed == 70 * M  # 09:00-10:00 and 11:00-11:10
    assert first.stopped_at == at(130)
    assert first.paused == ((at(60), at(120)),)
    assert first.original_due_at == at(120)
    resolution = report.clock("resolution")
    assert resolution.status is ClockStatus.RUNNING
    assert resolution.elapsed == 4 * H  # 5 h of wall time minus the 1 h pause
    assert resolution.remaining == 4 * H
    assert resolution.percent == 50.0
    assert resolution.due_at == at(540)  # 18:00: 8 h of clock time plus the pause
    assert resolution.original_due_at == at(480)
    assert resolution.paused_time == H
    group = report.clock("group_resolution", "network")
    assert group.kind is ClockKind.OLA
    assert group.elapsed == 235 * M  # assigned at 09:05


def test_breach_while_running_then_met_late(history: Any) -> None:
    h = history(T0, priority=1)
    report = evaluate(POLICIES, h.events, at(250))
    clock = report.clock("resolution")
    assert clock.status is ClockStatus.BREACHED
    assert clock.breached_at == clock.due_at == at(240)
    assert clock.remaining == -10 * M
    assert clock.breached
    h.do(Resolve(code="fixed", note="rebooted"), at(300))
    late = evaluate(POLICIES, h.events, at(400)).clock("resolution")
    assert late.status is ClockStatus.MET_LATE
    assert late.elapsed == 5 * H
    assert late.breached_at == at(240)


def test_stop_exactly_at_the_deadline_meets_it(history: Any) -> None:
    h = history(T0, priority=1)
    assert evaluate(POLICIES, h.events, at(240)).clock("resolution").status is (
        ClockStatus.BREACHED
    )
    h.do(Resolve(code="fixed", note="ok"), at(240))
    assert evaluate(POLICIES, h.events, at(240)).clock("resolution").status is ClockStatus.MET


def test_internal_note_is_not_a_response_public_reply_is(history: Any) -> None:
    h = history(T0)
    h.do(AddComment(text="looking", internal=True), at(10))
    assert evaluate(POLICIES, h.events, at(20)).clock("first_response").status is (
        ClockStatus.RUNNING
    )
    h.do(AddComment(text="On it"), at(30))
    assert evaluate(POLICIES, h.events, at(40)).clock("first_response").status is ClockStatus.MET


def test_next_response_cycles(history: Any) -> None:
    h = history(T0)
    report = evaluate(POLICIES, h.events, at(1))
    assert report.clock("next_response").status is ClockStatus.NOT_STARTED
    h.customer(AddComment(text="any news?"), at(10))
    h.do(AddComment(text="working on it"), at(40))
    h.customer(AddComment(text="still broken"), at(100))
    report = evaluate(POLICIES, h.events, at(200))
    cycles = report.cycles("next_response")
    assert [c.status for c in cycles] == [ClockStatus.MET, ClockStatus.BREACHED]
    assert cycles[0].elapsed == 30 * M
    assert cycles[1].cycle == 2
    assert cycles[1].breached_at == at(160)


def test_reopen_continues_the_resolution_cycle(history: Any) -> None:
    h = history(T0, priority=2)
    h.do(Acknowledge(), at(10))
    h.do(Resolve(code="fixed", note="ok"), at(120))
    h.customer(Reopen(reason="still broken"), at(600))
    report = evaluate(POLICIES, h.events, at(660))
    first, second = report.cycles("resolution")
    assert first.status is ClockStatus.MET
    assert first.elapsed == 2 * H
    assert second.cycle == 2
    assert second.status is ClockStatus.RUNNING
    assert second.elapsed == 3 * H  # 2 h before the resolution, 1 h since the reopen
    assert second.started_at == T0
    assert second.paused == ()  # the time spent resolved is a stop, not a pause


def test_reopen_restarts_when_configured(history: Any) -> None:
    restart = ClockDefinition(
        name="resolution",
        start=RESOLUTION.start,
        stop=RESOLUTION.stop,
        pause=RESOLUTION.pause,
        on_restart=Restart.NEW_CYCLE,
    )
    policies = PolicySet(
        policies=[
            SlaPolicy(name="p", metrics=[MetricSpec(clock=restart, targets={"*": "8 hours"})])
        ]
    )
    h = history(T0)
    h.do(Acknowledge(), at(10))
    h.do(Resolve(code="fixed", note="ok"), at(120))
    h.customer(Reopen(reason="again"), at(600))
    clock = evaluate(policies, h.events, at(660)).clock("resolution")
    assert clock.cycle == 2
    assert clock.elapsed == H
    assert clock.started_at == at(600)


def test_ticket_opened_on_hold_starts_paused(history: Any) -> None:
    definition = ClockDefinition(
        name="c", start=EventIn({"hold"}), stop=EventIn({"resolve"}), pause=EventIn({"hold"})
    )
    policies = PolicySet(
        policies=[
            SlaPolicy(name="p", metrics=[MetricSpec(clock=definition, targets={"*": "1 hours"})])
        ]
    )
    h = history(T0)
    h.do(Hold(reason=HoldReason.AWAITING_VENDOR), at(10))
    clock = evaluate(policies, h.events, at(500)).clock("c")
    assert clock.status is ClockStatus.PAUSED
    assert clock.elapsed == dt.timedelta(0)
    assert clock.due_at is None
    assert clock.paused == ((at(10), None),)


def test_cancel_condition_and_cancelled_ticket(history: Any) -> None:
    h = history(T0)
    h.do(Cancel(reason="duplicate"), at(30))
    clock = evaluate(POLICIES, h.events, at(300)).clock("resolution")
    assert clock.status is ClockStatus.CANCELLED
    assert clock.elapsed == 30 * M
    assert clock.reason == "cancelled: cancel condition"


def test_start_not_met_never_cancels_a_paused_clock(history: Any) -> None:
    # ServiceNow's gotcha: a pause condition inside "not start" cancels instead of pausing.
    definition = ClockDefinition(
        name="c",
        start=StatusIn({StatusCategory.NEW, StatusCategory.OPEN}),
        stop=StatusIn({StatusCategory.RESOLVED}),
        pause=StatusIn({StatusCategory.ON_HOLD}),
        cancel_when=CancelWhen.START_NOT_MET,
    )
    policies = PolicySet(
        policies=[
            SlaPolicy(name="p", metrics=[MetricSpec(clock=definition, targets={"*": "1 hours"})])
        ]
    )
    h = history(T0)
    h.do(Hold(reason=HoldReason.AWAITING_VENDOR), at(10))
    assert evaluate(policies, h.events, at(20)).clock("c").status is ClockStatus.PAUSED
    h.do(Resume(), at(30))
    h.do(Resolve(code="x", note="y"), at(40))
    h.do(ConfirmResolution(), at(50), role="customer")
    clock = evaluate(policies, h.events, at(60)).clock("c")
    assert clock.status is ClockStatus.MET
    assert clock.elapsed == 20 * M


def test_start_not_met_cancels(history: Any) -> None:
    definition = ClockDefinition(
        name="c",
        start=FieldIn("priority", [1]),
        stop=StatusIn({StatusCategory.RESOLVED}),
        cancel_when=CancelWhen.START_NOT_MET,
    )
    policies = PolicySet(
        policies=[
            SlaPolicy(name="p", metrics=[MetricSpec(clock=definition, targets={"*": "1 hours"})])
        ]
    )
    h = history(T0, priority=1)
    h.do(Classify(priority=3), at(10))
    assert evaluate(policies, h.events, at(20)).clock("c").status is ClockStatus.CANCELLED


def test_reset_starts_a_new_cycle(history: Any) -> None:
    definition = ClockDefinition(
        name="ola",
        start=StatusIn({StatusCategory.NEW, StatusCategory.OPEN}),
        stop=StatusIn({StatusCategory.RESOLVED}),
        reset=EventIn({"transfer"}),
    )
    policies = PolicySet(
        policies=[
            SlaPolicy(name="p", metrics=[MetricSpec(clock=definition, targets={"*": "1 hours"})])
        ]
    )
    h = history(T0)
    h.do(Assign(group="a"), at(5))
    h.do(Transfer(group="b", reason="wrong team"), at(50))
    report = evaluate(policies, h.events, at(70))
    first, second = report.cycles("ola")
    assert first.status is ClockStatus.CANCELLED
    assert first.reason == "cancelled: reset"
    assert second.started_at == at(50)
    assert second.elapsed == 20 * M


def test_group_clock_stops_when_the_group_hands_over(history: Any) -> None:
    h = history(T0)
    h.do(Assign(group="desk"), at(0))
    h.do(Transfer(group="network", reason="routing"), at(30))
    report = evaluate(POLICIES, h.events, at(90))
    desk = report.clock("group_resolution", "desk")
    network = report.clock("group_resolution", "network")
    assert desk.status is ClockStatus.MET
    assert desk.elapsed == 30 * M
    assert network.status is ClockStatus.RUNNING
    assert network.elapsed == H


def test_no_target_measures_without_breaching(history: Any) -> None:
    h = history(T0, priority=4)
    clock = evaluate(POLICIES, h.events, at(6000)).clock("resolution")
    assert clock.target is None
    assert clock.status is ClockStatus.RUNNING
    assert clock.elapsed == 100 * H
    assert clock.due_at is None
    assert clock.percent is None


def test_events_after_now_are_not_history_yet(history: Any) -> None:
    h = history(T0, priority=1)
    h.do(Resolve(code="x", note="y"), at(100))
    assert evaluate(POLICIES, h.events, at(50)).clock("resolution").status is ClockStatus.RUNNING


def test_errors(history: Any) -> None:
    h = history(T0)
    with pytest.raises(NaiveDatetimeError):
        evaluate(POLICIES, h.events, dt.datetime(2026, 3, 2, 10))
    tracker = SlaTracker(policies=POLICIES).apply_all(h.events)
    with pytest.raises(ValidationError, match="before the last event"):
        tracker.report(T0 - H)
    with pytest.raises(ValidationError, match="no events"):
        SlaTracker(policies=POLICIES).report(T0)
    with pytest.raises(ValidationError, match="no clock 'nope'"):
        tracker.report(T0).clock("nope")
    missing = PolicySet(
        policies=[
            SlaPolicy(name="p", metrics=[MetricSpec(clock=RESOLUTION, targets={}, calendar="x")])
        ]
    )
    with pytest.raises(ValidationError, match="no calendar 'x'"):
        evaluate(missing, h.events, T0)


def test_evaluate_many_is_evaluate_per_ticket(history: Any) -> None:
    histories = [history(T0, ticket_id=f"INC{i}", priority=1 + i % 2).events for i in range(4)]
    many = evaluate_many(POLICIES, histories, at(300))
    assert many.reports == tuple(evaluate(POLICIES, events, at(300)) for events in histories)
    assert many.errors == ()
    assert [r.clock("resolution").status for r in many] == [
        ClockStatus.BREACHED,  # priority 1: 4 h target, 5 h elapsed
        ClockStatus.RUNNING,
    ] * 2
