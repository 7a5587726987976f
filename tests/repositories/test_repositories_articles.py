"""Knowledge articles in the in-memory stores: event streams that replay, and the contract's
own sample values."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given

from itsm_core.errors import VersionConflict
from itsm_core.knowledge import ArticleEvent, CreateArticle, Revise, decide, replay
from itsm_core.repositories import EventStore, InMemoryEventStore
from itsm_core.testing import ArticleRepositoryContract, article_histories, sample_article

NOW = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)


@given(article_histories())
def test_an_article_stream_replays_to_the_article(history: tuple[ArticleEvent, ...]) -> None:
    store: EventStore[ArticleEvent] = InMemoryEventStore()
    stream = history[0].article_id
    assert store.append(stream, history, expected_version=0) == len(history)
    assert store.read(stream) == history
    assert replay(store.read(stream)) == replay(history)
    assert [r.version for r in store.read_all()] == [e.sequence for e in history]


def test_two_editors_of_one_article_cannot_both_append() -> None:
    store: EventStore[ArticleEvent] = InMemoryEventStore()
    create = CreateArticle(article_id="KB-1", title="VPN 809", body="Open UDP 500.", category="vpn")
    store.append("KB-1", decide(None, create, actor="li", now=NOW).events, 0)
    # Both editors read version 1 and revise it.
    seen = replay(store.read("KB-1"))
    first = decide(seen, Revise(note="ports", body="Open UDP 500 and 4500."), actor="li", now=NOW)
    second = decide(seen, Revise(note="typo", title="VPN error 809"), actor="wang", now=NOW)
    assert store.append("KB-1", first.events, seen.version) == 2
    with pytest.raises(VersionConflict) as caught:
        store.append("KB-1", second.events, seen.version)
    assert (caught.value.expected, caught.value.actual) == (1, 2)
    assert replay(store.read("KB-1")) == first.article
    # The second editor re-reads and decides again on the new state: both changes are kept.
    fresh = replay(store.read("KB-1"))
    again = decide(fresh, Revise(note="typo", title="VPN error 809"), actor="wang", now=NOW)
    assert store.append("KB-1", again.events, fresh.version) == 3
    final = replay(store.read("KB-1"))
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
