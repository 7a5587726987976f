"""A manual priority override: a person sets the priority, and must say why."""

from __future__ import annotations

import attrs

from itsm_core._checks import is_int
from itsm_core._plain import is_text, shown
from itsm_core.errors import Problem, ValidationError


@attrs.frozen(kw_only=True)
class Override:
    """A person's decision to set the priority to ``priority``, with the ``reason`` recorded.

    The only modifier that may lower a priority. A blank reason is refused.

    >>> Override(priority=4, reason="  ")
    Traceback (most recent call last):
    ...
    itsm_core.errors.ValidationError: invalid value for override: 1 problem
      - reason: a manual override needs a reason
    """

    priority: int
    reason: str
    by: str | None = None

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        if not (is_int(self.priority) and self.priority >= 1):
            problems.append(
                Problem("priority", f"expected a level >= 1, got {shown(self.priority)}")
            )
        if not is_text(self.reason):
            problems.append(Problem("reason", "a manual override needs a reason"))
        if self.by is not None and not is_text(self.by):
            problems.append(
                Problem("by", f"expected a non-blank name or None, got {shown(self.by)}")
            )
        if problems:
            raise ValidationError("override", problems)
