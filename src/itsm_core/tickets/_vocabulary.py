"""The closed vocabularies a ticket is recorded with: kinds, channels, tiers, levels, reasons."""

from __future__ import annotations

import enum

from itsm_core.i18n import N_


class TicketKind(enum.StrEnum):
    """What the ticket is about; each kind has a default built-in workflow."""

    INCIDENT = "incident"
    SERVICE_REQUEST = "service_request"
    CONSULTATION = "consultation"
    COMPLAINT = "complaint"
    PROBLEM = "problem"
    CHANGE = "change"
    MAJOR_INCIDENT = "major_incident"


class ProblemLevel(enum.StrEnum):
    """How hard a technical problem is (一般、复杂、重大技术问题): its own classification, set with
    ``OpenTicket`` or ``Classify``, never read from the category text.

    The standards' response targets hang on it (24 h general, 48 h complex, 72 h major: see
    :data:`~itsm_core.sla.STANDARD_POLICIES`, ``target_by="problem_level"``). It is not the
    response level (1 major .. 3 general), which grades how urgently a complaint or an
    emergency is answered.

    >>> ProblemLevel.MAJOR.label
    'Major technical problem'
    """

    GENERAL = "general"
    COMPLEX = "complex"
    MAJOR = "major"

    @property
    def label(self) -> str:
        """The English label, a message id of the ``tickets`` catalogue
        (``Messages.load("zh-CN", "tickets").text(level.label)`` is ``重大技术问题``)."""
        return _PROBLEM_LEVEL_LABELS[self]


_PROBLEM_LEVEL_LABELS = {
    ProblemLevel.GENERAL: N_("General technical problem"),
    ProblemLevel.COMPLEX: N_("Complex technical problem"),
    ProblemLevel.MAJOR: N_("Major technical problem"),
}


class Channel(enum.StrEnum):
    """How the request reached the service desk (one intake, many channels)."""

    PHONE = "phone"
    EMAIL = "email"
    WEB = "web"
    CHAT = "chat"
    ON_SITE = "on_site"
    MOBILE = "mobile"


class CustomerTier(enum.StrEnum):
    """The customer tiers of the default tier vocabulary
    (:data:`~itsm_core.priority.DEFAULT_TIERS`), as enum members for convenience.

    A ticket records its tier as a plain name of the context's tier vocabulary, so a desk with
    other tiers (gold, silver...) configures a :class:`~itsm_core.priority.TierVocabulary`
    instead; these members compare equal to those names.
    """

    REGULAR = "regular"
    VIP = "vip"
    ENTERPRISE = "enterprise"


class SupportLevel(enum.StrEnum):
    """Support line handling the ticket; functional escalation moves one level up."""

    L1 = "l1"
    L2 = "l2"
    L3 = "l3"

    @property
    def next(self) -> SupportLevel | None:
        """The level above, or None at L3.

        >>> SupportLevel.L1.next, SupportLevel.L3.next
        (<SupportLevel.L2: 'l2'>, None)
        """
        order = list(SupportLevel)
        i = order.index(self)
        return order[i + 1] if i + 1 < len(order) else None


class ComplaintType(enum.StrEnum):
    """The four complaint types of the customer-service standards."""

    SERVICE = "service"
    PROCESS = "process"
    TECHNICAL = "technical"
    POLICY = "policy"


class ChangeType(enum.StrEnum):
    """ITIL change types; each has its own built-in workflow."""

    NORMAL = "normal"
    STANDARD = "standard"
    EMERGENCY = "emergency"


class HoldReason(enum.StrEnum):
    """Why a ticket waits (the SLA engine pauses its clocks while it does)."""

    AWAITING_CUSTOMER = "awaiting_customer"
    AWAITING_VENDOR = "awaiting_vendor"
    AWAITING_CHANGE = "awaiting_change"
    AWAITING_PROBLEM = "awaiting_problem"


class EscalationKind(enum.StrEnum):
    """Functional: to the next support level; hierarchical: to management."""

    FUNCTIONAL = "functional"
    HIERARCHICAL = "hierarchical"


class Role(enum.StrEnum):
    """The roles the built-in workflows name.

    A context may name another role (a custom workflow's, an access policy's), but ``decide``
    refuses, with :class:`~itsm_core.errors.UnknownRole`, a role that no workflow of the
    context's registry names when it meets a transition that limits roles
    (``WorkflowRegistry.roles`` lists them).
    """

    AGENT = "agent"
    SUPERVISOR = "supervisor"
    MANAGER = "manager"
    CUSTOMER = "customer"
    SYSTEM = "system"
    CAB = "cab"
    APPROVER = "approver"


#: Roles that work tickets on the provider's side.
STAFF_ROLES = frozenset({Role.AGENT, Role.SUPERVISOR, Role.MANAGER, Role.SYSTEM})

#: Response levels (1 major, 2 serious, 3 general) and emergency levels share this range.
RESPONSE_LEVELS = (1, 2, 3)
