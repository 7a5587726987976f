"""Continual improvement: PDCA cycles, the improvement register, and the tools of the Check step.

* **Check tools** (pure Python): :func:`pareto`; :func:`p_chart` and :func:`xmr_chart` with
  Phase I recomputation (:func:`phase_one`); Western Electric and Nelson run rules as
  structured :class:`Signal` values; :func:`compare` for a KPI before and after a change.
* **Cycles**: the :class:`ImprovementCycle` aggregate follows PDCA or the ITIL 4 continual
  improvement model (both are :class:`~itsm_core.workflow.Workflow` data); :func:`decide`
  returns the new cycle and its events, :func:`replay` rebuilds it. Phases only move forward
  and a refusal names every missing artefact.
* **Nonconformity** with corrective action (ISO/IEC 20000-1 10.1): typed commands
  (:class:`RecordCorrection`, :class:`CloseNonconformity`...) go through
  :func:`decide_nonconformity`; it cannot close without an effectiveness review.
* **Events as data**: ``CycleEvent`` and ``NonconformityEvent`` have ``to_dict``/``from_dict``.
* **From the KPI module**: :func:`measurement_from_kpi` turns a metrics duration or rate result
  into the :class:`Measurement` a baseline or a Check step records.
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
from itsm_core.improvement._from_kpi import measurement_from_kpi
from itsm_core.improvement._measurement import Direction, KpiKind, Measurement
from itsm_core.improvement._nonconformity import (
    NONCONFORMITY_WORKFLOW,
    AnalyseNonconformity,
    CloseNonconformity,
    EffectivenessReview,
    ImplementCorrectiveAction,
    Nonconformity,
    NonconformityEvent,
    NonconformityState,
    ReanalyseNonconformity,
    RecordCause,
    RecordCorrection,
    RecordCorrectiveAction,
    RecordEffectivenessReview,
    apply_nonconformity_event,
    decide_nonconformity,
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
    "AnalyseNonconformity",
    "BeforeAfter",
    "ChartKind",
    "ChartPoint",
    "CheckResult",
    "CheckVerdict",
    "CloseNonconformity",
    "ContinueWith",
    "ControlChart",
    "CycleDecision",
    "CycleEvent",
    "CycleModel",
    "Direction",
    "EffectivenessReview",
    "Fishbone",
    "FiveWhys",
    "ImplementCorrectiveAction",
    "ImprovementCycle",
    "ImprovementRegister",
    "ImprovementSource",
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
    "ReanalyseNonconformity",
    "Record",
    "RecordCause",
    "RecordCorrection",
    "RecordCorrectiveAction",
    "RecordEffectivenessReview",
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
    "apply_event",
    "apply_nonconformity_event",
    "check_result",
    "compare",
    "decide",
    "decide_nonconformity",
    "detect",
    "from_pareto_category",
    "from_post_incident_review",
    "from_servqual_gap",
    "measurement_from_kpi",
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
