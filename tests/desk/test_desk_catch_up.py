"""Catch-up: any batch sizes, restarts, crashes and rival runners end with the read model of
one clean rebuild, with nothing lost and nothing counted twice."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Collection, Iterable
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itsm_core.desk import (
    InMemoryProjectionStore,
    ProjectionRow,
    ProjectionStore,
    RowHit,
    RowQuery,
    Subscription,
    TicketProjection,
    catch_up,
    rebuild,
)
from itsm_core.errors import InvalidEventStream, ValidationError
from itsm_core.repositories import EventStore, InMemoryEventStore, RecordedEvent
from itsm_core.testing import sample_event, sample_events
from itsm_core.testing._desk_logs import OFFICE, POLICIES, DeskLog, desk_logs
from itsm_core.tickets import TicketEvent

TICKETS = TicketProjection(policies=POLICIES, calendars={"office": OFFICE})


class Crash(Exception):
    """The runner dies: whatever it held in memory is lost."""


class CrashingStore:
    """A projection store whose ``commit`` crashes on chosen calls, either before writing or
    after writing (so the runner never learns that it committed)."""

    def __init__(self, inner: ProjectionStore, crashes: Collection[int], *, late: bool) -> None:
        self.inner = inner
        self.crashes = crashes
        self.late = late
        self.calls = 0

    def position(self, name: str) -> int:
        return self.inner.position(name)

    def rows(self, name: str, keys: Iterable[str]) -> dict[str, ProjectionRow]:
        return self.inner.rows(name, keys)

    def commit(self, name: str, **changes: Any) -> None:
        self.calls += 1
        crash = self.calls in self.crashes
        if crash and not self.late:
            raise Crash
        self.inner.commit(name, **changes)
        if crash:
            raise Crash

    def select(self, name: str, query: RowQuery) -> tuple[RowHit, ...]:
        return self.inner.select(name, query)

    def count(self, name: str, query: RowQuery) -> int:
        return self.inner.count(name, query)

    def reset(self, name: str) -> None:
        self.inner.reset(name)


@attrs.frozen
class EventCounts:
    """Per stream: how many events, the sum of their positions and the last version seen; the
    row is dropped at every ``close``/``cancel``/``archive`` and starts again after it. An
    event lost or applied twice shows in the row."""

    name: str = "counts"

    def key(self, recorded: RecordedEvent[Any]) -> str | None:
        return recorded.stream

    def load(self, row: ProjectionRow, events: EventStore[Any]) -> dict[str, int]:
        state: dict[str, int] = json.loads(row.data)
        return state

    def apply(
        self, state: dict[str, int] | None, recorded: RecordedEvent[Any]
    ) -> dict[str, int] | None:
        if recorded.event.name in ("close", "cancel", "archive"):
            return None
        state = state or {"events": 0, "positions": 0, "version": 0}
        assert recorded.version > state["version"], "an event applied twice"
        return {
            "events": state["events"] + 1,
            "positions": state["positions"] + recorded.position,
            "version": recorded.version,
        }

    def dump(self, key: str, state: dict[str, int]) -> ProjectionRow:
        return ProjectionRow(key, json.dumps(state, sort_keys=True), {f"events={state['events']}"})


def everything(store: ProjectionStore, name: str) -> tuple[ProjectionRow, ...]:
    return tuple(hit.row for hit in store.select(name, RowQuery()))


def clean(log: DeskLog, projection: Any) -> tuple[ProjectionRow, ...]:
    """The read model of one clean run over the whole log."""
    events: InMemoryEventStore[TicketEvent] = InMemoryEventStore()
    log.append_to(events)
    store = InMemoryProjectionStore()
    catch_up(events, projection, store, batch=10_000)
    return everything(store, projection.name)


PROJECTIONS = [TICKETS, TicketProjection(name="plain"), EventCounts()]


@settings(max_examples=15)
@given(
    log=desk_logs(),
    projection=st.sampled_from(PROJECTIONS),
    cuts=st.lists(st.integers(0, 60), max_size=3),
    runs=st.lists(
        st.tuples(
            st.integers(1, 7), st.none() | st.integers(1, 3), st.integers(0, 3), st.booleans()
        ),
        min_size=1,
        max_size=6,
    ),
)
def test_any_batches_restarts_and_crashes_give_the_clean_read_model(
    log: DeskLog,
    projection: Any,
    cuts: list[int],
    runs: list[tuple[int, int | None, int, bool]],
) -> None:
    events: InMemoryEventStore[TicketEvent] = InMemoryEventStore()
    store = InMemoryProjectionStore()
    bounds = sorted({min(cut, len(log.appends)) for cut in cuts} | {len(log.appends)})
    done = 0
    for bound in bounds:  # the log grows between catch-ups
        for stream, batch in log.appends[done:bound]:
            events.append(stream, batch, batch[0].sequence - 1)
        done = bound
        for size, most, crash, late in runs:  # each run a new process: nothing cached
            flaky = CrashingStore(store, {crash} if crash else set(), late=late)
            with contextlib.suppress(Crash):
                Subscription(events, projection, flaky, batch=size).catch_up(max_batches=most)
        Subscription(events, projection, store, batch=3).catch_up()  # and finish
        assert store.position(projection.name) == events.last_position()
    assert everything(store, projection.name) == clean(log, projection)


@settings(max_examples=10)
@given(log=desk_logs(), sizes=st.tuples(st.integers(1, 5), st.integers(1, 5)), data=st.data())
def test_rival_runners_never_apply_an_event_twice(
    log: DeskLog, sizes: tuple[int, int], data: st.DataObject
) -> None:
    events: InMemoryEventStore[TicketEvent] = InMemoryEventStore()
    log.append_to(events)
    store = InMemoryProjectionStore()
    counts = EventCounts()
    runners = [Subscription(events, counts, store, batch=size) for size in sizes]
    while store.position(counts.name) < events.last_position():
        runners[data.draw(st.integers(0, 1))].step()
    assert everything(store, counts.name) == clean(log, counts)
    assert all(runner.step() == 0 for runner in runners)


def test_a_subscription_keeps_rows_it_changed_and_reads_others_from_the_store() -> None:
    events: InMemoryEventStore[TicketEvent] = InMemoryEventStore()
    store = InMemoryProjectionStore()
    loads: list[str] = []

    @attrs.frozen
    class Recording(EventCounts):
        def load(self, row: ProjectionRow, events: EventStore[Any]) -> dict[str, int]:
            loads.append(row.key)
            return super().load(row, events)

    projection = Recording()
    events.append("A", sample_events("A", 1, 2), 0)
    events.append("B", sample_events("B", 1, 1), 0)
    subscription = Subscription(events, projection, store, batch=1)
    assert subscription.catch_up().events == 3
    events.append("A", [sample_event("A", 3)], 2)
    subscription.catch_up()
    assert loads == []  # both rows were in its cache
    events.append("B", [sample_event("B", 2)], 1)
    Subscription(events, projection, store).catch_up()
    assert loads == ["B"]  # a new subscription reads the row it needs, once
    store.commit("counts", after=5, position=5)  # another runner's commit (moving nothing)
    other = Subscription(events, projection, store, cache=0)
    events.append("A", [sample_event("A", 4)], 3)
    other.catch_up()
    assert loads == ["B", "A"]


def test_events_of_no_row_still_move_the_checkpoint() -> None:
    events: InMemoryEventStore[object] = InMemoryEventStore()
    events.append("cycle-1", ["not a ticket event"], 0)
    store = InMemoryProjectionStore()
    result = catch_up(events, TICKETS, store)
    assert (result.start, result.position, result.events, result.batches) == (0, 1, 1, 1)
    assert store.select("tickets", RowQuery()) == ()


def test_a_failing_event_commits_nothing_and_says_where() -> None:
    events: InMemoryEventStore[TicketEvent] = InMemoryEventStore()
    good = sample_events("A", 1, 2)
    events.append("A", good, 0)
    events.append("B", sample_events("B", 2, 1), 0)  # a stream that does not start with open
    store = InMemoryProjectionStore()
    with pytest.raises(InvalidEventStream) as caught:
        catch_up(events, TicketProjection(), store, batch=10)
    assert "event at position 3 (stream 'B', version 1)" in "\n".join(caught.value.__notes__)
    assert store.position("tickets") == 0
    assert catch_up(events, TicketProjection(), store, batch=2, max_batches=1).position == 2


def test_rebuild_starts_again_from_the_first_event() -> None:
    events: InMemoryEventStore[TicketEvent] = InMemoryEventStore()
    events.append("A", sample_events("A", 1, 3), 0)
    store = InMemoryProjectionStore()
    catch_up(events, EventCounts(), store)
    store.commit("counts", after=3, position=3, upserts=[ProjectionRow("junk", "{}")])
    result = rebuild(events, EventCounts(), store)
    assert (result.start, result.position) == (0, 3)
    assert [row.key for row in everything(store, "counts")] == ["A"]


@pytest.mark.parametrize(
    "arguments",
    [{"batch": 0}, {"batch": True}, {"cache": -1}],
)
def test_bad_subscription_settings_are_refused(arguments: dict[str, Any]) -> None:
    events: InMemoryEventStore[TicketEvent] = InMemoryEventStore()
    with pytest.raises(ValidationError):
        Subscription(events, EventCounts(), InMemoryProjectionStore(), **arguments)
    with pytest.raises(ValidationError):
        catch_up(events, EventCounts(), InMemoryProjectionStore(), max_batches=0)


def test_tickets_in_streams_named_otherwise_continue_from_their_own_stream() -> None:
    log = DeskLog(
        appends=tuple((f"ticket/{stream}", events) for stream, events in _ticket_log().appends),
        last=_ticket_log().last,
    )
    events: InMemoryEventStore[TicketEvent] = InMemoryEventStore()
    log.append_to(events)
    store = InMemoryProjectionStore()
    while Subscription(events, TICKETS, store, batch=1).catch_up(max_batches=1).events:
        pass  # a new subscription each batch: each row is loaded from the store
    assert everything(store, TICKETS.name) == clean(log, TICKETS)
    assert {row.key for row in everything(store, TICKETS.name)} == {"A", "B"}


def _ticket_log() -> DeskLog:
    """Two tickets, opened and worked in turns."""
    appends = []
    for ticket_id in ("A", "B"):
        opened = sample_events(ticket_id, 1, 3)
        appends.append((ticket_id, tuple(opened[:1])))
        appends.append((ticket_id, tuple(opened[1:])))
    appends.sort(key=lambda item: (item[1][0].sequence, item[0]))
    return DeskLog(tuple(appends), max(e.at for _, batch in appends for e in batch))
