"""The knowledge base (知识库): articles, categories and tags, versions, reuse, and search.

* **Articles**: the :class:`Article` aggregate has versions (author, change note), a category
  path in a :class:`CategoryTree`, tags, links to tickets and problems (known errors), usage
  counters and helpful/not-helpful feedback. Its life (draft, review, published, retired) is
  :data:`ARTICLE_WORKFLOW`, an :class:`~itsm_core.workflow.Workflow`.
  :func:`decide_article` takes a command and an :class:`ArticleContext` and returns the
  kernel's :class:`~itsm_core.kernel.Decision` (the new article and its events);
  :data:`ARTICLE` is the aggregate that folds the events (``ARTICLE.replay(events)``).
* **Search**: :class:`ArticleIndex` is an in-memory inverted index (numpy arrays when
  installed, pure Python otherwise, same results) ranked with :class:`Bm25` (Lucene's
  non-negative IDF, ``k1 = 1.2``, ``b = 0.75``) plus a boost from solved tickets and feedback;
  an :class:`Analyzer` makes the terms: :func:`tokenize` (Chinese bigrams, case-folded words),
  English stemming, a :class:`SynonymTable`, hyphenated compounds, optional jieba words.
  Filters by category, tag, status and :class:`Visibility`; :class:`ArticleDocument` is the
  bulk path; :func:`evaluate_search` measures nDCG@10 and MRR on labelled queries.
  :class:`ArticleSearch` is the search port the index shares with the database full-text
  searches of :mod:`itsm_core.adapters` (FTS5 on SQLite, ``tsvector`` on PostgreSQL).
* **Lifecycle**: review dates (:class:`ConfirmReview`, :func:`staleness_report`), internal or
  public visibility, and self-publishing in one decision where the policy allows it.
* **Reuse**: :func:`suggest_articles` for a new ticket; :func:`draft_from_ticket` turns a
  resolved ticket into a draft; :func:`knowledge_gaps` finds the categories with many tickets
  and few published articles.
"""

from itsm_core.knowledge._analysis import Analyzer
from itsm_core.knowledge._article import Article, ArticleVersion
from itsm_core.knowledge._categories import CategoryTree
from itsm_core.knowledge._commands import (
    ArticleCommand,
    ConfirmReview,
    CreateArticle,
    LinkProblem,
    LinkTicket,
    Publish,
    RecordFeedback,
    RecordSolved,
    RecordView,
    RequestChanges,
    Retire,
    Revise,
    Submit,
)
from itsm_core.knowledge._decide import ArticleContext, decide_article
from itsm_core.knowledge._document import ArticleDocument
from itsm_core.knowledge._evaluation import SearchQuality, evaluate_search
from itsm_core.knowledge._events import ARTICLE, ArticleEvent
from itsm_core.knowledge._gaps import GapPolicy, GapReport, knowledge_gaps
from itsm_core.knowledge._index import ArticleIndex
from itsm_core.knowledge._lifecycle import ARTICLE_WORKFLOW, ArticleStatus
from itsm_core.knowledge._query import SearchHit, SearchQuery
from itsm_core.knowledge._ranking import Bm25
from itsm_core.knowledge._search import ArticleSearch
from itsm_core.knowledge._staleness import (
    StaleArticle,
    StalenessPolicy,
    review_due,
    staleness_report,
)
from itsm_core.knowledge._suggest import TicketFacts, draft_from_ticket, suggest_articles
from itsm_core.knowledge._synonyms import SynonymTable
from itsm_core.knowledge._tokens import tokenize
from itsm_core.knowledge._visibility import Visibility

__all__ = [
    "ARTICLE",
    "ARTICLE_WORKFLOW",
    "Analyzer",
    "Article",
    "ArticleCommand",
    "ArticleContext",
    "ArticleDocument",
    "ArticleEvent",
    "ArticleIndex",
    "ArticleSearch",
    "ArticleStatus",
    "ArticleVersion",
    "Bm25",
    "CategoryTree",
    "ConfirmReview",
    "CreateArticle",
    "GapPolicy",
    "GapReport",
    "LinkProblem",
    "LinkTicket",
    "Publish",
    "RecordFeedback",
    "RecordSolved",
    "RecordView",
    "RequestChanges",
    "Retire",
    "Revise",
    "SearchHit",
    "SearchQuality",
    "SearchQuery",
    "StaleArticle",
    "StalenessPolicy",
    "Submit",
    "SynonymTable",
    "TicketFacts",
    "Visibility",
    "decide_article",
    "draft_from_ticket",
    "evaluate_search",
    "knowledge_gaps",
    "review_due",
    "staleness_report",
    "suggest_articles",
    "tokenize",
]
