"""Before and after: did a KPI change, by how much, and how sure can we be?"""

from __future__ import annotations

import attrs

from itsm_core.errors import InsufficientData, Problem, ValidationError
from itsm_core.improvement._measurement import Direction, KpiKind, Measurement
from itsm_core.stats import Difference, difference_of_proportions, welch_from_summaries


@attrs.frozen(kw_only=True)
class BeforeAfter:
    """A KPI before and after a change.

    Attributes:
        before, after: the two measurements (same KPI definition).
        direction: which way is better.
        change: ``after.value − before.value``.
        difference: the comparison ``after − before`` with its interval and test, from
            :mod:`itsm_core.stats` (Newcombe's interval for proportions, Welch's for
            means); None for plain values, or for means without standard deviations.
    """

    before: Measurement
    after: Measurement
    direction: Direction
    change: float
    difference: Difference | None

    def __attrs_post_init__(self) -> None:
        if not self.before.same_definition(self.after):
            raise ValidationError("BeforeAfter", [_definition_problem(self.before, self.after)])

    @property
    def improvement(self) -> float:
        """The change signed so that positive is better."""
        return self.direction.better(self.change)

    @property
    def relative_change(self) -> float | None:
        """``change / before.value``; None when the baseline is 0."""
        return None if self.before.value == 0 else self.change / self.before.value

    @property
    def significant(self) -> bool | None:
        """True when the interval of ``after − before`` excludes 0; None without an interval."""
        if self.difference is None:
            return None
        return not self.difference.interval.contains(0.0)

    @property
    def improved(self) -> bool | None:
        """True when the change is better and its interval excludes 0; None without interval."""
        significant = self.significant
        if significant is None:
            return None
        return significant and self.improvement > 0


def compare(
    before: Measurement,
    after: Measurement,
    *,
    direction: Direction,
    confidence: float = 0.95,
) -> BeforeAfter:
    """Compare two measurements of one KPI: ``after − before`` with an interval.

    Proportions use :func:`itsm_core.stats.difference_of_proportions` (Newcombe's hybrid
    score interval, a pooled z-test); means with standard deviations use
    :func:`itsm_core.stats.welch_from_summaries` (Welch). Plain values get the change
    without an interval.

    Raises:
        ValidationError: the measurements do not share a KPI definition.
        InsufficientData: a mean from fewer than 2 observations.

    >>> import datetime as dt
    >>> def week(day):
    ...     start = dt.datetime(2026, 3, day, tzinfo=dt.UTC)
    ...     return dict(period_start=start, period_end=start + dt.timedelta(days=7))
    >>> before = Measurement.proportion("sla_breach_rate", 30, 200, **week(2))
    >>> after = Measurement.proportion("sla_breach_rate", 12, 200, **week(23))
    >>> result = compare(before, after, direction=Direction.LOWER_IS_BETTER)
    >>> round(result.change, 2), result.improved
    (-0.09, True)
    """
    if not before.same_definition(after):
        raise ValidationError("compare", [_definition_problem(before, after)])
    difference: Difference | None = None
    if before.kind is KpiKind.PROPORTION:
        assert before.successes is not None
        assert after.successes is not None
        difference = difference_of_proportions(
            after.successes, after.n, before.successes, before.n, confidence=confidence
        )
    elif before.kind is KpiKind.MEAN:
        for name, m in (("before", before), ("after", after)):
            if m.n < 2 or m.standard_deviation is None:
                raise InsufficientData(
                    "compare",
                    [Problem(name, f"a mean of n = {m.n} without a standard deviation")],
                )
        assert before.standard_deviation is not None
        assert after.standard_deviation is not None
        difference = welch_from_summaries(
            (after.n, after.value, after.standard_deviation),
            (before.n, before.value, before.standard_deviation),
            confidence=confidence,
        )
    return BeforeAfter(
        before=before,
        after=after,
        direction=direction,
        change=after.value - before.value,
        difference=difference,
    )


def _definition_problem(before: Measurement, after: Measurement) -> Problem:
    return Problem(
        "after",
        f"measures {after.kpi!r} ({after.kind.value}, unit {after.unit!r}), not "
        f"{before.kpi!r} ({before.kind.value}, unit {before.unit!r})",
    )
