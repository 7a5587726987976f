"""The SQLite adapter passes the same contract suites as the in-memory reference."""

from __future__ import annotations

from pathlib import Path

from itsm_core.adapters.sqlite import SqliteEventStore, SqliteRepository
from itsm_core.knowledge import Article
from itsm_core.repositories import EventStore, Repository
from itsm_core.testing import ArticleRepositoryContract, EventStoreContract, RepositoryContract
from itsm_core.tickets import Ticket, TicketEvent


class TestSqliteEventStore(EventStoreContract):
    def make_event_store(self, tmp_path: Path) -> EventStore[TicketEvent]:
        return SqliteEventStore[TicketEvent](tmp_path / "events.db")

    def reopen_event_store(
        self, store: EventStore[TicketEvent], tmp_path: Path
    ) -> EventStore[TicketEvent]:
        return SqliteEventStore[TicketEvent](tmp_path / "events.db")


class TestSqliteRepository(RepositoryContract):
    def make_repository(self, tmp_path: Path) -> Repository[Ticket]:
        return SqliteRepository[Ticket](tmp_path / "records.db", "ticket")

    def reopen_repository(
        self, repository: Repository[Ticket], tmp_path: Path
    ) -> Repository[Ticket]:
        return SqliteRepository[Ticket](tmp_path / "records.db", "ticket")


class TestSqliteArticleRepository(ArticleRepositoryContract):
    def make_repository(self, tmp_path: Path) -> Repository[Article]:
        return SqliteRepository[Article](tmp_path / "records.db", "article")

    def reopen_repository(
        self, repository: Repository[Article], tmp_path: Path
    ) -> Repository[Article]:
        return SqliteRepository[Article](tmp_path / "records.db", "article")
