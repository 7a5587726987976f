"""Calls, emergency activations, drills and follow-ups through the one aggregate desk: the
service desk's guarantees (expected version, retries, idempotency, metadata, access, logging)
on every kernel aggregate, on the in-memory store."""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import re
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itsm_core.calls import CallEventKind, CallStatus, RecordCall
from itsm_core.customers import RecordAttempt, ScheduleFollowUp
from itsm_core.desk import (
    AggregateDesk,
    FollowUpDesk,
    activation_desk,
    call_desk,
    drill_desk,
)
from itsm_core.emergency import (
    DRILL,
    ActivatePlan,
    ActivationState,
    CancelDrill,
    CommunicationStep,
    DrillFinding,
    DrillState,
    EmergencyPlan,
    RecordCommunication,
    RecordDrill,
    RecordStep,
    RescheduleDrill,
    ResponseStep,
    ScheduleDrill,
    StandDown,
    Trigger,
    decide_drill,
)
from itsm_core.errors import (
    AccessDenied,
    CommandRejected,
    ItsmError,
    NotFound,
    UnknownRole,
    ValidationError,
    VersionConflict,
)
from itsm_core.kernel import Context
from itsm_core.records import STANDARD_ACCESS_POLICY, AccessPolicy, AccessRule, Actor
from itsm_core.repositories import EventMetadata, ExpectedVersion, InMemoryEventStore

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
PLAN = EmergencyPlan(
    plan_id="EP-1",
    title="Network outage",
    event_types={"outage"},
    likelihood=3,
    severity=1,
    owner="ops",
    review_by=dt.date(2026, 12, 31),
    roles={"commander": "duty officer"},
    response_flow=[
        ResponseStep(name="convene", role="commander", within=dt.timedelta(0)),
        ResponseStep(name="restore", role="commander", within=dt.timedelta(hours=2)),
    ],
    communication=[
        CommunicationStep(audience="customers", channel="sms", within=dt.timedelta(minutes=30))
    ],
)
ACTIVATE = ActivatePlan(
    activation_id="EA-1", plan=PLAN, event_type="outage", trigger=Trigger.DECLARED, level=1
)
SCHEDULE = ScheduleDrill(drill_id="DR-1", plan_id="EP-1", scenario="switch down", planned_at=T0)


def minutes(n: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=n)


class Meanwhile(InMemoryEventStore[Any]):
    """A store where ``writer`` appends to the stream just before each of the next ``times``
    appends, so the desk's append meets a version conflict."""

    def __init__(self, writer: Callable[[InMemoryEventStore[Any], str], None]) -> None:
        super().__init__()
        self.writer = writer
        self.times = 0
        self.written = 0

    def append(
        self,
        stream: str,
        events: Sequence[Any],
        expected_version: int | ExpectedVersion,
        *,
        metadata: Sequence[EventMetadata] | None = None,
        idempotency_key: str | None = None,
    ) -> int:
        if self.times:
            self.times -= 1
            self.writer(self, stream)
            self.written += 1
        return super().append(
            stream, events, expected_version, metadata=metadata, idempotency_key=idempotency_key
        )


def ids() -> Callable[[], str]:
    numbers = itertools.count(1)
    return lambda: f"id-{next(numbers)}"


def rescheduled_by_someone(store: InMemoryEventStore[Any], stream: str) -> None:
    drill = DRILL.replay(store.read(stream))
    moved = RescheduleDrill(planned_at=drill.planned_at + dt.timedelta(days=1))
    context = Context(actor="wu", role="manager", now=minutes(1))
    InMemoryEventStore.append(
        store, stream, decide_drill(drill, moved, context).events, drill.version
    )


# -- each aggregate through the desk ------------------------------------------------------------


def test_a_call_is_recorded_fact_by_fact_by_the_switch_and_the_agent() -> None:
    store: InMemoryEventStore[Any] = InMemoryEventStore()
    calls = call_desk(store, ids())
    offered = RecordCall(call_id="C1", kind=CallEventKind.OFFERED, queue="vpn")
    calls.execute("C1", offered, actor="acd", role="system", now=T0)
    answered = RecordCall(call_id="C1", kind=CallEventKind.ANSWERED, agent="ana", at=minutes(0.5))
    talking = calls.execute("C1", answered, actor="ana", role="agent", now=minutes(1))
    assert talking.state.status is CallStatus.TALKING
    assert talking.state.wait == dt.timedelta(seconds=30)  # the fact's time, not the call's
    assert talking.version == 2
    assert calls.state("C1") == talking.state
    with pytest.raises(NotFound, match="no call with id 'C2'"):
        calls.execute("C2", answered, actor="ana", role="agent", now=minutes(1))
    with pytest.raises(ItsmError, match="answered cannot follow status talking"):
        calls.execute("C1", answered, actor="ana", role="agent", now=minutes(2))
    refused = re.escape("'wang' may not 'call.record_call' call 'C1'")
    with pytest.raises(AccessDenied, match=refused):
        calls.execute(
            "C1",
            answered,
            actor=Actor(id="wang", roles={"customer"}),
            role="customer",
            now=minutes(2),
        )
    assert store.version("C1") == 2


def test_an_activation_runs_from_the_plan_to_the_stand_down() -> None:
    store: InMemoryEventStore[Any] = InMemoryEventStore()
    desk = activation_desk(store, ids())
    duty = {"actor": "zhou", "role": "duty_officer"}
    desk.execute("EA-1", ACTIVATE, now=T0, **duty)
    desk.execute("EA-1", RecordStep(step="convene"), actor="li", role="supervisor", now=minutes(5))
    told = RecordCommunication(audience="customers")
    desk.execute("EA-1", told, actor="li", role="supervisor", now=minutes(10))
    over = desk.execute("EA-1", StandDown(summary="restored"), now=minutes(90), **duty)
    assert over.state.state is ActivationState.STOOD_DOWN
    assert over.version == 4
    assert [event.name for event in desk.history("EA-1")] == [
        "activated",
        "step_recorded",
        "communication_recorded",
        "stood_down",
    ]
    # supervisors record steps, but may not stand the response down
    with pytest.raises(AccessDenied, match=re.escape("activation.stand_down")):
        desk.execute("EA-1", StandDown(summary="x"), actor="li", role="supervisor", now=T0)
    with pytest.raises(CommandRejected, match="not allowed in state 'stood_down'"):
        desk.execute("EA-1", RecordStep(step="restore"), now=minutes(91), **duty)


def test_a_drill_is_scheduled_held_and_its_findings_kept() -> None:
    store: InMemoryEventStore[Any] = InMemoryEventStore()
    desk = drill_desk(store, ids())
    desk.execute("DR-1", SCHEDULE, actor="zhou", role="duty_officer", now=T0)
    finding = DrillFinding(finding_id="F1", description="the runbook misses the backup link")
    held = desk.execute(
        "DR-1",
        RecordDrill(participants=["li", "ana"], findings=[finding]),
        actor="li",
        role="supervisor",
        now=minutes(60),
    )
    assert held.state.state is DrillState.HELD
    assert held.state.findings == (finding,)
    assert [cycle.cycle_id for cycle in held.state.improvement_cycles("wu")] == ["DR-1-F1"]


def test_follow_ups_keep_their_api_and_gain_keys_and_access() -> None:
    store: InMemoryEventStore[Any] = InMemoryEventStore()
    desk = FollowUpDesk(store=store, ids=ids())
    schedule = ScheduleFollowUp(
        task_id="FU-1", ticket_id="T1", customer="acme", policy="all", due_at=T0, max_attempts=1
    )
    desk.execute("FU-1", schedule, actor="ana", role="agent", now=T0, idempotency_key="k1")
    again = desk.execute("FU-1", schedule, actor="ana", role="agent", now=T0, idempotency_key="k1")
    assert again.task.version == 1
    assert store.version("FU-1") == 1
    with pytest.raises(AccessDenied, match=re.escape("follow-up.record_attempt")):
        desk.execute("FU-1", RecordAttempt(reached=False), actor="zhang", role="customer", now=T0)
    done = desk.execute("FU-1", RecordAttempt(reached=False), actor="ana", role="agent", now=T0)
    assert done.task.outcome is not None
    assert done.ticket_command is None
    assert [record.metadata.causation_id for record in store.read_all() if record.metadata] == [
        "k1",
        "id-3",  # id-1 the first event's, id-2 the refused command's
        "id-3",
    ]


# -- the desk's guarantees -----------------------------------------------------------------------


def test_a_repeated_key_returns_the_first_outcome_even_after_the_record_moved_on() -> None:
    store: InMemoryEventStore[Any] = InMemoryEventStore()
    desk = drill_desk(store, ids())
    duty = {"actor": "zhou", "role": "duty_officer"}
    first = desk.execute("DR-1", SCHEDULE, now=T0, idempotency_key="web-1", **duty)
    desk.execute("DR-1", RescheduleDrill(planned_at=minutes(60)), now=minutes(1), **duty)
    again = desk.execute("DR-1", SCHEDULE, now=minutes(2), idempotency_key="web-1", **duty)
    assert again.duplicate
    assert again.attempts == 0
    assert (again.events, again.state, again.command_id) == (first.events, first.state, "web-1")
    assert store.version("DR-1") == 2
    with pytest.raises(ValidationError, match="'web-1' was used for drill 'DR-1', not 'DR-2'"):
        desk.execute("DR-2", SCHEDULE, now=T0, idempotency_key="web-1", **duty)
    with pytest.raises(AccessDenied, match=re.escape("drill.read")):  # a customer may not see it
        desk.execute(
            "DR-1", SCHEDULE, actor="zhang", role="customer", now=T0, idempotency_key="web-1"
        )


def test_a_version_conflict_is_decided_again_then_given_up() -> None:
    store = Meanwhile(rescheduled_by_someone)
    desk = drill_desk(store, ids(), max_retries=1)
    duty = {"actor": "zhou", "role": "duty_officer"}
    desk.execute("DR-1", SCHEDULE, now=T0, **duty)
    store.times = 1
    cancelled = desk.execute("DR-1", CancelDrill(reason="storm"), now=minutes(2), **duty)
    assert cancelled.attempts == 2
    assert cancelled.version == 3
    assert [event.name for event in store.read("DR-1")] == ["scheduled", "rescheduled", "cancelled"]

    desk.execute(
        "DR-2", SCHEDULE.__class__(**{**_fields(SCHEDULE), "drill_id": "DR-2"}), now=T0, **duty
    )
    store.times = 2
    with pytest.raises(VersionConflict):
        desk.execute("DR-2", CancelDrill(reason="storm"), now=minutes(2), **duty)
    assert [event.name for event in store.read("DR-2")] == [
        "scheduled",
        "rescheduled",
        "rescheduled",
    ]


def _fields(command: ScheduleDrill) -> dict[str, Any]:
    return {
        "drill_id": command.drill_id,
        "plan_id": command.plan_id,
        "scenario": command.scenario,
        "planned_at": command.planned_at,
    }


def test_events_carry_their_metadata_and_the_commands_are_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    store: InMemoryEventStore[Any] = InMemoryEventStore()
    desk = activation_desk(store, ids())
    with caplog.at_level(logging.DEBUG, logger="itsm_core.desk"):
        desk.execute(
            "EA-1", ACTIVATE, actor="zhou", role="duty_officer", now=T0, correlation_id="incident-7"
        )
        with pytest.raises(AccessDenied):
            desk.execute("EA-1", StandDown(summary="x"), actor="ana", role="agent", now=T0)
    (recorded,) = store.read_all()
    assert recorded.metadata == EventMetadata("id-2", T0, "incident-7", "id-1")
    messages = [(record.levelname, record.getMessage()) for record in caplog.records]
    assert (
        "INFO",
        "accepted 'activation.activate_plan' on 'EA-1' by 'zhou' as 'duty_officer': version 1",
    ) in messages
    assert ("DEBUG", "loaded 'EA-1' at version 1 for 'activation.stand_down'") in messages
    assert any(text.startswith("refused 'activation.stand_down'") for _, text in messages)
    assert {record.name for record in caplog.records} == {"itsm_core.desk.commands"}


def test_refusals_append_nothing() -> None:
    store: InMemoryEventStore[Any] = InMemoryEventStore()
    desk = activation_desk(store, ids())
    refusals: list[tuple[type[ItsmError], Callable[[], object]]] = [
        # an agent may not start an emergency: checked on the activation it would start
        (AccessDenied, lambda: desk.execute("EA-1", ACTIVATE, actor="ana", role="agent", now=T0)),
        (UnknownRole, lambda: desk.execute("EA-1", ACTIVATE, actor="z", role="duty", now=T0)),
        (
            NotFound,
            lambda: desk.execute(
                "EA-1", StandDown(summary="x"), actor="wu", role="manager", now=T0
            ),
        ),
        (
            ValidationError,
            lambda: desk.execute("EA-2", ACTIVATE, actor="wu", role="manager", now=T0),
        ),
        (
            ValidationError,
            lambda: desk.execute(
                "EA-1",
                SCHEDULE,  # type: ignore[arg-type]
                actor="wu",
                role="manager",
                now=T0,
            ),
        ),
        (
            ValidationError,
            lambda: desk.execute(
                "EA-1", ACTIVATE, actor="wu", role="manager", now=T0.replace(tzinfo=None)
            ),
        ),
        (
            ValidationError,
            lambda: desk.execute(
                "EA-1", ACTIVATE, actor=Actor(id="wu", roles={"agent"}), role="manager", now=T0
            ),
        ),
    ]
    for error, attempt in refusals:
        with pytest.raises(error):
            attempt()
    assert store.last_position() == 0
    with pytest.raises(UnknownRole) as typo:
        desk.execute("EA-1", ACTIVATE, actor="z", role="duty", now=T0)
    assert "duty_officer" in typo.value.known


def test_a_desk_checks_what_it_is_built_from() -> None:
    with pytest.raises(ValidationError) as caught:
        AggregateDesk(
            aggregate="drill",  # type: ignore[arg-type]
            decide=None,  # type: ignore[arg-type]
            commands=[],
            store=object(),  # type: ignore[arg-type]
            ids="x",  # type: ignore[arg-type]
            access={},  # type: ignore[arg-type]
            max_retries=-1,
        )
    assert {problem.path for problem in caught.value.problems} == {
        "store",
        "ids",
        "max_retries",
        "aggregate",
        "access",
        "decide",
        "commands",
    }


def test_access_rules_name_kinds_of_records_and_ticket_conditions_never_hold_on_them() -> None:
    policy = AccessPolicy(
        name="drills only",
        rules=[
            AccessRule(role="trainer", actions={"drill.*"}),
            AccessRule(role="agent", actions={"*"}, when={"own_group"}),
        ],
    )
    store: InMemoryEventStore[Any] = InMemoryEventStore()
    desk = drill_desk(store, ids(), access=policy)
    assert desk.execute("DR-1", SCHEDULE, actor="qian", role="trainer", now=T0).version == 1
    with pytest.raises(AccessDenied, match="own_group applies to tickets, not to Drill records"):
        desk.execute(
            "DR-1",
            CancelDrill(reason="x"),
            actor=Actor(id="ana", roles={"agent"}, groups={"network"}),
            role="agent",
            now=T0,
        )
    assert STANDARD_ACCESS_POLICY.can(
        Actor(id="zhou", roles={"duty_officer"}), "activation.record_review", desk.state("DR-1")
    ).allowed


# -- a property: whatever is tried, the store holds the fold of what was accepted --------------

ROLES = ["duty_officer", "supervisor", "agent", "customer", "manager"]
COMMANDS = st.one_of(
    st.just(SCHEDULE),
    st.builds(RescheduleDrill, planned_at=st.sampled_from([minutes(30), minutes(60)])),
    st.just(RecordDrill(participants=["li"])),
    st.just(CancelDrill(reason="storm")),
)


@settings(max_examples=25, deadline=None)
@given(steps=st.lists(st.tuples(COMMANDS, st.sampled_from(ROLES), st.booleans()), max_size=8))
def test_any_commands_by_any_roles_leave_the_fold_of_the_accepted_ones(
    steps: list[tuple[Any, str, bool]],
) -> None:
    store = Meanwhile(rescheduled_by_someone)
    desk = drill_desk(store, ids())
    accepted = 0
    for n, (command, role, interloper) in enumerate(steps):
        history = store.read("DR-1")
        scheduled = bool(history) and DRILL.replay(history).state is DrillState.SCHEDULED
        store.times = 1 if interloper and scheduled else 0  # another writer may be first
        try:
            outcome = desk.execute("DR-1", command, actor="x", role=role, now=minutes(n))
        except ItsmError:
            continue
        accepted += len(outcome.events)
        raced = interloper and scheduled  # the other writer was first: decided twice
        assert outcome.attempts == (2 if raced else 1)
        assert outcome.state == DRILL.replay(store.read("DR-1"))
        assert store.read("DR-1")[-len(outcome.events) :] == outcome.events
    assert store.version("DR-1") == accepted + store.written  # refusals appended nothing


def test_activations_and_drills_run_on_sqlite_and_read_back_after_a_restart(
    tmp_path: Any,
) -> None:
    from itsm_core.adapters.sqlite import SqliteEventStore

    path = tmp_path / "desk.db"
    store: SqliteEventStore[Any] = SqliteEventStore(path)
    duty = {"actor": "zhou", "role": "duty_officer"}
    event_ids = ids()  # one id source for both desks: event ids are unique in a store
    activations = activation_desk(store, event_ids)
    activations.execute("EA-1", ACTIVATE, now=T0, **duty)
    activations.execute("EA-1", StandDown(summary="restored"), now=minutes(90), **duty)
    drills = drill_desk(store, event_ids)
    drills.execute("DR-1", SCHEDULE, now=T0, **duty)
    store.close()

    reopened: SqliteEventStore[Any] = SqliteEventStore(path)
    try:
        again = activation_desk(reopened, ids())
        assert again.state("EA-1").state is ActivationState.STOOD_DOWN
        assert [e.name for e in again.history("EA-1")] == ["activated", "stood_down"]
        assert drill_desk(reopened, ids()).state("DR-1").state is DrillState.SCHEDULED
    finally:
        reopened.close()
