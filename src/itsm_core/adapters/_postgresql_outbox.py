"""The outbox on PostgreSQL: messages and feed checkpoints in the event store's schema."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from psycopg import sql

from itsm_core.adapters._stores import Closing, dump_message, load_message
from itsm_core.communications import Notification
from itsm_core.desk import (
    OutboxEntry,
    OutboxStatus,
    check_outbox_claim,
    check_outbox_failure,
    check_outbox_key,
    check_outbox_messages,
    check_outbox_record,
    check_outbox_status,
)
from itsm_core.errors import NotFound, VersionConflict
from itsm_core.serialization import Serializer

if TYPE_CHECKING:
    from itsm_core.adapters.postgresql import Connection, PostgresDatabase

#: The tables of :class:`PostgresOutbox` (``{messages}`` and ``{checkpoints}`` stand for the
#: schema-qualified names), created when missing.
OUTBOX_SCHEMA = (
    """
    CREATE TABLE IF NOT EXISTS {messages} (
        key         text COLLATE "C" PRIMARY KEY,
        message     text        NOT NULL,
        status      text        NOT NULL,
        next_at     timestamptz NOT NULL,
        attempts    integer     NOT NULL DEFAULT 0,
        worker      text,
        lease_until timestamptz,
        error       text,
        sent_at     timestamptz
    )
    """,
    "CREATE INDEX IF NOT EXISTS itsm_outbox_due ON {messages} (status, next_at, key)",
    """
    CREATE TABLE IF NOT EXISTS {checkpoints} (
        feed     text   PRIMARY KEY,
        position bigint NOT NULL CHECK (position >= 0)
    )
    """,
)

_COLUMNS = "key, message, status, next_at, attempts, worker, lease_until, error, sent_at"


class PostgresOutbox(Closing):
    """:class:`~itsm_core.desk.Outbox` on PostgreSQL.

    A record moves the feed's checkpoint with one statement that checks it (``UPDATE ...
    WHERE position = after``, or an insert for a new feed), which also locks it until the
    transaction ends, and inserts its messages with ``ON CONFLICT DO NOTHING``. A claim
    takes the due messages with ``FOR UPDATE SKIP LOCKED``: senders in many processes share
    the work and never hold the same message while its lease runs.

    Args:
        database: a :class:`~itsm_core.adapters.postgresql.PostgresDatabase` (the event
            store's, to keep the outbox in the same schema), or a connection string.
        serializer: writes the messages (its converter) as JSON text.
    """

    def __init__(
        self, database: PostgresDatabase | str, *, serializer: Serializer | None = None
    ) -> None:
        from itsm_core.adapters.postgresql import PostgresDatabase

        self.database = (
            database if isinstance(database, PostgresDatabase) else PostgresDatabase(database)
        )
        self.serializer = serializer if serializer is not None else Serializer()
        schema = self.database.schema
        self._names = {
            "messages": sql.Identifier(schema, "itsm_outbox_messages"),
            "checkpoints": sql.Identifier(schema, "itsm_outbox_checkpoints"),
        }
        if self.database.create:
            with self.database.transaction("create the outbox tables") as connection:
                connection.execute(
                    "SELECT pg_advisory_xact_lock(hashtext('itsm_core outbox ' || %s))",
                    (schema,),
                )
                connection.execute(
                    sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema))
                )
                for statement in OUTBOX_SCHEMA:
                    connection.execute(self._sql(statement))

    def _sql(self, template: str) -> sql.Composed:
        return sql.SQL(template).format(**self._names)

    def close(self) -> None:
        """Close the database connections."""
        self.database.close()

    def position(self, feed: str) -> int:
        """The checkpoint of ``feed`` (0 before its first record)."""
        check_outbox_record(feed, 0, 0, ())
        rows = self.database.query(
            f"read the outbox checkpoint of {feed!r}",
            self._sql("SELECT position FROM {checkpoints} WHERE feed = %s"),
            (feed,),
        )
        return int(rows[0][0]) if rows else 0

    def record(
        self, feed: str, *, after: int, position: int, messages: Sequence[Notification]
    ) -> int:
        """Store the new messages and move the checkpoint, in one transaction."""
        found = check_outbox_record(feed, after, position, messages)
        rows = self._rows(found)
        with self.database.transaction(f"record outbox feed {feed!r}") as connection:
            if after == 0:
                moved = connection.execute(
                    self._sql(
                        "INSERT INTO {checkpoints} AS c (feed, position) VALUES (%s, %s)"
                        " ON CONFLICT (feed) DO UPDATE SET position = excluded.position"
                        " WHERE c.position = 0"
                    ),
                    (feed, position),
                ).rowcount
            else:
                moved = connection.execute(
                    self._sql(
                        "UPDATE {checkpoints} SET position = %s WHERE feed = %s AND position = %s"
                    ),
                    (position, feed, after),
                ).rowcount
            if moved != 1:
                stored = connection.execute(
                    self._sql("SELECT position FROM {checkpoints} WHERE feed = %s"), (feed,)
                ).fetchone()
                raise VersionConflict(
                    f"outbox feed {feed}", after, 0 if stored is None else int(stored[0])
                )
            return self._insert(connection, rows)

    def put(self, messages: Sequence[Notification]) -> int:
        """Store the new messages."""
        rows = self._rows(check_outbox_messages(messages))
        with self.database.transaction("put outbox messages") as connection:
            return self._insert(connection, rows)

    def _rows(self, messages: Sequence[Notification]) -> list[tuple[object, ...]]:
        return [(m.key, dump_message(self.serializer, m), m.at) for m in messages]

    def _insert(self, connection: Connection, rows: list[tuple[object, ...]]) -> int:
        if not rows:
            return 0
        keys, texts, ats = (list(column) for column in zip(*rows, strict=True))
        return connection.execute(
            self._sql(
                "INSERT INTO {messages} (key, message, status, next_at)"
                " SELECT k, m, 'pending', a"
                " FROM unnest(%s::text[], %s::text[], %s::timestamptz[]) AS u(k, m, a)"
                " ON CONFLICT (key) DO NOTHING"
            ),
            (keys, texts, ats),
        ).rowcount

    def claim(
        self, now: dt.datetime, *, worker: str, lease: dt.timedelta, limit: int = 100
    ) -> tuple[OutboxEntry, ...]:
        """Claim up to ``limit`` due messages for ``worker`` until ``now + lease``."""
        check_outbox_claim(now, worker, lease, limit)
        with self.database.transaction("claim outbox messages") as connection:
            rows = connection.execute(
                self._sql(
                    "WITH due AS (SELECT key FROM {messages}"
                    " WHERE (status = 'pending' AND next_at <= %s)"
                    " OR (status = 'claimed' AND lease_until <= %s)"
                    " ORDER BY next_at, key LIMIT %s FOR UPDATE SKIP LOCKED)"
                    " UPDATE {messages} m SET status = 'claimed', attempts = m.attempts + 1,"
                    " worker = %s, lease_until = %s FROM due WHERE m.key = due.key"
                    f" RETURNING {', '.join('m.' + c for c in _COLUMNS.split(', '))}"
                ),
                (now, now, limit, worker, now + lease),
            ).fetchall()
        entries = [self._entry(row) for row in rows]
        return tuple(sorted(entries, key=lambda entry: (entry.next_at, entry.key)))

    def mark_sent(self, key: str, *, at: dt.datetime) -> None:
        """The message was delivered: it is never claimed again."""
        check_outbox_key(key, at)
        with self.database.transaction(f"mark {key!r} sent") as connection:
            changed = connection.execute(
                self._sql(
                    "UPDATE {messages} SET status = 'sent', sent_at = %s, lease_until = NULL"
                    " WHERE key = %s AND status != 'sent'"
                ),
                (at, key),
            ).rowcount
            if not changed:
                exists = connection.execute(
                    self._sql("SELECT 1 FROM {messages} WHERE key = %s"), (key,)
                ).fetchone()
                if exists is None:
                    raise NotFound("outbox message", key)

    def mark_failed(
        self, key: str, *, attempt: int, error: str, retry_at: dt.datetime | None
    ) -> None:
        """Claim ``attempt`` failed: pending again at ``retry_at``, or failed for good."""
        check_outbox_failure(key, attempt, error, retry_at)
        with self.database.transaction(f"mark {key!r} failed") as connection:
            found = connection.execute(
                self._sql("SELECT status, attempts FROM {messages} WHERE key = %s FOR UPDATE"),
                (key,),
            ).fetchone()
            if found is None:
                raise NotFound("outbox message", key)
            status, attempts = found
            if status == OutboxStatus.SENT:
                return
            if status != OutboxStatus.CLAIMED or attempts != attempt:
                raise VersionConflict(f"outbox message {key}", attempt, int(attempts))
            connection.execute(
                self._sql(
                    "UPDATE {messages} SET status = %s, lease_until = NULL, error = %s,"
                    " next_at = COALESCE(%s, next_at) WHERE key = %s"
                ),
                (
                    OutboxStatus.FAILED.value if retry_at is None else OutboxStatus.PENDING.value,
                    error,
                    retry_at,
                    key,
                ),
            )

    def get(self, key: str) -> OutboxEntry | None:
        """The entry of ``key``, if stored."""
        check_outbox_key(key)
        rows = self.database.query(
            f"read outbox message {key!r}",
            self._sql(f"SELECT {_COLUMNS} FROM {{messages}} WHERE key = %s"),
            (key,),
        )
        return self._entry(rows[0]) if rows else None

    def count(self, status: OutboxStatus | None = None) -> int:
        """How many entries have ``status`` (all for None)."""
        wanted = check_outbox_status(status)
        if wanted is None:
            rows = self.database.query("count outbox", self._sql("SELECT COUNT(*) FROM {messages}"))
        else:
            rows = self.database.query(
                "count outbox",
                self._sql("SELECT COUNT(*) FROM {messages} WHERE status = %s"),
                (wanted.value,),
            )
        return int(rows[0][0])

    def _entry(self, row: Sequence[Any]) -> OutboxEntry:
        key, message, status, next_at, attempts, worker, lease_until, error, sent_at = row
        return OutboxEntry(
            key=key,
            message=load_message(self.serializer, message, key),
            status=OutboxStatus(status),
            next_at=next_at.astimezone(dt.UTC),
            attempts=attempts,
            worker=worker,
            lease_until=None if lease_until is None else lease_until.astimezone(dt.UTC),
            error=error,
            sent_at=None if sent_at is None else sent_at.astimezone(dt.UTC),
        )
