"""Which resolved tickets are due for auto-close: a pure query, no timers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Protocol

from itsm_core._checks import check_aware
from itsm_core.errors import Problem, ValidationError
from itsm_core.tickets._ticket import Ticket
from itsm_core.tickets._vocabulary import Role
from itsm_core.workflow import StatusCategory


class DueRule(Protocol):
    """``rule(resolved_at, now)`` is True when the waiting time after a resolution is over."""

    def __call__(self, resolved_at: dt.datetime, now: dt.datetime, /) -> bool:
        """Whether a ticket resolved at ``resolved_at`` is due at ``now``."""
        ...


class SupportsAdd(Protocol):
    """Any business calendar that adds working time to an instant."""

    def add(self, start: dt.datetime, duration: dt.timedelta, /) -> dt.datetime:
        """The instant ``duration`` of working time after ``start``."""
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


def after_business_time(calendar: SupportsAdd, duration: dt.timedelta) -> DueRule:
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
    :func:`after_business_time`). Close each with ``Close`` in the ``system`` role.
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
