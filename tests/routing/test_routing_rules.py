"""Routing rules as data: validated, every problem reported with its path, serialisable."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from zoneinfo import ZoneInfo

import attrs
import pytest

from itsm_core.errors import InvalidRouting, UnknownTier
from itsm_core.priority import TierVocabulary
from itsm_core.routing import RoutingRule, RoutingRules, TeamState, route
from itsm_core.tickets import Channel, CustomerTier, Ticket, TicketKind

OpenFn = Callable[..., Ticket]

MONDAY_10 = dt.datetime(2025, 9, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_rules_round_trip_through_json(rules: RoutingRules) -> None:
    data = json.loads(json.dumps(rules.to_dict()))
    assert RoutingRules.from_dict(data) == rules
    assert rules.groups() == {"service-desk", "complaints", "vip-desk", "specialists"}


def test_a_rule_without_conditions_matches_everything() -> None:
    rule = RoutingRule(name="all", group="desk")
    assert rule.conditions() == "any ticket"
    assert (
        rule.mismatches(
            kind=TicketKind.CHANGE,
            category=None,
            channel=None,
            language=None,
            tier=CustomerTier.REGULAR,
            response_level=None,
        )
        == []
    )
    assert rule.to_dict() == {"name": "all", "group": "desk"}


def test_conditions_are_explained() -> None:
    rule = RoutingRule(
        name="phone vip",
        group="vip",
        channels={Channel.PHONE},
        customer_tiers={CustomerTier.VIP, CustomerTier.ENTERPRISE},
        languages={"en"},
    )
    assert rule.conditions() == (
        "channel in {'phone'} and language in {'en'} and customer tier in {'enterprise', 'vip'}"
    )
    assert rule.mismatches(
        kind=TicketKind.INCIDENT,
        category="x",
        channel=Channel.EMAIL,
        language=None,
        tier=CustomerTier.VIP,
        response_level=2,
    ) == ["channel 'email' not in {'phone'}", "language None not in {'en'}"]


def test_every_problem_of_a_rule_set_is_reported() -> None:
    data = {
        "default_group": " ",
        "language_attribute": "lang",
        "rules": [
            {"name": "a", "group": "g", "kinds": ["incident", "outage"]},
            {"name": "b", "group": "g", "response_levels": [0, 2], "skills": {"x": 0}},
            {"name": "c", "group": "g", "categories": [""], "senior": "yes"},
            {"name": "d", "group": "g", "channels": "phone", "colour": "red"},
            "not a rule",
        ],
    }
    with pytest.raises(InvalidRouting) as caught:
        RoutingRules.from_dict(data)
    assert [str(p) for p in caught.value.problems] == [
        "default_group: expected a non-blank string, got ' '",
        "rules[0].kinds[1]: expected one of 'incident', 'service_request', 'consultation', "
        "'complaint', 'problem', 'change', 'major_incident', got 'outage'",
        "rules[1].skills.x: expected an integer >= 1, got 0",
        "rules[2].categories[0]: expected a non-blank string, got ''",
        "rules[3].colour: unknown key (expected one of categories, channels, customer_tiers, "
        "group, kinds, languages, name, response_levels, senior, skills)",
        "rules[3].channels: expected a list, got 'phone'",
        "rules[4]: expected a mapping, got 'not a rule'",
    ]
    with pytest.raises(InvalidRouting) as caught:
        RoutingRules.from_dict(
            {
                "default_group": "g",
                "rules": [
                    {"name": "b", "group": "g", "response_levels": [0, 2]},
                    {"name": "c", "group": "g", "senior": "yes"},
                    {"name": "c", "group": "g", "languages": []},
                ],
            }
        )
    assert [str(p) for p in caught.value.problems] == [
        "rules[0].response_levels: 0 is not a response level (1, 2, 3)",
        "rules[1].senior: expected true or false, got 'yes'",
        "rules[2].languages: expected a non-empty set or None, got frozenset()",
    ]
    with pytest.raises(InvalidRouting, match="duplicate rule 'c'"):
        RoutingRules(
            rules=[RoutingRule(name="c", group="g"), RoutingRule(name="c", group="h")],
            default_group="g",
        )
    with pytest.raises(InvalidRouting, match="is not a TicketKind"):
        RoutingRule(name="x", group="g", kinds={"incident"})
    with pytest.raises(InvalidRouting):
        RoutingRules.from_dict(None)


def test_keys_that_are_not_strings_are_problems_with_their_path() -> None:
    data = {"default_group": "g", "rules": [{"name": "a", "group": "g", "skills": {1: 2}}]}
    with pytest.raises(InvalidRouting) as caught:
        RoutingRules.from_dict(data)
    assert [str(p) for p in caught.value.problems] == [
        "rules[0].skills: expected string keys, got 1"
    ]
    with pytest.raises(InvalidRouting) as caught:
        RoutingRules.from_dict({"default_group": "g", "rules": [], None: 1, 2: 3})
    assert [str(p) for p in caught.value.problems] == ["expected string keys, got None"]


def test_values_that_cannot_be_printed_are_described() -> None:
    nested: list[object] = []
    for _ in range(100_000):
        nested = [nested]
    data = {"default_group": "g", "rules": [nested], 10**5000: 1}
    with pytest.raises(InvalidRouting) as caught:
        RoutingRules.from_dict(data)
    assert [str(p) for p in caught.value.problems] == [
        "expected string keys, got an integer of about 5001 digits"
    ]
    with pytest.raises(InvalidRouting) as caught:
        RoutingRules.from_dict({"default_group": "g", "rules": [nested, [10**5000]]})
    assert [str(p) for p in caught.value.problems] == [
        "rules[0]: expected a mapping, got list",
        "rules[1]: expected a mapping, got list",
    ]


# --- the customer-tier vocabulary -------------------------------------------------------------


def test_rule_tiers_are_checked_against_the_vocabulary_listing_the_known_ones() -> None:
    data = {
        "default_group": "desk",
        "rules": [{"name": "a", "group": "g", "customer_tiers": ["vip", "gold"]}],
    }
    with pytest.raises(InvalidRouting) as caught:
        RoutingRules.from_dict(data)
    assert [str(p) for p in caught.value.problems] == [
        "rules[0].customer_tiers: unknown customer tier 'gold' "
        "(known: regular, vip, enterprise, standard)"
    ]
    gold = TierVocabulary(["bronze", "gold"], aliases={"premium": "gold"})
    custom = RoutingRules(
        rules=[RoutingRule(name="a", group="g", customer_tiers={"premium", "bronze"})],
        default_group="desk",
        tier_vocabulary=gold,
    )
    # aliases are kept as tier names
    assert custom.rules[0].customer_tiers == frozenset({"gold", "bronze"})
    data = json.loads(json.dumps(custom.to_dict()))
    assert data["tier_vocabulary"] == gold.to_dict()
    assert RoutingRules.from_dict(data) == custom
    with pytest.raises(InvalidRouting) as caught:
        RoutingRules.from_dict({**data, "tier_vocabulary": {"names": "gold"}})
    assert [p.path for p in caught.value.problems] == ["tier_vocabulary.names"]
    with pytest.raises(InvalidRouting):
        RoutingRules(rules=[], default_group="d", tier_vocabulary=["gold"])  # type: ignore[arg-type]
    with pytest.raises(InvalidRouting, match="customer_tiers: expected non-blank strings"):
        RoutingRule(name="a", group="g", customer_tiers={""})


def test_route_refuses_a_ticket_whose_tier_the_rules_do_not_know(
    idle: TeamState, rules: RoutingRules, make_ticket: OpenFn
) -> None:
    gold = TierVocabulary(["bronze", "gold"])
    other = attrs.evolve(rules, rules=[], tier_vocabulary=gold)
    with pytest.raises(UnknownTier) as caught:
        route(make_ticket(customer_tier=CustomerTier.VIP), idle, MONDAY_10, other)
    assert caught.value.known == ("bronze", "gold")
    assert caught.value.path == "customer_tier"
