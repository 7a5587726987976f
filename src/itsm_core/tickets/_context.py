"""The context of a decision: who, in which role, when, and which workflows apply."""

from __future__ import annotations

import datetime as dt

import attrs

from itsm_core.errors import NaiveDatetimeError, Problem, ValidationError
from itsm_core.tickets._registry import BUILTIN_WORKFLOWS, WorkflowRegistry


@attrs.frozen(kw_only=True)
class CommandContext:
    """Who acts (``actor``, ``role``), when (``now``, aware) and the workflows to look up.

    >>> import datetime as dt
    >>> ctx = CommandContext(actor="ana", role="agent", now=dt.datetime(2026, 1, 5, tzinfo=dt.UTC))
    >>> "incident" in ctx.workflows.names
    True
    """

    actor: str
    role: str
    now: dt.datetime
    workflows: WorkflowRegistry = BUILTIN_WORKFLOWS

    def __attrs_post_init__(self) -> None:
        if self.now.tzinfo is None or self.now.utcoffset() is None:
            raise NaiveDatetimeError("CommandContext.now", self.now)
        problems = [
            Problem(name, "must not be empty")
            for name in ("actor", "role")
            if not getattr(self, name)
        ]
        if problems:
            raise ValidationError("CommandContext", problems)
