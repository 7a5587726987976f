"""The one error class of the satisfaction package that the shared tree does not already have."""

from __future__ import annotations

from itsm_core.errors import ValidationError


class InsufficientData(ValidationError):
    """There is too little data for the statistic asked for (no responses, n = 0, k < 2...).

    A rate over zero observations is undefined, not 0 %: the library says so instead of
    returning a number. It is a :class:`~itsm_core.errors.ValidationError`, so it carries
    ``subject`` and ``problems`` like every other validation failure.

    >>> from itsm_core.errors import Problem
    >>> err = InsufficientData("nps", [Problem("responses", "no responses (n = 0)")])
    >>> print(err)
    invalid data for nps: 1 problem
      - responses: no responses (n = 0)
    """

    _kind = "data for"
