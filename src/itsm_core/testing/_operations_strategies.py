"""Hypothesis strategies for the operations aggregates: hotline calls, follow-up visits and
survey answers, emergency plans, activations and drills, quality inspections.

As for articles, aggregates are never assembled field by field: each history is a run of
commands (or call-detail figures) through the package's own functions, skipping what the
domain refuses, so every drawn state is one the domain can produce and its aggregate's
``replay`` of the drawn events gives it back.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from hypothesis import strategies as st

from itsm_core.calls import CALL, Call, CallEvent, call_events
from itsm_core.customers import FOLLOW_UP as FOLLOW_UP_AGGREGATE
from itsm_core.customers import (
    AttemptRecorded,
    DissatisfiedAction,
    FollowUpCommand,
    FollowUpCompleted,
    FollowUpEvent,
    FollowUpScheduled,
    FollowUpTask,
    RecordAttempt,
    ScheduleFollowUp,
    SurveyAnswered,
    decide_follow_up,
)
from itsm_core.emergency import (
    ACTIVATION,
    DRILL,
    ActivatePlan,
    Activation,
    ActivationCommand,
    ActivationEvent,
    CancelDrill,
    CommunicationStep,
    Drill,
    DrillCommand,
    DrillEvent,
    DrillFinding,
    EmergencyPlan,
    PostEventReview,
    RecordCommunication,
    RecordDrill,
    RecordReview,
    RecordStep,
    RescheduleDrill,
    ResponseStep,
    ScheduleDrill,
    StandDown,
    Trigger,
    decide_activation,
    decide_drill,
)
from itsm_core.errors import ItsmError
from itsm_core.inspection import (
    Candidate,
    Inspection,
    ScoringSheet,
    SheetItem,
    SubjectKind,
    inspect,
)
from itsm_core.kernel import Context, Decision, Event, State
from itsm_core.testing._strategies import _optional, aware_datetimes, identifiers, texts
from itsm_core.tickets import Channel

S = TypeVar("S", bound=State)
E = TypeVar("E", bound=Event)
C = TypeVar("C")


def _later(start: dt.datetime, seconds: int) -> dt.datetime:
    """``seconds`` of elapsed time after ``start``, in its zone (never an imaginary time)."""
    return (start.astimezone(dt.UTC) + dt.timedelta(seconds=seconds)).astimezone(start.tzinfo)


def _run(
    draw: st.DrawFn,
    decide: Callable[[S | None, C, Context], Decision[S, E]],
    first: C,
    commands: Sequence[C],
    at: dt.datetime,
) -> tuple[E, ...]:
    """The events of ``first`` then ``commands``, each decided a few minutes after the last
    by a drawn actor; refused commands are skipped."""
    state, events = decide(None, first, Context(actor=draw(identifiers()), role="duty", now=at))
    found = list(events)
    for command in commands:
        at = _later(at, draw(st.integers(60, 86_400)))
        context = Context(actor=draw(identifiers()), role="duty", now=at)
        try:
            state, events = decide(state, command, context)
        except ItsmError:
            continue
        found.extend(events)
    return tuple(found)


def _seconds(most: int) -> st.SearchStrategy[dt.timedelta]:
    return st.integers(0, most).map(lambda seconds: dt.timedelta(seconds=seconds))


# -- calls ------------------------------------------------------------------------------------


@st.composite
def call_histories(draw: st.DrawFn) -> tuple[CallEvent, ...]:
    """The events of one call from drawn call-detail figures: answered (transferred, ended,
    wrapped up) or abandoned or still waiting, with callbacks and ticket links."""
    answered = draw(st.booleans())
    return call_events(
        draw(identifiers()),
        draw(aware_datetimes()),
        caller=draw(_optional(identifiers())),
        queue=draw(_optional(identifiers())),
        wait=draw(_optional(_seconds(600))),
        answered_by=draw(identifiers()) if answered else None,
        talk=draw(_optional(_seconds(3600))),
        wrap_up=draw(_optional(_seconds(600))),
        resolved=draw(st.booleans()),
        transferred_to=draw(st.lists(identifiers(), max_size=2)),
        callback=draw(st.booleans()),
        ticket_id=draw(_optional(identifiers())),
    )


def calls() -> st.SearchStrategy[Call]:
    """Calls in every status (replayed histories)."""
    return call_histories().map(CALL.replay)


def call_event_values() -> st.SearchStrategy[CallEvent]:
    """Call events of every kind (one taken from a drawn history)."""
    return call_histories().flatmap(st.sampled_from)


# -- follow-up visits and survey answers -------------------------------------------------------


@st.composite
def follow_up_histories(draw: st.DrawFn, *, completed: bool = False) -> tuple[FollowUpEvent, ...]:
    """The events of one follow-up: scheduled, then attempts (completed: up to the outcome)."""
    at = draw(aware_datetimes())
    most = draw(st.integers(1, 3))
    schedule = ScheduleFollowUp(
        task_id=draw(identifiers()),
        ticket_id=draw(identifiers()),
        customer=draw(identifiers()),
        policy=draw(identifiers()),
        due_at=_later(at, draw(st.integers(0, 10 * 86_400))),
        channel=draw(st.sampled_from(Channel)),
        max_attempts=most,
        on_dissatisfied=draw(st.sampled_from(DissatisfiedAction)),
    )
    attempts: list[FollowUpCommand] = [draw(_attempts()) for _ in range(draw(st.integers(0, most)))]
    if completed:
        attempts += [RecordAttempt(reached=False)] * most
    return _run(draw, decide_follow_up, schedule, attempts, at)


@st.composite
def _attempts(draw: st.DrawFn) -> RecordAttempt:
    channel = draw(_optional(st.sampled_from(Channel)))
    note = draw(_optional(texts()))
    if not draw(st.booleans()):
        return RecordAttempt(reached=False, channel=channel, note=note)
    return RecordAttempt(
        reached=True,
        satisfied=draw(st.booleans()),
        score=draw(_optional(st.integers(1, 5))),
        channel=channel,
        note=note,
    )


def _of(kind: type[Any], *, completed: bool = False) -> st.SearchStrategy[Any]:
    """One event of class ``kind`` from a drawn follow-up history that has one."""
    return (
        follow_up_histories(completed=completed)
        .map(lambda events: [event for event in events if isinstance(event, kind)])
        .filter(bool)
        .flatmap(st.sampled_from)
    )


def follow_up_tasks() -> st.SearchStrategy[FollowUpTask]:
    """Follow-up tasks, open or completed with every outcome."""
    return follow_up_histories().map(FOLLOW_UP_AGGREGATE.replay)


def follow_ups_scheduled() -> st.SearchStrategy[FollowUpScheduled]:
    return follow_up_histories().map(_scheduling)


def _scheduling(events: tuple[FollowUpEvent, ...]) -> FollowUpScheduled:
    first = events[0]
    assert isinstance(first, FollowUpScheduled)  # a follow-up starts with its scheduling
    return first


def attempts_recorded() -> st.SearchStrategy[AttemptRecorded]:
    return _of(AttemptRecorded, completed=True)


def follow_ups_completed() -> st.SearchStrategy[FollowUpCompleted]:
    return _of(FollowUpCompleted, completed=True)


@functools.cache
def survey_answers() -> st.SearchStrategy[SurveyAnswered]:
    return st.builds(
        SurveyAnswered,
        survey_id=identifiers(),
        ticket_id=identifiers(),
        at=aware_datetimes(),
        score=st.integers(1, 5),
    )


# -- emergency management ----------------------------------------------------------------------


def _minutes() -> st.SearchStrategy[dt.timedelta]:
    return st.integers(0, 7 * 24 * 60).map(lambda minutes: dt.timedelta(minutes=minutes))


@st.composite
def emergency_plans(draw: st.DrawFn) -> EmergencyPlan:
    """Valid emergency plans: roles, a response flow of distinct steps run by those roles,
    resources and a communication plan."""
    roles = draw(st.dictionaries(identifiers(), identifiers(), min_size=1, max_size=3))
    names = draw(st.lists(identifiers(), min_size=1, max_size=4, unique=True))
    return EmergencyPlan(
        plan_id=draw(identifiers()),
        title=draw(texts()),
        event_types=draw(st.frozensets(identifiers(), min_size=1, max_size=3)),
        likelihood=draw(st.integers(1, 5)),
        severity=draw(st.integers(1, 5)),
        owner=draw(identifiers()),
        review_by=draw(st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31))),
        roles=roles,
        response_flow=[
            ResponseStep(
                name=name, role=draw(st.sampled_from(sorted(roles))), within=draw(_minutes())
            )
            for name in names
        ],
        resources=draw(st.dictionaries(identifiers(), st.integers(1, 50), max_size=3)),
        communication=draw(
            st.lists(
                st.builds(
                    CommunicationStep,
                    audience=identifiers(),
                    channel=identifiers(),
                    within=_minutes(),
                ),
                max_size=3,
            )
        ),
        drill_every_months=draw(st.integers(1, 36)),
    )


@st.composite
def activation_histories(draw: st.DrawFn) -> tuple[ActivationEvent, ...]:
    """The events of one activation: activated, then steps, communications, the stand-down and
    the post-event review, in a drawn order (refused commands skipped)."""
    plan = draw(emergency_plans())
    activate = ActivatePlan(
        activation_id=draw(identifiers()),
        plan=plan,
        event_type=draw(st.sampled_from(sorted(plan.event_types))),
        trigger=draw(st.sampled_from(Trigger)),
        level=draw(st.sampled_from([1, 2, 3])),
        ticket_id=draw(_optional(identifiers())),
    )
    review = PostEventReview(
        cause=draw(texts()),
        response_effect=draw(texts()),
        resources_used=draw(texts()),
        improvements=draw(st.lists(texts(), min_size=1, max_size=2)),
    )
    options: list[ActivationCommand] = [
        *(
            RecordStep(step=step.name, note=draw(st.just("") | texts()))
            for step in plan.response_flow
        ),
        *(RecordCommunication(audience=told.audience) for told in plan.communication),
        StandDown(summary=draw(texts())),
        RecordReview(review=review),
    ]
    commands = draw(st.lists(st.sampled_from(options), max_size=6))
    return _run(draw, decide_activation, activate, commands, draw(aware_datetimes()))


def activations() -> st.SearchStrategy[Activation]:
    """Activations in every state (replayed histories)."""
    return activation_histories().map(ACTIVATION.replay)


def activation_events() -> st.SearchStrategy[ActivationEvent]:
    """Activation events of every name."""
    return activation_histories().flatmap(st.sampled_from)


@st.composite
def drill_histories(draw: st.DrawFn) -> tuple[DrillEvent, ...]:
    """The events of one drill: scheduled, maybe rescheduled, then held or cancelled."""
    at = draw(aware_datetimes())
    schedule = ScheduleDrill(
        drill_id=draw(identifiers()),
        plan_id=draw(identifiers()),
        scenario=draw(texts()),
        planned_at=_later(at, draw(st.integers(0, 90 * 86_400))),
    )
    findings = draw(
        st.lists(
            st.builds(DrillFinding, finding_id=identifiers(), description=texts()),
            max_size=3,
            unique_by=lambda finding: finding.finding_id,
        )
    )
    options: list[DrillCommand] = [
        RescheduleDrill(planned_at=_later(at, draw(st.integers(0, 90 * 86_400)))),
        RecordDrill(
            participants=draw(st.lists(identifiers(), min_size=1, max_size=3)), findings=findings
        ),
        CancelDrill(reason=draw(texts())),
    ]
    commands = draw(st.lists(st.sampled_from(options), max_size=3))
    return _run(draw, decide_drill, schedule, commands, at)


def drills() -> st.SearchStrategy[Drill]:
    """Drills in every state (replayed histories)."""
    return drill_histories().map(DRILL.replay)


def drill_events() -> st.SearchStrategy[DrillEvent]:
    """Drill events of every name."""
    return drill_histories().flatmap(st.sampled_from)


# -- quality inspection ------------------------------------------------------------------------


@st.composite
def scoring_sheets(draw: st.DrawFn) -> ScoringSheet:
    """Scoring sheets of one to four items, some critical."""
    keys = draw(st.lists(identifiers(), min_size=1, max_size=4, unique=True))
    items = tuple(
        SheetItem(
            key=key,
            label=draw(texts()),
            weight=draw(st.floats(0.5, 10.0)),
            points=draw(st.integers(1, 5)),
            critical=draw(st.booleans()),
        )
        for key in keys
    )
    return ScoringSheet(
        name=draw(identifiers()),
        subject=draw(st.sampled_from(SubjectKind)),
        items=items,
        pass_mark=draw(st.floats(0.0, 100.0)),
    )


@st.composite
def inspections(draw: st.DrawFn) -> Inspection:
    """Inspection records: a drawn sheet scoring a drawn contact."""
    sheet = draw(scoring_sheets())
    agent = draw(_optional(identifiers()))
    candidate = Candidate(
        kind=sheet.subject, subject_id=draw(identifiers()), agent=agent, at=draw(aware_datetimes())
    )
    marks = {item.key: draw(st.integers(0, item.points)) for item in sheet.items}
    return inspect(
        sheet,
        candidate,
        marks,
        inspection_id=draw(identifiers()),
        inspector=draw(identifiers().filter(lambda name: name != agent)),
        at=_later(candidate.at, draw(st.integers(0, 86_400))),
        note=draw(st.just("") | texts()),
    )
