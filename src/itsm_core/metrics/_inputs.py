"""Inputs that are not ticket events: SLA clock outcomes and survey answers.

Both carry the dimension values to group them by (``{"priority": "2"}``), because the KPI
stream does not keep finished tickets to look them up.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping

import attrs

from itsm_core._checks import check_aware_fields, is_int
from itsm_core._plain import shown
from itsm_core.errors import Problem, ValidationError


class SlaStatus(enum.StrEnum):
    """The outcome of one SLA clock (one ticket, one metric) at the report instant."""

    MET = "met"
    """Stopped within its target."""
    BREACHED = "breached"
    """Stopped after its target (met late)."""
    OPEN_BREACHED = "open_breached"
    """Still running and already past its target: counted as a breach."""
    OPEN_WITHIN = "open_within"
    """Still running within its target: undecided, reported as open, not in the denominator."""


def _dimensions(values: Mapping[str, str]) -> Mapping[str, str]:
    return dict(sorted(values.items()))


@attrs.frozen(kw_only=True)
class SlaOutcome:
    """The outcome of one SLA clock: which ticket, which metric, when, and how it ended.

    ``at`` places the outcome in a period (use the ticket's opening time to stay in the same
    cohort as the other KPIs). ``metric`` names the clock (``"response"``, ``"resolution"``).
    ``dimensions`` are the group values (keys are :class:`Dimension` values).
    """

    ticket_id: str
    metric: str
    status: SlaStatus
    at: dt.datetime
    dimensions: Mapping[str, str] = attrs.field(factory=dict, converter=_dimensions)

    def __attrs_post_init__(self) -> None:
        check_aware_fields(self, "at")
        problems = [
            Problem(name, "must not be empty")
            for name in ("ticket_id", "metric")
            if not getattr(self, name)
        ]
        if type(self.status) is not SlaStatus:
            problems.append(Problem("status", f"{shown(self.status)} is not an SlaStatus"))
        if problems:
            raise ValidationError("SlaOutcome", problems)


@attrs.frozen(kw_only=True)
class SurveyAnswer:
    """One satisfaction answer about a ticket: a 1-5 CSAT score and/or a 0-10 NPS score."""

    ticket_id: str
    at: dt.datetime
    csat: int | None = None
    nps: int | None = None
    dimensions: Mapping[str, str] = attrs.field(factory=dict, converter=_dimensions)

    def __attrs_post_init__(self) -> None:
        check_aware_fields(self, "at")
        problems = []
        if not self.ticket_id:
            problems.append(Problem("ticket_id", "must not be empty"))
        for name, low, high in (("csat", 1, 5), ("nps", 0, 10)):
            value = getattr(self, name)
            if value is not None and not (is_int(value) and low <= value <= high):
                problems.append(Problem(name, f"{shown(value)} is not an integer {low}..{high}"))
        if self.csat is None and self.nps is None:
            problems.append(Problem("", "give a csat or an nps score"))
        if problems:
            raise ValidationError("SurveyAnswer", problems)
