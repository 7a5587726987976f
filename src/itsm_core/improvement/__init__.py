"""Continual improvement: PDCA cycles, nonconformities, the improvement register, and the tools
of the Check step.

* **Cycles**: the :class:`ImprovementCycle` aggregate follows PDCA or the ITIL 4 continual
  improvement model. :func:`decide_cycle` takes the cycle (None before :class:`StartCycle`),
  a command and a :class:`~itsm_core.kernel.Context`, and returns a
  :class:`~itsm_core.kernel.Decision` (the new cycle and its events); ``CYCLE.replay(events)``
  rebuilds a cycle. Phases only move forward and a refusal names every missing artefact.
* **Nonconformity** with corrective action (ISO/IEC 20000-1 10.1), the same shape:
  :func:`decide_nonconformity` with :class:`RaiseNonconformity` and the recordings and moves
  (:class:`RecordCorrection`, :class:`CloseNonconformity`...), ``NONCONFORMITY.replay``; it
  cannot close without an effectiveness review.
* **Register**: :class:`ImprovementRegister` queries cycles by status, owner, KPI, source and
  benefit; cycles start from a Pareto category, a SERVQUAL gap or a post-incident review.
* **From the KPI module**: :func:`measurement_from_kpi` turns a metrics duration or rate result
  into the :class:`Measurement` a baseline or a Check step records.
* **Quarterly internal audit** (每季度一次): an :class:`AuditPlan` puts one audit a quarter
  on the business calendar with the auditors' rotation (:class:`ScheduledAudit`); an
  :class:`AuditResult` turns major and minor :class:`AuditFinding` values into
  :class:`RaiseNonconformity` commands and observations into improvement sources.
* **Check tools** (pure Python): :func:`pareto`; :func:`p_chart` and :func:`xmr_chart` with
  Phase I recomputation (:func:`phase_one`); Western Electric and Nelson run rules
  (:func:`detect`) as structured :class:`Signal` values; :func:`compare` for a KPI before and
  after a change.

Events and states are stored with :class:`~itsm_core.serialization.Serializer`, like every
other aggregate.
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
)
from itsm_core.improvement._audit import (
    AuditFinding,
    AuditPlan,
    AuditResult,
    FindingGrade,
    ScheduledAudit,
)
from itsm_core.improvement._comparison import BeforeAfter, compare
from itsm_core.improvement._control_chart import ControlChart
from itsm_core.improvement._cycle import (
    CYCLE,
    Abandon,
    AdvancePhase,
    ContinueWith,
    CycleEvent,
    ImprovementCycle,
    Record,
    Standardise,
    StartCycle,
    decide_cycle,
)
from itsm_core.improvement._from_kpi import measurement_from_kpi
from itsm_core.improvement._measurement import Direction, KpiKind, Measurement
from itsm_core.improvement._nonconformity import (
    NONCONFORMITY,
    AnalyseNonconformity,
    CloseNonconformity,
    EffectivenessReview,
    ImplementCorrectiveAction,
    Nonconformity,
    NonconformityEvent,
    NonconformityState,
    RaiseNonconformity,
    ReanalyseNonconformity,
    RecordCause,
    RecordCorrection,
    RecordCorrectiveAction,
    RecordEffectivenessReview,
    decide_nonconformity,
)
from itsm_core.improvement._p_chart import p_chart
from itsm_core.improvement._pareto import ParetoAnalysis, pareto
from itsm_core.improvement._phase_one import PhaseOne, phase_one
from itsm_core.improvement._phases import CycleModel
from itsm_core.improvement._register import ImprovementRegister
from itsm_core.improvement._run_rules import Signal, detect, nelson, western_electric
from itsm_core.improvement._sources import (
    ImprovementSource,
    SourceKind,
    from_drill_finding,
    from_pareto_category,
    from_post_incident_review,
    from_servqual_gap,
)
from itsm_core.improvement._xmr_chart import XmRChart, xmr_chart

__all__ = [
    "CYCLE",
    "NONCONFORMITY",
    "Abandon",
    "ActionItem",
    "ActionStatus",
    "ActionUpdate",
    "AdvancePhase",
    "AnalyseNonconformity",
    "AuditFinding",
    "AuditPlan",
    "AuditResult",
    "BeforeAfter",
    "CheckResult",
    "CheckVerdict",
    "CloseNonconformity",
    "ContinueWith",
    "ControlChart",
    "CycleEvent",
    "CycleModel",
    "Direction",
    "EffectivenessReview",
    "FindingGrade",
    "Fishbone",
    "FiveWhys",
    "ImplementCorrectiveAction",
    "ImprovementCycle",
    "ImprovementRegister",
    "ImprovementSource",
    "KpiKind",
    "MeasuredResult",
    "Measurement",
    "Nonconformity",
    "NonconformityEvent",
    "NonconformityState",
    "ParetoAnalysis",
    "PhaseOne",
    "ProblemStatement",
    "RaiseNonconformity",
    "ReanalyseNonconformity",
    "Record",
    "RecordCause",
    "RecordCorrection",
    "RecordCorrectiveAction",
    "RecordEffectivenessReview",
    "ScheduledAudit",
    "Signal",
    "SourceKind",
    "Standard",
    "Standardise",
    "StartCycle",
    "Target",
    "Vision",
    "Why",
    "XmRChart",
    "compare",
    "decide_cycle",
    "decide_nonconformity",
    "detect",
    "from_drill_finding",
    "from_pareto_category",
    "from_post_incident_review",
    "from_servqual_gap",
    "measurement_from_kpi",
    "nelson",
    "p_chart",
    "pareto",
    "phase_one",
    "western_electric",
    "xmr_chart",
]
