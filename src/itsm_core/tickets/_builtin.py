"""The built-in workflows, as data: copy one with ``to_dict``, adapt it, load it back."""

from __future__ import annotations

from typing import Any

from itsm_core.tickets._guards import (
    APPROVED,
    COMPLAINT_CLASSIFIED,
    CUSTOMER_CONFIRMED,
    CUSTOMER_CONFIRMED_PLAN,
    DELIVERABLES_HANDED_OVER,
    FOLLOWED_UP,
    GRADED_HANDLER,
    HIGH_RISK_REVIEWED,
    MANAGEMENT_FOR_LEVEL_1,
    PLAN_CONFIRMED,
    PLAN_PROPOSED,
    POST_INCIDENT_REVIEW_COMPLETE,
    RESPONSE_LEVEL_SET,
)
from itsm_core.tickets._states import (
    ChangeState,
    ComplaintState,
    ConsultationState,
    IncidentState,
    MajorIncidentState,
    ProblemState,
    RequestState,
    TechnicalServiceState,
)
from itsm_core.tickets._ticket import Ticket
from itsm_core.tickets._vocabulary import STAFF_ROLES, HoldReason, Role
from itsm_core.workflow import StatusCategory, Transition, Workflow

NEW = StatusCategory.NEW
OPEN = StatusCategory.OPEN
ON_HOLD = StatusCategory.ON_HOLD
RESOLVED = StatusCategory.RESOLVED
CLOSED = StatusCategory.CLOSED
CANCELLED = StatusCategory.CANCELLED

STAFF = STAFF_ROLES
CUSTOMER = frozenset({Role.CUSTOMER})
#: Who confirms a resolution: the customer, or the system under an explicit auto-confirmation
#: policy (``ConfirmResolution(auto=True)``).
CONFIRMERS = frozenset({Role.CUSTOMER, Role.SYSTEM})
ANYONE_INVOLVED = STAFF | CUSTOMER
APPROVERS = frozenset({Role.APPROVER, Role.MANAGER})
CAB = frozenset({Role.CAB, Role.MANAGER})
RESOLUTION = frozenset({"resolution_code", "resolution_note"})
RISKS = {"risk": ["low", "moderate", "high"]}
HOLD_REASONS = {"hold_reason": [reason.value for reason in HoldReason]}


def _t(event: str, sources: Any, target: Any, **rules: Any) -> Transition[Any, Ticket]:
    return Transition(event=event, sources=sources, target=target, **rules)


def _confirmed_closure(resolved: Any, closed: Any) -> list[Transition[Any, Ticket]]:
    """The hotline rules' closure: a resolved ticket closes when the customer confirms (得到客户
    确认后关闭); staff may not close it before (the ``customer_confirmed`` guard: drop it from a
    copy of the workflow to close without confirmation)."""
    return [
        _t(
            "close",
            {resolved},
            closed,
            roles=STAFF,
            guards=[CUSTOMER_CONFIRMED],
            description="only once the customer confirmed",
        ),
        _t(
            "confirm",
            {resolved},
            closed,
            roles=CONFIRMERS,
            description="the customer confirms (or an explicit auto-confirmation policy)",
        ),
    ]


def _solution_confirmation(working: Any) -> list[Transition[Any, Ticket]]:
    """Propose a solution and have the customer confirm it before it is applied (the
    ``plan_confirmed`` guard on ``resolve`` asks for it when it affects their business)."""
    return [
        _t(
            "propose_plan",
            {working},
            working,
            roles=STAFF,
            required_fields={"plan"},
            field_choices=RISKS,
            description="the solution, before it is applied",
        ),
        _t(
            "confirm_plan",
            {working},
            working,
            roles=CUSTOMER,
            required_fields={"plan_confirmation"},
            guards=[PLAN_PROPOSED],
            description="the customer confirms a solution affecting their business",
        ),
    ]


_I = IncidentState
INCIDENT_WORKFLOW: Workflow[IncidentState, Ticket] = Workflow(
    name="incident",
    states={
        _I.NEW: NEW,
        _I.ASSIGNED: OPEN,
        _I.IN_PROGRESS: OPEN,
        _I.ON_HOLD: ON_HOLD,
        _I.RESOLVED: RESOLVED,
        _I.CLOSED: CLOSED,
        _I.CANCELLED: CANCELLED,
    },
    initial=_I.NEW,
    transitions=[
        _t("assign", {_I.NEW}, _I.ASSIGNED, roles=STAFF, description="first assignment"),
        _t(
            "acknowledge",
            {_I.NEW, _I.ASSIGNED},
            _I.IN_PROGRESS,
            roles=STAFF,
            description="the handler takes it in (first response)",
        ),
        _t(
            "hold",
            {_I.NEW, _I.ASSIGNED, _I.IN_PROGRESS, _I.ON_HOLD},
            _I.ON_HOLD,
            roles=STAFF,
            required_fields={"hold_reason"},
            field_choices=HOLD_REASONS,
            description="wait for the customer, a vendor, a change or a problem",
        ),
        _t("resume", {_I.ON_HOLD}, _I.IN_PROGRESS, roles=ANYONE_INVOLVED),
        *_solution_confirmation(_I.IN_PROGRESS),
        _t(
            "resolve",
            {_I.NEW, _I.ASSIGNED, _I.IN_PROGRESS, _I.ON_HOLD},
            _I.RESOLVED,
            roles=STAFF,
            required_fields=RESOLUTION,
            guards=[PLAN_CONFIRMED],
        ),
        *_confirmed_closure(_I.RESOLVED, _I.CLOSED),
        _t(
            "reopen",
            {_I.RESOLVED},
            _I.IN_PROGRESS,
            roles=ANYONE_INVOLVED,
            required_fields={"reason"},
        ),
        _t(
            "cancel",
            {_I.NEW, _I.ASSIGNED, _I.IN_PROGRESS, _I.ON_HOLD},
            _I.CANCELLED,
            roles=ANYONE_INVOLVED,
            required_fields={"reason"},
        ),
    ],
)

_R = RequestState
SERVICE_REQUEST_WORKFLOW: Workflow[RequestState, Ticket] = Workflow(
    name="service_request",
    states={
        _R.NEW: NEW,
        _R.AWAITING_APPROVAL: OPEN,
        _R.APPROVED: OPEN,
        _R.IN_PROGRESS: OPEN,
        _R.ON_HOLD: ON_HOLD,
        _R.FULFILLED: RESOLVED,
        _R.CLOSED: CLOSED,
        _R.REJECTED: CANCELLED,
        _R.CANCELLED: CANCELLED,
    },
    initial=_R.NEW,
    transitions=[
        _t("request_approval", {_R.NEW}, _R.AWAITING_APPROVAL, roles=STAFF),
        _t(
            "approve",
            {_R.AWAITING_APPROVAL},
            _R.APPROVED,
            roles=APPROVERS,
            required_fields={"approval"},
            description="the approver's reference is kept",
        ),
        _t(
            "deny", {_R.AWAITING_APPROVAL}, _R.REJECTED, roles=APPROVERS, required_fields={"reason"}
        ),
        _t("start_fulfilment", {_R.APPROVED}, _R.IN_PROGRESS, roles=STAFF),
        _t(
            "hold",
            {_R.IN_PROGRESS, _R.ON_HOLD},
            _R.ON_HOLD,
            roles=STAFF,
            required_fields={"hold_reason"},
            field_choices=HOLD_REASONS,
        ),
        _t("resume", {_R.ON_HOLD}, _R.IN_PROGRESS, roles=ANYONE_INVOLVED),
        *_solution_confirmation(_R.IN_PROGRESS),
        _t(
            "resolve",
            {_R.IN_PROGRESS},
            _R.FULFILLED,
            roles=STAFF,
            required_fields=RESOLUTION,
            guards=[PLAN_CONFIRMED],
        ),
        *_confirmed_closure(_R.FULFILLED, _R.CLOSED),
        _t(
            "reopen",
            {_R.FULFILLED},
            _R.IN_PROGRESS,
            roles=ANYONE_INVOLVED,
            required_fields={"reason"},
        ),
        _t(
            "cancel",
            {_R.NEW, _R.AWAITING_APPROVAL, _R.APPROVED, _R.IN_PROGRESS, _R.ON_HOLD},
            _R.CANCELLED,
            roles=ANYONE_INVOLVED,
            required_fields={"reason"},
        ),
    ],
)

_Q = ConsultationState
CONSULTATION_WORKFLOW: Workflow[ConsultationState, Ticket] = Workflow(
    name="consultation",
    states={
        _Q.NEW: NEW,
        _Q.IN_PROGRESS: OPEN,
        _Q.ANSWERED: RESOLVED,
        _Q.CLOSED: CLOSED,
        _Q.CANCELLED: CANCELLED,
    },
    initial=_Q.NEW,
    transitions=[
        _t("acknowledge", {_Q.NEW}, _Q.IN_PROGRESS, roles=STAFF, description="needs research"),
        _t(
            "resolve",
            {_Q.NEW, _Q.IN_PROGRESS},
            _Q.ANSWERED,
            roles=STAFF,
            required_fields=RESOLUTION,
            description="from new: answered at first contact",
        ),
        *_confirmed_closure(_Q.ANSWERED, _Q.CLOSED),
        _t(
            "reopen",
            {_Q.ANSWERED},
            _Q.IN_PROGRESS,
            roles=ANYONE_INVOLVED,
            required_fields={"reason"},
        ),
        _t(
            "cancel",
            {_Q.NEW, _Q.IN_PROGRESS},
            _Q.CANCELLED,
            roles=ANYONE_INVOLVED,
            required_fields={"reason"},
        ),
    ],
)

_C = ComplaintState
COMPLAINT_WORKFLOW: Workflow[ComplaintState, Ticket] = Workflow(
    name="complaint",
    states={
        _C.RECEIVED: NEW,
        _C.ANALYSING: OPEN,
        _C.HANDLING: OPEN,
        _C.FEEDBACK: RESOLVED,
        _C.ARCHIVED: CLOSED,
        _C.WITHDRAWN: CANCELLED,
    },
    initial=_C.RECEIVED,
    transitions=[
        _t("acknowledge", {_C.RECEIVED}, _C.ANALYSING, roles=STAFF, description="accept, analyse"),
        _t(
            "handle",
            {_C.ANALYSING},
            _C.HANDLING,
            roles=STAFF,
            guards=[COMPLAINT_CLASSIFIED, MANAGEMENT_FOR_LEVEL_1],
            description="graded handling starts",
        ),
        _t(
            "resolve",
            {_C.HANDLING},
            _C.FEEDBACK,
            roles=STAFF,
            required_fields=RESOLUTION,
            guards=[GRADED_HANDLER],
            description="feed the outcome back to the customer",
        ),
        _t(
            "confirm",
            {_C.FEEDBACK},
            _C.FEEDBACK,
            roles=ANYONE_INVOLVED,
            description="follow-up: the customer accepts the outcome",
        ),
        _t("reopen", {_C.FEEDBACK}, _C.HANDLING, roles=ANYONE_INVOLVED, required_fields={"reason"}),
        _t("archive", {_C.FEEDBACK}, _C.ARCHIVED, roles=STAFF, guards=[FOLLOWED_UP]),
        _t(
            "cancel",
            {_C.RECEIVED, _C.ANALYSING},
            _C.WITHDRAWN,
            roles=ANYONE_INVOLVED,
            required_fields={"reason"},
            description="the customer withdraws the complaint",
        ),
    ],
)

_P = ProblemState
PROBLEM_WORKFLOW: Workflow[ProblemState, Ticket] = Workflow(
    name="problem",
    states={
        _P.NEW: NEW,
        _P.ROOT_CAUSE_ANALYSIS: OPEN,
        _P.KNOWN_ERROR: OPEN,
        _P.RESOLVED: RESOLVED,
        _P.CLOSED: CLOSED,
    },
    initial=_P.NEW,
    transitions=[
        _t("acknowledge", {_P.NEW}, _P.ROOT_CAUSE_ANALYSIS, roles=STAFF),
        _t(
            "record_known_error",
            {_P.ROOT_CAUSE_ANALYSIS},
            _P.KNOWN_ERROR,
            roles=STAFF,
            required_fields={"root_cause", "workaround"},
        ),
        _t(
            "resolve",
            {_P.ROOT_CAUSE_ANALYSIS, _P.KNOWN_ERROR},
            _P.RESOLVED,
            roles=STAFF,
            required_fields=RESOLUTION,
            field_choices={
                "resolution_code": ["fix_applied", "risk_accepted", "duplicate", "cancelled"]
            },
            description="the resolution code is the closure code",
        ),
        _t(
            "reopen",
            {_P.RESOLVED},
            _P.ROOT_CAUSE_ANALYSIS,
            roles=STAFF,
            required_fields={"reason"},
        ),
        _t("close", {_P.RESOLVED}, _P.CLOSED, roles=STAFF),
    ],
)

_G = ChangeState
_CHANGE_CATEGORIES = {
    _G.NEW: NEW,
    _G.ASSESS: OPEN,
    _G.AUTHORISE: OPEN,
    _G.SCHEDULED: OPEN,
    _G.IMPLEMENT: OPEN,
    _G.REVIEW: RESOLVED,
    _G.CLOSED: CLOSED,
    _G.CANCELLED: CANCELLED,
}
_CHANGE_OUTCOMES = {"resolution_code": ["successful", "successful_with_issues", "unsuccessful"]}


def _change_tail(*, approval_needed: bool) -> list[Transition[Any, Ticket]]:
    implement_guards = [APPROVED, PLAN_CONFIRMED] if approval_needed else [PLAN_CONFIRMED]
    return [
        _t(
            "confirm_plan",
            {_G.SCHEDULED},
            _G.SCHEDULED,
            roles=CUSTOMER,
            required_fields={"plan_confirmation"},
            description="the customer confirms a plan affecting their business",
        ),
        _t("implement", {_G.SCHEDULED}, _G.IMPLEMENT, roles=STAFF, guards=implement_guards),
        _t(
            "resolve",
            {_G.IMPLEMENT},
            _G.REVIEW,
            roles=STAFF,
            required_fields=RESOLUTION,
            field_choices=_CHANGE_OUTCOMES,
            description="implementation done: review",
        ),
        _t(
            "close",
            {_G.REVIEW},
            _G.CLOSED,
            roles=STAFF | CAB,
            required_fields={"review"},
            description="after the review",
        ),
    ]


def _change_cancel(sources: set[ChangeState]) -> Transition[Any, Ticket]:
    return _t(
        "cancel",
        sources,
        _G.CANCELLED,
        roles=STAFF | CAB,
        required_fields={"reason"},
        description="allowed before review",
    )


def _change_states(*states: ChangeState) -> dict[ChangeState, StatusCategory]:
    return {state: _CHANGE_CATEGORIES[state] for state in states}


NORMAL_CHANGE_WORKFLOW: Workflow[ChangeState, Ticket] = Workflow(
    name="change_normal",
    states=_CHANGE_CATEGORIES,
    initial=_G.NEW,
    transitions=[
        _t("assess", {_G.NEW}, _G.ASSESS, roles=STAFF),
        _t(
            "request_authorisation",
            {_G.ASSESS},
            _G.AUTHORISE,
            roles=STAFF,
            required_fields={"risk"},
            field_choices={"risk": ["low", "moderate", "high"]},
        ),
        _t(
            "approve",
            {_G.AUTHORISE},
            _G.SCHEDULED,
            roles=CAB,
            required_fields={"approval", "planned_start"},
            description="CAB approval",
        ),
        _t("deny", {_G.AUTHORISE}, _G.ASSESS, roles=CAB, required_fields={"reason"}),
        *_change_tail(approval_needed=True),
        _change_cancel({_G.NEW, _G.ASSESS, _G.AUTHORISE, _G.SCHEDULED, _G.IMPLEMENT}),
    ],
)

STANDARD_CHANGE_WORKFLOW: Workflow[ChangeState, Ticket] = Workflow(
    name="change_standard",
    states=_change_states(_G.NEW, _G.SCHEDULED, _G.IMPLEMENT, _G.REVIEW, _G.CLOSED, _G.CANCELLED),
    initial=_G.NEW,
    transitions=[
        _t(
            "schedule",
            {_G.NEW},
            _G.SCHEDULED,
            roles=STAFF,
            required_fields={"template", "planned_start"},
            description="pre-authorised by its template",
        ),
        *_change_tail(approval_needed=False),
        _change_cancel({_G.NEW, _G.SCHEDULED, _G.IMPLEMENT}),
    ],
)

EMERGENCY_CHANGE_WORKFLOW: Workflow[ChangeState, Ticket] = Workflow(
    name="change_emergency",
    states=_change_states(
        _G.NEW, _G.AUTHORISE, _G.SCHEDULED, _G.IMPLEMENT, _G.REVIEW, _G.CLOSED, _G.CANCELLED
    ),
    initial=_G.NEW,
    transitions=[
        _t("request_authorisation", {_G.NEW}, _G.AUTHORISE, roles=STAFF),
        _t(
            "approve",
            {_G.AUTHORISE},
            _G.SCHEDULED,
            roles=CAB,
            required_fields={"approval", "planned_start"},
            description="emergency CAB approval",
        ),
        *_change_tail(approval_needed=True),
        _change_cancel({_G.NEW, _G.AUTHORISE, _G.SCHEDULED, _G.IMPLEMENT}),
    ],
)

_M = MajorIncidentState
MAJOR_INCIDENT_WORKFLOW: Workflow[MajorIncidentState, Ticket] = Workflow(
    name="major_incident",
    states={
        _M.DECLARED: NEW,
        _M.RESPONDING: OPEN,
        _M.RESTORED: RESOLVED,
        _M.REVIEW: RESOLVED,
        _M.CLOSED: CLOSED,
    },
    initial=_M.DECLARED,
    transitions=[
        _t(
            "acknowledge",
            {_M.DECLARED},
            _M.RESPONDING,
            roles=STAFF,
            guards=[RESPONSE_LEVEL_SET, MANAGEMENT_FOR_LEVEL_1],
            description="the emergency response starts",
        ),
        _t(
            "resolve",
            {_M.RESPONDING},
            _M.RESTORED,
            roles=STAFF,
            required_fields=RESOLUTION,
            description="service restored",
        ),
        _t("reopen", {_M.RESTORED}, _M.RESPONDING, roles=STAFF, required_fields={"reason"}),
        _t(
            "start_review",
            {_M.RESTORED},
            _M.REVIEW,
            roles={Role.SUPERVISOR, Role.MANAGER},
            required_fields={"review_lead"},
            description="post-incident review (mandatory)",
        ),
        _t(
            "close",
            {_M.REVIEW},
            _M.CLOSED,
            roles={Role.SUPERVISOR, Role.MANAGER},
            required_fields={"post_incident_review"},
            guards=[POST_INCIDENT_REVIEW_COMPLETE],
            description="only with the review: cause, response effect, resources, improvements",
        ),
    ],
)

_S = TechnicalServiceState
#: The technical-service SOP: requirements -> plan (internal review when high-risk, the
#: customer's confirmation) -> preparation -> execution -> self-check and internal verification
#: -> customer acceptance with the deliverables handed over.
TECHNICAL_SERVICE_WORKFLOW: Workflow[TechnicalServiceState, Ticket] = Workflow(
    name="technical_service",
    states={
        _S.REQUIREMENTS: NEW,
        _S.PLANNING: OPEN,
        _S.PREPARATION: OPEN,
        _S.EXECUTION: OPEN,
        _S.VERIFICATION: OPEN,
        _S.ACCEPTANCE: RESOLVED,
        _S.CLOSED: CLOSED,
        _S.CANCELLED: CANCELLED,
    },
    initial=_S.REQUIREMENTS,
    transitions=[
        _t(
            "collect_requirements",
            {_S.REQUIREMENTS},
            _S.PLANNING,
            roles=STAFF,
            required_fields={"requirements"},
            description="需求信息采集: the requirements are recorded",
        ),
        _t(
            "propose_plan",
            {_S.PLANNING},
            _S.PLANNING,
            roles=STAFF,
            required_fields={"plan", "risk"},
            field_choices=RISKS,
            description="服务方案: the plan and its risk",
        ),
        _t(
            "review_plan",
            {_S.PLANNING},
            _S.PLANNING,
            roles={Role.SUPERVISOR, Role.MANAGER},
            required_fields={"internal_review"},
            guards=[PLAN_PROPOSED],
            description="内部评审: the internal review record",
        ),
        _t(
            "confirm_plan",
            {_S.PLANNING},
            _S.PLANNING,
            roles=CUSTOMER,
            required_fields={"plan_confirmation"},
            guards=[PLAN_PROPOSED],
            description="the customer understands and confirms the plan",
        ),
        _t(
            "prepare",
            {_S.PLANNING},
            _S.PREPARATION,
            roles=STAFF,
            guards=[PLAN_PROPOSED, HIGH_RISK_REVIEWED, CUSTOMER_CONFIRMED_PLAN],
            description="执行前准备",
        ),
        _t(
            "execute",
            {_S.PREPARATION},
            _S.EXECUTION,
            roles=STAFF,
            required_fields={"readiness_checklist"},
            description="execution, with the readiness checklist",
        ),
        _t(
            "verify",
            {_S.EXECUTION},
            _S.VERIFICATION,
            roles=STAFF,
            required_fields={"self_check", "internal_verification"},
            description="自我检查与内部验证",
        ),
        _t(
            "resolve",
            {_S.VERIFICATION},
            _S.ACCEPTANCE,
            roles=STAFF,
            required_fields=RESOLUTION,
            description="客户验收: offered for the customer's acceptance",
        ),
        _t(
            "hand_over",
            {_S.ACCEPTANCE},
            _S.ACCEPTANCE,
            roles=STAFF,
            required_fields={"deliverables"},
            description="the deliverables list is handed over",
        ),
        _t(
            "confirm",
            {_S.ACCEPTANCE},
            _S.CLOSED,
            roles=CONFIRMERS,
            guards=[DELIVERABLES_HANDED_OVER],
            description="the customer accepts (or an explicit auto-confirmation policy)",
        ),
        _t(
            "close",
            {_S.ACCEPTANCE},
            _S.CLOSED,
            roles=STAFF,
            guards=[CUSTOMER_CONFIRMED],
            description="only once the customer accepted",
        ),
        _t(
            "reopen",
            {_S.ACCEPTANCE},
            _S.EXECUTION,
            roles=ANYONE_INVOLVED,
            required_fields={"reason"},
            description="acceptance refused: back to execution",
        ),
        _t(
            "cancel",
            {_S.REQUIREMENTS, _S.PLANNING, _S.PREPARATION},
            _S.CANCELLED,
            roles=ANYONE_INVOLVED,
            required_fields={"reason"},
        ),
    ],
)
