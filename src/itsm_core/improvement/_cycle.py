"""The improvement cycle aggregate: commands in, events out, state folded from the events.

It is built on the aggregate kernel (:mod:`itsm_core.kernel`): :func:`decide_cycle` takes the
cycle (None before it starts), a command and a :class:`~itsm_core.kernel.Context`, and returns
a :class:`~itsm_core.kernel.Decision`; :data:`CYCLE` folds events into the cycle
(``CYCLE.replay(events)``), and a malformed stream raises
:class:`~itsm_core.errors.InvalidEventStream`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from itsm_core._checks import check_aware_fields
from itsm_core.errors import (
    CommandRejected,
    InvalidEventStream,
    Problem,
    TransitionNotAllowed,
    ValidationError,
)
from itsm_core.improvement._artefacts import (
    ActionItem,
    ActionStatus,
    ActionUpdate,
    CheckResult,
    Fishbone,
    FiveWhys,
    MeasuredResult,
    ProblemStatement,
    Standard,
    Target,
    Vision,
    check_result,
)
from itsm_core.improvement._measurement import Measurement
from itsm_core.improvement._phases import RECORDABLE, CycleModel, workflow_for
from itsm_core.improvement._sources import ImprovementSource
from itsm_core.kernel import Aggregate, Context, Decision
from itsm_core.workflow import GuardContext, StatusCategory, Workflow

#: What :class:`Record` accepts.
Artefact = (
    Vision
    | ProblemStatement
    | Measurement
    | Target
    | FiveWhys
    | Fishbone
    | ActionItem
    | ActionUpdate
    | MeasuredResult
)

#: The cycle field an event's value sets when the cycle is folded (action items and their
#: updates change the ``actions`` tuple instead).
_FIELD: dict[type, str] = {
    Vision: "vision",
    ProblemStatement: "problem_statement",
    Measurement: "baseline",
    Target: "target",
    FiveWhys: "root_cause",
    Fishbone: "root_cause",
    CheckResult: "check",
    Standard: "standard",
}

#: The slot of each artefact :class:`Record` takes: the phases that may record it
#: (``RECORDABLE``) and its event name, ``record_<slot>``. A measured result is recorded as
#: the Check record judged from it.
_SLOT: dict[type, str] = {
    **{kind: field for kind, field in _FIELD.items() if kind not in (CheckResult, Standard)},
    ActionItem: "action",
    ActionUpdate: "action_update",
    MeasuredResult: "check",
}


@attrs.frozen(kw_only=True)
class ImprovementCycle:
    """One improvement cycle (PDCA or ITIL 4 model): its phase and every artefact recorded.

    Change it only through :func:`decide_cycle`; rebuild it with ``CYCLE.replay(events)``.
    ``phase`` is the value of a phase of its model (``"plan"``, ``"where_are_we_now"``...);
    ``status`` its status category; ``version`` the sequence of its last event.
    """

    cycle_id: str
    model: CycleModel
    title: str
    owner: str
    source: ImprovementSource | None
    phase: str
    status: StatusCategory
    version: int
    opened_at: dt.datetime
    updated_at: dt.datetime
    closed_at: dt.datetime | None = None
    previous_cycle: str | None = None
    next_cycle: str | None = None
    vision: Vision | None = None
    problem_statement: ProblemStatement | None = None
    baseline: Measurement | None = None
    target: Target | None = None
    root_cause: FiveWhys | Fishbone | None = None
    actions: tuple[ActionItem, ...] = ()
    check: CheckResult | None = None
    standard: Standard | None = None
    closing_reason: str | None = None

    @property
    def stream_id(self) -> str:
        """The id of the cycle's event stream: its ``cycle_id``."""
        return self.cycle_id

    @property
    def kpi(self) -> str | None:
        """The KPI the cycle improves (from its baseline, else its target)."""
        if self.baseline is not None:
            return self.baseline.kpi
        return None if self.target is None else self.target.kpi

    @property
    def benefit(self) -> float | None:
        """The measured improvement over the baseline, positive when better; None before Check."""
        return None if self.check is None else self.check.benefit

    @property
    def is_closed(self) -> bool:
        """True once standardised, continued or abandoned."""
        return self.status.is_final

    def action(self, action_id: str) -> ActionItem | None:
        """The action item with that id, or None."""
        return next((a for a in self.actions if a.action_id == action_id), None)


# -- commands --------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class StartCycle:
    """Open a cycle (ids come from the caller)."""

    cycle_id: str
    title: str
    owner: str
    model: CycleModel = CycleModel.PDCA
    source: ImprovementSource | None = None
    previous_cycle: str | None = None


@attrs.frozen
class Record:
    """Record an artefact in the phase that owns it (a Measurement is the baseline)."""

    artefact: Artefact

    def __attrs_post_init__(self) -> None:
        if type(self.artefact) not in _SLOT:
            known = ", ".join(sorted({kind.__name__ for kind in _SLOT}))
            raise ValidationError(
                "Record",
                [Problem("artefact", f"{self.artefact!r} is not an artefact ({known})")],
            )


@attrs.frozen
class AdvancePhase:
    """Move to the next phase; refused with every missing artefact named."""


@attrs.frozen
class Standardise:
    """Act: close the cycle with the new standard recorded (not when the target was not met)."""

    standard: Standard


@attrs.frozen(kw_only=True)
class ContinueWith:
    """Act: close this cycle and link the next one, which the caller starts."""

    next_cycle_id: str
    reason: str


@attrs.frozen
class Abandon:
    """Stop the cycle, with a reason."""

    reason: str


CycleCommand = StartCycle | Record | AdvancePhase | Standardise | ContinueWith | Abandon

#: The event each command (but :class:`Record`, named by its artefact's slot) leads to; the
#: moves are also the events of the phase workflows.
_EVENT_OF: dict[type, str] = {
    StartCycle: "start",
    AdvancePhase: "advance",
    Standardise: "standardise",
    ContinueWith: "continue_with",
    Abandon: "abandon",
}

#: What an event carries besides its name.
Change = StartCycle | Artefact | CheckResult | Standard


@attrs.frozen(kw_only=True)
class CycleEvent:
    """Something that happened to a cycle: who, when, which phase move, which artefact.

    Stored and read back with :class:`~itsm_core.serialization.Serializer` (``change`` is
    tagged with its class name in ``"_type"``; datetimes keep their zone).
    """

    cycle_id: str
    sequence: int
    name: str
    at: dt.datetime
    actor: str
    from_phase: str | None
    to_phase: str
    change: Change | None = None
    reason: str | None = None
    link: str | None = None

    def __attrs_post_init__(self) -> None:
        check_aware_fields(self, "at")

    @property
    def stream_id(self) -> str:
        """The id of the stream the event belongs to: its ``cycle_id``."""
        return self.cycle_id


# -- decide ----------------------------------------------------------------------------------


def decide_cycle(
    cycle: ImprovementCycle | None, command: CycleCommand, context: Context
) -> Decision[ImprovementCycle, CycleEvent]:
    """Apply ``command`` to ``cycle`` (None before :class:`StartCycle`): the new cycle and its
    events, or an error with every reason.

    The new state is the fold of the events (:data:`CYCLE`), so ``CYCLE.replay`` of a cycle's
    events always gives the cycle. Nothing changes when a command is refused.

    Raises:
        CommandRejected: an artefact recorded in the wrong phase or inconsistent with the
            others; an advance with artefacts missing (every one named); a standardise after
            a failed Check; a start of a cycle that exists, or a command before the start.
        TransitionNotAllowed: no such move from the current phase (e.g. a closed cycle).
        ValidationError: a start without its ids, title or owner; not a cycle command.

    >>> import datetime as dt
    >>> from itsm_core.kernel import Context
    >>> context = Context(actor="li", role="owner", now=dt.datetime(2026, 3, 2, tzinfo=dt.UTC))
    >>> start = StartCycle(cycle_id="CI-1", title="Fewer reopened tickets", owner="li")
    >>> cycle, events = decide_cycle(None, start, context)
    >>> cycle.phase, cycle.version, [event.name for event in events]
    ('plan', 1, ['start'])
    >>> CYCLE.replay(events) == cycle
    True
    >>> decide_cycle(cycle, AdvancePhase(), context).state
    Traceback (most recent call last):
    ...
    itsm_core.errors.CommandRejected: command 'advance' rejected in state 'plan': ...missing...
    """
    name = _command_name(command)
    if isinstance(command, StartCycle):
        if cycle is not None:
            raise CommandRejected(name, [f"cycle {cycle.cycle_id!r} already exists"])
        _check_start(command)
        event = CycleEvent(
            cycle_id=command.cycle_id,
            sequence=1,
            name=name,
            at=context.now,
            actor=context.actor,
            from_phase=None,
            to_phase=str(workflow_for(command.model).initial.value),
            change=command,
            link=command.previous_cycle,
        )
        return CYCLE.decided(None, [event])
    if cycle is None:
        raise CommandRejected(name, ["no cycle: start one first"])
    return CYCLE.decided(cycle, [_event(cycle, command, name, context)])


def _command_name(command: object) -> str:
    """The name of the event ``command`` leads to."""
    if isinstance(command, Record):
        return f"record_{_SLOT[type(command.artefact)]}"
    name = _EVENT_OF.get(type(command))
    if name is None:
        raise ValidationError(
            "decide_cycle", [Problem("command", f"{command!r} is not a cycle command")]
        )
    return name


def _check_start(command: StartCycle) -> None:
    problems = [
        Problem(name, "must not be empty")
        for name in ("cycle_id", "title", "owner")
        if not getattr(command, name)
    ]
    if command.previous_cycle is not None and command.previous_cycle == command.cycle_id:
        problems.append(Problem("previous_cycle", "a cycle cannot follow itself"))
    if problems:
        raise ValidationError("StartCycle", problems)


def _event(
    cycle: ImprovementCycle, command: CycleCommand, name: str, context: Context
) -> CycleEvent:
    base: dict[str, Any] = {
        "cycle_id": cycle.cycle_id,
        "sequence": cycle.version + 1,
        "name": name,
        "at": context.now,
        "actor": context.actor,
        "from_phase": cycle.phase,
    }
    if isinstance(command, Record):
        change = _recordable(cycle, command.artefact, name)
        return CycleEvent(to_phase=cycle.phase, change=change, **base)
    workflow = workflow_for(cycle.model)
    state = workflow.state_named(cycle.phase)
    fields: dict[str, Any] = {}
    if isinstance(command, Standardise):
        fields["standard"] = command.standard
    elif isinstance(command, ContinueWith):
        fields["next_cycle_id"] = command.next_cycle_id
        fields["reason"] = command.reason
    elif isinstance(command, Abandon):
        fields["reason"] = command.reason
    if workflow.transition(state, name) is None:
        raise TransitionNotAllowed(name, cycle.phase, workflow.events_from(state))
    guard_context = GuardContext(
        subject=cycle, actor=context.actor, role=context.role, now=context.now, fields=fields
    )
    verdict = workflow.check(state, name, guard_context)
    if not verdict.allowed:
        raise CommandRejected(name, verdict.reasons, state=cycle.phase)
    if isinstance(command, ContinueWith) and command.next_cycle_id == cycle.cycle_id:
        raise CommandRejected(name, ["the next cycle needs its own id"], state=cycle.phase)
    assert verdict.target is not None
    return CycleEvent(
        to_phase=verdict.target,
        change=command.standard if isinstance(command, Standardise) else None,
        reason=fields.get("reason"),
        link=fields.get("next_cycle_id"),
        **base,
    )


def _recordable(cycle: ImprovementCycle, artefact: Artefact, name: str) -> Change:
    slot = _SLOT[type(artefact)]
    phases = RECORDABLE[cycle.model].get(slot, frozenset())
    if cycle.phase not in phases:
        where = ", ".join(sorted(phases)) or "no phase of this model"
        raise CommandRejected(
            name, [f"{slot} is recorded in {where}, not in {cycle.phase!r}"], state=cycle.phase
        )
    reasons = _consistency(cycle, artefact)
    if reasons:
        raise CommandRejected(name, reasons, state=cycle.phase)
    if isinstance(artefact, MeasuredResult):
        assert cycle.baseline is not None
        assert cycle.target is not None
        return check_result(cycle.baseline, cycle.target, artefact)
    return artefact


def _consistency(cycle: ImprovementCycle, artefact: Artefact) -> list[str]:
    reasons: list[str] = []
    if isinstance(artefact, Measurement) and cycle.target is not None:
        if artefact.kpi != cycle.target.kpi:
            reasons.append(
                f"baseline KPI {artefact.kpi!r} is not the target's {cycle.target.kpi!r}"
            )
    elif isinstance(artefact, Target) and cycle.baseline is not None:
        if artefact.kpi != cycle.baseline.kpi:
            reasons.append(
                f"target KPI {artefact.kpi!r} is not the baseline's {cycle.baseline.kpi!r}"
            )
    elif isinstance(artefact, ActionUpdate):
        current = cycle.action(artefact.action_id)
        if current is None:
            reasons.append(f"no action {artefact.action_id!r}")
        elif current.status.settled:
            reasons.append(f"action {artefact.action_id!r} is already {current.status.value}")
    elif isinstance(artefact, ActionItem):
        if cycle.phase != "plan" and cycle.action(artefact.action_id) is not None:
            reasons.append(f"action {artefact.action_id!r} exists: update its status instead")
    elif isinstance(artefact, MeasuredResult):
        if cycle.baseline is None or cycle.target is None:
            reasons.append("a result is judged against a baseline and a target: record them")
        elif not cycle.baseline.same_definition(artefact.result):
            reasons.append(
                f"the result measures {artefact.result.kpi!r} "
                f"({artefact.result.kind.value}, unit {artefact.result.unit!r}), "
                f"not the baseline's definition of {cycle.baseline.kpi!r}"
            )
        elif artefact.result.period_start < cycle.baseline.period_end:
            reasons.append("the result's period must start after the baseline's period ends")
    return reasons


# -- fold ------------------------------------------------------------------------------------


def _broken(event: CycleEvent, path: str, message: str) -> InvalidEventStream:
    return InvalidEventStream(
        repr(event.cycle_id), [Problem(path, f"#{event.sequence}: {message}")]
    )


def _status(workflow: Workflow[Any, Any], event: CycleEvent) -> StatusCategory:
    """The status category of the phase ``event`` leads to; a phase the model does not have
    breaks the stream."""
    try:
        return workflow.category(workflow.state_named(event.to_phase))
    except ValidationError:
        raise _broken(
            event, "to_phase", f"{event.to_phase!r} is not a phase of {workflow.name!r}"
        ) from None


def _start(event: CycleEvent) -> ImprovementCycle:
    """The cycle its first event opens."""
    change = event.change
    if event.name != _EVENT_OF[StartCycle] or not isinstance(change, StartCycle):
        raise _broken(event, "name", f"a cycle starts with 'start', not {event.name!r}")
    if change.cycle_id != event.cycle_id:
        raise _broken(event, "change.cycle_id", f"{change.cycle_id!r} is not {event.cycle_id!r}")
    return ImprovementCycle(
        cycle_id=change.cycle_id,
        model=change.model,
        title=change.title,
        owner=change.owner,
        source=change.source,
        previous_cycle=change.previous_cycle,
        phase=event.to_phase,
        status=_status(workflow_for(change.model), event),
        version=event.sequence,
        opened_at=event.at,
        updated_at=event.at,
    )


def _evolve(cycle: ImprovementCycle, event: CycleEvent) -> ImprovementCycle:
    """The cycle after a later event; the only place a cycle's fields change."""
    if event.from_phase != cycle.phase:
        raise _broken(event, "from_phase", f"{event.from_phase!r} is not the phase {cycle.phase!r}")
    status = _status(workflow_for(cycle.model), event)
    updates: dict[str, Any] = {
        "phase": event.to_phase,
        "status": status,
        "version": event.sequence,
        "updated_at": event.at,
    }
    if status.is_final:
        updates["closed_at"] = event.at
        updates["closing_reason"] = event.reason
        updates["next_cycle"] = event.link
    updates.update(_artefact_updates(cycle, event))
    return attrs.evolve(cycle, **updates)


def _artefact_updates(cycle: ImprovementCycle, event: CycleEvent) -> dict[str, Any]:
    change = event.change
    if change is None:
        return {}
    if isinstance(change, ActionItem):
        if cycle.action(change.action_id) is None:
            return {"actions": (*cycle.actions, change)}
        replaced = (change if a.action_id == change.action_id else a for a in cycle.actions)
        return {"actions": tuple(replaced)}
    if isinstance(change, ActionUpdate):
        if cycle.action(change.action_id) is None:
            raise _broken(event, "change.action_id", f"no action {change.action_id!r}")
        done = change.status is ActionStatus.DONE
        return {
            "actions": tuple(
                attrs.evolve(
                    a,
                    status=change.status,
                    completed_at=change.at if done else None,
                    evidence=change.evidence or a.evidence,
                )
                if a.action_id == change.action_id
                else a
                for a in cycle.actions
            )
        }
    field = _FIELD.get(type(change))
    if field is None:
        raise _broken(event, "change", f"a {type(change).__name__} does not change a started cycle")
    return {field: change}


CYCLE: Aggregate[ImprovementCycle, CycleEvent] = Aggregate(
    name="cycle", start=_start, evolve=_evolve
)
"""The improvement cycle as the kernel folds it: ``CYCLE.replay(events)`` rebuilds a cycle,
``CYCLE.fold(cycle, events)`` brings one up to date. A stream that does not start with
``start``, skips a sequence number, mixes cycles or leaves a phase it was not in raises
:class:`~itsm_core.errors.InvalidEventStream`."""
