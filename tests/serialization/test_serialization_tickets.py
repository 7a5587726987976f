"""Tickets and their events in the one wire format: typed payloads by field type, zones kept,
and the upcasters that read the released version 1."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import pytest

from itsm_core.errors import DeserializationError
from itsm_core.serialization import Serializer, make_converter
from itsm_core.serialization._upcasters import ticket_event_v1_to_v2, ticket_v1_to_v2
from itsm_core.tickets import (
    Acknowledge,
    AddComment,
    Command,
    CommandContext,
    Comment,
    OpenTicket,
    Ticket,
    TicketEvent,
    TicketKind,
    decide,
)

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
SERIALIZER = Serializer()


def _story() -> tuple[Ticket, list[TicketEvent]]:
    ctx = CommandContext(actor="ana", role="agent", now=T0)
    opening = OpenTicket(
        ticket_id="INC-1",
        kind=TicketKind.INCIDENT,
        requester="wang",
        occurred_at=dt.datetime(2026, 3, 1, 20, tzinfo=NEW_YORK),
    )
    ticket, events = decide(None, opening, ctx)
    trail = list(events)
    steps: list[tuple[int, Command]] = [
        (1, Acknowledge()),
        (2, AddComment(text="回电", internal=True)),
    ]
    for hours, command in steps:
        later = CommandContext(actor="ana", role="agent", now=T0 + dt.timedelta(hours=hours))
        ticket, events = decide(ticket, command, later)
        trail.extend(events)
    return ticket, trail


def test_events_and_tickets_are_written_as_version_2_with_every_zone() -> None:
    ticket, events = _story()
    opened, acknowledged, noted = (SERIALIZER.dump(event) for event in events)
    assert (opened["type"], opened["version"]) == ("ticket_event", 2)
    assert opened["data"]["payload"]["occurred_at"] == "2026-03-01T20:00:00-05:00[America/New_York]"
    assert opened["data"]["payload"]["kind"] == "incident"
    assert acknowledged["data"]["payload"] == {
        "acknowledged_at": "2026-03-02T10:00:00+08:00[Asia/Shanghai]"
    }
    assert noted["data"]["payload"]["work_note"] == {
        "at": "2026-03-02T11:00:00+08:00[Asia/Shanghai]",
        "author": "ana",
        "role": "agent",
        "text": "回电",
    }
    envelope = SERIALIZER.dump(ticket)
    assert envelope["version"] == 2
    assert envelope["data"]["acknowledged_at"] == "2026-03-02T10:00:00+08:00[Asia/Shanghai]"


def test_the_converter_alone_round_trips_events_zones_included() -> None:
    # The interface the records layer uses: make_converter().unstructure / .structure.
    converter = make_converter()
    ticket, events = _story()
    for event in events:
        loaded = converter.structure(converter.unstructure(event), TicketEvent)
        assert loaded == event
        for key, value in event.payload.items():
            if isinstance(value, dt.datetime):
                assert loaded.payload[key].tzinfo is value.tzinfo  # type: ignore[attr-defined]
    note = converter.structure(converter.unstructure(events[2]), TicketEvent).payload["work_note"]
    assert isinstance(note, Comment)
    assert note.at.tzinfo is SHANGHAI
    assert converter.structure(converter.unstructure(ticket), Ticket) == ticket


@pytest.mark.parametrize(
    ("payload", "problems"),
    [
        ({"colour": "red"}, [("data.payload.colour", "'colour' is not a ticket payload field")]),
        ({"state": "closed"}, [("data.payload.state", "'state' is not a ticket payload field")]),
        ({"priority": "2"}, [("data.payload.priority", "expected an integer, got '2'")]),
        ({"priority": 0}, [("data.payload.priority", "0 is not a positive int (1 is highest)")]),
        ({"channel": "fax"}, [("data.payload.channel", "'fax' is not a valid Channel")]),
        (
            {"priority_explanation": "ab"},
            [("data.payload.priority_explanation", "expected a list, got 'ab'")],
        ),
        (
            {"comment": {"at": "2026-03-02T09:00:00+08:00", "author": "a", "role": "agent"}},
            [("data.payload.comment.text", "missing")],
        ),
        (
            {"resolved_at": "2026-03-02T09:00:00", "attributes": {"n": float("inf")}},
            [
                (
                    "data.payload.resolved_at",
                    "'2026-03-02T09:00:00' has no UTC offset (a time zone is required)",
                ),
                ("data.payload.attributes.n", "inf is not a finite number"),
            ],
        ),
    ],
)
def test_a_payload_is_read_by_the_types_of_the_fields_it_sets(
    payload: dict[str, Any], problems: list[tuple[str, str]]
) -> None:
    data = make_converter().unstructure(_story()[1][1]) | {"payload": payload}
    with pytest.raises(DeserializationError) as caught:
        SERIALIZER.load({"type": "ticket_event", "version": 2, "data": data})
    assert [(p.path, p.message) for p in caught.value.problems] == problems


# -- upcasters from version 1 ----------------------------------------------------------------

V1_EVENT: dict[str, Any] = {
    "ticket_id": "INC-1",
    "sequence": 2,
    "name": "comment",
    "at": "2026-03-02T10:00:00+08:00[Asia/Shanghai]",
    "actor": "ana",
    "role": "agent",
    "from_state": "new",
    "from_status": "new",
    "to_state": "new",
    "to_status": "new",
    "payload": {
        "acknowledged_at": "2026-03-02T10:00:00+08:00",
        "expected_resolution_at": "2026-03-04T06:30:00+05:30",
        "comment": {"at": "2026-03-02T10:00:00+08:00", "author": "a", "role": "r", "text": "t"},
        "symptom": "2026-03-02T10:00:00+08:00",
    },
    "reason": None,
    "flags": [],
}


def test_version_1_event_datetimes_get_the_zone_of_the_event_when_the_offset_agrees() -> None:
    upgraded = ticket_event_v1_to_v2(V1_EVENT)
    payload = upgraded["payload"]
    assert payload["acknowledged_at"] == "2026-03-02T10:00:00+08:00[Asia/Shanghai]"
    assert payload["comment"]["at"] == "2026-03-02T10:00:00+08:00[Asia/Shanghai]"
    # Another offset is all version 1 recorded: kept. Text fields are never touched.
    assert payload["expected_resolution_at"] == "2026-03-04T06:30:00+05:30"
    assert payload["symptom"] == "2026-03-02T10:00:00+08:00"
    assert V1_EVENT["payload"]["acknowledged_at"] == "2026-03-02T10:00:00+08:00"  # a copy
    event = SERIALIZER.load({"type": "ticket_event", "version": 1, "data": V1_EVENT}, TicketEvent)
    assert event.payload["acknowledged_at"].tzinfo is SHANGHAI  # type: ignore[attr-defined]


def test_an_offset_the_zone_does_not_have_at_that_instant_is_kept() -> None:
    summer = V1_EVENT | {
        "at": "2026-07-02T10:00:00-04:00[America/New_York]",
        "payload": {"resolved_at": "2026-01-02T10:00:00-04:00"},  # New York is -05:00 in January
    }
    assert ticket_event_v1_to_v2(summer)["payload"]["resolved_at"] == "2026-01-02T10:00:00-04:00"


def test_version_1_data_of_another_shape_is_left_for_the_converter_to_report() -> None:
    for data in [V1_EVENT | {"payload": [1]}, V1_EVENT | {"at": 5}, {"payload": {}}]:
        assert ticket_event_v1_to_v2(data) == data
    assert ticket_v1_to_v2({"updated_at": "x"}) == {"updated_at": "x"}
    with pytest.raises(DeserializationError) as caught:
        SERIALIZER.load({"type": "ticket_event", "version": 1, "data": V1_EVENT | {"payload": [1]}})
    assert [p.path for p in caught.value.problems] == ["data.payload"]


def test_version_1_ticket_datetimes_get_the_zone_of_its_last_event() -> None:
    ticket, _ = _story()
    data = make_converter().unstructure(ticket)
    released = data | {
        "acknowledged_at": "2026-03-02T10:00:00+08:00",
        "work_notes": [data["work_notes"][0] | {"at": "2026-03-02T11:00:00+08:00"}],
    }
    assert ticket_v1_to_v2(released) == data
    loaded = SERIALIZER.load({"type": "ticket", "version": 1, "data": released}, Ticket)
    assert loaded == ticket
    assert loaded.acknowledged_at is not None
    assert loaded.acknowledged_at.tzinfo is SHANGHAI
    assert loaded.occurred_at is not None
    assert loaded.occurred_at.tzinfo is NEW_YORK
