"""SQLite specifics beyond the contract: kinds share a file, bad files, odd values, reuse."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from itsm_core.adapters.sqlite import SqliteDatabase, SqliteEventStore, SqliteRepository
from itsm_core.errors import RepositoryError, ValidationError
from itsm_core.priority import ITIL_POLICY, PriorityPolicy
from itsm_core.testing import sample_event, sample_ticket
from itsm_core.tickets import Ticket, TicketEvent


def test_repositories_of_several_kinds_share_one_file(tmp_path: Path) -> None:
    database = SqliteDatabase(tmp_path / "itsm.db")
    tickets = SqliteRepository[Ticket](database, "ticket")
    policies = SqliteRepository[PriorityPolicy](database, "priority_policy")
    tickets.save("INC1", sample_ticket("INC1"), 0)
    policies.save("itil", ITIL_POLICY, 0)
    assert tickets.keys() == ("INC1",)
    assert policies.keys() == ("itil",)
    assert policies.get("itil").value == ITIL_POLICY
    assert tickets.find("itil") is None
    database.close()


def test_an_event_the_serializer_does_not_know_is_refused_before_writing(tmp_path: Path) -> None:
    with SqliteEventStore[object](tmp_path / "e.db") as store:
        with pytest.raises(ValidationError, match="not a registered type"):
            store.append("X", [sample_event("X", 1), {"not": "an event"}], 0)
        assert store.read_all() == ()


def test_a_store_can_be_used_again_after_close(tmp_path: Path) -> None:
    store = SqliteEventStore[TicketEvent](tmp_path / "e.db")
    store.append("INC1", [sample_event("INC1", 1)], 0)
    store.close()
    assert store.version("INC1") == 1  # reconnects
    store.close()


def test_a_missing_folder_is_a_repository_error(tmp_path: Path) -> None:
    with pytest.raises(RepositoryError, match="cannot open SQLite database"):
        SqliteDatabase(tmp_path / "no" / "such" / "folder.db")


def test_a_file_that_is_not_a_database_is_a_repository_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(RepositoryError):
        SqliteDatabase(path)


def test_storage_failures_surface_as_repository_errors(tmp_path: Path) -> None:
    store = SqliteEventStore[TicketEvent](tmp_path / "e.db")
    with sqlite3.connect(tmp_path / "e.db") as raw:
        raw.execute("DROP TABLE events")
    with pytest.raises(RepositoryError):
        store.read("INC1")
    with pytest.raises(RepositoryError):
        store.append("INC1", [sample_event("INC1", 1)], 0)
    store.close()


def test_a_writer_that_cannot_get_the_lock_gives_up_with_a_repository_error(
    tmp_path: Path,
) -> None:
    path = tmp_path / "e.db"
    store = SqliteEventStore[TicketEvent](SqliteDatabase(path, busy_timeout=0.05))
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(RepositoryError, match="cannot start a write"):
            store.append("INC1", [sample_event("INC1", 1)], 0)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert store.append("INC1", [sample_event("INC1", 1)], 0) == 1
    store.close()


def test_a_repository_needs_a_kind(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="key"):
        SqliteRepository[Ticket](tmp_path / "r.db", "")
