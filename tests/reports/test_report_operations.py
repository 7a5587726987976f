"""The report's targets and alerts (complaint targets, follow-up coverage) and its hotline
operations section (call KPIs against the Erlang plan, quality inspection), in both languages.

The call log below is constructed so that every figure is worked out by hand in the comments.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from pathlib import Path

import pytest

from itsm_core.calls import CALL, IntervalKpis, call_events, interval_kpis
from itsm_core.customers import FollowUpCoverage
from itsm_core.errors import ValidationError
from itsm_core.inspection import AgentQuality, Calibration
from itsm_core.metrics import (
    COMPLAINT_TARGETS,
    Dimension,
    Granularity,
    KpiAccumulator,
    KpiReport,
    KpiTarget,
    PeriodGrid,
    ReportSpec,
)
from itsm_core.reports import (
    StaffingActuals,
    build_report,
    render_charts,
    render_html,
    render_report_markdown,
)
from itsm_core.routing import IntervalForecast, ServiceTarget, staffing_plan

S = dt.timedelta(seconds=1)
HALF = dt.timedelta(minutes=30)
NINE = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
#: (offered, s after 09:00; wait s; agent or None for an abandon; settled on the call)
LOG = (
    (0, 10, "ana", True),  # answered within 20 s
    (60, 30, "bo", False),  # answered after 30 s
    (120, 40, None, False),  # abandoned after 40 s
    (200, 3, None, False),  # a short abandon (<= 5 s)
    (1900, 5, "ana", True),  # 09:31:40, second interval, within 20 s
)
COVERAGE = FollowUpCoverage(closed=44, surveyed=26, followed_up=0, covered=26)


def empty_kpis() -> KpiReport:
    grid = PeriodGrid(Granularity.MONTH, "UTC", dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    return KpiAccumulator(ReportSpec(periods=grid)).report(dt.datetime(2026, 4, 1, tzinfo=dt.UTC))


def measured() -> tuple[IntervalKpis, ...]:
    calls = [
        CALL.replay(
            call_events(
                f"C{n}",
                NINE + offered * S,
                caller="13800000000",
                queue="hotline",
                wait=wait * S,
                answered_by=agent,
                talk=(100 if agent else 0) * S,
                wrap_up=(20 if agent else 0) * S,
                resolved=settled,
            )
        )
        for n, (offered, wait, agent, settled) in enumerate(LOG)
    ]
    return interval_kpis(
        calls, start=NINE, end=NINE + 2 * HALF, interval=HALF, staffed={NINE: 2, NINE + HALF: 1}
    )


def quality() -> dict[str, AgentQuality]:
    return {
        "bo": AgentQuality(
            agent="bo",
            inspections=1,
            mean_score=60.0,
            pass_rate=0.0,
            critical_failures=1,
            failed=("QA-2",),
            weakest_items={"record": 1.0},
        ),
        "ana": AgentQuality(
            agent="ana",
            inspections=3,
            mean_score=92.0,
            pass_rate=1.0,
            critical_failures=0,
            failed=(),
            weakest_items={},
        ),
    }


CALIBRATION = Calibration(
    inspectors=("li", "wang"),
    subjects=("C0", "C1"),
    item_kappa=0.47,
    verdict_kappa=None,
    largest_spread=(12.0, "C1"),
)


@pytest.fixture(scope="module")
def by_kind() -> KpiReport:
    spec = importlib.util.spec_from_file_location("_demo_metrics", EXAMPLES / "_demo_metrics.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    report = module.week_report(group_by=(Dimension.KIND,))
    assert isinstance(report, KpiReport)
    return report


def test_missed_targets_are_alerts_at_the_top_of_the_summary_with_their_clause(
    by_kind: KpiReport,
) -> None:
    # The demo week's complaints are answered in 0.8 h on average: the standard's 24 h is met;
    # its answers carry no kind, so complaint satisfaction has no data and is left out.
    report = build_report(by_kind, coverage=COVERAGE)
    assert [(c.target.name, c.met) for c in report.checks] == [
        ("complaint_average_response", True),
        ("follow_up_coverage", False),
    ]
    (alert,) = report.alerts
    assert alert.value == pytest.approx(100 * 26 / 44)  # 59.1 %
    english = render_report_markdown(report, language="en")
    line = (
        "- Follow-up coverage: 59.1%, below the target of at least 95.0%; the standard: "
        '"服务跟进、反馈跟踪"'
    )
    assert line in english
    assert english.index("**Alerts**") < english.index("- **Resolution SLA compliance")
    chinese = render_report_markdown(report, language="zh-CN")
    assert "**告警**" in chinese
    assert "- 服务跟进覆盖率：59.1%，低于目标（不低于 95.0%）；标准条款：" in chinese
    page = render_html(report, language="zh-CN", charts=False)
    assert page.index('id="summary"') < page.index('id="alerts"') < page.index('class="cards"')
    assert 'data-target="follow_up_coverage"' in page
    assert 'data-target="complaint_average_response"' not in page  # met: not an alert
    records = report.table("targets").records()
    assert records[0]["value_unit"] == "h"
    assert records[0]["clause"] == "平均响应时间24小时内"
    # A tighter bound on the same figure is missed, and says "at most" in both languages.
    strict = KpiTarget(
        name="complaint_average_response",
        kpi="time_to_first_response",
        at_most=0.5,
        group=("complaint",),
        clause="平均响应时间24小时内",
    )
    tight = build_report(by_kind, alert_targets=[strict])
    assert [c.target.name for c in tight.alerts] == ["complaint_average_response"]
    assert "above the target of at most 0.5 h" in render_report_markdown(tight)
    assert "高于目标（不高于 0.5 小时）" in render_report_markdown(tight, language="zh-CN")
    # Every target met: one line says so; nothing checked (no data): nothing is shown.
    met = build_report(by_kind, alert_targets=COMPLAINT_TARGETS)
    assert "Every target checked is met (1)." in render_report_markdown(met)
    assert build_report(empty_kpis()).checks == ()
    assert 'id="alerts"' not in render_html(build_report(empty_kpis()), charts=False)


def test_hotline_figures_are_pooled_from_the_intervals_as_worked_by_hand() -> None:
    report = build_report(
        empty_kpis(), calls=measured(), quality=quality(), calibration=CALIBRATION
    )
    figures: dict[object, tuple[object, object]] = {
        r["figure"]: (r["value"], r["value_unit"]) for r in report.table("operations").records()
    }
    assert figures["calls_offered"] == (5, "calls")
    assert figures["calls_abandoned"] == (2, "calls")
    # answered within 20 s: C0, C4 = 2 / (3 answered + 2 abandoned - 1 short)
    assert figures["service_level"] == (pytest.approx(50.0), "%")
    assert figures["average_speed_of_answer"] == (pytest.approx(15.0), "s")  # (10+30+5)/3
    assert figures["abandonment_rate"] == (pytest.approx(40.0), "%")  # 2 / 5
    assert figures["abandonment_rate_excluding_short"] == (pytest.approx(25.0), "%")  # 1 / 4
    assert figures["call_first_contact_resolution"][0] == pytest.approx(200 / 3)  # C0, C4 of 3
    # busy 120 s (C0) + 120 s (C1) of 2 x 1800 s, then 120 s (C4) of 1 x 1800 s: 360 / 5400
    assert figures["occupancy"] == (pytest.approx(100 * 360 / 5400), "%")
    assert figures["inspections"] == (4, "contacts")
    assert figures["inspection_pass_rate"] == (pytest.approx(75.0), "%")  # 3 of 4 passed
    assert figures["critical_failures"] == (1, "contacts")
    assert figures["inspection_mean_score"][0] == pytest.approx((60 + 3 * 92) / 4)
    assert figures["kappa"] == (0.47, "")
    kappa_row = report.table("operations").records()[-1]
    assert kappa_row["assessment"] == "moderate"
    intervals = report.table("calls")
    assert list(intervals.column("service_level")) == pytest.approx([100 / 3, 100.0])
    assert {r["unit"] for r in intervals.tidy()} == {"calls", "%", "s", "agents"}
    assert report.table("quality").column("agent") == ("ana", "bo")
    english = render_report_markdown(report)
    assert "- **Service level reached: 50.0%**" in english
    assert "- **Average speed of answer: 15.0 s**" in english
    assert "- **Inspectors' agreement (Fleiss' kappa): 0.47** (moderate)" in english
    chinese = render_report_markdown(report, language="zh-CN")
    for words in (
        "## 热线运营",
        "实际服务水平: 50.0%",
        "平均应答速度: 15.0 秒",
        "质检合格率: 75.0%",
    ):
        assert words in chinese
    assert "(中等)" in chinese


def test_the_operations_section_draws_calls_against_the_erlang_plan() -> None:
    pytest.importorskip("matplotlib", reason="matplotlib is the charts extra")
    calls = measured()
    target = ServiceTarget(service_level=0.8, answer_within=20 * S)
    plan = staffing_plan(
        [IntervalForecast(NINE, 6, 120 * S), IntervalForecast(NINE + HALF, 2, 120 * S)],
        interval=HALF,
        target=target,
    )
    staffing = StaffingActuals.from_calls(plan, calls)
    assert staffing.answered == (2.0, 1.0)
    report = build_report(empty_kpis(), calls=calls, staffing=staffing)
    (chart,) = render_charts(report, language="en", only=["staffing"])
    assert chart.title == "Calls per interval against the Erlang plan"
    for legend in ("calls offered", "calls answered", "calls abandoned", "calls forecast"):
        assert legend in chart.data.decode()
    page = render_html(report, language="zh-CN")
    operations = page[page.index('id="operations"') : page.index('id="details"')]
    assert operations.count('data-chart="staffing"') == 1  # drawn in its section, once
    assert page.count('data-chart="staffing"') == 1
    assert "分时段呼叫与 Erlang 排班计划对比" in operations
    assert re.search(r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]{1000,}"', operations)
    # Without call data the report has no operations section.
    assert 'id="operations"' not in render_html(build_report(empty_kpis()), charts=False)


def test_bad_operations_data_is_refused_naming_it() -> None:
    calls = measured()
    other = interval_kpis([], start=NINE, end=NINE + HALF, interval=HALF, answer_within=10 * S)
    with pytest.raises(ValidationError) as error:
        build_report(
            empty_kpis(),
            calls=[*calls, *other, "09:00"],  # type: ignore[list-item]
            quality={"ana": 0.9},  # type: ignore[dict-item]
            calibration=0.47,  # type: ignore[arg-type]
            coverage=0.59,  # type: ignore[arg-type]
            alert_targets=["csat >= 90"],  # type: ignore[list-item]
        )
    fields = {problem.path for problem in error.value.problems}
    assert fields == {
        "calls[2]",
        "calls[3]",
        "quality['ana']",
        "calibration",
        "coverage",
        "alert_targets[0]",
    }
    plan = staffing_plan(
        [IntervalForecast(NINE + 4 * HALF, 6, 120 * S)],
        interval=HALF,
        target=ServiceTarget(service_level=0.8, answer_within=20 * S),
    )
    with pytest.raises(ValidationError, match="no measured interval"):
        StaffingActuals.from_calls(plan, calls)
