"""Agent and team scorecards: KPIs weighed into the four appraisal dimensions.

The customer-service standards appraise people and teams on work quality, attitude, ability
and output. A :class:`Scorecard` is data: each dimension has a weight and items; each item
scores one KPI of a report against a target on 0-100 (``100 * value / target`` when higher is
better, ``100 * target / value`` when lower is better, capped at 100). A dimension's score is
the weighted mean of its items with data; the total is the weighted mean of the dimensions
with data. Items without data are listed, never scored as 0.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from itsm_core._plain import as_mapping, is_number, read_list, shown
from itsm_core.errors import InvalidKpiDefinition, Problem
from itsm_core.metrics._definitions import Statistic
from itsm_core.metrics._results import ALL_PERIODS, KpiReport

_HOUR = dt.timedelta(hours=1)
#: The four appraisal dimensions of the standards.
APPRAISAL_DIMENSIONS = ("work_quality", "attitude", "ability", "output")


@attrs.frozen(kw_only=True)
class ScoreItem:
    """One KPI scored against a target.

    ``kpi`` is a rate or duration KPI name of the report, ``"tickets"`` (tickets opened) or
    ``"csat"`` (top-2-box share). Rates and CSAT are read in percent, durations in hours with
    ``statistic``; ``count=True`` reads a rate's success count instead (resolved tickets as
    output).
    """

    kpi: str
    target: float
    weight: float = 1.0
    higher_is_better: bool = True
    statistic: Statistic = Statistic.MEDIAN
    count: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "kpi": self.kpi,
            "target": self.target,
            "weight": self.weight,
            "higher_is_better": self.higher_is_better,
            "statistic": self.statistic.value,
            "count": self.count,
        }


def _items(values: Iterable[ScoreItem]) -> tuple[ScoreItem, ...]:
    return tuple(values)


@attrs.frozen(kw_only=True)
class ScoreDimension:
    """A weighted appraisal dimension and its items."""

    name: str
    weight: float
    items: tuple[ScoreItem, ...] = attrs.field(converter=_items)


def _dimensions(values: Iterable[ScoreDimension]) -> tuple[ScoreDimension, ...]:
    return tuple(values)


def _listed(
    table: Mapping[str, object] | None, key: str, path: str, problems: list[Problem]
) -> list[object]:
    """``table[key]`` when it is a list (empty when absent); else [] and a problem."""
    return [] if table is None else read_list(table, key, path, problems)


def _positive(value: object) -> bool:
    return is_number(value) and value > 0


@attrs.frozen(kw_only=True)
class ItemScore:
    """One item's value and score (None when the report has no data for it)."""

    item: ScoreItem
    value: float | None
    score: float | None


@attrs.frozen(kw_only=True)
class DimensionScore:
    """A dimension's weighted score (None when none of its items has data)."""

    name: str
    weight: float
    score: float | None
    items: tuple[ItemScore, ...]


@attrs.frozen(kw_only=True)
class ScorecardResult:
    """The scorecard of one group (an agent, a team) in one period."""

    group: tuple[str, ...]
    period: str
    total: float | None
    dimensions: tuple[DimensionScore, ...]

    @property
    def missing(self) -> tuple[str, ...]:
        """The KPIs that had no data (left out of the weighting)."""
        return tuple(i.item.kpi for d in self.dimensions for i in d.items if i.score is None)


@attrs.frozen(kw_only=True)
class Scorecard:
    """Weighted KPIs in appraisal dimensions; validated when built, read from plain data."""

    dimensions: tuple[ScoreDimension, ...] = attrs.field(converter=_dimensions)

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        if not self.dimensions:
            problems.append(Problem("dimensions", "give at least one"))
        names = [d.name for d in self.dimensions]
        for i, dimension in enumerate(self.dimensions):
            path = f"dimensions[{i}]"
            if not dimension.name or dimension.name in names[:i]:
                problems.append(
                    Problem(f"{path}.name", f"empty or repeated: {shown(dimension.name)}")
                )
            if not _positive(dimension.weight):
                problems.append(
                    Problem(f"{path}.weight", f"not positive: {shown(dimension.weight)}")
                )
            if not dimension.items:
                problems.append(Problem(f"{path}.items", "give at least one"))
            for j, item in enumerate(dimension.items):
                problems.extend(
                    Problem(
                        f"{path}.items[{j}].{name}", f"not positive: {shown(getattr(item, name))}"
                    )
                    for name in ("weight", "target")
                    if not _positive(getattr(item, name))
                )
                if not item.kpi:
                    problems.append(Problem(f"{path}.items[{j}].kpi", "must not be empty"))
        if problems:
            raise InvalidKpiDefinition("scorecard", problems)

    def to_dict(self) -> dict[str, Any]:
        """Plain data; :meth:`from_dict` reads it back."""
        return {
            "dimensions": [
                {"name": d.name, "weight": d.weight, "items": [i.to_dict() for i in d.items]}
                for d in self.dimensions
            ]
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Scorecard:
        """Build from plain data; InvalidKpiDefinition lists every problem with its path."""
        problems: list[Problem] = []
        dimensions = []
        top = as_mapping(data, "", problems)
        for i, raw in enumerate(_listed(top, "dimensions", "", problems)):
            where = f"dimensions[{i}]"
            dimension: Mapping[str, Any] | None = as_mapping(raw, where, problems)
            if dimension is None:
                continue
            items = []
            for j, raw_item in enumerate(_listed(dimension, "items", where, problems)):
                path = f"{where}.items[{j}]"
                item: Mapping[str, Any] | None = as_mapping(raw_item, path, problems)
                if item is None:
                    continue
                raw_statistic = item.get("statistic", "median")
                if raw_statistic not in [s.value for s in Statistic]:  # text only, by equality
                    problems.append(Problem(f"{path}.statistic", shown(raw_statistic)))
                    continue
                statistic = Statistic(raw_statistic)
                unknown = set(item) - set(attrs.fields_dict(ScoreItem))
                problems.extend(Problem(f"{path}.{k}", "unknown key") for k in sorted(unknown))
                kpi = item.get("kpi", "")
                if not isinstance(kpi, str):
                    problems.append(
                        Problem(f"{path}.kpi", f"expected a KPI name, got {shown(kpi)}")
                    )
                    continue
                items.append(
                    ScoreItem(
                        kpi=kpi,
                        target=item.get("target", 0),
                        weight=item.get("weight", 1.0),
                        higher_is_better=bool(item.get("higher_is_better", True)),
                        statistic=statistic,
                        count=bool(item.get("count", False)),
                    )
                )
            name = dimension.get("name", "")
            if not isinstance(name, str):
                problems.append(Problem(f"{where}.name", f"expected a name, got {shown(name)}"))
                continue
            dimensions.append(
                ScoreDimension(name=name, weight=dimension.get("weight", 0), items=items)
            )
        try:
            scorecard = cls(dimensions=dimensions)
        except InvalidKpiDefinition as error:
            problems.extend(error.problems)
        if problems:
            raise InvalidKpiDefinition("scorecard", problems)
        return scorecard

    def score(self, report: KpiReport, period: str = ALL_PERIODS) -> tuple[ScorecardResult, ...]:
        """The scorecard of every group of ``report`` in ``period`` (group the report by
        assignee or assignment group to appraise agents or teams)."""
        groups = sorted({c.group for c in report.tickets if c.period.label == period})
        return tuple(self._score(report, period, group) for group in groups)

    def _score(self, report: KpiReport, period: str, group: tuple[str, ...]) -> ScorecardResult:
        dimensions = []
        for dimension in self.dimensions:
            items = []
            for item in dimension.items:
                value = _value(report, item, period, group)
                items.append(ItemScore(item=item, value=value, score=_item_score(item, value)))
            dimensions.append(
                DimensionScore(
                    name=dimension.name,
                    weight=dimension.weight,
                    score=_weighted([(i.item.weight, i.score) for i in items]),
                    items=tuple(items),
                )
            )
        total = _weighted([(d.weight, d.score) for d in dimensions])
        return ScorecardResult(
            group=group, period=period, total=total, dimensions=tuple(dimensions)
        )


def _weighted(pairs: list[tuple[float, float | None]]) -> float | None:
    scored = [(w, s) for w, s in pairs if s is not None]
    if not scored:
        return None
    return math.fsum(w * s for w, s in scored) / math.fsum(w for w, _ in scored)


def _item_score(item: ScoreItem, value: float | None) -> float | None:
    if value is None:
        return None
    if item.higher_is_better:
        return min(100.0, 100.0 * value / item.target)
    return 100.0 if value <= item.target else 100.0 * item.target / value


def _value(report: KpiReport, item: ScoreItem, period: str, group: tuple[str, ...]) -> float | None:
    return report_value(report, item.kpi, period, group, statistic=item.statistic, count=item.count)


def report_value(
    report: KpiReport,
    kpi: str,
    period: str,
    group: tuple[str, ...],
    *,
    statistic: Statistic = Statistic.MEDIAN,
    count: bool = False,
) -> float | None:
    """The figure a scorecard item or a KPI target reads in ``report``: a rate or CSAT in
    percent, a duration in hours (its ``statistic``), ``"tickets"`` as the tickets opened,
    a rate's success count with ``count``; None without data."""

    def here(result_period: str, result_group: tuple[str, ...]) -> bool:
        return (result_period, result_group) == (period, group)

    if kpi == "tickets":
        counts = [c.tickets for c in report.tickets if here(c.period.label, c.group)]
        return float(counts[0]) if counts else None
    if kpi == "csat":
        for s in report.satisfaction:
            if here(s.period.label, s.group) and s.csat is not None:
                return s.csat.percent
        return None
    for rate in report.rates:
        if rate.kpi.name == kpi and here(rate.period.label, rate.group):
            if count:
                return float(rate.successes)
            return None if rate.estimate is None else rate.estimate.percent
    for duration in report.durations:
        if duration.kpi.name == kpi and here(duration.period.label, duration.group):
            value = duration.value(statistic)
            return None if value is None else value / _HOUR
    return None


#: An example scorecard with the spec's four dimensions as the spec defines them (targets are
#: illustrative): work quality holds satisfaction and response speed; attitude, the care shown
#: (few reopened tickets); ability, first-contact resolution, resolution time and escalations;
#: output, the complaint rate and the service count (resolved tickets).
EXAMPLE_SCORECARD = Scorecard(
    dimensions=(
        ScoreDimension(
            name="work_quality",
            weight=0.3,
            items=(
                ScoreItem(kpi="csat", target=90.0),
                ScoreItem(kpi="time_to_first_response", target=1.0, higher_is_better=False),
            ),
        ),
        ScoreDimension(
            name="attitude",
            weight=0.2,
            items=(ScoreItem(kpi="reopen_rate", target=5.0, higher_is_better=False),),
        ),
        ScoreDimension(
            name="ability",
            weight=0.3,
            items=(
                ScoreItem(kpi="first_contact_resolution", target=70.0),
                ScoreItem(kpi="time_to_resolve", target=24.0, higher_is_better=False),
                ScoreItem(kpi="escalation_rate", target=10.0, higher_is_better=False),
            ),
        ),
        ScoreDimension(
            name="output",
            weight=0.2,
            items=(
                ScoreItem(kpi="complaint_rate", target=2.0, higher_is_better=False),
                ScoreItem(kpi="resolution_rate", target=20.0, count=True),
            ),
        ),
    )
)
