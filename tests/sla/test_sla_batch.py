"""Batch evaluation and the engine's fast paths give exactly what the plain paths give.

The engine folds a history into local working copies, remembers a cycle's target clock time,
measures a cycle's counting stretches once for all its instants, and selects policies without
writing their explanation on every event. Each of these is checked here against a plain path:
evaluation ticket by ticket and event by event, the plain ``elapsed``/``instant`` functions,
``PolicySet.select`` and ``Duration.clock_time`` called directly.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from functools import reduce
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsm_core.calendar import TWENTY_FOUR_SEVEN, BusinessCalendar, BusinessTime
from itsm_core.errors import ItsmError
from itsm_core.sla import (
    FIRST_RESPONSE,
    GROUP_RESOLUTION,
    NEXT_RESPONSE,
    RESOLUTION,
    SERVICENOW_THRESHOLDS,
    ClockStatus,
    FieldIn,
    MetricSpec,
    PolicySet,
    SlaPolicy,
    SlaReport,
    SlaTracker,
    evaluate,
    evaluate_many,
)
from itsm_core.sla._conditions import Fact
from itsm_core.sla._measure import PAUSE, RUN, Progress, Run, elapsed, instant
from itsm_core.sla._policy import OnChange
from itsm_core.sla._selection import metrics_in_force
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
    apply_event,
    decide,
)

SH = ZoneInfo("Asia/Shanghai")
T0 = dt.datetime(2025, 3, 3, 8, tzinfo=SH)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")
#: Irregular on purpose, so that a target in working days depends on when the cycle starts:
#: short Mondays, a holiday and a make-up working Saturday.
OFFICE = BusinessCalendar.from_dict(
    {
        "name": "office",
        "timezone": "Asia/Shanghai",
        "weekly": {
            "monday": [["09:00", "12:00"]],
            **{d: [["09:00", "12:00"], ["13:00", "18:00"]] for d in WEEKDAYS[1:]},
        },
        "holidays": [{"start": "2025-03-19", "name": "holiday"}],
        "overrides": {"2025-03-22": {"like": "tuesday", "name": "make-up working day"}},
        "extrapolate": True,
    }
)
PARIS = BusinessCalendar.from_dict(
    {
        "name": "paris",
        "timezone": "Europe/Paris",
        "weekly": {d: [["08:00", "17:00"]] for d in WEEKDAYS},
        "extrapolate": True,
    }
)
CALENDARS: dict[str, BusinessTime] = {"office": OFFICE}
CUSTOMERS: dict[str, BusinessTime] = {"eve": PARIS}

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


def policy_set(mode: OnChange) -> PolicySet:
    """Two policies chosen by priority, working-day and physical targets, thresholds, a
    customer calendar and a per-group clock, all reacting to changes by ``mode``."""
    return PolicySet(
        policies=[
            SlaPolicy(
                name="vip",
                condition=FieldIn("priority", [1]),
                precedence=1,
                metrics=[
                    MetricSpec(
                        clock=RESOLUTION,
                        targets={"*": "2 hours"},
                        on_change=mode,
                        thresholds=SERVICENOW_THRESHOLDS,
                    ),
                    MetricSpec(
                        clock=NEXT_RESPONSE,
                        targets={"*": "1 working hours"},
                        calendar="office",
                        customer_calendar=True,
                    ),
                ],
            ),
            SlaPolicy(
                name="std",
                metrics=[
                    MetricSpec(
                        clock=RESOLUTION,
                        targets={"1": "4 hours", "2": "2 working days", "*": "3 working days"},
                        calendar="office",
                        on_change=mode,
                        thresholds=SERVICENOW_THRESHOLDS,
                    ),
                    MetricSpec(
                        clock=FIRST_RESPONSE,
                        targets={"*": "4 working hours"},
                        calendar="office",
                        customer_calendar=True,
                        on_change=mode,
                    ),
                    MetricSpec(
                        clock=NEXT_RESPONSE,
                        targets={"2": "2 hours", "*": "1 working days"},
                        calendar="office",
                    ),
                    MetricSpec(
                        clock=GROUP_RESOLUTION,
                        targets={"*": "1 working days"},
                        calendar="office",
                        on_change=mode,
                    ),
                ],
            ),
        ],
        mode="all" if mode is OnChange.RESTART else "first",
    )


def random_history(rnd: random.Random, number: int) -> list[TicketEvent]:
    """A ticket's events from random commands at random gaps (refused commands are skipped)."""
    start = T0 + dt.timedelta(minutes=rnd.randrange(60 * 24 * 30))
    opening = OpenTicket(
        ticket_id=f"R{number}",
        kind=TicketKind.INCIDENT,
        requester=rnd.choice(["bob", "eve"]),
        priority=rnd.randint(1, 3),
    )
    ticket: Ticket | None
    ticket, events = decide(None, opening, CommandContext(actor="b", role="customer", now=start))
    out = list(events)
    now = start
    for _ in range(rnd.randrange(15)):
        now += dt.timedelta(minutes=rnd.randrange(900))
        command, role = rnd.choice(COMMANDS)
        try:
            ticket, events = decide(ticket, command, CommandContext(actor="x", role=role, now=now))
        except ItsmError:
            continue
        out.extend(events)
    return out


def random_batch(seed: int, count: int) -> list[list[TicketEvent]]:
    """``count`` random histories from one seeded generator (the same on every run)."""
    rnd = random.Random(seed)
    return [random_history(rnd, n) for n in range(count)]


BATCH = random_batch(2026, 250)


def one_by_one(policies: PolicySet, events: list[TicketEvent], now: dt.datetime) -> SlaReport:
    """The plain fold: a tracker fed one event at a time, measured at ``now``."""
    start = SlaTracker(policies=policies, calendars=CALENDARS, customer_calendars=CUSTOMERS)
    tracker = reduce(SlaTracker.apply, [e for e in events if e.at <= now], start)
    return tracker.report(now)


@pytest.mark.parametrize("mode", list(OnChange))
def test_batch_equals_each_ticket_alone_and_the_event_by_event_fold(mode: OnChange) -> None:
    policies = policy_set(mode)
    seen: Counter[ClockStatus] = Counter()
    for now in (T0 + dt.timedelta(days=31), T0 + dt.timedelta(days=60)):
        batch = evaluate_many(
            policies, BATCH, now, calendars=CALENDARS, customer_calendars=CUSTOMERS
        )
        assert len(batch) == len(BATCH)
        for events, report in zip(BATCH, batch, strict=True):
            alone = evaluate(
                policies, events, now, calendars=CALENDARS, customer_calendars=CUSTOMERS
            )
            assert report == alone
            assert report == one_by_one(policies, events, now)
            seen.update(c.status for c in (*report.history, *report.clocks))
    # the batch exercises every state a clock can be in, so the comparison means something
    assert set(seen) == set(ClockStatus)


def test_batch_of_tickets_opened_at_one_instant_are_measured_apart() -> None:
    """Tickets that share start instants (and so target times) still get their own clocks."""
    policies = policy_set(OnChange.CARRY_OVER)
    same_start = random_batch(7, 3) * 2
    now = T0 + dt.timedelta(days=60)
    batch = evaluate_many(policies, same_start, now, calendars=CALENDARS)
    assert batch.errors == ()
    assert batch.reports == tuple(
        evaluate(policies, h, now, calendars=CALENDARS) for h in same_start
    )
    assert [r.ticket_id for r in batch] == ["R0", "R1", "R2"] * 2


def test_a_cycle_target_in_working_days_is_the_calendar_figure() -> None:
    """The remembered target clock time equals ``Duration.clock_time`` asked directly, for
    every cycle of the batch, through priority changes, restarts and retroactive replays."""
    checked = 0
    for mode in OnChange:
        policies = policy_set(mode)
        now = T0 + dt.timedelta(days=60)
        for report in evaluate_many(policies, BATCH, now, calendars=CALENDARS):
            for clock in (*report.history, *report.clocks):
                if clock.target is None or clock.started_at is None:
                    continue
                base = OFFICE if clock.calendar == "office" else TWENTY_FOUR_SEVEN
                assert clock.target_time == clock.target.clock_time(clock.started_at, base)
                checked += clock.target.unit.value == "working_days"
    assert checked > 100


def test_two_working_days_from_a_friday_afternoon(history: type) -> None:
    """Hand-computed: opened Friday 15:00, two working days end Tuesday 15:00: 3 h on Friday,
    3 h on the short Monday, 5 h on Tuesday, 11 working hours in all."""
    friday = dt.datetime(2025, 3, 7, 15, tzinfo=SH)
    policies = policy_set(OnChange.CARRY_OVER)
    h = history(friday, priority=2)
    clock = evaluate(policies, h.events, friday, calendars=CALENDARS).clock("resolution")
    assert clock.target_time == dt.timedelta(hours=11)
    assert clock.due_at == dt.datetime(2025, 3, 11, 15, tzinfo=SH)
    assert clock.original_due_at == clock.due_at
    # lowered to priority 3 (3 working days), the same cycle is measured against 3+3+8+5 h
    h.do(Classify(priority=3), friday + dt.timedelta(hours=1))
    later = friday + dt.timedelta(hours=2)
    clock = evaluate(policies, h.events, later, calendars=CALENDARS).clock("resolution")
    assert clock.target_time == dt.timedelta(hours=19)
    assert clock.due_at == dt.datetime(2025, 3, 12, 15, tzinfo=SH)
    assert clock.original_due_at == dt.datetime(2025, 3, 11, 15, tzinfo=SH)
    # opened Tuesday 18 March 10:00 at priority 3: Wednesday is a holiday and Saturday a
    # make-up day, so 3 working days end Saturday 10:00 after 7 + 8 + 8 + 1 working hours
    tuesday = dt.datetime(2025, 3, 18, 10, tzinfo=SH)
    events = history(tuesday, priority=3).events
    clock = evaluate(policies, events, tuesday, calendars=CALENDARS).clock("resolution")
    assert clock.target_time == dt.timedelta(hours=24)
    assert clock.due_at == dt.datetime(2025, 3, 22, 10, tzinfo=SH)


def test_each_cycle_gets_the_target_of_its_own_start(history: type) -> None:
    """Next-response cycles of one ticket, one policy: one working day from Friday 15:00 ends
    at the short Monday's close (3 h + 3 h), from Tuesday 10:00 on Wednesday 10:00 (7 h + 1 h).
    """
    opened = dt.datetime(2025, 3, 4, 9, tzinfo=SH)
    h = history(opened, priority=3)
    h.customer(AddComment(text="any news?"), dt.datetime(2025, 3, 7, 15, tzinfo=SH))
    h.do(AddComment(text="working on it"), dt.datetime(2025, 3, 7, 16, tzinfo=SH))
    h.customer(AddComment(text="and now?"), dt.datetime(2025, 3, 11, 10, tzinfo=SH))
    now = dt.datetime(2025, 3, 11, 11, tzinfo=SH)
    report = evaluate(policy_set(OnChange.CARRY_OVER), h.events, now, calendars=CALENDARS)
    first, second = report.cycles("next_response")
    assert first.target_time == dt.timedelta(hours=6)
    assert first.status is ClockStatus.MET
    assert second.target_time == dt.timedelta(hours=8)
    assert second.due_at == dt.datetime(2025, 3, 12, 10, tzinfo=SH)


def test_a_calendar_swapped_mid_flight_governs_from_the_next_event(history: type) -> None:
    """The clock keeps what governs it only while the very same calendar is passed."""
    monday = dt.datetime(2025, 3, 10, 9, tzinfo=SH)
    metric = MetricSpec(clock=RESOLUTION, targets={"*": "8 working hours"}, calendar="c")
    policies = PolicySet(policies=[SlaPolicy(name="p", metrics=[metric])])
    h = history(monday)
    h.do(AddComment(text="looking"), monday + dt.timedelta(hours=1))
    tracker = SlaTracker(policies=policies, calendars={"c": OFFICE}).apply_all(h.events[:1])
    swapped = attrs.evolve(tracker, calendars={"c": TWENTY_FOUR_SEVEN}).apply_all(h.events[1:])
    now = monday + dt.timedelta(hours=5)
    clock = swapped.report(now).clock("resolution")
    assert clock.elapsed == dt.timedelta(hours=5)  # physical time, not Monday's 3 working hours
    assert clock.due_at == monday + dt.timedelta(hours=8)
    assert clock.original_due_at == dt.datetime(2025, 3, 11, 15, tzinfo=SH)  # 3 h Mon, 5 h Tue


def test_trackers_compare_by_their_calendars_too(history: type) -> None:
    """Two trackers that measure on different calendars are different values."""
    monday = dt.datetime(2025, 3, 10, 9, tzinfo=SH)
    metric = MetricSpec(clock=RESOLUTION, targets={"*": "8 working hours"}, calendar="c")
    policies = PolicySet(policies=[SlaPolicy(name="p", metrics=[metric])])
    events = history(monday).events
    office = SlaTracker(policies=policies, calendars={"c": OFFICE}).apply_all(events)
    always = SlaTracker(policies=policies, calendars={"c": TWENTY_FOUR_SEVEN}).apply_all(events)
    assert office != always
    assert office.tracks != always.tracks  # the clock in force keeps its calendar
    assert office == SlaTracker(policies=policies, calendars={"c": OFFICE}).apply_all(events)
    customers = SlaTracker(policies=policies, calendars={"c": OFFICE}, customer_calendars=CUSTOMERS)
    assert customers != SlaTracker(policies=policies, calendars={"c": OFFICE})
    in_force = office.tracks[0].in_force
    assert in_force is not None
    moved = attrs.evolve(in_force, calendar=TWENTY_FOUR_SEVEN)
    assert moved != in_force  # same name, another calendar: not the same value
    assert moved.same_terms(in_force)  # ... but the same terms (an edit re-projects the clock)


def test_applying_no_events_changes_nothing() -> None:
    tracker = SlaTracker(policies=policy_set(OnChange.CARRY_OVER), calendars=CALENDARS)
    assert tracker.apply_all([]) is tracker
    folded = tracker.apply_all(BATCH[0])
    assert folded.apply_all(iter(())) is folded


def test_the_selection_kept_explains_the_last_event() -> None:
    policies = policy_set(OnChange.CARRY_OVER)
    for events in BATCH[:60]:
        tracker = SlaTracker(policies=policies, calendars=CALENDARS).apply_all(events)
        assert tracker.ticket is not None
        expected = policies.select(tracker.ticket, Fact(events[-1], tracker.ticket))
        assert tracker.selection == expected
        assert tracker.selection is not None
        assert tracker.selection.explanation  # written in full, not the fast path's ()


@given(st.integers(0, len(BATCH) - 1), st.sampled_from(list(OnChange)))
def test_metrics_without_explanation_match_select(index: int, mode: OnChange) -> None:
    policies = policy_set(mode)
    ticket: Ticket | None = None
    for event in BATCH[index]:
        ticket = apply_event(ticket, event)
        fact = Fact(event, ticket)
        assert metrics_in_force(policies, fact) == policies.select(ticket, fact).metrics


@st.composite
def runs(draw: st.DrawFn) -> tuple[Run, dt.datetime]:
    """A cycle with random counting and paused stretches, and an instant after its last one."""
    start = T0 + dt.timedelta(minutes=draw(st.integers(0, 60 * 24 * 14)))
    cuts = draw(st.lists(st.integers(0, 60 * 24 * 3), max_size=8))
    kinds = draw(st.lists(st.booleans(), min_size=len(cuts) + 1, max_size=len(cuts) + 1))
    intervals = []
    at = start
    for minutes, counting in zip(cuts, kinds, strict=False):
        end = at + dt.timedelta(minutes=minutes)
        if end > at:
            intervals.append((at, end, RUN if counting else PAUSE))
        at = end
    run = Run(1, start, tuple(intervals), at, kinds[-1])
    return run, at + dt.timedelta(minutes=draw(st.integers(0, 60 * 24 * 5)))


@given(runs(), st.integers(-60, 60 * 24 * 4), st.sampled_from([OFFICE, PARIS, TWENTY_FOUR_SEVEN]))
def test_progress_measures_like_the_plain_functions(
    case: tuple[Run, dt.datetime], minutes: int, base: BusinessTime
) -> None:
    run, until = case
    progress = Progress(base, run)
    point = dt.timedelta(minutes=minutes)
    assert progress.instant(point) == instant(base, run, point)
    assert progress.elapsed(until) == elapsed(base, run, until)
    assert progress.instant(point) == instant(base, run, point)  # asked again, same answer
    # the points where one counting stretch ends and the next begins are the delicate ones
    boundary = dt.timedelta(0)
    for a, b, kind in run.intervals:
        if kind == RUN:
            boundary += base.elapsed(a, b)
            assert progress.instant(boundary) == instant(base, run, boundary)
