"""Pause-abuse detection: pauses that hid work from the clock."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable

import attrs

from itsm_core.sla._state import SlaReport
from itsm_core.tickets import Comment, Role, TicketEvent


class PauseFindingKind(enum.StrEnum):
    """Why a pause is suspicious."""

    CUSTOMER_REPLIED = "customer_replied"
    TOO_LONG = "too_long"


@attrs.frozen(kw_only=True)
class PauseFinding:
    """A suspicious pause of a clock cycle, with the evidence."""

    clock: str
    cycle: int
    paused_from: dt.datetime
    paused_until: dt.datetime | None
    kind: PauseFindingKind
    detail: str
    event_sequence: int | None = None


def pause_findings(
    report: SlaReport,
    events: Iterable[TicketEvent],
    *,
    max_pause: dt.timedelta | None = None,
) -> tuple[PauseFinding, ...]:
    """Pauses during which the customer replied publicly (the ticket stayed "waiting for the
    customer" after the customer answered), and pauses longer than ``max_pause``.

    Every cycle of the report is checked, including pauses still open at ``report.at``.
    """
    replies = [
        e
        for e in events
        if isinstance(comment := e.payload.get("comment"), Comment)
        and comment.role == Role.CUSTOMER
    ]
    found: list[PauseFinding] = []
    for clock in (*report.history, *report.clocks):
        for start, end in clock.paused:
            stop = end or report.at
            found.extend(
                PauseFinding(
                    clock=clock.key,
                    cycle=clock.cycle,
                    paused_from=start,
                    paused_until=end,
                    kind=PauseFindingKind.CUSTOMER_REPLIED,
                    detail=f"customer replied at {event.at.isoformat()} during the pause",
                    event_sequence=event.sequence,
                )
                for event in replies
                if start < event.at < stop or (end is None and start < event.at <= stop)
            )
            length = stop.astimezone(dt.UTC) - start.astimezone(dt.UTC)
            if max_pause is not None and length > max_pause:
                found.append(
                    PauseFinding(
                        clock=clock.key,
                        cycle=clock.cycle,
                        paused_from=start,
                        paused_until=end,
                        kind=PauseFindingKind.TOO_LONG,
                        detail=f"paused {length} (limit {max_pause})",
                    )
                )
    return tuple(found)
