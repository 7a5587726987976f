"""A satisfaction survey answered about a ticket: the event read models take scores from."""

from __future__ import annotations

import datetime as dt

import attrs

from itsm_core._checks import check_aware_fields, is_int
from itsm_core._plain import is_text, shown
from itsm_core.errors import Problem, ValidationError


@attrs.frozen(kw_only=True)
class SurveyAnswered:
    """The customer answered the survey ``survey_id`` linked to ticket ``ticket_id``
    (``tickets.LinkSurvey``) with the CSAT ``score`` (1-5) at ``at``.

    A one-event stream named by the survey's id (``sequence`` 1): append it to the desk's log
    when the answer comes in; the customer profile read model adds it to the customer's
    satisfaction history (the survey's questions and full response stay with
    :mod:`itsm_core.satisfaction`).

    >>> SurveyAnswered(survey_id="S1", ticket_id="INC1", score=6,
    ...     at=dt.datetime(2026, 3, 5, tzinfo=dt.UTC))
    Traceback (most recent call last):
    ...
    itsm_core.errors.ValidationError: invalid value for SurveyAnswered: 1 problem
      - score: expected an integer 1 to 5, got 6
    """

    survey_id: str
    ticket_id: str
    at: dt.datetime
    score: int
    sequence: int = 1

    def __attrs_post_init__(self) -> None:
        check_aware_fields(self, "at")
        problems = [
            Problem(name, f"expected a non-blank string, got {shown(getattr(self, name))}")
            for name in ("survey_id", "ticket_id")
            if not is_text(getattr(self, name))
        ]
        if not (is_int(self.score) and 1 <= self.score <= 5):
            problems.append(
                Problem("score", f"expected an integer 1 to 5, got {shown(self.score)}")
            )
        if self.sequence != 1:
            problems.append(Problem("sequence", "a survey answer is the only event of its stream"))
        if problems:
            raise ValidationError("SurveyAnswered", problems)

    @property
    def stream_id(self) -> str:
        """The survey's id."""
        return self.survey_id
