"""The week played out: every request decided at intake, then worked, event by event.

Each ticket is opened at its arrival with ``OpenTicket`` and classified with the priority the
policy decided (the explanation is kept on the ticket). Every later step of its plan becomes
a command decided by ``itsm_core.tickets.decide`` at its instant, in time order across all
tickets, by the right person (the assignee, the customer, the approver, the manager...). The
events are appended to an in-memory event store, one stream per ticket, with optimistic
concurrency: the store is the week's only record, and every later section reads it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

from _week_desk import (
    APPROVER,
    END_OF_WEEK,
    GROUP_OF_CATEGORY,
    GROUPS,
    OFFICE,
    SUPERVISOR,
    at,
)
from _week_script import CUSTOMERS, FACTS, INTAKE, STORIES, Row

from itsm_core.priority import COMPLAINT_GRADING, ITIL_POLICY, GradingDecision, PriorityDecision
from itsm_core.repositories import EventStore, InMemoryEventStore
from itsm_core.tickets import (
    Acknowledge,
    Advance,
    Archive,
    Assign,
    Cancel,
    Classify,
    Close,
    Command,
    CommandContext,
    ConfirmResolution,
    CustomerTier,
    Escalate,
    EscalationKind,
    Hold,
    HoldReason,
    OpenTicket,
    Reopen,
    Resolve,
    Resume,
    Ticket,
    TicketEvent,
    TicketKind,
    decide,
    replay,
)

RESOLUTION_CODES = {
    TicketKind.INCIDENT: ("fixed", "service restored"),
    TicketKind.SERVICE_REQUEST: ("fulfilled", "delivered as requested"),
    TicketKind.CONSULTATION: ("answered", "answered with a knowledge article"),
    TicketKind.COMPLAINT: ("apology", "explained, apologised, cause removed"),
}


@dataclasses.dataclass(frozen=True)
class Action:
    """One command to decide at an instant, by someone."""

    at: dt.datetime
    ticket_id: str
    actor: str
    role: str
    command: Command


@dataclasses.dataclass(frozen=True)
class Week:
    """What the week left behind: the event store and what was decided at intake."""

    store: EventStore[TicketEvent]
    rows: dict[str, Row]
    priorities: dict[str, PriorityDecision]
    gradings: dict[str, GradingDecision]
    requesters: dict[str, str]

    def history(self, ticket_id: str) -> tuple[TicketEvent, ...]:
        """The stored events of one ticket."""
        return self.store.read(ticket_id)

    def ticket(self, ticket_id: str) -> Ticket:
        """One ticket as it stands at the end of the week (replayed from its events)."""
        return replay(self.store.read(ticket_id))

    def histories(self) -> dict[str, tuple[TicketEvent, ...]]:
        """Every ticket's events, by ticket id in arrival order."""
        return {ticket_id: self.history(ticket_id) for ticket_id in self.rows}


def _opening(row: Row, requester: str, decision: PriorityDecision | None) -> list[Command]:
    """The commands decided when the request arrives."""
    grading = _grading(row)
    opening = OpenTicket(
        ticket_id=row.ticket_id,
        kind=row.kind,
        requester=requester,
        channel=row.channel,
        category=row.category,
        customer_tier=CustomerTier.VIP if row.vip else CustomerTier.REGULAR,
        response_level=None if grading is None else grading.level,
    )
    if decision is None:
        return [opening]
    classify = Classify(
        impact=decision.impact,
        urgency=decision.urgency,
        priority=decision.priority,
        explanation=[str(step) for step in decision.steps],
    )
    return [opening, classify]


def _grading(row: Row) -> GradingDecision | None:
    if row.severity is None or row.urgency is None:
        return None
    return COMPLAINT_GRADING.grade(row.severity, row.urgency, tier="vip" if row.vip else None)


def _plan_actions(row: Row, requester: str, desk_agent: str, assignee: str) -> list[Action]:
    """The plan of one row as actions at working-time offsets from its opening."""
    group = GROUP_OF_CATEGORY[row.category]
    worker = desk_agent
    grading = _grading(row)
    if grading is not None and grading.level == 2:
        handler, handler_role = SUPERVISOR, "supervisor"
    else:
        handler, handler_role = desk_agent, "agent"
    hold_reason: HoldReason | None = None
    actions = []
    code, note = RESOLUTION_CODES.get(row.kind, ("fixed", "done"))
    for verb, minutes in row.plan:
        when = OFFICE.add(row.opened_at, dt.timedelta(minutes=minutes))
        actor, role = worker, "agent"
        command: Command
        if verb == "as":
            command = Assign(group=group, assignee=assignee)
            worker = assignee
        elif verb == "ack":
            command = Acknowledge()
        elif verb in ("hold", "vendor"):
            hold_reason = (
                HoldReason.AWAITING_CUSTOMER if verb == "hold" else HoldReason.AWAITING_VENDOR
            )
            text = "asked for a screenshot" if verb == "hold" else "case opened with the ISP"
            command = Hold(reason=hold_reason, note=text)
        elif verb == "resume":
            command = Resume()
            if hold_reason is HoldReason.AWAITING_CUSTOMER:
                actor, role = requester, "customer"
        elif verb == "esc":
            command = Escalate(kind=EscalationKind.FUNCTIONAL, reason="needs second line")
        elif verb == "fix":
            command = Resolve(code=code, note=note)
            if row.kind is TicketKind.COMPLAINT:
                actor, role = handler, handler_role
        elif verb == "ok":
            command = ConfirmResolution(note="customer confirmed")
            actor, role = requester, "customer"
        elif verb == "reopen":
            command = Reopen(reason="the problem came back")
            actor, role = requester, "customer"
        elif verb == "close":
            command = Close()
        elif verb == "dup":
            command = Cancel(reason="duplicate of an open ticket")
        elif verb == "appr":
            command = Advance(event="request_approval")
        elif verb == "approve":
            command = Advance(event="approve", fields={"approval": f"APR-{row.ticket_id[4:]}"})
            actor, role = APPROVER, "approver"
        elif verb == "start":
            command = Advance(event="start_fulfilment")
        elif verb == "class":
            assert row.complaint_type is not None
            assert grading is not None
            command = Classify(
                complaint_type=row.complaint_type,
                response_level=grading.level,
                explanation=[str(step) for step in grading.steps],
            )
        elif verb == "handle":
            command = Advance(event="handle")
            actor, role = handler, handler_role
        elif verb == "arch":
            command = Archive()
        else:
            raise AssertionError(f"{row.ticket_id}: unknown verb {verb!r}")
        actions.append(Action(when, row.ticket_id, actor, role, command))
    return actions


def play_week() -> Week:
    """Decide every request of the week and store the events."""
    store: InMemoryEventStore[TicketEvent] = InMemoryEventStore()
    rows = {row.ticket_id: row for row in INTAKE}
    priorities: dict[str, PriorityDecision] = {}
    gradings: dict[str, GradingDecision] = {}
    requesters: dict[str, str] = {}
    rotation = {group: itertools.cycle(agents) for group, agents in GROUPS.items()}
    desk = itertools.cycle(GROUPS["service-desk"])
    actions: list[Action] = []
    for number, row in enumerate(INTAKE):
        requester = "ops" if row.channel is None else CUSTOMERS[number % len(CUSTOMERS)]
        requesters[row.ticket_id] = requester
        decision = None
        if row.facts in FACTS:
            decision = ITIL_POLICY.decide(FACTS[row.facts], tier="vip" if row.vip else None)
            priorities[row.ticket_id] = decision
        grading = _grading(row)
        if grading is not None:
            gradings[row.ticket_id] = grading
        desk_agent = next(desk)
        actions.extend(
            Action(row.opened_at, row.ticket_id, desk_agent, "agent", command)
            for command in _opening(row, requester, decision)
        )
        if row.ticket_id in STORIES:
            for day, clock, actor, role, command in STORIES[row.ticket_id]:
                actions.append(Action(at(day, clock), row.ticket_id, actor, role, command))
        else:
            assignee = next(rotation[GROUP_OF_CATEGORY[row.category]])
            actions.extend(_plan_actions(row, requester, desk_agent, assignee))
    tickets: dict[str, Ticket | None] = dict.fromkeys(rows)
    # Python's sort is stable: actions at the same instant keep their order of arrival.
    for action in sorted(actions, key=lambda a: a.at):
        if action.at >= END_OF_WEEK:
            continue  # next week's work
        ticket = tickets[action.ticket_id]
        context = CommandContext(actor=action.actor, role=action.role, now=action.at)
        new_ticket, events = decide(ticket, action.command, context)
        expected = 0 if ticket is None else ticket.version
        store.append(action.ticket_id, events, expected_version=expected)
        tickets[action.ticket_id] = new_ticket
    return Week(
        store=store,
        rows=rows,
        priorities=priorities,
        gradings=gradings,
        requesters=requesters,
    )
