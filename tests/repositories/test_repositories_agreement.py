"""The differential state machines: they pass on agreeing stores and catch a broken one."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import run_state_machine_as_test

from itsm_core.repositories import (
    EventMetadata,
    ExpectedVersion,
    InMemoryEventStore,
    InMemoryRepository,
    Versioned,
)
from itsm_core.testing import event_store_agreement, repository_agreement
from itsm_core.tickets import TicketEvent

TestReferenceAgreesWithItself = event_store_agreement(InMemoryEventStore).TestCase
TestReferenceAgreesWithItself.settings = settings(stateful_step_count=20)


class LastWriterWins(InMemoryEventStore[TicketEvent]):
    """A classic bug: the version check is skipped, so a stale append goes through."""

    def append(
        self,
        stream: str,
        events: Sequence[TicketEvent],
        expected_version: int | ExpectedVersion,
        *,
        metadata: Sequence[EventMetadata] | None = None,
        idempotency_key: str | None = None,
    ) -> int:
        return super().append(
            stream,
            events,
            self.version(stream),
            metadata=metadata,
            idempotency_key=idempotency_key,
        )


class ForgetfulRepository(InMemoryRepository[object]):
    """Another: a save that reports success but keeps the old value."""

    def save(self, key: str, value: object, expected_version: int) -> Versioned[object]:
        current = self.find(key)
        saved = super().save(key, value, expected_version)
        if current is not None:
            super().save(key, current.value, saved.version)
            return Versioned(key, saved.version, value)
        return saved


@pytest.mark.parametrize(
    "machine",
    [
        event_store_agreement(LastWriterWins),
        repository_agreement(lambda: ForgetfulRepository("ticket"), values=st.integers()),
    ],
    ids=["stale-appends-accepted", "saves-forgotten"],
)
def test_the_machine_catches_a_store_that_disagrees(machine: type) -> None:
    quick = settings(
        max_examples=100, database=None, suppress_health_check=list(HealthCheck), deadline=None
    )
    with pytest.raises(AssertionError):
        run_state_machine_as_test(machine, settings=quick)
