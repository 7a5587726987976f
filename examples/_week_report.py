"""The week's service report (服务报告), built with ``itsm_core.reports`` from the KPI report.

The report leads with its summary: the alerts (the targets the week missed, each with the
clause of the standard it quotes: the complaint targets, 平均响应时间24小时内 and 满意度90%以上,
read in the complaint group of the KPI report grouped by kind, and the follow-up coverage of
the closed tickets by Sunday's survey round), then the headline KPIs of the latest day with
tickets, each against its target and compared with the day before (with the test that says
whether the change is significant). Monday morning's hotline (its calls against the Erlang
plan, the supervisor's inspection) is the report's operations section. The same report is a
self-contained HTML page and a set of charts in Chinese and English; the week writes no file,
so only their sizes are shown here. The charts
need matplotlib (``pip install 'itsm-core[charts]'``); without it they are skipped, saying so.
"""

from __future__ import annotations

import textwrap

import _week_calls
import attrs
from _week_desk import heading
from _week_kpis import week_report
from _week_run import Week

from itsm_core.customers import follow_up_coverage
from itsm_core.inspection import HOTLINE_SHEET, quality_by_agent
from itsm_core.metrics import Dimension, SurveyAnswer
from itsm_core.reports import (
    StaffingActuals,
    build_report,
    render_charts,
    render_html,
    render_report_markdown,
)


def headlines(markdown: str, count: int) -> list[str]:
    """The first ``count`` headline KPIs of the report's summary: the bold part of each of its
    bullets (``**Resolution SLA compliance: 100.0%**``)."""
    bullets = [line for line in markdown.splitlines() if line.startswith("- **")]
    return [line[4:].split("**", 1)[0] for line in bullets[:count]]


def alerts(markdown: str) -> list[str]:
    """The alert lines at the top of the report's summary: the bullets after its first bold
    line (``**Alerts**``), up to the first line that is not one."""
    lines = markdown.splitlines()
    bold = [i for i, line in enumerate(lines) if line.startswith("**") and line.endswith("**")]
    out = []
    for line in lines[bold[0] + 2 :] if bold else []:
        if not line.startswith("- "):
            break
        out.append(line[2:])
    return out


def show(week: Week, answers: tuple[SurveyAnswer, ...]) -> None:
    """Build the week's service report and print its alerts and headlines in both languages
    and the sizes of its HTML page and charts."""
    heading("The week's service report (服务报告): the summary first, in Chinese and English")
    kpis = week_report(week, answers)
    # The complaint targets read the complaint group: the same figures grouped by kind, each
    # survey answer carrying its ticket's kind.
    kinds = tuple(
        attrs.evolve(a, dimensions={"kind": week.rows[a.ticket_id].kind.value}) for a in answers
    )
    by_kind = week_report(week, kinds, group_by=(Dimension.KIND,))
    # The survey round's answers, linked to their tickets as LinkSurvey would record them; the
    # follow-up visits come after the week (Monday), so none counts yet.
    surveyed = {answer.ticket_id for answer in answers}
    tickets = [week.desk.ticket(tid) for tid in sorted(week.rows)]
    linked = [attrs.evolve(t, survey="W39") if t.id in surveyed else t for t in tickets]
    morning = _week_calls.morning()
    report = build_report(
        kpis,
        source="the week's event store",
        alerts_from=by_kind,
        coverage=follow_up_coverage(linked, ()),
        calls=morning.kpis,
        staffing=StaffingActuals.from_calls(morning.plan, morning.kpis),
        quality=quality_by_agent(HOTLINE_SHEET, morning.inspections),
    )
    chinese, english = (
        render_report_markdown(report, language=language) for language in ("zh-CN", "en")
    )
    print(f"Alerts: {len(report.alerts)} of the {len(report.checks)} targets checked are missed")
    for text in (english, chinese):
        for line in alerts(text):
            print(textwrap.fill(line, 96, initial_indent="  ", subsequent_indent="    "))
    print(f"Summary of {report.current}, compared with {report.previous}:")
    for zh, en in zip(headlines(chinese, 5), headlines(english, 5), strict=True):
        print(f"  {en:<42} {zh}")
    page = render_html(report, language="zh-CN", charts=False).encode()
    print(f"HTML page (zh-CN, without its charts): {len(page) / 1024:.0f} KB, fetches nothing")
    try:
        charts = render_charts(report, language="zh-CN")
    except ModuleNotFoundError as missing:
        print(f"Charts skipped: {missing}")
        return
    sizes = ", ".join(f"{chart.key} {len(chart.data) / 1024:.0f} KB" for chart in charts)
    print(f"{len(charts)} charts (SVG, inlined in the full page):")
    print(textwrap.fill(sizes, 100, initial_indent="  ", subsequent_indent="  "))
