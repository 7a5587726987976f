"""A catch-up killed (SIGKILL) at any moment, then restarted, ends with exactly the read model
of a clean run: nothing lost, nothing counted twice.

The workers run this file as a script (``python this_file.py project DB BATCH``), so each is a
genuinely separate process with its own connections, killed without a chance to clean up.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import attrs

from itsm_core.adapters.sqlite import SqliteDatabase, SqliteEventStore, SqliteProjectionStore
from itsm_core.desk import (
    InMemoryProjectionStore,
    ProjectionRow,
    ProjectionStore,
    RowQuery,
    Subscription,
    TicketProjection,
    catch_up,
)
from itsm_core.errors import ItsmError
from itsm_core.repositories import EventStore, InMemoryEventStore, RecordedEvent
from itsm_core.testing._desk_logs import COMMANDS, OFFICE, POLICIES, START
from itsm_core.tickets import (
    CommandContext,
    OpenTicket,
    Ticket,
    TicketEvent,
    TicketKind,
    decide,
)

TICKETS = 40
STEPS = 160  # commands tried on them
KILLS = 3
BATCHES = (3, 7, 5, 11)  # the batch size of each killed worker


@attrs.frozen
class Counts:
    """How many events each stream has had applied, and the sum of their positions."""

    name: str = "counts"

    def key(self, recorded: RecordedEvent[Any]) -> str | None:
        return recorded.stream

    def load(self, row: ProjectionRow, events: EventStore[Any]) -> dict[str, int]:
        state: dict[str, int] = json.loads(row.data)
        return state

    def apply(self, state: dict[str, int] | None, recorded: RecordedEvent[Any]) -> dict[str, int]:
        state = state or {"events": 0, "positions": 0}
        return {"events": state["events"] + 1, "positions": state["positions"] + recorded.position}

    def dump(self, key: str, state: dict[str, int]) -> ProjectionRow:
        return ProjectionRow(key, json.dumps(state, sort_keys=True))


PROJECTIONS: tuple[Any, ...] = (
    TicketProjection(policies=POLICIES, calendars={"office": OFFICE}),
    Counts(),
)


def desk_events() -> list[tuple[str, tuple[TicketEvent, ...]]]:
    """A fixed desk: TICKETS tickets, then STEPS commands spread over them."""
    tickets: dict[str, Ticket] = {}
    appends = []
    now = START
    kinds = (TicketKind.INCIDENT, TicketKind.COMPLAINT, TicketKind.SERVICE_REQUEST)
    for n in range(TICKETS):
        opening = OpenTicket(ticket_id=f"T{n:02}", kind=kinds[n % 3], requester=f"c{n % 4}")
        ticket, events = decide(None, opening, CommandContext(actor="c", role="customer", now=now))
        tickets[ticket.id] = ticket
        appends.append((ticket.id, events))
        now += dt.timedelta(minutes=7 if n % 5 else 60)
    for step in range(STEPS):
        ticket_id = f"T{(step * 7) % TICKETS:02}"
        command, role = COMMANDS[(step * 5 + step // TICKETS) % len(COMMANDS)]
        now += dt.timedelta(minutes=13)
        try:
            ticket, events = decide(
                tickets[ticket_id], command, CommandContext(actor="a", role=role, now=now)
            )
        except ItsmError:
            continue
        tickets[ticket_id] = ticket
        appends.append((ticket_id, events))
    return appends


def _run_projector(db: str, batch: int) -> None:
    """Catch both projections up, one batch at a time, printing each commit's position."""
    database = SqliteDatabase(db, synchronous="NORMAL")  # still safe against a kill (WAL)
    events = SqliteEventStore[TicketEvent](database)
    store = SqliteProjectionStore(database)
    subscriptions = [Subscription(events, p, store, batch=batch) for p in PROJECTIONS]
    while True:
        moved = [subscription.step() for subscription in subscriptions]
        if not any(moved):
            break
        print(" ".join(str(store.position(p.name)) for p in PROJECTIONS), flush=True)
    print("done", flush=True)


def _spawn(*args: str) -> subprocess.Popen[str]:
    src = str(Path(__file__).resolve().parents[2] / "src")
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.Popen(
        [sys.executable, __file__, *args], stdout=subprocess.PIPE, text=True, env=env
    )


def everything(store: ProjectionStore, name: str) -> tuple[ProjectionRow, ...]:
    return tuple(hit.row for hit in store.select(name, RowQuery()))


def test_a_catch_up_killed_anywhere_ends_as_a_clean_run(tmp_path: Path) -> None:
    appends = desk_events()
    db = tmp_path / "desk.db"
    with SqliteEventStore[TicketEvent](db) as events:
        for stream, batch in appends:
            events.append(stream, batch, batch[0].sequence - 1)
        last = events.last_position()
    clean_events: InMemoryEventStore[TicketEvent] = InMemoryEventStore()
    for stream, batch in appends:
        clean_events.append(stream, batch, batch[0].sequence - 1)
    clean = InMemoryProjectionStore()
    for projection in PROJECTIONS:
        catch_up(clean_events, projection, clean, batch=1_000)

    seen = [0] * len(PROJECTIONS)
    for round_, batch in enumerate(BATCHES[:KILLS]):
        worker = _spawn("project", str(db), str(batch))
        assert worker.stdout is not None
        for _ in range(2 + 3 * round_):  # let it commit a few batches, then kill it mid-run
            line = worker.stdout.readline().split()
            if line == ["done"] or not line:
                break
            positions = [int(p) for p in line]
            assert all(p >= s for p, s in zip(positions, seen, strict=True))  # never backwards
            seen = positions
        time.sleep(0.001 * round_)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=60)
        worker.stdout.close()
        with sqlite3.connect(db) as raw:
            assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        with SqliteProjectionStore(db) as store:
            # every commit acknowledged before the kill survived it
            stored = [store.position(p.name) for p in PROJECTIONS]
            assert all(p >= s for p, s in zip(stored, seen, strict=True))

    finisher = _spawn("project", str(db), "13")
    out, _ = finisher.communicate(timeout=300)
    assert finisher.returncode == 0
    assert out.split()[-1] == "done"
    with SqliteProjectionStore(db) as store:
        for projection in PROJECTIONS:
            assert store.position(projection.name) == last
            assert everything(store, projection.name) == everything(clean, projection.name)
        counted = sum(json.loads(r.data)["events"] for r in everything(store, "counts"))
        assert counted == last  # every event counted exactly once


if __name__ == "__main__":
    if sys.argv[1] == "project":
        _run_projector(sys.argv[2], int(sys.argv[3]))
