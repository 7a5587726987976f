"""PostgreSQL under real contention: processes (each with threads), a tailing reader, and
writers killed with SIGKILL, one of them inside its transaction.

The workers run this file as a script (``python this_file.py worker DSN SCHEMA NAME``), so
each is a separate process with its own connections, like the SQLite process tests.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
from psycopg import sql

from itsm_core.adapters.postgresql import PostgresDatabase, PostgresEventStore
from itsm_core.errors import VersionConflict
from itsm_core.repositories import AppendReceipt, EventMetadata, RecordedEvent
from itsm_core.testing import sample_event, sample_events
from itsm_core.tickets import Comment, TicketEvent, replay

STREAMS = ("INC-A", "INC-B")
PROCESSES = 2
THREADS = 3
APPENDS = 8  # per thread
BATCH = 3  # events per append in the crash test
KILLS = 2  # writers killed at a random moment, one after the other
STALL = "stall-"  # an append under a key with this prefix waits in the test trigger


def _note(event: TicketEvent) -> str:
    comment = event.payload["comment"]
    assert isinstance(comment, Comment)
    return comment.text


def _store(dsn: str, schema: str) -> PostgresEventStore[TicketEvent]:
    return PostgresEventStore[TicketEvent](PostgresDatabase(dsn, schema=schema))


def _run_worker(dsn: str, schema: str, name: str) -> None:
    """Each thread appends APPENDS comments, retrying on every conflict; prints its notes."""
    store = _store(dsn, schema)
    notes: list[str] = []
    conflicts = [0]
    lock = threading.Lock()

    def thread(index: int) -> None:
        for n in range(APPENDS):
            stream, note = STREAMS[n % 2], f"{name}-t{index}-n{n}"
            while True:
                version = store.version(stream)
                try:
                    store.append(stream, [sample_event(stream, version + 1, note)], version)
                except VersionConflict:
                    with lock:
                        conflicts[0] += 1
                    continue
                with lock:
                    notes.append(note)
                break

    pool = [threading.Thread(target=thread, args=(i,)) for i in range(THREADS)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    store.close()
    print(json.dumps({"notes": notes, "conflicts": conflicts[0]}))


def _key(stream: str, last_version: int) -> str:
    return f"batch-{stream}-{last_version}"


def _run_crasher(dsn: str, schema: str, stall_after: str) -> None:
    """Append batches of BATCH events (with metadata and an idempotency key) forever, printing
    each acknowledged ``stream version``; after ``stall_after`` batches (if > 0), make one
    append whose receipt insert stalls in the trigger, announced by ``stalling KEY``."""
    store = _store(dsn, schema)
    n = 0
    while True:
        stream = STREAMS[n % 2]
        version = store.version(stream)
        stall = n == int(stall_after) > 0
        key = (STALL if stall else "") + _key(stream, version + BATCH)
        events = sample_events(stream, version + 1, BATCH)
        at = events[0].at
        metadata = [EventMetadata(f"{key}-{i}", at) for i in range(BATCH)]
        if stall:
            print(f"stalling {key}", flush=True)
        store.append(stream, events, version, metadata=metadata, idempotency_key=key)
        print(f"{stream} {version + BATCH}", flush=True)
        n += 1


def _spawn(*args: str) -> subprocess.Popen[str]:
    src = str(Path(__file__).resolve().parents[2] / "src")
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.Popen(
        [sys.executable, __file__, *args], stdout=subprocess.PIPE, text=True, env=env
    )


def _open_streams(dsn: str, schema: str) -> None:
    with _store(dsn, schema) as store:
        for stream in STREAMS:
            store.append(stream, [sample_event(stream, 1)], 0)


def _slow_commits(dsn: str, schema: str) -> None:
    """A trigger that makes each append wait a few milliseconds between its insert and its
    commit: the window in which a position handed out at insert time, not commit time,
    would let a reader skip an event."""
    function = sql.Identifier(schema, "dawdle")
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(
            sql.SQL(
                "CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$"
                " BEGIN PERFORM pg_sleep(random() * 0.01); RETURN NULL; END $$"
            ).format(function=function)
        )
        connection.execute(
            sql.SQL(
                "CREATE TRIGGER dawdle AFTER INSERT ON {events} FOR EACH STATEMENT"
                " EXECUTE FUNCTION {function}()"
            ).format(events=sql.Identifier(schema, "itsm_events"), function=function)
        )


def test_processes_and_threads_lose_nothing_and_a_tailing_reader_misses_nothing(
    postgres_dsn: str, postgres_schema: str
) -> None:
    _open_streams(postgres_dsn, postgres_schema)
    _slow_commits(postgres_dsn, postgres_schema)
    tail = _store(postgres_dsn, postgres_schema)
    seen: list[RecordedEvent[TicketEvent]] = []
    done = threading.Event()

    def follow() -> None:
        """A projection: read what came after the last position seen, over and over."""
        position = 0
        while True:
            finished = done.is_set()  # read once more after the writers are done
            page = tail.read_all(after=position)
            seen.extend(page)
            position = page[-1].position if page else position
            if finished:
                return
            if not page:
                time.sleep(0.001)  # leave the cores to the writers

    follower = threading.Thread(target=follow)
    follower.start()
    workers = [_spawn("worker", postgres_dsn, postgres_schema, f"p{i}") for i in range(PROCESSES)]
    reports = []
    try:
        for worker in workers:
            out, _ = worker.communicate(timeout=120)
            assert worker.returncode == 0
            reports.append(json.loads(out))
    finally:
        done.set()
        follower.join()
        for worker in workers:  # after a failure above: no worker outlives the test
            if worker.poll() is None:
                worker.kill()
                worker.communicate()
    claimed = [note for report in reports for note in report["notes"]]
    assert len(claimed) == PROCESSES * THREADS * APPENDS
    assert sum(report["conflicts"] for report in reports) > 0  # they really did collide

    stored: list[str] = []
    for stream in STREAMS:
        events = tail.read(stream)
        # Each event carries the version it was appended at: a missed conflict would show
        # up here as a repeated or skipped sequence number.
        assert [e.sequence for e in events] == list(range(1, len(events) + 1))
        assert replay(events).version == len(events)
        stored.extend(_note(e) for e in events[1:])
    log = tail.read_all()
    tail.close()
    assert len(stored) == len(set(stored))  # nothing duplicated
    assert sorted(stored) == sorted(claimed)  # nothing lost, nothing invented
    # Positions follow commit order: the reader that polled while the writers committed saw
    # every event exactly once, and positions have no gaps.
    assert seen == list(log)
    assert [r.position for r in log] == list(range(1, len(log) + 1))


def _stall_receipts(dsn: str, schema: str) -> None:
    """A trigger that holds a ``stall-`` append open (events inserted, receipt pending, no
    commit) until the test releases its advisory lock."""
    function = sql.Identifier(schema, "stall")
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(
            sql.SQL(
                """
                CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.key LIKE 'stall-%' THEN
                        PERFORM pg_advisory_xact_lock(hashtext(TG_TABLE_SCHEMA));
                    END IF;
                    RETURN NEW;
                END $$
                """
            ).format(function=function)
        )
        connection.execute(
            sql.SQL(
                "CREATE TRIGGER stall BEFORE INSERT ON {receipts} FOR EACH ROW"
                " EXECUTE FUNCTION {function}()"
            ).format(receipts=sql.Identifier(schema, "itsm_receipts"), function=function)
        )


def _waiting_for(holder: psycopg.Connection[tuple[object, ...]]) -> bool:
    """Whether another session waits for an advisory lock ``holder`` holds."""
    row = holder.execute(
        "SELECT count(*) FROM pg_locks waiting JOIN pg_locks held"
        " USING (locktype, database, classid, objid, objsubid)"
        " WHERE waiting.locktype = 'advisory' AND NOT waiting.granted"
        " AND held.granted AND held.pid = pg_backend_pid()"
    ).fetchone()
    assert row is not None
    return bool(row[0])


def _append_lock_holders(dsn: str, schema: str) -> int:
    """How many sessions hold or wait for a lock on the events table."""
    with psycopg.connect(dsn, autocommit=True) as connection:
        row = connection.execute(
            "SELECT count(*) FROM pg_locks"
            " WHERE relation = to_regclass(%s) AND pid <> pg_backend_pid()",
            (sql.Identifier(schema, "itsm_events").as_string(connection),),
        ).fetchone()
    assert row is not None
    return int(row[0])


def _assert_consistent(
    store: PostgresEventStore[TicketEvent], acknowledged: dict[str, int]
) -> None:
    log = store.read_all()
    assert [r.position for r in log] == list(range(1, len(log) + 1))  # no gap, no repeat
    for stream in STREAMS:
        events = store.read(stream)  # every row still decodes
        assert [e.sequence for e in events] == list(range(1, len(events) + 1))
        # Batches are atomic: the opening event plus whole batches of BATCH events.
        assert (len(events) - 1) % BATCH == 0
        # Every append acknowledged before the kill survived it.
        assert len(events) >= acknowledged[stream]
        assert replay(events).version == len(events)
        # The receipt of a batch is there exactly when its events are.
        for last in range(1 + BATCH, len(events) + 1 + BATCH * 2, BATCH):
            receipt = store.receipt(_key(stream, last))
            if last <= len(events):
                assert receipt == AppendReceipt(_key(stream, last), stream, last - BATCH + 1, last)
            else:
                assert receipt is None
    assert len(log) == sum(store.version(s) for s in STREAMS)
    ids = [r.metadata.event_id for r in log if r.metadata is not None]
    assert len(ids) == len(set(ids)) == len(log) - len(STREAMS)


def test_writers_killed_mid_append_leave_a_consistent_store(
    postgres_dsn: str, postgres_schema: str
) -> None:
    _open_streams(postgres_dsn, postgres_schema)
    _stall_receipts(postgres_dsn, postgres_schema)
    acknowledged: dict[str, int] = dict.fromkeys(STREAMS, 1)
    lock = "SELECT pg_advisory_{}lock(hashtext(%s))"  # what the stalled append waits for
    with (
        _store(postgres_dsn, postgres_schema) as store,
        psycopg.connect(postgres_dsn, autocommit=True) as holder,
    ):
        for round_ in range(KILLS + 1):
            stalled = round_ == KILLS  # the last writer is killed inside its transaction
            if stalled:  # taken before the writer starts, so its stalled append must wait
                holder.execute(lock.format(""), (postgres_schema,))
            crasher = _spawn("crash", postgres_dsn, postgres_schema, "4" if stalled else "0")
            assert crasher.stdout is not None
            try:
                for _ in range(4 if stalled else 3 + 5 * round_):  # a few batches committed
                    stream, version = crasher.stdout.readline().split()
                    acknowledged[stream] = max(acknowledged[stream], int(version))
                if stalled:
                    word, stalled_key = crasher.stdout.readline().split()
                    assert word == "stalling"
                    deadline = time.monotonic() + 30
                    while not _waiting_for(holder):  # its events are in, its receipt waits
                        assert time.monotonic() < deadline, "the stalled append never waited"
                        time.sleep(0.02)
                    # Uncommitted, so invisible to others: neither its events nor its receipt.
                    stream, last = stalled_key.removeprefix(STALL + "batch-").rsplit("-", 1)
                    assert store.version(stream) == int(last) - BATCH
                    assert store.receipt(stalled_key) is None
                os.kill(crasher.pid, signal.SIGKILL)
            finally:
                if crasher.poll() is None:  # the test failed before the kill
                    crasher.kill()
                crasher.wait(timeout=30)
                crasher.stdout.close()
            assert crasher.returncode == -signal.SIGKILL
            if stalled:  # let the orphaned transaction go on: it finds its client gone
                holder.execute(lock.format("un"), (postgres_schema,))
            # The server notices the dead client and rolls its transaction back.
            deadline = time.monotonic() + 30
            while _append_lock_holders(postgres_dsn, postgres_schema):
                assert time.monotonic() < deadline, "the killed writer's lock was never released"
                time.sleep(0.02)
            _assert_consistent(store, acknowledged)
            if stalled:
                assert store.receipt(stalled_key) is None
                assert not [
                    r
                    for r in store.read_all()
                    if r.metadata is not None and r.metadata.event_id.startswith(stalled_key)
                ]
        # The store goes on: the next append gets the next version and position.
        current = store.version("INC-A")
        before = store.last_position()
        assert store.append("INC-A", [sample_event("INC-A", current + 1)], current) == current + 1
        assert store.last_position() == before + 1


if __name__ == "__main__":
    if sys.argv[1] == "worker":
        _run_worker(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        _run_crasher(sys.argv[2], sys.argv[3], sys.argv[4])
