"""The Zendesk importer: ticket JSON with audits, replayed onto our workflows."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsm_core.adapters.mapping import StatusMap
from itsm_core.adapters.zendesk import (
    CHANNELS,
    PRIORITIES,
    STATUSES,
    ZENDESK_STATUS_MAPS,
    import_tickets,
    loads_export,
    observations,
    parse_export,
    read_export,
    status_map_for,
)
from itsm_core.errors import DeserializationError
from itsm_core.tickets import (
    BUILTIN_WORKFLOWS,
    Channel,
    EventFlag,
    HoldReason,
    ImportMode,
    Ticket,
    TicketKind,
    apply_event,
)

T0 = dt.datetime(2026, 11, 2, 8, 0, tzinfo=dt.UTC)


def stamp(minutes: int) -> str:
    return (T0 + dt.timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


def ticket(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": 35436,
        "subject": "VPN drops every hour",
        "status": "new",
        "type": "incident",
        "priority": "normal",
        "via": {"channel": "email"},
        "created_at": stamp(0),
        "updated_at": stamp(0),
        "requester_id": 20978392,
        "assignee_id": 1001,
        "group_id": 77,
        "tags": ["vpn", "network"],
    }
    base.update(fields)
    return base


def audits(*steps: tuple[int, str], author: int = 1001) -> list[dict[str, Any]]:
    """A Create audit for the first status, then a Change audit per later one."""
    out: list[dict[str, Any]] = []
    previous: str | None = None
    for i, (minutes, status) in enumerate(steps):
        event: dict[str, Any] = {"id": 900 + i, "field_name": "status", "value": status}
        if previous is None:
            event["type"] = "Create"
        else:
            event.update(type="Change", previous_value=previous)
        comment = {"id": 800 + i, "type": "Comment", "body": "update", "public": True}
        out.append(
            {
                "id": 500 + i,
                "ticket_id": 35436,
                "created_at": stamp(minutes),
                "author_id": author,
                "events": [comment, event],
            }
        )
        previous = status
    return out


def states(result_events: Any) -> list[tuple[str, HoldReason | None]]:
    """(state, hold reason) after each event, folded independently of the importer."""
    current: Ticket | None = None
    out = []
    for event in result_events:
        current = apply_event(current, event)
        out.append((current.state, current.hold_reason))
    return out


# -- a full history, worked by hand -------------------------------------------------------------


def test_incident_history_replays_every_status_of_the_incident_map() -> None:
    history = audits(
        (0, "new"),
        (30, "open"),
        (60, "pending"),
        (120, "open"),
        (150, "hold"),
        (240, "open"),
        (300, "solved"),
        (4620, "closed"),
    )
    data = {"tickets": [ticket(status="closed", priority="high", audits=history)]}
    (result,) = import_tickets(parse_export(data))
    assert [e.name for e in result.events] == [
        "open",
        "acknowledge",
        "hold",
        "resume",
        "hold",
        "resume",
        "resolve",
        "close",
    ]
    assert states(result.events) == [
        ("new", None),
        ("in_progress", None),
        ("on_hold", HoldReason.AWAITING_CUSTOMER),
        ("in_progress", None),
        ("on_hold", HoldReason.AWAITING_VENDOR),
        ("in_progress", None),
        ("resolved", None),
        ("closed", None),
    ]
    # The Create audit's "new" repeats the opening state: strict mode skips it.
    assert (result.accepted, result.repeated, result.issues) == (7, 1, ())
    t = result.ticket
    assert (t.id, t.kind, t.workflow, t.requester) == (
        "35436",
        TicketKind.INCIDENT,
        "incident",
        "20978392",
    )
    assert (t.priority, t.channel, t.symptom) == (2, Channel.EMAIL, "VPN drops every hour")
    assert t.opened_at == T0
    assert t.acknowledged_at == T0 + dt.timedelta(minutes=30)
    assert t.resolved_at == T0 + dt.timedelta(minutes=300)
    assert t.closed_at == T0 + dt.timedelta(minutes=4620)
    assert t.attributes["tags"] == ("vpn", "network")
    assert t.attributes["zendesk_assignee_id"] == "1001"
    assert t.attributes["zendesk_group_id"] == "77"
    assert [e.actor for e in result.events[1:]] == ["1001"] * 7
    assert result.events[0].actor == "1001"


@pytest.mark.parametrize(
    ("zendesk_type", "workflow", "kind", "expected"),
    [
        (
            "problem",
            "problem",
            TicketKind.PROBLEM,
            ["new", "root_cause_analysis", "resolved", "closed"],
        ),
        (
            "question",
            "consultation",
            TicketKind.CONSULTATION,
            ["new", "in_progress", "answered", "closed"],
        ),
    ],
)
def test_problem_and_question_fold_waiting_statuses_into_work(
    zendesk_type: str, workflow: str, kind: TicketKind, expected: list[str]
) -> None:
    history = audits(
        (0, "new"), (10, "open"), (20, "pending"), (30, "hold"), (40, "solved"), (50, "closed")
    )
    data = {"tickets": [ticket(type=zendesk_type, status="closed", audits=history)]}
    (result,) = import_tickets(parse_export(data))
    assert (result.ticket.workflow, result.ticket.kind) == (workflow, kind)
    assert [state for state, _ in states(result.events)] == expected
    # new (Create), pending and hold repeat the current state.
    assert (result.accepted, result.repeated, result.issues) == (3, 3, ())


def test_task_needs_lenient_mode_because_requests_have_an_approval_step() -> None:
    history = audits(
        (0, "new"),
        (10, "open"),
        (20, "pending"),
        (30, "hold"),
        (40, "open"),
        (50, "solved"),
        (60, "closed"),
    )
    data = {"tickets": [ticket(type="task", status="closed", audits=history)]}
    (strict,) = import_tickets(parse_export(data))
    assert strict.ticket.workflow == "service_request"
    assert strict.ticket.state == "new"
    assert strict.issues[0].to_state == "in_progress"
    assert "no transition to 'in_progress'" in strict.issues[0].reason
    (lenient,) = import_tickets(parse_export(data), mode=ImportMode.LENIENT)
    # The Create audit's "new" is recorded as a repeated observation, then the history.
    assert states(lenient.events)[2:] == [
        ("in_progress", None),
        ("on_hold", HoldReason.AWAITING_CUSTOMER),
        ("on_hold", HoldReason.AWAITING_VENDOR),
        ("in_progress", None),
        ("fulfilled", None),
        ("closed", None),
    ]
    # new -> in_progress is the only move outside the workflow; the rest are transitions.
    assert EventFlag.NOT_IN_WORKFLOW in lenient.events[2].flags
    assert [EventFlag.NOT_IN_WORKFLOW in e.flags for e in lenient.events[3:]] == [False] * 5
    assert lenient.flagged == 2


def test_untyped_ticket_uses_the_incident_map_unless_told_otherwise() -> None:
    data = {"tickets": [ticket(type=None, status="open", updated_at=stamp(5))]}
    (result,) = import_tickets(parse_export(data))
    assert result.ticket.workflow == "incident"
    (question,) = import_tickets(parse_export(data), untyped="question")
    assert question.ticket.workflow == "consultation"


def test_without_audits_the_snapshot_is_replayed() -> None:
    data = {"tickets": [ticket(status="solved", updated_at=stamp(90))]}
    (result,) = import_tickets(parse_export(data))
    assert [(e.name, e.at) for e in result.events] == [
        ("open", T0),
        ("resolve", T0 + dt.timedelta(minutes=90)),
    ]
    assert result.events[1].actor == "import"
    assert result.events[0].actor == "20978392"  # no audit: the requester opened it


def test_single_ticket_document_as_from_a_webhook() -> None:
    payload = {
        "ticket": ticket(status="pending", updated_at=stamp(20)),
        "audits": audits((0, "open"), (20, "pending")),
    }
    (parsed,) = parse_export(payload)
    assert parsed.path == "ticket"
    seen = observations(parsed, status_map_for(parsed))
    assert [(o.state, o.fields.get("hold_reason"), o.row) for o in seen] == [
        ("in_progress", None, 500),
        ("on_hold", "awaiting_customer", 501),
    ]
    (result,) = import_tickets((parsed,))
    assert result.ticket.hold_reason is HoldReason.AWAITING_CUSTOMER


def test_default_maps_are_the_documented_tables() -> None:
    customer = {"state": "on_hold", "hold_reason": "awaiting_customer"}
    vendor = {"state": "on_hold", "hold_reason": "awaiting_vendor"}
    rca = "root_cause_analysis"
    assert {name: m.to_dict() for name, m in ZENDESK_STATUS_MAPS.items()} == {
        "incident": {
            "workflow": "incident",
            "statuses": {
                "new": "new",
                "open": "in_progress",
                "pending": customer,
                "hold": vendor,
                "solved": "resolved",
                "closed": "closed",
            },
        },
        "problem": {
            "workflow": "problem",
            "statuses": {
                "new": "new",
                "open": rca,
                "pending": rca,
                "hold": rca,
                "solved": "resolved",
                "closed": "closed",
            },
        },
        "question": {
            "workflow": "consultation",
            "statuses": {
                "new": "new",
                "open": "in_progress",
                "pending": "in_progress",
                "hold": "in_progress",
                "solved": "answered",
                "closed": "closed",
            },
        },
        "task": {
            "workflow": "service_request",
            "statuses": {
                "new": "new",
                "open": "in_progress",
                "pending": customer,
                "hold": vendor,
                "solved": "fulfilled",
                "closed": "closed",
            },
        },
    }
    assert all(set(m.statuses) == set(STATUSES) for m in ZENDESK_STATUS_MAPS.values())


@pytest.mark.parametrize(
    ("priority", "expected"), [("urgent", 1), ("high", 2), ("normal", 3), ("low", 4), (None, None)]
)
def test_priorities(priority: str | None, expected: int | None) -> None:
    (result,) = import_tickets(parse_export({"tickets": [ticket(priority=priority)]}))
    assert result.ticket.priority == expected
    assert PRIORITIES.get(priority or "") == expected


@pytest.mark.parametrize(
    ("channel", "expected"),
    [
        ("voice", Channel.PHONE),
        ("web", Channel.WEB),
        ("api", Channel.WEB),
        ("chat", Channel.CHAT),
        ("native_messaging", Channel.CHAT),
        ("email", Channel.EMAIL),
        ("mobile", Channel.MOBILE),
        ("rule", None),
    ],
)
def test_channels(channel: str, expected: Channel | None) -> None:
    (result,) = import_tickets(parse_export({"tickets": [ticket(via={"channel": channel})]}))
    assert result.ticket.channel == expected
    assert CHANNELS.get(channel) == expected


def test_no_via_gives_no_channel_and_string_ids_are_kept() -> None:
    data = {"tickets": [ticket(via=None, id="ZD-9", requester_id="cust-1", tags=None)]}
    (result,) = import_tickets(parse_export(data))
    assert (result.ticket.channel, result.ticket.id, result.ticket.requester) == (
        None,
        "ZD-9",
        "cust-1",
    )


def test_own_status_map_replaces_the_default() -> None:
    mine = StatusMap.from_dict(
        {
            "workflow": "incident",
            "statuses": {
                "new": "new",
                "open": "assigned",
                "pending": {"state": "on_hold", "hold_reason": "awaiting_customer"},
                "solved": "resolved",
                "closed": "closed",
            },
        }
    )
    data = {"tickets": [ticket(status="open", audits=audits((0, "new"), (5, "open")))]}
    (result,) = import_tickets(parse_export(data), status_maps={"incident": mine})
    assert result.ticket.state == "assigned"
    assert result.events[-1].name == "assign"


def test_read_export_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text(json.dumps({"tickets": [ticket()]}), encoding="utf-8")
    (parsed,) = read_export(path)
    assert parsed.source == str(path)


# -- errors -------------------------------------------------------------------------------------


def test_invalid_json_names_the_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"tickets": [\n  {"id": 1,,}\n]}', encoding="utf-8")
    with pytest.raises(DeserializationError) as info:
        read_export(path)
    assert str(path) in info.value.subject
    assert [p.path for p in info.value.problems] == ["line 2 column 12"]  # the second comma
    assert "invalid JSON" in str(info.value)


def test_every_bad_field_of_every_ticket_is_reported_with_its_json_path() -> None:
    history = audits((0, "new"), (10, "open"))
    history[1]["created_at"] = "02/11/2026 08:10"
    history[0]["events"][1]["value"] = None
    data = {
        "tickets": [
            ticket(),
            ticket(
                id=None,
                created_at="2026-11-02T08:00:00",
                priority="p1",
                requester_id=True,
                tags="vpn",
                via="email",
                audits=history,
            ),
            "not a ticket",
            ticket(
                audits=[
                    {"created_at": stamp(0), "events": "none"},
                    7,
                    {"created_at": stamp(1), "events": [3]},
                ]
            ),
            ticket(audits={"a": 1}, subject=5, updated_at=None),
        ]
    }
    with pytest.raises(DeserializationError) as info:
        loads_export(json.dumps(data), source="zd.json")
    assert info.value.subject == "Zendesk export 'zd.json'"
    paths = [p.path for p in info.value.problems]
    assert paths == [
        "tickets[1].id",
        "tickets[1].priority",
        "tickets[1].via",
        "tickets[1].tags",
        "tickets[1].created_at",
        "tickets[1].requester_id",
        "tickets[1].audits[0].events[1].value",
        "tickets[1].audits[1].created_at",
        "tickets[2]",
        "tickets[3].audits[0].events",
        "tickets[3].audits[1]",
        "tickets[3].audits[2].events[0]",
        "tickets[4].subject",
        "tickets[4].updated_at",
        "tickets[4].audits",
    ]
    messages = {p.path: p.message for p in info.value.problems}
    assert "no time zone" in messages["tickets[1].created_at"]
    assert "not an ISO 8601 time" in messages["tickets[1].audits[1].created_at"]
    assert "unknown priority 'p1'" in messages["tickets[1].priority"]


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ([], ""),
        ({"tickets": {"id": 1}}, "tickets"),
        ({"ticket": "x"}, "ticket"),
    ],
)
def test_bad_documents(data: object, path: str) -> None:
    with pytest.raises(DeserializationError) as info:
        parse_export(data)
    assert [p.path for p in info.value.problems] == [path]


def test_unmapped_statuses_and_types_of_all_tickets_are_reported_together() -> None:
    data = {
        "tickets": [
            ticket(audits=audits((0, "new"), (10, "escalated"), (20, "deleted"))),
            ticket(id=2, type="feature"),
            ticket(id=3, status="archived"),
        ]
    }
    tickets = parse_export(data, source="zd.json")
    with pytest.raises(DeserializationError) as info:
        import_tickets(tickets)
    assert info.value.subject == "Zendesk export 'zd.json'"
    problems = {p.path: p.message for p in info.value.problems}
    assert list(problems) == [
        "tickets[0].audits[1].events[1].value",
        "tickets[0].audits[2].events[1].value",
        "tickets[1].type",
        "tickets[2].status",
    ]
    assert problems["tickets[0].audits[1].events[1].value"].startswith(
        "unmapped status 'escalated'"
    )
    assert "no status map for type 'feature'" in problems["tickets[1].type"]


# -- round trip ---------------------------------------------------------------------------------


Target = tuple[str, str | None]


def target_of(status_map: StatusMap, status: str) -> Target:
    t = status_map.statuses[status]
    return (t.state, t.hold_reason.value if t.hold_reason is not None else None)


def one_transition(workflow_name: str, source: str, target: str) -> bool:
    flow = BUILTIN_WORKFLOWS.get(workflow_name)
    state = flow.state_named(source)
    return any(
        transition is not None and transition.target.value == target
        for transition in (flow.transition(state, e) for e in flow.events_from(state))
    )


@st.composite
def walks(draw: st.DrawFn, *, strict: bool) -> tuple[str, list[str]]:
    """A Zendesk type and a status history whose mapped states change at every step (and,
    when ``strict``, each by one transition of the workflow)."""
    zendesk_type = draw(st.sampled_from(sorted(ZENDESK_STATUS_MAPS)))
    status_map = ZENDESK_STATUS_MAPS[zendesk_type]
    current: Target = ("new", None)
    walk: list[str] = []
    for _ in range(draw(st.integers(0, 8))):
        moves = [
            status
            for status in sorted(status_map.statuses)
            if target_of(status_map, status) != current
            and (
                not strict
                or one_transition(status_map.workflow, current[0], target_of(status_map, status)[0])
            )
        ]
        if not moves:
            break
        status = draw(st.sampled_from(moves))
        walk.append(status)
        current = target_of(status_map, status)
    return zendesk_type, walk


def export(zendesk_type: str, walk: list[str], gaps: list[int]) -> str:
    minutes = [sum(gaps[: i + 1]) for i in range(len(walk))]
    history = audits((0, "new"), *zip(minutes, walk, strict=True))
    final = walk[-1] if walk else "new"
    return json.dumps({"tickets": [ticket(type=zendesk_type, status=final, audits=history)]})


@given(walks(strict=True), st.lists(st.integers(0, 3000), min_size=8, max_size=8))
def test_round_trip_strict(walk: tuple[str, list[str]], gaps: list[int]) -> None:
    zendesk_type, statuses = walk
    status_map = ZENDESK_STATUS_MAPS[zendesk_type]
    (result,) = import_tickets(loads_export(export(zendesk_type, statuses, gaps)))
    expected = [target_of(status_map, s) for s in statuses]
    got = [(state, reason.value if reason else None) for state, reason in states(result.events)]
    assert got[1:] == expected
    assert (result.accepted, result.issues, result.flagged) == (len(statuses), (), 0)


@given(walks(strict=False), st.lists(st.integers(0, 3000), min_size=8, max_size=8))
def test_round_trip_lenient(walk: tuple[str, list[str]], gaps: list[int]) -> None:
    zendesk_type, statuses = walk
    status_map = ZENDESK_STATUS_MAPS[zendesk_type]
    text = export(zendesk_type, statuses, gaps)
    (result,) = import_tickets(loads_export(text), mode=ImportMode.LENIENT)
    expected = [target_of(status_map, s) for s in statuses]
    got = [(state, reason.value if reason else None) for state, reason in states(result.events)]
    # The leading Create "new" repeats the opening state: an observe event flagged repeated.
    assert got[2:] == expected
    assert result.ticket.state == (expected[-1][0] if expected else "new")
