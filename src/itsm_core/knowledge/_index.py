"""The search index: an in-memory inverted index over articles, ranked with BM25.

The index keeps, for every term, the articles containing it and how often (the postings), and
for every article its length, category, tags, status and solved-tickets count. Adding, updating
and removing an article touch only that article's postings. Only integers are stored (counts
and lengths), and scores are summed over the query terms in sorted order, so results depend on
the indexed articles alone, never on the order they were added or removed in.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable, Mapping

import attrs

from itsm_core.errors import IndexConflict, Problem, ValidationError
from itsm_core.knowledge._article import Article
from itsm_core.knowledge._categories import within
from itsm_core.knowledge._lifecycle import ArticleStatus
from itsm_core.knowledge._query import SearchHit, SearchQuery
from itsm_core.knowledge._ranking import Bm25
from itsm_core.knowledge._tokens import tokenize


@attrs.frozen(kw_only=True)
class _Entry:
    """What the index remembers of one article."""

    article_id: str
    title: str
    category: str
    tags: frozenset[str]
    status: ArticleStatus
    solved: int
    length: int
    terms: Mapping[str, int]

    @classmethod
    def of(cls, article: Article) -> _Entry:
        terms = Counter(tokenize(article.current.text))
        return cls(
            article_id=article.article_id,
            title=article.title,
            category=article.category,
            tags=article.tags,
            status=article.status,
            solved=article.solved_count,
            length=sum(terms.values()),
            terms=dict(terms),
        )

    def admits(self, query: SearchQuery) -> bool:
        return (
            self.status in query.statuses
            and (query.category is None or within(self.category, query.category))
            and query.tags <= self.tags
        )


class ArticleIndex:
    """A mutable in-memory search index over articles (title, tags and body of the latest
    version), ranked with :class:`Bm25`.

    Document statistics (``N``, document frequencies, average length) cover every indexed
    article, whatever its status; filters choose among them. The index is a plain object
    owned by its caller: no I/O, no global state. A refused change raises
    :class:`IndexConflict` and leaves the index as it was.

    >>> import datetime as dt
    >>> from itsm_core.knowledge import ArticleContext, CreateArticle, decide_article
    >>> li = ArticleContext(actor="li", role="author",
    ...                     now=dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC))
    >>> draft = decide_article(None, CreateArticle(article_id="KB-1", title="VPN 错误 809",
    ...                        body="防火墙未放行 UDP 500/4500。", category="network/vpn"),
    ...                        li).state
    >>> index = ArticleIndex([draft])
    >>> [hit.article_id for hit in index.search("vpn 809", statuses={ArticleStatus.DRAFT})]
    ['KB-1']
    >>> index.search("vpn 809")   # published articles only, by default
    ()
    """

    def __init__(self, articles: Iterable[Article] = (), *, ranking: Bm25 | None = None) -> None:
        self._ranking = Bm25() if ranking is None else ranking
        self._entries: dict[str, _Entry] = {}
        self._postings: dict[str, dict[str, int]] = {}
        self._total_length = 0
        self._norms: dict[str, float] | None = None
        self._boosts: dict[str, float] = {}  # articles with a boost only
        self._statuses: Counter[ArticleStatus] = Counter()
        for article in articles:
            self.add(article)

    @property
    def ranking(self) -> Bm25:
        """The ranking parameters."""
        return self._ranking

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._entries

    @property
    def article_ids(self) -> tuple[str, ...]:
        """The ids of the indexed articles, sorted."""
        return tuple(sorted(self._entries))

    def document_frequency(self, term: str) -> int:
        """How many indexed articles contain ``term`` (a token, see :func:`tokenize`)."""
        return len(self._postings.get(term, ()))

    @property
    def average_length(self) -> float:
        """The average number of terms per indexed article (0.0 when empty)."""
        return self._total_length / len(self._entries) if self._entries else 0.0

    # -- changes ---------------------------------------------------------------------------

    def add(self, article: Article) -> None:
        """Index a new article; :class:`IndexConflict` if its id is already indexed."""
        if article.article_id in self._entries:
            raise IndexConflict(article.article_id, "is already indexed (update it instead)")
        self._insert(_Entry.of(article))

    def update(self, article: Article) -> None:
        """Re-index an article after a change; :class:`IndexConflict` if it is not indexed."""
        if article.article_id not in self._entries:
            raise IndexConflict(article.article_id, "is not indexed (add it first)")
        entry = _Entry.of(article)
        self._delete(article.article_id)
        self._insert(entry)

    def remove(self, article_id: str) -> None:
        """Drop an article from the index; :class:`IndexConflict` if it is not indexed."""
        if article_id not in self._entries:
            raise IndexConflict(article_id, "is not indexed")
        self._delete(article_id)

    def _insert(self, entry: _Entry) -> None:
        self._norms = None
        self._statuses[entry.status] += 1
        if entry.solved:
            self._boosts[entry.article_id] = self._ranking.boost(entry.solved)
        self._entries[entry.article_id] = entry
        self._total_length += entry.length
        for term, frequency in entry.terms.items():
            self._postings.setdefault(term, {})[entry.article_id] = frequency

    def _delete(self, article_id: str) -> None:
        self._norms = None
        entry = self._entries.pop(article_id)
        self._statuses[entry.status] -= 1
        if not self._statuses[entry.status]:
            del self._statuses[entry.status]
        self._boosts.pop(article_id, None)
        self._total_length -= entry.length
        for term in entry.terms:
            postings = self._postings[term]
            del postings[article_id]
            if not postings:
                del self._postings[term]

    # -- search ----------------------------------------------------------------------------

    def search(
        self,
        query: SearchQuery | str,
        *,
        category: str | None = None,
        tags: Iterable[str] | None = None,
        statuses: Iterable[ArticleStatus] | None = None,
        limit: int | None = None,
    ) -> tuple[SearchHit, ...]:
        """The best articles for ``query``, best first; ties broken by article id.

        ``query`` is a :class:`SearchQuery`, or its text with the filters given as keywords
        (defaults: any category, any tags, published only, 10 hits). Only articles containing
        at least one query term are returned; a query without any term (only punctuation, say)
        finds nothing.

        Raises:
            ValidationError: invalid filters, or keyword filters given with a SearchQuery
                (which carries its own).
        """
        if isinstance(query, SearchQuery):
            given = {"category": category, "tags": tags, "statuses": statuses, "limit": limit}
            extra = sorted(name for name, value in given.items() if value is not None)
            if extra:
                raise ValidationError(
                    "ArticleIndex.search",
                    [
                        Problem(name, "give it in the SearchQuery, not as a keyword")
                        for name in extra
                    ],
                )
        else:
            query = SearchQuery(
                text=query,
                category=category,
                tags=frozenset(() if tags is None else tags),
                statuses=frozenset((ArticleStatus.PUBLISHED,) if statuses is None else statuses),
                limit=10 if limit is None else limit,
            )
        terms = sorted(set(tokenize(query.text)))
        count = len(self._entries)
        if not terms or not self._total_length:  # nothing asked, or nothing indexed
            return ()
        ranking = self._ranking
        norms = self._length_norms()
        factor = ranking.k1 + 1.0
        relevance: dict[str, float] = {}
        for term in terms:  # sorted: each article's sum is added up in the same order
            postings = self._postings.get(term)
            if postings is None:
                continue
            weight = ranking.idf(count, len(postings)) * factor
            get = relevance.get
            for article_id, frequency in postings.items():  # the hot loop: kept plain
                relevance[article_id] = get(article_id, 0.0) + (
                    weight * frequency / (frequency + norms[article_id])
                )
        entries = self._entries
        scores = self._boosted(relevance)
        if self._filters_out(query):
            scored = [(-v, i) for i, v in scores.items() if entries[i].admits(query)]
        else:
            scored = [(-v, i) for i, v in scores.items()]
        best = heapq.nsmallest(query.limit, scored)  # (-score, id): best first, ties by id
        return tuple(
            self._hit(entries[article_id], -negated, relevance[article_id], terms)
            for negated, article_id in best
        )

    def _boosted(self, relevance: dict[str, float]) -> dict[str, float]:
        """Relevance plus the solved-tickets boost (looping over the smaller of the two)."""
        boosts = self._boosts
        if not boosts:
            return relevance
        if len(boosts) < len(relevance):
            scores = dict(relevance)
            for article_id, boost in boosts.items():
                if article_id in scores:
                    scores[article_id] = relevance[article_id] + boost
            return scores
        return {i: v + boosts[i] if i in boosts else v for i, v in relevance.items()}

    def _filters_out(self, query: SearchQuery) -> bool:
        """False when the query's filters keep every indexed article (nothing to check)."""
        return bool(
            query.category is not None or query.tags or not set(self._statuses) <= query.statuses
        )

    def _length_norms(self) -> dict[str, float]:
        """``k1 * (1 - b + b * |d| / avgdl)`` for every article, kept until the index changes."""
        if self._norms is None:
            k1, b = self._ranking.k1, self._ranking.b
            average = self._total_length / len(self._entries)
            self._norms = {
                article_id: k1 * (1.0 - b + b * entry.length / average)
                for article_id, entry in self._entries.items()
            }
        return self._norms

    def _hit(self, entry: _Entry, score: float, relevance: float, terms: list[str]) -> SearchHit:
        return SearchHit(
            article_id=entry.article_id,
            title=entry.title,
            category=entry.category,
            status=entry.status,
            score=score,
            relevance=relevance,
            boost=self._ranking.boost(entry.solved),
            matched=tuple(term for term in terms if term in entry.terms),
        )
