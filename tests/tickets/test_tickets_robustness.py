"""Ticket events and commands from outside data: wrong types are refused, never coerced.

Each case once escaped as a TypeError or was silently converted (found by tests/fuzz).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from itsm_core.errors import DeserializationError, NaiveDatetimeError, ValidationError
from itsm_core.tickets import Classify, TicketEvent
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


def _problems(data: Any) -> list[tuple[str, str]]:
    with pytest.raises(DeserializationError) as caught:
        TicketEvent.from_dict(data)
    return [(problem.path, problem.message) for problem in caught.value.problems]


def test_the_seed_loads() -> None:
    event = TicketEvent.from_dict(EVENT)
    assert event.at == dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)
    assert event.from_status is StatusCategory.OPEN
    assert TicketEvent.from_dict(event.to_dict()) == event


@pytest.mark.parametrize(
    ("data", "kind"), [(None, "NoneType"), ([[1]], "list"), ([None, False], "list"), (3, "int")]
)
def test_not_a_mapping(data: Any, kind: str) -> None:
    # Was: TypeError (not iterable, unhashable type, '<' not supported).
    assert _problems(data) == [("", f"expected an object, got {kind}")]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"ticket_id": 5}, ("ticket_id", "expected a string, got 5")),
        ({"name": [1]}, ("name", "expected a string, got [1]")),
        ({"actor": None}, ("actor", "expected a string, got None")),
        ({"role": ""}, ("role", "must not be empty")),
        ({"sequence": True}, ("sequence", "expected an int, got True")),
        ({"sequence": 2.5}, ("sequence", "expected an int, got 2.5")),
        ({"sequence": "2"}, ("sequence", "expected an int, got '2'")),
        ({"sequence": 0}, ("sequence", "0 is not a positive number")),
        ({"reason": 7}, ("reason", "expected a string or null, got 7")),
        ({"from_state": 1}, ("from_state", "expected a string or null, got 1")),
        ({"to_status": None}, ("to_status", "expected a status category, got None")),
        ({"to_status": ["open"]}, ("to_status", "unknown status category ['open']")),
        ({"at": 5}, ("at", "expected an ISO 8601 datetime with offset, got 5")),
        (
            {"at": "2026-01-05T09:00:00"},
            ("at", "naive datetime 2026-01-05T09:00:00 (a time zone is required)"),
        ),
        ({"payload": [1]}, ("payload", "expected an object, got [1]")),
        ({"payload": {"a": float("nan")}}, ("payload.a", "nan is not a finite number")),
        ({"flags": "imported"}, ("flags", "expected a list of flag names, got 'imported'")),
        ({"flags": [["imported"]]}, ("flags", "expected a list of flag names, got [['imported']]")),
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
        "actor",
        "colour",
        "at",
        "flags",
        "ticket_id",
        "sequence",
    ]


def test_the_constructor_refuses_the_same_wrong_types() -> None:
    good = TicketEvent.from_dict(EVENT)
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
