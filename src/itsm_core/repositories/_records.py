"""What stores take and hand back: event metadata, expected versions, recorded events, receipts."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Generic, TypeVar

import attrs

from itsm_core._checks import is_aware
from itsm_core._plain import shown, text
from itsm_core.errors import Problem, ValidationError

E = TypeVar("E")
T = TypeVar("T")


class ExpectedVersion(enum.StrEnum):
    """What an append may expect of a stream besides an exact version (an ``int``).

    * ``ANY``: append whatever the stream holds (no concurrency check);
    * ``NO_STREAM``: the stream must not exist yet (the same as ``0``);
    * ``EXISTS``: the stream must hold at least one event.
    """

    ANY = "any"
    NO_STREAM = "no stream"
    EXISTS = "exists"


@attrs.frozen
class EventMetadata:
    """Facts about one event that are not the domain's: who caused it and when it was stored.

    Attributes:
        event_id: unique in the store (a caller-made id, e.g. a UUID; the store refuses a
            second event with the same id).
        recorded_at: when the application recorded it (aware; the caller's ``now``).
        correlation_id: the conversation it belongs to (a webhook delivery, a user request);
            every event caused by one command shares it.
        causation_id: the id of the command or event that caused it.
    """

    event_id: str
    recorded_at: dt.datetime
    correlation_id: str | None = None
    causation_id: str | None = None

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        text(self.event_id, "event_id", problems)
        if not isinstance(self.recorded_at, dt.datetime):
            problems.append(  # type: ignore[unreachable]
                Problem("recorded_at", f"expected a datetime, got {shown(self.recorded_at)}")
            )
        elif not is_aware(self.recorded_at):
            problems.append(Problem("recorded_at", "naive datetime (a time zone is required)"))
        for name in ("correlation_id", "causation_id"):
            if getattr(self, name) is not None:
                text(getattr(self, name), name, problems)
        if problems:
            raise ValidationError("EventMetadata", problems)


@attrs.frozen
class RecordedEvent(Generic[E]):
    """An event as the store recorded it.

    Attributes:
        position: its place in the whole log, for projections (``read_all(after=position)``);
            strictly increasing in commit order, not necessarily gapless.
        stream: the stream it belongs to (usually one aggregate: a ticket, a cycle).
        version: its number within the stream, 1 for the first event, then +1 each time.
        event: the event itself.
        metadata: what the appender said of it (None when it was appended without).
    """

    position: int
    stream: str
    version: int
    event: E
    metadata: EventMetadata | None = None


@attrs.frozen
class AppendReceipt:
    """What an append under an idempotency key wrote, kept by the store with the events.

    ``first_version`` to ``last_version`` are the stream versions it wrote (an append of no
    events has ``first_version == last_version + 1``). A second append with the same key
    writes nothing and raises :class:`~itsm_core.errors.DuplicateAppend` carrying this.
    """

    key: str
    stream: str
    first_version: int
    last_version: int

    @property
    def count(self) -> int:
        """How many events the append wrote."""
        return self.last_version - self.first_version + 1


@attrs.frozen
class Versioned(Generic[T]):
    """A stored value with its key and version (1 after the first save, then +1 each save).

    Pass ``version`` back as ``expected_version`` to save a change: if someone saved in
    between, the store refuses with :class:`~itsm_core.errors.VersionConflict`.
    """

    key: str
    version: int
    value: T
