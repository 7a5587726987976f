"""The phase workflows: PDCA and the ITIL 4 continual improvement model, as workflow data.

Both are :class:`~itsm_core.workflow.Workflow` values whose subject is the cycle. Phases only
move forward: every transition leads to a later phase or to a terminal state. Each ``advance``
is guarded by one guard per required artefact, so a refusal names every artefact missing.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from itsm_core.improvement._artefacts import CheckVerdict
from itsm_core.workflow import Guard, GuardContext, StatusCategory, Transition, Workflow

if TYPE_CHECKING:
    from itsm_core.improvement._cycle import ImprovementCycle


class CycleModel(enum.StrEnum):
    """Which improvement model a cycle follows."""

    PDCA = "pdca"
    """Deming/Shewhart Plan-Do-Check-Act (PDCA 计划-执行-检查-处理)."""
    ITIL4 = "itil4"
    """The ITIL 4 continual improvement model: seven questions, in order."""


class PdcaPhase(enum.StrEnum):
    """The phases of a PDCA cycle and how it ends."""

    PLAN = "plan"
    DO = "do"
    CHECK = "check"
    ACT = "act"
    STANDARDISED = "standardised"
    CONTINUED = "continued"
    ABANDONED = "abandoned"


class ItilStep(enum.StrEnum):
    """The seven steps of the ITIL 4 continual improvement model and how a run ends."""

    VISION = "what_is_the_vision"
    CURRENT_STATE = "where_are_we_now"
    TARGET_STATE = "where_do_we_want_to_be"
    ROUTE = "how_do_we_get_there"
    TAKE_ACTION = "take_action"
    VERIFY = "did_we_get_there"
    MOMENTUM = "keep_the_momentum_going"
    STANDARDISED = "standardised"
    CONTINUED = "continued"
    ABANDONED = "abandoned"


#: Artefact slot name -> what it is, for refusals ("missing artefact 'baseline': ...").
ARTEFACTS: dict[str, str] = {
    "vision": "the vision and objective the improvement serves",
    "problem_statement": "a problem statement",
    "baseline": "a baseline measurement (KPI, value, period, n)",
    "target": "a target for the baseline's KPI (value, direction, due date)",
    "root_cause": "a root cause (5 whys chain or fishbone)",
    "actions": "at least one action item (owner, due date)",
    "actions_settled": "every action done or dropped, at least one done",
    "check": "a measured result judged against target and baseline",
}

_PRESENT: dict[str, Callable[[ImprovementCycle], bool]] = {
    "vision": lambda c: c.vision is not None,
    "problem_statement": lambda c: c.problem_statement is not None,
    "baseline": lambda c: c.baseline is not None,
    "target": lambda c: c.target is not None,
    "root_cause": lambda c: c.root_cause is not None,
    "actions": lambda c: bool(c.actions),
    "actions_settled": lambda c: (
        bool(c.actions)
        and all(a.status.settled for a in c.actions)
        and any(a.status.value == "done" for a in c.actions)
    ),
    "check": lambda c: c.check is not None,
}


def _requires(slot: str) -> Guard[ImprovementCycle]:
    present = _PRESENT[slot]

    def check(context: GuardContext[ImprovementCycle]) -> str | None:
        return None if present(context.subject) else f"missing artefact {slot!r}: {ARTEFACTS[slot]}"

    return Guard(f"has_{slot}", check, f"requires {ARTEFACTS[slot]}")


def _target_not_failed(context: GuardContext[ImprovementCycle]) -> str | None:
    check = context.subject.check
    if check is not None and check.verdict is CheckVerdict.NOT_MET:
        return "the Check verdict is 'not_met': start a next cycle or abandon instead"
    return None


S = TypeVar("S", bound=enum.Enum)


def _build(
    name: str, steps: Sequence[tuple[S, tuple[str, ...]]], ends: tuple[S, S, S]
) -> Workflow[S, ImprovementCycle]:
    standardised, continued, abandoned = ends
    states: dict[S, StatusCategory] = {steps[0][0]: StatusCategory.NEW}
    states.update({state: StatusCategory.OPEN for state, _ in steps[1:]})
    states.update(
        {
            standardised: StatusCategory.CLOSED,
            continued: StatusCategory.CLOSED,
            abandoned: StatusCategory.CANCELLED,
        }
    )
    transitions: list[Transition[S, ImprovementCycle]] = [
        Transition(
            event="advance",
            sources={state},
            target=steps[i + 1][0],
            guards=tuple(_requires(slot) for slot in required),
            description="requires " + ", ".join(required),
        )
        for i, (state, required) in enumerate(steps[:-1])
    ]
    last = steps[-1][0]
    transitions += [
        Transition(
            event="standardise",
            sources={last},
            target=standardised,
            required_fields={"standard"},
            guards=(_requires("check"), Guard("target_not_failed", _target_not_failed)),
            description="close with the new standard recorded",
        ),
        Transition(
            event="continue_with",
            sources={last},
            target=continued,
            required_fields={"next_cycle_id"},
            guards=(_requires("check"),),
            description="close and start a linked next cycle",
        ),
        Transition(
            event="abandon",
            sources={state for state, _ in steps},
            target=abandoned,
            required_fields={"reason"},
            description="stop, with a reason",
        ),
    ]
    return Workflow(name=name, states=states, initial=steps[0][0], transitions=transitions)


#: Plan needs a problem statement, baseline, target, root cause and actions; Do needs every
#: action settled; Check needs the measured result; Act standardises or continues.
PDCA_WORKFLOW: Workflow[PdcaPhase, Any] = _build(
    "pdca_cycle",
    [
        (PdcaPhase.PLAN, ("problem_statement", "baseline", "target", "root_cause", "actions")),
        (PdcaPhase.DO, ("actions_settled",)),
        (PdcaPhase.CHECK, ("check",)),
        (PdcaPhase.ACT, ()),
    ],
    (PdcaPhase.STANDARDISED, PdcaPhase.CONTINUED, PdcaPhase.ABANDONED),
)

#: The seven questions in order (ITIL 4 Foundation; PDCA Plan = 1-4, Do = 5, Check = 6, Act = 7).
ITIL4_WORKFLOW: Workflow[ItilStep, Any] = _build(
    "itil4_continual_improvement",
    [
        (ItilStep.VISION, ("vision",)),
        (ItilStep.CURRENT_STATE, ("problem_statement", "baseline")),
        (ItilStep.TARGET_STATE, ("target",)),
        (ItilStep.ROUTE, ("root_cause", "actions")),
        (ItilStep.TAKE_ACTION, ("actions_settled",)),
        (ItilStep.VERIFY, ("check",)),
        (ItilStep.MOMENTUM, ()),
    ],
    (ItilStep.STANDARDISED, ItilStep.CONTINUED, ItilStep.ABANDONED),
)

#: Artefact slot -> the phases (state values) where it may be recorded, per model.
RECORDABLE: dict[CycleModel, dict[str, frozenset[str]]] = {
    CycleModel.PDCA: {
        "problem_statement": frozenset({"plan"}),
        "baseline": frozenset({"plan"}),
        "target": frozenset({"plan"}),
        "root_cause": frozenset({"plan"}),
        "action": frozenset({"plan", "do"}),
        "action_update": frozenset({"do"}),
        "check": frozenset({"check"}),
    },
    CycleModel.ITIL4: {
        "vision": frozenset({ItilStep.VISION.value}),
        "problem_statement": frozenset({ItilStep.CURRENT_STATE.value}),
        "baseline": frozenset({ItilStep.CURRENT_STATE.value}),
        "target": frozenset({ItilStep.TARGET_STATE.value}),
        "root_cause": frozenset({ItilStep.ROUTE.value}),
        "action": frozenset({ItilStep.ROUTE.value, ItilStep.TAKE_ACTION.value}),
        "action_update": frozenset({ItilStep.TAKE_ACTION.value}),
        "check": frozenset({ItilStep.VERIFY.value}),
    },
}


def workflow_for(model: CycleModel) -> Workflow[Any, Any]:
    """The phase workflow of ``model``."""
    return PDCA_WORKFLOW if model is CycleModel.PDCA else ITIL4_WORKFLOW
