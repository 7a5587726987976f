"""Laws of the clocks, on random ticket histories built with real commands."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from itsm_core.calendar import BusinessCalendar
from itsm_core.errors import ItsmError
from itsm_core.sla import (
    FIRST_RESPONSE,
    GROUP_RESOLUTION,
    NEXT_RESPONSE,
    RESOLUTION,
    SERVICENOW_THRESHOLDS,
    ClockStatus,
    MetricSpec,
    PolicySet,
    SlaPolicy,
    SlaTracker,
    evaluate,
    evaluate_many,
)
from itsm_core.tickets import (
    Acknowledge,
    AddComment,
    Assign,
    Cancel,
    Classify,
    Command,
    CommandContext,
    ConfirmResolution,
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
from itsm_core.workflow import StatusCategory

SH = ZoneInfo("Asia/Shanghai")
T0 = dt.datetime(2025, 3, 3, 8, tzinfo=SH)
OFFICE = BusinessCalendar.from_dict(
    {
        "name": "office",
        "timezone": "Asia/Shanghai",
        "weekly": {
            d: [["09:00", "12:00"], ["13:00", "18:00"]]
            for d in ("monday", "tuesday", "wednesday", "thursday", "friday")
        },
    }
)
TARGETS = {"1": "4 hours", "2": "8 hours", "*": "24 hours"}
PHYSICAL = PolicySet(
    policies=[
        SlaPolicy(
            name="p",
            metrics=[
                MetricSpec(clock=RESOLUTION, targets=TARGETS, thresholds=SERVICENOW_THRESHOLDS),
                MetricSpec(clock=FIRST_RESPONSE, targets={"*": "1 hours"}),
                MetricSpec(clock=NEXT_RESPONSE, targets={"*": "2 hours"}),
                MetricSpec(clock=GROUP_RESOLUTION, targets={"*": "3 hours"}),
            ],
        )
    ]
)
BUSINESS = PolicySet(
    policies=[
        SlaPolicy(
            name="b",
            metrics=[
                MetricSpec(clock=RESOLUTION, targets={"*": "2 working days"}, calendar="office"),
                MetricSpec(
                    clock=FIRST_RESPONSE, targets={"*": "4 working hours"}, calendar="office"
                ),
            ],
        )
    ]
)
CALENDARS = {"office": OFFICE}

COMMANDS: list[tuple[Command, str]] = [
    (Acknowledge(), "agent"),
    (Hold(reason=HoldReason.AWAITING_CUSTOMER), "agent"),
    (Resume(), "agent"),
    (AddComment(text="update"), "agent"),
    (AddComment(text="news?"), "customer"),
    (AddComment(text="note", internal=True), "agent"),
    (Classify(priority=1), "agent"),
    (Classify(priority=2), "agent"),
    (Classify(priority=3), "agent"),
    (Assign(group="desk"), "agent"),
    (Assign(group="network"), "agent"),
    (Resolve(code="fixed", note="done"), "agent"),
    (Reopen(reason="again"), "customer"),
    (ConfirmResolution(), "customer"),  # closes (confirmed closure)
    (Cancel(reason="dup"), "agent"),
]


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[TicketEvent], dt.datetime]:
    ctx = CommandContext(actor="bob", role="customer", now=T0)
    ticket: Ticket | None
    ticket, events = decide(
        None, OpenTicket(ticket_id="T", kind=TicketKind.INCIDENT, requester="bob", priority=2), ctx
    )
    out = list(events)
    now = T0
    steps = draw(
        st.lists(st.tuples(st.integers(0, len(COMMANDS) - 1), st.integers(0, 900)), max_size=14)
    )
    for index, minutes in steps:
        now += dt.timedelta(minutes=minutes)
        command, role = COMMANDS[index]
        try:
            ticket, events = decide(ticket, command, CommandContext(actor="x", role=role, now=now))
        except ItsmError:
            continue
        out.extend(events)
    end = now + dt.timedelta(minutes=draw(st.integers(0, 3000)))
    return out, end


def active_time(events: list[TicketEvent], now: dt.datetime) -> dt.timedelta:
    """Oracle: the time the ticket spent new or open (what a resolution clock counts)."""
    total = dt.timedelta(0)
    for event, following in zip(events, [*events[1:], None], strict=True):
        end = now if following is None else following.at
        if event.to_status in (StatusCategory.NEW, StatusCategory.OPEN):
            total += end - event.at
        if event.to_status is StatusCategory.CANCELLED:
            break
    return total


@given(histories())
def test_paused_and_stopped_time_never_counts(case: tuple[list[TicketEvent], dt.datetime]) -> None:
    events, now = case
    clock = evaluate(PHYSICAL, events, now).clock("resolution")
    assert clock.elapsed == active_time(events, now)


@given(histories())
def test_elapsed_never_exceeds_wall_clock(case: tuple[list[TicketEvent], dt.datetime]) -> None:
    events, now = case
    for policies in (PHYSICAL, BUSINESS):
        report = evaluate(policies, events, now, calendars=CALENDARS)
        for clock in (*report.history, *report.clocks):
            if clock.started_at is not None:
                end = clock.stopped_at or now
                assert dt.timedelta(0) <= clock.elapsed <= end - clock.started_at


@given(histories())
def test_finished_cycles_never_change(case: tuple[list[TicketEvent], dt.datetime]) -> None:
    events, now = case
    final = evaluate(PHYSICAL, events, now)
    final_cycles = {(c.key, c.cycle): c for c in (*final.history, *final.clocks)}
    for k in range(1, len(events) + 1):
        report = evaluate(PHYSICAL, events[:k], events[k - 1].at)
        for clock in (*report.history, *report.clocks):
            if clock.status in (ClockStatus.MET, ClockStatus.MET_LATE, ClockStatus.CANCELLED):
                assert final_cycles[(clock.key, clock.cycle)] == clock


@given(histories(), st.data())
def test_prefix_then_rest_equals_the_whole(
    case: tuple[list[TicketEvent], dt.datetime], data: st.DataObject
) -> None:
    events, now = case
    k = data.draw(st.integers(0, len(events)))
    for policies in (PHYSICAL, BUSINESS):
        start = SlaTracker(policies=policies, calendars=CALENDARS)
        split = start.apply_all(events[:k]).apply_all(events[k:])
        whole = evaluate(policies, events, now, calendars=CALENDARS)
        assert split.report(now) == whole
        assert evaluate(policies, events, now, calendars=CALENDARS) == whole  # deterministic
        assert evaluate_many(policies, [events], now, calendars=CALENDARS).reports == (whole,)


@given(histories())
def test_a_running_clock_breaches_exactly_at_its_due_time(
    case: tuple[list[TicketEvent], dt.datetime],
) -> None:
    events, now = case
    clock = evaluate(BUSINESS, events, now, calendars=CALENDARS).clock("resolution")
    if clock.status in (ClockStatus.RUNNING, ClockStatus.BREACHED) and clock.due_at is not None:
        at_due = evaluate(BUSINESS, events, max(clock.due_at, events[-1].at), calendars=CALENDARS)
        if clock.due_at >= events[-1].at:
            assert at_due.clock("resolution").elapsed == clock.target_time
