"""Knowledge articles in the in-memory stores: event streams that replay, and the contract's
own sample values."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given

from itsm_core.errors import VersionConflict
from itsm_core.knowledge import (
    ARTICLE,
    ArticleContext,
    ArticleEvent,
    CreateArticle,
    Revise,
    decide_article,
)
from itsm_core.repositories import EventStore, InMemoryEventStore
from itsm_core.testing import ArticleRepositoryContract, article_histories, sample_article

NOW = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
LI = ArticleContext(actor="li", role="author", now=NOW)
WANG = ArticleContext(actor="wang", role="author", now=NOW)


@given(article_histories())
def test_an_article_stream_replays_to_the_article(history: tuple[ArticleEvent, ...]) -> None:
    store: EventStore[ArticleEvent] = InMemoryEventStore()
    stream = history[0].article_id
    assert store.append(stream, history, expected_version=0) == len(history)
    assert store.read(stream) == history
    assert ARTICLE.replay(store.read(stream)) == ARTICLE.replay(history)
    assert [r.version for r in store.read_all()] == [e.sequence for e in history]


def test_two_editors_of_one_article_cannot_both_append() -> None:
    store: EventStore[ArticleEvent] = InMemoryEventStore()
    create = CreateArticle(article_id="KB-1", title="VPN 809", body="Open UDP 500.", category="vpn")
    store.append("KB-1", decide_article(None, create, LI).events, 0)
    # Both editors read version 1 and revise it.
    seen = ARTICLE.replay(store.read("KB-1"))
    first = decide_article(seen, Revise(note="ports", body="Open UDP 500 and 4500."), LI)
    second = decide_article(seen, Revise(note="typo", title="VPN error 809"), WANG)
    assert store.append("KB-1", first.events, seen.version) == 2
    with pytest.raises(VersionConflict) as caught:
        store.append("KB-1", second.events, seen.version)
    assert (caught.value.expected, caught.value.actual) == (1, 2)
    assert ARTICLE.replay(store.read("KB-1")) == first.state
    # The second editor re-reads and decides again on the new state: both changes are kept.
    fresh = ARTICLE.replay(store.read("KB-1"))
    again = decide_article(fresh, Revise(note="typo", title="VPN error 809"), WANG)
    assert store.append("KB-1", again.events, fresh.version) == 3
    final = ARTICLE.replay(store.read("KB-1"))
    assert (final.title, final.body) == ("VPN error 809", "Open UDP 500 and 4500.")


def test_sample_articles_have_the_revision_as_their_version() -> None:
    for revision in (1, 2, 5):
        article = sample_article("KB-7", revision)
        assert article.version == revision == len(article.versions)
        assert article.article_id == "KB-7"
    contract = ArticleRepositoryContract()
    assert contract.sample_value("KB-7", 3) == sample_article("KB-7", 3)
    with pytest.raises(NotImplementedError):
        contract.make_repository(None)  # type: ignore[arg-type]
