"""What the database article searches share: analysing documents and queries, building hits.

Both keep, per article, its analysed terms (the library's own :class:`Analyzer`, so stemming,
synonyms, compounds and Chinese bigrams apply exactly as in memory), its length in terms, the
columns the filters read, and its usage boost, computed with the adapter's :class:`Bm25` when
the article is put.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from itsm_core.knowledge import (
    Analyzer,
    Article,
    ArticleDocument,
    ArticleStatus,
    Bm25,
    SearchHit,
    SearchQuery,
    Visibility,
)
from itsm_core.knowledge._search import article_document, search_query


class Analysis:
    """An analyzer, the ranking and the stem cache of one database search object."""

    def __init__(self, analyzer: Analyzer | None, ranking: Bm25 | None) -> None:
        self.analyzer = Analyzer() if analyzer is None else analyzer
        self.ranking = Bm25() if ranking is None else ranking
        self._stems: dict[str, Any] = {}  # the analyzer's cache, owned by this object

    def document(self, article: Article | ArticleDocument) -> tuple[ArticleDocument, Counter[str]]:
        """The document of ``article`` and how often each of its terms occurs."""
        document = article_document(article)
        return document, Counter(self.analyzer.terms(document.text, self._stems))

    def boost(self, document: ArticleDocument) -> float:
        """The document's usage boost under this ranking."""
        return self.ranking.boost(document.solved, document.helpful, document.not_helpful)

    def query(
        self,
        query: SearchQuery | str,
        category: str | None,
        tags: Iterable[str] | None,
        statuses: Iterable[ArticleStatus] | None,
        visibilities: Iterable[Visibility] | None,
        limit: int | None,
        where: str,
    ) -> tuple[SearchQuery, list[str]]:
        """The query with its filters, and its distinct terms, sorted."""
        found = search_query(query, category, tags, statuses, visibilities, limit, where=where)
        return found, sorted(set(self.analyzer.terms(found.text, self._stems)))


def category_prefix(category: str) -> str:
    """What the category of an article below ``category`` starts with."""
    return category + "/"


def hit(row: tuple[Any, ...], matched: Iterable[str]) -> SearchHit:
    """A hit from ``(article_id, title, category, status, visibility, relevance, boost)``."""
    article_id, title, category, status, visibility, relevance, boost = row
    return SearchHit(
        article_id=article_id,
        title=title,
        category=category,
        status=ArticleStatus(status),
        visibility=Visibility(visibility),
        score=float(relevance) + float(boost),
        relevance=float(relevance),
        boost=float(boost),
        matched=tuple(sorted(matched)),
    )
