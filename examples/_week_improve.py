"""Monday morning: the complaint Pareto of the week starts a PDCA improvement cycle.

The complaints per category come from the week's KPI report grouped by category (the
numerator of ``complaint_rate``); ``pareto`` ranks them and marks the vital few. The worst
category becomes the source of an improvement cycle (``itsm_core.improvement``): its problem
statement, the baseline measured by the same KPI report, a target, a root cause found with
five whys, and an action; then the cycle moves to Do. Its events are kept in an in-memory
event store like the tickets'.
"""

from __future__ import annotations

import datetime as dt

from _week_desk import END_OF_WEEK, table

from itsm_core.improvement import (
    CYCLE,
    ActionItem,
    AdvancePhase,
    CycleEvent,
    Direction,
    FiveWhys,
    ImprovementCycle,
    ParetoAnalysis,
    ProblemStatement,
    Record,
    StartCycle,
    Target,
    Why,
    decide_cycle,
    from_pareto_category,
    measurement_from_kpi,
    pareto,
)
from itsm_core.kernel import Context
from itsm_core.metrics import KpiReport
from itsm_core.repositories import EventStore, InMemoryEventStore

MONDAY = END_OF_WEEK + dt.timedelta(hours=9)


def complaint_pareto(by_category: KpiReport) -> ParetoAnalysis:
    """The Pareto of the week's complaints by category."""
    counts = {
        r.group[0]: r.successes
        for r in by_category.rates
        if r.kpi.name == "complaint_rate" and r.period.label == "all" and r.group and r.successes
    }
    return pareto(counts)


def start_cycle(analysis: ParetoAnalysis, by_category: KpiReport) -> EventStore[CycleEvent]:
    """Start the cycle on the worst category and plan it; return its event store."""
    worst = analysis.worst
    kpi = f"{worst.category}_complaint_rate"
    baseline = measurement_from_kpi(
        by_category.rate("complaint_rate", "all", (worst.category,)), kpi=kpi
    )
    commands = (
        StartCycle(
            cycle_id="CI-2025-07",
            title=f"Fewer {worst.category} complaints",
            owner="liu.yang",
            source=from_pareto_category(analysis),
        ),
        Record(
            ProblemStatement(
                f"{worst.category} is {worst.share:.0%} of the week's complaints; "
                f"{baseline.value:.0%} of {worst.category} tickets end in one"
            )
        ),
        Record(baseline),
        Record(
            Target(
                kpi=kpi,
                value=0.1,
                direction=Direction.LOWER_IS_BETTER,
                due=MONDAY + dt.timedelta(days=42),
            )
        ),
        Record(
            FiveWhys(
                chain=[
                    Why(why="Why do customers complain?", because="VPN drops, fixed slowly"),
                    Why(why="Why slowly?", because="each drop was handled as a new incident"),
                    Why(why="Why as new?", because="no known-error record until Friday"),
                ],
                root_cause="repeat incidents are not linked to a problem early",
            )
        ),
        Record(
            ActionItem(
                action_id="A1",
                description="raise a problem at the 3rd incident on one service in a week",
                owner="chen.jie",
                due=MONDAY + dt.timedelta(days=10),
            )
        ),
        AdvancePhase(),
    )
    store: InMemoryEventStore[CycleEvent] = InMemoryEventStore()
    cycle: ImprovementCycle | None = None
    context = Context(actor="liu.yang", role="owner", now=MONDAY)
    for command in commands:
        decision = decide_cycle(cycle, command, context)
        expected = 0 if cycle is None else store.version("CI-2025-07")
        store.append("CI-2025-07", decision.events, expected_version=expected)
        cycle = decision.state
    return store


def show(by_category: KpiReport) -> None:
    """Print the Pareto and the cycle it starts."""
    analysis = complaint_pareto(by_category)
    rows: list[tuple[object, ...]] = [
        (
            bar.rank,
            bar.category,
            f"{bar.count:g}",
            f"{bar.share:.1%}",
            f"{bar.cumulative_share:.1%}",
            "vital few" if bar.vital else "",
        )
        for bar in analysis.bars
    ]
    print(f"Complaints by category ({analysis.total:g} complaints, from the KPI report)")
    table((">#", "category", ">count", ">share", ">cumulative", ""), rows)
    store = start_cycle(analysis, by_category)
    events = store.read("CI-2025-07")
    cycle = CYCLE.replay(events)
    print()
    print(f"Cycle {cycle.cycle_id} '{cycle.title}', owner {cycle.owner}, started {MONDAY:%a %d %b}")
    rows = [
        (event.sequence, event.name, f"{event.from_phase or '-'} -> {event.to_phase}")
        for event in events
    ]
    table((">#", "event", "phase"), rows)
    assert cycle.baseline is not None
    print(f"  baseline {cycle.baseline.describe()}")
    print(f"  now in phase {cycle.phase}; Check compares the target with next weeks' reports")
