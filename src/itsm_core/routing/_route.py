"""The routing decision: rules pick a group, the group's qualified agents on duty pick one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from itsm_core._checks import check_aware
from itsm_core._plain import shown
from itsm_core.errors import InvalidRouting, Problem
from itsm_core.routing._agents import Agent
from itsm_core.routing._decision import RouteOutcome, RoutingDecision, RoutingStep, StepKind
from itsm_core.routing._groups import AssignmentStrategy, Group
from itsm_core.routing._requirements import Requirements
from itsm_core.routing._rules import RoutingRule, RoutingRules
from itsm_core.routing._state import TeamState
from itsm_core.tickets import Ticket

#: How many agent ids a step lists before it says "and N more".
_SHOWN = 5


def route(
    ticket: Ticket, team_state: TeamState, now: dt.datetime, rules: RoutingRules
) -> RoutingDecision:
    """Decide who takes ``ticket`` at ``now``, or which queue it waits in, and say why.

    1. The rules are tried in order; the first that matches the ticket's kind, category,
       channel, language, customer tier and response level gives the group and what the agent
       must have (skills at levels, seniority). No match: the rules' default group.
    2. Inside the group, agents are kept in turn if they have the skills and levels, speak the
       ticket's language (when it has one), are senior (when asked), are on duty at ``now``
       (their roster calendar) and are under their capacity of open tickets.
    3. One of those is picked by the group's strategy: least-loaded (fewest open tickets, then
       smallest id) or round-robin (the next id after the group's last assignee), so the same
       state always gives the same answer.
    4. When nobody is kept, the ticket escalates to the group's ``escalates_to`` (the next
       tier) and step 2 runs again there, with the same requirements.
    5. When nobody is kept anywhere, the ticket is queued in the first group of that chain
       whose members could take it once on duty and free (else the rule's group), with the
       next instant such an agent is on duty.

    Pure: nothing is read but the arguments, and ``team_state`` is not changed (apply the
    decision with ``team_state.assign``). Raises ``InvalidRouting`` when the rules name groups
    the team does not have, ``UnknownTier`` when the ticket's customer tier is not in the
    rules' tier vocabulary, ``NaiveDatetimeError`` for a naive ``now``.
    """
    check_aware(now, "now")
    team = team_state.team
    unknown = sorted(name for name in rules.groups() if team.group(name) is None)
    if unknown:
        raise InvalidRouting(
            "rules", [Problem("", f"group {shown(name)} is not in the team") for name in unknown]
        )
    steps: list[RoutingStep] = []
    language = rules.language_of(ticket)
    tier = rules.tier_of(ticket)
    rule = _first_match(ticket, language, tier, rules.rules, steps)
    if rule is None:
        steps.append(RoutingStep(StepKind.DEFAULT, rules.default_group, "no rule matched"))
        needs = Requirements(language=language)
        first = rules.default_group
    else:
        needs = Requirements(skills=rule.skills, language=language, senior=rule.senior)
        first = rule.group
    chain = _chain(team_state, first)
    for depth, group in enumerate(chain):
        if depth:
            below = chain[depth - 1]
            steps.append(
                RoutingStep(
                    StepKind.ESCALATE,
                    below.name,
                    f"nobody qualifies at {below.level.value}: to {group.name} "
                    f"({group.level.value})",
                )
            )
        chosen = _pick(group, _candidates(group, needs, team_state, now, steps), team_state, steps)
        if chosen is not None:
            return RoutingDecision(
                ticket_id=ticket.id,
                outcome=RouteOutcome.ASSIGNED,
                group=group.name,
                assignee=chosen.id,
                level=group.level,
                rule=None if rule is None else rule.name,
                requirements=needs,
                steps=tuple(steps),
                at=now,
            )
    queue = next(
        (g for g in chain if any(not needs.unmet(a) for a in team.members(g.name))), chain[0]
    )
    upcoming = team.next_on_duty(now, group=queue.name, requirements=needs)
    when = f"next qualified agent on duty {upcoming}" if upcoming else "no qualified agent ever"
    steps.append(RoutingStep(StepKind.QUEUE, queue.name, when))
    return RoutingDecision(
        ticket_id=ticket.id,
        outcome=RouteOutcome.QUEUED,
        group=queue.name,
        assignee=None,
        level=queue.level,
        rule=None if rule is None else rule.name,
        requirements=needs,
        steps=tuple(steps),
        at=now,
        next_on_duty=upcoming,
    )


def _first_match(
    ticket: Ticket,
    language: str | None,
    tier: str,
    rules: Sequence[RoutingRule],
    steps: list[RoutingStep],
) -> RoutingRule | None:
    for rule in rules:
        missed = rule.mismatches(
            kind=ticket.kind,
            category=ticket.category,
            channel=ticket.channel,
            language=language,
            tier=tier,
            response_level=ticket.response_level,
        )
        if missed:
            steps.append(RoutingStep(StepKind.RULE_SKIPPED, rule.name, "; ".join(missed)))
            continue
        detail = f"{rule.conditions()} -> group {rule.group}"
        steps.append(RoutingStep(StepKind.RULE_MATCHED, rule.name, detail))
        return rule
    return None


def _chain(state: TeamState, first: str) -> list[Group]:
    """The group and the groups it escalates to, in order (the team forbids cycles)."""
    chain: list[Group] = []
    name: str | None = first
    while name is not None:
        group = state.team.group(name)
        assert group is not None  # the team checks every escalation target exists
        chain.append(group)
        name = group.escalates_to
    return chain


def _candidates(
    group: Group,
    needs: Requirements,
    state: TeamState,
    now: dt.datetime,
    steps: list[RoutingStep],
) -> list[Agent]:
    """The members of ``group`` who may take the ticket now, with a step per filter."""
    team = state.team
    pool = list(team.members(group.name))
    steps.append(RoutingStep(StepKind.FILTER, group.name, f"{len(pool)} in the group"))
    pool = _keep(pool, lambda a: not needs.unmet(a), f"qualified ({needs})", group, steps)
    duty: dict[str, bool] = {}

    def on_duty(agent: Agent) -> bool:
        if agent.roster not in duty:
            duty[agent.roster] = team.rosters[agent.roster].is_working(now)
        return duty[agent.roster]

    pool = _keep(pool, on_duty, "on duty", group, steps)
    return _keep(pool, lambda a: state.load(a.id) < a.capacity, "under capacity", group, steps)


def _keep(
    pool: list[Agent],
    test: Callable[[Agent], bool],
    label: str,
    group: Group,
    steps: list[RoutingStep],
) -> list[Agent]:
    if not pool:
        return pool
    kept: list[Agent] = []
    dropped: list[str] = []
    for agent in pool:
        if test(agent):
            kept.append(agent)
        else:
            dropped.append(agent.id)
    detail = f"{len(kept)} {label}"
    if dropped:
        shown = ", ".join(dropped[:_SHOWN])
        more = f" and {len(dropped) - _SHOWN} more" if len(dropped) > _SHOWN else ""
        detail += f"; not: {shown}{more}"
    steps.append(RoutingStep(StepKind.FILTER, group.name, detail))
    return kept


def _pick(
    group: Group, pool: list[Agent], state: TeamState, steps: list[RoutingStep]
) -> Agent | None:
    if not pool:
        return None
    if group.strategy is AssignmentStrategy.ROUND_ROBIN:
        last = state.last_assigned.get(group.name)
        after = [agent for agent in pool if last is None or agent.id > last]
        chosen = (after or pool)[0]
        detail = f"round-robin after {last!r}: {chosen.id}"
    else:
        chosen = min(pool, key=lambda a: (state.load(a.id), a.id))
        detail = f"least loaded: {chosen.id} with {state.load(chosen.id)} open"
    steps.append(RoutingStep(StepKind.PICK, group.name, detail))
    return chosen
