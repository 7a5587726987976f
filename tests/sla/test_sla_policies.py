"""Durations, conditions, policies as data, and selection."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from itsm_core.errors import DeserializationError, InvalidPolicy, ValidationError
from itsm_core.sla import (
    FIRST_RESPONSE,
    RESOLUTION,
    STANDARD_POLICIES,
    AllOf,
    AnyOf,
    ClockDefinition,
    ClockStatus,
    Duration,
    EventIn,
    FieldChanged,
    FieldIn,
    MetricSpec,
    Not,
    PolicySet,
    PublicComment,
    SlaPolicy,
    StateIn,
    StatusIn,
    Threshold,
    Unit,
    condition_from_dict,
    evaluate,
)
from itsm_core.sla._conditions import ALWAYS, NEVER, Fact
from itsm_core.sla._selection import SelectionMode
from itsm_core.tickets import (
    AddComment,
    Channel,
    Classify,
    CustomerTier,
    ProblemLevel,
    TicketKind,
)

T0 = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4 working hours", Duration(4, Unit.WORKING_HOURS)),
        ("1 working hour", Duration(1, Unit.WORKING_HOURS)),
        ("2 working days", Duration(2, Unit.WORKING_DAYS)),
        ("30 minutes", Duration(30, Unit.MINUTES)),
        ("90 calendar minutes", Duration(90, Unit.MINUTES)),
        ("24 hours", Duration(24, Unit.HOURS)),
        ("24 Calendar  Hours", Duration(24, Unit.HOURS)),
        ("3 calendar days", Duration(3, Unit.CALENDAR_DAYS)),
        ("4 business hours", Duration(4, Unit.WORKING_HOURS)),
        ("1 business hour", Duration(1, Unit.WORKING_HOURS)),
        ("45 business minutes", Duration(45, Unit.WORKING_MINUTES)),
        ("3 business days", Duration(3, Unit.WORKING_DAYS)),
        ("3 business-days", Duration(3, Unit.WORKING_DAYS)),
        ("2 working_days", Duration(2, Unit.WORKING_DAYS)),
    ],
)
def test_duration_parse(text: str, expected: Duration) -> None:
    assert Duration.parse(text) == expected
    assert Duration.parse(str(expected)) == expected
    assert Duration.of(text) == expected


@pytest.mark.parametrize("text", ["4h", "24 h", "90 min", "2 hrs", "3d", "1 wd", "4 bh"])
def test_short_forms_are_refused_listing_every_accepted_unit(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Duration.parse(text)
    message = caught.value.problems[0].message
    assert "does not say whether it counts calendar or business time" in message
    for unit in (
        "minutes",
        "hours",
        "calendar days",
        "working minutes",
        "working hours",
        "working days",
        "'business' for 'working'",
    ):
        assert unit in message


def test_a_timedelta_is_working_time_under_a_day() -> None:
    assert Duration.of(dt.timedelta(hours=4)) == Duration(4, Unit.WORKING_HOURS)
    assert Duration.of(dt.timedelta(minutes=90)) == Duration(90, Unit.WORKING_MINUTES)
    offset = Duration.of(dt.timedelta(hours=2), working=False)
    assert offset == Duration(2, Unit.HOURS)
    for refused, why in [
        (dt.timedelta(days=2), "a day or more"),
        (dt.timedelta(hours=24), "a day or more"),
        (dt.timedelta(seconds=90), "whole number of minutes"),
        (dt.timedelta(0), "not a positive duration"),
    ]:
        with pytest.raises(ValidationError, match=why):
            Duration.of(refused)
    with pytest.raises(ValidationError, match="expected text"):
        Duration.of(4)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="expected a timedelta"):
        Duration.from_timedelta("4 hours")  # type: ignore[arg-type]
    metric = MetricSpec(clock=RESOLUTION, targets={"1": dt.timedelta(hours=4), "2": "8 hours"})
    assert metric.targets == {"1": Duration(4, Unit.WORKING_HOURS), "2": Duration(8, Unit.HOURS)}
    assert metric.to_dict()["targets"] == {"1": "4 working hours", "2": "8 hours"}
    with pytest.raises(InvalidPolicy) as caught:
        MetricSpec(clock=RESOLUTION, targets={"1": dt.timedelta(days=1), "2": "4h"})
    assert [p.path for p in caught.value.problems] == ["targets.1", "targets.2"]
    threshold = Threshold(name="t", before_breach=dt.timedelta(minutes=15))
    assert threshold.before_breach == Duration(15, Unit.MINUTES)
    assert Threshold.from_dict({"name": "t", "after_breach": "2 hours"}).after_breach == Duration(
        2, Unit.HOURS
    )
    with pytest.raises(InvalidPolicy):
        Threshold(name="t", after_breach=dt.timedelta(seconds=5))


def test_bare_days_are_refused_as_ambiguous() -> None:
    with pytest.raises(ValidationError, match="'working days' or 'calendar days'"):
        Duration.parse("2 days")
    with pytest.raises(ValidationError):
        Duration.parse("soon")
    with pytest.raises(ValidationError, match="positive int"):
        Duration(0, Unit.HOURS)


CONDITIONS = [
    EventIn({"open", "reopen"}),
    StatusIn({"open"}),
    StateIn({"on_hold"}),
    FieldIn("customer_tier", ["vip"]),
    FieldIn("attributes.region", ["eu", None]),
    FieldChanged("priority"),
    PublicComment("customer"),
    AllOf((StatusIn({"new"}), Not(FieldIn("priority", [1, 2])))),
    AnyOf((PublicComment("staff"), EventIn({"acknowledge"}))),
    ALWAYS,
    NEVER,
]


@pytest.mark.parametrize("condition", CONDITIONS, ids=lambda c: c.describe())
def test_condition_round_trip(condition: Any) -> None:
    data = json.loads(json.dumps(condition.to_dict()))
    assert condition_from_dict(data) == condition


def test_condition_errors_report_every_problem_with_its_path() -> None:
    with pytest.raises(DeserializationError) as info:
        condition_from_dict(
            {
                "all": [
                    {"status_in": ["nope"]},
                    {"field_in": {"field": "colour", "values": [1]}},
                    {"mystery": 1},
                    {"event_in": "open"},
                    {"any": 3},
                    {"field_in": {"field": "priority", "values": [[1]]}},
                    {"field_in": {"field": "priority"}},
                    {"not": {"public_comment": "martians"}},
                    [],
                ]
            }
        )
    paths = [p.path for p in info.value.problems]
    assert paths == [
        "all[0].status_in",
        "all[1].field_in",
        "all[2].mystery",
        "all[3].event_in",
        "all[4].any",
        "all[5].field_in.values",
        "all[6].field_in",
        "all[7].not.public_comment",
        "all[8]",
    ]
    with pytest.raises(DeserializationError):
        FieldIn("colour", ["red"])


def test_policy_round_trip_through_json() -> None:
    policy = SlaPolicy(
        name="gold",
        precedence=5,
        effective_from=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        condition=FieldIn("customer_tier", ["vip"]),
        metrics=[
            MetricSpec(
                clock=RESOLUTION,
                targets={"1": "4 working hours", "*": "2 working days"},
                calendar="office",
                customer_calendar=True,
                thresholds=[
                    Threshold(name="w", percent=80, notify=["lead"]),
                    Threshold(name="soon", before_breach=Duration(15, Unit.MINUTES)),
                    Threshold(
                        name="l2",
                        action="escalate",
                        after_breach=Duration(1, Unit.HOURS),
                        level=2,
                    ),
                ],
                on_change="retroactive",
            )
        ],
    )
    data = json.loads(json.dumps(policy.to_dict()))
    assert SlaPolicy.from_dict(data) == policy
    policies = PolicySet(policies=[policy], mode="all", default="gold")
    assert PolicySet.from_dict(json.loads(json.dumps(policies.to_dict()))) == policies


def test_invalid_policy_lists_every_problem() -> None:
    with pytest.raises(InvalidPolicy) as info:
        SlaPolicy.from_dict(
            {
                "name": "bad",
                "colour": "red",
                "effective_from": "yesterday",
                "condition": {"status_in": ["nope"]},
                "metrics": [
                    {
                        "clock": {"name": "c", "start": {"x": 1}, "kind": "vendor"},
                        "targets": {"1": "2 days"},
                        "thresholds": [{"name": "t", "percent": 50, "before_breach": "1 hour"}],
                        "on_change": "sometimes",
                        "extra": 1,
                    },
                    "nonsense",
                ],
            }
        )
    paths = {p.path for p in info.value.problems}
    assert {
        "colour",
        "effective_from",
        "condition.status_in",
        "metrics[0].extra",
        "metrics[0].clock.stop",
        "metrics[0].clock.start.x",
        "metrics[0].clock.kind",
        "metrics[0].targets.1",
        "metrics[0].thresholds[0]",
        "metrics[0].on_change",
        "metrics[1]",
    } <= paths


def test_policy_level_validation() -> None:
    with pytest.raises(InvalidPolicy) as info:
        SlaPolicy(
            name="",
            precedence=True,
            effective_from=dt.datetime(2026, 1, 1),
            metrics=[],
        )
    assert {p.path for p in info.value.problems} == {
        "name",
        "precedence",
        "effective_from",
        "metrics",
    }
    spec = MetricSpec(clock=RESOLUTION, targets={})
    with pytest.raises(InvalidPolicy, match="defined twice"):
        SlaPolicy(name="x", metrics=[spec, spec])
    with pytest.raises(InvalidPolicy, match="used twice"):
        MetricSpec(
            clock=RESOLUTION,
            targets={},
            thresholds=[Threshold(name="t", percent=1), Threshold(name="t", percent=2)],
        )
    with pytest.raises(InvalidPolicy, match="not a ticket field"):
        MetricSpec(clock=RESOLUTION, targets={}, target_by="colour")
    with pytest.raises(InvalidPolicy, match="exactly one"):
        Threshold(name="t")
    with pytest.raises(InvalidPolicy, match="names its level"):
        Threshold(name="t", action="escalate", percent=100)
    with pytest.raises(InvalidPolicy, match="minutes or hours"):
        Threshold(name="t", before_breach=Duration(1, Unit.WORKING_DAYS))
    with pytest.raises(InvalidPolicy, match="must not be empty"):
        ClockDefinition(name=" ", start=ALWAYS, stop=NEVER)
    with pytest.raises(ValidationError, match="no metric"):
        SlaPolicy(name="x", metrics=[spec]).metric("nope")
    assert SlaPolicy(name="x", metrics=[spec]).metric("resolution") is spec


def _policy(name: str, precedence: int, condition: Any, target: str) -> SlaPolicy:
    return SlaPolicy(
        name=name,
        precedence=precedence,
        condition=condition,
        metrics=[MetricSpec(clock=RESOLUTION, targets={"*": target})],
    )


def test_selection_first_match_by_precedence_then_name(history: Any) -> None:
    vip = _policy("vip", 10, FieldIn("customer_tier", ["vip"]), "2 hours")
    email = _policy("email", 20, FieldIn("channel", ["email"]), "4 hours")
    base = _policy("base", 99, ALWAYS, "8 hours")
    policies = PolicySet(policies=[base, email, vip], default="base")
    ticket = history(T0, customer_tier=CustomerTier.VIP, channel=Channel.EMAIL).ticket
    selection = policies.select(ticket)
    assert selection.policies == ("vip",)
    assert selection.explanation[0] == "vip: applies, customer_tier in {vip}"
    assert selection.explanation[1] == "email: not tried, vip came first"
    plain = history(T0, channel=Channel.PHONE).ticket
    chosen = policies.select(plain)
    assert chosen.policies == ("base",)
    assert chosen.explanation[-1] == "base: applies as the default policy, no other matched"
    everything = PolicySet(policies=[base, email, vip], mode=SelectionMode.ALL)
    both = everything.select(ticket)
    assert both.policies == ("vip", "email", "base")
    assert both.metrics["resolution"][0].name == "vip"
    assert "resolution: from vip, which comes before email" in both.explanation
    none = PolicySet(policies=[vip]).select(plain)
    assert none.policies == ()
    assert none.explanation[-1] == "no policy applies"


def test_policy_versions_follow_the_opening_date(history: Any) -> None:
    old = _policy("std", 1, ALWAYS, "8 hours")
    new = SlaPolicy(
        name="std",
        effective_from=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
        metrics=[MetricSpec(clock=RESOLUTION, targets={"*": "4 hours"})],
    )
    policies = PolicySet(policies=[new, old])
    before = history(dt.datetime(2026, 2, 27, tzinfo=dt.UTC))
    after = history(T0)
    horizon = T0 + dt.timedelta(days=1)
    assert evaluate(policies, before.events, horizon).clock("resolution").target == (
        Duration(8, Unit.HOURS)
    )
    assert evaluate(policies, after.events, horizon).clock("resolution").target == (
        Duration(4, Unit.HOURS)
    )
    assert "version of 2026-03-01" in evaluate(policies, after.events, horizon).selection[0]
    with pytest.raises(InvalidPolicy, match="same name and effective_from"):
        PolicySet(policies=[old, old])
    with pytest.raises(InvalidPolicy, match="no policy named"):
        PolicySet(policies=[old], default="gold")
    with pytest.raises(InvalidPolicy):
        PolicySet.from_dict({"policies": [{"name": "x"}], "mode": "some"})
    with pytest.raises(InvalidPolicy):
        PolicySet.from_dict({"policies": 3})


def test_standard_policies(history: Any) -> None:
    complaint = history(T0, kind=TicketKind.COMPLAINT)
    horizon = T0 + dt.timedelta(hours=1)
    report = evaluate(STANDARD_POLICIES, complaint.events, horizon)
    assert report.policies == ("complaint-response",)
    # The complaints' 24 h is an average (a KPI target), not a per-ticket deadline.
    assert report.clock("first_response").due_at is None
    for level, hours in (
        (ProblemLevel.GENERAL, 24),
        (ProblemLevel.COMPLEX, 48),
        (ProblemLevel.MAJOR, 72),
    ):
        h = history(T0)
        h.do(Classify(category="network/vpn", problem_level=level), T0)
        clock = evaluate(STANDARD_POLICIES, h.events, horizon).clock("first_response")
        assert clock.due_at == T0 + dt.timedelta(hours=hours)
    h = history(T0)
    h.do(Classify(category="major"), T0)  # the category text is no problem level
    clock = evaluate(STANDARD_POLICIES, h.events, horizon).clock("first_response")
    assert clock.due_at == T0 + dt.timedelta(hours=24)
    h = history(T0)
    h.customer(AddComment(text="hello"), T0 + dt.timedelta(minutes=5))
    h.do(AddComment(text="hi"), T0 + dt.timedelta(minutes=20))
    clock = evaluate(STANDARD_POLICIES, h.events, horizon).clock("first_response")
    assert clock.status is ClockStatus.MET


def test_fact_conditions_on_events() -> None:
    fact = Fact(None, _ticket())
    assert not EventIn({"open"})(fact)
    assert not FieldChanged("priority")(fact)
    assert not PublicComment("anyone")(fact)
    assert FIRST_RESPONSE.start.describe() == "event in {open}"


def _ticket() -> Any:
    from itsm_core.tickets import CommandContext, OpenTicket, decide

    ctx = CommandContext(actor="bob", role="customer", now=T0)
    ticket, _ = decide(
        None, OpenTicket(ticket_id="X", kind=TicketKind.INCIDENT, requester="b"), ctx
    )
    return ticket


def test_standard_policies_handle_services_within_48_hours(history: Any) -> None:
    horizon = T0 + dt.timedelta(hours=1)
    request = history(T0, kind=TicketKind.SERVICE_REQUEST)
    report = evaluate(STANDARD_POLICIES, request.events, horizon)
    assert report.policies == ("service-handling",)
    assert report.clock("resolution").due_at == T0 + dt.timedelta(hours=48)
    assert report.clock("first_response").due_at == T0 + dt.timedelta(hours=24)
    major = history(T0, kind=TicketKind.MAJOR_INCIDENT, problem_level=ProblemLevel.MAJOR)
    report = evaluate(STANDARD_POLICIES, major.events, horizon)
    assert report.policies == ("technical-response",)
    assert report.clock("first_response").due_at == T0 + dt.timedelta(hours=72)
