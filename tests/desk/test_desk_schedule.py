"""The SLA schedule gives what measuring each ticket gives, without reading any event."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itsm_core.adapters.sqlite import SqliteDatabase, SqliteProjectionStore
from itsm_core.calendar import BusinessCalendar, BusinessTime
from itsm_core.desk import (
    InMemoryProjectionStore,
    ProjectionStore,
    SlaSchedule,
    TicketEntry,
    TicketProjection,
    Worklist,
    Worklists,
    catch_up,
)
from itsm_core.errors import CalendarCoverageError, NaiveDatetimeError
from itsm_core.repositories import InMemoryEventStore
from itsm_core.sla import (
    RESOLUTION,
    ClockStatus,
    MetricSpec,
    PolicySet,
    SlaPolicy,
    SlaReport,
    evaluate,
    next_change_at,
)
from itsm_core.testing._desk_logs import OFFICE, POLICIES, START, DeskLog, desk_logs
from itsm_core.tickets import (
    CommandContext,
    Hold,
    HoldReason,
    OpenTicket,
    TicketEvent,
    TicketKind,
    decide,
)

TICKETS = TicketProjection(policies=POLICIES, calendars={"office": OFFICE})


@contextmanager
def projection_store(kind: str) -> Iterator[ProjectionStore]:
    if kind == "memory":
        yield InMemoryProjectionStore()
        return
    with tempfile.TemporaryDirectory() as folder:
        store = SqliteProjectionStore(SqliteDatabase(Path(folder) / "desk.db", synchronous="OFF"))
        try:
            yield store
        finally:
            store.close()


def reports(log: DeskLog, now: dt.datetime) -> list[SlaReport]:
    """Each ticket measured on its own, from its events."""
    return [
        evaluate(POLICIES, events, now, calendars={"office": OFFICE})
        for events in log.histories().values()
    ]


Row = tuple[str, str, int, dt.datetime | None]


def ongoing(found: list[SlaReport]) -> list[tuple[str, str, int, dt.datetime | None]]:
    return [
        (r.ticket_id, c.key, c.cycle, c.due_at) for r in found for c in r.clocks if c.status.ongoing
    ]


def by_due(rows: list[Row]) -> list[Row]:
    return sorted(rows, key=lambda row: (row[3], row[0], row[1]))


@settings(max_examples=20)
@given(
    log=desk_logs(),
    kind=st.sampled_from(["memory", "sqlite"]),
    later=st.integers(0, 60 * 24 * 5),
    window=st.tuples(st.integers(-60 * 24, 60 * 24 * 5), st.integers(0, 60 * 24 * 3)),
    limit=st.none() | st.integers(1, 3),
)
def test_the_schedule_equals_measuring_each_ticket(
    log: DeskLog, kind: str, later: int, window: tuple[int, int], limit: int | None
) -> None:
    now = log.last + dt.timedelta(minutes=later)
    events: InMemoryEventStore[TicketEvent] = InMemoryEventStore()
    log.append_to(events)
    measured = reports(log, now)
    with projection_store(kind) as store:
        catch_up(events, TICKETS, store, batch=4)
        schedule = SlaSchedule(store)
        assert schedule.errors() == ()
        breached = by_due(
            [
                (r.ticket_id, c.key, c.cycle, c.due_at)
                for r in measured
                for c in r.clocks
                if c.status is ClockStatus.BREACHED
            ]
        )
        assert [
            (d.ticket_id, d.clock, d.cycle, d.due_at) for d in schedule.breached(now, limit=limit)
        ] == breached[:limit]
        start = now + dt.timedelta(minutes=window[0])
        end = start + dt.timedelta(minutes=window[1])
        due = by_due([row for row in ongoing(measured) if row[3] and start <= row[3] < end])
        assert [
            (d.ticket_id, d.clock, d.cycle, d.due_at)
            for d in schedule.due_between(start, end, limit=limit)
        ] == due[:limit]
        assert schedule.next_wake_up(now) == next_change_at(measured, now)
        # each ticket's deadlines are its clocks under way, paused ones included
        entries = {e.ticket.id: e for e in _entries(store)}
        assert sorted(
            (d.ticket_id, d.clock, d.cycle, d.due_at)
            for entry in entries.values()
            for d in entry.deadlines
        ) == sorted(ongoing(measured), key=lambda row: (row[0], row[1]))


def _entries(store: ProjectionStore) -> list[TicketEntry]:
    return list(Worklists(store).items(Worklist(), limit=None))


def _opened(ticket_id: str, at: dt.datetime) -> list[TicketEvent]:
    opening = OpenTicket(ticket_id=ticket_id, kind=TicketKind.INCIDENT, requester="bob")
    _, events = decide(None, opening, CommandContext(actor="bob", role="customer", now=at))
    return list(events)


def test_a_paused_clock_has_no_deadline_and_wakes_nobody() -> None:
    events: InMemoryEventStore[TicketEvent] = InMemoryEventStore()
    opened = _opened("INC1", START)
    ticket, held = decide(
        None,
        OpenTicket(ticket_id="INC2", kind=TicketKind.INCIDENT, requester="eve"),
        CommandContext(actor="eve", role="customer", now=START),
    )
    _, hold = decide(
        ticket,
        Hold(reason=HoldReason.AWAITING_CUSTOMER),
        CommandContext(actor="ana", role="agent", now=START + dt.timedelta(hours=1)),
    )
    events.append("INC1", opened, 0)
    events.append("INC2", [*held, *hold], 0)
    policies = PolicySet(
        policies=[
            SlaPolicy(name="p", metrics=[MetricSpec(clock=RESOLUTION, targets={"*": "4 hours"})])
        ]
    )
    store = InMemoryProjectionStore()
    catch_up(events, TicketProjection(policies=policies), store)
    schedule = SlaSchedule(store)
    later = START + dt.timedelta(days=2)
    assert [(d.ticket_id, d.due_at) for d in schedule.breached(later)] == [
        ("INC1", START + dt.timedelta(hours=4))
    ]
    assert schedule.next_wake_up(START) == START + dt.timedelta(hours=4)
    assert schedule.next_wake_up(later) is None
    assert schedule.due_between(None, None) == schedule.breached(later)
    with pytest.raises(NaiveDatetimeError):
        schedule.breached(dt.datetime(2026, 1, 1))


def _three_working_days(calendar: BusinessTime) -> SlaSchedule:
    policies = PolicySet(
        policies=[
            SlaPolicy(
                name="p",
                metrics=[
                    MetricSpec(clock=RESOLUTION, targets={"*": "3 working days"}, calendar="c")
                ],
            )
        ]
    )
    events: InMemoryEventStore[TicketEvent] = InMemoryEventStore()
    events.append("INC1", _opened("INC1", START), 0)
    store = InMemoryProjectionStore()
    catch_up(events, TicketProjection(policies=policies, calendars={"c": calendar}), store)
    return SlaSchedule(store)


def test_clocks_past_a_calendars_coverage_follow_its_weekly_pattern() -> None:
    short = BusinessCalendar.from_dict(
        {
            "name": "short",
            "timezone": "UTC",
            "weekly": {"monday": [["09:00", "17:00"]]},
            "coverage": {"start": "2025-01-01", "end": "2025-03-05"},
        }
    )
    schedule = _three_working_days(short)
    assert schedule.errors() == ()
    assert [d.ticket_id for d in schedule.breached(START + dt.timedelta(days=30))] == ["INC1"]


class _NoTime:
    """A business-time calendar that can answer nothing: every question is out of range."""

    def _refuse(self, when: dt.datetime) -> CalendarCoverageError:
        return CalendarCoverageError("nowhere", when.date(), (dt.date(2000, 1, 1),) * 2)

    def elapsed(self, start: dt.datetime, end: dt.datetime, /) -> dt.timedelta:
        raise self._refuse(start)

    def add(self, start: dt.datetime, duration: dt.timedelta, /) -> dt.datetime:
        raise self._refuse(start)

    def next_working(self, when: dt.datetime, /) -> dt.datetime:
        raise self._refuse(when)


def test_a_ticket_whose_clocks_cannot_be_computed_is_listed_apart() -> None:
    schedule = _three_working_days(_NoTime())
    (entry,) = schedule.errors()
    assert entry.ticket.id == "INC1"
    assert entry.sla_error is not None
    assert entry.sla_error.startswith(("ValidationError", "CalendarCoverageError"))
    assert schedule.breached(START + dt.timedelta(days=30)) == ()
