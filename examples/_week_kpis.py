"""The week's KPI report, computed from the event store.

Every stored event is folded into a ``KpiAccumulator`` (one pass over ``read_all``), with the
SLA outcome of every clock (``sla_outcomes`` of each ticket's SLA report at the end of the week)
and the survey answers. Periods are the days of the week in Shanghai time; a ticket belongs to
the day it was opened. Business-time durations use the office calendar.
"""

from __future__ import annotations

import datetime as dt

from _week_days import channel_label
from _week_desk import DAYS, END_OF_WEEK, OFFICE, ZONE, table
from _week_run import Week

from itsm_core.metrics import (
    STANDARD_KPIS,
    Dimension,
    DurationKpi,
    Granularity,
    KpiAccumulator,
    KpiReport,
    Milestone,
    PeriodGrid,
    ReportSpec,
    SurveyAnswer,
    TimeBasis,
    sla_outcomes,
)
from itsm_core.tickets import Channel

BUSINESS_TIME_TO_RESOLVE = DurationKpi(
    name="working_time_to_resolve",
    start=Milestone.OPENED,
    end=Milestone.RESOLVED,
    basis=TimeBasis.BUSINESS,
)


def week_report(
    week: Week, answers: tuple[SurveyAnswer, ...], group_by: tuple[Dimension, ...] = ()
) -> KpiReport:
    """The KPI report of the week from the stored events, SLA outcomes and survey answers."""
    spec = ReportSpec(
        periods=PeriodGrid(Granularity.DAY, ZONE, DAYS[0], DAYS[-1]),
        kpis=(*STANDARD_KPIS, BUSINESS_TIME_TO_RESOLVE),
        group_by=group_by,
    )
    accumulator = KpiAccumulator(spec, calendar=OFFICE)
    accumulator.add_all(record.event for record in week.desk.store.read_all())
    for ticket_id, row in week.rows.items():
        report = week.desk.evaluate(ticket_id, END_OF_WEEK)
        for outcome in sla_outcomes(report, at=row.opened_at):
            accumulator.add_sla(outcome)
    for answer in answers:
        accumulator.add_survey(answer)
    return accumulator.report(as_of=END_OF_WEEK)


def _hours(value: dt.timedelta | None) -> str:
    return "-" if value is None else f"{value / dt.timedelta(hours=1):.1f}"


def show(report: KpiReport) -> None:
    """Print the KPI report as tables."""
    total = sum(c.tickets for c in report.tickets if c.period.label == "all")
    print(f"{total} tickets opened, by day (a ticket counts on the day it was opened)")
    rows: list[tuple[object, ...]] = [
        (
            f.period.label,
            f.backlog_start,
            f.opened,
            f.reopened,
            f.closed,
            f.cancelled,
            f.backlog_end,
        )
        for f in report.flows
    ]
    table(("day", ">backlog", ">opened", ">reopened", ">closed", ">cancelled", ">end"), rows)
    print()
    channels = {
        b.value: b.tickets
        for b in report.breakdowns
        if b.period.label == "all" and b.dimension == Dimension.CHANNEL.value
    }
    by_value = {channel.value: channel for channel in Channel}
    print(
        "By channel: "
        + ", ".join(
            f"{channel_label(by_value[value]) if value in by_value else 'internal'} {n}"
            for value, n in sorted(channels.items(), key=lambda item: (-item[1], item[0]))
        )
    )
    print()
    rows = [
        (d.kpi.name, d.n, d.censored, d.excluded, _hours(d.mean), _hours(d.median), _hours(d.p90))
        for d in report.durations
        if d.period.label == "all"
    ]
    print("Durations (hours; open = still running, censored, not counted as zero)")
    table(("KPI", ">n", ">open", ">excl", ">mean", ">median", ">p90"), rows)
    print()
    rows = []
    for r in report.rates:
        if r.period.label != "all" or r.estimate is None:
            continue
        iv = r.estimate.interval
        rows.append(
            (
                r.kpi.name,
                f"{r.successes}/{r.n}",
                f"{r.estimate.percent:.1f} %",
                f"[{100 * iv.lower:.1f}, {100 * iv.upper:.1f}]",
            )
        )
    print("Rates")
    table(("KPI", ">k/n", ">rate", ">Wilson 95 %"), rows)
    print()
    rows = []
    for c in report.sla:
        if c.period.label != "all":
            continue
        rate = "-" if c.rate is None else f"{c.rate.percent:.1f} %"
        rows.append((c.metric, c.met, c.breached, c.open_breached, c.open_within, rate))
    print("SLA compliance = met / (met + breached + open breached); open within target left out")
    table(("clock", ">met", ">breached", ">open breached", ">open within", ">compliance"), rows)
    satisfaction = next(s for s in report.satisfaction if s.period.label == "all")
    print()
    if satisfaction.csat is not None and satisfaction.nps is not None:
        iv = satisfaction.nps.interval
        print(
            f"Satisfaction: CSAT {satisfaction.csat.percent:.1f} % "
            f"(n = {satisfaction.csat.n}), NPS {satisfaction.nps.score:+.1f} "
            f"[{iv.lower:+.1f}, {iv.upper:+.1f}]"
        )
