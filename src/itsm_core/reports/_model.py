"""The report as plain frozen data: headline KPIs, then breakdowns, then detail tables.

Keys, units and cell values are language-neutral (English keys, numbers as numbers); the
renderers translate them. Every table gives its rows as records and, with the ``dataframes``
extra, as a tidy pandas or polars DataFrame.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs

from itsm_core._plain import is_number, shown
from itsm_core.calls import IntervalKpis, plan_vs_actual
from itsm_core.errors import Problem, ValidationError
from itsm_core.metrics import KpiReport, KpiTarget, TargetCheck
from itsm_core.routing import StaffingPlan

if TYPE_CHECKING:  # pragma: no cover - the dataframes extra, imported on use
    import pandas
    import polars

#: What a table cell holds: text, a number, or nothing (no data).
Cell = str | int | float | None


@attrs.frozen
class Column:
    """One column of a :class:`ReportTable`.

    Attributes:
        key: the record key (English ``snake_case``), also the DataFrame column or measure.
        title: the heading's English text (a message id of the ``reports`` catalogue).
        unit: the unit of the column's numbers as data spells it (``"h"``, ``"%"``,
            ``"tickets"``...); ``"@<key>"`` when each row names its unit in column ``<key>``;
            empty for a column that identifies a row (period, KPI, unit...).
        terms: True when the cells are KPI, metric or term keys shown translated.
        digits: decimals shown for a float.
    """

    key: str
    title: str
    unit: str = ""
    terms: bool = False
    digits: int = 1


def _rows(values: Iterable[Iterable[Cell]]) -> tuple[tuple[Cell, ...], ...]:
    return tuple(tuple(row) for row in values)


def _columns(values: Iterable[Column]) -> tuple[Column, ...]:
    return tuple(values)


def _numbers(values: Iterable[float]) -> tuple[float, ...]:
    return tuple(values)


@attrs.frozen(kw_only=True)
class ReportTable:
    """A titled table: typed columns with units, rows of cells, an explanation line.

    >>> table = ReportTable(
    ...     key="demo",
    ...     title="Durations",
    ...     columns=(Column("kpi", "KPI", terms=True), Column("mean", "Mean", "h")),
    ...     rows=(("time_to_resolve", 7.5),),
    ... )
    >>> table.records()
    [{'kpi': 'time_to_resolve', 'mean': 7.5, 'mean_unit': 'h'}]
    >>> table.tidy()
    [{'kpi': 'time_to_resolve', 'measure': 'mean', 'value': 7.5, 'unit': 'h'}]
    """

    key: str
    title: str
    columns: tuple[Column, ...] = attrs.field(converter=_columns)
    rows: tuple[tuple[Cell, ...], ...] = attrs.field(converter=_rows)
    note: str = ""
    facts: tuple[tuple[str, str], ...] = ()
    """Values for the ``{fields}`` of ``title`` (``(("dimension", "category"),)``)."""

    def __attrs_post_init__(self) -> None:
        width = len(self.columns)
        keys = [c.key for c in self.columns]
        problems = [
            Problem(f"rows[{i}]", f"has {len(row)} cells for {width} columns")
            for i, row in enumerate(self.rows)
            if len(row) != width
        ]
        problems.extend(
            Problem(f"columns[{i}]", f"repeats the key {shown(key)}")
            for i, key in enumerate(keys)
            if key in keys[:i]
        )
        problems.extend(
            Problem(f"columns[{i}].unit", f"no column {c.unit[1:]!r} names the unit")
            for i, c in enumerate(self.columns)
            if c.unit.startswith("@") and c.unit[1:] not in keys
        )
        if problems:
            raise ValidationError(f"report table {shown(self.key)}", problems)

    def column(self, key: str) -> tuple[Cell, ...]:
        """The cells of column ``key``; ValidationError naming the columns if there is none."""
        for index, column in enumerate(self.columns):
            if column.key == key:
                return tuple(row[index] for row in self.rows)
        known = ", ".join(c.key for c in self.columns)
        raise ValidationError(
            f"report table {shown(self.key)}", [Problem("key", f"no column {key!r} ({known})")]
        )

    def unit(self, column: Column, row: tuple[Cell, ...]) -> str:
        """The unit of ``column`` in ``row`` (its own, or the one the row names)."""
        if not column.unit.startswith("@"):
            return column.unit
        cell = row[[c.key for c in self.columns].index(column.unit[1:])]
        return "" if cell is None else str(cell)

    def records(self) -> list[dict[str, Cell]]:
        """One dict per row; a column with a unit is followed by ``<key>_unit``."""
        out = []
        for row in self.rows:
            record: dict[str, Cell] = {}
            for column, cell in zip(self.columns, row, strict=True):
                record[column.key] = cell
                if column.unit and not column.unit.startswith("@"):
                    record[f"{column.key}_unit"] = column.unit
                elif column.unit:
                    record[f"{column.key}_unit"] = self.unit(column, row)
            out.append(record)
        return out

    def tidy(self) -> list[dict[str, Cell]]:
        """Long (tidy) records: the identifying columns, then one row per measured value with
        ``measure``, ``value`` and ``unit`` (durations in hours as numbers)."""
        ids = [(i, c) for i, c in enumerate(self.columns) if not c.unit]
        measures = [(i, c) for i, c in enumerate(self.columns) if c.unit]
        return [
            {
                **{c.key: row[i] for i, c in ids},
                "measure": column.key,
                "value": row[index],
                "unit": self.unit(column, row),
            }
            for row in self.rows
            for index, column in measures
        ]

    def to_pandas(self) -> pandas.DataFrame:
        """:meth:`tidy` as a pandas DataFrame (needs the ``dataframes`` extra)."""
        pd = _import("pandas")
        frame: pandas.DataFrame = pd.DataFrame.from_records(
            self.tidy(), columns=self._tidy_columns()
        )
        return frame

    def to_polars(self) -> polars.DataFrame:
        """:meth:`tidy` as a polars DataFrame (needs the ``dataframes`` extra)."""
        pl = _import("polars")
        records = self.tidy()
        data = {key: [record[key] for record in records] for key in self._tidy_columns()}
        data["value"] = [_float_if_number(value) for value in data["value"]]
        frame: polars.DataFrame = pl.DataFrame(
            data, schema_overrides={"value": pl.Float64}, strict=False
        )
        return frame

    def _tidy_columns(self) -> list[str]:
        return [c.key for c in self.columns if not c.unit] + ["measure", "value", "unit"]


def _float_if_number(value: Cell) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _import(name: str) -> Any:
    try:
        return __import__(name)
    except ImportError as error:
        raise ModuleNotFoundError(
            f"report tables as DataFrames need {name}: pip install 'itsm-core[dataframes]'",
            name=name,
        ) from error


class Better(enum.StrEnum):
    """Which way a KPI improves."""

    HIGHER = "higher"
    LOWER = "lower"


#: Targets the report uses unless told otherwise: 95 % of SLA clocks met, first contact
#: resolution at least 70 %, reopens at most 5 %, CSAT at least 85 %, NPS at least 30.
#: Each is a :class:`itsm_core.metrics.KpiTarget` on a headline KPI (:data:`HEADLINE_KPIS`), its
#: bound in the headline's unit (percent for rates, points for NPS).
DEFAULT_TARGETS: tuple[KpiTarget, ...] = (
    KpiTarget(name="resolution_compliance", kpi="resolution_compliance", at_least=95.0),
    KpiTarget(name="first_response_compliance", kpi="first_response_compliance", at_least=95.0),
    KpiTarget(name="first_contact_resolution", kpi="first_contact_resolution", at_least=70.0),
    KpiTarget(name="reopen_rate", kpi="reopen_rate", at_most=5.0),
    KpiTarget(name="csat", kpi="csat", at_least=85.0),
    KpiTarget(name="nps", kpi="nps", at_least=30.0),
)


@attrs.frozen(kw_only=True)
class Headline:
    """One headline KPI of the current period against its target and the previous period.

    ``value``, ``lower``, ``upper``, ``previous`` and ``change`` are in ``unit`` (``"%"``
    for rates, ``"h"`` for durations, ``"tickets"`` for counts, ``"points"`` for NPS);
    ``change`` is current minus previous (in percentage points for rates). ``p_value``
    comes from ``test`` (a two-proportion z-test for rates, Welch's z-test for mean
    durations); ``significant`` is ``p_value < alpha``, None without a test.
    """

    kpi: str
    unit: str
    better: Better
    value: float | None
    lower: float | None
    upper: float | None
    n: int
    target: KpiTarget | None
    previous: float | None
    change: float | None
    p_value: float | None
    test: str
    alpha: float

    @property
    def meets_target(self) -> bool | None:
        """True or False against the target; None without a target or a value."""
        if self.target is None or self.value is None:
            return None
        return self.target.met_by(self.value)

    @property
    def significant(self) -> bool | None:
        """True when the change is significant at ``alpha``; None without a test."""
        return None if self.p_value is None else self.p_value < self.alpha

    @property
    def improved(self) -> bool | None:
        """True when the change goes the better way; None without a change."""
        if self.change is None or self.change == 0:
            return None
        return (self.change > 0) == (self.better is Better.HIGHER)


@attrs.frozen(kw_only=True)
class StaffingActuals:
    """A staffing plan (:func:`itsm_core.routing.staffing_plan`) and the calls answered in
    each of its intervals, for the chart and table of plan against actual."""

    plan: StaffingPlan
    answered: tuple[float, ...] = attrs.field(converter=_numbers)

    def __attrs_post_init__(self) -> None:
        if len(self.answered) != len(self.plan.rows):
            message = f"{len(self.answered)} values for {len(self.plan.rows)} plan intervals"
            raise ValidationError("StaffingActuals", [Problem("answered", message)])
        bad = [
            Problem(f"answered[{i}]", f"not a count of calls: {shown(v)}")
            for i, v in enumerate(self.answered)
            if not is_number(v) or not v >= 0
        ]
        if bad:
            raise ValidationError("StaffingActuals", bad)

    @classmethod
    def from_calls(cls, plan: StaffingPlan, calls: Iterable[IntervalKpis]) -> StaffingActuals:
        """The plan with the calls answered in each of its intervals, read from the measured
        :class:`~itsm_core.calls.IntervalKpis` of the same starts.

        Raises:
            ValidationError: a planned interval has no measured figures, or is measured over
                another length (:func:`itsm_core.calls.plan_vs_actual`).
        """
        kpis = tuple(calls)
        plan_vs_actual(plan, kpis)  # every planned interval measured, over the same length
        answered = {k.start.astimezone(dt.UTC): k.answered for k in kpis}
        return cls(plan=plan, answered=[answered[r.start.astimezone(dt.UTC)] for r in plan.rows])


@attrs.frozen(kw_only=True)
class ServiceReport:
    """A report people look at: the summary (:attr:`headlines`) leads, then the breakdowns
    sorted by volume, then the detail tables; :attr:`reconciliation` (our figure, the source
    system's and the reason for each difference) shows when given.

    Build it with :func:`build_report`; show it with :func:`render_html` or
    :func:`render_report_markdown`; draw its charts with :func:`render_charts`.
    """

    source: str
    as_of: dt.datetime
    time_zone: str
    current: str
    previous: str | None
    alpha: float
    headlines: tuple[Headline, ...]
    breakdowns: tuple[ReportTable, ...]
    details: tuple[ReportTable, ...]
    definitions: tuple[str, ...]
    kpi: KpiReport = attrs.field(repr=False)
    complaint_types: tuple[tuple[str, int], ...] = ()
    staffing: StaffingActuals | None = None
    reconciliation: ReportTable | None = None
    checks: tuple[TargetCheck, ...] = ()
    """The targets checked (:data:`itsm_core.metrics.COMPLAINT_TARGETS`, follow-up coverage)
    that the report has data for, in order; :attr:`alerts` are the missed ones."""
    calls: tuple[IntervalKpis, ...] = ()
    """The hotline's measured intervals, earliest first (empty without call data)."""
    operations: tuple[ReportTable, ...] = ()
    """The tables of the hotline operations section: the period's figures (hotline and quality
    inspection), the calls by interval, the quality inspection by agent, each when given."""

    @property
    def alerts(self) -> tuple[TargetCheck, ...]:
        """The checked targets that are missed, in order."""
        return tuple(check for check in self.checks if check.alert)

    @property
    def summary(self) -> ReportTable:
        """The headline KPIs as a table."""
        from itsm_core.reports._tables import summary_table

        return summary_table(self.headlines)

    @property
    def targets(self) -> ReportTable | None:
        """The checked targets as a table (None when no target was checked)."""
        from itsm_core.reports._operations import targets_table

        return targets_table(self.checks) if self.checks else None

    @property
    def tables(self) -> tuple[ReportTable, ...]:
        """Every table in reading order: summary, targets, breakdowns, operations, details,
        reconciliation."""
        targets = () if self.targets is None else (self.targets,)
        extra = () if self.reconciliation is None else (self.reconciliation,)
        return (
            self.summary,
            *targets,
            *self.breakdowns,
            *self.operations,
            *self.details,
            *extra,
        )

    def table(self, key: str) -> ReportTable:
        """The table with ``key``; ValidationError naming the keys if there is none."""
        for table in self.tables:
            if table.key == key:
                return table
        known = ", ".join(t.key for t in self.tables)
        raise ValidationError("ServiceReport", [Problem("key", f"no table {key!r} ({known})")])

    def headline(self, kpi: str) -> Headline:
        """The headline of ``kpi``; ValidationError naming the headlines if there is none."""
        for headline in self.headlines:
            if headline.kpi == kpi:
                return headline
        known = ", ".join(h.kpi for h in self.headlines)
        raise ValidationError("ServiceReport", [Problem("kpi", f"no headline {kpi!r} ({known})")])
