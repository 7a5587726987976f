"""What a KPI report computes: periods, KPI definitions, groups, breakdowns, windows, buckets."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from itsm_core._plain import as_mapping, as_seconds, read_list, shown
from itsm_core.errors import InvalidKpiDefinition, Problem
from itsm_core.metrics._definitions import (
    STANDARD_KPIS,
    Dimension,
    DurationKpi,
    Kpi,
    TimeBasis,
    kpi_from_dict,
)
from itsm_core.metrics._periods import PeriodGrid

#: Default backlog age buckets: up to 1 day, 3 days, 7 days, 30 days, older.
DEFAULT_AGE_BUCKETS = tuple(dt.timedelta(days=d) for d in (1, 3, 7, 30))
_DIMENSIONS_BROKEN_DOWN = (
    Dimension.KIND,
    Dimension.CHANNEL,
    Dimension.CATEGORY,
    Dimension.PRIORITY,
)


def _tuple(values: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(values)


@attrs.frozen(kw_only=True)
class ReportSpec:
    """The definition of a KPI report.

    Attributes:
        periods: the reporting periods; a ticket belongs to the period it was *opened* in
            (a cohort), SLA outcomes and survey answers to the period of their ``at``.
        kpis: the duration and rate KPIs (names unique).
        group_by: the dimensions every KPI is split by (empty: one group, ``"all"``).
        breakdowns: the dimensions ticket counts are broken down by, one at a time.
        reopen_window: a reopen counts for the reopen rate when it comes this soon after the
            resolution it undoes.
        age_buckets: upper bounds of the backlog age buckets (strictly increasing); the last
            bucket is "older".
    """

    periods: PeriodGrid
    kpis: tuple[Kpi, ...] = attrs.field(default=STANDARD_KPIS, converter=_tuple)
    group_by: tuple[Dimension, ...] = attrs.field(default=(), converter=_tuple)
    breakdowns: tuple[Dimension, ...] = attrs.field(
        default=_DIMENSIONS_BROKEN_DOWN, converter=_tuple
    )
    reopen_window: dt.timedelta = dt.timedelta(days=7)
    age_buckets: tuple[dt.timedelta, ...] = attrs.field(
        default=DEFAULT_AGE_BUCKETS, converter=_tuple
    )

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        names = [k.name for k in self.kpis]
        problems.extend(
            Problem(f"kpis[{i}].name", f"duplicate KPI name {shown(name)}")
            for i, name in enumerate(names)
            if name in names[:i]
        )
        for field, values in (("group_by", self.group_by), ("breakdowns", self.breakdowns)):
            problems.extend(
                Problem(f"{field}[{i}]", f"{shown(value)} is repeated")
                for i, value in enumerate(values)
                if value in values[:i]
            )
        if self.reopen_window <= dt.timedelta(0):
            problems.append(Problem("reopen_window", "must be positive"))
        buckets = self.age_buckets
        if any(b <= dt.timedelta(0) for b in buckets) or any(
            a >= b for a, b in itertools.pairwise(buckets)
        ):
            problems.append(Problem("age_buckets", "must be positive and strictly increasing"))
        if problems:
            raise InvalidKpiDefinition("report spec", problems)

    @property
    def needs_calendar(self) -> bool:
        """True when a KPI is measured in business time."""
        return any(isinstance(k, DurationKpi) and k.basis is TimeBasis.BUSINESS for k in self.kpis)

    def age_labels(self) -> tuple[str, ...]:
        """Labels of the age buckets (``<= 1 d``... ``> 30 d``)."""
        labels = [f"<= {_days(b)}" for b in self.age_buckets]
        labels.append(f"> {_days(self.age_buckets[-1])}" if self.age_buckets else "all")
        return tuple(labels)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-safe data; :meth:`from_dict` reads it back."""
        return {
            "periods": self.periods.to_dict(),
            "kpis": [k.to_dict() for k in self.kpis],
            "group_by": [d.value for d in self.group_by],
            "breakdowns": [d.value for d in self.breakdowns],
            "reopen_window_seconds": self.reopen_window.total_seconds(),
            "age_buckets_seconds": [b.total_seconds() for b in self.age_buckets],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ReportSpec:
        """Build from plain data; InvalidKpiDefinition lists every problem with its path."""
        problems: list[Problem] = []
        if as_mapping(data, "", problems) is None:
            raise InvalidKpiDefinition("report spec", problems)
        periods = None
        try:
            periods = PeriodGrid.from_dict(data.get("periods", {}))
        except InvalidKpiDefinition as error:
            problems.extend(error.problems)
        kpis = []
        standard = [k.to_dict() for k in STANDARD_KPIS]
        raw: Any
        for i, raw in enumerate(read_list(data, "kpis", "", problems, standard)):
            try:
                kpis.append(kpi_from_dict(raw, f"kpis[{i}]"))
            except InvalidKpiDefinition as error:
                problems.extend(error.problems)
        dims: dict[str, list[Dimension]] = {"group_by": [], "breakdowns": []}
        for field in dims:
            default = [] if field == "group_by" else [d.value for d in _DIMENSIONS_BROKEN_DOWN]
            for i, raw in enumerate(read_list(data, field, "", problems, default)):
                try:
                    dims[field].append(Dimension(raw))
                except ValueError:
                    problems.append(Problem(f"{field}[{i}]", f"unknown dimension {shown(raw)}"))
        window = data.get("reopen_window_seconds", 7 * 86400)
        default_buckets = [b.total_seconds() for b in DEFAULT_AGE_BUCKETS]
        buckets = read_list(data, "age_buckets_seconds", "", problems, default_buckets)
        numbers = [("reopen_window_seconds", window)] + [
            (f"age_buckets_seconds[{i}]", b) for i, b in enumerate(buckets)
        ]
        reopen_window, *age_buckets = (as_seconds(value) for _, value in numbers)
        problems.extend(
            Problem(path, f"not a number of seconds: {shown(value)}")
            for (path, value), seconds in zip(numbers, [reopen_window, *age_buckets], strict=True)
            if seconds is None
        )
        known = {
            "periods",
            "kpis",
            "group_by",
            "breakdowns",
            "reopen_window_seconds",
            "age_buckets_seconds",
        }
        problems.extend(Problem(key, "unknown key") for key in sorted(set(data) - known))
        if problems or periods is None or reopen_window is None:
            raise InvalidKpiDefinition("report spec", problems)
        return cls(
            periods=periods,
            kpis=kpis,
            group_by=dims["group_by"],
            breakdowns=dims["breakdowns"],
            reopen_window=reopen_window,
            age_buckets=[age for age in age_buckets if age is not None],
        )


def _days(delta: dt.timedelta) -> str:
    days = delta / dt.timedelta(days=1)
    return f"{days:g} d" if days >= 1 else f"{delta / dt.timedelta(hours=1):g} h"
