"""Reports people look at: the summary first, charts, an offline HTML page, DataFrames, in
Chinese and English.

:func:`build_report` turns a :class:`~itsm_core.metrics.KpiReport` into a
:class:`ServiceReport` that leads with the headline KPIs (:class:`Headline`: the figure of the
current period with its 95 % interval, its :class:`~itsm_core.metrics.KpiTarget` and the
change from the previous period with the test that says whether it is significant), then the
ticket breakdowns sorted by volume ("Category 8" before "Category 13" only when it has more
tickets), then the detail tables, each a :class:`ReportTable` whose :class:`Column` values
carry their units.

* :func:`render_html`: one self-contained page (charts inline, no script, nothing fetched),
  readable on a laptop and a phone, printable;
* :func:`render_report_markdown`: the same as Markdown;
* :func:`render_charts`: the charts as PNG or SVG bytes (:class:`Chart`), drawn with
  matplotlib (``pip install 'itsm-core[charts]'``);
* :meth:`ReportTable.records`, :meth:`ReportTable.tidy`, :meth:`ReportTable.to_pandas` and
  :meth:`ReportTable.to_polars` (``pip install 'itsm-core[dataframes]'``): every table as
  data, durations in hours with a unit column.

Every label, KPI name, state, explanation and heading comes from the ``reports`` message
catalogue, chosen by a ``language`` argument (``"zh-CN"`` or ``"en"``).

>>> import datetime as dt
>>> from itsm_core.metrics import Granularity, KpiAccumulator, PeriodGrid, ReportSpec
>>> spec = ReportSpec(periods=PeriodGrid(Granularity.MONTH, "UTC", dt.date(2026, 1, 1),
...                                      dt.date(2026, 2, 28)))
>>> kpis = KpiAccumulator(spec).report(dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc))
>>> report = build_report(kpis, source="demo")
>>> [h.kpi for h in report.headlines][:2]
['tickets', 'backlog']
>>> "<html" in render_html(report, language="zh-CN", charts=False)
True
"""

from itsm_core.reports._build import HEADLINE_KPIS, build_report
from itsm_core.reports._charts import (
    CHART_KEYS,
    HEIGHT,
    WIDTH,
    Chart,
    ChartFormat,
    render_charts,
)
from itsm_core.reports._model import (
    DEFAULT_TARGETS,
    Better,
    Cell,
    Column,
    Headline,
    ReportTable,
    ServiceReport,
    StaffingActuals,
)
from itsm_core.reports._policies import REPORT_POLICIES, RESOLUTION_TARGETS
from itsm_core.reports._render import render_html, render_report_markdown

__all__ = [
    "CHART_KEYS",
    "DEFAULT_TARGETS",
    "HEADLINE_KPIS",
    "HEIGHT",
    "REPORT_POLICIES",
    "RESOLUTION_TARGETS",
    "WIDTH",
    "Better",
    "Cell",
    "Chart",
    "ChartFormat",
    "Column",
    "Headline",
    "ReportTable",
    "ServiceReport",
    "StaffingActuals",
    "build_report",
    "render_charts",
    "render_html",
    "render_report_markdown",
]
