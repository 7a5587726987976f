"""Survey data that once escaped as a non-ItsmError (found by tests/fuzz): now refused."""

from __future__ import annotations

from typing import Any

import pytest

from itsm_core.errors import InvalidSurvey, ValidationError
from itsm_core.satisfaction import Survey

SURVEY: dict[str, Any] = {
    "id": "after-ticket",
    "title": "How did we do?",
    "questions": [
        {"id": "overall", "text": "Overall?", "scale": {"low": 1, "high": 5}},
        {"id": "solved", "text": "Solved?", "scale": {"yes_no": True}, "required": False},
    ],
}
RESPONSE: dict[str, Any] = {"respondent_id": "zhang", "answers": {"overall": 4}}


def _junk(value: object) -> Any:
    """``value``, typed as anything: the tests pass wrong types on purpose."""
    return value


@pytest.mark.parametrize(("data", "kind"), [([], "list"), (None, "NoneType"), ("s", "str")])
def test_survey_from_a_non_mapping(data: Any, kind: str) -> None:
    # Was: AttributeError ... has no attribute 'get'.
    with pytest.raises(InvalidSurvey) as caught:
        Survey.from_dict(data)
    assert [(p.path, p.message) for p in caught.value.problems] == [
        ("", f"must be a mapping, got {kind}")
    ]


def test_survey_unknown_keys_and_questions_not_a_list_are_reported_together() -> None:
    with pytest.raises(InvalidSurvey) as caught:
        Survey.from_dict(SURVEY | {"questions": b"ab", "colour": 1, "title": 3})
    assert [p.path for p in caught.value.problems] == ["colour", "title", "questions"]


@pytest.mark.parametrize(("data", "kind"), [(None, "NoneType"), ([1], "list"), (7, "int")])
def test_response_from_a_non_mapping(data: Any, kind: str) -> None:
    # Was: AttributeError ... has no attribute 'get'.
    survey = Survey.from_dict(SURVEY)
    with pytest.raises(ValidationError) as caught:
        survey.response_from_dict(data)
    assert [(p.path, p.message) for p in caught.value.problems] == [
        ("", f"must be a mapping, got {kind}")
    ]


def test_response_unknown_keys_are_reported_with_the_answer_problems() -> None:
    survey = Survey.from_dict(SURVEY)
    with pytest.raises(ValidationError) as caught:
        survey.response_from_dict(RESPONSE | {"answer": {}, "answers": {"overall": 9}})
    assert [(p.path, p.message) for p in caught.value.problems] == [
        ("answer", "unknown key"),
        ("answers.overall", "9 is off the scale 1..5"),
    ]


def test_response_checks_answers_and_ticket_id_at_run_time() -> None:
    survey = Survey.from_dict(SURVEY)
    with pytest.raises(ValidationError) as caught:
        survey.response("zhang", _junk([("overall", 4)]), ticket_id=_junk(5))
    assert [p.path for p in caught.value.problems] == ["answers", "ticket_id"]
    response = survey.response_from_dict(RESPONSE | {"ticket_id": "T1"})
    assert response.as_dict() == {"overall": 4}
    assert response.ticket_id == "T1"
