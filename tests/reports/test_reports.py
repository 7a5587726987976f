"""The service report: summary first, breakdowns by volume, units everywhere, both languages,
deterministic charts of the promised size, an HTML page that fetches nothing, DataFrames."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
import struct
from pathlib import Path
from types import ModuleType

import pytest

from itsm_core.errors import UnknownLanguage, ValidationError
from itsm_core.i18n import Messages
from itsm_core.metrics import KpiReport, KpiTarget
from itsm_core.reports import (
    HEADLINE_KPIS,
    HEIGHT,
    WIDTH,
    ChartFormat,
    Column,
    ReportTable,
    ServiceReport,
    StaffingActuals,
    _labels,
    build_report,
    render_charts,
    render_html,
    render_report_markdown,
)
from itsm_core.reports._tables import by_volume, counts_table
from itsm_core.routing import IntervalForecast, ServiceTarget, staffing_plan

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
COMPLAINTS = {"service": 5, "process": 3, "technical": 9, "policy": 1}


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def week() -> KpiReport:
    report = load("_demo_metrics").week_report()
    assert isinstance(report, KpiReport)
    return report


def staffing() -> StaffingActuals:
    start = dt.datetime(2026, 11, 16, 9, tzinfo=dt.UTC)
    forecasts = [
        IntervalForecast(start + k * dt.timedelta(minutes=30), calls, dt.timedelta(minutes=4))
        for k, calls in enumerate((40, 60, 80, 50))
    ]
    target = ServiceTarget(service_level=0.8, answer_within=dt.timedelta(seconds=20))
    plan = staffing_plan(forecasts, interval=dt.timedelta(minutes=30), target=target)
    return StaffingActuals(plan=plan, answered=(38, 55, 70, 50))


@pytest.fixture(scope="module")
def report(week: KpiReport) -> ServiceReport:
    return build_report(
        week,
        source="demo week",
        period="2026-11-21",
        complaint_types=COMPLAINTS,
        staffing=staffing(),
    )


def test_the_summary_leads_with_headlines_against_targets_and_the_previous_period(
    report: ServiceReport, week: KpiReport
) -> None:
    # By default the latest period with tickets opened, compared with the one before.
    assert (build_report(week).current, build_report(week).previous) == (
        "2026-11-22",
        "2026-11-21",
    )
    assert (report.current, report.previous) == ("2026-11-21", "2026-11-20")
    keys = [h.kpi for h in report.headlines]
    assert keys == [k for k in HEADLINE_KPIS if k in keys]
    assert keys[0] == "resolution_compliance"  # resolution compliance by default
    resolution = report.headline("resolution_compliance")
    sla = next(c for c in week.sla if c.period.label == report.current and c.metric == "resolution")
    assert sla.rate is not None
    assert resolution.value == pytest.approx(100 * sla.rate.estimate)
    assert resolution.lower == pytest.approx(100 * sla.rate.interval.lower)  # Wilson
    assert resolution.target == KpiTarget(
        name="resolution_compliance", kpi="resolution_compliance", at_least=95.0
    )
    assert resolution.meets_target is (resolution.value is not None and resolution.value >= 95)
    assert resolution.unit == "%"
    ttr = report.headline("time_to_resolve")
    assert ttr.unit == "h"
    assert ttr.test == _labels.TEST_MEAN
    assert ttr.change == pytest.approx((ttr.value or 0) - (ttr.previous or 0))
    assert ttr.significant is (ttr.p_value is not None and ttr.p_value < 0.05)
    assert report.headline("csat").unit == "%"
    assert report.headline("nps").unit == "points"
    text = render_report_markdown(report)
    assert text.index("## Summary") < text.index("## Breakdowns") < text.index("## Detail")
    assert text.splitlines()[text.splitlines().index("## Summary") + 2].startswith(
        "- **Resolution SLA compliance: "
    )


def test_breakdowns_sort_by_volume_then_naturally() -> None:
    counts = [("Category 13", 3), ("Category 8", 3), ("Category 9", 7), ("(none)", 1)]
    assert by_volume(counts) == [
        ("Category 9", 7),
        ("Category 8", 3),
        ("Category 13", 3),
        ("(none)", 1),
    ]
    table = counts_table("by_category", "category", counts)
    assert table.column("value") == ("Category 9", "Category 8", "Category 13", "(none)")
    assert table.column("cumulative_share")[-1] == pytest.approx(100.0)


def test_every_measured_column_has_a_unit_and_tables_come_as_records(
    report: ServiceReport,
) -> None:
    assert [t.key for t in report.breakdowns] == [
        "by_kind",
        "by_channel",
        "by_category",
        "by_priority",
    ]
    for table in report.tables:
        for column in table.columns:
            numbers = [c for c in table.column(column.key) if isinstance(c, int | float)]
            assert not numbers or column.unit, (table.key, column.key)
        for record in table.records():
            for column in table.columns:
                if column.unit:
                    assert record[f"{column.key}_unit"], (table.key, column.key)
    durations = report.table("durations")
    assert {r["mean_unit"] for r in durations.records()} == {"h"}
    tidy = durations.tidy()
    assert {r["measure"] for r in tidy} >= {"mean", "median", "p90"}
    assert all(r["unit"] == "h" for r in tidy if r["measure"] == "mean")
    summary = report.summary.records()
    assert {r["kpi"]: r["value_unit"] for r in summary}["time_to_resolve"] == "h"
    assert {r["kpi"]: r["change_unit"] for r in summary}["resolution_compliance"] == "pp"


def test_tables_as_dataframes(report: ServiceReport) -> None:
    pd = pytest.importorskip("pandas", reason="pandas is part of the dataframes extra")
    pl = pytest.importorskip("polars", reason="polars is part of the dataframes extra")
    table = report.table("durations")
    frame = table.to_pandas()
    assert list(frame.columns) == ["period", "group", "kpi", "measure", "value", "unit"]
    assert pd.api.types.is_float_dtype(frame["value"])
    mean = frame[(frame.kpi == "time_to_resolve") & (frame.measure == "mean")]
    assert set(mean.unit) == {"h"}
    polars = table.to_polars()
    assert polars.schema["value"] == pl.Float64
    assert polars.height == len(frame)


def test_a_table_refuses_rows_of_the_wrong_width_and_unknown_unit_columns() -> None:
    with pytest.raises(ValidationError, match="rows\\[0\\]"):
        ReportTable(key="t", title="T", columns=(Column("a", "A"),), rows=((1, 2),))
    with pytest.raises(ValidationError, match=r"columns\[0\]\.unit"):
        ReportTable(key="t", title="T", columns=(Column("a", "A", "@u"),), rows=())


def test_build_report_refuses_bad_arguments_naming_them(week: KpiReport) -> None:
    with pytest.raises(ValidationError) as caught:
        build_report(
            week,
            period="2030-01",
            alpha=2,
            complaint_types={"service": -1},
            targets=[
                KpiTarget(name="a", kpi="csat", at_least=1),
                KpiTarget(name="b", kpi="csat", at_most=2),
            ],
        )
    paths = [p.path for p in caught.value.problems]
    assert paths == ["period", "alpha", "complaint_types['service']", "targets[1]"]
    with pytest.raises(ValidationError, match="answered"):
        StaffingActuals(plan=staffing().plan, answered=(1, 2))


def test_every_label_is_translated(report: ServiceReport) -> None:
    zh = Messages.load("zh-CN", "reports")
    marked = [
        *_labels.KPI_NAMES.values(),
        *_labels.TERMS.values(),
        *_labels.UNITS.values(),
        *_labels.DEFINITION_TEXTS.values(),
    ]
    untranslated = [m for m in marked if zh.text(m) == m and m not in {"%"}]
    assert untranslated == []
    text = render_report_markdown(report, language="zh-CN")
    for word in ("摘要", "解决时间 SLA 达标率", "首次响应时间", "满意度", "按类别统计的工单"):
        assert word in text
    # No English heading or KPI name is left in the Chinese report.
    for english in ("Summary", "Time to resolve", "Tickets by", "Durations", "Mean ("):
        assert english not in text
    with pytest.raises(UnknownLanguage):
        render_report_markdown(report, language="fr")


def test_charts_are_deterministic_and_of_the_promised_size(report: ServiceReport) -> None:
    pytest.importorskip("matplotlib", reason="matplotlib is the charts extra")
    # The browser test draws the others from the ServiceNow sample.
    drawn = ["pareto_complaints", "p_chart", "satisfaction", "staffing"]
    svg = render_charts(report, language="zh-CN", only=drawn)
    assert [c.key for c in svg] == drawn
    for chart in svg:
        head = chart.data[:1000].decode()
        assert 'width="540pt" height="270pt"' in head  # 720 x 360 CSS pixels
        assert "<dc:date>" not in chart.data.decode()
    again = render_charts(report, language="zh-CN", only=["p_chart"])
    assert again[0].data == svg[1].data
    png = render_charts(report, format="png", only=["p_chart"])
    assert png == render_charts(report, format=ChartFormat.PNG, only=["p_chart"])
    data = png[0].data
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (WIDTH, HEIGHT)
    assert b"Software" not in data
    assert png[0].data_uri().startswith("data:image/png;base64,")
    with pytest.raises(ValidationError, match="unknown charts"):
        render_charts(report, only=["pie"])


def test_html_is_self_contained_responsive_and_printable(report: ServiceReport) -> None:
    page = render_html(report, language="zh-CN", charts=False)
    assert page.startswith('<!DOCTYPE html>\n<html lang="zh-CN">')
    without_data = re.sub(r"data:[a-z+/]+;base64,[A-Za-z0-9+/=]+", "", page)
    assert not re.search(r"https?:", without_data)
    assert "<script" not in page
    assert "default-src 'none'" in page
    assert 'name="viewport"' in page
    assert "@media print" in page
    assert "@media (max-width: 600px)" in page
    assert "服务报告" in page
    assert page.index('id="summary"') < page.index('id="breakdowns"') < page.index('id="details"')
    assert 'id="reconciliation"' not in page  # shown when the report has one
    table = ReportTable(key="reconciliation", title="Reconciliation", columns=(), rows=())
    with_table = render_html(
        build_report(report.kpi, reconciliation=table), language="en", charts=False
    )
    assert 'id="reconciliation"' in with_table
