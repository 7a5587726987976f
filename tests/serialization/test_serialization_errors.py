"""Malformed data and unknown versions: one DeserializationError listing every problem."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from itsm_core.errors import DeserializationError, InvalidTypeSpec, Problem, ValidationError
from itsm_core.improvement import NonconformityEvent
from itsm_core.priority import ITIL_POLICY
from itsm_core.serialization import DEFAULT_TYPES, Serializer, TypeSpec
from itsm_core.serialization._datetimes import format_datetime, parse_datetime
from itsm_core.serialization._problems import problems_from
from itsm_core.testing import sample_event, sample_ticket
from itsm_core.tickets import Comment, Ticket, TicketEvent

SERIALIZER = Serializer()


def _problems(data: object, into: type | None = None) -> dict[str, str]:
    with pytest.raises(DeserializationError) as caught:
        SERIALIZER.load(data, into or object)
    assert isinstance(caught.value, ValueError)
    return {p.path: p.message for p in caught.value.problems}


def _ticket_envelope() -> dict[str, Any]:
    return SERIALIZER.dump(sample_ticket("INC1"))


def test_every_problem_of_a_ticket_is_listed_with_its_path() -> None:
    envelope = _ticket_envelope()
    data = envelope["data"]
    data["version"] = "3"  # a string is not coerced to an int
    data["impact"] = True  # nor is a bool
    data["opened_at"] = "2026-01-01T09:00:00"  # naive
    data["kind"] = "outage"  # not a TicketKind
    data["comments"] = [{"at": "2026-01-01T09:00:00+08:00", "author": "", "role": "agent"}]
    data["attributes"] = {"when": {"nested": [1, {"bad": 1.5e400}]}}
    data["colour"] = "red"  # unknown key
    del data["requester"]
    problems = _problems(envelope, Ticket)
    assert problems == {
        "data.version": "expected an integer, got '3'",
        "data.impact": "expected an integer, got True",
        "data.opened_at": "'2026-01-01T09:00:00' has no UTC offset (a time zone is required)",
        "data.kind": "'outage' is not a valid TicketKind",
        "data.comments[0].text": "missing",
        "data.attributes.when.nested[1].bad": "inf is not a finite number",
        "data.colour": "unknown key",
        "data.requester": "missing",
    }


def test_a_domain_rule_broken_in_the_data_is_reported_under_its_path() -> None:
    envelope = _ticket_envelope()
    envelope["data"]["comments"] = [
        {"at": "2026-01-01T09:00:00+08:00", "author": " ", "role": "agent", "text": "x"}
    ]
    assert _problems(envelope) == {"data.comments[0].author": "must not be empty"}


def test_the_message_names_the_type_and_counts_the_problems() -> None:
    envelope = _ticket_envelope()
    del envelope["data"]["id"], envelope["data"]["state"]
    with pytest.raises(DeserializationError) as caught:
        SERIALIZER.load(envelope)
    assert str(caught.value).splitlines()[0] == "invalid data for 'ticket': 2 problems"


@pytest.mark.parametrize(
    ("envelope", "expected"),
    [
        ([], {"": "expected a mapping, got list"}),
        ({"type": "ticket"}, {"version": "missing", "data": "missing"}),
        (
            {"type": "ticket", "version": 1, "data": {}, "extra": 1},
            {"extra": "unknown key"},
        ),
        (
            {"type": "ticket", "version": 3, "data": {}},
            {"version": "unknown schema version 3 (this release reads 1, 2)"},
        ),
        (
            {"type": "ticket", "version": "1", "data": {}},
            {"version": "expected an integer schema version, got '1'"},
        ),
        (
            {"type": "ticket", "version": True, "data": {}},
            {"version": "expected an integer schema version, got True"},
        ),
    ],
)
def test_bad_envelopes(envelope: object, expected: dict[str, str]) -> None:
    assert _problems(envelope) == expected


def test_an_unknown_type_lists_the_known_ones() -> None:
    problems = _problems({"type": "invoice", "version": 1, "data": {}})
    assert problems["type"].startswith("unknown type 'invoice' (known: action_item, ")


def test_loading_into_any_object() -> None:
    event = sample_event("INC1", 1)
    assert SERIALIZER.load(SERIALIZER.dump(event), object) == event


def test_loading_into_another_type_is_refused() -> None:
    envelope = SERIALIZER.dump(sample_event("INC1", 1))
    assert _problems(envelope, Ticket) == {"type": "'ticket_event' is not a Ticket"}


def test_data_that_is_not_a_mapping() -> None:
    assert _problems({"type": "ticket", "version": 1, "data": [1]}) == {
        "data": "expected a mapping for Ticket, got [1]"
    }
    envelope = _ticket_envelope()
    envelope["data"]["comments"] = ["hello"]
    assert _problems(envelope) == {
        "data.comments[0]": "expected a mapping for Comment, got 'hello'"
    }
    assert _problems({"type": "survey", "version": 1, "data": None}) == {
        "data": "expected a mapping, got None"
    }


def test_configuration_types_report_their_own_problems_under_data() -> None:
    envelope = SERIALIZER.dump(ITIL_POLICY)
    envelope["data"]["name"] = ""
    envelope["data"]["tiers"] = {"vip": -1}
    problems = _problems(envelope)
    assert set(problems) >= {"data.name"}
    assert all(path.startswith("data") for path in problems)


def test_json_text_that_is_not_json() -> None:
    with pytest.raises(DeserializationError) as caught:
        SERIALIZER.loads("{not json")
    assert caught.value.problems[0].path == ""


def test_an_unregistered_type_cannot_be_dumped() -> None:
    with pytest.raises(ValidationError, match="dict is not a registered type"):
        SERIALIZER.dump({"a": 1})


# -- schema versions and upgrades -------------------------------------------------------------


def _comment_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 1 called the author 'by'."""
    return {**{k: v for k, v in data.items() if k != "by"}, "author": data["by"]}


def _upgrading_serializer() -> Serializer:
    specs = [s for s in DEFAULT_TYPES if s.cls is not Comment]
    specs.append(TypeSpec(name="comment", cls=Comment, version=2, upgrades={1: _comment_v1_to_v2}))
    return Serializer(specs)


def test_older_versions_are_upgraded_on_load() -> None:
    serializer = _upgrading_serializer()
    old = {
        "type": "comment",
        "version": 1,
        "data": {"at": "2026-01-05T09:00:00+00:00", "by": "ana", "role": "agent", "text": "hi"},
    }
    loaded = serializer.load(old, Comment)
    assert loaded.author == "ana"
    assert serializer.dump(loaded)["version"] == 2


def test_a_failing_upgrade_is_reported() -> None:
    old = {"type": "comment", "version": 1, "data": {"author": "ana"}}
    with pytest.raises(DeserializationError, match="upgrade from version 1 failed"):
        _upgrading_serializer().load(old)


def test_a_version_without_an_upgrade_path_is_unknown() -> None:
    spec = TypeSpec(name="comment", cls=Comment, version=3, upgrades={2: _comment_v1_to_v2})
    serializer = Serializer([spec])
    with pytest.raises(DeserializationError) as caught:
        serializer.load({"type": "comment", "version": 1, "data": {}})
    assert caught.value.problems == (
        Problem("version", "unknown schema version 1 (this release reads 2, 3)"),
    )


def test_registrations_are_validated() -> None:
    with pytest.raises(InvalidTypeSpec) as caught:
        TypeSpec(name="x", cls=Ticket, version=2, via_methods=True, upgrades={2: dict})
    assert {p.path for p in caught.value.problems} == {"upgrades", "via_methods"}
    spec = TypeSpec(name="ticket", cls=Ticket)
    with pytest.raises(InvalidTypeSpec) as collision:
        Serializer([spec, TypeSpec(name="ticket", cls=TicketEvent), TypeSpec(name="t", cls=Ticket)])
    assert [p.path for p in collision.value.problems] == ["[1].name", "[2].cls"]


# -- nonconformity changes ----------------------------------------------------------------


def test_nonconformity_changes_are_checked_field_by_field() -> None:
    event = NonconformityEvent(
        nc_id="NC1",
        sequence=2,
        name="record_cause",
        at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC),
        actor="ana",
        from_state="reported",
        to_state="reported",
        changes=(("corrective_action_required", True), ("root_cause", "no runbook")),
    )
    envelope = SERIALIZER.dump(event)
    assert envelope["data"]["changes"] == [
        ["corrective_action_required", True],
        ["root_cause", "no runbook"],
    ]
    envelope["data"]["changes"] = [["colour", "red"], ["root_cause", 5], "oops", ["review", {}]]
    problems = _problems(envelope)
    assert problems["data.changes[0]"] == "'colour' is not a nonconformity field"
    assert problems["data.changes[1][1]"] == "expected a string, got 5"
    assert problems["data.changes[2]"].startswith("expected a [field, value] pair")
    assert problems["data.changes[3][1].reviewed_at"] == "missing"
    envelope["data"]["changes"] = "root_cause"
    assert "data.changes" in _problems(envelope)


# -- datetimes --------------------------------------------------------------------------------


def test_datetime_text_errors() -> None:
    with pytest.raises(ValueError, match="unknown time zone 'Mars/Olympus'"):
        parse_datetime("2026-01-05T09:00:00+00:00[Mars/Olympus]")
    with pytest.raises(TypeError):
        parse_datetime(20260105)
    with pytest.raises(ValidationError):
        format_datetime(dt.datetime(2026, 1, 5))


def test_problems_from_a_plain_exception() -> None:
    assert problems_from(RuntimeError("boom"), "data") == [Problem("data", "boom")]
    assert problems_from(RuntimeError(), "") == [Problem("", "RuntimeError")]


def test_text_is_not_split_into_a_collection() -> None:
    ticket = _ticket_envelope()
    ticket["data"]["priority_explanation"] = "impact 1"
    event = SERIALIZER.dump(sample_event("INC1", 1))
    event["data"]["flags"] = "imported"
    assert _problems(ticket, Ticket) == {
        "data.priority_explanation": "expected a list, got 'impact 1'"
    }
    assert _problems(event, TicketEvent) == {"data.flags": "expected a list, got 'imported'"}
    ticket["data"]["priority_explanation"] = {"impact": 1}
    assert _problems(ticket, Ticket) == {
        "data.priority_explanation": "expected a list, got {'impact': 1}"
    }
