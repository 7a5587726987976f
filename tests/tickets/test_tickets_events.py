"""Events as the audit trail: the converter's plain form, replay errors, typed payloads."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import attrs
import pytest

from itsm_core._checks import freeze_json
from itsm_core.errors import (
    DeserializationError,
    InvalidEventStream,
    NaiveDatetimeError,
    ValidationError,
)
from itsm_core.serialization import Serializer, make_converter
from itsm_core.serialization._converter import thaw
from itsm_core.tickets import (
    AddComment,
    CommandContext,
    Comment,
    HoldReason,
    OpenTicket,
    TicketEvent,
    TicketKind,
    apply_event,
    decide,
    replay,
)
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
        "payload": {"hold_reason": HoldReason.AWAITING_CUSTOMER},
    }
    values.update(overrides)
    return TicketEvent(**values)


def load(data: object) -> TicketEvent:
    """``data`` (the converter's plain form) as an event, through the serializer's checks."""
    return Serializer().load({"type": "ticket_event", "version": 2, "data": data}, TicketEvent)


def paths(caught: pytest.ExceptionInfo[DeserializationError]) -> list[str]:
    return [p.path.removeprefix("data.") for p in caught.value.problems]


def test_events_survive_json() -> None:
    ticket, events = opened()
    converter = make_converter()
    text = json.dumps([converter.unstructure(e) for e in events])
    loaded = [converter.structure(d, TicketEvent) for d in json.loads(text)]
    assert loaded == events
    assert replay(loaded) == ticket
    comment = events[1].payload["comment"]
    assert isinstance(comment, Comment)
    assert comment.text == "hi"
    assert thaw(converter.unstructure(events[1]))["payload"]["comment"]["text"] == "hi"


def test_event_validation() -> None:
    with pytest.raises(NaiveDatetimeError):
        event(at=dt.datetime(2026, 1, 1))
    with pytest.raises(ValidationError) as info:
        event(sequence=0, name="", from_status=None, flags={"odd"})
    assert {p.path for p in info.value.problems} == {"sequence", "name", "from_state", "flags"}
    with pytest.raises(ValidationError, match="not JSON-safe"):
        event(payload={"attributes": {"x": {1, 2}}})
    with pytest.raises(ValidationError, match="not a finite number"):
        event(payload={"attributes": {"x": float("nan")}})
    with pytest.raises(ValidationError, match="not a string"):
        event(payload={"attributes": {"x": {1: 2}}})
    assert event().moved
    assert not event(to_state="new").moved
    assert not event(flags={"imported"}).flagged
    assert event(flags={"imported", "out_of_order"}).flagged


def test_loading_lists_every_problem() -> None:
    data = make_converter().unstructure(event())
    data["at"] = "yesterday"
    data["to_status"] = "limbo"
    with pytest.raises(DeserializationError) as info:
        load(data)
    assert paths(info) == ["at", "to_status"]
    with pytest.raises(DeserializationError) as info:
        load({"name": "x", "extra": 1})
    assert "extra" in paths(info)
    bad = make_converter().unstructure(event())
    bad["sequence"] = -1
    with pytest.raises(DeserializationError):
        load(bad)


def test_replay_refuses_broken_streams() -> None:
    ticket, events = opened()
    with pytest.raises(InvalidEventStream, match="no events"):
        replay([])
    with pytest.raises(InvalidEventStream, match="starts at #1, not #2"):
        replay(events[1:])
    with pytest.raises(InvalidEventStream, match="starts with 'open'"):
        replay([attrs.evolve(events[1], sequence=1)])
    with pytest.raises(InvalidEventStream, match="does not follow"):
        replay([events[0], events[1], events[1]])
    other = attrs.evolve(events[1], ticket_id="I-2")
    with pytest.raises(InvalidEventStream, match="'I-2' is another ticket than 'I-1'"):
        replay([events[0], other])
    wrong_state = event(sequence=3, from_state="closed", from_status=StatusCategory.CLOSED)
    with pytest.raises(InvalidEventStream, match="is not the state"):
        apply_event(ticket, wrong_state)
    with pytest.raises(InvalidEventStream, match=r"payload\.requester: must not be empty"):
        apply_event(ticket, event(payload={"requester": ""}))
    with pytest.raises(InvalidEventStream, match="payload"):
        apply_event(None, attrs.evolve(events[0], payload={}))


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"nonsense": 1}, "payload.nonsense: not a ticket field"),
        ({"state": "closed"}, "payload.state: set from the event itself"),
        ({"priority": "high"}, "payload.priority: 'high' is not int"),
        ({"archived": "yes"}, "payload.archived: 'yes' is not bool"),
        ({"impact": True}, "payload.impact: True is not int"),
        ({"hold_reason": "bored"}, "payload.hold_reason: 'bored' is not a HoldReason"),
        ({"comment": "hi"}, "payload.comment: 'hi' is not Comment"),
        ({"comment": {"at": "x"}}, "payload.comment"),
        ({"attributes": [1]}, "payload.attributes: expected a mapping"),
        ({"priority_explanation": "x"}, "payload.priority_explanation: expected a list of str"),
        ({"category": 3}, "payload.category: 3 is not str"),
        ({"priority": 0}, "payload.priority: 0 is not a positive int"),
        ({"resolved_at": dt.datetime(2026, 1, 1)}, "payload.resolved_at: naive datetime"),
    ],
)
def test_a_payload_that_does_not_fit_the_ticket_is_refused_when_built(
    payload: dict[str, Any], message: str
) -> None:
    # Refused where the data enters, with the key and the value; the fold trusts its payload.
    with pytest.raises(ValidationError, match=message) as caught:
        event(payload=payload)
    assert type(caught.value) is ValidationError


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
    assert thaw(freeze_json({"x": [{"y": (1,)}]}, "x")) == {"x": [{"y": [1]}]}


def test_comment_round_trip_and_validation() -> None:
    comment = Comment(at=T0, author="a", role="agent", text="t")
    serializer = Serializer()
    assert serializer.load(serializer.dump(comment), Comment) == comment
    with pytest.raises(DeserializationError):
        serializer.load({"type": "comment", "version": 1, "data": {"at": T0.isoformat()}})
    with pytest.raises(ValidationError):
        Comment(at=T0, author=" ", role="agent", text="t")
    with pytest.raises(NaiveDatetimeError):
        Comment(at=dt.datetime(2026, 1, 1), author="a", role="agent", text="t")
