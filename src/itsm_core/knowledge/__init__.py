"""The knowledge base (知识库): articles, categories and tags, versions, reuse, and search.

* **Articles**: the :class:`Article` aggregate has versions (author, change note), a category
  path in a :class:`CategoryTree`, tags, links to tickets and problems (known errors), usage
  counters and helpful/not-helpful feedback. Its life (draft, review, published, retired) is
  :data:`ARTICLE_WORKFLOW`, an :class:`~itsm_core.workflow.Workflow`.
  :func:`decide_article` takes a command and an :class:`ArticleContext` and returns the
  kernel's :class:`~itsm_core.kernel.Decision` (the new article and its events);
  :data:`ARTICLE` is the aggregate that folds the events (``ARTICLE.replay(events)``).
* **Search**: :class:`ArticleIndex` is an in-memory inverted index ranked with :class:`Bm25`
  (Robertson/Sparck Jones IDF, ``k1 = 1.2``, ``b = 0.75``) plus a boost for articles that
  solved tickets; :func:`tokenize` cuts Chinese into character bigrams and English into
  case-folded words, without a dictionary. Filters by category, tag and status.
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
from itsm_core.knowledge._events import ARTICLE, ArticleEvent
from itsm_core.knowledge._gaps import GapPolicy, GapReport, knowledge_gaps
from itsm_core.knowledge._index import ArticleIndex
from itsm_core.knowledge._lifecycle import ARTICLE_WORKFLOW, ArticleStatus
from itsm_core.knowledge._visibility import Visibility
from itsm_core.knowledge._query import SearchHit, SearchQuery
from itsm_core.knowledge._ranking import Bm25
from itsm_core.knowledge._synonyms import SynonymTable
from itsm_core.knowledge._suggest import TicketFacts, draft_from_ticket, suggest_articles
from itsm_core.knowledge._tokens import tokenize

__all__ = [
    "ARTICLE",
    "ARTICLE_WORKFLOW",
    "Article",
    "ArticleCommand",
    "Analyzer",
    "ArticleContext",
    "ArticleDocument",
    "ArticleEvent",
    "ArticleIndex",
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
    "SearchQuery",
    "Submit",
    "SynonymTable",
    "TicketFacts",
    "Visibility",
    "decide_article",
    "draft_from_ticket",
    "knowledge_gaps",
    "suggest_articles",
    "tokenize",
]
