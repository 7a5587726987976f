"""Building a :class:`ServiceReport` from a KPI report: headline KPIs first."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from statistics import NormalDist
from typing import TypeVar

from itsm_core._checks import is_int
from itsm_core._plain import is_a, is_number, shown
from itsm_core.calls import IntervalKpis
from itsm_core.customers import FollowUpCoverage
from itsm_core.errors import Problem, ValidationError
from itsm_core.inspection import AgentQuality, Calibration
from itsm_core.metrics import (
    COMPLAINT_TARGETS,
    Comparison,
    KpiReport,
    KpiTarget,
    compare_periods,
)
from itsm_core.metrics._results import DurationResult, RateResult
from itsm_core.reports import _labels as msg
from itsm_core.reports._model import (
    DEFAULT_TARGETS,
    Better,
    Headline,
    ReportTable,
    ServiceReport,
    StaffingActuals,
)
from itsm_core.reports._operations import operations_problems, operations_tables, target_checks
from itsm_core.reports._tables import breakdown_tables, detail_tables, hours, percent
from itsm_core.stats import difference_of_proportions

#: The headline KPIs, in the order the summary shows them: SLA compliance (resolution first),
#: volume, speed, quality, backlog, satisfaction. Each is shown when the report has its data.
HEADLINE_KPIS: tuple[str, ...] = (
    "resolution_compliance",
    "first_response_compliance",
    "tickets",
    "time_to_first_response",
    "time_to_resolve",
    "first_contact_resolution",
    "reopen_rate",
    "backlog",
    "csat",
    "nps",
)
_LOWER_IS_BETTER = {
    "time_to_first_response",
    "time_to_resolve",
    "reopen_rate",
    "backlog",
    "reassignment_rate",
    "escalation_rate",
    "complaint_rate",
}


def _current_period(report: KpiReport) -> str:
    """The latest period with tickets opened (else the first period)."""
    labels = [p.label for p in report.periods if p.label != "all"]
    opened = {c.period.label for c in report.tickets if c.tickets and not c.group}
    with_tickets = [label for label in labels if label in opened]
    return with_tickets[-1] if with_tickets else labels[0]


def build_report(
    kpi: KpiReport,
    *,
    source: str = "",
    period: str | None = None,
    targets: Iterable[KpiTarget] = DEFAULT_TARGETS,
    alpha: float = 0.05,
    complaint_types: Mapping[str, int] | None = None,
    staffing: StaffingActuals | None = None,
    reconciliation: ReportTable | None = None,
    alert_targets: Iterable[KpiTarget] = COMPLAINT_TARGETS,
    alerts_from: KpiReport | None = None,
    coverage: FollowUpCoverage | None = None,
    calls: Sequence[IntervalKpis] = (),
    quality: Mapping[str, AgentQuality] | None = None,
    calibration: Calibration | None = None,
) -> ServiceReport:
    """The report people look at, from what :mod:`itsm_core.metrics` computed.

    The summary shows the headline KPIs of ``period`` (default: the latest period with
    tickets opened) with their intervals, their ``targets`` (default
    :data:`DEFAULT_TARGETS`) and the change from the period before, tested at level
    ``alpha``; then the ticket breakdowns sorted by volume; then the detail tables.
    ``complaint_types`` (counts per complaint type, e.g. from the desk's archive) and
    ``staffing`` (a plan and the calls answered) add their tables and charts;
    ``reconciliation`` (a table of our figures beside the source system's) shows after the
    details.

    Targets and alerts: ``alert_targets`` (default
    :data:`~itsm_core.metrics.COMPLAINT_TARGETS`: complaints answered within 24 h on average,
    complaint satisfaction at least 90 %; they read the complaint group of a report grouped by
    kind) are checked over the whole range of ``alerts_from`` (default ``kpi``; give the
    same figures grouped by kind there to keep the report's tables ungrouped), those it has
    data for; ``coverage``
    (:func:`itsm_core.customers.follow_up_coverage`) is held to its target (95 %). Each check
    is in :attr:`ServiceReport.checks`; the missed ones are the report's alerts, listed at the
    top of the summary with the clause of the standard they quote.

    Hotline operations: ``calls`` (the measured intervals of
    :func:`itsm_core.calls.interval_kpis`, one convention and threshold) give the period's
    figures (service level reached, speed of answer, abandonment, first-contact resolution of
    calls, occupancy), the calls by interval, and the staffing chart's calls offered, answered
    and abandoned beside the Erlang plan of ``staffing`` (see
    :meth:`StaffingActuals.from_calls`); ``quality``
    (:func:`itsm_core.inspection.quality_by_agent`) and ``calibration``
    (:func:`itsm_core.inspection.calibrate`) give the inspection's pass rate, critical
    failures and the inspectors' kappa with its band.

    Raises:
        ValidationError: ``period`` is not a period of the report, ``alpha`` is not in (0, 1),
            a complaint count is not a count, two targets name one KPI, or the call, quality or
            calibration data is not of its type (or the intervals were measured with different
            conventions or thresholds).
    """
    problems: list[Problem] = []
    labels = [p.label for p in kpi.periods if p.label != "all"]
    if period is not None and period not in labels:
        problems.append(Problem("period", f"no period {shown(period)} ({', '.join(labels)})"))
    if not is_number(alpha) or not 0 < alpha < 1:
        problems.append(Problem("alpha", f"must be in (0, 1): {shown(alpha)}"))
    counts = dict(complaint_types or {})
    problems.extend(
        Problem(f"complaint_types[{name!r}]", f"not a count: {shown(count)}")
        for name, count in counts.items()
        if not is_int(count) or count < 0
    )
    by_kpi: dict[str, KpiTarget] = {}
    for i, target in enumerate(targets):
        if target.kpi in by_kpi:
            problems.append(Problem(f"targets[{i}]", f"second target for {shown(target.kpi)}"))
        by_kpi[target.kpi] = target
    intervals = tuple(calls)
    agents = dict(quality or {})
    problems.extend(operations_problems(intervals, agents, calibration))
    checked = tuple(alert_targets)
    problems.extend(
        Problem(f"alert_targets[{i}]", f"expected a KpiTarget, got {type(target).__name__}")
        for i, target in enumerate(checked)
        if not is_a(target, KpiTarget)
    )
    if coverage is not None and not is_a(coverage, FollowUpCoverage):
        problems.append(
            Problem("coverage", f"expected FollowUpCoverage, got {type(coverage).__name__}")
        )
    if problems:
        raise ValidationError("build_report", problems)
    intervals = tuple(sorted(intervals, key=lambda k: k.start))
    current = period if period is not None else _current_period(kpi)
    index = labels.index(current)
    previous = labels[index - 1] if index > 0 else None
    headlines = _headlines(kpi, current, previous, by_kpi, alpha)
    complaints = tuple((name, count) for name, count in counts.items())
    return ServiceReport(
        source=source,
        as_of=kpi.as_of,
        time_zone=kpi.spec.periods.tz,
        current=current,
        previous=previous,
        alpha=alpha,
        headlines=headlines,
        breakdowns=breakdown_tables(kpi),
        details=detail_tables(kpi, staffing, complaints),
        definitions=tuple(k.describe() for k in kpi.spec.kpis),
        kpi=kpi,
        complaint_types=complaints,
        staffing=staffing,
        reconciliation=reconciliation,
        checks=target_checks(kpi if alerts_from is None else alerts_from, checked, coverage),
        calls=intervals,
        operations=operations_tables(intervals, agents, calibration),
    )


def _headlines(
    report: KpiReport,
    current: str,
    previous: str | None,
    targets: Mapping[str, KpiTarget],
    alpha: float,
) -> tuple[Headline, ...]:
    compared: dict[str, Comparison] = {}
    if previous is not None:
        compared = {c.kpi: c for c in compare_periods(report, previous, current, alpha=alpha)}
    out = []
    for key in HEADLINE_KPIS:
        better = Better.LOWER if key in _LOWER_IS_BETTER else Better.HIGHER
        made = _headline(report, key, current, previous, compared, alpha)
        if made is None:
            continue
        unit, value, lower, upper, n, before, p_value, test = made
        out.append(
            Headline(
                kpi=key,
                unit=unit,
                better=better,
                value=value,
                lower=lower,
                upper=upper,
                n=n,
                target=targets.get(key),
                previous=before,
                change=None if value is None or before is None else value - before,
                p_value=p_value,
                test=test,
                alpha=alpha,
            )
        )
    return tuple(out)


_Made = tuple[str, float | None, float | None, float | None, int, float | None, float | None, str]


def _headline(
    report: KpiReport,
    key: str,
    current: str,
    previous: str | None,
    compared: Mapping[str, Comparison],
    alpha: float,
) -> _Made | None:
    if key.endswith("_compliance"):
        return _compliance(report, key.removesuffix("_compliance"), current, previous, alpha)
    if key == "tickets":
        counts = {c.period.label: c.tickets for c in report.tickets if not c.group}
        before = None if previous is None else float(counts.get(previous, 0))
        n = counts.get(current, 0)
        return "tickets", float(n), None, None, n, before, None, msg.NO_TEST
    if key == "backlog":
        flows = {f.period.label: f for f in report.flows}
        now, then = flows.get(current), flows.get(previous or "")
        if now is None:
            return None
        end = now.backlog_end
        before = None if then is None or then.backlog_end is None else float(then.backlog_end)
        value = None if end is None else float(end)
        return "tickets", value, None, None, end or 0, before, None, msg.NO_TEST
    if key in {"csat", "nps"}:
        return _satisfaction(report, key, current, previous)
    durations = _find(report.durations, key, current)
    if durations is not None:
        return _duration(durations, _find(report.durations, key, previous), compared.get(key))
    rates = _find(report.rates, key, current)
    if rates is not None:
        value, lower, upper = percent(rates.estimate)
        old = _find(report.rates, key, previous)
        before = None if old is None else percent(old.estimate)[0]
        comparison = compared.get(key)
        p_value = _p(comparison)
        return "%", value, lower, upper, rates.n, before, p_value, msg.TEST_RATE
    return None


_R = TypeVar("_R", DurationResult, RateResult)


def _find(results: Iterable[_R], key: str, period: str | None) -> _R | None:
    for result in results:
        if (result.kpi.name, result.period.label, result.group) == (key, period, ()):
            return result
    return None


def _p(comparison: Comparison | None) -> float | None:
    if comparison is None or comparison.difference is None:
        return None
    return comparison.difference.p_value


def _duration(
    now: DurationResult, then: DurationResult | None, comparison: Comparison | None
) -> _Made:
    mean = hours(now.mean)
    lower = upper = None
    sd = hours(now.standard_deviation)
    if mean is not None and sd is not None and now.n > 1:
        half = NormalDist().inv_cdf(0.975) * sd / math.sqrt(now.n)
        lower, upper = max(mean - half, 0.0), mean + half
    before = None if then is None else hours(then.mean)
    return "h", mean, lower, upper, now.n, before, _p(comparison), msg.TEST_MEAN


def _compliance(
    report: KpiReport, metric: str, current: str, previous: str | None, alpha: float
) -> _Made | None:
    rows = {c.period.label: c for c in report.sla if c.metric == metric and not c.group}
    now = rows.get(current)
    if now is None:
        return None
    then = rows.get(previous or "")
    value, lower, upper = percent(now.rate)
    before = None if then is None else percent(then.rate)[0]
    p_value = None
    if then is not None and now.denominator and then.denominator:
        difference = difference_of_proportions(
            now.met, now.denominator, then.met, then.denominator, confidence=1 - alpha
        )
        p_value = difference.p_value
    return "%", value, lower, upper, now.denominator, before, p_value, msg.TEST_RATE


def _satisfaction(report: KpiReport, key: str, current: str, previous: str | None) -> _Made | None:
    rows = {s.period.label: s for s in report.satisfaction if not s.group}
    now = rows.get(current)
    if now is None:
        return None
    then = rows.get(previous or "")
    if key == "csat":
        if now.csat is None:
            return None
        value, lower, upper = percent(now.csat)
        before = None if then is None else percent(then.csat)[0]
        p_value = None
        if then is not None and then.csat is not None:
            p_value = difference_of_proportions(
                now.csat.successes, now.csat.n, then.csat.successes, then.csat.n
            ).p_value
        return "%", value, lower, upper, now.csat.n, before, p_value, msg.TEST_RATE
    if now.nps is None:
        return None
    old = None if then is None or then.nps is None else then.nps.score
    interval = now.nps.interval
    return (
        "points",
        now.nps.score,
        interval.lower,
        interval.upper,
        now.nps.n,
        old,
        None,
        msg.NO_TEST,
    )
