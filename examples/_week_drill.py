"""Friday afternoon: the drill of the network outage plan (定期组织演练).

The desk's emergency plan for a network outage (应急预案) is data: event types, its risk on the
emergency risk matrix, the response flow, roles, resources and communication plan. Its drill
is scheduled on the office calendar, checked against the resource pool (应急资源库) and held on
Friday 26 September; the drill records who took part and two findings, and each finding opens
a PDCA improvement cycle. The drill's and the cycles' events are kept in in-memory event
stores like the tickets'.
"""

from __future__ import annotations

import datetime as dt

from _week_desk import MANAGER, OFFICE, SHANGHAI, SUPERVISOR, heading, table

from itsm_core.emergency import (
    DRILL,
    DrillEvent,
    DrillFinding,
    PlanRegistry,
    RecordDrill,
    ResourcePool,
    decide_drill,
    emergency_label,
    schedule_drills,
)
from itsm_core.improvement import CycleEvent, decide_cycle
from itsm_core.kernel import Context
from itsm_core.repositories import InMemoryEventStore

PLANS = PlanRegistry.from_dict(
    {
        "plans": [
            {
                "plan_id": "EP-NET",
                "title": "Campus network outage",
                "event_types": ["network_outage", "vpn_outage"],
                "likelihood": 3,
                "severity": 2,
                "owner": MANAGER,
                "review_by": "2026-03-31",
                "drill_every_months": 6,
                "roles": {"commander": MANAGER, "network lead": "chen.jie"},
                "response_flow": [
                    {
                        "name": "assemble the response team",
                        "role": "commander",
                        "within_minutes": 15,
                    },
                    {
                        "name": "switch to the backup line",
                        "role": "network lead",
                        "within_minutes": 30,
                    },
                ],
                "resources": {"backup-router": 1, "4g-router": 5},
                "communication": [
                    {"audience": "management", "channel": "phone", "within_minutes": 10},
                    {"audience": "customers", "channel": "sms", "within_minutes": 30},
                ],
            }
        ]
    }
)
POOL = ResourcePool.from_dict(
    {
        "resources": [
            {
                "resource_id": "backup-router",
                "name": "Backup router",
                "kind": "equipment",
                "quantity": 2,
                "reserve": 1,
            },
            {
                "resource_id": "4g-router",
                "name": "4G router",
                "kind": "equipment",
                "quantity": 6,
                "reserve": 2,
            },
        ]
    }
)
FIRST_DRILL = dt.datetime(2025, 9, 26, 15, 0, tzinfo=SHANGHAI)  # Friday 15:00


def show() -> None:
    """Schedule and hold the drill, print it and the cycles its findings start."""
    heading("Emergency drill: the network outage plan")
    plan = PLANS.get("EP-NET")
    risk = PLANS.risk(plan.plan_id)
    print(
        f"Plan {plan.plan_id} '{plan.title}': likelihood {plan.likelihood} x severity "
        f"{plan.severity} -> response level {risk.level} ({risk.label}), owner {plan.owner}"
    )
    (command,) = schedule_drills(plan, OFFICE, first=FIRST_DRILL, count=1)
    print(
        f"Drilled every {plan.drill_every_months} months; this one scheduled Monday for "
        f"{command.planned_at:%a %d %b %H:%M} on the office calendar"
    )
    needs = ", ".join(f"{n} x {r}" for r, n in sorted(plan.resources.items()))
    lacking = len(POOL.shortfalls(plan)) + len(POOL.below_reserve())
    print(f"Resource pool: the plan needs {needs}; shortfalls or reserve breaches: {lacking}")
    drills: InMemoryEventStore[DrillEvent] = InMemoryEventStore()
    planner = Context(
        actor=MANAGER, role="manager", now=dt.datetime(2025, 9, 22, 9, tzinfo=SHANGHAI)
    )
    drill, events = decide_drill(None, command, planner)
    drills.append(drill.drill_id, events, expected_version=0)
    held = RecordDrill(
        participants=[MANAGER, "chen.jie", SUPERVISOR, "wang.fang"],
        findings=[
            DrillFinding(finding_id="F1", description="backup line up after 38 min (plan: 30)"),
            DrillFinding(finding_id="F2", description="customer SMS template out of date"),
        ],
    )
    drill, events = decide_drill(
        drill, held, Context(actor=MANAGER, role="manager", now=command.planned_at)
    )
    drills.append(drill.drill_id, events, expected_version=1)
    drill = DRILL.replay(drills.read(drill.drill_id))
    assert drill.held_at is not None
    state = f"{emergency_label(drill.state, 'en')} ({emergency_label(drill.state, 'zh-CN')})"
    print(
        f"{drill.drill_id} {state} {drill.held_at:%a %d %b %H:%M}, "
        f"{len(drill.participants)} taking part"
    )
    cycles: InMemoryEventStore[CycleEvent] = InMemoryEventStore()
    context = Context(actor=MANAGER, role="owner", now=command.planned_at + dt.timedelta(hours=2))
    rows = []
    for start in drill.improvement_cycles(owner=MANAGER):
        cycle, started = decide_cycle(None, start, context)
        cycles.append(cycle.cycle_id, started, expected_version=0)
        assert cycle.source is not None
        rows.append((cycle.cycle_id, cycle.title, cycle.source.kind.value, cycle.phase))
    print("Findings opening improvement cycles:")
    table(("cycle", "finding", "source", "phase"), rows)
