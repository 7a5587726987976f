"""Files and arguments the command line once let escape as a traceback (UnicodeDecodeError,
RecursionError, ValueError, OverflowError, IsADirectoryError): each now ends with exit code 1
(a file is wrong) or 2 (the command line is wrong) and one line per problem naming where."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from itsm_core.cli import main

CALENDAR = Path(__file__).parent / "office.toml"
MAPPING = """
time_zone = "Asia/Shanghai"
time_format = "%Y-%m-%d %H:%M"
workflow = "incident"
[columns]
ticket = "id"
at = "time"
status = "status"
[statuses]
new = "new"
done = "resolved"
"""
LOG = "id,time,status\nT-1,2025-09-22 09:00,new\n"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("deep.json", b"[" * 100_000, "invalid JSON: nested too deep"),
        ("digits.json", b'{"name": ' + b"1" * 5000 + b"}", "invalid JSON: Exceeds the limit"),
        ("nan.json", b'{"name": NaN}', "invalid JSON: NaN is not a JSON number"),
        ("digits.toml", b"name = " + b"1" * 5000, "invalid TOML: Exceeds the limit"),
        ("deep.toml", b"name = " + b"[" * 100_000, "invalid TOML"),
        ("latin1.toml", b'name = "caf\xe9"', "not UTF-8 text"),
    ],
)
def test_a_definition_file_python_cannot_read_is_an_error_naming_it(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    code, out, err = run(
        "due", "--calendar", str(path), "--start", "2025-09-30T16:00", "--duration", "1 hours"
    )
    assert (code, out) == (1, "")
    assert err.startswith(f"itsm-core: error: {path}")
    assert message in err


@pytest.mark.parametrize(
    "calendar",
    [
        {"name": "x", "timezone": "America", "weekly": {}},  # a directory: IsADirectoryError
        {"name": "x", "timezone": "x" * 5000, "weekly": {}},  # OSError: file name too long
        {"name": 10**400, "timezone": "UTC", "weekly": {}},
    ],
    ids=["directory", "long-name", "huge-name"],
)
def test_a_calendar_python_cannot_read_is_an_error_naming_its_file(
    tmp_path: Path, calendar: object
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(calendar), encoding="utf-8")
    code, _, err = run(
        "elapsed",
        "--calendar",
        str(path),
        "--start",
        "2025-09-30T16:00",
        "--end",
        "2025-09-30T17:00",
    )
    assert code == 1
    assert err.startswith(f"itsm-core: error: {path}")


@pytest.mark.parametrize(
    "argv",
    [
        ("due", "--start", "9999-12-31T23:00", "--duration", "24 hours"),
        ("due", "--start", "0001-01-01T00:00", "--duration", "4 working hours"),
        ("due", "--start", "0001-01-01T00:00+14:00", "--duration", "4 hours"),
        ("elapsed", "--start", "0001-01-01T00:00", "--end", "0001-01-03T00:00"),
        ("elapsed", "--start", "9999-12-31T23:59-12:00", "--end", "9999-12-31T23:59"),
        ("due", "--start", "9999-12-28T00:00", "--duration", "999999 hours"),
    ],
)
def test_instants_at_the_ends_of_the_calendar_are_refused_not_a_traceback(
    argv: tuple[str, ...],
) -> None:
    command, *rest = argv
    code, out, err = run(command, "--calendar", str(CALENDAR), "--extrapolate", *rest)
    assert code in (1, 2)
    assert out == ""
    assert err.startswith("itsm-core: error: --")
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("log", "line"),
    [
        (LOG.encode() + b"T-1,2025-09-22 10:00,d\xf6ne\n", "line 3: not UTF-8 text"),
        (LOG.encode() + b"T-1,2025-09-22 10:00\n", "line 3: 2 cells, the header has 3 columns"),
        (LOG.encode() + b'T-1,2025-09-22 10:00,"' + b"x" * 200_000 + b'"\n', "line 3: unreadable"),
    ],
    ids=["not-utf8", "cut-short", "over-field-limit"],
)
def test_a_log_python_cannot_read_names_file_and_line(
    tmp_path: Path, log: bytes, line: str
) -> None:
    (tmp_path / "map.toml").write_text(MAPPING, encoding="utf-8")
    (tmp_path / "log.csv").write_bytes(log)
    code, out, err = run(
        "replay",
        str(tmp_path / "log.csv"),
        "--mapping",
        str(tmp_path / "map.toml"),
        "--no-progress",
    )
    assert (code, out) == (1, "")
    assert err == f"itsm-core: error: {tmp_path / 'log.csv'}, {line}" + err.split(line, 1)[1]


def test_a_log_that_cannot_be_read_names_it(tmp_path: Path) -> None:
    (tmp_path / "map.toml").write_text(MAPPING, encoding="utf-8")
    log = tmp_path / "absent.csv"
    code, out, err = run("replay", str(log), "--mapping", str(tmp_path / "map.toml"))
    assert (code, out) == (1, "")
    assert err == f"itsm-core: error: {log}: cannot read: No such file or directory\n"


@pytest.mark.parametrize("tz", ["America", "x" * 5000, "../etc"])
def test_a_report_zone_that_is_no_zone_is_a_usage_error(tmp_path: Path, tz: str) -> None:
    (tmp_path / "map.toml").write_text(MAPPING, encoding="utf-8")
    (tmp_path / "log.csv").write_text(LOG, encoding="utf-8")
    code, _, err = run(
        "replay",
        str(tmp_path / "log.csv"),
        "--mapping",
        str(tmp_path / "map.toml"),
        "--tz",
        tz,
        "--no-progress",
    )
    assert code == 2
    assert "--tz: unknown time zone" in err
