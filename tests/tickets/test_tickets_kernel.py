"""Tickets on the aggregate kernel: one decision shape, one fold, one stream error, and the
command -> event table declared once (by the commands) and derived everywhere else."""

from __future__ import annotations

import datetime as dt
import typing
import zoneinfo

import attrs
import pytest

from itsm_core.errors import (
    CommandRejected,
    InvalidEventStream,
    NaiveDatetimeError,
    ValidationError,
)
from itsm_core.kernel import Context, Decision
from itsm_core.tickets import (
    COMMAND_EVENTS,
    EVENT_OF_COMMAND,
    Acknowledge,
    AddComment,
    Advance,
    Command,
    CommandContext,
    Comment,
    Hold,
    HoldReason,
    OpenTicket,
    Resolve,
    TicketEvent,
    TicketKind,
    WorkflowStep,
    apply_event,
    decide,
    event_name,
    replay,
)
from itsm_core.tickets._fold import TICKET
from itsm_core.workflow import StatusCategory

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
OPENING = OpenTicket(ticket_id="INC-1", kind=TicketKind.INCIDENT, requester="wang")


def ctx(hours: float = 0) -> CommandContext:
    return CommandContext(actor="ana", role="agent", now=T0 + dt.timedelta(hours=hours))


def story() -> tuple[Decision[typing.Any, TicketEvent], list[TicketEvent]]:
    first = decide(None, OPENING, ctx())
    events = list(first.events)
    decision = first
    steps: list[tuple[float, Command]] = [
        (1, Acknowledge()),
        (2, AddComment(text="hi")),
        (3, Resolve(code="c", note="n")),
    ]
    for hours, command in steps:
        decision = decide(decision.state, command, ctx(hours))
        events.extend(decision.events)
    return decision, events


# -- one decision shape, one fold ------------------------------------------------------------


def test_decide_returns_the_kernel_decision_which_unpacks_like_a_pair() -> None:
    decision = decide(None, OPENING, ctx())
    assert isinstance(decision, Decision)
    ticket, events = decision
    assert (ticket, events) == (decision.state, decision.events)
    assert ticket.stream_id == ticket.id == "INC-1"
    assert events[0].stream_id == events[0].ticket_id == "INC-1"


def test_the_fold_is_the_kernels_and_apply_and_replay_delegate_to_it() -> None:
    decision, events = story()
    assert TICKET.name == "ticket"
    assert replay(events) == TICKET.replay(events) == decision.state
    ticket = None
    for event in events:
        ticket = apply_event(ticket, event)
    assert ticket == decision.state
    assert TICKET.apply(replay(events[:-1]), events[-1]) == decision.state
    assert TICKET.fold(replay(events[:2]), events[2:]) == decision.state


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        (lambda e: [], "no events"),
        (lambda e: e[1:], "starts at #1"),
        (lambda e: [attrs.evolve(e[1], sequence=1)], "starts with 'open'"),
        (lambda e: [e[0], e[2]], "does not follow"),
        (lambda e: [e[0], attrs.evolve(e[1], ticket_id="INC-2")], "another ticket"),
        (lambda e: [e[0], attrs.evolve(e[1], from_state="resolved")], "is not the state"),
        (lambda e: [attrs.evolve(e[0], payload={"kind": TicketKind.INCIDENT})], "'open' event"),
        (lambda e: [e[0], attrs.evolve(e[1], payload={"requester": ""})], "payload.requester"),
    ],
)
def test_a_malformed_stream_raises_invalid_event_stream_only(
    broken: typing.Callable[[list[TicketEvent]], list[TicketEvent]], message: str
) -> None:
    _, events = story()
    with pytest.raises(InvalidEventStream, match=message):
        replay(broken(events))


def test_command_context_is_the_kernel_context_with_workflows() -> None:
    context = ctx()
    assert isinstance(context, Context)
    assert "incident" in context.workflows.names
    with pytest.raises(NaiveDatetimeError, match=r"CommandContext\.now"):
        CommandContext(actor="ana", role="agent", now=dt.datetime(2026, 3, 2))
    with pytest.raises(ValidationError) as caught:
        CommandContext(actor="", role="", now=T0)
    assert [p.path for p in caught.value.problems] == ["actor", "role"]


# -- the command -> event table, declared once -------------------------------------------------


def test_every_dedicated_command_declares_its_event_and_the_tables_derive_from_it() -> None:
    commands = set(typing.get_args(Command))
    assert set(EVENT_OF_COMMAND) == commands - {Advance}
    steps = {cls for cls in commands if issubclass(cls, WorkflowStep)}
    assert len(steps) == 19  # 12, and 7 for the technical service and solution plans
    for cls in commands - {Advance}:
        event = EVENT_OF_COMMAND[cls]
        assert event == cls.EVENT  # declared by the command class itself
        if cls in steps:  # a workflow step: Advance may fire its event too
            assert event not in COMMAND_EVENTS
        else:
            assert cls.__name__ in COMMAND_EVENTS[event].split(" or ")
    owned = {event for cls, event in EVENT_OF_COMMAND.items() if cls not in steps}
    assert set(COMMAND_EVENTS) == owned
    assert COMMAND_EVENTS["reopen"] == "RejectResolution or Reopen"
    assert sum(len(names.split(" or ")) for names in COMMAND_EVENTS.values()) == len(
        EVENT_OF_COMMAND
    ) - len(steps)
    assert event_name(Advance(event="approve")) == "approve"
    assert event_name(Resolve(code="c", note="n")) == "resolve"


@pytest.mark.parametrize("event", sorted(COMMAND_EVENTS))
def test_advance_refuses_an_event_that_has_its_own_command(event: str) -> None:
    ticket = decide(None, OPENING, ctx()).state
    with pytest.raises(CommandRejected, match=f"use {COMMAND_EVENTS[event]}"):
        decide(ticket, Advance(event=event), ctx(1))


# -- typed payloads: zones kept, nothing decoded ---------------------------------------------


def test_the_values_an_event_sets_keep_their_zone_in_the_ticket_and_the_payload() -> None:
    decision, events = story()
    ticket = decision.state
    for value in (ticket.acknowledged_at, ticket.resolved_at, ticket.comments[0].at):
        assert value is not None
        assert value.tzinfo is SHANGHAI
    comment = events[2].payload["comment"]
    assert isinstance(comment, Comment)
    assert comment.at.tzinfo is SHANGHAI
    assert events[1].payload == {"acknowledged_at": T0 + dt.timedelta(hours=1)}


def test_payload_values_are_domain_values() -> None:
    ticket = decide(None, OPENING, ctx()).state
    hold = decide(ticket, Hold(reason=HoldReason.AWAITING_VENDOR), ctx(1)).events[0]
    assert hold.payload["hold_reason"] is HoldReason.AWAITING_VENDOR
    assert hold.to_status is StatusCategory.ON_HOLD
    assert set(TicketEvent.PAYLOAD_TYPES) >= {"hold_reason", "comment", "work_note", "attributes"}
    assert TicketEvent.PAYLOAD_TYPES["comment"] is Comment
    assert not {"id", "state", "version", "updated_at", "comments"} & set(TicketEvent.PAYLOAD_TYPES)
