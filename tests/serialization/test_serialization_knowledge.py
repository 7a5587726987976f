"""Knowledge articles, their events and their settings through the serializer."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsm_core.errors import DeserializationError
from itsm_core.knowledge import (
    ARTICLE,
    Article,
    ArticleContext,
    ArticleEvent,
    ArticleStatus,
    Bm25,
    CategoryTree,
    CreateArticle,
    GapPolicy,
    decide_article,
)
from itsm_core.serialization import Serializer
from itsm_core.testing import article_histories, register_strategies, sample_article

SERIALIZER = Serializer()
NOW = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)

# Registered here as the entry point does when the package is installed with its extra.
register_strategies()


def _problems(envelope: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(DeserializationError) as caught:
        SERIALIZER.load(envelope)
    return {p.path: p.message for p in caught.value.problems}


@given(st.from_type(Article))
def test_from_type_draws_articles_that_replay_and_round_trip(article: Article) -> None:
    assert isinstance(article, Article)
    assert article.version >= len(article.versions)  # every version came with an event
    assert [v.number for v in article.versions] == list(range(1, len(article.versions) + 1))
    assert SERIALIZER.loads(SERIALIZER.dumps(article), Article) == article


@given(st.from_type(ArticleEvent))
def test_from_type_draws_article_events(event: ArticleEvent) -> None:
    assert SERIALIZER.loads(SERIALIZER.dumps(event), ArticleEvent) == event


@given(article_histories())
def test_a_stored_history_replays_to_the_same_article(history: tuple[ArticleEvent, ...]) -> None:
    text = json.dumps([SERIALIZER.dump(event) for event in history])
    loaded = [SERIALIZER.load(envelope, ArticleEvent) for envelope in json.loads(text)]
    assert loaded == list(history)
    assert ARTICLE.replay(loaded) == ARTICLE.replay(history)
    assert ARTICLE.replay(loaded).version == len(history)


@pytest.mark.parametrize(
    ("value", "name"),
    [
        (Bm25(k1=1.5), "bm25"),
        (GapPolicy(min_tickets=3), "gap_policy"),
        (
            CategoryTree.from_dict({"network": {"label": "网络", "children": {"vpn": {}}}}),
            "category_tree",
        ),
    ],
)
def test_settings_are_written_in_their_own_documented_format(value: object, name: str) -> None:
    envelope = SERIALIZER.dump(value)
    assert envelope["type"] == name
    assert envelope["data"] == value.to_dict()  # type: ignore[attr-defined]
    assert SERIALIZER.load(envelope) == value


def test_an_article_keeps_its_status_tags_and_time_zone() -> None:
    article = sample_article("KB-1", 2)
    data = SERIALIZER.dump(article)["data"]
    assert data["status"] == "draft"
    assert data["versions"][0]["tags"] == ["vpn", "网络"]
    assert data["created_at"] == "2026-03-02T09:00:00+08:00[Asia/Shanghai]"
    assert data["versions"][1]["at"] == "2026-03-02T10:00:00+08:00[Asia/Shanghai]"


def test_every_problem_of_an_article_is_listed_with_its_path() -> None:
    envelope = SERIALIZER.dump(sample_article("KB-1", 2))
    data = envelope["data"]
    data["status"] = "archived"
    data["views"] = "3"
    data["tickets"] = "INC1"
    data["versions"][1]["at"] = "2026-03-02T10:00:00"
    data["versions"][1]["category"] = "network//vpn"
    del data["versions"][0]["title"]
    data["colour"] = "red"
    problems = _problems(envelope)
    assert problems["data.status"] == "'archived' is not a valid ArticleStatus"
    assert problems["data.views"] == "expected an integer, got '3'"
    assert problems["data.versions[1].at"] == (
        "'2026-03-02T10:00:00' has no UTC offset (a time zone is required)"
    )
    assert problems["data.versions[0].title"] == "missing"
    assert problems["data.colour"] == "unknown key"
    assert "data.tickets" in problems
    assert len(problems) == 6


def test_an_invalid_version_inside_an_event_is_refused_with_its_path() -> None:
    create = CreateArticle(article_id="KB-9", title="t", body="b", category="network/vpn")
    event = decide_article(None, create, ArticleContext(actor="li", role="author", now=NOW)).events[
        0
    ]
    envelope = SERIALIZER.dump(event)
    envelope["data"]["version"]["category"] = "network//vpn"
    envelope["data"]["version"]["number"] = 0
    problems = _problems(envelope)
    assert set(problems) == {"data.version.category", "data.version.number"}
    assert "not a category path" in problems["data.version.category"]
    assert problems["data.version.number"] == "must be a positive int, got 0"


def test_category_tree_problems_come_with_their_paths() -> None:
    envelope = {
        "type": "category_tree",
        "version": 1,
        "data": {"network": {"label": " ", "children": {"a/b": {}}}, "hardware": 3},
    }
    problems = _problems(envelope)
    assert set(problems) == {"data.network.label", "data.network.children.a/b", "data.hardware"}


def test_settings_out_of_range_are_refused_with_every_problem() -> None:
    bm25 = _problems({"type": "bm25", "version": 1, "data": {"k1": -1, "b": 2, "x": 0}})
    assert set(bm25) == {"data.k1", "data.b", "data.x"}
    gaps = _problems({"type": "gap_policy", "version": 1, "data": {"min_tickets": 0}})
    assert set(gaps) == {"data.min_tickets"}


def test_a_status_is_read_back_as_the_enum() -> None:
    loaded = SERIALIZER.load(SERIALIZER.dump(sample_article("KB-1")), Article)
    assert loaded.status is ArticleStatus.DRAFT
