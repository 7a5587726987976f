"""route(): rules in order, the qualified agents on duty, strategies, escalation, queueing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsm_core.errors import InvalidRouting, NaiveDatetimeError
from itsm_core.routing import AssignmentStrategy, RouteOutcome, RoutingRules, Team, TeamState, route
from itsm_core.routing._decision import StepKind
from itsm_core.tickets import (
    CommandContext,
    CustomerTier,
    SupportLevel,
    Ticket,
    TicketKind,
    decide,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
OpenFn = Callable[..., Ticket]

MONDAY_10 = dt.datetime(2025, 9, 29, 10, tzinfo=SHANGHAI)  # ann, dan, fei, gao on duty
MONDAY_23 = dt.datetime(2025, 9, 29, 23, tzinfo=SHANGHAI)  # only the night roster (cai, eve)
HOLIDAY_10 = dt.datetime(2025, 10, 2, 10, tzinfo=SHANGHAI)  # National Day: nobody by day


def test_first_matching_rule_gives_the_group_and_every_step_is_explained(
    idle: TeamState, rules: RoutingRules, make_ticket: OpenFn
) -> None:
    decision = route(make_ticket(category="network"), idle, MONDAY_10, rules)
    assert (decision.outcome, decision.group, decision.assignee) == (
        RouteOutcome.ASSIGNED,
        "service-desk",
        "ann",
    )
    assert decision.rule == "network"
    kinds = [step.kind for step in decision.steps]
    assert kinds[:3] == [StepKind.RULE_SKIPPED, StepKind.RULE_SKIPPED, StepKind.RULE_MATCHED]
    assert kinds[-1] is StepKind.PICK
    reasons = "\n".join(decision.reasons)
    assert "customer tier 'regular' not in {'vip'}" in reasons
    assert "not: bo" in reasons  # bo has network level 1 < 2
    assert "1 on duty; not: cai" in reasons  # cai works nights
    assert str(decision).startswith("ticket T1: assigned -> service-desk / ann")


def test_no_rule_matched_goes_to_the_default_group(
    idle: TeamState, rules: RoutingRules, make_ticket: OpenFn
) -> None:
    decision = route(make_ticket(category="printer"), idle, MONDAY_23, rules)
    assert decision.rule is None
    assert any(step.kind is StepKind.DEFAULT for step in decision.steps)
    assert (decision.group, decision.assignee) == ("service-desk", "cai")


def test_vip_and_level_1_complaints_go_to_senior_agents(
    idle: TeamState, rules: RoutingRules, make_ticket: OpenFn
) -> None:
    vip = route(make_ticket(customer_tier=CustomerTier.VIP), idle, MONDAY_10, rules)
    assert (vip.group, vip.assignee, vip.rule) == ("vip-desk", "gao", "vip")
    complaint = make_ticket(kind=TicketKind.COMPLAINT, response_level=1)
    major = route(complaint, idle, MONDAY_10, rules)
    assert (major.group, major.assignee, major.rule) == ("complaints", "gao", "major complaint")
    assert major.requirements.senior
    # a level-3 complaint is not a major one: it falls through to the default group
    minor = route(make_ticket(kind=TicketKind.COMPLAINT, response_level=3), idle, MONDAY_10, rules)
    assert minor.group == "service-desk"


def test_a_vip_at_the_weekend_waits_for_a_senior_agent_rather_than_hui(
    idle: TeamState, rules: RoutingRules, make_ticket: OpenFn
) -> None:
    saturday = dt.datetime(2025, 9, 27, 10, tzinfo=SHANGHAI)
    decision = route(make_ticket(customer_tier=CustomerTier.VIP), idle, saturday, rules)
    assert decision.outcome is RouteOutcome.QUEUED
    assert decision.group == "vip-desk"
    # Sunday 28 September is a make-up working day: gao's day roster works it like a Monday
    assert decision.next_on_duty is not None
    assert decision.next_on_duty.at == dt.datetime(2025, 9, 28, 9, tzinfo=SHANGHAI)
    assert [agent.id for agent in decision.next_on_duty.agents] == ["gao"]


def test_the_ticket_language_must_be_spoken(
    idle: TeamState, rules: RoutingRules, make_ticket: OpenFn
) -> None:
    ticket = make_ticket(category="network", attributes={"language": "en"})
    decision = route(ticket, idle, MONDAY_23, rules)
    # cai (night, service desk) speaks English; eve (night, specialists) does not
    assert decision.assignee == "cai"
    busy = TeamState(team=idle.team, loads={"cai": 2})
    escalated = route(ticket, busy, MONDAY_23, rules)
    assert escalated.outcome is RouteOutcome.QUEUED
    # at L2, eve (night) does not speak English and dan (who does) is off duty
    assert "filter: specialists: 1 qualified (skills network>=2, language 'en'); not: eve" in (
        escalated.reasons
    )
    assert "filter: specialists: 0 on duty; not: dan" in escalated.reasons


def test_escalation_to_the_next_tier_when_nobody_qualifies(
    idle: TeamState, rules: RoutingRules, make_ticket: OpenFn
) -> None:
    ticket = make_ticket(category="network")
    full = TeamState(team=idle.team, loads={"ann": 3})
    decision = route(ticket, full, MONDAY_10, rules)
    assert (decision.group, decision.assignee, decision.level) == (
        "specialists",
        "dan",
        SupportLevel.L2,
    )
    assert [s.kind for s in decision.steps].count(StepKind.ESCALATE) == 1
    commands = decision.commands(ticket)
    ctx = CommandContext(actor="router", role="system", now=MONDAY_10)
    for command in commands:
        ticket, _ = decide(ticket, command, ctx)
    assert (ticket.assignment_group, ticket.assignee, ticket.support_level) == (
        "specialists",
        "dan",
        SupportLevel.L2,
    )
    assert decision.commands(ticket) == ()  # already there


def test_nobody_anywhere_queues_with_the_next_instant_someone_qualified_is_on_duty(
    idle: TeamState, rules: RoutingRules, make_ticket: OpenFn
) -> None:
    decision = route(make_ticket(category="network"), idle, HOLIDAY_10, rules)
    assert decision.outcome is RouteOutcome.QUEUED
    assert decision.assignee is None
    assert decision.group == "service-desk"
    assert decision.next_on_duty is not None
    assert decision.next_on_duty.at == dt.datetime(2025, 10, 2, 22, tzinfo=SHANGHAI)
    command = decision.assign_command()
    assert (command.group, command.assignee) == ("service-desk", None)
    assert decision.steps[-1].kind is StepKind.QUEUE


def test_least_loaded_then_smallest_id(
    idle: TeamState, rules: RoutingRules, make_ticket: OpenFn
) -> None:
    afternoon = dt.datetime(2025, 9, 29, 15, tzinfo=SHANGHAI)  # ann and bo on duty
    ticket = make_ticket()
    assert route(ticket, idle, afternoon, rules).assignee == "ann"
    state = idle.assign("ann", "service-desk")
    assert route(ticket, state, afternoon, rules).assignee == "bo"
    state = state.assign("bo", "service-desk")
    assert route(ticket, state, afternoon, rules).assignee == "ann"


def test_round_robin_follows_the_last_assignee(team: Team, make_ticket: OpenFn) -> None:
    groups = [
        attrs.evolve(g, strategy=AssignmentStrategy.ROUND_ROBIN) if g.name == "service-desk" else g
        for g in team.groups
    ]
    robin = attrs.evolve(team, groups=groups)
    rules = RoutingRules(rules=[], default_group="service-desk")
    afternoon = dt.datetime(2025, 9, 29, 15, tzinfo=SHANGHAI)
    state = TeamState(team=robin)
    picked = []
    for _ in range(4):
        decision = route(make_ticket(), state, afternoon, rules)
        assert decision.assignee is not None
        picked.append(decision.assignee)
        state = state.assign(decision.assignee, decision.group)
    assert picked == ["ann", "bo", "ann", "bo"]


def test_route_refuses_rules_naming_unknown_groups_and_naive_instants(
    idle: TeamState, make_ticket: OpenFn
) -> None:
    rules = RoutingRules.from_dict({"default_group": "nowhere", "rules": []})
    with pytest.raises(InvalidRouting, match="'nowhere' is not in the team"):
        route(make_ticket(), idle, MONDAY_10, rules)
    with pytest.raises(NaiveDatetimeError):
        route(make_ticket(), idle, MONDAY_10.replace(tzinfo=None), rules)


# -- properties -------------------------------------------------------------------------------

AGENT_IDS = ("ann", "bo", "cai", "dan", "eve", "fei", "gao", "hui")
instants = st.datetimes(
    min_value=dt.datetime(2025, 9, 20), max_value=dt.datetime(2025, 10, 12)
).map(lambda t: t.replace(tzinfo=SHANGHAI))
loads = st.dictionaries(st.sampled_from(AGENT_IDS), st.integers(0, 6))
tickets = st.fixed_dictionaries(
    {
        "category": st.sampled_from([None, "network", "sap", "printer"]),
        "customer_tier": st.sampled_from(list(CustomerTier)),
        "kind": st.sampled_from([TicketKind.INCIDENT, TicketKind.COMPLAINT]),
        "response_level": st.sampled_from([None, 1, 2, 3]),
        "attributes": st.sampled_from([{}, {"language": "en"}, {"language": "zh"}]),
    }
)


@given(now=instants, load=loads, fields=tickets)
def test_never_assigns_off_duty_or_at_capacity_and_is_deterministic(
    team: Team,
    rules: RoutingRules,
    make_ticket: OpenFn,
    now: dt.datetime,
    load: dict[str, int],
    fields: dict[str, object],
) -> None:
    state = TeamState(team=team, loads=load)
    ticket = make_ticket(**fields)
    decision = route(ticket, state, now, rules)
    assert decision == route(ticket, TeamState(team=team, loads=dict(load)), now, rules)
    if decision.outcome is RouteOutcome.ASSIGNED:
        assert decision.assignee is not None
        agent = team.agent(decision.assignee)
        assert agent is not None
        assert team.is_on_duty(agent, now)
        assert state.load(agent.id) < agent.capacity
        assert decision.group in agent.groups
        assert not decision.requirements.unmet(agent)
    else:
        assert decision.assignee is None
        upcoming = decision.next_on_duty
        if upcoming is not None:
            assert upcoming.at >= now
            assert all(team.is_on_duty(agent, upcoming.at) for agent in upcoming.agents)


@given(now=instants, load=loads, fields=tickets)
def test_queued_only_when_nobody_in_the_escalation_chain_qualifies(
    team: Team,
    rules: RoutingRules,
    make_ticket: OpenFn,
    now: dt.datetime,
    load: dict[str, int],
    fields: dict[str, object],
) -> None:
    state = TeamState(team=team, loads=load)
    decision = route(make_ticket(**fields), state, now, rules)
    if decision.outcome is RouteOutcome.QUEUED:
        # brute force: walk every group reachable from the rule's group
        chain = [step.subject for step in decision.steps if step.kind is StepKind.FILTER]
        for name in set(chain):
            for agent in team.members(name):
                assert (
                    decision.requirements.unmet(agent)
                    or not team.is_on_duty(agent, now)
                    or state.load(agent.id) >= agent.capacity
                )
