"""A scripted week of tickets built with ``decide``; every expected figure is worked out by
hand from the script's times (comments give the arithmetic)."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from itsm_core.errors import InvalidKpiDefinition, NaiveDatetimeError, ValidationError
from itsm_core.metrics import (
    BUSINESS_KPIS,
    STANDARD_KPIS,
    Dimension,
    Granularity,
    KpiAccumulator,
    KpiReport,
    PeriodGrid,
    ReportSpec,
    SlaOutcome,
    SlaStatus,
    SurveyAnswer,
)
from itsm_core.tickets import (
    Acknowledge,
    Assign,
    Cancel,
    Channel,
    Command,
    CommandContext,
    ConfirmResolution,
    Escalate,
    EscalationKind,
    OpenTicket,
    Reopen,
    Resolve,
    Ticket,
    TicketEvent,
    TicketKind,
    Transfer,
)

T0 = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)  # a Monday
H = dt.timedelta(hours=1)
M = dt.timedelta(minutes=1)
WEEK = PeriodGrid(Granularity.DAY, "UTC", dt.date(2026, 3, 2), dt.date(2026, 3, 8))


class Script:
    """Applies commands to one ticket with decide, collecting its events."""

    def __init__(self, opening: OpenTicket, at: dt.datetime) -> None:
        self.opened = at
        self.ticket: Ticket | None = None
        self.events: list[TicketEvent] = []
        self.do(opening, dt.timedelta(0))

    def do(self, command: Command, after: dt.timedelta, role: str = "agent") -> Script:
        from itsm_core.tickets import decide

        ctx = CommandContext(
            actor="ana" if role != "customer" else "cy", role=role, now=self.opened + after
        )
        self.ticket, events = decide(self.ticket, command, ctx)
        self.events.extend(events)
        return self


def incident(
    ticket_id: str, at: dt.datetime, category: str | None = None, priority: int | None = None
) -> Script:
    opening = OpenTicket(
        ticket_id=ticket_id,
        kind=TicketKind.INCIDENT,
        requester="cy",
        channel=Channel.PHONE,
        category=category,
        priority=priority,
    )
    return Script(opening, at)


def resolve() -> Resolve:
    return Resolve(code="fixed", note="done")


def week_events() -> list[TicketEvent]:
    a = (
        incident("A", T0, category="network", priority=2)
        .do(Acknowledge(), 30 * M)
        .do(Assign(group="L1"), 31 * M)
        .do(resolve(), 2 * H)
        .do(ConfirmResolution(), 24 * H, "customer")
    )
    b = incident("B", T0 + H).do(resolve(), 10 * M).do(ConfirmResolution(), 20 * M, "customer")
    c = (
        incident("C", T0 + 2 * H)
        .do(Acknowledge(), H)
        .do(Assign(group="G1"), H + M)
        .do(Transfer(group="G2", reason="wrong team"), 2 * H)
        .do(Escalate(kind=EscalationKind.FUNCTIONAL, reason="L2 needed"), 3 * H)
        .do(resolve(), 5 * H)
        .do(Reopen(reason="still broken"), 6 * H)
        .do(resolve(), 8 * H)
    )
    d = incident("D", T0 + 3 * H).do(Cancel(reason="duplicate"), H)
    e = (
        incident("E", T0 + 4 * H)
        .do(Acknowledge(), 15 * M)
        .do(Escalate(kind=EscalationKind.HIERARCHICAL, reason="VIP"), 30 * M)
    )
    f = Script(OpenTicket(ticket_id="F", kind=TicketKind.COMPLAINT, requester="cy"), T0 + 24 * H)
    streams = [s.events for s in (a, b, c, d, e, f)]
    # Interleave the tickets by time, as a live system would write them.
    return sorted((ev for stream in streams for ev in stream), key=lambda ev: ev.at)


@pytest.fixture(scope="module")
def report() -> KpiReport:
    return KpiAccumulator(ReportSpec(periods=WEEK)).add_all(week_events()).report()


def test_counts_and_breakdowns(report: KpiReport) -> None:
    totals = {c.period.label: c.tickets for c in report.tickets}
    assert totals == {"2026-03-02": 5, "2026-03-03": 1, "all": 6}
    kinds = {
        (b.value, b.tickets)
        for b in report.breakdowns
        if b.period.label == "all" and b.dimension == "kind"
    }
    assert kinds == {("incident", 5), ("complaint", 1)}
    channels = {
        (b.value, b.tickets)
        for b in report.breakdowns
        if b.period.label == "all" and b.dimension == "channel"
    }
    assert channels == {("phone", 5), ("(none)", 1)}


def test_time_to_acknowledge(report: KpiReport) -> None:
    result = report.duration("time_to_acknowledge")
    # A 30 min, C 60 min, E 15 min; B closed and D cancelled without it; F still open.
    assert (result.n, result.excluded, result.censored) == (3, 2, 1)
    assert result.mean == 35 * M  # (30 + 60 + 15) / 3
    assert result.median == 30 * M  # the middle of 3
    assert result.p90 == 54 * M  # linear: position 0.9 * 2 = 1.8, 30 + 0.8 * (60 - 30)
    assert result.exact_quantiles


def test_time_to_first_response(report: KpiReport) -> None:
    result = report.duration("time_to_first_response")
    # A ack 30, B resolve 10, C ack 60, E ack 15; D's cancel is not a response.
    assert (result.n, result.excluded, result.censored) == (4, 1, 1)
    assert result.mean == dt.timedelta(minutes=28.75)
    # Linear: the median of 4 averages 15 and 30; p90 at position 2.7 is 30 + 0.7 * 30.
    assert (result.median, result.p90) == (22.5 * M, 51 * M)


def test_time_to_resolve_uses_the_final_resolution(report: KpiReport) -> None:
    result = report.duration("time_to_resolve")
    # A 2 h, B 10 min, C 8 h (reopened after 5 h); D excluded; E and F censored.
    assert (result.n, result.excluded, result.censored) == (3, 1, 2)
    assert result.mean == (2 * H + 10 * M + 8 * H) / 3
    # Linear: p90 at position 1.8 is 2 h + 0.8 * (8 h - 2 h).
    assert (result.median, result.p90) == (2 * H, 6.8 * H)


def test_time_to_close(report: KpiReport) -> None:
    result = report.duration("time_to_close")
    # A 24 h, B 20 min; C resolved, not closed: censored with E and F; D excluded.
    assert (result.n, result.excluded, result.censored) == (2, 1, 3)
    assert result.mean == (24 * H + 20 * M) / 2


@pytest.mark.parametrize(
    ("kpi", "successes", "n", "censored"),
    [
        ("first_contact_resolution", 1, 3, 2),  # B only; of A, B, C; E, F undecided
        ("resolution_rate", 3, 6, 2),  # A, B, C of all six, E and F counted as open
        ("reopen_rate", 1, 3, 2),  # C reopened 1 h after resolving
        ("reassignment_rate", 1, 4, 2),  # C (G1 -> G2); E, F open
        ("escalation_rate", 1, 4, 2),  # C; E's escalation is on an open ticket
        ("functional_escalation_rate", 1, 4, 2),
        ("hierarchical_escalation_rate", 0, 4, 2),
        ("complaint_rate", 1, 6, 0),  # F; a kind is known at once, never censored
    ],
)
def test_rates(report: KpiReport, kpi: str, successes: int, n: int, censored: int) -> None:
    result = report.rate(kpi)
    assert (result.successes, result.n, result.censored) == (successes, n, censored)
    assert result.estimate is not None
    assert result.estimate.interval.method.value == "wilson"
    assert result.estimate.interval.contains(successes / n)


def test_backlog_and_flow_identity(report: KpiReport) -> None:
    opened = [b.open for b in report.backlog]
    # Midnight after Monday: only E is open; from Tuesday E and F.
    assert opened == [0, 1, 2, 2, 2, 2, 2, 2]
    assert report.backlog[1].ages == (1, 0, 0, 0, 0)  # E, 11 h old
    assert report.backlog[-1].ages == (0, 0, 2, 0, 0)  # E and F, 6-7 days old
    monday = report.flows[0]
    # opened A-E, C reopened; A, B, C, C resolved; D cancelled.
    assert (monday.opened, monday.reopened, monday.closed, monday.cancelled) == (5, 1, 4, 1)
    assert all(flow.identity_holds for flow in report.flows)
    assert report.diagnostics.in_flight == 3  # C (resolved, not closed), E, F


def test_report_as_of_an_earlier_instant_counts_resolved_c_as_undecided() -> None:
    events = [e for e in week_events() if e.at <= T0 + 8 * H]
    acc = KpiAccumulator(ReportSpec(periods=WEEK)).add_all(events)
    early = acc.report(as_of=T0 + 8 * H)
    # C resolved at 16:00 and not reopened yet at 17:00: reopen window still open.
    assert early.rate("reopen_rate").censored >= 1
    assert len(early.backlog) == 1  # only the first boundary is before as_of
    assert early.flows[0].backlog_end is None
    assert early.flows[0].identity_holds is None


def test_groups_split_every_kpi() -> None:
    spec = ReportSpec(periods=WEEK, group_by=(Dimension.GROUP,))
    report = KpiAccumulator(spec).add_all(week_events()).report()
    groups = {c.group: c.tickets for c in report.tickets if c.period.label == "all"}
    assert groups == {("(none)",): 4, ("L1",): 1, ("G2",): 1, (): 6}  # () is all groups
    assert report.duration("time_to_resolve", group=("G2",)).mean == 8 * H


class DayShift:
    """Business time: 09:00-17:00 UTC every day (an independent, brute-force oracle)."""

    def elapsed(self, start: dt.datetime, end: dt.datetime, /) -> dt.timedelta:
        total = dt.timedelta(0)
        day = start.replace(hour=0, minute=0, second=0, microsecond=0)
        while day < end:
            lo, hi = max(start, day + 9 * H), min(end, day + 17 * H)
            total += max(hi - lo, dt.timedelta(0))
            day += 24 * H
        return total

    # The rest of the BusinessTime protocol; a KPI report only measures elapsed time.
    def add(self, start: dt.datetime, duration: dt.timedelta, /) -> dt.datetime:
        raise NotImplementedError

    def next_working(self, when: dt.datetime, /) -> dt.datetime:
        raise NotImplementedError


def test_business_time_uses_the_calendar() -> None:
    spec = ReportSpec(periods=WEEK, kpis=STANDARD_KPIS + BUSINESS_KPIS)
    report = KpiAccumulator(spec, calendar=DayShift()).add_all(week_events()).report()
    business = report.duration("business_time_to_resolve")
    # A 09:00-11:00 = 2 h, B 10 min, C 11:00-19:00 counts 11:00-17:00 = 6 h.
    assert business.mean == (2 * H + 10 * M + 6 * H) / 3
    assert report.duration("time_to_resolve").mean == (2 * H + 10 * M + 8 * H) / 3


def test_business_kpi_without_a_calendar_is_refused() -> None:
    with pytest.raises(InvalidKpiDefinition, match="calendar"):
        KpiAccumulator(ReportSpec(periods=WEEK, kpis=BUSINESS_KPIS))


def test_sla_outcomes_count_open_breaches() -> None:
    acc = KpiAccumulator(ReportSpec(periods=WEEK))
    statuses = [SlaStatus.MET] * 6 + [SlaStatus.BREACHED, SlaStatus.OPEN_BREACHED]
    statuses += [SlaStatus.OPEN_WITHIN]
    for i, status in enumerate(statuses):
        acc.add_sla(SlaOutcome(ticket_id=f"T{i}", metric="resolution", status=status, at=T0))
    acc.add_sla(
        SlaOutcome(ticket_id="X", metric="resolution", status=SlaStatus.MET, at=T0 - 30 * 24 * H)
    )  # outside the grid: ignored
    compliance = next(c for c in acc.report().sla if c.period.label == "all")
    assert (compliance.met, compliance.breached, compliance.open_breached) == (6, 1, 1)
    assert compliance.open_within == 1
    assert compliance.denominator == 8
    assert compliance.rate is not None
    assert compliance.rate.percent == 75.0  # 6 / 8: the open breach counts


def test_survey_answers_give_csat_and_nps() -> None:
    acc = KpiAccumulator(ReportSpec(periods=WEEK))
    for i, (csat, score) in enumerate([(5, 10), (4, 9), (3, 7), (2, 3), (5, None)]):
        acc.add_survey(SurveyAnswer(ticket_id=f"T{i}", at=T0, csat=csat, nps=score))
    result = next(s for s in acc.report().satisfaction if s.period.label == "all")
    assert result.csat_counts == (0, 1, 1, 1, 2)
    assert result.csat is not None
    assert (result.csat.successes, result.csat.n) == (3, 5)  # 4, 5, 5 are top-2-box
    assert result.nps is not None
    assert result.nps.score == 25.0  # (2 promoters - 1 detractor) / 4


def test_orphans_reordered_events_and_double_opens() -> None:
    events = week_events()
    late = [e for e in events if e.ticket_id == "A"]
    acc = KpiAccumulator(ReportSpec(periods=WEEK))
    acc.add(late[1])  # an event of a ticket never opened in the stream
    acc.add(late[0])
    acc.add(attrs.evolve(late[1], at=late[0].at - H))  # recorded before the open event
    report = acc.report()
    assert report.diagnostics.orphan_events == 1
    assert report.diagnostics.reordered_events == 1
    assert report.duration("time_to_acknowledge").mean == dt.timedelta(0)
    with pytest.raises(ValidationError, match="opened twice"):
        acc.add(late[0])


def test_as_of_must_be_aware_and_not_before_the_data() -> None:
    acc = KpiAccumulator(ReportSpec(periods=WEEK)).add_all(week_events())
    with pytest.raises(NaiveDatetimeError):
        acc.report(as_of=dt.datetime(2026, 3, 9))
    with pytest.raises(ValidationError, match="before the latest event"):
        acc.report(as_of=T0)


def test_report_lookup_of_a_missing_figure_is_an_error(report: KpiReport) -> None:
    with pytest.raises(ValidationError, match="no rate result"):
        report.rate("nope")
    with pytest.raises(ValidationError, match="no duration result"):
        report.duration("time_to_resolve", period="1999-01-01")


def test_measurements_carry_what_improvement_needs(report: KpiReport) -> None:
    from itsm_core.improvement import measurement_from_kpi

    built = [measurement_from_kpi(r) for r in report.durations if r.mean is not None]
    built += [measurement_from_kpi(r) for r in report.rates if r.n]
    by_name = {(m.kpi, m.period_start): m for m in built}
    ttr = by_name[("time_to_resolve", WEEK.start)]
    assert ttr.n == 3
    assert ttr.value == pytest.approx((2 + 10 / 60 + 8) / 3)
    fcr = by_name[("first_contact_resolution", WEEK.start)]
    assert (fcr.successes, fcr.n) == (1, 3)


def test_durations_are_physical_time_across_daylight_saving() -> None:
    import zoneinfo

    lisbon = zoneinfo.ZoneInfo("Europe/Lisbon")
    opened = dt.datetime(2026, 3, 29, 0, 30, tzinfo=lisbon)  # UTC+0
    script = incident("DST", opened).do(resolve(), dt.timedelta(0))
    events = script.events
    # Resolved at 02:30 local on the same night: clocks jumped 01:00 -> 02:00, so 1 h passed.
    resolved = attrs.evolve(events[1], at=dt.datetime(2026, 3, 29, 2, 30, tzinfo=lisbon))
    grid = PeriodGrid(Granularity.DAY, "Europe/Lisbon", dt.date(2026, 3, 29), dt.date(2026, 3, 29))
    report = KpiAccumulator(ReportSpec(periods=grid)).add_all([events[0], resolved]).report()
    assert report.duration("time_to_resolve").mean == H
    assert [b.open for b in report.backlog] == [0, 0]


def test_business_time_with_a_real_business_calendar_matches_the_oracle() -> None:
    from itsm_core.calendar import BusinessCalendar

    every_day = {
        day: [["09:00", "17:00"]]
        for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    }
    calendar = BusinessCalendar.from_dict(
        {"name": "day shift", "timezone": "UTC", "weekly": every_day}
    )
    spec = ReportSpec(periods=WEEK, kpis=STANDARD_KPIS + BUSINESS_KPIS)
    real = KpiAccumulator(spec, calendar=calendar).add_all(week_events()).report()
    oracle = KpiAccumulator(spec, calendar=DayShift()).add_all(week_events()).report()
    for name in ("business_time_to_resolve", "business_time_to_first_response"):
        assert real.duration(name) == oracle.duration(name)
