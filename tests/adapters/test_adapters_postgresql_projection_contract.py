"""The PostgreSQL projection store passes the same contract as the in-memory reference."""

from __future__ import annotations

from pathlib import Path

import pytest

from itsm_core.adapters.postgresql import PostgresDatabase, PostgresProjectionStore
from itsm_core.desk import ProjectionStore
from itsm_core.testing import ProjectionStoreContract


class TestPostgresProjectionStore(ProjectionStoreContract):
    dsn: str
    schema: str

    @pytest.fixture(autouse=True)
    def _postgres(self, postgres_dsn: str, postgres_schema: str) -> None:
        self.dsn, self.schema = postgres_dsn, postgres_schema

    def make_projection_store(self, tmp_path: Path) -> ProjectionStore:
        return PostgresProjectionStore(PostgresDatabase(self.dsn, schema=self.schema))

    def reopen_projection_store(self, store: ProjectionStore, tmp_path: Path) -> ProjectionStore:
        return PostgresProjectionStore(PostgresDatabase(self.dsn, schema=self.schema))
