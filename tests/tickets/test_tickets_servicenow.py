"""Real data: the ServiceNow incident log replayed onto the incident workflow.

Data: "Incident management process enriched event log" (Amaral, Fantinato, Reijers, Peres,
2018), UCI Machine Learning Repository, CC BY 4.0; a 445-incident sample in ../shared/data.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import zoneinfo
from collections import Counter
from pathlib import Path

import pytest

from itsm_core.adapters.servicenow import (
    CARRIED_FIELDS,
    STATE_MAP,
    STATUS_MAP,
    ServiceNowRow,
    figures,
    import_incidents,
    observations,
    parse_level,
    parse_timestamp,
    read_incident_log,
)
from itsm_core.errors import DeserializationError, NaiveDatetimeError
from itsm_core.tickets import ImportMode, IncidentState, replay

Rows = tuple[ServiceNowRow, ...]
DOCS = Path(__file__).resolve().parents[2] / "docs" / "tickets" / "servicenow.md"


@pytest.fixture(scope="module")
def rows(servicenow_csv: Path) -> Rows:
    return read_incident_log(servicenow_csv, tz=dt.UTC)


def test_reading_matches_an_independent_csv_count(servicenow_csv: Path, rows: Rows) -> None:
    with servicenow_csv.open(newline="") as handle:
        raw = list(csv.DictReader(handle))
    assert len(rows) == len(raw) == 2989
    assert len({r["number"] for r in raw}) == 445
    assert set(Counter(r["incident_state"] for r in raw)) <= set(STATE_MAP)


def test_every_incident_replays_and_reopens_match_servicenow(
    servicenow_csv: Path, rows: Rows
) -> None:
    with servicenow_csv.open(newline="") as handle:
        raw = list(csv.DictReader(handle))
    reported: dict[str, int] = {}
    for r in raw:
        reported[r["number"]] = max(reported.get(r["number"], 0), int(r["reopen_count"]))
    for mode in ImportMode:
        results = import_incidents(rows, mode=mode)
        assert len(results) == 445
        for result in results:
            assert replay(result.events) == result.ticket
            # ServiceNow's own reopen counter is an independent oracle for our reopen events
            assert result.ticket.reopen_count == reported[result.ticket.id]
    strict = import_incidents(rows, mode=ImportMode.STRICT)
    assert all(r.ticket.state == IncidentState.CLOSED for r in strict)


def test_lenient_mode_records_every_row(rows: Rows) -> None:
    lenient = import_incidents(rows, mode=ImportMode.LENIENT)
    assert sum(len(r.events) - 1 for r in lenient) == len(rows)
    strict = import_incidents(rows, mode=ImportMode.STRICT)
    # strict: every row is a transition, a repeat, or a reported break
    assert sum(r.accepted + r.repeated + len(r.issues) for r in strict) == len(rows)


def test_figures_in_the_docs_are_current(rows: Rows) -> None:
    table = figures(rows).to_markdown()
    text = DOCS.read_text(encoding="utf-8")
    match = re.search(r"<!-- figures:start -->\n\n(.*?)\n<!-- figures:end -->", text, re.S)
    assert match is not None, "docs/tickets/servicenow.md lost its figures markers"
    assert match.group(1) == table, f"update docs/tickets/servicenow.md with:\n{table}"


def test_parsers_and_time_zone() -> None:
    lisbon = zoneinfo.ZoneInfo("Europe/Lisbon")
    summer = parse_timestamp("01-07-2016 12:00", lisbon)
    assert summer is not None
    assert summer.utcoffset() == dt.timedelta(hours=1)
    assert parse_level("3 - Moderate") == 3
    assert parse_level("?") is None
    with pytest.raises(ValueError, match="does not match"):
        parse_timestamp("2016-07-01 12:00", dt.UTC)


def test_bad_rows_are_all_reported(tmp_path: Path, servicenow_csv: Path) -> None:
    lines = servicenow_csv.read_text(encoding="utf-8").splitlines()
    bad = [
        lines[0],
        lines[1].replace("New", "Limbo", 1),
        lines[2].replace("29-02-2016 08:53", "?"),
        lines[3],
    ]
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(bad) + "\n", encoding="utf-8")
    with pytest.raises(DeserializationError) as info:
        read_incident_log(path, tz=dt.UTC)
    assert [(p.path, p.message) for p in info.value.problems] == [
        (
            "line 2, field incident_state",
            "'Limbo': unknown incident_state (known: New, Active, Awaiting User Info, "
            "Awaiting Evidence, Awaiting Problem, Awaiting Vendor, Resolved, Closed)",
        ),
        ("line 3", "sys_updated_at and opened_at (or sys_created_at) are required"),
    ]


def test_the_status_map_is_the_state_map() -> None:
    STATUS_MAP.check()
    assert {name: (t.state, t.hold_reason) for name, t in STATUS_MAP.statuses.items()} == {
        name: (state.value, hold) for name, (state, hold) in STATE_MAP.items()
    }
    assert STATUS_MAP.ticket_kind.value == "incident"


def test_time_zone_must_give_an_offset(servicenow_csv: Path) -> None:
    class Vague(dt.tzinfo):
        def utcoffset(self, _: dt.datetime | None) -> None:
            return None

        def dst(self, _: dt.datetime | None) -> None:
            return None

        def tzname(self, _: dt.datetime | None) -> str:
            return "vague"

    with pytest.raises(NaiveDatetimeError):
        read_incident_log(servicenow_csv, tz=Vague())


def test_hold_reasons_and_resolution_codes_are_mapped(rows: Rows) -> None:
    first = observations(rows[:4])
    assert [o.state for o in first] == ["new", "resolved", "resolved", "closed"]
    assert first[1].fields["resolution_code"] == "code 5"


def _changes_in_file(servicenow_csv: Path) -> tuple[Counter[str], dict[str, dict[str, str]]]:
    """Per column, how often a row's value differs from the previous row of its incident
    (the first row counts when it has a value); and each incident's last row (csv only)."""
    columns = {
        "assignment_group": "assignment_group",
        "assigned_to": "assignee",
        "priority": "priority",
        "category": "category",
    }
    with servicenow_csv.open(newline="") as handle:
        raw = list(csv.DictReader(handle))
    changes: Counter[str] = Counter()
    last: dict[str, dict[str, str]] = {}
    for row in raw:
        before = last.get(row["number"])
        for column, field in columns.items():
            previous = "?" if before is None else before[column]
            if row[column] != previous:
                changes[field] += 1
        last[row["number"]] = row
    return changes, last


def test_lenient_events_carry_every_field_change_of_the_rows(
    servicenow_csv: Path, rows: Rows
) -> None:
    changes, last = _changes_in_file(servicenow_csv)
    carried: Counter[str] = Counter()
    for result in import_incidents(rows, mode=ImportMode.LENIENT):
        for event in result.events:
            carried.update(k for k in CARRIED_FIELDS if k in event.payload)
        assert replay(result.events) == result.ticket
        final = last[result.ticket.id]
        # the ticket ends with the values of its last row (a "?" is no value)
        assert result.ticket.assignment_group == _text(final["assignment_group"])
        assert result.ticket.assignee == _text(final["assigned_to"])
        assert result.ticket.priority == parse_level(final["priority"])
    for field in ("assignment_group", "assignee", "priority", "category"):
        assert carried[field] == changes[field], field
    assert changes["assignment_group"] > 445  # the file does reassign


def _text(value: str) -> str | None:
    return None if value == "?" else value


def _row(number: int, state: str, minutes: int, group: str | None, priority: int) -> ServiceNowRow:
    at = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC) + dt.timedelta(minutes=minutes)
    return ServiceNowRow(
        row=number,
        number="INC9",
        state=state,
        updated_at=at,
        updated_by="ana",
        opened_at=dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC),
        opened_by="ana",
        caller="cy",
        contact_type="Phone",
        category="network",
        symptom=None,
        configuration_item=None,
        impact=2,
        urgency=2,
        priority=priority,
        assignment_group=group,
        assignee=None,
        closed_code=None,
        reopen_count=0,
    )


def test_strict_mode_carries_a_skipped_rows_change_with_the_next_event() -> None:
    rows = (
        _row(1, "New", 0, "L1", 3),
        _row(2, "New", 5, "L2", 3),  # repeats the state: strict mode records no event
        _row(3, "Active", 10, "L2", 2),
        _row(4, "Resolved", 20, "L3", 2),
    )
    (strict,) = import_incidents(rows, mode=ImportMode.STRICT)
    payloads = [{k: e.payload[k] for k in CARRIED_FIELDS if k in e.payload} for e in strict.events]
    assert [e.name for e in strict.events] == ["open", "acknowledge", "resolve"]
    assert payloads == [
        # the opening row's values (the group added to what the opening command sets)
        {"assignment_group": "L1", "priority": 3, "impact": 2, "urgency": 2, "category": "network"},
        {"assignment_group": "L2", "priority": 2},  # row 2's group arrives with row 3
        {"assignment_group": "L3"},
    ]
    (lenient,) = import_incidents(rows, mode=ImportMode.LENIENT)
    groups = [e.payload.get("assignment_group") for e in lenient.events]
    # open, then one event per row: rows 1 and 3 change no group, so they carry none
    assert groups == ["L1", None, "L2", None, "L3"]
    assert lenient.ticket.assignment_group == strict.ticket.assignment_group == "L3"
