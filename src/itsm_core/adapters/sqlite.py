"""The storage ports on SQLite (standard library ``sqlite3``): durable, transactional, shared.

:class:`SqliteEventStore` and :class:`SqliteRepository` implement
:class:`~itsm_core.repositories.EventStore` and :class:`~itsm_core.repositories.Repository`
on one database file, which several threads and several processes may use at once:

* the database runs in WAL mode (readers never block the writer, and a crash leaves the last
  committed state), with a busy timeout so writers queue instead of failing;
* every write is one ``BEGIN IMMEDIATE`` transaction that takes the write lock *before*
  reading the current version, so the version check and the insert cannot interleave with
  another writer: a stale write raises :class:`~itsm_core.errors.VersionConflict` and
  writes nothing. ``UNIQUE (stream, version)`` backs the check up;
* values are stored as the JSON envelopes of :class:`~itsm_core.serialization.Serializer`
  (type, schema version, data), so a newer release reads and upgrades older rows;
* text that is not Unicode (a lone surrogate) in a stream name, key or value is refused with
  a :class:`~itsm_core.errors.ValidationError` naming where, as the in-memory stores refuse
  it: UTF-8 cannot hold it;
* positions are ``INTEGER PRIMARY KEY`` row ids, allocated under the write lock: they grow in
  commit order, so a projection reading ``read_all(after=p)`` never misses a late commit.

Each thread (and each process) gets its own connection; call :meth:`close` when done (or use
the store as a context manager).

>>> import datetime as dt, tempfile, pathlib
>>> from itsm_core.tickets import Comment
>>> folder = tempfile.TemporaryDirectory()
>>> path = pathlib.Path(folder.name) / "itsm.db"
>>> note = Comment(at=dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC), author="ana", role="agent",
...                text="Called the customer")
>>> with SqliteEventStore[Comment](path) as store:
...     store.append("INC1", [note], expected_version=0)
1
>>> with SqliteEventStore[Comment](path) as store:  # another connection, same file
...     store.read("INC1") == (note,)
True
>>> folder.cleanup()
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import threading
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar, cast

from itsm_core.adapters._sqlite_outbox import SqliteOutbox
from itsm_core.adapters._sqlite_search import SqliteArticleSearch
from itsm_core.adapters._stores import Closing, load_metadata, prepared_append
from itsm_core.desk import (
    ProjectionRow,
    RowHit,
    RowQuery,
    check_commit,
    check_projection_name,
    check_query,
    check_row_keys,
)
from itsm_core.errors import (
    DuplicateAppend,
    DuplicateEventId,
    NotFound,
    RepositoryError,
    VersionConflict,
)
from itsm_core.repositories import (
    AppendReceipt,
    EventMetadata,
    ExpectedVersion,
    RecordedEvent,
    Versioned,
    check_expected,
    check_key,
    check_read,
    check_save,
)
from itsm_core.serialization import Serializer

__all__ = [
    "SqliteArticleSearch",
    "SqliteDatabase",
    "SqliteEventStore",
    "SqliteOutbox",
    "SqliteProjectionStore",
    "SqliteRepository",
]

E = TypeVar("E")
T = TypeVar("T")

Synchronous = Literal["OFF", "NORMAL", "FULL", "EXTRA"]

#: The tables, created when missing. ``events`` is the log; ``records`` the repositories.
SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    position INTEGER PRIMARY KEY,
    stream   TEXT    NOT NULL,
    version  INTEGER NOT NULL CHECK (version >= 1),
    envelope TEXT    NOT NULL,
    event_id TEXT,
    metadata TEXT,
    UNIQUE (stream, version)
);
CREATE TABLE IF NOT EXISTS receipts (
    key           TEXT    PRIMARY KEY,
    stream        TEXT    NOT NULL,
    first_version INTEGER NOT NULL,
    last_version  INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS records (
    kind     TEXT    NOT NULL,
    key      TEXT    NOT NULL,
    version  INTEGER NOT NULL CHECK (version >= 1),
    envelope TEXT    NOT NULL,
    PRIMARY KEY (kind, key)
);
"""


class SqliteDatabase:
    """One SQLite file: per-thread connections, WAL, and write transactions.

    Args:
        path: the database file (created if missing).
        busy_timeout: seconds a writer waits for the write lock before giving up with a
            :class:`~itsm_core.errors.RepositoryError`.
        synchronous: SQLite's ``synchronous`` setting. ``"FULL"`` (the default) makes every
            commit durable even against power loss; ``"NORMAL"`` is faster and still safe
            against a crashed or killed process in WAL mode.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        busy_timeout: float = 30.0,
        synchronous: Synchronous = "FULL",
    ) -> None:
        self.path = Path(path)
        self.busy_timeout = busy_timeout
        self.synchronous = synchronous
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self._generation = 0
        try:
            connection = self.connection()
            connection.executescript(SCHEMA)  # idempotent: CREATE ... IF NOT EXISTS
            columns = {row[1] for row in connection.execute("PRAGMA table_info(events)")}
            for column in ("event_id", "metadata"):  # files written before 0.x had neither
                if column not in columns:
                    connection.execute(f"ALTER TABLE events ADD COLUMN {column} TEXT")
            connection.execute(
                "CREATE UNIQUE INDEX IF NOT EXISTS events_event_id ON events (event_id)"
            )
        except sqlite3.Error as exc:
            raise RepositoryError(f"cannot create the tables in {self.path}: {exc}") from exc

    def connection(self) -> sqlite3.Connection:
        """This thread's connection (opened on first use, again after a fork or a close)."""
        key = (os.getpid(), self._generation)
        cached = getattr(self._local, "connection", None)
        if cached is not None and cached[0] == key:
            return cast(sqlite3.Connection, cached[1])
        try:
            connection = sqlite3.connect(
                self.path,
                timeout=self.busy_timeout,
                isolation_level=None,  # autocommit: transactions are explicit below
                check_same_thread=False,  # only so close() may close it from another thread
            )
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute(f"PRAGMA synchronous={self.synchronous}")
            connection.execute(f"PRAGMA busy_timeout={int(self.busy_timeout * 1000)}")
        except sqlite3.Error as exc:
            raise RepositoryError(f"cannot open SQLite database {self.path}: {exc}") from exc
        self._local.connection = (key, connection)
        with self._lock:
            self._connections.append(connection)
        return connection

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction holding the write lock from its first statement.

        Commits when the block ends, rolls back (writing nothing) when it raises; SQLite's
        own errors come out as :class:`~itsm_core.errors.RepositoryError`.
        """
        connection = self.connection()
        try:
            connection.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise RepositoryError(f"SQLite {self.path}: cannot start a write: {exc}") from exc
        try:
            yield connection
        except sqlite3.Error as exc:
            connection.rollback()
            raise RepositoryError(f"SQLite {self.path}: write failed: {exc}") from exc
        except BaseException:
            connection.rollback()
            raise
        try:
            connection.commit()
        except sqlite3.Error as exc:  # pragma: no cover - a failed COMMIT is rolled back
            connection.rollback()
            raise RepositoryError(f"SQLite {self.path}: commit failed: {exc}") from exc

    def query(self, sql: str, parameters: Sequence[object] = ()) -> list[Any]:
        """Rows of a read-only statement (one consistent snapshot)."""
        try:
            return self.connection().execute(sql, parameters).fetchall()
        except sqlite3.Error as exc:
            raise RepositoryError(f"SQLite {self.path}: {exc}") from exc

    def close(self) -> None:
        """Close every connection this object opened (in any thread of this process)."""
        with self._lock:
            connections, self._connections = self._connections, []
            self._generation += 1  # every thread opens a new connection on its next use
        for connection in connections:
            connection.close()


class _Store(Closing):
    """What both stores share: a database, a serializer, closing, ``with`` support."""

    def __init__(
        self,
        database: SqliteDatabase | str | os.PathLike[str],
        *,
        serializer: Serializer | None = None,
    ) -> None:
        self.database = (
            database if isinstance(database, SqliteDatabase) else SqliteDatabase(database)
        )
        self.serializer = serializer if serializer is not None else Serializer()

    def close(self) -> None:
        """Close the database connections."""
        self.database.close()


class SqliteEventStore(_Store, Generic[E]):
    """:class:`~itsm_core.repositories.EventStore` on SQLite.

    Args:
        database: a :class:`SqliteDatabase`, or the path of the file.
        serializer: writes and reads the events (default: ``Serializer()``, which knows every
            itsm_core event type); events of a type it does not know cannot be appended.
    """

    def append(
        self,
        stream: str,
        events: Sequence[E],
        expected_version: int | ExpectedVersion,
        *,
        metadata: Sequence[EventMetadata] | None = None,
        idempotency_key: str | None = None,
    ) -> int:
        """Append ``events`` if ``stream`` satisfies ``expected_version``; the new version."""
        envelopes, metas = prepared_append(
            self.serializer, stream, events, expected_version, metadata, idempotency_key
        )
        with self.database.transaction() as connection:
            if idempotency_key is not None:
                earlier = self._receipt(connection, idempotency_key)
                if earlier is not None:
                    raise DuplicateAppend(idempotency_key, earlier)
            (actual,) = connection.execute(
                "SELECT COALESCE(MAX(version), 0) FROM events WHERE stream = ?", (stream,)
            ).fetchone()
            check_expected(stream, expected_version, actual)
            for event_id, _ in metas:
                if (
                    event_id is not None
                    and connection.execute(
                        "SELECT 1 FROM events WHERE event_id = ?", (event_id,)
                    ).fetchone()
                ):
                    raise DuplicateEventId(event_id)
            try:
                connection.executemany(
                    "INSERT INTO events (stream, version, envelope, event_id, metadata) "
                    "VALUES (?, ?, ?, ?, ?)",
                    [
                        (stream, actual + i, text, event_id, meta)
                        for i, (text, (event_id, meta)) in enumerate(
                            zip(envelopes, metas, strict=True), 1
                        )
                    ],
                )
            except sqlite3.IntegrityError as exc:  # pragma: no cover - the lock prevents it
                raise VersionConflict(stream, expected_version, actual + 1) from exc
            if idempotency_key is not None:
                connection.execute(
                    "INSERT INTO receipts (key, stream, first_version, last_version) "
                    "VALUES (?, ?, ?, ?)",
                    (idempotency_key, stream, actual + 1, actual + len(envelopes)),
                )
        return int(actual) + len(envelopes)

    def receipt(self, idempotency_key: str) -> AppendReceipt | None:
        """What the append under ``idempotency_key`` wrote, or None if no append used it."""
        check_key(idempotency_key)
        rows = self.database.query(
            "SELECT key, stream, first_version, last_version FROM receipts WHERE key = ?",
            (idempotency_key,),
        )
        return AppendReceipt(*rows[0]) if rows else None

    @staticmethod
    def _receipt(connection: sqlite3.Connection, key: str) -> AppendReceipt | None:
        row = connection.execute(
            "SELECT key, stream, first_version, last_version FROM receipts WHERE key = ?",
            (key,),
        ).fetchone()
        return None if row is None else AppendReceipt(*row)

    def _load_metadata(self, text: str | None) -> EventMetadata | None:
        return load_metadata(self.serializer, text, f"SQLite {self.database.path}")

    def read(self, stream: str, after: int = 0) -> tuple[E, ...]:
        """The events of ``stream`` after version ``after``."""
        check_read(stream, after)
        rows = self.database.query(
            "SELECT envelope FROM events WHERE stream = ? AND version > ? ORDER BY version",
            (stream, after),
        )
        return tuple(cast(E, self.serializer.loads(text)) for (text,) in rows)

    def version(self, stream: str) -> int:
        """The number of events in ``stream``."""
        check_read(stream)
        rows = self.database.query(
            "SELECT COALESCE(MAX(version), 0) FROM events WHERE stream = ?", (stream,)
        )
        return int(rows[0][0])

    def read_all(self, after: int = 0, limit: int | None = None) -> tuple[RecordedEvent[E], ...]:
        """Every event after position ``after`` (at most ``limit``), oldest first."""
        check_read(None, after, limit)
        rows = self.database.query(
            "SELECT position, stream, version, envelope, metadata FROM events "
            "WHERE position > ? ORDER BY position LIMIT ?",
            (after, -1 if limit is None else limit),
        )
        return tuple(
            RecordedEvent(
                position,
                stream,
                version,
                cast(E, self.serializer.loads(text)),
                self._load_metadata(meta),
            )
            for position, stream, version, text, meta in rows
        )

    def last_position(self) -> int:
        """The position of the last event (0 when empty)."""
        return int(self.database.query("SELECT COALESCE(MAX(position), 0) FROM events")[0][0])


class SqliteRepository(_Store, Generic[T]):
    """:class:`~itsm_core.repositories.Repository` on SQLite; ``kind`` separates aggregates.

    Several repositories (``"ticket"``, ``"sla_policy"``...) share one file and table, each
    seeing only its own ``kind``.
    """

    def __init__(
        self,
        database: SqliteDatabase | str | os.PathLike[str],
        kind: str,
        *,
        serializer: Serializer | None = None,
    ) -> None:
        super().__init__(database, serializer=serializer)
        check_key(kind)
        self.kind = kind

    def get(self, key: str) -> Versioned[T]:
        """The value under ``key``; NotFound when there is none."""
        found = self.find(key)
        if found is None:
            raise NotFound(self.kind, key)
        return found

    def find(self, key: str) -> Versioned[T] | None:
        """The value under ``key``, or None."""
        check_key(key)
        rows = self.database.query(
            "SELECT version, envelope FROM records WHERE kind = ? AND key = ?", (self.kind, key)
        )
        if not rows:
            return None
        version, text = rows[0]
        return Versioned(key, version, cast(T, self.serializer.loads(text)))

    def save(self, key: str, value: T, expected_version: int) -> Versioned[T]:
        """Save ``value`` if ``key`` is at ``expected_version``; the saved version."""
        check_save(key, expected_version, value)
        text = self.serializer.dumps(value)
        with self.database.transaction() as connection:
            row = connection.execute(
                "SELECT version FROM records WHERE kind = ? AND key = ?", (self.kind, key)
            ).fetchone()
            actual = 0 if row is None else row[0]
            if actual != expected_version:
                raise VersionConflict(f"{self.kind} {key}", expected_version, actual)
            connection.execute(
                "INSERT INTO records (kind, key, version, envelope) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (kind, key) DO UPDATE SET version = excluded.version, "
                "envelope = excluded.envelope",
                (self.kind, key, actual + 1, text),
            )
        return Versioned(key, actual + 1, value)

    def keys(self) -> tuple[str, ...]:
        """Every key of this kind, sorted."""
        rows = self.database.query(
            "SELECT key FROM records WHERE kind = ? ORDER BY key", (self.kind,)
        )
        return tuple(key for (key,) in rows)


#: The tables of :class:`SqliteProjectionStore`, created when missing: each read model's
#: checkpoint, its rows, and the two indexes of its rows (terms, and instants per slot).
PROJECTION_SCHEMA = """
CREATE TABLE IF NOT EXISTS projection_checkpoints (
    name     TEXT    PRIMARY KEY,
    position INTEGER NOT NULL CHECK (position >= 0)
);
CREATE TABLE IF NOT EXISTS projection_rows (
    name     TEXT NOT NULL,
    key      TEXT NOT NULL,
    data     TEXT NOT NULL,
    terms    TEXT NOT NULL,
    instants TEXT NOT NULL,
    PRIMARY KEY (name, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS projection_terms (
    name TEXT NOT NULL,
    term TEXT NOT NULL,
    key  TEXT NOT NULL,
    PRIMARY KEY (name, term, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS projection_instants (
    name TEXT    NOT NULL,
    slot TEXT    NOT NULL,
    at   INTEGER NOT NULL,
    key  TEXT    NOT NULL,
    PRIMARY KEY (name, slot, at, key)
) WITHOUT ROWID;
"""

#: Keys per ``IN (...)`` list (well under SQLite's limit on bound parameters).
_CHUNK = 500

_Terms = set[str]
_Instants = set[tuple[str, int]]


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND = dt.timedelta(microseconds=1)
#: A query whose terms leave at most this many rows checks them one by one instead of
#: walking the slot's instants in order.
_FEW = 500


def _micros(at: dt.datetime) -> int:
    """``at`` as microseconds since 1970 UTC: how instants are stored and ordered."""
    return (at - _EPOCH) // _MICROSECOND


def _instant(us: int) -> dt.datetime:
    return _EPOCH + dt.timedelta(microseconds=us)


def _marks(row: ProjectionRow) -> list[list[object]]:
    return [[slot, _micros(at)] for slot, at in row.instants]


class SqliteProjectionStore(_Store):
    """:class:`~itsm_core.desk.ProjectionStore` on SQLite: read models beside the events.

    Each read model's rows, their index entries and its checkpoint live in four tables (see
    :data:`PROJECTION_SCHEMA`); a commit writes them in one ``BEGIN IMMEDIATE`` transaction
    that first checks the checkpoint, so rows and checkpoint move together or not at all,
    and a process killed mid-commit leaves the last committed state. A commit rewrites only
    the index entries that changed. Queries read one snapshot (a deferred transaction), use
    the indexes (``(name, term, key)`` and ``(name, slot, at, key)``), and stop reading once
    they have ``limit`` rows.

    Args:
        database: a :class:`SqliteDatabase` (the event store's, to keep both in one file), or
            the path of the file.
    """

    def __init__(self, database: SqliteDatabase | str | os.PathLike[str]) -> None:
        super().__init__(database)
        try:
            self.database.connection().executescript(PROJECTION_SCHEMA)
        except sqlite3.Error as exc:
            raise RepositoryError(
                f"cannot create the projection tables in {self.database.path}: {exc}"
            ) from exc

    def position(self, name: str) -> int:
        """The checkpoint of ``name`` (0 before its first commit)."""
        check_projection_name(name)
        rows = self.database.query(
            "SELECT position FROM projection_checkpoints WHERE name = ?", (name,)
        )
        return int(rows[0][0]) if rows else 0

    def rows(self, name: str, keys: Iterable[str]) -> dict[str, ProjectionRow]:
        """The stored rows of ``keys`` (those that exist), by key."""
        check_projection_name(name)
        wanted = list(dict.fromkeys(check_row_keys(keys)))
        with self._snapshot() as connection:
            return self._rows(connection, name, wanted)

    def commit(
        self,
        name: str,
        *,
        after: int,
        position: int,
        upserts: Sequence[ProjectionRow] = (),
        deletes: Collection[str] = (),
    ) -> None:
        """Write the rows, delete the keys, move the checkpoint: in one transaction."""
        rows, gone = check_commit(name, after, position, upserts, deletes)
        written = [
            (row, set(row.terms), {(slot, _micros(at)) for slot, at in row.instants})
            for row in rows
        ]
        with self.database.transaction() as connection:
            found = connection.execute(
                "SELECT position FROM projection_checkpoints WHERE name = ?", (name,)
            ).fetchone()
            actual = 0 if found is None else int(found[0])
            if actual != after:
                raise VersionConflict(f"projection {name}", after, actual)
            old = self._indexed(connection, name, [row.key for row in rows] + sorted(gone))
            drop_terms: list[tuple[str, str, str]] = []
            add_terms: list[tuple[str, str, str]] = []
            drop_instants: list[tuple[str, str, int, str]] = []
            add_instants: list[tuple[str, str, int, str]] = []
            for row, terms, instants in written:
                old_terms, old_instants = old.get(row.key, (set(), set()))
                drop_terms.extend((name, t, row.key) for t in old_terms - terms)
                add_terms.extend((name, t, row.key) for t in terms - old_terms)
                drop_instants.extend((name, s, at, row.key) for s, at in old_instants - instants)
                add_instants.extend((name, s, at, row.key) for s, at in instants - old_instants)
            for key in gone:
                old_terms, old_instants = old.get(key, (set(), set()))
                drop_terms.extend((name, t, key) for t in old_terms)
                drop_instants.extend((name, s, at, key) for s, at in old_instants)
            connection.executemany(
                "DELETE FROM projection_terms WHERE name = ? AND term = ? AND key = ?", drop_terms
            )
            connection.executemany(
                "DELETE FROM projection_instants WHERE name = ? AND slot = ? AND at = ? "
                "AND key = ?",
                drop_instants,
            )
            connection.executemany("INSERT INTO projection_terms VALUES (?, ?, ?)", add_terms)
            connection.executemany(
                "INSERT INTO projection_instants VALUES (?, ?, ?, ?)", add_instants
            )
            connection.executemany(
                "DELETE FROM projection_rows WHERE name = ? AND key = ?",
                [(name, key) for key in gone],
            )
            connection.executemany(
                "INSERT INTO projection_rows (name, key, data, terms, instants) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (name, key) DO UPDATE SET "
                "data = excluded.data, terms = excluded.terms, instants = excluded.instants",
                [
                    (name, row.key, row.data, json.dumps(sorted(terms)), json.dumps(_marks(row)))
                    for row, terms, _ in written
                ],
            )
            connection.execute(
                "INSERT INTO projection_checkpoints (name, position) VALUES (?, ?) "
                "ON CONFLICT (name) DO UPDATE SET position = excluded.position",
                (name, position),
            )

    def select(self, name: str, query: RowQuery) -> tuple[RowHit, ...]:
        """The rows ``query`` finds, in its order."""
        check_projection_name(name)
        check_query(query)
        if query.empty_range:
            return ()
        with self._snapshot() as connection:
            found = self._find(connection, name, query, query.limit)
            rows = self._rows(connection, name, [key for key, _ in found])
        return tuple(RowHit(rows[key], at) for key, at in found)

    def count(self, name: str, query: RowQuery) -> int:
        """How many rows ``query`` finds (its limit ignored)."""
        check_projection_name(name)
        check_query(query)
        if query.empty_range:
            return 0
        with self._snapshot() as connection:
            source, parameters = self._source(name, query)
            counted = "COUNT(*)" if query.slot is None else "COUNT(DISTINCT x.key)"
            return int(connection.execute(f"SELECT {counted} {source}", parameters).fetchone()[0])

    def reset(self, name: str) -> None:
        """Drop the rows and checkpoint of ``name``."""
        check_projection_name(name)
        with self.database.transaction() as connection:
            for table in (
                "projection_rows",
                "projection_terms",
                "projection_instants",
                "projection_checkpoints",
            ):
                connection.execute(f"DELETE FROM {table} WHERE name = ?", (name,))

    @contextmanager
    def _snapshot(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: every statement in it sees the same committed state."""
        connection = self.database.connection()
        try:
            connection.execute("BEGIN")
            try:
                yield connection
            finally:
                connection.rollback()  # nothing was written: ends the read transaction
        except sqlite3.Error as exc:
            raise RepositoryError(f"SQLite {self.database.path}: {exc}") from exc

    def _rows(
        self, connection: sqlite3.Connection, name: str, keys: Sequence[str]
    ) -> dict[str, ProjectionRow]:
        found: dict[str, ProjectionRow] = {}
        for chunk in _chunks(keys):
            marks = ", ".join("?" * len(chunk))
            for key, data, terms, instants in connection.execute(
                "SELECT key, data, terms, instants FROM projection_rows "
                f"WHERE name = ? AND key IN ({marks})",
                (name, *chunk),
            ):
                found[key] = self._row(key, data, terms, instants)
        return found

    def _row(self, key: str, data: str, terms: str, instants: str) -> ProjectionRow:
        try:
            return ProjectionRow(
                key,
                data,
                json.loads(terms),
                [(slot, _instant(at)) for slot, at in json.loads(instants)],
            )
        except Exception as exc:  # a hand-edited row: name it
            raise RepositoryError(
                f"SQLite {self.database.path}: unreadable projection row {key!r}: {exc}"
            ) from exc

    def _indexed(
        self, connection: sqlite3.Connection, name: str, keys: Sequence[str]
    ) -> dict[str, tuple[_Terms, _Instants]]:
        """The terms and instants stored for ``keys`` (those that exist)."""
        found: dict[str, tuple[_Terms, _Instants]] = {}
        for chunk in _chunks(keys):
            marks = ", ".join("?" * len(chunk))
            for key, terms, instants in connection.execute(
                f"SELECT key, terms, instants FROM projection_rows "
                f"WHERE name = ? AND key IN ({marks})",
                (name, *chunk),
            ):
                found[key] = (
                    set(json.loads(terms)),
                    {(slot, at) for slot, at in json.loads(instants)},
                )
        return found

    @staticmethod
    def _source(name: str, query: RowQuery) -> tuple[str, list[object]]:
        """``FROM ... WHERE ...`` of the index entries ``query`` selects, aliased ``x``, with
        its parameters: the slot's instants in range (when the query has a slot), else the
        entries of its first term, else the rows; every other term an ``EXISTS``."""
        parameters: list[object] = [name]
        terms = sorted(query.terms)
        if query.slot is not None:
            sql = "FROM projection_instants x WHERE x.name = ? AND x.slot = ?"
            parameters.append(query.slot)
            if query.start is not None:
                sql += " AND x.at >= ?"
                parameters.append(_micros(query.start))
            if query.end is not None:
                sql += " AND x.at < ?"
                parameters.append(_micros(query.end))
        elif terms:
            sql = "FROM projection_terms x WHERE x.name = ? AND x.term = ?"
            parameters.append(terms.pop(0))
        else:
            sql = "FROM projection_rows x WHERE x.name = ?"
        for term in terms:
            sql += (
                " AND EXISTS (SELECT 1 FROM projection_terms t WHERE t.name = ? AND t.term = ? "
                "AND t.key = x.key)"
            )
            parameters.extend((name, term))
        return sql, parameters

    def _find(
        self, connection: sqlite3.Connection, name: str, query: RowQuery, limit: int | None
    ) -> list[tuple[str, dt.datetime | None]]:
        """The keys ``query`` finds, in order, each with the instant it was found by."""
        source, parameters = self._source(name, query)
        if query.slot is None:
            cursor = connection.execute(
                f"SELECT x.key {source} ORDER BY x.key LIMIT ?",
                (*parameters, -1 if limit is None else limit),
            )
            return [(key, None) for (key,) in cursor]
        few = self._few(connection, name, query.terms)
        if few is not None:
            return self._first_of(connection, name, few, query, limit)
        cursor = connection.execute(f"SELECT x.key, x.at {source} ORDER BY x.at, x.key", parameters)
        found: dict[str, dt.datetime] = {}
        for key, at in cursor:
            if key not in found:
                found[key] = _instant(at)
                if limit is not None and len(found) >= limit:
                    break
        cursor.close()
        return list(found.items())

    @staticmethod
    def _first_of(
        connection: sqlite3.Connection,
        name: str,
        keys: Sequence[str],
        query: RowQuery,
        limit: int | None,
    ) -> list[tuple[str, dt.datetime | None]]:
        """Among ``keys``, those ``query`` finds, in order: each row's terms and instants read
        and checked here (its data is not read)."""
        low = None if query.start is None else _micros(query.start)
        high = None if query.end is None else _micros(query.end)
        hits: list[tuple[int, str]] = []
        for chunk in _chunks(keys):
            marks = ", ".join("?" * len(chunk))
            for key, terms, instants in connection.execute(
                f"SELECT key, terms, instants FROM projection_rows "
                f"WHERE name = ? AND key IN ({marks})",
                (name, *chunk),
            ):
                if not query.terms <= set(json.loads(terms)):
                    continue
                found = [
                    at
                    for slot, at in json.loads(instants)
                    if slot == query.slot
                    and (low is None or at >= low)
                    and (high is None or at < high)
                ]
                if found:
                    hits.append((min(found), key))
        hits.sort()
        return [(key, _instant(at)) for at, key in hits[:limit]]

    @staticmethod
    def _few(connection: sqlite3.Connection, name: str, terms: frozenset[str]) -> list[str] | None:
        """The keys carrying the rarest of ``terms`` when it is on at most ``_FEW`` rows
        (checking those few rows beats walking the slot's instants in order); else None."""
        smallest: list[str] | None = None
        for term in sorted(terms):
            keys = [
                key
                for (key,) in connection.execute(
                    "SELECT key FROM projection_terms WHERE name = ? AND term = ? LIMIT ?",
                    (name, term, _FEW + 1),
                )
            ]
            if len(keys) <= _FEW and (smallest is None or len(keys) < len(smallest)):
                smallest = keys
        return smallest
