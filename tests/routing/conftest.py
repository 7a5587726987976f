"""Fixtures of the routing tests: a small Shanghai service desk with day, late, night and
weekend rosters (a National Day holiday and a make-up Sunday), five groups on three tiers,
eight agents and the desk's routing rules; and a helper that opens tickets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from itsm_core.routing import RoutingRules, Team, TeamState
from itsm_core.tickets import CommandContext, OpenTicket, Ticket, TicketKind, decide

SHANGHAI = ZoneInfo("Asia/Shanghai")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")
ALL_DAYS = (*WEEKDAYS, "saturday", "sunday")
NATIONAL_DAY = {"start": "2025-10-01", "end": "2025-10-08", "name": "National Day"}
MAKE_UP = {"2025-09-28": {"like": "monday", "name": "make-up working day"}}


def roster(days: tuple[str, ...], start: str, end: str, *, holidays: bool = True) -> dict[str, Any]:
    """Calendar data of a shift worked on ``days`` from ``start`` to ``end`` (local)."""
    data: dict[str, Any] = {
        "timezone": "Asia/Shanghai",
        "weekly": {day: [[start, end]] for day in days},
    }
    if holidays:
        data["holidays"] = [NATIONAL_DAY]
        data["overrides"] = MAKE_UP
    return data


TEAM_DATA: dict[str, Any] = {
    "rosters": {
        "day": roster(WEEKDAYS, "09:00", "18:00"),
        "late": roster(WEEKDAYS, "14:00", "22:00"),
        "night": roster(ALL_DAYS, "22:00", "30:00", holidays=False),
        "weekend": roster(("saturday", "sunday"), "09:00", "18:00", holidays=False),
    },
    "groups": [
        {"name": "service-desk", "level": "l1", "escalates_to": "specialists"},
        {
            "name": "specialists",
            "level": "l2",
            "strategy": "round_robin",
            "escalates_to": "engineering",
        },
        {"name": "engineering", "level": "l3"},
        {"name": "vip-desk", "level": "l2"},
        {"name": "complaints", "level": "l2"},
    ],
    "agents": [
        {
            "id": "ann",
            "groups": ["service-desk"],
            "roster": "day",
            "skills": {"network": 2, "email": 3},
            "languages": ["zh", "en"],
            "capacity": 3,
        },
        {
            "id": "bo",
            "groups": ["service-desk"],
            "roster": "late",
            "skills": {"network": 1},
            "languages": ["zh"],
            "capacity": 2,
        },
        {
            "id": "cai",
            "groups": ["service-desk"],
            "roster": "night",
            "skills": {"network": 2},
            "languages": ["zh", "en"],
            "capacity": 2,
        },
        {
            "id": "dan",
            "groups": ["specialists"],
            "roster": "day",
            "level": "l2",
            "skills": {"network": 4, "sap": 3},
            "languages": ["en"],
            "capacity": 4,
        },
        {
            "id": "eve",
            "groups": ["specialists"],
            "roster": "night",
            "level": "l2",
            "skills": {"network": 3},
            "languages": ["zh"],
            "capacity": 4,
        },
        {
            "id": "fei",
            "groups": ["engineering"],
            "roster": "day",
            "level": "l3",
            "skills": {"network": 5, "sap": 5},
            "languages": ["zh", "en"],
            "capacity": 5,
        },
        {
            "id": "gao",
            "groups": ["vip-desk", "complaints"],
            "roster": "day",
            "level": "l2",
            "senior": True,
            "skills": {"network": 3},
            "languages": ["zh", "en"],
            "capacity": 3,
        },
        {
            "id": "hui",
            "groups": ["vip-desk"],
            "roster": "weekend",
            "level": "l2",
            "languages": ["zh"],
            "capacity": 3,
        },
    ],
}

RULES_DATA: dict[str, Any] = {
    "default_group": "service-desk",
    "rules": [
        {
            "name": "major complaint",
            "group": "complaints",
            "kinds": ["complaint"],
            "response_levels": [1],
            "senior": True,
        },
        {"name": "vip", "group": "vip-desk", "customer_tiers": ["vip"], "senior": True},
        {
            "name": "network",
            "group": "service-desk",
            "categories": ["network"],
            "skills": {"network": 2},
        },
        {"name": "sap", "group": "specialists", "categories": ["sap"], "skills": {"sap": 3}},
    ],
}

OpenFn = Callable[..., Ticket]


@pytest.fixture(scope="session")
def team() -> Team:
    """The desk's team."""
    return Team.from_dict(TEAM_DATA)


@pytest.fixture(scope="session")
def rules() -> RoutingRules:
    """The desk's routing rules."""
    return RoutingRules.from_dict(RULES_DATA)


@pytest.fixture(scope="session")
def idle(team: Team) -> TeamState:
    """The team with nobody carrying a ticket."""
    return TeamState(team=team)


def open_ticket(ticket_id: str = "T1", **fields: Any) -> Ticket:
    """A freshly opened ticket (an incident unless ``kind`` says otherwise)."""
    fields.setdefault("kind", TicketKind.INCIDENT)
    ctx = CommandContext(actor="desk", role="agent", now=dt.datetime(2025, 9, 1, tzinfo=SHANGHAI))
    return decide(None, OpenTicket(ticket_id=ticket_id, requester="r1", **fields), ctx).state


@pytest.fixture(scope="session")
def make_ticket() -> OpenFn:
    """Open a ticket with the given fields."""
    return open_ticket
