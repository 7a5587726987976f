"""Customers and contacts as data: loading with every problem's path, the tier and segment
vocabularies, the requester link to tickets, and the VIP dedicated channel through routing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from itsm_core.customers import (
    DEFAULT_SEGMENTS,
    Contact,
    Customer,
    CustomerDirectory,
    SegmentVocabulary,
)
from itsm_core.errors import DeserializationError, InvalidPolicy, ItsmError, ValidationError
from itsm_core.i18n import Messages
from itsm_core.priority import TierVocabulary
from itsm_core.routing import RoutingRules, Team, TeamState, route
from itsm_core.tickets import Channel, CommandContext, TicketKind, decide

ACME: dict[str, Any] = {
    "id": "acme",
    "name": "ACME 有限公司",
    "tier": "vip",
    "segment": "high",
    "language": "zh-CN",
    "time_zone": "Asia/Shanghai",
    "calendar": "office",
    "vip_channel": "vip-desk",
    "contacts": [
        {"id": "li", "name": "李伟", "phone": "+86 10 5555 0101", "channels": ["phone", "chat"]},
        {"id": "wu", "name": "Wu", "email": "wu@acme.example", "channels": ["email"]},
    ],
}
GLOBEX: dict[str, Any] = {"id": "globex", "name": "Globex", "language": "en", "segment": "low"}


def directory() -> CustomerDirectory:
    return CustomerDirectory.from_dict([ACME, GLOBEX])


def test_customers_load_and_dump_back() -> None:
    loaded = directory()
    acme = loaded["acme"]
    assert (acme.tier, acme.segment, acme.calendar, acme.vip_channel) == (
        "vip",
        "high",
        "office",
        "vip-desk",
    )
    assert acme.contacts[0].channels == (Channel.PHONE, Channel.CHAT)
    assert acme.zone.key == "Asia/Shanghai"
    assert loaded["globex"].tier == "regular"  # the vocabulary's default tier
    assert CustomerDirectory.from_dict(loaded.to_dict()) == loaded
    assert Customer.from_dict(ACME).to_dict() == ACME


def test_every_problem_is_listed_with_its_path() -> None:
    bad = [
        {**ACME, "tier": "gold", "language": "fr", "time_zone": "Mars/Olympus", "x": 1},
        {
            "id": "b",
            "name": " ",
            "segment": "top",
            "contacts": [{"id": "c", "name": "C", "email": "nope", "channels": ["fax"]}, 7],
        },
        "not a customer",
    ]
    with pytest.raises(DeserializationError) as caught:
        CustomerDirectory.from_dict(bad)
    paths = sorted(p.path for p in caught.value.problems)
    assert paths == [
        "[0].language",
        "[0].tier",
        "[0].time_zone",
        "[0].x",
        "[1].contacts[0].channels[0]",
        "[1].contacts[0].email",
        "[1].contacts[1]",
        "[1].name",
        "[1].segment",
        "[2]",
    ]


@pytest.mark.parametrize(
    "data",
    [None, {"customers": []}, [None], [{"id": 3, "name": ["x"]}], [{**ACME, "contacts": "li"}]],
)
def test_nothing_but_an_itsm_error_escapes(data: object) -> None:
    with pytest.raises(ItsmError):
        CustomerDirectory.from_dict(data)


def test_ids_are_one_name_space_and_a_contact_is_found_as_requester() -> None:
    loaded = directory()
    assert loaded.customer_of("li") is loaded["acme"]
    assert loaded.customer_of("acme") is loaded["acme"]
    assert loaded.customer_of("nobody") is None
    with pytest.raises(KeyError):
        loaded["li"]  # a contact is not a customer
    twice = {**GLOBEX, "contacts": [{"id": "li", "name": "Li", "phone": "1"}]}
    with pytest.raises(DeserializationError, match=r"\[1\]\.contacts\[0\]\.id.*already 'acme'"):
        CustomerDirectory.from_dict([ACME, twice])


def test_the_tier_vocabulary_is_the_desks_one() -> None:
    gold = TierVocabulary(names=("bronze", "gold"), aliases={"vip": "gold"})
    loaded = CustomerDirectory.from_dict([{**ACME, "tier": "vip"}], tiers=gold)
    assert loaded["acme"].tier == "gold"  # an alias recorded as its name, as tickets do
    with pytest.raises(DeserializationError, match="unknown customer tier 'regular'"):
        CustomerDirectory.from_dict([GLOBEX], tiers=gold)


def test_segments_are_a_configurable_vocabulary_with_labels() -> None:
    zh = Messages.load("zh-CN", "customers")
    labels = [DEFAULT_SEGMENTS.label(name, zh) for name in DEFAULT_SEGMENTS]
    assert labels == ["高价值", "中价值", "低价值"]
    assert DEFAULT_SEGMENTS.label("mid", Messages.load("en", "customers")) == "Mid value"
    own = SegmentVocabulary.from_dict({"names": ["strategic", "key", "standard"]})
    assert own.label("key", zh) == "key"
    assert CustomerDirectory.from_dict([{**GLOBEX, "segment": "key"}], segments=own)
    with pytest.raises(DeserializationError, match="unknown value segment 'low'"):
        CustomerDirectory.from_dict([GLOBEX], segments=own)
    for bad in ([], [" "], {"names": ["a"], "x": 1}):
        with pytest.raises(InvalidPolicy):
            SegmentVocabulary.from_dict(bad if isinstance(bad, dict) else {"names": bad})


def test_values_check_themselves() -> None:
    with pytest.raises(ValidationError, match="phone number or an e-mail"):
        Contact(id="x", name="X")
    with pytest.raises(ValidationError, match="listed twice"):
        Contact(id="x", name="X", phone="1", channels=["phone", "phone"])
    with pytest.raises(ValidationError, match=r"contacts\[1\]\.id"):
        Customer(id="a", name="A", contacts=[Contact(id="x", name="X", phone="1")] * 2)


def test_an_opening_carries_the_customers_tier_channel_and_language() -> None:
    opening = directory().opening("li", ticket_id="INC1", kind=TicketKind.INCIDENT, priority=2)
    assert (opening.requester, opening.customer_tier, opening.channel) == (
        "li",
        "vip",
        Channel.PHONE,
    )
    assert opening.attributes["language"] == "zh-CN"
    with pytest.raises(ValidationError, match="requester"):
        directory().opening("nobody", ticket_id="INC1", kind=TicketKind.INCIDENT)


TEAM = {
    "rosters": {"day": {"timezone": "Asia/Shanghai", "weekly": {"monday": [["09:00", "18:00"]]}}},
    "groups": [{"name": "service-desk", "level": "l1"}, {"name": "vip-desk", "level": "l2"}],
    "agents": [
        {"id": "ann", "groups": ["service-desk"], "roster": "day", "languages": ["zh-CN", "en"]},
        {
            "id": "gao",
            "groups": ["vip-desk"],
            "roster": "day",
            "level": "l2",
            "senior": True,
            "languages": ["zh-CN", "en"],
        },
    ],
}


def test_a_vip_customers_tickets_go_to_the_dedicated_channel() -> None:
    loaded = directory()
    rules = RoutingRules.from_dict(
        {"default_group": "service-desk", "rules": loaded.vip_routing_rules()}
    )
    now = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)  # Monday 18:00 in Shanghai: still open
    state = TeamState(team=Team.from_dict(TEAM))
    ctx = CommandContext(actor="desk", role="agent", now=now - dt.timedelta(hours=1))
    routed = {}
    for requester in ("li", "globex"):
        opening = loaded.opening(requester, ticket_id=f"T-{requester}", kind=TicketKind.INCIDENT)
        ticket = decide(None, opening, ctx).state
        routed[requester] = route(ticket, state, now - dt.timedelta(hours=1), rules)
    assert (routed["li"].group, routed["li"].assignee) == ("vip-desk", "gao")
    assert routed["globex"].group == "service-desk"


def test_customers_of_one_tier_share_its_vip_channel() -> None:
    other = {**GLOBEX, "id": "initech", "tier": "vip", "vip_channel": "gold-desk"}
    with pytest.raises(DeserializationError, match=r"\[1\]\.vip_channel.*routed by tier"):
        CustomerDirectory.from_dict([ACME, other])
