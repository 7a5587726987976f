"""Bilingual labels of the people package: course, exam and need kinds, sources, bands.

The texts are marked with ``N_`` here and translated in the ``people`` catalogue.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

from itsm_core._plain import shown
from itsm_core.errors import Problem, ValidationError
from itsm_core.i18n import N_, Messages
from itsm_core.people._appraisal import AppraisalSource
from itsm_core.people._needs import NeedReason
from itsm_core.people._training import CourseKind, ExamKind

_LABELS: Mapping[enum.Enum, str] = {
    CourseKind.NEW_HIRE: N_("new-hire training"),
    CourseKind.REMEDIAL: N_("remedial training"),
    CourseKind.SKILL: N_("skill training"),
    CourseKind.CERTIFICATION: N_("certification"),
    ExamKind.WRITTEN: N_("written exam"),
    ExamKind.PRACTICAL: N_("practical test"),
    NeedReason.NEW_HIRE: N_("new hire"),
    NeedReason.FAILED_INSPECTION: N_("failed quality inspection"),
    NeedReason.EXPIRING_CERTIFICATION: N_("certification expiring"),
    AppraisalSource.KPI: N_("KPI scorecard"),
    AppraisalSource.SELF: N_("self-assessment"),
    AppraisalSource.SUPERIOR: N_("superior's rating"),
    AppraisalSource.FEEDBACK_360: N_("360-degree feedback"),
    AppraisalSource.INSPECTION: N_("quality inspection"),
}
_DIMENSIONS: Mapping[str, str] = {
    "work_quality": N_("work quality"),
    "attitude": N_("attitude"),
    "ability": N_("ability"),
    "output": N_("output"),
}


def people_label(
    value: CourseKind | ExamKind | NeedReason | AppraisalSource | str, language: str
) -> str:
    """The label of ``value`` in ``language``: a kind, a reason, a source, one of the four
    appraisal dimensions (``"work_quality"``...) or a band label of the default bands
    (``"excellent"``...); any other text is returned as given (a band you named yourself).

    >>> people_label(AppraisalSource.FEEDBACK_360, "zh-CN"), people_label("ability", "zh-CN")
    ('360度反馈', '工作能力')
    >>> people_label("excellent", "zh-CN"), people_label("excellent", "en")
    ('优秀', 'excellent')
    """
    messages = Messages.load(language, "people")
    if isinstance(value, enum.Enum):
        text = _LABELS.get(value)
        if text is None:
            raise ValidationError(
                "people_label", [Problem("value", f"no label for {shown(value)}")]
            )
        return messages.text(text)
    if not isinstance(value, str):
        raise ValidationError("people_label", [Problem("value", f"no label for {shown(value)}")])
    return messages.text(_DIMENSIONS.get(value, value))
