"""Training by need (以需定训): who needs which course, and why."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable

import attrs

from itsm_core._checks import check_aware, check_aware_fields
from itsm_core._plain import blank_problem, is_a, is_number, shown
from itsm_core.errors import Problem, ValidationError
from itsm_core.people._training import (
    CourseCatalogue,
    CourseKind,
    TrainingRecord,
    expiring,
    latest,
)


@attrs.frozen(kw_only=True)
class InspectionOutcome:
    """The outcome of one quality inspection of an agent's work (from the supervisor's
    inspection, 第十四条): passed or failed, the score on 0-100, when, and a reference (the
    inspection record)."""

    agent_id: str
    passed: bool
    score: float
    at: dt.datetime
    reference: str = ""

    def __attrs_post_init__(self) -> None:
        check_aware_fields(self, "at")
        problems = [p for p in (blank_problem(self.agent_id, "agent_id"),) if p is not None]
        if not is_a(self.passed, bool):
            problems.append(Problem("passed", f"expected True or False, got {shown(self.passed)}"))
        if not is_number(self.score) or not 0 <= self.score <= 100:
            problems.append(Problem("score", f"expected 0 to 100, got {shown(self.score)}"))
        if problems:
            raise ValidationError("InspectionOutcome", problems)


class NeedReason(enum.StrEnum):
    """Why a course is needed: a new hire, a failed inspection, a certification running out."""

    NEW_HIRE = "new_hire"
    FAILED_INSPECTION = "failed_inspection"
    EXPIRING_CERTIFICATION = "expiring_certification"


@attrs.frozen(kw_only=True)
class TrainingNeed:
    """``agent_id`` needs ``course_id`` because of ``reason``; ``reference`` names what showed
    it (the inspection, the certification's expiry)."""

    agent_id: str
    course_id: str
    reason: NeedReason
    reference: str = ""


def training_needs(
    catalogue: CourseCatalogue,
    records: Iterable[TrainingRecord],
    now: dt.datetime,
    *,
    new_hires: Iterable[str] = (),
    inspections: Iterable[InspectionOutcome] = (),
    expiring_within: dt.timedelta = dt.timedelta(days=30),
) -> tuple[TrainingNeed, ...]:
    """The training each person needs now (以需定训), by agent then course:

    * a new hire needs every new-hire course not yet passed;
    * a failed inspection calls for every remedial course, unless passed after it;
    * a certification that runs out within ``expiring_within`` (or has) is taken again.

    >>> from itsm_core.people import Course
    >>> catalogue = CourseCatalogue([Course(course_id="intro", title="Desk basics",
    ...     kind="new_hire"), Course(course_id="tone", title="Tone", kind="remedial")])
    >>> at = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
    >>> failed = InspectionOutcome(agent_id="bo", passed=False, score=55, at=at, reference="QI-9")
    >>> [(n.agent_id, n.course_id, n.reason.value) for n in
    ...  training_needs(catalogue, [], at, new_hires=["cy"], inspections=[failed])]
    [('bo', 'tone', 'failed_inspection'), ('cy', 'intro', 'new_hire')]
    """
    check_aware(now, "training_needs.now")
    held = list(records)
    last = latest(held)
    needs: dict[tuple[str, str], TrainingNeed] = {}

    def passed_since(agent: str, course: str, since: dt.datetime | None) -> bool:
        record = last.get((agent, course))
        return (
            record is not None and record.passed and (since is None or record.completed_at >= since)
        )

    for agent in new_hires:
        for course in catalogue.of_kind(CourseKind.NEW_HIRE):
            if not passed_since(agent, course.course_id, None):
                need = TrainingNeed(
                    agent_id=agent, course_id=course.course_id, reason=NeedReason.NEW_HIRE
                )
                needs.setdefault((agent, course.course_id), need)
    for outcome in inspections:
        if outcome.passed:
            continue
        for course in catalogue.of_kind(CourseKind.REMEDIAL):
            if not passed_since(outcome.agent_id, course.course_id, outcome.at):
                need = TrainingNeed(
                    agent_id=outcome.agent_id,
                    course_id=course.course_id,
                    reason=NeedReason.FAILED_INSPECTION,
                    reference=outcome.reference,
                )
                needs.setdefault((outcome.agent_id, course.course_id), need)
    for record in expiring(held, now, expiring_within):
        assert record.expires_at is not None  # expiring() keeps records with an expiry
        need = TrainingNeed(
            agent_id=record.agent_id,
            course_id=record.course_id,
            reason=NeedReason.EXPIRING_CERTIFICATION,
            reference=f"expires {record.expires_at.isoformat()}",
        )
        needs.setdefault((record.agent_id, record.course_id), need)
    return tuple(needs[key] for key in sorted(needs))
