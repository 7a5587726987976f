"""Stateful tests: random command sequences on every built-in workflow keep the invariants."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from itsm_core.errors import CommandRejected
from itsm_core.serialization import make_converter
from itsm_core.tickets import (
    BUILTIN_WORKFLOWS,
    COMMAND_EVENTS,
    Acknowledge,
    AddComment,
    Advance,
    Archive,
    Assign,
    Cancel,
    ChangeType,
    Classify,
    Close,
    Command,
    CommandContext,
    ComplaintType,
    ConfirmResolution,
    Escalate,
    EscalationKind,
    Hold,
    HoldReason,
    LinkSurvey,
    OpenTicket,
    RejectResolution,
    Reopen,
    Resolve,
    Resume,
    Role,
    Ticket,
    TicketEvent,
    TicketKind,
    Transfer,
    event_name,
    replay,
)
from itsm_core.workflow import StatusCategory

CONVERTER = make_converter()

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
CODES = ["fixed", "fix_applied", "risk_accepted", "successful", "unsuccessful"]


def _field_value(workflow_name: str, event: str, field: str) -> st.SearchStrategy[str]:
    workflow = BUILTIN_WORKFLOWS.get(workflow_name)
    for transition in workflow.transitions:
        if transition.event == event and field in transition.field_choices:
            return st.sampled_from(sorted(transition.field_choices[field]))
    return st.just(f"{field}-ref")


def _advance(workflow_name: str) -> st.SearchStrategy[Command]:
    workflow = BUILTIN_WORKFLOWS.get(workflow_name)
    custom = [t for t in workflow.transitions if t.event not in COMMAND_EVENTS]
    if not custom:
        return st.builds(Advance, event=st.just("dance"))

    @st.composite
    def build(draw: st.DrawFn) -> Command:
        transition = draw(st.sampled_from(custom))
        fields: dict[str, Any] = {
            name: draw(_field_value(workflow_name, transition.event, name))
            for name in sorted(transition.required_fields)
            if name != "reason" and draw(st.integers(0, 9)) > 0
        }
        reason = "because" if "reason" in transition.required_fields else None
        return Advance(event=transition.event, fields=fields, reason=reason)

    return build()


#: A complete post-incident review (its four parts), so major incidents can close.
REVIEW = {"cause": "c", "response_effect": "e", "resources": "r", "improvements": "i"}


def commands(workflow_name: str) -> st.SearchStrategy[Command]:
    """Commands, weighted towards moving the ticket along (cancel is rare: it ends the run)."""
    text = st.sampled_from(["a", "b", "c"])
    progress = st.one_of(
        st.builds(Acknowledge),
        st.builds(Resolve, code=st.sampled_from(CODES), note=text),
        st.builds(ConfirmResolution),
        st.builds(ConfirmResolution, note=st.just("auto-confirmed: 3 days"), auto=st.just(True)),
        st.builds(
            Close,
            fields=st.sampled_from([{}, {"review": "ok", "post_incident_review": REVIEW}]),
        ),
        st.builds(Archive),
        st.builds(Reopen, reason=text),
        _advance(workflow_name),
    )
    side = st.one_of(
        st.builds(
            Classify,
            impact=st.integers(1, 3),
            urgency=st.integers(1, 3),
            priority=st.integers(1, 5),
            response_level=st.none() | st.integers(1, 3),
        ),
        st.builds(
            Classify,
            complaint_type=st.sampled_from(ComplaintType),
            response_level=st.integers(1, 3),
        ),
        st.builds(Assign, group=text, assignee=st.none() | text),
        st.builds(Transfer, reason=text, group=text),
        st.builds(Escalate, kind=st.sampled_from(EscalationKind), reason=text),
        st.builds(AddComment, text=text, internal=st.booleans()),
        st.builds(Hold, reason=st.sampled_from(HoldReason)),
        st.builds(Resume),
        st.builds(RejectResolution, reason=text),
        st.builds(LinkSurvey, survey=text),
    )
    cancel = st.builds(Cancel, reason=text)
    return st.integers(0, 199).flatmap(
        lambda bucket: progress if bucket < 120 else side if bucket < 199 else cancel
    )


@functools.cache
def mostly(fitting: tuple[Role, ...]) -> st.SearchStrategy[Role]:
    """Mostly one of ``fitting``, sometimes any role; built once per tuple (a strategy is
    validated on its first draw, and a run draws a role at every step)."""
    return st.integers(0, 9).flatmap(
        lambda n: st.sampled_from(Role) if n == 0 else st.sampled_from(fitting)
    )


def machine(kind: TicketKind, change_type: ChangeType | None = None) -> type[RuleBasedStateMachine]:
    opening = OpenTicket(
        ticket_id="T-1",
        kind=kind,
        requester="bob",
        change_type=change_type,
        attributes={"affects_customer_business": True} if change_type else {},
    )
    workflow_name = f"change_{change_type.value}" if change_type is not None else kind.value

    class TicketMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.ticket: Ticket | None = None
            self.events: list[TicketEvent] = []
            # Events are immutable and the history only grows: each one's round trip through
            # the converter is checked once, by the first invariant check that sees it.
            self.round_tripped = 0
            self.accepted = 0
            self.now = T0

        @initialize()
        def open_ticket(self) -> None:
            ctx = CommandContext(actor="ana", role=Role.AGENT, now=self.now)
            self.ticket, events = decide_checked(None, opening, ctx)
            self.events.extend(events)

        @rule(command=commands(workflow_name), data=st.data(), minutes=st.integers(0, 24 * 60))
        def act(self, command: Command, data: st.DataObject, minutes: int) -> None:
            role = data.draw(self.roles_for(command))
            self.now += dt.timedelta(minutes=minutes)
            ctx = CommandContext(actor=f"{role.value}-1", role=role, now=self.now)
            before = self.ticket
            try:
                ticket, events = decide_checked(before, command, ctx)
            except CommandRejected as rejected:
                reasons = rejected.reasons
                assert self.ticket is before
                assert replay(self.events) == before, "a refused command changes nothing"
                assert reasons, "a refusal says why"
                return
            assert before is not None
            assert len(events) == 1
            assert ticket.version == before.version + 1 == events[0].sequence
            self.ticket = ticket
            self.events.extend(events)
            self.accepted += 1
            event(f"reached {ticket.state}")

        def roles_for(self, command: Command) -> st.SearchStrategy[Role]:
            """Mostly a role the transition allows (so runs get far), sometimes any role."""
            assert self.ticket is not None
            workflow = BUILTIN_WORKFLOWS.get(self.ticket.workflow)
            state = workflow.state_named(self.ticket.state)
            transition = workflow.transition(state, event_name(command))
            if transition is None or not transition.roles:
                return st.sampled_from(Role)
            fitting = sorted(Role(r) for r in transition.roles)
            if self.ticket.response_level == 1 and Role.MANAGER in fitting:
                fitting = [Role.MANAGER]
            return mostly(tuple(fitting))

        @invariant()
        def replay_equals_state(self) -> None:
            if self.ticket is not None:
                assert replay(self.events) == self.ticket
                new = self.events[self.round_tripped :]
                restored = [CONVERTER.structure(CONVERTER.unstructure(e), TicketEvent) for e in new]
                assert restored == new
                self.round_tripped = len(self.events)

        @invariant()
        def event_count_equals_accepted_commands(self) -> None:
            if self.ticket is not None:
                assert len(self.events) == self.accepted + 1  # + the open event
                assert [e.sequence for e in self.events] == list(range(1, len(self.events) + 1))

        @invariant()
        def reopen_count_equals_reopen_events(self) -> None:
            if self.ticket is not None:
                reopens = sum(1 for e in self.events if e.name == "reopen")
                assert self.ticket.reopen_count == reopens

        @invariant()
        def closed_ticket_has_a_resolution(self) -> None:
            ticket = self.ticket
            if ticket is not None and ticket.status is StatusCategory.CLOSED:
                assert ticket.resolution_code is not None
                assert ticket.resolved_at is not None
                assert ticket.closed_at is not None

        @invariant()
        def confirmed_closure_closes_only_once_the_customer_confirmed(self) -> None:
            ticket = self.ticket
            if (
                ticket is not None
                and ticket.status is StatusCategory.CLOSED
                and ticket.workflow in ("incident", "service_request", "consultation")
            ):
                assert ticket.customer_confirmation is True
                (confirmation,) = [e for e in self.events if e.to_status is StatusCategory.CLOSED][
                    :1
                ]
                assert confirmation.name == "confirm"
                assert confirmation.role in ("customer", "system")
                assert ticket.auto_confirmed == (confirmation.role == "system")

        @invariant()
        def status_is_the_category_of_the_state(self) -> None:
            ticket = self.ticket
            if ticket is not None:
                workflow = BUILTIN_WORKFLOWS.get(ticket.workflow)
                assert ticket.status is workflow.category(workflow.state_named(ticket.state))
                assert (ticket.hold_reason is not None) == (ticket.status is StatusCategory.ON_HOLD)
                if ticket.archived:
                    assert ticket.status.is_final

    TicketMachine.__name__ = f"{workflow_name}Machine"
    # An example is a whole run of up to 50 commands, and there are nine machines: each runs
    # half the examples the profile gives a test (50 in CI; `make fuzz` gives many more).
    defaults = TicketMachine.TestCase.settings
    TicketMachine.TestCase.settings = settings(defaults, max_examples=defaults.max_examples // 2)
    return TicketMachine


def decide_checked(
    ticket: Ticket | None, command: Command, ctx: CommandContext
) -> tuple[Ticket, tuple[TicketEvent, ...]]:
    from itsm_core.tickets import decide

    decision = decide(ticket, command, ctx)
    return decision.state, decision.events


TestIncident = machine(TicketKind.INCIDENT).TestCase
TestServiceRequest = machine(TicketKind.SERVICE_REQUEST).TestCase
TestConsultation = machine(TicketKind.CONSULTATION).TestCase
TestComplaint = machine(TicketKind.COMPLAINT).TestCase
TestProblem = machine(TicketKind.PROBLEM).TestCase
TestNormalChange = machine(TicketKind.CHANGE, ChangeType.NORMAL).TestCase
TestStandardChange = machine(TicketKind.CHANGE, ChangeType.STANDARD).TestCase
TestEmergencyChange = machine(TicketKind.CHANGE, ChangeType.EMERGENCY).TestCase
TestMajorIncident = machine(TicketKind.MAJOR_INCIDENT).TestCase
