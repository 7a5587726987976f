"""Survey definitions as data, and responses validated against them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from itsm_core._plain import key_text, shown
from itsm_core.errors import InvalidSurvey, Problem, ValidationError
from itsm_core.satisfaction._checks import instance_of, nonempty_str
from itsm_core.satisfaction._scales import (
    Scale,
    scale_dict_problems,
    scale_from_dict_unchecked,
)

Answer = int | bool
"""An answer value: an integer on a numeric scale, True/False on a yes/no scale."""


@attrs.frozen(kw_only=True)
class Question:
    """One survey question: its id, wording, scale, dimension and whether it must be answered.

    ``dimension`` groups questions for per-dimension scores (e.g. "speed", "attitude",
    "effectiveness"); all questions of one dimension share one scale.
    """

    id: str
    text: str
    scale: Scale
    dimension: str | None = None
    required: bool = True

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-safe data."""
        return {
            "id": self.id,
            "text": self.text,
            "scale": self.scale.to_dict(),
            "dimension": self.dimension,
            "required": self.required,
        }


@attrs.frozen(kw_only=True)
class SurveyResponse:
    """One respondent's answers to one survey, in the survey's question order.

    Build it with :meth:`Survey.response` (which validates the answers); the scoring functions
    check every response against the survey again, so an invalid answer never reaches a score.
    """

    survey_id: str
    respondent_id: str
    answers: tuple[tuple[str, Answer], ...]
    ticket_id: str | None = None

    def get(self, question_id: str) -> Answer | None:
        """The answer to ``question_id``, or None when it was not answered."""
        for qid, value in self.answers:
            if qid == question_id:
                return value
        return None

    def as_dict(self) -> dict[str, Answer]:
        """The answers as a new dict ``{question id: value}``."""
        return dict(self.answers)

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-safe data; :meth:`Survey.response_from_dict` reads it back."""
        return {
            "survey_id": self.survey_id,
            "respondent_id": self.respondent_id,
            "ticket_id": self.ticket_id,
            "answers": self.as_dict(),
        }


@attrs.frozen
class Survey:
    """A survey definition: an id, a title and its questions, validated on construction.

    >>> from itsm_core.satisfaction import FIVE_POINT
    >>> survey = Survey("after-ticket", (
    ...     Question(id="speed", text="How fast?", scale=FIVE_POINT, dimension="speed"),
    ...     Question(id="comment_ok", text="Any issue?", scale=FIVE_POINT, required=False),
    ... ))
    >>> survey.response("r1", {"speed": 6, "mood": 3})
    Traceback (most recent call last):
    ...
    itsm_core.errors.ValidationError: invalid value for response 'r1' to survey ...: 2 problems
      - answers.mood: no such question in the survey
      - answers.speed: 6 is off the scale 1..5
    """

    id: str
    questions: tuple[Question, ...]
    title: str = ""

    def __attrs_post_init__(self) -> None:
        problems = _survey_problems(self)
        if problems:
            raise InvalidSurvey(shown(self.id), problems)

    @property
    def dimensions(self) -> tuple[str, ...]:
        """The dimensions named by the questions, in order of first appearance."""
        seen: dict[str, None] = {}
        for question in self.questions:
            if question.dimension is not None:
                seen.setdefault(question.dimension)
        return tuple(seen)

    def question(self, question_id: str) -> Question:
        """The question with this id; ValidationError when there is none."""
        for question in self.questions:
            if question.id == question_id:
                return question
        raise ValidationError(
            f"survey {shown(self.id)}",
            [Problem("question_id", f"no question {shown(question_id)}")],
        )

    def questions_in(self, dimension: str) -> tuple[Question, ...]:
        """The questions of one dimension (empty when the dimension is unknown)."""
        return tuple(q for q in self.questions if q.dimension == dimension)

    def answer_problems(
        self, answers: Mapping[str, object], path: str = "answers"
    ) -> list[Problem]:
        """Every problem with a mapping of answers: unknown ids, missing required, off scale."""
        known = {q.id for q in self.questions}
        problems = [
            Problem(f"{path}.{key_text(qid)}", "no such question in the survey")
            for qid in answers
            if qid not in known
        ]
        for question in self.questions:
            value = answers.get(question.id)
            if value is None:
                if question.required:
                    problems.append(Problem(f"{path}.{question.id}", "required but not answered"))
                continue
            problem = question.scale.answer_problem(value)
            if problem is not None:
                problems.append(Problem(f"{path}.{question.id}", problem))
        return problems

    def response(
        self,
        respondent_id: str,
        answers: Mapping[str, Answer | None],
        *,
        ticket_id: str | None = None,
    ) -> SurveyResponse:
        """Validate ``answers`` and build a response; a ``None`` answer means "not answered".

        Raises:
            ValidationError: listing every unknown question, missing required answer and
                answer that is off its scale or of the wrong type, with the question id and
                value. Nothing is coerced.
        """
        # Checked at run time, whatever the annotations promised (answers may come from data).
        given: object = answers
        if not isinstance(given, Mapping):
            problems = [Problem("answers", f"must be a mapping, got {shown(given)}")]
        else:
            problems = self.answer_problems(answers)
        if not nonempty_str(respondent_id):
            problems.insert(0, Problem("respondent_id", "must be a non-empty string"))
        ticket: object = ticket_id
        if ticket is not None and not isinstance(ticket, str):
            problems.append(Problem("ticket_id", f"must be a string or null: {shown(ticket)}"))
        if problems:
            raise ValidationError(
                f"response {shown(respondent_id)} to survey {shown(self.id)}", problems
            )
        ordered = tuple(
            (q.id, value) for q in self.questions if (value := answers.get(q.id)) is not None
        )
        return SurveyResponse(
            survey_id=self.id, respondent_id=respondent_id, answers=ordered, ticket_id=ticket_id
        )

    def response_from_dict(self, data: Mapping[str, object]) -> SurveyResponse:
        """Read a response from plain data ``{"respondent_id", "answers", "ticket_id"?}``.

        Raises:
            ValidationError: listing every problem (``data`` not a mapping, unknown keys, and
                the problems :meth:`response` reports), with its path.
        """
        if not isinstance(data, Mapping):
            raise ValidationError(
                f"response to survey {shown(self.id)}",
                [Problem("", f"must be a mapping, got {type(data).__name__}")],
            )
        problems = _unknown_keys(data, _RESPONSE_KEYS, "")
        respondent = data.get("respondent_id")
        answers = data.get("answers")
        ticket = data.get("ticket_id")
        survey_id = data.get("survey_id", self.id)
        if survey_id != self.id:
            problems.append(
                Problem("survey_id", f"{shown(survey_id)} is not this survey {shown(self.id)}")
            )
        if not isinstance(respondent, str) or not respondent:
            problems.append(
                Problem("respondent_id", f"must be a non-empty string: {shown(respondent)}")
            )
        if ticket is not None and not isinstance(ticket, str):
            problems.append(Problem("ticket_id", f"must be a string or null: {shown(ticket)}"))
        if not isinstance(answers, Mapping):
            problems.append(Problem("answers", f"must be a mapping: {shown(answers)}"))
        else:
            problems += self.answer_problems(answers)
        if problems:
            raise ValidationError(f"response to survey {shown(self.id)}", problems)
        assert isinstance(respondent, str)
        assert isinstance(answers, Mapping)
        assert ticket is None or isinstance(ticket, str)
        return self.response(respondent, answers, ticket_id=ticket)

    def check_responses(self, responses: Iterable[SurveyResponse]) -> tuple[SurveyResponse, ...]:
        """Return ``responses`` as a tuple after checking every one belongs to this survey.

        Raises:
            ValidationError: listing every problem of every response, with its index.
        """
        result = tuple(responses)
        problems: list[Problem] = []
        for index, response in enumerate(result):
            path = f"responses[{index}]"
            if not instance_of(response, SurveyResponse):
                problems.append(Problem(path, f"not a SurveyResponse: {shown(response)}"))
                continue
            if response.survey_id != self.id:
                problems.append(
                    Problem(
                        f"{path}.survey_id", f"{shown(response.survey_id)} is not {shown(self.id)}"
                    )
                )
            problems += self.answer_problems(response.as_dict(), f"{path}.answers")
        if problems:
            raise ValidationError(f"responses to survey {shown(self.id)}", problems)
        return result

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-safe data; :meth:`from_dict` reads it back."""
        return {
            "id": self.id,
            "title": self.title,
            "questions": [q.to_dict() for q in self.questions],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Survey:
        """Build a survey from plain data, reporting every problem with its path.

        >>> Survey.from_dict({"id": "s", "questions": [
        ...     {"id": "q1", "text": "?", "scale": {"low": 1, "high": 1}},
        ...     {"id": "q1", "text": "?", "scale": {"low": 1, "high": 5}, "required": "yes"},
        ... ]})
        Traceback (most recent call last):
        ...
        itsm_core.errors.InvalidSurvey: invalid survey 's': 3 problems
          - questions[0].scale.high: must be above low = 1, got 1
          - questions[1].required: must be true or false, got 'yes'
          - questions[1].id: duplicate question id 'q1'
        """
        if not isinstance(data, Mapping):
            raise InvalidSurvey(
                "survey", [Problem("", f"must be a mapping, got {type(data).__name__}")]
            )
        problems = _unknown_keys(data, _SURVEY_KEYS, "")
        survey_id = data.get("id")
        title = data.get("title", "")
        raw_questions = data.get("questions")
        if not isinstance(survey_id, str) or not survey_id:
            problems.append(Problem("id", f"must be a non-empty string, got {shown(survey_id)}"))
        if not isinstance(title, str):
            problems.append(Problem("title", f"must be a string, got {shown(title)}"))
        questions: list[Question] = []
        seen: set[str] = set()
        if not isinstance(raw_questions, list | tuple):
            problems.append(Problem("questions", "must be a list of questions"))
        else:
            for index, raw in enumerate(raw_questions):
                question = _question_from_dict(raw, f"questions[{index}]", problems)
                raw_id = raw.get("id") if isinstance(raw, Mapping) else None
                if isinstance(raw_id, str) and raw_id in seen:
                    problems.append(
                        Problem(f"questions[{index}].id", f"duplicate question id {shown(raw_id)}")
                    )
                if isinstance(raw_id, str):
                    seen.add(raw_id)
                if question is not None:
                    questions.append(question)
        name = shown(survey_id) if isinstance(survey_id, str) else "survey"
        if problems:
            raise InvalidSurvey(name, problems)
        assert isinstance(survey_id, str)
        assert isinstance(title, str)
        return cls(survey_id, tuple(questions), title)


_SURVEY_KEYS = frozenset({"id", "title", "questions"})
_RESPONSE_KEYS = frozenset({"survey_id", "respondent_id", "answers", "ticket_id"})
_QUESTION_KEYS = frozenset({"id", "text", "scale", "dimension", "required"})


def _unknown_keys(keys: Iterable[object], known: frozenset[str], path: str) -> list[Problem]:
    """A problem for each of ``keys`` that is not one of ``known``."""
    prefix = f"{path}." if path else ""
    return [
        Problem(f"{prefix}{key}", "unknown key")
        for key in sorted(map(key_text, keys))
        if key not in known
    ]


def _question_from_dict(raw: object, path: str, problems: list[Problem]) -> Question | None:
    if not isinstance(raw, Mapping):
        problems.append(Problem(path, f"must be a mapping, got {shown(raw)}"))
        return None
    found: list[Problem] = [
        Problem(f"{path}.{key}", "unknown key")
        for key in sorted(map(key_text, raw))
        if key not in _QUESTION_KEYS
    ]
    qid, text = raw.get("id"), raw.get("text", "")
    dimension, required = raw.get("dimension"), raw.get("required", True)
    if not isinstance(qid, str) or not qid:
        found.append(Problem(f"{path}.id", f"must be a non-empty string, got {shown(qid)}"))
    if not isinstance(text, str):
        found.append(Problem(f"{path}.text", f"must be a string, got {shown(text)}"))
    if dimension is not None and (not isinstance(dimension, str) or not dimension):
        found.append(
            Problem(f"{path}.dimension", f"must be a non-empty string or null: {shown(dimension)}")
        )
    if not isinstance(required, bool):
        found.append(Problem(f"{path}.required", f"must be true or false, got {shown(required)}"))
    scale_data = raw.get("scale")
    scale_problems = scale_dict_problems(scale_data, f"{path}.scale")
    found = scale_problems + found
    problems.extend(found)
    if found:
        return None
    assert isinstance(qid, str)
    assert isinstance(text, str)
    assert isinstance(required, bool)
    assert isinstance(scale_data, Mapping)
    assert dimension is None or isinstance(dimension, str)
    return Question(
        id=qid,
        text=text,
        scale=scale_from_dict_unchecked(scale_data),
        dimension=dimension,
        required=required,
    )


def _survey_problems(survey: Survey) -> list[Problem]:
    problems: list[Problem] = []
    if not nonempty_str(survey.id):
        problems.append(Problem("id", f"must be a non-empty string, got {shown(survey.id)}"))
    if not instance_of(survey.questions, tuple) or not survey.questions:
        problems.append(Problem("questions", "a survey needs at least one question (a tuple)"))
        return problems
    seen: set[str] = set()
    scales: dict[str, tuple[int, Scale]] = {}
    for index, question in enumerate(survey.questions):
        path = f"questions[{index}]"
        if not instance_of(question, Question):
            problems.append(Problem(path, f"not a Question: {shown(question)}"))
            continue
        if not nonempty_str(question.id):
            problems.append(
                Problem(f"{path}.id", f"must be a non-empty string: {shown(question.id)}")
            )
        elif question.id in seen:
            problems.append(Problem(f"{path}.id", f"duplicate question id {shown(question.id)}"))
        seen.add(question.id)
        if question.dimension is not None:
            first = scales.setdefault(question.dimension, (index, question.scale))
            if first[1] != question.scale:
                problems.append(
                    Problem(
                        f"{path}.scale",
                        f"dimension {shown(question.dimension)} already uses the scale of "
                        f"questions[{first[0]}]; one dimension, one scale",
                    )
                )
    return problems
