"""A helpdesk's whole integration on the service desk layer (issue 20's scenario): webhooks in,
priorities decided, SLA clocks on a Shanghai calendar, events in SQLite, what is due or
breached now, a complaint through its five steps, and the month's KPI report."""

import datetime as dt
import tempfile
import uuid

import attrs

from itsm_core import sla, tickets
from itsm_core.adapters.sqlite import SqliteEventStore
from itsm_core.calendar import BusinessCalendar
from itsm_core.desk import ServiceDesk
from itsm_core.metrics import Granularity, KpiAccumulator, PeriodGrid, ReportSpec, sla_outcomes
from itsm_core.priority import ITIL_POLICY

WORKDAY = [["09:00", "12:00"], ["13:00", "18:00"]]
WEEK = dict.fromkeys(["monday", "tuesday", "wednesday", "thursday", "friday"], WORKDAY)
COVERAGE = {"start": "2026-01-01", "end": "2026-12-31"}  # the 2026 holiday notice's year
OFFICE = BusinessCalendar.from_dict(
    {"timezone": "Asia/Shanghai", "weekly": WEEK, "coverage": COVERAGE}
)
RESOLVE_IN = {"1": "4 working hours", "2": "8 working hours", "*": "3 working days"}
RESPOND = sla.MetricSpec(clock=sla.FIRST_RESPONSE, targets={"*": "1 working hour"}, calendar="sh")
RESOLVE = sla.MetricSpec(clock=sla.RESOLUTION, targets=RESOLVE_IN, calendar="sh")
POLICIES = sla.PolicySet(policies=[sla.SlaPolicy(name="support", metrics=[RESPOND, RESOLVE])])
PRIORITY = attrs.evolve(ITIL_POLICY, tiers={"regular": 0, "vip": 1, "enterprise": 1})

# The helpdesk's webhooks: delivery id, ticket, status, local time; a new ticket's intake
# (requester, customer tier, impact, urgency). w2 is delivered twice.
WEBHOOKS = """w1 HD-1 new 03-02T09:05 zhang vip 2 2, w2 HD-1 open 03-02T09:20,
w2 HD-1 open 03-02T09:20, w4 HD-1 pending 03-02T10:00, w6 HD-1 open 03-02T14:00,
w3 HD-2 new 03-02T16:30 wang regular 1 1, w5 HD-2 open 03-02T16:45,
w7 HD-3 new 03-03T10:00 zhao regular 3 3, w8 HD-1 solved 03-03T11:00,
w9 HD-1 closed 03-03T11:30"""
BY_STATUS: dict[str, tickets.Command] = {
    "pending": tickets.Hold(reason=tickets.HoldReason.AWAITING_CUSTOMER),
    "solved": tickets.Resolve(code="solved", note="solved in the helpdesk"),
    # Closed in the helpdesk: recorded as the system's confirmation, visibly (auto_confirmed).
    "closed": tickets.ConfirmResolution(note="closed in the helpdesk", auto=True),
}


def new_id() -> str:
    return str(uuid.uuid4())


def when(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"2026-{text}:00+08:00")


def command_for(desk: ServiceDesk, ticket: str, status: str, intake: list[str]) -> tickets.Command:
    if status == "new":
        who, tier, impact, urgency = intake
        return tickets.OpenTicket(
            ticket_id=ticket,
            kind=tickets.TicketKind.INCIDENT,
            requester=who,
            impact=int(impact),
            urgency=int(urgency),
            customer_tier=tickets.CustomerTier(tier),
        )
    if status == "open":
        return tickets.Resume() if desk.ticket(ticket).state == "on_hold" else tickets.Acknowledge()
    return BY_STATUS[status]


folder = tempfile.TemporaryDirectory()
store = SqliteEventStore[tickets.TicketEvent](f"{folder.name}/desk.db")
desk = ServiceDesk(
    store=store, ids=new_id, sla=POLICIES, calendars={"sh": OFFICE}, priority=PRIORITY
)
print("Webhooks")
for hook in WEBHOOKS.split(","):
    key, ticket_id, status, at, *intake = hook.split()
    command = command_for(desk, ticket_id, status, intake)
    outcome = desk.execute(
        ticket_id, command, actor="helpdesk", role="system", now=when(at), idempotency_key=key
    )
    did = "duplicate" if outcome.duplicate else outcome.events[0].name
    print(f"  {key} {ticket_id} {did}: {outcome.ticket.state}, P{outcome.ticket.priority}")

print("Complaint CMP-1 in five steps")
complaint = tickets.OpenTicket(ticket_id="CMP-1", kind=tickets.TicketKind.COMPLAINT, requester="li")
grade = tickets.Classify(complaint_type=tickets.ComplaintType.SERVICE, response_level=2)
STEPS: list[tuple[tickets.Command, str, str, str]] = [  # the command, who, in which role, when
    (complaint, "li", "customer", "03-02T10:00"),  # 1 受理 accept
    (tickets.Assign(group="complaints", assignee="ana"), "ana", "agent", "03-02T10:10"),
    (tickets.Acknowledge(), "ana", "agent", "03-02T10:15"),
    (grade, "ana", "agent", "03-02T10:30"),  # 2 分类 classify and grade
    (tickets.Advance(event="handle"), "ana", "agent", "03-02T11:00"),  # 3 处理 handle
    (tickets.Resolve(code="refund", note="fee refunded"), "wu", "manager", "03-02T15:00"),
    (tickets.ConfirmResolution(), "li", "customer", "03-03T09:30"),  # 4 反馈 feedback
    (tickets.Archive(), "ana", "agent", "03-03T10:00"),  # 5 归档 archive
]
for step, actor, role, at in STEPS:
    done = desk.execute("CMP-1", step, actor=actor, role=role, now=when(at))
    print(f"  {at} {type(step).__name__} by {role}: {done.ticket.state}")

now = when("03-03T12:00")
print(f"Due or breached at {now:%Y-%m-%d %H:%M}")
reports = {ticket: desk.evaluate(ticket, now) for ticket in ("HD-1", "HD-2", "HD-3", "CMP-1")}
for ticket_id, report in reports.items():
    for clock in (clock for clock in report.clocks if clock.status.ongoing):
        print(f"  {ticket_id} {clock.name} {clock.status}, due {clock.due_at:%m-%d %H:%M}")

print("March 2026")
march = PeriodGrid(Granularity.MONTH, "Asia/Shanghai", dt.date(2026, 3, 1), dt.date(2026, 3, 1))
kpis = KpiAccumulator(ReportSpec(periods=march), calendar=OFFICE)
kpis.add_all(recorded.event for recorded in store.read_all())
for ticket_id, report in reports.items():
    for result in sla_outcomes(report, at=desk.ticket(ticket_id).opened_at):
        kpis.add_sla(result)
month = kpis.report(now)
for rate in (month.rate(name) for name in ("resolution_rate", "complaint_rate")):
    print(f"  {rate.kpi.name}: {rate.successes} of {rate.n}")
for due in (due for due in month.sla if due.period.label == "all"):
    print(f"  SLA {due.metric}: {due.met} met, {due.breached + due.open_breached} breached")
store.close()
folder.cleanup()
