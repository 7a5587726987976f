"""Teach hypothesis the domain types, so ``st.from_type(Ticket)`` draws valid tickets.

Installed with the ``testing`` extra, itsm_core declares a ``hypothesis`` entry point naming
``itsm_core.testing._hypothesis:register_strategies``, which hypothesis calls when it is
imported. It names this module rather than the package facade: hypothesis loads its entry
points while it is itself being imported, possibly from ``itsm_core.testing``'s own imports,
and this module is importable at that moment. Call :func:`register_strategies` yourself when
the package is used from a source tree without being installed.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from itsm_core.calendar import BusinessCalendar
from itsm_core.calls import Call, CallEvent
from itsm_core.customers import (
    AttemptRecorded,
    FollowUpCompleted,
    FollowUpScheduled,
    FollowUpTask,
    SurveyAnswered,
)
from itsm_core.emergency import Activation, ActivationEvent, Drill, DrillEvent, EmergencyPlan
from itsm_core.improvement import (
    ActionItem,
    CycleEvent,
    EffectivenessReview,
    ImprovementCycle,
    ImprovementSource,
    Measurement,
    Nonconformity,
    NonconformityEvent,
    Target,
)
from itsm_core.inspection import Inspection, ScoringSheet
from itsm_core.knowledge import Article, ArticleEvent, Bm25, CategoryTree, GapPolicy
from itsm_core.priority import GradingMatrix, PriorityDecision, PriorityPolicy
from itsm_core.satisfaction import Survey, SurveyResponse
from itsm_core.sla import SlaPolicy
from itsm_core.testing import _knowledge_strategies as k
from itsm_core.testing import _operations_strategies as o
from itsm_core.testing import _strategies as s
from itsm_core.tickets import Comment, Ticket, TicketEvent


def domain_strategies() -> dict[type, st.SearchStrategy[Any]]:
    """A strategy for each domain type the serializer knows (a new dict on every call)."""
    return {
        Ticket: s.tickets(),
        TicketEvent: s.ticket_events(),
        Comment: s.comments(),
        PriorityPolicy: s.priority_policies(),
        GradingMatrix: s.grading_matrices(),
        PriorityDecision: s.priority_decisions(),
        Survey: s.surveys(),
        SurveyResponse: s.survey_responses(),
        ImprovementCycle: s.improvement_cycles(),
        CycleEvent: s.cycle_events(),
        Nonconformity: s.nonconformities(),
        NonconformityEvent: s.nonconformity_events(),
        ImprovementSource: s.improvement_sources(),
        Measurement: s.measurements(),
        Target: s.targets(),
        ActionItem: s.action_items(),
        EffectivenessReview: s.effectiveness_reviews(),
        BusinessCalendar: s.business_calendars(),
        SlaPolicy: s.sla_policies(),
        Article: k.articles(),
        ArticleEvent: k.article_events(),
        CategoryTree: k.category_trees(),
        Bm25: k.bm25_parameters(),
        GapPolicy: k.gap_policies(),
        Call: o.calls(),
        CallEvent: o.call_event_values(),
        FollowUpTask: o.follow_up_tasks(),
        FollowUpScheduled: o.follow_ups_scheduled(),
        AttemptRecorded: o.attempts_recorded(),
        FollowUpCompleted: o.follow_ups_completed(),
        SurveyAnswered: o.survey_answers(),
        EmergencyPlan: o.emergency_plans(),
        Activation: o.activations(),
        ActivationEvent: o.activation_events(),
        Drill: o.drills(),
        DrillEvent: o.drill_events(),
        ScoringSheet: o.scoring_sheets(),
        Inspection: o.inspections(),
    }


def register_strategies() -> None:
    """Register every domain strategy with hypothesis (safe to call more than once)."""
    for kind, strategy in domain_strategies().items():
        st.register_type_strategy(kind, strategy)
