"""The repository of each aggregate: one generic port, named per aggregate.

``Repository[X]`` is the whole contract; these aliases only say which aggregate a store is
for.
"""

from __future__ import annotations

from typing import TypeAlias

from itsm_core.calendar import BusinessCalendar
from itsm_core.improvement import CycleEvent, ImprovementCycle, Nonconformity
from itsm_core.knowledge import Article, ArticleEvent
from itsm_core.priority import PriorityPolicy
from itsm_core.repositories._ports import EventStore, Repository
from itsm_core.satisfaction import Survey, SurveyResponse
from itsm_core.sla import SlaPolicy
from itsm_core.tickets import Ticket, TicketEvent

TicketRepository: TypeAlias = Repository[Ticket]
"""Ticket snapshots by ticket id (the audit trail itself lives in a :data:`TicketEventStore`)."""

TicketEventStore: TypeAlias = EventStore[TicketEvent]
"""Ticket events, one stream per ticket id; ``replay(store.read(id))`` rebuilds the ticket."""

CycleEventStore: TypeAlias = EventStore[CycleEvent]
"""Improvement cycle events, one stream per cycle id."""

SlaPolicyRepository: TypeAlias = Repository[SlaPolicy]
"""SLA policies by name."""

CalendarRepository: TypeAlias = Repository[BusinessCalendar]
"""Business calendars by name."""

PriorityPolicyRepository: TypeAlias = Repository[PriorityPolicy]
"""Priority policies by name."""

SurveyRepository: TypeAlias = Repository[Survey]
"""Survey definitions by survey id."""

SurveyResponseRepository: TypeAlias = Repository[SurveyResponse]
"""Survey responses, keyed by the caller (e.g. ``"<survey id>/<respondent id>"``)."""

ImprovementCycleRepository: TypeAlias = Repository[ImprovementCycle]
"""Improvement cycles by cycle id."""

NonconformityRepository: TypeAlias = Repository[Nonconformity]
"""Nonconformities by id."""

KnowledgeArticleRepository: TypeAlias = Repository[Article]
"""Knowledge articles by article id (their history lives in an :data:`ArticleEventStore`)."""

ArticleEventStore: TypeAlias = EventStore[ArticleEvent]
"""Knowledge article events, one stream per article id; ``ARTICLE.replay(store.read(id))``
rebuilds it (``itsm_core.knowledge.ARTICLE``)."""
