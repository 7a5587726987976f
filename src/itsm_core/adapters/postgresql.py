"""The storage ports on PostgreSQL (psycopg 3): durable, transactional, shared by many processes.

:class:`PostgresEventStore`, :class:`PostgresRepository` and :class:`PostgresProjectionStore`
implement :class:`~itsm_core.repositories.EventStore`,
:class:`~itsm_core.repositories.Repository` and :class:`~itsm_core.desk.ProjectionStore` on
tables in one schema of a PostgreSQL database (install the extra:
``pip install 'itsm-core[postgresql]'``):

* every append takes ``LOCK TABLE itsm_events IN EXCLUSIVE MODE`` first: appends run one at a
  time (readers never wait), so the version check, the idempotency check and the insert
  cannot interleave with another writer, and positions are handed out **in commit order**
  (the next position is read under the lock). A projection reading ``read_all(after=p)``
  therefore never skips an event that committed late, and positions have no gaps.
  ``UNIQUE (stream, version)`` and the unique event id back the checks up;
* a save updates one row with ``WHERE version = expected`` (or inserts with ``ON CONFLICT DO
  NOTHING``), so two saves from the same version cannot both succeed;
* values are the JSON envelopes of :class:`~itsm_core.serialization.Serializer` (type, schema
  version, data) in ``json`` columns, kept byte for byte: SQL can query them
  (``envelope -> 'data' ->> 'status'``) and a newer release reads and upgrades older rows;
* every psycopg error comes out as :class:`~itsm_core.errors.RepositoryError` naming the
  operation; a connection found closed or broken is opened again on next use.

Each thread (and each process) uses its own connection, opened from a connection string or a
factory you pass; call :meth:`PostgresDatabase.close` (or the store's ``close``) when done.
The logger ``itsm_core.adapters.postgresql`` reports connections (DEBUG) and the tables it
creates (INFO).

A sketch (it needs a server, so the test suite runs the same code in
``tests/adapters/test_adapters_postgresql_*.py`` instead)::

    database = PostgresDatabase("host=/run/postgresql dbname=itsm", schema="desk")
    events = PostgresEventStore[TicketEvent](database)
    events.append("INC1", [opened], expected_version=0)
    snapshots = PostgresRepository[Ticket](database, "ticket")
    database.close()
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Generic, TypeVar, cast

try:
    import psycopg
    from psycopg import sql
    from psycopg.sql import Composed
except ImportError as exc:  # pragma: no cover - the extra is part of the dev install
    raise ImportError(
        "itsm_core.adapters.postgresql needs psycopg 3: pip install 'itsm-core[postgresql]'"
    ) from exc

from itsm_core._plain import is_a, is_number, shown, text
from itsm_core.adapters._postgresql_outbox import PostgresOutbox
from itsm_core.adapters._postgresql_search import PostgresArticleSearch
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
    Problem,
    RepositoryError,
    ValidationError,
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
    "PostgresArticleSearch",
    "PostgresDatabase",
    "PostgresEventStore",
    "PostgresOutbox",
    "PostgresProjectionStore",
    "PostgresRepository",
]

E = TypeVar("E")
T = TypeVar("T")

logger = logging.getLogger(__name__)

#: A connection as psycopg returns it (rows as tuples).
Connection = psycopg.Connection[tuple[Any, ...]]

#: The tables of the event store and the repositories, created when missing (``{events}``
#: etc. stand for the schema-qualified names). Keys sort by code point (``COLLATE "C"``), as
#: Python sorts them.
SCHEMA = (
    """
    CREATE TABLE IF NOT EXISTS {events} (
        position bigint  PRIMARY KEY CHECK (position >= 1),
        stream   text    NOT NULL,
        version  integer NOT NULL CHECK (version >= 1),
        envelope json    NOT NULL,
        event_id text    UNIQUE,
        metadata json,
        UNIQUE (stream, version)
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS {receipts} (
        key           text    PRIMARY KEY,
        stream        text    NOT NULL,
        first_version integer NOT NULL,
        last_version  integer NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS {records} (
        kind     text             NOT NULL,
        key      text COLLATE "C" NOT NULL,
        version  integer          NOT NULL CHECK (version >= 1),
        envelope json             NOT NULL,
        PRIMARY KEY (kind, key)
    )
    """,
)

#: The tables of :class:`PostgresProjectionStore`: each read model's checkpoint, its rows
#: (with their terms, indexed by GIN), and the instants of its rows per slot (in order).
PROJECTION_SCHEMA = (
    """
    CREATE TABLE IF NOT EXISTS {checkpoints} (
        name     text   PRIMARY KEY,
        position bigint NOT NULL CHECK (position >= 0)
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS {rows} (
        name  text             NOT NULL,
        key   text COLLATE "C" NOT NULL,
        data  text             NOT NULL,
        terms text[]           NOT NULL,
        PRIMARY KEY (name, key)
    )
    """,
    "CREATE INDEX IF NOT EXISTS itsm_projection_rows_terms ON {rows} USING gin (terms)",
    """
    CREATE TABLE IF NOT EXISTS {instants} (
        name text             NOT NULL,
        slot text             NOT NULL,
        at   timestamptz      NOT NULL,
        key  text COLLATE "C" NOT NULL,
        PRIMARY KEY (name, slot, at, key)
    )
    """,
    "CREATE INDEX IF NOT EXISTS itsm_projection_instants_key ON {instants} (name, key)",
)

#: Every table, by the placeholder that names it in statements.
TABLES = {
    "events": "itsm_events",
    "receipts": "itsm_receipts",
    "records": "itsm_records",
    "checkpoints": "itsm_projection_checkpoints",
    "rows": "itsm_projection_rows",
    "instants": "itsm_projection_instants",
}


def _connector(conninfo: str) -> Callable[[], Connection]:
    """A factory of new connections to ``conninfo``."""
    return lambda: psycopg.connect(conninfo)


class PostgresDatabase(Closing):
    """One schema of a PostgreSQL database: per-thread connections and write transactions.

    Args:
        conninfo: a libpq connection string or URI (``"host=... dbname=..."``,
            ``"postgresql://user@host/db"``), or a function returning a new
            ``psycopg.Connection`` (the database then owns it: it switches it to autocommit
            and closes it).
        schema: where the tables live; created with them when missing.
        lock_timeout: seconds a statement waits for a lock (another append) before giving
            up with a :class:`~itsm_core.errors.RepositoryError`.
        create: create the schema and tables when missing (pass False when a migration
            tool owns them, or when the role may not create tables).
    """

    def __init__(
        self,
        conninfo: str | Callable[[], Connection],
        *,
        schema: str = "public",
        lock_timeout: float = 30.0,
        create: bool = True,
    ) -> None:
        problems: list[Problem] = []
        text(schema, "schema", problems)
        if not (is_number(lock_timeout) and lock_timeout > 0):
            problems.append(
                Problem("lock_timeout", f"expected seconds > 0, got {shown(lock_timeout)}")
            )
        if not (callable(conninfo) or is_a(conninfo, str)):
            problems.append(
                Problem("conninfo", f"expected a string or a function, got {shown(conninfo)}")
            )
        if problems:
            raise ValidationError("PostgresDatabase", problems)
        self.schema = schema
        self.lock_timeout = lock_timeout
        self._connect = conninfo if callable(conninfo) else _connector(conninfo)
        self._names = {name: sql.Identifier(schema, table) for name, table in TABLES.items()}
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[tuple[int, Connection]] = []
        self._generation = 0
        self.create = create
        if create:
            self.ensure(SCHEMA)

    def sql(self, template: str) -> Composed:
        """``template`` with ``{events}``, ``{receipts}``, ``{records}``, ``{checkpoints}``,
        ``{rows}`` and ``{instants}`` replaced by this schema's tables (see :data:`TABLES`)."""
        return sql.SQL(template).format(**self._names)

    @contextmanager
    def _errors(self, operation: str) -> Iterator[None]:
        """psycopg errors as RepositoryError naming ``operation`` (ours pass through)."""
        try:
            yield
        except psycopg.Error as exc:
            raise RepositoryError(
                f"PostgreSQL (schema {self.schema!r}): {operation} failed: {exc}"
            ) from exc

    def ensure(self, statements: Sequence[str]) -> None:
        """Run the ``CREATE ... IF NOT EXISTS`` ``statements`` (templates for :meth:`sql`)
        unless every table they name exists; creates the schema first when missing."""
        wanted = [
            name for name, table in TABLES.items() if any(f"{{{name}}}" in s for s in statements)
        ]
        with self.transaction("create the tables") as connection:
            # Two processes starting at once must not race on CREATE TABLE IF NOT EXISTS.
            connection.execute(
                "SELECT pg_advisory_xact_lock(hashtext('itsm_core schema ' || %s))",
                (self.schema,),
            )
            missing = [
                TABLES[name]
                for name in wanted
                if connection.execute(
                    "SELECT to_regclass(%s)", (self._names[name].as_string(connection),)
                ).fetchone()
                == (None,)
            ]
            if not missing:
                return
            connection.execute(
                sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(self.schema))
            )
            for statement in statements:
                connection.execute(self.sql(statement))
        logger.info("created tables %s in schema %r", ", ".join(missing), self.schema)

    def connection(self) -> Connection:
        """This thread's connection (opened on first use, again after a fork, a close, or
        when the server dropped it)."""
        key = (os.getpid(), self._generation)
        cached = getattr(self._local, "connection", None)
        if cached is not None and cached[0] == key:
            if not cached[1].closed:  # a connection the server dropped counts as closed
                return cast(Connection, cached[1])
            self._forget(cached[1])
        with self._errors("connect"):
            connection = self._connect()
            try:
                connection.autocommit = True  # transactions are explicit below
                connection.isolation_level = psycopg.IsolationLevel.READ_COMMITTED
                connection.execute(
                    sql.SQL("SET lock_timeout = {}").format(
                        sql.Literal(f"{max(1, round(self.lock_timeout * 1000))}ms")
                    )
                )
            except BaseException:
                connection.close()
                raise
        logger.debug(
            "opened a connection to %s (schema %r, pid %d, thread %s)",
            connection.info.dbname,
            self.schema,
            os.getpid(),
            threading.current_thread().name,
        )
        self._local.connection = (key, connection)
        with self._lock:
            self._connections.append((os.getpid(), connection))
        return connection

    @contextmanager
    def transaction(self, operation: str = "write") -> Iterator[Connection]:
        """A transaction on this thread's connection: committed when the block ends, rolled
        back (writing nothing) when it raises; psycopg errors come out as
        :class:`~itsm_core.errors.RepositoryError` naming ``operation``."""
        connection = self.connection()
        with self._errors(operation), connection.transaction():
            yield connection

    def query(
        self,
        operation: str,
        statement: Composed,
        parameters: Sequence[object] | Mapping[str, object] = (),
    ) -> list[Any]:
        """Rows of a read-only statement (one statement, one snapshot)."""
        with self._errors(operation):
            return self.connection().execute(statement, parameters).fetchall()

    def _forget(self, connection: Connection) -> None:
        with self._lock:
            self._connections = [(p, c) for p, c in self._connections if c is not connection]

    def close(self) -> None:
        """Close every connection this object opened in this process (in any thread)."""
        with self._lock:
            connections, self._connections = self._connections, []
            self._generation += 1  # every thread opens a new connection on its next use
        for pid, connection in connections:
            if pid == os.getpid():  # a forked child never closes its parent's sessions
                connection.close()
        logger.debug("closed %d connection(s) (schema %r)", len(connections), self.schema)


class _Store(Closing):
    """What both stores share: a database, a serializer, closing, ``with`` support."""

    def __init__(
        self,
        database: PostgresDatabase | str,
        *,
        serializer: Serializer | None = None,
    ) -> None:
        self.database = (
            database if isinstance(database, PostgresDatabase) else PostgresDatabase(database)
        )
        self.serializer = serializer if serializer is not None else Serializer()

    def close(self) -> None:
        """Close the database connections."""
        self.database.close()


class PostgresEventStore(_Store, Generic[E]):
    """:class:`~itsm_core.repositories.EventStore` on PostgreSQL.

    Args:
        database: a :class:`PostgresDatabase`, or a connection string (tables in
            ``public``).
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
        database = self.database
        with database.transaction(f"append to {stream!r}") as connection:
            connection.execute(database.sql("LOCK TABLE {events} IN EXCLUSIVE MODE"))
            if idempotency_key is not None:
                earlier = self._receipt(connection, idempotency_key)
                if earlier is not None:
                    raise DuplicateAppend(idempotency_key, earlier)
            actual, last = self._heads(connection, stream)
            check_expected(stream, expected_version, actual)
            ids = [event_id for event_id, _ in metas if event_id is not None]
            if ids:
                rows = connection.execute(
                    database.sql("SELECT event_id FROM {events} WHERE event_id = ANY(%s)"),
                    (ids,),
                ).fetchall()
                if rows:
                    taken = {event_id for (event_id,) in rows}
                    raise DuplicateEventId(next(i for i in ids if i in taken))
            with connection.cursor() as cursor:
                cursor.executemany(
                    database.sql(
                        "INSERT INTO {events} (position, stream, version, envelope, event_id,"
                        " metadata) VALUES (%s, %s, %s, %s::json, %s, %s::json)"
                    ),
                    [
                        (last + i, stream, actual + i, text, event_id, meta)
                        for i, (text, (event_id, meta)) in enumerate(
                            zip(envelopes, metas, strict=True), 1
                        )
                    ],
                )
            if idempotency_key is not None:
                connection.execute(
                    database.sql(
                        "INSERT INTO {receipts} (key, stream, first_version, last_version)"
                        " VALUES (%s, %s, %s, %s)"
                    ),
                    (idempotency_key, stream, actual + 1, actual + len(envelopes)),
                )
        return actual + len(envelopes)

    def _heads(self, connection: Connection, stream: str) -> tuple[int, int]:
        """The stream's version and the log's last position (under the append lock)."""
        row = connection.execute(
            self.database.sql(
                "SELECT (SELECT COALESCE(MAX(version), 0) FROM {events} WHERE stream = %s),"
                " (SELECT COALESCE(MAX(position), 0) FROM {events})"
            ),
            (stream,),
        ).fetchone()
        assert row is not None  # a SELECT of two scalars returns one row
        return int(row[0]), int(row[1])

    def receipt(self, idempotency_key: str) -> AppendReceipt | None:
        """What the append under ``idempotency_key`` wrote, or None if no append used it."""
        check_key(idempotency_key)
        rows = self.database.query(
            "read a receipt",
            self.database.sql(
                "SELECT key, stream, first_version, last_version FROM {receipts} WHERE key = %s"
            ),
            (idempotency_key,),
        )
        return AppendReceipt(*rows[0]) if rows else None

    def _receipt(self, connection: Connection, key: str) -> AppendReceipt | None:
        row = connection.execute(
            self.database.sql(
                "SELECT key, stream, first_version, last_version FROM {receipts} WHERE key = %s"
            ),
            (key,),
        ).fetchone()
        return None if row is None else AppendReceipt(*row)

    def _load_metadata(self, text: str | None) -> EventMetadata | None:
        return load_metadata(self.serializer, text, f"PostgreSQL (schema {self.database.schema!r})")

    def read(self, stream: str, after: int = 0) -> tuple[E, ...]:
        """The events of ``stream`` after version ``after``."""
        check_read(stream, after)
        rows = self.database.query(
            f"read {stream!r}",
            self.database.sql(
                "SELECT envelope::text FROM {events} WHERE stream = %s AND version > %s"
                " ORDER BY version"
            ),
            (stream, after),
        )
        return tuple(cast(E, self.serializer.loads(text)) for (text,) in rows)

    def version(self, stream: str) -> int:
        """The number of events in ``stream``."""
        check_read(stream)
        rows = self.database.query(
            f"read the version of {stream!r}",
            self.database.sql("SELECT COALESCE(MAX(version), 0) FROM {events} WHERE stream = %s"),
            (stream,),
        )
        return int(rows[0][0])

    def read_all(self, after: int = 0, limit: int | None = None) -> tuple[RecordedEvent[E], ...]:
        """Every event after position ``after`` (at most ``limit``), oldest first."""
        check_read(None, after, limit)
        rows = self.database.query(
            "read the log",
            self.database.sql(
                "SELECT position, stream, version, envelope::text, metadata::text FROM {events}"
                " WHERE position > %s ORDER BY position LIMIT %s"
            ),
            (after, limit),
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
        rows = self.database.query(
            "read the last position",
            self.database.sql("SELECT COALESCE(MAX(position), 0) FROM {events}"),
        )
        return int(rows[0][0])


class PostgresRepository(_Store, Generic[T]):
    """:class:`~itsm_core.repositories.Repository` on PostgreSQL; ``kind`` separates
    aggregates.

    Several repositories (``"ticket"``, ``"sla_policy"``...) share one schema and table, each
    seeing only its own ``kind``.
    """

    def __init__(
        self,
        database: PostgresDatabase | str,
        kind: str,
        *,
        serializer: Serializer | None = None,
    ) -> None:
        check_key(kind)
        super().__init__(database, serializer=serializer)
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
            f"read {self.kind} {key!r}",
            self.database.sql(
                "SELECT version, envelope::text FROM {records} WHERE kind = %s AND key = %s"
            ),
            (self.kind, key),
        )
        if not rows:
            return None
        version, text = rows[0]
        return Versioned(key, version, cast(T, self.serializer.loads(text)))

    def save(self, key: str, value: T, expected_version: int) -> Versioned[T]:
        """Save ``value`` if ``key`` is at ``expected_version``; the saved version."""
        check_save(key, expected_version, value)
        text = self.serializer.dumps(value)
        database = self.database
        with database.transaction(f"save {self.kind} {key!r}") as connection:
            if expected_version == 0:
                written = connection.execute(
                    database.sql(
                        "INSERT INTO {records} (kind, key, version, envelope)"
                        " VALUES (%s, %s, 1, %s::json) ON CONFLICT (kind, key) DO NOTHING"
                    ),
                    (self.kind, key, text),
                ).rowcount
            else:
                written = connection.execute(
                    database.sql(
                        "UPDATE {records} SET version = version + 1, envelope = %s::json"
                        " WHERE kind = %s AND key = %s AND version = %s"
                    ),
                    (text, self.kind, key, expected_version),
                ).rowcount
            if written != 1:
                row = connection.execute(
                    database.sql("SELECT version FROM {records} WHERE kind = %s AND key = %s"),
                    (self.kind, key),
                ).fetchone()
                raise VersionConflict(
                    f"{self.kind} {key}", expected_version, 0 if row is None else row[0]
                )
        return Versioned(key, expected_version + 1, value)

    def keys(self) -> tuple[str, ...]:
        """Every key of this kind, sorted (by code point, as Python sorts)."""
        rows = self.database.query(
            f"list the {self.kind} keys",
            self.database.sql('SELECT key FROM {records} WHERE kind = %s ORDER BY key COLLATE "C"'),
            (self.kind,),
        )
        return tuple(key for (key,) in rows)


class PostgresProjectionStore(_Store):
    """:class:`~itsm_core.desk.ProjectionStore` on PostgreSQL: read models beside the events.

    Each read model's checkpoint, rows and instants live in three tables (see
    :data:`PROJECTION_SCHEMA`). A commit first moves the checkpoint with one statement that
    checks it (``UPDATE ... WHERE position = after``, or an insert for a new read model),
    which also locks it until the transaction ends, then replaces the rows, their terms and
    instants: rows and checkpoint move together or not at all, and of two runners committing
    from the same checkpoint one wins and the other gets
    :class:`~itsm_core.errors.VersionConflict`. Queries read one snapshot (a ``REPEATABLE
    READ`` read-only transaction): terms through a GIN index on the rows, instants through
    the ``(name, slot, at, key)`` primary key.

    Args:
        database: a :class:`PostgresDatabase` (the event store's, to keep both in one
            schema), or a connection string.
    """

    def __init__(self, database: PostgresDatabase | str) -> None:
        super().__init__(database)
        if self.database.create:
            self.database.ensure(PROJECTION_SCHEMA)

    def position(self, name: str) -> int:
        """The checkpoint of ``name`` (0 before its first commit)."""
        check_projection_name(name)
        rows = self.database.query(
            f"read the checkpoint of {name!r}",
            self.database.sql("SELECT position FROM {checkpoints} WHERE name = %s"),
            (name,),
        )
        return int(rows[0][0]) if rows else 0

    def rows(self, name: str, keys: Iterable[str]) -> dict[str, ProjectionRow]:
        """The stored rows of ``keys`` (those that exist), by key."""
        check_projection_name(name)
        wanted = list(dict.fromkeys(check_row_keys(keys)))
        with self._snapshot(f"read rows of {name!r}") as connection:
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
        database = self.database
        with database.transaction(f"commit to {name!r}") as connection:
            if after == 0:
                moved = connection.execute(
                    database.sql(
                        "INSERT INTO {checkpoints} AS c (name, position) VALUES (%s, %s)"
                        " ON CONFLICT (name) DO UPDATE SET position = excluded.position"
                        " WHERE c.position = 0"
                    ),
                    (name, position),
                ).rowcount
            else:
                moved = connection.execute(
                    database.sql(
                        "UPDATE {checkpoints} SET position = %s WHERE name = %s AND position = %s"
                    ),
                    (position, name, after),
                ).rowcount
            if moved != 1:
                found = connection.execute(
                    database.sql("SELECT position FROM {checkpoints} WHERE name = %s"), (name,)
                ).fetchone()
                raise VersionConflict(f"projection {name}", after, 0 if found is None else found[0])
            changed = [row.key for row in rows] + sorted(gone)
            if changed:  # a row's instants are replaced whole
                connection.execute(
                    database.sql("DELETE FROM {instants} WHERE name = %s AND key = ANY(%s)"),
                    (name, changed),
                )
            if gone:
                connection.execute(
                    database.sql("DELETE FROM {rows} WHERE name = %s AND key = ANY(%s)"),
                    (name, sorted(gone)),
                )
            if rows:
                with connection.cursor() as cursor:
                    cursor.executemany(
                        database.sql(
                            "INSERT INTO {rows} (name, key, data, terms) VALUES (%s, %s, %s, %s)"
                            " ON CONFLICT (name, key) DO UPDATE"
                            " SET data = excluded.data, terms = excluded.terms"
                        ),
                        [(name, row.key, row.data, sorted(row.terms)) for row in rows],
                    )
                marks = [(slot, at, row.key) for row in rows for slot, at in row.instants]
                if marks:
                    slots, ats, keys = (list(column) for column in zip(*marks, strict=True))
                    connection.execute(
                        database.sql(
                            "INSERT INTO {instants} (name, slot, at, key) SELECT %s, *"
                            " FROM unnest(%s::text[], %s::timestamptz[], %s::text[])"
                        ),
                        (name, slots, ats, keys),
                    )

    def select(self, name: str, query: RowQuery) -> tuple[RowHit, ...]:
        """The rows ``query`` finds, in its order."""
        check_projection_name(name)
        check_query(query)
        if query.empty_range:
            return ()
        where, parameters = self._where(name, query)
        with self._snapshot(f"query {name!r}") as connection:
            if query.slot is None:
                found: list[tuple[str, dt.datetime | None]] = [
                    (key, None)
                    for (key,) in connection.execute(
                        self.database.sql("SELECT r.key FROM {rows} r WHERE ")
                        + where
                        + sql.SQL(" ORDER BY r.key LIMIT %s"),
                        (*parameters, query.limit),
                    )
                ]
            else:
                found = [
                    (key, at.astimezone(dt.UTC))
                    for key, at in connection.execute(
                        self.database.sql(
                            "SELECT i.key, min(i.at) AS first FROM {instants} i"
                            " JOIN {rows} r ON r.name = i.name AND r.key = i.key WHERE "
                        )
                        + where
                        + sql.SQL(" GROUP BY i.key ORDER BY first, i.key LIMIT %s"),
                        (*parameters, query.limit),
                    )
                ]
            rows = self._rows(connection, name, [key for key, _ in found])
        return tuple(RowHit(rows[key], at) for key, at in found)

    def count(self, name: str, query: RowQuery) -> int:
        """How many rows ``query`` finds (its limit ignored)."""
        check_projection_name(name)
        check_query(query)
        if query.empty_range:
            return 0
        where, parameters = self._where(name, query)
        statement = (
            self.database.sql("SELECT count(*) FROM {rows} r WHERE ")
            if query.slot is None
            else self.database.sql(
                "SELECT count(DISTINCT i.key) FROM {instants} i"
                " JOIN {rows} r ON r.name = i.name AND r.key = i.key WHERE "
            )
        )
        rows = self.database.query(f"count {name!r}", statement + where, parameters)
        return int(rows[0][0])

    def reset(self, name: str) -> None:
        """Drop the rows and checkpoint of ``name``."""
        check_projection_name(name)
        with self.database.transaction(f"reset {name!r}") as connection:
            for table in ("checkpoints", "rows", "instants"):
                connection.execute(
                    self.database.sql(f"DELETE FROM {{{table}}} WHERE name = %s"), (name,)
                )

    @contextmanager
    def _snapshot(self, operation: str) -> Iterator[Connection]:
        """A read-only transaction: every statement in it sees the same committed state."""
        with self.database.transaction(operation) as connection:
            connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield connection

    def _rows(
        self, connection: Connection, name: str, keys: Sequence[str]
    ) -> dict[str, ProjectionRow]:
        if not keys:
            return {}
        instants: dict[str, list[tuple[str, dt.datetime]]] = {}
        for key, slot, at in connection.execute(
            self.database.sql(
                "SELECT key, slot, at FROM {instants} WHERE name = %s AND key = ANY(%s)"
            ),
            (name, list(keys)),
        ):
            instants.setdefault(key, []).append((slot, at))
        return {
            key: ProjectionRow(key, data, terms, instants.get(key, ()))
            for key, data, terms in connection.execute(
                self.database.sql(
                    "SELECT key, data, terms FROM {rows} WHERE name = %s AND key = ANY(%s)"
                ),
                (name, list(keys)),
            )
        }

    @staticmethod
    def _where(name: str, query: RowQuery) -> tuple[Composed, list[object]]:
        """The conditions of ``query`` on rows ``r`` (and, with a slot, instants ``i``)."""
        clauses = [sql.SQL("r.name = %s")]
        parameters: list[object] = [name]
        if query.terms:
            clauses.append(sql.SQL("r.terms @> %s::text[]"))
            parameters.append(sorted(query.terms))
        if query.slot is not None:
            clauses.append(sql.SQL("i.slot = %s"))
            parameters.append(query.slot)
            for bound, operator in ((query.start, ">="), (query.end, "<")):
                if bound is not None:
                    clauses.append(sql.SQL(f"i.at {operator} %s"))
                    parameters.append(bound)
        return sql.SQL(" AND ").join(clauses), parameters
