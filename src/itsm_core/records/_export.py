"""Exports: tickets and their events as JSON-safe data with personal data masked by policy.

One rule for every export and view: the fields that identify the record or belong to the
workflow's vocabulary are kept, every other value is masked, whoever it names. A person
written into a ticket (its requester, an assignee, a comment's author) and the same person
acting on it (an event's actor) come out masked the same way, because both go through the
same :meth:`MaskingPolicy.mask_text`.
"""

from __future__ import annotations

from typing import Any

from itsm_core.records._masking import MaskingPolicy
from itsm_core.records._seal import _event_data
from itsm_core.records._ticket_data import ticket_data
from itsm_core.tickets import Ticket, TicketEvent

#: Ticket fields never masked: identifiers and the workflow vocabulary, not free text.
STRUCTURAL_FIELDS = frozenset({"id", "kind", "workflow", "state", "status", "version"})
#: Event fields never masked, for the same reason. Everything else (the actor, the payload,
#: the reason) is masked: a field added later is masked until it is listed here.
EVENT_STRUCTURAL_FIELDS = frozenset(
    {
        "ticket_id",
        "sequence",
        "name",
        "at",
        "role",
        "from_state",
        "from_status",
        "to_state",
        "to_status",
        "flags",
    }
)


def export_ticket(ticket: Ticket, policy: MaskingPolicy) -> dict[str, Any]:
    """``ticket`` as JSON-safe data for an export: ``policy.drop_fields`` left out, and personal
    data masked in every other text (comments, work notes and attributes included).

    >>> import datetime as dt
    >>> from itsm_core.records import MaskingPolicy
    >>> from itsm_core.tickets import CommandContext, OpenTicket, TicketKind, decide
    >>> ctx = CommandContext(actor="ana", role="agent", now=dt.datetime(2026, 1, 5, tzinfo=dt.UTC))
    >>> ticket, _ = decide(None, OpenTicket(ticket_id="INC1", kind=TicketKind.INCIDENT,
    ...     requester="zhang", symptom="VPN down, call me on 13812345678"), ctx)
    >>> export_ticket(ticket, MaskingPolicy())["symptom"]
    'VPN down, call me on 138****5678'
    """
    data = ticket_data(ticket)
    return mask_fields(
        {name: value for name, value in data.items() if name not in policy.drop_fields}, policy
    )


def mask_fields(data: dict[str, Any], policy: MaskingPolicy) -> dict[str, Any]:
    """Ticket ``data`` with every field but the :data:`STRUCTURAL_FIELDS` masked (the one
    rule of exports and redacted views)."""
    return {
        name: value if name in STRUCTURAL_FIELDS else policy.mask_json(value)
        for name, value in data.items()
    }


def export_event(event: TicketEvent, policy: MaskingPolicy) -> dict[str, Any]:
    """The event's plain data (as the serialization converter writes it) with personal data
    masked in its actor, payload and reason; the payload keys of ``policy.drop_fields`` are
    left out (``work_note`` goes with ``work_notes``, ``comment`` with ``comments``).

    The actor is masked exactly as :func:`export_ticket` masks the same person as requester:

    >>> import datetime as dt
    >>> from itsm_core.records import MaskingPolicy
    >>> from itsm_core.tickets import CommandContext, OpenTicket, TicketKind, decide
    >>> ctx = CommandContext(actor="zhang@example.com", role="customer",
    ...                      now=dt.datetime(2026, 1, 5, tzinfo=dt.UTC))
    >>> ticket, (opened,) = decide(None, OpenTicket(ticket_id="INC1", kind=TicketKind.INCIDENT,
    ...     requester="zhang@example.com"), ctx)
    >>> export_event(opened, MaskingPolicy())["actor"]
    'z****@example.com'
    >>> export_ticket(ticket, MaskingPolicy())["requester"]
    'z****@example.com'
    """
    data = _event_data(event)
    dropped = set(policy.drop_fields)
    if "work_notes" in dropped:
        dropped.add("work_note")
    if "comments" in dropped:
        dropped.add("comment")
    data["payload"] = {key: value for key, value in data["payload"].items() if key not in dropped}
    return {
        name: value if name in EVENT_STRUCTURAL_FIELDS else policy.mask_json(value)
        for name, value in data.items()
    }
