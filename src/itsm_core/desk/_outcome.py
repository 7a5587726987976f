"""What one command through the desk did: its events, the ticket, and the SLA clocks now."""

from __future__ import annotations

import datetime as dt

import attrs

from itsm_core.errors import ItsmError
from itsm_core.priority import PriorityDecision
from itsm_core.sla import DueAction, SlaReport
from itsm_core.tickets import Ticket, TicketEvent


@attrs.frozen(kw_only=True)
class CommandOutcome:
    """What :meth:`ServiceDesk.execute` did, or, for a repeated delivery, did the first time.

    Attributes:
        ticket_id: the ticket the command was for.
        command_id: the command's id: its idempotency key when it had one, else an id drawn
            from the desk's generator. Every event it wrote carries it as ``causation_id``.
        events: the events the command appended, in order (for a duplicate: those the first
            delivery appended).
        ticket: the ticket right after them (for a duplicate: as the first delivery left it,
            even if other commands changed it since).
        duplicate: True when the idempotency key had already been used: nothing was
            appended this time, and the rest is rebuilt from the store's receipt.
        attempts: how many times the command was decided: 1, or more after version
            conflicts with other writers; 0 for a duplicate.
        priority: the decision of the desk's priority policy when the command gave impact
            and urgency but no priority (the priority it set, and why); None otherwise.
        sla: the ticket's SLA clocks at the call's ``now``, over its whole history; None when
            the desk has no SLA policies or the clocks could not be measured.
        due: the SLA actions due at ``now`` (warnings, breaches, escalations), oldest first:
            every threshold reached and not superseded. Record the ``key`` of each one you act
            on, so as not to act twice.
        wake_at: when the clocks next change without a new event (a threshold or a breach):
            look at the ticket again then. None when nothing is scheduled.
        sla_error: why the clocks could not be measured (a calendar whose holiday data ends
            before the due date, a policy that names an unknown field...). The command itself
            was recorded; only the measurement failed.
    """

    ticket_id: str
    command_id: str
    events: tuple[TicketEvent, ...]
    ticket: Ticket
    duplicate: bool = False
    attempts: int = 1
    priority: PriorityDecision | None = None
    sla: SlaReport | None = None
    due: tuple[DueAction, ...] = ()
    wake_at: dt.datetime | None = None
    sla_error: ItsmError | None = attrs.field(default=None, eq=False)

    @property
    def version(self) -> int:
        """The ticket's version after the command (its number of events)."""
        return self.ticket.version

    @property
    def breached(self) -> tuple[str, ...]:
        """The keys of the clocks whose latest cycle is breached at ``now`` (or met late)."""
        if self.sla is None:
            return ()
        return tuple(clock.key for clock in self.sla.clocks if clock.breached)
