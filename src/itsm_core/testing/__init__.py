"""The testing kit for storage adapters and domain code (install the ``testing`` extra).

* :class:`EventStoreContract`, :class:`RepositoryContract` (tickets),
  :class:`ArticleRepositoryContract` (knowledge articles) and the generic
  :class:`ValueRepositoryContract`: pytest base classes; subclass them, give a factory, and
  pytest runs the whole contract against your adapter.
* :class:`ProjectionStoreContract`: the same for a :class:`~itsm_core.desk.ProjectionStore`
  (rows and checkpoint committed together, queries equal to a plain filter over the rows),
  and :class:`OutboxContract` for an :class:`~itsm_core.desk.Outbox` (each key stored once,
  claims under a lease, sent messages never claimed again), and
  :class:`ArticleSearchContract` for a :class:`~itsm_core.knowledge.ArticleSearch` (the
  same result set, more matched terms never rank lower, filters never leak).
* :func:`event_store_agreement`, :func:`repository_agreement`: hypothesis state machines that
  drive your adapter and the in-memory reference with the same random operations and assert
  they agree after every step.
* Strategies for the domain types, registered with hypothesis so ``st.from_type(Ticket)``,
  ``st.from_type(Article)`` and the like work once the package is installed
  (:func:`register_strategies` does it by hand from a source tree), and
  :func:`article_histories` for whole event streams of an article.
* Deterministic samples (:func:`sample_ticket`, :func:`sample_event`, :func:`sample_events`,
  :func:`sample_article`) for adapter tests.
"""

from itsm_core.testing._agreement import event_store_agreement, repository_agreement
from itsm_core.testing._article_search_contract import ArticleSearchContract
from itsm_core.testing._contracts import (
    ArticleRepositoryContract,
    EventStoreContract,
    RepositoryContract,
    ValueRepositoryContract,
)
from itsm_core.testing._hypothesis import register_strategies
from itsm_core.testing._knowledge_strategies import article_histories
from itsm_core.testing._outbox_contract import OutboxContract
from itsm_core.testing._projection_contract import ProjectionStoreContract
from itsm_core.testing._samples import sample_article, sample_event, sample_events, sample_ticket

__all__ = [
    "ArticleRepositoryContract",
    "ArticleSearchContract",
    "EventStoreContract",
    "OutboxContract",
    "ProjectionStoreContract",
    "RepositoryContract",
    "ValueRepositoryContract",
    "article_histories",
    "event_store_agreement",
    "register_strategies",
    "repository_agreement",
    "sample_article",
    "sample_event",
    "sample_events",
    "sample_ticket",
]
