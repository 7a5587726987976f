"""The search index: an in-memory inverted index over articles, ranked with BM25.

Layout. Every indexed article has a slot (an int); per slot the index keeps the article's
length, status, visibility, category and boost in flat arrays, and per term its postings: the
slots of the articles containing it and how often, as two flat arrays. With numpy (the
``numpy`` extra) a search is array arithmetic: for each query term, the saturation part of
its postings' BM25 weights (kept until the index changes) times the term's IDF is added into a
score array; the filters are boolean masks (kept per filter set until a change); the
best hits come from a partition, not a sort of every candidate. Without numpy the same
arithmetic runs as a Python loop: same operations in the same order, so the same scores to the
last bit and the same rankings (tested).

Changes are incremental: adding an article appends to the postings of its terms; removing it
marks its slot dead (its postings are skipped by the masks) and corrects the statistics;
updating is removing then adding. When dead slots outnumber live ones the index compacts
itself. Statistics (``N``, document frequencies, average length) count live articles only, and
scores are summed over the query terms in sorted order, so results depend on the indexed
articles alone, never on the order they were added, updated or removed in.
"""

from __future__ import annotations

import heapq
from array import array
from collections import Counter
from collections.abc import Iterable
from itertools import chain
from typing import Any

from itsm_core.errors import IndexConflict, Problem, ValidationError
from itsm_core.knowledge._analysis import DEFAULT_ANALYZER, Analyzer
from itsm_core.knowledge._article import Article
from itsm_core.knowledge._categories import within
from itsm_core.knowledge._document import ArticleDocument
from itsm_core.knowledge._lifecycle import ArticleStatus
from itsm_core.knowledge._query import SearchHit, SearchQuery
from itsm_core.knowledge._ranking import Bm25
from itsm_core.knowledge._search import article_document as _document
from itsm_core.knowledge._search import search_query as _query
from itsm_core.knowledge._visibility import Visibility

_STATUSES = tuple(ArticleStatus)
_VISIBILITIES = tuple(Visibility)
_STATUS_CODE = {status: code for code, status in enumerate(_STATUSES)}
_VISIBILITY_CODE = {visibility: code for code, visibility in enumerate(_VISIBILITIES)}
#: Compaction starts when there are more dead slots than this and than live ones.
_COMPACT_AFTER = 1024
#: How many filter masks a search keeps for the next searches with the same filters.
_MASKS_KEPT = 16


def _numpy() -> Any:
    """numpy when installed (the ``numpy`` extra), else None."""
    try:
        import numpy
    except ImportError:  # pragma: no cover - numpy is installed where the tests run
        return None
    return numpy


class _Postings:
    """The articles containing one term: their slots and frequencies, and how many are live."""

    __slots__ = ("frequencies", "live", "slots")

    def __init__(self) -> None:
        self.slots = array("i")
        self.frequencies = array("d")
        self.live = 0


class _Entry:
    """What the index remembers of one article, besides its slot's arrays."""

    __slots__ = ("document", "frequencies", "length", "terms")

    def __init__(
        self, document: ArticleDocument, terms: tuple[str, ...], frequencies: tuple[int, ...]
    ) -> None:
        self.document = document
        self.terms = terms
        self.frequencies = frequencies
        self.length = sum(frequencies)


class ArticleIndex:
    """A mutable in-memory search index over articles (title, tags and body of the latest
    version), ranked with :class:`Bm25` over the terms of an :class:`Analyzer`.

    Give it :class:`Article` values or :class:`ArticleDocument` values (the bulk path: no
    decisions needed). Document statistics (``N``, document frequencies, average length) cover
    every indexed article, whatever its status; filters choose among them. ``use_numpy``
    chooses the engine (None: numpy when installed); both give the same results. The index is
    a plain object owned by its caller: no I/O, no global state. A refused change raises
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

    def __init__(
        self,
        articles: Iterable[Article | ArticleDocument] = (),
        *,
        ranking: Bm25 | None = None,
        analyzer: Analyzer | None = None,
        use_numpy: bool | None = None,
    ) -> None:
        self._ranking = Bm25() if ranking is None else ranking
        self._analyzer = DEFAULT_ANALYZER if analyzer is None else analyzer
        np = None if use_numpy is False else _numpy()
        if use_numpy and np is None:  # pragma: no cover - numpy is installed in the tests
            raise ValidationError("ArticleIndex", [Problem("use_numpy", "numpy is not installed")])
        self._np: Any = np
        self._stems: dict[str, Any] = {}  # the analyzer's cache, owned by this index
        self._reset()
        self.add_many(articles)

    def _reset(self) -> None:
        self._slots: dict[str, int] = {}
        self._entries: list[_Entry | None] = []
        self._ids: list[str] = []
        self._lengths = array("d")
        self._boosts = array("d")
        self._status = array("b")  # code in _STATUSES, -1 for a dead slot
        self._visibility = array("b")
        self._category = array("i")  # code in self._category_codes, -1 for none
        self._category_codes: dict[str, int] = {}
        self._postings: dict[str, _Postings] = {}
        self._tag_slots: dict[str, array[int]] = {}
        self._total_length = 0
        self._dead = 0
        self._statuses: Counter[ArticleStatus] = Counter()
        self._cache: dict[object, Any] = {}  # arrays derived for searching, dropped on change

    @property
    def ranking(self) -> Bm25:
        """The ranking parameters."""
        return self._ranking

    @property
    def analyzer(self) -> Analyzer:
        """How texts become terms."""
        return self._analyzer

    @property
    def uses_numpy(self) -> bool:
        """True when searches run on numpy arrays."""
        return self._np is not None

    def __len__(self) -> int:
        return len(self._slots)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._slots

    @property
    def article_ids(self) -> tuple[str, ...]:
        """The ids of the indexed articles, sorted."""
        return tuple(sorted(self._slots))

    def document_frequency(self, term: str) -> int:
        """How many indexed articles contain ``term`` (a term of the index's analyzer)."""
        postings = self._postings.get(term)
        return 0 if postings is None else postings.live

    @property
    def average_length(self) -> float:
        """The average number of terms per indexed article (0.0 when empty)."""
        return self._total_length / len(self._slots) if self._slots else 0.0

    # -- changes ---------------------------------------------------------------------------

    def add(self, article: Article | ArticleDocument) -> None:
        """Index a new article; :class:`IndexConflict` if its id is already indexed."""
        document = _document(article)
        if document.article_id in self._slots:
            raise IndexConflict(document.article_id, "is already indexed (update it instead)")
        self._insert(self._entry(document))

    def add_many(self, articles: Iterable[Article | ArticleDocument]) -> None:
        """Index many new articles (the bulk path); on a conflict, none of them is added."""
        entries = [self._entry(_document(article)) for article in articles]
        seen: set[str] = set()
        for entry in entries:
            article_id = entry.document.article_id
            if article_id in self._slots or article_id in seen:
                raise IndexConflict(article_id, "is already indexed (update it instead)")
            seen.add(article_id)
        if self._np is not None and entries:
            self._add_postings_numpy(entries, [self._insert(e, postings=False) for e in entries])
            return
        batch: dict[str, tuple[list[int], list[int]]] = {}
        for entry in entries:  # the postings of all the articles, then one extend per term
            slot = self._insert(entry, postings=False)
            for term, frequency in zip(entry.terms, entry.frequencies, strict=True):
                found = batch.get(term)
                if found is None:
                    found = batch[term] = ([], [])
                found[0].append(slot)
                found[1].append(frequency)
        for term, (slots, frequencies) in batch.items():
            postings = self._postings.get(term)
            if postings is None:
                postings = self._postings[term] = _Postings()
            postings.slots.extend(slots)
            postings.frequencies.extend(map(float, frequencies))
            postings.live += len(slots)

    def _add_postings_numpy(self, entries: list[_Entry], slots: list[int]) -> None:
        """The postings of many new articles at once: every (term, slot, frequency) as flat
        arrays, grouped by term with one stable sort (slots stay in order within a term),
        then one extend per distinct term."""
        np = self._np
        terms = list(chain.from_iterable([entry.terms for entry in entries]))
        count = len(terms)
        frequencies = np.fromiter(
            chain.from_iterable([entry.frequencies for entry in entries]), np.float64, count
        )
        repeats = np.fromiter([len(entry.terms) for entry in entries], np.intp, len(entries))
        flat_slots = np.repeat(np.asarray(slots, dtype=np.intc), repeats)
        distinct = list(dict.fromkeys(terms))
        code = {term: number for number, term in enumerate(distinct)}
        codes = np.fromiter(map(code.__getitem__, terms), np.intp, count)
        order = np.argsort(codes, kind="stable")
        flat_slots, frequencies = flat_slots[order], frequencies[order]
        ends = np.cumsum(np.bincount(codes, minlength=len(distinct))).tolist()
        postings_of = self._postings
        start = 0
        for term, end in zip(distinct, ends, strict=True):
            postings = postings_of.get(term)
            if postings is None:
                postings = postings_of[term] = _Postings()
            postings.slots.frombytes(flat_slots[start:end].tobytes())
            postings.frequencies.frombytes(frequencies[start:end].tobytes())
            postings.live += end - start
            start = end

    def update(self, article: Article | ArticleDocument) -> None:
        """Re-index an article after a change; :class:`IndexConflict` if it is not indexed."""
        document = _document(article)
        if document.article_id not in self._slots:
            raise IndexConflict(document.article_id, "is not indexed (add it first)")
        entry = self._entry(document)
        self._delete(document.article_id)
        self._insert(entry)

    def put(self, article: Article | ArticleDocument) -> None:
        """Add the article, or update it when it is already indexed."""
        document = _document(article)
        if document.article_id in self._slots:
            self.update(document)
        else:
            self.add(document)

    def remove(self, article_id: str) -> None:
        """Drop an article from the index; :class:`IndexConflict` if it is not indexed."""
        if article_id not in self._slots:
            raise IndexConflict(article_id, "is not indexed")
        self._delete(article_id)

    def _entry(self, document: ArticleDocument) -> _Entry:
        counts = Counter(self._analyzer.terms(document.text, self._stems))
        return _Entry(document, tuple(counts), tuple(counts.values()))

    def _insert(self, entry: _Entry, *, postings: bool = True) -> int:
        """Give the entry a slot and fill the slot's columns (and the postings unless the
        caller adds them itself); the slot."""
        self._cache.clear()
        document = entry.document
        slot = len(self._entries)
        self._slots[document.article_id] = slot
        self._entries.append(entry)
        self._ids.append(document.article_id)
        self._lengths.append(entry.length)
        self._boosts.append(
            self._ranking.boost(document.solved, document.helpful, document.not_helpful)
        )
        self._status.append(_STATUS_CODE[document.status])
        self._visibility.append(_VISIBILITY_CODE[document.visibility])
        category = document.category
        if category is None:
            self._category.append(-1)
        else:
            self._category.append(
                self._category_codes.setdefault(category, len(self._category_codes))
            )
        for tag in document.tags:
            self._tag_slots.setdefault(tag, array("i")).append(slot)
        self._statuses[document.status] += 1
        self._total_length += entry.length
        if postings:
            postings_of = self._postings
            for term, frequency in zip(entry.terms, entry.frequencies, strict=True):
                found = postings_of.get(term)
                if found is None:
                    found = postings_of[term] = _Postings()
                found.slots.append(slot)
                found.frequencies.append(frequency)
                found.live += 1
        return slot

    def _delete(self, article_id: str) -> None:
        self._cache.clear()
        slot = self._slots.pop(article_id)
        entry = self._entries[slot]
        assert entry is not None
        self._entries[slot] = None
        self._status[slot] = -1
        self._dead += 1
        status = entry.document.status
        self._statuses[status] -= 1
        if not self._statuses[status]:
            del self._statuses[status]
        self._total_length -= entry.length
        for term in entry.terms:
            postings = self._postings[term]
            postings.live -= 1
            if not postings.live:
                del self._postings[term]
        if self._dead > _COMPACT_AFTER and self._dead > len(self._slots):
            self._compact()

    def _compact(self) -> None:
        """Drop the dead slots: re-insert the live entries (their terms are kept, not
        re-analysed)."""
        live = [entry for entry in self._entries if entry is not None]
        self._reset()
        for entry in live:
            self._insert(entry)

    # -- search ----------------------------------------------------------------------------

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
        """The best articles for ``query``, best first; ties broken by article id.

        ``query`` is a :class:`SearchQuery`, or its text with the filters given as keywords
        (defaults: any category, any tags, published only, any visibility, 10 hits). Only
        articles containing at least one query term are returned; a query without any term
        (only punctuation, say) finds nothing.

        Raises:
            ValidationError: invalid filters, or keyword filters given with a SearchQuery
                (which carries its own).
        """
        query = _query(query, category, tags, statuses, visibilities, limit)
        terms = sorted(set(self._analyzer.terms(query.text, self._stems)))
        if not terms or not self._total_length:  # nothing asked, or nothing indexed
            return ()
        if self._np is not None:
            best = self._search_numpy(query, terms)
        else:
            best = self._search_python(query, terms)
        return tuple(self._hit(slot, score, relevance, terms) for score, relevance, slot in best)

    def _weights(self, terms: list[str]) -> list[tuple[str, _Postings, float]]:
        """The query terms in the index, sorted, with ``idf * (k1 + 1)``."""
        count = len(self._slots)
        factor = self._ranking.k1 + 1.0
        return [
            (term, postings, self._ranking.idf(count, postings.live) * factor)
            for term in terms
            if (postings := self._postings.get(term)) is not None
        ]

    def _norm_list(self) -> list[float]:
        """``k1 * (1 - b + b * |d| / avgdl)`` for every slot, kept until the index changes."""
        norms: list[float] | None = self._cache.get("norms")
        if norms is None:
            k1, b = self._ranking.k1, self._ranking.b
            average = self._total_length / len(self._slots)
            norms = [k1 * (1.0 - b + b * length / average) for length in self._lengths]
            self._cache["norms"] = norms
        return norms

    def _search_python(
        self, query: SearchQuery, terms: list[str]
    ) -> list[tuple[float, float, int]]:
        norms = self._norm_list()
        relevance: dict[int, float] = {}
        get = relevance.get
        for _, postings, weight in self._weights(terms):  # sorted terms: the same sums
            for slot, frequency in zip(postings.slots, postings.frequencies, strict=True):
                relevance[slot] = get(slot, 0.0) + weight * (frequency / (frequency + norms[slot]))
        admits = self._admits(query)
        boosts, ids = self._boosts, self._ids
        scored = [
            (-(value + boosts[slot]), ids[slot], value, slot)
            for slot, value in relevance.items()
            if admits(slot)
        ]
        best = heapq.nsmallest(query.limit, scored)  # (-score, id): best first, ties by id
        return [(-negated, value, slot) for negated, _, value, slot in best]

    def _admits(self, query: SearchQuery) -> Any:
        """A test of one slot against the query's filters (dead slots never pass)."""
        statuses = {_STATUS_CODE[status] for status in query.statuses}
        visibilities = {_VISIBILITY_CODE[v] for v in query.visibilities}
        categories = (
            None if query.category is None else set(self._categories_within(query.category))
        )
        tag_sets = [set(self._tag_slots.get(tag, ())) for tag in query.tags]
        status, visibility, category = self._status, self._visibility, self._category

        def admits(slot: int) -> bool:
            return (
                status[slot] in statuses
                and visibility[slot] in visibilities
                and (categories is None or category[slot] in categories)
                and all(slot in tagged for tagged in tag_sets)
            )

        return admits

    def _categories_within(self, category: str) -> list[int]:
        return [code for path, code in self._category_codes.items() if within(path, category)]

    # -- the numpy engine ----------------------------------------------------------------------

    def _column(self, name: str, values: array[Any], dtype: str) -> Any:
        column = self._cache.get(name)
        if column is None:
            column = self._cache[name] = self._np.frombuffer(values, dtype=dtype).copy()
        return column

    def _postings_arrays(self, term: str, postings: _Postings) -> tuple[Any, Any]:
        """The term's slots and the frequency part of its BM25 weights, ``f / (f + norm)``,
        kept until the index changes (a search then only multiplies by the IDF and adds)."""
        key = "t:" + term
        arrays = self._cache.get(key)
        if arrays is None:
            np = self._np
            slots = np.frombuffer(postings.slots, dtype=np.intc).copy()
            frequencies = np.frombuffer(postings.frequencies, dtype=np.float64)
            arrays = self._cache[key] = (
                slots,
                frequencies / (frequencies + self._norm_array()[slots]),
            )
        return arrays

    def _norm_array(self) -> Any:
        norms = self._cache.get("norm_array")
        if norms is None:
            k1, b = self._ranking.k1, self._ranking.b
            average = self._total_length / len(self._slots)
            lengths = self._column("lengths", self._lengths, "float64")
            norms = self._cache["norm_array"] = k1 * (1.0 - b + b * lengths / average)
        return norms

    def _mask(self, query: SearchQuery) -> Any:
        """The slots the query's filters keep, as a read-only boolean array (dead slots
        never); the masks of the last few filter combinations are kept until a change."""
        key = ("mask", query.statuses, query.visibilities, query.category, query.tags)
        mask = self._cache.get(key)
        if mask is None:
            mask = self._filter_mask(query)
            mask.flags.writeable = False
            masks = self._cache.setdefault("masks", [])
            masks.append(key)
            self._cache[key] = mask
            if len(masks) > _MASKS_KEPT:
                del self._cache[masks.pop(0)]
        return mask

    def _filter_mask(self, query: SearchQuery) -> Any:
        np = self._np
        size = len(self._entries)
        statuses = np.zeros(len(_STATUSES) + 1, dtype=bool)
        statuses[[_STATUS_CODE[status] + 1 for status in query.statuses]] = True
        mask = statuses[self._column("status", self._status, "int8") + 1]
        if set(query.visibilities) != set(_VISIBILITIES):
            table = np.zeros(len(_VISIBILITIES), dtype=bool)
            table[[_VISIBILITY_CODE[v] for v in query.visibilities]] = True
            mask &= table[self._column("visibility", self._visibility, "int8")]
        if query.category is not None:
            table = np.zeros(len(self._category_codes) + 1, dtype=bool)
            table[[code + 1 for code in self._categories_within(query.category)]] = True
            mask &= table[self._column("category", self._category, "intc") + 1]
        for tag in query.tags:
            tagged = np.zeros(size, dtype=bool)
            slots = self._tag_slots.get(tag)
            if slots is not None:
                tagged[np.frombuffer(slots, dtype=np.intc)] = True
            mask &= tagged
        return mask

    def _search_numpy(self, query: SearchQuery, terms: list[str]) -> list[tuple[float, float, int]]:
        np = self._np
        size = len(self._entries)
        relevance = np.zeros(size)
        # Lucene's IDF is positive, so every weight is: an article contains a query term
        # exactly when its relevance is positive, and no "touched" array is needed.
        positive = self._ranking.idf_form == "lucene"
        touched = None if positive else np.zeros(size, dtype=bool)
        for term, postings, weight in self._weights(terms):  # sorted terms: the same sums
            slots, saturation = self._postings_arrays(term, postings)
            relevance[slots] += weight * saturation
            if touched is not None:
                touched[slots] = True
        found = relevance > 0.0 if touched is None else touched
        candidates = np.flatnonzero(found & self._mask(query))
        values = relevance[candidates]
        scores = values + self._column("boosts", self._boosts, "float64")[candidates]
        if len(candidates) > query.limit:  # keep the limit best, and every tie with the last
            cut = len(candidates) - query.limit
            threshold = np.partition(scores, cut)[cut]
            kept = scores >= threshold
            candidates, values, scores = candidates[kept], values[kept], scores[kept]
        ids = self._ids
        ranked = sorted(
            zip((-scores).tolist(), candidates.tolist(), values.tolist(), strict=True),
            key=lambda row: (row[0], ids[row[1]]),
        )
        return [(-negated, value, slot) for negated, slot, value in ranked[: query.limit]]

    def _hit(self, slot: int, score: float, relevance: float, terms: list[str]) -> SearchHit:
        entry = self._entries[slot]
        assert entry is not None
        document = entry.document
        own = set(entry.terms)
        return SearchHit(
            article_id=document.article_id,
            title=document.title,
            category=document.category,
            status=document.status,
            visibility=document.visibility,
            score=score,
            relevance=relevance,
            boost=self._boosts[slot],
            matched=tuple(term for term in terms if term in own),
        )
