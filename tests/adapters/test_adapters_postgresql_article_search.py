"""The PostgreSQL article search passes the ranking contract, and ranks as the in-memory index."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from itsm_core.adapters.postgresql import PostgresArticleSearch, PostgresDatabase
from itsm_core.knowledge import ArticleIndex, ArticleSearch, ArticleStatus
from itsm_core.testing import ArticleSearchContract
from itsm_core.testing._article_search_contract import CORPUS


class TestPostgresArticleSearch(ArticleSearchContract):
    dsn: str
    schema: str

    @pytest.fixture(autouse=True)
    def _postgres(self, postgres_dsn: str, postgres_schema: str) -> None:
        self.dsn, self.schema = postgres_dsn, postgres_schema

    def make_search(self, tmp_path: Path) -> ArticleSearch:
        return PostgresArticleSearch(PostgresDatabase(self.dsn, schema=self.schema))

    def test_the_scores_are_the_in_memory_index_s(self, search: ArticleSearch) -> None:
        assert isinstance(search, PostgresArticleSearch)
        search.put_many(CORPUS)
        index = ArticleIndex(CORPUS)
        for text in ("VPN error 809", "password 密码 reset", "printer 打印机 vpn", "MFA phone"):
            ours = search.search(text, statuses=set(ArticleStatus), limit=50)
            theirs = index.search(text, statuses=set(ArticleStatus), limit=50)
            assert [hit.article_id for hit in ours] == [hit.article_id for hit in theirs]
            for mine, reference in zip(ours, theirs, strict=True):
                assert math.isclose(mine.score, reference.score, rel_tol=1e-9)
                assert mine.matched == reference.matched
