"""The complaint archive: every complaint by type, state and time, for review and reports."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from itsm_core._plain import shown, text
from itsm_core.desk._rows import RowQuery
from itsm_core.desk._ticket_view import TicketEntry, TicketRows, term
from itsm_core.errors import Problem, ValidationError
from itsm_core.tickets import ComplaintType, TicketKind
from itsm_core.workflow import StatusCategory

#: The instants the archive can be searched by.
ARCHIVE_TIMES = ("opened", "updated", "resolved", "closed")


class ComplaintArchive(TicketRows):
    """Complaints (tickets of kind ``complaint``) in the ticket read model, by type, state
    or status, and by when they were opened, last updated, resolved or closed.

    Args:
        store: the projection store.
        name: the ticket read model's name in it.
        serializer: reads the rows (default ``Serializer()``).
    """

    def find(
        self,
        *,
        complaint_type: ComplaintType | str | None = None,
        state: str | None = None,
        status: StatusCategory | str | None = None,
        start: dt.datetime | None = None,
        end: dt.datetime | None = None,
        by: str = "opened",
        limit: int | None = None,
    ) -> tuple[TicketEntry, ...]:
        """The complaints matching every filter given, whose ``by`` instant (``opened``,
        ``updated``, ``resolved`` or ``closed``) is within ``start`` (included) and ``end``
        (excluded), earliest first. A complaint not yet resolved has no ``resolved``
        instant, so ``by="resolved"`` lists only resolved ones."""
        return self._views(self._query(complaint_type, state, status, start, end, by, limit))

    def count_by_type(
        self,
        *,
        state: str | None = None,
        status: StatusCategory | str | None = None,
        start: dt.datetime | None = None,
        end: dt.datetime | None = None,
        by: str = "opened",
    ) -> dict[ComplaintType, int]:
        """How many complaints of each type match (types without any left out)."""
        query = self._query(None, state, status, start, end, by, None)
        counts: Counter[ComplaintType] = Counter()
        for hit in self.store.select(self.name, query):
            kind = self._view(hit.row).ticket.complaint_type
            if kind is not None:
                counts[kind] += 1
        return dict(sorted(counts.items()))

    def _query(
        self,
        complaint_type: ComplaintType | str | None,
        state: str | None,
        status: StatusCategory | str | None,
        start: dt.datetime | None,
        end: dt.datetime | None,
        by: str,
        limit: int | None,
    ) -> RowQuery:
        problems: list[Problem] = []
        terms = {term("kind", TicketKind.COMPLAINT)}
        for name, value, kind in (
            ("complaint_type", complaint_type, ComplaintType),
            ("status", status, StatusCategory),
        ):
            if value is None:
                continue
            try:
                terms.add(term(name, kind(value)))
            except ValueError:
                choices = ", ".join(str(member.value) for member in kind)
                problems.append(Problem(name, f"expected one of {choices}, got {shown(value)}"))
        if state is not None and text(state, "state", problems) is not None:
            terms.add(term("state", state))
        if by not in ARCHIVE_TIMES:
            problems.append(
                Problem("by", f"expected one of {', '.join(ARCHIVE_TIMES)}, got {shown(by)}")
            )
        if problems:
            raise ValidationError("ComplaintArchive", problems)
        return RowQuery(terms=terms, slot=by, start=start, end=end, limit=limit)
