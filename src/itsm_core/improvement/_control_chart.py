"""The shared shape of a Shewhart control chart: points with their centre, sigma and limits."""

from __future__ import annotations

import enum
import math

import attrs

from itsm_core.improvement._run_rules import RuleSet, Signal, detect


class ChartKind(enum.StrEnum):
    """Which statistic a chart plots."""

    P = "p"
    """Fraction nonconforming per sample (SLA breaches, reopens, complaints per ticket)."""
    INDIVIDUALS = "individuals"
    """Individual values (the X of an XmR chart: MTTR per week, CSAT mean per week)."""
    MOVING_RANGE = "moving_range"
    """Moving ranges ``|x_i − x_(i−1)|`` (the mR of an XmR chart)."""


@attrs.frozen(kw_only=True)
class ChartPoint:
    """One plotted point with the centre line, sigma and 3-sigma limits that apply to it.

    ``lower`` is None when the chart has no lower limit there (a p chart whose
    ``p̄ − 3σ`` is not above 0; a moving-range chart); ``upper`` is None when the upper
    limit would be at or above the largest possible value (a p chart's 1). ``excluded`` points
    are plotted but were left out when the centre line and limits were estimated (Phase I).
    """

    index: int
    value: float
    centre: float
    sigma: float
    lower: float | None
    upper: float | None
    excluded: bool = False

    @property
    def z(self) -> float:
        """``(value − centre) / sigma``; ±inf off a zero-width chart, 0 on it."""
        if self.sigma > 0:
            return (self.value - self.centre) / self.sigma
        if self.value == self.centre:
            return 0.0
        return math.copysign(math.inf, self.value - self.centre)

    @property
    def beyond_limits(self) -> bool:
        """True when the point is on or beyond a control limit (the Minitab convention)."""
        return (self.upper is not None and self.value >= self.upper) or (
            self.lower is not None and self.value <= self.lower
        )


@attrs.frozen(kw_only=True)
class ControlChart:
    """A control chart: its kind, centre line, points, and the points left out of estimation."""

    kind: ChartKind
    centre: float
    points: tuple[ChartPoint, ...]

    @property
    def excluded(self) -> tuple[int, ...]:
        """Indices of the points left out when the limits were estimated."""
        return tuple(p.index for p in self.points if p.excluded)

    @property
    def out_of_control(self) -> tuple[int, ...]:
        """Indices of the points on or beyond a control limit."""
        return tuple(p.index for p in self.points if p.beyond_limits)

    @property
    def upper(self) -> tuple[float | None, ...]:
        """The upper limit at each point (they differ when sample sizes differ)."""
        return tuple(p.upper for p in self.points)

    @property
    def lower(self) -> tuple[float | None, ...]:
        """The lower limit at each point (None where the chart has none)."""
        return tuple(p.lower for p in self.points)

    def z_scores(self) -> tuple[float, ...]:
        """Each point's ``(value − centre) / sigma``, the input of the run rules."""
        return tuple(p.z for p in self.points)

    def signals(self, rule_set: RuleSet) -> tuple[Signal, ...]:
        """The run-rule signals of ``rule_set`` on this chart (see :func:`detect`).

        Zone rules assume a roughly normal statistic; on attribute charts with small
        ``n·p̄`` prefer the limits alone (rule 1).
        """
        return detect(self.z_scores(), rule_set)
