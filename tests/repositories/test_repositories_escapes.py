"""Stores refuse positions and versions no 64-bit integer holds, alike: SQLite raised
OverflowError for them while the in-memory store answered."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

from itsm_core.adapters.sqlite import SqliteEventStore, SqliteRepository
from itsm_core.errors import ValidationError
from itsm_core.repositories import InMemoryEventStore, InMemoryRepository
from itsm_core.testing import sample_event, sample_ticket
from itsm_core.tickets import Ticket, TicketEvent

TOO_LARGE = (2**63, 10**5000)


@pytest.mark.parametrize("value", TOO_LARGE, ids=["2**63", "huge"])
def test_positions_and_versions_past_64_bits_are_refused_by_every_store(
    tmp_path: Path, value: int
) -> None:
    stores: list[InMemoryEventStore[TicketEvent] | SqliteEventStore[TicketEvent]] = [
        InMemoryEventStore(),
        SqliteEventStore(tmp_path / "events.db"),
    ]
    for store in stores:
        with pytest.raises(ValidationError, match="after"):
            store.read_all(after=value)
        with pytest.raises(ValidationError, match="limit"):
            store.read_all(limit=value)
        with pytest.raises(ValidationError, match="after"):
            store.read("INC1", after=value)
        with pytest.raises(ValidationError, match="expected_version"):
            store.append("INC1", [sample_event("INC1", 1)], value)
        assert store.read_all() == ()
    repositories: list[InMemoryRepository[Ticket] | SqliteRepository[Ticket]] = [
        InMemoryRepository("ticket"),
        SqliteRepository(tmp_path / "records.db", "ticket"),
    ]
    for repository in repositories:
        with pytest.raises(ValidationError, match="expected_version"):
            repository.save("K1", sample_ticket("K1"), value)
        assert repository.keys() == ()


def test_integers_no_store_can_write_are_refused_by_every_store(tmp_path: Path) -> None:
    """SQLite failed with ValueError (no text for 5001 digits) where memory kept the value."""
    ticket = attrs.evolve(sample_ticket("K1"), attributes={"count": 10**5000})
    repositories: list[InMemoryRepository[Ticket] | SqliteRepository[Ticket]] = [
        InMemoryRepository("ticket"),
        SqliteRepository(tmp_path / "records.db", "ticket"),
    ]
    for repository in repositories:
        with pytest.raises(ValidationError, match=r"value\.attributes\.count: an integer of about"):
            repository.save("K1", ticket, 0)
        assert repository.keys() == ()
    event = attrs.evolve(sample_event("INC1", 1), payload={"attributes": {"n": 10**5000}})
    stores: list[InMemoryEventStore[TicketEvent] | SqliteEventStore[TicketEvent]] = [
        InMemoryEventStore(),
        SqliteEventStore(tmp_path / "events.db"),
    ]
    for store in stores:
        with pytest.raises(ValidationError, match=r"events\[0\]\.payload\.attributes\.n"):
            store.append("INC1", [event], 0)
        assert store.read_all() == ()
