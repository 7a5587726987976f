"""A routing decision: the assignee or the queue, every step that led there, and its commands."""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from itsm_core.routing._requirements import Requirements
from itsm_core.routing._team import NextOnDuty
from itsm_core.tickets import Assign, Escalate, EscalationKind, SupportLevel, Ticket


class RouteOutcome(enum.StrEnum):
    """Where the ticket went."""

    ASSIGNED = "assigned"
    """To an agent of the group."""
    QUEUED = "queued"
    """To the group's queue: nobody qualified at that instant."""


class StepKind(enum.StrEnum):
    """What happened in one step of a routing decision."""

    RULE_SKIPPED = "rule skipped"
    RULE_MATCHED = "rule matched"
    DEFAULT = "default group"
    FILTER = "filter"
    PICK = "pick"
    ESCALATE = "escalate"
    QUEUE = "queue"


@attrs.frozen
class RoutingStep:
    """One step, in the order taken: what acted (``subject``) and what it found (``detail``)."""

    kind: StepKind
    subject: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.subject}: {self.detail}"


@attrs.frozen(kw_only=True)
class RoutingDecision:
    """The answer of :func:`route`: an assignee in ``group``, or ``group``'s queue.

    ``level`` is the support level of ``group`` (above the ticket's when escalated), ``rule``
    the rule that chose the first group (None: the default group), ``at`` the instant of the
    decision, ``requirements`` what the
    agent had to have, ``steps`` every step with its reason, and for a queued ticket
    ``next_on_duty`` the earliest instant a qualifying agent of the group is on duty (their
    load may still keep them busy).
    """

    ticket_id: str
    outcome: RouteOutcome
    group: str
    assignee: str | None
    level: SupportLevel
    rule: str | None
    requirements: Requirements
    steps: tuple[RoutingStep, ...]
    at: dt.datetime
    next_on_duty: NextOnDuty | None = None

    @property
    def reasons(self) -> tuple[str, ...]:
        """Every step as a line of plain text."""
        return tuple(str(step) for step in self.steps)

    @property
    def summary(self) -> str:
        """One line: who or which queue, and why."""
        last = self.steps[-1].detail if self.steps else ""
        where = f"{self.assignee} in {self.group}" if self.assignee else f"queue {self.group}"
        return f"{self.outcome} to {where} ({last})"

    def assign_command(self) -> Assign:
        """The ticket command that records this decision: ``Assign(group, assignee, reason)``."""
        return Assign(group=self.group, assignee=self.assignee, reason=self.summary)

    def commands(self, ticket: Ticket) -> tuple[Assign | Escalate, ...]:
        """The commands that bring ``ticket`` where the decision says, in order.

        A functional ``Escalate`` for each support level climbed (the last one moves the ticket
        to the group), then an ``Assign`` for what is left to change; empty when the ticket is
        already there.
        """
        order = list(SupportLevel)
        climb = order.index(self.level) - order.index(ticket.support_level)
        out: list[Assign | Escalate] = []
        group = ticket.assignment_group
        assignee = ticket.assignee
        for step in range(max(climb, 0)):
            last = step == climb - 1
            out.append(
                Escalate(
                    kind=EscalationKind.FUNCTIONAL,
                    reason=self.summary,
                    group=self.group if last else None,
                )
            )
            if last:
                group, assignee = self.group, None
        changes: dict[str, str] = {}
        if group != self.group:
            changes["group"] = self.group
        if self.assignee is not None and assignee != self.assignee:
            changes["assignee"] = self.assignee
        if changes:
            out.append(Assign(reason=self.summary, **changes))
        return tuple(out)

    def __str__(self) -> str:
        lines = [f"ticket {self.ticket_id}: {self.outcome} -> {self.group}"]
        if self.assignee:
            lines[0] += f" / {self.assignee}"
        lines.extend(f"  {i}. {step}" for i, step in enumerate(self.steps, 1))
        return "\n".join(lines)
