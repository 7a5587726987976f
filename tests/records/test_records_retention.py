"""Retention: policies as data, and the pure query of what is due at an instant."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsm_core.errors import InvalidPolicy, NaiveDatetimeError, ValidationError
from itsm_core.records import LegalHold, RetentionPolicy, RetentionRule, retention_due
from itsm_core.records._due import RetentionAction
from itsm_core.tickets import Ticket, TicketEvent, TicketKind

Story = tuple[Ticket, tuple[TicketEvent, ...]]
UTC = dt.UTC
POLICY = RetentionPolicy.from_dict(
    {
        "name": "records",
        "default": {"archive_after_days": 30, "destroy_after_years": 3},
        "by_kind": {"complaint": {"archive_after_days": 90, "destroy_after_years": 5}},
    }
)


def closed(story: Story, ticket_id: str, at: dt.datetime, **changes: Any) -> Ticket:
    return attrs.evolve(story[0], id=ticket_id, closed_at=at, **changes)


def test_policy_round_trips_through_plain_data() -> None:
    assert RetentionPolicy.from_dict(POLICY.to_dict()) == POLICY
    assert POLICY.rule_for(TicketKind.COMPLAINT) == RetentionRule(
        archive_after_days=90, destroy_after_years=5
    )
    assert POLICY.rule_for(TicketKind.INCIDENT) == POLICY.default


def test_every_problem_of_a_policy_is_reported_with_its_path() -> None:
    with pytest.raises(InvalidPolicy) as info:
        RetentionPolicy.from_dict(
            {
                "name": "x",
                "default": {"archive_after_days": True, "destroy_after_years": 0, "keep": 1},
                "by_kind": {
                    "incident": {"archive_after_days": 400, "destroy_after_years": 1},
                    "problem": [],
                },
                "extra": 1,
            }
        )
    assert [(p.path, p.message.split(" (")[0]) for p in info.value.problems] == [
        ("extra", "unknown key"),
        ("default.keep", "unknown key"),
        ("default.archive_after_days", "expected a whole number of days >= 0, got True"),
        (
            "default.destroy_after_years",
            "expected a whole number of years >= 1 or null",
        ),
        ("by_kind.incident", "archiving after 400 days comes after destruction after 1 year(s)"),
        ("by_kind.problem", "expected a mapping, got []"),
    ]


@pytest.mark.parametrize("data", [None, [], {1: 2}, {"name": "x"}, {"name": "x", "default": 3}])
def test_malformed_policies_are_invalid_policy(data: object) -> None:
    with pytest.raises(InvalidPolicy):
        RetentionPolicy.from_dict(data)


def test_rules_and_policies_validate_when_built_directly() -> None:
    with pytest.raises(InvalidPolicy, match="archive_after_days"):
        RetentionRule(archive_after_days=-1)
    with pytest.raises(InvalidPolicy, match="'email' is not a ticket kind"):
        RetentionPolicy(
            name="p",
            default=RetentionRule(archive_after_days=1),
            by_kind={"email": RetentionRule(archive_after_days=1)},
        )
    with pytest.raises(InvalidPolicy, match="name"):
        RetentionPolicy(name=" ", default=RetentionRule(archive_after_days=1))


def test_keep_for_ever_has_no_destruction_date() -> None:
    rule = RetentionRule(archive_after_days=0)
    at = dt.datetime(2026, 1, 1, tzinfo=UTC)
    assert rule.destroy_at(at) is None
    assert rule.archive_at(at) == at
    assert rule.archive_at(dt.datetime.max.replace(tzinfo=UTC)) == dt.datetime.max.replace(
        tzinfo=UTC
    )
    assert (
        RetentionRule(archive_after_days=1).archive_at(dt.datetime.max.replace(tzinfo=UTC)) is None
    )


@pytest.mark.parametrize(
    ("closed_at", "years", "expected"),
    [
        (
            dt.datetime(2026, 3, 2, 10, 30, tzinfo=UTC),
            3,
            dt.datetime(2029, 3, 2, 10, 30, tzinfo=UTC),
        ),
        # A leap day is kept at least the full period: until 1 March of a common year.
        (dt.datetime(2024, 2, 29, tzinfo=UTC), 1, dt.datetime(2025, 3, 1, tzinfo=UTC)),
        (dt.datetime(2024, 2, 29, tzinfo=UTC), 4, dt.datetime(2028, 2, 29, tzinfo=UTC)),
        (dt.datetime(9999, 1, 1, tzinfo=UTC), 1, None),
    ],
)
def test_destruction_comes_whole_years_after_closure(
    closed_at: dt.datetime, years: int, expected: dt.datetime | None
) -> None:
    rule = RetentionRule(archive_after_days=0, destroy_after_years=years)
    assert rule.destroy_at(closed_at) == expected


def test_what_is_due_at_each_instant(story: Story) -> None:
    ticket = story[0]
    assert ticket.closed_at is not None
    closure = ticket.closed_at
    day = dt.timedelta(days=1)
    assert retention_due([ticket], POLICY, closure + 29 * day).archive == ()
    due = retention_due([ticket], POLICY, closure + 30 * day)
    assert [(i.ticket_id, i.action, i.due_at) for i in due.archive] == [
        ("INC1", RetentionAction.ARCHIVE, closure + 30 * day)
    ]
    assert due.destroy == due.held == ()
    archived = attrs.evolve(ticket, archived=True)
    assert retention_due([archived], POLICY, closure + 31 * day).archive == ()
    three_years = closure.replace(year=closure.year + 3)
    assert retention_due([archived], POLICY, three_years - dt.timedelta(seconds=1)).destroy == ()
    later = retention_due([ticket], POLICY, three_years)
    assert [(i.ticket_id, i.action) for i in later.destroy] == [("INC1", RetentionAction.DESTROY)]
    assert later.archive == ()  # destruction supersedes archiving


def test_open_tickets_are_never_due(story: Story) -> None:
    opened = attrs.evolve(
        story[0], status=story[1][3].to_status, state="in_progress", closed_at=None
    )
    due = retention_due([opened], POLICY, dt.datetime(2100, 1, 1, tzinfo=UTC))
    assert due.archive == due.destroy == due.held == ()


def test_a_legal_hold_blocks_destruction_only_while_active(story: Story) -> None:
    ticket = story[0]
    at = dt.datetime(2030, 1, 1, tzinfo=UTC)
    placed = dt.datetime(2027, 1, 1, tzinfo=UTC)
    hold = LegalHold(id="LH-1", reason="dispute", placed_at=placed, requesters={"zhang"})
    other = closed(story, "INC2", dt.datetime(2026, 1, 1, tzinfo=UTC), requester="wang")
    due = retention_due([ticket, other], POLICY, at, holds=[hold])
    assert [(i.ticket_id, i.held_by) for i in due.held] == [("INC1", ("LH-1",))]
    assert [i.ticket_id for i in due.destroy] == ["INC2"]
    # Held and never archived: archiving is still due (a hold keeps records, archiving too).
    assert [i.ticket_id for i in due.archive] == ["INC1"]
    released = attrs.evolve(hold, released_at=dt.datetime(2029, 1, 1, tzinfo=UTC))
    assert [i.ticket_id for i in retention_due([ticket], POLICY, at, [released]).destroy] == [
        "INC1"
    ]
    future = attrs.evolve(hold, placed_at=dt.datetime(2031, 1, 1, tzinfo=UTC))
    assert retention_due([ticket], POLICY, at, [future]).held == ()
    by_id = LegalHold(id="LH-2", reason="audit", placed_at=placed, ticket_ids={"INC2"})
    assert [i.ticket_id for i in retention_due([other], POLICY, at, [by_id, hold]).held] == ["INC2"]


def test_kinds_follow_their_own_rule(story: Story) -> None:
    complaint = closed(
        story, "CMP1", dt.datetime(2026, 1, 1, tzinfo=UTC), kind=TicketKind.COMPLAINT
    )
    incident = closed(story, "INC2", dt.datetime(2026, 1, 1, tzinfo=UTC))
    due = retention_due([complaint, incident], POLICY, dt.datetime(2026, 3, 1, tzinfo=UTC))
    assert [i.ticket_id for i in due.archive] == ["INC2"]
    due = retention_due([complaint, incident], POLICY, dt.datetime(2030, 1, 1, tzinfo=UTC))
    assert [i.ticket_id for i in due.destroy] == ["INC2"]
    assert [i.ticket_id for i in due.archive] == ["CMP1"]


def test_bad_queries_are_refused(story: Story) -> None:
    with pytest.raises(ValidationError, match="listed twice"):
        retention_due([story[0], story[0]], POLICY, dt.datetime(2030, 1, 1, tzinfo=UTC))
    with pytest.raises(NaiveDatetimeError):
        retention_due([story[0]], POLICY, dt.datetime(2030, 1, 1))


def test_legal_holds_validate() -> None:
    placed = dt.datetime(2027, 1, 1, tzinfo=UTC)
    with pytest.raises(ValidationError) as info:
        LegalHold(id="", reason=" ", placed_at=placed, released_at=placed)
    assert [p.path for p in info.value.problems] == ["id", "reason", "", "released_at"]
    with pytest.raises(NaiveDatetimeError):
        LegalHold(id="h", reason="r", placed_at=dt.datetime(2027, 1, 1), ticket_ids={"A"})
    hold = LegalHold(id="h", reason="r", placed_at=placed, ticket_ids={"A"})
    with pytest.raises(NaiveDatetimeError):
        hold.active_at(dt.datetime(2027, 1, 1))
    assert hold.to_dict() == {
        "id": "h",
        "reason": "r",
        "placed_at": "2027-01-01T00:00:00+00:00",
        "released_at": None,
        "ticket_ids": ["A"],
        "requesters": [],
    }


@given(
    closures=st.lists(st.integers(0, 3000), min_size=1, max_size=6),
    first=st.integers(0, 4000),
    step=st.integers(0, 2000),
    archived=st.lists(st.booleans(), min_size=6, max_size=6),
)
def test_due_lists_are_disjoint_and_grow_with_time(
    story: Story, closures: list[int], first: int, step: int, archived: list[bool]
) -> None:
    base = dt.datetime(2020, 1, 1, tzinfo=UTC)
    tickets = [
        closed(story, f"T{i}", base + dt.timedelta(days=d), archived=archived[i])
        for i, d in enumerate(closures)
    ]
    early = retention_due(tickets, POLICY, base + dt.timedelta(days=first))
    late = retention_due(tickets, POLICY, base + dt.timedelta(days=first + step))
    for due in (early, late):
        archive = {i.ticket_id for i in due.archive}
        destroy = {i.ticket_id for i in due.destroy}
        assert not archive & destroy
        assert all(i.due_at <= due.at for i in (*due.archive, *due.destroy))
        assert all(not t.archived for t in tickets if t.id in archive)
    assert {i.ticket_id for i in early.destroy} <= {i.ticket_id for i in late.destroy}
    assert {i.ticket_id for i in early.archive} <= {
        i.ticket_id for i in (*late.archive, *late.destroy)
    }


def test_legal_holds_name_tickets_as_a_set_of_strings() -> None:
    placed = dt.datetime(2027, 1, 1, tzinfo=UTC)
    with pytest.raises(ValidationError, match="expected a set of strings"):
        LegalHold(id="h", reason="r", placed_at=placed, ticket_ids="INC1")
    with pytest.raises(ValidationError, match="requesters"):
        LegalHold(id="h", reason="r", placed_at=placed, requesters={"", "zhang"})


def test_keys_that_are_not_strings_are_problems_with_their_path() -> None:
    data = {"name": "x", "default": {"archive_after_days": 1}, "by_kind": {1: {}, "incident": {}}}
    with pytest.raises(InvalidPolicy) as info:
        RetentionPolicy.from_dict(data)
    assert [str(p) for p in info.value.problems] == ["by_kind: expected string keys, got 1"]


def test_a_rule_of_thousands_of_digits_is_reported_without_its_digits() -> None:
    with pytest.raises(InvalidPolicy) as info:
        RetentionPolicy.from_dict({"name": "x", "default": {"archive_after_days": -(10**5000)}})
    assert [str(p) for p in info.value.problems] == [
        "default.archive_after_days: expected a whole number of days >= 0, "
        "got an integer of about 5001 digits"
    ]
