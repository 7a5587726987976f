"""The improvement cycle aggregate: commands in, events out, state folded from the events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from itsm_core.errors import (
    CommandRejected,
    InvalidEventStream,
    NaiveDatetimeError,
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
from itsm_core.workflow import GuardContext, StatusCategory

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

_SLOT: dict[type, str] = {
    Vision: "vision",
    ProblemStatement: "problem_statement",
    Measurement: "baseline",
    Target: "target",
    FiveWhys: "root_cause",
    Fishbone: "root_cause",
    ActionItem: "action",
    ActionUpdate: "action_update",
    MeasuredResult: "check",
}


@attrs.frozen(kw_only=True)
class ImprovementCycle:
    """One improvement cycle (PDCA or ITIL 4 model): its phase and every artefact recorded.

    Change it only through :func:`decide`; rebuild it with :func:`replay`. ``phase`` is the
    value of a :class:`PdcaPhase` or :class:`ItilStep`; ``status`` its status category.
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


@attrs.frozen
class Advance:
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


CycleCommand = StartCycle | Record | Advance | Standardise | ContinueWith | Abandon

#: What an event carries besides its name.
Change = StartCycle | Artefact | CheckResult | Standard


@attrs.frozen(kw_only=True)
class CycleEvent:
    """Something that happened to a cycle: who, when, which phase move, which artefact."""

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
        if self.at.tzinfo is None or self.at.utcoffset() is None:
            raise NaiveDatetimeError("CycleEvent.at", self.at)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-safe data (datetimes as ISO 8601 with their offset); ``change`` is tagged
        with its ``type`` (``"start"``, ``"target"``, ``"check_result"``...). A Check record
        keeps its baseline, result, target and verdict; :meth:`from_dict` recomputes the
        comparison from them."""
        from itsm_core.improvement._event_codec import cycle_event_to_dict

        return cycle_event_to_dict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CycleEvent:
        """Read :meth:`to_dict` data.

        Raises:
            DeserializationError: every problem, each with its path.
        """
        from itsm_core.improvement._event_codec import cycle_event_from_dict

        return cycle_event_from_dict(data)


@attrs.frozen(kw_only=True)
class CycleDecision:
    """The outcome of :func:`decide`: the new cycle and the events that happened."""

    cycle: ImprovementCycle
    events: tuple[CycleEvent, ...]


# -- decide ----------------------------------------------------------------------------------


def _aware(now: dt.datetime) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        raise NaiveDatetimeError("decide.now", now)


def decide(
    cycle: ImprovementCycle | None,
    command: CycleCommand,
    *,
    actor: str,
    now: dt.datetime,
    role: str = "member",
) -> CycleDecision:
    """Apply ``command`` to ``cycle``: the new cycle and its events, or an error with reasons.

    The new state is the fold of the events (:func:`apply_event`), so ``replay`` of a cycle's
    events always gives the cycle. Nothing changes when a command is refused.

    Raises:
        CommandRejected: an artefact recorded in the wrong phase or inconsistent with the
            others; an advance with artefacts missing (every one named); a standardise after
            a failed Check.
        TransitionNotAllowed: no such move from the current phase (e.g. a closed cycle).
    """
    _aware(now)
    if not actor:
        raise ValidationError("decide", [Problem("actor", "must not be empty")])
    if isinstance(command, StartCycle):
        if cycle is not None:
            raise CommandRejected("start", [f"cycle {cycle.cycle_id!r} already exists"])
        _check_start(command)
        workflow = workflow_for(command.model)
        event = CycleEvent(
            cycle_id=command.cycle_id,
            sequence=1,
            name="start",
            at=now,
            actor=actor,
            from_phase=None,
            to_phase=str(workflow.initial.value),
            change=command,
            link=command.previous_cycle,
        )
        return CycleDecision(cycle=apply_event(None, event), events=(event,))
    if cycle is None:
        raise CommandRejected(_command_name(command), ["no cycle: start one first"])
    event = _event(cycle, command, actor=actor, now=now, role=role)
    return CycleDecision(cycle=apply_event(cycle, event), events=(event,))


def _command_name(command: CycleCommand) -> str:
    if isinstance(command, Record):
        return f"record_{_SLOT[type(command.artefact)]}"
    return {
        Advance: "advance",
        Standardise: "standardise",
        ContinueWith: "continue_with",
        Abandon: "abandon",
        StartCycle: "start",
    }[type(command)]


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
    cycle: ImprovementCycle, command: CycleCommand, *, actor: str, now: dt.datetime, role: str
) -> CycleEvent:
    name = _command_name(command)
    base: dict[str, Any] = {
        "cycle_id": cycle.cycle_id,
        "sequence": cycle.version + 1,
        "at": now,
        "actor": actor,
        "from_phase": cycle.phase,
    }
    if isinstance(command, Record):
        change = _recordable(cycle, command.artefact, name, now)
        return CycleEvent(name=name, to_phase=cycle.phase, change=change, **base)
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
    context = GuardContext(subject=cycle, actor=actor, role=role, now=now, fields=fields)
    verdict = workflow.check(state, name, context)
    if not verdict.allowed:
        raise CommandRejected(name, verdict.reasons, state=cycle.phase)
    if isinstance(command, ContinueWith) and command.next_cycle_id == cycle.cycle_id:
        raise CommandRejected(name, ["the next cycle needs its own id"], state=cycle.phase)
    assert verdict.target is not None
    return CycleEvent(
        name=name,
        to_phase=verdict.target,
        change=command.standard if isinstance(command, Standardise) else None,
        reason=fields.get("reason"),
        link=fields.get("next_cycle_id"),
        **base,
    )


def _recordable(cycle: ImprovementCycle, artefact: Artefact, name: str, now: dt.datetime) -> Change:
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


def _stream_problem(event: CycleEvent, cycle: ImprovementCycle | None) -> Problem | None:
    if cycle is None:
        if event.name != "start" or event.sequence != 1 or not isinstance(event.change, StartCycle):
            return Problem("sequence", f"a stream starts with 'start' #1, not {event.name!r}")
        return None
    if event.cycle_id != cycle.cycle_id:
        return Problem("cycle_id", f"{event.cycle_id!r} is not {cycle.cycle_id!r}")
    if event.sequence != cycle.version + 1:
        return Problem("sequence", f"#{event.sequence} does not follow #{cycle.version}")
    if event.from_phase != cycle.phase:
        return Problem("from_phase", f"{event.from_phase!r} is not the phase {cycle.phase!r}")
    return None


def apply_event(cycle: ImprovementCycle | None, event: CycleEvent) -> ImprovementCycle:
    """The cycle after ``event``; the only place a cycle's fields change.

    Raises:
        InvalidEventStream: the event does not follow ``cycle``.
    """
    problem = _stream_problem(event, cycle)
    if problem is not None:
        raise InvalidEventStream(repr(event.cycle_id), [problem])
    change = event.change
    if cycle is None:
        assert isinstance(change, StartCycle)
        workflow = workflow_for(change.model)
        return ImprovementCycle(
            cycle_id=change.cycle_id,
            model=change.model,
            title=change.title,
            owner=change.owner,
            source=change.source,
            previous_cycle=change.previous_cycle,
            phase=event.to_phase,
            status=workflow.category(workflow.state_named(event.to_phase)),
            version=1,
            opened_at=event.at,
            updated_at=event.at,
        )
    workflow = workflow_for(cycle.model)
    status = workflow.category(workflow.state_named(event.to_phase))
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
    updates.update(_artefact_updates(cycle, change, event.at))
    return attrs.evolve(cycle, **updates)


def _artefact_updates(
    cycle: ImprovementCycle, change: Change | None, at: dt.datetime
) -> dict[str, Any]:
    if change is None or isinstance(change, StartCycle):
        return {}
    if isinstance(change, ActionItem):
        if cycle.action(change.action_id) is None:
            return {"actions": (*cycle.actions, change)}
        replaced = (change if a.action_id == change.action_id else a for a in cycle.actions)
        return {"actions": tuple(replaced)}
    if isinstance(change, ActionUpdate):
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
    slot = {
        Vision: "vision",
        ProblemStatement: "problem_statement",
        Measurement: "baseline",
        Target: "target",
        FiveWhys: "root_cause",
        Fishbone: "root_cause",
        CheckResult: "check",
        Standard: "standard",
    }[type(change)]
    return {slot: change}


def replay(events: Iterable[CycleEvent]) -> ImprovementCycle:
    """Rebuild a cycle by folding its events in order.

    Raises:
        InvalidEventStream: no events, or events that do not follow each other.
    """
    cycle: ImprovementCycle | None = None
    for event in events:
        cycle = apply_event(cycle, event)
    if cycle is None:
        raise InvalidEventStream("''", [Problem("events", "no events")])
    return cycle
