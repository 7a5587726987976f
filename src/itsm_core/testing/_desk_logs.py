"""Random event logs of a small desk, for the tests of projections and read models.

:func:`desk_logs` draws a few tickets (incidents, complaints, service requests) and a
sequence of commands on them, interleaved in time, each decided with the real ``decide``
(a refused command is skipped): the appends a desk would make, in order.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import attrs
from hypothesis import strategies as st

from itsm_core.calendar import BusinessCalendar
from itsm_core.errors import ItsmError
from itsm_core.repositories import EventStore
from itsm_core.sla import (
    FIRST_RESPONSE,
    GROUP_RESOLUTION,
    RESOLUTION,
    SERVICENOW_THRESHOLDS,
    FieldIn,
    MetricSpec,
    PolicySet,
    SlaPolicy,
)
from itsm_core.tickets import (
    Acknowledge,
    AddComment,
    Advance,
    Archive,
    Assign,
    Cancel,
    Classify,
    Command,
    CommandContext,
    ComplaintType,
    ConfirmResolution,
    CustomerTier,
    Escalate,
    EscalationKind,
    Hold,
    HoldReason,
    OpenTicket,
    Reopen,
    Resolve,
    Resume,
    Ticket,
    TicketEvent,
    TicketKind,
    decide,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: When the first ticket of a log may open (a Monday, 08:00 in Shanghai).
START = dt.datetime(2025, 3, 3, 8, tzinfo=SHANGHAI)
CUSTOMERS = ("bob", "eve", "li")
GROUPS = ("desk", "network")
AGENTS = ("ana", "wu")
CATEGORIES = ("printer", "vpn")
KINDS = (TicketKind.INCIDENT, TicketKind.COMPLAINT, TicketKind.SERVICE_REQUEST)

#: Commands and the role that gives them.
COMMANDS: tuple[tuple[Command, str], ...] = (
    (Acknowledge(), "agent"),
    (Assign(group="desk"), "agent"),
    (Assign(group="network", assignee="wu"), "agent"),
    (Assign(assignee="ana"), "agent"),
    (Classify(category="vpn", priority=1), "agent"),
    (Classify(category="printer", priority=3), "agent"),
    (Classify(complaint_type=ComplaintType.SERVICE, response_level=3), "agent"),
    (Classify(complaint_type=ComplaintType.TECHNICAL, response_level=2), "agent"),
    (Hold(reason=HoldReason.AWAITING_CUSTOMER), "agent"),
    (Resume(), "agent"),
    (AddComment(text="any news?"), "customer"),
    (AddComment(text="working on it"), "agent"),
    (Escalate(kind=EscalationKind.HIERARCHICAL, reason="angry"), "manager"),
    (Advance(event="handle"), "manager"),
    (Resolve(code="fixed", note="done"), "manager"),
    (ConfirmResolution(), "customer"),
    (Archive(), "manager"),
    (Reopen(reason="again"), "customer"),
    (ConfirmResolution(note="auto-confirmed: no answer in 3 days", auto=True), "system"),
    (Cancel(reason="duplicate"), "agent"),
)


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")
#: Shanghai office hours, with a holiday.
OFFICE = BusinessCalendar.from_dict(
    {
        "name": "office",
        "timezone": "Asia/Shanghai",
        "weekly": {d: [["09:00", "12:00"], ["13:00", "18:00"]] for d in WEEKDAYS},
        "holidays": [{"start": "2025-03-19", "name": "holiday"}],
        "extrapolate": True,
    }
)
#: SLA policies for the logs: a physical target for priority 1, working-time targets on
#: ``OFFICE`` otherwise, with thresholds, and a per-group clock.
POLICIES = PolicySet(
    policies=[
        SlaPolicy(
            name="p1",
            condition=FieldIn("priority", [1]),
            precedence=1,
            metrics=[
                MetricSpec(
                    clock=RESOLUTION, targets={"*": "4 hours"}, thresholds=SERVICENOW_THRESHOLDS
                )
            ],
        ),
        SlaPolicy(
            name="standard",
            metrics=[
                MetricSpec(
                    clock=RESOLUTION,
                    targets={"*": "2 working days"},
                    calendar="office",
                    thresholds=SERVICENOW_THRESHOLDS,
                ),
                MetricSpec(
                    clock=FIRST_RESPONSE,
                    targets={"*": "3 working hours"},
                    calendar="office",
                    thresholds=SERVICENOW_THRESHOLDS,
                ),
                MetricSpec(
                    clock=GROUP_RESOLUTION, targets={"*": "8 working hours"}, calendar="office"
                ),
            ],
        ),
    ],
    mode="all",
)


@attrs.frozen
class DeskLog:
    """The appends of a desk, in order: ``(ticket id, events)``; ``last`` is the time of the
    last event (a ``now`` at or after it measures every ticket)."""

    appends: tuple[tuple[str, tuple[TicketEvent, ...]], ...]
    last: dt.datetime

    @property
    def events(self) -> tuple[TicketEvent, ...]:
        """Every event, in append order."""
        return tuple(event for _, events in self.appends for event in events)

    def histories(self) -> dict[str, list[TicketEvent]]:
        """Each ticket's events, by ticket id (in the order tickets opened)."""
        found: dict[str, list[TicketEvent]] = {}
        for stream, events in self.appends:
            found.setdefault(stream, []).extend(events)
        return found

    def append_to(self, store: EventStore[TicketEvent]) -> None:
        """Append every batch to ``store``, each at the version it expects."""
        for stream, events in self.appends:
            store.append(stream, events, events[0].sequence - 1)


@st.composite
def desk_logs(draw: st.DrawFn, *, max_tickets: int = 5, max_steps: int = 20) -> DeskLog:
    """A log of up to ``max_tickets`` tickets and ``max_steps`` commands on them."""
    tickets: dict[str, Ticket] = {}
    appends: list[tuple[str, tuple[TicketEvent, ...]]] = []
    now = START + dt.timedelta(minutes=draw(st.integers(0, 600)))
    for number in range(draw(st.integers(1, max_tickets))):
        kind = draw(st.sampled_from(KINDS))
        opening = OpenTicket(
            ticket_id=f"T{number}",
            kind=kind,
            requester=draw(st.sampled_from(CUSTOMERS)),
            customer_tier=draw(st.sampled_from(list(CustomerTier))),
            priority=draw(st.integers(1, 3)),
            category=draw(st.none() | st.sampled_from(CATEGORIES)),
            attributes={"external_id": f"ZD-{number % 3}"},
        )
        ticket, events = decide(
            None, opening, CommandContext(actor="bob", role="customer", now=now)
        )
        tickets[ticket.id] = ticket
        appends.append((ticket.id, events))
        now += dt.timedelta(minutes=draw(st.integers(0, 300)))
    ids = sorted(tickets)
    for _ in range(draw(st.integers(0, max_steps))):
        ticket_id = draw(st.sampled_from(ids))
        command, role = draw(st.sampled_from(COMMANDS))
        now += dt.timedelta(minutes=draw(st.integers(0, 900)))
        context = CommandContext(actor=f"{role}-1", role=role, now=now)
        try:
            ticket, events = decide(tickets[ticket_id], command, context)
        except ItsmError:
            continue
        tickets[ticket_id] = ticket
        appends.append((ticket_id, events))
    return DeskLog(tuple(appends), max(event.at for _, events in appends for event in events))
