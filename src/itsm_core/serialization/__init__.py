"""Serialisation: every value, aggregate and event to and from versioned, JSON-safe data.

A :class:`Serializer` writes envelopes ``{"type": "ticket", "version": 2, "data": {...}}``
with a cattrs converter built by :func:`make_converter` (there is no global converter), and
reads them back, upgrading older schema versions. Malformed data and unknown versions raise
one :class:`~itsm_core.errors.DeserializationError` listing every problem with its path.
"""

from itsm_core.serialization._converter import make_converter, thaw
from itsm_core.serialization._datetimes import format_datetime, parse_datetime
from itsm_core.serialization._problems import problems_from
from itsm_core.serialization._serializer import Serializer
from itsm_core.serialization._types import DEFAULT_TYPES, TypeSpec, Upgrade

__all__ = [
    "DEFAULT_TYPES",
    "Serializer",
    "TypeSpec",
    "Upgrade",
    "format_datetime",
    "make_converter",
    "parse_datetime",
    "problems_from",
    "thaw",
]
