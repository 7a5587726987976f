"""SQLite under real contention: several processes (each with threads) and killed writers.

The workers run this file as a script (``python this_file.py worker ...``), so the test needs
no importable test package and each worker is a genuinely separate process with its own
connections.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

from itsm_core.adapters.sqlite import SqliteDatabase, SqliteEventStore
from itsm_core.errors import VersionConflict
from itsm_core.testing import sample_event, sample_events
from itsm_core.tickets import Comment, TicketEvent, replay

STREAMS = ("INC-A", "INC-B")
PROCESSES = 3
THREADS = 2
APPENDS = 8  # per thread
BATCH = 3  # events per append in the crash test
KILLS = 3  # writers killed one after the other on the same file


def _note(event: TicketEvent) -> str:
    comment = event.payload["comment"]
    assert isinstance(comment, Comment)
    return comment.text


def _run_worker(db: str, name: str) -> None:
    """Each thread appends APPENDS comments, retrying on every conflict; prints its notes."""
    store = SqliteEventStore[TicketEvent](SqliteDatabase(db, synchronous="NORMAL"))
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


def _run_crasher(db: str) -> None:
    """Append batches of BATCH events forever, printing each acknowledged (stream, version)."""
    store = SqliteEventStore[TicketEvent](db)  # default synchronous=FULL
    n = 0
    while True:
        stream = STREAMS[n % 2]
        version = store.version(stream)
        store.append(stream, sample_events(stream, version + 1, BATCH), version)
        print(f"{stream} {version + BATCH}", flush=True)
        n += 1


def _spawn(*args: str) -> subprocess.Popen[str]:
    src = str(Path(__file__).resolve().parents[2] / "src")
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.Popen(
        [sys.executable, __file__, *args], stdout=subprocess.PIPE, text=True, env=env
    )


def _open_streams(db: Path) -> None:
    with SqliteEventStore[TicketEvent](db) as store:
        for stream in STREAMS:
            store.append(stream, [sample_event(stream, 1)], 0)


def test_processes_and_threads_lose_nothing_duplicate_nothing(tmp_path: Path) -> None:
    db = tmp_path / "shared.db"
    _open_streams(db)
    workers = [_spawn("worker", str(db), f"p{i}") for i in range(PROCESSES)]
    reports = []
    for worker in workers:
        out, _ = worker.communicate(timeout=120)
        assert worker.returncode == 0
        reports.append(json.loads(out))
    claimed = [note for report in reports for note in report["notes"]]
    assert len(claimed) == PROCESSES * THREADS * APPENDS

    with SqliteEventStore[TicketEvent](db) as store:
        stored: list[str] = []
        for stream in STREAMS:
            events = store.read(stream)
            # Each event carries the version it was appended at: a missed conflict would show
            # up here as a repeated or skipped sequence number.
            assert [e.sequence for e in events] == list(range(1, len(events) + 1))
            assert replay(events).version == len(events)
            stored.extend(_note(e) for e in events[1:])
        positions = [r.position for r in store.read_all()]
    assert len(stored) == len(set(stored))  # nothing duplicated
    assert sorted(stored) == sorted(claimed)  # nothing lost, nothing invented
    assert positions == sorted(set(positions))


def test_a_writer_killed_mid_write_leaves_a_consistent_store(tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    _open_streams(db)
    acknowledged: dict[str, int] = dict.fromkeys(STREAMS, 1)
    for round_ in range(KILLS):
        crasher = _spawn("crash", str(db))
        assert crasher.stdout is not None
        for _ in range(5 + 7 * round_):  # let it commit a few batches, then kill it mid-loop
            stream, version = crasher.stdout.readline().split()
            acknowledged[stream] = max(acknowledged[stream], int(version))
        os.kill(crasher.pid, signal.SIGKILL)
        crasher.wait(timeout=30)
        crasher.stdout.close()
        assert crasher.returncode == -signal.SIGKILL

        with sqlite3.connect(db) as raw:
            assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        with SqliteEventStore[TicketEvent](db) as store:
            for stream in STREAMS:
                events = store.read(stream)  # every row still decodes
                assert [e.sequence for e in events] == list(range(1, len(events) + 1))
                # Batches are atomic: the opening event plus whole batches of BATCH events.
                assert (len(events) - 1) % BATCH == 0
                # Every append acknowledged before the kill survived it.
                assert len(events) >= acknowledged[stream]
                assert replay(events).version == len(events)
            log = store.read_all()
            assert len(log) == sum(store.version(s) for s in STREAMS)


if __name__ == "__main__":
    if sys.argv[1] == "worker":
        _run_worker(sys.argv[2], sys.argv[3])
    else:
        _run_crasher(sys.argv[2])
