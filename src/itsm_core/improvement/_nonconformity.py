"""Nonconformity and corrective action (ISO/IEC 20000-1:2018 clause 10.1).

React (record the correction), evaluate (root cause, whether corrective action is needed),
implement the actions, review their effectiveness, and only then close: a nonconformity cannot
be closed without an effectiveness review that found the action effective. An ineffective
review sends it back to analysis.
"""

from __future__ import annotations

import datetime as dt
import enum
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
from itsm_core.improvement._artefacts import ActionItem, ActionStatus
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
        if self.reviewed_at.tzinfo is None or self.reviewed_at.utcoffset() is None:
            raise NaiveDatetimeError("EffectivenessReview.reviewed_at", self.reviewed_at)


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
    """Something that happened to a nonconformity; ``changes`` are the fields it set."""

    nc_id: str
    sequence: int
    name: str
    at: dt.datetime
    actor: str
    from_state: str | None
    to_state: str
    changes: tuple[tuple[str, Any], ...] = ()

    def __attrs_post_init__(self) -> None:
        if self.at.tzinfo is None or self.at.utcoffset() is None:
            raise NaiveDatetimeError("NonconformityEvent.at", self.at)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-safe data (datetimes as ISO 8601 with their offset); ``changes`` is an
        object from field name to value. :meth:`from_dict` reads it back."""
        from itsm_core.improvement._event_codec import nonconformity_event_to_dict

        return nonconformity_event_to_dict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> NonconformityEvent:
        """Read :meth:`to_dict` data.

        Raises:
            DeserializationError: every problem, each with its path.
        """
        from itsm_core.improvement._event_codec import nonconformity_event_from_dict

        return nonconformity_event_from_dict(data)


# -- commands --------------------------------------------------------------------------------


def _text(subject: str, **fields: object) -> None:
    problems = [
        Problem(name, "must be non-empty text")
        for name, value in fields.items()
        if not isinstance(value, str) or not value.strip()
    ]
    if problems:
        raise ValidationError(subject, problems)


@attrs.frozen
class RecordCorrection:
    """React: the correction that contained the nonconformity (while reported)."""

    correction: str

    def __attrs_post_init__(self) -> None:
        _text("RecordCorrection", correction=self.correction)


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
            _text("RecordCause", root_cause=self.root_cause)
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
NonconformityCommand = NonconformityRecord | NonconformityMove

# The event name of each command, and for a recording the states it is allowed in.
_RECORDS: dict[type, tuple[str, frozenset[NonconformityState]]] = {
    RecordCorrection: ("record_correction", frozenset({NonconformityState.REPORTED})),
    RecordCause: (
        "record_cause",
        frozenset({NonconformityState.REPORTED, NonconformityState.ANALYSED}),
    ),
    RecordCorrectiveAction: ("record_action", frozenset({NonconformityState.ANALYSED})),
    RecordEffectivenessReview: ("record_review", frozenset({NonconformityState.ACTION_TAKEN})),
}
_MOVES: dict[type, str] = {
    AnalyseNonconformity: "analyse",
    ImplementCorrectiveAction: "implement",
    CloseNonconformity: "close",
    ReanalyseNonconformity: "reanalyse",
}


def raise_nonconformity(
    nc_id: str, description: str, *, actor: str, now: dt.datetime
) -> tuple[Nonconformity, NonconformityEvent]:
    """Open a nonconformity; returns it with its first event."""
    _text("raise_nonconformity", nc_id=nc_id, description=description, actor=actor)
    event = NonconformityEvent(
        nc_id=nc_id,
        sequence=1,
        name="raise",
        at=now,
        actor=actor,
        from_state=None,
        to_state=NonconformityState.REPORTED.value,
        changes=(("description", description),),
    )
    return apply_nonconformity_event(None, event), event


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
    nc: Nonconformity, command: NonconformityCommand, *, actor: str, now: dt.datetime
) -> tuple[Nonconformity, NonconformityEvent]:
    """Apply a recording (:class:`RecordCorrection`, :class:`RecordCause`,
    :class:`RecordCorrectiveAction`, :class:`RecordEffectivenessReview`) or a move
    (:class:`AnalyseNonconformity`, :class:`ImplementCorrectiveAction`,
    :class:`CloseNonconformity`, :class:`ReanalyseNonconformity`); returns the new state and
    its event. Nothing changes when the command is refused.

    Raises:
        CommandRejected: a recording in the wrong state, a move whose conditions fail
            (closing without an effective effectiveness review...), every reason listed.
        TransitionNotAllowed: no such move from the current state.
    """
    state = nc.state
    to_state = state
    if isinstance(command, NonconformityRecord):
        name, states = _RECORDS[type(command)]
        if state not in states:
            allowed = ", ".join(sorted(s.value for s in states))
            reason = f"{name} is not allowed in state {state.value!r} (only {allowed})"
            raise CommandRejected(name, [reason], state=state.value)
        changes = _recorded(nc, command)
    elif isinstance(command, NonconformityMove):
        name = _MOVES[type(command)]
        workflow = NONCONFORMITY_WORKFLOW
        if workflow.transition(state, name) is None:
            raise TransitionNotAllowed(name, state.value, workflow.events_from(state))
        verdict = workflow.check(
            state, name, GuardContext(subject=nc, actor=actor, role="member", now=now)
        )
        if not verdict.allowed:
            raise CommandRejected(name, verdict.reasons, state=state.value)
        assert verdict.target is not None
        to_state = NonconformityState(verdict.target)
        changes = {"review": None} if name == "reanalyse" else {}
    else:
        raise ValidationError(
            "decide_nonconformity",
            [Problem("command", f"{command!r} is not a nonconformity command")],
        )
    event = NonconformityEvent(
        nc_id=nc.nc_id,
        sequence=nc.version + 1,
        name=name,
        at=now,
        actor=actor,
        from_state=state.value,
        to_state=to_state.value,
        changes=tuple(sorted(changes.items())),
    )
    return apply_nonconformity_event(nc, event), event


def apply_nonconformity_event(nc: Nonconformity | None, event: NonconformityEvent) -> Nonconformity:
    """The nonconformity after ``event``."""
    changes = dict(event.changes)
    if nc is None:
        if event.name != "raise" or event.sequence != 1:
            raise InvalidEventStream(
                repr(event.nc_id), [Problem("sequence", "a stream starts with 'raise' #1")]
            )
        return Nonconformity(
            nc_id=event.nc_id,
            description=str(changes["description"]),
            state=NonconformityState(event.to_state),
            version=1,
            raised_at=event.at,
        )
    if event.sequence != nc.version + 1 or event.from_state != nc.state.value:
        raise InvalidEventStream(
            repr(nc.nc_id),
            [Problem("sequence", f"#{event.sequence} does not follow #{nc.version}")],
        )
    state = NonconformityState(event.to_state)
    updates: dict[str, Any] = {**changes, "state": state, "version": event.sequence}
    if state is NonconformityState.CLOSED:
        updates["closed_at"] = event.at
    return attrs.evolve(nc, **updates)


def replay_nonconformity(events: Iterable[NonconformityEvent]) -> Nonconformity:
    """Rebuild a nonconformity from its events."""
    nc: Nonconformity | None = None
    for event in events:
        nc = apply_nonconformity_event(nc, event)
    if nc is None:
        raise InvalidEventStream("''", [Problem("events", "no events")])
    return nc
