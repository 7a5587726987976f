"""The in-memory reference passes its own contract suites."""

from __future__ import annotations

from pathlib import Path

from itsm_core.knowledge import Article
from itsm_core.repositories import EventStore, InMemoryEventStore, InMemoryRepository, Repository
from itsm_core.testing import ArticleRepositoryContract, EventStoreContract, RepositoryContract
from itsm_core.tickets import Ticket, TicketEvent


class TestInMemoryEventStore(EventStoreContract):
    def make_event_store(self, tmp_path: Path) -> EventStore[TicketEvent]:
        return InMemoryEventStore()


class TestInMemoryRepository(RepositoryContract):
    def make_repository(self, tmp_path: Path) -> Repository[Ticket]:
        return InMemoryRepository("ticket")


class TestInMemoryArticleRepository(ArticleRepositoryContract):
    def make_repository(self, tmp_path: Path) -> Repository[Article]:
        articles: InMemoryRepository[Article] = InMemoryRepository("article")
        return articles
