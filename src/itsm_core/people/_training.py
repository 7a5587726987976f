"""Training (培训): courses with exams and practical tests (考核评估), the records of who passed
what, certifications with an expiry, and the skill levels they give."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from itsm_core._checks import check_aware, check_aware_fields, frozen_mapping, is_int
from itsm_core._plain import (
    as_mapping,
    blank_problem,
    build,
    check_keys,
    integer,
    is_a,
    is_number,
    join,
    member_or_given,
    member_problems,
    read_enum,
    read_list,
    shown,
    text,
    tuple_or_given,
)
from itsm_core.errors import InvalidPeopleDefinition, Problem, ValidationError


class CourseKind(enum.StrEnum):
    """What a course is for: new hires (岗前培训), remedial training after a failed quality
    inspection, a skill, or a certification that expires."""

    NEW_HIRE = "new_hire"
    REMEDIAL = "remedial"
    SKILL = "skill"
    CERTIFICATION = "certification"


class ExamKind(enum.StrEnum):
    """A written (theory) exam or a practical test (实操考核)."""

    WRITTEN = "written"
    PRACTICAL = "practical"


def _exam_kind(value: object) -> object:
    return member_or_given(ExamKind, value)


def _course_kind(value: object) -> object:
    return member_or_given(CourseKind, value)


@attrs.frozen(kw_only=True)
class Exam:
    """An exam of a course: its kind, the pass mark and the top score (100 by default)."""

    kind: ExamKind = attrs.field(converter=_exam_kind)
    pass_mark: float
    max_score: float = 100.0

    def problems(self) -> list[Problem]:
        """What is wrong with the exam, paths relative to it."""
        problems: list[Problem] = []
        if not is_a(self.kind, ExamKind):
            read_enum(self.kind, ExamKind, "kind", problems)
        if not is_number(self.max_score) or self.max_score <= 0:
            message = f"expected a positive number, got {shown(self.max_score)}"
            problems.append(Problem("max_score", message))
        elif not is_number(self.pass_mark) or not 0 < self.pass_mark <= self.max_score:
            top = f"{self.max_score:g}"
            message = f"expected a number above 0 and at most {top}, got {shown(self.pass_mark)}"
            problems.append(Problem("pass_mark", message))
        return problems

    def passed(self, score: float) -> bool:
        """True when ``score`` (0 to ``max_score``) reaches the pass mark."""
        if not is_number(score) or not 0 <= score <= self.max_score:
            message = f"expected 0 to {self.max_score:g}, got {shown(score)}"
            raise ValidationError(f"{self.kind.value} exam", [Problem("score", message)])
        return score >= self.pass_mark

    def to_dict(self) -> dict[str, object]:
        """Plain data."""
        return {"kind": self.kind.value, "pass_mark": self.pass_mark, "max_score": self.max_score}


@attrs.frozen(kw_only=True)
class TrainingRecord:
    """Who completed which course when, the exam scores, whether they passed, and when a
    certification runs out (None: it does not)."""

    agent_id: str
    course_id: str
    completed_at: dt.datetime
    scores: Mapping[ExamKind, float] = attrs.field(factory=dict, converter=frozen_mapping)
    passed: bool
    expires_at: dt.datetime | None = None

    def __attrs_post_init__(self) -> None:
        check_aware_fields(self, "completed_at", "expires_at")

    def valid(self, now: dt.datetime) -> bool:
        """Passed and not expired at ``now``."""
        return self.passed and (self.expires_at is None or now < self.expires_at)


@attrs.frozen(kw_only=True)
class Course:
    """A training course: its exams (a course without exams is passed by attending), the skill
    levels passing it gives (``skills``: skill name to level, what routing reads), and for a
    certification how long it stays valid (``valid_for``, required for that kind).

    >>> course = Course(course_id="net-2", title="Network support L2", kind="certification",
    ...     exams=[Exam(kind="written", pass_mark=60), Exam(kind="practical", pass_mark=80)],
    ...     skills={"network": 2}, valid_for=dt.timedelta(days=365))
    >>> record = course.record("ana", dt.datetime(2026, 1, 9, tzinfo=dt.UTC),
    ...                        {"written": 72, "practical": 85})
    >>> record.passed, record.expires_at.date()
    (True, datetime.date(2027, 1, 9))
    """

    course_id: str
    title: str
    kind: CourseKind = attrs.field(converter=_course_kind)
    exams: tuple[Exam, ...] = attrs.field(default=(), converter=tuple_or_given)
    skills: Mapping[str, int] = attrs.field(factory=dict, converter=frozen_mapping)
    valid_for: dt.timedelta | None = None

    def __attrs_post_init__(self) -> None:
        problems = _course_problems(self)
        if problems:
            raise InvalidPeopleDefinition(f"course {shown(self.course_id)}", problems)

    def record(
        self, agent_id: str, completed_at: dt.datetime, scores: Mapping[str, float]
    ) -> TrainingRecord:
        """The record of ``agent_id`` completing the course with these exam ``scores`` (by
        exam kind): passed when every exam is passed. Every exam needs a score."""
        check_aware(completed_at, "Course.record.completed_at")
        problems = [p for p in (blank_problem(agent_id, "agent_id"),) if p is not None]
        kinds = {exam.kind.value for exam in self.exams}
        problems.extend(
            Problem(join("scores", str(kind)), "not an exam of the course")
            for kind in scores
            if kind not in kinds
        )
        problems.extend(
            Problem(join("scores", exam.kind.value), "missing")
            for exam in self.exams
            if exam.kind.value not in scores
        )
        if problems:
            raise ValidationError(f"record of {shown(self.course_id)}", problems)
        results = {exam.kind: exam.passed(scores[exam.kind.value]) for exam in self.exams}
        passed = all(results.values())
        expires = completed_at + self.valid_for if passed and self.valid_for else None
        return TrainingRecord(
            agent_id=agent_id,
            course_id=self.course_id,
            completed_at=completed_at,
            scores={exam.kind: scores[exam.kind.value] for exam in self.exams},
            passed=passed,
            expires_at=expires,
        )

    def to_dict(self) -> dict[str, object]:
        """Plain data (``valid_for`` in days)."""
        return {
            "course_id": self.course_id,
            "title": self.title,
            "kind": self.kind.value,
            "exams": [exam.to_dict() for exam in self.exams],
            "skills": dict(self.skills),
            "valid_for_days": None if self.valid_for is None else self.valid_for.days,
        }


def _course_problems(course: Course) -> list[Problem]:
    found = [blank_problem(course.course_id, "course_id"), blank_problem(course.title, "title")]
    problems = [problem for problem in found if problem is not None]
    if not is_a(course.kind, CourseKind):
        read_enum(course.kind, CourseKind, "kind", problems)
    if not is_a(course.exams, tuple):
        problems.append(Problem("exams", f"expected a list, got {shown(course.exams)}"))
    else:
        kinds: set[object] = set()
        for i, exam in enumerate(course.exams):
            where = f"exams[{i}]"
            if not is_a(exam, Exam):
                problems.append(Problem(where, f"expected an Exam, got {shown(exam)}"))
                continue
            problems.extend(Problem(join(where, p.path), p.message) for p in exam.problems())
            if not is_a(exam.kind, ExamKind):  # reported above
                continue
            if exam.kind in kinds:
                kind = getattr(exam.kind, "value", exam.kind)
                problems.append(Problem(f"{where}.kind", f"a second {shown(kind)} exam"))
            kinds.add(exam.kind)
    for skill, level in course.skills.items():
        if blank_problem(skill, "") is not None or not is_int(level) or level < 1:
            message = f"expected a level >= 1, got {shown(level)}"
            problems.append(Problem(join("skills", str(skill)), message))
    valid_for = course.valid_for
    if valid_for is not None and (not is_a(valid_for, dt.timedelta) or valid_for.days < 1):
        problems.append(Problem("valid_for", f"expected at least a day, got {shown(valid_for)}"))
    if course.kind is CourseKind.CERTIFICATION and valid_for is None:
        problems.append(Problem("valid_for", "a certification needs its validity"))
    return problems


@attrs.frozen
class CourseCatalogue:
    """The courses on offer, by id; read from plain data with :meth:`from_dict`."""

    courses: tuple[Course, ...] = attrs.field(converter=tuple_or_given)

    def __attrs_post_init__(self) -> None:
        problems = member_problems(self.courses, Course, "course_id", "courses", "course")
        if problems:
            raise InvalidPeopleDefinition("course catalogue", problems)

    def get(self, course_id: str) -> Course:
        """The course with that id; ValidationError naming the known ids."""
        for course in self.courses:
            if course.course_id == course_id:
                return course
        known = ", ".join(course.course_id for course in self.courses) or "none"
        problem = Problem("course_id", f"unknown course {shown(course_id)} (known: {known})")
        raise ValidationError("course catalogue", [problem])

    def of_kind(self, kind: CourseKind) -> tuple[Course, ...]:
        """The courses of one kind, in catalogue order."""
        return tuple(course for course in self.courses if course.kind is kind)

    def to_dict(self) -> dict[str, object]:
        """Plain data; :meth:`from_dict` reads it back."""
        return {"courses": [course.to_dict() for course in self.courses]}

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> CourseCatalogue:
        """A catalogue from plain data; InvalidPeopleDefinition lists every problem with its
        path (``courses[2].exams[0].pass_mark``)."""
        problems: list[Problem] = []
        top = as_mapping(data, "", problems)
        if top is None:
            raise InvalidPeopleDefinition("course catalogue", problems)
        check_keys(top, "", ("courses",), (), problems)
        courses = []
        for i, raw in enumerate(read_list(top, "courses", "", problems)):
            course = _read_course(raw, f"courses[{i}]", problems)
            if course is not None:
                courses.append(course)
        if problems:
            raise InvalidPeopleDefinition("course catalogue", problems)
        return cls(courses)


def _read_course(raw: object, path: str, problems: list[Problem]) -> Course | None:
    data = as_mapping(raw, path, problems)
    if data is None:
        return None
    before = len(problems)
    optional = ("exams", "skills", "valid_for_days")
    check_keys(data, path, ("course_id", "title", "kind"), optional, problems)
    values: dict[str, Any] = {}
    for name in ("course_id", "title"):
        if name in data:
            values[name] = text(data[name], join(path, name), problems)
    if "kind" in data:
        values["kind"] = read_enum(data["kind"], CourseKind, join(path, "kind"), problems)
    if "skills" in data:
        values["skills"] = as_mapping(data["skills"], join(path, "skills"), problems)
    if data.get("valid_for_days") is not None:
        where = join(path, "valid_for_days")
        days = integer(data["valid_for_days"], where, problems, minimum=1, maximum=36500)
        values["valid_for"] = None if days is None else dt.timedelta(days=days)
    exams = []
    for i, item in enumerate(read_list(data, "exams", path, problems)):
        where = join(join(path, "exams"), i)
        exam = as_mapping(item, where, problems)
        if exam is None:
            continue
        check_keys(exam, where, ("kind", "pass_mark"), ("max_score",), problems)
        if {"kind", "pass_mark"} <= exam.keys() <= {"kind", "pass_mark", "max_score"}:
            exams.append(Exam(**exam))  # type: ignore[arg-type]  # checked by Course
    values["exams"] = exams
    if len(problems) > before:
        return None
    return build(lambda: Course(**values), InvalidPeopleDefinition, path, problems)


def latest(records: Iterable[TrainingRecord]) -> dict[tuple[str, str], TrainingRecord]:
    """The latest record of each (agent, course) pair."""
    found: dict[tuple[str, str], TrainingRecord] = {}
    for record in records:
        key = (record.agent_id, record.course_id)
        held = found.get(key)
        if held is None or record.completed_at >= held.completed_at:
            found[key] = record
    return found


def expiring(
    records: Iterable[TrainingRecord], now: dt.datetime, within: dt.timedelta
) -> tuple[TrainingRecord, ...]:
    """The certifications (latest passed record of each agent and course) that run out
    within ``within`` of ``now`` or already have, soonest first.

    >>> at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    >>> cert = TrainingRecord(agent_id="ana", course_id="itil", completed_at=at, passed=True,
    ...                       expires_at=at + dt.timedelta(days=365))
    >>> [r.course_id for r in expiring([cert], at + dt.timedelta(days=340), dt.timedelta(days=30))]
    ['itil']
    """
    check_aware(now, "expiring.now")
    horizon = now + within
    due = [
        record
        for record in latest(records).values()
        if record.passed and record.expires_at is not None and record.expires_at <= horizon
    ]
    return tuple(sorted(due, key=lambda r: (r.expires_at or now, r.agent_id, r.course_id)))
