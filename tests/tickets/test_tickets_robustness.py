"""Ticket events and commands from outside data: wrong types are refused, never coerced.

Each case once escaped as a TypeError or was silently converted (found by tests/fuzz).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from itsm_core.errors import DeserializationError, NaiveDatetimeError, ValidationError
from itsm_core.serialization import Serializer, make_converter
from itsm_core.tickets import Classify, HoldReason, TicketEvent
from itsm_core.workflow import StatusCategory

EVENT: dict[str, Any] = {
    "ticket_id": "INC1",
    "sequence": 2,
    "name": "hold",
    "at": "2026-01-05T09:00:00+00:00",
    "actor": "ana",
    "role": "agent",
    "from_state": "in_progress",
    "from_status": "open",
    "to_state": "on_hold",
    "to_status": "on_hold",
    "payload": {"hold_reason": "awaiting_customer"},
    "reason": None,
    "flags": [],
}


def _junk(value: object) -> Any:
    """``value``, typed as anything: the tests pass wrong types on purpose."""
    return value


def _load(data: Any) -> TicketEvent:
    """The one way plain data becomes an event: the serializer (its converter, its checks)."""
    return Serializer().load({"type": "ticket_event", "version": 2, "data": data}, TicketEvent)


def _problems(data: Any) -> list[tuple[str, str]]:
    with pytest.raises(DeserializationError) as caught:
        _load(data)
    return [(p.path.removeprefix("data."), p.message) for p in caught.value.problems]


def test_the_seed_loads() -> None:
    event = _load(EVENT)
    assert event.at == dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)
    assert event.from_status is StatusCategory.OPEN
    assert event.payload["hold_reason"] is HoldReason.AWAITING_CUSTOMER
    assert _load(make_converter().unstructure(event)) == event


@pytest.mark.parametrize("data", [None, [[1]], [None, False], 3])
def test_not_a_mapping(data: Any) -> None:
    # Was: TypeError (not iterable, unhashable type, '<' not supported).
    assert _problems(data) == [("data", f"expected a mapping for TicketEvent, got {data!r}")]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"ticket_id": 5}, ("ticket_id", "expected a string, got 5")),
        ({"name": [1]}, ("name", "expected a string, got [1]")),
        ({"actor": None}, ("actor", "expected a string, got None")),
        ({"role": ""}, ("role", "must not be empty")),
        ({"sequence": True}, ("sequence", "expected an integer, got True")),
        ({"sequence": 2.5}, ("sequence", "expected an integer, got 2.5")),
        ({"sequence": "2"}, ("sequence", "expected an integer, got '2'")),
        ({"sequence": 0}, ("sequence", "0 is not a positive number")),
        ({"reason": 7}, ("reason", "expected a string, got 7")),
        ({"from_state": 1}, ("from_state", "expected a string, got 1")),
        ({"to_status": None}, ("to_status", "expected a string, got None")),
        ({"to_status": ["open"]}, ("to_status", "expected a string, got ['open']")),
        ({"to_status": "limbo"}, ("to_status", "'limbo' is not a valid StatusCategory")),
        ({"at": 5}, ("at", "expected a datetime string, got 5")),
        (
            {"at": "2026-01-05T09:00:00"},
            ("at", "'2026-01-05T09:00:00' has no UTC offset (a time zone is required)"),
        ),
        ({"payload": [1]}, ("payload", "expected a mapping of field values, got [1]")),
        ({"payload": {"a": 1}}, ("payload.a", "'a' is not a ticket payload field")),
        (
            {"payload": {"attributes": {"a": float("nan")}}},
            ("payload.attributes.a", "nan is not a finite number"),
        ),
        ({"payload": {"priority": "1"}}, ("payload.priority", "expected an integer, got '1'")),
        ({"payload": {"hold_reason": 7}}, ("payload.hold_reason", "expected a string, got 7")),
        ({"flags": "imported"}, ("flags", "expected a list, got 'imported'")),
        ({"flags": [["imported"]]}, ("flags[0]", "expected a string, got ['imported']")),
        ({"flags": ["odd"]}, ("flags", "unknown flags: odd")),
    ],
)
def test_a_wrongly_typed_field_is_refused_with_its_path_and_value(
    change: dict[str, Any], problem: tuple[str, str]
) -> None:
    assert _problems(EVENT | change) == [problem]


def test_every_problem_is_reported_at_once() -> None:
    data = {key: value for key, value in EVENT.items() if key != "actor"}
    data |= {"ticket_id": 5, "at": "yesterday", "sequence": True, "flags": None, "colour": 1}
    assert [path for path, _ in _problems(data)] == [
        "ticket_id",
        "sequence",
        "at",
        "actor",
        "flags",
        "colour",
    ]


def test_the_constructor_refuses_the_same_wrong_types() -> None:
    good = _load(EVENT)
    fields = {name: getattr(good, name) for name in EVENT}
    for name, value in [
        ("ticket_id", 5),
        ("sequence", True),
        ("name", [1]),
        ("reason", 7),
        ("flags", "imported"),
        ("flags", None),
        ("to_status", "on_hold"),  # the enum member is required, not its value
        ("at", "2026-01-05T09:00:00+00:00"),
    ]:
        with pytest.raises(ValidationError) as caught:
            TicketEvent(**(fields | {name: _junk(value)}))
        assert [p.path for p in caught.value.problems] == [name]
    with pytest.raises(NaiveDatetimeError):
        TicketEvent(**(fields | {"at": dt.datetime(2026, 1, 5)}))
    assert TicketEvent(**(fields | {"flags": {"imported"}})).flags == frozenset({"imported"})


@pytest.mark.parametrize("explanation", [None, 3, "ab", [1], ("ok", 2), {"a": "b"}])
def test_classify_explanation_must_be_a_list_of_strings(explanation: Any) -> None:
    # Was: TypeError for None or 3; "ab" split into ("a", "b"); [1] kept as (1,).
    with pytest.raises(ValidationError) as caught:
        Classify(category="network", explanation=explanation)
    (problem,) = caught.value.problems
    assert problem.path == "explanation"
    assert problem.message.startswith("expected a list of strings, got ")


def test_classify_explanation_as_a_list_or_tuple_is_kept_in_order() -> None:
    assert Classify(explanation=["b", "a"]).explanation == ("b", "a")
    assert Classify(explanation=("x",), priority=2).explanation == ("x",)
