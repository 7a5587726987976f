"""The aggregate kernel: one shape for every event-sourced aggregate.

Tickets, improvement cycles, nonconformities and knowledge articles (and every aggregate added
later) are built the same way:

* ``decide(state | None, command, context) -> Decision(state, events)``: a pure function that
  either refuses the command (an :class:`~itsm_core.errors.ItsmError`, nothing changed) or
  returns the events that happened and the state they lead to;
* the state is the fold of its events, so ``replay(events) == state`` always holds;
* one fold checks what every stream must satisfy (it starts at sequence 1, each event follows
  the last, every event belongs to the same stream) and raises one error for a stream that
  breaks it, :class:`~itsm_core.errors.InvalidEventStream`.

An aggregate tells the kernel how its first event builds the state (``start``) and how a later
event evolves it (``evolve``); the kernel does the rest::

    command ──decide(state, command, context)──▶ Decision(state', events)
                                                         │
    events ──────────────── fold / replay ───────────────┘  (state' == fold(state, events))

Folding many events need not build a state per event: an aggregate may also give a ``draft``, a
working copy of its state that each event changes in place and that is built into the frozen
state once, at the end (:class:`Draft`). Validation then runs once, where data enters (when an
event is built), not again on every event of every replay.

>>> import attrs
>>> @attrs.frozen
... class Counted:
...     stream_id: str
...     sequence: int
>>> @attrs.frozen
... class Counter:
...     stream_id: str
...     version: int
>>> counter = Aggregate(
...     name="counter",
...     start=lambda event: Counter(event.stream_id, 1),
...     evolve=lambda state, event: Counter(state.stream_id, event.sequence),
... )
>>> counter.replay([Counted("c1", 1), Counted("c1", 2)])
Counter(stream_id='c1', version=2)
>>> counter.replay([Counted("c1", 1), Counted("c1", 3)])
Traceback (most recent call last):
...
itsm_core.errors.InvalidEventStream: invalid event stream for 'c1': 1 problem
  - [1].sequence: #3 does not follow #1
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Generic, NamedTuple, Protocol, TypeVar

import attrs

from itsm_core._checks import is_aware
from itsm_core.errors import (
    InvalidEventStream,
    ItsmError,
    NaiveDatetimeError,
    Problem,
    ValidationError,
)

__all__ = ["Aggregate", "Context", "Decision", "Draft", "Event", "State"]


class Event(Protocol):
    """What the kernel reads of an event: the stream it belongs to and its place there."""

    @property
    def stream_id(self) -> str: ...

    @property
    def sequence(self) -> int: ...


class State(Protocol):
    """What the kernel reads of a state: its stream and the sequence of its last event."""

    @property
    def stream_id(self) -> str: ...

    @property
    def version(self) -> int: ...


S = TypeVar("S", bound=State)
E = TypeVar("E", bound=Event)
S_co = TypeVar("S_co", bound=State, covariant=True)
E_contra = TypeVar("E_contra", bound=Event, contravariant=True)


class Decision(NamedTuple, Generic[S, E]):
    """What a command did: the new ``state`` and the ``events`` that lead to it.

    A typed pair, so ``state, events = decide(...)`` unpacks with its types and a decision
    compares by both fields.
    """

    state: S
    events: tuple[E, ...]


@attrs.frozen(kw_only=True)
class Context:
    """Who acts (``actor``, ``role``) and when (``now``, aware): what every ``decide`` reads
    besides the state and the command. Aggregates that need more (the workflows a ticket may
    follow, the category tree of a knowledge base) extend it.

    >>> Context(actor="ana", role="agent", now=dt.datetime(2026, 1, 5))
    Traceback (most recent call last):
    ...
    itsm_core.errors.NaiveDatetimeError: invalid value for Context.now: 1 problem
      - Context.now: naive datetime 2026-01-05T00:00:00 (a time zone is required)
    """

    actor: str
    role: str
    now: dt.datetime

    def __attrs_post_init__(self) -> None:
        if not is_aware(self.now):  # a context per command: the message is built only if needed
            raise NaiveDatetimeError(f"{type(self).__name__}.now", self.now)
        given: tuple[tuple[str, object], ...] = (("actor", self.actor), ("role", self.role))
        problems = [
            Problem(name, "must be a non-empty string")
            for name, value in given
            if not isinstance(value, str) or not value
        ]
        if problems:
            raise ValidationError(type(self).__name__, problems)


class Draft(Protocol[S_co, E_contra]):
    """A working copy of a state, for folding many events at once: ``apply`` changes it in
    place, ``build`` freezes it into the state, once. The kernel checks the stream before each
    ``apply``, as it does for ``evolve``."""

    def apply(self, event: E_contra) -> None: ...

    def build(self) -> S_co: ...


@attrs.frozen(kw_only=True)
class Aggregate(Generic[S, E]):
    """An event-sourced aggregate as the kernel folds it.

    Attributes:
        name: what the aggregate is called in messages (``"ticket"``, ``"cycle"``).
        start: the state built by the first event of a stream (sequence 1).
        evolve: the state after a later event; the kernel has already checked the stream id
            and the sequence. Either may raise :class:`~itsm_core.errors.InvalidEventStream`
            for an event that does not fit the state; a ``TypeError`` or ``ValueError`` from
            building the state is reported the same way.
        draft: optional, the fast path of :meth:`fold` and :meth:`replay`: a :class:`Draft` of
            the state (None before the first event) that takes every event in place and builds
            the state once at the end, instead of one frozen state per event. It must give the
            state and the errors that ``start`` and ``evolve`` give. :meth:`apply` (one event)
            always uses ``start`` and ``evolve``.
    """

    name: str
    start: Callable[[E], S]
    evolve: Callable[[S, E], S]
    draft: Callable[[S | None], Draft[S, E]] | None = None

    def apply(self, state: S | None, event: E, *, index: int = 0) -> S:
        """The state after ``event``; ``state`` is None before the first event."""
        if state is None:
            if event.sequence != 1:
                raise self._misplaced(None, 0, event, index)
        elif event.stream_id != state.stream_id or event.sequence != state.version + 1:
            raise self._misplaced(state.stream_id, state.version, event, index)
        try:
            return self.start(event) if state is None else self.evolve(state, event)
        except ItsmError:
            raise
        except (TypeError, ValueError) as exc:
            raise self._misfit(event, index, exc) from exc

    def fold(self, state: S | None, events: Iterable[E]) -> S | None:
        """``state`` with ``events`` applied in order (None stays None for no events)."""
        if self.draft is None:
            for index, event in enumerate(events):
                state = self.apply(state, event, index=index)
            return state
        draft: Draft[S, E] | None = None
        stream_id = None if state is None else state.stream_id
        version = 0 if state is None else state.version
        for index, event in enumerate(events):
            if event.sequence != version + 1 or (
                stream_id is not None and event.stream_id != stream_id
            ):
                raise self._misplaced(stream_id, version, event, index)
            if draft is None:
                draft = self.draft(state)
                stream_id = event.stream_id
            try:
                draft.apply(event)
            except ItsmError:
                raise
            except (TypeError, ValueError) as exc:
                raise self._misfit(event, index, exc) from exc
            version = event.sequence
        return state if draft is None else draft.build()

    def replay(self, events: Iterable[E]) -> S:
        """The state that ``events`` build from nothing; an empty stream is an error."""
        state = self.fold(None, events)
        if state is None:
            raise InvalidEventStream(
                repr(""), [Problem("events", f"no events to replay a {self.name}")]
            )
        return state

    def decided(self, state: S | None, events: Iterable[E]) -> Decision[S, E]:
        """The :class:`Decision` for ``events`` newly decided on ``state``: its state is their
        fold, which keeps ``replay(all events) == state`` true by construction."""
        new = tuple(events)
        folded = self.fold(state, new)
        if folded is None:
            raise InvalidEventStream(repr(""), [Problem("events", "a decision needs an event")])
        return Decision(folded, new)

    def _misplaced(
        self, stream_id: str | None, version: int, event: E, index: int
    ) -> InvalidEventStream:
        """The error for ``event`` that does not follow a stream at ``version`` (its id None
        before the first event)."""
        where = f"[{index}]"
        if stream_id is None:
            problem = Problem(f"{where}.sequence", f"a stream starts at #1, not #{event.sequence}")
            return InvalidEventStream(repr(event.stream_id), [problem])
        if event.stream_id != stream_id:
            message = f"{event.stream_id!r} is another {self.name} than {stream_id!r}"
            return InvalidEventStream(repr(stream_id), [Problem(f"{where}.stream_id", message)])
        message = f"#{event.sequence} does not follow #{version}"
        return InvalidEventStream(repr(stream_id), [Problem(f"{where}.sequence", message)])

    def _misfit(self, event: E, index: int, exc: Exception) -> InvalidEventStream:
        """A ``TypeError`` or ``ValueError`` from building the state, as a stream error."""
        return InvalidEventStream(
            repr(event.stream_id), [Problem(f"[{index}]", f"does not fit the {self.name}: {exc}")]
        )
