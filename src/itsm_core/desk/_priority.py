"""Commands that give impact and urgency but no priority get theirs from the priority policy."""

from __future__ import annotations

import attrs

from itsm_core.priority import PriorityDecision, PriorityPolicy
from itsm_core.tickets import Classify, Command, OpenTicket, Ticket, TicketKind


def prioritised(
    policy: PriorityPolicy | None, command: Command, ticket: Ticket | None
) -> tuple[Command, PriorityDecision | None]:
    """``command`` with the priority ``policy`` decides, and the decision; unchanged and None
    when there is no policy or nothing to decide.

    An :class:`OpenTicket` with ``impact`` and ``urgency`` and no ``priority`` opens with the
    policy's priority. A :class:`Classify` that sets ``impact`` or ``urgency`` (the other one
    known from the command or the ticket) and no ``priority`` also records the explanation
    lines, unless it gives its own. The customer tier (when the policy has tiers) and a major
    incident are steps of the decision, as the policy defines them.
    """
    if policy is None:
        return command, None
    if isinstance(command, OpenTicket):
        if command.priority is not None or command.impact is None or command.urgency is None:
            return command, None
        decision = _decide(
            policy, command.impact, command.urgency, command.customer_tier, command.kind
        )
        return attrs.evolve(command, priority=decision.priority), decision
    if isinstance(command, Classify) and ticket is not None and command.priority is None:
        if command.impact is None and command.urgency is None:
            return command, None
        impact = ticket.impact if command.impact is None else command.impact
        urgency = ticket.urgency if command.urgency is None else command.urgency
        if impact is None or urgency is None:
            return command, None
        decision = _decide(policy, impact, urgency, ticket.customer_tier, ticket.kind)
        explanation = command.explanation or decision.lines()
        return attrs.evolve(command, priority=decision.priority, explanation=explanation), decision
    return command, None


def _decide(
    policy: PriorityPolicy, impact: int, urgency: int, tier: str | None, kind: TicketKind
) -> PriorityDecision:
    return policy.decide_levels(
        impact,
        urgency,
        tier=tier if policy.tiers else None,
        major_incident=kind is TicketKind.MAJOR_INCIDENT,
    )
