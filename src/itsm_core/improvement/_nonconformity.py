"""Nonconformity and corrective action (ISO/IEC 20000-1:2018 clause 10.1).

React (record the correction), evaluate (root cause, whether corrective action is needed),
implement the actions, review their effectiveness, and only then close: a nonconformity cannot
be closed without an effectiveness review that found the action effective. An ineffective
review sends it back to analysis.

Built on the aggregate kernel like the improvement cycle: :func:`decide_nonconformity` takes
the nonconformity (None before :class:`RaiseNonconformity`), a command and a
:class:`~itsm_core.kernel.Context`; :data:`NONCONFORMITY` folds the events.
"""

from __future__ import annotations

import datetime as dt
import enum
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
from itsm_core.improvement._artefacts import ActionItem, ActionStatus, check_text
from itsm_core.kernel import Aggregate, Context, Decision
from itsm_core.workflow import Guard, GuardContext, StatusCategory, Transition, Workflow


class NonconformityState(enum.StrEnum):
    """Where a nonconformity stands."""

    REPORTED = "reported"
    ANALYSED = "analysed"
    ACTION_TAKEN = "action_taken"
    CLOSED = "closed"


@attrs.frozen(kw_only=True)
class EffectivenessReview:
    """Did the corrective action work? Who reviewed, when, what was found."""

    reviewed_at: dt.datetime
    reviewer: str
    effective: bool
    finding: str

    def __attrs_post_init__(self) -> None:
        check_aware_fields(self, "reviewed_at")


@attrs.frozen(kw_only=True)
class Nonconformity:
    """A nonconformity with its correction, cause, corrective actions and effectiveness review."""

    nc_id: str
    description: str
    state: NonconformityState
    version: int
    raised_at: dt.datetime
    correction: str | None = None
    root_cause: str | None = None
    corrective_action_required: bool | None = None
    actions: tuple[ActionItem, ...] = ()
    review: EffectivenessReview | None = None
    sms_change_ref: str | None = None
    closed_at: dt.datetime | None = None

    @property
    def stream_id(self) -> str:
        """The id of the nonconformity's event stream: its ``nc_id``."""
        return self.nc_id


def _need(check: Any, name: str, message: str) -> Guard[Nonconformity]:
    return Guard(name, lambda c: None if check(c.subject) else message)


NONCONFORMITY_WORKFLOW: Workflow[NonconformityState, Nonconformity] = Workflow(
    name="nonconformity",
    states={
        NonconformityState.REPORTED: StatusCategory.NEW,
        NonconformityState.ANALYSED: StatusCategory.OPEN,
        NonconformityState.ACTION_TAKEN: StatusCategory.OPEN,
        NonconformityState.CLOSED: StatusCategory.CLOSED,
    },
    initial=NonconformityState.REPORTED,
    transitions=[
        Transition(
            event="analyse",
            sources={NonconformityState.REPORTED},
            target=NonconformityState.ANALYSED,
            guards=(
                _need(lambda n: n.correction, "has_correction", "missing 'correction'"),
                _need(lambda n: n.root_cause, "has_root_cause", "missing 'root_cause'"),
                _need(
                    lambda n: n.corrective_action_required is not None,
                    "has_decision",
                    "missing 'corrective_action_required' decision",
                ),
            ),
        ),
        Transition(
            event="implement",
            sources={NonconformityState.ANALYSED},
            target=NonconformityState.ACTION_TAKEN,
            guards=(
                _need(
                    lambda n: (
                        not n.corrective_action_required
                        or (n.actions and all(a.status is ActionStatus.DONE for a in n.actions))
                    ),
                    "actions_done",
                    "corrective action is required: every action must be done",
                ),
            ),
        ),
        Transition(
            event="close",
            sources={NonconformityState.ACTION_TAKEN},
            target=NonconformityState.CLOSED,
            guards=(
                _need(
                    lambda n: n.review is not None,
                    "has_effectiveness_review",
                    "missing 'effectiveness_review': review the corrective action first",
                ),
                _need(
                    lambda n: n.review is None or n.review.effective,
                    "review_effective",
                    "the effectiveness review found the action ineffective",
                ),
            ),
        ),
        Transition(
            event="reanalyse",
            sources={NonconformityState.ACTION_TAKEN},
            target=NonconformityState.ANALYSED,
            guards=(
                _need(
                    lambda n: n.review is not None and not n.review.effective,
                    "review_ineffective",
                    "only after a review that found the action ineffective",
                ),
            ),
        ),
    ],
)


@attrs.frozen(kw_only=True)
class NonconformityEvent:
    """Something that happened to a nonconformity; ``changes`` are the fields it set.

    Stored and read back with :class:`~itsm_core.serialization.Serializer` (``changes`` as
    ``[field, value]`` pairs, each value read as its field's type; datetimes keep their zone).
    """

    nc_id: str
    sequence: int
    name: str
    at: dt.datetime
    actor: str
    from_state: str | None
    to_state: str
    changes: tuple[tuple[str, Any], ...] = ()

    def __attrs_post_init__(self) -> None:
        check_aware_fields(self, "at")

    @property
    def stream_id(self) -> str:
        """The id of the stream the event belongs to: its ``nc_id``."""
        return self.nc_id


# -- commands --------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class RaiseNonconformity:
    """Open a nonconformity (its id comes from the caller) with a description of what was
    found."""

    nc_id: str
    description: str

    def __attrs_post_init__(self) -> None:
        check_text("RaiseNonconformity", nc_id=self.nc_id, description=self.description)


@attrs.frozen
class RecordCorrection:
    """React: the correction that contained the nonconformity (while reported)."""

    correction: str

    def __attrs_post_init__(self) -> None:
        check_text("RecordCorrection", correction=self.correction)


@attrs.frozen(kw_only=True)
class RecordCause:
    """Evaluate: the root cause and/or whether corrective action is needed (give at least one;
    while reported or analysed)."""

    root_cause: str | None = None
    corrective_action_required: bool | None = None

    def __attrs_post_init__(self) -> None:
        if self.root_cause is None and self.corrective_action_required is None:
            raise ValidationError(
                "RecordCause",
                [Problem("", "nothing to record: give root_cause or corrective_action_required")],
            )
        if self.root_cause is not None:
            check_text("RecordCause", root_cause=self.root_cause)
        decision = self.corrective_action_required
        if decision is not None and not isinstance(decision, bool):
            raise ValidationError(
                "RecordCause", [Problem("corrective_action_required", f"not a bool: {decision!r}")]
            )


@attrs.frozen
class RecordCorrectiveAction:
    """Implement: add a corrective action item, or replace the one with its id (analysed)."""

    action: ActionItem


@attrs.frozen(kw_only=True)
class RecordEffectivenessReview:
    """Review: the effectiveness review, with the SMS change reference if the action changed
    the service management system (action taken)."""

    review: EffectivenessReview
    sms_change_ref: str | None = None


@attrs.frozen
class AnalyseNonconformity:
    """Move to analysed: needs the correction, the root cause and the decision on action."""


@attrs.frozen
class ImplementCorrectiveAction:
    """Move to action taken: every action done when corrective action is required."""


@attrs.frozen
class CloseNonconformity:
    """Close: needs an effectiveness review that found the action effective."""


@attrs.frozen
class ReanalyseNonconformity:
    """Back to analysed after a review found the action ineffective (the review is cleared)."""


NonconformityRecord = (
    RecordCorrection | RecordCause | RecordCorrectiveAction | RecordEffectivenessReview
)
NonconformityMove = (
    AnalyseNonconformity | ImplementCorrectiveAction | CloseNonconformity | ReanalyseNonconformity
)
NonconformityCommand = RaiseNonconformity | NonconformityRecord | NonconformityMove

# The event of each recording and the states it is allowed in.
_RECORDS: dict[type, tuple[str, frozenset[NonconformityState]]] = {
    RecordCorrection: ("record_correction", frozenset({NonconformityState.REPORTED})),
    RecordCause: (
        "record_cause",
        frozenset({NonconformityState.REPORTED, NonconformityState.ANALYSED}),
    ),
    RecordCorrectiveAction: ("record_action", frozenset({NonconformityState.ANALYSED})),
    RecordEffectivenessReview: ("record_review", frozenset({NonconformityState.ACTION_TAKEN})),
}
# The event of each move: a transition of NONCONFORMITY_WORKFLOW.
_MOVES: dict[type, str] = {
    AnalyseNonconformity: "analyse",
    ImplementCorrectiveAction: "implement",
    CloseNonconformity: "close",
    ReanalyseNonconformity: "reanalyse",
}
# The event of every command, from the two tables above.
_EVENT_OF: dict[type, str] = {
    RaiseNonconformity: "raise",
    **{kind: name for kind, (name, _) in _RECORDS.items()},
    **_MOVES,
}
# The fields the fold sets itself; an event's changes set the others.
_FOLDED = frozenset({"nc_id", "description", "state", "version", "raised_at", "closed_at"})
_CHANGEABLE = frozenset(field.name for field in attrs.fields(Nonconformity)) - _FOLDED


def _recorded(nc: Nonconformity, command: NonconformityRecord) -> dict[str, Any]:
    if isinstance(command, RecordCorrection):
        return {"correction": command.correction}
    if isinstance(command, RecordCause):
        return {
            name: value
            for name, value in (
                ("root_cause", command.root_cause),
                ("corrective_action_required", command.corrective_action_required),
            )
            if value is not None
        }
    if isinstance(command, RecordCorrectiveAction):
        action = command.action
        others = tuple(a for a in nc.actions if a.action_id != action.action_id)
        return {"actions": (*others, action)}
    changes: dict[str, Any] = {"review": command.review}
    if command.sms_change_ref is not None:
        changes["sms_change_ref"] = command.sms_change_ref
    return changes


def decide_nonconformity(
    nc: Nonconformity | None, command: NonconformityCommand, context: Context
) -> Decision[Nonconformity, NonconformityEvent]:
    """Apply ``command`` to ``nc`` (None before :class:`RaiseNonconformity`): the new state
    and its event. Besides the raise, a command is a recording (:class:`RecordCorrection`,
    :class:`RecordCause`, :class:`RecordCorrectiveAction`, :class:`RecordEffectivenessReview`)
    or a move (:class:`AnalyseNonconformity`, :class:`ImplementCorrectiveAction`,
    :class:`CloseNonconformity`, :class:`ReanalyseNonconformity`). Nothing changes when the
    command is refused.

    Raises:
        CommandRejected: a recording in the wrong state, a move whose conditions fail
            (closing without an effective effectiveness review...), every reason listed; a
            raise of a nonconformity that exists, or a command before the raise.
        TransitionNotAllowed: no such move from the current state.
        ValidationError: not a nonconformity command.

    >>> import datetime as dt
    >>> from itsm_core.kernel import Context
    >>> audit = Context(actor="audit", role="auditor", now=dt.datetime(2026, 3, 2, tzinfo=dt.UTC))
    >>> found = RaiseNonconformity(nc_id="NC-1", description="SLA report sent late")
    >>> nc, events = decide_nonconformity(None, found, audit)
    >>> nc.state.value, [event.name for event in events]
    ('reported', ['raise'])
    >>> decide_nonconformity(nc, CloseNonconformity(), audit).state
    Traceback (most recent call last):
    ...
    itsm_core.errors.TransitionNotAllowed: command 'close' rejected in state 'reported': ...
    """
    name = _EVENT_OF.get(type(command))
    if name is None:
        raise ValidationError(
            "decide_nonconformity",
            [Problem("command", f"{command!r} is not a nonconformity command")],
        )
    if isinstance(command, RaiseNonconformity):
        if nc is not None:
            raise CommandRejected(
                name, [f"nonconformity {nc.nc_id!r} already exists"], state=nc.state.value
            )
        first = NonconformityEvent(
            nc_id=command.nc_id,
            sequence=1,
            name=name,
            at=context.now,
            actor=context.actor,
            from_state=None,
            to_state=NONCONFORMITY_WORKFLOW.initial.value,
            changes=(("description", command.description),),
        )
        return NONCONFORMITY.decided(None, [first])
    if nc is None:
        raise CommandRejected(name, ["no nonconformity: raise one first"])
    state = nc.state
    to_state = state
    if isinstance(command, NonconformityRecord):
        states = _RECORDS[type(command)][1]
        if state not in states:
            allowed = ", ".join(sorted(s.value for s in states))
            reason = f"{name} is not allowed in state {state.value!r} (only {allowed})"
            raise CommandRejected(name, [reason], state=state.value)
        changes = _recorded(nc, command)
    else:
        workflow = NONCONFORMITY_WORKFLOW
        if workflow.transition(state, name) is None:
            raise TransitionNotAllowed(name, state.value, workflow.events_from(state))
        guard_context = GuardContext(
            subject=nc, actor=context.actor, role=context.role, now=context.now
        )
        verdict = workflow.check(state, name, guard_context)
        if not verdict.allowed:
            raise CommandRejected(name, verdict.reasons, state=state.value)
        assert verdict.target is not None
        to_state = NonconformityState(verdict.target)
        changes = {"review": None} if isinstance(command, ReanalyseNonconformity) else {}
    event = NonconformityEvent(
        nc_id=nc.nc_id,
        sequence=nc.version + 1,
        name=name,
        at=context.now,
        actor=context.actor,
        from_state=state.value,
        to_state=to_state.value,
        changes=tuple(sorted(changes.items())),
    )
    return NONCONFORMITY.decided(nc, [event])


# -- fold ------------------------------------------------------------------------------------


def _broken(event: NonconformityEvent, path: str, message: str) -> InvalidEventStream:
    return InvalidEventStream(repr(event.nc_id), [Problem(path, f"#{event.sequence}: {message}")])


def _state(event: NonconformityEvent) -> NonconformityState:
    try:
        return NonconformityState(event.to_state)
    except ValueError:
        known = ", ".join(s.value for s in NonconformityState)
        raise _broken(event, "to_state", f"{event.to_state!r} is not one of {known}") from None


def _start(event: NonconformityEvent) -> Nonconformity:
    """The nonconformity its first event raises."""
    changes = dict(event.changes)
    if event.name != _EVENT_OF[RaiseNonconformity]:
        raise _broken(event, "name", f"a nonconformity starts with 'raise', not {event.name!r}")
    if set(changes) != {"description"}:
        raise _broken(event, "changes", "a raise sets the description, and only it")
    return Nonconformity(
        nc_id=event.nc_id,
        description=changes["description"],
        state=_state(event),
        version=event.sequence,
        raised_at=event.at,
    )


def _evolve(nc: Nonconformity, event: NonconformityEvent) -> Nonconformity:
    """The nonconformity after a later event."""
    if event.from_state != nc.state.value:
        raise _broken(
            event, "from_state", f"{event.from_state!r} is not the state {nc.state.value!r}"
        )
    changes = dict(event.changes)
    unknown = sorted(set(changes) - _CHANGEABLE)
    if unknown:
        raise _broken(event, "changes", f"an event cannot set {', '.join(map(repr, unknown))}")
    state = _state(event)
    updates: dict[str, Any] = {**changes, "state": state, "version": event.sequence}
    if state is NonconformityState.CLOSED:
        updates["closed_at"] = event.at
    return attrs.evolve(nc, **updates)


NONCONFORMITY: Aggregate[Nonconformity, NonconformityEvent] = Aggregate(
    name="nonconformity", start=_start, evolve=_evolve
)
"""The nonconformity as the kernel folds it: ``NONCONFORMITY.replay(events)`` rebuilds one. A
stream that does not start with ``raise``, skips a sequence number, mixes nonconformities or
sets a field an event may not set raises :class:`~itsm_core.errors.InvalidEventStream`."""
