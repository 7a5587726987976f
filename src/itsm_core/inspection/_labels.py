"""Bilingual labels of inspection results."""

from __future__ import annotations

from collections.abc import Mapping

from itsm_core.i18n import N_, Messages, format_decimal, format_percent
from itsm_core.inspection._inspection import Calibration
from itsm_core.inspection._results import AgentQuality

QUALITY_LABELS: tuple[str, ...] = (
    N_("Agent"),
    N_("Inspected"),
    N_("Mean score"),
    N_("Pass rate"),
    N_("Critical failures"),
    N_("Remedial training"),
)
_YES, _NO = N_("yes"), N_("no")
_BANDS = (
    N_("poor"),
    N_("slight"),
    N_("fair"),
    N_("moderate"),
    N_("substantial"),
    N_("almost perfect"),
)
_CALIBRATION = N_(
    "{inspectors} inspectors on {subjects} contacts: kappa {kappa} ({band}), widest gap "
    "{spread} points on {subject}"
)


def quality_table(qualities: Mapping[str, AgentQuality], language: str = "en") -> str:
    """Per-agent results as a tab-separated table with a header, labels in ``language``.

    >>> quality_table({}, "zh-CN").split("\\t")[:3]
    ['坐席', '质检数', '平均得分']
    """
    messages = Messages.load(language, "inspection")
    lines = ["\t".join(messages.text(label) for label in QUALITY_LABELS)]
    for q in qualities.values():
        cells = (
            q.agent,
            str(q.inspections),
            format_decimal(q.mean_score, language),
            format_percent(q.pass_rate, language, digits=0),
            str(q.critical_failures),
            messages.text(_YES if q.needs_remedial_training else _NO),
        )
        lines.append("\t".join(cells))
    return "\n".join(lines)


def calibration_text(calibration: Calibration, language: str = "en") -> str:
    """One sentence on a calibration session, in ``language``."""
    messages = Messages.load(language, "inspection")
    kappa = calibration.item_kappa
    spread, subject = calibration.largest_spread
    return messages.format(
        _CALIBRATION,
        inspectors=len(calibration.inspectors),
        subjects=len(calibration.subjects),
        kappa="-" if kappa is None else format_decimal(kappa, language, digits=2),
        band="-" if calibration.band is None else messages.text(calibration.band),
        spread=format_decimal(spread, language),
        subject=subject,
    )
