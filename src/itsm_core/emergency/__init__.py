"""Emergency management: plans (应急预案), activation, drills (定期组织演练), the resource pool
(应急资源库, 应急物资储备) and the post-event review (事后评估).

* **Plans as data**: an :class:`EmergencyPlan` names its event types, its place on the risk
  matrix (likelihood x severity, graded by :data:`~itsm_core.priority.EMERGENCY_GRADING` into
  response level 1 major, 2 serious, 3 general), the response flow (:class:`ResponseStep`), the
  roles, the resources it needs, the communication plan (:class:`CommunicationStep`), its owner
  and review date. A :class:`PlanRegistry` holds them (``PlanRegistry.from_dict``), finds the
  plan for an event type and lists the plans overdue for review.
* **Activation**: a major complaint (a complaint at response level 1) or a major incident starts
  the plan (:func:`activation_for`); the :class:`Activation` aggregate records the response
  steps, the communications, the stand-down and the :class:`PostEventReview`, whose
  improvements become PDCA cycles (:meth:`Activation.improvement_cycles`).
* **Drills**: :func:`schedule_drills` puts a plan's drills on the business calendar; the
  :class:`Drill` aggregate records who took part and the findings, each opening an improvement
  cycle (:meth:`Drill.improvement_cycles`).
* **Resource pool**: :class:`ResourcePool` allocates, releases, consumes and restocks, and
  reports what is below its reserve and what a plan would lack (:class:`Shortfall`).

Both aggregates follow the kernel (:mod:`itsm_core.kernel`): ``decide_*(state | None,
command, context)`` returns a :class:`~itsm_core.kernel.Decision`; ``ACTIVATION`` and
``DRILL`` replay their events. Labels in Chinese and English come from
:func:`emergency_label`.
"""

from itsm_core.emergency._activation import (
    ACTIVATION,
    ActivatePlan,
    Activation,
    ActivationCommand,
    ActivationEvent,
    ActivationState,
    RecordCommunication,
    RecordReview,
    RecordStep,
    StandDown,
    StepStatus,
    Trigger,
    activation_for,
    decide_activation,
    trigger_of,
)
from itsm_core.emergency._drill import (
    DRILL,
    CancelDrill,
    Drill,
    DrillCommand,
    DrillEvent,
    DrillFinding,
    DrillState,
    RecordDrill,
    RescheduleDrill,
    ScheduleDrill,
    decide_drill,
    schedule_drills,
)
from itsm_core.emergency._labels import emergency_label, review_text
from itsm_core.emergency._plan import CommunicationStep, EmergencyPlan, PlanRegistry, ResponseStep
from itsm_core.emergency._resources import Resource, ResourceKind, ResourcePool, Shortfall
from itsm_core.emergency._review import PostEventReview

__all__ = [
    "ACTIVATION",
    "DRILL",
    "ActivatePlan",
    "Activation",
    "ActivationCommand",
    "ActivationEvent",
    "ActivationState",
    "CancelDrill",
    "CommunicationStep",
    "Drill",
    "DrillCommand",
    "DrillEvent",
    "DrillFinding",
    "DrillState",
    "EmergencyPlan",
    "PlanRegistry",
    "PostEventReview",
    "RecordCommunication",
    "RecordDrill",
    "RecordReview",
    "RecordStep",
    "RescheduleDrill",
    "Resource",
    "ResourceKind",
    "ResourcePool",
    "ResponseStep",
    "ScheduleDrill",
    "Shortfall",
    "StandDown",
    "StepStatus",
    "Trigger",
    "activation_for",
    "decide_activation",
    "decide_drill",
    "emergency_label",
    "review_text",
    "schedule_drills",
    "trigger_of",
]
