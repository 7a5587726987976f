"""The Check step fed by the KPI module: metrics results as measurements, checked by hand."""

from __future__ import annotations

import datetime as dt
import statistics

import pytest

from itsm_core.errors import InsufficientData, ValidationError
from itsm_core.improvement import (
    ActionItem,
    ActionStatus,
    ActionUpdate,
    AdvancePhase,
    CheckVerdict,
    Direction,
    FiveWhys,
    KpiKind,
    MeasuredResult,
    ProblemStatement,
    Record,
    StartCycle,
    Target,
    Why,
    decide_cycle,
    measurement_from_kpi,
)
from itsm_core.kernel import Context
from itsm_core.metrics import (
    Granularity,
    KpiAccumulator,
    KpiReport,
    PeriodGrid,
    ReportSpec,
)
from itsm_core.tickets import (
    CommandContext,
    OpenTicket,
    Resolve,
    Ticket,
    TicketEvent,
    TicketKind,
)
from itsm_core.tickets import (
    decide as decide_ticket,
)

T0 = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)  # a Monday
M = dt.timedelta(minutes=1)
WEEKS = PeriodGrid(Granularity.WEEK, "UTC", dt.date(2026, 3, 2), dt.date(2026, 3, 15))


def ticket(ticket_id: str, opened: dt.datetime, fix_after: int | None) -> list[TicketEvent]:
    """An incident opened at ``opened`` and resolved ``fix_after`` minutes later (or not)."""
    state: Ticket | None = None
    state, events = decide_ticket(
        state,
        OpenTicket(ticket_id=ticket_id, kind=TicketKind.INCIDENT, requester="cy"),
        CommandContext(actor="cy", role="customer", now=opened),
    )
    out = list(events)
    if fix_after is not None:
        ctx = CommandContext(actor="ana", role="agent", now=opened + fix_after * M)
        _, events = decide_ticket(state, Resolve(code="fixed", note="ok"), ctx)
        out += events
    return out


BEFORE = [30, 90, 150, 210, None]  # minutes to resolve in week 1 (one still open)
AFTER = [20, 40, 60, 80, 100]  # week 2


def report() -> KpiReport:
    acc = KpiAccumulator(ReportSpec(periods=WEEKS))
    for week, fixes in ((0, BEFORE), (1, AFTER)):
        for i, fix in enumerate(fixes):
            acc.add_all(ticket(f"W{week}-{i}", T0 + dt.timedelta(days=7 * week, hours=i), fix))
    return acc.report(T0 + dt.timedelta(days=14))


def test_a_duration_result_gives_its_mean_and_standard_deviation_in_hours() -> None:
    week1 = report().duration("time_to_resolve", "2026-W10")
    m = measurement_from_kpi(week1)
    hours = [f / 60 for f in BEFORE if f is not None]
    assert (m.kpi, m.kind, m.unit, m.n) == ("time_to_resolve", KpiKind.MEAN, "h", 4)
    assert m.value == pytest.approx(statistics.mean(hours))  # 2 h
    assert m.standard_deviation == pytest.approx(statistics.stdev(hours))
    assert (m.period_start, m.period_end) == (week1.period.start, week1.period.end)
    in_minutes = measurement_from_kpi(week1, unit="min", kpi="mttr")
    assert (in_minutes.kpi, in_minutes.unit, in_minutes.value) == ("mttr", "min", 120.0)


def test_a_rate_result_gives_a_proportion_of_the_decided_tickets() -> None:
    result = report().rate("resolution_rate", "2026-W10")
    m = measurement_from_kpi(result)
    assert (m.kind, m.successes, m.n, m.unit) == (KpiKind.PROPORTION, 4, 5, "")
    assert m.value == 0.8


def test_no_data_and_unknown_units_are_errors() -> None:
    empty = report().duration("time_to_acknowledge", "2026-W10")  # nobody acknowledged
    with pytest.raises(InsufficientData, match="mean is undefined"):
        measurement_from_kpi(empty)
    no_rate = report().rate("first_contact_resolution", "2026-W11")
    no_rate = type(no_rate)(
        kpi=no_rate.kpi,
        period=no_rate.period,
        group=(),
        successes=0,
        n=0,
        censored=0,
        estimate=None,
    )
    with pytest.raises(InsufficientData, match="rate is undefined"):
        measurement_from_kpi(no_rate)
    with pytest.raises(ValidationError, match="'weeks' is not one of s, min, h, d"):
        measurement_from_kpi(report().duration("time_to_resolve"), unit="weeks")


def test_the_check_step_is_fed_by_the_kpi_module() -> None:
    kpis = report()
    baseline = measurement_from_kpi(kpis.duration("time_to_resolve", "2026-W10"))
    result = measurement_from_kpi(kpis.duration("time_to_resolve", "2026-W11"))
    cycle = None
    now = T0
    for command in (
        StartCycle(cycle_id="C1", title="Faster fixes", owner="li"),
        Record(ProblemStatement("Incidents take 2 h to fix")),
        Record(baseline),
        Record(
            Target(
                kpi="time_to_resolve",
                value=1.5,
                direction=Direction.LOWER_IS_BETTER,
                due=T0 + dt.timedelta(days=30),
            )
        ),
        Record(FiveWhys(chain=[Why(why="Why slow?", because="no runbook")], root_cause="runbook")),
        Record(ActionItem(action_id="A1", description="Runbook", owner="wang", due=now)),
        AdvancePhase(),
        Record(ActionUpdate(action_id="A1", status=ActionStatus.DONE, at=now)),
        AdvancePhase(),
        Record(MeasuredResult(result=result, evidence=["KPI report 2026-W11"])),
        AdvancePhase(),
    ):
        now = T0 + dt.timedelta(days=14)
        cycle = decide_cycle(cycle, command, Context(actor="li", role="member", now=now)).state
    assert cycle is not None
    assert cycle.check is not None
    # after: 20..100 minutes, mean 60 min = 1 h <= 1.5 h target
    assert cycle.check.verdict is CheckVerdict.MET
    assert cycle.benefit == pytest.approx(1.0)  # 2 h -> 1 h
    assert cycle.check.comparison.difference is not None  # Welch, from n and sd
