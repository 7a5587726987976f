"""Service KPIs and reports from ticket history: streaming, mergeable, explainable.

A :class:`ReportSpec` says what to compute: reporting periods (:class:`PeriodGrid`: days,
weeks or months in a time zone), KPI definitions (:class:`DurationKpi`, :class:`RateKpi`:
population, start and end milestones, calendar or business time, statistics), the groups and
breakdowns, the reopen window and backlog age buckets. A :class:`KpiAccumulator` folds ticket
events in one pass (plus :class:`SlaOutcome` and :class:`SurveyAnswer` values;
:func:`sla_outcomes` turns an :func:`itsm_core.sla.evaluate` report into outcomes), merges
with other partial results, and makes a :class:`KpiReport`: plain frozen data where every figure
carries its n, its open (censored) count and its definition, and every rate a Wilson interval.
:func:`render_markdown` and :func:`render_csv` print it; :func:`compare_periods` tests the
change between two periods; :class:`Scorecard` weighs KPIs into the four appraisal
dimensions; :class:`KpiTarget` holds a figure to a bound and :func:`check_targets` alerts on the
missed ones (:data:`COMPLAINT_TARGETS`: complaints answered within 24 h on average, 90 %
satisfied).
"""

from itsm_core.metrics._accumulator import KpiAccumulator
from itsm_core.metrics._compare import Comparison, compare_periods
from itsm_core.metrics._definitions import (
    BUSINESS_KPIS,
    STANDARD_KPIS,
    Dimension,
    DurationKpi,
    Milestone,
    OpenTickets,
    Outcome,
    Population,
    RateKpi,
    Statistic,
    TimeBasis,
    kpi_from_dict,
)
from itsm_core.metrics._from_sla import sla_outcomes, sla_status
from itsm_core.metrics._inputs import SlaOutcome, SlaStatus, SurveyAnswer
from itsm_core.metrics._periods import Granularity, PeriodGrid
from itsm_core.metrics._quantiles import EXACT_LIMIT, RELATIVE_ACCURACY, QuantileStore
from itsm_core.metrics._render import render_csv, render_markdown
from itsm_core.metrics._results import DurationResult, KpiReport, RateResult
from itsm_core.metrics._scorecard import (
    EXAMPLE_SCORECARD,
    Scorecard,
    ScorecardResult,
    ScoreDimension,
    ScoreItem,
)
from itsm_core.metrics._spec import ReportSpec
from itsm_core.metrics._targets import COMPLAINT_TARGETS, KpiTarget, TargetCheck, check_targets

__all__ = [
    "BUSINESS_KPIS",
    "COMPLAINT_TARGETS",
    "EXACT_LIMIT",
    "EXAMPLE_SCORECARD",
    "RELATIVE_ACCURACY",
    "STANDARD_KPIS",
    "Comparison",
    "Dimension",
    "DurationKpi",
    "DurationResult",
    "Granularity",
    "KpiAccumulator",
    "KpiReport",
    "KpiTarget",
    "Milestone",
    "OpenTickets",
    "Outcome",
    "PeriodGrid",
    "Population",
    "QuantileStore",
    "RateKpi",
    "RateResult",
    "ReportSpec",
    "ScoreDimension",
    "ScoreItem",
    "Scorecard",
    "ScorecardResult",
    "SlaOutcome",
    "SlaStatus",
    "Statistic",
    "SurveyAnswer",
    "TargetCheck",
    "TimeBasis",
    "check_targets",
    "compare_periods",
    "kpi_from_dict",
    "render_csv",
    "render_markdown",
    "sla_outcomes",
    "sla_status",
]
