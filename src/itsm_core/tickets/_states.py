"""The state enums of the built-in workflows (values are the names stored in events)."""

from __future__ import annotations

import enum

from itsm_core.i18n import N_


class IncidentState(enum.StrEnum):
    """Incident states (ITIL, ServiceNow semantics)."""

    NEW = "new"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    ON_HOLD = "on_hold"
    RESOLVED = "resolved"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class RequestState(enum.StrEnum):
    """Service request states, with an approval step."""

    NEW = "new"
    AWAITING_APPROVAL = "awaiting_approval"
    APPROVED = "approved"
    IN_PROGRESS = "in_progress"
    ON_HOLD = "on_hold"
    FULFILLED = "fulfilled"
    CLOSED = "closed"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


class ConsultationState(enum.StrEnum):
    """Consultation (question) states."""

    NEW = "new"
    IN_PROGRESS = "in_progress"
    ANSWERED = "answered"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class ComplaintState(enum.StrEnum):
    """The five complaint steps (received, analysing, handling, feedback, archived) + withdrawn."""

    RECEIVED = "received"
    ANALYSING = "analysing"
    HANDLING = "handling"
    FEEDBACK = "feedback"
    ARCHIVED = "archived"
    WITHDRAWN = "withdrawn"


class ProblemState(enum.StrEnum):
    """Problem states."""

    NEW = "new"
    ROOT_CAUSE_ANALYSIS = "root_cause_analysis"
    KNOWN_ERROR = "known_error"
    RESOLVED = "resolved"
    CLOSED = "closed"


class ChangeState(enum.StrEnum):
    """Change states shared by the normal, standard and emergency change workflows."""

    NEW = "new"
    ASSESS = "assess"
    AUTHORISE = "authorise"
    SCHEDULED = "scheduled"
    IMPLEMENT = "implement"
    REVIEW = "review"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class MajorIncidentState(enum.StrEnum):
    """Major incident / emergency response states, with a mandatory post-incident review."""

    DECLARED = "declared"
    RESPONDING = "responding"
    RESTORED = "restored"
    REVIEW = "review"
    CLOSED = "closed"


class TechnicalServiceState(enum.StrEnum):
    """The steps of the technical-service SOP (技术服务标准作业程序): requirements collection
    (需求信息采集), the service plan (服务方案, with its internal review and the customer's
    confirmation), preparation (执行前准备), execution (执行), self-check and internal
    verification (自我检查与内部验证) and customer acceptance (客户验收).

    >>> TechnicalServiceState.ACCEPTANCE.label
    'Customer acceptance'
    """

    REQUIREMENTS = "requirements"
    PLANNING = "planning"
    PREPARATION = "preparation"
    EXECUTION = "execution"
    VERIFICATION = "verification"
    ACCEPTANCE = "acceptance"
    CLOSED = "closed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        """The English label, a message id of the ``tickets`` catalogue
        (``Messages.load("zh-CN", "tickets").text(state.label)``)."""
        return _TECHNICAL_SERVICE_LABELS[self]


_TECHNICAL_SERVICE_LABELS = {
    TechnicalServiceState.REQUIREMENTS: N_("Requirements collection"),
    TechnicalServiceState.PLANNING: N_("Service plan"),
    TechnicalServiceState.PREPARATION: N_("Preparation"),
    TechnicalServiceState.EXECUTION: N_("Execution"),
    TechnicalServiceState.VERIFICATION: N_("Self-check and internal verification"),
    TechnicalServiceState.ACCEPTANCE: N_("Customer acceptance"),
    TechnicalServiceState.CLOSED: N_("Closed"),
    TechnicalServiceState.CANCELLED: N_("Cancelled"),
}
