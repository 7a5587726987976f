"""A ready-made access policy for a service desk, to copy and adapt."""

from __future__ import annotations

from itsm_core.records._access import (
    ANY_ACTION,
    EXPORT,
    READ,
    READ_CONFIDENTIAL,
    WORK_NOTE,
    AccessPolicy,
    AccessRule,
    Condition,
)

_TRIAGE = frozenset({"open", READ, READ_CONFIDENTIAL, "classify", "assign", "comment", WORK_NOTE})
_CUSTOMER = frozenset({"open", READ, "comment", "confirm", "reopen", "resume", "cancel"})
# The other records of the desk (AggregateDesk actions: ``<aggregate>.<command>``).
_AGENT_RECORDS = frozenset({"call.*", "follow-up.*", "activation.read", "drill.read"})
_SUPERVISOR_RECORDS = frozenset(
    {
        *_AGENT_RECORDS,
        "activation.record_step",
        "activation.record_communication",
        "drill.record_drill",
    }
)
_DUTY_OFFICER = frozenset({READ, "call.read", "activation.*", "drill.*"})

#: One intake, graded handling: any agent triages any ticket; the rest of the work is for the
#: ticket's group or its assignee; supervisors read and export everything and act on their
#: groups' tickets; managers and the system do anything; customers see and act on their own
#: tickets only and never see work notes (the confidential field).
#:
#: On the other records: agents record calls and follow-ups and read activations and drills;
#: supervisors too, and they record response steps, communications and the drills they hold;
#: duty officers (值班长) read tickets and calls and run emergency activations and drills
#: (activate a plan, record steps and communications, stand down, record the review; schedule,
#: reschedule, hold and cancel drills); managers and the system do anything; customers nothing.
STANDARD_ACCESS_POLICY = AccessPolicy(
    name="standard",
    rules=(
        AccessRule(role="agent", actions=_TRIAGE, description="service desk triage"),
        AccessRule(role="agent", actions={ANY_ACTION}, when={Condition.OWN_GROUP}),
        AccessRule(role="agent", actions={ANY_ACTION}, when={Condition.ASSIGNED_TO_ACTOR}),
        AccessRule(role="supervisor", actions={READ, READ_CONFIDENTIAL, EXPORT, "open"}),
        AccessRule(role="supervisor", actions={ANY_ACTION}, when={Condition.OWN_GROUP}),
        AccessRule(role="manager", actions={ANY_ACTION}),
        AccessRule(role="system", actions={ANY_ACTION}),
        AccessRule(role="approver", actions={READ, "approve", "deny"}),
        AccessRule(role="cab", actions={READ, "approve", "deny"}),
        AccessRule(role="customer", actions=_CUSTOMER, when={Condition.REQUESTED_BY_ACTOR}),
        AccessRule(role="agent", actions=_AGENT_RECORDS, description="calls and follow-ups"),
        AccessRule(role="supervisor", actions=_SUPERVISOR_RECORDS, description="supervision"),
        AccessRule(role="duty_officer", actions=_DUTY_OFFICER, description="emergencies"),
    ),
    confidential_fields=frozenset({"work_notes"}),
)
