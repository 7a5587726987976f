"""The quarterly internal audit (内部审核, 每季度一次): the plan, its dates on the business
calendar, the auditors' rotation, and findings that become nonconformities."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from itsm_core._checks import check_aware, frozen_mapping, is_int
from itsm_core._plain import (
    as_mapping,
    blank_problem,
    check_keys,
    integer,
    is_a,
    is_text,
    join,
    read_enum,
    shown,
    text,
    texts,
    tuple_or_given,
)
from itsm_core.errors import InvalidAuditPlan, Problem, ValidationError
from itsm_core.improvement._nonconformity import RaiseNonconformity
from itsm_core.improvement._sources import ImprovementSource, SourceKind

QUARTERS = (1, 2, 3, 4)


class FindingGrade(enum.StrEnum):
    """How serious an audit finding is: a major or minor nonconformity (each raised as a
    nonconformity), or an observation (an opportunity for improvement)."""

    MAJOR = "major"
    MINOR = "minor"
    OBSERVATION = "observation"


@attrs.frozen(kw_only=True)
class ScheduledAudit:
    """One quarter's audit: its id (``<plan>-<year>Q<n>``), when, and who audits which area."""

    audit_id: str
    quarter: int
    at: dt.datetime
    assignments: tuple[tuple[str, str], ...]

    @property
    def areas(self) -> tuple[str, ...]:
        """The areas in scope."""
        return tuple(area for area, _ in self.assignments)


@attrs.frozen(kw_only=True)
class AuditPlan:
    """The internal audit programme of one year: one audit every quarter (每季度一次) on day
    ``day`` of month ``month_of_quarter`` (1 to 3) of the quarter at ``hour``, moved to the next
    working moment of the business calendar; every area of the scope audited each quarter by
    one of the ``auditors``, rotating, never by the area's owner (``owners``, auditors do not
    audit their own work).

    >>> plan = AuditPlan(name="IA", year=2026, areas=["service desk", "change"],
    ...                  auditors=["wang", "li"], owners={"change": "li"})
    >>> for audit in plan.schedule(dt.UTC, lambda when: when)[:2]:
    ...     print(audit.audit_id, audit.at.date(), audit.assignments)
    IA-2026Q1 2026-03-15 (('service desk', 'wang'), ('change', 'wang'))
    IA-2026Q2 2026-06-15 (('service desk', 'li'), ('change', 'wang'))
    """

    name: str
    year: int
    areas: tuple[str, ...] = attrs.field(converter=tuple_or_given)
    auditors: tuple[str, ...] = attrs.field(converter=tuple_or_given)
    owners: Mapping[str, str] = attrs.field(factory=dict, converter=frozen_mapping)
    month_of_quarter: int = 3
    day: int = 15
    hour: int = 9

    def __attrs_post_init__(self) -> None:
        problems = _plan_problems(self)
        if problems:
            raise InvalidAuditPlan(shown(self.name), problems)

    def schedule(
        self, zone: dt.tzinfo, next_working: Callable[[dt.datetime], dt.datetime]
    ) -> tuple[ScheduledAudit, ...]:
        """The four audits of the year, local time in ``zone``, each at
        ``next_working(planned)`` (pass a business calendar's ``next_working``; the identity
        keeps the planned dates)."""
        audits = []
        for quarter in QUARTERS:
            month = 3 * (quarter - 1) + self.month_of_quarter
            planned = dt.datetime(self.year, month, self.day, self.hour, tzinfo=zone)
            at = check_aware(next_working(planned), "AuditPlan.schedule.next_working")
            audits.append(
                ScheduledAudit(
                    audit_id=f"{self.name}-{self.year}Q{quarter}",
                    quarter=quarter,
                    at=at,
                    assignments=tuple(
                        (area, self._auditor(area, i + quarter - 1))
                        for i, area in enumerate(self.areas)
                    ),
                )
            )
        return tuple(audits)

    def missed(
        self, schedule: Iterable[ScheduledAudit], held: Iterable[str], now: dt.datetime
    ) -> tuple[ScheduledAudit, ...]:
        """The audits of ``schedule`` due before ``now`` whose id is not among ``held``."""
        check_aware(now, "AuditPlan.missed.now")
        done = set(held)
        return tuple(a for a in schedule if a.at < now and a.audit_id not in done)

    def _auditor(self, area: str, turn: int) -> str:
        count = len(self.auditors)
        for step in range(count):
            auditor = self.auditors[(turn + step) % count]
            if self.owners.get(area) != auditor:
                return auditor
        raise AssertionError("checked on construction")  # pragma: no cover

    def to_dict(self) -> dict[str, object]:
        """Plain data; :meth:`from_dict` reads it back."""
        return {
            "name": self.name,
            "year": self.year,
            "areas": list(self.areas),
            "auditors": list(self.auditors),
            "owners": dict(self.owners),
            "month_of_quarter": self.month_of_quarter,
            "day": self.day,
            "hour": self.hour,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> AuditPlan:
        """A plan from plain data; InvalidAuditPlan lists every problem with its path."""
        problems: list[Problem] = []
        top = as_mapping(data, "", problems)
        if top is None:
            raise InvalidAuditPlan("plan", problems)
        optional = ("owners", "month_of_quarter", "day", "hour")
        check_keys(top, "", ("name", "year", "areas", "auditors"), optional, problems)
        values: dict[str, Any] = {}
        if "name" in top:
            values["name"] = text(top["name"], "name", problems)
        for name in ("areas", "auditors"):
            if name in top:
                values[name] = texts(top[name], name, problems)
        limits = {"year": (1900, 9999), "month_of_quarter": (1, 3), "day": (1, 28), "hour": (0, 23)}
        for name, (low, high) in limits.items():
            if name in top:
                values[name] = integer(top[name], name, problems, minimum=low, maximum=high)
        if "owners" in top:
            values["owners"] = as_mapping(top["owners"], "owners", problems)
        if problems:
            raise InvalidAuditPlan(shown(values.get("name") or "plan"), problems)
        return cls(**values)


def _plan_problems(plan: AuditPlan) -> list[Problem]:
    problems = [p for p in (blank_problem(plan.name, "name"),) if p is not None]
    limits = {"year": (1900, 9999), "month_of_quarter": (1, 3), "day": (1, 28), "hour": (0, 23)}
    for name, (low, high) in limits.items():
        value = getattr(plan, name)
        if not is_int(value) or not low <= value <= high:
            problems.append(Problem(name, f"expected {low} to {high}, got {shown(value)}"))
    for name in ("areas", "auditors"):
        values = getattr(plan, name)
        if not is_a(values, tuple) or not values:
            problems.append(Problem(name, f"give at least one, got {shown(values)}"))
            continue
        for i, value in enumerate(values):
            if not is_text(value):
                problems.append(Problem(f"{name}[{i}]", f"expected a name, got {shown(value)}"))
            elif value in values[:i]:
                problems.append(Problem(f"{name}[{i}]", f"repeated {shown(value)}"))
    if problems:
        return problems
    for area, owner in plan.owners.items():
        if area not in plan.areas:
            problems.append(Problem(join("owners", area), f"{shown(area)} is not in the scope"))
        elif not is_text(owner):
            problems.append(Problem(join("owners", area), f"expected a name, got {shown(owner)}"))
        elif set(plan.auditors) <= {owner}:
            message = f"only its owner {shown(owner)} could audit it (auditors audit others' work)"
            problems.append(Problem(join("owners", area), message))
    return problems


@attrs.frozen(kw_only=True)
class AuditFinding:
    """One finding of an audit: an id unique in the audit, the area, what was found, how
    serious it is."""

    finding_id: str
    area: str
    description: str
    grade: FindingGrade

    def __attrs_post_init__(self) -> None:
        found = [
            blank_problem(getattr(self, name), name)
            for name in ("finding_id", "area", "description")
        ]
        problems = [p for p in found if p is not None]
        if not is_a(self.grade, FindingGrade):
            read_enum(self.grade, FindingGrade, "grade", problems)
        if problems:
            raise ValidationError("AuditFinding", problems)


@attrs.frozen(kw_only=True)
class AuditResult:
    """What one audit found. Major and minor findings become nonconformities
    (:meth:`nonconformities`); observations become improvement sources (:meth:`observations`).

    >>> audit = ScheduledAudit(audit_id="IA-2026Q1", quarter=1,
    ...     at=dt.datetime(2026, 3, 16, 9, tzinfo=dt.UTC), assignments=(("change", "wang"),))
    >>> result = AuditResult(audit=audit, findings=[AuditFinding(finding_id="F1", area="change",
    ...     description="CAB minutes missing for two changes", grade=FindingGrade.MINOR)])
    >>> [(c.nc_id, c.description) for c in result.nonconformities()]
    [('IA-2026Q1-F1', 'change: CAB minutes missing for two changes (minor)')]
    """

    audit: ScheduledAudit
    findings: tuple[AuditFinding, ...] = attrs.field(converter=tuple_or_given)

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        if not is_a(self.findings, tuple):
            problems.append(Problem("findings", f"expected a list, got {shown(self.findings)}"))
        else:
            ids: set[str] = set()
            for i, finding in enumerate(self.findings):
                where = f"findings[{i}]"
                if not is_a(finding, AuditFinding):
                    message = f"expected an AuditFinding, got {shown(finding)}"
                    problems.append(Problem(where, message))
                    continue
                if finding.finding_id in ids:
                    message = f"repeated {shown(finding.finding_id)}"
                    problems.append(Problem(f"{where}.finding_id", message))
                ids.add(finding.finding_id)
                if finding.area not in self.audit.areas:
                    scope = ", ".join(self.audit.areas)
                    message = f"{shown(finding.area)} is not in the audit's scope ({scope})"
                    problems.append(Problem(f"{where}.area", message))
        if problems:
            raise ValidationError(f"audit result {shown(self.audit.audit_id)}", problems)

    def nonconformities(self) -> tuple[RaiseNonconformity, ...]:
        """A :class:`RaiseNonconformity` for each major or minor finding, ids
        ``<audit>-<finding>``."""
        return tuple(
            RaiseNonconformity(
                nc_id=f"{self.audit.audit_id}-{f.finding_id}",
                description=f"{f.area}: {f.description} ({f.grade.value})",
            )
            for f in self.findings
            if f.grade is not FindingGrade.OBSERVATION
        )

    def observations(self) -> tuple[ImprovementSource, ...]:
        """Each observation as the source of an improvement (kind ``audit``)."""
        return tuple(
            ImprovementSource(
                kind=SourceKind.AUDIT,
                reference=f"{self.audit.audit_id}/{f.finding_id}",
                detail=f"{f.area}: {f.description}",
            )
            for f in self.findings
            if f.grade is FindingGrade.OBSERVATION
        )
