"""Teams as data: agents, groups, rosters; who is on duty and when someone qualified will be."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsm_core.calendar import BusinessCalendar, WeeklyPattern, Window
from itsm_core.errors import InvalidRouting, NaiveDatetimeError, ValidationError
from itsm_core.routing import Agent, Group, Requirements, Team, TeamState
from itsm_core.tickets import SupportLevel

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, month: int = 9) -> dt.datetime:
    return dt.datetime(2025, month, day, hour, tzinfo=SHANGHAI)


def ids(agents: tuple[Agent, ...]) -> list[str]:
    return [agent.id for agent in agents]


def test_who_is_on_duty_follows_the_roster_calendars(team: Team) -> None:
    assert ids(team.on_duty(at(29, 10))) == ["ann", "dan", "fei", "gao"]
    assert ids(team.on_duty(at(29, 15))) == ["ann", "bo", "dan", "fei", "gao"]
    # the overnight shift 22:00-06:00 belongs to the day it starts on
    assert ids(team.on_duty(at(30, 3))) == ["cai", "eve"]
    # Sunday 28 September is a make-up working day: the day roster works it
    assert ids(team.on_duty(at(28, 10))) == ["ann", "dan", "fei", "gao", "hui"]
    # National Day: only the night and weekend rosters (no holidays) work
    assert ids(team.on_duty(at(2, 10, month=10))) == []
    assert ids(team.on_duty(at(2, 23, month=10))) == ["cai", "eve"]
    assert ids(team.on_duty(at(29, 10), group="specialists")) == ["dan"]
    with pytest.raises(NaiveDatetimeError):
        team.on_duty(dt.datetime(2025, 9, 29, 10))


def test_next_on_duty_with_a_skill(team: Team) -> None:
    sap = Requirements(skills={"sap": 3})
    # Tuesday 30 September 20:00: dan and fei have gone home; back Thursday 9 October
    found = team.next_on_duty(at(30, 20), requirements=sap)
    assert found is not None
    assert found.at == at(9, 9, month=10)
    assert ids(found.agents) == ["dan", "fei"]
    # at an instant someone qualified is on duty, the answer is that instant
    now = at(29, 10)
    found = team.next_on_duty(now, requirements=sap)
    assert found is not None
    assert found.at == now
    assert str(found) == "2025-09-29T10:00:00+08:00 (dan, fei)"
    assert team.next_on_duty(now, requirements=Requirements(skills={"cobol": 1})) is None


def test_next_on_duty_is_exact(team: Team) -> None:
    # brute force over the minutes of a week: the first minute with a senior agent on duty
    start = at(26, 18, month=9)  # Friday evening before the make-up Sunday
    senior = Requirements(senior=True)
    found = team.next_on_duty(start, requirements=senior)
    assert found is not None
    minute = start
    while not any(team.is_on_duty(a, minute) for a in team.agents if not senior.unmet(a)):
        minute += dt.timedelta(minutes=1)
    assert found.at == minute == at(28, 9)


def test_a_roster_without_working_time_is_never_on_duty() -> None:
    empty = BusinessCalendar(timezone="UTC", weekly=WeeklyPattern.uniform([]))
    team = Team(
        rosters={"none": empty},
        groups=[Group(name="g")],
        agents=[Agent(id="x", roster="none", groups={"g"})],
    )
    assert team.next_on_duty(dt.datetime(2025, 1, 1, tzinfo=dt.UTC)) is None


def test_teams_are_data(team: Team) -> None:
    data = team.to_dict()
    assert Team.from_dict(json.loads(json.dumps(data))) == team


def test_every_problem_of_a_team_is_reported_with_its_path(team: Team) -> None:
    broken = team.to_dict()
    broken["rosters"]["late"]["timezone"] = "Mars/Olympus"
    broken["groups"].append({"name": "help", "level": "l9"})
    broken["agents"][2]["capacity"] = 0
    broken["agents"][3]["skills"] = {"network": 0}
    broken["agents"][5]["colour"] = "blue"
    with pytest.raises(InvalidRouting) as caught:
        Team.from_dict(broken)
    paths = [p.path for p in caught.value.problems]
    assert paths == [
        "rosters.late.timezone",
        "groups[5].level",
        "agents[2].capacity",
        "agents[3].skills.network",
        "agents[5].colour",
    ]


def test_cross_references_are_checked(team: Team) -> None:
    broken = team.to_dict()
    broken["groups"][2]["escalates_to"] = "service-desk"  # engineering (L3) down to L1
    broken["groups"][3]["escalates_to"] = "nowhere"
    broken["groups"].append(dict(broken["groups"][0]))
    broken["agents"][0]["roster"] = "graveyard"
    broken["agents"][1]["groups"] = ["service-desk", "sales"]
    broken["agents"][4]["id"] = "ann"
    with pytest.raises(InvalidRouting) as caught:
        Team.from_dict(broken)
    messages = [str(p) for p in caught.value.problems]
    assert messages == [
        "groups[5].name: duplicate group 'service-desk'",
        "groups[2].escalates_to: 'service-desk' is l1, not above l3",
        "groups[3].escalates_to: unknown group 'nowhere'",
        "agents[0].roster: unknown roster 'graveyard'",
        "agents[1].groups: unknown group 'sales'",
        "agents[4].id: duplicate agent 'ann'",
    ]
    with pytest.raises(InvalidRouting):
        Team.from_dict([])
    with pytest.raises(InvalidRouting, match="missing"):
        Team.from_dict({"rosters": {}})


def test_values_validate_themselves() -> None:
    with pytest.raises(InvalidRouting) as caught:
        Agent(
            id=" ",
            roster="day",
            groups=frozenset(),
            level="l1",  # type: ignore[arg-type]
            senior=1,  # type: ignore[arg-type]
            skills={"x": 0},
            languages="en",
            capacity=0,
        )
    assert [p.path for p in caught.value.problems] == [
        "id",
        "level",
        "senior",
        "languages",
        "groups",
        "skills.x",
        "capacity",
    ]
    with pytest.raises(InvalidRouting) as caught:
        Group(name="g", level="l2", strategy="fifo", escalates_to="g")  # type: ignore[arg-type]
    assert [p.path for p in caught.value.problems] == ["level", "strategy", "escalates_to"]
    always = BusinessCalendar(
        timezone="UTC", weekly=WeeklyPattern.uniform([Window.of("00:00", "24:00")])
    )
    with pytest.raises(InvalidRouting, match="expected a calendar"):
        Team(rosters={"a": "always"}, groups=[], agents=[])
    team = Team(rosters={"a": always}, groups=[Group(name="g")], agents=[])
    assert team.group("g") == Group(name="g")
    assert team.agent("x") is None
    assert team.members("nope") == ()


def test_team_state_is_validated_and_never_goes_below_zero(team: Team) -> None:
    with pytest.raises(ValidationError) as caught:
        TeamState(team=team, loads={"zoe": 1, "ann": -1}, last_assigned={"specialists": "ann"})
    assert [p.path for p in caught.value.problems] == [
        "loads.zoe",
        "loads.ann",
        "last_assigned.specialists",
    ]
    with pytest.raises(ValidationError, match="no open ticket"):
        TeamState(team=team).release("ann")


@given(st.lists(st.sampled_from(["ann", "bo", "cai"]), max_size=20))
def test_assign_then_release_is_the_identity_on_loads(team: Team, picks: list[str]) -> None:
    state = TeamState(team=team)
    for agent in picks:
        state = state.assign(agent, "service-desk")
    assert sum(state.loads.values()) == len(picks)
    for agent in picks:
        state = state.release(agent)
    assert all(count == 0 for count in state.loads.values())
    assert SupportLevel.L1 is team.groups[0].level
