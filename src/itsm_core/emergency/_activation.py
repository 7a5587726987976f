"""Activating an emergency plan: the Activation aggregate, from a major complaint or a major
incident to the post-event review that feeds PDCA."""

from __future__ import annotations

import datetime as dt
import enum
import types
from collections.abc import Mapping
from typing import ClassVar

import attrs

from itsm_core._checks import check_aware_fields
from itsm_core._plain import blank_problem, is_a, is_text, shown
from itsm_core.emergency._plan import EmergencyPlan, PlanRegistry
from itsm_core.emergency._review import PostEventReview
from itsm_core.errors import CommandRejected, InvalidEventStream, Problem, ValidationError
from itsm_core.improvement import StartCycle, from_post_incident_review
from itsm_core.kernel import Aggregate, Context, Decision
from itsm_core.tickets import Ticket, TicketKind

#: The response level of a major complaint (一级响应): the level that starts the plan.
MAJOR = 1


class Trigger(enum.StrEnum):
    """What started the plan: a major complaint (response level 1), a major incident, or a
    declaration by the duty manager (an event seen outside the ticket desk)."""

    MAJOR_COMPLAINT = "major_complaint"
    MAJOR_INCIDENT = "major_incident"
    DECLARED = "declared"


class ActivationState(enum.StrEnum):
    """Where an activation stands: the response runs, it is stood down, it is reviewed."""

    ACTIVE = "active"
    STOOD_DOWN = "stood_down"
    REVIEWED = "reviewed"


# -- commands ---------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ActivatePlan:
    """Start ``plan`` (a snapshot of it is kept) for ``event_type`` at response ``level``
    (1 major ... 3 general); ``ticket_id`` links the complaint or major incident that started
    it. :func:`activation_for` builds one from a ticket."""

    activation_id: str
    plan: EmergencyPlan
    event_type: str
    trigger: Trigger
    level: int
    ticket_id: str | None = None

    def __attrs_post_init__(self) -> None:
        problems = [
            problem
            for problem in (
                blank_problem(self.activation_id, "activation_id"),
                blank_problem(self.event_type, "event_type"),
            )
            if problem is not None
        ]
        if not is_a(self.plan, EmergencyPlan):
            problems.append(Problem("plan", f"expected an EmergencyPlan, got {shown(self.plan)}"))
        elif self.event_type not in self.plan.event_types:
            known = ", ".join(sorted(self.plan.event_types))
            message = f"{shown(self.event_type)} is not an event type of the plan ({known})"
            problems.append(Problem("event_type", message))
        if not is_a(self.trigger, Trigger):
            problems.append(Problem("trigger", f"expected a Trigger, got {shown(self.trigger)}"))
        if self.level not in (1, 2, 3) or isinstance(self.level, bool):
            problems.append(Problem("level", f"expected 1, 2 or 3, got {shown(self.level)}"))
        if self.ticket_id is not None and not is_text(self.ticket_id):
            message = f"expected a ticket id, got {shown(self.ticket_id)}"
            problems.append(Problem("ticket_id", message))
        if problems:
            raise ValidationError("ActivatePlan", problems)


@attrs.frozen(kw_only=True)
class RecordStep:
    """A step of the response flow is done (at the context's ``now``)."""

    step: str
    note: str = ""


@attrs.frozen(kw_only=True)
class RecordCommunication:
    """An audience of the communication plan was told (at the context's ``now``)."""

    audience: str
    note: str = ""


@attrs.frozen(kw_only=True)
class StandDown:
    """The emergency is over: the response stands down, with a summary."""

    summary: str

    def __attrs_post_init__(self) -> None:
        if not is_text(self.summary):
            message = f"expected a non-blank string, got {shown(self.summary)}"
            raise ValidationError("StandDown", [Problem("summary", message)])


@attrs.frozen(kw_only=True)
class RecordReview:
    """The post-event review (事后评估), after the stand-down; it closes the activation."""

    review: PostEventReview


ActivationCommand = ActivatePlan | RecordStep | RecordCommunication | StandDown | RecordReview

# The one table: each command, the event name it becomes and the states it is allowed in
# (None: only before the activation exists).
_TABLE: dict[type, tuple[str, frozenset[ActivationState] | None]] = {
    ActivatePlan: ("activated", None),
    RecordStep: ("step_recorded", frozenset({ActivationState.ACTIVE})),
    RecordCommunication: ("communication_recorded", frozenset({ActivationState.ACTIVE})),
    StandDown: ("stood_down", frozenset({ActivationState.ACTIVE})),
    RecordReview: ("reviewed", frozenset({ActivationState.STOOD_DOWN})),
}


@attrs.frozen(kw_only=True)
class ActivationEvent:
    """A command the activation accepted, when and by whom: the event is the command.

    ``name`` comes from the same table as the commands (``"activated"``, ``"step_recorded"``,
    ``"communication_recorded"``, ``"stood_down"``, ``"reviewed"``); :attr:`COMMANDS` maps
    each name to its command class (the wire format tags the command with it).
    """

    #: The command class of each event name, from the commands' table.
    COMMANDS: ClassVar[Mapping[str, type]] = types.MappingProxyType(
        {name: command for command, (name, _) in _TABLE.items()}
    )

    activation_id: str
    sequence: int
    at: dt.datetime
    actor: str
    command: ActivationCommand

    def __attrs_post_init__(self) -> None:
        check_aware_fields(self, "at")

    @property
    def stream_id(self) -> str:
        """The id of the activation's event stream."""
        return self.activation_id

    @property
    def name(self) -> str:
        """The event's name."""
        return _TABLE[type(self.command)][0]


@attrs.frozen(kw_only=True)
class StepStatus:
    """One step of the response flow: when it was due, when it was done (None: not yet)."""

    name: str
    due_at: dt.datetime
    done_at: dt.datetime | None

    def late(self, now: dt.datetime) -> bool:
        """Done after its due time, or not done and ``now`` is past it."""
        return (self.done_at or now) > self.due_at


@attrs.frozen(kw_only=True)
class Activation:
    """One activation of an emergency plan, as of its last event.

    ``steps_done`` and ``communicated`` pair a step name or an audience with when it was
    recorded, in order. Change it only with :func:`decide_activation`; rebuild it with
    ``ACTIVATION.replay(events)``.
    """

    activation_id: str
    version: int
    state: ActivationState
    plan: EmergencyPlan
    event_type: str
    trigger: Trigger
    level: int
    ticket_id: str | None
    activated_at: dt.datetime
    steps_done: tuple[tuple[str, dt.datetime], ...] = ()
    communicated: tuple[tuple[str, dt.datetime], ...] = ()
    stood_down_at: dt.datetime | None = None
    summary: str | None = None
    review: PostEventReview | None = None

    @property
    def stream_id(self) -> str:
        """The id of the activation's event stream."""
        return self.activation_id

    def flow(self) -> tuple[StepStatus, ...]:
        """Every step of the plan's response flow with its due time (activation plus the
        step's ``within``) and when it was done."""
        done = dict(self.steps_done)
        return tuple(
            StepStatus(
                name=step.name, due_at=self.activated_at + step.within, done_at=done.get(step.name)
            )
            for step in self.plan.response_flow
        )

    def late_steps(self, now: dt.datetime) -> tuple[StepStatus, ...]:
        """The steps done late, or still open past their due time at ``now``."""
        return tuple(status for status in self.flow() if status.late(now))

    def improvement_cycles(self, owner: str) -> tuple[StartCycle, ...]:
        """The PDCA cycles the review asks for, one per improvement, each with the review as
        its source (``from_post_incident_review``); ids ``<activation>-I1``, ``-I2``...
        Empty before the review."""
        if self.review is None:
            return ()
        source = from_post_incident_review(self.activation_id, self.review.cause)
        return tuple(
            StartCycle(
                cycle_id=f"{self.activation_id}-I{i}", title=text, owner=owner, source=source
            )
            for i, text in enumerate(self.review.improvements, start=1)
        )


def _start(event: ActivationEvent) -> Activation:
    command = event.command
    if not isinstance(command, ActivatePlan):
        raise InvalidEventStream(
            repr(event.activation_id), [Problem("[0]", "an activation starts with 'activated'")]
        )
    return Activation(
        activation_id=event.activation_id,
        version=event.sequence,
        state=ActivationState.ACTIVE,
        plan=command.plan,
        event_type=command.event_type,
        trigger=command.trigger,
        level=command.level,
        ticket_id=command.ticket_id,
        activated_at=event.at,
    )


def _evolve(state: Activation, event: ActivationEvent) -> Activation:
    command = event.command
    version = event.sequence
    if isinstance(command, RecordStep):
        steps = (*state.steps_done, (command.step, event.at))
        return attrs.evolve(state, version=version, steps_done=steps)
    if isinstance(command, RecordCommunication):
        told = (*state.communicated, (command.audience, event.at))
        return attrs.evolve(state, version=version, communicated=told)
    if isinstance(command, StandDown):
        return attrs.evolve(
            state,
            version=version,
            state=ActivationState.STOOD_DOWN,
            stood_down_at=event.at,
            summary=command.summary,
        )
    if isinstance(command, RecordReview):
        return attrs.evolve(
            state, version=version, state=ActivationState.REVIEWED, review=command.review
        )
    raise InvalidEventStream(
        repr(state.activation_id), [Problem("command", f"{event.name!r} after the start")]
    )


ACTIVATION: Aggregate[Activation, ActivationEvent] = Aggregate(
    name="activation", start=_start, evolve=_evolve
)
"""The activation aggregate for the kernel: ``ACTIVATION.replay(events)`` rebuilds one."""


def decide_activation(
    activation: Activation | None, command: ActivationCommand, context: Context
) -> Decision[Activation, ActivationEvent]:
    """Apply ``command`` to ``activation`` (None before :class:`ActivatePlan`): the new state
    and its event, or an error with every reason; nothing changes when it is refused.

    Raises:
        CommandRejected: a command in a state that does not take it, a step or an audience
            the plan does not have or that is already recorded, an activation that exists.
        ValidationError: not an activation command.
    """
    entry = _TABLE.get(type(command))
    if entry is None:
        raise ValidationError(
            "decide_activation",
            [Problem("command", f"{shown(command)} is not an activation command")],
        )
    name, states = entry
    if activation is None:
        if not isinstance(command, ActivatePlan):
            raise CommandRejected(name, ["no activation: activate a plan first"])
        event_id = command.activation_id
        return ACTIVATION.decided(None, [_event(event_id, 1, command, context)])
    if states is None or activation.state not in states:
        allowed = "none" if states is None else ", ".join(sorted(s.value for s in states))
        reason = f"{name} is not allowed in state {activation.state.value!r} (only {allowed})"
        if isinstance(command, ActivatePlan):
            reason = f"activation {activation.activation_id!r} already exists"
        raise CommandRejected(name, [reason], state=activation.state.value)
    reasons = _refusals(activation, command)
    if reasons:
        raise CommandRejected(name, reasons, state=activation.state.value)
    event = _event(activation.activation_id, activation.version + 1, command, context)
    return ACTIVATION.decided(activation, [event])


def _event(
    activation_id: str, sequence: int, command: ActivationCommand, context: Context
) -> ActivationEvent:
    return ActivationEvent(
        activation_id=activation_id,
        sequence=sequence,
        at=context.now,
        actor=context.actor,
        command=command,
    )


def _refusals(activation: Activation, command: ActivationCommand) -> list[str]:
    plan = activation.plan
    if isinstance(command, RecordStep):
        known = [step.name for step in plan.response_flow]
        if command.step not in known:
            return [f"unknown step {command.step!r} (the flow: {', '.join(known)})"]
        if command.step in dict(activation.steps_done):
            return [f"step {command.step!r} is already recorded"]
    if isinstance(command, RecordCommunication):
        known = [step.audience for step in plan.communication]
        if command.audience not in known:
            listed = ", ".join(known) or "none"
            return [f"unknown audience {command.audience!r} (the plan tells: {listed})"]
    return []


def trigger_of(ticket: Ticket) -> Trigger | None:
    """What ``ticket`` starts: a complaint at response level 1 is a major complaint, which
    starts the emergency plan (the spec); every major incident starts one; anything else
    starts none (None)."""
    if ticket.kind is TicketKind.MAJOR_INCIDENT:
        return Trigger.MAJOR_INCIDENT
    if ticket.kind is TicketKind.COMPLAINT and ticket.response_level == MAJOR:
        return Trigger.MAJOR_COMPLAINT
    return None


def activation_for(
    ticket: Ticket, registry: PlanRegistry, *, event_type: str, activation_id: str
) -> ActivatePlan:
    """The :class:`ActivatePlan` command that ``ticket`` starts: the registry's plan for
    ``event_type``, at the ticket's response level (the plan's risk level when the ticket has
    none yet).

    Raises:
        CommandRejected: the ticket is neither a major complaint nor a major incident.
        ValidationError: no plan answers ``event_type``.
    """
    trigger = trigger_of(ticket)
    if trigger is None:
        given = "none" if ticket.response_level is None else str(ticket.response_level)
        reason = (
            f"ticket {ticket.id!r} ({ticket.kind.value}, response level {given}) is neither "
            "a major complaint (response level 1) nor a major incident"
        )
        raise CommandRejected("activated", [reason])
    plan = registry.for_event(event_type)
    level = ticket.response_level
    if level is None:
        level = registry.risk(plan.plan_id).level
    return ActivatePlan(
        activation_id=activation_id,
        plan=plan,
        event_type=event_type,
        trigger=trigger,
        level=level,
        ticket_id=ticket.id,
    )
