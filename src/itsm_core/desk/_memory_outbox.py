"""The in-memory outbox: the reference behaviour of the :class:`Outbox` port."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Sequence

import attrs

from itsm_core.communications import Notification
from itsm_core.desk._outbox import (
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


def _utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC)


class InMemoryOutbox:
    """:class:`~itsm_core.desk.Outbox` in a dict, safe to share between threads (one lock).

    For tests and for apps that keep their state elsewhere; a process that stops loses it.
    Instants are kept in UTC, as the SQL outboxes return them.
    """

    def __init__(self) -> None:
        self._entries: dict[str, OutboxEntry] = {}
        self._positions: dict[str, int] = {}
        self._lock = threading.Lock()

    def position(self, feed: str) -> int:
        """The checkpoint of ``feed`` (0 before its first record)."""
        check_outbox_record(feed, 0, 0, ())
        with self._lock:
            return self._positions.get(feed, 0)

    def record(
        self, feed: str, *, after: int, position: int, messages: Sequence[Notification]
    ) -> int:
        """Store the new messages and move the checkpoint, atomically."""
        found = check_outbox_record(feed, after, position, messages)
        with self._lock:
            actual = self._positions.get(feed, 0)
            if actual != after:
                raise VersionConflict(f"outbox feed {feed}", after, actual)
            self._positions[feed] = position
            return self._store(found)

    def put(self, messages: Sequence[Notification]) -> int:
        """Store the new messages."""
        found = check_outbox_messages(messages)
        with self._lock:
            return self._store(found)

    def _store(self, messages: Sequence[Notification]) -> int:
        new = [message for message in messages if message.key not in self._entries]
        for message in new:
            self._entries[message.key] = OutboxEntry(
                key=message.key, message=message, next_at=_utc(message.at)
            )
        return len(new)

    def claim(
        self, now: dt.datetime, *, worker: str, lease: dt.timedelta, limit: int = 100
    ) -> tuple[OutboxEntry, ...]:
        """Claim up to ``limit`` due messages for ``worker`` until ``now + lease``."""
        check_outbox_claim(now, worker, lease, limit)
        with self._lock:
            due = sorted(
                (entry for entry in self._entries.values() if entry.claimable(now)),
                key=lambda entry: (entry.next_at, entry.key),
            )[:limit]
            claimed = []
            for entry in due:
                held = attrs.evolve(
                    entry,
                    status=OutboxStatus.CLAIMED,
                    attempts=entry.attempts + 1,
                    worker=worker,
                    lease_until=_utc(now + lease),
                )
                self._entries[entry.key] = held
                claimed.append(held)
            return tuple(claimed)

    def mark_sent(self, key: str, *, at: dt.datetime) -> None:
        """The message was delivered: it is never claimed again."""
        check_outbox_key(key, at)
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                raise NotFound("outbox message", key)
            if entry.status is not OutboxStatus.SENT:
                self._entries[key] = attrs.evolve(
                    entry, status=OutboxStatus.SENT, sent_at=_utc(at), lease_until=None
                )

    def mark_failed(
        self, key: str, *, attempt: int, error: str, retry_at: dt.datetime | None
    ) -> None:
        """Claim ``attempt`` failed: pending again at ``retry_at``, or failed for good."""
        check_outbox_failure(key, attempt, error, retry_at)
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                raise NotFound("outbox message", key)
            if entry.status is OutboxStatus.SENT:
                return
            if entry.status is not OutboxStatus.CLAIMED or entry.attempts != attempt:
                raise VersionConflict(f"outbox message {key}", attempt, entry.attempts)
            self._entries[key] = attrs.evolve(
                entry,
                status=OutboxStatus.FAILED if retry_at is None else OutboxStatus.PENDING,
                next_at=entry.next_at if retry_at is None else _utc(retry_at),
                lease_until=None,
                error=error,
            )

    def get(self, key: str) -> OutboxEntry | None:
        """The entry of ``key``, if stored."""
        check_outbox_key(key)
        with self._lock:
            return self._entries.get(key)

    def count(self, status: OutboxStatus | None = None) -> int:
        """How many entries have ``status`` (all for None)."""
        wanted = check_outbox_status(status)
        with self._lock:
            if wanted is None:
                return len(self._entries)
            return sum(1 for entry in self._entries.values() if entry.status is wanted)
