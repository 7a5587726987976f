"""PostgreSQL specifics beyond the contract: schemas, connections, failures, exact JSON, logs."""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import attrs
import psycopg
import pytest
from psycopg import sql

from itsm_core.adapters.postgresql import PostgresDatabase, PostgresEventStore, PostgresRepository
from itsm_core.errors import RepositoryError, ValidationError
from itsm_core.priority import ITIL_POLICY, PriorityPolicy
from itsm_core.serialization import Serializer
from itsm_core.testing import sample_event, sample_ticket
from itsm_core.tickets import Ticket, TicketEvent


@pytest.fixture
def database(postgres_dsn: str, postgres_schema: str) -> Iterator[PostgresDatabase]:
    database = PostgresDatabase(postgres_dsn, schema=postgres_schema)
    yield database
    database.close()


def _raw(dsn: str) -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(dsn, autocommit=True)


def test_repositories_of_several_kinds_share_one_schema(database: PostgresDatabase) -> None:
    tickets = PostgresRepository[Ticket](database, "ticket")
    policies = PostgresRepository[PriorityPolicy](database, "priority_policy")
    tickets.save("INC1", sample_ticket("INC1"), 0)
    policies.save("itil", ITIL_POLICY, 0)
    assert tickets.keys() == ("INC1",)
    assert policies.keys() == ("itil",)
    assert policies.get("itil").value == ITIL_POLICY
    assert tickets.find("itil") is None


def test_schemas_of_one_database_are_separate_stores(
    database: PostgresDatabase, postgres_dsn: str, postgres_schema: str
) -> None:
    other_schema = postgres_schema + "_b"
    try:
        with PostgresDatabase(postgres_dsn, schema=other_schema) as other:
            mine = PostgresEventStore[TicketEvent](database)
            theirs = PostgresEventStore[TicketEvent](other)
            mine.append("INC1", [sample_event("INC1", 1)], 0)
            assert theirs.read_all() == ()
            theirs.append("INC1", [sample_event("INC1", 1)], 0)
            assert mine.version("INC1") == theirs.version("INC1") == 1
    finally:
        with _raw(postgres_dsn) as raw:
            raw.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(other_schema)))


def test_a_connection_string_or_a_factory_will_do(postgres_dsn: str, postgres_schema: str) -> None:
    with _raw(postgres_dsn) as raw:
        if raw.execute("SELECT to_regclass('public.itsm_events')").fetchone() != (None,):
            pytest.skip("the server already has itsm tables in its public schema")
        try:
            with PostgresEventStore[TicketEvent](postgres_dsn) as public:  # tables in public
                assert public.database.schema == "public"
                assert public.read_all() == ()
        finally:
            raw.execute("DROP TABLE public.itsm_events, public.itsm_receipts, public.itsm_records")
    database = PostgresDatabase(lambda: psycopg.connect(postgres_dsn), schema=postgres_schema)
    with PostgresEventStore[TicketEvent](database) as store:
        assert store.append("INC1", [sample_event("INC1", 1)], 0) == 1


def test_an_event_the_serializer_does_not_know_is_refused_before_writing(
    database: PostgresDatabase,
) -> None:
    store = PostgresEventStore[object](database)
    with pytest.raises(ValidationError, match="not a registered type"):
        store.append("X", [sample_event("X", 1), {"not": "an event"}], 0)
    assert store.read_all() == ()


def test_a_store_can_be_used_again_after_close(database: PostgresDatabase) -> None:
    store = PostgresEventStore[TicketEvent](database)
    store.append("INC1", [sample_event("INC1", 1)], 0)
    store.close()
    assert store.version("INC1") == 1  # reconnects
    store.close()


def test_a_server_that_cannot_be_reached_is_a_repository_error(tmp_path: Path) -> None:
    with pytest.raises(RepositoryError, match=r"connect failed"):
        PostgresDatabase(f"host={tmp_path} port=1 dbname=nothing connect_timeout=2")


def test_storage_failures_surface_as_repository_errors_naming_the_operation(
    database: PostgresDatabase, postgres_dsn: str
) -> None:
    store = PostgresEventStore[TicketEvent](database)
    tickets = PostgresRepository[Ticket](database, "ticket")
    with _raw(postgres_dsn) as raw:
        raw.execute(database.sql("DROP TABLE {events}, {records}"))
    with pytest.raises(RepositoryError, match=r"read 'INC1' failed: .*itsm_events"):
        store.read("INC1")
    with pytest.raises(RepositoryError, match=r"append to 'INC1' failed"):
        store.append("INC1", [sample_event("INC1", 1)], 0)
    with pytest.raises(RepositoryError, match=r"save ticket 'INC1' failed"):
        tickets.save("INC1", sample_ticket("INC1"), 0)
    with pytest.raises(RepositoryError, match=r"list the ticket keys failed"):
        tickets.keys()


def test_text_postgresql_cannot_hold_is_a_repository_error(database: PostgresDatabase) -> None:
    store = PostgresEventStore[TicketEvent](database)
    with pytest.raises(RepositoryError, match="append to 'INC\\\\x001' failed"):
        store.append("INC\x001", [sample_event("INC1", 1)], 0)
    assert store.read_all() == ()


def test_without_create_missing_tables_are_reported_on_use(
    postgres_dsn: str, postgres_schema: str
) -> None:
    database = PostgresDatabase(postgres_dsn, schema=postgres_schema, create=False)
    with database, pytest.raises(RepositoryError, match="read the last position failed"):
        PostgresEventStore[TicketEvent](database).last_position()


def test_a_writer_that_cannot_get_the_lock_gives_up_with_a_repository_error(
    postgres_dsn: str, postgres_schema: str
) -> None:
    database = PostgresDatabase(postgres_dsn, schema=postgres_schema, lock_timeout=0.05)
    store = PostgresEventStore[TicketEvent](database)
    with _raw(postgres_dsn) as blocker, blocker.transaction():
        blocker.execute(database.sql("LOCK TABLE {events} IN EXCLUSIVE MODE"))
        with pytest.raises(RepositoryError, match=r"append to 'INC1' failed: .*lock timeout"):
            store.append("INC1", [sample_event("INC1", 1)], 0)
        assert store.read_all() == ()  # readers do not wait for writers
    assert store.append("INC1", [sample_event("INC1", 1)], 0) == 1
    database.close()


def test_a_dropped_connection_fails_one_call_and_the_next_reconnects(
    database: PostgresDatabase, postgres_dsn: str
) -> None:
    store = PostgresEventStore[TicketEvent](database)
    store.append("INC1", [sample_event("INC1", 1)], 0)
    pid = database.connection().info.backend_pid
    with _raw(postgres_dsn) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        deadline = time.monotonic() + 30  # the signal is asynchronous: wait until it is gone
        while admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", (pid,)).fetchone():
            assert time.monotonic() < deadline
            time.sleep(0.01)
    with pytest.raises(RepositoryError, match="read the version of 'INC1' failed"):
        store.version("INC1")
    assert store.version("INC1") == 1
    assert database.connection().info.backend_pid != pid


def test_a_forked_child_never_closes_its_parents_session(database: PostgresDatabase) -> None:
    store = PostgresEventStore[TicketEvent](database)
    store.append("INC1", [sample_event("INC1", 1)], 0)
    pid = database.connection().info.backend_pid
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        ok = store.version("INC1") == 1 and database.connection().info.backend_pid != pid
        store.close()
        os._exit(0 if ok else 1)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert store.version("INC1") == 1
    assert database.connection().info.backend_pid == pid


def test_envelopes_are_stored_as_the_serializer_wrote_them(
    database: PostgresDatabase, postgres_dsn: str
) -> None:
    # json, not jsonb: jsonb would turn 1e+16 into the integer 10000000000000000 and round
    # 1.2345678901234567e+25 to another number; json keeps the text, and still answers SQL.
    ticket = attrs.evolve(
        sample_ticket("INC1"), attributes={"big": 1.2345678901234567e25, "round": 1e16}
    )
    tickets = PostgresRepository[Ticket](database, "ticket")
    tickets.save("INC1", ticket, 0)
    stored = tickets.get("INC1").value
    assert stored == ticket
    assert type(stored.attributes["round"]) is float
    with _raw(postgres_dsn) as raw:
        row = raw.execute(
            database.sql("SELECT envelope::text, envelope -> 'data' ->> 'requester' FROM {records}")
        ).fetchone()
    assert row == (Serializer().dumps(ticket), "王伟")


def test_connections_and_created_tables_are_logged(
    postgres_dsn: str, postgres_schema: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="itsm_core.adapters.postgresql"):
        PostgresDatabase(postgres_dsn, schema=postgres_schema).close()
        PostgresDatabase(postgres_dsn, schema=postgres_schema).close()  # tables exist now
    messages = [r.getMessage() for r in caplog.records]
    created = [m for m in messages if m.startswith("created tables")]
    assert created == [
        f"created tables itsm_events, itsm_receipts, itsm_records in schema {postgres_schema!r}"
    ]
    assert sum(m.startswith("opened a connection") for m in messages) == 2
    assert all(r.name == "itsm_core.adapters.postgresql" for r in caplog.records)


def test_bad_settings_are_refused_before_connecting() -> None:
    with pytest.raises(ValidationError) as caught:
        PostgresDatabase(42, schema=" ", lock_timeout=0)  # type: ignore[arg-type]
    assert [problem.path for problem in caught.value.problems] == [
        "schema",
        "lock_timeout",
        "conninfo",
    ]


def test_a_repository_needs_a_kind(database: PostgresDatabase) -> None:
    with pytest.raises(ValueError, match="key"):
        PostgresRepository[Ticket](database, "")


PAGE = Path(__file__).resolve().parents[2] / "docs" / "storage" / "postgresql.md"
PAGE_CONNINFO = 'conninfo = "host=/run/postgresql dbname=itsm"'
PAGE_SCHEMA = 'schema="service_desk"'


def test_the_postgresql_page_examples_run(postgres_dsn: str, postgres_schema: str) -> None:
    # The page's ```py blocks need a server, so the docs test (```python only) leaves them to
    # this test, which runs them in order in one namespace on the test server and schema.
    text = PAGE.read_text(encoding="utf-8")
    assert PAGE_CONNINFO in text
    assert PAGE_SCHEMA in text
    text = text.replace(PAGE_CONNINFO, f"conninfo = {postgres_dsn!r}")
    text = text.replace(PAGE_SCHEMA, f"schema={postgres_schema!r}")
    blocks = re.findall(r"^```py\n(.*?)^```$", text, flags=re.M | re.S)
    assert len(blocks) >= 2
    namespace: dict[str, object] = {"__name__": "docs:postgresql.md"}
    for block in blocks:
        exec(compile(block, str(PAGE), "exec"), namespace)
