"""Ticket fields to and from the JSON-safe values stored in event payloads.

A payload maps ticket field names to their new values, with three special keys:
``comment`` and ``work_note`` append one :class:`Comment`, and ``attributes`` merges keys into
the ticket's attributes. Every other key sets the field of that name.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Mapping
from typing import Any

from itsm_core.errors import Problem
from itsm_core.tickets._comment import Comment
from itsm_core.tickets._json import Json
from itsm_core.tickets._vocabulary import (
    ChangeType,
    Channel,
    ComplaintType,
    CustomerTier,
    HoldReason,
    SupportLevel,
    TicketKind,
)

Encoder = Callable[[Any], Json]
Decoder = Callable[[Json], Any]


def _plain(value: Any) -> Json:
    return value  # type: ignore[no-any-return]


def _str(value: Json) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {value!r}")
    return value


def _int(value: Json) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected an int, got {value!r}")
    return value


def _bool(value: Json) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"expected a bool, got {value!r}")
    return value


def _datetime(value: Json) -> dt.datetime:
    return dt.datetime.fromisoformat(_str(value))


def _encode_datetime(value: dt.datetime) -> Json:
    return value.isoformat()


def _strings(value: Json) -> tuple[str, ...]:
    if not isinstance(value, tuple | list):
        raise TypeError(f"expected a list of strings, got {value!r}")
    return tuple(_str(item) for item in value)


def _optional(decoder: Decoder) -> Decoder:
    return lambda value: None if value is None else decoder(value)


def _optional_encoder(encoder: Encoder) -> Encoder:
    return lambda value: None if value is None else encoder(value)


def _enum(kind: type[enum.Enum]) -> Decoder:
    return lambda value: kind(_str(value))


def _encode_enum(value: enum.Enum) -> Json:
    return value.value  # type: ignore[no-any-return]


def _codecs() -> dict[str, tuple[Encoder, Decoder]]:
    out: dict[str, tuple[Encoder, Decoder]] = {}
    for name in ("id", "workflow", "state", "opened_by", "requester"):
        out[name] = (_plain, _str)
    for name in (
        "service",
        "configuration_item",
        "symptom",
        "impact_scope",
        "category",
        "assignment_group",
        "assignee",
        "resolution_code",
        "resolution_note",
        "resolved_by",
        "survey",
    ):
        out[name] = (_plain, _optional(_str))
    for name in ("impact", "urgency", "priority", "response_level"):
        out[name] = (_plain, _optional(_int))
    out["version"] = out["reopen_count"] = (_plain, _int)
    out["management_involved"] = out["archived"] = (_plain, _bool)
    out["first_contact_resolution"] = out["customer_confirmation"] = (_plain, _optional(_bool))
    for name in ("opened_at", "updated_at"):
        out[name] = (_encode_datetime, _datetime)
    for name in (
        "occurred_at",
        "expected_resolution_at",
        "acknowledged_at",
        "resolved_at",
        "closed_at",
    ):
        out[name] = (_optional_encoder(_encode_datetime), _optional(_datetime))
    out["priority_explanation"] = (lambda v: tuple(v), _strings)
    required_enums: dict[str, type[enum.Enum]] = {
        "kind": TicketKind,
        "customer_tier": CustomerTier,
        "support_level": SupportLevel,
    }
    for name, kind in required_enums.items():
        out[name] = (_encode_enum, _enum(kind))
    optional_enums: dict[str, type[enum.Enum]] = {
        "channel": Channel,
        "complaint_type": ComplaintType,
        "change_type": ChangeType,
        "hold_reason": HoldReason,
    }
    for name, kind in optional_enums.items():
        out[name] = (_optional_encoder(_encode_enum), _optional(_enum(kind)))
    return out


FIELD_CODECS: Mapping[str, tuple[Encoder, Decoder]] = _codecs()

#: Payload keys that do not set a field: they append a comment or merge attributes.
SPECIAL_KEYS = frozenset({"comment", "work_note", "attributes"})


def encode_changes(changes: Mapping[str, Any]) -> dict[str, Json]:
    """Encode field values (and the special keys) into JSON-safe payload values."""
    payload: dict[str, Json] = {}
    for key, value in changes.items():
        if key in ("comment", "work_note"):
            payload[key] = value.to_json()
        elif key == "attributes":
            payload[key] = value
        else:
            payload[key] = FIELD_CODECS[key][0](value)
    return payload


def decode_changes(payload: Mapping[str, Json], problems: list[Problem]) -> dict[str, Any]:
    """Decode a payload into field values; unknown keys and bad values are added to problems."""
    changes: dict[str, Any] = {}
    for key, value in payload.items():
        try:
            if key in ("comment", "work_note"):
                if not isinstance(value, Mapping):
                    raise TypeError(f"expected a comment mapping, got {value!r}")
                changes[key] = Comment.from_json(value)
            elif key == "attributes":
                if not isinstance(value, Mapping):
                    raise TypeError(f"expected a mapping, got {value!r}")
                changes[key] = value
            elif key in FIELD_CODECS:
                changes[key] = FIELD_CODECS[key][1](value)
            else:
                problems.append(Problem(f"payload.{key}", "not a ticket field"))
        except (TypeError, ValueError) as exc:
            problems.append(Problem(f"payload.{key}", str(exc)))
    return changes
