"""The context of a decision: who, in which role, when, and which workflows apply."""

from __future__ import annotations

import attrs

from itsm_core.kernel import Context
from itsm_core.priority import DEFAULT_TIERS, TierVocabulary
from itsm_core.tickets._registry import BUILTIN_WORKFLOWS, WorkflowRegistry


@attrs.frozen(kw_only=True)
class CommandContext(Context):
    """The kernel's :class:`~itsm_core.kernel.Context` (who acts, in which role, when), the
    ``workflows`` a ticket's workflow name is looked up in (the built-in ones by default) and
    the ``tier_vocabulary`` customer tiers are checked against (the desk's one vocabulary,
    :data:`~itsm_core.priority.DEFAULT_TIERS` by default).

    >>> import datetime as dt
    >>> ctx = CommandContext(actor="ana", role="agent", now=dt.datetime(2026, 1, 5, tzinfo=dt.UTC))
    >>> "incident" in ctx.workflows.names
    True
    """

    workflows: WorkflowRegistry = BUILTIN_WORKFLOWS
    tier_vocabulary: TierVocabulary = DEFAULT_TIERS
