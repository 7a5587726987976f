"""Calls through the desk layer: events in the store, the call read model, KPIs from it."""

from __future__ import annotations

import datetime as dt

import pytest

from itsm_core.calls import CALL, CallEvent, call_events, interval_kpis
from itsm_core.desk import CallLog, CallProjection, InMemoryProjectionStore, ProjectionRow, catch_up
from itsm_core.errors import DeserializationError
from itsm_core.repositories import InMemoryEventStore

T = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
S = dt.timedelta(seconds=1)


def test_the_call_log_gives_the_kpis_the_calls_give() -> None:
    store: InMemoryEventStore[CallEvent] = InMemoryEventStore()
    calls = []
    for i, (wait, agent) in enumerate([(5, "ana"), (30, None), (12, "bo"), (3, None)]):
        events = call_events(
            f"C{i}",
            T + i * 400 * S,
            queue="vpn" if i % 2 else "mail",
            wait=wait * S,
            answered_by=agent,
            talk=100 * S,
            wrap_up=20 * S,
        )
        store.append(f"C{i}", events[:2], 0)  # in two appends, as a switch reports them
        store.append(f"C{i}", events[2:], 2)
        calls.append(CALL.replay(events))
    rows = InMemoryProjectionStore()
    catch_up(store, CallProjection(), rows, batch=3)
    log = CallLog(rows)
    assert log.offered(T, T + dt.timedelta(hours=1)) == tuple(calls)
    assert [c.call_id for c in log.offered(T, T + dt.timedelta(hours=1), queue="vpn")] == [
        "C1",
        "C3",
    ]
    end = T + dt.timedelta(minutes=30)
    quarter = dt.timedelta(minutes=15)
    expected = interval_kpis(calls, start=T, end=end, interval=quarter, staffed={T: 1})
    assert log.kpis(T, end, interval=quarter, staffed={T: 1}) == expected


def test_a_row_that_holds_no_call_is_a_deserialization_error() -> None:
    with pytest.raises(DeserializationError, match="C9"):
        CallProjection().load(
            ProjectionRow("C9", '{"call_id": 3}', set(), []), InMemoryEventStore()
        )
