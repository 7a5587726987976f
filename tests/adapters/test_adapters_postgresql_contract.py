"""The PostgreSQL adapter passes the same contract suites as the in-memory reference.

Each test runs in a schema of its own on a real server (see ``conftest.py``: a throwaway
cluster, or ``ITSM_TEST_POSTGRES_DSN``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from itsm_core.adapters.postgresql import PostgresDatabase, PostgresEventStore, PostgresRepository
from itsm_core.knowledge import Article
from itsm_core.repositories import EventStore, Repository
from itsm_core.testing import ArticleRepositoryContract, EventStoreContract, RepositoryContract
from itsm_core.tickets import Ticket, TicketEvent


class _OnPostgres:
    """Gives each test the server and a fresh schema before the contract's fixtures run."""

    dsn: str
    schema: str

    @pytest.fixture(autouse=True)
    def _postgres(self, postgres_dsn: str, postgres_schema: str) -> None:
        self.dsn, self.schema = postgres_dsn, postgres_schema

    def database(self) -> PostgresDatabase:
        return PostgresDatabase(self.dsn, schema=self.schema)


class TestPostgresEventStore(_OnPostgres, EventStoreContract):
    def make_event_store(self, tmp_path: Path) -> EventStore[TicketEvent]:
        return PostgresEventStore[TicketEvent](self.database())

    def reopen_event_store(
        self, store: EventStore[TicketEvent], tmp_path: Path
    ) -> EventStore[TicketEvent]:
        return PostgresEventStore[TicketEvent](self.database())


class TestPostgresRepository(_OnPostgres, RepositoryContract):
    def make_repository(self, tmp_path: Path) -> Repository[Ticket]:
        return PostgresRepository[Ticket](self.database(), "ticket")

    def reopen_repository(
        self, repository: Repository[Ticket], tmp_path: Path
    ) -> Repository[Ticket]:
        return PostgresRepository[Ticket](self.database(), "ticket")


class TestPostgresArticleRepository(_OnPostgres, ArticleRepositoryContract):
    def make_repository(self, tmp_path: Path) -> Repository[Article]:
        return PostgresRepository[Article](self.database(), "article")

    def reopen_repository(
        self, repository: Repository[Article], tmp_path: Path
    ) -> Repository[Article]:
        return PostgresRepository[Article](self.database(), "article")
