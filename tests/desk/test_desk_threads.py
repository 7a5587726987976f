"""Threads racing ``execute`` on one ticket, each delivery sent two or three times by different
threads: every delivery is appended exactly once, in memory and on SQLite."""

from __future__ import annotations

import datetime as dt
import random
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from itsm_core.adapters.sqlite import SqliteEventStore
from itsm_core.desk import CommandOutcome, ServiceDesk
from itsm_core.repositories import EventStore, InMemoryEventStore
from itsm_core.tickets import AddComment, OpenTicket, TicketEvent, TicketKind, replay

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
THREADS = 6
DELIVERIES = 60  # each sent by two or three threads


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[EventStore[TicketEvent]]:
    if request.param == "memory":
        yield InMemoryEventStore()
        return
    with SqliteEventStore[TicketEvent](tmp_path / "desk.db") as sqlite:
        yield sqlite


def test_racing_deliveries_are_each_appended_once(store: EventStore[TicketEvent]) -> None:
    desk = ServiceDesk(store=store, ids=lambda: str(uuid.uuid4()), max_retries=200)
    opening = OpenTicket(ticket_id="INC1", kind=TicketKind.INCIDENT, requester="zhang")
    desk.execute("INC1", opening, actor="ana", role="manager", now=NOW)
    shuffle = random.Random(20)
    plans: list[list[int]] = [[] for _ in range(THREADS)]
    for delivery in range(DELIVERIES):
        for sender in shuffle.sample(range(THREADS), shuffle.choice([2, 3])):
            plans[sender].append(delivery)
    for plan in plans:
        shuffle.shuffle(plan)
    outcomes: dict[int, list[CommandOutcome]] = {n: [] for n in range(DELIVERIES)}
    failures: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def work(plan: list[int]) -> None:
        start.wait()
        for delivery in plan:
            try:
                outcome = desk.execute(
                    "INC1",
                    AddComment(text=f"delivery {delivery}", internal=True),
                    actor="ana",
                    role="manager",
                    now=NOW,
                    idempotency_key=f"delivery-{delivery}",
                )
            except BaseException as error:
                with lock:
                    failures.append(error)
            else:
                with lock:
                    outcomes[delivery].append(outcome)

    threads = [threading.Thread(target=work, args=(plan,)) for plan in plans]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads often: more interleavings, more conflicts
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)

    assert failures == []
    history = store.read("INC1")
    notes = [event.payload["work_note"].text for event in history[1:]]  # type: ignore[attr-defined]
    assert sorted(notes) == sorted(f"delivery {n}" for n in range(DELIVERIES))
    assert desk.ticket("INC1") == replay(history)
    for delivery, found in outcomes.items():
        sent = sum(plan.count(delivery) for plan in plans)
        assert len(found) == sent
        assert [outcome.duplicate for outcome in found].count(False) == 1
        assert all(outcome.events == found[0].events for outcome in found)  # the first outcome
        receipt = store.receipt(f"delivery-{delivery}")
        assert receipt is not None
        (event,) = found[0].events
        assert (receipt.first_version, receipt.last_version) == (event.sequence, event.sequence)
