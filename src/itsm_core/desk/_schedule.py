"""The SLA schedule of a whole desk: what is due when, what is breached, when to wake up."""

from __future__ import annotations

import datetime as dt

from itsm_core._checks import check_aware
from itsm_core.desk._rows import RowQuery
from itsm_core.desk._ticket_view import Deadline, TicketEntry, TicketRows, deadlines_of, term

_MICROSECOND = dt.timedelta(microseconds=1)


class SlaSchedule(TicketRows):
    """The deadlines of every ticket's clocks under way, from the ticket read model
    (:class:`TicketProjection` with SLA policies), found by range queries on the stored due
    and threshold instants: no event is read, no clock measured.

    The answers are those of measuring each ticket (:func:`~itsm_core.sla.evaluate`) at
    ``now`` (not before the tickets' last events): a clock is breached at ``now`` when its
    deadline is at or before ``now``; :meth:`next_wake_up` is
    :func:`~itsm_core.sla.next_change_at` over every ticket (without quiet hours). Tickets
    whose clocks could not be computed are in :meth:`errors` instead.

    Args:
        store: the projection store.
        name: the ticket read model's name in it.
        serializer: reads the rows (default ``Serializer()``).
    """

    def next_wake_up(self, now: dt.datetime) -> dt.datetime | None:
        """The first instant after ``now`` at which a clock breaches or reaches a threshold
        without a new event (in UTC); None when none will."""
        check_aware(now, "now")
        query = RowQuery(slot="wake", start=now + _MICROSECOND, limit=1)
        hits = self.store.select(self.name, query)
        return hits[0].at if hits else None

    def due_between(
        self, start: dt.datetime | None, end: dt.datetime | None, *, limit: int | None = None
    ) -> tuple[Deadline, ...]:
        """The deadlines with ``start <= due_at < end`` (a bound None is open), earliest
        first (ties by ticket id, then clock), at most ``limit``."""
        query = RowQuery(slot="due", start=start, end=end, limit=limit)
        found = sorted(
            (
                deadline
                for hit in self.store.select(self.name, query)
                for deadline in deadlines_of(hit.row, self.serializer)
                if deadline.due_at is not None
                and (start is None or deadline.due_at >= start)
                and (end is None or deadline.due_at < end)
            ),
            key=lambda d: (d.due_at, d.ticket_id, d.clock),
        )
        # The first ``limit`` rows (each by its earliest deadline in range) hold the first
        # ``limit`` deadlines.
        return tuple(found if limit is None else found[:limit])

    def breached(self, now: dt.datetime, *, limit: int | None = None) -> tuple[Deadline, ...]:
        """The clocks breached at ``now`` (due at or before it), longest breached first."""
        check_aware(now, "now")
        return self.due_between(None, now + _MICROSECOND, limit=limit)

    def errors(self) -> tuple[TicketEntry, ...]:
        """The tickets whose clocks could not be computed (``sla_error`` says why)."""
        return self._views(RowQuery(terms={term("sla_error", True)}))
