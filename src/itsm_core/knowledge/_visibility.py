"""Who may read a published article: the self-help public or agents only."""

from __future__ import annotations

import enum


class Visibility(enum.StrEnum):
    """Who may read a published article."""

    PUBLIC = "public"
    """Agents and customers (self-help portal): the default, as before visibility existed."""
    INTERNAL = "internal"
    """Agents only (workarounds with admin steps, internal systems)."""
