"""Monday morning on the hotline: the 09:00 peak, its abandoned calls and their callbacks, the
KPIs beside the Erlang plan, and the supervisor's inspection of a sample of the calls.

The call log is written out below (call-detail figures: offered at, wait, agent, talk,
wrap-up); nothing is random. Calls become events (``itsm_core.calls``), go into an event store
and the call read model of the desk (``itsm_core.desk.CallLog``); the sample for inspection is
drawn with a fixed seed, recorded with the round.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from _week_desk import GROUPS, OFFICE, SUPERVISOR, at, heading, table

from itsm_core.calls import (
    Call,
    CallEvent,
    IntervalKpis,
    call_events,
    plan_vs_actual,
    schedule_callbacks,
)
from itsm_core.desk import CallLog, CallProjection, InMemoryProjectionStore, catch_up
from itsm_core.inspection import (
    HOTLINE_SHEET,
    Inspection,
    InspectionSampling,
    SubjectKind,
    call_candidates,
    improvement_source,
    inspect,
    quality_by_agent,
    sample,
)
from itsm_core.repositories import InMemoryEventStore
from itsm_core.routing import IntervalForecast, ServiceTarget, StaffingPlan, staffing_plan

AGENTS = GROUPS["service-desk"]
S = dt.timedelta(seconds=1)
HALF_HOUR = dt.timedelta(minutes=30)
#: Monday's calls 09:00-10:00: (offered "HH:MM:SS", wait s, agent index or None for an abandon,
#: talk s, wrap-up s, settled on the call)
LOG = (
    ("09:00:20", 8, 0, 240, 40, True),
    ("09:01:05", 15, 1, 300, 60, True),
    ("09:02:40", 12, 2, 180, 30, False),
    ("09:03:10", 95, None, 0, 0, False),
    ("09:04:30", 70, 0, 200, 45, True),
    ("09:05:00", 3, None, 0, 0, False),
    ("09:06:45", 130, None, 0, 0, False),
    ("09:08:15", 60, 1, 420, 60, False),
    ("09:09:50", 40, 2, 260, 30, True),
    ("09:12:30", 110, None, 0, 0, False),
    ("09:14:00", 25, 0, 150, 30, True),
    ("09:18:20", 18, 2, 330, 45, True),
    ("09:22:45", 9, 1, 200, 30, True),
    ("09:27:10", 14, 0, 240, 40, True),
    ("09:36:00", 5, 2, 180, 30, True),
    ("09:44:30", 7, 1, 210, 20, True),
    ("09:52:15", 4, 0, 160, 30, False),
)


def _clock(text: str) -> dt.datetime:
    hours, minutes, seconds = (int(part) for part in text.split(":"))
    return at(0, f"{hours:02d}:{minutes:02d}") + seconds * S


def record_morning() -> InMemoryEventStore[CallEvent]:
    """Monday's 09:00-10:00 calls, as events in an event store."""
    store: InMemoryEventStore[CallEvent] = InMemoryEventStore()
    for number, (offered, wait, agent, talk, wrap, settled) in enumerate(LOG, start=1):
        call_id = f"CALL-{number:03d}"
        events = call_events(
            call_id,
            _clock(offered),
            caller=f"1380000{number:04d}",
            queue="hotline",
            wait=wait * S,
            answered_by=None if agent is None else AGENTS[agent],
            talk=talk * S,
            wrap_up=wrap * S,
            resolved=settled,
        )
        store.append(call_id, events, 0)
    return store


@dataclasses.dataclass(frozen=True)
class Morning:
    """What Monday morning left: the calls, their KPIs per half hour beside the Erlang plan,
    and the supervisor's inspections of a sample of them."""

    calls: tuple[Call, ...]
    kpis: tuple[IntervalKpis, ...]
    plan: StaffingPlan
    inspections: tuple[Inspection, ...]


def morning() -> Morning:
    """Record the morning's calls, measure them, plan the staffing and inspect a sample."""
    nine = at(0, "09:00")
    rows = InMemoryProjectionStore()
    catch_up(record_morning(), CallProjection(), rows)
    log = CallLog(rows)
    kpis = log.kpis(
        nine, nine + 2 * HALF_HOUR, interval=HALF_HOUR, staffed={nine: 3, nine + HALF_HOUR: 3}
    )
    plan = staffing_plan(
        [IntervalForecast(nine, 10, 280 * S), IntervalForecast(nine + HALF_HOUR, 4, 280 * S)],
        interval=HALF_HOUR,
        target=ServiceTarget(service_level=0.8, answer_within=20 * S),
    )
    calls = tuple(log.offered(nine, nine + 2 * HALF_HOUR))
    rule = InspectionSampling(name="monday", kind=SubjectKind.CALL, per_agent=1)
    picked = sample(call_candidates(calls), rule, seed=20250922)
    full = {
        "greeting": 1,
        "listening": 5,
        "accuracy": 5,
        "record": 1,
        "closing": 1,
        "confidentiality": 1,
    }
    marks = (full, {**full, "listening": 3, "record": 0}, {**full, "accuracy": 4})
    records = tuple(
        inspect(
            HOTLINE_SHEET,
            candidate,
            m,
            inspection_id=f"QA-{i}",
            inspector=SUPERVISOR,
            at=at(0, "16:00"),
        )
        for i, (candidate, m) in enumerate(zip(picked, marks, strict=True), start=1)
    )
    return Morning(calls=calls, kpis=tuple(kpis), plan=plan, inspections=records)


def show() -> None:
    """Print the morning: KPIs beside the plan, callbacks, and the inspection."""
    heading("The hotline on Monday morning: the 09:00 peak, callbacks and an inspection")
    found = morning()
    kpis, plan, calls, records = found.kpis, found.plan, found.calls, found.inspections
    print(
        "Service level: answered within 20 s / calls with an outcome, abandons within 5 s left out."
    )

    def pct(value: float | None) -> str:
        return "-" if value is None else f"{value:.0%}"

    table(
        (
            "interval",
            ">offered",
            ">forecast",
            ">answered",
            ">abandoned",
            ">SL",
            ">target",
            ">ASA s",
            ">abandon",
            ">occupancy",
            ">FCR",
        ),
        [
            (
                f"{k.start:%H:%M}-{k.end:%H:%M}",
                k.offered,
                f"{p.calls_forecast:g}",
                k.answered,
                f"{k.abandoned} ({k.short_abandoned} short)",
                pct(k.service_level),
                pct(p.service_level_planned),
                "-"
                if k.average_speed_of_answer is None
                else f"{k.average_speed_of_answer.total_seconds():.1f}",
                pct(k.abandonment_rate_excluding_short),
                pct(k.occupancy),
                pct(k.first_contact_resolution),
            )
            for k, p in zip(kpis, plan_vs_actual(plan, kpis), strict=True)
        ],
    )
    print(
        f"Erlang plan for the peak: {plan.rows[0].staffing.agents} agents on the phones; "
        f"3 were staffed."
    )
    callbacks = schedule_callbacks(calls, OFFICE, within=dt.timedelta(hours=1))
    print()
    print("Callbacks for the abandoned calls (due within one working hour):")
    table(
        ("call", "caller", "lost at", "due"),
        [
            (c.call_id, c.caller, f"{c.lost_at:%H:%M:%S}", f"{c.due:%H:%M:%S}")
            for c in callbacks.callbacks
        ],
    )
    print()
    print(
        f"Inspection by {SUPERVISOR} (one call per agent, seed 20250922), "
        f"sheet {HOTLINE_SHEET.name!r}:"
    )
    table(
        ("inspection", "call", "agent", ">score", "result"),
        [
            (
                r.inspection_id,
                r.subject_id,
                r.agent,
                f"{r.score.percent:.0f}",
                "pass" if r.passed else "fail",
            )
            for r in records
        ],
    )
    for agent, quality in quality_by_agent(HOTLINE_SHEET, records).items():
        if quality.needs_remedial_training:
            weakest = ", ".join(quality.weakest_items)
            print(f"  {agent}: remedial training on {weakest}")
    source = improvement_source(HOTLINE_SHEET, records)
    print(f"  PDCA source ({source.kind.value}): {source.reference}")
    print(f"    {source.detail}")
