"""SLA policies and clocks: targets, pauses, warnings, breaches, escalations, recalculation.

Everything is pure. A :class:`PolicySet` of :class:`SlaPolicy` values (plain data) says which
clocks a ticket has and their targets; :func:`evaluate` folds the ticket's events into the
clocks and measures them at the ``now`` you pass; :func:`due_actions` lists the warnings and
escalations due, :func:`next_change_at` when to look again, and :func:`pause_findings` the
pauses that hid work. :class:`SlaTracker` is the same fold, kept and continued event by event,
and :func:`sweep` measures many trackers at one instant in bulk (a whole desk in well under a
second), with the same results.
"""

from itsm_core.sla._abuse import PauseFinding, pause_findings
from itsm_core.sla._actions import DueAction, due_actions, next_change_at
from itsm_core.sla._conditions import (
    AllOf,
    AnyOf,
    EventIn,
    FieldChanged,
    FieldIn,
    Not,
    PublicComment,
    StateIn,
    StatusIn,
    condition_from_dict,
)
from itsm_core.sla._definition import (
    FIRST_RESPONSE,
    GROUP_RESOLUTION,
    NEXT_RESPONSE,
    RESOLUTION,
    ClockDefinition,
    ClockKind,
)
from itsm_core.sla._duration import Duration, Unit
from itsm_core.sla._engine import SlaTracker, evaluate, evaluate_many
from itsm_core.sla._policy import MetricSpec, SlaPolicy
from itsm_core.sla._selection import PolicySet, Selection
from itsm_core.sla._standard import STANDARD_POLICIES
from itsm_core.sla._state import ClockState, ClockStatus, SlaBatch, SlaReport, SweepError
from itsm_core.sla._sweep import ClockColumns, SlaSweep, SweepResult, sweep
from itsm_core.sla._thresholds import SERVICENOW_THRESHOLDS, ActionKind, Threshold

__all__ = [
    "FIRST_RESPONSE",
    "GROUP_RESOLUTION",
    "NEXT_RESPONSE",
    "RESOLUTION",
    "SERVICENOW_THRESHOLDS",
    "STANDARD_POLICIES",
    "ActionKind",
    "AllOf",
    "AnyOf",
    "ClockColumns",
    "ClockDefinition",
    "ClockKind",
    "ClockState",
    "ClockStatus",
    "DueAction",
    "Duration",
    "EventIn",
    "FieldChanged",
    "FieldIn",
    "MetricSpec",
    "Not",
    "PauseFinding",
    "PolicySet",
    "PublicComment",
    "Selection",
    "SlaBatch",
    "SlaPolicy",
    "SlaReport",
    "SlaSweep",
    "SlaTracker",
    "StateIn",
    "StatusIn",
    "SweepError",
    "SweepResult",
    "Threshold",
    "Unit",
    "condition_from_dict",
    "due_actions",
    "evaluate",
    "evaluate_many",
    "next_change_at",
    "pause_findings",
    "sweep",
]
