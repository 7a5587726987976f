"""The operations streams in SQLite: calls, follow-ups and survey answers, emergency activations
and drills, beside tickets in one desk log; what is appended reads back and replays, and the
call and customer read models built over the SQLite log equal those built in memory."""

from __future__ import annotations

import datetime as dt
import itertools
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from itsm_core.adapters.sqlite import SqliteDatabase, SqliteEventStore, SqliteRepository
from itsm_core.calls import CALL, call_events
from itsm_core.customers import (
    FOLLOW_UP,
    RecordAttempt,
    ScheduleFollowUp,
    SurveyAnswered,
)
from itsm_core.desk import (
    CallLog,
    CallProjection,
    CustomerProfileProjection,
    CustomerProfiles,
    FollowUpDesk,
    InMemoryProjectionStore,
    ServiceDesk,
    catch_up,
)
from itsm_core.emergency import (
    ACTIVATION,
    DRILL,
    ActivatePlan,
    ActivationCommand,
    EmergencyPlan,
    PostEventReview,
    RecordCommunication,
    RecordDrill,
    RecordReview,
    RecordStep,
    RescheduleDrill,
    ScheduleDrill,
    StandDown,
    Trigger,
    decide_activation,
    decide_drill,
)
from itsm_core.inspection import HOTLINE_SHEET, Candidate, Inspection, SubjectKind, inspect
from itsm_core.kernel import Context
from itsm_core.repositories import EventStore, InMemoryEventStore
from itsm_core.testing._desk_logs import OFFICE, POLICIES, START
from itsm_core.tickets import Assign, OpenTicket, Resolve, TicketKind

S = dt.timedelta(seconds=1)
PLAN = EmergencyPlan.from_dict(
    {
        "plan_id": "EP-1",
        "title": "Network outage",
        "event_types": ["outage"],
        "likelihood": 3,
        "severity": 1,
        "owner": "ops",
        "review_by": "2026-06-30",
        "roles": {"commander": "ops-manager"},
        "response_flow": [{"name": "assemble", "role": "commander", "within_minutes": 15}],
        "communication": [{"audience": "customers", "channel": "sms", "within_minutes": 30}],
    }
)


def hours(n: float) -> dt.datetime:
    return START + dt.timedelta(hours=n)


def context(n: float) -> Context:
    return Context(actor="duty", role="manager", now=hours(n))


def desk_log(events: EventStore[Any]) -> None:
    """A day of the desk on ``events``: tickets, a follow-up, a survey answer, two calls, an
    activation and a drill."""
    numbers = itertools.count(1)
    desk = ServiceDesk(
        store=events, ids=lambda: f"id-{next(numbers)}", sla=POLICIES, calendars={"office": OFFICE}
    )
    follow_ups = FollowUpDesk(store=events, ids=lambda: f"fu-{next(numbers)}")
    for n in range(2):
        opening = OpenTicket(
            ticket_id=f"T{n}", kind=TicketKind.INCIDENT, requester="acme", symptom="VPN drops"
        )
        desk.execute(f"T{n}", opening, actor="ana", role="agent", now=hours(n))
        assign = Assign(group="desk", assignee="ana")
        desk.execute(f"T{n}", assign, actor="ana", role="agent", now=hours(n + 0.5))
        resolve = Resolve(code="fixed", note="ok")
        desk.execute(f"T{n}", resolve, actor="ana", role="agent", now=hours(n + 1))
    schedule = ScheduleFollowUp(
        task_id="FU-T0", ticket_id="T0", customer="acme", policy="p", due_at=hours(24)
    )
    follow_ups.execute("FU-T0", schedule, actor="ana", role="agent", now=hours(2))
    attempt = RecordAttempt(reached=True, satisfied=False, score=2, note="still drops")
    follow_ups.execute("FU-T0", attempt, actor="ana", role="agent", now=hours(25))
    events.append("S1", [SurveyAnswered(survey_id="S1", ticket_id="T1", at=hours(3), score=4)], 0)
    for i, agent in enumerate(("ana", None)):
        calls = call_events(
            f"C{i}",
            hours(4) + i * 60 * S,
            queue="vpn",
            wait=20 * S,
            answered_by=agent,
            talk=120 * S,
            wrap_up=30 * S,
            callback=agent is None,
            ticket_id="T0",
        )
        events.append(f"C{i}", calls, 0)
    activation, activated = decide_activation(
        None,
        ActivatePlan(
            activation_id="A1", plan=PLAN, event_type="outage", trigger=Trigger.DECLARED, level=1
        ),
        context(5),
    )
    history = list(activated)
    review = PostEventReview(
        cause="a switch failed",
        response_effect="good",
        resources_used="2 engineers",
        improvements=["spare switch"],
    )
    commands: list[ActivationCommand] = [
        RecordStep(step="assemble"),
        RecordCommunication(audience="customers"),
        StandDown(summary="restored"),
        RecordReview(review=review),
    ]
    for n, command in enumerate(commands):
        activation, more = decide_activation(activation, command, context(5.1 + n / 10))
        history.extend(more)
    events.append("A1", history, 0)
    drill, scheduled = decide_drill(
        None,
        ScheduleDrill(drill_id="D1", plan_id="EP-1", scenario="core down", planned_at=hours(48)),
        context(6),
    )
    drill, moved = decide_drill(drill, RescheduleDrill(planned_at=hours(50)), context(7))
    drill, held = decide_drill(drill, RecordDrill(participants=["ana", "bo"]), context(50))
    events.append("D1", [*scheduled, *moved, *held], 0)


@pytest.fixture
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def test_the_operations_streams_survive_sqlite_and_feed_the_read_models(folder: Path) -> None:
    memory: InMemoryEventStore[Any] = InMemoryEventStore()
    desk_log(memory)
    database = SqliteDatabase(folder / "desk.db", synchronous="NORMAL")
    desk_log(SqliteEventStore[Any](database))
    database.close()

    with SqliteEventStore[Any](folder / "desk.db") as stored:
        assert [r.event for r in stored.read_all()] == [r.event for r in memory.read_all()]
        kinds = {type(r.event).__name__ for r in stored.read_all()}
        assert kinds >= {
            "TicketEvent",
            "FollowUpScheduled",
            "AttemptRecorded",
            "FollowUpCompleted",
            "SurveyAnswered",
            "CallEvent",
            "ActivationEvent",
            "DrillEvent",
        }
        assert CALL.replay(stored.read("C1")).callback_requested_at is not None
        assert FOLLOW_UP.replay(stored.read("FU-T0")).score == 2
        assert ACTIVATION.replay(stored.read("A1")) == ACTIVATION.replay(memory.read("A1"))
        assert DRILL.replay(stored.read("D1")).participants == ("ana", "bo")

        for events in (memory, stored):  # the same read models from either log
            rows = InMemoryProjectionStore()
            catch_up(events, CallProjection(), rows, batch=4)
            profiles = CustomerProfileProjection(policies=POLICIES, calendars={"office": OFFICE})
            catch_up(events, profiles, rows, batch=4)
            calls = CallLog(rows).offered(hours(4), hours(5))
            profile = CustomerProfiles(rows).profile("acme", hours(26))
            assert [call.call_id for call in calls] == ["C0", "C1"]
            assert (profile.tickets, profile.scores) == (
                2,
                (4, 2),
            )  # by time: the survey, then the follow-up


def test_an_inspection_record_is_stored_as_a_value(folder: Path) -> None:
    candidate = Candidate(kind=SubjectKind.CALL, subject_id="C0", agent="ana", at=hours(4))
    marks = {item.key: item.points for item in HOTLINE_SHEET.items}
    record = inspect(
        HOTLINE_SHEET, candidate, marks, inspection_id="Q1", inspector="lee", at=hours(6)
    )
    with SqliteRepository[Inspection](folder / "desk.db", "inspection") as repository:
        repository.save("Q1", record, 0)
        assert repository.get("Q1").value == record
