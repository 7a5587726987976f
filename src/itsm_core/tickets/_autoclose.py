"""Which resolved tickets are due for auto-close or auto-confirmation: pure queries, no timers.

The hotline rules close a ticket only once the customer confirms (得到客户确认后关闭): in the
built-in incident, service request, consultation and technical-service workflows ``close`` is
refused before. Confirming for a customer who did not answer is a policy a desk chooses, never a
default: :class:`AutoConfirmation` names its delay and shows in every event it causes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Protocol

import attrs

from itsm_core._checks import check_aware
from itsm_core.calendar import BusinessTime
from itsm_core.errors import Problem, ValidationError
from itsm_core.tickets._commands import ConfirmResolution
from itsm_core.tickets._ticket import Ticket
from itsm_core.tickets._vocabulary import Role
from itsm_core.workflow import StatusCategory


class DueRule(Protocol):
    """``rule(resolved_at, now)`` is True when the waiting time after a resolution is over."""

    def __call__(self, resolved_at: dt.datetime, now: dt.datetime, /) -> bool:
        """Whether a ticket resolved at ``resolved_at`` is due at ``now``."""
        ...


def after(duration: dt.timedelta) -> DueRule:
    """Due once ``duration`` of wall-clock time has passed since the resolution.

    >>> import datetime as dt
    >>> rule = after(dt.timedelta(days=3))
    >>> t0 = dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)
    >>> rule(t0, t0 + dt.timedelta(days=2)), rule(t0, t0 + dt.timedelta(days=3))
    (False, True)
    """
    _check_positive(duration)
    return lambda resolved_at, now: now - resolved_at >= duration


def after_business_time(calendar: BusinessTime, duration: dt.timedelta) -> DueRule:
    """Due once ``calendar.add(resolved_at, duration) <= now``.

    "Three business days" on a calendar with 8-hour days is ``timedelta(hours=24)`` of business
    time: the calendar decides what counts.
    """
    _check_positive(duration)
    return lambda resolved_at, now: calendar.add(resolved_at, duration) <= now


def _check_positive(duration: dt.timedelta) -> None:
    if duration <= dt.timedelta(0):
        raise ValidationError("auto-close delay", [Problem("duration", f"{duration} is not > 0")])


def customer_replied_since_resolution(ticket: Ticket) -> bool:
    """True when the customer wrote a public comment after the resolution."""
    resolved_at = ticket.resolved_at
    return resolved_at is not None and any(
        c.role == Role.CUSTOMER and c.at > resolved_at for c in ticket.comments
    )


def due_for_auto_close(
    tickets: Iterable[Ticket], now: dt.datetime, *, is_due: DueRule
) -> tuple[Ticket, ...]:
    """The tickets to close automatically at ``now``, in the order given.

    A ticket is due when it is resolved (status category ``resolved``, not yet confirmed,
    rejected or archived), the customer has not replied since the resolution, and
    ``is_due(resolved_at, now)`` says the waiting time is over (see :func:`after` and
    :func:`after_business_time`). Close each with ``Close`` in the ``system`` role, in a
    workflow whose ``close`` does not ask for the customer's confirmation; where it does (the
    built-in incident, service request, consultation, technical service), only an
    :class:`AutoConfirmation` policy closes a ticket the customer did not answer.
    """
    check_aware(now, "due_for_auto_close.now")
    return tuple(
        ticket
        for ticket in tickets
        if ticket.status is StatusCategory.RESOLVED
        and ticket.resolved_at is not None
        and ticket.customer_confirmation is None
        and not ticket.archived
        and not customer_replied_since_resolution(ticket)
        and is_due(ticket.resolved_at, now)
    )


@attrs.frozen(kw_only=True)
class AutoConfirmation:
    """An explicit policy: the system confirms a resolution the customer has not answered
    once ``is_due`` says the wait is over (:func:`after`, :func:`after_business_time`).

    Off unless a desk builds one: nothing confirms for a customer by default. ``description``
    says the policy in words ("no answer 3 business days after the resolution"); every
    confirmation it makes is the ``confirm`` event of the ``system`` with the ticket's
    ``auto_confirmed`` set and the description as the event's reason, so the history shows it
    was not the customer.

    >>> import datetime as dt
    >>> policy = AutoConfirmation(is_due=after(dt.timedelta(days=3)),
    ...                           description="no answer 3 days after the resolution")
    >>> policy.command()
    ConfirmResolution(note='auto-confirmed: no answer 3 days after the resolution', auto=True)
    """

    is_due: DueRule
    description: str

    def __attrs_post_init__(self) -> None:
        description: object = self.description  # data may not match the annotation
        if not isinstance(description, str) or not description.strip():
            raise ValidationError(
                "AutoConfirmation",
                [Problem("description", "say the policy (it shows in the ticket's history)")],
            )

    def due(self, tickets: Iterable[Ticket], now: dt.datetime) -> tuple[Ticket, ...]:
        """The tickets this policy confirms at ``now``: resolved, not confirmed or rejected,
        no customer reply since the resolution, and the wait over (see
        :func:`due_for_auto_close`)."""
        return due_for_auto_close(tickets, now, is_due=self.is_due)

    def command(self) -> ConfirmResolution:
        """The command to decide for each due ticket, in the ``system`` role."""
        return ConfirmResolution(note=f"auto-confirmed: {self.description}", auto=True)
