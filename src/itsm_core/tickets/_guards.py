"""The guards the built-in workflows use: pure "may I?" rules over a ticket context."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

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
        )
    }
)
