"""Demo section: the worst complaint category of a week through a full PDCA cycle."""

from __future__ import annotations

import datetime as dt

from itsm_core.improvement import (
    ActionItem,
    ActionStatus,
    ActionUpdate,
    Advance,
    CycleEvent,
    Direction,
    FiveWhys,
    ImprovementCycle,
    ImprovementRegister,
    MeasuredResult,
    Measurement,
    ProblemStatement,
    Record,
    Standard,
    Standardise,
    StartCycle,
    Target,
    Why,
    decide,
    from_pareto_category,
    p_chart,
    pareto,
    replay,
    western_electric,
)

START = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
# A simulated week of complaints by category (deterministic), out of 1,200 tickets.
WEEK = {"billing": 62, "slow response": 31, "rude agent": 14, "wrong answer": 9, "Other": 4}
TICKETS = 1200
# Billing complaints per 200 tickets in 12 daily samples after the fix (for the p chart).
AFTER_DAILY = [6, 4, 5, 3, 5, 4, 6, 3, 4, 5, 4, 3]


def show() -> None:
    """Print the Pareto, the cycle's events, the Check result and the register row."""
    analysis = pareto(WEEK)
    print("Complaint Pareto, simulated week")
    print(f"  {'category':<14} {'count':>5} {'share':>7} {'cum':>7}  vital")
    for bar in analysis.bars:
        mark = "*" if bar.vital else ""
        print(
            f"  {bar.category:<14} {bar.count:>5g} {100 * bar.share:>6.1f}% "
            f"{100 * bar.cumulative_share:>6.1f}%  {mark}"
        )
    worst = analysis.worst
    week = {"period_start": START, "period_end": START + dt.timedelta(days=7)}
    baseline = Measurement.proportion("billing_complaint_rate", int(worst.count), TICKETS, **week)
    after_start = START + dt.timedelta(days=28)
    after = Measurement.proportion(
        "billing_complaint_rate",
        sum(AFTER_DAILY),
        200 * len(AFTER_DAILY),
        period_start=after_start,
        period_end=after_start + dt.timedelta(days=12),
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
            Record(ProblemStatement(f"{worst.category} is {100 * worst.share:.0f}% of complaints")),
        ),
        (0, Record(baseline)),
        (
            0,
            Record(
                Target(
                    kpi=baseline.kpi,
                    value=0.03,
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
        (1, Advance()),
        (
            20,
            Record(
                ActionUpdate(
                    action_id="A1",
                    status=ActionStatus.DONE,
                    at=START + dt.timedelta(days=20),
                    evidence="release 4.2",
                )
            ),
        ),
        (21, Advance()),
        (41, Record(MeasuredResult(result=after, evidence=["daily p chart", "KPI report"]))),
        (41, Advance()),
        (42, Standardise(Standard(description="tariff import job", reference="SOP-BIL-12"))),
    ]
    cycle: ImprovementCycle | None = None
    events: list[CycleEvent] = []
    for day, command in commands:
        now = START + dt.timedelta(days=7 + day)
        decision = decide(cycle, command, actor="li", now=now)  # type: ignore[arg-type]
        cycle = decision.cycle
        events.extend(decision.events)
    assert cycle is not None
    assert replay(events) == cycle
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
    print(
        f"\nCheck: {baseline.describe()} -> {after.describe()}; "
        f"change {100 * check.comparison.change:+.2f} pts "
        f"(95% CI {100 * diff.interval.lower:+.2f} to {100 * diff.interval.upper:+.2f}); "
        f"verdict {check.verdict.value}"
    )
    chart = p_chart(AFTER_DAILY, 200)
    signals = chart.signals(western_electric())
    print(
        f"Post-change p chart: p-bar {100 * chart.centre:.2f}%, "
        f"UCL {100 * (chart.points[0].upper or 1):.2f}%, "
        f"out of control {list(chart.out_of_control)}, WE signals {len(signals)}"
    )
    register = ImprovementRegister().with_cycle(cycle)
    print("\nRegister")
    print(register.to_markdown())
