"""What every desk does with one command: check the request, read the stream, decide, append
at the version read with the events' metadata, decide again after a version conflict, and
find the first outcome of a repeated delivery.

:class:`~itsm_core.desk.ServiceDesk` (tickets) and :class:`~itsm_core.desk.AggregateDesk`
(any kernel aggregate) both run their commands through :func:`run_command`; what differs
(how a stream is replayed and checked, what the outcome holds) is theirs.
"""

from __future__ import annotations

import datetime as dt
import logging
import typing
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

import attrs

from itsm_core._checks import is_aware, is_int
from itsm_core._plain import shown, text
from itsm_core.errors import (
    DuplicateAppend,
    ItsmError,
    Problem,
    RepositoryError,
    ValidationError,
    VersionConflict,
)
from itsm_core.kernel import Decision, Event, State
from itsm_core.records import Actor
from itsm_core.repositories import AppendReceipt, EventMetadata, EventStore, ExpectedVersion

#: Commands accepted, refused, retried and repeated (INFO), loads (DEBUG), a retry budget
#: spent or clocks that cannot be measured (WARNING). Like any library, the desk leaves the
#: output to the application: without a handler configured, nothing is printed.
LOG = logging.getLogger("itsm_core.desk.commands")
logging.getLogger("itsm_core.desk").addHandler(logging.NullHandler())

#: What a desk needs of its event store.
STORE_METHODS = ("append", "read", "receipt")

S = TypeVar("S", bound=State)
E = TypeVar("E", bound=Event)
X = TypeVar("X")


@attrs.frozen(kw_only=True)
class Ran(Generic[S, E, X]):
    """One command run: its id, the events it appended (a duplicate's: the first delivery's),
    the state right after them, the stream's whole history now, how many times it was decided
    (0 for a duplicate), and what the desk's decide step gave besides the decision (``extra``;
    None for a duplicate)."""

    command_id: str
    events: tuple[E, ...]
    state: S
    history: tuple[E, ...]
    attempts: int
    duplicate: bool = False
    extra: X | None = None


def when_problem(now: object) -> Problem | None:
    """The problem with ``now`` when it is not an aware datetime."""
    if not isinstance(now, dt.datetime):
        return Problem("now", f"expected an aware datetime, got {shown(now)}")
    if not is_aware(now):
        return Problem("now", f"naive datetime {now.isoformat()} (a time zone is required)")
    return None


def check_request(
    stream_id: object,
    id_name: str,
    command_problems: Sequence[Problem],
    actor: object,
    role: object,
    now: object,
    idempotency_key: object,
    correlation_id: object,
) -> Actor:
    """The acting :class:`Actor`, once every argument of ``execute`` is checked (the stream
    id under the name ``id_name``; ``command_problems`` are the desk's own about the command).
    """
    problems: list[Problem] = []
    text(stream_id, id_name, problems)
    problems.extend(command_problems)
    if isinstance(actor, str):
        text(actor, "actor", problems)
    elif not isinstance(actor, Actor):
        problems.append(Problem("actor", f"expected an Actor or an id, got {shown(actor)}"))
    text(role, "role", problems)
    problem = when_problem(now)
    if problem is not None:
        problems.append(problem)
    for name, value in (("idempotency_key", idempotency_key), ("correlation_id", correlation_id)):
        if value is not None:
            text(value, name, problems)
    if problems:
        raise ValidationError("execute", problems)
    if isinstance(actor, Actor):
        return actor
    return Actor(id=typing.cast(str, actor), roles={typing.cast(str, role)})


def desk_problems(store: object, ids: object) -> list[Problem]:
    """The problems of a desk's ``store`` (an event store) and ``ids`` (an id generator)."""
    problems: list[Problem] = []
    missing = [name for name in STORE_METHODS if not callable(getattr(store, name, None))]
    if missing:
        problems.append(Problem("store", f"not an event store: no {', '.join(missing)} method"))
    if not callable(ids):
        problems.append(Problem("ids", f"expected a function making ids, got {shown(ids)}"))
    return problems


def retries_problems(max_retries: object) -> list[Problem]:
    """The problem of a desk's ``max_retries`` when it is not an integer >= 0."""
    if is_int(max_retries) and max_retries >= 0:
        return []
    return [Problem("max_retries", f"expected an integer >= 0, got {shown(max_retries)}")]


def new_id(ids: Callable[[], str], owner: str) -> str:
    """A new id from the generator ``ids`` of the desk ``owner``; a blank one is an error."""
    made: object = ids()
    if not isinstance(made, str) or not made.strip():
        raise ValidationError(
            owner,
            [Problem("ids", f"the id generator made {shown(made)}, not a non-blank string")],
        )
    return made


@attrs.frozen(kw_only=True)
class Request(Generic[S, E, X]):
    """One command to run on the stream ``stream_id`` (a ``kind``: ``"ticket"``, ``"drill"``).

    ``decide`` takes the stream's history (maybe empty) and gives the decision (after every
    check: a refusal is an :class:`~itsm_core.errors.ItsmError`) and an ``extra`` of the
    desk's; ``replay`` rebuilds a state from a history; ``readable`` raises when ``who`` may
    not read a state (a duplicate shows the first outcome only to a reader). ``what`` names
    the command in the log.
    """

    kind: str
    stream_id: str
    what: str
    who: Actor
    role: str
    now: dt.datetime
    idempotency_key: str | None
    correlation_id: str | None
    decide: Callable[[tuple[E, ...]], tuple[Decision[S, E], X]]
    replay: Callable[[Sequence[E]], S]
    readable: Callable[[S], None]


def run_command(
    store: EventStore[E],
    ids: Callable[[], str],
    owner: str,
    max_retries: int,
    request: Request[S, E, X],
) -> Ran[S, E, X]:
    """Run ``request`` on ``store`` (the desk ``owner``'s, with its id generator ``ids``).

    A command whose idempotency key was used returns the first outcome (``duplicate``),
    also when a twin delivery appends in between. Otherwise the stream is read, the command
    decided and its events appended at the version read, with one
    :class:`~itsm_core.repositories.EventMetadata` each (a new id, ``now``, the command's id
    as causation, the correlation id or the command's id); after a version conflict this is
    done again, at most ``max_retries`` times. Refusals append nothing.
    """
    stream_id, what, key = request.stream_id, request.what, request.idempotency_key
    if key is not None:
        receipt = store.receipt(key)
        if receipt is not None:
            return _repeat(store, receipt, request)
    command_id = key if key is not None else new_id(ids, owner)
    attempt = 0
    while True:
        attempt += 1
        history = store.read(stream_id)
        LOG.debug("loaded %r at version %d for %r", stream_id, len(history), what)
        try:
            decision, extra = request.decide(history)
        except ItsmError as refusal:
            # A twin delivery may have appended since the receipt was looked up: then the
            # refusal is of its effect ("already acknowledged"), and its outcome is ours.
            twin = None if key is None else store.receipt(key)
            if twin is not None:
                return _repeat(store, twin, request)
            who, role = request.who.id, request.role
            LOG.info("refused %r on %r by %r as %r: %s", what, stream_id, who, role, refusal)
            raise
        expected: int | ExpectedVersion = len(history) if history else ExpectedVersion.NO_STREAM
        correlation = request.correlation_id or command_id
        metadata = [
            EventMetadata(new_id(ids, owner), request.now, correlation, command_id)
            for _ in decision.events
        ]
        try:
            store.append(
                stream_id, decision.events, expected, metadata=metadata, idempotency_key=key
            )
        except VersionConflict as conflict:
            if attempt > max_retries:
                LOG.warning(
                    "gave up %r on %r after %d attempts: %s", what, stream_id, attempt, conflict
                )
                raise
            LOG.info("conflict on %r (%s): deciding %r again", stream_id, conflict, what)
            continue
        except DuplicateAppend as duplicate:  # a twin delivery appended first
            return _repeat(store, duplicate.receipt, request)
        LOG.info(
            "accepted %r on %r by %r as %r: version %d",
            what,
            stream_id,
            request.who.id,
            request.role,
            decision.state.version,
        )
        return Ran(
            command_id=command_id,
            events=decision.events,
            state=decision.state,
            history=(*history, *decision.events),
            attempts=attempt,
            extra=extra,
        )


def _repeat(store: EventStore[E], receipt: object, request: Request[S, E, X]) -> Ran[S, E, X]:
    """The first outcome of the command whose key wrote ``receipt``, rebuilt."""
    stream_id = request.stream_id
    if not isinstance(receipt, AppendReceipt):
        raise RepositoryError(f"the store gave {shown(receipt)} as an append receipt")
    if receipt.stream != stream_id:
        raise ValidationError(
            "execute",
            [
                Problem(
                    "idempotency_key",
                    f"{receipt.key!r} was used for {request.kind} {receipt.stream!r}, "
                    f"not {stream_id!r}",
                )
            ],
        )
    history = store.read(stream_id)
    if len(history) < receipt.last_version:
        raise RepositoryError(
            f"the store holds {len(history)} events of {stream_id!r}, but its receipt "
            f"for {receipt.key!r} says version {receipt.last_version}"
        )
    then = request.replay(history[: receipt.last_version])
    request.readable(then)
    LOG.info("duplicate %r on %r: nothing appended", receipt.key, stream_id)
    return Ran(
        command_id=receipt.key,
        events=history[receipt.first_version - 1 : receipt.last_version],
        state=then,
        history=history,
        attempts=0,
        duplicate=True,
    )
