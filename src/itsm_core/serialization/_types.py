"""The registered types: one line per type, with its envelope name and schema version."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs

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
from itsm_core.errors import InvalidTypeSpec, Problem
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
from itsm_core.serialization._upcasters import ticket_event_v1_to_v2, ticket_v1_to_v2
from itsm_core.sla import SlaPolicy
from itsm_core.tickets import Comment, Ticket, TicketEvent

#: Turns the data of one schema version into the data of the next.
Upgrade = Callable[[dict[str, Any]], dict[str, Any]]


def _frozen_upgrades(value: Mapping[int, Upgrade]) -> Mapping[int, Upgrade]:
    return dict(value)


@attrs.frozen(kw_only=True)
class TypeSpec:
    """How one type is written in an envelope: ``{"type": name, "version": v, "data": ...}``.

    Attributes:
        name: the envelope name (``"ticket"``); stable, so stored data outlives class renames.
        cls: the class.
        version: the current schema version of the data, from 1.
        via_methods: True to use the class's own ``to_dict`` / ``from_dict`` (the documented
            format of configuration types); False to let the converter derive it from the
            attrs fields.
        upgrades: ``{v: f}`` where ``f`` turns version ``v`` data into version ``v + 1`` data,
            so data written by an older release still loads. Versions with no path to the
            current one are refused.

    >>> TypeSpec(name="", cls=int, version=0)
    Traceback (most recent call last):
    ...
    itsm_core.errors.InvalidTypeSpec: invalid type registration for int: 2 problems
      - name: must not be empty
      - version: must be at least 1, got 0
    """

    name: str
    cls: type
    version: int = 1
    via_methods: bool = False
    upgrades: Mapping[int, Upgrade] = attrs.field(factory=dict, converter=_frozen_upgrades)

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        if not self.name:
            problems.append(Problem("name", "must not be empty"))
        if self.version < 1:
            problems.append(Problem("version", f"must be at least 1, got {self.version}"))
        problems.extend(
            Problem("upgrades", f"{v} is not a version before {self.version}")
            for v in sorted(self.upgrades)
            if not 1 <= v < self.version
        )
        if self.via_methods and not (
            hasattr(self.cls, "to_dict") and hasattr(self.cls, "from_dict")
        ):
            problems.append(Problem("via_methods", "the class has no to_dict and from_dict"))
        if problems:
            raise InvalidTypeSpec(f"for {self.cls.__name__}", problems)


#: Every type the default serializer knows. Adding a type is one line here (and a strategy in
#: ``itsm_core.testing`` for its round-trip test).
DEFAULT_TYPES: tuple[TypeSpec, ...] = (
    # tickets
    # version 2: every datetime with its zone (RFC 9557), also those an event sets
    TypeSpec(name="ticket", cls=Ticket, version=2, upgrades={1: ticket_v1_to_v2}),
    TypeSpec(name="ticket_event", cls=TicketEvent, version=2, upgrades={1: ticket_event_v1_to_v2}),
    TypeSpec(name="comment", cls=Comment),
    # priority
    TypeSpec(name="priority_policy", cls=PriorityPolicy, via_methods=True),
    TypeSpec(name="grading_matrix", cls=GradingMatrix, via_methods=True),
    TypeSpec(name="priority_decision", cls=PriorityDecision, via_methods=True),
    # satisfaction
    TypeSpec(name="survey", cls=Survey, via_methods=True),
    TypeSpec(name="survey_response", cls=SurveyResponse),
    # improvement
    TypeSpec(name="improvement_cycle", cls=ImprovementCycle),
    TypeSpec(name="cycle_event", cls=CycleEvent),
    TypeSpec(name="nonconformity", cls=Nonconformity),
    TypeSpec(name="nonconformity_event", cls=NonconformityEvent),
    TypeSpec(name="improvement_source", cls=ImprovementSource),
    TypeSpec(name="measurement", cls=Measurement),
    TypeSpec(name="target", cls=Target),
    TypeSpec(name="action_item", cls=ActionItem),
    TypeSpec(name="effectiveness_review", cls=EffectivenessReview),
    # calendars and SLA policies
    TypeSpec(name="business_calendar", cls=BusinessCalendar, via_methods=True),
    TypeSpec(name="sla_policy", cls=SlaPolicy, via_methods=True),
    # knowledge base
    TypeSpec(name="article", cls=Article),
    TypeSpec(name="article_event", cls=ArticleEvent),
    TypeSpec(name="category_tree", cls=CategoryTree, via_methods=True),
    TypeSpec(name="bm25", cls=Bm25, via_methods=True),
    TypeSpec(name="gap_policy", cls=GapPolicy, via_methods=True),
    # hotline calls
    TypeSpec(name="call", cls=Call),
    TypeSpec(name="call_event", cls=CallEvent),
    # follow-up visits and survey answers (the customer profile's events)
    TypeSpec(name="follow_up_task", cls=FollowUpTask),
    TypeSpec(name="follow_up_scheduled", cls=FollowUpScheduled),
    TypeSpec(name="follow_up_attempt_recorded", cls=AttemptRecorded),
    TypeSpec(name="follow_up_completed", cls=FollowUpCompleted),
    TypeSpec(name="survey_answered", cls=SurveyAnswered),
    # emergency management: plans, activations and drills
    TypeSpec(name="emergency_plan", cls=EmergencyPlan, via_methods=True),
    TypeSpec(name="activation", cls=Activation),
    TypeSpec(name="activation_event", cls=ActivationEvent),
    TypeSpec(name="drill", cls=Drill),
    TypeSpec(name="drill_event", cls=DrillEvent),
    # quality inspection
    TypeSpec(name="scoring_sheet", cls=ScoringSheet, via_methods=True),
    TypeSpec(name="inspection", cls=Inspection),
)
