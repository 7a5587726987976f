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
    STATE_MAP,
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
    assert [p.path for p in info.value.problems] == ["row 1", "row 2"]


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
