"""SLA policies and clocks: targets, pauses, warnings, breaches, escalations, recalculation.

Everything is pure. A :class:`PolicySet` of :class:`SlaPolicy` values (plain data) says which
clocks a ticket has and their targets; :func:`evaluate` folds the ticket's events into the
clocks and measures them at the ``now`` you pass; :func:`due_actions` lists the warnings and
escalations due, :func:`next_change_at` when to look again, and :func:`pause_findings` the
pauses that hid work. :class:`SlaTracker` is the same fold, kept and continued event by event.
"""

from itsm_core.sla._abuse import PauseFinding, PauseFindingKind, pause_findings
from itsm_core.sla._actions import DueAction, action_key, due_actions, next_change_at
from itsm_core.sla._conditions import (
    ALWAYS,
    NEVER,
    AllOf,
    AnyOf,
    CommentBy,
    Condition,
    EventIn,
    Fact,
    FieldChanged,
    FieldIn,
    Not,
    PublicComment,
    StateIn,
    StatusIn,
    condition_from_dict,
)
from itsm_core.sla._definition import (
    BUILTIN_CLOCKS,
    FIRST_RESPONSE,
    GROUP_RESOLUTION,
    NEXT_RESPONSE,
    RESOLUTION,
    CancelWhen,
    ClockDefinition,
    ClockKind,
    Restart,
)
from itsm_core.sla._duration import Duration, Unit
from itsm_core.sla._engine import SlaTracker, evaluate, evaluate_many
from itsm_core.sla._policy import ANY, MetricSpec, OnChange, SlaPolicy
from itsm_core.sla._selection import PolicySet, Selection, SelectionMode
from itsm_core.sla._standard import STANDARD_POLICIES
from itsm_core.sla._state import ClockState, ClockStatus, SlaReport, ThresholdState
from itsm_core.sla._thresholds import SERVICENOW_THRESHOLDS, ActionKind, Threshold

__all__ = [  # noqa: RUF022 (plain sorted(), as tests/test_public_api.py pins)
    "ALWAYS",
    "ANY",
    "ActionKind",
    "AllOf",
    "AnyOf",
    "BUILTIN_CLOCKS",
    "CancelWhen",
    "ClockDefinition",
    "ClockKind",
    "ClockState",
    "ClockStatus",
    "CommentBy",
    "Condition",
    "DueAction",
    "Duration",
    "EventIn",
    "FIRST_RESPONSE",
    "Fact",
    "FieldChanged",
    "FieldIn",
    "GROUP_RESOLUTION",
    "MetricSpec",
    "NEVER",
    "NEXT_RESPONSE",
    "Not",
    "OnChange",
    "PauseFinding",
    "PauseFindingKind",
    "PolicySet",
    "PublicComment",
    "RESOLUTION",
    "Restart",
    "SERVICENOW_THRESHOLDS",
    "STANDARD_POLICIES",
    "Selection",
    "SelectionMode",
    "SlaPolicy",
    "SlaReport",
    "SlaTracker",
    "StateIn",
    "StatusIn",
    "Threshold",
    "ThresholdState",
    "Unit",
    "action_key",
    "condition_from_dict",
    "due_actions",
    "evaluate",
    "evaluate_many",
    "next_change_at",
    "pause_findings",
]
