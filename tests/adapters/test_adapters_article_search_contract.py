"""Every article search passes the same ranking contract: in memory and on SQLite (FTS5)."""

from __future__ import annotations

from pathlib import Path

from itsm_core.adapters._sqlite_search import token
from itsm_core.adapters.sqlite import SqliteArticleSearch, SqliteDatabase
from itsm_core.knowledge import ArticleIndex, ArticleSearch
from itsm_core.testing import ArticleSearchContract
from itsm_core.testing._article_search_contract import CORPUS


class TestInMemoryArticleSearch(ArticleSearchContract):
    def make_search(self, tmp_path: Path) -> ArticleSearch:
        return ArticleIndex()


class TestSqliteArticleSearch(ArticleSearchContract):
    def make_search(self, tmp_path: Path) -> ArticleSearch:
        return SqliteArticleSearch(SqliteDatabase(tmp_path / "kb.db", synchronous="NORMAL"))


def test_a_sqlite_index_survives_a_new_connection(tmp_path: Path) -> None:
    with SqliteArticleSearch(tmp_path / "kb.db") as search:
        search.put_many(CORPUS)
        before = search.search("vpn password 打印机", limit=50)
    with SqliteArticleSearch(tmp_path / "kb.db") as reopened:
        assert len(reopened) == len(CORPUS)
        assert reopened.search("vpn password 打印机", limit=50) == before


def test_fts5_stores_every_term_whole() -> None:
    assert token("~wifi") == "t7e77696669"
    assert token("密码") != token("码")
    assert token("a b") == "t612062"
