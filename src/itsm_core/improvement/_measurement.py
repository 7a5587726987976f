"""The measured value of a KPI over a period: what baselines, targets and Check results compare."""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Iterable

import attrs

from itsm_core._checks import check_aware_fields, is_int
from itsm_core._plain import is_number, shown
from itsm_core.errors import Problem, ValidationError

# A proportion's count is recovered as round(value * n); the product must be this close to it.
_COUNT_TOLERANCE = 1e-9


class KpiKind(enum.StrEnum):
    """What kind of number a KPI is; it decides how two measurements are compared."""

    PROPORTION = "proportion"
    """A rate ``successes / n`` in 0..1 (SLA compliance, reopen rate, complaint share...)."""
    MEAN = "mean"
    """The mean of ``n`` observations, with their standard deviation (MTTR, CSAT mean...)."""
    VALUE = "value"
    """Any other figure (a count, a backlog): compared by difference, without an interval."""


class Direction(enum.StrEnum):
    """Which way is better for a KPI."""

    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"

    def better(self, change: float) -> float:
        """``change`` signed so that positive means better."""
        return change if self is Direction.HIGHER_IS_BETTER else -change


def _is_count(value: object, minimum: int = 0) -> bool:
    return is_int(value) and value >= minimum


def _name(value: object) -> bool:
    return isinstance(value, str) and bool(value)


@attrs.frozen(kw_only=True)
class Measurement:
    """The value of one KPI over one period, with its n: a baseline, a Check result.

    The KPI module produces these; anything else may too. Two measurements are comparable when
    they share the KPI name, the kind and the unit (:meth:`same_definition`).

    Attributes:
        kpi: the KPI name (``"complaint_rate"``).
        value: the measured value; for a proportion, in 0..1.
        n: the number of observations behind it (tickets, responses, periods), at least 1.
        period_start, period_end: the measured period, aware, ``start < end``.
        kind: proportion, mean or plain value.
        unit: the unit of ``value`` (``"h"``, ``"tickets"``; empty for a proportion).
        standard_deviation: the sample standard deviation of the observations (means only);
            needed to compare two means with an interval.

    >>> import datetime as dt
    >>> week = dict(period_start=dt.datetime(2026, 3, 2, tzinfo=dt.UTC),
    ...             period_end=dt.datetime(2026, 3, 9, tzinfo=dt.UTC))
    >>> m = Measurement.proportion("reopen_rate", 12, 240, **week)
    >>> m.value, m.successes, m.kind.value
    (0.05, 12, 'proportion')
    """

    kpi: str
    value: float
    n: int
    period_start: dt.datetime
    period_end: dt.datetime
    kind: KpiKind = KpiKind.VALUE
    unit: str = ""
    standard_deviation: float | None = None

    def __attrs_post_init__(self) -> None:
        check_aware_fields(self, "period_start", "period_end")
        problems: list[Problem] = []
        if not _name(self.kpi):
            problems.append(Problem("kpi", "must be a non-empty name"))
        if type(self.kind) is not KpiKind:
            problems.append(Problem("kind", f"{self.kind!r} is not a KpiKind"))
        if not _is_count(self.n, 1):
            problems.append(Problem("n", f"must be an integer >= 1, got {shown(self.n)}"))
        if not is_number(self.value):
            problems.append(Problem("value", f"must be a finite number, got {shown(self.value)}"))
        elif self.kind is KpiKind.PROPORTION and _is_count(self.n, 1):
            problems.extend(_proportion_problems(self.value, self.n))
        if self.period_start >= self.period_end:
            problems.append(
                Problem("period_end", f"{self.period_end} is not after {self.period_start}")
            )
        sd = self.standard_deviation
        if sd is not None:
            if self.kind is not KpiKind.MEAN:
                problems.append(Problem("standard_deviation", "only a mean has one"))
            elif not is_number(sd) or sd < 0:
                problems.append(
                    Problem("standard_deviation", f"must be finite and >= 0: {shown(sd)}")
                )
        if problems:
            raise ValidationError(f"measurement {self.kpi!r}", problems)

    @classmethod
    def proportion(
        cls,
        kpi: str,
        successes: int,
        n: int,
        *,
        period_start: dt.datetime,
        period_end: dt.datetime,
    ) -> Measurement:
        """A rate from its counts: ``successes`` of ``n``."""
        problems = []
        for name, count in (("successes", successes), ("n", n)):
            if not _is_count(count):
                problems.append(Problem(name, f"must be an integer count, got {shown(count)}"))
        if not problems and successes > n:
            problems.append(Problem("successes", f"{successes} is more than n = {n}"))
        if not problems and n == 0:
            problems.append(Problem("n", "no observations: a rate over nothing is undefined"))
        if problems:
            raise ValidationError(f"measurement {kpi!r}", problems)
        return cls(
            kpi=kpi,
            value=successes / n,
            n=n,
            period_start=period_start,
            period_end=period_end,
            kind=KpiKind.PROPORTION,
        )

    @classmethod
    def mean_of(
        cls,
        kpi: str,
        values: Iterable[float],
        *,
        period_start: dt.datetime,
        period_end: dt.datetime,
        unit: str = "",
    ) -> Measurement:
        """The mean of ``values`` with their sample standard deviation (None for one value)."""
        data = list(values)
        bad = [
            Problem(f"values[{i}]", f"not a finite number: {shown(v)}")
            for i, v in enumerate(data)
            if not is_number(v)
        ]
        if not data:
            bad.append(Problem("values", "no values: a mean over nothing is undefined"))
        if bad:
            raise ValidationError(f"measurement {kpi!r}", bad)
        n = len(data)
        mean = math.fsum(data) / n
        sd = math.sqrt(math.fsum((v - mean) ** 2 for v in data) / (n - 1)) if n > 1 else None
        return cls(
            kpi=kpi,
            value=mean,
            n=n,
            period_start=period_start,
            period_end=period_end,
            kind=KpiKind.MEAN,
            unit=unit,
            standard_deviation=sd,
        )

    @property
    def successes(self) -> int | None:
        """For a proportion, the count ``value * n``; None for other kinds."""
        if self.kind is not KpiKind.PROPORTION:
            return None
        return round(self.value * self.n)

    def same_definition(self, other: Measurement) -> bool:
        """True when ``other`` measures the same KPI: same name, kind and unit."""
        return (self.kpi, self.kind, self.unit) == (other.kpi, other.kind, other.unit)

    def describe(self) -> str:
        """A short human reading: ``"reopen_rate 5.0% (n=240)"``."""
        if self.kind is KpiKind.PROPORTION:
            figure = f"{100 * self.value:.1f}%"
        else:
            figure = f"{self.value:g}" + (f" {self.unit}" if self.unit else "")
        return f"{self.kpi} {figure} (n={self.n})"


def _proportion_problems(value: float, n: int) -> list[Problem]:
    if not 0.0 <= value <= 1.0:
        return [Problem("value", f"a proportion must lie in 0..1, got {value!r}")]
    count = value * n
    if abs(count - round(count)) > _COUNT_TOLERANCE * max(n, 1):
        return [Problem("value", f"{value!r} x n = {count!r} is not a whole count")]
    return []
