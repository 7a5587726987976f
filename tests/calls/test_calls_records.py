"""Call records on the kernel: what may follow what, derived times, duty and handover."""

from __future__ import annotations

import datetime as dt

import pytest

from itsm_core.calls import (
    CALL,
    CallEvent,
    CallEventKind,
    CallStatus,
    HandoverEntry,
    Shift,
    call_events,
    check_duty,
    record,
)
from itsm_core.errors import InvalidEventStream, NaiveDatetimeError, ValidationError

T = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
S = dt.timedelta(seconds=1)
H = dt.timedelta(hours=1)
K = CallEventKind


def test_a_call_recorded_fact_by_fact_replays_to_the_same_call() -> None:
    call, events = record(None, K.OFFERED, T, call_id="C1", caller="131", queue="vpn")
    history = list(events)
    for kind, at, fields in (
        (K.QUEUED, T, {}),
        (K.ANSWERED, T + 12 * S, {"agent": "ana"}),
        (K.TRANSFERRED, T + 40 * S, {"agent": "bo"}),
        (K.TICKET_LINKED, T + 50 * S, {"ticket_id": "INC1"}),
        (K.ENDED, T + 192 * S, {"resolved": True}),
        (K.WRAPPED_UP, T + 252 * S, {}),
    ):
        call, events = record(call, kind, at, **fields)
        history.extend(events)
    assert CALL.replay(history) == call
    assert call.status is CallStatus.DONE
    assert call.version == 7
    assert (call.agent, call.agents, call.transferred, call.ticket_ids) == (
        "ana",
        ("ana", "bo"),
        True,
        ("INC1",),
    )
    assert (call.wait, call.talk, call.wrap_up, call.handle) == (12 * S, 180 * S, 60 * S, 240 * S)
    assert call.resolved is True
    assert call.queue == "vpn"


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        (
            [(K.ABANDONED, 5, {}), (K.ANSWERED, 6, {"agent": "ana"})],
            "answered cannot follow status abandoned",
        ),
        (
            [(K.ANSWERED, 5, {"agent": "ana"}), (K.ANSWERED, 6, {"agent": "bo"})],
            "answered cannot follow",
        ),
        (
            [(K.ANSWERED, 5, {"agent": "ana"}), (K.ENDED, 4, {"resolved": True})],
            "before the previous",
        ),
        ([(K.WRAPPED_UP, 5, {})], "wrapped_up cannot follow status offered"),
        ([(K.OFFERED, 5, {})], "offered once"),
    ],
)
def test_facts_out_of_order_are_refused_and_change_nothing(facts: list, message: str) -> None:  # type: ignore[type-arg]
    call, _ = record(None, K.OFFERED, T, call_id="C1")
    *before, (kind, seconds, fields) = facts
    for earlier, at, details in before:
        call, _ = record(call, earlier, T + at * S, **details)
    kept = call
    with pytest.raises(InvalidEventStream, match=message):
        record(call, kind, T + seconds * S, **fields)
    assert call == kept


def test_a_stream_must_start_with_an_offer_and_events_carry_what_their_kind_needs() -> None:
    with pytest.raises(InvalidEventStream, match="starts when it is offered"):
        CALL.replay([CallEvent(call_id="C1", sequence=1, kind=K.QUEUED, at=T)])
    with pytest.raises(ValidationError) as caught:
        CallEvent(call_id="", sequence=1, kind=K.ANSWERED, at=T, queue=" ")
    assert {p.path for p in caught.value.problems} == {"call_id", "agent", "queue"}
    with pytest.raises(NaiveDatetimeError):
        CallEvent(call_id="C1", sequence=1, kind=K.OFFERED, at=dt.datetime(2026, 3, 2))
    with pytest.raises(ValidationError, match="call_id"):
        record(None, K.OFFERED, T)
    with pytest.raises(ValidationError, match="wait"):
        call_events("C1", T, wait=-S)


def test_call_events_of_an_answered_call_without_a_wait() -> None:
    events = call_events(
        "C1", T, wait=dt.timedelta(0), answered_by="ana", talk=60 * S, ticket_id="INC9"
    )
    assert [e.kind for e in events] == [K.OFFERED, K.ANSWERED, K.ENDED, K.TICKET_LINKED]
    call = CALL.replay(events)
    assert call.wrap_up is None
    assert call.handle == 60 * S
    assert call.resolved is False
    waiting = CALL.replay(call_events("C2", T))
    assert waiting.status is CallStatus.QUEUED
    assert waiting.wait is None
    assert waiting.talk is None


DAY = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)


def test_a_covered_day_with_every_handover_is_continuous() -> None:
    shifts = [
        Shift(agent="ana", start=DAY, end=DAY + 8 * H),
        Shift(agent="bo", start=DAY + 8 * H, end=DAY + 16 * H),
        Shift(agent="cy", start=DAY + 16 * H, end=DAY + 24 * H),
    ]
    log = [
        HandoverEntry(at=DAY + 8 * H, from_agent="ana", to_agent="bo", open_items=("callback C4",)),
        HandoverEntry(
            at=DAY + 16 * H - 5 * 60 * S, from_agent="bo", to_agent="cy"
        ),  # cy not yet on: within 15 min
    ]
    assert check_duty(shifts, log, start=DAY, end=DAY + 24 * H).continuous


def test_gaps_and_missing_or_wrong_handovers_are_found() -> None:
    shifts = [
        Shift(agent="ana", start=DAY, end=DAY + 8 * H),
        Shift(agent="bo", start=DAY + 9 * H, end=DAY + 16 * H),
        Shift(agent="cy", start=DAY + 16 * H, end=DAY + 24 * H),
    ]
    log = [HandoverEntry(at=DAY + 16 * H, from_agent="bo", to_agent="dee")]
    found = check_duty(shifts, log, start=DAY, end=DAY + 24 * H)
    assert [(g.start, g.end, g.on_duty) for g in found.gaps] == [(DAY + 8 * H, DAY + 9 * H, 0)]
    assert [(m.agent, m.problem) for m in found.missing_handovers] == [
        ("ana", "no handover entry"),
        ("bo", "handed over to no one on duty"),
    ]
    two = check_duty(shifts, log, start=DAY, end=DAY + 24 * H, minimum=2)
    assert two.gaps[0].start == DAY
    assert two.gaps[-1].end == DAY + 24 * H
    with pytest.raises(ValidationError) as caught:
        check_duty(["x"], [], start=DAY, end=DAY + H, minimum=0)  # type: ignore[list-item]
    assert {p.path for p in caught.value.problems} == {"minimum", "shifts[0]"}
    with pytest.raises(ValidationError, match="after start"):
        Shift(agent="ana", start=DAY, end=DAY)
