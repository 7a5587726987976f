"""The report's charts, drawn with matplotlib (the ``charts`` extra) into PNG or SVG bytes.

Drawing is deterministic: the Agg renderer on a figure of its own (pyplot and its global
figure list are never used), the default style plus the report's settings in a style context
(the caller's rcParams are untouched and restored), and no date or software version in the
file. Nothing is written to disk: a :class:`Chart` holds the bytes.
"""

from __future__ import annotations

import base64
import datetime as dt
import enum
import io
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import attrs

from itsm_core.errors import InsufficientData, Problem, ValidationError
from itsm_core.i18n import Messages
from itsm_core.improvement import p_chart, pareto, western_electric, xmr_chart
from itsm_core.improvement._control_chart import ControlChart
from itsm_core.reports import _labels as msg
from itsm_core.reports._model import ServiceReport
from itsm_core.reports._tables import hours, natural, percent

if TYPE_CHECKING:  # pragma: no cover - the charts extra, imported on use
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: The width of every chart in CSS pixels (96 per inch): PNG pixels, and the width a browser
#: gives the SVG.
WIDTH = 720
#: The height of every chart, in the same pixels as :data:`WIDTH`.
HEIGHT = 360
_DPI = 96
_CJK_FONTS = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "SimHei",
)
_COLOURS = ("#1f5fa8", "#d9731a", "#2e8b57", "#b03a48", "#6a4c93", "#7f7f7f")
_PARETO_BARS = 12
_BACKLOG_BARS = 36


class ChartFormat(enum.StrEnum):
    """The image format of a chart."""

    PNG = "png"
    SVG = "svg"


@attrs.frozen
class Chart:
    """One drawn chart: its key, its title in the report's language, and the image bytes of
    ``width`` x ``height`` CSS pixels."""

    key: str
    title: str
    format: ChartFormat
    data: bytes = attrs.field(repr=False)
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def media_type(self) -> str:
        """``image/png`` or ``image/svg+xml``."""
        return "image/png" if self.format is ChartFormat.PNG else "image/svg+xml"

    def data_uri(self) -> str:
        """The image as a ``data:`` URI, for an ``<img>`` that needs no file or network."""
        return f"data:{self.media_type};base64,{base64.b64encode(self.data).decode('ascii')}"


def _matplotlib() -> Any:
    try:
        import matplotlib
        import matplotlib.figure
        import matplotlib.style
    except ImportError as error:
        raise ModuleNotFoundError(
            "report charts need matplotlib: pip install 'itsm-core[charts]'", name="matplotlib"
        ) from error
    return matplotlib


def _style(mpl: Any, chart_format: ChartFormat) -> dict[str, Any]:
    installed = {font.name for font in mpl.font_manager.fontManager.ttflist}
    return {
        "figure.figsize": (WIDTH / _DPI, HEIGHT / _DPI),
        "figure.dpi": _DPI,
        "savefig.dpi": _DPI,
        "font.size": 9,
        # Each glyph from the first family that has it: Latin from DejaVu, Chinese from an
        # installed CJK font (none installed: PNG text in Chinese shows boxes).
        "font.family": ["DejaVu Sans", *(f for f in _CJK_FONTS if f in installed)],
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": mpl.cycler(color=list(_COLOURS)),
        "legend.fontsize": 8,
        "legend.frameon": False,
        # SVG: text stays text (the browser's fonts draw Chinese); ids from a fixed salt.
        "svg.fonttype": "none" if chart_format is ChartFormat.SVG else "path",
        "svg.hashsalt": "itsm-core",
    }


@contextmanager
def _drawing(chart_format: ChartFormat) -> Iterator[Any]:
    mpl = _matplotlib()
    with mpl.style.context(["default", _style(mpl, chart_format)]), warnings.catch_warnings():
        # A missing CJK font leaves boxes in PNG text; say so once in the docs, not per glyph.
        warnings.filterwarnings("ignore", message="Glyph .* missing from")
        yield mpl


def _save(figure: Figure, chart_format: ChartFormat) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    out = io.BytesIO()
    metadata: dict[str, Any] = (
        {"Software": None} if chart_format is ChartFormat.PNG else {"Date": None, "Creator": None}
    )
    figure.savefig(out, format=chart_format.value, metadata=metadata)
    return out.getvalue()


_Draw = Callable[[ServiceReport, Messages, "Figure"], bool]


def render_charts(
    report: ServiceReport,
    *,
    language: str = "en",
    format: ChartFormat | str = ChartFormat.SVG,
    only: Iterable[str] | None = None,
) -> tuple[Chart, ...]:
    """Every chart the report has data for, in ``language`` (``"zh-CN"`` or ``"en"``):

    SLA compliance over time with Wilson intervals and targets, the backlog by age, the
    Pareto charts of categories and complaint types, the p chart of resolution breaches and
    the XmR chart of the mean time to resolve with run-rule signals (Western Electric)
    marked, CSAT and NPS over time with intervals, and the staffing plan against the calls
    answered (with the hotline's measured intervals: the calls offered, answered and
    abandoned per interval beside the Erlang plan) (keys in :data:`CHART_KEYS`; ``only`` draws
    just the named ones). A chart without enough data (a control chart needs two periods) is
    left out.

    Raises:
        ModuleNotFoundError: matplotlib is not installed (``pip install 'itsm-core[charts]'``).
        UnknownLanguage: ``language`` has no catalogue.
        ValueError: ``format`` is neither ``"png"`` nor ``"svg"``.
        ValidationError: ``only`` names a chart that does not exist.
    """
    chart_format = ChartFormat(format)
    messages = Messages.load(language, "reports")
    chosen = set(CHART_KEYS if only is None else only)
    unknown = sorted(chosen - set(CHART_KEYS))
    if unknown:
        known = ", ".join(CHART_KEYS)
        raise ValidationError(
            "render_charts", [Problem("only", f"unknown charts {unknown} (known: {known})")]
        )
    charts = []
    with _drawing(chart_format) as mpl:
        for key, title, draw in _DRAWERS:
            if key not in chosen:
                continue
            figure = mpl.figure.Figure()
            figure.subplots_adjust(left=0.09, right=0.9, bottom=0.2, top=0.86, hspace=0.3)
            if not draw(report, messages, figure):
                continue
            if key == "staffing" and report.calls:
                title = msg.C_CALLS  # the measured calls lead, the plan beside them
            figure.suptitle(messages.text(title), fontsize=12, y=0.97)
            charts.append(
                Chart(key, messages.text(title), chart_format, _save(figure, chart_format))
            )
    return tuple(charts)


# -- the charts -----------------------------------------------------------------------------


def _periods(report: ServiceReport) -> list[str]:
    return [p.label for p in report.kpi.periods if p.label != "all"]


def _ticks(axes: Axes, labels: Sequence[str], room: int = 70) -> None:
    """Label the x axis with at most about 12 labels, slanted when they need more than
    ``room`` characters side by side."""
    step = -(-len(labels) // 12)  # at most about 12 labels on the axis
    shown = [label if i % step == 0 else "" for i, label in enumerate(labels)]
    axes.set_xticks(range(len(labels)))
    rotate = sum(len(label) + 2 for label in shown if label) > room
    axes.set_xticklabels(shown, rotation=45 if rotate else 0, ha="right" if rotate else "center")


def _compliance(report: ServiceReport, m: Messages, figure: Figure) -> bool:
    rows = [c for c in report.kpi.sla if not c.group and c.period.label != "all" and c.rate]
    metrics = sorted({c.metric for c in rows}, key=lambda name: (name != "resolution", name))
    if not metrics:
        return False
    labels = [p for p in _periods(report) if any(c.period.label == p for c in rows)]
    axes = figure.add_subplot()
    for k, metric in enumerate(metrics):
        points = {c.period.label: percent(c.rate) for c in rows if c.metric == metric}
        xs = [i + (k - (len(metrics) - 1) / 2) * 0.08 for i, p in enumerate(labels) if p in points]
        values = [points[p] for p in labels if p in points]
        ys = [v[0] or 0.0 for v in values]
        below = [y - (v[1] or 0.0) for y, v in zip(ys, values, strict=True)]
        above = [(v[2] or 0.0) - y for y, v in zip(ys, values, strict=True)]
        axes.errorbar(
            xs, ys, yerr=[below, above], marker="o", capsize=3, label=msg.label(m, metric)
        )
        target = next((t for t in _targets(report) if t.kpi == f"{metric}_compliance"), None)
        if target is not None:
            axes.axhline(target.bound, linestyle="--", linewidth=1, color=_COLOURS[k])
    axes.set_ylim(0, 105)
    axes.set_ylabel(m.text(msg.A_COMPLIANCE))
    axes.set_xlabel(m.text(msg.A_PERIOD))
    _ticks(axes, labels)
    axes.legend(title=m.text(msg.L_WILSON) + "; -- " + m.text(msg.L_TARGET), loc="lower left")
    return True


def _targets(report: ServiceReport) -> list[Any]:
    return [h.target for h in report.headlines if h.target is not None]


def _backlog(report: ServiceReport, m: Messages, figure: Figure) -> bool:
    points = list(report.kpi.backlog)
    if not points:
        return False
    step = -(-len(points) // _BACKLOG_BARS)  # at most that many bars: every step-th instant
    points = points[::-1][::step][::-1]
    axes = figure.add_subplot()
    labels = [p.at.strftime("%Y-%m-%d") for p in points]
    ages = report.kpi.spec.age_labels()
    bottom = [0] * len(points)
    palette = ("#9ecae1", "#6baed6", "#3182bd", "#d9731a", "#b03a48", "#67000d")
    for k, age in enumerate(ages):
        counts = [p.ages[k] for p in points]
        axes.bar(range(len(points)), counts, bottom=bottom, label=age, color=palette[k % 6])
        bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
    axes.set_ylabel(m.text(msg.A_OPEN))
    axes.legend(title=m.text(msg.COL_AGE), ncols=min(len(ages), 6), loc="upper right")
    _ticks(axes, labels)
    return True


def _pareto(counts: Sequence[tuple[str, int]], m: Messages, figure: Figure, name: str) -> bool:
    ordered = sorted(
        ((value, count) for value, count in counts if count > 0),
        key=lambda item: (-item[1], natural(item[0])),
    )
    if not ordered:
        return False
    other = msg.label(m, "others")
    shown = ordered[:_PARETO_BARS]
    rest = sum(count for _, count in ordered[_PARETO_BARS:])
    data = [(msg.label(m, value), float(count)) for value, count in shown]
    if rest:
        data.append((other, float(rest)))
    analysis = pareto(data, other=other if rest else None)
    axes = figure.add_subplot()
    bars = analysis.bars
    colours = [_COLOURS[0] if bar.vital else "#9ecae1" for bar in bars]
    axes.bar(range(len(bars)), [bar.count for bar in bars], color=colours)
    axes.set_ylabel(m.text(msg.A_TICKETS))
    axes.set_xlabel(msg.label(m, name))
    _ticks(axes, [bar.category for bar in bars])
    twin = axes.twinx()
    twin.plot(
        range(len(bars)),
        [100 * bar.cumulative_share for bar in bars],
        marker="o",
        color=_COLOURS[1],
    )
    twin.axhline(100 * analysis.threshold, linestyle="--", color="#7f7f7f", linewidth=1)
    twin.set_ylim(0, 105)
    twin.set_ylabel(m.text(msg.A_CUMULATIVE))
    twin.grid(False)
    twin.spines["right"].set_visible(True)
    return True


def _pareto_categories(report: ServiceReport, m: Messages, figure: Figure) -> bool:
    counts = [
        (b.value, b.tickets)
        for b in report.kpi.breakdowns
        if b.period.label == "all" and b.dimension == "category"
    ]
    return _pareto(counts, m, figure, "category")


def _pareto_complaints(report: ServiceReport, m: Messages, figure: Figure) -> bool:
    return _pareto(report.complaint_types, m, figure, "complaint_type")


def _control(
    axes: Axes, chart: ControlChart, labels: Sequence[str], m: Messages, scale: float
) -> None:
    xs = range(len(chart.points))
    axes.plot(xs, [p.value * scale for p in chart.points], marker="o", color=_COLOURS[0])
    axes.axhline(chart.centre * scale, color="#2e8b57", linewidth=1, label=m.text(msg.L_CENTRE))
    uppers = [None if p.upper is None else p.upper * scale for p in chart.points]
    lowers = [None if p.lower is None else p.lower * scale for p in chart.points]
    axes.step(
        xs,
        [float("nan") if u is None else u for u in uppers],
        where="mid",
        color="#b03a48",
        linestyle="--",
        linewidth=1,
        label=m.text(msg.L_LIMITS),
    )
    if any(v is not None for v in lowers):
        axes.step(
            xs,
            [float("nan") if v is None else v for v in lowers],
            where="mid",
            color="#b03a48",
            linestyle="--",
            linewidth=1,
        )
    flagged = sorted({i for s in chart.signals(western_electric()) for i in s.indices})
    if flagged:
        axes.scatter(
            flagged,
            [chart.points[i].value * scale for i in flagged],
            s=90,
            facecolors="none",
            edgecolors="#b03a48",
            linewidths=2,
            zorder=5,
            label=m.text(msg.L_SIGNAL),
        )
    _ticks(axes, labels)
    axes.legend(loc="upper right", ncols=3)


def _p_chart(report: ServiceReport, m: Messages, figure: Figure) -> bool:
    rows = [c for c in report.kpi.sla if not c.group and c.period.label != "all" and c.denominator]
    metrics = {c.metric for c in rows}
    metric = "resolution" if "resolution" in metrics else min(metrics, default=None)
    chosen = [c for c in rows if c.metric == metric]
    if len(chosen) < 2:
        return False
    try:
        chart = p_chart(
            [c.breached + c.open_breached for c in chosen], [c.denominator for c in chosen]
        )
    except (InsufficientData, ValidationError):
        return False
    axes = figure.add_subplot()
    _control(axes, chart, [c.period.label for c in chosen], m, 100)
    axes.set_ylabel(m.text(msg.A_BREACH_SHARE))
    axes.set_xlabel(m.text(msg.A_PERIOD))
    return True


def _xmr(report: ServiceReport, m: Messages, figure: Figure) -> bool:
    rows = [
        d
        for d in report.kpi.durations
        if d.kpi.name == "time_to_resolve" and not d.group and d.period.label != "all" and d.n
    ]
    if len(rows) < 2:
        return False
    try:
        chart = xmr_chart([hours(d.mean) or 0.0 for d in rows])
    except (InsufficientData, ValidationError):
        return False
    labels = [d.period.label for d in rows]
    top, bottom = figure.subplots(2, 1, sharex=True, height_ratios=(2, 1))
    _control(top, chart.individuals, labels, m, 1)
    top.set_ylabel(m.text(msg.A_HOURS))
    _control(bottom, chart.moving_range, labels, m, 1)
    bottom.get_legend().remove()
    bottom.set_ylabel(m.text(msg.A_MOVING_RANGE))
    bottom.set_xlabel(m.text(msg.A_PERIOD))
    return True


def _satisfaction(report: ServiceReport, m: Messages, figure: Figure) -> bool:
    rows = [s for s in report.kpi.satisfaction if not s.group and s.period.label != "all"]
    rows = [s for s in rows if s.csat is not None or s.nps is not None]
    if not rows:
        return False
    labels = [s.period.label for s in rows]
    left, right = figure.subplots(1, 2)
    csat = [(i, percent(s.csat)) for i, s in enumerate(rows) if s.csat is not None]
    if csat:
        ys = [v[0] or 0.0 for _, v in csat]
        left.errorbar(
            [i for i, _ in csat],
            ys,
            yerr=[
                [y - (v[1] or 0.0) for y, (_, v) in zip(ys, csat, strict=True)],
                [(v[2] or 0.0) - y for y, (_, v) in zip(ys, csat, strict=True)],
            ],
            marker="o",
            capsize=3,
        )
    left.set_ylim(0, 105)
    left.set_ylabel(m.text(msg.A_CSAT))
    _ticks(left, labels, room=30)
    nps = [(i, s.nps) for i, s in enumerate(rows) if s.nps is not None]
    if nps:
        scores = [r.score for _, r in nps]
        right.errorbar(
            [i for i, _ in nps],
            scores,
            yerr=[
                [s - r.interval.lower for s, (_, r) in zip(scores, nps, strict=True)],
                [r.interval.upper - s for s, (_, r) in zip(scores, nps, strict=True)],
            ],
            marker="o",
            capsize=3,
            color=_COLOURS[1],
        )
    right.set_ylim(-100, 100)
    right.set_ylabel(m.text(msg.A_NPS))
    _ticks(right, labels, room=30)
    return True


def _staffing(report: ServiceReport, m: Messages, figure: Figure) -> bool:
    if report.calls:
        return _calls_against_plan(report, m, figure)
    staffing = report.staffing
    if staffing is None or not staffing.plan.rows:
        return False
    rows = staffing.plan.rows
    labels = [row.start.strftime("%H:%M") for row in rows]
    xs = range(len(rows))
    axes = figure.add_subplot()
    axes.bar(
        xs, [row.staffing.scheduled for row in rows], color="#c6dbef", label=m.text(msg.L_SCHEDULED)
    )
    axes.step(
        xs,
        [row.staffing.agents for row in rows],
        where="mid",
        color=_COLOURS[0],
        label=m.text(msg.L_NEEDED),
    )
    axes.set_ylabel(m.text(msg.A_AGENTS))
    _ticks(axes, labels)
    twin = axes.twinx()
    twin.plot(
        xs,
        [row.staffing.calls for row in rows],
        color=_COLOURS[1],
        marker=".",
        label=m.text(msg.L_FORECAST),
    )
    twin.plot(
        xs, list(staffing.answered), color=_COLOURS[2], marker="o", label=m.text(msg.L_ANSWERED)
    )
    twin.set_ylabel(m.text(msg.A_CALLS))
    twin.grid(False)
    twin.spines["right"].set_visible(True)
    handles, names = axes.get_legend_handles_labels()
    more, more_names = twin.get_legend_handles_labels()
    axes.legend(handles + more, names + more_names, loc="upper left", ncols=2)
    return True


def _calls_against_plan(report: ServiceReport, m: Messages, figure: Figure) -> bool:
    """Calls offered, answered and abandoned per interval as bars, the Erlang plan's forecast
    beside them; agents needed (plan) and staffed (measured) on the right axis."""
    measured = {k.start.astimezone(dt.UTC): k for k in report.calls}
    plan = {} if report.staffing is None else report.staffing.plan.rows
    planned = {row.start.astimezone(dt.UTC): row for row in plan}
    starts = sorted(set(measured) | set(planned))
    labels = [
        (measured[s].start if s in measured else planned[s].start).strftime("%H:%M") for s in starts
    ]
    xs = range(len(starts))
    axes = figure.add_subplot()
    width = 0.27
    for k, (name, label, colour) in enumerate(
        (
            ("offered", msg.L_OFFERED, _COLOURS[0]),
            ("answered", msg.L_ANSWERED, _COLOURS[2]),
            ("abandoned", msg.L_ABANDONED, _COLOURS[3]),
        )
    ):
        counts = [getattr(measured[s], name) if s in measured else 0 for s in starts]
        axes.bar(
            [x + (k - 1) * width for x in xs], counts, width, color=colour, label=m.text(label)
        )
    nan = float("nan")
    if planned:
        forecast = [planned[s].staffing.calls if s in planned else nan for s in starts]
        axes.plot(
            xs,
            forecast,
            color=_COLOURS[1],
            marker="D",
            linestyle="--",
            label=m.text(msg.L_FORECAST),
        )
    axes.set_ylabel(m.text(msg.A_CALLS))
    _ticks(axes, labels)
    twin = axes.twinx()
    if planned:
        needed = [planned[s].staffing.agents if s in planned else nan for s in starts]
        twin.step(xs, needed, where="mid", color=_COLOURS[4], label=m.text(msg.L_NEEDED))
    staffed: list[float] = []
    for s in starts:
        agents = measured[s].staffed_agents if s in measured else None
        staffed.append(nan if agents is None else agents)
    if any(value == value for value in staffed):  # not every value NaN
        twin.plot(
            xs, staffed, color=_COLOURS[5], marker="s", linestyle="", label=m.text(msg.L_STAFFED)
        )
    twin.set_ylim(bottom=0)
    twin.set_ylabel(m.text(msg.A_AGENTS))
    twin.grid(False)
    twin.spines["right"].set_visible(True)
    handles, names = axes.get_legend_handles_labels()
    more, more_names = twin.get_legend_handles_labels()
    axes.legend(handles + more, names + more_names, loc="upper right", ncols=2)
    return True


_DRAWERS: tuple[tuple[str, str, _Draw], ...] = (
    ("sla_compliance", msg.C_COMPLIANCE, _compliance),
    ("backlog", msg.C_BACKLOG, _backlog),
    ("pareto_categories", msg.C_PARETO_CATEGORIES, _pareto_categories),
    ("pareto_complaints", msg.C_PARETO_COMPLAINTS, _pareto_complaints),
    ("p_chart", msg.C_P_CHART, _p_chart),
    ("xmr_chart", msg.C_XMR, _xmr),
    ("satisfaction", msg.C_SATISFACTION, _satisfaction),
    ("staffing", msg.C_STAFFING, _staffing),
)

#: The charts :func:`render_charts` can draw, in the order it draws them.
CHART_KEYS: tuple[str, ...] = tuple(key for key, _, _ in _DRAWERS)
