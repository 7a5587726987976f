"""A stateful test drives the desk with random commands, repeated deliveries and other writers
slipping in before its appends, and checks what the store holds after every step: no event
lost or doubled, repeated deliveries append nothing, every ticket is the replay of its stream."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence

from hypothesis import event
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from itsm_core.desk import CommandOutcome, ServiceDesk
from itsm_core.errors import AccessDenied, CommandRejected, NotFound, ValidationError
from itsm_core.repositories import EventMetadata, ExpectedVersion, InMemoryEventStore
from itsm_core.sla import FIRST_RESPONSE, SERVICENOW_THRESHOLDS, MetricSpec, PolicySet, SlaPolicy
from itsm_core.tickets import (
    Acknowledge,
    AddComment,
    Assign,
    Cancel,
    Classify,
    Close,
    Command,
    CommandContext,
    ConfirmResolution,
    Hold,
    HoldReason,
    OpenTicket,
    Reopen,
    Resolve,
    Resume,
    TicketEvent,
    TicketKind,
    decide,
    replay,
)

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
TICKETS = ("T1", "T2", "T3")
COMMANDS: tuple[Command, ...] = (
    Acknowledge(),
    AddComment(text="update"),
    AddComment(text="internal", internal=True),
    Assign(group="network", assignee="ana"),
    Classify(impact=2, urgency=1),
    Hold(reason=HoldReason.AWAITING_CUSTOMER),
    Resume(),
    Resolve(code="fixed", note="done"),
    ConfirmResolution(),
    Reopen(reason="again"),
    Close(),
    Cancel(reason="duplicate"),
)
#: Who acts: a manager may do anything, the requester a little, another agent only triage.
ACTORS = (("ana", "manager"), ("zhang", "customer"), ("bo", "agent"))
POLICIES = PolicySet(
    policies=[
        SlaPolicy(
            name="respond",
            metrics=[
                MetricSpec(
                    clock=FIRST_RESPONSE, targets={"*": "1 hour"}, thresholds=SERVICENOW_THRESHOLDS
                )
            ],
        )
    ]
)
REFUSALS = (AccessDenied, CommandRejected, NotFound, ValidationError)


class Meddling(InMemoryEventStore[TicketEvent]):
    """An event store where another writer may append to a stream just before the desk does
    (a work note, or the same ticket opened), once per request; it counts what it wrote."""

    def __init__(self) -> None:
        super().__init__()
        self.meddle = False
        self.foreign = 0

    def append(
        self,
        stream: str,
        events: Sequence[TicketEvent],
        expected_version: int | ExpectedVersion,
        *,
        metadata: Sequence[EventMetadata] | None = None,
        idempotency_key: str | None = None,
    ) -> int:
        if self.meddle:
            self.meddle = False
            self._write_first(stream, events[0].at)
        return super().append(
            stream, events, expected_version, metadata=metadata, idempotency_key=idempotency_key
        )

    def _write_first(self, stream: str, at: dt.datetime) -> None:
        history = self.read(stream)
        context = CommandContext(actor="li", role="manager", now=at)
        try:
            if history:
                note = AddComment(text="meanwhile", internal=True)
                events = decide(replay(history), note, context).events
            else:
                opening = OpenTicket(ticket_id=stream, kind=TicketKind.INCIDENT, requester="li")
                events = decide(None, opening, context).events
        except CommandRejected:  # a finished ticket takes no note: nobody slips in
            return
        super().append(stream, events, len(history))
        self.foreign += len(events)


class DeskMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.store = Meddling()
        numbers = itertools.count(1)
        self.desk = ServiceDesk(
            store=self.store, ids=lambda: f"id-{next(numbers)}", sla=POLICIES, max_retries=2
        )
        self.now = T0
        self.key_numbers = itertools.count(1)
        #: The first outcome of each delivery, with what was delivered.
        self.first: dict[str, tuple[str, Command, CommandOutcome]] = {}
        #: Every outcome that appended (duplicates excluded).
        self.appended: list[CommandOutcome] = []

    def _execute(self, ticket_id: str, command: Command, who: int, key: str | None) -> None:
        actor, role = ACTORS[who]
        before = self.store.last_position()
        foreign = self.store.foreign
        try:
            outcome = self.desk.execute(
                ticket_id, command, actor=actor, role=role, now=self.now, idempotency_key=key
            )
        except REFUSALS as refusal:
            event(f"refused: {type(refusal).__name__}")
            # Refused: nothing of ours was appended (another writer may have been).
            assert self.store.last_position() - before == self.store.foreign - foreign
            if key is not None:
                assert self.store.receipt(key) is None
            return
        assert not outcome.duplicate
        event("accepted after a conflict" if outcome.attempts > 1 else "accepted")
        self.appended.append(outcome)
        if key is not None:
            self.first[key] = (ticket_id, command, outcome)

    @rule(
        ticket_id=st.sampled_from(TICKETS),
        who=st.sampled_from([0, 1]),
        keyed=st.booleans(),
        minutes=st.integers(0, 90),
    )
    def open_ticket(self, ticket_id: str, who: int, keyed: bool, minutes: int) -> None:
        self.now += dt.timedelta(minutes=minutes)
        actor = ACTORS[who][0]
        command = OpenTicket(ticket_id=ticket_id, kind=TicketKind.INCIDENT, requester=actor)
        self._execute(ticket_id, command, who, self._key() if keyed else None)

    @rule(
        ticket_id=st.sampled_from(TICKETS),
        command=st.sampled_from(COMMANDS),
        who=st.sampled_from((0, 0, 1, 2)),  # mostly the manager: more accepted
        keyed=st.booleans(),
        minutes=st.integers(0, 90),
    )
    def command(
        self, ticket_id: str, command: Command, who: int, keyed: bool, minutes: int
    ) -> None:
        self.now += dt.timedelta(minutes=minutes)
        self._execute(ticket_id, command, who, self._key() if keyed else None)

    @rule(pick=st.integers(0, 1000), minutes=st.integers(0, 30), meddle=st.booleans())
    def redeliver(self, pick: int, minutes: int, meddle: bool) -> None:
        """A delivery already applied, again, later (possibly with another writer about)."""
        if not self.first:
            return
        key = sorted(self.first)[pick % len(self.first)]
        self.now += dt.timedelta(minutes=minutes)
        self.store.meddle = meddle
        ticket_id, command, first = self.first[key]
        before = self.store.last_position()
        foreign = self.store.foreign
        actor, role = "ana", "manager"
        again = self.desk.execute(
            ticket_id, command, actor=actor, role=role, now=self.now, idempotency_key=key
        )
        self.store.meddle = False
        event("redelivered")
        assert again.duplicate
        assert (again.events, again.ticket, again.command_id) == (
            first.events,
            first.ticket,
            first.command_id,
        )
        # Nothing of ours was appended (another writer may have been).
        assert self.store.last_position() - before == self.store.foreign - foreign

    @rule()
    def meddle_next(self) -> None:
        """Another writer slips in before the desk's next append."""
        self.store.meddle = True

    def _key(self) -> str:
        return f"k{next(self.key_numbers)}"

    @invariant()
    def nothing_lost_nor_doubled(self) -> None:
        ours = sum(len(outcome.events) for outcome in self.appended)
        assert self.store.last_position() == ours + self.store.foreign
        for outcome in self.appended:
            stream = self.store.read(outcome.ticket_id)
            for written in outcome.events:
                assert stream[written.sequence - 1] == written

    @invariant()
    def every_ticket_is_the_replay_of_its_stream(self) -> None:
        for ticket_id in TICKETS:
            stream = self.store.read(ticket_id)
            if stream:
                assert self.desk.ticket(ticket_id) == replay(stream)

    @invariant()
    def every_key_has_the_receipt_of_its_first_outcome(self) -> None:
        for key, (ticket_id, _, outcome) in self.first.items():
            receipt = self.store.receipt(key)
            assert receipt is not None
            assert receipt.stream == ticket_id
            assert (receipt.first_version, receipt.last_version) == (
                outcome.events[0].sequence,
                outcome.events[-1].sequence,
            )

    @invariant()
    def event_ids_are_unique_and_caused_by_their_command(self) -> None:
        recorded = self.store.read_all()
        ids = [r.metadata.event_id for r in recorded if r.metadata is not None]
        assert len(ids) == len(set(ids))
        causes = {r.metadata.causation_id for r in recorded if r.metadata is not None}
        assert causes == {outcome.command_id for outcome in self.appended}


TestDesk = DeskMachine.TestCase
