"""KPI targets: a figure of a report held to a bound (at most, at least), checked, alerted on.

The customer-service standards set some targets on averages and shares, not on each ticket: a
complaint is answered within 24 h *on average* and complaint satisfaction is at least 90 %
(平均响应时间24小时内, 满意度90%以上). A :class:`KpiTarget` says which figure of a
:class:`KpiReport` it holds to which bound; :func:`check_targets` reads them all and says, for
each, met, missed (an alert) or no data.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import attrs

from itsm_core._plain import shown
from itsm_core.errors import InvalidKpiDefinition, Problem
from itsm_core.metrics._definitions import Statistic
from itsm_core.metrics._results import ALL_PERIODS, KpiReport
from itsm_core.metrics._scorecard import report_value


def _group(values: Iterable[str]) -> tuple[str, ...]:
    """A list or tuple as a tuple; anything else (a bare string) kept, for the check to refuse."""
    return tuple(values) if isinstance(values, list | tuple) else values  # type: ignore[return-value]


def _bound_problem(name: str, value: object) -> Problem | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return Problem(name, f"expected a finite number, got {shown(value)}")
    if value < 0:
        return Problem(name, f"{value} is negative")
    return None


@attrs.frozen(kw_only=True)
class KpiTarget:
    """A bound on one figure of a report: ``at_most`` (lower is better) or ``at_least``.

    ``kpi`` is a duration or rate KPI name of the report, ``"csat"`` (top-2-box share) or
    ``"tickets"``; durations are read in hours with ``statistic`` (the mean by default), rates
    and CSAT in percent. ``group`` is the report group the figure is read in (``("complaint",)``
    in a report grouped by kind; ``()`` for a report without groups). ``clause`` quotes the
    standard the target comes from.

    >>> target = KpiTarget(name="average_response", kpi="time_to_first_response", at_most=24)
    >>> target.describe()
    'average_response: time_to_first_response <= 24'
    """

    name: str
    kpi: str
    at_most: float | None = None
    at_least: float | None = None
    statistic: Statistic = Statistic.MEAN
    group: tuple[str, ...] = attrs.field(default=(), converter=_group)
    clause: str = ""

    def __attrs_post_init__(self) -> None:
        problems = [
            Problem(name, "must not be blank")
            for name in ("name", "kpi")
            if not isinstance(getattr(self, name), str) or not getattr(self, name).strip()
        ]
        problems.extend(
            problem
            for name in ("at_most", "at_least")
            if (problem := _bound_problem(name, getattr(self, name))) is not None
        )
        statistic: object = self.statistic
        if not isinstance(statistic, Statistic):
            choices = ", ".join(s.value for s in Statistic)
            problems.append(Problem("statistic", f"{shown(statistic)} is not one of {choices}"))
        group: object = self.group
        if not isinstance(group, tuple) or not all(isinstance(value, str) for value in group):
            problems.append(Problem("group", f"expected group values (text), got {self.group!r}"))
        if (self.at_most is None) == (self.at_least is None):
            problems.append(Problem("at_most", "give exactly one of at_most and at_least"))
        if problems:
            raise InvalidKpiDefinition(f"KPI target {shown(self.name)}", problems)

    def describe(self, unit: str = "") -> str:
        """One line: what is held to which bound (``unit`` after the bound, as read)."""
        where = f" in {'/'.join(self.group)}" if self.group else ""
        bound = f"<= {self.at_most:g}" if self.at_most is not None else f">= {self.at_least:g}"
        return f"{self.name}: {self.kpi}{where} {bound}{unit}"

    @property
    def bound(self) -> float:
        """The figure the target holds to: ``at_most`` or ``at_least``, whichever is set."""
        return self.at_most if self.at_most is not None else (self.at_least or 0.0)

    def met_by(self, figure: float) -> bool:
        """True when ``figure`` (in the target's unit) meets the bound."""
        return figure <= self.bound if self.at_most is not None else figure >= self.bound

    def check(self, report: KpiReport, period: str = ALL_PERIODS) -> TargetCheck:
        """Read the figure in ``report`` (``period``, the target's group) and judge it."""
        value = report_value(report, self.kpi, period, self.group, statistic=self.statistic)
        met = None if value is None else self.met_by(value)
        if any(result.kpi.name == self.kpi for result in report.durations):
            unit = f" h ({self.statistic.value})"
        else:
            unit = "" if self.kpi == "tickets" else "%"
        return TargetCheck(target=self, period=period, value=value, met=met, unit=unit)


@attrs.frozen(kw_only=True)
class TargetCheck:
    """One target judged in one period: the figure (None without data) and whether it met the
    bound (None without data). A missed target is an alert."""

    target: KpiTarget
    period: str
    value: float | None
    met: bool | None
    #: How the figure reads: ``" h (mean)"`` for a duration, ``"%"`` for a rate or CSAT.
    unit: str = ""

    @property
    def alert(self) -> bool:
        """True when the figure misses its target."""
        return self.met is False

    def describe(self) -> str:
        """One line, e.g. ``ALERT complaint_satisfaction: csat in complaint >= 90% (got 75.0%)
        [满意度90%以上]``."""
        word = {True: "met", False: "ALERT", None: "no data"}[self.met]
        got = "" if self.value is None else f" (got {self.value:.1f}{self.unit.split(' (')[0]})"
        clause = f" [{self.target.clause}]" if self.target.clause else ""
        return f"{word} {self.target.describe(self.unit)}{got}{clause}"


def check_targets(
    report: KpiReport, targets: Iterable[KpiTarget], period: str = ALL_PERIODS
) -> tuple[TargetCheck, ...]:
    """Every target judged in ``report`` for ``period`` (all periods by default), in order;
    ``[c for c in checks if c.alert]`` are the alerts."""
    return tuple(target.check(report, period) for target in targets)


#: The complaint targets of the customer-service standards, read in a report grouped by kind
#: (``ReportSpec(group_by=(Dimension.KIND,))``, survey answers carrying ``{"kind": ...}``):
#: the mean time to first response of complaints within 24 h (平均响应时间24小时内) and their
#: CSAT at least 90 % (满意度90%以上).
COMPLAINT_TARGETS: tuple[KpiTarget, ...] = (
    KpiTarget(
        name="complaint_average_response",
        kpi="time_to_first_response",
        at_most=24.0,
        group=("complaint",),
        clause="平均响应时间24小时内",
    ),
    KpiTarget(
        name="complaint_satisfaction",
        kpi="csat",
        at_least=90.0,
        group=("complaint",),
        clause="满意度90%以上",
    ),
)
