"""Commands on the incident workflow: effects, events, refusals."""

from __future__ import annotations

import datetime as dt

import pytest

from itsm_core.errors import (
    CommandRejected,
    NaiveDatetimeError,
    TransitionNotAllowed,
    ValidationError,
)
from itsm_core.tickets import (
    Acknowledge,
    AddComment,
    Advance,
    Archive,
    Assign,
    Cancel,
    Channel,
    Classify,
    Close,
    CommandContext,
    ComplaintType,
    ConfirmResolution,
    Escalate,
    EscalationKind,
    Hold,
    HoldReason,
    IncidentState,
    LinkSurvey,
    OpenTicket,
    RejectResolution,
    Reopen,
    Resolve,
    Resume,
    SupportLevel,
    Ticket,
    TicketEvent,
    TicketKind,
    Transfer,
    allowed_events,
    decide,
    replay,
)
from itsm_core.workflow import StatusCategory

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


class Desk:
    """Drives one ticket, one hour per command, keeping every event."""

    def __init__(self, kind: TicketKind = TicketKind.INCIDENT, **opening: object) -> None:
        self.hour = 0
        command = OpenTicket(ticket_id="INC-1", kind=kind, requester="bob", **opening)  # type: ignore[arg-type]
        opened = decide(None, command, self.ctx("agent"))
        self.ticket: Ticket = opened.state
        events = opened.events
        self.events = list(events)

    def ctx(self, role: str, actor: str | None = None) -> CommandContext:
        return CommandContext(
            actor=actor or f"{role}-1", role=role, now=T0 + dt.timedelta(hours=self.hour)
        )

    def do(self, command: object, role: str = "agent") -> TicketEvent:
        self.hour += 1
        self.ticket, events = decide(self.ticket, command, self.ctx(role))  # type: ignore[arg-type]
        self.events.extend(events)
        assert replay(self.events) == self.ticket
        event: TicketEvent = events[0]
        return event

    def refused(self, command: object, role: str = "agent") -> CommandRejected:
        before = self.ticket
        with pytest.raises(CommandRejected) as info:
            decide(self.ticket, command, self.ctx(role))  # type: ignore[arg-type]
        assert self.ticket is before
        return info.value


def confirmation(desk: Desk) -> bool | None:
    return desk.ticket.customer_confirmation


def test_open_records_intake_fields() -> None:
    desk = Desk(channel=Channel.PHONE, symptom="VPN down", impact=2, urgency=1, priority=2)
    ticket = desk.ticket
    assert (ticket.state, ticket.status, ticket.version) == ("new", StatusCategory.NEW, 1)
    assert ticket.workflow == "incident"
    assert ticket.opened_by == "agent-1"
    assert ticket.opened_at == T0 == ticket.updated_at
    assert (ticket.channel, ticket.symptom, ticket.priority) == (Channel.PHONE, "VPN down", 2)
    event = desk.events[0]
    assert (event.name, event.from_state, event.to_state) == ("open", None, "new")
    assert event.payload["channel"] == "phone"


def test_incident_happy_path_and_its_events() -> None:
    desk = Desk()
    assert desk.do(Assign(group="network")).to_state == "assigned"
    ack = desk.do(Acknowledge(note="on it"))
    assert (ack.to_state, ack.reason) == ("in_progress", "on it")
    assert desk.ticket.acknowledged_at == T0 + dt.timedelta(hours=2)
    hold = desk.do(Hold(reason=HoldReason.AWAITING_VENDOR))
    assert (hold.to_status, dict(hold.payload)) == (
        StatusCategory.ON_HOLD,
        {"hold_reason": "awaiting_vendor"},
    )
    resume = desk.do(Resume(), role="customer")
    assert resume.payload == {"hold_reason": None}
    assert desk.ticket.hold_reason is None
    resolved = desk.do(Resolve(code="workaround", note="rebooted the router"))
    assert resolved.to_status is StatusCategory.RESOLVED
    assert desk.ticket.resolved_by == "agent-1"
    assert desk.ticket.first_contact_resolution is False
    closed = desk.do(ConfirmResolution(), role="customer")
    assert closed.to_state == "closed"
    assert desk.ticket.customer_confirmation is True
    assert desk.ticket.closed_at == closed.at
    desk.do(LinkSurvey(survey="https://survey.example/1"))
    desk.do(Archive())
    assert desk.ticket.archived
    assert [e.sequence for e in desk.events] == list(range(1, 10))
    error = desk.refused(AddComment(text="hello"))
    assert error.reasons == ("the ticket is archived (read-only)",)


def test_resolve_from_new_is_a_first_contact_resolution() -> None:
    desk = Desk()
    desk.do(Resolve(code="advice", note="explained the setting"))
    assert desk.ticket.first_contact_resolution is True


def test_reopen_and_customer_rejection_count_and_clear_the_resolution() -> None:
    desk = Desk()
    desk.do(Resolve(code="fixed", note="n"))
    reject = desk.do(RejectResolution(reason="still broken"), role="customer")
    assert reject.name == "reopen"
    assert reject.reason == "still broken"
    assert desk.ticket.reopen_count == 1
    assert desk.ticket.customer_confirmation is False
    assert desk.ticket.resolution_code is None
    assert desk.ticket.resolved_at is None
    desk.do(Resolve(code="fixed", note="n2"))
    assert confirmation(desk) is None
    desk.do(Reopen(reason="again"), role="customer")
    assert desk.ticket.reopen_count == 2
    desk.do(Resolve(code="fixed", note="n3"))
    assert confirmation(desk) is None
    # Confirmed closure: no close before the customer confirms, an auto-confirmation shows.
    (reason,) = desk.refused(Close(reason="auto-close"), "system").reasons
    assert reason.startswith("customer_confirmed: the customer has not confirmed")
    confirm = desk.do(ConfirmResolution(note="auto-confirmed: 3 days", auto=True), role="system")
    assert (confirm.name, confirm.role, confirm.reason) == (
        "confirm",
        "system",
        "auto-confirmed: 3 days",
    )
    assert confirm.payload["auto_confirmed"] is True
    assert desk.ticket.state == "closed"
    assert (desk.ticket.customer_confirmation, desk.ticket.auto_confirmed) == (True, True)


def test_cancel_needs_an_allowed_role_and_stamps_closed_at() -> None:
    desk = Desk()
    assert (
        "role 'cab' may not fire 'cancel'" in desk.refused(Cancel(reason="dup"), "cab").reasons[0]
    )
    event = desk.do(Cancel(reason="duplicate of INC-0"))
    assert event.to_status is StatusCategory.CANCELLED
    assert desk.ticket.closed_at == event.at


def test_transition_not_allowed_lists_the_allowed_events() -> None:
    desk = Desk()
    with pytest.raises(TransitionNotAllowed) as info:
        decide(desk.ticket, Resume(), desk.ctx("agent"))
    assert info.value.allowed == ("acknowledge", "assign", "cancel", "hold", "resolve")
    assert info.value.state == "new"
    desk.do(Resolve(code="c", note="n"))
    with pytest.raises(TransitionNotAllowed):
        decide(desk.ticket, Hold(reason=HoldReason.AWAITING_CUSTOMER), desk.ctx("agent"))


def test_annotations_apply_without_a_state_change() -> None:
    desk = Desk()
    desk.do(Acknowledge())
    event = desk.do(
        Classify(category="network", impact=1, urgency=2, priority=2, explanation=("1x2 -> 2",))
    )
    assert event.moved is False
    assert event.to_state == "in_progress"
    assert desk.ticket.priority_explanation == ("1x2 -> 2",)
    desk.do(Assign(group="net", assignee="ana"))
    desk.do(Transfer(group="db", reason="database issue"))
    assert (desk.ticket.assignment_group, desk.ticket.assignee) == ("db", None)
    desk.do(Transfer(assignee="bo", reason="expert"))
    assert (desk.ticket.assignment_group, desk.ticket.assignee) == ("db", "bo")
    desk.do(Escalate(kind=EscalationKind.FUNCTIONAL, reason="needs L2", group="db-l2"))
    assert desk.ticket.support_level is SupportLevel.L2
    assert desk.ticket.assignee is None
    desk.do(Escalate(kind=EscalationKind.FUNCTIONAL, reason="needs L3"))
    assert desk.refused(Escalate(kind=EscalationKind.FUNCTIONAL, reason="x")).reasons == (
        "already at the top support level (l3)",
    )
    desk.do(Escalate(kind=EscalationKind.HIERARCHICAL, reason="VIP"))
    assert desk.ticket.management_involved
    assert desk.refused(Escalate(kind=EscalationKind.HIERARCHICAL, reason="x")).reasons == (
        "management is already involved",
    )
    desk.do(AddComment(text="we are on it"))
    desk.do(AddComment(text="check the db logs", internal=True))
    desk.do(AddComment(text="thanks"), role="customer")
    assert [c.text for c in desk.ticket.comments] == ["we are on it", "thanks"]
    assert [c.role for c in desk.ticket.work_notes] == ["agent"]


def test_annotation_refusals() -> None:
    desk = Desk()
    assert desk.refused(Transfer(group="x", reason="r")).reasons == (
        "not assigned yet: assign it first",
    )
    desk.do(Acknowledge())
    assert desk.refused(Acknowledge()).reasons[0].startswith("already acknowledged at")
    assert desk.refused(Classify(complaint_type=ComplaintType.SERVICE)).reasons == (
        "a incident has no complaint type",
    )
    desk.do(Classify(priority=3))
    assert desk.refused(Classify(priority=3)).reasons == ("nothing changes",)
    desk.do(Assign(group="g"))
    assert desk.refused(Assign(group="g")).reasons == ("already assigned so",)
    assert desk.refused(Transfer(group="g", reason="r")).reasons == ("already assigned so",)
    assert desk.refused(AddComment(text="x", internal=True), "customer").reasons == (
        "customers cannot write internal work notes",
    )
    assert desk.refused(LinkSurvey(survey="s")).reasons == (
        "a ticket in status 'open' takes no 'link_survey'",
    )
    assert desk.refused(Archive()).reasons == ("a ticket in status 'open' takes no 'archive'",)
    desk.do(Resolve(code="c", note="n"))
    assert desk.refused(Assign(group="h")).reasons == (
        "a ticket in status 'resolved' takes no 'assign'",
    )
    desk.do(LinkSurvey(survey="s"))
    assert desk.refused(LinkSurvey(survey="s")).reasons == ("survey 's' is already linked",)
    desk.do(ConfirmResolution(), role="customer")
    assert desk.refused(ConfirmResolution(), "customer").reasons[0].startswith("no transition")


def test_time_cannot_go_backwards_and_opening_twice_is_refused() -> None:
    desk = Desk()
    earlier = CommandContext(actor="a", role="agent", now=T0 - dt.timedelta(seconds=1))
    with pytest.raises(CommandRejected, match="is before the last event"):
        decide(desk.ticket, Acknowledge(), earlier)
    opening = OpenTicket(ticket_id="INC-1", kind=TicketKind.INCIDENT, requester="bob")
    with pytest.raises(CommandRejected, match="already open"):
        decide(desk.ticket, opening, desk.ctx("agent"))
    with pytest.raises(CommandRejected, match="open one first"):
        decide(None, Acknowledge(), desk.ctx("agent"))
    with pytest.raises(CommandRejected, match="open one first"):
        decide(None, Advance(event="approve"), desk.ctx("agent"))


def test_advance_refuses_events_with_their_own_command() -> None:
    desk = Desk()
    with pytest.raises(CommandRejected, match="use Resolve"):
        decide(desk.ticket, Advance(event="resolve"), desk.ctx("agent"))


def test_all_reasons_are_reported_together() -> None:
    desk = Desk(kind=TicketKind.COMPLAINT)
    desk.do(Acknowledge())
    error = desk.refused(Advance(event="handle"), role="customer")
    assert error.reasons == (
        "role 'customer' may not fire 'handle' (allowed: agent, manager, supervisor, system)",
        "complaint_classified: classify the complaint first (missing: complaint_type, "
        "response_level)",
    )


def test_allowed_events_for_a_ticket() -> None:
    desk = Desk()
    assert allowed_events(desk.ticket, desk.ctx("agent")) == (
        "assign",
        "acknowledge",
        "hold",
        "resolve",
        "cancel",
    )
    assert allowed_events(desk.ticket, desk.ctx("customer")) == ("cancel",)
    desk.do(Cancel(reason="r"))
    desk.do(Archive())
    assert allowed_events(desk.ticket, desk.ctx("agent")) == ()


def test_commands_validate_their_input() -> None:
    with pytest.raises(ValidationError) as info:
        OpenTicket(
            ticket_id=" ", kind=TicketKind.INCIDENT, requester="", impact=0, response_level=4
        )
    assert {p.path for p in info.value.problems} == {
        "ticket_id",
        "requester",
        "impact",
        "response_level",
    }
    with pytest.raises(NaiveDatetimeError):
        OpenTicket(
            ticket_id="x",
            kind=TicketKind.INCIDENT,
            requester="b",
            occurred_at=dt.datetime(2026, 1, 1),
        )
    from itsm_core.tickets import ChangeType

    with pytest.raises(ValidationError, match="only changes"):
        OpenTicket(
            ticket_id="x", kind=TicketKind.INCIDENT, requester="b", change_type=ChangeType.NORMAL
        )
    with pytest.raises(ValidationError, match="nothing to classify"):
        Classify()
    with pytest.raises(ValidationError, match="positive int"):
        Classify(priority=0)
    with pytest.raises(ValidationError, match="priority: True is not int"):
        Classify(priority=True)
    with pytest.raises(ValidationError):
        Assign()
    with pytest.raises(ValidationError):
        Transfer(reason="r")
    with pytest.raises(ValidationError):
        Transfer(reason=" ", group="g")
    with pytest.raises(ValidationError, match="keeps the group"):
        Escalate(kind=EscalationKind.HIERARCHICAL, reason="r", group="g")
    for bad in (
        lambda: AddComment(text=""),
        lambda: Resolve(code="c", note=""),
        lambda: RejectResolution(reason=""),
        lambda: Reopen(reason=""),
        lambda: Cancel(reason=""),
        lambda: LinkSurvey(survey=""),
        lambda: Advance(event=""),
        lambda: Close(fields={"x": object()}),
    ):
        with pytest.raises(ValidationError):
            bad()
    with pytest.raises(NaiveDatetimeError):
        CommandContext(actor="a", role="r", now=dt.datetime(2026, 1, 1))
    with pytest.raises(ValidationError):
        CommandContext(actor="", role="r", now=T0)


def test_unknown_workflow_and_custom_registry() -> None:
    ctx = CommandContext(actor="a", role="agent", now=T0)
    opening = OpenTicket(ticket_id="x", kind=TicketKind.INCIDENT, requester="b", workflow="nope")
    with pytest.raises(ValidationError, match="no workflow 'nope'"):
        decide(None, opening, ctx)


def test_ticket_validates_itself() -> None:
    desk = Desk()
    import attrs

    with pytest.raises(ValidationError) as info:
        attrs.evolve(desk.ticket, version=0, reopen_count=-1, requester="", urgency=0)
    assert {p.path for p in info.value.problems} == {
        "version",
        "reopen_count",
        "requester",
        "urgency",
    }
    with pytest.raises(NaiveDatetimeError):
        attrs.evolve(desk.ticket, closed_at=dt.datetime(2026, 1, 1))
    assert desk.ticket.is_open
    assert isinstance(desk.ticket, Ticket)
    assert desk.ticket.state == IncidentState.NEW


def test_wrong_field_types_are_refused_when_a_command_is_built() -> None:
    from itsm_core.errors import ValidationError
    from itsm_core.tickets import Hold, OpenTicket, TicketKind

    with pytest.raises(ValidationError) as caught:
        OpenTicket(
            ticket_id="T1",
            kind="incident",  # type: ignore[arg-type]
            requester="r",
            channel="email",  # type: ignore[arg-type]
            impact=True,
        )
    assert [p.path for p in caught.value.problems] == ["kind", "channel", "impact"]
    assert "'email' is not a Channel ('phone', 'email'" in str(caught.value)
    assert "True is not int or None" in str(caught.value)
    with pytest.raises(ValidationError, match="reason: 3 is not"):
        Hold(reason=3)  # type: ignore[arg-type]
    assert OpenTicket(ticket_id="T1", kind=TicketKind.INCIDENT, requester="r").channel is None
