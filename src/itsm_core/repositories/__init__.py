"""Storage ports and their in-memory reference implementations.

:class:`EventStore` (append-only streams with optimistic concurrency, and the whole log for
projections) and :class:`Repository` (versioned values by key) are ``typing.Protocol``
classes: a store needs the methods, not a base class. :class:`InMemoryEventStore` and
:class:`InMemoryRepository` are thread-safe and define the behaviour every adapter must match
(``itsm_core.testing`` proves it); ``itsm_core.adapters.sqlite`` is a durable one.
"""

from itsm_core.repositories._checks import (
    check_append,
    check_expected,
    check_key,
    check_read,
    check_save,
)
from itsm_core.repositories._memory import InMemoryEventStore, InMemoryRepository
from itsm_core.repositories._ports import EventStore, Repository
from itsm_core.repositories._records import (
    AppendReceipt,
    EventMetadata,
    ExpectedVersion,
    RecordedEvent,
    Versioned,
)

__all__ = [
    "AppendReceipt",
    "EventMetadata",
    "EventStore",
    "ExpectedVersion",
    "InMemoryEventStore",
    "InMemoryRepository",
    "RecordedEvent",
    "Repository",
    "Versioned",
    "check_append",
    "check_expected",
    "check_key",
    "check_read",
    "check_save",
]
