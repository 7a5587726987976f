"""Demo section: the KPI report of a small, deterministic simulated week of tickets.

Twenty-four tickets are opened over a week (Monday 2026-11-16 to Sunday, Shanghai time) and
worked with ``decide``; their histories follow a fixed pattern, so the report is always the
same. SLA outcomes and survey answers are derived from the same pattern.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from itsm_core.metrics import (
    EXAMPLE_SCORECARD,
    Dimension,
    Granularity,
    KpiAccumulator,
    KpiReport,
    PeriodGrid,
    ReportSpec,
    SlaOutcome,
    SlaStatus,
    SurveyAnswer,
)
from itsm_core.tickets import (
    Acknowledge,
    Assign,
    Cancel,
    Channel,
    Command,
    CommandContext,
    ConfirmResolution,
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
    Transfer,
    decide,
)

ZONE = "Asia/Shanghai"
MONDAY = dt.datetime(2026, 11, 16, 8, 0, tzinfo=zoneinfo.ZoneInfo(ZONE))
WEEK = PeriodGrid(Granularity.DAY, ZONE, dt.date(2026, 11, 16), dt.date(2026, 11, 22))
AS_OF = dt.datetime(2026, 11, 23, 0, 0, tzinfo=zoneinfo.ZoneInfo(ZONE))
TEAMS = ("desk", "network", "apps")
CHANNELS = (Channel.PHONE, Channel.EMAIL, Channel.WEB, Channel.CHAT)
#: Resolution targets (hours) by priority, for the SLA outcomes of the demo.
TARGETS = {1: 4, 2: 8, 3: 24, 4: 72}


def _minutes(value: int) -> dt.timedelta:
    return dt.timedelta(minutes=value)


def _ticket(i: int) -> tuple[Ticket, list[TicketEvent]]:
    """Ticket ``i`` (0..23): its opening and a history chosen by ``i``."""
    opened = MONDAY + dt.timedelta(hours=6 * i, minutes=40 * (i % 3))
    kind = TicketKind.COMPLAINT if i % 11 == 5 else TicketKind.INCIDENT
    opening = OpenTicket(
        ticket_id=f"T{i:02d}",
        kind=kind,
        requester=f"customer {i % 9}",
        channel=CHANNELS[i % 4],
        category=("network", "email", "access")[i % 3],
        priority=1 + i % 4,
    )
    ctx = CommandContext(actor="desk", role="agent", now=opened)
    ticket, events = decide(None, opening, ctx)
    trail = list(events)
    team = TEAMS[i % 3]
    steps: list[tuple[int, str, Command]] = []
    if i % 6 == 0:  # solved on the first contact, confirmed by the customer
        steps = [
            (12, "agent", Resolve(code="advice", note="explained")),
            (90, "customer", ConfirmResolution()),
        ]
    elif i % 6 == 1:  # assigned, acknowledged, resolved, closed once the customer confirmed
        steps = [
            (10, "agent", Assign(group=team)),
            (25 + i, "agent", Acknowledge()),
            (60 * (2 + i % 5), "agent", Resolve(code="fixed", note="done")),
            (60 * 30, "customer", ConfirmResolution()),
        ]
    elif i % 6 == 2:  # reassigned and escalated, resolved, reopened, resolved again
        steps = [
            (5, "agent", Assign(group="desk")),
            (40, "agent", Acknowledge()),
            (90, "agent", Transfer(group=team, reason="needs specialists")),
            (120, "agent", Escalate(kind=EscalationKind.FUNCTIONAL, reason="L2")),
            (60 * 9, "agent", Resolve(code="fixed", note="patched")),
            (60 * 20, "customer", Reopen(reason="came back")),
            (60 * 26, "agent", Resolve(code="fixed", note="patched again")),
        ]
    elif i % 6 == 3:  # waits for the customer, then resolved
        steps = [
            (20, "agent", Acknowledge()),
            (60, "agent", Hold(reason=HoldReason.AWAITING_CUSTOMER)),
            (60 * 5, "customer", Resume()),
            (60 * 7, "agent", Resolve(code="fixed", note="done")),
        ]
    elif i % 6 == 4:  # a duplicate, cancelled
        steps = [(30, "agent", Cancel(reason="duplicate"))]
    else:  # acknowledged, escalated to management, still open at the end of the week
        steps = [
            (15, "agent", Assign(group=team)),
            (45, "agent", Acknowledge()),
            (60, "agent", Escalate(kind=EscalationKind.HIERARCHICAL, reason="VIP")),
        ]
    for minutes, role, command in steps:
        now = opened + _minutes(minutes)
        if now >= AS_OF:
            break
        ctx = CommandContext(actor=team if role == "agent" else "customer", role=role, now=now)
        ticket, events = decide(ticket, command, ctx)
        trail.extend(events)
    return ticket, trail


def simulated_week() -> tuple[list[TicketEvent], list[SlaOutcome], list[SurveyAnswer]]:
    """The week's events (in time order), SLA outcomes and survey answers."""
    tickets = [_ticket(i) for i in range(24)]
    events = sorted((e for _, trail in tickets for e in trail), key=lambda e: e.at)
    outcomes, answers = [], []
    for i, (ticket, _) in enumerate(tickets):
        dims = {Dimension.GROUP.value: ticket.assignment_group or "(none)"}
        target = ticket.opened_at + dt.timedelta(hours=TARGETS[ticket.priority or 4])
        if ticket.status.is_final and ticket.resolved_at is None:
            pass  # cancelled: no clock outcome
        elif ticket.resolved_at is not None:
            status = SlaStatus.MET if ticket.resolved_at <= target else SlaStatus.BREACHED
            outcomes.append(
                SlaOutcome(
                    ticket_id=ticket.id,
                    metric="resolution",
                    status=status,
                    at=ticket.opened_at,
                    dimensions=dims,
                )
            )
            answers.append(
                SurveyAnswer(
                    ticket_id=ticket.id,
                    at=ticket.opened_at,
                    csat=5 - i % 4,
                    nps=10 - i % 7,
                    dimensions=dims,
                )
            )
        else:
            status = SlaStatus.OPEN_BREACHED if target < AS_OF else SlaStatus.OPEN_WITHIN
            outcomes.append(
                SlaOutcome(
                    ticket_id=ticket.id,
                    metric="resolution",
                    status=status,
                    at=ticket.opened_at,
                    dimensions=dims,
                )
            )
    return events, outcomes, answers


def week_report(group_by: tuple[Dimension, ...] = ()) -> KpiReport:
    """The report of the simulated week, grouped as asked."""
    events, outcomes, answers = simulated_week()
    accumulator = KpiAccumulator(ReportSpec(periods=WEEK, group_by=group_by))
    accumulator.add_all(events)
    for outcome in outcomes:
        accumulator.add_sla(outcome)
    for answer in answers:
        accumulator.add_survey(answer)
    return accumulator.report(as_of=AS_OF)


def _hours(value: dt.timedelta | None) -> str:
    return "     -" if value is None else f"{value / dt.timedelta(hours=1):6.1f}"


def show() -> None:
    """Print the KPI section of the demo."""
    report = week_report()
    tickets = sum(c.tickets for c in report.tickets if c.period.label == "all")
    print(f"KPIs: a simulated week of {tickets} tickets (Asia/Shanghai, by day)")
    print()
    print("  duration (hours)            n  open  excl    mean  median     p90")
    for d in report.durations:
        if d.period.label == "all":
            print(
                f"  {d.kpi.name:<25} {d.n:>3} {d.censored:>5} {d.excluded:>5}  "
                f"{_hours(d.mean)}  {_hours(d.median)}  {_hours(d.p90)}"
            )
    print()
    print("  rate                           k/n    open       %   Wilson 95 %")
    for r in report.rates:
        if r.period.label == "all" and r.estimate is not None:
            iv = r.estimate.interval
            print(
                f"  {r.kpi.name:<28} {r.successes:>3}/{r.n:<3} {r.censored:>4}  "
                f"{r.estimate.percent:6.1f}   [{100 * iv.lower:4.1f}, {100 * iv.upper:5.1f}]"
            )
    sla = next(c for c in report.sla if c.period.label == "all")
    assert sla.rate is not None
    print()
    print(
        f"  SLA resolution compliance {sla.rate.percent:.1f} % = {sla.met} met / "
        f"({sla.met} met + {sla.breached} breached + {sla.open_breached} open breached); "
        f"{sla.open_within} open within target left out"
    )
    print()
    print("  day          start  opened  reopened  closed  cancelled  end  identity")
    for f in report.flows:
        print(
            f"  {f.period.label}  {f.backlog_start:>5} {f.opened:>7} {f.reopened:>9} "
            f"{f.closed:>7} {f.cancelled:>10} {f.backlog_end:>4}  "
            f"{'holds' if f.identity_holds else 'BROKEN'}"
        )
    print()
    print("  team scorecard     total  quality  attitude  ability  output")
    for card in EXAMPLE_SCORECARD.score(week_report(group_by=(Dimension.GROUP,))):
        scores = {d.name: d.score for d in card.dimensions}
        cells = "".join(
            f"{'-' if scores[n] is None else format(scores[n], '.0f'):>9}"
            for n in ("work_quality", "attitude", "ability", "output")
        )
        total = "-" if card.total is None else f"{card.total:.0f}"
        print(f"  {' / '.join(card.group) or 'all teams':<17} {total:>6}{cells}")


if __name__ == "__main__":
    show()
