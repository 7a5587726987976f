"""Carrying the ticket fields of snapshot rows onto the events an import made of them.

Exports such as ServiceNow's audit log or a helpdesk event log write the whole ticket on each
row. :func:`itsm_core.tickets.import_history` turns the rows' states into events; this puts on
each event the fields whose value in its row differs from the ticket before it, so
reassignments and priority changes can be counted from the events alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from itsm_core.tickets import ImportResult, Json, Observation, Ticket, TicketEvent, apply_event


def carry_fields(
    result: ImportResult,
    observations: Sequence[Observation],
    values: Sequence[Mapping[str, Json]],
) -> ImportResult:
    """``result`` with each event carrying its row's ``values`` that differ from the ticket
    before it (the ``open`` event carries the first row's), the ticket refolded.

    ``observations[i]`` and ``values[i]`` describe row ``i``. The row of an event is the first
    row for ``open``, then, in order, the next row with the event's time and state (strict mode
    skips rows, lenient mode keeps all). Rows strict mode skipped (repeats, breaks) carry
    nothing themselves: their values arrive with the next event's row if they still hold then.
    """
    ticket: Ticket | None = None
    events: list[TicketEvent] = []
    position = 0
    for index, event in enumerate(result.events):
        if index > 0:
            while position < len(observations) - 1 and (
                observations[position].at != event.at
                or observations[position].state != event.to_state
            ):
                position += 1
        row = values[position]
        if index > 0:
            position += 1
        after = apply_event(ticket, event)
        changed = {name: value for name, value in row.items() if value != getattr(after, name)}
        if changed:
            event = attrs.evolve(event, payload={**event.payload, **changed})
            after = apply_event(ticket, event)
        ticket = after
        events.append(event)
    assert ticket is not None
    return attrs.evolve(result, ticket=ticket, events=tuple(events))
