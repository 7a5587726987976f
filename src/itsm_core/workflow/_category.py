"""Status categories: the coarse meaning of a workflow state, shared by every workflow."""

from __future__ import annotations

import enum


class StatusCategory(enum.StrEnum):
    """What a state means to clocks and reports, whatever the workflow calls it.

    The SLA engine pauses its clocks in ``ON_HOLD`` and stops them in ``RESOLVED``, ``CLOSED``
    and ``CANCELLED``; KPIs count a ticket as open while it is ``NEW``, ``OPEN`` or ``ON_HOLD``.

    >>> StatusCategory.ON_HOLD.pauses_sla, StatusCategory.OPEN.is_active
    (True, True)
    >>> StatusCategory.CLOSED.is_final
    True
    """

    NEW = "new"
    OPEN = "open"
    ON_HOLD = "on_hold"
    RESOLVED = "resolved"
    CLOSED = "closed"
    CANCELLED = "cancelled"

    @property
    def pauses_sla(self) -> bool:
        """True for the category in which SLA clocks are paused (waiting on someone else)."""
        return self is StatusCategory.ON_HOLD

    @property
    def is_active(self) -> bool:
        """True while work is still due: new, open or on hold."""
        return self in _ACTIVE

    @property
    def is_final(self) -> bool:
        """True for closed and cancelled: nothing more is expected of the ticket."""
        return self in _FINAL


_ACTIVE = frozenset({StatusCategory.NEW, StatusCategory.OPEN, StatusCategory.ON_HOLD})
_FINAL = frozenset({StatusCategory.CLOSED, StatusCategory.CANCELLED})
