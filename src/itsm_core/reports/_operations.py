"""The report's targets and alerts, and its hotline operations section.

* Targets: the complaint targets of the customer-service standards
  (:data:`itsm_core.metrics.COMPLAINT_TARGETS`: 平均响应时间24小时内, 满意度90%以上) read in the
  KPI report, and the follow-up coverage (:func:`itsm_core.customers.follow_up_coverage`, at
  least 95 % of closed tickets), each a :class:`~itsm_core.metrics.TargetCheck`; the missed
  ones are the report's alerts.
* Operations: the period's hotline figures pooled from the measured intervals
  (:func:`itsm_core.calls.interval_kpis`), the calls by interval, and the quality inspection
  (:func:`itsm_core.inspection.quality_by_agent`, :func:`itsm_core.inspection.calibrate`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from itsm_core._plain import is_a
from itsm_core.calls import IntervalKpis
from itsm_core.customers import FollowUpCoverage
from itsm_core.errors import Problem
from itsm_core.inspection import AgentQuality, Calibration
from itsm_core.metrics import KpiReport, KpiTarget, TargetCheck, check_targets
from itsm_core.reports import _labels as msg
from itsm_core.reports._model import Cell, Column, ReportTable

#: The clauses of the customer-service spec the follow-up coverage target comes from (服务跟进,
#: 反馈跟踪: surveys and follow-ups reach at least 95 % of closed tickets; the bound itself is
#: shown beside it).
COVERAGE_CLAUSE = "服务跟进、反馈跟踪"


def check_unit(check: TargetCheck) -> str:
    """The unit a check's figure reads in, as report data spells units (``"h"``, ``"%"``)."""
    unit = check.unit.strip()
    return "h" if unit.startswith("h") else unit


def coverage_check(coverage: FollowUpCoverage) -> TargetCheck:
    """The follow-up coverage against its target, in percent, as a target check."""
    target = KpiTarget(
        name="follow_up_coverage",
        kpi="follow_up_coverage",
        at_least=100 * coverage.target,
        clause=COVERAGE_CLAUSE,
    )
    return TargetCheck(
        target=target, period="all", value=100 * coverage.ratio, met=coverage.met, unit="%"
    )


def target_checks(
    kpi: KpiReport, targets: Iterable[KpiTarget], coverage: FollowUpCoverage | None
) -> tuple[TargetCheck, ...]:
    """The ``targets`` read over the whole range of ``kpi`` (those without data left out),
    then the follow-up ``coverage`` when given."""
    checks = [check for check in check_targets(kpi, targets) if check.value is not None]
    if coverage is not None:
        checks.append(coverage_check(coverage))
    return tuple(checks)


def targets_table(checks: Sequence[TargetCheck]) -> ReportTable:
    """One row per checked target: its figure, bound, verdict and the clause it quotes."""
    columns = (
        Column("target", msg.COL_TARGET_NAME, terms=True),
        Column("kpi", msg.COL_KPI, terms=True),
        Column("group", msg.COL_GROUP, terms=True),
        Column("period", msg.COL_PERIOD, terms=True),
        Column("unit", msg.COL_UNIT, terms=True),
        Column("value", msg.COL_VALUE, "@unit"),
        Column("direction", msg.COL_BOUND, terms=True),
        Column("bound", msg.COL_TARGET, "@unit"),
        Column("against_target", msg.COL_STATUS, terms=True),
        Column("clause", msg.COL_CLAUSE),
    )
    rows = [
        (
            c.target.name,
            c.target.kpi,
            "/".join(c.target.group) or "all",
            c.period,
            check_unit(c),
            c.value,
            "at_most" if c.target.at_most is not None else "at_least",
            c.target.bound,
            {True: "met", False: "missed", None: None}[c.met],
            c.target.clause,
        )
        for c in checks
    ]
    return ReportTable(
        key="targets", title=msg.T_TARGETS, columns=columns, rows=rows, note=msg.N_TARGETS
    )


# -- validation -------------------------------------------------------------------------------


def operations_problems(
    calls: Sequence[object], quality: Mapping[str, object], calibration: object
) -> list[Problem]:
    """What is wrong with the operations data given to :func:`~itsm_core.reports.build_report`."""
    problems = [
        Problem(f"calls[{i}]", f"expected IntervalKpis, got {type(k).__name__}")
        for i, k in enumerate(calls)
        if not is_a(k, IntervalKpis)
    ]
    first = next((k for k in calls if isinstance(k, IntervalKpis)), None)
    if first is not None:
        problems.extend(
            Problem(
                f"calls[{i}]",
                "measured with another service level convention or threshold than the first",
            )
            for i, k in enumerate(calls)
            if isinstance(k, IntervalKpis)
            and (k.convention, k.answer_within) != (first.convention, first.answer_within)
        )
    problems.extend(
        Problem(f"quality[{agent!r}]", f"expected AgentQuality, got {type(q).__name__}")
        for agent, q in quality.items()
        if not is_a(q, AgentQuality)
    )
    if calibration is not None and not is_a(calibration, Calibration):
        problems.append(
            Problem("calibration", f"expected Calibration, got {type(calibration).__name__}")
        )
    return problems


# -- the operations section -----------------------------------------------------------------


def _ratio(part: float, whole: float) -> float | None:
    return None if whole == 0 else 100 * part / whole


def _weighted(pairs: Iterable[tuple[float | None, float]]) -> float | None:
    """The mean of the values weighted by their weights (values None left out)."""
    known = [(value, weight) for value, weight in pairs if value is not None and weight > 0]
    total = sum(weight for _, weight in known)
    return None if total == 0 else sum(value * weight for value, weight in known) / total


def _seconds(value: dt.timedelta | None) -> float | None:
    return None if value is None else value.total_seconds()


def _percent(value: float | None) -> float | None:
    return None if value is None else 100 * value


def _hotline_rows(calls: Sequence[IntervalKpis]) -> list[tuple[Cell, ...]]:
    offered = sum(k.offered for k in calls)
    answered = sum(k.answered for k in calls)
    abandoned = sum(k.abandoned for k in calls)
    short = sum(k.short_abandoned for k in calls)
    denominator = {
        "short_abandons_ignored": answered + abandoned - short,
        "abandons_missed": answered + abandoned,
        "abandons_ignored": answered,
    }[calls[0].convention.value]
    staffed_seconds = [(k.staffed_agents or 0.0) * (k.end - k.start).total_seconds() for k in calls]
    figures: list[tuple[str, float | None, str]] = [
        ("calls_offered", offered, "calls"),
        ("calls_answered", answered, "calls"),
        ("calls_abandoned", abandoned, "calls"),
        ("service_level", _ratio(sum(k.answered_within for k in calls), denominator), "%"),
        (
            "average_speed_of_answer",
            _weighted((_seconds(k.average_speed_of_answer), k.answered) for k in calls),
            "s",
        ),
        ("abandonment_rate", _ratio(abandoned, answered + abandoned), "%"),
        (
            "abandonment_rate_excluding_short",
            _ratio(abandoned - short, answered + abandoned - short),
            "%",
        ),
        (
            "average_handle_time",
            _weighted((_seconds(k.average_handle_time), k.answered) for k in calls),
            "s",
        ),
        (
            "call_first_contact_resolution",
            _percent(_weighted((k.first_contact_resolution, k.answered) for k in calls)),
            "%",
        ),
        (
            "occupancy",
            _percent(
                _weighted(
                    (k.occupancy, seconds)
                    for k, seconds in zip(calls, staffed_seconds, strict=True)
                )
            ),
            "%",
        ),
        ("callbacks_requested", sum(k.callbacks_requested for k in calls), "calls"),
    ]
    return [(key, value, unit, None) for key, value, unit in figures]


def _quality_rows(
    quality: Mapping[str, AgentQuality], calibration: Calibration | None
) -> list[tuple[Cell, ...]]:
    rows: list[tuple[Cell, ...]] = []
    inspected = sum(q.inspections for q in quality.values())
    if inspected:
        passed = sum(round(q.pass_rate * q.inspections) for q in quality.values())
        rows += [
            ("inspections", inspected, "contacts", None),
            (
                "inspection_mean_score",
                sum(q.mean_score * q.inspections for q in quality.values()) / inspected,
                "%",
                None,
            ),
            ("inspection_pass_rate", 100 * passed / inspected, "%", None),
            (
                "critical_failures",
                sum(q.critical_failures for q in quality.values()),
                "contacts",
                None,
            ),
        ]
    if calibration is not None and calibration.item_kappa is not None:
        rows.append(("kappa", calibration.item_kappa, "", calibration.band))
    return rows


def figures_table(
    calls: Sequence[IntervalKpis],
    quality: Mapping[str, AgentQuality],
    calibration: Calibration | None,
) -> ReportTable:
    """The period's hotline and quality-inspection figures, one row per figure."""
    rows = (_hotline_rows(calls) if calls else []) + _quality_rows(quality, calibration)
    columns = (
        Column("figure", msg.COL_FIGURE, terms=True),
        Column("value", msg.COL_VALUE, "@unit", digits=1),
        Column("unit", msg.COL_UNIT, terms=True),
        Column("assessment", msg.COL_ASSESSMENT, terms=True),
    )
    return ReportTable(
        key="operations",
        title=msg.T_OPERATIONS,
        columns=columns,
        rows=rows,
        note=msg.N_OPERATIONS,
    )


def intervals_table(calls: Sequence[IntervalKpis]) -> ReportTable:
    """The measured figures of each interval, every number in its unit."""
    rows = [
        (
            f"{k.start:%Y-%m-%d %H:%M}-{k.end:%H:%M}",
            k.offered,
            k.answered,
            k.abandoned,
            k.short_abandoned,
            _percent(k.service_level),
            _seconds(k.average_speed_of_answer),
            _percent(k.abandonment_rate),
            _seconds(k.average_handle_time),
            _percent(k.occupancy),
            _percent(k.first_contact_resolution),
            k.callbacks_requested,
            k.staffed_agents,
        )
        for k in calls
    ]
    count = "calls"
    columns = (
        Column("interval", msg.COL_INTERVAL_SPAN),
        Column("offered", msg.COL_OFFERED, count, digits=0),
        Column("answered", msg.COL_ANSWERED, count, digits=0),
        Column("abandoned", msg.COL_ABANDONED, count, digits=0),
        Column("short_abandoned", msg.COL_SHORT, count, digits=0),
        Column("service_level", msg.COL_SERVICE_LEVEL, "%"),
        Column("average_speed_of_answer", msg.KPI_NAMES["average_speed_of_answer"], "s"),
        Column("abandonment_rate", msg.KPI_NAMES["abandonment_rate"], "%"),
        Column("average_handle_time", msg.KPI_NAMES["average_handle_time"], "s"),
        Column("occupancy", msg.KPI_NAMES["occupancy"], "%"),
        Column("first_contact_resolution", msg.KPI_NAMES["call_first_contact_resolution"], "%"),
        Column("callbacks_requested", msg.KPI_NAMES["callbacks_requested"], count, digits=0),
        Column("staffed_agents", msg.COL_STAFFED, "agents"),
    )
    seconds = calls[0].answer_within.total_seconds()
    return ReportTable(
        key="calls",
        title=msg.T_INTERVALS,
        facts=(("seconds", f"{seconds:g}"),),
        columns=columns,
        rows=rows,
        note=msg.N_CONVENTIONS[calls[0].convention.value],
    )


def quality_table(quality: Mapping[str, AgentQuality]) -> ReportTable:
    """Each agent's inspection results, agents in name order."""
    rows = [
        (
            q.agent,
            q.inspections,
            q.mean_score,
            100 * q.pass_rate,
            q.critical_failures,
            "yes" if q.needs_remedial_training else "no",
        )
        for _, q in sorted(quality.items())
    ]
    columns = (
        Column("agent", msg.COL_AGENT),
        Column("inspections", msg.COL_INSPECTED, "contacts", digits=0),
        Column("mean_score", msg.COL_MEAN_SCORE, "%"),
        Column("pass_rate", msg.COL_PASS_RATE, "%"),
        Column("critical_failures", msg.KPI_NAMES["critical_failures"], "contacts", digits=0),
        Column("remedial_training", msg.COL_REMEDIAL, terms=True),
    )
    return ReportTable(
        key="quality", title=msg.T_QUALITY, columns=columns, rows=rows, note=msg.N_QUALITY
    )


def operations_tables(
    calls: Sequence[IntervalKpis],
    quality: Mapping[str, AgentQuality],
    calibration: Calibration | None,
) -> tuple[ReportTable, ...]:
    """The tables of the operations section, each when its data is given."""
    figures = figures_table(calls, quality, calibration)
    tables = [figures] if figures.rows else []
    if calls:
        tables.append(intervals_table(calls))
    if quality:
        tables.append(quality_table(quality))
    return tuple(tables)
