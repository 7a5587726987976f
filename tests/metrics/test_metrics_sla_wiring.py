"""SLA compliance fed by the SLA engine: real histories evaluated with ``itsm_core.sla.evaluate``
and turned into outcomes with ``sla_outcomes``. Every expected status is worked out by hand
from the scripted times (comments give the arithmetic)."""

from __future__ import annotations

import datetime as dt

import pytest

from itsm_core.errors import NaiveDatetimeError
from itsm_core.metrics import (
    Dimension,
    Granularity,
    KpiAccumulator,
    PeriodGrid,
    ReportSpec,
    SlaStatus,
    sla_outcomes,
    sla_status,
)
from itsm_core.metrics._results import Compliance
from itsm_core.sla import (
    FIRST_RESPONSE,
    GROUP_RESOLUTION,
    RESOLUTION,
    ClockKind,
    ClockState,
    ClockStatus,
    MetricSpec,
    PolicySet,
    SlaPolicy,
    evaluate,
    evaluate_many,
)
from itsm_core.tickets import (
    Acknowledge,
    Assign,
    Command,
    CommandContext,
    OpenTicket,
    Resolve,
    Ticket,
    TicketEvent,
    TicketKind,
    decide,
)

T0 = dt.datetime(2026, 3, 2, 8, tzinfo=dt.UTC)  # a Monday
H = dt.timedelta(hours=1)
M = dt.timedelta(minutes=1)
NOW = T0 + 10 * H
WEEK = PeriodGrid(Granularity.DAY, "UTC", dt.date(2026, 3, 2), dt.date(2026, 3, 8))
POLICIES = PolicySet(
    policies=[
        SlaPolicy(
            name="std",
            metrics=(
                MetricSpec(clock=FIRST_RESPONSE, targets={"*": "2 hours"}),
                MetricSpec(clock=RESOLUTION, targets={"1": "4 hours", "2": "8 hours"}),
                MetricSpec(clock=GROUP_RESOLUTION, targets={"*": "4 hours"}),
            ),
        )
    ]
)


def history(
    ticket_id: str, opened: dt.datetime, priority: int, *steps: tuple[dt.timedelta, Command]
) -> list[TicketEvent]:
    """The events of ``steps`` (offset from the opening, command), decided in order."""
    ticket: Ticket | None = None
    events: list[TicketEvent] = []
    opening = OpenTicket(
        ticket_id=ticket_id, kind=TicketKind.INCIDENT, requester="cy", priority=priority
    )
    for offset, command in ((dt.timedelta(0), opening), *steps):
        ctx = CommandContext(actor="ana", role="agent", now=opened + offset)
        ticket, new = decide(ticket, command, ctx)
        events.extend(new)
    return events


def resolve() -> Resolve:
    return Resolve(code="fixed", note="done")


HISTORIES = {
    # acknowledged at 0:30 (<= 2 h: met), resolved at 3:00 (<= 4 h for P1: met)
    "A": history("A", T0, 1, (30 * M, Acknowledge()), (3 * H, resolve())),
    # acknowledged at 3:00 (> 2 h: met late), resolved at 5:00 (> 4 h: met late)
    "B": history("B", T0, 1, (3 * H, Acknowledge()), (5 * H, resolve())),
    # nothing done by 10:00: both clocks still run past 2 h and 8 h (open breached)
    "C": history("C", T0, 2),
    # opened at 9:00: 1 h elapsed at 10:00, within 2 h and 8 h (open within)
    "D": history("D", T0 + 9 * H, 2),
    # opened at 4:00, assigned to "net" at 4:10, acknowledged at 5:00, resolved at 9:00:
    # first response 1 h (met), resolution 5 h <= 8 h (met), the group's clock 4:50 > 4 h
    "E": history(
        "E",
        T0 + 4 * H,
        2,
        (10 * M, Assign(group="net")),
        (H, Acknowledge()),
        (5 * H, resolve()),
    ),
}
EXPECTED = {  # ticket -> metric -> outcome, from the comments above
    "A": {"first_response": SlaStatus.MET, "resolution": SlaStatus.MET},
    "B": {"first_response": SlaStatus.BREACHED, "resolution": SlaStatus.BREACHED},
    "C": {"first_response": SlaStatus.OPEN_BREACHED, "resolution": SlaStatus.OPEN_BREACHED},
    "D": {"first_response": SlaStatus.OPEN_WITHIN, "resolution": SlaStatus.OPEN_WITHIN},
    "E": {
        "first_response": SlaStatus.MET,
        "resolution": SlaStatus.MET,
        "group_resolution": SlaStatus.BREACHED,
    },
}


def accumulate(spec: ReportSpec) -> KpiAccumulator:
    acc = KpiAccumulator(spec)
    for events in HISTORIES.values():
        acc.add_all(events)
        report = evaluate(POLICIES, events, NOW)
        dims = {Dimension.PRIORITY.value: str(events[0].payload["priority"])}
        for outcome in sla_outcomes(report, at=events[0].at, dimensions=dims):
            acc.add_sla(outcome)
    return acc


def compliance(sla: tuple[Compliance, ...], metric: str, group: tuple[str, ...] = ()) -> Compliance:
    return next(c for c in sla if (c.period.label, c.metric, c.group) == ("all", metric, group))


def test_outcomes_of_evaluated_histories_match_the_hand_worked_statuses() -> None:
    for ticket_id, events in HISTORIES.items():
        report = evaluate(POLICIES, events, NOW)
        outcomes = sla_outcomes(report, at=events[0].at)
        assert {o.metric: o.status for o in outcomes} == EXPECTED[ticket_id], ticket_id
        assert all(o.ticket_id == ticket_id and o.at == events[0].at for o in outcomes)


def test_the_accumulator_counts_compliance_with_open_breaches_in_the_denominator() -> None:
    report = accumulate(ReportSpec(periods=WEEK)).report(NOW)
    for metric in ("first_response", "resolution"):
        result = compliance(report.sla, metric)
        # A, E met; B met late; C still running past target; D undecided
        assert (result.met, result.breached, result.open_breached) == (2, 1, 1)
        assert result.open_within == 1
        assert result.denominator == 4
        assert result.rate is not None
        assert result.rate.percent == 50.0  # 2 / 4
    group = compliance(report.sla, "group_resolution")
    assert (group.met, group.breached, group.denominator) == (0, 1, 1)
    assert report.diagnostics.tickets == 5


def test_dimensions_group_the_outcomes() -> None:
    spec = ReportSpec(periods=WEEK, group_by=(Dimension.PRIORITY,))
    report = accumulate(spec).report(NOW)
    p1 = compliance(report.sla, "resolution", ("1",))  # A met, B met late
    assert (p1.met, p1.breached, p1.open_breached, p1.open_within) == (1, 1, 0, 0)
    p2 = compliance(report.sla, "resolution", ("2",))  # E met, C open breached, D open within
    assert (p2.met, p2.breached, p2.open_breached, p2.open_within) == (1, 0, 1, 1)


def test_a_per_group_clock_carries_its_assignment_group() -> None:
    events = HISTORIES["E"]
    (outcome,) = (
        o
        for o in sla_outcomes(evaluate(POLICIES, events, NOW), at=events[0].at)
        if o.metric == "group_resolution"
    )
    assert outcome.dimensions == {"assignment_group": "net"}
    spec = ReportSpec(periods=WEEK, group_by=(Dimension.GROUP,))
    report = accumulate(spec).report(NOW)
    assert compliance(report.sla, "group_resolution", ("net",)).breached == 1


def test_evaluate_many_feeds_the_same_outcomes() -> None:
    histories = list(HISTORIES.values())
    reports = evaluate_many(POLICIES, histories, NOW)
    many = [
        o for r, ev in zip(reports, histories, strict=True) for o in sla_outcomes(r, at=ev[0].at)
    ]
    one = [o for ev in histories for o in sla_outcomes(evaluate(POLICIES, ev, NOW), at=ev[0].at)]
    assert many == one
    assert len(many) == 11  # two clocks per ticket, and the group clock of E


def clock(status: ClockStatus, remaining: dt.timedelta | None = None) -> ClockState:
    return ClockState(
        name="resolution",
        group=None,
        kind=ClockKind.SLA,
        policy="std",
        cycle=1,
        status=status,
        measured_at=NOW,
        remaining=remaining,
    )


@pytest.mark.parametrize(
    ("status", "remaining", "expected"),
    [
        (ClockStatus.MET, None, SlaStatus.MET),
        (ClockStatus.MET_LATE, -H, SlaStatus.BREACHED),
        (ClockStatus.BREACHED, -H, SlaStatus.OPEN_BREACHED),
        (ClockStatus.RUNNING, H, SlaStatus.OPEN_WITHIN),
        (ClockStatus.RUNNING, dt.timedelta(0), SlaStatus.OPEN_BREACHED),
        (ClockStatus.PAUSED, -M, SlaStatus.OPEN_BREACHED),
        (ClockStatus.PAUSED, M, SlaStatus.OPEN_WITHIN),
        (ClockStatus.RUNNING, None, SlaStatus.OPEN_WITHIN),  # no target: never breaches
        (ClockStatus.NOT_STARTED, None, SlaStatus.OPEN_WITHIN),
        (ClockStatus.CANCELLED, None, None),
    ],
)
def test_the_documented_mapping(
    status: ClockStatus, remaining: dt.timedelta | None, expected: SlaStatus | None
) -> None:
    assert sla_status(clock(status, remaining)) == expected


def test_cancelled_cycles_give_no_outcome_and_history_adds_earlier_cycles() -> None:
    from itsm_core.sla import SlaReport

    report = SlaReport(
        ticket_id="T",
        at=NOW,
        clocks=(clock(ClockStatus.CANCELLED),),
        history=(clock(ClockStatus.MET_LATE, -H),),
        policies=("std",),
        selection=(),
    )
    assert sla_outcomes(report, at=T0) == ()
    (earlier,) = sla_outcomes(report, at=T0, history=True)
    assert earlier.status is SlaStatus.BREACHED


def test_the_period_instant_must_be_aware() -> None:
    events = HISTORIES["A"]
    with pytest.raises(NaiveDatetimeError):
        sla_outcomes(evaluate(POLICIES, events, NOW), at=dt.datetime(2026, 3, 2))
