"""Every registered type survives dump -> JSON text -> load unchanged (property tests)."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from collections.abc import Iterator, Mapping
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itsm_core.serialization import DEFAULT_TYPES, Serializer, TypeSpec
from itsm_core.testing import register_strategies, sample_ticket
from itsm_core.testing._hypothesis import domain_strategies
from itsm_core.tickets import Ticket

SERIALIZER = Serializer()
OTHER = Serializer()
STRATEGIES = domain_strategies()

# Registered here as the entry point does when the package is installed with its extra.
register_strategies()


def _plain_json(value: object) -> bool:
    """True when ``value`` is made only of dict, list, str, int, float, bool and None."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain_json(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain_json(item) for item in value)
    return value is None or type(value) in (str, int, float, bool)


def _zones(value: object, path: str = "") -> Iterator[tuple[str, object]]:
    """Every datetime inside ``value`` with its path and zone: equal datetimes can differ in zone
    (the same instant in Shanghai and at +08:00), and the zone must survive too."""
    if isinstance(value, dt.datetime):
        yield path, value.tzinfo
    elif attrs.has(kind := type(value)):
        for field in attrs.fields(kind):
            yield from _zones(getattr(value, field.name), f"{path}.{field.name}")
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _zones(item, f"{path}.{key}")
    elif isinstance(value, tuple | list):
        for index, item in enumerate(value):
            yield from _zones(item, f"{path}[{index}]")


def test_every_registered_type_has_a_strategy() -> None:
    assert {spec.cls for spec in DEFAULT_TYPES} == set(STRATEGIES)


#: The operations aggregates (calls, follow-ups, emergency, inspection): whole histories are
#: drawn and replayed for each example, so they draw fewer (a fifth, at least 20).
OPERATIONS = frozenset(
    {
        "call",
        "call_event",
        "follow_up_task",
        "follow_up_scheduled",
        "follow_up_attempt_recorded",
        "follow_up_completed",
        "survey_answered",
        "emergency_plan",
        "activation",
        "activation_event",
        "drill",
        "drill_event",
        "scoring_sheet",
        "inspection",
    }
)


@pytest.mark.parametrize(
    "spec", [s for s in DEFAULT_TYPES if s.name not in OPERATIONS], ids=lambda spec: spec.name
)
@given(data=st.data())
def test_round_trip_through_json_text(spec: TypeSpec, data: st.DataObject) -> None:
    _round_trip(spec, data)


@pytest.mark.parametrize(
    "spec", [s for s in DEFAULT_TYPES if s.name in OPERATIONS], ids=lambda spec: spec.name
)
@settings(max_examples=max(20, settings().max_examples // 5))
@given(data=st.data())
def test_round_trip_of_the_operations_types(spec: TypeSpec, data: st.DataObject) -> None:
    _round_trip(spec, data)


def test_the_operations_types_are_registered() -> None:
    assert {spec.name for spec in DEFAULT_TYPES} >= OPERATIONS


def _round_trip(spec: TypeSpec, data: st.DataObject) -> None:
    value = data.draw(STRATEGIES[spec.cls], label=spec.name)
    envelope = SERIALIZER.dump(value)
    assert _plain_json(envelope), envelope
    assert (envelope["type"], envelope["version"]) == (spec.name, spec.version)
    text = json.dumps(envelope)
    loaded: object = SERIALIZER.loads(text, spec.cls)
    assert loaded == value
    assert dict(_zones(loaded)) == dict(_zones(value))
    assert SERIALIZER.load(json.loads(text)) == value


@given(st.from_type(Ticket))
def test_from_type_draws_valid_tickets_once_registered(ticket: Ticket) -> None:
    assert isinstance(ticket, Ticket)
    assert SERIALIZER.loads(SERIALIZER.dumps(ticket), Ticket) == ticket


@given(st.from_type(Ticket))
def test_dumps_is_deterministic(ticket: Ticket) -> None:
    assert SERIALIZER.dumps(ticket) == OTHER.dumps(ticket)


def test_two_serializers_share_no_converter() -> None:
    first, second = Serializer(), Serializer()
    assert first.converter is not second.converter


def test_a_ticket_keeps_its_time_zone() -> None:
    shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
    ticket = sample_ticket("INC1")
    data: dict[str, Any] = SERIALIZER.dump(ticket)["data"]
    assert data["opened_at"] == "2026-03-02T09:00:00+08:00[Asia/Shanghai]"
    loaded = SERIALIZER.load(SERIALIZER.dump(ticket), Ticket)
    assert loaded.opened_at.tzinfo == shanghai
    assert loaded.opened_at == dt.datetime(2026, 3, 2, 1, tzinfo=dt.UTC)
