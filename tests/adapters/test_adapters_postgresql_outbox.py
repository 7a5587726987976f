"""The PostgreSQL outbox passes the same contract as the in-memory reference."""

from __future__ import annotations

from pathlib import Path

import pytest

from itsm_core.adapters.postgresql import PostgresDatabase, PostgresOutbox
from itsm_core.desk import Outbox
from itsm_core.testing import OutboxContract


class TestPostgresOutbox(OutboxContract):
    dsn: str
    schema: str

    @pytest.fixture(autouse=True)
    def _postgres(self, postgres_dsn: str, postgres_schema: str) -> None:
        self.dsn, self.schema = postgres_dsn, postgres_schema

    def make_outbox(self, tmp_path: Path) -> Outbox:
        return PostgresOutbox(PostgresDatabase(self.dsn, schema=self.schema))

    def reopen_outbox(self, outbox: Outbox, tmp_path: Path) -> Outbox:
        return PostgresOutbox(PostgresDatabase(self.dsn, schema=self.schema))
