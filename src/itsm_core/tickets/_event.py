"""The one event record of the ticket audit trail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from itsm_core.errors import DeserializationError, NaiveDatetimeError, Problem, ValidationError
from itsm_core.tickets._json import Json, frozen_mapping, thaw_json
from itsm_core.workflow import StatusCategory

#: Flags an import may put on an event (see :func:`import_history`).
IMPORTED = "imported"
REPEATED_STATE = "repeated_state"
OUT_OF_ORDER = "out_of_order"
NOT_IN_WORKFLOW = "not_in_workflow"
EVENT_FLAGS = frozenset({IMPORTED, REPEATED_STATE, OUT_OF_ORDER, NOT_IN_WORKFLOW})


def _flags(values: Any) -> frozenset[str]:
    return frozenset(values)


@attrs.frozen(kw_only=True)
class TicketEvent:
    """Something that happened to a ticket: who, when, what (from, to, fields) and why.

    Attributes:
        ticket_id: the ticket.
        sequence: 1 for ``open``, then +1 per event; the ticket's ``version`` after it.
        name: the event (``"open"``, ``"resolve"``, ``"comment"``, a custom workflow event...).
        at: when it happened (aware).
        actor, role: who did it, in which role.
        from_state, from_status: the state and category before (None for ``open``).
        to_state, to_status: after (equal to the "from" pair when the state did not move).
        payload: the changed ticket fields, JSON-safe (see the codec rules in the docs).
        reason: why, in the actor's words (a note, a cancel reason...).
        flags: set by imports: ``imported``, and for what the workflow would refuse,
            ``repeated_state``, ``out_of_order``, ``not_in_workflow``.

    Events are compared by value; they are not hashable (the payload is a mapping).
    """

    ticket_id: str
    sequence: int
    name: str
    at: dt.datetime
    actor: str
    role: str
    from_state: str | None
    from_status: StatusCategory | None
    to_state: str
    to_status: StatusCategory
    payload: Mapping[str, Json] = attrs.field(factory=dict, converter=frozen_mapping)
    reason: str | None = None
    flags: frozenset[str] = attrs.field(default=frozenset(), converter=_flags)

    def __attrs_post_init__(self) -> None:
        if self.at.tzinfo is None or self.at.utcoffset() is None:
            raise NaiveDatetimeError("TicketEvent.at", self.at)
        problems = [
            Problem(name, "must not be empty")
            for name in ("ticket_id", "name", "actor", "role", "to_state")
            if not getattr(self, name)
        ]
        if self.sequence < 1:
            problems.append(Problem("sequence", f"{self.sequence} is not a positive number"))
        if (self.from_state is None) != (self.from_status is None):
            problems.append(Problem("from_state", "from_state and from_status go together"))
        unknown = self.flags - EVENT_FLAGS
        if unknown:
            problems.append(Problem("flags", f"unknown flags: {', '.join(sorted(unknown))}"))
        if problems:
            raise ValidationError("TicketEvent", problems)

    @property
    def moved(self) -> bool:
        """True when the event changed the ticket's state."""
        return self.from_state != self.to_state

    @property
    def flagged(self) -> bool:
        """True when an import recorded something the workflow would refuse."""
        return bool(self.flags - {IMPORTED})

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data (for ``json.dumps``); :meth:`from_dict` reads it back."""
        return {
            "ticket_id": self.ticket_id,
            "sequence": self.sequence,
            "name": self.name,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "role": self.role,
            "from_state": self.from_state,
            "from_status": None if self.from_status is None else self.from_status.value,
            "to_state": self.to_state,
            "to_status": self.to_status.value,
            "payload": thaw_json(self.payload),
            "reason": self.reason,
            "flags": sorted(self.flags),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TicketEvent:
        """Load :meth:`to_dict` data; DeserializationError lists every problem.

        >>> import datetime as dt
        >>> from itsm_core.workflow import StatusCategory
        >>> event = TicketEvent(ticket_id="INC1", sequence=2, name="hold",
        ...     at=dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC), actor="ana", role="agent",
        ...     from_state="in_progress", from_status=StatusCategory.OPEN,
        ...     to_state="on_hold", to_status=StatusCategory.ON_HOLD,
        ...     payload={"hold_reason": "awaiting_customer"})
        >>> TicketEvent.from_dict(event.to_dict()) == event
        True
        """
        problems: list[Problem] = []
        missing = sorted(_KEYS - set(data))
        problems.extend(Problem(key, "missing") for key in missing)
        problems.extend(Problem(key, "unknown key") for key in sorted(set(data) - _KEYS))
        if problems:
            raise DeserializationError("TicketEvent", problems)
        values: dict[str, Any] = dict(data)
        try:
            values["at"] = dt.datetime.fromisoformat(data["at"])
        except (TypeError, ValueError) as exc:
            problems.append(Problem("at", str(exc)))
        for key in ("from_status", "to_status"):
            raw = data[key]
            if raw is None and key == "from_status":
                continue
            try:
                values[key] = StatusCategory(raw)
            except ValueError:
                problems.append(Problem(key, f"unknown status category {raw!r}"))
        if problems:
            raise DeserializationError("TicketEvent", problems)
        try:
            return cls(**values)
        except (TypeError, ValueError) as exc:
            raise DeserializationError("TicketEvent", [Problem("", str(exc))]) from exc


_KEYS = frozenset(attrs.fields_dict(TicketEvent))
