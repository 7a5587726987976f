"""Reconciliation with the source helpdesk: the importers keep the source's own figures, and
every difference between ours and theirs is explained from the export's own columns.

Run as a script with ``--write`` to regenerate the tables of docs/metrics/reconciliation.md.
"""

from __future__ import annotations

import collections
import csv
import datetime as dt
import sys
from pathlib import Path

import pytest

from itsm_core.adapters.jira import import_issues, parse_issues
from itsm_core.adapters.reconciliation import (
    KpiProfile,
    Reason,
    Reconciliation,
    reconcile,
)
from itsm_core.adapters.servicenow import (
    ServiceNowRow,
    import_incidents,
    read_incident_log,
)
from itsm_core.adapters.zendesk import import_tickets, parse_export
from itsm_core.errors import DeserializationError
from itsm_core.i18n import Messages
from itsm_core.metrics import Granularity, KpiAccumulator, KpiReport, PeriodGrid, ReportSpec
from itsm_core.reports import build_report, render_report_markdown
from itsm_core.reports._labels import label
from itsm_core.tickets import ImportMode

PAGE = Path(__file__).resolve().parents[2] / "docs" / "metrics" / "reconciliation.md"
CSV = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "data"
    / "servicenow_incident_events_sample.csv"
)
T0 = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)


def minutes(m: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=m)


def row(
    number: int,
    state: str,
    at: int,
    group: str | None,
    *,
    reassigned: int = 0,
    resolved_at: int | None = None,
    closed_at: int | None = None,
    made_sla: bool | None = True,
    reopens: int = 0,
    incident: str = "INC1",
) -> ServiceNowRow:
    return ServiceNowRow(
        row=number,
        number=incident,
        state=state,
        updated_at=minutes(at),
        updated_by="ana",
        opened_at=T0,
        opened_by="ana",
        caller="cy",
        contact_type="Phone",
        category=None,
        symptom=None,
        configuration_item=None,
        impact=None,
        urgency=None,
        priority=None,
        assignment_group=group,
        assignee=None,
        closed_code=None,
        reopen_count=reopens,
        reassignment_count=reassigned,
        made_sla=made_sla,
        resolved_at=None if resolved_at is None else minutes(resolved_at),
        closed_at=None if closed_at is None else minutes(closed_at),
    )


def empty_kpis() -> KpiReport:
    periods = PeriodGrid(Granularity.MONTH, "UTC", dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    return KpiAccumulator(ReportSpec(periods=periods)).report(T0)


def one(rows: list[ServiceNowRow], profile: KpiProfile = KpiProfile.NATIVE) -> Reconciliation:
    return reconcile(import_incidents(rows, mode=ImportMode.LENIENT), profile=profile)


def reasons(result: Reconciliation) -> dict[str, list[Reason]]:
    out: dict[str, list[Reason]] = collections.defaultdict(list)
    for difference in result.differences:
        out[difference.figure].append(difference.reason)
    return dict(out)


# -- constructed cases ---------------------------------------------------------------------------


def test_the_importer_keeps_servicenows_own_figures() -> None:
    rows = [
        row(1, "New", 0, None, resolved_at=30, closed_at=90, made_sla=True),
        row(2, "Active", 10, "G1", reassigned=1, resolved_at=30, closed_at=90, made_sla=False),
        row(3, "Resolved", 30, "G1", reassigned=1, resolved_at=30, closed_at=90, made_sla=False),
        row(4, "Closed", 90, "G1", reassigned=1, resolved_at=30, closed_at=90, made_sla=False),
    ]
    (result,) = import_incidents(rows)
    source = result.source
    assert source is not None
    assert (source.system, source.made_sla, source.reassignment_count) == ("ServiceNow", False, 1)
    assert (source.resolved_at, source.closed_at, source.opened_at) == (
        minutes(30),
        minutes(90),
        T0,
    )
    assert source.reassigned_at == (minutes(10),)


def test_a_first_assignment_counts_for_servicenow_and_for_the_compatible_profile() -> None:
    rows = [
        row(1, "New", 0, None, resolved_at=30),
        row(2, "Active", 10, "G1", reassigned=1, resolved_at=30),
        row(3, "Active", 20, "G2", reassigned=2, resolved_at=30),
        row(4, "Resolved", 30, "G2", reassigned=2, resolved_at=30),
    ]
    native = one(rows)
    assert (native.line("reassignments").ours, native.line("reassignments").theirs) == (1, 2)
    assert reasons(native) == {"reassignments": [Reason.FIRST_ASSIGNMENT]}
    assert native.line("tickets reassigned at least once").difference == 0
    compatible = one(rows, KpiProfile.SOURCE_COMPATIBLE)
    assert compatible.line("reassignments").difference == 0
    assert compatible.differences == ()


def test_a_counter_step_without_a_group_change_is_named_with_its_row() -> None:
    rows = [
        row(1, "New", 0, "G1", resolved_at=30),
        row(2, "Active", 10, "G1", reassigned=1, resolved_at=30),
        row(3, "Resolved", 30, "G1", reassigned=1, resolved_at=30),
    ]
    for profile in KpiProfile:
        (difference,) = one(rows, profile).differences
        assert difference.reason is Reason.COUNTER_WITHOUT_CHANGE
        assert "2026-03-02 09:10" in difference.evidence


def test_resolved_at_restamped_in_the_same_state_and_missing() -> None:
    restamped = [
        row(1, "New", 0, "G1", resolved_at=45, closed_at=100),
        row(2, "Resolved", 30, "G1", resolved_at=45, closed_at=100),
        row(3, "Resolved", 45, "G1", resolved_at=45, closed_at=100),
        row(4, "Closed", 100, "G1", resolved_at=45, closed_at=100),
    ]
    native = one(restamped)
    assert reasons(native) == {"resolved_at": [Reason.RESTAMPED]}
    mean = native.line("time to resolution, mean")
    assert (mean.ours, mean.theirs) == (0.5, 0.75)
    assert mean.reasons == ((Reason.RESTAMPED, 1),)
    compatible = one(restamped, KpiProfile.SOURCE_COMPATIBLE)
    assert compatible.line("time to resolution, mean").difference == 0
    missing = [
        row(1, "New", 0, "G1", closed_at=100),
        row(2, "Resolved", 30, "G1", closed_at=100),
        row(3, "Closed", 100, "G1", closed_at=100),
        row(4, "New", 0, "G1", resolved_at=60, incident="INC2"),
        row(5, "Resolved", 60, "G1", resolved_at=60, incident="INC2"),
    ]
    for profile in KpiProfile:
        result = one(missing, profile)
        assert reasons(result) == {"resolved_at": [Reason.MISSING_IN_SOURCE]}
        counted = result.line("tickets with a resolution time")
        assert (counted.ours, counted.theirs, counted.reasons) == (
            2,
            1,
            ((Reason.MISSING_IN_SOURCE, 1),),
        )
        mean = result.line("time to resolution, mean")
        assert (mean.ours, mean.theirs) == (0.75, 1.0)


def test_a_difference_the_rows_do_not_show_is_unexplained() -> None:
    rows = [
        row(1, "New", 0, "G1", resolved_at=50),
        row(2, "Resolved", 30, "G1", resolved_at=50),
        row(3, "Active", 40, "G1", resolved_at=50, reopens=2),  # one reopen shown, two counted
    ]
    result = one(rows)
    assert {d.figure: d.reason for d in result.unexplained} == {
        "resolved_at": Reason.UNEXPLAINED,
        "reopens": Reason.UNEXPLAINED,
    }


def test_the_table_renders_and_gives_records() -> None:
    rows = [row(1, "New", 0, None), row(2, "Resolved", 30, "G1", reassigned=1, resolved_at=30)]
    result = one(rows)
    text = result.to_markdown()
    assert text.splitlines()[0] == "| figure | unit | ours | theirs | difference | reason |"
    assert "| reassignments | reassignments | 0 | 1 | -1 | a group set on a ticket" in text
    assert "| tickets that made their SLA (the source's verdict) | tickets | - | 1 | - |" in text
    records = result.records()
    assert records[0] == {
        "figure": "tickets",
        "unit": "tickets",
        "ours": 1,
        "theirs": 1,
        "difference": 0,
        "reasons": "equal",
    }
    assert result.difference_records()[0]["reason"] == "first_assignment"
    assert "| INC1 | reassignments | 0 | 1 | first_assignment |" in result.differences_markdown()
    with pytest.raises(KeyError):
        result.line("no such figure")


def test_the_report_table_shows_every_figure_and_reason_in_both_languages() -> None:
    rows = [
        row(1, "New", 0, None, resolved_at=50),
        row(2, "Active", 10, "G1", reassigned=1, resolved_at=50),
        row(3, "Resolved", 30, "G1", reassigned=1, resolved_at=50),
        row(4, "Resolved", 50, "G1", reassigned=1, resolved_at=50),
    ]
    result = one(rows)
    table = result.report_table()
    records = table.records()
    assert records[0] == {
        "figure": "tickets",
        "unit": "tickets",
        "ours": 1,
        "theirs": 1,
        "ours_unit": "tickets",
        "theirs_unit": "tickets",
        "difference": 0,
        "difference_unit": "tickets",
        "reason": "equal",
        "tickets": None,
        "tickets_unit": "tickets",
    }
    by_figure = {r["figure"]: r for r in records}
    assert by_figure["reassignments"]["reason"] == "first_assignment"
    assert by_figure["time to resolution, mean"]["ours_unit"] == "h"
    assert (
        by_figure["time to resolution, mean"]["reason"],
        by_figure["time to resolution, mean"]["tickets"],
    ) == ("restamped", 1)
    # Every figure, reason and note a reconciliation can show has its Chinese name in the
    # reports catalogue (the renderer translates the table's cells from there).
    zh = Messages.load("zh-CN", "reports")
    keys = {line.figure for line in result.lines} | {r.value for r in Reason} | {"equal"}
    keys |= {line.note for line in result.lines if line.note}
    keys |= {"time to closure, mean", "time to closure, median", "tickets with a closure time"}
    untranslated = sorted(k for k in keys if label(zh, k) == k)
    assert untranslated == []
    for message in (table.title, table.note, *(c.title for c in table.columns)):
        assert zh.text(message) != message, message
    assert result.report_table() == table  # deterministic
    page = render_report_markdown(
        build_report(empty_kpis(), reconciliation=table), language="zh-CN"
    )
    assert "| 改派次数 | 次改派 | 0 次改派 | 1 次改派 | -1 次改派 | 为原本无处理组" in page


def test_an_export_without_the_figures_columns_reads_none(tmp_path: Path) -> None:
    header = (
        "number,incident_state,reopen_count,sys_updated_at,opened_at,sys_updated_by,opened_by,"
        "caller_id,contact_type,category,u_symptom,cmdb_ci,impact,urgency,priority,"
        "assignment_group,assigned_to,closed_code"
    )
    line = "INC1,New,0,02-03-2026 09:00,02-03-2026 09:00,ana,ana,cy,Phone,?,?,?,?,?,?,G1,?,?"
    path = tmp_path / "log.csv"
    path.write_text(f"{header}\n{line}\n", encoding="utf-8")
    (read,) = read_incident_log(path, tz=dt.UTC)
    assert (read.made_sla, read.resolved_at, read.reassignment_count) == (None, None, None)
    bad = f"{header},made_sla,reassignment_count\n{line},MAYBE,x\n"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(DeserializationError) as error:
        read_incident_log(path, tz=dt.UTC)
    assert [p.path for p in error.value.problems] == [
        "line 2, field reassignment_count",
        "line 2, field made_sla",
    ]


def test_zendesk_keeps_its_metric_set_and_jira_its_resolved_time() -> None:
    ticket = {
        "id": 7,
        "status": "solved",
        "requester_id": 1,
        "created_at": "2026-11-02T08:00:00Z",
        "updated_at": "2026-11-02T11:00:00Z",
        "metric_set": {"reopens": 1, "group_stations": 3, "solved_at": "2026-11-02T11:00:00Z"},
    }
    (result,) = import_tickets(parse_export({"ticket": ticket}))
    assert result.source is not None
    assert (result.source.system, result.source.reopen_count) == ("Zendesk", 1)
    assert result.source.reassignment_count == 2  # the stations beyond the first group
    assert result.source.resolved_at == dt.datetime(2026, 11, 2, 11, tzinfo=dt.UTC)
    (plain,) = import_tickets(parse_export({"ticket": {**ticket, "metric_set": None}}))
    assert plain.source is not None
    assert plain.source.reopen_count is None
    with pytest.raises(DeserializationError) as error:
        parse_export({"ticket": {**ticket, "metric_set": {"reopens": -1, "solved_at": 3}}})
    assert [p.path for p in error.value.problems] == [
        "ticket.metric_set.reopens",
        "ticket.metric_set.solved_at",
    ]
    with pytest.raises(DeserializationError):
        parse_export({"ticket": {**ticket, "metric_set": []}})
    issues = parse_issues(
        "Issue key,Issue Type,Status,Reporter,Created,Resolved\n"
        "IT-7,Incident,Resolved,ana,21/Nov/26 9:15 AM,21/Nov/26 4:40 PM\n",
        tz=dt.UTC,
    )
    (issue,) = import_issues(issues)
    assert issue.source is not None
    assert issue.source.resolved_at == dt.datetime(2026, 11, 21, 16, 40, tzinfo=dt.UTC)
    assert reconcile([issue]).differences == ()


# -- the real ServiceNow sample ------------------------------------------------------------------


def file_figures(path: Path) -> dict[str, int]:
    """ServiceNow's own figures straight from the CSV (csv module only)."""
    with path.open(newline="", encoding="utf-8") as handle:
        by: dict[str, list[dict[str, str]]] = collections.defaultdict(list)
        for record in csv.DictReader(handle):
            by[record["number"]].append(record)
    last = [group[-1] for group in by.values()]
    return {
        "tickets": len(by),
        "reassignments": sum(int(r["reassignment_count"]) for r in last),
        "reassigned": sum(1 for r in last if int(r["reassignment_count"]) > 0),
        "reopens": sum(int(r["reopen_count"]) for r in last),
        "resolved": sum(1 for r in last if r["resolved_at"] != "?"),
        "made_sla": sum(1 for r in last if r["made_sla"] == "TRUE"),
    }


def reconciled(path: Path) -> tuple[Reconciliation, Reconciliation]:
    """The sample reconciled by our definitions and by ServiceNow's."""
    results = import_incidents(read_incident_log(path, tz=dt.UTC), mode=ImportMode.LENIENT)
    return reconcile(results), reconcile(results, profile=KpiProfile.SOURCE_COMPATIBLE)


def sample_tables(native: Reconciliation, compatible: Reconciliation) -> dict[str, str]:
    return {
        "native": native.to_markdown(),
        "compatible": compatible.to_markdown(),
        "differences": native.differences_markdown(),
    }


def between(text: str, name: str) -> str:
    return text.split(f"<!-- {name}:start -->\n", 1)[1].split(f"<!-- {name}:end -->", 1)[0]


@pytest.fixture(scope="module")
def sample(servicenow_csv: Path) -> tuple[Reconciliation, Reconciliation]:
    return reconciled(servicenow_csv)


def test_every_difference_on_the_sample_is_explained(
    sample: tuple[Reconciliation, Reconciliation], servicenow_csv: Path
) -> None:
    figures = file_figures(servicenow_csv)
    for result in sample:
        assert result.unexplained == ()
        assert result.line("tickets").theirs == figures["tickets"] == 445
        assert result.line("reassignments").theirs == figures["reassignments"]
        assert result.line("tickets reassigned at least once").theirs == figures["reassigned"]
        assert result.line("reopens").theirs == figures["reopens"]
        assert result.line("tickets with a resolution time").theirs == figures["resolved"]
        made = result.line("tickets that made their SLA (the source's verdict)")
        assert made.theirs == figures["made_sla"]
        for line in result.lines:  # every line that differs names its reasons
            assert line.difference in (0, None) or line.reasons, line
    native, compatible = sample
    # The compatible profile counts first assignments as ServiceNow does: what remains is the
    # counter rising on rows without a group change.
    assert {r for r, _ in compatible.line("reassignments").reasons} == {
        Reason.COUNTER_WITHOUT_CHANGE
    }
    assert Reason.FIRST_ASSIGNMENT in {r for r, _ in native.line("reassignments").reasons}
    assert compatible.line("time to closure, mean").difference == 0
    assert len(compatible.differences) < len(native.differences)


def test_the_page_shows_the_samples_tables(sample: tuple[Reconciliation, Reconciliation]) -> None:
    text = PAGE.read_text(encoding="utf-8")
    for name, expected in sample_tables(*sample).items():
        assert between(text, name) == expected, f"regenerate: python {__file__} --write"


def write() -> None:  # pragma: no cover - a maintenance script
    text = PAGE.read_text(encoding="utf-8")
    for name, body in sample_tables(*reconciled(CSV)).items():
        head, rest = text.split(f"<!-- {name}:start -->\n", 1)
        _, tail = rest.split(f"<!-- {name}:end -->", 1)
        text = f"{head}<!-- {name}:start -->\n{body}<!-- {name}:end -->{tail}"
    PAGE.write_text(text, encoding="utf-8")


if __name__ == "__main__" and "--write" in sys.argv:
    write()
