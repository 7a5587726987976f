"""Demo section: the worst complaint category of a week through a full PDCA cycle.

A deterministic simulation opens the tickets of two weeks (the baseline week, and a week after
the change) with ``decide``. A KPI report over them (``itsm_core.metrics``, grouped by
category) gives the complaint Pareto, the cycle's baseline and the Check step's measured
result; a daily report gives the post-change p chart.
"""

from __future__ import annotations

import datetime as dt

from itsm_core.improvement import (
    CYCLE,
    ActionItem,
    ActionStatus,
    ActionUpdate,
    AdvancePhase,
    CycleEvent,
    Direction,
    FiveWhys,
    ImprovementCycle,
    ImprovementRegister,
    MeasuredResult,
    ProblemStatement,
    Record,
    Standard,
    Standardise,
    StartCycle,
    Target,
    Why,
    decide_cycle,
    from_pareto_category,
    measurement_from_kpi,
    p_chart,
    pareto,
    western_electric,
)
from itsm_core.kernel import Context
from itsm_core.metrics import (
    Dimension,
    Granularity,
    KpiAccumulator,
    KpiReport,
    OpenTickets,
    Outcome,
    PeriodGrid,
    RateKpi,
    ReportSpec,
)
from itsm_core.tickets import CommandContext, OpenTicket, TicketEvent, TicketKind
from itsm_core.tickets import decide as decide_ticket

START = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)  # Monday of ISO week 10
AFTER = START + dt.timedelta(days=28)  # Monday of week 14, after the change
#: Tickets per category in a week, and how many of them are complaints (before, after).
VOLUMES = {"billing": 400, "slow response": 150, "rude agent": 60, "wrong answer": 50, "Other": 40}
BEFORE_COMPLAINTS = {"billing": 62, "slow response": 31, "rude agent": 14, "wrong answer": 9}
AFTER_COMPLAINTS = {**BEFORE_COMPLAINTS, "billing": 18}
BEFORE_COMPLAINTS["Other"] = AFTER_COMPLAINTS["Other"] = 4
#: The cycle's KPI: the share of tickets that end in a complaint, per category.
COMPLAINT_RATE = RateKpi(
    name="complaint_rate", numerator=Outcome.COMPLAINT, open_tickets=OpenTickets.COUNT
)


def simulated_week(monday: dt.datetime, complaints: dict[str, int]) -> list[TicketEvent]:
    """The opening events of a week of tickets: in each category the first ``complaints``
    tickets are complaints, the others incidents; ticket ``j`` opens on day ``j % 7``."""
    events: list[TicketEvent] = []
    for category, volume in VOLUMES.items():
        for j in range(volume):
            opened = monday + dt.timedelta(days=j % 7, hours=8 + (j // 7) % 10, minutes=j % 60)
            kind = TicketKind.COMPLAINT if j < complaints[category] else TicketKind.INCIDENT
            opening = OpenTicket(
                ticket_id=f"{monday:%V}-{category}-{j}",
                kind=kind,
                requester=f"customer {j % 97}",
                category=category,
            )
            ctx = CommandContext(actor="desk", role="agent", now=opened)
            events.extend(decide_ticket(None, opening, ctx).events)
    return events


def kpi_report(granularity: Granularity, first: dt.date, last: dt.date) -> KpiReport:
    """The complaint rate by category over both simulated weeks."""
    spec = ReportSpec(
        periods=PeriodGrid(granularity, "UTC", first, last),
        kpis=(COMPLAINT_RATE,),
        group_by=(Dimension.CATEGORY,),
        breakdowns=(),
    )
    accumulator = KpiAccumulator(spec)
    accumulator.add_all(simulated_week(START, BEFORE_COMPLAINTS))
    accumulator.add_all(simulated_week(AFTER, AFTER_COMPLAINTS))
    return accumulator.report()


def show() -> None:
    """Print the Pareto, the cycle's events, the Check result and the register row."""
    weekly = kpi_report(Granularity.WEEK, START.date(), (AFTER + dt.timedelta(days=6)).date())
    complaints = {
        r.group[0]: r.successes
        for r in weekly.rates
        if r.period.label == "2026-W10" and r.group != ()
    }
    analysis = pareto(complaints)
    total = sum(VOLUMES.values())
    print(f"Complaint Pareto, simulated week 2026-W10 ({total} tickets, KPI report by category)")
    print(f"  {'category':<14} {'count':>5} {'share':>7} {'cum':>7}  vital")
    for bar in analysis.bars:
        mark = "*" if bar.vital else ""
        print(
            f"  {bar.category:<14} {bar.count:>5g} {100 * bar.share:>6.1f}% "
            f"{100 * bar.cumulative_share:>6.1f}%  {mark}"
        )
    worst = analysis.worst
    kpi = f"{worst.category}_complaint_rate"
    # The baseline and the Check step's result both come from the KPI report.
    baseline = measurement_from_kpi(
        weekly.rate("complaint_rate", "2026-W10", (worst.category,)), kpi=kpi
    )
    after = measurement_from_kpi(
        weekly.rate("complaint_rate", "2026-W14", (worst.category,)), kpi=kpi
    )
    commands: list[tuple[float, object]] = [
        (
            0,
            StartCycle(
                cycle_id="CI-1",
                title=f"Reduce {worst.category} complaints",
                owner="li",
                source=from_pareto_category(analysis),
            ),
        ),
        (
            0,
            Record(
                ProblemStatement(
                    f"{worst.category} is {100 * worst.share:.0f}% of complaints; "
                    f"{100 * baseline.value:.1f}% of {worst.category} tickets end in one"
                )
            ),
        ),
        (0, Record(baseline)),
        (
            0,
            Record(
                Target(
                    kpi=kpi,
                    value=0.08,
                    direction=Direction.LOWER_IS_BETTER,
                    due=START + dt.timedelta(days=45),
                )
            ),
        ),
        (
            1,
            Record(
                FiveWhys(
                    chain=[
                        Why(why="Why billing complaints?", because="wrong invoices"),
                        Why(why="Why wrong invoices?", because="tariffs keyed by hand"),
                    ],
                    root_cause="no automated tariff import",
                )
            ),
        ),
        (
            1,
            Record(
                ActionItem(
                    action_id="A1",
                    description="automate tariff import",
                    owner="wang",
                    due=START + dt.timedelta(days=20),
                )
            ),
        ),
        (1, AdvancePhase()),
        (
            13,
            Record(
                ActionUpdate(
                    action_id="A1",
                    status=ActionStatus.DONE,
                    at=START + dt.timedelta(days=20),
                    evidence="release 4.2",
                )
            ),
        ),
        (14, AdvancePhase()),
        (28, Record(MeasuredResult(result=after, evidence=["KPI report 2026-W14"]))),
        (28, AdvancePhase()),
        (29, Standardise(Standard(description="tariff import job", reference="SOP-BIL-12"))),
    ]
    cycle: ImprovementCycle | None = None
    events: list[CycleEvent] = []
    for day, command in commands:
        now = START + dt.timedelta(days=7 + day)
        decision = decide_cycle(cycle, command, Context(actor="li", role="owner", now=now))  # type: ignore[arg-type]
        cycle = decision.state
        events.extend(decision.events)
    assert cycle is not None
    assert CYCLE.replay(events) == cycle
    print(f"\nCycle {cycle.cycle_id}: {cycle.title} (source: {worst.category}, rank 1)")
    for event in events:
        print(
            f"  #{event.sequence:<2} {event.name:<24} "
            f"{event.from_phase or '':>6} -> {event.to_phase}"
        )
    check = cycle.check
    assert check is not None
    diff = check.comparison.difference
    assert diff is not None
    print("\nCheck, both measurements from the KPI report:")
    print(f"  {baseline.describe()} -> {after.describe()}")
    print(
        f"  change {100 * check.comparison.change:+.2f} pts "
        f"(95% CI {100 * diff.interval.lower:+.2f} to {100 * diff.interval.upper:+.2f}); "
        f"target {100 * check.target.value:.0f}%; verdict {check.verdict.value}"
    )
    daily = kpi_report(Granularity.DAY, AFTER.date(), (AFTER + dt.timedelta(days=6)).date())
    days = [r for r in daily.rates if r.group == (worst.category,) and r.period.label != "all"]
    chart = p_chart([r.successes for r in days], [r.n for r in days])
    signals = chart.signals(western_electric())
    print(
        f"Post-change daily p chart ({len(days)} days): p-bar {100 * chart.centre:.2f}%, "
        f"UCL {100 * (chart.points[0].upper or 1):.2f}% on day 1, "
        f"out of control {list(chart.out_of_control)}, WE signals {len(signals)}"
    )
    register = ImprovementRegister().with_cycle(cycle)
    print("\nRegister")
    print(register.to_markdown())


if __name__ == "__main__":
    show()
