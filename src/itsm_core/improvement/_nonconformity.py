"""Nonconformity and corrective action (ISO/IEC 20000-1:2018 clause 10.1).

React (record the correction), evaluate (root cause, whether corrective action is needed),
implement the actions, review their effectiveness, and only then close: a nonconformity cannot
be closed without an effectiveness review that found the action effective. An ineffective
review sends it back to analysis.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from typing import Any

import attrs

from itsm_core.errors import CommandRejected, NaiveDatetimeError, Problem, TransitionNotAllowed
from itsm_core.improvement._artefacts import ActionItem, ActionStatus
from itsm_core.improvement._errors import InvalidImprovementStream
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


# Fields each recording command may set, and the states where it may.
_RECORDS: dict[str, tuple[frozenset[str], frozenset[NonconformityState]]] = {
    "record_correction": (frozenset({"correction"}), frozenset({NonconformityState.REPORTED})),
    "record_cause": (
        frozenset({"root_cause", "corrective_action_required"}),
        frozenset({NonconformityState.REPORTED, NonconformityState.ANALYSED}),
    ),
    "record_action": (frozenset({"action"}), frozenset({NonconformityState.ANALYSED})),
    "record_review": (
        frozenset({"review", "sms_change_ref"}),
        frozenset({NonconformityState.ACTION_TAKEN}),
    ),
}


def raise_nonconformity(
    nc_id: str, description: str, *, actor: str, now: dt.datetime
) -> tuple[Nonconformity, NonconformityEvent]:
    """Open a nonconformity; returns it with its first event."""
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


def act_on_nonconformity(
    nc: Nonconformity, name: str, *, actor: str, now: dt.datetime, **changes: Any
) -> tuple[Nonconformity, NonconformityEvent]:
    """Record (``record_correction``, ``record_cause``, ``record_action``, ``record_review``)
    or move (``analyse``, ``implement``, ``close``, ``reanalyse``); returns the new state and
    its event, or raises with every reason.

    Raises:
        CommandRejected: a field not accepted, a recording in the wrong state, a move whose
            conditions fail (closing without an effective effectiveness review...).
        TransitionNotAllowed: no such move from the current state.
    """
    state = nc.state
    to_state = state
    if name in _RECORDS:
        allowed, states = _RECORDS[name]
        reasons = [f"{key!r} is not recorded by {name}" for key in sorted(set(changes) - allowed)]
        if state not in states:
            reasons.append(f"{name} is not allowed in state {state.value!r}")
        if not changes:
            reasons.append("nothing to record")
        if reasons:
            raise CommandRejected(name, reasons, state=state.value)
        if "action" in changes:
            action = changes.pop("action")
            others = tuple(a for a in nc.actions if a.action_id != action.action_id)
            changes["actions"] = (*others, action)
    else:
        workflow = NONCONFORMITY_WORKFLOW
        if changes:
            raise CommandRejected(name, ["a move takes no fields"], state=state.value)
        if workflow.transition(state, name) is None:
            raise TransitionNotAllowed(name, state.value, workflow.events_from(state))
        verdict = workflow.check(
            state, name, GuardContext(subject=nc, actor=actor, role="member", now=now)
        )
        if not verdict.allowed:
            raise CommandRejected(name, verdict.reasons, state=state.value)
        assert verdict.target is not None
        to_state = NonconformityState(verdict.target)
        if name == "reanalyse":
            changes = {"review": None}
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
            raise InvalidImprovementStream(
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
        raise InvalidImprovementStream(
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
        raise InvalidImprovementStream("''", [Problem("events", "no events")])
    return nc
