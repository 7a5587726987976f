"""Every outbox passes the same contract: in memory, SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from itsm_core.adapters.sqlite import SqliteOutbox
from itsm_core.desk import InMemoryOutbox, Outbox
from itsm_core.testing import OutboxContract


class TestInMemoryOutbox(OutboxContract):
    def make_outbox(self, tmp_path: Path) -> Outbox:
        return InMemoryOutbox()


class TestSqliteOutbox(OutboxContract):
    def make_outbox(self, tmp_path: Path) -> Outbox:
        return SqliteOutbox(tmp_path / "desk.db")

    def reopen_outbox(self, outbox: Outbox, tmp_path: Path) -> Outbox:
        return SqliteOutbox(tmp_path / "desk.db")
