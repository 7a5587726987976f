"""``decide``: the pure function that turns a command into events and the new ticket."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from itsm_core._plain import shown
from itsm_core.errors import (
    CommandRejected,
    Problem,
    TransitionNotAllowed,
    UnknownRole,
    ValidationError,
)
from itsm_core.kernel import Decision
from itsm_core.tickets._commands import (
    COMMAND_EVENTS,
    Acknowledge,
    AddComment,
    Advance,
    Archive,
    Assign,
    Cancel,
    Classify,
    Close,
    Command,
    ConfirmResolution,
    Escalate,
    Hold,
    LinkSurvey,
    OpenTicket,
    RejectResolution,
    Reopen,
    Resolve,
    Resume,
    Transfer,
    WorkflowStep,
    event_name,
)
from itsm_core.tickets._comment import Comment
from itsm_core.tickets._context import CommandContext
from itsm_core.tickets._event import TicketEvent, checked_event
from itsm_core.tickets._fold import TICKET
from itsm_core.tickets._payload import SPECIAL_KEYS
from itsm_core.tickets._registry import default_workflow_name
from itsm_core.tickets._ticket import Ticket
from itsm_core.tickets._vocabulary import ChangeType, EscalationKind, Role, TicketKind
from itsm_core.workflow import GuardContext, StatusCategory


def _active(status: StatusCategory) -> bool:
    return status.is_active


def _not_final(status: StatusCategory) -> bool:
    return not status.is_final


def _final(status: StatusCategory) -> bool:
    return status.is_final


def _after_resolution(status: StatusCategory) -> bool:
    return status in (StatusCategory.RESOLVED, StatusCategory.CLOSED)


@attrs.define
class _Plan:
    """What a command wants: an event, the field changes, the inputs the workflow checks."""

    event: str
    changes: dict[str, Any] = attrs.Factory(dict)
    reason: str | None = None
    inputs: dict[str, Any] = attrs.Factory(dict)
    # Without a workflow transition for the event, the command still applies (no state change)
    # when the ticket's status passes this test; None means a transition is required.
    without_transition: Callable[[StatusCategory], bool] | None = None
    refusals: list[str] = attrs.Factory(list)


def decide(
    ticket: Ticket | None, command: Command, ctx: CommandContext
) -> Decision[Ticket, TicketEvent]:
    """Apply ``command`` to ``ticket`` (``None`` to open one): the new ticket and its events,
    as a :class:`~itsm_core.kernel.Decision` that unpacks like a pair
    (``ticket, events = decide(...)``).

    Pure: the ticket is not modified, nothing is read but the arguments. A refused command
    raises :class:`~itsm_core.errors.CommandRejected` (or its subclass
    :class:`~itsm_core.errors.TransitionNotAllowed` when the workflow has no such transition
    from the current state) listing every reason, and nothing happens. A role that no
    workflow of ``ctx.workflows`` names, used on a transition that limits roles, raises
    :class:`~itsm_core.errors.UnknownRole` listing the roles they name; a customer tier
    outside ``ctx.tier_vocabulary`` raises :class:`~itsm_core.errors.UnknownTier`.

    The new ticket is the old one with the events folded in (:func:`apply_event`), so
    replaying all of a ticket's events always rebuilds it exactly.
    """
    if isinstance(command, OpenTicket):
        if ticket is not None:
            raise CommandRejected(
                "open", [f"ticket {ticket.id!r} is already open"], state=ticket.state
            )
        return _open(command, ctx)
    if ticket is None:
        raise CommandRejected(event_name(command), ["no ticket: open one first"])
    workflow = ctx.workflows.get(ticket.workflow)
    state = workflow.state_named(ticket.state)
    plan = _plan(ticket, command, ctx)
    now = ctx.now
    if ticket.archived or now < ticket.updated_at:
        early: list[str] = []
        if ticket.archived:
            early.append("the ticket is archived (read-only)")
        if now < ticket.updated_at:
            early.append(
                f"now ({now.isoformat()}) is before the last event "
                f"({ticket.updated_at.isoformat()})"
            )
        raise CommandRejected(plan.event, early, state=ticket.state)
    transition = workflow.transition(state, plan.event)
    if transition is not None and transition.roles:
        _check_role(ctx)
    reasons = plan.refusals  # a fresh list per decision
    if transition is not None:
        verdict = workflow.check_attempt(
            state,
            plan.event,
            subject=ticket,
            actor=ctx.actor,
            role=ctx.role,
            now=now,
            fields=plan.inputs,
        )
        if not verdict.allowed:
            reasons.extend(verdict.reasons)
        target = transition.target
        to_state = verdict.target or str(target.value)  # the verdict names the target state
    elif plan.without_transition is None:
        raise TransitionNotAllowed(plan.event, ticket.state, workflow.events_from(state))
    else:
        if not plan.without_transition(ticket.status):
            reasons.insert(0, f"a ticket in status {ticket.status.value!r} takes no {plan.event!r}")
        target = state
        to_state = ticket.state
    if reasons:
        raise CommandRejected(plan.event, reasons, state=ticket.state)
    to_status = workflow.category(target)
    changes = plan.changes
    effects = status_effects(ticket, to_status, now)
    if effects:
        changes.update(effects)
    event = checked_event(
        ticket_id=ticket.id,
        sequence=ticket.version + 1,
        name=plan.event,
        at=now,
        actor=ctx.actor,
        role=ctx.role,
        from_state=ticket.state,
        from_status=ticket.status,
        to_state=to_state,
        to_status=to_status,
        payload=only_changed(ticket, changes),
        reason=plan.reason,
    )
    return TICKET.decided(ticket, (event,))


def _check_role(ctx: CommandContext) -> None:
    """Refuse a role that none of the context's workflows names (a typo, or a role of another
    vocabulary) with :class:`~itsm_core.errors.UnknownRole`, instead of "may not fire"."""
    known = ctx.workflows.roles
    if known and ctx.role not in known:
        raise UnknownRole(ctx.role, known, path="ctx.role", subject="command context")


def status_effects(ticket: Ticket, to_status: StatusCategory, now: dt.datetime) -> dict[str, Any]:
    """Changes every transition implies by the status it reaches.

    Entering closed or cancelled stamps ``closed_at``; leaving on hold clears ``hold_reason``.
    """
    effects: dict[str, Any] = {}
    if to_status.is_final and not ticket.status.is_final:
        effects["closed_at"] = now
    if to_status is not StatusCategory.ON_HOLD and ticket.hold_reason is not None:
        effects["hold_reason"] = None
    return effects


def only_changed(ticket: Ticket, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The changes that differ from the ticket (special payload keys always kept)."""
    fields = ticket.__dict__  # a ticket keeps its fields in its dict (see Ticket)
    return {
        key: value for key, value in changes.items() if key in SPECIAL_KEYS or fields[key] != value
    }


def reopen_changes(ticket: Ticket) -> dict[str, Any]:
    """A reopen counts, and the previous resolution no longer stands."""
    return {
        "reopen_count": ticket.reopen_count + 1,
        "resolution_code": None,
        "resolution_note": None,
        "resolved_at": None,
        "resolved_by": None,
        "first_contact_resolution": None,
        "customer_confirmation": None,
        "auto_confirmed": False,
    }


#: The fields of OpenTicket an ``open`` event copies when they differ from the ticket's default.
_OPENING_DEFAULTS = tuple(
    (field.name, getattr(attrs.fields(Ticket), field.name).default)
    for field in attrs.fields(OpenTicket)
    if field.name not in ("ticket_id", "kind", "workflow", "attributes")
)


def _open(command: OpenTicket, ctx: CommandContext) -> Decision[Ticket, TicketEvent]:
    name = command.workflow or default_workflow_name(command.kind, command.change_type)
    workflow = ctx.workflows.get(name)
    changes: dict[str, Any] = {"kind": command.kind, "workflow": name}
    vocabulary = ctx.tier_vocabulary
    tier = (
        vocabulary.names[0]
        if command.customer_tier is None
        else vocabulary.canonical(command.customer_tier, path="customer_tier", subject="OpenTicket")
    )
    for field, default in _OPENING_DEFAULTS:
        value = tier if field == "customer_tier" else getattr(command, field)
        if value != default:
            changes[field] = value
    if command.attributes:
        changes["attributes"] = command.attributes
    if command.kind is TicketKind.CHANGE and command.change_type is None:
        for change_type in ChangeType:
            if name == default_workflow_name(TicketKind.CHANGE, change_type):
                changes["change_type"] = change_type
    event = checked_event(
        ticket_id=command.ticket_id,
        sequence=1,
        name="open",
        at=ctx.now,
        actor=ctx.actor,
        role=ctx.role,
        from_state=None,
        from_status=None,
        to_state=str(workflow.initial.value),
        to_status=workflow.category(workflow.initial),
        payload=changes,
        reason=None,
    )
    return TICKET.decided(None, (event,))


def _plan(ticket: Ticket, command: Command, ctx: CommandContext) -> _Plan:
    match command:
        case Acknowledge(note=note):
            plan = _Plan(
                "acknowledge", {"acknowledged_at": ctx.now}, note, without_transition=_active
            )
            if ticket.acknowledged_at is not None:
                plan.refusals.append(
                    f"already acknowledged at {ticket.acknowledged_at.isoformat()}"
                )
            return plan
        case Classify():
            changes = {
                name: getattr(command, name)
                for name in (
                    "category",
                    "impact",
                    "urgency",
                    "priority",
                    "complaint_type",
                    "response_level",
                    "problem_level",
                )
                if getattr(command, name) is not None
            }
            if command.explanation:
                changes["priority_explanation"] = command.explanation
            plan = _Plan("classify", changes, without_transition=_active)
            if command.complaint_type is not None and ticket.kind is not TicketKind.COMPLAINT:
                plan.refusals.append(f"a {ticket.kind.value} has no complaint type")
            if not only_changed(ticket, changes):
                plan.refusals.append("nothing changes")
            return plan
        case Assign(group=group, assignee=assignee, reason=reason):
            changes = {"assignment_group": group} if group else {}
            if assignee:
                changes["assignee"] = assignee
            plan = _Plan("assign", changes, reason, {"reason": reason}, without_transition=_active)
            if not only_changed(ticket, changes):
                plan.refusals.append("already assigned so")
            return plan
        case Transfer(group=group, assignee=assignee, reason=reason):
            changes = (
                {"assignment_group": group, "assignee": assignee}
                if group
                else {"assignee": assignee}
            )
            plan = _Plan(
                "transfer", changes, reason, {"reason": reason}, without_transition=_active
            )
            if ticket.assignment_group is None and ticket.assignee is None:
                plan.refusals.append("not assigned yet: assign it first")
            elif not only_changed(ticket, changes):
                plan.refusals.append("already assigned so")
            return plan
        case Escalate(kind=kind, reason=reason, group=group):
            plan = _Plan(
                "escalate", reason=reason, inputs={"reason": reason}, without_transition=_active
            )
            if kind is EscalationKind.FUNCTIONAL:
                level = ticket.support_level.next
                if level is None:
                    plan.refusals.append(
                        f"already at the top support level ({ticket.support_level.value})"
                    )
                plan.changes = {"support_level": level or ticket.support_level}
                if group:
                    plan.changes.update(assignment_group=group, assignee=None)
            else:
                if ticket.management_involved:
                    plan.refusals.append("management is already involved")
                plan.changes = {"management_involved": True}
            return plan
        case AddComment(text=text, internal=internal):
            comment = Comment(at=ctx.now, author=ctx.actor, role=ctx.role, text=text)
            plan = _Plan(
                "comment",
                {"work_note" if internal else "comment": comment},
                without_transition=_not_final,
            )
            if internal and ctx.role == Role.CUSTOMER:
                plan.refusals.append("customers cannot write internal work notes")
            return plan
        case Hold(reason=hold_reason, note=note):
            return _Plan(
                "hold", {"hold_reason": hold_reason}, note, {"hold_reason": hold_reason.value}
            )
        case Resume(note=note):
            return _Plan("resume", reason=note)
        case Resolve(code=code, note=note):
            return _Plan(
                "resolve",
                {
                    "resolution_code": code,
                    "resolution_note": note,
                    "resolved_at": ctx.now,
                    "resolved_by": ctx.actor,
                    "first_contact_resolution": ticket.status is StatusCategory.NEW,
                    "customer_confirmation": None,
                    "auto_confirmed": False,
                },
                inputs={"resolution_code": code, "resolution_note": note},
            )
        case ConfirmResolution(note=note, auto=auto):
            plan = _Plan("confirm", {"customer_confirmation": True, "auto_confirmed": auto}, note)
            if ticket.customer_confirmation is True:
                plan.refusals.append("already confirmed")
            if auto and ctx.role != Role.SYSTEM:
                plan.refusals.append("only the system auto-confirms (an auto-confirmation policy)")
            elif not auto and ctx.role == Role.SYSTEM:
                plan.refusals.append(
                    "the system confirms only as an auto-confirmation policy (auto=True)"
                )
            return plan
        case RejectResolution(reason=reason):
            changes = {**reopen_changes(ticket), "customer_confirmation": False}
            return _Plan("reopen", changes, reason, {"reason": reason, "customer_rejected": True})
        case Close(reason=reason, fields=fields):
            changes = {"attributes": fields} if fields else {}
            return _Plan("close", changes, reason, {**fields, "reason": reason})
        case Reopen(reason=reason):
            return _Plan("reopen", reopen_changes(ticket), reason, {"reason": reason})
        case Cancel(reason=reason):
            return _Plan("cancel", reason=reason, inputs={"reason": reason})
        case Archive(note=note):
            return _Plan("archive", {"archived": True}, note, without_transition=_final)
        case LinkSurvey(survey=survey):
            plan = _Plan("link_survey", {"survey": survey}, without_transition=_after_resolution)
            if ticket.survey == survey:
                plan.refusals.append(f"survey {survey!r} is already linked")
            return plan
        case WorkflowStep():
            return _plan(ticket, command.as_advance(), ctx)
        case Advance(event=event, fields=fields, reason=reason):
            if event in COMMAND_EVENTS:
                raise CommandRejected(
                    event,
                    [f"{event!r} has its own command: use {COMMAND_EVENTS[event]}"],
                    state=ticket.state,
                )
            changes = {"attributes": fields} if fields else {}
            return _Plan(event, changes, reason, {**fields, "reason": reason})
    raise ValidationError(
        "command", [Problem("command", (f"{shown(command)} is not a ticket command"))]
    )


def allowed_events(ticket: Ticket, ctx: CommandContext) -> tuple[str, ...]:
    """The workflow events this actor, in this role, may fire on ``ticket`` at ``ctx.now``.

    Commands that need no transition (comment, classify, assign...) are not listed.
    """
    workflow = ctx.workflows.get(ticket.workflow)
    guard_ctx = GuardContext(subject=ticket, actor=ctx.actor, role=ctx.role, now=ctx.now)
    if ticket.archived:
        return ()
    return workflow.allowed_events(workflow.state_named(ticket.state), guard_ctx)
