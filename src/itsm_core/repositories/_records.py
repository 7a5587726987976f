"""What stores hand back: an event with its place in the log, a value with its version."""

from __future__ import annotations

from typing import Generic, TypeVar

import attrs

E = TypeVar("E")
T = TypeVar("T")


@attrs.frozen
class RecordedEvent(Generic[E]):
    """An event as the store recorded it.

    Attributes:
        position: its place in the whole log, for projections (``read_all(after=position)``);
            strictly increasing in commit order, not necessarily gapless.
        stream: the stream it belongs to (usually one aggregate: a ticket, a cycle).
        version: its number within the stream, 1 for the first event, then +1 each time.
        event: the event itself.
    """

    position: int
    stream: str
    version: int
    event: E


@attrs.frozen
class Versioned(Generic[T]):
    """A stored value with its key and version (1 after the first save, then +1 each save).

    Pass ``version`` back as ``expected_version`` to save a change: if someone saved in
    between, the store refuses with :class:`~itsm_core.errors.VersionConflict`.
    """

    key: str
    version: int
    value: T
