"""Read models on PostgreSQL beside the events: worklists from one schema, failures named, and a
runner killed with SIGKILL mid-catch-up that resumes without loss or double counting.

The runner is this file run as a script (``python this_file.py DSN SCHEMA``).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from itsm_core.adapters.postgresql import (
    PostgresDatabase,
    PostgresEventStore,
    PostgresProjectionStore,
)
from itsm_core.desk import RowQuery, Subscription, TicketProjection, Worklist, Worklists, catch_up
from itsm_core.errors import RepositoryError
from itsm_core.testing import sample_events
from itsm_core.tickets import TicketEvent

TICKETS = 80
EVENTS_PER_TICKET = 4


@pytest.fixture
def database(postgres_dsn: str, postgres_schema: str) -> Iterator[PostgresDatabase]:
    database = PostgresDatabase(postgres_dsn, schema=postgres_schema)
    yield database
    database.close()


def _fill(events: PostgresEventStore[TicketEvent]) -> None:
    for n in range(TICKETS):  # interleaved streams: batches cut across tickets
        stream = f"INC{n:03}"
        events.append(stream, sample_events(stream, 1, EVENTS_PER_TICKET), 0)


def test_the_ticket_read_model_lives_beside_the_events(database: PostgresDatabase) -> None:
    events = PostgresEventStore[TicketEvent](database)
    store = PostgresProjectionStore(database)
    _fill(events)
    result = catch_up(events, TicketProjection(), store, batch=25)
    assert (result.position, result.events) == (events.last_position(), TICKETS * EVENTS_PER_TICKET)
    assert store.position("tickets") == events.last_position()
    worklists = Worklists(store)
    assert worklists.count(Worklist(status="new")) == TICKETS
    first = worklists.items(Worklist(status="new"), limit=2)
    assert [entry.ticket.id for entry in first] == ["INC000", "INC001"]
    assert first[0].ticket.version == EVENTS_PER_TICKET


def test_projection_failures_are_repository_errors_naming_the_operation(
    database: PostgresDatabase, postgres_dsn: str
) -> None:
    store = PostgresProjectionStore(database)
    with psycopg.connect(postgres_dsn, autocommit=True) as raw:
        raw.execute(database.sql("DROP TABLE {rows}"))
    with pytest.raises(RepositoryError, match=r"query 'tickets' failed: .*itsm_projection_rows"):
        store.select("tickets", RowQuery())
    with pytest.raises(RepositoryError, match=r"commit to 'tickets' failed"):
        store.commit("tickets", after=0, position=1, deletes=["INC1"])
    assert store.position("tickets") == 0  # the failed commit moved nothing


def _run(dsn: str, schema: str) -> None:
    """Catch up in small batches forever, printing each checkpoint reached."""
    database = PostgresDatabase(dsn, schema=schema)
    events = PostgresEventStore[TicketEvent](database)
    subscription = Subscription(
        events, TicketProjection(), PostgresProjectionStore(database), batch=2
    )
    while subscription.step():
        print(subscription.store.position("tickets"), flush=True)


def test_a_runner_killed_mid_catch_up_resumes_without_loss_or_double_counting(
    database: PostgresDatabase, postgres_dsn: str, postgres_schema: str
) -> None:
    events = PostgresEventStore[TicketEvent](database)
    store = PostgresProjectionStore(database)
    _fill(events)
    src = str(Path(__file__).resolve().parents[2] / "src")
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    runner = subprocess.Popen(
        [sys.executable, __file__, postgres_dsn, postgres_schema],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert runner.stdout is not None
    try:
        for _ in range(10):  # a few batches committed, then killed wherever it is
            assert int(runner.stdout.readline()) > 0
    finally:
        os.kill(runner.pid, signal.SIGKILL)
        runner.wait(timeout=30)
        runner.stdout.close()
    killed_at = store.position("tickets")
    assert 0 < killed_at < events.last_position()

    resumed = catch_up(events, TicketProjection(), store, batch=7)
    assert (resumed.start, resumed.position) == (killed_at, events.last_position())
    clean = catch_up(events, TicketProjection(name="clean"), store)
    keys = [f"INC{n:03}" for n in range(TICKETS)]
    assert store.rows("tickets", keys) == store.rows("clean", keys)
    assert len(store.rows("tickets", keys)) == TICKETS
    assert clean.events == TICKETS * EVENTS_PER_TICKET


if __name__ == "__main__":
    _run(sys.argv[1], sys.argv[2])
