"""Knowledge search on SQLite: an FTS5 table of analysed terms, ranked with ``bm25()``."""

from __future__ import annotations

import os
import sqlite3
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from itsm_core.adapters._article_search import Analysis, category_prefix, hit
from itsm_core.errors import IndexConflict, RepositoryError
from itsm_core.knowledge import (
    Analyzer,
    Article,
    ArticleDocument,
    ArticleStatus,
    Bm25,
    SearchHit,
    SearchQuery,
    Visibility,
)

if TYPE_CHECKING:
    from itsm_core.adapters.sqlite import SqliteDatabase

#: The tables of :class:`SqliteArticleSearch`, created when missing. ``search_terms`` is an
#: external-content FTS5 table over ``search_articles.terms``: the article's analysed terms,
#: each written as ``t`` and the hex of its UTF-8 bytes, so FTS5's ``ascii`` tokenizer keeps
#: every term whole and changes none.
SEARCH_SCHEMA = """
CREATE TABLE IF NOT EXISTS search_articles (
    slot       INTEGER PRIMARY KEY,
    article_id TEXT    NOT NULL UNIQUE,
    title      TEXT    NOT NULL,
    category   TEXT,
    status     TEXT    NOT NULL,
    visibility TEXT    NOT NULL,
    boost      REAL    NOT NULL,
    terms      TEXT    NOT NULL
);
CREATE TABLE IF NOT EXISTS search_article_tags (
    tag  TEXT    NOT NULL,
    slot INTEGER NOT NULL,
    PRIMARY KEY (tag, slot)
) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS search_terms USING fts5(
    terms, content = 'search_articles', content_rowid = 'slot', tokenize = 'ascii'
);
"""


def token(term: str) -> str:
    """How ``term`` is written in the FTS5 table: ``t`` and the hex of its UTF-8 bytes.

    >>> token("vpn"), token("密码")
    ('t76706e', 'te5af86e7a081')
    """
    return "t" + term.encode().hex()


class SqliteArticleSearch:
    """:class:`~itsm_core.knowledge.ArticleSearch` on SQLite's FTS5 full-text search.

    Each article's title, tags and body are analysed by the library's own
    :class:`~itsm_core.knowledge.Analyzer` (stemming, synonyms, compounds and Chinese bigrams
    apply as in :class:`~itsm_core.knowledge.ArticleIndex`); the terms are the FTS5 document,
    and queries are analysed the same way and ask for any of their terms. Hits are ranked by
    FTS5's ``bm25()`` (``k1 = 1.2``, ``b = 0.75``, the classic IDF floored just above zero, so
    every matched term adds) plus the usage boost of ``ranking``, computed when the article is
    put. Filters (category and below, every tag, statuses, visibilities) are SQL conditions.

    Every change is one ``BEGIN IMMEDIATE`` transaction, visible to the next search in any
    connection. Open the file with the same ``analyzer`` every time: the stored terms are
    its terms.

    Args:
        database: a :class:`~itsm_core.adapters.sqlite.SqliteDatabase` (the event store's, to
            keep the index in the same file), or the path of the file.
        analyzer: how texts become terms (default: ``Analyzer()``).
        ranking: gives the usage boost (``Bm25().boost``); BM25's own parameters are FTS5's.
    """

    def __init__(
        self,
        database: SqliteDatabase | str | os.PathLike[str],
        *,
        analyzer: Analyzer | None = None,
        ranking: Bm25 | None = None,
    ) -> None:
        from itsm_core.adapters.sqlite import SqliteDatabase

        self.database = (
            database if isinstance(database, SqliteDatabase) else SqliteDatabase(database)
        )
        self._analysis = Analysis(analyzer, ranking)
        try:
            self.database.connection().executescript(SEARCH_SCHEMA)
        except sqlite3.Error as exc:
            raise RepositoryError(
                f"cannot create the search tables in {self.database.path}: {exc}"
            ) from exc

    @property
    def analyzer(self) -> Analyzer:
        """How texts become terms."""
        return self._analysis.analyzer

    @property
    def ranking(self) -> Bm25:
        """The ranking whose boost is added to ``bm25()``."""
        return self._analysis.ranking

    def close(self) -> None:
        """Close the database connections."""
        self.database.close()

    def __enter__(self) -> SqliteArticleSearch:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __len__(self) -> int:
        return int(self.database.query("SELECT count(*) FROM search_articles")[0][0])

    def __contains__(self, article_id: object) -> bool:
        if not isinstance(article_id, str):
            return False
        rows = self.database.query(
            "SELECT 1 FROM search_articles WHERE article_id = ?", (article_id,)
        )
        return bool(rows)

    # -- changes ---------------------------------------------------------------------------

    def put(self, article: Article | ArticleDocument) -> None:
        """Index the article, replacing what was indexed under its id (one transaction)."""
        self.put_many([article])

    def put_many(self, articles: Iterable[Article | ArticleDocument]) -> None:
        """Index many articles in one transaction (the bulk path); a later one with the same
        id replaces an earlier one."""
        analysed = [self._analysis.document(article) for article in articles]
        with self.database.transaction() as connection:
            for document, counts in analysed:
                self._delete(connection, document.article_id)
                self._insert(connection, document, counts)

    def remove(self, article_id: str) -> None:
        """Drop the article; :class:`~itsm_core.errors.IndexConflict` if it is not indexed."""
        with self.database.transaction() as connection:
            if not self._delete(connection, article_id):
                raise IndexConflict(article_id, "is not indexed")

    def _insert(
        self, connection: sqlite3.Connection, document: ArticleDocument, counts: Counter[str]
    ) -> None:
        terms = " ".join(token(term) for term in counts.elements())
        slot = connection.execute(
            "INSERT INTO search_articles "
            "(article_id, title, category, status, visibility, boost, terms) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                document.article_id,
                document.title,
                document.category,
                document.status.value,
                document.visibility.value,
                self._analysis.boost(document),
                terms,
            ),
        ).lastrowid
        connection.execute("INSERT INTO search_terms (rowid, terms) VALUES (?, ?)", (slot, terms))
        connection.executemany(
            "INSERT INTO search_article_tags (tag, slot) VALUES (?, ?)",
            [(tag, slot) for tag in sorted(document.tags)],
        )

    @staticmethod
    def _delete(connection: sqlite3.Connection, article_id: str) -> bool:
        """Delete the article's rows; False when it was not indexed."""
        found = connection.execute(
            "SELECT slot, terms FROM search_articles WHERE article_id = ?", (article_id,)
        ).fetchone()
        if found is None:
            return False
        slot, terms = found
        connection.execute(  # an external-content table forgets a row through 'delete'
            "INSERT INTO search_terms (search_terms, rowid, terms) VALUES ('delete', ?, ?)",
            (slot, terms),
        )
        connection.execute("DELETE FROM search_article_tags WHERE slot = ?", (slot,))
        connection.execute("DELETE FROM search_articles WHERE slot = ?", (slot,))
        return True

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

        The same arguments and defaults as :meth:`~itsm_core.knowledge.ArticleIndex.search`.
        """
        found, terms = self._analysis.query(
            query, category, tags, statuses, visibilities, limit, "SqliteArticleSearch.search"
        )
        if not terms:
            return ()
        conditions = ["search_terms MATCH ?"]
        parameters: list[Any] = [" OR ".join(f'"{token(term)}"' for term in terms)]
        statuses_ = sorted(status.value for status in found.statuses)
        conditions.append(f"a.status IN ({', '.join('?' * len(statuses_))})")
        parameters.extend(statuses_)
        if set(found.visibilities) != set(Visibility):
            visibilities_ = sorted(visibility.value for visibility in found.visibilities)
            conditions.append(f"a.visibility IN ({', '.join('?' * len(visibilities_))})")
            parameters.extend(visibilities_)
        if found.category is not None:
            prefix = category_prefix(found.category)
            conditions.append("(a.category = ? OR substr(a.category, 1, ?) = ?)")
            parameters.extend((found.category, len(prefix), prefix))
        for tag in sorted(found.tags):
            conditions.append("a.slot IN (SELECT slot FROM search_article_tags WHERE tag = ?)")
            parameters.append(tag)
        rows = self.database.query(
            "SELECT a.article_id, a.title, a.category, a.status, a.visibility, "
            "-bm25(search_terms) AS relevance, a.boost, a.terms "
            "FROM search_terms JOIN search_articles AS a ON a.slot = search_terms.rowid "
            f"WHERE {' AND '.join(conditions)} "
            "ORDER BY relevance + a.boost DESC, a.article_id LIMIT ?",
            (*parameters, found.limit),
        )
        hits = []
        for *row, stored in rows:
            own = set(stored.split())
            hits.append(hit(tuple(row), (term for term in terms if token(term) in own)))
        return tuple(hits)
