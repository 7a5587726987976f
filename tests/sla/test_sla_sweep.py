"""The sweep gives, for every tracker, exactly what the per-ticket functions give.

``sweep(trackers, now, recorded=..., quiet_hours=...)`` must equal, tracker by tracker,
``tracker.report(now)``, and over all trackers ``due_actions`` and ``next_change_at`` of those
reports; a tracker that cannot be measured gets the error its own ``report(now)`` (or its
actions) raises, beside the others' results. Checked with numpy (the vectorised path) and
without it (the pure Python path), on random histories, policies and calendars.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import itsm_core.sla._columns as columns
from itsm_core.calendar import TWENTY_FOUR_SEVEN, BusinessCalendar, BusinessTime
from itsm_core.errors import (
    CalendarCoverageError,
    ItsmError,
    NaiveDatetimeError,
    ValidationError,
)
from itsm_core.sla import (
    FIRST_RESPONSE,
    GROUP_RESOLUTION,
    NEXT_RESPONSE,
    RESOLUTION,
    SERVICENOW_THRESHOLDS,
    ActionKind,
    ClockStatus,
    Duration,
    FieldIn,
    MetricSpec,
    PolicySet,
    SlaPolicy,
    SlaReport,
    SlaSweep,
    SlaTracker,
    SweepResult,
    Threshold,
    due_actions,
    next_change_at,
    sweep,
)
from itsm_core.sla._engine import plan_of
from itsm_core.sla._policy import OnChange
from itsm_core.testing import register_strategies
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

register_strategies()

SH = ZoneInfo("Asia/Shanghai")
T0 = dt.datetime(2025, 3, 3, 8, tzinfo=SH)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")
OFFICE = BusinessCalendar.from_dict(
    {
        "name": "office",
        "timezone": "Asia/Shanghai",
        "weekly": {d: [["09:00", "12:00"], ["13:00", "18:00"]] for d in WEEKDAYS},
        "holidays": [{"start": "2025-03-19", "name": "holiday"}],
        "overrides": {"2025-03-22": {"like": "tuesday", "name": "make-up working day"}},
        "extrapolate": True,
    }
)
COMMANDS: list[tuple[Command, str]] = [
    (Acknowledge(), "agent"),
    (Hold(reason=HoldReason.AWAITING_CUSTOMER), "agent"),
    (Resume(), "agent"),
    (AddComment(text="update"), "agent"),
    (AddComment(text="news?"), "customer"),
    (Classify(priority=1), "agent"),
    (Classify(priority=3), "agent"),
    (Assign(group="desk"), "agent"),
    (Assign(group="network"), "agent"),
    (Resolve(code="fixed", note="done"), "agent"),
    (Reopen(reason="again"), "customer"),
    (ConfirmResolution(), "customer"),  # closes (confirmed closure)
    (Cancel(reason="dup"), "agent"),
]
ESCALATIONS = (
    Threshold(name="soon", before_breach=Duration.parse("30 minutes"), notify=("lead",)),
    Threshold(
        name="late",
        action=ActionKind.ESCALATE,
        after_breach=Duration.parse("1 hours"),
        level=2,
    ),
)


@contextmanager
def without_numpy() -> Iterator[None]:
    """The sweep's pure Python path, as where numpy is not installed."""
    found = columns.numpy_module
    columns.numpy_module = lambda: None
    try:
        yield
    finally:
        columns.numpy_module = found


def policy_set(mode: OnChange, thresholds: tuple[Threshold, ...]) -> PolicySet:
    """Working-day, working-hour and physical targets, thresholds of every kind, a customer
    calendar and a per-group clock, chosen by priority."""
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
                        thresholds=thresholds,
                    ),
                ],
            ),
            SlaPolicy(
                name="std",
                metrics=[
                    MetricSpec(
                        clock=RESOLUTION,
                        targets={"2": "2 working days", "*": "6 working hours"},
                        calendar="office",
                        on_change=mode,
                        thresholds=thresholds,
                    ),
                    MetricSpec(
                        clock=FIRST_RESPONSE,
                        targets={"*": "3 working hours"},
                        calendar="office",
                        customer_calendar=True,
                        on_change=mode,
                        thresholds=SERVICENOW_THRESHOLDS,
                    ),
                    MetricSpec(
                        clock=NEXT_RESPONSE,
                        targets={"*": "1 working days"},
                        calendar="office",
                        thresholds=ESCALATIONS,
                    ),
                    MetricSpec(
                        clock=GROUP_RESOLUTION,
                        calendar="office",
                        targets={"*": "8 working hours"},
                        on_change=mode,
                    ),
                ],
            ),
        ],
        mode="all" if mode is OnChange.RESTART else "first",
    )


def history(number: int, start: dt.datetime, steps: Sequence[tuple[int, int]]) -> list[TicketEvent]:
    """A ticket opened at ``start``, then the commands ``steps`` (index, minutes later)."""
    opening = OpenTicket(
        ticket_id=f"INC{number}",
        kind=TicketKind.INCIDENT,
        requester="eve" if number % 2 else "bob",
        priority=1 + number % 3,
    )
    ctx = CommandContext(actor="b", role="customer", now=start)
    ticket: Ticket | None
    ticket, events = decide(None, opening, ctx)
    out = list(events)
    now = start
    for index, minutes in steps:
        now += dt.timedelta(minutes=minutes)
        command, role = COMMANDS[index]
        try:
            ticket, events = decide(ticket, command, CommandContext(actor="x", role=role, now=now))
        except ItsmError:
            continue
        out.extend(events)
    return out


def reference(
    trackers: Sequence[SlaTracker],
    now: dt.datetime,
    recorded: frozenset[str],
    quiet: BusinessTime | None,
) -> tuple[dict[int, SlaReport], dict[int, ItsmError]]:
    """What the per-ticket functions give: each tracker's report, or the error measuring it
    (or listing its actions) raises."""
    reports: dict[int, SlaReport] = {}
    errors: dict[int, ItsmError] = {}
    for i, tracker in enumerate(trackers):
        try:
            report = tracker.report(now)
            due_actions(report, now, recorded=recorded, quiet_hours=quiet)
            next_change_at(report, now, recorded=recorded, quiet_hours=quiet)
        except ItsmError as exc:
            errors[i] = exc
        else:
            reports[i] = report
    return reports, errors


def assert_same(
    result: SweepResult,
    trackers: Sequence[SlaTracker],
    now: dt.datetime,
    recorded: frozenset[str] = frozenset(),
    quiet: BusinessTime | None = None,
) -> None:
    """The sweep's result is, in every part, what the per-ticket functions give."""
    reports, errors = reference(trackers, now, recorded, quiet)
    assert {e.index: (type(e.error), str(e.error)) for e in result.errors} == {
        i: (type(e), str(e)) for i, e in errors.items()
    }
    for error in result.errors:
        ticket = trackers[error.index].ticket
        assert error.ticket_id == (None if ticket is None else ticket.id)
        with pytest.raises(type(error.error)):
            result.report(error.index)
    for i, report in reports.items():
        assert result.report(i) == report
    good = list(reports.values())
    options: dict[str, Any] = {"recorded": recorded, "quiet_hours": quiet}
    expected = due_actions(good, now, **options)
    assert result.due_actions == expected
    assert repr(result.due_actions) == repr(expected)  # the same zones, not only instants
    change = next_change_at(good, now, **options)
    assert result.next_change_at == change
    assert repr(result.next_change_at) == repr(change)
    assert result.reports() == tuple(good)
    changes = result.next_changes()
    assert [changes[i] for i in reports] == [next_change_at(r, now, **options) for r in good]
    assert all(changes[i] is None for i in errors)
    table = result.clocks()
    assert len(table) == sum(len(r.clocks) for r in good)
    rows = list(
        zip(
            table.ticket_id,
            table.clock,
            table.cycle,
            table.status,
            table.elapsed,
            table.remaining,
            table.due_at,
            strict=True,
        )
    )
    assert rows == [
        (r.ticket_id, c.key, c.cycle, c.status, c.elapsed, c.remaining, c.due_at)
        for r in good
        for c in r.clocks
    ]


# -- the property: sweep == per ticket, on random histories and calendars ------------------


@st.composite
def calendars(draw: st.DrawFn) -> BusinessCalendar:
    """Random calendars of the testing kit, some with holiday data ending within the span
    the histories cover (so that measuring past it raises CalendarCoverageError)."""
    calendar = draw(st.from_type(BusinessCalendar))
    if draw(st.booleans()):
        end = T0.date() + dt.timedelta(days=draw(st.integers(5, 40)))
        data = calendar.to_dict()
        data["coverage"] = {"start": "2020-01-01", "end": end.isoformat()}
        data["extrapolate"] = False
        calendar = BusinessCalendar.from_dict(data)
    return calendar


@st.composite
def desks(
    draw: st.DrawFn,
) -> tuple[list[SlaTracker], dt.datetime, BusinessTime | None, st.DataObject]:
    mode = draw(st.sampled_from(list(OnChange)))
    thresholds = draw(st.sampled_from([(), SERVICENOW_THRESHOLDS, ESCALATIONS]))
    office = draw(st.one_of(st.just(OFFICE), calendars()))
    paris = draw(calendars())
    policies = policy_set(mode, thresholds)
    trackers: list[SlaTracker] = []
    for number in range(draw(st.integers(1, 5))):
        start = T0 + dt.timedelta(minutes=draw(st.integers(0, 60 * 24 * 10)))
        steps = draw(
            st.lists(st.tuples(st.integers(0, len(COMMANDS) - 1), st.integers(0, 900)), max_size=10)
        )
        tracker = SlaTracker(
            policies=policies, calendars={"office": office}, customer_calendars={"eve": paris}
        )
        try:
            trackers.append(tracker.apply_all(history(number, start, steps)))
        except ItsmError:  # the fold itself refused (a calendar without data there)
            continue
    twice = draw(st.booleans())
    if twice and trackers:
        trackers.append(trackers[0])  # the same ticket twice: ties between equal instants
    if draw(st.booleans()):
        trackers.append(SlaTracker(policies=policies))  # no events yet
    now = T0 + dt.timedelta(minutes=draw(st.integers(0, 60 * 24 * 30)))
    quiet = draw(st.sampled_from([None, TWENTY_FOUR_SEVEN, OFFICE, paris]))
    return trackers, now, quiet, draw(st.data())


@given(desks())
def test_the_sweep_is_each_ticket_measured_alone(
    case: tuple[list[SlaTracker], dt.datetime, BusinessTime | None, st.DataObject],
) -> None:
    trackers, now, quiet, data = case
    reports, _ = reference(trackers, now, frozenset(), quiet)
    keys = sorted(
        {a.key for a in due_actions(list(reports.values()), now, quiet_hours=quiet)}
        | {
            f"{r.ticket_id}/{c.key}/{c.cycle}/{t.name}"
            for r in reports.values()
            for c in r.clocks
            for t in c.thresholds
        }
    )
    recorded = frozenset(data.draw(st.lists(st.sampled_from(keys), unique=True)) if keys else [])
    result = sweep(trackers, now, recorded=recorded, quiet_hours=quiet)
    assert_same(result, trackers, now, recorded, quiet)
    with without_numpy():
        result = sweep(trackers, now, recorded=recorded, quiet_hours=quiet)
    assert_same(result, trackers, now, recorded, quiet)


# -- a larger batch, every clock status, with and without numpy -----------------------------


def random_batch(seed: int, count: int) -> list[list[TicketEvent]]:
    rnd = random.Random(seed)
    out = []
    for number in range(count):
        start = T0 + dt.timedelta(minutes=rnd.randrange(60 * 24 * 30))
        steps = [
            (rnd.randrange(len(COMMANDS)), rnd.randrange(900)) for _ in range(rnd.randrange(15))
        ]
        out.append(history(number, start, steps))
    return out


BATCH = random_batch(2026, 200)


@pytest.mark.parametrize("vectorised", [True, False], ids=["numpy", "pure-python"])
@pytest.mark.parametrize("mode", list(OnChange))
def test_a_batch_of_random_tickets_at_several_instants(mode: OnChange, vectorised: bool) -> None:
    policies = policy_set(mode, SERVICENOW_THRESHOLDS)
    customers: dict[str, BusinessTime] = {"eve": OFFICE}
    trackers = [
        SlaTracker(
            policies=policies, calendars={"office": OFFICE}, customer_calendars=customers
        ).apply_all(events)
        for events in BATCH
    ]
    seen: set[ClockStatus] = set()
    for days in (3, 12, 31, 60):
        now = T0 + dt.timedelta(days=days)
        with without_numpy() if not vectorised else _nothing():
            layout = SlaSweep(trackers)
            assert (layout._columns.np is not None) is vectorised
            for quiet in (None, OFFICE):
                result = layout.at(now, quiet_hours=quiet)
                assert_same(result, trackers, now, quiet=quiet)
                recorded = frozenset(a.key for a in result.due_actions[::2])
                again = layout.at(now, recorded=recorded, quiet_hours=quiet)
                assert_same(again, trackers, now, recorded, quiet)
        seen.update(result.clocks().status)
        assert {e.index for e in result.errors} == {
            i for i, t in enumerate(trackers) if t.ticket and t.ticket.updated_at > now
        }
    assert seen >= {ClockStatus.RUNNING, ClockStatus.PAUSED, ClockStatus.BREACHED}


@contextmanager
def _nothing() -> Iterator[None]:
    yield


# -- errors beside results ----------------------------------------------------------------


def covered_until(end: str) -> BusinessCalendar:
    data = OFFICE.to_dict()
    data.update({"coverage": {"start": "2025-01-01", "end": end}, "extrapolate": False})
    return BusinessCalendar.from_dict(data)


@pytest.mark.parametrize("vectorised", [True, False], ids=["numpy", "pure-python"])
def test_a_calendar_whose_data_ends_warns_only_its_own_tickets(vectorised: bool) -> None:
    # Was: its tickets failed with CalendarCoverageError (every December, for a Chinese
    # calendar). Now they are measured on the weekly pattern, and their clocks say so.
    short = covered_until("2025-03-31")
    policies = policy_set(OnChange.CARRY_OVER, SERVICENOW_THRESHOLDS)
    events = [history(n, T0 + dt.timedelta(hours=n), [(7, 30)]) for n in range(6)]
    trackers = [
        SlaTracker(
            policies=policies, calendars={"office": short if n % 3 == 1 else OFFICE}
        ).apply_all(e)
        for n, e in enumerate(events)
    ]
    now = dt.datetime(2025, 4, 2, 10, tzinfo=SH)  # past the short calendar's data
    with without_numpy() if not vectorised else _nothing():
        result = sweep(trackers, now)
    assert result.errors == ()
    reports = result.reports()
    assert [r.ticket_id for r in reports] == [f"INC{n}" for n in range(6)]
    warned = [r.ticket_id for r in reports if r.coverage_warnings]
    assert warned == ["INC1", "INC4"]
    assert (
        reports[1]
        .coverage_warnings[0]
        .startswith(
            "calendar 'office' has holiday data for 2025-01-01 to 2025-03-31 only: times outside it"
        )
    )
    with pytest.raises(CalendarCoverageError):  # the calendar itself still refuses
        short.add(now, dt.timedelta(hours=1))
    assert_same(result, trackers, now)
    # The same figures as a calendar told to extrapolate, apart from the warnings.
    lenient = [
        SlaTracker(
            policies=policies,
            calendars={"office": short.extrapolating() if n % 3 == 1 else OFFICE},
        ).apply_all(e)
        for n, e in enumerate(events)
    ]
    for warned_report, tracker in zip(reports, lenient, strict=True):
        quiet = tracker.report(now)
        assert quiet.coverage_warnings == ()
        assert [attrs.evolve(c, coverage_warning=None) for c in warned_report.clocks] == list(
            quiet.clocks
        )


def test_quiet_hours_whose_data_ends_fail_the_tickets_with_actions_there() -> None:
    policies = policy_set(OnChange.CARRY_OVER, SERVICENOW_THRESHOLDS)
    trackers = [
        SlaTracker(policies=policies, calendars={"office": OFFICE}).apply_all(events)
        for events in BATCH[:40]
    ]
    now = T0 + dt.timedelta(days=20)
    quiet = covered_until("2025-03-25")
    result = sweep(trackers, now, quiet_hours=quiet)
    assert result.errors  # some actions fall after the quiet hours' data
    assert len(result.errors) < len(trackers)
    assert_same(result, trackers, now, quiet=quiet)


def test_trackers_without_events_or_measured_before_their_last_event() -> None:
    policies = policy_set(OnChange.CARRY_OVER, ())
    fresh = SlaTracker(policies=policies, calendars={"office": OFFICE})
    folded = fresh.apply_all(history(1, T0, [(0, 60), (1, 60)]))
    result = sweep([fresh, folded], T0 + dt.timedelta(minutes=90))
    assert [(e.index, e.ticket_id) for e in result.errors] == [(0, None), (1, "INC1")]
    assert all(isinstance(e.error, ValidationError) for e in result.errors)
    assert result.ticket_ids == (None, "INC1")
    assert result.due_actions == ()
    assert result.next_change_at is None
    assert result.next_changes() == (None, None)
    assert len(result.clocks()) == 0


def test_an_empty_sweep() -> None:
    result = sweep([], T0)
    assert (result.ticket_ids, result.errors, result.due_actions) == ((), (), ())
    assert result.next_change_at is None
    assert result.reports() == ()
    assert len(SlaSweep([])) == 0


def test_bad_arguments_are_refused() -> None:
    policies = policy_set(OnChange.CARRY_OVER, ())
    tracker = SlaTracker(policies=policies, calendars={"office": OFFICE}).apply_all(
        history(1, T0, [])
    )
    with pytest.raises(ValidationError, match=r"trackers\[1\]"):
        SlaSweep([tracker, "INC2"])  # type: ignore[list-item]
    with pytest.raises(NaiveDatetimeError):
        sweep([tracker], dt.datetime(2025, 3, 4))
    result = sweep([tracker], T0 + dt.timedelta(hours=1))
    for index in (1, -1, "0"):
        with pytest.raises(ValidationError, match="index"):
            result.report(index)  # type: ignore[arg-type]


# -- what the sweep keeps and reuses --------------------------------------------------------


def test_a_tracker_is_planned_once_and_an_event_replans_only_the_clocks_it_changes() -> None:
    policies = policy_set(OnChange.CARRY_OVER, SERVICENOW_THRESHOLDS)
    tracker = SlaTracker(policies=policies, calendars={"office": OFFICE}).apply_all(
        history(2, T0, [(7, 10)])  # opened, assigned to the desk: three clocks under way
    )
    plan = plan_of(tracker)
    assert plan is not None
    assert plan_of(tracker) is plan
    assert len(plan.live) == 3
    note = AddComment(text="note", internal=True)
    later = T0 + dt.timedelta(hours=1)
    event = decide(tracker.ticket, note, CommandContext(actor="x", role="agent", now=later))
    moved = tracker.apply_all(event.events)
    replanned = plan_of(moved)
    assert replanned is not None
    assert replanned is not plan  # a new tracker value...
    assert all(a is b for a, b in zip(replanned.live, plan.live, strict=True))  # same clocks
    assert sweep([moved], later).report(0) == moved.report(later)


def test_one_layout_measured_at_several_instants() -> None:
    policies = policy_set(OnChange.CARRY_OVER, SERVICENOW_THRESHOLDS)
    trackers = [
        SlaTracker(policies=policies, calendars={"office": OFFICE}).apply_all(e) for e in BATCH[:50]
    ]
    layout = SlaSweep(trackers)
    assert layout.trackers == tuple(trackers)
    for hours in (0, 5, 50, 500):
        now = T0 + dt.timedelta(days=40, hours=hours)
        assert layout.at(now).reports() == sweep(trackers, now).reports()


class Hours:
    """A business time of the caller's own (not one of this package's calendars): every
    hour counts but the first five minutes of it."""

    def elapsed(self, start: dt.datetime, end: dt.datetime, /) -> dt.timedelta:
        return OFFICE.elapsed(start, end) + TWENTY_FOUR_SEVEN.elapsed(start, end) // 2

    def add(self, start: dt.datetime, duration: dt.timedelta, /) -> dt.datetime:
        low, high = start, start + duration * 3
        while high - low > dt.timedelta(microseconds=1):
            middle = low + (high - low) / 2
            if self.elapsed(start, middle) >= duration:
                high = middle
            else:
                low = middle
        return high if self.elapsed(start, low) < duration else low

    def next_working(self, when: dt.datetime, /) -> dt.datetime:
        return when

    def add_working_days(self, start: dt.datetime, days: int) -> dt.datetime:
        return start + dt.timedelta(days=days)


def test_a_business_time_of_ones_own_is_measured_one_call_at_a_time() -> None:
    policies = PolicySet(
        policies=[
            SlaPolicy(
                name="own",
                metrics=[
                    MetricSpec(
                        clock=RESOLUTION,
                        targets={"*": "3 working hours"},
                        calendar="own",
                        thresholds=SERVICENOW_THRESHOLDS,
                    )
                ],
            )
        ]
    )
    own: BusinessTime = Hours()
    trackers = [
        SlaTracker(policies=policies, calendars={"own": own}).apply_all(e) for e in BATCH[:30]
    ]
    for days in (12, 40):
        now = T0 + dt.timedelta(days=days)
        assert_same(sweep(trackers, now), trackers, now)


def test_results_are_frozen_values_with_short_reprs() -> None:
    result = sweep([], T0)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        result.at = T0  # type: ignore[misc]
    policies = policy_set(OnChange.CARRY_OVER, SERVICENOW_THRESHOLDS)
    trackers = [
        SlaTracker(policies=policies, calendars={"office": OFFICE}).apply_all(e) for e in BATCH[:20]
    ]
    layout = SlaSweep(trackers)
    assert repr(layout) == "SlaSweep(<20 trackers>)"
    now = T0 + dt.timedelta(days=40)
    result = layout.at(now)
    assert repr(result) == (
        f"SweepResult(at={now!r}, trackers=20, errors=0, "
        f"due_actions={len(result.due_actions)}, next_change_at={result.next_change_at!r})"
    )
