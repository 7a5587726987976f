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

import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, Generic, Literal, Self, TypeVar, cast

from itsm_core.errors import NotFound, RepositoryError, VersionConflict
from itsm_core.repositories import (
    RecordedEvent,
    Versioned,
    check_append,
    check_key,
    check_read,
    check_save,
)
from itsm_core.serialization import Serializer

__all__ = ["SqliteDatabase", "SqliteEventStore", "SqliteRepository"]

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
    UNIQUE (stream, version)
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
            self.connection().executescript(SCHEMA)  # idempotent: CREATE ... IF NOT EXISTS
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


class _Store:
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

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


class SqliteEventStore(_Store, Generic[E]):
    """:class:`~itsm_core.repositories.EventStore` on SQLite.

    Args:
        database: a :class:`SqliteDatabase`, or the path of the file.
        serializer: writes and reads the events (default: ``Serializer()``, which knows every
            itsm_core event type); events of a type it does not know cannot be appended.
    """

    def append(self, stream: str, events: Sequence[E], expected_version: int) -> int:
        """Append ``events`` if ``stream`` is at ``expected_version``; the new version."""
        check_append(stream, expected_version, events)
        envelopes = [self.serializer.dumps(event) for event in events]  # before any lock
        with self.database.transaction() as connection:
            (actual,) = connection.execute(
                "SELECT COALESCE(MAX(version), 0) FROM events WHERE stream = ?", (stream,)
            ).fetchone()
            if actual != expected_version:
                raise VersionConflict(stream, expected_version, actual)
            try:
                connection.executemany(
                    "INSERT INTO events (stream, version, envelope) VALUES (?, ?, ?)",
                    [(stream, actual + i, text) for i, text in enumerate(envelopes, 1)],
                )
            except sqlite3.IntegrityError as exc:  # pragma: no cover - the lock prevents it
                raise VersionConflict(stream, expected_version, actual + 1) from exc
        return int(actual) + len(envelopes)

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
            "SELECT position, stream, version, envelope FROM events WHERE position > ? "
            "ORDER BY position LIMIT ?",
            (after, -1 if limit is None else limit),
        )
        return tuple(
            RecordedEvent(position, stream, version, cast(E, self.serializer.loads(text)))
            for position, stream, version, text in rows
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
