"""Confirmed closure (得到客户确认后关闭), auto-confirmation as an explicit policy, solution
confirmation before applying it, the technical-service SOP, the post-incident review's four
parts and the problem level."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest

from itsm_core.errors import CommandRejected, ValidationError
from itsm_core.i18n import Messages
from itsm_core.tickets import (
    BUILTIN_WORKFLOWS,
    Acknowledge,
    Advance,
    Approve,
    AutoConfirmation,
    Classify,
    Close,
    CollectRequirements,
    CommandContext,
    ConfirmPlan,
    ConfirmResolution,
    HandOver,
    OpenTicket,
    PostIncidentReview,
    Prepare,
    ProblemLevel,
    ProposePlan,
    RejectResolution,
    RequestApproval,
    Resolve,
    ReviewPlan,
    StartExecution,
    StartFulfilment,
    TechnicalServiceState,
    Ticket,
    TicketKind,
    Verify,
    after,
    decide,
    replay,
)

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


class Desk:
    def __init__(self, opening: OpenTicket, **context: Any) -> None:
        self.hour = 0
        self.context = context
        decision = decide(None, opening, self.ctx("agent"))
        self.ticket: Ticket = decision.state
        self.events = list(decision.events)

    def ctx(self, role: str) -> CommandContext:
        now = T0 + dt.timedelta(hours=self.hour)
        return CommandContext(actor=f"{role}-1", role=role, now=now, **self.context)

    def do(self, command: Any, role: str = "agent") -> str:
        self.hour += 1
        self.ticket, events = decide(self.ticket, command, self.ctx(role))
        self.events.extend(events)
        return self.ticket.state

    def reasons(self, command: Any, role: str = "agent") -> tuple[str, ...]:
        before = self.ticket
        with pytest.raises(CommandRejected) as info:
            decide(self.ticket, command, self.ctx(role))
        assert self.ticket is before
        return info.value.reasons


def resolved_request() -> Desk:
    desk = Desk(OpenTicket(ticket_id="SR-1", kind=TicketKind.SERVICE_REQUEST, requester="li"))
    desk.do(RequestApproval())
    desk.do(Approve(approval="A-1"), "approver")
    desk.do(StartFulfilment())
    desk.do(Resolve(code="delivered", note="n"))
    return desk


def resolved_desk(kind: TicketKind) -> Desk:
    if kind is TicketKind.SERVICE_REQUEST:
        return resolved_request()
    desk = Desk(OpenTicket(ticket_id="T-1", kind=kind, requester="li"))
    desk.do(Resolve(code="done", note="n"))
    return desk


@pytest.mark.parametrize(
    "kind", [TicketKind.INCIDENT, TicketKind.SERVICE_REQUEST, TicketKind.CONSULTATION]
)
def test_a_ticket_cannot_close_before_the_customer_confirms(kind: TicketKind) -> None:
    desk = resolved_desk(kind)
    for role in ("agent", "supervisor", "manager", "system"):
        (reason,) = desk.reasons(Close(reason="done"), role)
        assert reason.startswith("customer_confirmed: the customer has not confirmed")
    assert desk.do(ConfirmResolution(note="works"), "customer") == "closed"
    assert (desk.ticket.customer_confirmation, desk.ticket.auto_confirmed) == (True, False)


def test_a_rejection_reopens_and_the_next_resolution_needs_a_new_confirmation() -> None:
    desk = resolved_desk(TicketKind.INCIDENT)
    desk.do(RejectResolution(reason="still slow"), "customer")
    desk.do(Resolve(code="done", note="n2"))
    assert desk.reasons(Close())[0].startswith("customer_confirmed")


def test_closing_without_confirmation_is_a_per_workflow_choice() -> None:
    incident = BUILTIN_WORKFLOWS.get("incident")
    transitions = [
        attrs.evolve(t, guards=()) if t.event == "close" else t for t in incident.transitions
    ]
    registry = BUILTIN_WORKFLOWS.with_workflow(attrs.evolve(incident, transitions=transitions))
    desk = Desk(OpenTicket(ticket_id="T-1", kind=TicketKind.INCIDENT, requester="li"),
                workflows=registry)  # fmt: skip
    desk.do(Resolve(code="done", note="n"))
    assert desk.do(Close()) == "closed"
    assert desk.ticket.customer_confirmation is None


def test_auto_confirmation_is_an_explicit_policy_that_shows_in_the_history() -> None:
    policy = AutoConfirmation(
        is_due=after(dt.timedelta(days=3)), description="no answer 3 days after the resolution"
    )
    desk = resolved_desk(TicketKind.INCIDENT)
    resolved_at = desk.ticket.resolved_at
    assert resolved_at is not None
    assert policy.due([desk.ticket], resolved_at + dt.timedelta(days=2)) == ()
    assert policy.due([desk.ticket], resolved_at + dt.timedelta(days=3)) == (desk.ticket,)
    command = policy.command()
    assert desk.reasons(command, "customer") == (
        "only the system auto-confirms (an auto-confirmation policy)",
    )
    assert desk.reasons(ConfirmResolution(), "system") == (
        "the system confirms only as an auto-confirmation policy (auto=True)",
    )
    assert desk.do(command, "system") == "closed"
    event = desk.events[-1]
    assert (event.name, event.role, event.reason) == (
        "confirm",
        "system",
        "auto-confirmed: no answer 3 days after the resolution",
    )
    assert event.payload["auto_confirmed"] is True
    assert (desk.ticket.customer_confirmation, desk.ticket.auto_confirmed) == (True, True)
    assert replay(desk.events) == desk.ticket


def test_an_auto_confirmation_names_its_policy() -> None:
    with pytest.raises(ValidationError) as caught:
        AutoConfirmation(is_due=after(dt.timedelta(days=1)), description=" ")
    assert [p.path for p in caught.value.problems] == ["description"]
    with pytest.raises(ValidationError):
        ConfirmResolution(auto=True)  # no note: the history would not say why


def test_a_solution_affecting_the_customer_is_confirmed_before_it_is_applied() -> None:
    desk = Desk(OpenTicket(ticket_id="INC-1", kind=TicketKind.INCIDENT, requester="li"))
    desk.do(Acknowledge())
    assert desk.reasons(ConfirmPlan(plan_confirmation="phone"), "customer") == (
        "plan_proposed: no service plan yet (ProposePlan)",
    )
    desk.do(ProposePlan(plan="reinstall the client tonight"))
    assert desk.reasons(Resolve(code="fixed", note="n"))[0].startswith("plan_confirmed")
    desk.do(ConfirmPlan(plan_confirmation="phone call 10:05"), "customer")
    assert desk.do(Resolve(code="fixed", note="n")) == "resolved"
    other = Desk(OpenTicket(ticket_id="INC-2", kind=TicketKind.INCIDENT, requester="li"))
    other.do(Acknowledge())
    other.do(ProposePlan(plan="clear the cache", affects_customer_business=False))
    assert other.do(Resolve(code="fixed", note="n")) == "resolved"


def technical_service() -> Desk:
    return Desk(
        OpenTicket(
            ticket_id="TS-1",
            kind=TicketKind.SERVICE_REQUEST,
            requester="wang",
            workflow="technical_service",
        )
    )


def test_the_technical_service_sop_requires_each_steps_artefact() -> None:
    desk = technical_service()
    assert desk.reasons(Advance(event="collect_requirements")) == (
        "field 'requirements' is required to collect_requirements",
    )
    assert desk.do(CollectRequirements(requirements="mail migration")) == "planning"
    assert desk.reasons(Prepare()) == (
        "plan_proposed: no service plan yet (ProposePlan)",
        "customer_confirmed_plan: the customer has not confirmed they understand and accept "
        "the plan (ConfirmPlan)",
    )
    assert desk.reasons(ProposePlan(plan="p"))[0] == "field 'risk' is required to propose_plan"
    desk.do(ProposePlan(plan="cut-over", risk="high"))
    assert desk.reasons(ReviewPlan(internal_review="ok")) == (
        "role 'agent' may not fire 'review_plan' (allowed: manager, supervisor)",
    )
    desk.do(ConfirmPlan(plan_confirmation="signed"), "customer")
    assert desk.reasons(Prepare()) == (
        "high_risk_reviewed: a high-risk plan needs its internal review record first (ReviewPlan)",
    )
    desk.do(ReviewPlan(internal_review="Li: rollback tested"), "supervisor")
    assert desk.do(Prepare()) == "preparation"
    assert desk.do(StartExecution(readiness_checklist=["backup", "window"])) == "execution"
    assert desk.do(Verify(self_check="ok", internal_verification="Li: ok")) == "verification"
    assert desk.do(Resolve(code="delivered", note="done")) == "acceptance"
    assert desk.reasons(ConfirmResolution(), "customer") == (
        "deliverables_handed_over: hand the deliverables over first (HandOver lists them)",
    )
    desk.do(HandOver(deliverables=["runbook"]))
    assert desk.reasons(Close())[0].startswith("customer_confirmed")
    assert desk.do(RejectResolution(reason="report missing"), "customer") == "execution"
    desk.do(Verify(self_check="ok", internal_verification="Li: ok"))
    desk.do(Resolve(code="delivered", note="with the report"))
    desk.do(HandOver(deliverables=["runbook", "test report"]))
    assert desk.do(ConfirmResolution(note="accepted"), "customer") == "closed"
    moved = [e.to_state for e in desk.events if e.moved]
    assert moved[:7] == [*(s.value for s in list(TechnicalServiceState)[:6]), "execution"]
    assert replay(desk.events) == desk.ticket


def test_a_low_risk_plan_needs_no_review_but_the_customers_confirmation() -> None:
    desk = technical_service()
    desk.do(CollectRequirements(requirements="r"))
    desk.do(ProposePlan(plan="p", risk="low", affects_customer_business=False))
    assert desk.reasons(Prepare())[0].startswith("customer_confirmed_plan")
    desk.do(ConfirmPlan(plan_confirmation="mail"), "customer")
    assert desk.do(Prepare()) == "preparation"


def test_checklists_and_deliverables_are_non_blank_lists() -> None:
    with pytest.raises(ValidationError) as caught:
        StartExecution(readiness_checklist=["backup", " "])
    assert [p.path for p in caught.value.problems] == ["readiness_checklist[1]"]
    with pytest.raises(ValidationError) as caught:
        HandOver(deliverables=[])
    assert [p.path for p in caught.value.problems] == ["deliverables"]
    with pytest.raises(ValidationError):
        HandOver(deliverables="runbook")
    with pytest.raises(ValidationError):
        Verify(self_check="ok", internal_verification=" ")


def test_the_post_incident_review_value_names_every_blank_part() -> None:
    with pytest.raises(ValidationError) as caught:
        PostIncidentReview(cause="dns", response_effect=" ", resources="", improvements="x")
    assert [p.path for p in caught.value.problems] == ["response_effect", "resources"]
    review = PostIncidentReview(cause="c", response_effect="e", resources="r", improvements="i")
    assert review.as_fields()["post_incident_review"]["resources"] == "r"


def test_the_problem_level_is_its_own_classification() -> None:
    desk = Desk(
        OpenTicket(
            ticket_id="INC-1",
            kind=TicketKind.INCIDENT,
            requester="li",
            category="network/vpn",
            problem_level=ProblemLevel.MAJOR,
        )
    )
    levels = [desk.ticket.problem_level]
    desk.do(Classify(problem_level=ProblemLevel.COMPLEX))
    levels.append(desk.ticket.problem_level)
    assert levels == [ProblemLevel.MAJOR, ProblemLevel.COMPLEX]
    assert replay(desk.events) == desk.ticket
    with pytest.raises(ValidationError):
        Classify(problem_level="major")  # type: ignore[arg-type]
    zh = Messages.load("zh-CN", "tickets")
    assert [zh.text(level.label) for level in ProblemLevel] == [
        "一般技术问题",
        "复杂技术问题",
        "重大技术问题",
    ]
