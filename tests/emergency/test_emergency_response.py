"""Activation by a major complaint or a major incident, drills on the calendar, the review."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from itsm_core.calendar import BusinessCalendar
from itsm_core.emergency import (
    ACTIVATION,
    DRILL,
    ActivatePlan,
    ActivationCommand,
    CancelDrill,
    DrillFinding,
    PlanRegistry,
    PostEventReview,
    RecordCommunication,
    RecordDrill,
    RecordReview,
    RecordStep,
    RescheduleDrill,
    StandDown,
    Trigger,
    activation_for,
    decide_activation,
    decide_drill,
    emergency_label,
    review_text,
    schedule_drills,
)
from itsm_core.errors import CommandRejected, InvalidEventStream, ValidationError
from itsm_core.improvement import CYCLE, SourceKind, decide_cycle
from itsm_core.kernel import Context
from itsm_core.tickets import Classify, CommandContext, OpenTicket, Ticket, TicketKind, decide

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
PLAN = {
    "plan_id": "EP-DC",
    "title": "Data centre power loss",
    "event_types": ["power_loss"],
    "likelihood": 4,
    "severity": 1,
    "owner": "ops-manager",
    "review_by": "2026-06-30",
    "drill_every_months": 6,
    "roles": {"commander": "duty manager", "engineer": "on-call engineer"},
    "response_flow": [
        {"name": "assemble", "role": "commander", "within_minutes": 15},
        {"name": "switch to backup", "role": "engineer", "within_minutes": 30},
    ],
    "communication": [{"audience": "management", "channel": "phone", "within_minutes": 10}],
}
REGISTRY = PlanRegistry.from_dict({"plans": [PLAN]})


def ticket(kind: TicketKind, level: int | None) -> Ticket:
    context = CommandContext(actor="ana", role="agent", now=T0)
    opened = decide(None, OpenTicket(ticket_id="T-1", kind=kind, requester="c"), context).state
    if level is None:
        return opened
    return decide(opened, Classify(response_level=level), context).state


def at(minutes: int, actor: str = "duty") -> Context:
    return Context(actor=actor, role="manager", now=T0 + dt.timedelta(minutes=minutes))


def test_a_major_complaint_starts_the_plan() -> None:
    command = activation_for(
        ticket(TicketKind.COMPLAINT, 1), REGISTRY, event_type="power_loss", activation_id="EA-1"
    )
    assert (command.trigger, command.level, command.ticket_id) == (
        Trigger.MAJOR_COMPLAINT,
        1,
        "T-1",
    )
    assert command.plan is REGISTRY.get("EP-DC")


def test_a_major_incident_starts_the_plan_at_its_level_or_the_plans_risk() -> None:
    graded = activation_for(
        ticket(TicketKind.MAJOR_INCIDENT, 3), REGISTRY, event_type="power_loss", activation_id="E"
    )
    assert (graded.trigger, graded.level) == (Trigger.MAJOR_INCIDENT, 3)
    ungraded = activation_for(
        ticket(TicketKind.MAJOR_INCIDENT, None),
        REGISTRY,
        event_type="power_loss",
        activation_id="E",
    )
    assert ungraded.level == REGISTRY.risk("EP-DC").level == 2


@pytest.mark.parametrize(
    ("kind", "level"), [(TicketKind.COMPLAINT, 2), (TicketKind.INCIDENT, None)]
)
def test_other_tickets_start_no_plan(kind: TicketKind, level: int | None) -> None:
    with pytest.raises(CommandRejected, match="neither a major complaint"):
        activation_for(ticket(kind, level), REGISTRY, event_type="power_loss", activation_id="E")


def test_an_activation_runs_to_its_review_and_feeds_pdca() -> None:
    plan = REGISTRY.get("EP-DC")
    start = ActivatePlan(
        activation_id="EA-1", plan=plan, event_type="power_loss", trigger=Trigger.DECLARED, level=1
    )
    state, events = decide_activation(None, start, at(0))
    steps: list[tuple[int, ActivationCommand]] = [
        (5, RecordCommunication(audience="management")),
        (12, RecordStep(step="assemble")),
        (41, RecordStep(step="switch to backup")),
    ]
    for minutes, command in steps:
        state, new = decide_activation(state, command, at(minutes))
        events += new
    statuses = {s.name: s for s in state.flow()}
    assert statuses["assemble"].due_at == T0 + dt.timedelta(minutes=15)
    assert [s.name for s in state.late_steps(T0 + dt.timedelta(hours=1))] == ["switch to backup"]
    with pytest.raises(CommandRejected, match="reviewed is not allowed in state 'active'"):
        decide_activation(state, RecordReview(review=review()), at(50))
    state, new = decide_activation(state, StandDown(summary="power back"), at(90))
    events += new
    assert state.improvement_cycles("ops") == ()
    state, new = decide_activation(state, RecordReview(review=review()), at(60 * 24))
    events += new
    assert ACTIVATION.replay(events) == state
    assert [event.name for event in events] == [
        "activated",
        "communication_recorded",
        "step_recorded",
        "step_recorded",
        "stood_down",
        "reviewed",
    ]
    cycles = state.improvement_cycles("ops")
    assert [(c.cycle_id, c.title) for c in cycles] == [
        ("EA-1-I1", "test the transfer switch monthly"),
        ("EA-1-I2", "add a second fuel supplier"),
    ]
    assert cycles[0].source is not None
    assert (cycles[0].source.kind, cycles[0].source.reference) == (
        SourceKind.POST_INCIDENT_REVIEW,
        "EA-1",
    )
    cycle = decide_cycle(None, cycles[0], at(60 * 25, "ops")).state
    assert cycle.title == "test the transfer switch monthly"


def review() -> PostEventReview:
    return PostEventReview(
        cause="the transfer switch stuck",
        response_effect="service back in 41 minutes, 11 minutes late",
        resources_used="2 UPS units, 4 fuel drums",
        improvements=["test the transfer switch monthly", "add a second fuel supplier"],
    )


def test_refused_activation_commands() -> None:
    plan = REGISTRY.get("EP-DC")
    start = ActivatePlan(
        activation_id="EA-1", plan=plan, event_type="power_loss", trigger=Trigger.DECLARED, level=1
    )
    state = decide_activation(None, start, at(0)).state
    with pytest.raises(CommandRejected, match="unknown step 'panic'"):
        decide_activation(state, RecordStep(step="panic"), at(1))
    with pytest.raises(CommandRejected, match="unknown audience 'press'"):
        decide_activation(state, RecordCommunication(audience="press"), at(1))
    state = decide_activation(state, RecordStep(step="assemble"), at(1)).state
    with pytest.raises(CommandRejected, match="already recorded"):
        decide_activation(state, RecordStep(step="assemble"), at(2))
    with pytest.raises(CommandRejected, match="already exists"):
        decide_activation(state, start, at(2))
    with pytest.raises(CommandRejected, match="activate a plan first"):
        decide_activation(None, StandDown(summary="x"), at(2))
    with pytest.raises(ValidationError) as caught:
        ActivatePlan(
            activation_id="E", plan=plan, event_type="flood", trigger=Trigger.DECLARED, level=4
        )
    assert [p.path for p in caught.value.problems] == ["event_type", "level"]


def test_the_review_needs_all_four_parts() -> None:
    with pytest.raises(ValidationError) as caught:
        PostEventReview(cause="", response_effect="ok", resources_used=" ", improvements=["x", ""])
    assert [p.path for p in caught.value.problems] == ["cause", "resources_used", "improvements[1]"]


def test_labels_and_review_text_are_bilingual() -> None:
    assert emergency_label(Trigger.MAJOR_INCIDENT, "zh-CN") == "重大事件"
    assert review_text(review(), "en").splitlines()[0] == "Cause: the transfer switch stuck"
    assert review_text(review(), "zh-CN").splitlines()[1].startswith("处置效果: ")


SHANGHAI = ZoneInfo("Asia/Shanghai")
OFFICE = BusinessCalendar.from_dict(
    {
        "name": "office",
        "timezone": "Asia/Shanghai",
        "weekly": {
            day: [["09:00", "18:00"]]
            for day in ("monday", "tuesday", "wednesday", "thursday", "friday")
        },
        "holidays": ["2026-10-01"],
    }
)


def test_drills_are_scheduled_every_cadence_on_working_time() -> None:
    plan = REGISTRY.get("EP-DC")  # every 6 months
    first = dt.datetime(2026, 4, 1, 14, tzinfo=SHANGHAI)  # a Wednesday
    drills = schedule_drills(plan, OFFICE, first=first, count=3)
    # 1 October 2026 is a holiday (Thursday): that drill moves to Friday 2 October, 09:00
    assert [d.planned_at.isoformat() for d in drills] == [
        "2026-04-01T14:00:00+08:00",
        "2026-10-02T09:00:00+08:00",
        "2027-04-01T14:00:00+08:00",
    ]
    assert [d.drill_id for d in drills] == ["EP-DC-D1", "EP-DC-D2", "EP-DC-D3"]


def test_a_drill_is_held_and_its_findings_open_improvement_cycles() -> None:
    (scheduled,) = schedule_drills(REGISTRY.get("EP-DC"), OFFICE, first=T0, count=1)
    drill, events = decide_drill(None, scheduled, at(0, "ops"))
    later = T0 + dt.timedelta(days=2)
    drill, new = decide_drill(drill, RescheduleDrill(planned_at=later), at(10, "ops"))
    events += new
    findings = [
        DrillFinding(finding_id="F1", description="backup line took 40 minutes"),
        DrillFinding(finding_id="F2", description="SMS template missing"),
    ]
    drill, new = decide_drill(
        drill, RecordDrill(participants=["wang", "li"], findings=findings), at(2 * 24 * 60)
    )
    events += new
    assert DRILL.replay(events) == drill
    assert (drill.state.value, drill.held_at, drill.planned_at) == ("held", later, later)
    cycles = drill.improvement_cycles("ops")
    assert [c.cycle_id for c in cycles] == ["EP-DC-D1-F1", "EP-DC-D1-F2"]
    assert cycles[1].source is not None
    assert (cycles[1].source.kind, cycles[1].source.reference) == (SourceKind.DRILL, "EP-DC-D1/F2")
    started = [decide_cycle(None, cycle, at(3 * 24 * 60, "ops")) for cycle in cycles]
    assert CYCLE.replay(started[0].events) == started[0].state
    with pytest.raises(CommandRejected, match="only scheduled"):
        decide_drill(drill, CancelDrill(reason="too late"), at(3 * 24 * 60))


def test_drill_commands_are_checked() -> None:
    with pytest.raises(ValidationError) as caught:
        RecordDrill(participants=[], findings=[DrillFinding(finding_id="F", description="d")] * 2)
    assert [p.path for p in caught.value.problems] == ["participants", "findings[1].finding_id"]


def test_a_stream_that_does_not_start_with_the_activation_is_one_error() -> None:
    plan = REGISTRY.get("EP-DC")
    start = ActivatePlan(
        activation_id="EA-1", plan=plan, event_type="power_loss", trigger=Trigger.DECLARED, level=1
    )
    state, events = decide_activation(None, start, at(0))
    _, second = decide_activation(state, RecordStep(step="assemble"), at(1))
    with pytest.raises(InvalidEventStream):
        ACTIVATION.replay(second)
    with pytest.raises(InvalidEventStream):
        ACTIVATION.replay([*events, *second, *second])
