"""One vocabulary: a typed command for every workflow event, tiers and roles checked."""

from __future__ import annotations

import datetime as dt
import typing

import attrs
import pytest

from itsm_core.errors import CommandRejected, UnknownRole, UnknownTier, ValidationError
from itsm_core.priority import DEFAULT_TIERS, TierVocabulary
from itsm_core.tickets import (
    BUILTIN_WORKFLOWS,
    COMMAND_EVENTS,
    EVENT_OF_COMMAND,
    Acknowledge,
    AddComment,
    Advance,
    Approve,
    Archive,
    Assess,
    Classify,
    Close,
    Command,
    CommandContext,
    ComplaintType,
    ConfirmPlan,
    ConfirmResolution,
    CustomerTier,
    Deny,
    Escalate,
    EscalationKind,
    Handle,
    Implement,
    OpenTicket,
    RecordKnownError,
    RequestApproval,
    RequestAuthorisation,
    Resolve,
    Role,
    Schedule,
    StartFulfilment,
    StartReview,
    Ticket,
    TicketEvent,
    TicketKind,
    WorkflowStep,
    decide,
    event_name,
    replay,
)
from itsm_core.tickets._vocabulary import ChangeType

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
PLANNED = dt.datetime(2026, 3, 5, 22, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def ctx(role: str = "agent", hours: float = 0, **more: typing.Any) -> CommandContext:
    return CommandContext(actor=f"{role}-1", role=role, now=T0 + dt.timedelta(hours=hours), **more)


# -- a typed command for every event ---------------------------------------------------------


def test_every_event_of_every_builtin_workflow_has_a_typed_command() -> None:
    typed = set(EVENT_OF_COMMAND.values())
    missing = {
        (name, transition.event)
        for name in BUILTIN_WORKFLOWS.names
        for transition in BUILTIN_WORKFLOWS.get(name).transitions
        if transition.event not in typed
    }
    assert not missing
    commands = set(typing.get_args(Command)) - {Advance}
    assert set(EVENT_OF_COMMAND) == commands


STEPS: list[WorkflowStep] = [
    RequestApproval(note="n"),
    Approve(approval="CAB-1", planned_start=PLANNED, note="n"),
    Deny(reason="too risky"),
    StartFulfilment(),
    Handle(note="manager leads"),
    RecordKnownError(root_cause="disk", workaround="reboot"),
    Assess(),
    RequestAuthorisation(risk="moderate"),
    Schedule(template="patch", planned_start=PLANNED),
    ConfirmPlan(plan_confirmation="mail"),
    Implement(),
    StartReview(review_lead="li"),
]


@pytest.mark.parametrize("step", STEPS, ids=lambda step: type(step).__name__)
def test_a_workflow_step_is_short_for_advance_of_its_event(step: WorkflowStep) -> None:
    advance = step.as_advance()
    assert advance.event == step.EVENT == event_name(step)  # type: ignore[arg-type]
    assert step.EVENT not in COMMAND_EVENTS  # Advance may still fire it
    for name, value in advance.fields.items():
        given = getattr(step, name)
        assert value == (given.isoformat() if isinstance(given, dt.datetime) else given)
    assert advance.reason == (getattr(step, "note", None) or getattr(step, "reason", None))
    assert "note" not in advance.fields
    assert "reason" not in advance.fields


def test_typed_steps_check_their_fields() -> None:
    with pytest.raises(ValidationError) as caught:
        Approve(approval=" ")
    assert [p.path for p in caught.value.problems] == ["approval"]
    with pytest.raises(ValidationError):
        Approve(approval="A", planned_start=dt.datetime(2026, 3, 5, 22))  # naive
    with pytest.raises(ValidationError) as caught:
        RecordKnownError(root_cause="", workaround="")
    assert [p.path for p in caught.value.problems] == ["root_cause", "workaround"]
    with pytest.raises(ValidationError):
        Schedule(template="t", planned_start="tomorrow")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        Deny(reason="")
    with pytest.raises(ValidationError):
        StartReview(review_lead="")
    with pytest.raises(ValidationError):
        ConfirmPlan(plan_confirmation="")


class Desk:
    def __init__(self, opening: OpenTicket) -> None:
        self.hour = 0.0
        decision = decide(None, opening, ctx())
        self.ticket: Ticket = decision.state
        self.events: list[TicketEvent] = list(decision.events)

    def do(self, command: Command, role: str = "agent") -> str:
        self.hour += 1
        self.ticket, events = decide(self.ticket, command, ctx(role, self.hour))
        self.events.extend(events)
        return self.ticket.state


def test_a_complaint_runs_its_five_steps_on_typed_commands_only() -> None:
    desk = Desk(OpenTicket(ticket_id="CMP-1", kind=TicketKind.COMPLAINT, requester="bob"))
    desk.do(Acknowledge())
    desk.do(Classify(complaint_type=ComplaintType.SERVICE, response_level=1))
    with pytest.raises(CommandRejected, match="needs management"):
        decide(desk.ticket, Handle(), ctx("manager", 9))
    desk.do(Escalate(kind=EscalationKind.HIERARCHICAL, reason="level 1"))
    assert desk.do(Handle(note="duty manager leads"), "manager") == "handling"
    assert desk.events[-1].reason == "duty manager leads"
    desk.do(Resolve(code="refund", note="refunded"), "manager")
    desk.do(ConfirmResolution())
    assert desk.do(Archive()) == "archived"
    assert [e.to_state for e in desk.events if e.moved] == [
        "received",
        "analysing",
        "handling",
        "feedback",
        "archived",
    ]


def test_typed_steps_and_advance_record_the_same_events() -> None:
    def run(step: typing.Callable[[WorkflowStep], Command]) -> list[TicketEvent]:
        desk = Desk(
            OpenTicket(
                ticket_id="CHG-1",
                kind=TicketKind.CHANGE,
                requester="ops",
                attributes={"affects_customer_business": True},
            )
        )
        desk.do(step(Assess()))
        desk.do(step(RequestAuthorisation(risk="moderate")))
        desk.do(step(Approve(approval="CAB-42", planned_start=PLANNED)), "cab")
        desk.do(step(ConfirmPlan(plan_confirmation="mail")), "customer")
        desk.do(step(Implement(note="window opened")))
        desk.do(Resolve(code="successful", note="done"))
        desk.do(Close(fields={"review": "ok"}))
        assert desk.ticket.state == "closed"
        assert desk.ticket.attributes["planned_start"] == PLANNED.isoformat()
        assert replay(desk.events) == desk.ticket
        return desk.events

    assert run(lambda step: typing.cast(Command, step)) == run(lambda step: step.as_advance())


@pytest.mark.parametrize(
    ("opening", "steps"),
    [
        (
            OpenTicket(ticket_id="SR-1", kind=TicketKind.SERVICE_REQUEST, requester="bob"),
            [(RequestApproval(), "agent"), (Approve(approval="A-1"), "approver"),
             (StartFulfilment(), "agent")],
        ),
        (
            OpenTicket(ticket_id="SR-2", kind=TicketKind.SERVICE_REQUEST, requester="bob"),
            [(RequestApproval(), "agent"), (Deny(reason="no budget"), "manager")],
        ),
        (
            OpenTicket(ticket_id="PRB-1", kind=TicketKind.PROBLEM, requester="ops"),
            [(Acknowledge(), "agent"), (RecordKnownError(root_cause="c", workaround="w"), "agent")],
        ),
        (
            OpenTicket(ticket_id="CHG-2", kind=TicketKind.CHANGE, requester="ops",
                       change_type=ChangeType.STANDARD),
            [(Schedule(template="patch", planned_start=PLANNED), "agent"), (Implement(), "agent")],
        ),
        (
            OpenTicket(ticket_id="MI-1", kind=TicketKind.MAJOR_INCIDENT, requester="ops",
                       response_level=2),
            [(Acknowledge(), "agent"), (Resolve(code="c", note="n"), "agent"),
             (StartReview(review_lead="li"), "supervisor")],
        ),
    ],
)  # fmt: skip
def test_typed_steps_move_every_builtin_workflow(
    opening: OpenTicket, steps: list[tuple[Command, str]]
) -> None:
    desk = Desk(opening)
    for command, role in steps:
        before = desk.ticket.state
        assert desk.do(command, role) != before
    assert replay(desk.events) == desk.ticket


def test_advance_still_fires_a_step_event_with_other_fields() -> None:
    desk = Desk(OpenTicket(ticket_id="SR-1", kind=TicketKind.SERVICE_REQUEST, requester="bob"))
    desk.do(Advance(event="request_approval"))
    desk.do(Advance(event="approve", fields={"approval": "A-1", "cost_centre": "42"}), "approver")
    assert desk.ticket.attributes == {"approval": "A-1", "cost_centre": "42"}


# -- customer tiers --------------------------------------------------------------------------


def test_a_ticket_records_the_tier_name_of_the_context_vocabulary() -> None:
    opened = decide(None, OpenTicket(ticket_id="I-1", kind=TicketKind.INCIDENT, requester="a",
                                     customer_tier="standard"), ctx())  # fmt: skip
    assert opened.state.customer_tier == "regular"
    assert "customer_tier" not in opened.events[0].payload  # the default tier
    vip = decide(None, OpenTicket(ticket_id="I-2", kind=TicketKind.INCIDENT, requester="a",
                                  customer_tier=CustomerTier.VIP), ctx()).state  # fmt: skip
    assert vip.customer_tier == CustomerTier.VIP
    assert type(vip.customer_tier) is str
    gold = TierVocabulary(["bronze", "gold"], aliases={"premium": "gold"})
    opening = OpenTicket(ticket_id="I-3", kind=TicketKind.INCIDENT, requester="a",
                         customer_tier="premium")  # fmt: skip
    ticket, events = decide(None, opening, ctx(tier_vocabulary=gold))
    assert ticket.customer_tier == "gold" == events[0].payload["customer_tier"]
    assert replay(events) == ticket
    plain = OpenTicket(ticket_id="I-4", kind=TicketKind.INCIDENT, requester="a")
    assert plain.customer_tier is None  # the vocabulary's first tier
    ticket, events = decide(None, plain, ctx(tier_vocabulary=gold))
    assert ticket.customer_tier == "bronze" == events[0].payload["customer_tier"]
    assert replay(events) == ticket
    default = decide(None, plain, ctx()).events[0]
    assert "customer_tier" not in default.payload
    assert replay([default]).customer_tier == "regular"


def test_an_unknown_tier_is_refused_with_the_known_tiers() -> None:
    opening = OpenTicket(ticket_id="I-1", kind=TicketKind.INCIDENT, requester="a",
                         customer_tier="gold")  # fmt: skip
    with pytest.raises(UnknownTier) as caught:
        decide(None, opening, ctx())
    assert caught.value.known == DEFAULT_TIERS.known
    assert caught.value.path == "customer_tier"
    assert "unknown customer tier 'gold' (known: regular, vip, enterprise" in str(caught.value)
    with pytest.raises(ValidationError) as blank:
        OpenTicket(ticket_id="I-1", kind=TicketKind.INCIDENT, requester="a", customer_tier=" ")
    assert [p.path for p in blank.value.problems] == ["customer_tier"]
    with pytest.raises(ValidationError):
        attrs.evolve(Desk(opening=OpenTicket(ticket_id="I", kind=TicketKind.INCIDENT,
                                             requester="a")).ticket, customer_tier="")  # fmt: skip


# -- roles -----------------------------------------------------------------------------------


def test_a_role_no_workflow_names_is_an_unknown_role_listing_the_known_ones() -> None:
    assert BUILTIN_WORKFLOWS.roles == tuple(sorted(role.value for role in Role))
    desk = Desk(OpenTicket(ticket_id="I-1", kind=TicketKind.INCIDENT, requester="a"))
    with pytest.raises(UnknownRole) as caught:
        decide(desk.ticket, Acknowledge(), ctx("agnet", 1))
    assert caught.value.known == BUILTIN_WORKFLOWS.roles
    assert caught.value.path == "ctx.role"
    assert "unknown role 'agnet' (known: agent, approver, cab, customer" in str(caught.value)
    with pytest.raises(CommandRejected, match="role 'customer' may not fire 'acknowledge'"):
        decide(desk.ticket, Acknowledge(), ctx("customer", 1))  # known, but not allowed here
    # A command that meets no role limit takes the role as given (an access policy may know it).
    commented = decide(desk.ticket, AddComment(text="hi"), ctx("team_lead", 1)).state
    assert commented.comments[-1].role == "team_lead"
