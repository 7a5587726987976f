"""PostgreSQL and the in-memory reference agree after every step of random operation sequences.

One schema serves each machine; every generated example starts from emptied tables (cheaper
than a schema per example, and the same empty store).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import settings
from hypothesis.stateful import RuleBasedStateMachine

from itsm_core.adapters.postgresql import PostgresDatabase, PostgresEventStore, PostgresRepository
from itsm_core.testing import event_store_agreement, repository_agreement
from itsm_core.testing._knowledge_strategies import articles
from itsm_core.tickets import TicketEvent


def _emptied(database: PostgresDatabase) -> PostgresDatabase:
    with database.transaction("empty the tables") as connection:
        connection.execute(database.sql("DELETE FROM {events}; DELETE FROM {receipts}"))
        connection.execute(database.sql("DELETE FROM {records}"))
    return database


class _Kept(PostgresEventStore[TicketEvent]):
    """A store whose ``close`` keeps the shared connection (the fixture closes it)."""

    def close(self) -> None:
        pass


class _KeptRepository(PostgresRepository[Any]):
    def close(self) -> None:
        pass


def _on_postgres(
    machine: type[RuleBasedStateMachine],
    factory: Callable[[PostgresDatabase], object],
    examples: settings,
) -> type[Any]:
    """The machine's TestCase, with a schema on the test server for its examples."""

    class Test(machine.TestCase):  # type: ignore[name-defined,misc]
        @pytest.fixture(autouse=True)
        def _postgres(self, postgres_dsn: str, postgres_schema: str) -> Iterator[None]:
            database = PostgresDatabase(postgres_dsn, schema=postgres_schema)
            machine.factory = staticmethod(lambda: factory(_emptied(database)))
            yield
            database.close()

    Test.settings = examples
    return Test


def _not_yet() -> Any:
    raise AssertionError("the fixture sets the factory")


# Fewer examples than SQLite's machines: each step is a few round trips to a server, and the
# contract and process tests cover the concurrency; this hunts for SQL that disagrees.
_steps = settings(stateful_step_count=20, max_examples=40)

TestPostgresEventStoreAgrees = _on_postgres(event_store_agreement(_not_yet), _Kept, _steps)
TestPostgresTicketRepositoryAgrees = _on_postgres(
    repository_agreement(_not_yet),
    lambda db: _KeptRepository(db, "ticket"),
    settings(_steps, max_examples=20),
)
TestPostgresArticleRepositoryAgrees = _on_postgres(
    repository_agreement(_not_yet, values=articles()),
    lambda db: _KeptRepository(db, "article"),
    settings(_steps, max_examples=10),
)
