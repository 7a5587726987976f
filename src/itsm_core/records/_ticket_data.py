"""A ticket as plain JSON-safe data, field by field (the input of views and exports)."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from typing import Any

import attrs

from itsm_core.tickets import Comment, Ticket

#: Every field a ticket has, in declaration order.
TICKET_FIELDS: tuple[str, ...] = tuple(field.name for field in attrs.fields(Ticket))


def plain(value: object) -> Any:
    """The JSON-safe form of one field value: ISO datetimes, enum values, lists, dicts."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Comment):
        return plain(attrs.asdict(value, recurse=False))
    if isinstance(value, tuple | list):
        return [plain(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    return value


def ticket_data(ticket: Ticket) -> dict[str, Any]:
    """Every field of ``ticket`` as JSON-safe data, in declaration order.

    >>> import datetime as dt
    >>> from itsm_core.tickets import CommandContext, OpenTicket, TicketKind, decide
    >>> ctx = CommandContext(actor="ana", role="agent", now=dt.datetime(2026, 1, 5, tzinfo=dt.UTC))
    >>> ticket, _ = decide(None, OpenTicket(ticket_id="INC1", kind=TicketKind.INCIDENT,
    ...                                     requester="zhang"), ctx)
    >>> data = ticket_data(ticket)
    >>> data["kind"], data["opened_at"], data["comments"]
    ('incident', '2026-01-05T00:00:00+00:00', [])
    """
    return {name: plain(getattr(ticket, name)) for name in TICKET_FIELDS}
