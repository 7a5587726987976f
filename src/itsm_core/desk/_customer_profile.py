"""The customer profile read model: per customer, their tickets, SLA record, satisfaction
history, complaints and churn risk; and the follow-up visits that are due.

:class:`CustomerProfileProjection` folds the desk's log (ticket events, follow-up events and
survey answers, in one event store) into one row per ticket, indexed by the ticket's customer
(its requester, or the customer whose contact the requester is) and by the due time of its
open follow-up. :class:`CustomerProfiles` sums a customer's rows into a
:class:`CustomerProfile` and lists the follow-ups due, reading only the rows it returns.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Mapping
from typing import Any

import attrs

from itsm_core._checks import check_aware, is_int
from itsm_core._plain import is_a, text
from itsm_core.calendar import BusinessTime
from itsm_core.customers import (
    FOLLOW_UP,
    AttemptRecorded,
    ChurnRule,
    CustomerDirectory,
    FollowUpCompleted,
    FollowUpScheduled,
    FollowUpTask,
    SurveyAnswered,
)
from itsm_core.desk._projection_store import ProjectionStore
from itsm_core.desk._rows import Instant, ProjectionRow, RowQuery, check_projection_name
from itsm_core.desk._ticket_view import TicketProjection, _continued, _Folded, _reason, term
from itsm_core.errors import DeserializationError, ItsmError, Problem, ValidationError
from itsm_core.repositories import EventStore, RecordedEvent
from itsm_core.serialization import Serializer
from itsm_core.sla import ClockStatus, PolicySet
from itsm_core.tickets import Ticket, TicketEvent, TicketKind
from itsm_core.workflow import StatusCategory

_KEYED_BY_TICKET = (
    TicketEvent,
    SurveyAnswered,
    FollowUpScheduled,
    AttemptRecorded,
    FollowUpCompleted,
)
_MICROSECOND = dt.timedelta(microseconds=1)
_MET = {ClockStatus.MET}
_BREACHED = {ClockStatus.MET_LATE, ClockStatus.BREACHED}


@attrs.frozen(kw_only=True)
class SatisfactionEntry:
    """One satisfaction score (1-5) of a customer: about ``ticket_id``, given ``at``, from a
    follow-up (``source`` ``"follow_up"``, ``reference`` the task) or a survey (``"survey"``,
    the survey's id)."""

    ticket_id: str
    at: dt.datetime
    score: int
    source: str
    reference: str


@attrs.frozen(kw_only=True)
class SlaRecord:
    """One SLA clock cycle of a ticket as of its last event: ``met``, ``breached`` or
    ``ongoing`` (then ``due_at`` says when it breaches, if it is running)."""

    ticket_id: str
    clock: str
    status: str
    due_at: dt.datetime | None = None


@attrs.frozen(kw_only=True)
class CustomerProfile:
    """A customer as the desk has served them (:meth:`CustomerProfiles.profile`).

    Attributes:
        customer: the customer's id (the requester of tickets without a directory entry).
        tickets: how many tickets; ``open`` of them still being worked (new, open, on hold),
            ``closed`` of them closed.
        by_kind: how many tickets of each kind (``"incident": 3``).
        sla_met, sla_breached: SLA clock cycles met and breached (a cycle still under way
            counts as breached once its due time is at or before ``now``, and not at all
            before).
        satisfaction: every score, oldest first.
        complaints: the ids of the customer's complaint tickets.
        churn_risk: the churn rule's reason (``"low"``, ``"declining"``) or None.
    """

    customer: str
    tickets: int
    open: int
    closed: int
    by_kind: Mapping[str, int]
    sla_met: int
    sla_breached: int
    satisfaction: tuple[SatisfactionEntry, ...]
    complaints: tuple[str, ...]
    churn_risk: str | None

    @property
    def at_risk(self) -> bool:
        """True when the churn rule puts the customer at risk."""
        return self.churn_risk is not None

    @property
    def scores(self) -> tuple[int, ...]:
        """The satisfaction scores, oldest first."""
        return tuple(entry.score for entry in self.satisfaction)


@attrs.frozen
class _ProfileState:
    """A ticket's row while folding: the ticket's fold (None before its first ticket event),
    its follow-up, its scores."""

    folded: _Folded | None
    follow_up: FollowUpTask | None
    scores: tuple[SatisfactionEntry, ...]


@attrs.frozen(kw_only=True)
class CustomerProfileProjection:
    """The customer profile read model: a :class:`Projection` of the desk's log (ticket events,
    :mod:`follow-up events <itsm_core.customers>` and
    :class:`~itsm_core.customers.SurveyAnswered`, in one event store) into one row per ticket.

    Attributes:
        name: the read model's name in the projection store.
        directory: the customers, to find the customer of a contact's ticket (None: the
            requester is the customer).
        policies, calendars, customer_calendars: the SLA policies whose clocks give the SLA
            record, as for :class:`TicketProjection` (None: no SLA record).
        serializer: writes the rows.

    Rebuild it (:func:`rebuild`) after changing the directory or the policies.
    """

    name: str = "customer-profiles"
    directory: CustomerDirectory | None = None
    policies: PolicySet | None = None
    calendars: Mapping[str, BusinessTime] = attrs.field(factory=dict)
    customer_calendars: Mapping[str, BusinessTime] = attrs.field(factory=dict)
    serializer: Serializer = attrs.field(factory=Serializer, eq=False, repr=False)

    @property
    def _tickets(self) -> TicketProjection:
        return TicketProjection(
            policies=self.policies,
            calendars=self.calendars,
            customer_calendars=self.customer_calendars,
            serializer=self.serializer,
        )

    def key(self, recorded: RecordedEvent[Any]) -> str | None:
        """The ticket id the event is about; None for any other event."""
        event = recorded.event
        if isinstance(event, _KEYED_BY_TICKET):
            ticket_id: str = event.ticket_id
            return ticket_id
        return None

    def load(self, row: ProjectionRow, events: EventStore[Any]) -> _ProfileState:
        """The fold state of a stored row (with policies, the ticket's SLA fold continued from
        its events)."""
        data = _data(row)
        try:
            follow_up = data["follow_up"]
            state = _ProfileState(
                folded=None,
                follow_up=None
                if follow_up is None
                else self.serializer.converter.structure(follow_up, FollowUpTask),
                scores=self.serializer.converter.structure(
                    data["scores"], tuple[SatisfactionEntry, ...]
                ),
            )
            if data["ticket"] is None:
                return state
            ticket = self.serializer.load(data["ticket"], Ticket)
            error, position, stream = data["sla_error"], data["position"], data["stream"]
            if not (is_int(position) and is_a(stream, str) and is_a(error, (str, type(None)))):
                raise TypeError("sla_error, position or stream of the wrong type")
        except ItsmError:
            raise
        except Exception as exc:  # a hand-edited or foreign row: name it, never leak cattrs
            raise _unreadable(row, exc) from exc
        folded = _Folded(ticket, None, error, position, stream)
        if self.policies is not None:
            history = events.read(folded.stream)[: ticket.version]
            tracker, error = _continued(self._tickets._tracker(), history)
            folded = _Folded(ticket, tracker, error, folded.position, folded.stream)
        return attrs.evolve(state, folded=folded)

    def apply(self, state: _ProfileState | None, recorded: RecordedEvent[Any]) -> _ProfileState:
        """The row after one more event about its ticket."""
        if state is None:
            state = _ProfileState(None, None, ())
        event = recorded.event
        if isinstance(event, TicketEvent):
            folded = self._tickets.apply(state.folded, recorded)
            return attrs.evolve(state, folded=folded)
        if isinstance(event, SurveyAnswered):
            entry = SatisfactionEntry(
                ticket_id=event.ticket_id,
                at=event.at,
                score=event.score,
                source="survey",
                reference=event.survey_id,
            )
            return attrs.evolve(state, scores=(*state.scores, entry))
        task = FOLLOW_UP.apply(state.follow_up, event)
        scores = state.scores
        if isinstance(event, AttemptRecorded) and event.score is not None:
            entry = SatisfactionEntry(
                ticket_id=event.ticket_id,
                at=event.at,
                score=event.score,
                source="follow_up",
                reference=event.task_id,
            )
            scores = (*scores, entry)
        return attrs.evolve(state, follow_up=task, scores=scores)

    def dump(self, key: str, state: _ProfileState) -> ProjectionRow:
        """The row of a ticket: its ticket, SLA record, follow-up and scores, indexed by the
        customer and by the due time of an open follow-up."""
        folded = state.folded
        ticket = None if folded is None else folded.ticket
        sla, error = _sla_records(state)
        customer = self._customer(ticket, state.follow_up)
        unstructure = self.serializer.converter.unstructure
        data = {
            "ticket": None if ticket is None else self.serializer.dump(ticket),
            "customer": customer,
            "sla": unstructure(sla, tuple[SlaRecord, ...]),
            "sla_error": error,
            "position": 0 if folded is None else folded.position,
            "stream": "" if folded is None else folded.stream,
            "follow_up": None
            if state.follow_up is None
            else unstructure(state.follow_up, FollowUpTask),
            "scores": unstructure(state.scores, tuple[SatisfactionEntry, ...]),
        }
        terms = [term("customer", customer)]
        instants: list[Instant] = []
        task = state.follow_up
        if task is not None and task.is_open:
            instants.append(("follow_up_due", task.due_at))
        return ProjectionRow(
            key, json.dumps(data, sort_keys=True, ensure_ascii=False), terms, instants
        )

    def _customer(self, ticket: Ticket | None, task: FollowUpTask | None) -> str | None:
        requester = ticket.requester if ticket is not None else task.customer if task else None
        if requester is None or self.directory is None:
            return requester
        customer = self.directory.customer_of(requester)
        return requester if customer is None else customer.id


def _sla_records(state: _ProfileState) -> tuple[tuple[SlaRecord, ...], str | None]:
    """The SLA cycles of the ticket measured at its last event, or why they cannot be."""
    folded = state.folded
    if folded is None:
        return (), None
    tracker = folded.tracker
    if tracker is None or tracker.ticket is None:
        return (), folded.sla_error
    ticket = folded.ticket
    try:
        report = tracker.report(ticket.updated_at)
    except ItsmError as exc:
        return (), _reason(exc)
    records = []
    for clock in (*report.history, *report.clocks):
        if clock.status in _MET:
            status = "met"
        elif clock.status in _BREACHED:
            status = "breached"
        elif clock.status.ongoing:
            status = "ongoing"
        else:  # not started, cancelled: nothing to record
            continue
        records.append(
            SlaRecord(ticket_id=ticket.id, clock=clock.key, status=status, due_at=clock.due_at)
        )
    return tuple(records), None


def _data(row: ProjectionRow) -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads(row.data)
        return data
    except ValueError as exc:
        raise _unreadable(row, exc) from exc


def _unreadable(row: ProjectionRow, exc: Exception) -> DeserializationError:
    return DeserializationError(
        f"customer profile row {row.key!r}", [Problem("data", f"{type(exc).__name__}: {exc}")]
    )


class CustomerProfiles:
    """The questions asked of the customer profile read model.

    Args:
        store: the projection store.
        name: the read model's name in it.
        churn: the rule that says when declining satisfaction puts a customer at risk.
        serializer: reads the rows (default ``Serializer()``).
    """

    def __init__(
        self,
        store: ProjectionStore,
        *,
        name: str = "customer-profiles",
        churn: ChurnRule | None = None,
        serializer: Serializer | None = None,
    ) -> None:
        check_projection_name(name)
        self.store = store
        self.name = name
        self.churn = churn if churn is not None else ChurnRule()
        self.serializer = serializer if serializer is not None else Serializer()

    def profile(self, customer: str, now: dt.datetime) -> CustomerProfile:
        """The profile of ``customer`` (a customer's id) at ``now`` (a customer without tickets
        has an empty one)."""
        problems: list[Problem] = []
        text(customer, "customer", problems)
        if problems:
            raise ValidationError("profile", problems)
        check_aware(now, "now")
        tickets: list[Ticket] = []
        sla: list[SlaRecord] = []
        scores: list[SatisfactionEntry] = []
        for hit in self.store.select(self.name, RowQuery(terms={term("customer", customer)})):
            data = _data(hit.row)
            try:
                if data["ticket"] is not None:
                    tickets.append(self.serializer.load(data["ticket"], Ticket))
                structure = self.serializer.converter.structure
                sla.extend(structure(data["sla"], tuple[SlaRecord, ...]))
                scores.extend(structure(data["scores"], tuple[SatisfactionEntry, ...]))
            except ItsmError:
                raise
            except Exception as exc:
                raise _unreadable(hit.row, exc) from exc
        scores.sort(key=lambda entry: (entry.at, entry.ticket_id, entry.reference))
        ordered = tuple(scores)
        breached = sum(
            1
            for r in sla
            if r.status == "breached"
            or (r.status == "ongoing" and r.due_at is not None and r.due_at <= now)
        )
        return CustomerProfile(
            customer=customer,
            tickets=len(tickets),
            open=sum(1 for t in tickets if t.is_open),
            closed=sum(1 for t in tickets if t.status is StatusCategory.CLOSED),
            by_kind=dict(sorted(Counter(t.kind.value for t in tickets).items())),
            sla_met=sum(1 for r in sla if r.status == "met"),
            sla_breached=breached,
            satisfaction=ordered,
            complaints=tuple(sorted(t.id for t in tickets if t.kind is TicketKind.COMPLAINT)),
            churn_risk=self.churn.reason([entry.score for entry in ordered]),
        )

    def due_follow_ups(
        self, now: dt.datetime, *, limit: int | None = None
    ) -> tuple[FollowUpTask, ...]:
        """The open follow-ups due at or before ``now``, earliest due first."""
        check_aware(now, "now")
        query = RowQuery(slot="follow_up_due", end=now + _MICROSECOND, limit=limit)
        found = []
        for hit in self.store.select(self.name, query):
            try:
                task = self.serializer.converter.structure(
                    _data(hit.row)["follow_up"], FollowUpTask
                )
            except Exception as exc:
                raise _unreadable(hit.row, exc) from exc
            found.append(task)
        return tuple(found)
