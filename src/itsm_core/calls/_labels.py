"""Bilingual labels of the call KPIs, and a plain-text table of them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from itsm_core.calls._kpis import IntervalKpis
from itsm_core.i18n import N_, Messages, format_percent

#: The KPI columns of :func:`kpi_table`, as their English labels (message ids of ``calls``).
KPI_LABELS: tuple[str, ...] = (
    N_("Interval"),
    N_("Offered"),
    N_("Answered"),
    N_("Abandoned"),
    N_("Service level"),
    N_("Average speed of answer"),
    N_("Abandonment rate"),
    N_("Abandonment rate without short abandons"),
    N_("Average handle time"),
    N_("Occupancy"),
    N_("First-contact resolution"),
    N_("Callbacks requested"),
)
_SECONDS = N_("{seconds} s")


def _percent(value: float | None, language: str) -> str:
    return "-" if value is None else format_percent(value, language)


def _seconds(value: dt.timedelta | None, messages: Messages) -> str:
    if value is None:
        return "-"
    return messages.format(_SECONDS, seconds=f"{value.total_seconds():.1f}")


def kpi_table(kpis: Sequence[IntervalKpis], language: str = "en") -> str:
    """The KPIs as a tab-separated table with a header row, labels in ``language``
    (``"en"`` or ``"zh-CN"``), one row per interval (local start and end times).

    >>> kpi_table((), "zh-CN").split("\\t")[:5]
    ['时段', '呼入', '接通', '放弃', '服务水平']
    """
    messages = Messages.load(language, "calls")
    lines = ["\t".join(messages.text(label) for label in KPI_LABELS)]
    for row in kpis:
        cells = (
            f"{row.start:%H:%M}-{row.end:%H:%M}",
            str(row.offered),
            str(row.answered),
            str(row.abandoned),
            _percent(row.service_level, language),
            _seconds(row.average_speed_of_answer, messages),
            _percent(row.abandonment_rate, language),
            _percent(row.abandonment_rate_excluding_short, language),
            _seconds(row.average_handle_time, messages),
            _percent(row.occupancy, language),
            _percent(row.first_contact_resolution, language),
            str(row.callbacks_requested),
        )
        lines.append("\t".join(cells))
    return "\n".join(lines)
