"""Demo section: a complaint through its five steps and a change through CAB approval."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from itsm_core.tickets import (
    Acknowledge,
    Advance,
    Archive,
    Classify,
    Close,
    Command,
    CommandContext,
    ComplaintType,
    ConfirmResolution,
    Escalate,
    EscalationKind,
    OpenTicket,
    Resolve,
    Ticket,
    TicketEvent,
    TicketKind,
    decide,
    replay,
)

T0 = dt.datetime(2026, 11, 16, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _run(
    opening: OpenTicket, steps: list[tuple[int, str, str, Command]]
) -> tuple[Ticket, list[tuple[str, TicketEvent]]]:
    ticket, events = decide(None, opening, CommandContext(actor="desk", role="agent", now=T0))
    rows = [("desk", events[0])]
    trail = list(events)
    for minutes, actor, role, command in steps:
        ctx = CommandContext(actor=actor, role=role, now=T0 + dt.timedelta(minutes=minutes))
        ticket, events = decide(ticket, command, ctx)
        rows.append((actor, events[0]))
        trail.extend(events)
    assert replay(trail) == ticket
    return ticket, rows


_SHOWN = ("complaint_type", "response_level", "risk", "approval", "resolution_code", "review")


def _detail(event: TicketEvent) -> str:
    fields = dict(event.payload)
    attributes = fields.pop("attributes", None)
    if isinstance(attributes, Mapping):
        fields.update(attributes)
    shown = [f"{key}={fields[key]}" for key in _SHOWN if key in fields]
    return "; ".join([*shown, *([event.reason] if event.reason else [])])


def _table(rows: list[tuple[str, TicketEvent]]) -> None:
    print(f"  {'#':>2}  {'when':11}  {'event':21}  {'by':20}  {'state':24}  detail")
    for actor, event in rows:
        state = f"{event.from_state or '-'} -> {event.to_state}" if event.moved else event.to_state
        by = f"{actor} ({event.role})"
        print(
            f"  {event.sequence:>2}  {event.at:%m-%d %H:%M}  {event.name:21}  {by:20}  "
            f"{state:24}  {_detail(event)}".rstrip()
        )


def show() -> None:
    """Print the tickets section of the demo."""
    print("Complaint: received, analysing, handling, feedback, archived")
    complaint, rows = _run(
        OpenTicket(ticket_id="CMP-2026-0042", kind=TicketKind.COMPLAINT, requester="Ms Zhao"),
        [
            (10, "liu", "agent", Acknowledge(note="complaint accepted")),
            (25, "liu", "agent", Classify(complaint_type=ComplaintType.SERVICE, response_level=1)),
            (30, "liu", "agent", Escalate(kind=EscalationKind.HIERARCHICAL, reason="level 1")),
            (40, "chen", "manager", Advance(event="handle", reason="manager takes the lead")),
            (180, "chen", "manager", Resolve(code="apology_refund", note="refund issued")),
            (1500, "liu", "agent", ConfirmResolution(note="follow-up call: satisfied")),
            (1510, "liu", "agent", Archive(note="archived")),
        ],
    )
    _table(rows)
    print(f"  -> {complaint.state}, archived={complaint.archived}, {complaint.version} events\n")

    print("Normal change: assess, CAB approval, schedule, implement, review, close")
    change, rows = _run(
        OpenTicket(
            ticket_id="CHG-2026-0107",
            kind=TicketKind.CHANGE,
            requester="ops",
            attributes={"affects_customer_business": True},
        ),
        [
            (60, "wu", "agent", Advance(event="assess")),
            (
                120,
                "wu",
                "agent",
                Advance(event="request_authorisation", fields={"risk": "moderate"}),
            ),
            (
                1440,
                "cab",
                "cab",
                Advance(
                    event="approve", fields={"approval": "CAB-46", "planned_start": "Sat 22:00"}
                ),
            ),
            (
                1500,
                "Ms Zhao",
                "customer",
                Advance(event="confirm_plan", fields={"plan_confirmation": "mail"}),
            ),
            (5000, "wu", "agent", Advance(event="implement")),
            (5100, "wu", "agent", Resolve(code="successful", note="patched, tested")),
            (7000, "cab", "cab", Close(fields={"review": "no incidents"})),
        ],
    )
    _table(rows)
    print(f"  -> {change.state}, approval {change.attributes['approval']}")


if __name__ == "__main__":
    show()
