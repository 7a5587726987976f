"""Ticket lookup: a ticket by its id, by an attribute of the source system, by customer."""

from __future__ import annotations

from itsm_core._checks import is_int
from itsm_core._plain import is_a, shown, text
from itsm_core.desk._rows import RowQuery
from itsm_core.desk._ticket_view import TicketEntry, TicketRows, term
from itsm_core.errors import Problem, ValidationError


class TicketLookup(TicketRows):
    """Find tickets in the ticket read model (:class:`TicketProjection`) without a scan.

    Args:
        store: the projection store.
        name: the ticket read model's name in it.
        serializer: reads the rows (default ``Serializer()``).
    """

    def get(self, ticket_id: str) -> TicketEntry | None:
        """The ticket ``ticket_id``, or None."""
        row = self.store.rows(self.name, [ticket_id]).get(ticket_id)
        return None if row is None else self._view(row)

    def by_attribute(self, name: str, value: str | int) -> tuple[TicketEntry, ...]:
        """The tickets whose ``attributes[name]`` is ``value`` (an external id, a reference),
        oldest first; ``name`` must be one of the projection's ``lookup_attributes``."""
        problems: list[Problem] = []
        text(name, "name", problems)
        if not (is_a(value, str) or is_int(value)):
            problems.append(Problem("value", f"expected text or an integer, got {shown(value)}"))
        if problems:
            raise ValidationError("by_attribute", problems)
        return self._views(RowQuery(terms={term(f"attribute.{name}", value)}, slot="opened"))

    def by_customer(
        self, customer: str, *, active: bool | None = None, limit: int | None = None
    ) -> tuple[TicketEntry, ...]:
        """The tickets of ``customer`` (their requester), oldest first; only those still
        being worked with ``active=True``, only the others with ``active=False``."""
        problems: list[Problem] = []
        text(customer, "customer", problems)
        if problems:
            raise ValidationError("by_customer", problems)
        terms = {term("customer", customer)}
        if active is not None:
            terms.add(term("active", active))
        return self._views(RowQuery(terms=terms, slot="opened", limit=limit))
