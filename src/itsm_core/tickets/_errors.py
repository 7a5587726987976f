"""Errors specific to tickets."""

from __future__ import annotations

from itsm_core.errors import ValidationError


class InvalidEventStream(ValidationError):
    """A sequence of ticket events cannot be folded into a ticket (gaps, wrong ticket, bad data)."""

    _kind = "event stream for"
