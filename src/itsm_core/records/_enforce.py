"""Ticket commands that take the actor and enforce the access policy before deciding."""

from __future__ import annotations

from itsm_core.errors import Problem, ValidationError
from itsm_core.records._access import WORK_NOTE, AccessPolicy
from itsm_core.records._actor import Actor
from itsm_core.records._errors import AccessDenied
from itsm_core.tickets import (
    Acknowledge,
    AddComment,
    Advance,
    Archive,
    Assign,
    Cancel,
    Classify,
    Close,
    Command,
    CommandContext,
    ConfirmResolution,
    Decision,
    Escalate,
    Hold,
    LinkSurvey,
    OpenTicket,
    RejectResolution,
    Reopen,
    Resolve,
    Resume,
    Ticket,
    Transfer,
    decide,
)

#: The action each command needs (the event it records; ``Advance`` needs its own event).
COMMAND_ACTIONS: dict[type, str] = {
    OpenTicket: "open",
    Acknowledge: "acknowledge",
    Classify: "classify",
    Assign: "assign",
    Transfer: "transfer",
    Escalate: "escalate",
    AddComment: "comment",
    Hold: "hold",
    Resume: "resume",
    Resolve: "resolve",
    ConfirmResolution: "confirm",
    RejectResolution: "reopen",
    Close: "close",
    Reopen: "reopen",
    Cancel: "cancel",
    Archive: "archive",
    LinkSurvey: "link_survey",
}


def command_action(command: Command) -> str:
    """The action ``command`` needs: its event name; ``work_note`` for an internal comment.

    >>> from itsm_core.tickets import AddComment, Advance
    >>> command_action(AddComment(text="hi")), command_action(AddComment(text="x", internal=True))
    ('comment', 'work_note')
    >>> command_action(Advance(event="approve"))
    'approve'
    """
    if isinstance(command, Advance):
        return command.event
    if isinstance(command, AddComment) and command.internal:
        return WORK_NOTE
    try:
        return COMMAND_ACTIONS[type(command)]
    except KeyError:
        raise ValidationError(
            "command", [Problem("command", f"{command!r} is not a ticket command")]
        ) from None


def decide_as(
    policy: AccessPolicy,
    actor: Actor,
    ticket: Ticket | None,
    command: Command,
    ctx: CommandContext,
) -> Decision:
    """:func:`~itsm_core.tickets.decide`, after checking ``actor`` may do it under ``policy``.

    ``ctx`` must name the actor (``ctx.actor == actor.id``) and one of their roles; the check
    uses that role only. A command on a ticket is checked against the ticket as it is; opening
    is checked against the ticket it would open (so a customer may only open tickets they
    request). A refusal raises :class:`AccessDenied` with the reason, and nothing happens.
    """
    problems: list[Problem] = []
    if ctx.actor != actor.id:
        problems.append(Problem("ctx.actor", f"{ctx.actor!r} is not the actor {actor.id!r}"))
    if ctx.role not in actor.roles:
        problems.append(Problem("ctx.role", f"{actor.id!r} does not hold role {ctx.role!r}"))
    if problems:
        raise ValidationError("decide_as", problems)
    acting = actor.acting_as(ctx.role)
    action = command_action(command)
    if ticket is not None:
        _check(policy, acting, action, ticket)
        return decide(ticket, command, ctx)
    new_ticket, events = decide(None, command, ctx)
    _check(policy, acting, action, new_ticket)
    return new_ticket, events


def _check(policy: AccessPolicy, actor: Actor, action: str, ticket: Ticket) -> None:
    decision = policy.can(actor, action, ticket)
    if not decision.allowed:
        raise AccessDenied(actor.id, action, ticket.id, decision.reason)
