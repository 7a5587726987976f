"""Tickets and their events as the released format stored them still load, zones included.

``fixtures/released/tickets.jsonl`` was written once, one envelope per line, by
``Serializer().dumps`` of the release before the aggregate kernel (commit 4f7ec6a), running
``python tests/serialization/test_serialization_tickets_released.py --write`` there. It is what
users have on disk and is never rewritten. It holds the events of:

* a VIP complaint in Asia/Shanghai through its five steps, opened with every intake field kind
  (text, enums, ints, datetimes in the zone and at a fixed +05:30 offset, nested JSON
  attributes), then acknowledged, classified (priority with its explanation), escalated both
  ways, commented and work-noted, resolved, rejected (a reason), resolved again, confirmed,
  surveyed and archived;
* an incident in Shanghai held, resumed, resolved and closed, and a normal change carrying
  workflow fields (attributes) through CAB approval;
* a ServiceNow-like history imported leniently, so its events carry every import flag;

and the three tickets they build. Each line must load with today's serializer as the value
:func:`released_values` builds with today's code, every datetime in the same zone.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import zoneinfo
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs
import pytest

from itsm_core.serialization import Serializer
from itsm_core.tickets import (
    BUILTIN_WORKFLOWS,
    Acknowledge,
    AddComment,
    Advance,
    Archive,
    Assign,
    Channel,
    Classify,
    Close,
    CommandContext,
    ComplaintType,
    ConfirmResolution,
    CustomerTier,
    Escalate,
    EscalationKind,
    Hold,
    HoldReason,
    ImportMode,
    LinkSurvey,
    Observation,
    OpenTicket,
    RejectResolution,
    Resolve,
    Resume,
    TicketKind,
    decide,
    import_history,
)

FIXTURE = Path(__file__).parent / "fixtures" / "released" / "tickets.jsonl"
#: One serializer for every line (building one costs tens of milliseconds).
SERIALIZER = Serializer()
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
KOLKATA_OFFSET = dt.timezone(dt.timedelta(hours=5, minutes=30))
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)


def _as(role: str, hours: float, actor: str | None = None) -> CommandContext:
    return CommandContext(actor=actor or f"{role}-1", role=role, now=T0 + dt.timedelta(hours=hours))


def _without_confirmed_closure() -> Any:
    """The workflows as released: staff closed a resolved incident without the customer's
    confirmation. Today that is a copy of the incident workflow without the
    ``customer_confirmed`` guard on ``close`` (confirmed closure is configured per workflow)."""
    incident = BUILTIN_WORKFLOWS.get("incident")
    transitions = [
        attrs.evolve(t, guards=()) if t.event == "close" else t for t in incident.transitions
    ]
    return BUILTIN_WORKFLOWS.with_workflow(attrs.evolve(incident, transitions=transitions))


def _story(steps: list[tuple[CommandContext, Any]]) -> tuple[Any, list[Any]]:
    ticket: Any = None
    trail: list[Any] = []
    for ctx, command in steps:
        ticket, events = decide(ticket, command, ctx)
        trail.extend(events)
    return ticket, trail


def _complaint() -> tuple[Any, list[Any]]:
    opening = OpenTicket(
        ticket_id="CMP-1",
        kind=TicketKind.COMPLAINT,
        requester="王伟",
        symptom="账单重复扣费",
        channel=Channel.PHONE,
        customer_tier=CustomerTier.VIP,
        service="billing",
        configuration_item="CI-BILL-9",
        occurred_at=T0 - dt.timedelta(days=1),
        impact_scope="one VIP customer",
        expected_resolution_at=dt.datetime(2026, 3, 4, 6, 30, tzinfo=KOLKATA_OFFSET),
        category="billing",
        impact=2,
        urgency=2,
        priority=2,
        attributes={"order": "SO-88", "amounts": [12.5, 3], "vip": True, "note": {"k": None}},
    )
    return _story(
        [
            (_as("agent", 0), opening),
            (_as("agent", 1), Acknowledge(note="收到，正在核实")),
            (
                _as("agent", 1.5),
                Classify(
                    complaint_type=ComplaintType.SERVICE,
                    response_level=1,
                    priority=1,
                    explanation=("impact 2", "VIP: one level up"),
                ),
            ),
            (_as("agent", 2), Assign(group="billing-l2", assignee="zhao", reason="billing")),
            (_as("agent", 2.5), Escalate(kind=EscalationKind.FUNCTIONAL, reason="needs L2")),
            (
                _as("supervisor", 3),
                Escalate(kind=EscalationKind.HIERARCHICAL, reason="level 1: management"),
            ),
            (_as("manager", 3.5), Advance(event="handle", reason="refund approved")),
            (_as("customer", 4, "王伟"), AddComment(text="请尽快处理")),
            (_as("manager", 4.5), AddComment(text="退款单 RF-1 已提交", internal=True)),
            (_as("manager", 5), Resolve(code="refund", note="duplicate charge refunded")),
            (_as("customer", 6, "王伟"), RejectResolution(reason="refund not received")),
            (_as("manager", 7), Resolve(code="refund", note="refund re-sent")),
            (_as("customer", 30, "王伟"), ConfirmResolution(note="received, thanks")),
            (_as("agent", 31), LinkSurvey(survey="SV-CMP-1")),
            (_as("agent", 32), Archive(note="filed")),
        ]
    )


def _incident() -> tuple[Any, list[Any]]:
    return _story(
        [
            (
                _as("agent", 0),
                OpenTicket(
                    ticket_id="INC-7", kind=TicketKind.INCIDENT, requester="li", symptom="VPN"
                ),
            ),
            (_as("agent", 1), Hold(reason=HoldReason.AWAITING_CUSTOMER, note="logs asked")),
            (_as("customer", 3, "li"), Resume(note="logs sent")),
            (_as("agent", 4), Resolve(code="config", note="proxy corrected")),
            (
                attrs.evolve(_as("agent", 80), workflows=_without_confirmed_closure()),
                Close(reason="no reply in three days"),
            ),
        ]
    )


def _change() -> tuple[Any, list[Any]]:
    return _story(
        [
            (
                _as("agent", 0),
                OpenTicket(
                    ticket_id="CHG-3",
                    kind=TicketKind.CHANGE,
                    requester="ops",
                    attributes={"affects_customer_business": False},
                ),
            ),
            (_as("agent", 1), Advance(event="assess")),
            (_as("agent", 2), Advance(event="request_authorisation", fields={"risk": "low"})),
            (
                _as("cab", 3),
                Advance(
                    event="approve",
                    fields={"approval": "CAB-42", "planned_start": "2026-03-05T22:00+08:00"},
                ),
            ),
        ]
    )


def _imported() -> Any:
    opened = T0 + dt.timedelta(days=3)
    rows = [
        ("in_progress", 1, "ana", {}),
        ("in_progress", 2, "ana", {}),  # repeated_state
        ("on_hold", 3, "ana", {"hold_reason": "awaiting_vendor"}),
        ("resolved", 2.5, "bo", {"resolution_code": "fixed", "resolution_note": "patched"}),
        ("new", 5, "bo", {}),  # not_in_workflow
    ]
    return import_history(
        OpenTicket(ticket_id="INC-9", kind=TicketKind.INCIDENT, requester="sn-user"),
        [
            Observation(
                at=opened + dt.timedelta(hours=hours), state=state, actor=actor, row=i, fields=f
            )
            for i, (state, hours, actor, f) in enumerate(rows, start=2)
        ],
        opened_at=opened,
        opened_by="import",
        mode=ImportMode.LENIENT,
    )


def released_values() -> list[object]:
    """Every value of the fixture, in file order: each story's events, then its ticket."""
    values: list[object] = []
    for ticket, events in (_complaint(), _incident(), _change()):
        values.extend(events)
        values.append(ticket)
    imported = _imported()
    values.extend(imported.events)
    values.append(imported.ticket)
    return values


def _lines() -> list[str]:
    return FIXTURE.read_text(encoding="utf-8").splitlines()


def _zones(value: object, path: str = "") -> Iterator[tuple[str, object]]:
    """Every datetime inside ``value`` with its path and zone (attrs fields, mappings, tuples)."""
    if isinstance(value, dt.datetime):
        yield path, value.tzinfo
    elif attrs.has(kind := type(value)):
        for field in attrs.fields(kind):
            yield from _zones(getattr(value, field.name), f"{path}.{field.name}")
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _zones(item, f"{path}.{key}")
    elif isinstance(value, tuple | list):
        for index, item in enumerate(value):
            yield from _zones(item, f"{path}[{index}]")


def test_the_fixture_holds_every_value_of_the_story() -> None:
    lines = _lines()
    assert len(lines) == len(released_values())
    kinds = [json.loads(line)["type"] for line in lines]
    assert kinds.count("ticket") == 4
    assert all(json.loads(line)["version"] == 1 for line in lines)
    # What the upcaster is for: version 1 wrote the datetimes an event set without their zone.
    assert json.loads(lines[1])["data"]["payload"] == {
        "acknowledged_at": "2026-03-02T10:00:00+08:00"
    }


@pytest.mark.parametrize("index", range(len(released_values())))
def test_every_released_line_loads_as_todays_value_zones_included(index: int) -> None:
    expected = released_values()[index]
    loaded = SERIALIZER.loads(_lines()[index])
    assert loaded == expected
    assert dict(_zones(loaded)) == dict(_zones(expected))


def test_the_story_covers_every_kind_of_payload_value() -> None:
    payload_keys = {key for value in released_values() for key in getattr(value, "payload", {})}
    assert {"occurred_at", "channel", "priority_explanation", "comment", "work_note"} <= (
        payload_keys
    )
    assert {"attributes", "support_level", "hold_reason", "resolved_at"} <= payload_keys
    flags = {flag for value in released_values() for flag in getattr(value, "flags", ())}
    assert flags == {"imported", "repeated_state", "out_of_order", "not_in_workflow"}
    zones = {
        zone for value in released_values() for _, zone in _zones(value) if zone is not SHANGHAI
    }
    assert zones == {KOLKATA_OFFSET}


def _write() -> None:  # pragma: no cover - run once, with the released code
    serializer = Serializer()
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(serializer.dumps(value) + "\n" for value in released_values())
    FIXTURE.write_text(text, encoding="utf-8")


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:  # pragma: no cover
    _write()
