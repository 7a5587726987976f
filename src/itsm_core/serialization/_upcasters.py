"""Upcasters: data written by an earlier release, turned into the data of the next version.

Each function here is an :data:`~itsm_core.serialization.Upgrade` registered in
:data:`~itsm_core.serialization.DEFAULT_TYPES` for one type and one version step.

``ticket`` and ``ticket_event`` version 1 (the release before the aggregate kernel) wrote the
datetimes an event set on a ticket (``acknowledged_at``, ``resolved_at``, ``closed_at``, a
comment's ``at``, ``occurred_at``...) with their UTC offset only (``2026-03-02T10:00:00+08:00``),
and the ticket folded from its events had lost their zone too. Version 2 writes every datetime
as RFC 9557, zone included. The upgrade gives such a datetime the zone of its event's ``at``
(of the ticket's ``updated_at``) when that zone has the same offset at that instant: every
datetime ``decide`` stamps is the event's own time, so it gets back exactly the zone it had,
and one given in the desk's zone gets that zone back. A datetime at another offset keeps its
fixed offset, which is all version 1 recorded. Data that does not have the expected shape is
left as it is, for the converter to report with its path.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from itsm_core.serialization._datetimes import format_datetime, parse_datetime
from itsm_core.tickets import Ticket, TicketEvent


def _is_datetime_type(kind: Any) -> bool:
    return kind is dt.datetime or kind == dt.datetime | None


_TICKET_DATETIMES = tuple(
    field.name
    for field in attrs.fields(attrs.resolve_types(Ticket))
    if _is_datetime_type(field.type)
)
_PAYLOAD_DATETIMES = frozenset(
    key for key, kind in TicketEvent.PAYLOAD_TYPES.items() if _is_datetime_type(kind)
)


def _zone(text: object) -> zoneinfo.ZoneInfo | None:
    """The IANA zone of RFC 9557 text, if it names one."""
    try:
        zone = parse_datetime(text).tzinfo
    except (TypeError, ValueError):
        return None
    return zone if isinstance(zone, zoneinfo.ZoneInfo) else None


def _in_zone(text: object, zone: zoneinfo.ZoneInfo) -> object:
    """``text`` (an ISO datetime with a bare offset) in ``zone`` when the zone has that offset
    at that instant; anything else unchanged."""
    if not isinstance(text, str) or text.endswith("]"):
        return text
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    offset = value.utcoffset()
    if offset is None:
        return text
    local = value.astimezone(zone)
    return format_datetime(local) if local.utcoffset() == offset else text


def _zoned(
    data: Mapping[str, Any], names: Iterable[str], zone: zoneinfo.ZoneInfo
) -> dict[str, Any]:
    out = dict(data)
    for name in names:
        if name in out:
            out[name] = _in_zone(out[name], zone)
    return out


def _zoned_comment(comment: object, zone: zoneinfo.ZoneInfo) -> object:
    return _zoned(comment, ["at"], zone) if isinstance(comment, Mapping) else comment


def ticket_event_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 1 ``ticket_event`` data with its payload's datetimes in the event's zone."""
    found: object = data
    if not isinstance(found, Mapping):
        return data
    zone = _zone(data.get("at"))
    payload = data.get("payload")
    if zone is None or not isinstance(payload, Mapping):
        return data
    upgraded = _zoned(payload, _PAYLOAD_DATETIMES, zone)
    for key in ("comment", "work_note"):
        if key in upgraded:
            upgraded[key] = _zoned_comment(upgraded[key], zone)
    return {**data, "payload": upgraded}


def ticket_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 1 ``ticket`` data with the datetimes its events set in the zone of its last
    event (``updated_at``)."""
    found: object = data
    if not isinstance(found, Mapping):
        return data
    zone = _zone(data.get("updated_at"))
    if zone is None:
        return data
    upgraded = _zoned(data, _TICKET_DATETIMES, zone)
    for key in ("comments", "work_notes"):
        notes = upgraded.get(key)
        if isinstance(notes, list):
            upgraded[key] = [_zoned_comment(note, zone) for note in notes]
    return upgraded
