"""Differential state machines: an adapter and the in-memory reference, step by step.

Hypothesis draws a random sequence of operations (appends, some at a stale version, reads,
pages through the log, saves), runs each on both stores, and asserts after every step that
they returned the same thing, raised the same error, and hold the same data. A shrunk
failing example is the shortest sequence of operations on which your adapter disagrees.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from itsm_core.errors import ItsmError
from itsm_core.repositories import (
    EventStore,
    InMemoryEventStore,
    InMemoryRepository,
    RecordedEvent,
    Repository,
)
from itsm_core.testing._samples import sample_event, sample_ticket
from itsm_core.testing._strategies import texts
from itsm_core.tickets import TicketEvent

T = TypeVar("T")

_STREAMS = st.sampled_from(["INC-1", "INC-2", "PRB-1"])
_KEYS = st.sampled_from(["gold", "silver", "bronze"])
# Light values: the machines test behaviour; the round-trip properties test rich values.
_EVENTS = st.builds(sample_event, _STREAMS, st.integers(1, 50), texts())
_TICKETS = st.builds(sample_ticket, _KEYS, st.integers(1, 50))


def _outcome(call: Callable[[], Any]) -> tuple[str, Any]:
    """What a call did: ``("ok", result)`` or ``("error", (class name, arguments))``."""
    try:
        return "ok", call()
    except ItsmError as exc:
        return "error", (type(exc).__name__, exc.args)


def _close(store: object) -> None:
    close = getattr(store, "close", None)
    if callable(close):
        close()


def _log(records: tuple[RecordedEvent[Any], ...]) -> list[tuple[str, int, Any]]:
    return [(r.stream, r.version, r.event) for r in records]


class _EventStoreAgreement(RuleBasedStateMachine):
    factory: Callable[[], EventStore[TicketEvent]]

    def __init__(self) -> None:
        super().__init__()
        self.subject = type(self).factory()
        self.reference: InMemoryEventStore[TicketEvent] = InMemoryEventStore()

    def teardown(self) -> None:
        _close(self.subject)

    @rule(
        stream=_STREAMS,
        offset=st.sampled_from([0, 0, 0, -1, 1, -2]),
        events=st.lists(_EVENTS, max_size=3),
    )
    def append(self, stream: str, offset: int, events: list[TicketEvent]) -> None:
        expected = max(0, self.reference.version(stream) + offset)
        want = _outcome(lambda: self.reference.append(stream, events, expected))
        got = _outcome(lambda: self.subject.append(stream, events, expected))
        assert got == want, f"append({stream!r}, {len(events)} events, {expected}): {got} != {want}"

    @rule(stream=_STREAMS, after=st.integers(0, 6))
    def read(self, stream: str, after: int) -> None:
        assert self.subject.read(stream, after) == self.reference.read(stream, after)

    @rule(data=st.data(), limit=st.none() | st.integers(1, 4))
    def read_all_after(self, data: st.DataObject, limit: int | None) -> None:
        reference_log = self.reference.read_all()
        subject_log = self.subject.read_all()
        index = data.draw(st.integers(0, len(reference_log)), label="after index")
        # Positions may differ (an adapter's may have gaps): compare "after the k-th event".
        after_ref = reference_log[index - 1].position if index else 0
        after_sub = subject_log[index - 1].position if index else 0
        got = _log(self.subject.read_all(after_sub, limit))
        want = _log(self.reference.read_all(after_ref, limit))
        assert got == want

    @invariant()
    def same_log_and_versions(self) -> None:
        subject_log = self.subject.read_all()
        assert _log(subject_log) == _log(self.reference.read_all())
        positions = [r.position for r in subject_log]
        assert positions == sorted(set(positions))
        assert self.subject.last_position() == (positions[-1] if positions else 0)
        for stream in {r.stream for r in subject_log}:
            assert self.subject.version(stream) == self.reference.version(stream)


class _RepositoryAgreement(RuleBasedStateMachine, Generic[T]):
    factory: Callable[[], Repository[T]]
    values: st.SearchStrategy[T]

    def __init__(self) -> None:
        super().__init__()
        self.subject = type(self).factory()
        self.reference: InMemoryRepository[T] = InMemoryRepository(
            getattr(self.subject, "kind", "record")
        )

    def teardown(self) -> None:
        _close(self.subject)

    @rule(key=_KEYS, offset=st.sampled_from([0, 0, 0, -1, 1]), data=st.data())
    def save(self, key: str, offset: int, data: st.DataObject) -> None:
        value = data.draw(type(self).values, label="value")
        current = self.reference.find(key)
        expected = max(0, (0 if current is None else current.version) + offset)
        want = _outcome(lambda: self.reference.save(key, value, expected))
        got = _outcome(lambda: self.subject.save(key, value, expected))
        assert got == want

    @rule(key=_KEYS)
    def get(self, key: str) -> None:
        assert _outcome(lambda: self.subject.get(key)) == _outcome(lambda: self.reference.get(key))

    @invariant()
    def same_contents(self) -> None:
        keys = self.reference.keys()
        assert self.subject.keys() == keys
        for key in keys:
            assert self.subject.find(key) == self.reference.find(key)


def event_store_agreement(
    factory: Callable[[], EventStore[TicketEvent]],
) -> type[RuleBasedStateMachine]:
    """A state machine comparing the stores ``factory()`` makes with the reference.

    ``factory`` is called once per generated example and must return a new, empty store;
    its ``close()`` (if any) is called at the end of the example. Collect it with::

        TestMyStoreAgreement = event_store_agreement(make_store).TestCase
    """
    return type("EventStoreAgreement", (_EventStoreAgreement,), {"factory": staticmethod(factory)})


def repository_agreement(
    factory: Callable[[], Repository[Any]],
    values: st.SearchStrategy[Any] | None = None,
) -> type[RuleBasedStateMachine]:
    """A state machine comparing the repositories ``factory()`` makes with the reference.

    ``values`` draws what is saved (default: small tickets; pass ``st.from_type(Ticket)``
    for the full variety, at a cost in speed); the adapter
    must store them so that they read back equal.
    """
    strategy: st.SearchStrategy[Any] = values if values is not None else _TICKETS
    return type(
        "RepositoryAgreement",
        (_RepositoryAgreement,),
        {"factory": staticmethod(factory), "values": strategy},
    )
