"""Training by need, exams with pass marks, certifications that expire, skills for routing."""

from __future__ import annotations

import datetime as dt

import pytest

from itsm_core.errors import InvalidPeopleDefinition, ValidationError
from itsm_core.people import (
    Course,
    CourseCatalogue,
    CourseKind,
    Exam,
    InspectionOutcome,
    NeedReason,
    TrainingRecord,
    expiring,
    people_label,
    skills_of,
    training_needs,
    with_skills,
)
from itsm_core.routing import Agent

T0 = dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)

CATALOGUE = CourseCatalogue.from_dict(
    {
        "courses": [
            {"course_id": "intro", "title": "Desk basics", "kind": "new_hire"},
            {
                "course_id": "tone",
                "title": "Service language",
                "kind": "remedial",
                "exams": [{"kind": "practical", "pass_mark": 80}],
            },
            {
                "course_id": "net-2",
                "title": "Network support",
                "kind": "certification",
                "valid_for_days": 365,
                "skills": {"network": 2},
                "exams": [
                    {"kind": "written", "pass_mark": 60},
                    {"kind": "practical", "pass_mark": 8, "max_score": 10},
                ],
            },
            {
                "course_id": "net-1",
                "title": "Network basics",
                "kind": "skill",
                "skills": {"network": 1, "vpn": 1},
            },
        ]
    }
)


def test_a_course_is_passed_when_every_exam_is() -> None:
    course = CATALOGUE.get("net-2")
    passed = course.record("ana", T0, {"written": 60, "practical": 8})
    assert (passed.passed, passed.expires_at) == (True, T0 + 365 * DAY)
    failed = course.record("bo", T0, {"written": 95, "practical": 7.5})
    assert (failed.passed, failed.expires_at) == (False, None)
    with pytest.raises(ValidationError) as caught:
        course.record("bo", T0, {"written": 95, "oral": 3})
    assert [p.path for p in caught.value.problems] == ["scores.oral", "scores.practical"]
    with pytest.raises(ValidationError, match="expected 0 to 10, got 11"):
        course.record("bo", T0, {"written": 95, "practical": 11})


def test_the_catalogue_is_data_and_names_every_problem() -> None:
    assert CourseCatalogue.from_dict(CATALOGUE.to_dict()) == CATALOGUE
    with pytest.raises(InvalidPeopleDefinition) as caught:
        CourseCatalogue.from_dict(
            {
                "courses": [
                    {
                        "course_id": "c",
                        "title": "C",
                        "kind": "certification",
                        "exams": [{"kind": "written", "pass_mark": 120}],
                    },
                    {"course_id": "c", "title": "D", "kind": "seminar"},
                    {
                        "course_id": "e",
                        "title": "E",
                        "kind": "skill",
                        "skills": {"sap": 0},
                        "valid_for_days": 0,
                    },
                ]
            }
        )
    assert [str(p) for p in caught.value.problems] == [
        "courses[0].exams[0].pass_mark: expected a number above 0 and at most 100, got 120",
        "courses[0].valid_for: a certification needs its validity",
        "courses[1].kind: expected one of 'new_hire', 'remedial', 'skill', 'certification', "
        "got 'seminar'",
        "courses[2].valid_for_days: expected an integer from 1 to 36500, got 0",
    ]
    with pytest.raises(InvalidPeopleDefinition, match="a second 'written' exam"):
        Course(
            course_id="x", title="X", kind="skill", exams=[Exam(kind="written", pass_mark=1)] * 2
        )


def test_training_by_need() -> None:
    failed = InspectionOutcome(agent_id="bo", passed=False, score=52, at=T0, reference="QI-7")
    passed = InspectionOutcome(agent_id="cy", passed=True, score=91, at=T0)
    cert = CATALOGUE.get("net-2").record("dai", T0 - 350 * DAY, {"written": 70, "practical": 9})
    intro_done = CATALOGUE.get("intro").record("eve", T0 - DAY, {})
    needs = training_needs(
        CATALOGUE, [cert, intro_done], T0, new_hires=["eve", "fay"], inspections=[failed, passed]
    )
    assert [(n.agent_id, n.course_id, n.reason, n.reference) for n in needs] == [
        ("bo", "tone", NeedReason.FAILED_INSPECTION, "QI-7"),
        ("dai", "net-2", NeedReason.EXPIRING_CERTIFICATION, "expires 2026-01-20T09:00:00+00:00"),
        ("fay", "intro", NeedReason.NEW_HIRE, ""),
    ]
    # remedial training passed after the failed inspection meets the need; before it does not
    after = CATALOGUE.get("tone").record("bo", T0 + DAY, {"practical": 85})
    before = CATALOGUE.get("tone").record("bo", T0 - DAY, {"practical": 85})
    assert training_needs(CATALOGUE, [after], T0, inspections=[failed]) == ()
    assert len(training_needs(CATALOGUE, [before], T0, inspections=[failed])) == 1


def test_expiring_soon_keeps_the_latest_record() -> None:
    course = CATALOGUE.get("net-2")
    old = course.record("ana", T0 - 360 * DAY, {"written": 70, "practical": 9})
    renewed = course.record("ana", T0, {"written": 70, "practical": 9})
    assert expiring([old], T0, 30 * DAY) == (old,)
    assert expiring([old, renewed], T0, 30 * DAY) == ()
    assert expiring([old], T0 - 340 * DAY, 10 * DAY) == ()


def test_skills_feed_routing_while_valid() -> None:
    cert = CATALOGUE.get("net-2").record("ana", T0, {"written": 70, "practical": 9})
    basics = CATALOGUE.get("net-1").record("ana", T0, {})
    failed = CATALOGUE.get("net-2").record("bo", T0, {"written": 10, "practical": 9})
    assert skills_of("ana", [cert, basics, failed], CATALOGUE, T0 + DAY) == {"network": 2, "vpn": 1}
    assert skills_of("ana", [cert, basics], CATALOGUE, T0 + 366 * DAY) == {"network": 1, "vpn": 1}
    assert skills_of("bo", [failed], CATALOGUE, T0) == {}
    ana = Agent(id="ana", roster="day", groups={"desk"}, skills={"network": 3, "sap": 2})
    trained = with_skills(ana, [cert, basics], CATALOGUE, T0 + DAY)
    assert dict(trained.skills) == {"network": 3, "sap": 2, "vpn": 1}
    assert trained.groups == ana.groups


def test_inspection_outcomes_are_checked() -> None:
    with pytest.raises(ValidationError) as caught:
        InspectionOutcome(agent_id="", passed=1, score=101, at=T0)  # type: ignore[arg-type]
    assert [p.path for p in caught.value.problems] == ["agent_id", "passed", "score"]


def test_labels() -> None:
    assert people_label(CourseKind.REMEDIAL, "zh-CN") == "补训"
    assert people_label("output", "zh-CN") == "工作业绩"
    assert people_label("my own band", "zh-CN") == "my own band"
    assert isinstance(TrainingRecord, type)
