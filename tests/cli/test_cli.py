"""The `itsm-core` command line: answers equal the library's, errors name file, line and field,
exit codes, and output written whole or not at all."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsm_core.calendar import BusinessCalendar
from itsm_core.cli import main
from itsm_core.sla._duration import ACCEPTED_UNITS
from itsm_core.tickets import BUILTIN_WORKFLOWS
from itsm_core.workflow import render_mermaid

SHANGHAI = ZoneInfo("Asia/Shanghai")
OFFICE = {
    "name": "Shanghai office",
    "timezone": "Asia/Shanghai",
    "weekly": {
        day: [["09:00", "12:00"], ["13:00", "18:00"]]
        for day in ("monday", "tuesday", "wednesday", "thursday", "friday")
    },
    "holidays": [{"start": "2025-10-01", "end": "2025-10-08", "name": "National Day"}],
    "overrides": {"2025-09-28": {"like": "monday", "name": "make-up working day"}},
    "coverage": {"start": "2025-01-01", "end": "2026-12-31"},
}
CALENDAR = BusinessCalendar.from_dict(OFFICE)
LOG = (
    "id,time,status,agent,level\n"
    "T-1,2025-09-22 09:00,new,desk,3\n"
    "T-1,2025-09-22 09:20,working,li.na,3\n"
    "T-1,2025-09-22 10:05,done,li.na,3\n"
    "T-2,2025-09-22 11:00,new,desk,2\n"
    "T-2,2025-09-22 11:30,working,wang.lei,2\n"
    "T-2,2025-09-22 14:00,waiting,wang.lei,2\n"
)
MAPPING = """
time_zone = "Asia/Shanghai"
time_format = "%Y-%m-%d %H:%M"
workflow = "incident"

[columns]
ticket = "id"
at = "time"
status = "status"
actor = "agent"
priority = "level"

[statuses]
new = "new"
working = "in_progress"
waiting = { state = "on_hold", hold_reason = "awaiting_customer" }
done = "resolved"
"""


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "office.json").write_text(json.dumps(OFFICE, indent=2), encoding="utf-8")
    (tmp_path / "log.csv").write_text(LOG, encoding="utf-8")
    (tmp_path / "map.toml").write_text(MAPPING, encoding="utf-8")
    return tmp_path


# -- due and elapsed --------------------------------------------------------------------------

STARTS = st.datetimes(min_value=dt.datetime(2025, 9, 1), max_value=dt.datetime(2025, 10, 31)).map(
    lambda d: d.replace(second=0, microsecond=0, tzinfo=SHANGHAI)
)


@given(start=STARTS, minutes=st.integers(1, 5000))
def test_due_prints_what_the_calendar_computes(start: dt.datetime, minutes: int) -> None:
    # A fresh directory per example: hypothesis reuses the function's fixtures.
    code, out, err = run(
        "due",
        "--calendar",
        str(Path(__file__).parent / "office.toml"),
        "--start",
        start.isoformat(),
        "--duration",
        f"{minutes} working minutes",
    )
    assert (code, err) == (0, "")
    expected = CALENDAR.add(start, dt.timedelta(minutes=minutes))
    assert dt.datetime.fromisoformat(out.strip()) == expected
    assert out.strip().endswith("+08:00")


@given(start=STARTS, end=STARTS)
def test_elapsed_prints_what_the_calendar_computes(start: dt.datetime, end: dt.datetime) -> None:
    code, out, _ = run(
        "elapsed",
        "--calendar",
        str(Path(__file__).parent / "office.toml"),
        "--start",
        start.isoformat(),
        "--end",
        end.isoformat(),
        "--unit",
        "seconds",
    )
    assert code == 0
    assert float(out) == CALENDAR.elapsed(start, end).total_seconds()


def test_due_reads_local_times_working_days_and_physical_durations(files: Path) -> None:
    def due(start: str, duration: str) -> str:
        code, out, err = run(
            "due", "--calendar", "office.json", "--start", start, "--duration", duration
        )
        assert (code, err) == (0, "")
        return out.strip()

    # Worked by hand: Tue 30 Sep 16:00 + 4 h = 2 h that day, National Day 1-8 Oct, 2 h on Thu 9.
    assert due("2025-09-30T16:00", "4 working hours") == "2025-10-09T11:00:00+08:00"
    # Fri 26 Sep + 2 working days: Sunday 28 is a make-up working day.
    assert due("2025-09-26T16:00", "2 working days") == "2025-09-29T16:00:00+08:00"
    # An instant with an offset is taken as given; the answer is in the calendar's zone.
    # 08:00 UTC is 16:00 in Shanghai: 90 minutes fit before 18:00.
    assert due("2025-09-30T08:00:00+00:00", "90 working minutes") == "2025-09-30T17:30:00+08:00"
    assert due("2025-09-30T16:00", "3 calendar days") == "2025-10-03T16:00:00+08:00"


def test_elapsed_units(files: Path) -> None:
    args = ["elapsed", "--calendar", "office.json", "--start", "2025-09-30T16:00"]
    assert run(*args, "--end", "2025-10-09T11:00")[1] == "4:00:00\n"
    assert run(*args, "--end", "2025-10-09T11:00", "--unit", "hours")[1] == "4\n"
    assert run(*args, "--end", "2025-09-30T16:45", "--unit", "hours")[1] == "0.75\n"
    assert run(*args, "--end", "2025-09-30T10:00")[1] == "-5:00:00\n"


def test_command_line_mistakes_exit_2(files: Path) -> None:
    base = ["due", "--calendar", "office.json", "--start", "2025-09-30T16:00"]
    code, out, err = run(*base, "--duration", "4 days")
    assert (code, out) == (2, "")
    assert err == (
        "itsm-core: error: --duration: cannot read '4 days' as a duration: say 'working days' "
        f"or 'calendar days' (24 h); write a whole number and one of: {ACCEPTED_UNITS}\n"
    )
    code, out, err = run(*base, "--duration", "4h")
    assert (code, out) == (2, "")
    assert "'h' does not say whether it counts calendar or business time" in err
    assert (
        run(*base, "--duration", "4 business hours")[1]
        == run(*base, "--duration", "4 working hours")[1]
    )
    code, _, err = run(
        "due", "--calendar", "office.json", "--start", "Tuesday", "--duration", "1 hours"
    )
    assert code == 2
    assert "--start: 'Tuesday' is not an ISO 8601 time" in err
    code, _, err = run(
        "due", "--calendar", "office.yaml", "--start", "2025-09-30", "--duration", "1 hours"
    )
    assert (code, err) == (2, "itsm-core: error: office.yaml: expected a .json or .toml file\n")
    assert run("frobnicate")[0] == 2
    assert run("workflow", "helpdesk")[0] == 2
    assert run("replay", "log.csv", "--mapping", "map.toml", "--format", "csv")[0] == 2
    assert run("replay", "log.csv", "--mapping", "map.toml", "--tz", "Mars/Base")[0] == 2


def test_a_bad_calendar_file_lists_every_problem_with_line_and_field(files: Path) -> None:
    (files / "bad.json").write_text(
        '{\n  "name": "bad",\n  "timezone": "Mars/Base",\n  "weekly": {\n'
        '    "monday": [["13:00", "12:00"]]\n  }\n}\n',
        encoding="utf-8",
    )
    code, out, err = run(
        "elapsed", "--calendar", "bad.json", "--start", "2025-09-30", "--end", "2025-10-01"
    )
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "itsm-core: error: bad.json, line 5, field weekly.monday[0]: "
        "end 12:00 must be after start 13:00",
        "itsm-core: error: bad.json, line 3, field timezone: unknown time zone 'Mars/Base'",
    ]
    (files / "syntax.json").write_text(
        '{\n  "name": "x",\n  "timezone" "UTC"\n}\n', encoding="utf-8"
    )
    code, _, err = run(
        "elapsed", "--calendar", "syntax.json", "--start", "2025-09-30", "--end", "2025-10-01"
    )
    assert code == 1
    assert err.startswith("itsm-core: error: syntax.json, line 3, column 14: invalid JSON")
    (files / "syntax.toml").write_text('name = "x"\ntimezone = \n', encoding="utf-8")
    code, _, err = run(
        "elapsed", "--calendar", "syntax.toml", "--start", "2025-09-30", "--end", "2025-10-01"
    )
    assert code == 1
    assert "syntax.toml: invalid TOML" in err
    assert "line 2" in err
    code, _, err = run(
        "elapsed", "--calendar", "absent.toml", "--start", "2025-09-30", "--end", "2025-10-01"
    )
    assert (code, err) == (
        1,
        "itsm-core: error: absent.toml: cannot read: No such file or directory\n",
    )


def test_a_calendar_beyond_its_data_says_so_unless_told_to_extrapolate(files: Path) -> None:
    args = [
        "due",
        "--calendar",
        "office.json",
        "--start",
        "2027-01-04T09:00",
        "--duration",
        "1 working hours",
    ]
    code, _, err = run(*args)
    assert code == 1
    assert "holiday data" in err
    assert run(*args, "--extrapolate")[1] == "2027-01-04T10:00:00+08:00\n"


# -- workflow ---------------------------------------------------------------------------------


def test_workflow_lists_and_renders_the_builtin_workflows() -> None:
    code, out, _ = run("workflow")
    assert (code, out.split()) == (0, list(BUILTIN_WORKFLOWS.names))
    code, out, _ = run("workflow", "complaint")
    assert out.rstrip("\n") == render_mermaid(BUILTIN_WORKFLOWS.get("complaint")).rstrip("\n")
    code, out, _ = run("workflow", "complaint", "--format", "markdown")
    assert out.startswith("| event | from | to |")
    assert "| `archive` |" in out


# -- replay -----------------------------------------------------------------------------------


def test_replay_prints_tickets_refused_rows_sla_and_kpis(files: Path) -> None:
    code, out, err = run("replay", "log.csv", "--mapping", "map.toml")
    assert (code, err) == (0, "")
    headings = [line for line in out.splitlines() if line.startswith("## ")]
    # The KPI report leads, its summary first; the per-ticket tables follow it.
    assert headings == [
        "## Summary",
        "## Breakdowns by volume",
        "## Detail tables",
        "## Definitions",
        "## Tickets",
        "## Rows the workflow refused",
        "## SLA clocks",
    ]
    assert "- **Resolution SLA compliance: 100.0%** (95 % CI 20.7% to 100.0%;" in out
    assert "| T-1 | incident | resolved | resolved | 3 | 2025-09-22T09:00+08:00 |" in out
    assert "| T-2 | incident | on_hold | on_hold | 2 |" in out
    assert "As of 2025-09-22T14:00+08:00." in out


def test_replay_as_csv_and_as_of_an_earlier_instant(files: Path) -> None:
    code, out, _ = run(
        "replay",
        "log.csv",
        "--mapping",
        "map.toml",
        "--format",
        "csv",
        "--table",
        "sla",
        "--now",
        "2025-09-22T11:10",
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == (
        "ticket,clock,policy,status,target,target unit,elapsed (h),paused (h),due,breached at"
    )
    # At 11:10 T-1 had its first response (09:20); T-2, opened at 11:00, was still waiting.
    # Without --policies, resolution clocks run beside the response ones (priority 3: 72 h).
    assert lines[1].startswith("T-1,first_response,technical-response,met,24,hours,0.3333,")
    assert lines[2].startswith("T-1,resolution,technical-response,met,72,hours,1.0833,")
    assert lines[3].startswith("T-2,first_response,technical-response,running,24,hours,0.1667,")
    code, _, err = run("replay", "log.csv", "--mapping", "map.toml", "--now", "2025-01-01T00:00")
    assert code == 2
    assert "before the first event" in err


def test_replay_refuses_a_bad_log_and_writes_nothing(files: Path) -> None:
    (files / "report.md").write_text("yesterday's report\n", encoding="utf-8")
    (files / "bad.csv").write_text(LOG + "T-3,2025-09-22 15:00,parked,desk,9\n", encoding="utf-8")
    code, out, err = run("replay", "bad.csv", "--mapping", "map.toml", "--output", "report.md")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "itsm-core: error: bad.csv, line 8, field status (column 'status'): unmapped status "
        "'parked' ('new', 'working', 'waiting', 'done')",
        "itsm-core: error: bad.csv, line 8, field priority (column 'level'): '9' is not a level "
        "from 1 to 5",
    ]
    assert (files / "report.md").read_text(encoding="utf-8") == "yesterday's report\n"
    assert sorted(p.name for p in files.iterdir()) == [
        "bad.csv",
        "log.csv",
        "map.toml",
        "office.json",
        "report.md",
    ]


def test_replay_writes_the_output_file_whole(files: Path) -> None:
    code, out, err = run("replay", "log.csv", "--mapping", "map.toml", "--output", "report.md")
    assert (code, out, err) == (0, "", "")
    expected = run("replay", "log.csv", "--mapping", "map.toml")[1]
    assert (files / "report.md").read_text(encoding="utf-8") == expected
    assert not list(files.glob(".*.tmp"))
    code, _, err = run("replay", "log.csv", "--mapping", "map.toml", "--output", "no/such/dir/r.md")
    assert code == 1
    assert "r.md: cannot write" in err


def test_a_bad_mapping_file_is_located(files: Path) -> None:
    (files / "bad.toml").write_text(
        MAPPING.replace('done = "resolved"', 'done = "fixed"'), encoding="utf-8"
    )
    code, _, err = run("replay", "log.csv", "--mapping", "bad.toml")
    assert code == 1
    line = MAPPING.splitlines().index('done = "resolved"') + 1
    assert err.startswith(f"itsm-core: error: bad.toml, line {line}, field statuses.done: ")


def test_progress_goes_to_stderr_only_when_asked(files: Path) -> None:
    _, out_quiet, err_quiet = run("replay", "log.csv", "--mapping", "map.toml", "--no-progress")
    _, out, err = run("replay", "log.csv", "--mapping", "map.toml", "--progress")
    assert out == out_quiet
    assert err_quiet == ""
    assert "reading" in err
    assert "replaying" in err
    assert "100%" in err
    assert err.endswith("\n")


def test_the_installed_command_and_python_m_run_main() -> None:
    script = Path(sys.executable).with_name("itsm-core")
    for command in ([str(script)], [sys.executable, "-m", "itsm_core.cli"]):
        done = subprocess.run([*command, "workflow"], capture_output=True, text=True, check=False)
        assert (done.returncode, done.stderr) == (0, "")
        assert done.stdout.split() == list(BUILTIN_WORKFLOWS.names)
    version = subprocess.run(
        [str(script), "--version"], capture_output=True, text=True, check=False
    )
    assert version.stdout.startswith("itsm-core ")


SERVICENOW_COLUMNS = (
    "number,incident_state,reassignment_count,reopen_count,made_sla,caller_id,opened_by,"
    "opened_at,sys_updated_by,sys_updated_at,contact_type,category,u_symptom,cmdb_ci,impact,"
    "urgency,priority,assignment_group,assigned_to,closed_code,resolved_at,closed_at"
)


def servicenow_row(state: str, at: str, group: str, reassigned: int, resolved: str) -> str:
    return (
        f"INC1,{state},{reassigned},0,TRUE,Caller 1,Opener,02-03-2026 09:00,Agent,{at},Phone,"
        f"Category 1,?,?,2 - Medium,2 - Medium,3 - Moderate,{group},?,?,{resolved},?"
    )


# A group set on an incident that had none: a reassignment for ServiceNow, not for us.
SERVICENOW_LOG = "\n".join(
    [
        SERVICENOW_COLUMNS,
        servicenow_row("New", "02-03-2026 09:00", "?", 0, "02-03-2026 10:00"),
        servicenow_row("Active", "02-03-2026 09:10", "Group 1", 1, "02-03-2026 10:00"),
        servicenow_row("Resolved", "02-03-2026 10:00", "Group 1", 1, "02-03-2026 10:00"),
    ]
)


def test_report_of_a_servicenow_export_reconciles_with_its_own_figures(files: Path) -> None:
    (files / "incidents.csv").write_text(SERVICENOW_LOG + "\n", encoding="utf-8")
    source = ("report", "incidents.csv", "--source", "servicenow", "--format", "markdown")
    code, english, err = run(*source)
    assert (code, err) == (0, "")
    assert "## Reconciliation with the source system" in english
    assert "### Our figures and ServiceNow's" in english
    assert (
        "| Reassignments | reassignments | 0 reassignments | 1 reassignments | -1 reassignments "
        "| a group set on a ticket that had none: a reassignment for the source, not for us | 1 |"
    ) in english
    assert "not explained" not in english
    code, chinese, _ = run(*source, "--lang", "zh-CN")
    assert code == 0
    assert "本系统数据与 ServiceNow 数据对照" in chinese
    assert "为原本无处理组的工单设置处理组：源系统计为改派，本系统不计" in chinese
    # Read through a mapping, the log carries none of the source's figures: no reconciliation.
    code, mapped, _ = run("report", "log.csv", "--mapping", "map.toml", "--format", "markdown")
    assert code == 0
    assert "Reconciliation" not in mapped
    # `replay` reads the export the same way; its KPI report carries the reconciliation too.
    code, replayed, _ = run("replay", "incidents.csv", "--source", "servicenow", "--table", "kpi")
    assert code == 0
    assert "Our figures and ServiceNow's" in replayed


def test_a_log_is_read_through_a_mapping_or_a_source_importer_not_both(files: Path) -> None:
    assert run("report", "log.csv")[0] == 2
    assert run("report", "log.csv", "--mapping", "map.toml", "--source", "servicenow")[0] == 2
    assert run("report", "log.csv", "--source", "zendesk")[0] == 2
    code, _, err = run("report", "log.csv", "--source", "servicenow")  # not a ServiceNow export
    assert code == 1
    assert "log.csv" in err
    assert "line 2" in err
