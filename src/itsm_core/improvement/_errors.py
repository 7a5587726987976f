"""The error class of the improvement package that the shared tree does not already have."""

from __future__ import annotations

from itsm_core.errors import ValidationError


class InvalidImprovementStream(ValidationError):
    """Events that do not fold into a cycle or nonconformity (wrong order, id, or phase)."""

    _kind = "event stream"
