"""The churn-risk rule: when declining satisfaction marks a customer at risk of leaving."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import attrs

from itsm_core._checks import is_int
from itsm_core._plain import shown
from itsm_core.errors import InvalidPolicy, Problem
from itsm_core.i18n import N_

#: Why a customer is at risk, as the catalogue translates it.
LOW_SCORE = N_("Latest satisfaction score {score} is at or below {floor}")
DECLINING = N_("Satisfaction declined over the last {count} scores")


@attrs.frozen(kw_only=True)
class ChurnRule:
    """A customer is at risk of churning when their satisfaction scores (1-5, oldest first)

    * end with a score at or below ``floor`` (default 2: dissatisfied or worse), or
    * decline over the last ``window`` scores (default 3): each no higher than the one before
      and the last lower than the first of them.

    >>> rule = ChurnRule()
    >>> rule.reason([5, 4, 4, 3]), rule.reason([5, 2]), rule.reason([3, 4, 3])
    ('declining', 'low', None)
    """

    window: int = 3
    floor: int = 2

    def __attrs_post_init__(self) -> None:
        problems = []
        if not (is_int(self.window) and 2 <= self.window <= 100):
            problems.append(
                Problem("window", f"expected an integer 2 to 100, got {shown(self.window)}")
            )
        if not (is_int(self.floor) and 0 <= self.floor <= 5):
            problems.append(
                Problem("floor", f"expected an integer 0 to 5, got {shown(self.floor)}")
            )
        if problems:
            raise InvalidPolicy("churn rule", problems)

    def reason(self, scores: Sequence[int]) -> str | None:
        """``"low"`` or ``"declining"`` when ``scores`` put the customer at risk (the first
        that applies, in that order), else None."""
        if scores and scores[-1] <= self.floor:
            return "low"
        last = list(scores[-self.window :])
        if (
            len(last) == self.window
            and all(after <= before for before, after in pairwise(last))
            and last[-1] < last[0]
        ):
            return "declining"
        return None

    def at_risk(self, scores: Sequence[int]) -> bool:
        """True when :meth:`reason` finds one."""
        return self.reason(scores) is not None

    def explain(self, scores: Sequence[int]) -> tuple[str, dict[str, int]] | None:
        """The catalogue message of the reason and its facts, for ``Messages.format``."""
        reason = self.reason(scores)
        if reason == "low":
            return LOW_SCORE, {"score": scores[-1], "floor": self.floor}
        if reason == "declining":
            return DECLINING, {"count": self.window}
        return None
