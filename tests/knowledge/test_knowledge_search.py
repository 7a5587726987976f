"""Search: BM25 checked by hand, known answers on a bilingual corpus, filters, boost, errors."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable

import pytest

from itsm_core.errors import DeserializationError, IndexConflict, ValidationError
from itsm_core.knowledge import (
    Analyzer,
    Article,
    ArticleContext,
    ArticleIndex,
    ArticleStatus,
    Bm25,
    Retire,
    SearchHit,
    SearchQuery,
    decide_article,
)

MakeArticle = Callable[..., Article]


# The hand computations below are of the classic Okapi BM25 (Robertson/Sparck Jones IDF) over
# the plain tokens: the ranking and analysis the index had before stemming and synonyms.
CLASSIC = Bm25(idf_form="rsj")
PLAIN = Analyzer.plain()


def ids(hits: tuple[SearchHit, ...]) -> list[str]:
    return [hit.article_id for hit in hits]


# -- BM25 against a computation by hand ------------------------------------------------------


@pytest.fixture
def tiny(article_factory: MakeArticle) -> ArticleIndex:
    """Five articles; the indexed text is title + body (no tags), so the terms are obvious.

    D1 [vpn, error] (2 terms), D2 [vpn, vpn, timeout] (3), D3 [printer, jam, jam, jam, paper] (5),
    D4 [mail, quota] (2), D5 [screen, flicker] (2): N = 5, total 14, avgdl = 2.8.
    """
    return ArticleIndex(
        [
            article_factory("D1", "vpn", "error"),
            article_factory("D2", "vpn", "vpn timeout"),
            article_factory("D3", "printer", "jam jam jam paper"),
            article_factory("D4", "mail", "quota"),
            article_factory("D5", "screen", "flicker"),
        ],
        ranking=CLASSIC,
        analyzer=PLAIN,
    )


def test_bm25_scores_match_a_hand_computation(tiny: ArticleIndex) -> None:
    # idf = ln((N - n + 0.5) / (n + 0.5)); k1 = 1.2, b = 0.75, avgdl = 14 / 5 = 2.8.
    idf_vpn = math.log((5 - 2 + 0.5) / (2 + 0.5))  # ln 1.4, in D1 and D2
    idf_error = math.log((5 - 1 + 0.5) / (1 + 0.5))  # ln 3, in D1 only
    norm_d1 = 1.2 * (1 - 0.75 + 0.75 * 2 / 2.8)  # |D1| = 2
    norm_d2 = 1.2 * (1 - 0.75 + 0.75 * 3 / 2.8)  # |D2| = 3
    d1 = idf_vpn * 1 * 2.2 / (1 + norm_d1) + idf_error * 1 * 2.2 / (1 + norm_d1)
    d2 = idf_vpn * 2 * 2.2 / (2 + norm_d2)
    # The same numbers, worked out on paper to 6 places.
    assert d1 == pytest.approx(1.625022, abs=1e-6)
    assert d2 == pytest.approx(0.453538, abs=1e-6)

    hits = tiny.search("VPN error", statuses={ArticleStatus.PUBLISHED})
    assert ids(hits) == ["D1", "D2"]
    assert hits[0].relevance == pytest.approx(d1, rel=1e-12)
    assert hits[1].relevance == pytest.approx(d2, rel=1e-12)
    assert hits[0].matched == ("error", "vpn")
    assert hits[1].matched == ("vpn",)
    assert hits[0].boost == 0.0
    assert hits[0].score == hits[0].relevance


def test_term_saturation_and_a_repeated_query_term_counted_once(tiny: ArticleIndex) -> None:
    (hit,) = tiny.search("jam jam JAM")
    idf = math.log(4.5 / 1.5)
    norm = 1.2 * (0.25 + 0.75 * 5 / 2.8)
    assert hit.relevance == pytest.approx(idf * 3 * 2.2 / (3 + norm), rel=1e-12)


def test_a_term_in_more_than_half_the_articles_has_a_negative_idf(
    article_factory: MakeArticle,
) -> None:
    index = ArticleIndex(
        [
            article_factory("A", "common", "alpha"),
            article_factory("B", "common", "beta"),
            article_factory("C", "other", "gamma"),
        ],
        ranking=CLASSIC,
        analyzer=PLAIN,
    )
    idf = math.log((3 - 2 + 0.5) / (2 + 0.5))  # ln 0.6 < 0: the RSJ form, not floored
    assert idf < 0
    hits = index.search("common")
    assert ids(hits) == ["A", "B"]  # equal scores: ties broken by article id
    norm = 1.2 * (0.25 + 0.75 * 2 / 2.0)
    assert hits[0].relevance == pytest.approx(idf * 2.2 / (1 + norm), rel=1e-12)
    assert index.document_frequency("common") == 2
    assert index.average_length == 2.0


def test_bm25_parameters_are_used(article_factory: MakeArticle) -> None:
    articles = [article_factory("A", "vpn", "vpn vpn x y z"), article_factory("B", "b", "c")]
    flat = ArticleIndex(articles, ranking=Bm25(k1=0.0, b=0.0, idf_form="rsj"), analyzer=PLAIN)
    (hit,) = flat.search("vpn")
    assert hit.relevance == pytest.approx(math.log(1.5 / 1.5) * 1.0)  # k1 = 0: tf ignored
    (hit,) = ArticleIndex(
        articles, ranking=Bm25(k1=2.0, b=0.0, idf_form="rsj"), analyzer=PLAIN
    ).search("vpn")
    idf = math.log((2 - 1 + 0.5) / (1 + 0.5))
    assert hit.relevance == pytest.approx(idf * 3 * 3.0 / (3 + 2.0))
    assert flat.ranking == Bm25(k1=0.0, b=0.0, idf_form="rsj")


def test_the_solved_boost_is_added_and_reorders_equal_matches(
    article_factory: MakeArticle,
) -> None:
    plain = article_factory("KB-A", "打印机卡纸", "打开后盖取纸")
    proven = article_factory("KB-B", "打印机卡纸", "打开后盖取纸", solved=3)
    index = ArticleIndex([plain, proven])
    hits = index.search("打印机卡纸")
    assert ids(hits) == ["KB-B", "KB-A"]
    assert hits[0].relevance == hits[1].relevance
    assert hits[0].boost == pytest.approx(0.25 * math.log(4))
    assert hits[0].score == pytest.approx(hits[0].relevance + 0.25 * math.log(4))
    without = ArticleIndex([plain, proven], ranking=Bm25(solved_boost=0.0))
    assert ids(without.search("打印机卡纸")) == ["KB-A", "KB-B"]  # tie: by id


# -- known answers on a bilingual corpus ------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "best"),
    [
        ("VPN 809", "KB-1"),
        ("vpn 连接失败", "KB-1"),
        ("VPN error 691", "KB-2"),
        ("重置密码", "KB-3"),
        ("忘记域账号密码怎么办", "KB-3"),
        ("Outlook asks for my password again", "KB-4"),
        ("打印机卡纸了", "KB-5"),
        ("printer offline", "KB-6"),
        ("WiFi 老是断开", "KB-7"),
        ("无线网络断线", "KB-7"),
        ("mailbox full", "KB-8"),
    ],
)
def test_known_answers(corpus: tuple[Article, ...], query: str, best: str) -> None:
    assert ids(ArticleIndex(corpus).search(query))[0] == best


def test_password_queries_in_two_languages_find_the_password_articles(
    corpus: tuple[Article, ...],
) -> None:
    index = ArticleIndex(corpus)
    # KB-3 is Chinese but tagged "password": tags are indexed with the title and body.
    assert set(ids(index.search("password"))) == {"KB-2", "KB-3", "KB-4"}
    # 密码 = password (the synonym table): KB-3 first, the English password articles after it.
    assert ids(index.search("密码"))[0] == "KB-3"
    assert set(ids(index.search("密码"))) == {"KB-2", "KB-3", "KB-4"}
    assert ids(index.search("密码 password"))[0] == "KB-3"  # both terms match it


def test_filters_by_category_subtree_tags_and_status(
    corpus: tuple[Article, ...], now: dt.datetime
) -> None:
    index = ArticleIndex(corpus)
    assert ids(index.search("password", category="network")) == ["KB-2"]
    assert ids(index.search("password", category="network/vpn")) == ["KB-2"]
    assert ids(index.search("password", category="net")) == []  # a prefix is not a parent
    assert ids(index.search("password", tags={"outlook"})) == ["KB-4"]
    assert ids(index.search("password", tags={"outlook", "vpn"})) == []
    retired = decide_article(
        corpus[3],
        Retire("replaced by KB-9"),
        ArticleContext(actor="wang", role="reviewer", now=now),
    )
    index.update(retired.state)
    assert "KB-4" not in ids(index.search("password"))
    assert ids(index.search("password", statuses={ArticleStatus.RETIRED})) == ["KB-4"]
    query = SearchQuery(text="password", statuses={ArticleStatus.PUBLISHED, ArticleStatus.RETIRED})
    assert set(ids(index.search(query))) == {"KB-2", "KB-3", "KB-4"}
    with pytest.raises(ValidationError) as caught:
        index.search(query, category="email", limit=3)
    assert [p.path for p in caught.value.problems] == ["category", "limit"]


def test_limit_and_empty_answers(corpus: tuple[Article, ...], article_factory: MakeArticle) -> None:
    index = ArticleIndex(corpus)
    assert len(index.search("the and or password vpn 密码 打印", limit=3)) == 3
    assert index.search("?!。，") == ()
    assert index.search("kubernetes") == ()
    assert ArticleIndex().search("vpn") == ()
    punctuation_only = ArticleIndex([article_factory("P", "???", "!!!")])
    assert punctuation_only.average_length == 0.0
    assert punctuation_only.search("vpn") == ()


# -- incremental changes ----------------------------------------------------------------------


def test_add_update_remove_and_their_conflicts(
    corpus: tuple[Article, ...], article_factory: MakeArticle
) -> None:
    index = ArticleIndex(corpus[:2])
    assert len(index) == 2
    assert "KB-1" in index
    assert list(index.article_ids) == ["KB-1", "KB-2"]
    with pytest.raises(IndexConflict, match="'KB-1' is already indexed") as caught:
        index.add(corpus[0])
    assert caught.value.article_id == "KB-1"
    with pytest.raises(IndexConflict, match="'KB-3' is not indexed"):
        index.update(corpus[2])
    with pytest.raises(IndexConflict, match="'KB-9' is not indexed"):
        index.remove("KB-9")
    assert list(index.article_ids) == ["KB-1", "KB-2"]  # unchanged by the refusals
    index.update(article_factory("KB-1", "Printer jam", "Open the back cover.", "hardware"))
    assert ids(index.search("809")) == []
    assert ids(index.search("printer")) == ["KB-1"]
    index.remove("KB-1")
    assert list(index.article_ids) == ["KB-2"]
    assert index.document_frequency("printer") == 0


def test_conflict_errors_pickle() -> None:
    import pickle

    error = IndexConflict("KB-1", "is not indexed")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.article_id, copy.problem, str(copy)) == ("KB-1", "is not indexed", str(error))


# -- values ----------------------------------------------------------------------------------


def test_query_validation_reports_every_problem() -> None:
    with pytest.raises(ValidationError) as caught:
        SearchQuery(
            text=3,  # type: ignore[arg-type]
            category="a//b",
            tags={" x"},
            statuses=set(),
            limit=0,
        )
    paths = [p.path for p in caught.value.problems]
    assert paths == ["text", "category", "tags", "statuses", "limit"]
    with pytest.raises(ValidationError, match="is not an ArticleStatus"):
        SearchQuery(text="x", statuses={"published"})
    assert SearchQuery(text="x", tags="vpn").tags == frozenset({"vpn"})


def test_bm25_parameters_validate_and_round_trip() -> None:
    assert Bm25.from_dict(Bm25(k1=2.0, b=0.3, solved_boost=0.0).to_dict()) == Bm25(
        k1=2.0, b=0.3, solved_boost=0.0
    )
    with pytest.raises(ValidationError) as caught:
        Bm25(k1=-1.0, b=1.5, solved_boost=math.nan)
    assert [p.path for p in caught.value.problems] == ["k1", "b", "solved_boost"]
    with pytest.raises(DeserializationError) as loaded:
        Bm25.from_dict({"k1": "high", "k3": 7})
    assert [p.path for p in loaded.value.problems] == ["k3", "k1"]
