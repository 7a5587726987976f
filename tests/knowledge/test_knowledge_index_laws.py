"""Laws of the index: add then remove restores results exactly; order never matters; and the
incremental index agrees with a from-scratch BM25 written out independently below.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable

from hypothesis import given
from hypothesis import strategies as st

from itsm_core.knowledge import (
    Analyzer,
    Article,
    ArticleIndex,
    ArticleStatus,
    Bm25,
    SearchHit,
    tokenize,
)

MakeArticle = Callable[..., Article]
ALL = frozenset(ArticleStatus)

# A small mixed vocabulary, so that random articles share terms.
WORDS = ["vpn", "error", "密码", "重置", "打印机", "卡纸", "outlook", "网络", "断开", "mail", "809"]
texts = st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map(" ".join)
queries = st.lists(st.sampled_from([*WORDS, "码重", "missing"]), min_size=1, max_size=4).map(
    " ".join
)
specs = st.lists(
    st.tuples(texts, texts, st.sampled_from(["network/vpn", "accounts", "hardware"])),
    min_size=0,
    max_size=8,
)


def build(make: MakeArticle, spec: list[tuple[str, str, str]], prefix: str = "A") -> list[Article]:
    return [
        make(f"{prefix}{i:02d}", title, body, category, solved=i % 3)
        for i, (title, body, category) in enumerate(spec)
    ]


def results(index: ArticleIndex, query_list: list[str]) -> list[tuple[SearchHit, ...]]:
    return [index.search(q, statuses=ALL, limit=50) for q in query_list]


@given(specs, st.tuples(texts, texts), st.lists(queries, min_size=1, max_size=4))
def test_adding_then_removing_an_article_restores_every_result_exactly(
    article_factory: MakeArticle,
    spec: list[tuple[str, str, str]],
    extra: tuple[str, str],
    query_list: list[str],
) -> None:
    index = ArticleIndex(build(article_factory, spec))
    before = results(index, query_list)
    index.add(article_factory("Z-extra", extra[0], extra[1], "accounts", solved=2))
    index.remove("Z-extra")
    assert results(index, query_list) == before  # equal floats, not approximately equal


@given(specs, st.randoms(use_true_random=False), st.lists(queries, min_size=1, max_size=4))
def test_results_do_not_depend_on_the_order_of_indexing(
    article_factory: MakeArticle,
    spec: list[tuple[str, str, str]],
    random: object,
    query_list: list[str],
) -> None:
    articles = build(article_factory, spec)
    shuffled = list(articles)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    assert results(ArticleIndex(articles), query_list) == results(
        ArticleIndex(shuffled), query_list
    )


@given(specs, specs, st.lists(queries, min_size=1, max_size=4))
def test_updating_every_article_equals_indexing_the_new_versions(
    article_factory: MakeArticle,
    old: list[tuple[str, str, str]],
    new: list[tuple[str, str, str]],
    query_list: list[str],
) -> None:
    size = min(len(old), len(new))
    index = ArticleIndex(build(article_factory, old[:size]))
    fresh = build(article_factory, new[:size])
    for article in reversed(fresh):
        index.update(article)
    assert results(index, query_list) == results(ArticleIndex(fresh), query_list)


def reference_bm25(
    documents: dict[str, list[str]], query: str, k1: float = 1.2, b: float = 0.75
) -> dict[str, float]:
    """BM25 from its textbook definition, recomputed from scratch for every query."""
    n_docs = len(documents)
    avgdl = sum(len(terms) for terms in documents.values()) / n_docs
    scores: dict[str, float] = {}
    for doc_id, terms in documents.items():
        counts = Counter(terms)
        total = 0.0
        found = False
        for term in sorted(set(tokenize(query))):
            if term not in counts:
                continue
            found = True
            n = sum(1 for other in documents.values() if term in other)
            idf = math.log((n_docs - n + 0.5) / (n + 0.5))
            tf = counts[term]
            total += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len(terms) / avgdl))
        if found:
            scores[doc_id] = total
    return scores


@given(specs, queries)
def test_the_index_agrees_with_bm25_recomputed_from_scratch(
    article_factory: MakeArticle, spec: list[tuple[str, str, str]], query: str
) -> None:
    articles = build(article_factory, spec)
    # The classic Okapi BM25 over the plain tokens (the Lucene IDF is checked elsewhere).
    index = ArticleIndex(articles, ranking=Bm25(idf_form="rsj"), analyzer=Analyzer.plain())
    documents = {a.article_id: list(tokenize(f"{a.title}\n{a.body}")) for a in articles}
    expected = reference_bm25(documents, query) if documents else {}
    hits = index.search(query, statuses=ALL, limit=50)
    assert {hit.article_id for hit in hits} == set(expected)
    for hit in hits:
        assert math.isclose(hit.relevance, expected[hit.article_id], rel_tol=1e-9, abs_tol=1e-12)
    for hit in hits:
        solved = int(hit.article_id[1:]) % 3
        assert hit.boost == 0.25 * math.log1p(solved)
        assert hit.score == hit.relevance + hit.boost
    keys = [(-hit.score, hit.article_id) for hit in hits]
    assert keys == sorted(keys)  # best first, ties by id
