"""The errors specific to KPIs: a bad KPI definition or report spec, and overlapping shards."""

from __future__ import annotations

from itsm_core.errors import DefinitionError, ValidationError


class InvalidKpiDefinition(DefinitionError):
    """A KPI definition, report spec or scorecard is invalid; every problem is listed.

    >>> from itsm_core.errors import Problem
    >>> print(InvalidKpiDefinition("'mttr'", [Problem("end", "unknown milestone 'fixed'")]))
    invalid KPI definition 'mttr': 1 problem
      - end: unknown milestone 'fixed'
    """

    _kind = "KPI definition"


class ShardOverlap(ValidationError):
    """Two partial results being merged both hold the same open ticket.

    Shards must partition the tickets: every event of one ticket goes to the same shard.
    """

    _kind = "shards for"
