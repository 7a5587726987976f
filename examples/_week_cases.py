"""Three tickets followed end to end, and what the week leaves open for the next one.

The complaint of a VIP customer goes through the five steps of the complaint standard; the
change that fixes the week's VPN drops goes through the CAB; both are read back from the
event store. Then the clocks of the tickets still open on Sunday night: the due dates jump
over the National Day holiday (1-8 October) and land on Thursday 9 October, or on the
make-up working day of Saturday 11 October.
"""

from __future__ import annotations

from collections.abc import Mapping

from _week_days import duration, when
from _week_desk import END_OF_WEEK, table
from _week_run import Week

from itsm_core.sla import ClockStatus
from itsm_core.tickets import TicketEvent

#: The complaint standard's five steps, by the event that reaches them.
COMPLAINT_STEPS = {
    "open": "received",
    "acknowledge": "1 受理 accepted",
    "classify": "2 分析/分类 analysed, classified",
    "escalate": "   management involved",
    "handle": "3 处理 handling",
    "resolve": "4 反馈 feedback to the customer",
    "confirm": "   customer confirmed",
    "archive": "5 归档 archived",
}
_SHOWN = ("complaint_type", "response_level", "risk", "approval", "review")


def _detail(event: TicketEvent) -> str:
    fields = dict(event.payload)
    attributes = fields.pop("attributes", None)
    if isinstance(attributes, Mapping):
        fields.update(attributes)
    shown = [f"{key}={fields[key]}" for key in _SHOWN if key in fields]
    return "; ".join([*shown, *([event.reason] if event.reason else [])])


def _trail(week: Week, ticket_id: str, steps: Mapping[str, str] | None = None) -> None:
    rows = []
    for event in week.desk.history(ticket_id):
        state = f"{event.from_state or '-'} -> {event.to_state}" if event.moved else event.to_state
        last = steps.get(event.name, "") if steps else _detail(event)
        rows.append((event.sequence, when(event.at), event.name, event.role, state, last))
    last_header = "step" if steps else "detail"
    table(("#", "when", "event", "role", "state", last_header), rows)


def show_complaint(week: Week) -> None:
    """The VIP complaint CMP-113 through its five steps."""
    ticket = week.desk.ticket("CMP-113")
    print(
        f"CMP-113 from {ticket.requester} (VIP, {ticket.category}): response level "
        f"{ticket.response_level}, so a manager handles it after a hierarchical escalation"
    )
    _trail(week, "CMP-113", COMPLAINT_STEPS)
    print(
        f"  -> {ticket.state}, archived={ticket.archived}, type {ticket.complaint_type}, "
        f"confirmation: {ticket.customer_confirmation}"
    )


def show_change(week: Week) -> None:
    """The normal change CHG-115 through CAB approval, and the problem it closed."""
    change = week.desk.ticket("CHG-115")
    print("CHG-115: new firmware for the branch VPN concentrator (normal change)")
    _trail(week, "CHG-115")
    print(f"  -> {change.state}, approval {change.attributes['approval']}")
    problem = week.desk.ticket("PRB-132")
    print()
    print("PRB-132: the problem behind the week's VPN incidents")
    _trail(week, "PRB-132")
    print(f"  -> {problem.state}: {problem.resolution_note}")


def show_open(week: Week) -> None:
    """The clocks of the tickets still open at the end of the week."""
    rows = []
    for ticket_id in week.rows:
        ticket = week.desk.ticket(ticket_id)
        if ticket.status.is_final:
            continue
        report = week.desk.evaluate(ticket_id, END_OF_WEEK)
        for clock in report.clocks:
            if clock.status in (ClockStatus.MET, ClockStatus.MET_LATE, ClockStatus.CANCELLED):
                continue
            rows.append(
                (
                    ticket_id,
                    ticket.state,
                    when(ticket.opened_at),
                    clock.name,
                    str(clock.target),
                    duration(clock.remaining),
                    when(clock.due_at),
                )
            )
    print(f"Open clocks on {END_OF_WEEK:%a %d %b %H:%M}: working time left, and when it runs out")
    table(("ticket", "state", "opened", "clock", "target", ">left", "due"), rows)
