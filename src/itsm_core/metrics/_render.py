"""Markdown and CSV text renderers of a :class:`KpiReport` (durations in hours)."""

from __future__ import annotations

import csv
import datetime as dt
import io

from itsm_core.metrics._results import KpiReport
from itsm_core.stats import ProportionEstimate

_HOUR = dt.timedelta(hours=1)


def _hours(value: dt.timedelta | None) -> str:
    return "" if value is None else f"{value / _HOUR:.2f}"


def _group(group: tuple[str, ...]) -> str:
    return " / ".join(group) if group else "all"


def _percent(estimate: ProportionEstimate | None) -> tuple[str, str]:
    if estimate is None:
        return "", ""
    interval = estimate.interval
    return (
        f"{estimate.percent:.1f}",
        f"{100 * interval.lower:.1f}-{100 * interval.upper:.1f}",
    )


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return [*lines, ""]


def render_markdown(report: KpiReport) -> str:
    """The report as Markdown tables: tickets, breakdowns, durations, rates, backlog and
    flows, SLA compliance, satisfaction, diagnostics, then the KPI definitions."""
    spec = report.spec
    out = [f"KPI report as of {report.as_of.isoformat()}", ""]
    out += ["### Tickets opened", ""]
    out += _table(
        ["period", "group", "tickets"],
        [[c.period.label, _group(c.group), str(c.tickets)] for c in report.tickets],
    )
    if report.breakdowns:
        out += ["### Tickets opened by dimension", ""]
        out += _table(
            ["period", "dimension", "value", "tickets"],
            [[b.period.label, b.dimension, b.value, str(b.tickets)] for b in report.breakdowns],
        )
    out += ["### Durations (hours)", ""]
    out += _table(
        ["period", "group", "KPI", "n", "open", "excluded", "mean", "median", "p90"],
        [
            [
                d.period.label,
                _group(d.group),
                d.kpi.name,
                str(d.n),
                str(d.censored),
                str(d.excluded),
                _hours(d.mean),
                _hours(d.median) + ("" if d.exact_quantiles else " ≈"),
                _hours(d.p90) + ("" if d.exact_quantiles else " ≈"),
            ]
            for d in report.durations
        ],
    )
    out += ["### Rates (Wilson 95 % interval)", ""]
    out += _table(
        ["period", "group", "KPI", "%", "95 % CI", "k", "n", "open"],
        [
            [
                r.period.label,
                _group(r.group),
                r.kpi.name,
                *_percent(r.estimate),
                str(r.successes),
                str(r.n),
                str(r.censored),
            ]
            for r in report.rates
        ],
    )
    out += ["### Backlog", ""]
    out += _table(
        ["at", "open", *spec.age_labels()],
        [[b.at.isoformat(), str(b.open), *map(str, b.ages)] for b in report.backlog],
    )
    out += ["### Backlog flow (end = start + opened + reopened - closed - cancelled)", ""]
    out += _table(
        ["period", "start", "opened", "reopened", "closed", "cancelled", "end", "identity"],
        [
            [
                f.period.label,
                "" if f.backlog_start is None else str(f.backlog_start),
                str(f.opened),
                str(f.reopened),
                str(f.closed),
                str(f.cancelled),
                "" if f.backlog_end is None else str(f.backlog_end),
                {True: "holds", False: "BROKEN", None: ""}[f.identity_holds],
            ]
            for f in report.flows
        ],
    )
    if report.sla:
        out += ["### SLA compliance (met / (met + breached + open breached))", ""]
        out += _table(
            [
                "period",
                "group",
                "metric",
                "%",
                "95 % CI",
                "met",
                "breached",
                "open breached",
                "open within",
            ],
            [
                [
                    c.period.label,
                    _group(c.group),
                    c.metric,
                    *_percent(c.rate),
                    str(c.met),
                    str(c.breached),
                    str(c.open_breached),
                    str(c.open_within),
                ]
                for c in report.sla
            ],
        )
    if report.satisfaction:
        out += ["### Satisfaction", ""]
        out += _table(
            [
                "period",
                "group",
                "CSAT top-2 %",
                "95 % CI",
                "answers",
                "NPS",
                "NPS 95 % CI",
                "responses",
            ],
            [
                [
                    s.period.label,
                    _group(s.group),
                    *_percent(s.csat),
                    str(sum(s.csat_counts)),
                    "" if s.nps is None else f"{s.nps.score:.1f}",
                    ""
                    if s.nps is None
                    else f"{s.nps.interval.lower:.1f} to {s.nps.interval.upper:.1f}",
                    str(s.nps_counts.n),
                ]
                for s in report.satisfaction
            ],
        )
    diag = report.diagnostics
    out += ["### Stream", ""]
    out += _table(
        ["events", "tickets", "in flight", "orphan events", "reordered events"],
        [
            [
                str(diag.events),
                str(diag.tickets),
                str(diag.in_flight),
                str(diag.orphan_events),
                str(diag.reordered_events),
            ]
        ],
    )
    out += ["### Definitions", ""]
    out += [f"- {kpi.describe()}" for kpi in spec.kpis]
    return "\n".join(out) + "\n"


CSV_COLUMNS = (
    "section",
    "period",
    "group",
    "kpi",
    "statistic",
    "value",
    "unit",
    "n",
    "open",
    "excluded",
    "lower",
    "upper",
    "definition",
)


def _bounds(estimate: ProportionEstimate | None) -> list[str]:
    if estimate is None:
        return ["", "", ""]
    interval = estimate.interval
    return [f"{estimate.estimate:.6f}", f"{interval.lower:.6f}", f"{interval.upper:.6f}"]


def _row(
    section: str,
    period: str,
    group: str,
    kpi: str,
    statistic: str,
    value: object,
    unit: str,
    n: object,
    definition: str,
    *,
    censored: object = "",
    excluded: object = "",
    lower: object = "",
    upper: object = "",
) -> list[object]:
    return [
        section,
        period,
        group,
        kpi,
        statistic,
        value,
        unit,
        n,
        censored,
        excluded,
        lower,
        upper,
        definition,
    ]


def render_csv(report: KpiReport) -> str:
    """The report as one long CSV table (columns :data:`CSV_COLUMNS`), one row per figure;
    the ``unit`` column says what ``value`` counts: ``h`` (hours) for durations, ``ratio``
    (0..1) for rates and compliance, ``tickets`` for counts."""
    rows: list[list[object]] = [list(CSV_COLUMNS)]
    rows.extend(
        _row(
            "tickets",
            c.period.label,
            _group(c.group),
            "tickets",
            "count",
            c.tickets,
            "tickets",
            c.tickets,
            "tickets opened in the period",
        )
        for c in report.tickets
    )
    rows.extend(
        _row(
            "breakdown",
            b.period.label,
            f"{b.dimension}={b.value}",
            "tickets",
            "count",
            b.tickets,
            "tickets",
            b.tickets,
            f"tickets opened by {b.dimension}",
        )
        for b in report.breakdowns
    )
    rows.extend(
        _row(
            "duration",
            d.period.label,
            _group(d.group),
            d.kpi.name,
            statistic.value,
            _hours(d.value(statistic)),
            "h",
            d.n,
            d.kpi.describe(),
            censored=d.censored,
            excluded=d.excluded,
        )
        for d in report.durations
        for statistic in d.kpi.statistics
    )
    for r in report.rates:
        value, lower, upper = _bounds(r.estimate)
        rows.append(
            _row(
                "rate",
                r.period.label,
                _group(r.group),
                r.kpi.name,
                "rate",
                value,
                "ratio",
                r.n,
                r.kpi.describe(),
                censored=r.censored,
                lower=lower,
                upper=upper,
            )
        )
    rows.extend(
        _row(
            "backlog",
            p.at.isoformat(),
            "all",
            "backlog",
            "count",
            p.open,
            "tickets",
            p.open,
            "tickets open at the instant",
        )
        for p in report.backlog
    )
    for c in report.sla:
        value, lower, upper = _bounds(c.rate)
        rows.append(
            _row(
                "sla",
                c.period.label,
                _group(c.group),
                c.metric,
                "compliance",
                value,
                "ratio",
                c.denominator,
                "met / (met + breached + open breached)",
                censored=c.open_within,
                lower=lower,
                upper=upper,
            )
        )
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()
