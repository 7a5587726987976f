"""The report as a self-contained HTML page or as Markdown, in Chinese or English."""

from __future__ import annotations

import html
from collections.abc import Sequence

import itsm_core
from itsm_core.reports import _labels as msg
from itsm_core.reports._charts import Chart, ChartFormat, render_charts
from itsm_core.reports._model import ReportTable, ServiceReport
from itsm_core.reports._text import Words

# System fonts only (no web font to fetch), Chinese ones named for each platform.
_CSS = """
:root { color-scheme: light; --ink: #1d2733; --muted: #5b6773; --line: #d8dee4;
  --good: #1e7b45; --bad: #b03a48; --accent: #1f5fa8; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #f6f8fa; line-height: 1.45;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei",
  "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 1.25rem; background: #fff; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .75rem; padding-bottom: .25rem;
  border-bottom: 2px solid var(--line); }
h3 { font-size: 1rem; margin: 1.25rem 0 .5rem; }
.meta, .note, figcaption, footer { color: var(--muted); font-size: .9rem; }
.cards { display: grid; gap: .75rem; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); }
.card { border: 1px solid var(--line); border-left: 5px solid var(--line); border-radius: 6px;
  padding: .6rem .8rem; break-inside: avoid; }
.card.met { border-left-color: var(--good); }
.card.missed { border-left-color: var(--bad); }
.card h3 { margin: 0; font-size: .95rem; }
.card .value { font-size: 1.7rem; font-weight: 600; margin: .15rem 0; }
.card p { margin: .1rem 0; font-size: .85rem; }
.card .status-met { color: var(--good); }
.card .status-missed { color: var(--bad); }
.card .significant { font-weight: 600; }
.charts { display: grid; gap: 1rem;
  grid-template-columns: repeat(auto-fill, minmax(min(100%, 520px), 1fr)); }
figure { margin: 0; break-inside: avoid; }
figure img { display: block; width: 100%; height: auto; border: 1px solid var(--line); }
.table { overflow-x: auto; -webkit-overflow-scrolling: touch; margin-bottom: .5rem; }
table { border-collapse: collapse; font-size: .85rem; min-width: 50%; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .55rem; text-align: left;
  vertical-align: top; }
th { background: #eef2f6; font-weight: 600; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
ul.definitions { padding-left: 1.2rem; }
.alerts { border: 1px solid var(--bad); border-left: 5px solid var(--bad); border-radius: 6px;
  padding: .5rem .8rem; margin-bottom: .75rem; background: #fdf3f4; break-inside: avoid; }
.alerts h3 { margin: 0 0 .25rem; color: var(--bad); }
.alerts ul { margin: 0; padding-left: 1.2rem; }
.targets-met { color: var(--good); }
@media (max-width: 600px) {
  body { font-size: 14px; }
  main { padding: .75rem; }
  .card .value { font-size: 1.4rem; }
  table { font-size: .8rem; }
}
@media print {
  @page { margin: 14mm; }
  body { background: #fff; font-size: 10pt; }
  main { max-width: none; padding: 0; }
  .charts { display: block; }
  figure { margin-bottom: 1rem; page-break-inside: avoid; }
  figure img { max-width: 17cm; border: 0; }
  .table { overflow: visible; }
  h2 { page-break-after: avoid; }
  table, .card { page-break-inside: avoid; }
}
"""

# Nothing may be fetched: images come as data: URIs, styles inline, and no script runs.
_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _html_table(words: Words, table: ReportTable, level: int = 3) -> list[str]:
    out = [f'<section class="report-table" id="table-{_e(table.key)}">']
    out.append(f"<h{level}>{_e(words.title(table))}</h{level}>")
    if table.note:
        out.append(f'<p class="note">{_e(words.text(table.note))}</p>')
    out.append('<div class="table"><table>')
    heads = "".join(f'<th scope="col">{_e(words.heading(c))}</th>' for c in table.columns)
    out.append(f"<thead><tr>{heads}</tr></thead><tbody>")
    for row in table.rows:
        cells = []
        for column, value in zip(table.columns, row, strict=True):
            css = ' class="n"' if isinstance(value, int | float) else ""
            cells.append(f"<td{css}>{_e(words.cell(table, column, row, value))}</td>")
        out.append(f"<tr>{''.join(cells)}</tr>")
    out.append("</tbody></table></div></section>")
    return out


def _cards(words: Words, report: ServiceReport) -> list[str]:
    out = ['<div class="cards">']
    for h in report.headlines:
        met = h.meets_target
        css = "card" + ("" if met is None else (" met" if met else " missed"))
        out.append(f'<article class="{css}" data-kpi="{_e(h.kpi)}">')
        out.append(f"<h3>{_e(words.term(h.kpi))}</h3>")
        out.append(f'<p class="value">{_e(words.value(h))}</p>')
        lines = [
            ("interval", words.interval(h)),
            ("n", words.text(msg.CARD_N, n=h.n)),
            (
                "target status-" + ("none" if met is None else "met" if met else "missed"),
                words.target(h),
            ),
            ("change", words.change(h, report.previous)),
            ("significant" if h.significant else "test", words.significance(h)),
        ]
        out.extend(f'<p class="{css}">{_e(text)}</p>' for css, text in lines if text)
        out.append("</article>")
    out.append("</div>")
    return out


def _alerts(words: Words, report: ServiceReport) -> list[str]:
    """The missed targets at the top of the summary (or one line saying every one is met)."""
    if not report.checks:
        return []
    if not report.alerts:
        line = words.text(msg.ALERTS_NONE, count=len(report.checks))
        return [f'<p class="targets-met" id="alerts">{_e(line)}</p>']
    out = ['<div class="alerts" id="alerts" role="alert">']
    out.append(f"<h3>{_e(words.text(msg.ALERTS))}</h3><ul>")
    out += [
        f'<li data-target="{_e(check.target.name)}">{_e(words.alert(check))}</li>'
        for check in report.alerts
    ]
    out.append("</ul></div>")
    return out


def _figure_cards(words: Words, table: ReportTable) -> list[str]:
    out = ['<div class="cards">']
    for row in table.rows:
        name, value, band = words.figure(table, row)
        out.append(f'<article class="card" data-figure="{_e(str(row[0]))}">')
        out.append(f"<h3>{_e(name)}</h3>")
        out.append(f'<p class="value">{_e(value)}</p>')
        if band:
            out.append(f"<p>{_e(band)}</p>")
        out.append("</article>")
    out.append("</div>")
    return out


def _operations(words: Words, report: ServiceReport, drawn: Sequence[Chart] | None) -> list[str]:
    """The hotline operations section: the period's figures as cards, the staffing chart
    (calls against the Erlang plan), then the tables of the section."""
    out = [f'<section id="operations"><h2>{_e(words.text(msg.OPERATIONS))}</h2>']
    figures = [t for t in report.operations if t.key == "operations"]
    if figures:
        out += _figure_cards(words, figures[0])
        out.append(f'<p class="note">{_e(words.text(figures[0].note))}</p>')
    chart = [c for c in drawn or () if c.key == "staffing"]
    if chart:
        out += _figures(words, chart)
    for table in report.operations:
        out += _html_table(words, table)
    out.append("</section>")
    return out


def _figures(words: Words, charts: Sequence[Chart]) -> list[str]:
    out = ['<div class="charts">']
    for chart in charts:
        out.append(f'<figure id="chart-{_e(chart.key)}">')
        out.append(
            f'<img src="{chart.data_uri()}" width="{chart.width}" height="{chart.height}" '
            f'alt="{_e(chart.title)}" data-chart="{_e(chart.key)}">'
        )
        out.append(f"<figcaption>{_e(chart.title)}</figcaption></figure>")
    out.append("</div>")
    return out


def render_html(
    report: ServiceReport,
    *,
    language: str = "en",
    charts: bool = True,
    chart_format: ChartFormat | str = ChartFormat.SVG,
) -> str:
    """The report as one self-contained HTML page in ``language`` (``"zh-CN"`` or ``"en"``).

    It opens offline: the charts are inline images (``data:`` URIs, SVG by default), the
    styles are inline and use the system's fonts, there is no script, and a
    Content-Security-Policy forbids any fetch. The layout reflows from a laptop to a phone,
    and a print stylesheet keeps cards, charts and tables whole on paper. ``charts=False``
    (or matplotlib absent) leaves the charts out with a line saying how to get them.

    Raises:
        UnknownLanguage: ``language`` has no catalogue.
    """
    words = Words.load(language)
    drawn: tuple[Chart, ...] | None = None
    if charts:
        try:
            drawn = render_charts(report, language=language, format=chart_format)
        except ModuleNotFoundError:
            drawn = None
    lang = "zh-CN" if words.language == "zh_CN" else "en"
    title = words.text(msg.TITLE)
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">',
        f"<title>{_e(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body><main>",
        f"<header><h1>{_e(title)}</h1>",
    ]
    if report.source:
        out.append(f'<p class="meta">{_e(words.text(msg.SOURCE))}: {_e(report.source)}</p>')
    out.append(f'<p class="meta">{_e(words.text(msg.AS_OF, when=words.when(report)))}</p>')
    out.append(f'<p class="meta">{_e(words.compared(report))}</p></header>')
    out.append(f'<section id="summary"><h2>{_e(words.text(msg.SUMMARY))}</h2>')
    out += _alerts(words, report)
    out += _cards(words, report)
    out.append(f'<p class="note">{_e(words.text(msg.SUMMARY_NOTE, alpha=report.alpha))}</p>')
    out.append("</section>")
    out.append(f'<section id="charts"><h2>{_e(words.text(msg.CHARTS))}</h2>')
    if drawn is None:
        out.append(f'<p class="note">{_e(words.text(msg.CHARTS_ABSENT))}</p>')
    else:
        # With call data the staffing chart shows in the operations section, beside its figures.
        out += _figures(words, [c for c in drawn if not (report.calls and c.key == "staffing")])
    out.append("</section>")
    out.append(f'<section id="breakdowns"><h2>{_e(words.text(msg.BREAKDOWNS))}</h2>')
    for table in report.breakdowns:
        out += _html_table(words, table)
    out.append("</section>")
    if report.operations:
        out += _operations(words, report, drawn)
    out.append(f'<section id="details"><h2>{_e(words.text(msg.DETAILS))}</h2>')
    out += _html_table(words, report.summary)
    if report.targets is not None:
        out += _html_table(words, report.targets)
    for table in report.details:
        out += _html_table(words, table)
    out.append("</section>")
    if report.reconciliation is not None:
        out.append(f'<section id="reconciliation"><h2>{_e(words.text(msg.RECONCILIATION))}</h2>')
        out += _html_table(words, report.reconciliation)
        out.append("</section>")
    out.append(f'<section id="definitions"><h2>{_e(words.text(msg.DEFINITIONS))}</h2>')
    out.append('<ul class="definitions">')
    out += [f"<li>{_e(line)}</li>" for line in words.definitions(report)]
    out.append("</ul></section>")
    footer = words.text(msg.REPORT_FOOTER, version=itsm_core.__version__)
    out.append(f"<footer><p>{_e(footer)}</p></footer>")
    out.append("</main></body></html>")
    return "\n".join(out) + "\n"


# -- Markdown -----------------------------------------------------------------------------


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _markdown_table(words: Words, table: ReportTable, level: int) -> list[str]:
    out = [f"{'#' * level} {words.title(table)}", ""]
    if table.note:
        out += [words.text(table.note), ""]
    out.append("| " + " | ".join(_md(words.heading(c)) for c in table.columns) + " |")
    out.append("|" + "".join("---:|" if c.unit else "---|" for c in table.columns))
    for row in table.rows:
        cells = (
            _md(words.cell(table, column, row, value))
            for column, value in zip(table.columns, row, strict=True)
        )
        out.append("| " + " | ".join(cells) + " |")
    return [*out, ""]


def render_report_markdown(
    report: ServiceReport, *, language: str = "en", level: int = 1, title: bool = True
) -> str:
    """The report as Markdown in ``language``: the title (a heading of ``level``, left out
    with ``title=False``), the summary with every headline KPI, then the breakdowns by volume,
    the detail tables, the reconciliation (when the report has one) and the definitions, each
    a heading one level below the title.

    Raises:
        UnknownLanguage: ``language`` has no catalogue.
    """
    words = Words.load(language)
    top, section, sub = "#" * level, "#" * (level + 1), level + 2
    out = []
    if title:
        out += [f"{top} {words.text(msg.TITLE)}", ""]
        if report.source:
            out.append(f"{words.text(msg.SOURCE)}: {report.source}  ")
        out.append(f"{words.text(msg.AS_OF, when=words.when(report))}  ")
    out += [words.compared(report), ""]
    out += [f"{section} {words.text(msg.SUMMARY)}", ""]
    if report.alerts:
        out += [f"**{words.text(msg.ALERTS)}**", ""]
        out += [f"- {words.alert(check)}" for check in report.alerts]
        out.append("")
    elif report.checks:
        out += [words.text(msg.ALERTS_NONE, count=len(report.checks)), ""]
    for h in report.headlines:
        facts = [
            words.interval(h),
            words.target(h),
            words.change(h, report.previous),
            words.significance(h),
        ]
        rest = "; ".join(fact for fact in facts if fact)
        out.append(f"- **{words.term(h.kpi)}: {words.value(h)}**" + (f" ({rest})" if rest else ""))
    out += ["", words.text(msg.SUMMARY_NOTE, alpha=report.alpha), ""]
    out += [f"{section} {words.text(msg.BREAKDOWNS)}", ""]
    for table in report.breakdowns:
        out += _markdown_table(words, table, sub)
    if report.operations:
        out += [f"{section} {words.text(msg.OPERATIONS)}", ""]
        for table in report.operations:
            if table.key == "operations":
                for row in table.rows:
                    name, value, band = words.figure(table, row)
                    out.append(f"- **{name}: {value}**" + (f" ({band})" if band else ""))
                out += ["", words.text(table.note), ""]
            else:
                out += _markdown_table(words, table, sub)
    out += [f"{section} {words.text(msg.DETAILS)}", ""]
    out += _markdown_table(words, report.summary, sub)
    if report.targets is not None:
        out += _markdown_table(words, report.targets, sub)
    for table in report.details:
        out += _markdown_table(words, table, sub)
    if report.reconciliation is not None:
        out += [f"{section} {words.text(msg.RECONCILIATION)}", ""]
        out += _markdown_table(words, report.reconciliation, sub)
    out += [f"{section} {words.text(msg.DEFINITIONS)}", ""]
    out += [f"- {line}" for line in words.definitions(report)]
    return "\n".join(out) + "\n"
