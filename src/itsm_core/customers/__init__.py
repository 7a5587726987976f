"""Customers and follow-up visits (回访): the customer side of the service-desk standards.

Customers and their contacts are data (:class:`Customer`, :class:`Contact`, loaded with
:meth:`CustomerDirectory.from_dict`, every problem listed with its path): a tier of the desk's
one tier vocabulary (:class:`~itsm_core.priority.TierVocabulary`, the one priority, SLA
selection, routing and reports use), a value segment (:class:`SegmentVocabulary`, the
handbook's high, mid and low value by default), a language, a time zone, a calendar, preferred
channels and a VIP dedicated channel (VIP客户专属客服通道) that routing sends their tickets to
(:meth:`CustomerDirectory.vip_routing_rules`). Tickets name a customer, or one of its
contacts, as their ``requester`` (:meth:`CustomerDirectory.customer_of`).

Follow-up visits (服务跟进, 反馈跟踪, 主动征求反馈): :class:`FollowUpPolicies` say which resolved
tickets are followed up, how many business days after the resolution, how many attempts and
by which channel; a :class:`FollowUpTask` is an aggregate on the kernel
(:func:`decide_follow_up`, :data:`FOLLOW_UP`) that records attempts and ends satisfied,
dissatisfied (:func:`ticket_command` gives the ``Reopen`` or the complaint to execute) or
unreachable; :func:`follow_up_coverage` is the coverage KPI (at least 95% of closed tickets
surveyed or followed up). :class:`ChurnRule` says when declining satisfaction puts a customer
at risk. Labels are in the ``customers`` message catalogue (English and Simplified Chinese).
"""

from itsm_core.customers._churn import ChurnRule
from itsm_core.customers._coverage import COVERAGE_TARGET, FollowUpCoverage, follow_up_coverage
from itsm_core.customers._customer import Contact, Customer
from itsm_core.customers._directory import CustomerDirectory
from itsm_core.customers._followup import (
    FOLLOW_UP,
    OUTCOME_LABELS,
    Attempt,
    AttemptRecorded,
    DissatisfiedAction,
    FollowUpCommand,
    FollowUpCompleted,
    FollowUpEvent,
    FollowUpOutcome,
    FollowUpScheduled,
    FollowUpTask,
    RecordAttempt,
    ScheduleFollowUp,
    decide_follow_up,
    ticket_command,
)
from itsm_core.customers._policy import FollowUpPolicies, FollowUpPolicy
from itsm_core.customers._segments import DEFAULT_SEGMENTS, SegmentVocabulary
from itsm_core.customers._survey import SurveyAnswered

__all__ = [
    "COVERAGE_TARGET",
    "DEFAULT_SEGMENTS",
    "FOLLOW_UP",
    "OUTCOME_LABELS",
    "Attempt",
    "AttemptRecorded",
    "ChurnRule",
    "Contact",
    "Customer",
    "CustomerDirectory",
    "DissatisfiedAction",
    "FollowUpCommand",
    "FollowUpCompleted",
    "FollowUpCoverage",
    "FollowUpEvent",
    "FollowUpOutcome",
    "FollowUpPolicies",
    "FollowUpPolicy",
    "FollowUpScheduled",
    "FollowUpTask",
    "RecordAttempt",
    "ScheduleFollowUp",
    "SegmentVocabulary",
    "SurveyAnswered",
    "decide_follow_up",
    "follow_up_coverage",
    "ticket_command",
]
