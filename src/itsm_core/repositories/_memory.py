"""The in-memory reference implementations: thread-safe, simple, and the behaviour to match."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Generic, TypeVar

from itsm_core.errors import DuplicateAppend, DuplicateEventId, NotFound, VersionConflict
from itsm_core.repositories._checks import (
    check_append,
    check_expected,
    check_key,
    check_read,
    check_save,
)
from itsm_core.repositories._records import (
    AppendReceipt,
    EventMetadata,
    ExpectedVersion,
    RecordedEvent,
    Versioned,
)

E = TypeVar("E")
T = TypeVar("T")


class InMemoryEventStore(Generic[E]):
    """An :class:`~itsm_core.repositories.EventStore` in a list, guarded by one lock.

    Positions are 1, 2, 3... in append order. Events are stored as given (they are frozen).

    >>> store: InMemoryEventStore[str] = InMemoryEventStore()
    >>> store.append("INC1", ["opened", "assigned"], expected_version=0)
    2
    >>> store.append("INC1", ["closed"], expected_version=1)
    Traceback (most recent call last):
    ...
    itsm_core.errors.VersionConflict: version conflict on 'INC1': expected version 1, store has 2
    >>> store.read("INC1"), [(r.position, r.event) for r in store.read_all(after=1)]
    (('opened', 'assigned'), [(2, 'assigned')])
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._log: list[RecordedEvent[E]] = []
        self._streams: dict[str, list[RecordedEvent[E]]] = {}
        self._event_ids: set[str] = set()
        self._receipts: dict[str, AppendReceipt] = {}

    def append(
        self,
        stream: str,
        events: Sequence[E],
        expected_version: int | ExpectedVersion,
        *,
        metadata: Sequence[EventMetadata] | None = None,
        idempotency_key: str | None = None,
    ) -> int:
        """Append ``events`` if ``stream`` is at ``expected_version``; the new version."""
        batch = list(events)
        check_append(stream, expected_version, batch, metadata, idempotency_key)
        with self._lock:
            if idempotency_key is not None and idempotency_key in self._receipts:
                raise DuplicateAppend(idempotency_key, self._receipts[idempotency_key])
            recorded = self._streams.get(stream, [])
            check_expected(stream, expected_version, len(recorded))
            for entry_metadata in metadata or ():
                if entry_metadata.event_id in self._event_ids:
                    raise DuplicateEventId(entry_metadata.event_id)
            first = len(recorded) + 1
            for index, event in enumerate(batch):
                meta = None if metadata is None else metadata[index]
                entry = RecordedEvent(len(self._log) + 1, stream, len(recorded) + 1, event, meta)
                recorded.append(entry)
                self._log.append(entry)
                if meta is not None:
                    self._event_ids.add(meta.event_id)
            if recorded:
                self._streams[stream] = recorded
            if idempotency_key is not None:
                self._receipts[idempotency_key] = AppendReceipt(
                    idempotency_key, stream, first, len(recorded)
                )
            return len(recorded)

    def receipt(self, idempotency_key: str) -> AppendReceipt | None:
        """What the append under ``idempotency_key`` wrote, or None if no append used it."""
        check_key(idempotency_key)
        with self._lock:
            return self._receipts.get(idempotency_key)

    def read(self, stream: str, after: int = 0) -> tuple[E, ...]:
        """The events of ``stream`` after version ``after``."""
        check_read(stream, after)
        with self._lock:
            return tuple(entry.event for entry in self._streams.get(stream, [])[after:])

    def version(self, stream: str) -> int:
        """The number of events in ``stream``."""
        check_read(stream)
        with self._lock:
            return len(self._streams.get(stream, []))

    def read_all(self, after: int = 0, limit: int | None = None) -> tuple[RecordedEvent[E], ...]:
        """Every event after position ``after`` (at most ``limit``), oldest first."""
        check_read(None, after, limit)
        with self._lock:
            end = None if limit is None else after + limit
            return tuple(self._log[after:end])

    def last_position(self) -> int:
        """The position of the last event (0 when empty)."""
        with self._lock:
            return len(self._log)


class InMemoryRepository(Generic[T]):
    """A :class:`~itsm_core.repositories.Repository` in a dict, guarded by one lock.

    ``kind`` names what it holds in :class:`~itsm_core.errors.NotFound` messages.

    >>> policies: InMemoryRepository[str] = InMemoryRepository("policy")
    >>> policies.save("gold", "v1", expected_version=0).version
    1
    >>> policies.get("silver")
    Traceback (most recent call last):
    ...
    itsm_core.errors.NotFound: no policy with id 'silver'
    """

    def __init__(self, kind: str = "record") -> None:
        self.kind = kind
        self._lock = threading.Lock()
        self._values: dict[str, Versioned[T]] = {}

    def get(self, key: str) -> Versioned[T]:
        """The value under ``key``; NotFound when there is none."""
        found = self.find(key)
        if found is None:
            raise NotFound(self.kind, key)
        return found

    def find(self, key: str) -> Versioned[T] | None:
        """The value under ``key``, or None."""
        check_key(key)
        with self._lock:
            return self._values.get(key)

    def save(self, key: str, value: T, expected_version: int) -> Versioned[T]:
        """Save ``value`` if ``key`` is at ``expected_version``; the saved version."""
        check_save(key, expected_version, value)
        with self._lock:
            current = self._values.get(key)
            actual = 0 if current is None else current.version
            if actual != expected_version:
                raise VersionConflict(f"{self.kind} {key}", expected_version, actual)
            saved = Versioned(key, actual + 1, value)
            self._values[key] = saved
            return saved

    def keys(self) -> tuple[str, ...]:
        """Every key, sorted."""
        with self._lock:
            return tuple(sorted(self._values))
