"""Continual improvement: PDCA cycles, the improvement register, and the tools of the Check step.

* **Check tools** (pure Python): :func:`pareto`; :func:`p_chart` and :func:`xmr_chart` with
  Phase I recomputation (:func:`phase_one`); Western Electric and Nelson run rules as
  structured :class:`Signal` values; :func:`compare` for a KPI before and after a change.
* **Cycles**: the :class:`ImprovementCycle` aggregate follows PDCA or the ITIL 4 continual
  improvement model (both are :class:`~itsm_core.workflow.Workflow` data); :func:`decide`
  returns the new cycle and its events, :func:`replay` rebuilds it. Phases only move forward
  and a refusal names every missing artefact.
* **Nonconformity** with corrective action (ISO/IEC 20000-1 10.1): cannot close without an
  effectiveness review.
* **Register**: :class:`ImprovementRegister` queries cycles by status, owner, KPI, source and
  benefit; cycles start from a Pareto category, a SERVQUAL gap or a post-incident review.
"""

from itsm_core.improvement._artefacts import (
    ActionItem,
    ActionStatus,
    ActionUpdate,
    CheckResult,
    CheckVerdict,
    Fishbone,
    FiveWhys,
    MeasuredResult,
    ProblemStatement,
    Standard,
    Target,
    Vision,
    Why,
    check_result,
)
from itsm_core.improvement._comparison import BeforeAfter, compare
from itsm_core.improvement._control_chart import ChartKind, ChartPoint, ControlChart
from itsm_core.improvement._cycle import (
    Abandon,
    Advance,
    ContinueWith,
    CycleDecision,
    CycleEvent,
    ImprovementCycle,
    Record,
    Standardise,
    StartCycle,
    apply_event,
    decide,
    replay,
)
from itsm_core.improvement._errors import InvalidImprovementStream
from itsm_core.improvement._measurement import Direction, KpiKind, Measurement
from itsm_core.improvement._nonconformity import (
    NONCONFORMITY_WORKFLOW,
    EffectivenessReview,
    Nonconformity,
    NonconformityEvent,
    NonconformityState,
    act_on_nonconformity,
    apply_nonconformity_event,
    raise_nonconformity,
    replay_nonconformity,
)
from itsm_core.improvement._p_chart import p_chart
from itsm_core.improvement._pareto import ParetoAnalysis, ParetoBar, pareto
from itsm_core.improvement._phase_one import PhaseOne, SupportsPhaseOne, phase_one
from itsm_core.improvement._phases import (
    ARTEFACTS,
    ITIL4_WORKFLOW,
    PDCA_WORKFLOW,
    CycleModel,
    ItilStep,
    PdcaPhase,
    workflow_for,
)
from itsm_core.improvement._register import ImprovementRegister
from itsm_core.improvement._run_rules import (
    RuleSet,
    RuleSpec,
    RunRule,
    Side,
    Signal,
    detect,
    nelson,
    western_electric,
)
from itsm_core.improvement._sources import (
    ImprovementSource,
    SourceKind,
    from_pareto_category,
    from_post_incident_review,
    from_servqual_gap,
)
from itsm_core.improvement._xmr_chart import D2, D4, XmRChart, xmr_chart

__all__ = [
    "ARTEFACTS",
    "D2",
    "D4",
    "ITIL4_WORKFLOW",
    "NONCONFORMITY_WORKFLOW",
    "PDCA_WORKFLOW",
    "Abandon",
    "ActionItem",
    "ActionStatus",
    "ActionUpdate",
    "Advance",
    "BeforeAfter",
    "ChartKind",
    "ChartPoint",
    "CheckResult",
    "CheckVerdict",
    "ContinueWith",
    "ControlChart",
    "CycleDecision",
    "CycleEvent",
    "CycleModel",
    "Direction",
    "EffectivenessReview",
    "Fishbone",
    "FiveWhys",
    "ImprovementCycle",
    "ImprovementRegister",
    "ImprovementSource",
    "InvalidImprovementStream",
    "ItilStep",
    "KpiKind",
    "MeasuredResult",
    "Measurement",
    "Nonconformity",
    "NonconformityEvent",
    "NonconformityState",
    "ParetoAnalysis",
    "ParetoBar",
    "PdcaPhase",
    "PhaseOne",
    "ProblemStatement",
    "Record",
    "RuleSet",
    "RuleSpec",
    "RunRule",
    "Side",
    "Signal",
    "SourceKind",
    "Standard",
    "Standardise",
    "StartCycle",
    "SupportsPhaseOne",
    "Target",
    "Vision",
    "Why",
    "XmRChart",
    "act_on_nonconformity",
    "apply_event",
    "apply_nonconformity_event",
    "check_result",
    "compare",
    "decide",
    "detect",
    "from_pareto_category",
    "from_post_incident_review",
    "from_servqual_gap",
    "nelson",
    "p_chart",
    "pareto",
    "phase_one",
    "raise_nonconformity",
    "replay",
    "replay_nonconformity",
    "western_electric",
    "workflow_for",
    "xmr_chart",
]
