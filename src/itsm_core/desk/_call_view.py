"""The call read model: one row per hotline call, and the call log that answers KPIs per
interval from it without reading the events again."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import attrs

from itsm_core.calls import CALL, Call, CallEvent, IntervalKpis, interval_kpis
from itsm_core.desk._projection_store import ProjectionStore
from itsm_core.desk._rows import ProjectionRow, RowQuery
from itsm_core.desk._ticket_view import term
from itsm_core.errors import DeserializationError, Problem
from itsm_core.repositories import EventStore, RecordedEvent
from itsm_core.serialization import Serializer


@attrs.frozen(kw_only=True)
class CallProjection:
    """A :class:`Projection` of call events (``itsm_core.calls.CallEvent``) into one row per
    call: the :class:`~itsm_core.calls.Call`, indexed by the instant it was offered and by the
    terms ``status=``, ``agent=`` and ``queue=``."""

    name: str = "calls"
    serializer: Serializer = attrs.field(factory=Serializer, eq=False, repr=False)

    def key(self, recorded: RecordedEvent[Any]) -> str | None:
        """The call id of a call event; None for any other event."""
        event = recorded.event
        return event.call_id if isinstance(event, CallEvent) else None

    def load(self, row: ProjectionRow, events: EventStore[Any]) -> Call:
        """The call a stored row holds."""
        return call_of(row, self.serializer)

    def apply(self, state: Call | None, recorded: RecordedEvent[Any]) -> Call:
        """The call after one more of its events."""
        return CALL.apply(state, recorded.event)

    def dump(self, key: str, state: Call) -> ProjectionRow:
        """The row of a call."""
        data = self.serializer.converter.unstructure(state, Call)
        terms = [
            term("status", state.status.value),
            term("agent", state.agent),
            term("queue", state.queue),
        ]
        return ProjectionRow(
            key,
            json.dumps(data, sort_keys=True, ensure_ascii=False),
            terms,
            [("offered", state.offered_at)],
        )


def call_of(row: ProjectionRow, serializer: Serializer) -> Call:
    """The :class:`~itsm_core.calls.Call` a row of :class:`CallProjection` holds;
    DeserializationError naming the row when it holds anything else."""
    try:
        call: Call = serializer.converter.structure(json.loads(row.data), Call)
    except Exception as exc:
        raise DeserializationError(
            f"call row {row.key!r}", [Problem("data", f"{type(exc).__name__}: not a call")]
        ) from None
    return call


class CallLog:
    """The calls of the call read model (:class:`CallProjection`), by the time they were
    offered, and their KPIs per interval.

    Args:
        store: the projection store.
        name: the call read model's name in it.
        serializer: reads the rows (default ``Serializer()``).
    """

    def __init__(
        self, store: ProjectionStore, *, name: str = "calls", serializer: Serializer | None = None
    ) -> None:
        self.store = store
        self.name = name
        self.serializer = serializer or Serializer()

    def offered(
        self, start: dt.datetime, end: dt.datetime, *, queue: str | None = None
    ) -> tuple[Call, ...]:
        """The calls offered in ``[start, end)`` (of ``queue`` only, if given), earliest first."""
        terms = set() if queue is None else {term("queue", queue)}
        query = RowQuery(terms=terms, slot="offered", start=start, end=end)
        return tuple(
            call_of(hit.row, self.serializer) for hit in self.store.select(self.name, query)
        )

    def kpis(
        self, start: dt.datetime, end: dt.datetime, *, queue: str | None = None, **options: Any
    ) -> tuple[IntervalKpis, ...]:
        """:func:`~itsm_core.calls.interval_kpis` of the calls offered in ``[start, end)``;
        ``options`` are its keyword arguments (``interval``, ``answer_within``, ``staffed``...).

        Occupancy counts the busy time of these calls only: a call offered before ``start``
        and still held after it is not read.
        """
        return interval_kpis(self.offered(start, end, queue=queue), start=start, end=end, **options)
