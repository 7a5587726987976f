"""A complaint through its five steps (accept, classify, handle, feedback, archive) on the
desk: graded handling and the access policy hold, and every step is one call."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from itsm_core.desk import ServiceDesk
from itsm_core.errors import AccessDenied, CommandRejected
from itsm_core.records import Actor
from itsm_core.repositories import InMemoryEventStore
from itsm_core.sla import STANDARD_POLICIES
from itsm_core.tickets import (
    Acknowledge,
    Advance,
    Archive,
    Assign,
    Classify,
    Command,
    ComplaintType,
    ConfirmResolution,
    Escalate,
    EscalationKind,
    OpenTicket,
    Resolve,
    TicketEvent,
    TicketKind,
)

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
SUPERVISOR = Actor(id="wu", roles={"supervisor"}, groups={"complaints"})


@pytest.fixture
def desk() -> ServiceDesk:
    numbers = itertools.count(1)
    store: InMemoryEventStore[TicketEvent] = InMemoryEventStore()
    return ServiceDesk(store=store, ids=lambda: f"id-{next(numbers)}", sla=STANDARD_POLICIES)


def step(desk: ServiceDesk, command: Command, actor: Actor | str, role: str, hours: float) -> str:
    now = T0 + dt.timedelta(hours=hours)
    return desk.execute("CMP-1", command, actor=actor, role=role, now=now).ticket.state


def accepted_and_classified(desk: ServiceDesk, level: int) -> None:
    opening = OpenTicket(ticket_id="CMP-1", kind=TicketKind.COMPLAINT, requester="li")
    assert step(desk, opening, "li", "customer", 0) == "received"
    assert step(desk, Assign(group="complaints", assignee="ana"), "ana", "agent", 0.2) == "received"
    assert step(desk, Acknowledge(), "ana", "agent", 0.5) == "analysing"  # 1 受理 accept
    grade = Classify(complaint_type=ComplaintType.PROCESS, response_level=level)
    assert step(desk, grade, "ana", "agent", 1) == "analysing"  # 2 分类 classify


def test_the_five_steps_of_a_serious_complaint(desk: ServiceDesk) -> None:
    accepted_and_classified(desk, level=2)
    assert step(desk, Advance(event="handle"), "ana", "agent", 2) == "handling"  # 3 处理
    resolve = Resolve(code="apology", note="process fixed, fee refunded")
    with pytest.raises(CommandRejected, match="level-2 case is handled by manager, supervisor"):
        step(desk, resolve, "ana", "agent", 5)
    assert step(desk, resolve, SUPERVISOR, "supervisor", 5) == "feedback"  # 4 反馈 feedback
    with pytest.raises(AccessDenied, match="'zhang' may not 'confirm'"):
        step(desk, ConfirmResolution(), "zhang", "customer", 20)  # not their complaint
    assert step(desk, ConfirmResolution(), "li", "customer", 20) == "feedback"
    assert step(desk, Archive(), "ana", "agent", 21) == "archived"  # 5 归档 archive
    ticket = desk.ticket("CMP-1")
    assert (ticket.archived, ticket.customer_confirmation) == (True, True)
    report = desk.evaluate("CMP-1", T0 + dt.timedelta(hours=22))
    assert report.policies == ("complaint-response",)
    assert report.clock("first_response").status == "met"  # acknowledged within 24 h


def test_a_major_complaint_involves_management_before_handling(desk: ServiceDesk) -> None:
    accepted_and_classified(desk, level=1)
    with pytest.raises(CommandRejected, match="escalate hierarchically first"):
        step(desk, Advance(event="handle"), "ana", "agent", 2)
    escalate = Escalate(kind=EscalationKind.HIERARCHICAL, reason="level 1")
    assert step(desk, escalate, "ana", "agent", 2) == "analysing"
    assert step(desk, Advance(event="handle"), "ana", "agent", 2) == "handling"
    resolve = Resolve(code="refund", note="refunded")
    assert step(desk, resolve, "zhou", "manager", 4) == "feedback"
    assert len(desk.history("CMP-1")) == 7
