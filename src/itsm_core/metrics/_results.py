"""A KPI report as plain data: every figure with its n, its open (censored) count, its
definition, and for rates a Wilson interval."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TypeVar

import attrs

from itsm_core._plain import shown
from itsm_core.errors import Problem, ValidationError
from itsm_core.metrics._definitions import DurationKpi, RateKpi, Statistic
from itsm_core.metrics._periods import Period
from itsm_core.metrics._spec import ReportSpec
from itsm_core.satisfaction import NpsCounts, NpsResult
from itsm_core.stats import ProportionEstimate

#: The label of the whole reporting range, next to the period labels.
ALL_PERIODS = "all"

Group = tuple[str, ...]


@attrs.frozen(kw_only=True)
class TicketCount:
    """Tickets opened in a period, in one group."""

    period: Period
    group: Group
    tickets: int


@attrs.frozen(kw_only=True)
class Breakdown:
    """Tickets opened in a period with one value of one dimension (kind, channel...)."""

    period: Period
    dimension: str
    value: str
    tickets: int


@attrs.frozen(kw_only=True)
class DurationResult:
    """A duration KPI in one period and group.

    ``n`` tickets reached the end milestone and are in the statistics; ``censored`` are still
    open and may reach it; ``excluded`` never will (cancelled, closed without it). The mean is
    exact; the median and p90 are taken by the KPI's ``quantiles`` method (linear unless
    nearest rank is asked for; rounded to the microsecond), exact when ``exact_quantiles`` (at
    most 1,000 values), else within 1 % (see :class:`QuantileStore`).
    """

    kpi: DurationKpi
    period: Period
    group: Group
    n: int
    censored: int
    excluded: int
    mean: dt.timedelta | None
    median: dt.timedelta | None
    p90: dt.timedelta | None
    standard_deviation: dt.timedelta | None
    exact_quantiles: bool

    def value(self, statistic: Statistic) -> dt.timedelta | None:
        """The mean, median or p90."""
        if statistic is Statistic.MEAN:
            return self.mean
        return self.median if statistic is Statistic.MEDIAN else self.p90


@attrs.frozen(kw_only=True)
class RateResult:
    """A rate KPI in one period and group: ``successes`` of ``n`` decided tickets.

    ``censored`` tickets are open and undecided (excluded from ``n`` unless the KPI counts
    open tickets); ``estimate`` carries the Wilson interval, None when ``n == 0``.
    """

    kpi: RateKpi
    period: Period
    group: Group
    successes: int
    n: int
    censored: int
    estimate: ProportionEstimate | None


@attrs.frozen(kw_only=True)
class BacklogPoint:
    """Tickets open at instant ``at`` (after every event before it), by age bucket.

    ``ages[i]`` counts open tickets whose age (``at`` minus their opening) falls in bucket
    ``i`` of the spec's ``age_buckets`` (upper bounds inclusive; the last bucket is older).
    """

    at: dt.datetime
    open: int
    ages: tuple[int, ...]


@attrs.frozen(kw_only=True)
class Flow:
    """The backlog flow of one period: ``backlog_end = backlog_start + opened + reopened -
    closed - cancelled``. ``closed`` counts tickets leaving the active statuses by resolution
    or closure; ``backlog_end`` is None when the period ends after the report instant."""

    period: Period
    backlog_start: int | None
    opened: int
    reopened: int
    closed: int
    cancelled: int
    backlog_end: int | None

    @property
    def identity_holds(self) -> bool | None:
        """True when the flow identity holds (None when a backlog end is unknown)."""
        if self.backlog_start is None or self.backlog_end is None:
            return None
        expected = self.backlog_start + self.opened + self.reopened - self.closed
        return self.backlog_end == expected - self.cancelled


@attrs.frozen(kw_only=True)
class Compliance:
    """SLA compliance of one metric in one period and group.

    ``rate = met / (met + breached + open_breached)``: open clocks already past their target
    count as breaches; open clocks within target (``open_within``) are undecided and left out.
    """

    period: Period
    group: Group
    metric: str
    met: int
    breached: int
    open_breached: int
    open_within: int
    rate: ProportionEstimate | None

    @property
    def denominator(self) -> int:
        """``met + breached + open_breached``."""
        return self.met + self.breached + self.open_breached


@attrs.frozen(kw_only=True)
class Satisfaction:
    """CSAT (top-2-box share of 1-5 answers, Wilson interval) and NPS (adjusted Wald) of one
    period and group. ``csat_counts[i]`` counts the answers ``i + 1``."""

    period: Period
    group: Group
    csat_counts: tuple[int, int, int, int, int]
    nps_counts: NpsCounts
    csat: ProportionEstimate | None
    nps: NpsResult | None


@attrs.frozen(kw_only=True)
class Diagnostics:
    """What the stream saw: events, tickets opened, tickets in flight at the report instant
    (not closed nor cancelled: the per-ticket records memory holds), events for tickets never
    opened in the stream (ignored), and events recorded earlier than their ticket's previous
    event (timed at it)."""

    events: int
    tickets: int
    in_flight: int
    orphan_events: int
    reordered_events: int


@attrs.frozen(kw_only=True)
class KpiReport:
    """Every figure of a report, as plain frozen data (render with :func:`render_markdown`
    or :func:`render_csv`). Figures of each period are followed by the whole range, labelled
    ``"all"``; when the spec groups, the group ``()`` holds the figures of all groups."""

    spec: ReportSpec
    as_of: dt.datetime
    periods: tuple[Period, ...]
    tickets: tuple[TicketCount, ...]
    breakdowns: tuple[Breakdown, ...]
    durations: tuple[DurationResult, ...]
    rates: tuple[RateResult, ...]
    backlog: tuple[BacklogPoint, ...]
    flows: tuple[Flow, ...]
    sla: tuple[Compliance, ...]
    satisfaction: tuple[Satisfaction, ...]
    diagnostics: Diagnostics

    def duration(self, kpi: str, period: str = ALL_PERIODS, group: Group = ()) -> DurationResult:
        """The result of duration KPI ``kpi`` for a period label and group.

        Raises ValidationError when the report has no such result.
        """
        return _found("duration", find(self.durations, kpi, period, group), kpi, period, group)

    def rate(self, kpi: str, period: str = ALL_PERIODS, group: Group = ()) -> RateResult:
        """The result of rate KPI ``kpi`` for a period label and group.

        Raises ValidationError when the report has no such result.
        """
        return _found("rate", find(self.rates, kpi, period, group), kpi, period, group)


_Result = TypeVar("_Result", DurationResult, RateResult)


def find(results: Iterable[_Result], kpi: str, period: str, group: Group) -> _Result | None:
    """The result of KPI ``kpi`` for a period label and group among ``results``, or None."""
    for result in results:
        if (result.kpi.name, result.period.label, result.group) == (kpi, period, group):
            return result
    return None


def _found(kind: str, result: _Result | None, kpi: str, period: str, group: Group) -> _Result:
    if result is None:
        message = (
            f"no {kind} result {shown(kpi)} for period {shown(period)} and group {shown(group)}"
        )
        raise ValidationError("KpiReport", [Problem("kpi", message)])
    return result
