"""Routing: route 100,000 tickets among 1,000 agents (staffing: benchmarks/staffing_bench.py).

The team: 1,000 agents in 20 L1 groups escalating to 5 L2 groups and one L3 group, each on one
of four rosters (day, late, night across midnight, weekend) in Asia/Shanghai, with skills,
languages and capacities drawn from a seeded random generator. Tickets arrive in time order
over a week, each routed against the current state; an assigned ticket raises its agent's load
and one open ticket in three is closed at each step, so loads move as in a real desk.

Prints tickets routed per second and the outcomes.

    .venv/bin/python benchmarks/routing_bench.py            # 100,000 tickets, 1,000 agents
    .venv/bin/python benchmarks/routing_bench.py --quick    # 5,000 tickets, 200 agents
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from collections import Counter
from typing import Any
from zoneinfo import ZoneInfo

from itsm_core.routing import (
    RouteOutcome,
    RoutingRules,
    Team,
    TeamState,
    route,
)
from itsm_core.tickets import CommandContext, CustomerTier, OpenTicket, TicketKind, decide

SHANGHAI = ZoneInfo("Asia/Shanghai")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")
DAYS = (*WEEKDAYS, "saturday", "sunday")
SKILLS = ("network", "email", "sap", "printer", "vpn", "database")
CATEGORIES = (*SKILLS, "other")


def team_data(agents: int, rng: random.Random) -> dict[str, Any]:
    def roster(days: tuple[str, ...], start: str, end: str) -> dict[str, Any]:
        return {"timezone": "Asia/Shanghai", "weekly": {d: [[start, end]] for d in days}}

    groups: list[dict[str, Any]] = [{"name": "l3", "level": "l3"}]
    groups += [{"name": f"l2-{i}", "level": "l2", "escalates_to": "l3"} for i in range(5)]
    groups += [
        {
            "name": f"l1-{i}",
            "level": "l1",
            "strategy": "round_robin" if i % 2 else "least_loaded",
            "escalates_to": f"l2-{i % 5}",
        }
        for i in range(20)
    ]
    people = []
    for n in range(agents):
        tier = "l1" if n % 10 < 8 else ("l2" if n % 10 == 8 else "l3")
        group = f"l1-{n % 20}" if tier == "l1" else (f"l2-{n % 5}" if tier == "l2" else "l3")
        people.append(
            {
                "id": f"a{n:04d}",
                "groups": [group],
                "roster": rng.choice(["day", "day", "late", "night", "weekend"]),
                "level": tier,
                "senior": tier != "l1" and rng.random() < 0.5,
                "skills": {s: rng.randint(1, 5) for s in rng.sample(SKILLS, 3)},
                "languages": ["zh", "en"] if rng.random() < 0.4 else ["zh"],
                "capacity": rng.randint(3, 8),
            }
        )
    return {
        "rosters": {
            "day": roster(WEEKDAYS, "09:00", "18:00"),
            "late": roster(WEEKDAYS, "14:00", "22:00"),
            "night": roster(DAYS, "22:00", "30:00"),
            "weekend": roster(("saturday", "sunday"), "09:00", "21:00"),
        },
        "groups": groups,
        "agents": people,
    }


RULES = {
    "default_group": "l1-0",
    "rules": [
        {"name": "vip", "group": "l2-0", "customer_tiers": ["vip"], "senior": True},
        *(
            {"name": s, "group": f"l1-{i * 3}", "categories": [s], "skills": {s: 2}}
            for i, s in enumerate(SKILLS)
        ),
    ],
}


def bench_routing(tickets: int, agents: int) -> None:
    rng = random.Random(14)
    team = Team.from_dict(team_data(agents, rng))
    rules = RoutingRules.from_dict(RULES)
    ctx = CommandContext(actor="bench", role="system", now=dt.datetime(2025, 9, 1, tzinfo=SHANGHAI))
    samples = [
        decide(
            None,
            OpenTicket(
                ticket_id=f"T{i}",
                requester="r",
                kind=TicketKind.INCIDENT,
                category=rng.choice(CATEGORIES),
                customer_tier=CustomerTier.VIP if rng.random() < 0.05 else CustomerTier.REGULAR,
                attributes={"language": "en"} if rng.random() < 0.2 else {},
            ),
            ctx,
        )[0]
        for i in range(200)
    ]
    start = dt.datetime(2025, 9, 29, tzinfo=SHANGHAI)
    step = dt.timedelta(days=7) / tickets
    state = TeamState(team=team)
    open_by: list[str] = []
    outcomes: Counter[str] = Counter()
    began = time.perf_counter()
    for i in range(tickets):
        now = start + i * step
        decision = route(samples[i % len(samples)], state, now, rules)
        outcomes[decision.outcome.value] += 1
        if decision.outcome is RouteOutcome.ASSIGNED and decision.assignee is not None:
            state = state.assign(decision.assignee, decision.group)
            open_by.append(decision.assignee)
        if open_by and i % 3 == 0:
            state = state.release(open_by.pop(rng.randrange(len(open_by))))
    elapsed = time.perf_counter() - began
    print(f"routing: {tickets:,} tickets among {agents:,} agents in {elapsed:.2f} s")
    print(f"  {tickets / elapsed:,.0f} tickets/s, {elapsed / tickets * 1e6:.0f} us per decision")
    print(f"  outcomes: {dict(sorted(outcomes.items()))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="a fast smoke run")
    quick = parser.parse_args().quick
    bench_routing(5_000 if quick else 100_000, 200 if quick else 1_000)


if __name__ == "__main__":
    main()
