"""The search port: what every article index offers, in memory or in a database.

:class:`ArticleSearch` is what :class:`~itsm_core.knowledge.ArticleIndex` offers and what a
database's full-text search can honour too (``SqliteArticleSearch`` on FTS5 and
``PostgresArticleSearch`` on ``tsvector`` in :mod:`itsm_core.adapters`): put an article (or
its :class:`ArticleDocument`), remove it, and search with a :class:`SearchQuery` (or its text
and the filters as keywords). The ranking contract they share is
:class:`itsm_core.testing.ArticleSearchContract`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from itsm_core.errors import Problem, ValidationError
from itsm_core.knowledge._article import Article
from itsm_core.knowledge._document import ArticleDocument
from itsm_core.knowledge._lifecycle import ArticleStatus
from itsm_core.knowledge._query import SearchHit, SearchQuery
from itsm_core.knowledge._visibility import Visibility


@runtime_checkable
class ArticleSearch(Protocol):
    """The port of a searchable set of articles, each known by its id.

    The contract (tested for every implementation by
    :class:`~itsm_core.testing.ArticleSearchContract`):

    * **the same result set**: a search returns the articles that contain at least one of the
      query's terms (as the index's :class:`~itsm_core.knowledge.Analyzer` makes them) and
      pass every filter, best first, at most ``limit`` of them;
    * **more matched terms never rank lower**: of two articles with the same length, term
      frequencies and usage, the one matching a strict superset of the other's query terms
      ranks above it;
    * **the score adds up**: every hit's ``relevance`` is positive, its ``boost`` is the
      ranking's boost from usage, ``score = relevance + boost``; hits are ordered by score,
      ties by article id;
    * **filters never leak**, and a put or a removal shows in the next search.

    Implementations differ in the weights only: the in-memory index and PostgreSQL rank with
    this library's BM25 (Lucene IDF), SQLite with FTS5's ``bm25()`` (the classic IDF, floored
    just above zero).
    """

    def put(self, article: Article | ArticleDocument) -> None:
        """Index the article, replacing what was indexed under its id."""
        ...

    def remove(self, article_id: str) -> None:
        """Drop the article; :class:`~itsm_core.errors.IndexConflict` if it is not indexed."""
        ...

    def search(
        self,
        query: SearchQuery | str,
        *,
        category: str | None = None,
        tags: Iterable[str] | None = None,
        statuses: Iterable[ArticleStatus] | None = None,
        visibilities: Iterable[Visibility] | None = None,
        limit: int | None = None,
    ) -> tuple[SearchHit, ...]:
        """The best articles for ``query``, best first (see the class's contract)."""
        ...

    def __contains__(self, article_id: object) -> bool:
        """True when an article with this id is indexed."""
        ...

    def __len__(self) -> int:
        """How many articles are indexed."""
        ...


def article_document(article: Article | ArticleDocument) -> ArticleDocument:
    """What an index reads of ``article``."""
    return article if isinstance(article, ArticleDocument) else ArticleDocument.of(article)


def search_query(
    query: SearchQuery | str,
    category: str | None = None,
    tags: Iterable[str] | None = None,
    statuses: Iterable[ArticleStatus] | None = None,
    visibilities: Iterable[Visibility] | None = None,
    limit: int | None = None,
    *,
    where: str = "ArticleIndex.search",
) -> SearchQuery:
    """The query, with the keyword filters folded in (refused beside a SearchQuery)."""
    if not isinstance(query, SearchQuery):
        return SearchQuery(
            text=query,
            category=category,
            tags=frozenset(() if tags is None else tags),
            statuses=frozenset((ArticleStatus.PUBLISHED,) if statuses is None else statuses),
            visibilities=frozenset(tuple(Visibility) if visibilities is None else visibilities),
            limit=10 if limit is None else limit,
        )
    given = {
        "category": category,
        "tags": tags,
        "statuses": statuses,
        "visibilities": visibilities,
        "limit": limit,
    }
    extra = sorted(name for name, value in given.items() if value is not None)
    if extra:
        raise ValidationError(
            where, [Problem(name, "give it in the SearchQuery, not as a keyword") for name in extra]
        )
    return query
