"""Bad input the importers once let escape (UnicodeDecodeError, RecursionError, ValueError,
csv.Error, TypeError, OSError) now fails as an ItsmError naming the file, line and field.

Each test is an input found by hand or by tests/fuzz; each failed before its fix.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from itsm_core.adapters.eventlog import EventLogMapping, parse_records, read_event_log
from itsm_core.adapters.jira import (
    parse_changelog,
    parse_issues,
    read_changelog,
    read_issues,
)
from itsm_core.adapters.jira import parse_timestamp as jira_time
from itsm_core.adapters.mapping import StatusMap
from itsm_core.adapters.servicenow import parse_level, read_incident_log
from itsm_core.adapters.servicenow import parse_timestamp as servicenow_time
from itsm_core.adapters.zendesk import loads_export, parse_export, read_export
from itsm_core.errors import DeserializationError, InvalidMapping

HUGE = 10**5000  # its repr, or int() of its digits, raises ValueError in Python
DEEP = "[" * 100_000 + "]" * 100_000


def _deep(depth: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(depth):
        value = [value]
    return value


def _id(value: object) -> str | None:
    """A test id for values pytest cannot print (an integer of thousands of digits)."""
    if isinstance(value, int) and value.bit_length() > 64:
        return "huge-int"
    return None


OVER_FIELD_LIMIT = "x" * (csv.field_size_limit() + 1)

MAPPING = EventLogMapping.from_dict(
    {
        "time_zone": "Asia/Shanghai",
        "time_format": "%Y-%m-%d %H:%M",
        "columns": {"ticket": "id", "at": "time", "status": "status", "priority": "level"},
        "workflow": "incident",
        "statuses": {"new": "new", "working": "in_progress", "done": "resolved"},
    }
)
HEADER = "id,time,status,level\n"
ROW = "T-1,2025-09-22 09:00,new,3\n"


def _file(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _problems(error: DeserializationError | InvalidMapping) -> list[str]:
    return [str(problem) for problem in error.problems]


# --- event logs ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "line"),
    [
        ("log.csv", (HEADER + ROW).encode() + b"T-1,2025-09-22 09:20,\xffworking,3\n", 3),
        ("log.jsonl", b'{"id": "T-1"}\n{"id": "\xff"}\n', 2),
    ],
)
def test_an_event_log_that_is_not_utf8_names_file_and_line(
    tmp_path: Path, name: str, data: bytes, line: int
) -> None:
    path = _file(tmp_path, name, data)
    with pytest.raises(DeserializationError) as info:
        read_event_log(path, MAPPING)
    assert info.value.subject == str(path)
    assert _problems(info.value) == [f"line {line}: not UTF-8 text"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (DEEP, "nested too deep"),
        ('{"id": ' + "7" * 5000 + "}", "4300 digits"),
        ('{"id": NaN}', "NaN is not a JSON number"),
    ],
)
def test_a_json_lines_log_line_python_cannot_read_names_its_line(
    tmp_path: Path, line: str, message: str
) -> None:
    path = _file(tmp_path, "log.jsonl", f'{{"id": "T-1"}}\n{line}\n'.encode())
    with pytest.raises(DeserializationError, match=message) as info:
        read_event_log(path, MAPPING)
    assert info.value.problems[0].path == "line 2"


def test_a_csv_cell_over_the_field_limit_names_the_line_where_its_record_starts(
    tmp_path: Path,
) -> None:
    # The record starts on line 3; the csv module has read up to line 5 when it gives up.
    data = HEADER + ROW + f'T-1,2025-09-22 09:20,"a\nb\n{OVER_FIELD_LIMIT}",3\n' + ROW
    path = _file(tmp_path, "log.csv", data.encode())
    with pytest.raises(DeserializationError, match="field larger than field limit") as info:
        read_event_log(path, MAPPING)
    assert info.value.subject == str(path)
    assert info.value.problems[0].path == "line 3"


def test_a_csv_row_cut_short_is_an_error_not_missing_fields(tmp_path: Path) -> None:
    path = _file(tmp_path, "log.csv", (HEADER + ROW + "T-1,2025-09-22 09:20,working\n").encode())
    with pytest.raises(DeserializationError) as info:
        read_event_log(path, MAPPING)
    assert info.value.subject == str(path)
    assert _problems(info.value) == [
        "line 3: 3 cells, the header has 4 columns: the row is cut short"
    ]


def test_a_level_of_thousands_of_digits_is_a_bad_cell(tmp_path: Path) -> None:
    path = _file(tmp_path, "log.csv", (HEADER + "T-1,2025-09-22 09:00,new," + "9" * 5000).encode())
    with pytest.raises(DeserializationError, match="not a level from 1 to 5") as info:
        read_event_log(path, MAPPING)
    assert info.value.problems[0].path.startswith("line 2, field priority")


@pytest.mark.parametrize(
    ("rows", "where"),
    [
        (
            [(2, {"id": "T-1", "time": "2025-09-22 09:00", "status": "new", "level": HUGE})],
            "line 2",
        ),
        ([(2, {"id": "T-1", "time": [[[]]], "status": "new"})], "line 2"),
        (["not a pair"], "rows[0]"),
        ([(2, ["id"])], "rows[0]"),
        ([("2", {})], "rows[0]"),
    ],
    ids=_id,
)
def test_parse_records_refuses_rows_it_cannot_read(rows: list[Any], where: str) -> None:
    with pytest.raises(DeserializationError) as info:
        parse_records(rows, MAPPING, source="payload")
    assert info.value.problems[0].path.startswith(where)


SERVICENOW_MAP: dict[Any, Any] = {"workflow": "incident", "statuses": {"New": "new"}}


@pytest.mark.parametrize(
    ("data", "where"),
    [
        ({**SERVICENOW_MAP, 1: "x"}, ""),
        ({**SERVICENOW_MAP, None: "x", "zz": 1}, ""),
        ({"workflow": "incident", "statuses": {1: "new", "b": "new"}}, "statuses"),
        ({"workflow": "incident", "statuses": {"a": {"state": "new", 2: 3}}}, "statuses.a"),
        ({**SERVICENOW_MAP, "kind": HUGE}, "kind"),
        ({"workflow": "incident", "statuses": {"a": {"state": "new", "hold_reason": HUGE}}}, ""),
    ],
    ids=_id,
)
def test_a_status_map_with_keys_that_are_not_text_is_invalid(
    data: dict[Any, Any], where: str
) -> None:
    with pytest.raises(InvalidMapping) as info:
        StatusMap.from_dict(data)
    assert any(problem.path.startswith(where) for problem in info.value.problems)


EVENT_LOG_MAPPING = {
    "columns": {"ticket": "id", "at": "time", "status": "status"},
    "time_zone": "UTC",
    **SERVICENOW_MAP,
}


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({1: "x"}, ""),
        ({"columns": {"ticket": "id", "at": "time", "status": "s", 5: "x"}}, "columns"),
        ({"channels": {7: "phone"}}, "channels"),
        ({"levels": {HUGE: 2}}, "levels"),
        ({"time_zone": "America"}, "time_zone"),  # a directory of zones: IsADirectoryError
        ({"time_zone": "x" * 5000}, "time_zone"),  # OSError: file name too long
        ({"time_zone": HUGE}, "time_zone"),
    ],
    ids=_id,
)
def test_an_event_log_mapping_that_python_cannot_read_is_invalid(
    change: dict[Any, Any], where: str
) -> None:
    with pytest.raises(InvalidMapping) as info:
        EventLogMapping.from_dict({**EVENT_LOG_MAPPING, **change})
    assert any(problem.path == where for problem in info.value.problems), info.value


# --- Jira ------------------------------------------------------------------------------------

ISSUES = "Issue key,Issue Type,Status,Reporter,Created\nIT-1,Incident,Open,ana,21/Nov/26 9:15 AM\n"
CHANGELOG = "Issue key,Created,Field,To\nIT-1,21/Nov/26 9:30 AM,status,Waiting for support\n"


def test_jira_files_that_are_not_utf8_name_file_and_line(tmp_path: Path) -> None:
    issues = _file(tmp_path, "issues.csv", ISSUES.encode() + b"IT-2,Incident,\xe9,ana,x\n")
    changelog = _file(tmp_path, "log.csv", CHANGELOG.encode().replace(b"Waiting", b"\xc3("))
    with pytest.raises(DeserializationError) as info:
        read_issues(issues, tz=dt.UTC)
    assert info.value.subject == str(issues)
    assert _problems(info.value) == ["line 3: not UTF-8 text (byte 0xe9 at column 15)"]
    with pytest.raises(DeserializationError, match="line 2: not UTF-8") as info:
        read_changelog(changelog, tz=dt.UTC)
    assert info.value.subject == str(changelog)


def test_a_jira_row_cut_short_or_over_the_field_limit_is_refused_with_its_line() -> None:
    with pytest.raises(DeserializationError, match="line 3: 3 cells") as info:
        parse_issues(ISSUES + "IT-2,Incident,Open\n", tz=dt.UTC, source="issues.csv")
    assert "issues.csv" in info.value.subject
    with pytest.raises(DeserializationError, match="line 2: unreadable CSV: field larger"):
        parse_changelog(CHANGELOG.replace("Waiting", OVER_FIELD_LIMIT), tz=dt.UTC)


ISSUE_ROW = {
    "Issue key": "IT-1",
    "Issue Type": "Incident",
    "Status": "Open",
    "Reporter": "ana",
    "Created": "21/Nov/26 9:15 AM",
}


@pytest.mark.parametrize(
    "rows",
    [
        [{**ISSUE_ROW, 1: "x"}],
        [{**ISSUE_ROW, "Summary": 7}],
        [{**ISSUE_ROW, "Summary": HUGE}],
        [["IT-1"]],
        {1: ISSUE_ROW},
        7,
    ],
    ids=_id,
)
def test_jira_rows_that_are_not_rows_of_text_are_refused(rows: Any) -> None:
    with pytest.raises(DeserializationError):
        parse_issues(rows, tz=dt.UTC)
    with pytest.raises(DeserializationError):
        parse_changelog(rows, tz=dt.UTC)


@pytest.mark.parametrize(
    "text", [None, 7, HUGE, "9" * 5000, "31/Feb/26 9:00 AM", "\ud800"], ids=_id
)
def test_jira_and_servicenow_times_that_do_not_parse_are_deserialization_errors(
    text: Any,
) -> None:
    # DeserializationError is a ValueError: callers that caught ValueError still do.
    with pytest.raises(DeserializationError):
        jira_time(text, dt.UTC)
    with pytest.raises(DeserializationError):
        servicenow_time(text, dt.UTC)


@pytest.mark.parametrize("text", ["9" * 5000 + " - High", " - High", "²", None, 3, "x - 1"])
def test_a_servicenow_level_that_is_not_one_is_a_deserialization_error(text: Any) -> None:
    with pytest.raises(DeserializationError):
        parse_level(text)


# --- ServiceNow --------------------------------------------------------------------------------

SERVICENOW_HEADER = (
    "number,incident_state,reopen_count,sys_updated_by,sys_updated_at,opened_by,opened_at,"
    "sys_created_at,caller_id,contact_type,category,u_symptom,cmdb_ci,impact,urgency,priority,"
    "assignment_group,assigned_to,closed_code\n"
)
SERVICENOW_ROW = (
    "INC1,New,0,ana,29-02-2016 01:16,ana,29-02-2016 01:16,29-02-2016 01:16,zhang,Phone,"
    "Category 55,Symptom 72,?,2 - Medium,2 - Medium,3 - Moderate,Group 56,Resolver 1,?\n"
)


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ((SERVICENOW_HEADER + SERVICENOW_ROW).encode() + b"INC2,\xff\n", "line 3: not UTF-8"),
        ((SERVICENOW_HEADER + "INC1,New,0\n").encode(), "line 2: 3 cells, the header has 19"),
        (
            (SERVICENOW_HEADER + SERVICENOW_ROW.replace("Symptom 72", OVER_FIELD_LIMIT)).encode(),
            "line 2: unreadable CSV",
        ),
        (
            (SERVICENOW_HEADER + SERVICENOW_ROW.replace(",0,", "," + "9" * 5000 + ",")).encode(),
            "line 2, field reopen_count",
        ),
    ],
)
def test_a_servicenow_log_python_cannot_read_names_file_and_line(
    tmp_path: Path, data: bytes, problem: str
) -> None:
    path = _file(tmp_path, "incidents.csv", data)
    with pytest.raises(DeserializationError, match=problem) as info:
        read_incident_log(path, tz=dt.UTC)
    assert str(path) in info.value.subject


# --- Zendesk ---------------------------------------------------------------------------------

TICKET = {
    "id": 1,
    "status": "new",
    "requester_id": 2,
    "created_at": "2026-11-02T08:00:00Z",
    "updated_at": "2026-11-02T08:00:00Z",
}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (DEEP, "nested too deep"),
        ('{"tickets": [{"id": ' + "1" * 5000 + "}]}", "4300 digits"),
        ('{"tickets": [{"id": NaN}]}', "NaN"),
        (b'{"tickets": []\xff}', "not UTF-8"),
        (7, "expected JSON text"),
    ],
)
def test_a_zendesk_export_python_cannot_read_is_a_deserialization_error(
    text: Any, message: str
) -> None:
    with pytest.raises(DeserializationError, match=message):
        loads_export(text)


def test_a_zendesk_file_that_is_not_utf8_names_its_line(tmp_path: Path) -> None:
    path = _file(tmp_path, "export.json", b'{"tickets": [\n{"subject": "\xff"}]}')
    with pytest.raises(DeserializationError) as info:
        read_export(path)
    assert info.value.subject == str(path)
    assert info.value.problems[0].path == "line 2"


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"id": HUGE}, "ticket.id"),
        ({"requester_id": -HUGE}, "ticket.requester_id"),
        ({"subject": _deep(100_000)}, "ticket.subject"),
        ({"created_at": HUGE}, "ticket.created_at"),
        ({"priority": HUGE}, "ticket.priority"),
    ],
    ids=_id,
)
def test_zendesk_values_python_cannot_show_are_named(change: dict[str, Any], where: str) -> None:
    data = {"ticket": {**TICKET, **change}}
    with pytest.raises(DeserializationError) as info:
        parse_export(data)
    assert [problem.path for problem in info.value.problems] == [where]


# --- files that cannot be read at all ----------------------------------------------------------


@pytest.mark.parametrize(
    "read",
    [
        lambda path: read_event_log(path, MAPPING),
        lambda path: read_issues(path, tz=dt.UTC),
        lambda path: read_changelog(path, tz=dt.UTC),
        lambda path: read_incident_log(path, tz=dt.UTC),
        read_export,
    ],
    ids=["event-log", "jira-issues", "jira-changelog", "servicenow", "zendesk"],
)
@pytest.mark.parametrize("name", ["missing.csv", "folder"])
def test_a_file_that_cannot_be_read_is_a_deserialization_error_naming_it(
    tmp_path: Path, read: Any, name: str
) -> None:
    """OSError (FileNotFoundError, IsADirectoryError) escaped every reader."""
    (tmp_path / "folder").mkdir()
    path = tmp_path / name
    with pytest.raises(DeserializationError) as caught:
        read(path)
    assert caught.value.subject == str(path)
    assert _problems(caught.value)[0].startswith("cannot read: ")
