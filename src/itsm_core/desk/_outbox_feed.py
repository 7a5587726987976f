"""Feeding the outbox from the event log: notifications derived batch by batch, each batch's
messages stored with its checkpoint."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from itsm_core._checks import is_int
from itsm_core._plain import shown
from itsm_core.communications import Notification
from itsm_core.desk._outbox import Outbox
from itsm_core.desk._projections import CatchUpResult
from itsm_core.errors import Problem, ValidationError, VersionConflict
from itsm_core.repositories import EventStore, RecordedEvent
from itsm_core.tickets import Ticket, TicketEvent, replay

logger = logging.getLogger("itsm_core.desk")

#: What an app derives for one ticket: given the ticket as of the batch's last event of it,
#: its history up to there and the batch's new events of it, the notifications (usually
#: :func:`itsm_core.communications.notifications` for the ticket's recipients, with the SLA
#: report at the last new event). It must be deterministic: a batch replayed after a crash
#: must give the same messages.
Derive = Callable[
    [Ticket, tuple[TicketEvent, ...], tuple[TicketEvent, ...]], Iterable[Notification]
]


class OutboxFeed:
    """Feeds an :class:`~itsm_core.desk.Outbox` from an event store, like a projection::

        checkpoint p ──read_all(after=p)──▶ events, by ticket ──derive──▶ notifications
             ▲                                                              │
             └──── outbox.record(after=p, position=last, messages) ◀────────┘
                   (one transaction: the messages and the checkpoint move together)

    A feeder killed before ``record`` stored nothing: the next one derives the same
    messages from the same events. Two feeders on one outbox cannot both record a batch:
    the second finds the checkpoint moved (:class:`~itsm_core.errors.VersionConflict`) and
    reads again from there. Keys already stored are skipped, so deriving a message twice
    (from an event, then at a wake-up) never stores it twice.

    Args:
        events: the ticket event store (its global log, ``read_all``).
        outbox: where the messages go.
        derive: the app's notifications of a ticket (see :data:`Derive`).
        name: the feed's checkpoint name in the outbox.
        batch: events read and recorded at once.
    """

    def __init__(
        self,
        events: EventStore[TicketEvent],
        outbox: Outbox,
        derive: Derive,
        *,
        name: str = "notifications",
        batch: int = 500,
    ) -> None:
        problems: list[Problem] = []
        if not (is_int(batch) and batch >= 1):
            problems.append(Problem("batch", f"expected an integer >= 1, got {shown(batch)}"))
        function: object = derive
        if not callable(function):
            problems.append(Problem("derive", f"expected a function, got {shown(derive)}"))
        label: object = name
        if not (isinstance(label, str) and label.strip()):
            problems.append(Problem("name", f"expected a non-blank string, got {shown(name)}"))
        if problems:
            raise ValidationError("OutboxFeed", problems)
        self.events = events
        self.outbox = outbox
        self.derive = derive
        self.name = name
        self.batch = batch

    def catch_up(self) -> CatchUpResult:
        """Derive and record the messages of every event after the checkpoint."""
        start = self.outbox.position(self.name)
        events = batches = 0
        while applied := self.step():
            events += applied
            batches += 1
        return CatchUpResult(self.name, start, self.outbox.position(self.name), events, batches)

    def step(self) -> int:
        """Derive and record one batch; the number of events it held (0: caught up)."""
        while True:
            after = self.outbox.position(self.name)
            recorded = self.events.read_all(after=after, limit=self.batch)
            if not recorded:
                return 0
            messages = self._derive(recorded)
            try:
                added = self.outbox.record(
                    self.name, after=after, position=recorded[-1].position, messages=messages
                )
            except VersionConflict as conflict:
                logger.info("outbox feed %r: %s; reading again", self.name, conflict)
                continue
            logger.debug(
                "outbox feed %r: %d events to position %d, %d new messages",
                self.name,
                len(recorded),
                recorded[-1].position,
                added,
            )
            return len(recorded)

    def _derive(self, recorded: tuple[RecordedEvent[TicketEvent], ...]) -> list[Notification]:
        by_ticket: dict[str, list[RecordedEvent[TicketEvent]]] = {}
        for entry in recorded:
            by_ticket.setdefault(entry.stream, []).append(entry)
        messages: list[Notification] = []
        for stream, entries in by_ticket.items():
            history = self.events.read(stream)[: entries[-1].version]
            new = tuple(entry.event for entry in entries)
            try:
                messages.extend(self.derive(replay(history), history, new))
            except Exception as exc:
                exc.add_note(
                    f"while deriving notifications of {stream!r} "
                    f"(versions {entries[0].version}-{entries[-1].version})"
                )
                raise
        return messages
