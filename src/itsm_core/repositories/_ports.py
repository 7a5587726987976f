"""The ports: an append-only event store and a versioned repository, as typing Protocols.

Any class with these methods is a store; nothing to inherit. ``itsm_core.testing`` holds the
contract tests that prove an implementation behaves like the in-memory reference.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

from itsm_core.repositories._records import (
    AppendReceipt,
    EventMetadata,
    ExpectedVersion,
    RecordedEvent,
    Versioned,
)

E = TypeVar("E")
T = TypeVar("T")


class EventStore(Protocol[E]):
    """An append-only log of events, in streams, with optimistic concurrency.

    A stream's version is the number of events it holds (0 for a stream never written to).
    Rules every implementation keeps (the contract suite checks each):

    * ``append`` writes all of ``events`` or none; when the stream's version does not satisfy
      ``expected_version`` (an exact ``int``, or :class:`ExpectedVersion` ``ANY``,
      ``NO_STREAM``, ``EXISTS``) it raises :class:`~itsm_core.errors.VersionConflict` and
      writes nothing. Two writers that read the same version cannot both append.
    * ``metadata``, when given, is one :class:`EventMetadata` per event, kept with it and
      returned by ``read_all``; an event id already in the store raises
      :class:`~itsm_core.errors.DuplicateEventId` and writes nothing.
    * ``idempotency_key``, when given, is recorded with the events in the same transaction;
      a second append with the same key writes nothing and raises
      :class:`~itsm_core.errors.DuplicateAppend` carrying the first :class:`AppendReceipt`
      (``receipt(key)`` returns it too). A retry after an unknown commit outcome is safe.
    * ``read`` returns a stream's events in version order (empty for an unknown stream).
    * ``read_all`` returns every stream's events after a position, in position order; a
      projection that stores the last position it saw and asks again never misses an event
      nor sees one twice.
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
        """Append ``events`` to ``stream`` if it satisfies ``expected_version``; the new
        version."""
        ...

    def receipt(self, idempotency_key: str) -> AppendReceipt | None:
        """What the append under ``idempotency_key`` wrote, or None if no append used it."""
        ...

    def read(self, stream: str, after: int = 0) -> tuple[E, ...]:
        """The events of ``stream`` with a version above ``after``, in order."""
        ...

    def version(self, stream: str) -> int:
        """The number of events in ``stream`` (0 when it has none)."""
        ...

    def read_all(self, after: int = 0, limit: int | None = None) -> tuple[RecordedEvent[E], ...]:
        """Events of every stream with a position above ``after``, oldest first."""
        ...

    def last_position(self) -> int:
        """The position of the last event recorded (0 for an empty store)."""
        ...


class Repository(Protocol[T]):
    """Values by key, each with a version; a stale save is refused, never applied.

    One generic port serves every aggregate stored as a whole value: SLA policies, calendars,
    surveys and responses, improvement cycles, knowledge articles... (the aliases below name
    them). Event-sourced aggregates (tickets, cycles) can live in an :class:`EventStore`
    instead, their state being the fold of their events; a repository then holds snapshots.
    """

    def get(self, key: str) -> Versioned[T]:
        """The value saved under ``key``; :class:`~itsm_core.errors.NotFound` if none."""
        ...

    def find(self, key: str) -> Versioned[T] | None:
        """The value saved under ``key``, or None."""
        ...

    def save(self, key: str, value: T, expected_version: int) -> Versioned[T]:
        """Save ``value`` if ``key`` is at ``expected_version`` (0: not saved yet)."""
        ...

    def keys(self) -> tuple[str, ...]:
        """Every key, sorted."""
        ...
