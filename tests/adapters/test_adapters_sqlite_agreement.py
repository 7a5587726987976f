"""SQLite and the in-memory reference agree after every step of random operation sequences."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import settings

from itsm_core.adapters.sqlite import SqliteDatabase, SqliteEventStore, SqliteRepository
from itsm_core.serialization import Serializer
from itsm_core.testing import event_store_agreement, repository_agreement
from itsm_core.testing._knowledge_strategies import articles
from itsm_core.testing._strategies import surveys
from itsm_core.tickets import TicketEvent

# One serializer for every example: each store still gets a new database, without building a
# converter (its hooks compiled anew, ~15 ms) for each.
SERIALIZER = Serializer()


class _Cleaned(SqliteEventStore[TicketEvent]):
    """A store in its own temporary folder, removed on close."""

    def close(self) -> None:
        super().close()
        shutil.rmtree(self.database.path.parent, ignore_errors=True)


def _event_store() -> SqliteEventStore[TicketEvent]:
    folder = Path(tempfile.mkdtemp(prefix="itsm-agree-"))
    # NORMAL is crash-safe in WAL mode and spares an fsync per step.
    return _Cleaned(
        SqliteDatabase(folder / "store.db", synchronous="NORMAL"), serializer=SERIALIZER
    )


class _CleanedRepository(SqliteRepository[object]):
    def close(self) -> None:
        super().close()
        shutil.rmtree(self.database.path.parent, ignore_errors=True)


def _repository(kind: str) -> SqliteRepository[object]:
    folder = Path(tempfile.mkdtemp(prefix="itsm-agree-"))
    database = SqliteDatabase(folder / "store.db", synchronous="NORMAL")
    return _CleanedRepository(database, kind, serializer=SERIALIZER)


_steps = settings(stateful_step_count=20)

TestSqliteEventStoreAgrees = event_store_agreement(_event_store).TestCase
TestSqliteEventStoreAgrees.settings = _steps
TestSqliteTicketRepositoryAgrees = repository_agreement(lambda: _repository("ticket")).TestCase
TestSqliteTicketRepositoryAgrees.settings = _steps
TestSqliteSurveyRepositoryAgrees = repository_agreement(
    lambda: _repository("survey"), values=surveys()
).TestCase
TestSqliteSurveyRepositoryAgrees.settings = settings(_steps, max_examples=20)
TestSqliteArticleRepositoryAgrees = repository_agreement(
    lambda: _repository("article"), values=articles()
).TestCase
TestSqliteArticleRepositoryAgrees.settings = settings(_steps, max_examples=20)
