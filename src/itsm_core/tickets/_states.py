"""The state enums of the built-in workflows (values are the names stored in events)."""

from __future__ import annotations

import enum


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
