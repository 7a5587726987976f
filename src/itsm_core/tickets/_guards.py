"""The guards the built-in workflows use: pure "may I?" rules over a ticket context."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from itsm_core.tickets._review import review_problems
from itsm_core.tickets._ticket import Ticket
from itsm_core.tickets._vocabulary import Role
from itsm_core.workflow import Guard, GuardContext

TicketGuard = Guard[Ticket]
TicketGuardContext = GuardContext[Ticket]

#: Who may handle a complaint of each response level (graded handling).
HANDLERS_BY_LEVEL = {
    1: frozenset({Role.MANAGER}),
    2: frozenset({Role.SUPERVISOR, Role.MANAGER}),
    3: frozenset({Role.AGENT, Role.SUPERVISOR, Role.MANAGER}),
}


def _classified(ctx: TicketGuardContext) -> str | None:
    ticket = ctx.subject
    missing = [
        name for name in ("complaint_type", "response_level") if getattr(ticket, name) is None
    ]
    return f"classify the complaint first (missing: {', '.join(missing)})" if missing else None


def _graded_handler(ctx: TicketGuardContext) -> str | None:
    level = ctx.subject.response_level
    if level is None:
        return "no response level: classify first"
    allowed = HANDLERS_BY_LEVEL[level]
    if ctx.role in allowed:
        return None
    return f"a level-{level} case is handled by {', '.join(sorted(allowed))}, not {ctx.role!r}"


def _management_for_level_1(ctx: TicketGuardContext) -> str | None:
    ticket = ctx.subject
    if ticket.response_level == 1 and not ticket.management_involved:
        return "a level-1 (major) case needs management: escalate hierarchically first"
    return None


def _response_level_set(ctx: TicketGuardContext) -> str | None:
    return None if ctx.subject.response_level is not None else "set the response level (1-3) first"


def _followed_up(ctx: TicketGuardContext) -> str | None:
    if ctx.subject.customer_confirmation is True:
        return None
    return "the customer has not confirmed the outcome at follow-up"


def _approved(ctx: TicketGuardContext) -> str | None:
    return None if "approval" in ctx.subject.attributes else "no approval recorded"


def _plan_confirmed(ctx: TicketGuardContext) -> str | None:
    attributes = ctx.subject.attributes
    if (
        attributes.get("affects_customer_business") is True
        and "plan_confirmation" not in attributes
    ):
        return "the change affects the customer's business: the customer must confirm the plan"
    return None


def _customer_confirmed(ctx: TicketGuardContext) -> str | None:
    if ctx.subject.customer_confirmation is True:
        return None
    return (
        "the customer has not confirmed the resolution: it closes when they confirm "
        "(ConfirmResolution), or by an auto-confirmation policy"
    )


def _plan_proposed(ctx: TicketGuardContext) -> str | None:
    return None if "plan" in ctx.subject.attributes else "no service plan yet (ProposePlan)"


def _high_risk_reviewed(ctx: TicketGuardContext) -> str | None:
    attributes = ctx.subject.attributes
    if attributes.get("risk") == "high" and "internal_review" not in attributes:
        return "a high-risk plan needs its internal review record first (ReviewPlan)"
    return None


def _customer_confirmed_plan(ctx: TicketGuardContext) -> str | None:
    if "plan_confirmation" in ctx.subject.attributes:
        return None
    return "the customer has not confirmed they understand and accept the plan (ConfirmPlan)"


def _deliverables_handed_over(ctx: TicketGuardContext) -> str | None:
    if "deliverables" in ctx.subject.attributes:
        return None
    return "hand the deliverables over first (HandOver lists them)"


def _review_complete(ctx: TicketGuardContext) -> str | None:
    review = ctx.fields.get("post_incident_review")
    if review is None:
        return None  # the transition's required field says it is missing
    problems = review_problems(review)
    if not problems:
        return None
    return "incomplete post-incident review: " + "; ".join(str(p) for p in problems)


COMPLAINT_CLASSIFIED = TicketGuard(
    "complaint_classified", _classified, "complaint type and response level are set"
)
GRADED_HANDLER = TicketGuard(
    "graded_handler",
    _graded_handler,
    "the role matches the response level (1 manager, 2 supervisor)",
)
MANAGEMENT_FOR_LEVEL_1 = TicketGuard(
    "management_for_level_1", _management_for_level_1, "level-1 cases involve management"
)
RESPONSE_LEVEL_SET = TicketGuard(
    "response_level_set", _response_level_set, "the response level is set"
)
FOLLOWED_UP = TicketGuard(
    "followed_up", _followed_up, "the customer confirmed the outcome at follow-up"
)
APPROVED = TicketGuard("approved", _approved, "an approval is recorded")
PLAN_CONFIRMED = TicketGuard(
    "plan_confirmed", _plan_confirmed, "the customer confirmed a plan affecting their business"
)
CUSTOMER_CONFIRMED = TicketGuard(
    "customer_confirmed",
    _customer_confirmed,
    "the customer confirmed the resolution (得到客户确认后关闭)",
)
PLAN_PROPOSED = TicketGuard("plan_proposed", _plan_proposed, "a service plan is recorded")
HIGH_RISK_REVIEWED = TicketGuard(
    "high_risk_reviewed", _high_risk_reviewed, "a high-risk plan has its internal review record"
)
CUSTOMER_CONFIRMED_PLAN = TicketGuard(
    "customer_confirmed_plan",
    _customer_confirmed_plan,
    "the customer understood and confirmed the plan",
)
DELIVERABLES_HANDED_OVER = TicketGuard(
    "deliverables_handed_over", _deliverables_handed_over, "the deliverables are handed over"
)
POST_INCIDENT_REVIEW_COMPLETE = TicketGuard(
    "post_incident_review_complete",
    _review_complete,
    "the review gives cause, response effect, resources used and improvements",
)

#: The built-in guards by name, for :func:`~itsm_core.workflow.workflow_from_dict`.
BUILTIN_GUARDS: Mapping[str, TicketGuard] = MappingProxyType(
    {
        guard.name: guard
        for guard in (
            COMPLAINT_CLASSIFIED,
            GRADED_HANDLER,
            MANAGEMENT_FOR_LEVEL_1,
            RESPONSE_LEVEL_SET,
            FOLLOWED_UP,
            APPROVED,
            PLAN_CONFIRMED,
            CUSTOMER_CONFIRMED,
            PLAN_PROPOSED,
            HIGH_RISK_REVIEWED,
            CUSTOMER_CONFIRMED_PLAN,
            DELIVERABLES_HANDED_OVER,
            POST_INCIDENT_REVIEW_COMPLETE,
        )
    }
)
