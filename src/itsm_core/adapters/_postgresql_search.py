"""Knowledge search on PostgreSQL: a ``tsvector`` of analysed terms under a GIN index, ranked
with this library's BM25 in SQL."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from psycopg import sql

from itsm_core.adapters._article_search import Analysis, category_prefix, hit
from itsm_core.errors import IndexConflict
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
    from itsm_core.adapters.postgresql import Connection, PostgresDatabase

#: The table of :class:`PostgresArticleSearch` (``{articles}`` stands for its
#: schema-qualified name), created when missing. ``terms`` holds the article's analysed terms
#: as lexemes, each with positions ``1..f`` for its ``f`` occurrences (PostgreSQL keeps at
#: most 256 positions a lexeme), so a term's frequency is the number of its positions.
SEARCH_SCHEMA = (
    """
    CREATE TABLE IF NOT EXISTS {articles} (
        article_id text COLLATE "C" PRIMARY KEY,
        title      text             NOT NULL,
        category   text,
        tags       text[]           NOT NULL,
        status     text             NOT NULL,
        visibility text             NOT NULL,
        boost      double precision NOT NULL,
        length     integer          NOT NULL,
        terms      tsvector         NOT NULL
    )
    """,
    "CREATE INDEX IF NOT EXISTS itsm_search_terms ON {articles} USING gin (terms)",
    "CREATE INDEX IF NOT EXISTS itsm_search_tags ON {articles} USING gin (tags)",
)

#: BM25 in SQL: the same formula, parameters and IDF as the in-memory index. The statistics
#: (``N``, document frequencies through the GIN index, average length) cover every indexed
#: article, whatever its status; the filters then choose among the articles matching any term.
_SEARCH = """
WITH query AS (
    SELECT term, term_query FROM unnest(%(terms)s::text[], %(queries)s::tsquery[])
        AS q (term, term_query)
), stats AS (
    SELECT count(*)::float8 AS n, coalesce(avg(length), 1)::float8 AS average FROM {articles}
), weights AS (
    SELECT query.term, CASE WHEN %(lucene)s THEN ln(1 + r) ELSE ln(r) END * (%(k1)s + 1) AS w
    FROM query CROSS JOIN stats CROSS JOIN LATERAL (
        SELECT (stats.n - d + 0.5) / (d + 0.5) AS r
        FROM (SELECT count(*)::float8 AS d FROM {articles} WHERE terms @@ query.term_query) AS c
    ) AS idf
), hits AS (
    SELECT article_id, title, category, status, visibility, boost, length, terms
    FROM {articles} WHERE terms @@ %(any)s::tsquery AND {filters}
), scored AS (
    SELECT hits.article_id, hits.title, hits.category, hits.status, hits.visibility,
           sum(weights.w * t.f / (t.f + %(k1)s * (1 - %(b)s + %(b)s * hits.length / stats.average)))
               AS relevance,
           hits.boost, array_agg(t.lexeme) AS matched
    FROM hits CROSS JOIN stats
         CROSS JOIN LATERAL (
             SELECT lexeme, cardinality(positions)::float8 AS f FROM unnest(hits.terms)
         ) AS t
         JOIN weights ON weights.term = t.lexeme
    GROUP BY hits.article_id, hits.title, hits.category, hits.status, hits.visibility,
             hits.boost
)
SELECT * FROM scored ORDER BY relevance + boost DESC, article_id
LIMIT %(limit)s
"""


def _quoted(term: str) -> str:
    """``term`` as a quoted lexeme of a ``tsvector`` or ``tsquery`` literal."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def vector(counts: Counter[str]) -> str:
    """The ``tsvector`` literal of terms and their frequencies.

    >>> vector(Counter({"vpn": 2, "it's": 1}))
    "'vpn':1,2 'it''s':1"
    """
    return " ".join(
        f"{_quoted(term)}:{','.join(str(p) for p in range(1, min(f, 256) + 1))}"
        for term, f in counts.items()
    )


class PostgresArticleSearch:
    """:class:`~itsm_core.knowledge.ArticleSearch` on PostgreSQL full-text search.

    Each article's title, tags and body are analysed by the library's own
    :class:`~itsm_core.knowledge.Analyzer` (stemming, synonyms, compounds and Chinese bigrams
    apply as in :class:`~itsm_core.knowledge.ArticleIndex`) and stored as a ``tsvector`` of
    those terms, verbatim (no text search configuration touches them), under a GIN index; a
    query asks for any of its terms through the index. Hits are ranked in SQL with the
    index's own BM25 (``ranking``: Lucene IDF, ``k1``, ``b``, term frequencies from the
    lexemes' positions) plus the usage boost computed when the article is put, so scores equal
    :class:`~itsm_core.knowledge.ArticleIndex`'s up to rounding (a term counts at most 256
    times). Filters (category and below, every tag, statuses, visibilities) are SQL conditions.

    Open the schema with the same ``analyzer`` and ``ranking`` every time: the stored terms
    and boosts are theirs.

    Args:
        database: a :class:`~itsm_core.adapters.postgresql.PostgresDatabase` (the event
            store's, to keep the index in the same schema), or a connection string.
        analyzer: how texts become terms (default: ``Analyzer()``).
        ranking: the BM25 parameters and the usage boost (default: ``Bm25()``).
    """

    def __init__(
        self,
        database: PostgresDatabase | str,
        *,
        analyzer: Analyzer | None = None,
        ranking: Bm25 | None = None,
    ) -> None:
        from itsm_core.adapters.postgresql import PostgresDatabase

        self.database = (
            database if isinstance(database, PostgresDatabase) else PostgresDatabase(database)
        )
        self._analysis = Analysis(analyzer, ranking)
        schema = self.database.schema
        self._names = {"articles": sql.Identifier(schema, "itsm_search_articles")}
        if self.database.create:
            with self.database.transaction("create the search table") as connection:
                connection.execute(
                    "SELECT pg_advisory_xact_lock(hashtext('itsm_core search ' || %s))",
                    (schema,),
                )
                connection.execute(
                    sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema))
                )
                for statement in SEARCH_SCHEMA:
                    connection.execute(self._sql(statement))

    def _sql(self, template: str, **parts: sql.Composable) -> sql.Composed:
        return sql.SQL(template).format(**self._names, **parts)

    @property
    def analyzer(self) -> Analyzer:
        """How texts become terms."""
        return self._analysis.analyzer

    @property
    def ranking(self) -> Bm25:
        """The BM25 parameters and the usage boost."""
        return self._analysis.ranking

    def close(self) -> None:
        """Close the database connections."""
        self.database.close()

    def __enter__(self) -> PostgresArticleSearch:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __len__(self) -> int:
        rows = self.database.query(
            "count the indexed articles", self._sql("SELECT count(*) FROM {articles}")
        )
        return int(rows[0][0])

    def __contains__(self, article_id: object) -> bool:
        if not isinstance(article_id, str):
            return False
        rows = self.database.query(
            f"look up article {article_id!r}",
            self._sql("SELECT 1 FROM {articles} WHERE article_id = %s"),
            (article_id,),
        )
        return bool(rows)

    # -- changes ---------------------------------------------------------------------------

    def put(self, article: Article | ArticleDocument) -> None:
        """Index the article, replacing what was indexed under its id (one transaction)."""
        self.put_many([article])

    def put_many(self, articles: Iterable[Article | ArticleDocument]) -> None:
        """Index many articles in one transaction (the bulk path); a later one with the same
        id replaces an earlier one."""
        rows = [self._row(*self._analysis.document(article)) for article in articles]
        with self.database.transaction("index articles") as connection:
            self._upsert(connection, rows)

    def _row(self, document: ArticleDocument, counts: Counter[str]) -> tuple[Any, ...]:
        return (
            document.article_id,
            document.title,
            document.category,
            sorted(document.tags),
            document.status.value,
            document.visibility.value,
            self._analysis.boost(document),
            counts.total(),
            vector(counts),
        )

    def _upsert(self, connection: Connection, rows: list[tuple[Any, ...]]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                self._sql(
                    "INSERT INTO {articles} (article_id, title, category, tags, status, "
                    "visibility, boost, length, terms) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s::tsvector) "
                    "ON CONFLICT (article_id) DO UPDATE SET title = excluded.title, "
                    "category = excluded.category, tags = excluded.tags, "
                    "status = excluded.status, visibility = excluded.visibility, "
                    "boost = excluded.boost, length = excluded.length, terms = excluded.terms"
                ),
                rows,
            )

    def remove(self, article_id: str) -> None:
        """Drop the article; :class:`~itsm_core.errors.IndexConflict` if it is not indexed."""
        with self.database.transaction(f"remove article {article_id!r}") as connection:
            deleted = connection.execute(
                self._sql("DELETE FROM {articles} WHERE article_id = %s"), (article_id,)
            ).rowcount
            if not deleted:
                raise IndexConflict(article_id, "is not indexed")

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
            query, category, tags, statuses, visibilities, limit, "PostgresArticleSearch.search"
        )
        if not terms:
            return ()
        ranking = self.ranking
        parameters: dict[str, Any] = {
            "terms": terms,
            "queries": [_quoted(term) for term in terms],
            "any": " | ".join(_quoted(term) for term in terms),
            "lucene": ranking.idf_form == "lucene",
            "k1": ranking.k1,
            "b": ranking.b,
            "limit": found.limit,
            "statuses": sorted(status.value for status in found.statuses),
            "visibilities": sorted(visibility.value for visibility in found.visibilities),
        }
        filters = ["status = ANY(%(statuses)s::text[])", "visibility = ANY(%(visibilities)s)"]
        if found.category is not None:
            prefix = category_prefix(found.category)
            filters.append("(category = %(category)s OR left(category, %(length)s) = %(prefix)s)")
            parameters.update(category=found.category, length=len(prefix), prefix=prefix)
        if found.tags:
            filters.append("tags @> %(tags)s::text[]")
            parameters["tags"] = sorted(found.tags)
        statement = self._sql(_SEARCH, filters=sql.SQL(" AND ".join(filters)))
        rows = self.database.query(f"search {found.text!r}", statement, parameters)
        return tuple(hit(tuple(row[:7]), row[7]) for row in rows)
