"""Bilingual labels of the emergency package: states, triggers, resource kinds, review parts.

The texts are marked with ``N_`` here and translated in the ``emergency`` catalogue.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

from itsm_core._plain import shown
from itsm_core.emergency._activation import ActivationState, Trigger
from itsm_core.emergency._drill import DrillState
from itsm_core.emergency._resources import ResourceKind
from itsm_core.emergency._review import PostEventReview
from itsm_core.errors import Problem, ValidationError
from itsm_core.i18n import N_, Messages

_LABELS: Mapping[enum.Enum, str] = {
    Trigger.MAJOR_COMPLAINT: N_("major complaint"),
    Trigger.MAJOR_INCIDENT: N_("major incident"),
    Trigger.DECLARED: N_("declared by the duty manager"),
    ActivationState.ACTIVE: N_("response running"),
    ActivationState.STOOD_DOWN: N_("stood down"),
    ActivationState.REVIEWED: N_("reviewed"),
    DrillState.SCHEDULED: N_("drill scheduled"),
    DrillState.HELD: N_("drill held"),
    DrillState.CANCELLED: N_("drill cancelled"),
    ResourceKind.MATERIAL: N_("emergency material"),
    ResourceKind.EQUIPMENT: N_("equipment"),
    ResourceKind.TEAM: N_("standby team"),
    ResourceKind.FACILITY: N_("facility"),
}

_REVIEW_PARTS = (
    ("cause", N_("Cause")),
    ("response_effect", N_("Effect of the response")),
    ("resources_used", N_("Resources used")),
)
_IMPROVEMENTS = N_("Improvements")


def emergency_label(
    value: Trigger | ActivationState | DrillState | ResourceKind, language: str
) -> str:
    """The label of ``value`` in ``language`` (any tag ``i18n.language_of`` takes).

    >>> emergency_label(Trigger.MAJOR_COMPLAINT, "zh-CN")
    '重大投诉'
    >>> emergency_label(Trigger.MAJOR_COMPLAINT, "en")
    'major complaint'
    """
    text = _LABELS.get(value)
    if text is None:
        raise ValidationError("emergency_label", [Problem("value", f"no label for {shown(value)}")])
    return Messages.load(language, "emergency").text(text)


def review_text(review: PostEventReview, language: str) -> str:
    """The four parts of a post-event review as text, one labelled line each (improvements
    one per line below their heading).

    >>> review = PostEventReview(cause="UPS battery aged", response_effect="restored in 40 min",
    ...     resources_used="2 UPS units", improvements=["replace batteries every 3 years"])
    >>> print(review_text(review, "zh-CN"))
    原因: UPS battery aged
    处置效果: restored in 40 min
    资源使用: 2 UPS units
    改进措施:
      - replace batteries every 3 years
    """
    messages = Messages.load(language, "emergency")
    lines = [f"{messages.text(title)}: {getattr(review, name)}" for name, title in _REVIEW_PARTS]
    lines.append(f"{messages.text(_IMPROVEMENTS)}:")
    lines.extend(f"  - {item}" for item in review.improvements)
    return "\n".join(lines)
