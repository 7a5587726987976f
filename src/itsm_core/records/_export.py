"""Exports: tickets and their events as JSON-safe data with personal data masked by policy."""

from __future__ import annotations

from typing import Any

from itsm_core.records._masking import MaskingPolicy
from itsm_core.records._seal import _event_data
from itsm_core.records._ticket_data import ticket_data
from itsm_core.tickets import Ticket, TicketEvent

#: Fields never masked: identifiers and the workflow vocabulary, not free text.
STRUCTURAL_FIELDS = frozenset({"id", "kind", "workflow", "state", "status", "version"})


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
    return {
        name: value if name in STRUCTURAL_FIELDS else policy.mask_json(value)
        for name, value in data.items()
        if name not in policy.drop_fields
    }


def export_event(event: TicketEvent, policy: MaskingPolicy) -> dict[str, Any]:
    """The event's plain form (the converter's) with personal data masked in its payload and
    reason; the payload keys of ``policy.drop_fields`` are left out (``work_note`` goes with
    ``work_notes``, ``comment`` with ``comments``)."""
    data = _event_data(event)
    dropped = set(policy.drop_fields)
    if "work_notes" in dropped:
        dropped.add("work_note")
    if "comments" in dropped:
        dropped.add("comment")
    data["payload"] = {
        key: policy.mask_json(value) for key, value in data["payload"].items() if key not in dropped
    }
    data["reason"] = policy.mask_json(data["reason"])
    return data
