"""The quarterly internal audit (每季度一次): plan, dates on the calendar, findings."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from itsm_core.calendar import BusinessCalendar
from itsm_core.errors import InvalidAuditPlan, ValidationError
from itsm_core.improvement import (
    NONCONFORMITY,
    AuditFinding,
    AuditPlan,
    AuditResult,
    FindingGrade,
    SourceKind,
    decide_nonconformity,
)
from itsm_core.kernel import Context

SHANGHAI = ZoneInfo("Asia/Shanghai")
OFFICE = BusinessCalendar.from_dict(
    {
        "name": "office",
        "timezone": "Asia/Shanghai",
        "weekly": {
            d: [["09:00", "18:00"]]
            for d in ("monday", "tuesday", "wednesday", "thursday", "friday")
        },
        "holidays": ["2026-03-16"],
    }
)
PLAN = AuditPlan(
    name="IA",
    year=2026,
    areas=["service desk", "change", "SLA reporting"],
    auditors=["wang", "li"],
    owners={"change": "li", "service desk": "wang"},
)


def test_one_audit_each_quarter_on_a_working_day() -> None:
    audits = PLAN.schedule(SHANGHAI, OFFICE.next_working)
    # the 15th of each quarter's last month, 09:00 Shanghai:
    # 15 March 2026 is a Sunday and 16 March a holiday -> Tuesday 17 March;
    # 15 June is a Monday; 15 September a Tuesday; 15 December a Tuesday
    assert [(a.audit_id, a.at.isoformat()) for a in audits] == [
        ("IA-2026Q1", "2026-03-17T09:00:00+08:00"),
        ("IA-2026Q2", "2026-06-15T09:00:00+08:00"),
        ("IA-2026Q3", "2026-09-15T09:00:00+08:00"),
        ("IA-2026Q4", "2026-12-15T09:00:00+08:00"),
    ]
    assert [a.quarter for a in audits] == [1, 2, 3, 4]


def test_auditors_rotate_and_never_audit_their_own_area() -> None:
    for audit in PLAN.schedule(SHANGHAI, OFFICE.next_working):
        assignments = dict(audit.assignments)
        assert assignments["service desk"] == "li"
        assert assignments["change"] == "wang"
        assert set(assignments) == set(PLAN.areas)
    rotated = [
        dict(a.assignments)["SLA reporting"] for a in PLAN.schedule(SHANGHAI, OFFICE.next_working)
    ]
    assert rotated == ["wang", "li", "wang", "li"]


def test_missed_audits() -> None:
    audits = PLAN.schedule(SHANGHAI, OFFICE.next_working)
    now = dt.datetime(2026, 7, 1, tzinfo=SHANGHAI)
    assert [a.audit_id for a in PLAN.missed(audits, ["IA-2026Q1"], now)] == ["IA-2026Q2"]


def test_findings_become_nonconformities_and_observations_sources() -> None:
    audit = PLAN.schedule(SHANGHAI, OFFICE.next_working)[0]
    result = AuditResult(
        audit=audit,
        findings=[
            AuditFinding(
                finding_id="F1",
                area="change",
                description="no CAB minutes",
                grade=FindingGrade.MAJOR,
            ),
            AuditFinding(
                finding_id="F2",
                area="SLA reporting",
                description="report late",
                grade=FindingGrade.MINOR,
            ),
            AuditFinding(
                finding_id="F3",
                area="service desk",
                description="scripts dated",
                grade=FindingGrade.OBSERVATION,
            ),
        ],
    )
    raised = result.nonconformities()
    assert [(c.nc_id, c.description) for c in raised] == [
        ("IA-2026Q1-F1", "change: no CAB minutes (major)"),
        ("IA-2026Q1-F2", "SLA reporting: report late (minor)"),
    ]
    context = Context(actor="wang", role="auditor", now=audit.at)
    nc, events = decide_nonconformity(None, raised[0], context)
    assert NONCONFORMITY.replay(events) == nc
    (source,) = result.observations()
    assert (source.kind, source.reference) == (SourceKind.AUDIT, "IA-2026Q1/F3")


def test_a_finding_outside_the_scope_is_refused() -> None:
    audit = PLAN.schedule(SHANGHAI, OFFICE.next_working)[0]
    finding = AuditFinding(
        finding_id="F1", area="billing", description="x", grade=FindingGrade.MINOR
    )
    with pytest.raises(ValidationError) as caught:
        AuditResult(audit=audit, findings=[finding, finding])
    assert [p.path for p in caught.value.problems] == [
        "findings[0].area",
        "findings[1].finding_id",
        "findings[1].area",
    ]


def test_the_plan_is_data_and_checked() -> None:
    assert AuditPlan.from_dict(PLAN.to_dict()) == PLAN
    with pytest.raises(InvalidAuditPlan) as caught:
        AuditPlan.from_dict(
            {"name": "IA", "year": 2026, "areas": [], "auditors": ["li", "li"], "day": 31}
        )
    assert [p.path for p in caught.value.problems] == ["day"]
    with pytest.raises(InvalidAuditPlan) as caught:
        AuditPlan(name="IA", year=2026, areas=[], auditors=["li", "li"])
    assert [p.path for p in caught.value.problems] == ["areas", "auditors[1]"]
    with pytest.raises(InvalidAuditPlan, match="only its owner 'li' could audit it"):
        AuditPlan(name="IA", year=2026, areas=["change"], auditors=["li"], owners={"change": "li"})
    with pytest.raises(InvalidAuditPlan, match="'billing' is not in the scope"):
        AuditPlan(name="IA", year=2026, areas=["change"], auditors=["li"], owners={"billing": "li"})
