"""The script of the week: every request the desk received, and what happened to it.

Each row of ``INTAKE`` is one request: its id (the prefix says the kind), the day (0 = Monday
22 September 2025) and local time it arrived, the channel, the category, the intake facts the
desk collected (a preset of ``FACTS``; for complaints the complaint type and its severity and
urgency, e.g. ``"service s3u2"``), the customer tier and its plan.

A plan is a list of ``verb@minutes``: what was done, and after how many *working* minutes of
the office calendar from the opening (so work happens in office hours, skips the lunch break,
Saturday and the National Day holiday). Three tickets of the story have their own explicit
script in ``STORIES`` (the complaint through its five steps, the change through CAB, the
problem behind the week's VPN incidents).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from _week_desk import MANAGER, at

from itsm_core.priority import IntakeFacts, Interruption
from itsm_core.tickets import (
    Acknowledge,
    Advance,
    Archive,
    Channel,
    Classify,
    Close,
    Command,
    ComplaintType,
    ConfirmResolution,
    Escalate,
    EscalationKind,
    Resolve,
    TicketKind,
)

#: Intake fact presets: (interruption, users affected, service criticality, needed within).
FACTS = {
    "low": IntakeFacts(interruption=Interruption.NONE, users_affected=1, service_criticality=3),
    "user": IntakeFacts(
        interruption=Interruption.NONE,
        users_affected=1,
        service_criticality=3,
        expected_resolution=dt.timedelta(days=1),
    ),
    "team": IntakeFacts(
        interruption=Interruption.NONE,
        users_affected=12,
        service_criticality=2,
        expected_resolution=dt.timedelta(days=3),
    ),
    "stopped": IntakeFacts(
        interruption=Interruption.FULL,
        users_affected=1,
        service_criticality=3,
        expected_resolution=dt.timedelta(days=1),
    ),
    "urgent": IntakeFacts(
        interruption=Interruption.FULL,
        users_affected=1,
        service_criticality=3,
        expected_resolution=dt.timedelta(hours=4),
    ),
    "degraded": IntakeFacts(
        interruption=Interruption.PARTIAL,
        users_affected=30,
        service_criticality=2,
        expected_resolution=dt.timedelta(hours=4),
    ),
    "outage": IntakeFacts(
        interruption=Interruption.FULL, users_affected=140, service_criticality=1
    ),
}

#: One request a line: id, day, local time, channel ("-": raised internally), category, facts
#: (a preset of FACTS, "/vip" for a VIP customer; complaints: type/severity-urgency) and plan.
INTAKE_TABLE = """
# id    day time  channel category facts          plan (verb@working minutes after opening)
# Monday 22 September
INC-101 Mon 09:05 phone   network  degraded       as@3 ack@10 fix@180 ok@300
ASK-102 Mon 09:20 chat    email    user           fix@6 ok@60
REQ-103 Mon 09:40 web     access   user           appr@5 approve@60 start@70 fix@150 close@480
INC-104 Mon 10:10 email   printing stopped        as@10 ack@40 fix@240 ok@600
INC-105 Mon 10:30 walk-in hardware user           as@5 ack@15 fix@90 ok@100
INC-106 Mon 11:15 phone   network  urgent         as@5 ack@20 esc@90 fix@420 ok@600
ASK-107 Mon 14:00 email   software low            fix@30 close@480
INC-108 Mon 14:45 web     email    user           as@20 ack@100 fix@600 reopen@700 fix@900 ok@1000
CMP-109 Mon 15:30 phone   network  service/s3u2   ack@30 class@60 handle@70 fix@400 ok@500 arch@520
INC-110 Mon 16:20 chat    access   user           as@2 ack@5 fix@25 ok@90
# Tuesday 23 September
INC-111 Tue 09:10 phone   email    degraded       as@5 ack@15 fix@300 ok@420
INC-112 Tue 09:30 email   software stopped        as@10 ack@45 hold@90 resume@600 fix@720 ok@900
CMP-113 Tue 10:15 phone   network  service/s2u1/vip story
INC-114 Tue 10:40 web     hardware user           as@5 ack@60 fix@300 ok@480
CHG-115 Tue 11:00 -       network  -              story
ASK-116 Tue 13:20 chat    access   user           fix@5 ok@30
INC-117 Tue 14:00 phone   network  user/vip       as@5 ack@15 fix@120 ok@240
REQ-118 Tue 15:10 web     software user           appr@10 approve@200 start@240 fix@600 close@900
INC-119 Tue 16:40 walk-in printing user           fix@15 ok@20
# Wednesday 24 September
INC-120 Wed 09:20 phone   email    urgent         as@5 ack@25 fix@800 ok@900
INC-121 Wed 09:45 email   network  team           as@30 ack@90 fix@900 ok@1000
CMP-122 Wed 10:30 email   access   process/s3u3   ack@60 class@90 handle@99 fix@600 ok@700 arch@720
ASK-123 Wed 11:00 chat    software low            fix@8 close@500
INC-124 Wed 11:30 web     access   user           dup@20
INC-125 Wed 13:40 phone   network  degraded       as@5 ack@20 vendor@120 resume@700 fix@780 ok@900
REQ-126 Wed 14:30 web     hardware user           appr@5 approve@100 start@120 fix@800 close@1000
INC-127 Wed 15:50 walk-in hardware stopped        as@3 ack@10 fix@60 ok@70
INC-128 Wed 16:30 phone   email    user           fix@12 ok@100
# Thursday 25 September
INC-129 Thu 09:05 phone   network  outage         as@2 ack@8 esc@30 fix@200 ok@400
INC-130 Thu 09:12 chat    network  degraded       as@3 ack@10 fix@200 ok@300
INC-131 Thu 09:30 email   network  user           dup@15
PRB-132 Thu 11:00 -       network  -              story
INC-133 Thu 11:00 web     email    urgent         as@10 ack@20 fix@420 ok@600
CMP-134 Thu 13:30 phone   network  technical/s2u2 ack@20 class@60 handle@70 fix@400 ok@520 arch@540
INC-135 Thu 14:10 walk-in printing user           as@5 ack@30 fix@200 ok@300
ASK-136 Thu 15:00 email   access   low            ack@100 fix@300 close@600
REQ-137 Thu 16:00 web     access   user           appr@10 approve@60 start@65 fix@90 close@300
# Friday 26 September
INC-138 Fri 09:15 phone   software stopped        as@5 ack@30 fix@240 ok@360
CMP-139 Fri 09:50 email   email    service/s3u2   ack@90 class@150 handle@160 fix@500
INC-140 Fri 10:20 chat    access   user           fix@10 ok@40
INC-141 Fri 10:45 web     network  team           as@60 ack@200 fix@1500
INC-142 Fri 11:30 phone   email    degraded       as@5 ack@25 hold@60 resume@400 fix@470 ok@700
CMP-143 Fri 14:00 walk-in printing service/s3u3   ack@10 class@30 handle@40 fix@200 ok@260 arch@270
INC-144 Fri 15:00 phone   network  degraded/vip   as@3 ack@25 esc@60 fix@420 ok@480
REQ-145 Fri 16:30 email   software user           appr@20 approve@300 start@320 fix@1400
INC-146 Fri 17:40 web     hardware user           as@30 ack@150 fix@700
# Saturday 27 September: the desk is closed; the portal and the mailbox are not
INC-147 Sat 10:20 web     access   user           fix@10 ok@200
INC-148 Sat 15:05 email   email    stopped        as@10 ack@30 fix@300 ok@400
CMP-149 Sat 21:30 web     network  policy/s3u3    ack@30 class@100
# Sunday 28 September: a make-up working day before the National Day holiday
INC-150 Sun 09:10 phone   network  degraded       as@5 ack@20 fix@240 ok@300
ASK-151 Sun 09:40 chat    software low            fix@10 close@300
INC-152 Sun 10:15 web     email    stopped        as@20 ack@50
REQ-153 Sun 11:00 web     access   user           appr@10 approve@120
INC-154 Sun 13:30 email   printing user           as@15 ack@90
CMP-155 Sun 14:20 phone   access   service/s3u2   ack@15 class@40 handle@50
INC-156 Sun 15:00 walk-in hardware user           fix@20 ok@25
INC-157 Sun 16:00 phone   network  team           as@5 ack@30
ASK-158 Sun 17:30 email   email    low
"""

KINDS = {
    "INC": TicketKind.INCIDENT,
    "REQ": TicketKind.SERVICE_REQUEST,
    "ASK": TicketKind.CONSULTATION,
    "CMP": TicketKind.COMPLAINT,
    "PRB": TicketKind.PROBLEM,
    "CHG": TicketKind.CHANGE,
}
CHANNELS = {
    "phone": Channel.PHONE,
    "email": Channel.EMAIL,
    "web": Channel.WEB,
    "chat": Channel.CHAT,
    "walk-in": Channel.ON_SITE,
}
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclasses.dataclass(frozen=True)
class Row:
    """One request of the intake table, parsed."""

    ticket_id: str
    kind: TicketKind
    day: int
    opened_at: dt.datetime
    channel: Channel | None
    category: str
    facts: str
    vip: bool
    complaint_type: ComplaintType | None
    severity: int | None
    urgency: int | None
    plan: tuple[tuple[str, int], ...]


def _row(line: str) -> Row:
    ticket_id, day_name, clock, channel, category, facts, *steps = line.split()
    day = DAY_NAMES.index(day_name)
    parts = facts.split("/")
    vip = parts[-1] == "vip"
    complaint_type = severity = urgency = None
    if ticket_id.startswith("CMP"):
        complaint_type = ComplaintType(parts[0])
        severity, urgency = int(parts[1][1]), int(parts[1][3])
    plan = tuple(
        (verb, int(minutes)) for verb, minutes in (s.split("@") for s in steps if s != "story")
    )
    return Row(
        ticket_id=ticket_id,
        kind=KINDS[ticket_id[:3]],
        day=day,
        opened_at=at(day, clock),
        channel=CHANNELS.get(channel),
        category=category,
        facts=parts[0],
        vip=vip,
        complaint_type=complaint_type,
        severity=severity,
        urgency=urgency,
        plan=plan,
    )


#: The week's requests, in the order they arrived.
INTAKE = tuple(
    _row(line) for line in INTAKE_TABLE.splitlines() if line and not line.startswith("#")
)

#: The story tickets: (day, time, actor, role, command), after their opening.
STORIES: dict[str, tuple[tuple[int, str, str, str, Command], ...]] = {
    # A VIP customer complains on the hotline: the five steps of the complaint standard.
    "CMP-113": (
        (1, "10:20", "li.na", "agent", Acknowledge(note="受理 accepted on the hotline")),
        (
            1,
            "10:50",
            "li.na",
            "agent",
            Classify(complaint_type=ComplaintType.SERVICE, response_level=1),
        ),
        (
            1,
            "11:00",
            "li.na",
            "agent",
            Escalate(kind=EscalationKind.HIERARCHICAL, reason="level 1: management leads"),
        ),
        (1, "11:10", MANAGER, "manager", Advance(event="handle", reason="duty manager leads")),
        (
            1,
            "17:30",
            MANAGER,
            "manager",
            Resolve(code="apology_credit", note="VPN restored, one month credited"),
        ),
        (2, "10:00", "li.na", "agent", ConfirmResolution(note="follow-up call: satisfied")),
        (2, "10:10", "li.na", "agent", Archive(note="filed with the call recording")),
    ),
    # The fix for the branch VPN drops: a normal change through the CAB.
    "CHG-115": (
        (1, "11:30", "chen.jie", "agent", Advance(event="assess")),
        (
            2,
            "10:00",
            "chen.jie",
            "agent",
            Advance(event="request_authorisation", fields={"risk": "moderate"}),
        ),
        (
            3,
            "16:00",
            "cab",
            "cab",
            Advance(
                event="approve",
                fields={"approval": "CAB-2025-39", "planned_start": "2025-09-27 22:00"},
            ),
        ),
        (5, "22:00", "chen.jie", "agent", Advance(event="implement")),
        (
            5,
            "23:40",
            "chen.jie",
            "agent",
            Resolve(code="successful", note="firmware 9.3 installed, tunnels stable"),
        ),
        (6, "10:30", "cab", "cab", Close(fields={"review": "no incident since"})),
    ),
    # The problem behind the VPN incidents of the week.
    "PRB-132": (
        (3, "11:20", "chen.jie", "agent", Acknowledge(note="VPN repeats")),
        (
            4,
            "15:00",
            "chen.jie",
            "agent",
            Advance(
                event="record_known_error",
                fields={
                    "root_cause": "firmware bug in the branch VPN concentrator",
                    "workaround": "restart the tunnel",
                },
            ),
        ),
        (6, "11:00", "chen.jie", "agent", Resolve(code="fix_applied", note="fixed by CHG-115")),
    ),
}

#: Who asked: one requester per ticket, named from a small pool of customers.
CUSTOMERS = ("Ms Zhao", "Mr Qian", "Ms Sun", "Mr Li", "Ms Zhou", "Mr Wu", "Ms Zheng", "Mr Wang")
