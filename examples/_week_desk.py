"""The setting of the week: the Shanghai service desk, its calendar, teams and SLA policies.

Everything here is configuration, written as data the way an operator would: the calendar and
the SLA policies are built from plain dicts, the same JSON a deployment would keep in a file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from itsm_core.calendar import BusinessCalendar
from itsm_core.records import AccessPolicy
from itsm_core.sla import PolicySet

ZONE = "Asia/Shanghai"
SHANGHAI = ZoneInfo(ZONE)
#: The week told by the demo: Monday 22 to Sunday 28 September 2025 (Sunday is a make-up day).
DAYS = tuple(dt.date(2025, 9, 22) + dt.timedelta(days=i) for i in range(7))
#: The end of the week: the instant the reports are made (Sunday night, midnight).
END_OF_WEEK = dt.datetime(2025, 9, 29, 0, 0, tzinfo=SHANGHAI)
#: Close of business, when the SLA board is read each day.
CLOSE_OF_BUSINESS = dt.time(18, 0)

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")

OFFICE = BusinessCalendar.from_dict(
    {
        "name": "Shanghai service desk",
        "timezone": ZONE,
        "weekly": {day: [["09:00", "12:00"], ["13:00", "18:00"]] for day in WEEKDAYS},
        "holidays": [{"start": "2025-10-01", "end": "2025-10-08", "name": "National Day"}],
        "overrides": {
            "2025-09-28": {"like": "monday", "name": "make-up working day (调休)"},
            "2025-10-11": {"like": "monday", "name": "make-up working day (调休)"},
        },
        "coverage": {"start": "2025-01-01", "end": "2025-12-31"},
    }
)
CALENDARS = {"office": OFFICE}

#: Teams: who works which category. The first agent of a group is its lead.
GROUPS = {
    "service-desk": ("li.na", "wang.lei", "zhang.wei"),
    "network": ("chen.jie", "gao.fei"),
    "apps": ("sun.yu", "xu.ming"),
    "field": ("zhao.min",),
}
GROUP_OF_CATEGORY = {
    "network": "network",
    "email": "apps",
    "software": "apps",
    "access": "service-desk",
    "hardware": "field",
    "printing": "field",
}
SUPERVISOR = "liu.yang"
MANAGER = "he.jun"
APPROVER = "ma.li"

#: Who may do what. A small desk: every agent works every ticket (the service desk resolves
#: what it can at first contact and hands the rest to the group that owns the category), the
#: supervisor and the manager handle the serious complaints, the approver and the CAB approve,
#: and the CAB closes a change after its review; customers act on their own tickets only.
ACCESS = AccessPolicy.from_dict(
    {
        "name": "shanghai-desk",
        "rules": [
            {"role": "agent", "actions": ["*"]},
            {"role": "supervisor", "actions": ["*"]},
            {"role": "manager", "actions": ["*"]},
            {"role": "approver", "actions": ["read", "approve", "deny"]},
            {"role": "cab", "actions": ["read", "approve", "deny", "close"]},
            {
                "role": "customer",
                "actions": ["open", "read", "comment", "confirm", "reopen", "resume", "cancel"],
                "when": ["requested_by_actor"],
            },
        ],
    }
)

_WARN_AND_BREACH = [
    {"name": "warn-75", "action": "warn", "percent": 75, "notify": ["assignee"]},
    {"name": "breach", "action": "breach", "percent": 100, "notify": ["assignee", "lead"]},
    {
        "name": "escalate",
        "action": "escalate",
        "level": 2,
        "after_breach": "1 hours",
        "notify": ["manager"],
    },
]


def _metric(clock: str, targets: dict[str, str], target_by: str = "priority") -> dict[str, object]:
    return {
        "clock": clock,  # a built-in clock, by name
        "targets": targets,
        "target_by": target_by,
        "calendar": "office",
        "thresholds": _WARN_AND_BREACH,
    }


#: The desk's SLA: working time on the office calendar; changes and problems have no clock.
POLICIES = PolicySet.from_dict(
    {
        "mode": "first",
        "policies": [
            {
                "name": "complaints",
                "precedence": 10,
                "condition": {"field_in": {"field": "kind", "values": ["complaint"]}},
                "metrics": [
                    _metric("first_response", {"*": "2 working hours"}),
                    _metric(
                        "resolution",
                        {"1": "1 working days", "2": "2 working days", "*": "3 working days"},
                        target_by="response_level",
                    ),
                ],
            },
            {
                "name": "requests",
                "precedence": 20,
                "condition": {"field_in": {"field": "kind", "values": ["service_request"]}},
                "metrics": [_metric("resolution", {"*": "3 working days"})],
            },
            {
                "name": "incidents",
                "precedence": 30,
                "condition": {
                    "field_in": {"field": "kind", "values": ["incident", "consultation"]}
                },
                "metrics": [
                    _metric(
                        "first_response",
                        {
                            "1": "15 working minutes",
                            "2": "30 working minutes",
                            "3": "1 working hours",
                            "4": "2 working hours",
                            "5": "4 working hours",
                        },
                    ),
                    _metric(
                        "resolution",
                        {
                            "1": "4 working hours",
                            "2": "8 working hours",
                            "3": "2 working days",
                            "4": "3 working days",
                            "5": "5 working days",
                        },
                    ),
                ],
            },
        ],
    }
)


def at(day: int, clock: str) -> dt.datetime:
    """The instant ``clock`` ("HH:MM", Shanghai) on day ``day`` of the week (0 = Monday)."""
    hours, minutes = (int(part) for part in clock.split(":"))
    return dt.datetime.combine(DAYS[day], dt.time(hours, minutes), tzinfo=SHANGHAI)


def close_of_business(day: int) -> dt.datetime:
    """18:00 on day ``day`` of the week."""
    return dt.datetime.combine(DAYS[day], CLOSE_OF_BUSINESS, tzinfo=SHANGHAI)


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], *, indent: str = "  ") -> None:
    """Print a plain-text table; columns whose header starts with ">" are right-aligned."""
    names = [h.lstrip(">") for h in headers]
    right = [h.startswith(">") for h in headers]
    cells = [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in [names, *cells]) for i in range(len(names))]

    def line(values: Sequence[str]) -> str:
        parts = (
            v.rjust(w) if r else v.ljust(w) for v, w, r in zip(values, widths, right, strict=True)
        )
        return (indent + "  ".join(parts)).rstrip()

    print(line(names))
    print(line(["-" * w for w in widths]))
    for row in cells:
        print(line(row))


def heading(title: str) -> None:
    """Print a section title."""
    print()
    print(title)
    print("=" * len(title))
