"""ServiceDesk.execute, one behaviour per test: loading, deciding, appending with metadata,
retrying on conflicts, idempotency, access, priorities, SLA clocks, errors and logging."""

from __future__ import annotations

import datetime as dt
import itertools
import logging
from collections.abc import Sequence
from typing import Any

import attrs
import pytest

from itsm_core.calendar import BusinessCalendar
from itsm_core.desk import CommandOutcome, ServiceDesk
from itsm_core.errors import (
    AccessDenied,
    CalendarCoverageError,
    CommandRejected,
    DuplicateAppend,
    NotFound,
    RepositoryError,
    ValidationError,
    VersionConflict,
)
from itsm_core.priority import ITIL_POLICY
from itsm_core.records import Actor
from itsm_core.repositories import (
    AppendReceipt,
    EventMetadata,
    ExpectedVersion,
    InMemoryEventStore,
)
from itsm_core.sla import (
    FIRST_RESPONSE,
    RESOLUTION,
    SERVICENOW_THRESHOLDS,
    MetricSpec,
    PolicySet,
    SlaPolicy,
    evaluate,
)
from itsm_core.tickets import (
    Acknowledge,
    AddComment,
    Assign,
    Classify,
    Command,
    CommandContext,
    CustomerTier,
    OpenTicket,
    Resolve,
    TicketEvent,
    TicketKind,
    decide,
    replay,
)

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)
OFFICE = BusinessCalendar.from_dict(
    {
        "name": "office",
        "timezone": "Asia/Shanghai",
        "weekly": {
            day: [["09:00", "12:00"], ["13:00", "18:00"]]
            for day in ("monday", "tuesday", "wednesday", "thursday", "friday")
        },
    }
)
POLICIES = PolicySet(
    policies=[
        SlaPolicy(
            name="support",
            metrics=[
                MetricSpec(
                    clock=FIRST_RESPONSE, targets={"*": "1 hour"}, thresholds=SERVICENOW_THRESHOLDS
                ),
                MetricSpec(clock=RESOLUTION, targets={"*": "2 working days"}, calendar="office"),
            ],
        )
    ]
)
PRIORITY = attrs.evolve(ITIL_POLICY, tiers={"regular": 0, "vip": 1, "enterprise": 1})


def counter(prefix: str = "id") -> Any:
    numbers = itertools.count(1)
    return lambda: f"{prefix}-{next(numbers)}"


def make_desk(store: Any = None, **options: Any) -> ServiceDesk:
    settings: dict[str, Any] = {
        "store": InMemoryEventStore() if store is None else store,
        "ids": counter(),
        "sla": POLICIES,
        "calendars": {"office": OFFICE},
        **options,
    }
    return ServiceDesk(**settings)


def opening(ticket_id: str = "INC1", **fields: Any) -> OpenTicket:
    return OpenTicket(ticket_id=ticket_id, kind=TicketKind.INCIDENT, requester="zhang", **fields)


def run(
    desk: ServiceDesk,
    command: Command,
    ticket_id: str = "INC1",
    *,
    minutes: int = 0,
    actor: Actor | str = "ana",
    role: str = "manager",
    **more: Any,
) -> CommandOutcome:
    return desk.execute(
        ticket_id, command, actor=actor, role=role, now=T0 + minutes * MINUTE, **more
    )


class Interloper:
    """An event store that lets another writer append to the stream just before each of the
    next ``times`` appends (a work note on an existing ticket, the same ticket opened by
    someone else on a new one), so the desk's append meets a version conflict."""

    def __init__(self, times: int = 1) -> None:
        self.inner: InMemoryEventStore[TicketEvent] = InMemoryEventStore()
        self.times = times
        self.appends = 0

    def append(
        self,
        stream: str,
        events: Sequence[TicketEvent],
        expected_version: int | ExpectedVersion,
        *,
        metadata: Sequence[EventMetadata] | None = None,
        idempotency_key: str | None = None,
    ) -> int:
        self.appends += 1
        if self.times:
            self.times -= 1
            self.sneak_in(stream, events[0].at)
        return self.inner.append(
            stream, events, expected_version, metadata=metadata, idempotency_key=idempotency_key
        )

    def sneak_in(self, stream: str, at: dt.datetime) -> None:
        history = self.inner.read(stream)
        context = CommandContext(actor="li", role="agent", now=at)
        if history:
            ticket = replay(history)
            note = AddComment(text="meanwhile", internal=True)
            events = decide(ticket, note, context).events
        else:
            events = decide(None, opening(stream), context).events
        self.inner.append(stream, events, len(history))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


# -- opening and commands ----------------------------------------------------------------------


def test_opening_a_ticket_appends_its_open_event_with_metadata() -> None:
    store: InMemoryEventStore[TicketEvent] = InMemoryEventStore()
    desk = make_desk(store)
    outcome = run(desk, opening(), idempotency_key="web-1")
    assert [event.name for event in outcome.events] == ["open"]
    assert outcome.ticket == replay(store.read("INC1"))
    assert (outcome.ticket.state, outcome.version, outcome.attempts) == ("new", 1, 1)
    assert (outcome.duplicate, outcome.command_id) == (False, "web-1")
    (recorded,) = store.read_all()
    assert recorded.metadata == EventMetadata("id-1", T0, "web-1", "web-1")


def test_without_a_key_the_command_gets_an_id_and_the_correlation_id_is_kept() -> None:
    store: InMemoryEventStore[TicketEvent] = InMemoryEventStore()
    desk = make_desk(store)
    run(desk, opening())
    outcome = run(desk, Acknowledge(), minutes=5, correlation_id="call-7")
    assert outcome.command_id == "id-3"  # id-1 was the first command, id-2 its event
    metadata = [recorded.metadata for recorded in store.read_all()]
    assert metadata == [
        EventMetadata("id-2", T0, "id-1", "id-1"),
        EventMetadata("id-4", T0 + 5 * MINUTE, "call-7", "id-3"),
    ]


def test_a_command_is_decided_on_the_ticket_as_stored() -> None:
    desk = make_desk()
    run(desk, opening())
    outcome = run(desk, Acknowledge(), minutes=5)
    assert [event.name for event in outcome.events] == ["acknowledge"]
    assert outcome.ticket.state == "in_progress"
    assert desk.ticket("INC1") == outcome.ticket
    assert desk.history("INC1")[1:] == outcome.events


def test_opening_an_existing_ticket_is_refused_and_appends_nothing() -> None:
    store: InMemoryEventStore[TicketEvent] = InMemoryEventStore()
    desk = make_desk(store)
    run(desk, opening())
    with pytest.raises(CommandRejected, match="already open"):
        run(desk, opening(), minutes=1)
    assert store.last_position() == 1


def test_a_command_on_an_unknown_ticket_is_not_found() -> None:
    store: InMemoryEventStore[TicketEvent] = InMemoryEventStore()
    with pytest.raises(NotFound, match="no ticket with id 'INC404'"):
        run(make_desk(store), Acknowledge(), "INC404")
    assert store.last_position() == 0


def test_a_refused_command_appends_nothing() -> None:
    store: InMemoryEventStore[TicketEvent] = InMemoryEventStore()
    desk = make_desk(store)
    run(desk, opening())
    with pytest.raises(CommandRejected, match="before the last event"):
        run(desk, Acknowledge(), minutes=-5)
    assert store.last_position() == 1


# -- idempotency -------------------------------------------------------------------------------


def test_a_repeated_key_returns_the_first_outcome_and_appends_nothing() -> None:
    store: InMemoryEventStore[TicketEvent] = InMemoryEventStore()
    desk = make_desk(store)
    run(desk, opening())
    first = run(desk, Acknowledge(), minutes=5, idempotency_key="delivery-9")
    run(desk, AddComment(text="on it"), minutes=6)
    again = run(desk, Acknowledge(), minutes=30, idempotency_key="delivery-9")
    assert store.last_position() == 3
    assert again.duplicate
    assert (again.events, again.ticket) == (first.events, first.ticket)
    assert (again.attempts, again.command_id) == (0, "delivery-9")
    assert again.sla is not None
    assert again.sla.at == T0 + 30 * MINUTE  # the clocks are measured now, over everything


def test_a_key_belongs_to_one_ticket() -> None:
    desk = make_desk()
    run(desk, opening(), idempotency_key="k")
    with pytest.raises(ValidationError, match="'k' was used for ticket 'INC1', not 'INC2'"):
        run(desk, opening("INC2"), "INC2", idempotency_key="k")


def test_a_twin_that_appended_before_the_load_is_recognised() -> None:
    class Late(InMemoryEventStore[TicketEvent]):
        """Finds no receipt once: the twin appended just after the desk looked."""

        blind = False

        def receipt(self, idempotency_key: str) -> AppendReceipt | None:
            if self.blind:
                self.blind = False
                return None
            return super().receipt(idempotency_key)

    store = Late()
    desk = make_desk(store)
    run(desk, opening())
    first = run(desk, Acknowledge(), minutes=1, idempotency_key="twin")
    store.blind = True
    again = run(desk, Acknowledge(), minutes=1, idempotency_key="twin")  # "already acknowledged"
    assert again.duplicate
    assert again.events == first.events
    assert store.last_position() == 2


def test_a_twin_that_appended_between_the_load_and_the_append_is_recognised() -> None:
    class Racing(InMemoryEventStore[TicketEvent]):
        """Lets the twin delivery append the same command, under the same key, first."""

        def append(
            self,
            stream: str,
            events: Sequence[TicketEvent],
            expected_version: int | ExpectedVersion,
            *,
            metadata: Sequence[EventMetadata] | None = None,
            idempotency_key: str | None = None,
        ) -> int:
            if idempotency_key == "twin" and super().receipt("twin") is None:
                super().append(stream, events, expected_version, idempotency_key="twin")
            return super().append(
                stream, events, expected_version, metadata=metadata, idempotency_key=idempotency_key
            )

    store = Racing()
    desk = make_desk(store)
    run(desk, opening())
    outcome = run(desk, Acknowledge(), minutes=1, idempotency_key="twin")
    assert outcome.duplicate
    assert [event.name for event in outcome.events] == ["acknowledge"]
    assert store.last_position() == 2
    assert store.read_all()[1].metadata is None  # the twin's own append


def test_a_receipt_the_store_cannot_back_is_a_repository_error() -> None:
    class Forgetful(InMemoryEventStore[TicketEvent]):
        def receipt(self, idempotency_key: str) -> AppendReceipt | None:
            return AppendReceipt(idempotency_key, "INC1", 1, 5)

    desk = make_desk(Forgetful())
    run(desk, opening())
    with pytest.raises(RepositoryError, match="receipt for 'k' says version 5"):
        run(desk, Acknowledge(), idempotency_key="k")


def test_a_repeat_is_returned_only_to_who_may_read_the_ticket() -> None:
    desk = make_desk()
    run(desk, opening(), idempotency_key="k")
    with pytest.raises(AccessDenied, match="'read'"):
        run(desk, opening(), actor="wang", role="customer", idempotency_key="k")


# -- conflicts ---------------------------------------------------------------------------------


def test_a_conflict_is_decided_again_on_the_new_state() -> None:
    store = Interloper(times=0)
    desk = make_desk(store)
    run(desk, opening())
    store.times = 1
    outcome = run(desk, Acknowledge(), minutes=5, idempotency_key="ack")
    assert outcome.attempts == 2
    assert [event.name for event in store.inner.read("INC1")] == ["open", "comment", "acknowledge"]
    assert outcome.ticket == replay(store.inner.read("INC1"))
    assert outcome.events[0].sequence == 3


def test_opening_races_on_no_stream_and_the_loser_is_told_it_is_open() -> None:
    store = Interloper(times=1)
    with pytest.raises(CommandRejected, match="already open"):
        run(make_desk(store), opening())
    assert store.appends == 1
    assert [event.actor for event in store.inner.read("INC1")] == ["li"]


def test_conflicts_are_retried_a_bounded_number_of_times() -> None:
    store = Interloper(times=0)
    desk = make_desk(store, max_retries=2)
    run(desk, opening())
    store.times = 10
    with pytest.raises(VersionConflict):
        run(desk, Acknowledge(), minutes=5)
    assert store.appends == 1 + 3
    assert [event.name for event in store.inner.read("INC1")] == ["open"] + ["comment"] * 3


def test_no_retry_at_all_when_max_retries_is_zero() -> None:
    store = Interloper(times=0)
    desk = make_desk(store, max_retries=0)
    run(desk, opening())
    store.times = 1
    with pytest.raises(VersionConflict):
        run(desk, Acknowledge(), minutes=5)
    assert store.appends == 2


# -- access ------------------------------------------------------------------------------------


def test_the_access_policy_is_checked_before_anything_is_appended() -> None:
    store: InMemoryEventStore[TicketEvent] = InMemoryEventStore()
    desk = make_desk(store)
    run(desk, opening())
    with pytest.raises(AccessDenied, match="'wang' may not 'resolve' ticket 'INC1'"):
        run(desk, Resolve(code="fixed", note="done"), minutes=5, actor="wang", role="customer")
    assert store.last_position() == 1


def test_an_actor_with_groups_may_work_their_groups_tickets() -> None:
    desk = make_desk()
    run(desk, opening())
    run(desk, Assign(group="network"), minutes=1)
    ana = Actor(id="ana", roles={"agent"}, groups={"network"})
    bo = Actor(id="bo", roles={"agent"}, groups={"desktop"})
    with pytest.raises(AccessDenied, match="not one of theirs"):
        run(desk, Resolve(code="fixed", note="done"), minutes=5, actor=bo, role="agent")
    outcome = run(desk, Resolve(code="fixed", note="done"), minutes=5, actor=ana, role="agent")
    assert outcome.ticket.resolved_by == "ana"


def test_an_actor_acts_only_in_a_role_they_hold() -> None:
    desk = make_desk()
    ana = Actor(id="ana", roles={"agent"})
    with pytest.raises(ValidationError, match="does not hold role 'manager'"):
        run(desk, opening(), actor=ana, role="manager")


# -- bad input ---------------------------------------------------------------------------------


def test_bad_arguments_are_listed_together_and_change_nothing() -> None:
    store: InMemoryEventStore[TicketEvent] = InMemoryEventStore()
    desk = make_desk(store)
    with pytest.raises(ValidationError) as caught:
        desk.execute(
            "INC2",
            opening("INC1"),
            actor="",
            role=" ",
            now=dt.datetime(2026, 3, 2, 9),
            idempotency_key="",
            correlation_id=5,  # type: ignore[arg-type]
        )
    paths = [problem.path for problem in caught.value.problems]
    assert paths == ["ticket_id", "actor", "role", "now", "idempotency_key", "correlation_id"]
    assert "naive datetime" in str(caught.value)
    assert store.last_position() == 0


def test_only_ticket_commands_are_executed() -> None:
    with pytest.raises(ValidationError, match="expected a ticket command, got 'open'"):
        run(make_desk(), "open")  # type: ignore[arg-type]


def test_an_id_generator_that_makes_no_id_is_named() -> None:
    desk = make_desk(ids=lambda: "")
    with pytest.raises(ValidationError, match="the id generator made '', not a non-blank"):
        run(desk, opening())


@pytest.mark.parametrize(
    ("options", "path", "message"),
    [
        ({"store": object()}, "store", "no append, read, receipt method"),
        ({"ids": "uuid"}, "ids", "expected a function making ids"),
        ({"max_retries": -1}, "max_retries", "expected an integer >= 0"),
        ({"max_retries": True}, "max_retries", "expected an integer >= 0"),
        ({"sla": {"policies": []}}, "sla", "expected a PolicySet"),
        ({"access": "standard"}, "access", "expected a AccessPolicy"),
        ({"calendars": {}}, "sla.policies[0].metrics[1].calendar", "names calendar 'office'"),
        ({"calendars": ["office"]}, "calendars", "expected a mapping"),
    ],
)
def test_a_desk_is_checked_when_built(options: dict[str, Any], path: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        make_desk(**options)
    (problem,) = caught.value.problems
    assert problem.path == path
    assert message in problem.message


# -- priority ----------------------------------------------------------------------------------


def test_opening_with_impact_and_urgency_gets_the_policys_priority() -> None:
    desk = make_desk(priority=PRIORITY)
    outcome = run(desk, opening(impact=2, urgency=1, customer_tier=CustomerTier.VIP))
    assert outcome.ticket.priority == 1
    assert outcome.priority is not None
    assert outcome.priority.matrix_priority == 2
    assert "tier 'vip'" in "\n".join(outcome.priority.lines())


def test_a_given_priority_is_kept() -> None:
    desk = make_desk(priority=PRIORITY)
    outcome = run(desk, opening(impact=3, urgency=3, priority=1))
    assert (outcome.ticket.priority, outcome.priority) == (1, None)


def test_without_a_priority_policy_priorities_are_the_callers() -> None:
    outcome = run(make_desk(), opening(impact=1, urgency=1))
    assert (outcome.ticket.priority, outcome.priority) == (None, None)


def test_classifying_impact_records_the_priority_and_its_explanation() -> None:
    desk = make_desk(priority=PRIORITY)
    run(desk, opening(urgency=1))
    outcome = run(desk, Classify(impact=3), minutes=2)
    assert outcome.ticket.priority == 3
    assert outcome.ticket.priority_explanation == outcome.priority.lines()  # type: ignore[union-attr]
    assert outcome.ticket.priority_explanation[0].startswith("1. given: impact")


def test_classifying_without_both_levels_leaves_the_priority_alone() -> None:
    desk = make_desk(priority=PRIORITY)
    run(desk, opening())
    outcome = run(desk, Classify(impact=3), minutes=2)
    assert (outcome.ticket.priority, outcome.priority) == (None, None)


def test_a_major_incident_is_priority_one() -> None:
    desk = make_desk(priority=PRIORITY)
    command = OpenTicket(
        ticket_id="MI1", kind=TicketKind.MAJOR_INCIDENT, requester="ops", impact=3, urgency=3
    )
    assert run(desk, command, "MI1").ticket.priority == 1


# -- SLA clocks --------------------------------------------------------------------------------


def test_the_outcome_carries_the_clocks_the_actions_due_and_the_next_wake_up() -> None:
    desk = make_desk()
    opened = run(desk, opening())
    assert opened.sla is not None
    assert opened.sla.clock("first_response").due_at == T0 + HOUR
    assert (opened.due, opened.wake_at) == ((), T0 + 30 * MINUTE)  # warn-50 first
    late = run(desk, AddComment(text="anyone?", internal=True), minutes=50)
    assert [action.threshold for action in late.due] == ["warn-75"]  # warn-50 superseded
    assert late.wake_at == T0 + HOUR
    assert late.breached == ()
    breached = run(desk, AddComment(text="hello?", internal=True), minutes=61)
    assert breached.breached == ("first_response",)


def test_evaluate_measures_the_stored_history() -> None:
    desk = make_desk()
    run(desk, opening())
    run(desk, Acknowledge(), minutes=20)
    at = T0 + 2 * HOUR
    report = desk.evaluate("INC1", at)
    assert report == evaluate(POLICIES, desk.history("INC1"), at, calendars={"office": OFFICE})


def test_evaluating_an_unknown_ticket_is_not_found() -> None:
    with pytest.raises(NotFound, match="'INC404'"):
        make_desk().evaluate("INC404", T0)


def test_evaluating_before_the_first_event_says_so() -> None:
    desk = make_desk()
    run(desk, opening())
    with pytest.raises(ValidationError, match="ticket 'INC1' has no events at or before"):
        desk.evaluate("INC1", T0 - HOUR)


def test_evaluate_refuses_a_naive_now() -> None:
    with pytest.raises(ValidationError, match="naive datetime"):
        make_desk().evaluate("INC1", dt.datetime(2026, 3, 2))


def test_a_desk_without_policies_measures_nothing() -> None:
    desk = make_desk(sla=None, calendars={})
    outcome = run(desk, opening())
    assert (outcome.sla, outcome.due, outcome.wake_at, outcome.sla_error) == (None, (), None, None)
    with pytest.raises(ValidationError, match="no SLA policies"):
        desk.evaluate("INC1", T0)


def test_clocks_past_the_calendar_coverage_are_measured_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    year_end = BusinessCalendar.from_dict(
        {**OFFICE.to_dict(), "coverage": {"start": "2026-01-01", "end": "2026-12-31"}}
    )
    policies = PolicySet(
        policies=[
            SlaPolicy(
                name="slow",
                metrics=[
                    MetricSpec(clock=RESOLUTION, targets={"*": "3 working days"}, calendar="office")
                ],
            )
        ]
    )
    store: InMemoryEventStore[TicketEvent] = InMemoryEventStore()
    desk = make_desk(store, sla=policies, calendars={"office": year_end})
    december = dt.datetime(2026, 12, 30, 10, tzinfo=dt.UTC)
    with caplog.at_level(logging.WARNING, logger="itsm_core.desk"):
        outcome = desk.execute("INC1", opening(), actor="ana", role="agent", now=december)
    assert store.version("INC1") == 1
    assert outcome.ticket.state == "new"
    assert outcome.sla_error is None
    assert outcome.sla is not None
    assert outcome.sla.coverage_warnings  # the due date lies past 2026-12-31
    assert "SLA clocks of 'INC1'" in caplog.text
    assert outcome.sla.coverage_warnings[0] in caplog.text


def test_clocks_that_cannot_be_measured_do_not_undo_the_command(
    caplog: pytest.LogCaptureFixture,
) -> None:
    store: InMemoryEventStore[TicketEvent] = InMemoryEventStore()
    desk = make_desk(store, sla=POLICIES, calendars={"office": _NoTime()})
    with caplog.at_level(logging.WARNING, logger="itsm_core.desk"):
        outcome = desk.execute("INC1", opening(), actor="ana", role="agent", now=T0)
    assert store.version("INC1") == 1
    assert isinstance(outcome.sla_error, ValidationError)
    assert "cannot count working days" in str(outcome.sla_error)
    assert (outcome.sla, outcome.due) == (None, ())
    assert "cannot measure the SLA clocks of 'INC1'" in caplog.text


class _NoTime:
    """A business-time calendar that knows no time at all: every question is out of range."""

    def _refuse(self, when: dt.datetime) -> CalendarCoverageError:
        span = (dt.date(2000, 1, 1), dt.date(2000, 1, 2))
        return CalendarCoverageError("nowhere", when.date(), span)

    def elapsed(self, start: dt.datetime, end: dt.datetime, /) -> dt.timedelta:
        raise self._refuse(start)

    def add(self, start: dt.datetime, duration: dt.timedelta, /) -> dt.datetime:
        raise self._refuse(start)

    def next_working(self, when: dt.datetime, /) -> dt.datetime:
        raise self._refuse(when)


# -- queries and logging -----------------------------------------------------------------------


def test_queries_on_an_unknown_ticket_are_not_found() -> None:
    desk = make_desk()
    for query in (desk.ticket, desk.history):
        with pytest.raises(NotFound, match="no ticket with id 'INC404'"):
            query("INC404")
    with pytest.raises(ValidationError, match="ticket_id"):
        desk.ticket("")


def test_commands_are_logged(caplog: pytest.LogCaptureFixture) -> None:
    store = Interloper(times=0)
    desk = make_desk(store)
    with caplog.at_level(logging.DEBUG, logger="itsm_core.desk"):
        run(desk, opening(), idempotency_key="k")
        run(desk, opening(), idempotency_key="k")
        store.times = 1
        run(desk, Acknowledge(), minutes=1)
        with pytest.raises(AccessDenied):
            run(desk, Resolve(code="x", note="y"), minutes=2, actor="wang", role="customer")
    messages = [(record.levelname, record.getMessage()) for record in caplog.records]
    assert ("INFO", "accepted 'open' on 'INC1' by 'ana' as 'manager': version 1") in messages
    assert ("INFO", "duplicate 'k' on 'INC1': nothing appended") in messages
    assert ("DEBUG", "loaded 'INC1' at version 1 for 'acknowledge'") in messages
    assert any(
        level == "INFO" and text.startswith("conflict on 'INC1'") for level, text in messages
    )
    assert any(level == "INFO" and text.startswith("refused 'resolve'") for level, text in messages)
    assert {record.name for record in caplog.records} == {"itsm_core.desk.commands"}
    handlers = logging.getLogger("itsm_core.desk").handlers
    assert any(isinstance(handler, logging.NullHandler) for handler in handlers)


def test_duplicate_append_errors_from_the_store_carry_the_receipt() -> None:
    # The port's contract the desk relies on, on the reference store.
    store: InMemoryEventStore[TicketEvent] = InMemoryEventStore()
    desk = make_desk(store)
    run(desk, opening(), idempotency_key="k")
    with pytest.raises(DuplicateAppend) as caught:
        store.append("INC1", [], ExpectedVersion.ANY, idempotency_key="k")
    assert caught.value.receipt == AppendReceipt("k", "INC1", 1, 1)


def test_an_actor_is_an_actor_or_an_id_and_now_a_datetime() -> None:
    with pytest.raises(ValidationError) as caught:
        make_desk().execute(
            "INC1",
            opening(),
            actor=7,  # type: ignore[arg-type]
            role="agent",
            now="today",  # type: ignore[arg-type]
        )
    assert [problem.path for problem in caught.value.problems] == ["actor", "now"]


def test_a_store_whose_receipt_is_not_a_receipt_is_a_repository_error() -> None:
    class Odd(InMemoryEventStore[TicketEvent]):
        def receipt(self, idempotency_key: str) -> AppendReceipt | None:
            return "yes"  # type: ignore[return-value]

    with pytest.raises(RepositoryError, match="the store gave 'yes' as an append receipt"):
        run(make_desk(Odd()), opening(), idempotency_key="k")


def test_classifying_other_fields_decides_no_priority() -> None:
    desk = make_desk(priority=PRIORITY)
    run(desk, opening(impact=2, urgency=2))
    outcome = run(desk, Classify(category="network"), minutes=1)
    assert (outcome.ticket.priority, outcome.priority) == (3, None)  # ITIL: medium x medium
    assert run(desk, AddComment(text="hi"), minutes=2).priority is None
    assert run(make_desk(sla=None, calendars={}), opening()).breached == ()


def test_the_desk_checks_tiers_against_its_vocabulary() -> None:
    from itsm_core.errors import UnknownTier
    from itsm_core.priority import TierVocabulary

    tiers = TierVocabulary(("bronze", "gold"))
    desk = ServiceDesk(store=InMemoryEventStore(), ids=counter(), tiers=tiers)
    opened = desk.execute(
        "INC1",
        OpenTicket(ticket_id="INC1", kind=TicketKind.INCIDENT, requester="z", customer_tier="gold"),
        actor="ana",
        role="agent",
        now=T0,
    )
    assert opened.ticket.customer_tier == "gold"
    with pytest.raises(UnknownTier):
        desk.execute(
            "INC2",
            OpenTicket(
                ticket_id="INC2", kind=TicketKind.INCIDENT, requester="z", customer_tier="vip"
            ),
            actor="ana",
            role="agent",
            now=T0,
        )
    assert desk.store.version("INC2") == 0
