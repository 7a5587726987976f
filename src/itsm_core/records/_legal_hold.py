"""Legal holds: records that must not be destroyed while a dispute or an inquiry is open."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import attrs

from itsm_core._checks import check_aware, check_aware_fields
from itsm_core._plain import is_text, shown, string_set
from itsm_core.errors import Problem, ValidationError
from itsm_core.tickets import Ticket


def _ticket_ids(values: Iterable[str]) -> frozenset[str]:
    return string_set(values, ValidationError, "legal hold", "ticket_ids")


def _requesters(values: Iterable[str]) -> frozenset[str]:
    return string_set(values, ValidationError, "legal hold", "requesters")


@attrs.frozen(kw_only=True)
class LegalHold:
    """A hold on the tickets it names, or on every ticket of the requesters it names.

    Active from ``placed_at`` until ``released_at`` (excluded; None while in force). A hold
    blocks destruction only: archiving keeps a record, so it goes on.

    >>> import datetime as dt
    >>> hold = LegalHold(id="LH-1", reason="dispute with customer zhang",
    ...                  placed_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC), requesters={"zhang"})
    >>> hold.active_at(dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    True
    """

    id: str
    reason: str
    placed_at: dt.datetime
    released_at: dt.datetime | None = None
    ticket_ids: frozenset[str] = attrs.field(default=frozenset(), converter=_ticket_ids)
    requesters: frozenset[str] = attrs.field(default=frozenset(), converter=_requesters)

    def __attrs_post_init__(self) -> None:
        check_aware_fields(self, "placed_at", "released_at")
        problems = [
            Problem(name, "must not be empty")
            for name in ("id", "reason")
            if not is_text(getattr(self, name))
        ]
        problems.extend(
            Problem(name, f"{shown(value)} is not a non-empty string")
            for name in ("ticket_ids", "requesters")
            for value in sorted(getattr(self, name), key=repr)
            if not is_text(value)
        )
        if not (self.ticket_ids or self.requesters):
            problems.append(Problem("", "a hold names tickets or requesters"))
        if self.released_at is not None and self.released_at <= self.placed_at:
            problems.append(Problem("released_at", "must come after placed_at"))
        if problems:
            raise ValidationError(f"legal hold {shown(self.id)}", problems)

    def active_at(self, at: dt.datetime) -> bool:
        """True when the hold is in force at ``at``."""
        check_aware(at, "LegalHold.active_at")
        return self.placed_at <= at and (self.released_at is None or at < self.released_at)

    def covers(self, ticket: Ticket) -> bool:
        """True when the hold names ``ticket`` or its requester."""
        return ticket.id in self.ticket_ids or ticket.requester in self.requesters

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-safe data."""
        return {
            "id": self.id,
            "reason": self.reason,
            "placed_at": self.placed_at.isoformat(),
            "released_at": None if self.released_at is None else self.released_at.isoformat(),
            "ticket_ids": sorted(self.ticket_ids),
            "requesters": sorted(self.requesters),
        }
