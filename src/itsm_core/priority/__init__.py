"""Priority matrices, intake rules, modifiers and response grading: data, validated, explained.

A :class:`GradingMatrix` maps two graded inputs to a graded result (impact x urgency to
priority; complaint severity x urgency or risk likelihood x severity to a response level). It is
checked on construction to be total and monotone. A :class:`PriorityPolicy` derives impact and
urgency from :class:`IntakeFacts` with ordered :class:`IntakeRule` lists, looks the priority up,
applies the customer tier, a major incident and a manual :class:`Override`, and returns a
:class:`PriorityDecision` that explains every step. :class:`ResponseGrading` does the same for
complaints and emergencies. On every scale level 1 is the highest.

:class:`TierVocabulary` is the one home of customer-tier names (:data:`DEFAULT_TIERS`: regular,
vip, enterprise): tickets, SLA policy sets and routing rules take the same value, so a tier means
the same thing everywhere and an unknown one is refused with the list of known tiers.
"""

from itsm_core.priority._catalogue import (
    COMPLAINT_GRADING,
    EMERGENCY_GRADING,
    ITIL_MATRIX,
    ITIL_POLICY,
    MATRIX_5X5,
    SERVICENOW_MATRIX,
)
from itsm_core.priority._decision import GradingDecision, PriorityDecision
from itsm_core.priority._grading import ResponseGrading
from itsm_core.priority._intake import IntakeFacts, IntakeRule, IntakeRules, Interruption
from itsm_core.priority._matrix import GradingMatrix
from itsm_core.priority._override import Override
from itsm_core.priority._policy import PriorityPolicy
from itsm_core.priority._scale import PriorityScale
from itsm_core.priority._tiers import DEFAULT_TIERS, TierVocabulary

__all__ = [
    "COMPLAINT_GRADING",
    "DEFAULT_TIERS",
    "EMERGENCY_GRADING",
    "ITIL_MATRIX",
    "ITIL_POLICY",
    "MATRIX_5X5",
    "SERVICENOW_MATRIX",
    "GradingDecision",
    "GradingMatrix",
    "IntakeFacts",
    "IntakeRule",
    "IntakeRules",
    "Interruption",
    "Override",
    "PriorityDecision",
    "PriorityPolicy",
    "PriorityScale",
    "ResponseGrading",
    "TierVocabulary",
]
