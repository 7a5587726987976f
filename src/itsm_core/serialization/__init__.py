"""Serialisation: every value, aggregate and event to and from versioned, JSON-safe data.

A :class:`Serializer` writes envelopes ``{"type": "ticket", "version": 2, "data": {...}}``
with a cattrs converter built by :func:`make_converter` (there is no global converter), and
reads them back, upgrading older schema versions. Malformed data and unknown versions raise
one :class:`~itsm_core.errors.DeserializationError` listing every problem with its path.
"""

from itsm_core.serialization._converter import make_converter
from itsm_core.serialization._serializer import Serializer
from itsm_core.serialization._types import DEFAULT_TYPES, TypeSpec

__all__ = ["DEFAULT_TYPES", "Serializer", "TypeSpec", "make_converter"]
