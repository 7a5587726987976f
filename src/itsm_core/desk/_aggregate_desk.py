"""One desk for any kernel aggregate: load, check access, decide, append, retry, as for tickets.

Ready-made desks for the hotline's calls (:func:`call_desk`), emergency activations
(:func:`activation_desk`) and drills (:func:`drill_desk`); follow-up visits have their own
door, :class:`~itsm_core.desk.FollowUpDesk`, built on this one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar

import attrs

from itsm_core._plain import shown, text
from itsm_core.calls import CALL, Call, CallEvent, CallEventKind, RecordCall, decide_call
from itsm_core.desk._runner import (
    Request,
    check_request,
    desk_problems,
    retries_problems,
    run_command,
)
from itsm_core.emergency import (
    ACTIVATION,
    DRILL,
    ActivatePlan,
    Activation,
    ActivationCommand,
    ActivationEvent,
    CancelDrill,
    Drill,
    DrillCommand,
    DrillEvent,
    RecordCommunication,
    RecordDrill,
    RecordReview,
    RecordStep,
    RescheduleDrill,
    ScheduleDrill,
    StandDown,
    decide_activation,
    decide_drill,
)
from itsm_core.errors import AccessDenied, NotFound, Problem, UnknownRole, ValidationError
from itsm_core.kernel import Aggregate, Context, Decision, Event, State
from itsm_core.records import STANDARD_ACCESS_POLICY, AccessPolicy, Actor
from itsm_core.repositories import EventStore

S = TypeVar("S", bound=State)
E = TypeVar("E", bound=Event)
C = TypeVar("C")

_WORD_START = re.compile(r"(?<!^)(?=[A-Z])")


def _types(values: Iterable[type]) -> tuple[type, ...]:
    return tuple(values)


def command_name(command_type: type) -> str:
    """The snake-case name of a command class: ``ScheduleDrill`` -> ``schedule_drill``."""
    return _WORD_START.sub("_", command_type.__name__).lower()


@attrs.frozen(kw_only=True)
class AggregateOutcome(Generic[S, E]):
    """What :meth:`AggregateDesk.execute` did, or, for a repeated delivery, did the first time.

    Attributes:
        stream_id: the record (stream) the command was for.
        command_id: its idempotency key when it had one, else an id from the desk's generator;
            every event it wrote carries it as ``causation_id``.
        events: the events it appended (for a duplicate: those the first delivery appended).
        state: the record right after them (for a duplicate: as the first delivery left it).
        duplicate: True when the idempotency key had been used: nothing was appended.
        attempts: how many times the command was decided (more than 1 after version
            conflicts; 0 for a duplicate).
    """

    stream_id: str
    command_id: str
    events: tuple[E, ...]
    state: S
    duplicate: bool = False
    attempts: int = 1

    @property
    def version(self) -> int:
        """The record's version after the command (its number of events)."""
        return self.state.version


@attrs.frozen(kw_only=True, eq=False)
class AggregateDesk(Generic[S, E, C]):
    """The application's door to the records of one kernel aggregate: each command is one call
    that reads the stream, replays it, checks the actor may do it, decides, appends at the
    version read, and says what happened, with the guarantees of
    :class:`~itsm_core.desk.ServiceDesk` (the same code runs both).

    The action a command needs is ``<aggregate>.<command>``, the command class in snake case
    (``drill.schedule_drill``, ``activation.stand_down``, ``call.record_call``); a repeated
    delivery shows its first outcome to who may ``<aggregate>.read``. A rule granting
    ``"drill.*"`` grants every action on drills.

    >>> import datetime as dt, itertools
    >>> from itsm_core.emergency import ScheduleDrill
    >>> from itsm_core.repositories import InMemoryEventStore
    >>> numbers = itertools.count(1)
    >>> drills = drill_desk(InMemoryEventStore(), ids=lambda: f"evt-{next(numbers)}")
    >>> now = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    >>> plan = ScheduleDrill(drill_id="D1", plan_id="EP-1", scenario="outage", planned_at=now)
    >>> done = drills.execute("D1", plan, actor="zhou", role="duty_officer", now=now)
    >>> done.state.state.value, done.version
    ('scheduled', 1)
    >>> drills.execute("D1", plan, actor="ana", role="agent", now=now)
    Traceback (most recent call last):
    ...
    itsm_core.errors.AccessDenied: 'ana' may not 'drill.schedule_drill' drill 'D1': ...

    Attributes:
        aggregate: the kernel aggregate (its ``name`` names the actions and the errors).
        decide: the aggregate's ``decide(state | None, command, context)``.
        commands: the command classes the desk takes (anything else is a ValidationError).
        store: the event store (one stream per record, named by its id).
        ids: makes a new unique id each call (event ids, command ids without a key).
        starts: which commands start a record: any other on a stream with no events raises
            :class:`~itsm_core.errors.NotFound` (None: ``decide`` is asked, with None).
        access: who may do what; the standard policy by default.
        max_retries: how many times a command is decided again after a version conflict.
    """

    aggregate: Aggregate[S, E]
    decide: Callable[[S | None, C, Context], Decision[S, E]]
    commands: tuple[type, ...] = attrs.field(converter=_types)
    store: EventStore[Any]
    ids: Callable[[], str]
    starts: Callable[[C], bool] | None = None
    access: AccessPolicy = STANDARD_ACCESS_POLICY
    max_retries: int = 3

    def __attrs_post_init__(self) -> None:
        problems = desk_problems(self.store, self.ids)
        problems.extend(retries_problems(self.max_retries))
        given: tuple[tuple[str, object, type], ...] = (
            ("aggregate", self.aggregate, Aggregate),
            ("access", self.access, AccessPolicy),
        )
        problems.extend(
            Problem(name, f"expected an {kind.__name__}, got {shown(value)}")
            for name, value, kind in given
            if not isinstance(value, kind)
        )
        for name, value in (("decide", self.decide), ("starts", self.starts)):
            if not callable(value) and not (name == "starts" and value is None):
                problems.append(Problem(name, f"expected a function, got {shown(value)}"))
        if not self.commands or not all(isinstance(kind, type) for kind in self.commands):
            problems.append(Problem("commands", f"expected classes, got {shown(self.commands)}"))
        if problems:
            raise ValidationError("AggregateDesk", problems)

    @property
    def name(self) -> str:
        """The aggregate's name: the kind of record in messages and actions."""
        return self.aggregate.name

    def action(self, command: C) -> str:
        """The action ``command`` needs: ``<aggregate>.<command class in snake case>``."""
        return f"{self.name}.{command_name(type(command))}"

    def execute(
        self,
        stream_id: str,
        command: C,
        *,
        actor: Actor | str,
        role: str,
        now: dt.datetime,
        idempotency_key: str | None = None,
        correlation_id: str | None = None,
    ) -> AggregateOutcome[S, E]:
        """Apply ``command`` to the record ``stream_id`` as ``actor`` in ``role`` at ``now``.

        As :meth:`ServiceDesk.execute <itsm_core.desk.ServiceDesk.execute>`: the events are
        appended at the version read (none for a new record) with their metadata; a version
        conflict decides again, at most ``max_retries`` times; a used ``idempotency_key``
        appends nothing and returns the first outcome (``duplicate=True``).

        Raises:
            ValidationError: bad arguments, a command the desk does not take, a command that
                starts another record than ``stream_id``, or a key used for another record.
            UnknownRole: a role that no rule of the access policy names.
            NotFound: no record ``stream_id`` for a command that does not start one.
            AccessDenied: the policy does not let the actor do it (checked on the record as
                it is, or, for a new one, as the command would start it).
            CommandRejected: the aggregate refuses the command now (or another error of its
                ``decide``).
            VersionConflict: other writers kept appending through every retry.

        Refused commands append nothing.
        """
        problems: list[Problem] = []
        if not isinstance(command, self.commands):
            names = ", ".join(kind.__name__ for kind in self.commands)
            problems.append(
                Problem(
                    "command", f"expected a {self.name} command ({names}), got {shown(command)}"
                )
            )
        who = check_request(
            stream_id, "stream_id", problems, actor, role, now, idempotency_key, correlation_id
        )
        if role not in self.access.roles:
            raise UnknownRole(
                role, self.access.roles, path="role", subject=f"access policy {self.access.name!r}"
            )
        acting = who.acting_as(role)
        action = self.action(command)
        context = Context(actor=who.id, role=role, now=now)

        def decided(history: tuple[E, ...]) -> tuple[Decision[S, E], None]:
            if history:
                state = self.aggregate.replay(history)
                self._check(acting, action, state)
                return self.decide(state, command, context), None
            if self.starts is not None and not self.starts(command):
                raise NotFound(self.name, stream_id)
            decision = self.decide(None, command, context)
            if decision.state.stream_id != stream_id:
                message = f"{stream_id!r} is not the id it starts ({decision.state.stream_id!r})"
                raise ValidationError("execute", [Problem("stream_id", message)])
            self._check(acting, action, decision.state)
            return decision, None

        ran = run_command(
            self.store,
            self.ids,
            "AggregateDesk",
            self.max_retries,
            Request(
                kind=self.name,
                stream_id=stream_id,
                what=action,
                who=who,
                role=role,
                now=now,
                idempotency_key=idempotency_key,
                correlation_id=correlation_id,
                decide=decided,
                replay=self.aggregate.replay,
                readable=lambda state: self._check(acting, f"{self.name}.read", state),
            ),
        )
        return AggregateOutcome(
            stream_id=stream_id,
            command_id=ran.command_id,
            events=ran.events,
            state=ran.state,
            duplicate=ran.duplicate,
            attempts=ran.attempts,
        )

    def _check(self, actor: Actor, action: str, state: S) -> None:
        decision = self.access.can(actor, action, state)
        if not decision.allowed:
            raise AccessDenied(actor.id, action, state.stream_id, decision.reason, self.name)

    # -- queries ---------------------------------------------------------------------------------

    def history(self, stream_id: str) -> tuple[E, ...]:
        """Every event of the record, oldest first; :class:`~itsm_core.errors.NotFound` if
        there is none."""
        problems: list[Problem] = []
        text(stream_id, "stream_id", problems)
        if problems:
            raise ValidationError(f"{self.name} id", problems)
        events: tuple[E, ...] = self.store.read(stream_id)
        if not events:
            raise NotFound(self.name, stream_id)
        return events

    def state(self, stream_id: str) -> S:
        """The record as of its last event (the replay of its history)."""
        return self.aggregate.replay(self.history(stream_id))


def call_desk(
    store: EventStore[Any],
    ids: Callable[[], str],
    *,
    access: AccessPolicy = STANDARD_ACCESS_POLICY,
    max_retries: int = 3,
) -> AggregateDesk[Call, CallEvent, RecordCall]:
    """The desk of hotline calls (:class:`~itsm_core.calls.RecordCall`, action
    ``call.record_call``); an ``OFFERED`` fact starts a call."""
    return AggregateDesk(
        aggregate=CALL,
        decide=decide_call,
        commands=(RecordCall,),
        store=store,
        ids=ids,
        starts=lambda command: command.kind is CallEventKind.OFFERED,
        access=access,
        max_retries=max_retries,
    )


def activation_desk(
    store: EventStore[Any],
    ids: Callable[[], str],
    *,
    access: AccessPolicy = STANDARD_ACCESS_POLICY,
    max_retries: int = 3,
) -> AggregateDesk[Activation, ActivationEvent, ActivationCommand]:
    """The desk of emergency activations (actions ``activation.activate_plan``,
    ``activation.record_step``, ``activation.record_communication``,
    ``activation.stand_down``, ``activation.record_review``); :class:`ActivatePlan
    <itsm_core.emergency.ActivatePlan>` starts one."""
    return AggregateDesk(
        aggregate=ACTIVATION,
        decide=decide_activation,
        commands=(ActivatePlan, RecordStep, RecordCommunication, StandDown, RecordReview),
        store=store,
        ids=ids,
        starts=lambda command: isinstance(command, ActivatePlan),
        access=access,
        max_retries=max_retries,
    )


def drill_desk(
    store: EventStore[Any],
    ids: Callable[[], str],
    *,
    access: AccessPolicy = STANDARD_ACCESS_POLICY,
    max_retries: int = 3,
) -> AggregateDesk[Drill, DrillEvent, DrillCommand]:
    """The desk of emergency drills (actions ``drill.schedule_drill``,
    ``drill.reschedule_drill``, ``drill.record_drill``, ``drill.cancel_drill``);
    :class:`ScheduleDrill <itsm_core.emergency.ScheduleDrill>` starts one."""
    return AggregateDesk(
        aggregate=DRILL,
        decide=decide_drill,
        commands=(ScheduleDrill, RescheduleDrill, RecordDrill, CancelDrill),
        store=store,
        ids=ids,
        starts=lambda command: isinstance(command, ScheduleDrill),
        access=access,
        max_retries=max_retries,
    )
