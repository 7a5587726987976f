"""The customer profile read model and the follow-up desk: a desk's week in small, and the
projection law (any batches, restarts and rival runners give the read model of one rebuild)."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itsm_core.customers import (
    Customer,
    CustomerDirectory,
    FollowUpOutcome,
    RecordAttempt,
    ScheduleFollowUp,
    SurveyAnswered,
    decide_follow_up,
)
from itsm_core.desk import (
    CustomerProfileProjection,
    CustomerProfiles,
    FollowUpDesk,
    InMemoryProjectionStore,
    RowQuery,
    ServiceDesk,
    Subscription,
    catch_up,
)
from itsm_core.errors import NotFound, ValidationError
from itsm_core.kernel import Context
from itsm_core.repositories import InMemoryEventStore
from itsm_core.testing._desk_logs import OFFICE, POLICIES, START, DeskLog, desk_logs
from itsm_core.tickets import Assign, Reopen, Resolve, TicketKind
from itsm_core.workflow import StatusCategory

DIRECTORY = CustomerDirectory(
    [
        Customer(id="acme", name="ACME", tier="vip", segment="high"),
        Customer(id="globex", name="Globex", segment="low"),
    ]
)


def hours(n: float) -> dt.datetime:
    return START + dt.timedelta(hours=n)


def test_a_follow_up_finds_a_dissatisfied_customer_and_the_ticket_reopens() -> None:
    events: InMemoryEventStore[Any] = InMemoryEventStore()
    numbers = itertools.count(1)

    def ids() -> str:
        return f"id-{next(numbers)}"

    desk = ServiceDesk(store=events, ids=ids, sla=POLICIES, calendars={"office": OFFICE})
    follow_ups = FollowUpDesk(store=events, ids=ids)
    for n, requester in enumerate(("acme", "acme", "globex")):
        opening = DIRECTORY.opening(requester, ticket_id=f"T{n}", kind=TicketKind.INCIDENT)
        desk.execute(f"T{n}", opening, actor="ana", role="agent", now=hours(n))
        assign = Assign(group="desk", assignee="ana")
        desk.execute(f"T{n}", assign, actor="ana", role="agent", now=hours(n + 0.5))
        desk.execute(
            f"T{n}", Resolve(code="fixed", note="ok"), actor="ana", role="agent", now=hours(n + 1)
        )
    schedule = ScheduleFollowUp(
        task_id="FU-T0", ticket_id="T0", customer="acme", policy="p", due_at=hours(24)
    )
    follow_ups.execute("FU-T0", schedule, actor="ana", role="agent", now=hours(2))
    events.append("S1", [SurveyAnswered(survey_id="S1", ticket_id="T1", at=hours(3), score=4)], 0)

    store = InMemoryProjectionStore()
    projection = CustomerProfileProjection(
        directory=DIRECTORY, policies=POLICIES, calendars={"office": OFFICE}
    )
    catch_up(events, projection, store)
    profiles = CustomerProfiles(store)
    assert profiles.due_follow_ups(hours(23)) == ()
    (due,) = profiles.due_follow_ups(hours(24))
    assert (due.task_id, due.ticket_id) == ("FU-T0", "T0")

    result = follow_ups.execute(
        "FU-T0",
        RecordAttempt(reached=True, satisfied=False, score=2, note="VPN still drops"),
        actor="ana",
        role="agent",
        now=hours(25),
    )
    assert result.task.outcome is FollowUpOutcome.DISSATISFIED
    assert isinstance(result.ticket_command, Reopen)
    reopened = desk.execute(
        "T0", result.ticket_command, actor="ana", role="agent", now=hours(25)
    ).ticket
    assert (reopened.status, reopened.reopen_count) == (StatusCategory.OPEN, 1)

    catch_up(events, projection, store)
    assert profiles.due_follow_ups(hours(100)) == ()
    acme = profiles.profile("acme", hours(26))
    assert (acme.tickets, acme.open, acme.closed, dict(acme.by_kind)) == (2, 1, 0, {"incident": 2})
    assert acme.scores == (4, 2)  # the survey of T1, then the follow-up of T0
    assert [e.source for e in acme.satisfaction] == ["survey", "follow_up"]
    assert acme.churn_risk == "low"
    assert acme.sla_met + acme.sla_breached > 0
    assert profiles.profile("globex", hours(26)).churn_risk is None
    assert profiles.profile("nobody", hours(26)).tickets == 0
    assert follow_ups.task("FU-T0") == result.task


def test_the_follow_up_desk_refuses_what_it_cannot_do() -> None:
    events: InMemoryEventStore[Any] = InMemoryEventStore()
    desk = FollowUpDesk(store=events, ids=lambda: "x")
    with pytest.raises(NotFound):
        desk.task("FU1")
    with pytest.raises(NotFound):
        desk.execute("FU1", RecordAttempt(reached=False), actor="a", role="agent", now=hours(0))
    schedule = ScheduleFollowUp(
        task_id="FU1", ticket_id="T0", customer="acme", policy="p", due_at=hours(24)
    )
    with pytest.raises(ValidationError, match="task id"):
        desk.execute("FU2", schedule, actor="a", role="agent", now=hours(0))
    with pytest.raises(ValidationError):
        FollowUpDesk(store=object(), ids="x")  # type: ignore[arg-type]
    assert events.last_position() == 0


def follow_up_appends(log: DeskLog, data: st.DataObject) -> list[tuple[str, list[Any]]]:
    """The log's appends, with follow-ups of some tickets and survey answers in between."""
    appends: list[tuple[str, list[Any]]] = [(s, list(batch)) for s, batch in log.appends]
    made: dict[str, list[list[Any]]] = {}  # each stream's batches in the order they were made
    for stream, batch in appends:
        made.setdefault(stream, []).append(batch)
    tickets = sorted(log.histories())
    for ticket_id in data.draw(st.lists(st.sampled_from(tickets), unique=True, max_size=3)):
        at = log.last
        ctx = Context(actor="ana", role="agent", now=at)
        command = ScheduleFollowUp(
            task_id=f"FU-{ticket_id}",
            ticket_id=ticket_id,
            customer="li",
            policy="p",
            due_at=at,
            max_attempts=2,
        )
        task, events = decide_follow_up(None, command, ctx)
        batches = [list(events)]
        for _ in range(data.draw(st.integers(0, 2))):
            if not task.is_open:
                break
            reached = data.draw(st.booleans())
            attempt = RecordAttempt(
                reached=reached,
                satisfied=data.draw(st.booleans()) if reached else None,
                score=data.draw(st.integers(1, 5)) if reached else None,
            )
            task, events = decide_follow_up(task, attempt, ctx)
            batches.append(list(events))
        made[task.task_id] = batches
        if data.draw(st.booleans()):
            answer = SurveyAnswered(survey_id=f"S-{ticket_id}", ticket_id=ticket_id, at=at, score=3)
            made[answer.survey_id] = [[answer]]
    # interleave the streams at random, each stream's batches in the order they were made
    streams = [stream for stream, batches in made.items() for _ in batches]
    shuffled = data.draw(st.permutations(streams))
    return [(stream, made[stream].pop(0)) for stream in shuffled]


def load(events: InMemoryEventStore[Any], appends: list[tuple[str, list[Any]]]) -> None:
    versions: dict[str, int] = {}
    for stream, batch in appends:
        events.append(stream, batch, versions.get(stream, 0))
        versions[stream] = versions.get(stream, 0) + len(batch)


PROJECTION = CustomerProfileProjection(
    directory=CustomerDirectory([Customer(id="acme", name="ACME", contacts=[])]),
    policies=POLICIES,
    calendars={"office": OFFICE},
)


@settings(max_examples=8, deadline=None)
@given(log=desk_logs(max_tickets=4, max_steps=12), data=st.data())
def test_any_batches_and_restarts_give_the_read_model_of_one_rebuild(
    log: DeskLog, data: st.DataObject
) -> None:
    appends = follow_up_appends(log, data)
    events: InMemoryEventStore[Any] = InMemoryEventStore()
    load(events, appends)
    clean = InMemoryProjectionStore()
    catch_up(events, PROJECTION, clean, batch=10_000)

    store = InMemoryProjectionStore()
    for size in data.draw(st.lists(st.integers(1, 5), min_size=1, max_size=4)):
        with contextlib.suppress(Exception):  # never raises; each run a new process
            Subscription(events, PROJECTION, store, batch=size, cache=0).catch_up(max_batches=2)
    Subscription(events, PROJECTION, store, batch=3).catch_up()
    rows = [hit.row for hit in store.select(PROJECTION.name, RowQuery())]
    assert rows == [hit.row for hit in clean.select(PROJECTION.name, RowQuery())]
    profiles = CustomerProfiles(store)
    for customer in ("bob", "eve", "li"):
        assert profiles.profile(customer, log.last) == CustomerProfiles(clean).profile(
            customer, log.last
        )
