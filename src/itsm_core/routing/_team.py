"""A team: duty rosters (business calendars), assignment groups and agents; who is on duty."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

import attrs

from itsm_core._checks import check_aware, frozen_mapping
from itsm_core._plain import as_list, as_mapping, check_keys, is_text, shown
from itsm_core.calendar import Calendar
from itsm_core.errors import InvalidCalendar, InvalidRouting, NoWorkingTimeError, Problem
from itsm_core.routing._agents import Agent, read_agent
from itsm_core.routing._groups import Group, read_group
from itsm_core.routing._requirements import Requirements


def _groups(value: Iterable[Group]) -> tuple[Group, ...]:
    return tuple(value)


def _agents(value: Iterable[Agent]) -> tuple[Agent, ...]:
    return tuple(value)


@attrs.frozen
class NextOnDuty:
    """The earliest instant some qualifying agent is on duty, and who is on duty then."""

    at: dt.datetime
    agents: tuple[Agent, ...]

    def __str__(self) -> str:
        return f"{self.at.isoformat()} ({', '.join(a.id for a in self.agents)})"


@attrs.frozen(kw_only=True)
class Team:
    """Agents, the groups they sit in and the duty rosters they work to. Frozen.

    A roster is a business calendar (:class:`itsm_core.calendar.BusinessCalendar` or a combined
    one): its working time is the time the agent is on duty, so shift patterns, overnight
    shifts, holidays and make-up working days follow the calendar's exact rules. Agents name
    their roster, so a shift pattern is written once and shared.

    Checked on construction: unique agent ids and group names, every group and roster an agent
    names exists, and every escalation goes to an existing group of a higher support level.
    """

    rosters: Mapping[str, Calendar] = attrs.field(converter=frozen_mapping)
    groups: tuple[Group, ...] = attrs.field(converter=_groups)
    agents: tuple[Agent, ...] = attrs.field(converter=_agents)

    _by_id: Mapping[str, Agent] = attrs.field(init=False, eq=False, repr=False, hash=False)
    _by_group: Mapping[str, Group] = attrs.field(init=False, eq=False, repr=False, hash=False)
    _members: Mapping[str, tuple[Agent, ...]] = attrs.field(
        init=False, eq=False, repr=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        problems = _team_problems(self.rosters, self.groups, self.agents)
        if problems:
            raise InvalidRouting("team", problems)
        by_group = {group.name: group for group in self.groups}
        members: dict[str, list[Agent]] = {name: [] for name in by_group}
        for agent in sorted(self.agents, key=lambda a: a.id):
            for name in agent.groups:
                members[name].append(agent)
        object.__setattr__(self, "_by_id", MappingProxyType({a.id: a for a in self.agents}))
        object.__setattr__(self, "_by_group", MappingProxyType(by_group))
        frozen = {name: tuple(agents) for name, agents in members.items()}
        object.__setattr__(self, "_members", MappingProxyType(frozen))

    # -- look-ups -------------------------------------------------------------------------------

    def agent(self, agent_id: str) -> Agent | None:
        """The agent with this id, or None."""
        return self._by_id.get(agent_id)

    def group(self, name: str) -> Group | None:
        """The group with this name, or None."""
        return self._by_group.get(name)

    def members(self, group: str) -> tuple[Agent, ...]:
        """The agents of a group in id order (empty for an unknown group)."""
        return self._members.get(group, ())

    # -- duty -----------------------------------------------------------------------------------

    def is_on_duty(self, agent: Agent, when: dt.datetime) -> bool:
        """True when ``when`` lies inside the agent's roster (a shift is ``[start, end)``)."""
        return self.rosters[agent.roster].is_working(check_aware(when, "when"))

    def on_duty(self, when: dt.datetime, *, group: str | None = None) -> tuple[Agent, ...]:
        """The agents on duty at ``when`` (of ``group`` only, if given), in id order.

        Each roster is asked once, whatever the number of agents working to it.
        """
        check_aware(when, "when")
        agents = self.members(group) if group is not None else self._by_id_sorted()
        working: dict[str, bool] = {}
        for agent in agents:
            if agent.roster not in working:
                working[agent.roster] = self.rosters[agent.roster].is_working(when)
        return tuple(agent for agent in agents if working[agent.roster])

    def next_on_duty(
        self,
        when: dt.datetime,
        *,
        group: str | None = None,
        requirements: Requirements | None = None,
    ) -> NextOnDuty | None:
        """The earliest instant at or after ``when`` that a qualifying agent is on duty.

        Qualifying: in ``group`` (any group if None) and meeting ``requirements``. Exact: it is
        the earliest ``next_working`` of the rosters those agents work to. None when no such
        agent exists or none of their rosters ever has working time again.
        """
        check_aware(when, "when")
        pool = self.members(group) if group is not None else self._by_id_sorted()
        if requirements is not None:
            pool = tuple(agent for agent in pool if not requirements.unmet(agent))
        starts: dict[str, dt.datetime] = {}
        for agent in pool:
            if agent.roster in starts:
                continue
            try:
                starts[agent.roster] = self.rosters[agent.roster].next_working(when)
            except NoWorkingTimeError:
                continue
        if not starts:
            return None
        first = min(start.astimezone(dt.UTC) for start in starts.values())
        names = {name for name, start in starts.items() if start.astimezone(dt.UTC) == first}
        on_duty = tuple(agent for agent in pool if agent.roster in names)
        return NextOnDuty(first.astimezone(when.tzinfo), on_duty)

    def _by_id_sorted(self) -> tuple[Agent, ...]:
        return tuple(sorted(self.agents, key=lambda a: a.id))

    # -- data -----------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-safe data; :meth:`from_dict` reads it back to an equal team."""
        return {
            "rosters": {name: roster.to_dict() for name, roster in self.rosters.items()},
            "groups": [group.to_dict() for group in self.groups],
            "agents": [agent.to_dict() for agent in self.agents],
        }

    @staticmethod
    def from_dict(data: object) -> Team:
        """A team from plain data; ``InvalidRouting`` lists every problem with its path.

        ``rosters`` maps a name to calendar data (what ``Calendar.from_dict`` reads),
        ``groups`` and ``agents`` are lists of what ``Group.to_dict`` / ``Agent.to_dict`` give.
        """
        problems: list[Problem] = []
        team = _read_team(data, problems)
        if team is None or problems:
            raise InvalidRouting("team", problems or [Problem("", "unreadable")])
        return team


def _team_problems(
    rosters: Mapping[str, object], given_groups: Iterable[object], agents: Iterable[object]
) -> list[Problem]:
    problems: list[Problem] = []
    groups = list(given_groups)
    for name, roster in rosters.items():
        if not is_text(name):
            problems.append(Problem("rosters", f"roster name {shown(name)} is blank"))
        if not isinstance(roster, Calendar):
            problems.append(Problem(f"rosters.{name}", f"expected a calendar, got {shown(roster)}"))
    by_name: dict[str, Group] = {}
    for i, group in enumerate(groups):
        if not isinstance(group, Group):
            problems.append(Problem(f"groups[{i}]", f"expected a Group, got {shown(group)}"))
        elif group.name in by_name:
            problems.append(Problem(f"groups[{i}].name", f"duplicate group {shown(group.name)}"))
        else:
            by_name[group.name] = group
    for i, group in enumerate(groups):
        if not isinstance(group, Group):
            continue
        target = by_name.get(group.escalates_to) if group.escalates_to else None
        if group.escalates_to is not None and target is None:
            problems.append(
                Problem(f"groups[{i}].escalates_to", f"unknown group {shown(group.escalates_to)}")
            )
        elif target is not None and _rank(target) <= _rank(group):
            problems.append(
                Problem(
                    f"groups[{i}].escalates_to",
                    f"{shown(target.name)} is {target.level.value}, not above {group.level.value}",
                )
            )
    seen: set[str] = set()
    for i, agent in enumerate(agents):
        if not isinstance(agent, Agent):
            problems.append(Problem(f"agents[{i}]", f"expected an Agent, got {shown(agent)}"))
            continue
        if agent.id in seen:
            problems.append(Problem(f"agents[{i}].id", f"duplicate agent {shown(agent.id)}"))
        seen.add(agent.id)
        problems.extend(
            Problem(f"agents[{i}].groups", f"unknown group {shown(name)}")
            for name in sorted(agent.groups - by_name.keys())
        )
        if agent.roster not in rosters:
            problems.append(Problem(f"agents[{i}].roster", f"unknown roster {shown(agent.roster)}"))
    return problems


def _rank(group: Group) -> int:
    return list(type(group.level)).index(group.level)


def _read_team(data: object, problems: list[Problem]) -> Team | None:
    mapping = as_mapping(data, "", problems)
    if mapping is None:
        return None
    check_keys(mapping, "", ("rosters", "groups", "agents"), (), problems)
    rosters: dict[str, Calendar] = {}
    roster_data = as_mapping(mapping.get("rosters", {}), "rosters", problems) or {}
    for name, value in roster_data.items():
        try:
            rosters[name] = Calendar.from_dict(value)
        except InvalidCalendar as error:
            problems.extend(
                Problem(f"rosters.{name}.{p.path}" if p.path else f"rosters.{name}", p.message)
                for p in error.problems
            )
    groups = [
        read_group(value, f"groups[{i}]", problems)
        for i, value in enumerate(as_list(mapping.get("groups", []), "groups", problems) or [])
    ]
    agents = [
        read_agent(value, f"agents[{i}]", problems)
        for i, value in enumerate(as_list(mapping.get("agents", []), "agents", problems) or [])
    ]
    if problems:
        return None
    complete_groups = [g for g in groups if g is not None]
    complete_agents = [a for a in agents if a is not None]
    found = _team_problems(rosters, complete_groups, complete_agents)
    if found:
        problems.extend(found)
        return None
    return Team(rosters=rosters, groups=complete_groups, agents=complete_agents)
