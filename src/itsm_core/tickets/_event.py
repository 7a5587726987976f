"""The one event record of the ticket audit trail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
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


def _flags(values: Any) -> Any:
    """Flag names as a frozenset; anything else is kept as given, for the checks to refuse."""
    if isinstance(values, list | tuple | set | frozenset) and all(
        isinstance(value, str) for value in values
    ):
        return frozenset(values)
    return values


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
        at: object = self.at
        if isinstance(at, dt.datetime) and at.utcoffset() is None:
            raise NaiveDatetimeError("TicketEvent.at", at)
        problems = _problems({name: getattr(self, name) for name in _KEYS})
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
        if not isinstance(data, Mapping):
            raise DeserializationError(
                "TicketEvent", [Problem("", f"expected an object, got {type(data).__name__}")]
            )
        problems = [Problem(key, "missing") for key in sorted(_KEYS - set(data))]
        problems.extend(
            Problem(str(key), "unknown key") for key in sorted(set(data) - _KEYS, key=str)
        )
        values: dict[str, Any] = {key: data[key] for key in _KEYS if key in data}
        # Decode what JSON cannot hold as such; a value that does not decode is left out of
        # the checks of the plain fields below, which then report everything else at once.
        decoders: dict[str, Callable[[str, object], object]] = {
            "at": _decode_at,
            "from_status": _decode_status,
            "to_status": _decode_status,
            "payload": _decode_payload,
            "flags": _decode_flags,
        }
        for key, decode in decoders.items():
            if key in values:
                found = decode(key, values[key])
                if isinstance(found, list):
                    problems.extend(found)
                    del values[key]
                else:
                    values[key] = found
        problems.extend(_problems(values))
        if problems:
            raise DeserializationError("TicketEvent", problems)
        return cls(**values)


def _problems(values: Mapping[str, object]) -> list[Problem]:
    """Everything wrong with the event fields in ``values`` (plain objects, absent ones skipped).

    Shared by the constructor and :meth:`TicketEvent.from_dict`, so that both refuse the same
    values: a wrong type is refused, never converted (``ticket_id`` 5 is not ``"5"``).
    """
    problems: list[Problem] = []
    for name in ("ticket_id", "name", "actor", "role", "to_state"):
        value = values.get(name, "-")
        if not isinstance(value, str):
            problems.append(Problem(name, f"expected a string, got {value!r}"))
        elif not value:
            problems.append(Problem(name, "must not be empty"))
    sequence = values.get("sequence", 1)
    if isinstance(sequence, bool) or not isinstance(sequence, int):
        problems.append(Problem("sequence", f"expected an int, got {sequence!r}"))
    elif sequence < 1:
        problems.append(Problem("sequence", f"{sequence} is not a positive number"))
    at = values.get("at")
    if "at" in values and not isinstance(at, dt.datetime):
        problems.append(Problem("at", f"expected an aware datetime, got {at!r}"))
    elif isinstance(at, dt.datetime) and at.utcoffset() is None:
        problems.append(Problem("at", f"naive datetime {at.isoformat()} (a time zone is required)"))
    for name in ("from_state", "reason"):
        value = values.get(name)
        if value is not None and not isinstance(value, str):
            problems.append(Problem(name, f"expected a string or null, got {value!r}"))
    for name in ("from_status", "to_status"):
        value = values.get(name)
        optional = value is None and name == "from_status"
        if name in values and not isinstance(value, StatusCategory) and not optional:
            problems.append(Problem(name, f"expected a status category, got {value!r}"))
    paired = "from_state" in values and "from_status" in values
    if paired and (values["from_state"] is None) != (values["from_status"] is None):
        problems.append(Problem("from_state", "from_state and from_status go together"))
    flags = values.get("flags", frozenset())
    if not isinstance(flags, frozenset):
        problems.append(Problem("flags", f"expected a set of flag names, got {flags!r}"))
    else:
        unknown = sorted(str(flag) for flag in flags - EVENT_FLAGS)
        if unknown:
            problems.append(Problem("flags", f"unknown flags: {', '.join(unknown)}"))
    return problems


def _decode_at(key: str, raw: object) -> dt.datetime | list[Problem]:
    message = f"expected an ISO 8601 datetime with offset, got {raw!r}"
    try:
        return dt.datetime.fromisoformat(raw) if isinstance(raw, str) else [Problem(key, message)]
    except ValueError:
        return [Problem(key, message)]


def _decode_status(key: str, raw: object) -> StatusCategory | list[Problem] | None:
    if raw is None:
        return None  # refused for to_status by the field checks
    if isinstance(raw, str) and raw in _CATEGORIES:
        return StatusCategory(raw)
    return [Problem(key, f"unknown status category {raw!r}")]


def _decode_payload(key: str, raw: object) -> Mapping[str, Json] | list[Problem]:
    if not isinstance(raw, Mapping):
        return [Problem(key, f"expected an object, got {raw!r}")]
    try:
        return frozen_mapping(raw)
    except ValidationError as exc:
        return list(exc.problems)  # their paths start with "payload"


def _decode_flags(key: str, raw: object) -> frozenset[str] | list[Problem]:
    if isinstance(raw, list) and all(isinstance(flag, str) for flag in raw):
        return frozenset(raw)
    return [Problem(key, f"expected a list of flag names, got {raw!r}")]


_CATEGORIES = frozenset(category.value for category in StatusCategory)
_KEYS = frozenset(attrs.fields_dict(TicketEvent))
