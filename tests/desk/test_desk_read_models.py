"""Worklists, lookups and the complaint archive equal a plain filter over replayed tickets."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itsm_core.adapters.sqlite import SqliteDatabase, SqliteProjectionStore
from itsm_core.desk import (
    ComplaintArchive,
    InMemoryProjectionStore,
    ProjectionStore,
    TicketEntry,
    TicketLookup,
    TicketProjection,
    Worklist,
    Worklists,
    catch_up,
)
from itsm_core.errors import ValidationError
from itsm_core.repositories import InMemoryEventStore
from itsm_core.sla import evaluate
from itsm_core.testing._desk_logs import (
    AGENTS,
    CATEGORIES,
    CUSTOMERS,
    GROUPS,
    KINDS,
    OFFICE,
    POLICIES,
    START,
    DeskLog,
    desk_logs,
)
from itsm_core.tickets import (
    ComplaintState,
    ComplaintType,
    CustomerTier,
    Ticket,
    TicketEvent,
    replay,
)
from itsm_core.workflow import StatusCategory

TICKETS = TicketProjection(policies=POLICIES, calendars={"office": OFFICE})
STATES = ("new", "in_progress", "on_hold", "received", "analysing", "handling", "feedback")

instants = st.integers(0, 60 * 24 * 8).map(lambda m: START + dt.timedelta(minutes=m))
worklists = st.builds(
    Worklist,
    status=st.none() | st.sampled_from(list(StatusCategory)),
    active=st.none() | st.booleans(),
    state=st.none() | st.sampled_from(STATES),
    kind=st.none() | st.sampled_from(KINDS),
    group=st.none() | st.sampled_from(GROUPS),
    assignee=st.none() | st.sampled_from(AGENTS),
    customer=st.none() | st.sampled_from(CUSTOMERS),
    tier=st.none() | st.sampled_from(list(CustomerTier)),
    category=st.none() | st.sampled_from(CATEGORIES),
    priority=st.none() | st.integers(1, 3),
    complaint_type=st.none() | st.sampled_from(list(ComplaintType)),
    level=st.none() | st.integers(1, 3),
) | st.builds(
    Worklist,
    active=st.none() | st.booleans(),
    group=st.none() | st.sampled_from(GROUPS),
    unassigned=st.booleans(),
    due_before=st.none()
    | st.integers(0, 60 * 24 * 8).map(lambda m: START + dt.timedelta(minutes=m)),
    breached_at=st.none()
    | st.integers(0, 60 * 24 * 8).map(lambda m: START + dt.timedelta(minutes=m)),
)


@contextmanager
def projection_store(kind: str) -> Iterator[ProjectionStore]:
    if kind == "memory":
        yield InMemoryProjectionStore()
        return
    with tempfile.TemporaryDirectory() as folder:
        database = SqliteDatabase(Path(folder) / "desk.db", synchronous="OFF")
        store = SqliteProjectionStore(database)
        try:
            yield store
        finally:
            store.close()


def projected(log: DeskLog, store: ProjectionStore) -> None:
    events: InMemoryEventStore[TicketEvent] = InMemoryEventStore()
    log.append_to(events)
    catch_up(events, TICKETS, store, batch=5)


def replayed(log: DeskLog) -> dict[str, tuple[Ticket, dt.datetime | None]]:
    """Each ticket from its events, with its earliest deadline measured on its own."""
    out = {}
    for ticket_id, events in log.histories().items():
        report = evaluate(POLICIES, events, log.last, calendars={"office": OFFICE})
        dues = [c.due_at for c in report.clocks if c.status.ongoing and c.due_at is not None]
        out[ticket_id] = (replay(events), min(dues) if dues else None)
    return out


def on_list(ticket: Ticket, due: dt.datetime | None, worklist: Worklist) -> bool:
    fields: dict[str, Any] = {
        "status": ticket.status,
        "state": ticket.state,
        "kind": ticket.kind,
        "workflow": ticket.workflow,
        "group": ticket.assignment_group,
        "assignee": ticket.assignee,
        "customer": ticket.requester,
        "tier": ticket.customer_tier,
        "category": ticket.category,
        "priority": ticket.priority,
        "complaint_type": ticket.complaint_type,
        "level": ticket.response_level,
    }
    if any(
        getattr(worklist, name) is not None and getattr(worklist, name) != value
        for name, value in fields.items()
    ):
        return False
    if worklist.active is not None and ticket.is_open is not worklist.active:
        return False
    if worklist.unassigned and ticket.assignee is not None:
        return False
    ends = [worklist.due_before] if worklist.due_before else []
    if worklist.breached_at is not None:
        ends.append(worklist.breached_at + dt.timedelta(microseconds=1))
    return not ends or (due is not None and due < min(ends))


def expected(log: DeskLog, worklist: Worklist) -> list[str]:
    tickets = replayed(log)
    listed = [(t, due) for t, due in tickets.values() if on_list(t, due, worklist)]
    with_due = sorted((due, t.id) for t, due in listed if due is not None)
    without = sorted((t.opened_at, t.id) for t, due in listed if due is None)
    return [ticket_id for _, ticket_id in with_due] + [ticket_id for _, ticket_id in without]


def ids(entries: tuple[TicketEntry, ...]) -> list[str]:
    return [entry.ticket.id for entry in entries]


@settings(max_examples=25)
@given(
    log=desk_logs(),
    kind=st.sampled_from(["memory", "sqlite"]),
    lists=st.lists(worklists, min_size=1, max_size=4),
    limit=st.none() | st.integers(1, 3),
)
def test_worklists_equal_a_filter_over_replayed_tickets(
    log: DeskLog, kind: str, lists: list[Worklist], limit: int | None
) -> None:
    with projection_store(kind) as store:
        projected(log, store)
        views = Worklists(store)
        for worklist in lists:
            want = expected(log, worklist)
            assert ids(views.items(worklist, limit=limit)) == want[:limit]
            assert views.count(worklist) == len(want)
        entries = views.items(Worklist(), limit=None)
        tickets = replayed(log)
        assert {e.ticket.id: (e.ticket, e.due_at) for e in entries} == tickets


@settings(max_examples=15)
@given(
    log=desk_logs(),
    kind=st.sampled_from(["memory", "sqlite"]),
    customer=st.sampled_from(CUSTOMERS),
    active=st.none() | st.booleans(),
    reference=st.sampled_from(["ZD-0", "ZD-1", "ZD-2"]),
)
def test_lookups_equal_a_filter_over_replayed_tickets(
    log: DeskLog, kind: str, customer: str, active: bool | None, reference: str
) -> None:
    tickets = [t for t, _ in replayed(log).values()]
    oldest_first = sorted(tickets, key=lambda t: (t.opened_at, t.id))
    with projection_store(kind) as store:
        projected(log, store)
        lookup = TicketLookup(store)
        for ticket in tickets:
            found = lookup.get(ticket.id)
            assert found is not None
            assert found.ticket == ticket
        assert lookup.get("nobody") is None
        assert ids(lookup.by_attribute("external_id", reference)) == [
            t.id for t in oldest_first if t.attributes["external_id"] == reference
        ]
        assert ids(lookup.by_customer(customer, active=active)) == [
            t.id
            for t in oldest_first
            if t.requester == customer and (active is None or t.is_open is active)
        ]


@settings(max_examples=15)
@given(
    log=desk_logs(),
    kind=st.sampled_from(["memory", "sqlite"]),
    complaint_type=st.none() | st.sampled_from(list(ComplaintType)),
    state=st.none() | st.sampled_from(list(ComplaintState)),
    status=st.none() | st.sampled_from(list(StatusCategory)),
    by=st.sampled_from(["opened", "updated", "resolved", "closed"]),
    window=st.tuples(st.integers(0, 60 * 24 * 8), st.integers(0, 60 * 24 * 8)),
)
def test_the_complaint_archive_equals_a_filter_over_replayed_tickets(
    log: DeskLog,
    kind: str,
    complaint_type: ComplaintType | None,
    state: ComplaintState | None,
    status: StatusCategory | None,
    by: str,
    window: tuple[int, int],
) -> None:
    start = START + dt.timedelta(minutes=window[0])
    end = start + dt.timedelta(minutes=window[1])
    complaints = []
    for ticket, _ in replayed(log).values():
        at = {
            "opened": ticket.opened_at,
            "updated": ticket.updated_at,
            "resolved": ticket.resolved_at,
            "closed": ticket.closed_at,
        }[by]
        if (
            ticket.kind == "complaint"
            and complaint_type in (None, ticket.complaint_type)
            and state in (None, ticket.state)
            and status in (None, ticket.status)
            and at is not None
            and start <= at < end
        ):
            complaints.append((at, ticket.id, ticket.complaint_type))
    complaints.sort()
    with projection_store(kind) as store:
        projected(log, store)
        archive = ComplaintArchive(store)
        found = archive.find(
            complaint_type=complaint_type, state=state, status=status, start=start, end=end, by=by
        )
        assert ids(found) == [ticket_id for _, ticket_id, _ in complaints]
        counts = archive.count_by_type(state=state, status=status, start=start, end=end, by=by)
        if complaint_type is None:
            totals: dict[ComplaintType, int] = {}
            for _, _, kind_of in complaints:
                if kind_of is not None:
                    totals[kind_of] = totals.get(kind_of, 0) + 1
            assert counts == dict(sorted(totals.items()))


@pytest.mark.parametrize(
    ("fields", "path"),
    [
        ({"status": "pending"}, "status"),
        ({"kind": 3}, "kind"),
        ({"group": " "}, "group"),
        ({"level": 0}, "level"),
        ({"priority": True}, "priority"),
        ({"active": "yes"}, "active"),
        ({"unassigned": True, "assignee": "ana"}, "unassigned"),
        ({"due_before": dt.datetime(2026, 1, 1)}, "due_before"),
    ],
)
def test_a_worklist_refuses_what_no_ticket_can_match(fields: dict[str, Any], path: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Worklist(**fields)
    assert [problem.path for problem in caught.value.problems] == [path]


def test_queries_refuse_bad_arguments() -> None:
    store = InMemoryProjectionStore()
    with pytest.raises(ValidationError):
        Worklists(store).items("open")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        TicketLookup(store).by_attribute("external_id", 1.5)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        TicketLookup(store).by_customer("")
    with pytest.raises(ValidationError) as caught:
        ComplaintArchive(store).find(complaint_type="rude", by="filed")
    assert [problem.path for problem in caught.value.problems] == ["complaint_type", "by"]
    with pytest.raises(ValidationError):
        Worklists(store, name="")


def test_worklist_values_may_be_given_as_text() -> None:
    assert Worklist(status="on_hold", kind="complaint") == Worklist(
        status=StatusCategory.ON_HOLD, kind=KINDS[1]
    )
    assert Worklist(status="open", unassigned=True).terms() == {"status=open", "assignee="}
