"""The SQLite projection store passes the same contract as the in-memory reference."""

from __future__ import annotations

from pathlib import Path

from itsm_core.adapters.sqlite import SqliteProjectionStore
from itsm_core.desk import ProjectionStore
from itsm_core.testing import ProjectionStoreContract


class TestSqliteProjectionStore(ProjectionStoreContract):
    def make_projection_store(self, tmp_path: Path) -> ProjectionStore:
        return SqliteProjectionStore(tmp_path / "desk.db")

    def reopen_projection_store(self, store: ProjectionStore, tmp_path: Path) -> ProjectionStore:
        return SqliteProjectionStore(tmp_path / "desk.db")
