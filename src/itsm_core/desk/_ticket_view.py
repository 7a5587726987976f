"""The built-in read model: one row per ticket, with its SLA deadlines, for every desk query.

:class:`TicketProjection` folds the ticket events of the log into one row per ticket: the
ticket as of its last event (the kernel's fold, one event at a time) and, when SLA policies are
given, the deadlines of its clocks under way (an :class:`~itsm_core.sla.SlaTracker` continued
event by event). The row is indexed by the fields worklists filter on (terms such as
``group=network``) and by its instants (opened, resolved, each clock's due time, each instant a
threshold is reached), so worklists, lookups, the complaint archive and the SLA schedule read
only the rows they return.

Why the deadlines can be computed once, at the last event: a clock under way reaches its
target (and each threshold) at an instant that only the next event can move. Measured at any
later ``now``, it is breached exactly when ``now`` has reached that instant (a clock paused
before its target has no deadline until an event resumes it). So the row keeps the instants,
and "breached at ``now``" is a range query.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from itsm_core._checks import is_int
from itsm_core.calendar import BusinessTime
from itsm_core.desk._projection_store import ProjectionStore
from itsm_core.desk._rows import Instant, ProjectionRow, RowQuery, check_projection_name
from itsm_core.errors import DeserializationError, ItsmError, Problem
from itsm_core.repositories import EventStore, RecordedEvent
from itsm_core.serialization import Serializer
from itsm_core.sla import PolicySet, SlaTracker
from itsm_core.tickets import Ticket, TicketEvent, apply_event

#: The ticket fields a row is indexed by, each as ``name=value`` (``name=`` when not set), by
#: the name worklists use.
INDEXED_FIELDS: Mapping[str, str] = {
    "kind": "kind",
    "workflow": "workflow",
    "state": "state",
    "status": "status",
    "customer": "requester",
    "tier": "customer_tier",
    "channel": "channel",
    "service": "service",
    "category": "category",
    "priority": "priority",
    "complaint_type": "complaint_type",
    "level": "response_level",
    "group": "assignment_group",
    "assignee": "assignee",
    "support_level": "support_level",
}


def term(name: str, value: object) -> str:
    """The index term of a field ``name`` with ``value`` (``name=`` for None).

    >>> from itsm_core.workflow import StatusCategory
    >>> term("status", StatusCategory.ON_HOLD), term("level", 2), term("assignee", None)
    ('status=on_hold', 'level=2', 'assignee=')
    """
    if value is None:
        return f"{name}="
    if isinstance(value, bool):
        return f"{name}={'yes' if value else 'no'}"
    if isinstance(value, enum.Enum):
        return f"{name}={value.value}"
    return f"{name}={value}"


@attrs.frozen(kw_only=True)
class Deadline:
    """A clock under way of one ticket, as of the ticket's last event.

    Attributes:
        ticket_id: the ticket.
        clock: the clock's key (``resolution``, or ``name@group`` for a per-group clock).
        cycle: its cycle number (1 for the first).
        due_at: when it breaches (or breached), unless an event comes first; None while it is
            paused before its target (it cannot breach until an event resumes it).
        thresholds: ``(threshold name, instant)`` of each threshold whose instant is known,
            in the order of its metric's thresholds.
    """

    ticket_id: str
    clock: str
    cycle: int
    due_at: dt.datetime | None
    thresholds: tuple[tuple[str, dt.datetime], ...] = ()

    def breached(self, now: dt.datetime) -> bool:
        """True when the clock is past its target at ``now`` (status ``breached``)."""
        return self.due_at is not None and self.due_at <= now


@attrs.frozen(kw_only=True)
class TicketEntry:
    """One ticket as the read models keep it.

    Attributes:
        ticket: the ticket as of its last event.
        deadlines: its clocks under way (none without SLA policies, or once stopped).
        sla_error: why its clocks could not be computed (a calendar whose data ends, a
            calendar a policy names but nobody gave...), or None. Such a ticket has no
            deadlines; :meth:`SlaSchedule.errors` lists it.
        position: the log position of its last event.
        stream: the event stream it was read from (its id, unless stored otherwise).
    """

    ticket: Ticket
    deadlines: tuple[Deadline, ...] = ()
    sla_error: str | None = None
    position: int = 0
    stream: str = ""

    @property
    def due_at(self) -> dt.datetime | None:
        """The earliest deadline of its clocks, or None."""
        dues = [d.due_at for d in self.deadlines if d.due_at is not None]
        return min(dues) if dues else None

    def breached(self, now: dt.datetime) -> tuple[Deadline, ...]:
        """Its clocks past their target at ``now``."""
        return tuple(d for d in self.deadlines if d.breached(now))


@attrs.frozen
class _Folded:
    """A ticket row while folding: the ticket, its SLA tracker (None without policies or
    after the SLA fold failed), the reason it failed, and the log position and stream of its
    last event."""

    ticket: Ticket
    tracker: SlaTracker | None
    sla_error: str | None
    position: int
    stream: str


@attrs.frozen(kw_only=True)
class TicketProjection:
    """The ticket read model: a :class:`Projection` of ticket events into one row per ticket.

    Attributes:
        name: the read model's name in the projection store.
        policies: the SLA policies whose clocks give each ticket's deadlines (None: no
            deadlines; worklists and lookups still work).
        calendars, customer_calendars: as for :class:`~itsm_core.sla.SlaTracker`.
        lookup_attributes: keys of ``Ticket.attributes`` a ticket can be looked up by
            (``TicketLookup.by_attribute``): text and integer values are indexed.
        serializer: writes the rows (the one converter of :mod:`itsm_core.serialization`).

    The deadlines depend on the policies and calendars: after changing them, rebuild the read
    model (:func:`rebuild`) or build it under a new name. With policies, a row loaded from the
    store continues its SLA fold from the ticket's events (read from the event store once per
    row, then kept by the subscription's cache).
    """

    name: str = "tickets"
    policies: PolicySet | None = None
    calendars: Mapping[str, BusinessTime] = attrs.field(factory=dict)
    customer_calendars: Mapping[str, BusinessTime] = attrs.field(factory=dict)
    lookup_attributes: tuple[str, ...] = ("external_id", "reference")
    serializer: Serializer = attrs.field(factory=Serializer, eq=False, repr=False)

    def key(self, recorded: RecordedEvent[Any]) -> str | None:
        """The ticket id of a ticket event; None for any other event."""
        event = recorded.event
        return event.ticket_id if isinstance(event, TicketEvent) else None

    def load(self, row: ProjectionRow, events: EventStore[Any]) -> _Folded:
        """The fold state of a stored row (with policies, its tracker from the ticket's
        events up to the row's version)."""
        view = view_of(row, self.serializer)
        if self.policies is None:
            return _Folded(view.ticket, None, view.sla_error, view.position, view.stream)
        history = events.read(view.stream)[: view.ticket.version]
        tracker, error = _continued(self._tracker(), history)
        return _Folded(view.ticket, tracker, error, view.position, view.stream)

    def apply(self, state: _Folded | None, recorded: RecordedEvent[Any]) -> _Folded:
        """The row after one more event of its ticket."""
        event: TicketEvent = recorded.event
        tracker: SlaTracker | None
        if state is not None:
            tracker, error = state.tracker, state.sla_error
        elif self.policies is not None:
            tracker, error = self._tracker(), None
        else:
            tracker, error = None, None
        if tracker is None:
            ticket = apply_event(None if state is None else state.ticket, event)
        else:  # the tracker folds the ticket too: one fold, unless its SLA part fails
            tracker, error = _continued(tracker, (event,))
            if tracker is None or tracker.ticket is None:
                ticket = apply_event(None if state is None else state.ticket, event)
            else:
                ticket = tracker.ticket
        return _Folded(ticket, tracker, error, recorded.position, recorded.stream)

    def dump(self, key: str, state: _Folded) -> ProjectionRow:
        """The row of a ticket: the view as JSON, its terms and instants."""
        deadlines, error = _deadlines(state)
        ticket = state.ticket
        data = {
            "ticket": self.serializer.dump(ticket),
            "deadlines": self.serializer.converter.unstructure(deadlines, tuple[Deadline, ...]),
            "sla_error": error,
            "position": state.position,
            "stream": state.stream,
        }
        terms = [term(name, getattr(ticket, field)) for name, field in INDEXED_FIELDS.items()]
        terms.append(term("active", ticket.is_open))
        terms.append(term("sla_error", error is not None))
        for name in self.lookup_attributes:
            value = ticket.attributes.get(name)
            if isinstance(value, str) or is_int(value):
                terms.append(term(f"attribute.{name}", value))
        return ProjectionRow(
            key,
            json.dumps(data, sort_keys=True, ensure_ascii=False),
            terms,
            _instants(ticket, deadlines),
        )

    def _tracker(self) -> SlaTracker:
        assert self.policies is not None
        return SlaTracker(
            policies=self.policies,
            calendars=self.calendars,
            customer_calendars=self.customer_calendars,
        )


def _continued(
    tracker: SlaTracker | None, events: Iterable[TicketEvent]
) -> tuple[SlaTracker | None, str | None]:
    """``tracker`` after ``events``, or None and why the SLA fold failed."""
    if tracker is None:
        return None, None
    try:
        return tracker.apply_all(events), None
    except ItsmError as exc:
        return None, _reason(exc)


def _reason(error: ItsmError) -> str:
    return f"{type(error).__name__}: {error}"


def _deadlines(state: _Folded) -> tuple[tuple[Deadline, ...], str | None]:
    """The clocks under way of the ticket, measured at its last event, or why they cannot
    be."""
    tracker = state.tracker
    if tracker is None or tracker.ticket is None:
        return (), state.sla_error
    ticket = state.ticket
    try:
        report = tracker.report(ticket.updated_at)
    except ItsmError as exc:
        return (), _reason(exc)
    return (
        tuple(
            Deadline(
                ticket_id=ticket.id,
                clock=clock.key,
                cycle=clock.cycle,
                due_at=clock.due_at,
                thresholds=tuple((t.name, t.at) for t in clock.thresholds if t.at is not None),
            )
            for clock in report.clocks
            if clock.status.ongoing
        ),
        None,
    )


def _instants(ticket: Ticket, deadlines: tuple[Deadline, ...]) -> list[Instant]:
    """``opened``, ``updated``, ``resolved``, ``closed``; ``due`` for each deadline, and
    ``wake`` for each instant a deadline or a threshold is reached."""
    found: list[Instant] = [("opened", ticket.opened_at), ("updated", ticket.updated_at)]
    for slot, at in (("resolved", ticket.resolved_at), ("closed", ticket.closed_at)):
        if at is not None:
            found.append((slot, at))
    for deadline in deadlines:
        if deadline.due_at is not None:
            found.append(("due", deadline.due_at))
            found.append(("wake", deadline.due_at))
        found.extend(("wake", at) for _, at in deadline.thresholds)
    return found


class TicketRows:
    """What the queries over the ticket read model share: the store, the read model's name
    and the serializer that reads its rows."""

    def __init__(
        self,
        store: ProjectionStore,
        *,
        name: str = "tickets",
        serializer: Serializer | None = None,
    ) -> None:
        check_projection_name(name)
        self.store = store
        self.name = name
        self.serializer = serializer if serializer is not None else Serializer()

    def _view(self, row: ProjectionRow) -> TicketEntry:
        return view_of(row, self.serializer)

    def _views(self, query: RowQuery) -> tuple[TicketEntry, ...]:
        return tuple(self._view(hit.row) for hit in self.store.select(self.name, query))


def deadlines_of(row: ProjectionRow, serializer: Serializer) -> tuple[Deadline, ...]:
    """The deadlines a row of :class:`TicketProjection` holds (its ticket is not read)."""
    try:
        deadlines: tuple[Deadline, ...] = serializer.converter.structure(
            json.loads(row.data)["deadlines"], tuple[Deadline, ...]
        )
    except Exception as exc:  # a hand-edited or foreign row: name it, never leak cattrs
        raise DeserializationError(
            f"ticket row {row.key!r}", [Problem("data", f"{type(exc).__name__}: {exc}")]
        ) from exc
    return deadlines


def view_of(row: ProjectionRow, serializer: Serializer) -> TicketEntry:
    """The :class:`TicketEntry` a row of :class:`TicketProjection` holds."""
    try:
        data = json.loads(row.data)
        ticket = serializer.load(data["ticket"], Ticket)
        deadlines = serializer.converter.structure(data["deadlines"], tuple[Deadline, ...])
        return TicketEntry(
            ticket=ticket,
            deadlines=deadlines,
            sla_error=data["sla_error"],
            position=data["position"],
            stream=data["stream"],
        )
    except DeserializationError:
        raise
    except Exception as exc:  # a hand-edited or foreign row: name it, never leak cattrs
        raise DeserializationError(
            f"ticket row {row.key!r}", [Problem("data", f"{type(exc).__name__}: {exc}")]
        ) from exc
