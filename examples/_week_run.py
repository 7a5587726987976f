"""The week played out: every request decided at intake, then worked, command by command.

Each ticket is opened at its arrival with ``OpenTicket`` and classified with the priority the
policy decided (the explanation is kept on the ticket). Every later step of its plan becomes
a command at its instant, in time order across all tickets, by the right person (the assignee,
the customer, the approver, the manager...). Each command is one call to the service desk
(``itsm_core.desk.ServiceDesk.execute``), which loads the ticket, checks the desk's access
policy, decides, and appends the events to an in-memory event store, one stream per ticket.
Each step of the script is a command with its own idempotency key, so playing the script
again appends nothing. The store is the week's only record, and every later section reads it
through the desk.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Iterable

from _week_desk import (
    ACCESS,
    APPROVER,
    CALENDARS,
    END_OF_WEEK,
    GROUP_OF_CATEGORY,
    GROUPS,
    OFFICE,
    POLICIES,
    SUPERVISOR,
    at,
)
from _week_script import CUSTOMERS, FACTS, INTAKE, STORIES, Row

from itsm_core.desk import CommandOutcome, ServiceDesk
from itsm_core.priority import COMPLAINT_GRADING, ITIL_POLICY, GradingDecision, PriorityDecision
from itsm_core.repositories import InMemoryEventStore
from itsm_core.tickets import (
    Acknowledge,
    Advance,
    Archive,
    Assign,
    Cancel,
    Classify,
    Command,
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
    TicketKind,
)

RESOLUTION_CODES = {
    TicketKind.INCIDENT: ("fixed", "service restored"),
    TicketKind.SERVICE_REQUEST: ("fulfilled", "delivered as requested"),
    TicketKind.CONSULTATION: ("answered", "answered with a knowledge article"),
    TicketKind.COMPLAINT: ("apology", "explained, apologised, cause removed"),
}


@dataclasses.dataclass(frozen=True)
class Action:
    """One command of the script, at an instant, by someone."""

    at: dt.datetime
    ticket_id: str
    actor: str
    role: str
    command: Command


@dataclasses.dataclass(frozen=True)
class Week:
    """What the week left behind: the desk (and its event store), the script it played (each
    action with its idempotency key, in time order) and what was decided at intake."""

    desk: ServiceDesk
    script: tuple[tuple[str, Action], ...]
    rows: dict[str, Row]
    priorities: dict[str, PriorityDecision]
    gradings: dict[str, GradingDecision]
    requesters: dict[str, str]


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
        elif verb == "close":  # the desk calls back: closed once the customer confirms
            command = ConfirmResolution(note="confirmed when the desk called back")
            actor, role = requester, "customer"
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
    """Decide every request of the week through the service desk."""
    numbers = itertools.count(1)
    desk = ServiceDesk(
        store=InMemoryEventStore(),
        ids=lambda: f"evt-{next(numbers)}",
        sla=POLICIES,
        calendars=CALENDARS,
        access=ACCESS,
    )
    rows = {row.ticket_id: row for row in INTAKE}
    priorities: dict[str, PriorityDecision] = {}
    gradings: dict[str, GradingDecision] = {}
    requesters: dict[str, str] = {}
    rotation = {group: itertools.cycle(agents) for group, agents in GROUPS.items()}
    frontline = itertools.cycle(GROUPS["service-desk"])
    script: list[tuple[str, Action]] = []  # (idempotency key, action)
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
        desk_agent = next(frontline)
        actions = [
            Action(row.opened_at, row.ticket_id, desk_agent, "agent", command)
            for command in _opening(row, requester, decision)
        ]
        if row.ticket_id in STORIES:
            for day, clock, actor, role, command in STORIES[row.ticket_id]:
                actions.append(Action(at(day, clock), row.ticket_id, actor, role, command))
        else:
            assignee = next(rotation[GROUP_OF_CATEGORY[row.category]])
            actions.extend(_plan_actions(row, requester, desk_agent, assignee))
        script.extend((f"{row.ticket_id}/{step}", action) for step, action in enumerate(actions))
    # Python's sort is stable: actions at the same instant keep their order of arrival; the
    # actions after Sunday midnight are next week's work.
    this_week = tuple(
        (key, action)
        for key, action in sorted(script, key=lambda keyed: keyed[1].at)
        if action.at < END_OF_WEEK
    )
    play(desk, this_week)
    return Week(
        desk=desk,
        script=this_week,
        rows=rows,
        priorities=priorities,
        gradings=gradings,
        requesters=requesters,
    )


def play(desk: ServiceDesk, script: Iterable[tuple[str, Action]]) -> list[CommandOutcome]:
    """Execute each action of ``script`` through ``desk`` with its idempotency key."""
    return [
        desk.execute(
            action.ticket_id,
            action.command,
            actor=action.actor,
            role=action.role,
            now=action.at,
            idempotency_key=key,
        )
        for key, action in script
    ]
