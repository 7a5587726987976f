"""Ticket commands that take the actor and enforce the access policy before deciding."""

from __future__ import annotations

from collections.abc import Mapping

from itsm_core._plain import shown
from itsm_core.errors import AccessDenied, Problem, UnknownRole, ValidationError
from itsm_core.kernel import Decision
from itsm_core.records._access import WORK_NOTE, AccessPolicy
from itsm_core.records._actor import Actor
from itsm_core.tickets import (
    EVENT_OF_COMMAND,
    AddComment,
    Command,
    CommandContext,
    Ticket,
    TicketEvent,
    decide,
    event_name,
)

#: The action each command needs: the event it records (``Advance`` needs its own event).
COMMAND_ACTIONS: Mapping[type, str] = EVENT_OF_COMMAND


def command_action(command: Command) -> str:
    """The action ``command`` needs: its event name; ``work_note`` for an internal comment.

    >>> from itsm_core.tickets import AddComment, Advance
    >>> command_action(AddComment(text="hi")), command_action(AddComment(text="x", internal=True))
    ('comment', 'work_note')
    >>> command_action(Advance(event="approve"))
    'approve'
    """
    if isinstance(command, AddComment) and command.internal:
        return WORK_NOTE
    try:
        return event_name(command)
    except KeyError:
        raise ValidationError(
            "command", [Problem("command", f"{shown(command)} is not a ticket command")]
        ) from None


def decide_as(
    policy: AccessPolicy,
    actor: Actor,
    ticket: Ticket | None,
    command: Command,
    ctx: CommandContext,
) -> Decision[Ticket, TicketEvent]:
    """:func:`~itsm_core.tickets.decide`, after checking ``actor`` may do it under ``policy``.

    ``ctx`` must name the actor (``ctx.actor == actor.id``) and one of their roles; the check
    uses that role only, and a role that no rule of ``policy`` names raises
    :class:`~itsm_core.errors.UnknownRole` listing the roles it does name (a typo, or a role
    the policy forgot, never a silent denial). A command on a ticket is checked against the
    ticket as it is; opening is checked against the ticket it would open (so a customer may
    only open tickets they request). A refusal raises :class:`AccessDenied` with the reason,
    and nothing happens.
    """
    problems: list[Problem] = []
    if ctx.actor != actor.id:
        problems.append(
            Problem("ctx.actor", (f"{shown(ctx.actor)} is not the actor {shown(actor.id)}"))
        )
    if ctx.role not in actor.roles:
        problems.append(
            Problem("ctx.role", (f"{shown(actor.id)} does not hold role {shown(ctx.role)}"))
        )
    if problems:
        raise ValidationError("decide_as", problems)
    if ctx.role not in policy.roles:
        raise UnknownRole(
            ctx.role, policy.roles, path="ctx.role", subject=f"access policy {policy.name!r}"
        )
    acting = actor.acting_as(ctx.role)
    action = command_action(command)
    if ticket is not None:
        _check(policy, acting, action, ticket)
        return decide(ticket, command, ctx)
    decision = decide(None, command, ctx)
    _check(policy, acting, action, decision.state)
    return decision


def _check(policy: AccessPolicy, actor: Actor, action: str, ticket: Ticket) -> None:
    decision = policy.can(actor, action, ticket)
    if not decision.allowed:
        raise AccessDenied(actor.id, action, ticket.id, decision.reason)
