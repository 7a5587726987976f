"""Demo section: route a small week of tickets at a Shanghai desk, then staff its hotline."""

from __future__ import annotations

import datetime as dt
import math
from zoneinfo import ZoneInfo

from itsm_core.routing import (
    IntervalForecast,
    RoutingRules,
    ServiceTarget,
    Team,
    TeamState,
    route,
    staffing_plan,
)
from itsm_core.tickets import CommandContext, CustomerTier, OpenTicket, TicketKind, decide

SHANGHAI = ZoneInfo("Asia/Shanghai")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")


def _shift(days: tuple[str, ...], start: str, end: str) -> dict[str, object]:
    return {
        "timezone": "Asia/Shanghai",
        "weekly": {day: [[start, end]] for day in days},
        "holidays": [{"start": "2025-10-01", "end": "2025-10-08", "name": "National Day"}],
        "overrides": {"2025-09-28": {"like": "monday", "name": "make-up working day"}},
    }


TEAM = Team.from_dict(
    {
        "rosters": {
            "day": _shift(WEEKDAYS, "09:00", "18:00"),
            "late": _shift(WEEKDAYS, "14:00", "22:00"),
            "night": {
                "timezone": "Asia/Shanghai",
                "weekly": {d: [["22:00", "30:00"]] for d in (*WEEKDAYS, "saturday", "sunday")},
            },
        },
        "groups": [
            {"name": "service-desk", "level": "l1", "escalates_to": "network-l2"},
            {"name": "network-l2", "level": "l2", "strategy": "round_robin"},
            {"name": "vip-desk", "level": "l2"},
        ],
        "agents": [
            {"id": "li.na", "groups": ["service-desk"], "roster": "day",
             "skills": {"network": 2}, "languages": ["zh", "en"], "capacity": 2},
            {"id": "wang.lei", "groups": ["service-desk"], "roster": "late",
             "skills": {"network": 1}, "languages": ["zh"], "capacity": 2},
            {"id": "zhao.min", "groups": ["service-desk"], "roster": "night",
             "skills": {"network": 2}, "languages": ["zh"], "capacity": 2},
            {"id": "chen.jie", "groups": ["network-l2"], "roster": "day", "level": "l2",
             "skills": {"network": 4}, "languages": ["zh", "en"], "capacity": 4},
            {"id": "sun.yu", "groups": ["vip-desk", "network-l2"], "roster": "day", "level": "l2",
             "senior": True, "skills": {"network": 3}, "languages": ["zh", "en"], "capacity": 3},
        ],
    }
)  # fmt: skip

RULES = RoutingRules.from_dict(
    {
        "default_group": "service-desk",
        "rules": [
            {"name": "vip", "group": "vip-desk", "customer_tiers": ["vip"], "senior": True},
            {"name": "major complaint", "group": "vip-desk", "kinds": ["complaint"],
             "response_levels": [1], "senior": True},
            {"name": "network", "group": "service-desk", "categories": ["network"],
             "skills": {"network": 2}},
        ],
    }
)  # fmt: skip

#: (id, local time, kind, category, tier, response level, language)
TICKETS = (
    ("INC-1", (9, 29, 9, 30), TicketKind.INCIDENT, "network", CustomerTier.REGULAR, None, "zh"),
    ("INC-2", (9, 29, 10, 5), TicketKind.INCIDENT, "network", CustomerTier.REGULAR, None, "en"),
    ("INC-3", (9, 29, 10, 40), TicketKind.INCIDENT, "network", CustomerTier.REGULAR, None, "zh"),
    ("REQ-4", (9, 29, 15, 0), TicketKind.SERVICE_REQUEST, "access", CustomerTier.REGULAR, None,
     "zh"),
    ("INC-5", (9, 29, 23, 10), TicketKind.INCIDENT, "network", CustomerTier.VIP, None, "zh"),
    ("CMP-6", (9, 30, 11, 0), TicketKind.COMPLAINT, "billing", CustomerTier.REGULAR, 1, "zh"),
    ("INC-7", (10, 2, 10, 0), TicketKind.INCIDENT, "network", CustomerTier.REGULAR, None, "en"),
)  # fmt: skip


def show() -> None:
    """Route a week's tickets, printing each decision, then print a day's hotline plan."""
    print("Routing (Shanghai desk; National Day holiday 1-8 October):")
    print(f"{'ticket':<7} {'local time':<17} {'outcome':<8} {'group':<13} {'agent':<9} why")
    state = TeamState(team=TEAM)
    ctx = CommandContext(
        actor="router", role="system", now=dt.datetime(2025, 9, 1, tzinfo=SHANGHAI)
    )
    for ticket_id, (month, day, hour, minute), kind, category, tier, level, lang in TICKETS:
        ticket, _ = decide(
            None,
            OpenTicket(
                ticket_id=ticket_id,
                requester="customer",
                kind=kind,
                category=category,
                customer_tier=tier,
                response_level=level,
                attributes={"language": lang},
            ),
            ctx,
        )
        now = dt.datetime(2025, month, day, hour, minute, tzinfo=SHANGHAI)
        decision = route(ticket, state, now, RULES)
        if decision.assignee is not None:
            state = state.assign(decision.assignee, decision.group)
        why = decision.steps[-1].detail
        print(
            f"{ticket_id:<7} {now:%a %d %b %H:%M}  {decision.outcome.value:<8} "
            f"{decision.group:<13} {decision.assignee or '-':<9} {why}"
        )
    print()
    print("How INC-7 was decided:")
    ticket, _ = decide(
        None,
        OpenTicket(ticket_id="INC-7", requester="customer", kind=TicketKind.INCIDENT,
                   category="network", attributes={"language": "en"}),
        ctx,
    )  # fmt: skip
    print(route(ticket, state, dt.datetime(2025, 10, 2, 10, tzinfo=SHANGHAI), RULES))
    print()
    _show_staffing()


def _bump(i: int, centre: int, width: int) -> float:
    return math.exp(-(((i - centre) / width) ** 2))


def _show_staffing() -> None:
    midnight = dt.datetime(2025, 9, 29, tzinfo=SHANGHAI)
    half_hour = dt.timedelta(minutes=30)
    forecasts = [
        IntervalForecast(
            midnight + i * half_hour,
            calls=round(4 + 90 * _bump(i, 21, 6) + 50 * _bump(i, 30, 4)),
            handle_time=dt.timedelta(seconds=240),
        )
        for i in range(48)
    ]  # fmt: skip
    target = ServiceTarget(
        service_level=0.8, answer_within=dt.timedelta(seconds=20), minimum_agents=1
    )
    plan = staffing_plan(forecasts, interval=half_hour, target=target, shrinkage=0.3)
    print("Hotline staffing for Monday 29 September (Erlang C, 80 % answered within 20 s,")
    print("240 s handle time, 30 % shrinkage, at least one agent on the phones):")
    rows = plan.to_text().splitlines()
    print("\n".join(rows[:2] + rows[2::2]))  # every hour, to keep it short
    peak = plan.peak
    assert peak is not None
    print(
        f"Peak {peak.start:%H:%M}: {peak.staffing.scheduled} rostered; "
        f"{plan.scheduled_hours:.0f} agent-hours over the day."
    )


if __name__ == "__main__":
    show()
