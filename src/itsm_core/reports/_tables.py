"""The report's tables from a :class:`~itsm_core.metrics.KpiReport`: breakdowns sorted by
volume, and the detail tables, every number in its unit."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence

from itsm_core.metrics import KpiReport
from itsm_core.reports import _labels as msg
from itsm_core.reports._model import Cell, Column, Headline, ReportTable, StaffingActuals
from itsm_core.stats import ProportionEstimate

_HOUR = dt.timedelta(hours=1)
_DIGITS = re.compile(r"(\d+)")

PERIOD = Column("period", msg.COL_PERIOD)
GROUP = Column("group", msg.COL_GROUP, terms=True)
KPI = Column("kpi", msg.COL_KPI, terms=True)


def hours(value: dt.timedelta | None) -> float | None:
    """A duration in hours (None stays None)."""
    return None if value is None else value / _HOUR


def percent(estimate: ProportionEstimate | None) -> tuple[float | None, float | None, float | None]:
    """The estimate and its interval bounds in percent."""
    if estimate is None:
        return None, None, None
    interval = estimate.interval
    return 100 * estimate.estimate, 100 * interval.lower, 100 * interval.upper


def natural(text: str) -> tuple[object, ...]:
    """A sort key that orders ``"Category 8"`` before ``"Category 13"``."""
    return tuple(int(part) if part.isdigit() else part.casefold() for part in _DIGITS.split(text))


def by_volume(counts: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    """Values largest first; equal counts in natural order of their names."""
    return sorted(counts, key=lambda item: (-item[1], natural(item[0])))


def group_name(group: tuple[str, ...]) -> str:
    return " / ".join(group) if group else "all"


def summary_table(headlines: Sequence[Headline]) -> ReportTable:
    """The headline KPIs as a table (units per row)."""
    columns = (
        KPI,
        Column("unit", msg.COL_UNIT, terms=True),
        Column("value", msg.COL_VALUE, "@unit"),
        Column("lower", msg.COL_LOWER, "@unit"),
        Column("upper", msg.COL_UPPER, "@unit"),
        Column("n", msg.COL_N, "tickets", digits=0),
        Column("target", msg.COL_TARGET, "@unit"),
        Column("against_target", msg.COL_STATUS, terms=True),
        Column("previous", msg.COL_PREVIOUS, "@unit"),
        Column("change_unit", msg.COL_CHANGE_UNIT, terms=True),
        Column("change", msg.COL_CHANGE, "@change_unit"),
        Column("p_value", msg.COL_P, "p", digits=3),
        Column("significance", msg.COL_SIGNIFICANCE, terms=True),
        Column("test", msg.COL_TEST, terms=True),
    )
    rows = []
    for h in headlines:
        status = {True: "met", False: "missed", None: None}[h.meets_target]
        significance = {True: "significant", False: "not significant", None: None}[h.significant]
        rows.append(
            (
                h.kpi,
                h.unit,
                h.value,
                h.lower,
                h.upper,
                h.n,
                None if h.target is None else h.target.bound,
                status,
                h.previous,
                "pp" if h.unit == "%" else h.unit,
                h.change,
                h.p_value,
                significance,
                h.test,
            )
        )
    return ReportTable(
        key="summary", title=msg.T_SUMMARY, columns=columns, rows=rows, note=msg.SUMMARY_TABLE_NOTE
    )


def breakdown_tables(report: KpiReport) -> tuple[ReportTable, ...]:
    """One table per broken-down dimension over the whole range, largest value first."""
    counts: dict[str, Counter[str]] = {}
    for b in report.breakdowns:
        if b.period.label == "all":
            counts.setdefault(b.dimension, Counter())[b.value] += b.tickets
    tables = []
    for dimension in report.spec.breakdowns:
        values = counts.get(dimension.value)
        if not values:
            continue
        tables.append(counts_table(f"by_{dimension.value}", dimension.value, values.items()))
    return tuple(tables)


def counts_table(key: str, dimension: str, counts: Iterable[tuple[str, int]]) -> ReportTable:
    """Counts per value with shares and cumulative shares, largest first."""
    ordered = by_volume(counts)
    total = sum(count for _, count in ordered)
    rows: list[tuple[Cell, ...]] = []
    running = 0
    for value, count in ordered:
        running += count
        rows.append(
            (
                value,
                count,
                100 * count / total if total else None,
                100 * running / total if total else None,
            )
        )
    columns = (
        Column("value", msg.TERMS[dimension], terms=True),
        Column("tickets", msg.COL_TICKETS, "tickets", digits=0),
        Column("share", msg.COL_SHARE, "%"),
        Column("cumulative_share", msg.COL_CUMULATIVE, "%"),
    )
    return ReportTable(
        key=key,
        title=msg.T_BREAKDOWN,
        facts=(("dimension", dimension),),
        columns=columns,
        rows=rows,
        note=msg.BREAKDOWN_NOTE,
    )


def detail_tables(
    report: KpiReport, staffing: StaffingActuals | None, complaint_types: Sequence[tuple[str, int]]
) -> tuple[ReportTable, ...]:
    """The detail tables: SLA compliance first (resolution leads), rates, durations, tickets,
    backlog and flow, satisfaction, complaints and staffing when there are such data."""
    tables = [sla_table(report), rates_table(report), durations_table(report)]
    tables.append(
        ReportTable(
            key="tickets",
            title=msg.T_TICKETS,
            columns=(PERIOD, GROUP, Column("tickets", msg.COL_TICKETS, "tickets", digits=0)),
            rows=[(c.period.label, group_name(c.group), c.tickets) for c in report.tickets],
        )
    )
    tables += [backlog_table(report), flows_table(report)]
    if report.satisfaction:
        tables.append(satisfaction_table(report))
    if complaint_types:
        tables.append(counts_table("complaint_types", "complaint_type", complaint_types))
    if staffing is not None:
        tables.append(staffing_table(staffing))
    return tuple(t for t in tables if t.rows)


def _metric_order(metric: str) -> tuple[int, str]:
    order = {"resolution": 0, "first_response": 1}
    return order.get(metric, 2), metric


def sla_table(report: KpiReport) -> ReportTable:
    rows = []
    for c in sorted(report.sla, key=lambda c: _metric_order(c.metric)):
        value, lower, upper = percent(c.rate)
        rows.append(
            (
                c.period.label,
                group_name(c.group),
                c.metric,
                value,
                lower,
                upper,
                c.met,
                c.breached,
                c.open_breached,
                c.open_within,
            )
        )
    columns = (
        PERIOD,
        GROUP,
        Column("metric", msg.COL_METRIC, terms=True),
        Column("compliance", msg.COL_COMPLIANCE, "%"),
        Column("lower", msg.COL_LOWER, "%"),
        Column("upper", msg.COL_UPPER, "%"),
        Column("met", msg.COL_MET, "tickets", digits=0),
        Column("breached", msg.COL_BREACHED, "tickets", digits=0),
        Column("open_breached", msg.COL_OPEN_BREACHED, "tickets", digits=0),
        Column("open_within", msg.COL_OPEN_WITHIN, "tickets", digits=0),
    )
    return ReportTable(key="sla", title=msg.T_SLA, columns=columns, rows=rows, note=msg.N_SLA)


def rates_table(report: KpiReport) -> ReportTable:
    rows = []
    for r in report.rates:
        value, lower, upper = percent(r.estimate)
        rows.append(
            (
                r.period.label,
                group_name(r.group),
                r.kpi.name,
                value,
                lower,
                upper,
                r.successes,
                r.n,
                r.censored,
            )
        )
    columns = (
        PERIOD,
        GROUP,
        KPI,
        Column("rate", msg.COL_RATE, "%"),
        Column("lower", msg.COL_LOWER, "%"),
        Column("upper", msg.COL_UPPER, "%"),
        Column("successes", msg.COL_SUCCESSES, "tickets", digits=0),
        Column("n", msg.COL_N, "tickets", digits=0),
        Column("open", msg.COL_OPEN, "tickets", digits=0),
    )
    return ReportTable(key="rates", title=msg.T_RATES, columns=columns, rows=rows, note=msg.N_RATES)


def durations_table(report: KpiReport) -> ReportTable:
    rows = [
        (
            d.period.label,
            group_name(d.group),
            d.kpi.name,
            d.n,
            d.censored,
            d.excluded,
            hours(d.mean),
            hours(d.median),
            hours(d.p90),
        )
        for d in report.durations
    ]
    columns = (
        PERIOD,
        GROUP,
        KPI,
        Column("n", msg.COL_N, "tickets", digits=0),
        Column("open", msg.COL_OPEN, "tickets", digits=0),
        Column("excluded", msg.COL_EXCLUDED, "tickets", digits=0),
        Column("mean", msg.COL_MEAN, "h", digits=2),
        Column("median", msg.COL_MEDIAN, "h", digits=2),
        Column("p90", msg.COL_P90, "h", digits=2),
    )
    return ReportTable(
        key="durations", title=msg.T_DURATIONS, columns=columns, rows=rows, note=msg.N_DURATIONS
    )


def backlog_table(report: KpiReport) -> ReportTable:
    """Tidy: one row per instant and age bucket."""
    labels = report.spec.age_labels()
    rows = [
        (point.at.isoformat(timespec="minutes"), age, count)
        for point in report.backlog
        for age, count in zip(labels, point.ages, strict=True)
    ]
    columns = (
        Column("at", msg.COL_AT),
        Column("age", msg.COL_AGE),
        Column("open", msg.A_OPEN, "tickets", digits=0),
    )
    return ReportTable(
        key="backlog", title=msg.T_BACKLOG, columns=columns, rows=rows, note=msg.N_BACKLOG
    )


def flows_table(report: KpiReport) -> ReportTable:
    holds = {True: "holds", False: "broken", None: None}
    rows = [
        (
            f.period.label,
            f.backlog_start,
            f.opened,
            f.reopened,
            f.closed,
            f.cancelled,
            f.backlog_end,
            holds[f.identity_holds],
        )
        for f in report.flows
    ]
    count = "tickets"
    columns = (
        PERIOD,
        Column("backlog_start", msg.COL_START, count, digits=0),
        Column("opened", msg.COL_OPENED, count, digits=0),
        Column("reopened", msg.COL_REOPENED, count, digits=0),
        Column("closed", msg.COL_CLOSED, count, digits=0),
        Column("cancelled", msg.COL_CANCELLED, count, digits=0),
        Column("backlog_end", msg.COL_END, count, digits=0),
        Column("identity", msg.COL_IDENTITY, terms=True),
    )
    return ReportTable(key="flows", title=msg.T_FLOWS, columns=columns, rows=rows, note=msg.N_FLOWS)


def satisfaction_table(report: KpiReport) -> ReportTable:
    rows = []
    for s in report.satisfaction:
        csat, lower, upper = percent(s.csat)
        nps = s.nps
        rows.append(
            (
                s.period.label,
                group_name(s.group),
                csat,
                lower,
                upper,
                sum(s.csat_counts),
                None if nps is None else nps.score,
                None if nps is None else nps.interval.lower,
                None if nps is None else nps.interval.upper,
                s.nps_counts.n,
            )
        )
    columns = (
        PERIOD,
        GROUP,
        Column("csat", msg.COL_CSAT, "%"),
        Column("csat_lower", msg.COL_LOWER, "%"),
        Column("csat_upper", msg.COL_UPPER, "%"),
        Column("answers", msg.COL_ANSWERS, "answers", digits=0),
        Column("nps", msg.COL_NPS, "points"),
        Column("nps_lower", msg.COL_LOWER, "points"),
        Column("nps_upper", msg.COL_UPPER, "points"),
        Column("responses", msg.COL_RESPONSES, "answers", digits=0),
    )
    return ReportTable(
        key="satisfaction",
        title=msg.T_SATISFACTION,
        columns=columns,
        rows=rows,
        note=msg.N_SATISFACTION,
    )


def staffing_table(staffing: StaffingActuals) -> ReportTable:
    rows = [
        (
            row.start.isoformat(timespec="minutes"),
            row.staffing.calls,
            answered,
            row.staffing.agents,
            row.staffing.scheduled,
        )
        for row, answered in zip(staffing.plan.rows, staffing.answered, strict=True)
    ]
    columns = (
        Column("interval", msg.COL_INTERVAL),
        Column("forecast", msg.COL_FORECAST, "calls"),
        Column("answered", msg.COL_ANSWERED, "calls", digits=0),
        Column("agents", msg.COL_AGENTS, "agents", digits=0),
        Column("scheduled", msg.COL_SCHEDULED, "agents", digits=0),
    )
    return ReportTable(key="staffing", title=msg.T_STAFFING, columns=columns, rows=rows)
