"""Scales, survey definitions as data, validated responses, and sampling decisions."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsm_core.errors import InvalidSurvey, NaiveDatetimeError, ValidationError
from itsm_core.satisfaction import (
    FIVE_POINT,
    YES_NO,
    ZERO_TO_TEN,
    Question,
    SamplingOutcome,
    SamplingRule,
    Scale,
    Survey,
    SurveyResponse,
    sample_position,
)

UTC = dt.UTC


def make_survey() -> Survey:
    return Survey(
        "after-ticket",
        (
            Question(id="speed", text="Response speed", scale=FIVE_POINT, dimension="speed"),
            Question(id="attitude", text="Attitude", scale=FIVE_POINT, dimension="attitude"),
            Question(id="fixed", text="Was it fixed?", scale=YES_NO, dimension="effectiveness"),
            Question(id="nps", text="Recommend?", scale=ZERO_TO_TEN, required=False),
        ),
        title="Ticket follow-up",
    )


def test_scale_validation_and_favourable_ends() -> None:
    assert Scale(1, 5).best(2) == frozenset({4, 5})
    assert Scale(1, 5, higher_is_better=False).best(2) == frozenset({1, 2})
    assert Scale(1, 7).worst(3) == frozenset({1, 2, 3})
    assert YES_NO.values == (0, 1)
    with pytest.raises(InvalidSurvey) as info:
        Scale(5, 1)
    assert info.value.problems[0].path == "high"
    with pytest.raises(InvalidSurvey):
        Scale(1, 5, yes_no=True)
    with pytest.raises(InvalidSurvey) as info:
        Scale.from_dict({"low": "1", "higher_is_better": 1, "colour": "red"})
    assert [p.path for p in info.value.problems] == ["scale.colour", "scale.high"]
    with pytest.raises(InvalidSurvey):
        Scale.from_dict({"yes_no": True, "low": 0})
    with pytest.raises(InvalidSurvey):
        Scale.from_dict([])  # type: ignore[arg-type]
    assert Scale.from_dict(YES_NO.to_dict()) is YES_NO


@pytest.mark.parametrize(
    ("scale", "value", "fragment"),
    [
        (FIVE_POINT, 0, "off the scale"),
        (FIVE_POINT, 4.0, "must be an integer"),
        (FIVE_POINT, True, "must be an integer"),
        (FIVE_POINT, "5", "must be an integer"),
        (YES_NO, 1, "True or False"),
    ],
)
def test_answers_are_never_coerced(scale: Scale, value: object, fragment: str) -> None:
    problem = scale.answer_problem(value)
    assert problem is not None
    assert fragment in problem


def test_response_validation_lists_every_problem_with_question_and_value() -> None:
    survey = make_survey()
    with pytest.raises(ValidationError) as info:
        survey.response("r1", {"speed": 6, "fixed": 1, "bogus": 3, "nps": 11})
    found = {p.path: p.message for p in info.value.problems}
    assert found == {
        "answers.bogus": "no such question in the survey",
        "answers.speed": "6 is off the scale 1..5",
        "answers.attitude": "required but not answered",
        "answers.fixed": "a yes/no answer must be True or False, got 1",
        "answers.nps": "11 is off the scale 0..10",
    }
    with pytest.raises(ValidationError, match="respondent_id"):
        survey.response("", {"speed": 5, "attitude": 5, "fixed": True})


def test_response_keeps_survey_order_and_skips_unanswered() -> None:
    survey = make_survey()
    response = survey.response(
        "r1", {"fixed": True, "nps": None, "speed": 4, "attitude": 5}, ticket_id="INC1"
    )
    assert response.answers == (("speed", 4), ("attitude", 5), ("fixed", True))
    assert response.get("nps") is None
    assert response.ticket_id == "INC1"
    again = survey.response_from_dict(json.loads(json.dumps(response.to_dict())))
    assert again == response


def test_response_from_dict_reports_shape_problems() -> None:
    survey = make_survey()
    with pytest.raises(ValidationError) as info:
        survey.response_from_dict(
            {"survey_id": "other", "respondent_id": 3, "ticket_id": 4, "answers": []}
        )
    assert [p.path for p in info.value.problems] == [
        "survey_id",
        "respondent_id",
        "ticket_id",
        "answers",
    ]


def test_survey_round_trips_through_json() -> None:
    survey = make_survey()
    data = json.loads(json.dumps(survey.to_dict()))
    assert Survey.from_dict(data) == survey
    assert survey.dimensions == ("speed", "attitude", "effectiveness")
    assert survey.question("nps").required is False
    assert [q.id for q in survey.questions_in("speed")] == ["speed"]
    with pytest.raises(ValidationError):
        survey.question("missing")


def test_survey_definition_problems_are_all_reported() -> None:
    with pytest.raises(InvalidSurvey) as info:
        Survey(
            "",
            (
                Question(id="a", text="", scale=FIVE_POINT, dimension="d"),
                Question(id="a", text="", scale=ZERO_TO_TEN, dimension="d"),
                Question(id="", text="", scale=FIVE_POINT),
            ),
        )
    paths = [p.path for p in info.value.problems]
    assert paths == ["id", "questions[1].id", "questions[1].scale", "questions[2].id"]
    with pytest.raises(InvalidSurvey):
        Survey("s", ())
    with pytest.raises(InvalidSurvey) as info:
        Survey.from_dict(
            {
                "id": 7,
                "title": 3,
                "questions": [
                    "nope",
                    {"id": "", "text": 1, "scale": {"low": 1, "high": 5}, "dimension": "", "x": 1},
                ],
            }
        )
    paths = [p.path for p in info.value.problems]
    assert paths == [
        "id",
        "title",
        "questions[0]",
        "questions[1].x",
        "questions[1].id",
        "questions[1].text",
        "questions[1].dimension",
    ]
    with pytest.raises(InvalidSurvey, match="questions"):
        Survey.from_dict({"id": "s", "questions": "abc"})


def test_check_responses_names_the_response_index() -> None:
    survey = make_survey()
    good = survey.response("r1", {"speed": 4, "attitude": 5, "fixed": True})
    forged = SurveyResponse(survey_id="after-ticket", respondent_id="r2", answers=(("speed", 9),))
    alien = SurveyResponse(survey_id="other", respondent_id="r3", answers=())
    with pytest.raises(ValidationError) as info:
        survey.check_responses([good, forged, alien, "junk"])  # type: ignore[list-item]
    paths = [p.path for p in info.value.problems]
    assert "responses[1].answers.speed" in paths
    assert "responses[2].survey_id" in paths
    assert "responses[3]" in paths
    assert "responses[0]" not in " ".join(paths)


# --- sampling -------------------------------------------------------------------------------

CLOSED = dt.datetime(2026, 11, 16, 9, 0, tzinfo=UTC)


def test_sampling_timeline() -> None:
    rule = SamplingRule(rate=1.0, delay=dt.timedelta(hours=2), validity=dt.timedelta(days=3))
    outcomes = [
        rule.decide(ticket_id="INC1", closed_at=CLOSED, now=CLOSED + offset, seed="s").outcome
        for offset in (
            dt.timedelta(hours=1),
            dt.timedelta(hours=2),
            dt.timedelta(days=3, hours=1, minutes=59),
            dt.timedelta(days=3, hours=2),
        )
    ]
    assert outcomes == [
        SamplingOutcome.WAIT,
        SamplingOutcome.SEND,
        SamplingOutcome.SEND,
        SamplingOutcome.EXPIRED,
    ]
    assert rule.accepts_response(CLOSED, CLOSED + dt.timedelta(days=1))
    assert not rule.accepts_response(CLOSED, CLOSED + dt.timedelta(days=4))


def test_sampling_cooldown_and_rate_zero() -> None:
    rule = SamplingRule(rate=1.0, validity=dt.timedelta(days=1), cooldown=dt.timedelta(days=30))
    recent = rule.decide(
        ticket_id="INC2",
        closed_at=CLOSED,
        now=CLOSED,
        seed="s",
        last_surveyed_at=CLOSED - dt.timedelta(days=3),
    )
    assert recent.outcome is SamplingOutcome.COOLDOWN
    old = rule.decide(
        ticket_id="INC2",
        closed_at=CLOSED,
        now=CLOSED,
        seed="s",
        last_surveyed_at=CLOSED - dt.timedelta(days=31),
    )
    assert old.should_send
    never = SamplingRule(rate=0.0, validity=dt.timedelta(days=1))
    assert not never.decide(ticket_id="INC2", closed_at=CLOSED, now=CLOSED, seed="s").should_send


def test_sampling_rejects_naive_datetimes_and_empty_ids() -> None:
    rule = SamplingRule(rate=0.5, validity=dt.timedelta(days=1))
    with pytest.raises(NaiveDatetimeError):
        rule.decide(ticket_id="INC1", closed_at=CLOSED, now=dt.datetime(2026, 11, 16), seed="s")
    with pytest.raises(NaiveDatetimeError):
        rule.window(dt.datetime(2026, 11, 16))
    with pytest.raises(NaiveDatetimeError):
        rule.decide(
            ticket_id="INC1",
            closed_at=CLOSED,
            now=CLOSED,
            seed="s",
            last_surveyed_at=dt.datetime(2026, 1, 1),
        )
    with pytest.raises(ValidationError) as info:
        rule.decide(ticket_id="", closed_at=CLOSED, now=CLOSED, seed="")
    assert [p.path for p in info.value.problems] == ["ticket_id", "seed"]


def test_sampling_rule_as_data() -> None:
    rule = SamplingRule(
        rate=0.25,
        delay=dt.timedelta(hours=1),
        validity=dt.timedelta(days=7),
        cooldown=dt.timedelta(days=30),
    )
    assert SamplingRule.from_dict(json.loads(json.dumps(rule.to_dict()))) == rule
    with pytest.raises(InvalidSurvey) as info:
        SamplingRule.from_dict(
            {"rate": True, "delay_seconds": -5, "cooldown_seconds": "x", "extra": 1}
        )
    paths = [p.path for p in info.value.problems]
    assert paths == ["extra", "cooldown_seconds", "validity_seconds", "rate", "delay"]
    with pytest.raises(InvalidSurvey) as info:
        SamplingRule.from_dict({"rate": 0.5, "validity_seconds": None})
    assert [p.path for p in info.value.problems] == ["validity_seconds"]
    with pytest.raises(InvalidSurvey):
        SamplingRule(rate=0.5, validity=dt.timedelta(0), cooldown=dt.timedelta(0))


@given(ticket=st.text(min_size=1, max_size=20), seed=st.text(min_size=1, max_size=10))
def test_sample_position_is_deterministic_and_in_unit_interval(ticket: str, seed: str) -> None:
    position = sample_position(ticket, seed)
    assert 0.0 <= position < 1.0
    assert position == sample_position(ticket, seed)


@given(low=st.floats(0, 1), high=st.floats(0, 1), ticket=st.text(min_size=1, max_size=12))
def test_raising_the_rate_only_adds_tickets(low: float, high: float, ticket: str) -> None:
    low, high = min(low, high), max(low, high)
    small = SamplingRule(rate=low, validity=dt.timedelta(days=1))
    large = SamplingRule(rate=high, validity=dt.timedelta(days=1))
    if small.selects(ticket, "seed"):
        assert large.selects(ticket, "seed")


def test_sample_share_is_close_to_the_rate() -> None:
    rule = SamplingRule(rate=0.3, validity=dt.timedelta(days=1))
    chosen = sum(rule.selects(f"INC{i:05d}", "2026-W47") for i in range(10_000))
    # Binomial(10000, 0.3): sd = 45.8, so +-5 sd is 2771..3229.
    assert 2771 <= chosen <= 3229
    other_seed = sum(rule.selects(f"INC{i:05d}", "2026-W48") for i in range(2000))
    same_seed = sum(rule.selects(f"INC{i:05d}", "2026-W47") for i in range(2000))
    assert {i for i in range(2000) if rule.selects(f"INC{i:05d}", "2026-W48")} != {
        i for i in range(2000) if rule.selects(f"INC{i:05d}", "2026-W47")
    }
    assert other_seed > 0
    assert same_seed > 0
