"""Importing observed state histories, strictly and leniently."""

from __future__ import annotations

import datetime as dt

import pytest

from itsm_core.errors import NaiveDatetimeError
from itsm_core.tickets import (
    EventFlag,
    ImportMode,
    Observation,
    OpenTicket,
    TicketKind,
    import_history,
    replay,
)

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
OPENING = OpenTicket(ticket_id="INC9", kind=TicketKind.INCIDENT, requester="bob")


def obs(minutes: int, state: str, row: int, **fields: str) -> Observation:
    return Observation(
        at=T0 + dt.timedelta(minutes=minutes), state=state, actor="u", row=row, fields=fields
    )


HISTORY = [
    obs(1, "new", 1),
    obs(2, "in_progress", 2),
    obs(3, "on_hold", 3, hold_reason="awaiting_customer"),
    obs(4, "on_hold", 4, hold_reason="awaiting_problem"),
    obs(5, "on_hold", 5, hold_reason="awaiting_problem"),
    obs(0, "in_progress", 6),
    obs(7, "resolved", 7, resolution_code="code 6"),
    obs(8, "in_progress", 8),
    obs(9, "new", 9),
    obs(10, "resolved", 10),
    obs(11, "closed", 11),
]


def test_strict_import_reports_rows_that_break_the_workflow() -> None:
    result = import_history(OPENING, HISTORY, opened_at=T0, opened_by="op", mode=ImportMode.STRICT)
    assert [(i.row, i.from_state, i.to_state) for i in result.issues] == [
        (6, "on_hold", "in_progress"),
        (9, "in_progress", "new"),
    ]
    assert "recorded before the previous event" in result.issues[0].reason
    assert result.issues[1].reason.startswith("no transition to 'new' (allowed: hold -> on_hold")
    names = [e.name for e in result.events]
    # row 6 refused: the ticket stays on hold and row 7 resolves from there
    assert names == ["open", "acknowledge", "hold", "hold", "resolve", "reopen", "resolve", "close"]
    assert result.repeated == 2  # rows 1 and 5
    assert result.accepted == 7
    assert result.flagged == 0
    ticket = result.ticket
    assert ticket.state == "closed"
    assert ticket.reopen_count == 1
    assert ticket.acknowledged_at == T0 + dt.timedelta(minutes=2)
    assert all(e.flags == {EventFlag.IMPORTED} for e in result.events[1:])
    assert replay(result.events) == ticket


def test_lenient_import_records_everything_and_flags_what_the_workflow_refuses() -> None:
    result = import_history(OPENING, HISTORY, opened_at=T0, opened_by="op", mode=ImportMode.LENIENT)
    flags = {e.sequence: e.flags - {EventFlag.IMPORTED} for e in result.events[1:] if e.flagged}
    assert flags == {
        2: {EventFlag.REPEATED_STATE},
        6: {EventFlag.REPEATED_STATE},
        7: {EventFlag.OUT_OF_ORDER},
        10: {EventFlag.NOT_IN_WORKFLOW},
    }
    assert len(result.events) == 1 + len(HISTORY)
    assert result.flagged == 4
    assert result.issues == ()
    assert result.events[9].name == "observe"
    assert result.events[9].to_state == "new"
    assert result.ticket.state == "closed"
    assert replay(result.events) == result.ticket


def test_resolution_code_is_kept_and_hold_reason_cleared() -> None:
    history = [
        obs(1, "on_hold", 1, hold_reason="awaiting_vendor"),
        obs(2, "resolved", 2, resolution_code="c9"),
    ]
    result = import_history(OPENING, history, opened_at=T0, opened_by="op")
    assert result.ticket.resolution_code == "c9"
    assert result.ticket.hold_reason is None
    assert result.ticket.first_contact_resolution is False


def test_out_of_order_repeated_row_gets_both_flags() -> None:
    history = [obs(5, "new", 1), obs(1, "new", 2)]
    result = import_history(OPENING, history, opened_at=T0, opened_by="op", mode=ImportMode.LENIENT)
    assert result.events[2].flags == {
        EventFlag.IMPORTED,
        EventFlag.REPEATED_STATE,
        EventFlag.OUT_OF_ORDER,
    }


def test_observation_needs_an_aware_time() -> None:
    with pytest.raises(NaiveDatetimeError):
        Observation(at=dt.datetime(2026, 1, 1), state="new")
