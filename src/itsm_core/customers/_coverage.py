"""The follow-up coverage KPI: the share of closed tickets whose customer was surveyed or
reached by a follow-up (the spec asks for at least 95%)."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from itsm_core._plain import is_number, shown
from itsm_core.customers._followup import FollowUpTask
from itsm_core.errors import InsufficientData, Problem, ValidationError
from itsm_core.tickets import Ticket
from itsm_core.workflow import StatusCategory

#: The spec's target: surveys and follow-ups reach at least 95% of closed tickets.
COVERAGE_TARGET = 0.95


@attrs.frozen(kw_only=True)
class FollowUpCoverage:
    """How many closed tickets were ``surveyed`` (a survey linked), ``followed_up`` (a
    follow-up that reached the customer), ``covered`` (either), out of ``closed``; ``ratio``
    is ``covered / closed``, ``met`` says whether it reaches ``target``."""

    closed: int
    surveyed: int
    followed_up: int
    covered: int
    target: float = COVERAGE_TARGET

    @property
    def ratio(self) -> float:
        """``covered / closed``."""
        return self.covered / self.closed

    @property
    def met(self) -> bool:
        """True when the ratio reaches the target."""
        return self.covered >= self.target * self.closed


def follow_up_coverage(
    tickets: Iterable[Ticket], tasks: Iterable[FollowUpTask], *, target: float = COVERAGE_TARGET
) -> FollowUpCoverage:
    """The coverage of the closed tickets among ``tickets`` (status category ``closed``;
    cancelled ones are not counted) by surveys (``Ticket.survey`` linked) and by the
    follow-ups among ``tasks`` that reached the customer (satisfied or not; an unreachable or
    open follow-up does not count).

    :class:`~itsm_core.errors.InsufficientData` when no ticket is closed (a rate over none is
    undefined, not 0%).
    """
    if not (is_number(target) and 0 < target <= 1):
        raise ValidationError(
            "coverage", [Problem("target", f"expected 0 < target <= 1, got {shown(target)}")]
        )
    reached = {
        task.ticket_id for task in tasks if task.outcome is not None and task.outcome.reached
    }
    closed = [t for t in tickets if t.status is StatusCategory.CLOSED]
    if not closed:
        raise InsufficientData(
            "follow-up coverage", [Problem("tickets", "no closed ticket (n = 0)")]
        )
    surveyed = {t.id for t in closed if t.survey is not None}
    followed = {t.id for t in closed if t.id in reached}
    return FollowUpCoverage(
        closed=len(closed),
        surveyed=len(surveyed),
        followed_up=len(followed),
        covered=len(surveyed | followed),
        target=target,
    )
