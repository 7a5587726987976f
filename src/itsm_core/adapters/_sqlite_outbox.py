"""The outbox on SQLite: messages and feed checkpoints beside the events, in one file."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

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
from itsm_core.desk._rows import from_micros, micros
from itsm_core.errors import NotFound, RepositoryError, VersionConflict
from itsm_core.serialization import Serializer

if TYPE_CHECKING:
    from itsm_core.adapters.sqlite import SqliteDatabase

#: The tables of :class:`SqliteOutbox`, created when missing; instants are microseconds
#: since 1970 UTC.
OUTBOX_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox_messages (
    key         TEXT    PRIMARY KEY,
    message     TEXT    NOT NULL,
    status      TEXT    NOT NULL,
    next_at     INTEGER NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    worker      TEXT,
    lease_until INTEGER,
    error       TEXT,
    sent_at     INTEGER
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS outbox_messages_due ON outbox_messages (status, next_at, key);
CREATE TABLE IF NOT EXISTS outbox_checkpoints (
    feed     TEXT    PRIMARY KEY,
    position INTEGER NOT NULL CHECK (position >= 0)
);
"""

_COLUMNS = "key, message, status, next_at, attempts, worker, lease_until, error, sent_at"


def _at(us: int | None) -> dt.datetime | None:
    return None if us is None else from_micros(us)


class SqliteOutbox(Closing):
    """:class:`~itsm_core.desk.Outbox` on SQLite.

    Every write is one ``BEGIN IMMEDIATE`` transaction: a record checks and moves the feed's
    checkpoint with its messages (``INSERT ... ON CONFLICT DO NOTHING``: a stored key is
    kept), and a claim selects the due messages and takes them under the write lock, so two
    senders (threads or processes) never claim the same message while its lease runs.

    Args:
        database: a :class:`~itsm_core.adapters.sqlite.SqliteDatabase` (the event store's,
            to keep the outbox in the same file), or the path of the file.
        serializer: writes the messages (its converter) as JSON text.
    """

    def __init__(
        self,
        database: SqliteDatabase | str | os.PathLike[str],
        *,
        serializer: Serializer | None = None,
    ) -> None:
        from itsm_core.adapters.sqlite import SqliteDatabase

        self.database = (
            database if isinstance(database, SqliteDatabase) else SqliteDatabase(database)
        )
        self.serializer = serializer if serializer is not None else Serializer()
        try:
            self.database.connection().executescript(OUTBOX_SCHEMA)
        except sqlite3.Error as exc:
            raise RepositoryError(
                f"cannot create the outbox tables in {self.database.path}: {exc}"
            ) from exc

    def close(self) -> None:
        """Close the database connections."""
        self.database.close()

    def position(self, feed: str) -> int:
        """The checkpoint of ``feed`` (0 before its first record)."""
        check_outbox_record(feed, 0, 0, ())
        rows = self.database.query(
            "SELECT position FROM outbox_checkpoints WHERE feed = ?", (feed,)
        )
        return int(rows[0][0]) if rows else 0

    def record(
        self, feed: str, *, after: int, position: int, messages: Sequence[Notification]
    ) -> int:
        """Store the new messages and move the checkpoint, in one transaction."""
        found = check_outbox_record(feed, after, position, messages)
        rows = self._rows(found)
        with self.database.transaction() as connection:
            stored = connection.execute(
                "SELECT position FROM outbox_checkpoints WHERE feed = ?", (feed,)
            ).fetchone()
            actual = 0 if stored is None else int(stored[0])
            if actual != after:
                raise VersionConflict(f"outbox feed {feed}", after, actual)
            connection.execute(
                "INSERT INTO outbox_checkpoints (feed, position) VALUES (?, ?) "
                "ON CONFLICT (feed) DO UPDATE SET position = excluded.position",
                (feed, position),
            )
            return self._insert(connection, rows)

    def put(self, messages: Sequence[Notification]) -> int:
        """Store the new messages."""
        rows = self._rows(check_outbox_messages(messages))
        with self.database.transaction() as connection:
            return self._insert(connection, rows)

    def _rows(self, messages: Sequence[Notification]) -> list[tuple[object, ...]]:
        return [
            (m.key, dump_message(self.serializer, m), OutboxStatus.PENDING.value, micros(m.at))
            for m in messages
        ]

    @staticmethod
    def _insert(connection: sqlite3.Connection, rows: list[tuple[object, ...]]) -> int:
        before = connection.total_changes
        connection.executemany(
            "INSERT INTO outbox_messages (key, message, status, next_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (key) DO NOTHING",
            rows,
        )
        return connection.total_changes - before

    def claim(
        self, now: dt.datetime, *, worker: str, lease: dt.timedelta, limit: int = 100
    ) -> tuple[OutboxEntry, ...]:
        """Claim up to ``limit`` due messages for ``worker`` until ``now + lease``."""
        check_outbox_claim(now, worker, lease, limit)
        at, until = micros(now), micros(now + lease)
        with self.database.transaction() as connection:
            keys = [
                key
                for (key,) in connection.execute(
                    "SELECT key FROM outbox_messages WHERE (status = 'pending' AND next_at <= ?)"
                    " OR (status = 'claimed' AND lease_until <= ?)"
                    " ORDER BY next_at, key LIMIT ?",
                    (at, at, limit),
                )
            ]
            connection.executemany(
                "UPDATE outbox_messages SET status = 'claimed', attempts = attempts + 1,"
                " worker = ?, lease_until = ? WHERE key = ?",
                [(worker, until, key) for key in keys],
            )
            entries = {
                row[0]: self._entry(row)
                for row in connection.execute(
                    f"SELECT {_COLUMNS} FROM outbox_messages WHERE key IN "
                    f"({', '.join('?' * len(keys))})",
                    keys,
                )
            }
        return tuple(entries[key] for key in keys)

    def mark_sent(self, key: str, *, at: dt.datetime) -> None:
        """The message was delivered: it is never claimed again."""
        check_outbox_key(key, at)
        with self.database.transaction() as connection:
            changed = connection.execute(
                "UPDATE outbox_messages SET status = 'sent', sent_at = ?, lease_until = NULL"
                " WHERE key = ? AND status != 'sent'",
                (micros(at), key),
            ).rowcount
            if not changed and self._status(connection, key) is None:
                raise NotFound("outbox message", key)

    def mark_failed(
        self, key: str, *, attempt: int, error: str, retry_at: dt.datetime | None
    ) -> None:
        """Claim ``attempt`` failed: pending again at ``retry_at``, or failed for good."""
        check_outbox_failure(key, attempt, error, retry_at)
        with self.database.transaction() as connection:
            found = connection.execute(
                "SELECT status, attempts FROM outbox_messages WHERE key = ?", (key,)
            ).fetchone()
            if found is None:
                raise NotFound("outbox message", key)
            status, attempts = found
            if status == OutboxStatus.SENT:
                return
            if status != OutboxStatus.CLAIMED or attempts != attempt:
                raise VersionConflict(f"outbox message {key}", attempt, int(attempts))
            if retry_at is None:
                connection.execute(
                    "UPDATE outbox_messages SET status = 'failed', lease_until = NULL,"
                    " error = ? WHERE key = ?",
                    (error, key),
                )
            else:
                connection.execute(
                    "UPDATE outbox_messages SET status = 'pending', lease_until = NULL,"
                    " error = ?, next_at = ? WHERE key = ?",
                    (error, micros(retry_at), key),
                )

    @staticmethod
    def _status(connection: sqlite3.Connection, key: str) -> str | None:
        found = connection.execute(
            "SELECT status FROM outbox_messages WHERE key = ?", (key,)
        ).fetchone()
        return None if found is None else str(found[0])

    def get(self, key: str) -> OutboxEntry | None:
        """The entry of ``key``, if stored."""
        check_outbox_key(key)
        rows = self.database.query(
            f"SELECT {_COLUMNS} FROM outbox_messages WHERE key = ?",
            (key,),
        )
        return self._entry(rows[0]) if rows else None

    def count(self, status: OutboxStatus | None = None) -> int:
        """How many entries have ``status`` (all for None)."""
        wanted = check_outbox_status(status)
        if wanted is None:
            rows = self.database.query("SELECT COUNT(*) FROM outbox_messages")
        else:
            rows = self.database.query(
                "SELECT COUNT(*) FROM outbox_messages WHERE status = ?", (wanted.value,)
            )
        return int(rows[0][0])

    def _entry(self, row: Sequence[Any]) -> OutboxEntry:
        key, message, status, next_at, attempts, worker, lease_until, error, sent_at = row
        return OutboxEntry(
            key=key,
            message=load_message(self.serializer, message, key),
            status=OutboxStatus(status),
            next_at=from_micros(next_at),
            attempts=attempts,
            worker=worker,
            lease_until=_at(lease_until),
            error=error,
            sent_at=_at(sent_at),
        )
