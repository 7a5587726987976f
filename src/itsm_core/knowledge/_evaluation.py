"""Search quality against labelled queries: nDCG@10 and MRR."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import attrs

from itsm_core.knowledge._query import SearchQuery
from itsm_core.knowledge._search import ArticleSearch


@attrs.frozen(kw_only=True)
class SearchQuality:
    """Mean nDCG@10 and mean reciprocal rank over labelled queries, and how many there were.

    nDCG uses the graded labels (gain ``2 ** grade - 1``, log2 discount); MRR is 1 / the rank
    of the first hit with a grade of ``relevant_from`` or more (0 when none is in the top 10).
    """

    ndcg_at_10: float
    mrr: float
    queries: int


def evaluate_search(
    index: ArticleSearch,
    queries: Iterable[tuple[SearchQuery | str, Mapping[str, int]]],
    *,
    relevant_from: int = 3,
) -> SearchQuality:
    """How well ``index`` (any :class:`ArticleSearch`) answers ``queries``: pairs of a query
    and its relevance labels (``{article_id: grade}``, unlisted articles grade 0).

    >>> from itsm_core.knowledge import ArticleDocument, ArticleIndex
    >>> index = ArticleIndex([ArticleDocument(article_id="A", title="VPN 809", body="ports"),
    ...                       ArticleDocument(article_id="B", title="VPN 691", body="password")])
    >>> evaluate_search(index, [("vpn 691", {"B": 3}), ("vpn", {"A": 3, "B": 1})])
    SearchQuality(ndcg_at_10=1.0, mrr=1.0, queries=2)
    """
    ndcg_total = mrr_total = 0.0
    count = 0
    for query, labels in queries:
        count += 1
        hits = index.search(
            query if isinstance(query, SearchQuery) else SearchQuery(text=query, limit=10)
        )
        ranked = [hit.article_id for hit in hits][:10]
        gains = [2 ** labels.get(article_id, 0) - 1 for article_id in ranked]
        dcg = sum(gain / math.log2(rank + 2) for rank, gain in enumerate(gains))
        ideal = sorted((2**grade - 1 for grade in labels.values()), reverse=True)[:10]
        best = sum(gain / math.log2(rank + 2) for rank, gain in enumerate(ideal))
        ndcg_total += dcg / best if best else 0.0
        first = next(
            (rank for rank, a in enumerate(ranked, start=1) if labels.get(a, 0) >= relevant_from),
            None,
        )
        mrr_total += 0.0 if first is None else 1.0 / first
    if not count:
        return SearchQuality(ndcg_at_10=0.0, mrr=0.0, queries=0)
    return SearchQuality(ndcg_at_10=ndcg_total / count, mrr=mrr_total / count, queries=count)
