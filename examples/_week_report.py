"""The week's service report (服务报告), built with ``itsm_core.reports`` from the KPI report.

The report leads with its summary: the headline KPIs of the latest day with tickets, each
against its target and compared with the day before (with the test that says whether the
change is significant). The same report is a self-contained HTML page and a set of charts in
Chinese and English; the week writes no file, so only their sizes are shown here. The charts
need matplotlib (``pip install 'itsm-core[charts]'``); without it they are skipped, saying so.
"""

from __future__ import annotations

import textwrap

from _week_desk import heading

from itsm_core.metrics import KpiReport
from itsm_core.reports import build_report, render_charts, render_html, render_report_markdown


def headlines(markdown: str, count: int) -> list[str]:
    """The first ``count`` headline KPIs of the report's summary: the bold part of each of its
    bullets (``**Resolution SLA compliance: 100.0%**``)."""
    bullets = [line for line in markdown.splitlines() if line.startswith("- **")]
    return [line[4:].split("**", 1)[0] for line in bullets[:count]]


def show(kpis: KpiReport) -> None:
    """Build the week's service report and print its headlines in both languages and the
    sizes of its HTML page and charts."""
    heading("The week's service report (服务报告): the summary first, in Chinese and English")
    report = build_report(kpis, source="the week's event store")
    print(f"Summary of {report.current}, compared with {report.previous}:")
    chinese, english = (
        headlines(render_report_markdown(report, language=language), 5)
        for language in ("zh-CN", "en")
    )
    for zh, en in zip(chinese, english, strict=True):
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
