"""Knowledge article streams in SQLite: what is appended reads back, replays, and survives."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings

from itsm_core.adapters.sqlite import SqliteDatabase, SqliteEventStore
from itsm_core.knowledge import ARTICLE, ArticleEvent
from itsm_core.testing import article_histories


@settings(max_examples=25)  # bounded: each example creates and reopens a database file
@given(article_histories())
def test_an_article_stream_survives_a_new_connection(history: tuple[ArticleEvent, ...]) -> None:
    stream = history[0].article_id
    with tempfile.TemporaryDirectory() as folder:
        database = SqliteDatabase(Path(folder) / "kb.db", synchronous="NORMAL")
        store = SqliteEventStore[ArticleEvent](database)
        assert store.append(stream, history, 0) == len(history)
        database.close()
        with SqliteEventStore[ArticleEvent](Path(folder) / "kb.db") as reopened:
            assert reopened.read(stream) == history
            assert ARTICLE.replay(reopened.read(stream)) == ARTICLE.replay(history)
            assert reopened.version(stream) == len(history)
