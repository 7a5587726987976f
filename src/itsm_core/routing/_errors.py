"""The error of routing definitions (the shared tree lives in itsm_core.errors)."""

from __future__ import annotations

from itsm_core.errors import DefinitionError


class InvalidRouting(DefinitionError):
    """A team (agents, groups, rosters) or a set of routing rules is invalid.

    Like every definition error it lists every problem found, each with its path.

    >>> from itsm_core.errors import Problem
    >>> print(InvalidRouting("team", [Problem("agents[0].roster", "unknown roster 'late'")]))
    invalid routing definition team: 1 problem
      - agents[0].roster: unknown roster 'late'
    """

    _kind = "routing definition"
