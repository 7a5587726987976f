"""Cycle and nonconformity events to and from plain JSON-safe data (their ``to_dict`` and
``from_dict``); a malformed event raises one DeserializationError listing every problem."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from itsm_core.errors import DeserializationError
from itsm_core.improvement._codec import (
    BAD,
    Data,
    Reader,
    action_item_to_dict,
    artefact_to_dict,
    encode_datetime,
    read_action_item,
    read_artefact,
    read_source,
    source_to_dict,
)
from itsm_core.improvement._cycle import CycleEvent, StartCycle
from itsm_core.improvement._nonconformity import EffectivenessReview, NonconformityEvent
from itsm_core.improvement._phases import CycleModel

_START_KEYS = frozenset(("type", "cycle_id", "title", "owner", "model", "source", "previous_cycle"))
_CYCLE_EVENT_KEYS = frozenset(
    (
        "cycle_id",
        "sequence",
        "name",
        "at",
        "actor",
        "from_phase",
        "to_phase",
        "change",
        "reason",
        "link",
    )
)
_NC_EVENT_KEYS = frozenset(
    ("nc_id", "sequence", "name", "at", "actor", "from_state", "to_state", "changes")
)


# -- cycle events -------------------------------------------------------------------------------


def cycle_event_to_dict(event: CycleEvent) -> Data:
    """See :meth:`CycleEvent.to_dict`."""
    change = event.change
    body: Data | None
    if change is None:
        body = None
    elif isinstance(change, StartCycle):
        body = {
            "type": "start",
            "cycle_id": change.cycle_id,
            "title": change.title,
            "owner": change.owner,
            "model": change.model.value,
            "source": None if change.source is None else source_to_dict(change.source),
            "previous_cycle": change.previous_cycle,
        }
    else:
        body = artefact_to_dict(change)
    return {
        "cycle_id": event.cycle_id,
        "sequence": event.sequence,
        "name": event.name,
        "at": encode_datetime(event.at),
        "actor": event.actor,
        "from_phase": event.from_phase,
        "to_phase": event.to_phase,
        "change": body,
        "reason": event.reason,
        "link": event.link,
    }


def _read_start(r: Reader, data: Mapping[str, Any], path: str) -> Any:
    r.mapping(data, path, _START_KEYS)
    return r.build(
        path,
        StartCycle,
        cycle_id=r.field(data, path, "cycle_id", r.text),
        title=r.field(data, path, "title", r.text),
        owner=r.field(data, path, "owner", r.text),
        model=r.field(data, path, "model", r.choice(CycleModel), CycleModel.PDCA),
        source=r.field(data, path, "source", r.optional(lambda v, p: read_source(r, v, p)), None),
        previous_cycle=r.field(data, path, "previous_cycle", r.optional(r.text), None),
    )


def _read_change(r: Reader, value: object, path: str) -> Any:
    if isinstance(value, Mapping) and value.get("type") == "start":
        return _read_start(r, value, path)
    return read_artefact(r, value, path)


def cycle_event_from_dict(data: Mapping[str, Any]) -> CycleEvent:
    """See :meth:`CycleEvent.from_dict`."""
    r = Reader()
    path = "event"
    body = r.mapping(data, path, _CYCLE_EVENT_KEYS)
    if body is BAD:
        raise DeserializationError("cycle event", r.problems)
    event = r.build(
        path,
        CycleEvent,
        cycle_id=r.field(body, path, "cycle_id", r.text),
        sequence=r.field(body, path, "sequence", r.integer),
        name=r.field(body, path, "name", r.text),
        at=r.field(body, path, "at", r.datetime),
        actor=r.field(body, path, "actor", r.text),
        from_phase=r.field(body, path, "from_phase", r.optional(r.text)),
        to_phase=r.field(body, path, "to_phase", r.text),
        change=r.field(body, path, "change", r.optional(lambda v, p: _read_change(r, v, p)), None),
        reason=r.field(body, path, "reason", r.optional(r.text), None),
        link=r.field(body, path, "link", r.optional(r.text), None),
    )
    if r.problems:
        raise DeserializationError("cycle event", r.problems)
    assert isinstance(event, CycleEvent)
    return event


# -- nonconformity events -----------------------------------------------------------------------


def _review_to_dict(review: EffectivenessReview) -> Data:
    return {
        "reviewed_at": encode_datetime(review.reviewed_at),
        "reviewer": review.reviewer,
        "effective": review.effective,
        "finding": review.finding,
    }


def _read_review(r: Reader, value: object, path: str) -> Any:
    data = r.mapping(value, path, frozenset(("reviewed_at", "reviewer", "effective", "finding")))
    if data is BAD:
        return BAD
    return r.build(
        path,
        EffectivenessReview,
        reviewed_at=r.field(data, path, "reviewed_at", r.datetime),
        reviewer=r.field(data, path, "reviewer", r.text),
        effective=r.field(data, path, "effective", r.boolean),
        finding=r.field(data, path, "finding", r.text),
    )


def _encode_change(name: str, value: Any) -> Any:
    if name == "actions":
        return [action_item_to_dict(a) for a in value]
    if name == "review":
        return None if value is None else _review_to_dict(value)
    return value


def _change_readers(r: Reader) -> dict[str, Callable[[object, str], Any]]:
    """How to read each field a nonconformity event may set."""
    return {
        "description": r.text,
        "correction": r.text,
        "root_cause": r.text,
        "corrective_action_required": r.boolean,
        "sms_change_ref": r.optional(r.text),
        "actions": lambda v, p: r.items(v, p, lambda i, q: read_action_item(r, i, q)),
        "review": r.optional(lambda v, p: _read_review(r, v, p)),
    }


def nonconformity_event_to_dict(event: NonconformityEvent) -> Data:
    """See :meth:`NonconformityEvent.to_dict`."""
    return {
        "nc_id": event.nc_id,
        "sequence": event.sequence,
        "name": event.name,
        "at": encode_datetime(event.at),
        "actor": event.actor,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "changes": {name: _encode_change(name, value) for name, value in event.changes},
    }


def nonconformity_event_from_dict(data: Mapping[str, Any]) -> NonconformityEvent:
    """See :meth:`NonconformityEvent.from_dict`."""
    r = Reader()
    path = "event"
    body = r.mapping(data, path, _NC_EVENT_KEYS)
    if body is BAD:
        raise DeserializationError("nonconformity event", r.problems)
    readers = _change_readers(r)
    changes: Any = BAD
    raw = r.field(body, path, "changes", r.mapping, {})
    if raw is not BAD:
        pairs = []
        for name in sorted(raw, key=str):
            where = f"{path}.changes.{name}"
            if name not in readers:
                r.fail(where, "not a nonconformity field")
                continue
            pairs.append((name, readers[name](raw[name], where)))
        if all(value is not BAD for _, value in pairs):
            changes = tuple(pairs)
    event = r.build(
        path,
        NonconformityEvent,
        nc_id=r.field(body, path, "nc_id", r.text),
        sequence=r.field(body, path, "sequence", r.integer),
        name=r.field(body, path, "name", r.text),
        at=r.field(body, path, "at", r.datetime),
        actor=r.field(body, path, "actor", r.text),
        from_state=r.field(body, path, "from_state", r.optional(r.text)),
        to_state=r.field(body, path, "to_state", r.text),
        changes=changes,
    )
    if r.problems:
        raise DeserializationError("nonconformity event", r.problems)
    assert isinstance(event, NonconformityEvent)
    return event
