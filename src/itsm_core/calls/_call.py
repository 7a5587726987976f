"""A hotline call as an event stream: offered, queued, answered, transferred, ended, wrapped
up, abandoned, callback requested, linked to a ticket.

The switch (ACD) reports facts; each is a :class:`CallEvent` and the :class:`Call` is their
fold (:data:`CALL`, the kernel's :class:`~itsm_core.kernel.Aggregate`). What may follow what is
one table, :data:`_ALLOWED_AFTER`; the fields each kind must carry another, :data:`_NEEDS`.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable

import attrs

from itsm_core._checks import check_aware_fields
from itsm_core._plain import is_a, is_duration, is_text, shown
from itsm_core.errors import InvalidEventStream, Problem, ValidationError
from itsm_core.kernel import Aggregate, Decision

_ZERO = dt.timedelta(0)


class CallEventKind(enum.StrEnum):
    """What happened to a call."""

    OFFERED = "offered"  # the call reached the hotline (the ACD counts it as offered)
    QUEUED = "queued"  # it waits for an agent
    ANSWERED = "answered"  # an agent took it
    TRANSFERRED = "transferred"  # the agent passed it to another agent
    ENDED = "ended"  # the conversation ended (``resolved``: settled on this contact)
    WRAPPED_UP = "wrapped_up"  # the agent finished the after-call work
    ABANDONED = "abandoned"  # the caller hung up before an answer
    CALLBACK_REQUESTED = "callback_requested"  # the caller asked to be called back
    TICKET_LINKED = "ticket_linked"  # a ticket records the caller's request


class CallStatus(enum.StrEnum):
    """Where a call stands."""

    OFFERED = "offered"
    QUEUED = "queued"
    TALKING = "talking"
    WRAP_UP = "wrap_up"
    DONE = "done"
    ABANDONED = "abandoned"


K = CallEventKind
S = CallStatus
#: The statuses each kind may follow (callbacks and ticket links may come at any time).
_ALLOWED_AFTER: dict[CallEventKind, frozenset[CallStatus]] = {
    K.QUEUED: frozenset({S.OFFERED}),
    K.ANSWERED: frozenset({S.OFFERED, S.QUEUED}),
    K.ABANDONED: frozenset({S.OFFERED, S.QUEUED}),
    K.TRANSFERRED: frozenset({S.TALKING}),
    K.ENDED: frozenset({S.TALKING}),
    K.WRAPPED_UP: frozenset({S.WRAP_UP}),
    K.CALLBACK_REQUESTED: frozenset(S),
    K.TICKET_LINKED: frozenset(S),
}
#: The status each kind leads to (None: unchanged).
_LEADS_TO: dict[CallEventKind, CallStatus | None] = {
    K.OFFERED: S.OFFERED,
    K.QUEUED: S.QUEUED,
    K.ANSWERED: S.TALKING,
    K.ABANDONED: S.ABANDONED,
    K.TRANSFERRED: None,
    K.ENDED: S.WRAP_UP,
    K.WRAPPED_UP: S.DONE,
    K.CALLBACK_REQUESTED: None,
    K.TICKET_LINKED: None,
}
#: The optional fields of :class:`CallEvent` each kind must carry.
_NEEDS: dict[CallEventKind, tuple[str, ...]] = {
    K.ANSWERED: ("agent",),
    K.TRANSFERRED: ("agent",),
    K.ENDED: ("resolved",),
    K.TICKET_LINKED: ("ticket_id",),
}
_OPTIONAL = ("agent", "queue", "caller", "ticket_id", "resolved")


@attrs.frozen(kw_only=True)
class CallEvent:
    """One fact about a call.

    Attributes:
        call_id: the call (its stream).
        sequence: its place in the stream, from 1.
        kind: what happened.
        at: when (aware).
        agent: who answered (``ANSWERED``) or took the transfer (``TRANSFERRED``).
        queue: the queue (skill group) the call was offered to (``OFFERED``, optional).
        caller: the calling number or customer id (``OFFERED``, optional).
        ticket_id: the ticket linked (``TICKET_LINKED``).
        resolved: settled on this contact, for first-contact resolution (``ENDED``).
    """

    call_id: str
    sequence: int
    kind: CallEventKind
    at: dt.datetime
    agent: str | None = None
    queue: str | None = None
    caller: str | None = None
    ticket_id: str | None = None
    resolved: bool | None = None

    def __attrs_post_init__(self) -> None:
        check_aware_fields(self, "at")
        problems = []
        if not is_text(self.call_id):
            problems.append(Problem("call_id", f"expected a call id, got {shown(self.call_id)}"))
        if type(self.kind) is not CallEventKind:
            problems.append(Problem("kind", f"expected a CallEventKind, got {shown(self.kind)}"))
        else:
            problems.extend(
                Problem(name, f"required for a {self.kind.value} event")
                for name in _NEEDS.get(self.kind, ())
                if getattr(self, name) is None
            )
        for name in ("agent", "queue", "caller", "ticket_id"):
            value = getattr(self, name)
            if value is not None and not is_text(value):
                problems.append(Problem(name, f"expected a non-blank string, got {shown(value)}"))
        if self.resolved is not None and not is_a(self.resolved, bool):
            problems.append(
                Problem("resolved", f"expected True or False, got {shown(self.resolved)}")
            )
        if problems:
            raise ValidationError("call event", problems)

    @property
    def stream_id(self) -> str:
        """The id of the stream the event belongs to: its ``call_id``."""
        return self.call_id


@attrs.frozen(kw_only=True)
class Call:
    """A call as its events leave it: the fold of :data:`CALL`.

    Times are the instants of the events (None: not happened). ``agent`` is the agent who
    answered; ``agents`` every agent who held the call, in order (transfers included).
    """

    call_id: str
    version: int
    status: CallStatus
    offered_at: dt.datetime
    last_at: dt.datetime
    queue: str | None = None
    caller: str | None = None
    queued_at: dt.datetime | None = None
    answered_at: dt.datetime | None = None
    agents: tuple[str, ...] = ()
    ended_at: dt.datetime | None = None
    wrapped_up_at: dt.datetime | None = None
    abandoned_at: dt.datetime | None = None
    callback_requested_at: dt.datetime | None = None
    ticket_ids: tuple[str, ...] = ()
    resolved: bool | None = None

    @property
    def stream_id(self) -> str:
        """The call id (the kernel's stream id)."""
        return self.call_id

    @property
    def agent(self) -> str | None:
        """The agent who answered (None: not answered)."""
        return self.agents[0] if self.agents else None

    @property
    def answered(self) -> bool:
        return self.answered_at is not None

    @property
    def abandoned(self) -> bool:
        return self.abandoned_at is not None

    @property
    def transferred(self) -> bool:
        return len(self.agents) > 1

    @property
    def wait(self) -> dt.timedelta | None:
        """Offered to answered, or to abandoned; None while the call still waits."""
        end = self.answered_at or self.abandoned_at
        return None if end is None else end - self.offered_at

    @property
    def talk(self) -> dt.timedelta | None:
        """Answered to ended (None until the call ended)."""
        if self.answered_at is None or self.ended_at is None:
            return None
        return self.ended_at - self.answered_at

    @property
    def wrap_up(self) -> dt.timedelta | None:
        """Ended to wrapped up (None until the after-call work is done)."""
        if self.ended_at is None or self.wrapped_up_at is None:
            return None
        return self.wrapped_up_at - self.ended_at

    @property
    def handle(self) -> dt.timedelta | None:
        """Talk plus wrap-up: the agent's time on the call (talk alone before wrap-up ends)."""
        talk = self.talk
        return None if talk is None else talk + (self.wrap_up or _ZERO)


def _start(event: CallEvent) -> Call:
    if event.kind is not CallEventKind.OFFERED:
        raise InvalidEventStream(
            repr(event.call_id),
            [Problem("[0].kind", f"a call starts when it is offered, not {event.kind.value}")],
        )
    return Call(
        call_id=event.call_id,
        version=event.sequence,
        status=CallStatus.OFFERED,
        offered_at=event.at,
        last_at=event.at,
        queue=event.queue,
        caller=event.caller,
    )


def _evolve(call: Call, event: CallEvent) -> Call:
    kind = event.kind
    problem = None
    if kind is CallEventKind.OFFERED:
        problem = "a call is offered once"
    elif call.status not in _ALLOWED_AFTER[kind]:
        problem = f"{kind.value} cannot follow status {call.status.value}"
    elif event.at < call.last_at:
        problem = (
            f"at {event.at.isoformat()} is before the previous event ({call.last_at.isoformat()})"
        )
    if problem is not None:
        raise InvalidEventStream(repr(call.call_id), [Problem(f"#{event.sequence}", problem)])
    status = _LEADS_TO[kind] or call.status
    changes: dict[str, object] = {}
    if kind is CallEventKind.QUEUED:
        changes = {"queued_at": event.at, "queue": event.queue or call.queue}
    elif kind is CallEventKind.ANSWERED:
        changes = {"answered_at": event.at, "agents": (event.agent,)}
    elif kind is CallEventKind.TRANSFERRED:
        changes = {"agents": (*call.agents, event.agent)}
    elif kind is CallEventKind.ENDED:
        changes = {"ended_at": event.at, "resolved": event.resolved}
    elif kind is CallEventKind.WRAPPED_UP:
        changes = {"wrapped_up_at": event.at}
    elif kind is CallEventKind.ABANDONED:
        changes = {"abandoned_at": event.at}
    elif kind is CallEventKind.CALLBACK_REQUESTED:
        changes = {"callback_requested_at": event.at}
    elif kind is CallEventKind.TICKET_LINKED:
        changes = {"ticket_ids": (*call.ticket_ids, event.ticket_id)}
    return attrs.evolve(
        call,
        version=event.sequence,
        status=status,
        last_at=event.at,
        **changes,  # type: ignore[arg-type]
    )


#: The call aggregate: ``CALL.replay(events)`` is the call they describe.
CALL: Aggregate[Call, CallEvent] = Aggregate(name="call", start=_start, evolve=_evolve)


def record(
    call: Call | None,
    kind: CallEventKind,
    at: dt.datetime,
    *,
    call_id: str | None = None,
    agent: str | None = None,
    queue: str | None = None,
    caller: str | None = None,
    ticket_id: str | None = None,
    resolved: bool | None = None,
) -> Decision[Call, CallEvent]:
    """Record one fact about ``call`` (None before it is offered: give ``call_id``).

    Returns the :class:`~itsm_core.kernel.Decision`: the call after the fact and the event.
    A fact that does not fit (answered twice, time going backwards) raises
    :class:`~itsm_core.errors.InvalidEventStream`, and nothing changes.

    >>> import datetime as dt
    >>> t = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    >>> call, _ = record(None, CallEventKind.OFFERED, t, call_id="C1")
    >>> call, _ = record(call, CallEventKind.ANSWERED, t + dt.timedelta(seconds=12), agent="ana")
    >>> call.status.value, call.wait
    ('talking', datetime.timedelta(seconds=12))
    """
    if call is None and not is_text(call_id):
        raise ValidationError("record", [Problem("call_id", "required for the first event")])
    event = CallEvent(
        call_id=call.call_id if call is not None else str(call_id),
        sequence=1 if call is None else call.version + 1,
        kind=kind,
        at=at,
        agent=agent,
        queue=queue,
        caller=caller,
        ticket_id=ticket_id,
        resolved=resolved,
    )
    return CALL.decided(call, (event,))


def call_events(
    call_id: str,
    offered_at: dt.datetime,
    *,
    caller: str | None = None,
    queue: str | None = None,
    wait: dt.timedelta | None = None,
    answered_by: str | None = None,
    talk: dt.timedelta | None = None,
    wrap_up: dt.timedelta | None = None,
    resolved: bool = False,
    transferred_to: Iterable[str] = (),
    callback: bool = False,
    ticket_id: str | None = None,
) -> tuple[CallEvent, ...]:
    """The events of one finished call, from the figures a call-detail record gives.

    Answered when ``answered_by`` is given (after ``wait``), else abandoned after ``wait``
    (still waiting when ``wait`` is None too). ``talk`` and ``wrap_up`` end the conversation
    and the after-call work; ``callback`` adds a callback request when the call ends or is
    abandoned. Every duration must be at least zero.

    >>> import datetime as dt
    >>> t = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    >>> [e.kind.value for e in call_events("C1", t, wait=dt.timedelta(seconds=40), callback=True)]
    ['offered', 'queued', 'abandoned', 'callback_requested']
    """
    problems = [
        Problem(name, f"expected a timedelta >= 0, got {shown(value)}")
        for name, value in (("wait", wait), ("talk", talk), ("wrap_up", wrap_up))
        if value is not None and not is_duration(value, positive=False)
    ]
    if problems:
        raise ValidationError(f"call {call_id!r}", problems)
    facts: list[tuple[CallEventKind, dt.datetime, dict[str, object]]] = [
        (CallEventKind.OFFERED, offered_at, {"caller": caller, "queue": queue})
    ]
    at = offered_at
    if wait is None or wait > _ZERO:
        facts.append((CallEventKind.QUEUED, at, {"queue": queue}))
    if wait is not None:
        at = offered_at + wait
        if answered_by is None:
            facts.append((CallEventKind.ABANDONED, at, {}))
        else:
            facts.append((CallEventKind.ANSWERED, at, {"agent": answered_by}))
            facts.extend((CallEventKind.TRANSFERRED, at, {"agent": to}) for to in transferred_to)
            if talk is not None:
                at += talk
                facts.append((CallEventKind.ENDED, at, {"resolved": resolved}))
                if wrap_up is not None:
                    at += wrap_up
                    facts.append((CallEventKind.WRAPPED_UP, at, {}))
    if callback:
        facts.append((CallEventKind.CALLBACK_REQUESTED, at, {}))
    if ticket_id is not None:
        facts.append((CallEventKind.TICKET_LINKED, at, {"ticket_id": ticket_id}))
    return tuple(
        CallEvent(call_id=call_id, sequence=i, kind=kind, at=when, **fields)  # type: ignore[arg-type]
        for i, (kind, when, fields) in enumerate(facts, start=1)
    )
