"""The testing kit for storage adapters and domain code (install the ``testing`` extra).

* :class:`EventStoreContract`, :class:`RepositoryContract` (tickets),
  :class:`ArticleRepositoryContract` (knowledge articles) and the generic
  :class:`ValueRepositoryContract`: pytest base classes; subclass them, give a factory, and
  pytest runs the whole contract against your adapter.
* :func:`event_store_agreement`, :func:`repository_agreement`: hypothesis state machines that
  drive your adapter and the in-memory reference with the same random operations and assert
  they agree after every step.
* Strategies for the domain types (:func:`tickets`, :func:`ticket_events`, :func:`articles`,
  :func:`article_events`, ...), registered with hypothesis so ``st.from_type(Ticket)`` and
  ``st.from_type(Article)`` work once the package is installed.
"""

from itsm_core.testing._agreement import event_store_agreement, repository_agreement
from itsm_core.testing._contracts import (
    ArticleRepositoryContract,
    EventStoreContract,
    RepositoryContract,
    ValueRepositoryContract,
)
from itsm_core.testing._hypothesis import domain_strategies, register_strategies
from itsm_core.testing._knowledge_strategies import (
    article_events,
    article_histories,
    articles,
    bm25_parameters,
    category_paths,
    category_trees,
    gap_policies,
)
from itsm_core.testing._samples import sample_article, sample_event, sample_events, sample_ticket
from itsm_core.testing._strategies import (
    action_items,
    aware_datetimes,
    business_calendars,
    comments,
    cycle_events,
    effectiveness_reviews,
    grading_matrices,
    identifiers,
    improvement_cycles,
    improvement_sources,
    json_values,
    measurements,
    nonconformities,
    nonconformity_events,
    priority_decisions,
    priority_policies,
    sla_policies,
    survey_responses,
    surveys,
    targets,
    texts,
    ticket_events,
    tickets,
)

__all__ = [
    "ArticleRepositoryContract",
    "EventStoreContract",
    "RepositoryContract",
    "ValueRepositoryContract",
    "action_items",
    "article_events",
    "article_histories",
    "articles",
    "aware_datetimes",
    "bm25_parameters",
    "business_calendars",
    "category_paths",
    "category_trees",
    "comments",
    "cycle_events",
    "domain_strategies",
    "effectiveness_reviews",
    "event_store_agreement",
    "gap_policies",
    "grading_matrices",
    "identifiers",
    "improvement_cycles",
    "improvement_sources",
    "json_values",
    "measurements",
    "nonconformities",
    "nonconformity_events",
    "priority_decisions",
    "priority_policies",
    "register_strategies",
    "repository_agreement",
    "sample_article",
    "sample_event",
    "sample_events",
    "sample_ticket",
    "sla_policies",
    "survey_responses",
    "surveys",
    "targets",
    "texts",
    "ticket_events",
    "tickets",
]
