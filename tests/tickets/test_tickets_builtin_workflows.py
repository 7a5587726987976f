"""The built-in workflows end to end, with the rules the standards give them."""

from __future__ import annotations

import datetime as dt

import pytest

from itsm_core.errors import CommandRejected, InvalidWorkflowDefinition, ValidationError
from itsm_core.tickets import (
    BUILTIN_GUARDS,
    BUILTIN_WORKFLOWS,
    Acknowledge,
    Advance,
    Archive,
    ChangeState,
    ChangeType,
    Classify,
    Close,
    CommandContext,
    ComplaintState,
    ComplaintType,
    ConfirmResolution,
    Escalate,
    EscalationKind,
    IncidentState,
    OpenTicket,
    Reopen,
    Resolve,
    Role,
    StartReview,
    Ticket,
    TicketEvent,
    TicketKind,
    WorkflowRegistry,
    decide,
    replay,
)
from itsm_core.tickets._guards import HANDLERS_BY_LEVEL
from itsm_core.tickets._registry import default_workflow_name
from itsm_core.workflow import StatusCategory, Transition, Workflow, workflow_from_dict

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


class Desk:
    def __init__(self, opening: OpenTicket, registry: WorkflowRegistry = BUILTIN_WORKFLOWS) -> None:
        self.hour = 0
        self.registry = registry
        opened = decide(None, opening, self.ctx("agent"))
        self.ticket: Ticket = opened.state
        events = opened.events
        self.events: list[TicketEvent] = list(events)

    def ctx(self, role: str) -> CommandContext:
        return CommandContext(
            actor=f"{role}-1",
            role=role,
            now=T0 + dt.timedelta(hours=self.hour),
            workflows=self.registry,
        )

    def do(self, command: object, role: str = "agent") -> str:
        self.hour += 1
        self.ticket, events = decide(self.ticket, command, self.ctx(role))  # type: ignore[arg-type]
        self.events.extend(events)
        return self.ticket.state

    def reasons(self, command: object, role: str = "agent") -> tuple[str, ...]:
        with pytest.raises(CommandRejected) as info:
            decide(self.ticket, command, self.ctx(role))  # type: ignore[arg-type]
        return info.value.reasons


@pytest.mark.parametrize("name", BUILTIN_WORKFLOWS.names)
def test_builtin_workflows_round_trip_through_plain_data(name: str) -> None:
    workflow = BUILTIN_WORKFLOWS.get(name)
    copy = workflow_from_dict(workflow.to_dict(), workflow.state_type, BUILTIN_GUARDS)
    assert copy == workflow
    assert copy.to_dict() == workflow.to_dict()
    assert [t.guard_names for t in copy.transitions] == [
        t.guard_names for t in workflow.transitions
    ]


def test_complaint_five_steps_with_graded_handling() -> None:
    desk = Desk(OpenTicket(ticket_id="CMP-1", kind=TicketKind.COMPLAINT, requester="bob"))
    assert desk.ticket.state == ComplaintState.RECEIVED
    assert desk.do(Acknowledge()) == "analysing"
    desk.do(Classify(complaint_type=ComplaintType.SERVICE, response_level=1))
    assert desk.reasons(Advance(event="handle")) == (
        "management_for_level_1: a level-1 (major) case needs management: escalate "
        "hierarchically first",
    )
    desk.do(Escalate(kind=EscalationKind.HIERARCHICAL, reason="level 1"))
    assert desk.do(Advance(event="handle")) == "handling"
    resolve = Resolve(code="apology_and_refund", note="refunded")
    assert desk.reasons(resolve, "supervisor") == (
        "graded_handler: a level-1 case is handled by manager, not 'supervisor'",
    )
    assert desk.do(resolve, "manager") == "feedback"
    assert desk.reasons(Archive()) == (
        "followed_up: the customer has not confirmed the outcome at follow-up",
    )
    assert desk.do(ConfirmResolution(), "agent") == "feedback"  # recorded at the follow-up call
    assert desk.do(Archive()) == "archived"
    assert desk.ticket.archived
    assert desk.ticket.status is StatusCategory.CLOSED
    steps = [e.to_state for e in desk.events if e.moved]
    assert steps == ["received", "analysing", "handling", "feedback", "archived"]
    assert replay(desk.events) == desk.ticket


@pytest.mark.parametrize(("level", "roles"), sorted(HANDLERS_BY_LEVEL.items()))
def test_response_level_decides_the_handler(level: int, roles: frozenset[Role]) -> None:
    for role in (Role.AGENT, Role.SUPERVISOR, Role.MANAGER):
        desk = Desk(OpenTicket(ticket_id="C", kind=TicketKind.COMPLAINT, requester="b"))
        desk.do(Acknowledge())
        desk.do(Classify(complaint_type=ComplaintType.POLICY, response_level=level))
        desk.do(Escalate(kind=EscalationKind.HIERARCHICAL, reason="r"))
        desk.do(Advance(event="handle"))
        command = Resolve(code="c", note="n")
        if role in roles:
            assert desk.do(command, role) == "feedback"
        else:
            assert desk.reasons(command, role)[0].startswith("graded_handler")


def normal_change(affects_customer: bool) -> Desk:
    return Desk(
        OpenTicket(
            ticket_id="CHG-1",
            kind=TicketKind.CHANGE,
            requester="ops",
            attributes={"affects_customer_business": affects_customer},
        )
    )


def test_normal_change_through_cab_approval() -> None:
    desk = normal_change(affects_customer=True)
    assert desk.ticket.workflow == "change_normal"
    assert desk.ticket.change_type is ChangeType.NORMAL
    assert desk.do(Advance(event="assess")) == "assess"
    assert desk.reasons(Advance(event="request_authorisation", fields={"risk": "huge"})) == (
        "field 'risk' is 'huge', not one of: high, low, moderate",
    )
    assert (
        desk.do(Advance(event="request_authorisation", fields={"risk": "moderate"})) == "authorise"
    )
    assert desk.reasons(Advance(event="approve", fields={"approval": "CAB-7"}), "agent") == (
        "role 'agent' may not fire 'approve' (allowed: cab, manager)",
        "field 'planned_start' is required to approve",
    )
    approve = Advance(
        event="approve", fields={"approval": "CAB-7", "planned_start": "2026-03-07T22:00"}
    )
    assert desk.do(approve, "cab") == "scheduled"
    assert desk.reasons(Advance(event="implement")) == (
        "plan_confirmed: the change affects the customer's business: the customer must confirm "
        "the plan",
    )
    desk.do(
        Advance(event="confirm_plan", fields={"plan_confirmation": "mail 2026-03-05"}), "customer"
    )
    assert desk.do(Advance(event="implement")) == "implement"
    assert desk.do(Resolve(code="successful", note="done")) == "review"
    assert desk.reasons(Close()) == ("field 'review' is required to close",)
    assert desk.do(Close(fields={"review": "no incidents"}), "cab") == "closed"
    assert desk.ticket.attributes["approval"] == "CAB-7"
    assert replay(desk.events) == desk.ticket


def test_cab_can_deny_and_cancel_is_refused_from_review() -> None:
    desk = normal_change(affects_customer=False)
    desk.do(Advance(event="assess"))
    desk.do(Advance(event="request_authorisation", fields={"risk": "high"}))
    assert desk.do(Advance(event="deny", reason="too risky"), "cab") == "assess"
    desk.do(Advance(event="request_authorisation", fields={"risk": "low"}))
    desk.do(Advance(event="approve", fields={"approval": "A", "planned_start": "x"}), "manager")
    desk.do(Advance(event="implement"))
    desk.do(Resolve(code="unsuccessful", note="rolled back"))
    assert desk.reasons(Advance(event="cancel_it"))[0].startswith("no transition")
    from itsm_core.errors import TransitionNotAllowed
    from itsm_core.tickets import Cancel

    with pytest.raises(TransitionNotAllowed):
        decide(desk.ticket, Cancel(reason="late"), desk.ctx("agent"))


def test_standard_change_is_pre_authorised() -> None:
    desk = Desk(
        OpenTicket(
            ticket_id="CHG-2",
            kind=TicketKind.CHANGE,
            requester="ops",
            change_type=ChangeType.STANDARD,
        )
    )
    assert desk.ticket.workflow == "change_standard"
    assert (
        desk.do(Advance(event="schedule", fields={"template": "patch", "planned_start": "x"}))
        == "scheduled"
    )
    assert desk.do(Advance(event="implement")) == "implement"
    assert ChangeState.AUTHORISE not in BUILTIN_WORKFLOWS.get("change_standard").states


def test_emergency_change_needs_approval_before_implementing() -> None:
    desk = Desk(
        OpenTicket(
            ticket_id="CHG-3",
            kind=TicketKind.CHANGE,
            requester="ops",
            change_type=ChangeType.EMERGENCY,
        )
    )
    assert desk.do(Advance(event="request_authorisation")) == "authorise"
    assert (
        desk.do(
            Advance(event="approve", fields={"approval": "ECAB", "planned_start": "now"}), "cab"
        )
        == "scheduled"
    )
    assert desk.do(Advance(event="implement")) == "implement"


def test_change_type_follows_a_custom_change_workflow_name() -> None:
    desk = Desk(
        OpenTicket(
            ticket_id="C", kind=TicketKind.CHANGE, requester="o", workflow="change_emergency"
        )
    )
    assert desk.ticket.change_type is ChangeType.EMERGENCY


def test_problem_with_known_error_and_closure_codes() -> None:
    desk = Desk(OpenTicket(ticket_id="PRB-1", kind=TicketKind.PROBLEM, requester="ops"))
    assert desk.do(Acknowledge()) == "root_cause_analysis"
    assert desk.reasons(Advance(event="record_known_error", fields={"root_cause": "leak"})) == (
        "field 'workaround' is required to record_known_error",
    )
    fields = {"root_cause": "memory leak", "workaround": "restart nightly"}
    assert desk.do(Advance(event="record_known_error", fields=fields)) == "known_error"
    assert desk.reasons(Resolve(code="fixed", note="n"))[0].startswith("field 'resolution_code'")
    assert desk.do(Resolve(code="fix_applied", note="patched")) == "resolved"
    assert desk.do(Reopen(reason="recurred")) == "root_cause_analysis"
    desk.do(Resolve(code="risk_accepted", note="won't fix"))
    assert desk.do(Close()) == "closed"


def test_major_incident_needs_level_management_and_review() -> None:
    desk = Desk(OpenTicket(ticket_id="MI-1", kind=TicketKind.MAJOR_INCIDENT, requester="noc"))
    assert desk.reasons(Acknowledge()) == (
        "response_level_set: set the response level (1-3) first",
    )
    desk.do(Classify(response_level=1))
    assert desk.reasons(Acknowledge())[0].startswith("management_for_level_1")
    desk.do(Escalate(kind=EscalationKind.HIERARCHICAL, reason="level 1"))
    assert desk.do(Acknowledge()) == "responding"
    assert desk.do(Resolve(code="failover", note="restored")) == "restored"
    from itsm_core.errors import TransitionNotAllowed

    with pytest.raises(TransitionNotAllowed):
        decide(desk.ticket, Close(), desk.ctx("manager"))
    assert (
        desk.do(Advance(event="start_review", fields={"review_lead": "cto"}), "manager") == "review"
    )
    assert desk.reasons(Close(), "manager") == (
        "field 'post_incident_review' is required to close",
    )
    review = {
        "cause": "expired certificate",
        "response_effect": "restored in 40 minutes",
        "resources": "two network engineers",
        "improvements": "expiry alarm",
    }
    assert desk.do(Close(fields={"post_incident_review": review}), "manager") == "closed"


@pytest.mark.parametrize(
    ("review", "named"),
    [
        (" ", "post_incident_review: expected the four parts"),
        ({}, "post_incident_review.cause: the cause is missing"),
        (
            {"cause": "c", "response_effect": "e", "resources": " ", "improvements": "i"},
            "post_incident_review.resources: the resources used is blank",
        ),
        (
            {"cause": "c", "response_effect": "e", "resources": "r"},
            "post_incident_review.improvements: the improvements is missing",
        ),
    ],
)
def test_the_post_incident_review_needs_its_four_parts(review: object, named: str) -> None:
    desk = Desk(
        OpenTicket(
            ticket_id="MI-2", kind=TicketKind.MAJOR_INCIDENT, requester="noc", response_level=2
        )
    )
    desk.do(Acknowledge())
    desk.do(Resolve(code="failover", note="restored"))
    desk.do(StartReview(review_lead="cto"), "manager")
    (reason,) = desk.reasons(Close(fields={"post_incident_review": review}), "manager")
    assert reason.startswith("post_incident_review_complete: incomplete post-incident review")
    assert named in reason
    assert desk.ticket.state == "review"


def test_service_request_needs_approval_before_fulfilment() -> None:
    desk = Desk(OpenTicket(ticket_id="REQ-1", kind=TicketKind.SERVICE_REQUEST, requester="bob"))
    from itsm_core.errors import TransitionNotAllowed

    assert desk.do(Acknowledge()) == "new"  # first response recorded; fulfilment waits
    with pytest.raises(TransitionNotAllowed):
        decide(desk.ticket, Resolve(code="c", note="n"), desk.ctx("agent"))
    assert desk.do(Advance(event="request_approval")) == "awaiting_approval"
    assert (
        desk.do(Advance(event="approve", fields={"approval": "mgr ok"}), "approver") == "approved"
    )
    assert desk.do(Advance(event="start_fulfilment")) == "in_progress"
    assert desk.do(Resolve(code="delivered", note="laptop handed over")) == "fulfilled"
    assert desk.do(ConfirmResolution(), "customer") == "closed"


def test_consultation_answered_at_first_contact() -> None:
    desk = Desk(OpenTicket(ticket_id="Q-1", kind=TicketKind.CONSULTATION, requester="bob"))
    assert desk.do(Resolve(code="answered", note="see KB-12")) == "answered"
    assert desk.ticket.first_contact_resolution is True
    other = Desk(OpenTicket(ticket_id="Q-2", kind=TicketKind.CONSULTATION, requester="bob"))
    other.do(Acknowledge())
    other.do(Resolve(code="answered", note="after research"))
    assert other.ticket.first_contact_resolution is False


def test_custom_workflow_in_a_registry() -> None:
    incident = BUILTIN_WORKFLOWS.get("incident")
    # a user's copy without cancel and with a triage approval before resolving
    data = incident.to_dict()
    data["name"] = "strict_incident"
    data["transitions"] = [t for t in data["transitions"] if t["event"] != "cancel"]
    with pytest.raises(InvalidWorkflowDefinition, match="CANCELLED: unreachable"):
        workflow_from_dict(data, IncidentState, BUILTIN_GUARDS)
    del data["states"]["cancelled"]
    data["terminal"] = ["closed"]
    custom: Workflow[IncidentState, Ticket] = workflow_from_dict(
        data, IncidentState, BUILTIN_GUARDS
    )
    registry = BUILTIN_WORKFLOWS.with_workflow(custom)
    assert "strict_incident" in registry.names
    desk = Desk(
        OpenTicket(
            ticket_id="I", kind=TicketKind.INCIDENT, requester="b", workflow="strict_incident"
        ),
        registry,
    )
    from itsm_core.errors import TransitionNotAllowed
    from itsm_core.tickets import Cancel

    with pytest.raises(TransitionNotAllowed):
        decide(desk.ticket, Cancel(reason="r"), desk.ctx("agent"))
    with pytest.raises(ValidationError, match="two workflows"):
        WorkflowRegistry([incident, incident])


def test_default_workflow_names() -> None:
    assert default_workflow_name(TicketKind.CHANGE) == "change_normal"
    for kind in TicketKind:
        assert default_workflow_name(kind) in BUILTIN_WORKFLOWS.names
    tiny: Workflow[IncidentState, object] = Workflow(
        name="tiny",
        states={IncidentState.NEW: StatusCategory.NEW, IncidentState.CLOSED: StatusCategory.CLOSED},
        initial=IncidentState.NEW,
        transitions=[
            Transition(event="close", sources={IncidentState.NEW}, target=IncidentState.CLOSED)
        ],
    )
    assert tiny.events == ("close",)
