"""The call-detail importer: a CSV export through a mapping file into call events."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from itsm_core.adapters.cdr import CdrMapping, parse_cdr, read_cdr
from itsm_core.calls import CallStatus, interval_kpis
from itsm_core.errors import DeserializationError, InvalidMapping

MAPPING_FILE = Path(__file__).resolve().parents[2] / "examples" / "mappings" / "cdr.json"
MAPPING = CdrMapping.from_dict(json.loads(MAPPING_FILE.read_text(encoding="utf-8")))
HEADER = (
    "CallID,Start,Disposition,QueueSec,TalkSec,WrapSec,Agent,Queue,ANI,Ticket,FCR,Callback,"
    "Transfer\n"
)
ROWS = (
    "C1,2026-03-02 09:00:00,ANSWERED,12,180,0:01:00,ana,hotline,131,INC1,Y,,\n"
    "C2,2026-03-02 09:01:00,ABANDON,40,,,,hotline,132,,,Y,\n"
    "C3,2026-03-02 09:02:00,ANSWERED,25,300,30,bo,hotline,133,,N,,cy\n"
)


def write(tmp_path: Path, data: bytes, name: str = "cdr.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_an_export_reads_into_calls(tmp_path: Path) -> None:
    imported = read_cdr(write(tmp_path, (HEADER + ROWS).encode("utf-8-sig")), MAPPING)
    first, second, third = (item.call for item in imported)
    assert [item.line for item in imported] == [2, 3, 4]
    assert first.offered_at == dt.datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert (first.wait, first.talk, first.wrap_up) == (
        dt.timedelta(seconds=12),
        dt.timedelta(seconds=180),
        dt.timedelta(seconds=60),
    )
    assert (first.resolved, first.ticket_ids, first.caller) == (True, ("INC1",), "131")
    assert second.status is CallStatus.ABANDONED
    assert second.callback_requested_at == second.abandoned_at
    assert third.agents == ("bo", "cy")
    assert third.resolved is False
    (row,) = interval_kpis(
        (item.call for item in imported),
        start=first.offered_at,
        end=first.offered_at + dt.timedelta(minutes=15),
        interval=dt.timedelta(minutes=15),
    )
    assert (row.offered, row.answered, row.abandoned, row.answered_within) == (3, 2, 1, 1)


def test_every_bad_cell_is_named_by_line_and_field() -> None:
    good = dict.fromkeys(HEADER.strip().split(","), "")
    good.update(CallID="C1", Start="2026-03-02 09:00:00", Disposition="ANSWERED", QueueSec="12")
    good["Agent"] = "ana"
    rows: list[tuple[int, dict[str, Any]]] = [
        (2, {**good, "Disposition": "BUSY"}),
        (3, {**good, "CallID": "C3", "Start": "yesterday"}),
        (4, {**good, "CallID": "C4", "QueueSec": "9" * 5000}),
        (5, {**good, "CallID": "C5", "Agent": ""}),
        (6, {**good, "CallID": ""}),
        (7, good),
        (8, good),
        (9, {**good, "CallID": "C9", "Start": "9999-12-31 23:59:59", "QueueSec": "600"}),
        (10, {"CallID": "C10"}),
    ]
    with pytest.raises(DeserializationError) as caught:
        parse_cdr(rows, MAPPING, source="cdr.csv")
    found = [str(p) for p in caught.value.problems]
    expected = [
        "line 2, field outcome (column 'Disposition'): unmapped outcome 'BUSY'",
        "line 3, field offered_at (column 'Start'): 'yesterday' is not a time in '%Y-%m-%d",
        "line 4, field wait (column 'QueueSec'): '99999",
        "line 5, field agent (column 'Agent'): required for an answered call",
        "line 6, field call (column 'CallID'): required, but missing",
        "line 8, field call (column 'CallID'): call 'C1' already on line 7",
        "line 9, field offered_at (column 'Start'): the call's times run past year 9999",
        "line 10, field offered_at (column 'Start'): no such column in this record",
    ]
    for text in expected:
        assert any(problem.startswith(text) for problem in found), (text, found)
    assert "cdr.csv" in str(caught.value)


@pytest.mark.parametrize(
    ("data", "where"),
    [
        (b"CallID,Start\nC1,\xff\n", "line 2"),  # not UTF-8
        (b"CallID,Start\nC1,2026\x00\n", "line 2"),  # a NUL the csv module refuses
        (b"CallID,Start\n" + b'"' + b"x" * 200_000 + b'",1\n', "line 2"),  # over the field limit
        (b"CallID,Start,Disposition\nC1\n", "line 2"),  # cut short
        (b"CallID\nC1,extra\n", "line 2"),  # more cells than the header
        (b"", "line 1"),  # no header
    ],
)
def test_unreadable_files_are_itsm_errors_naming_the_line(
    tmp_path: Path, data: bytes, where: str
) -> None:
    path = write(tmp_path, data)
    with pytest.raises(DeserializationError) as caught:
        read_cdr(path, MAPPING)
    assert str(path) in str(caught.value)
    assert any(p.path.startswith(where) for p in caught.value.problems), caught.value


def test_a_missing_file_or_a_folder_is_an_itsm_error(tmp_path: Path) -> None:
    with pytest.raises(DeserializationError, match="cannot read"):
        read_cdr(tmp_path / "nothing.csv", MAPPING)
    with pytest.raises(DeserializationError):
        read_cdr(tmp_path, MAPPING)


def test_the_mapping_round_trips_and_lists_every_problem() -> None:
    assert CdrMapping.from_dict(MAPPING.to_dict()) == MAPPING
    with pytest.raises(InvalidMapping) as caught:
        CdrMapping.from_dict(
            {
                "columns": {"call": "id", "colour": "c", "agent": 3},
                "outcomes": {"ANSWERED": "picked up"},
                "time_zone": "Mars/Olympus",
                "missing": "?",
                "extra": 1,
            }
        )
    paths = {p.path for p in caught.value.problems}
    assert paths == {
        "extra",
        "columns.colour",
        "columns.agent",
        "columns.offered_at",
        "columns.outcome",
        "outcomes.ANSWERED",
        "time_zone",
        "missing",
    }
    with pytest.raises(InvalidMapping):
        CdrMapping.from_dict([1, 2])  # type: ignore[arg-type]
