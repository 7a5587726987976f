"""Events as the audit trail: serialisation, replay errors, JSON payloads."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from itsm_core.errors import (
    DeserializationError,
    InvalidEventStream,
    NaiveDatetimeError,
    ValidationError,
)
from itsm_core.tickets import (
    AddComment,
    CommandContext,
    Comment,
    OpenTicket,
    TicketEvent,
    TicketKind,
    apply_event,
    decide,
    replay,
)
from itsm_core.tickets._json import freeze_json, thaw_json
from itsm_core.workflow import StatusCategory

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def opened() -> tuple[Any, list[TicketEvent]]:
    ctx = CommandContext(actor="ana", role="agent", now=T0)
    ticket, events = decide(
        None, OpenTicket(ticket_id="I-1", kind=TicketKind.INCIDENT, requester="b"), ctx
    )
    ticket, more = decide(ticket, AddComment(text="hi"), ctx)
    return ticket, [*events, *more]


def event(**overrides: Any) -> TicketEvent:
    values: dict[str, Any] = {
        "ticket_id": "I-1",
        "sequence": 3,
        "name": "hold",
        "at": T0,
        "actor": "ana",
        "role": "agent",
        "from_state": "new",
        "from_status": StatusCategory.NEW,
        "to_state": "on_hold",
        "to_status": StatusCategory.ON_HOLD,
        "payload": {"hold_reason": "awaiting_customer"},
    }
    values.update(overrides)
    return TicketEvent(**values)


def test_events_survive_json() -> None:
    ticket, events = opened()
    text = json.dumps([e.to_dict() for e in events])
    loaded = [TicketEvent.from_dict(d) for d in json.loads(text)]
    assert loaded == events
    assert replay(loaded) == ticket
    assert thaw_json(events[1].payload)["comment"]["text"] == "hi"


def test_event_validation() -> None:
    with pytest.raises(NaiveDatetimeError):
        event(at=dt.datetime(2026, 1, 1))
    with pytest.raises(ValidationError) as info:
        event(sequence=0, name="", from_status=None, flags={"odd"})
    assert {p.path for p in info.value.problems} == {"sequence", "name", "from_state", "flags"}
    with pytest.raises(ValidationError, match="not JSON-safe"):
        event(payload={"x": {1, 2}})
    with pytest.raises(ValidationError, match="not a finite number"):
        event(payload={"x": float("nan")})
    with pytest.raises(ValidationError, match="not a string"):
        event(payload={"x": {1: 2}})
    assert event().moved
    assert not event(to_state="new").moved
    assert not event(flags={"imported"}).flagged
    assert event(flags={"imported", "out_of_order"}).flagged


def test_from_dict_lists_every_problem() -> None:
    data = event().to_dict()
    data["at"] = "yesterday"
    data["to_status"] = "limbo"
    with pytest.raises(DeserializationError) as info:
        TicketEvent.from_dict(data)
    assert [p.path for p in info.value.problems] == ["at", "to_status"]
    with pytest.raises(DeserializationError) as info:
        TicketEvent.from_dict({"name": "x", "extra": 1})
    assert "extra" in {p.path for p in info.value.problems}
    bad = event().to_dict()
    bad["sequence"] = -1
    with pytest.raises(DeserializationError):
        TicketEvent.from_dict(bad)


def test_replay_refuses_broken_streams() -> None:
    ticket, events = opened()
    with pytest.raises(InvalidEventStream, match="no events"):
        replay([])
    with pytest.raises(InvalidEventStream, match="starts with 'open'"):
        replay(events[1:])
    with pytest.raises(InvalidEventStream, match="does not follow"):
        replay([events[0], events[1], events[1]])
    other = TicketEvent.from_dict({**events[1].to_dict(), "ticket_id": "I-2"})
    with pytest.raises(InvalidEventStream, match="is not 'I-1'"):
        replay([events[0], other])
    wrong_state = event(sequence=3, from_state="closed", from_status=StatusCategory.CLOSED)
    with pytest.raises(InvalidEventStream, match="is not the state"):
        apply_event(ticket, wrong_state)
    for payload, message in [
        ({"nonsense": 1}, "not a ticket field"),
        ({"priority": "high"}, "expected an int"),
        ({"archived": "yes"}, "expected a bool"),
        ({"hold_reason": "bored"}, "bored"),
        ({"comment": "hi"}, "comment mapping"),
        ({"comment": {"at": "x"}}, "payload.comment"),
        ({"attributes": [1]}, "expected a mapping"),
        ({"priority_explanation": "x"}, "list of strings"),
        ({"category": 3}, "expected a string"),
        ({"priority": 0}, "positive int"),
    ]:
        with pytest.raises(InvalidEventStream, match=message):
            apply_event(ticket, event(payload=payload))
    with pytest.raises(InvalidEventStream, match="payload"):
        apply_event(None, TicketEvent.from_dict({**events[0].to_dict(), "payload": {}}))


def test_attributes_merge_and_json_helpers() -> None:
    ticket, _ = opened()
    one = apply_event(ticket, event(payload={"attributes": {"a": 1}}))
    two = apply_event(
        one,
        event(
            sequence=4,
            from_state="on_hold",
            from_status=StatusCategory.ON_HOLD,
            payload={"attributes": {"b": [1, 2]}},
        ),
    )
    assert dict(two.attributes) == {"a": 1, "b": (1, 2)}
    assert thaw_json(freeze_json({"x": [{"y": (1,)}]})) == {"x": [{"y": [1]}]}


def test_comment_round_trip_and_validation() -> None:
    comment = Comment(at=T0, author="a", role="agent", text="t")
    assert Comment.from_json(comment.to_json()) == comment
    with pytest.raises(DeserializationError):
        Comment.from_json({"at": T0.isoformat()})
    with pytest.raises(ValidationError):
        Comment(at=T0, author=" ", role="agent", text="t")
    with pytest.raises(NaiveDatetimeError):
        Comment(at=dt.datetime(2026, 1, 1), author="a", role="agent", text="t")
