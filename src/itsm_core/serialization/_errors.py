"""Errors of the serialization package."""

from __future__ import annotations

from itsm_core.errors import DefinitionError


class InvalidTypeSpec(DefinitionError):
    """A type registration (name, version, upgrades) is invalid, or two collide."""

    _kind = "type registration"
