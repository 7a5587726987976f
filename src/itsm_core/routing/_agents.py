"""Agents: who they are, what they know, which groups they sit in, how much they can carry."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from itsm_core._checks import frozen_mapping, is_int
from itsm_core._plain import (
    as_mapping,
    build,
    check_keys,
    is_a,
    is_text,
    join,
    read_enum,
    shown,
    texts,
)
from itsm_core.errors import InvalidRouting, Problem
from itsm_core.tickets import SupportLevel


def _names(value: Iterable[str]) -> frozenset[str]:
    # a bare string would become a set of letters: keep it whole so validation refuses it
    return value if isinstance(value, str) else frozenset(value)  # type: ignore[return-value]


@attrs.frozen(kw_only=True)
class Agent:
    """One agent: skills with levels, languages, support tier, groups, capacity and roster.

    * ``skills`` maps a skill name to a level (an integer, higher is more expert);
    * ``languages`` the languages the agent works in (any codes, e.g. ``"zh"``, ``"en"``);
    * ``level`` the support tier (L1, L2, L3) and ``senior`` whether VIP and major cases may go
      to them;
    * ``groups`` the assignment groups the agent belongs to;
    * ``capacity`` how many open tickets the agent carries at once (at least 1);
    * ``roster`` the name of the team's duty roster (a business calendar of shifts) the agent
      works to.

    >>> alice = Agent(id="alice", skills={"network": 3}, languages={"zh", "en"},
    ...               groups={"service-desk"}, capacity=5, roster="day")
    >>> alice.skill_level("network"), alice.skill_level("sap")
    (3, 0)
    """

    id: str
    roster: str
    groups: frozenset[str] = attrs.field(converter=_names)
    name: str = ""
    level: SupportLevel = SupportLevel.L1
    senior: bool = False
    skills: Mapping[str, int] = attrs.field(factory=dict, converter=frozen_mapping)
    languages: frozenset[str] = attrs.field(default=frozenset(), converter=_names)
    capacity: int = 1

    def __attrs_post_init__(self) -> None:
        problems = _agent_problems(self)
        if problems:
            raise InvalidRouting(f"agent {shown(self.id)}", problems)

    def skill_level(self, skill: str) -> int:
        """The agent's level in ``skill``, 0 when they do not have it."""
        return self.skills.get(skill, 0)

    def to_dict(self) -> dict[str, object]:
        """Plain, JSON-safe data (the form ``Team.from_dict`` reads)."""
        return {
            "id": self.id,
            "name": self.name,
            "level": self.level.value,
            "senior": self.senior,
            "skills": dict(sorted(self.skills.items())),
            "languages": sorted(self.languages),
            "groups": sorted(self.groups),
            "capacity": self.capacity,
            "roster": self.roster,
        }


def _agent_problems(agent: Agent) -> list[Problem]:
    problems = [
        Problem(name, f"expected a non-blank string, got {shown(getattr(agent, name))}")
        for name in ("id", "roster")
        if not is_text(getattr(agent, name))
    ]
    if not is_a(agent.name, str):
        problems.append(Problem("name", f"expected a string, got {shown(agent.name)}"))
    if not is_a(agent.level, SupportLevel):
        problems.append(Problem("level", f"{shown(agent.level)} is not a SupportLevel"))
    if not is_a(agent.senior, bool):
        problems.append(Problem("senior", f"expected true or false, got {shown(agent.senior)}"))
    for field in ("groups", "languages"):
        values = getattr(agent, field)
        if not is_a(values, frozenset) or not all(is_text(v) for v in values):
            problems.append(
                Problem(field, f"expected a set of non-blank strings, got {shown(values)}")
            )
    if not agent.groups:
        problems.append(Problem("groups", "an agent belongs to at least one group"))
    problems.extend(skill_problems(agent.skills))
    if not (is_int(agent.capacity) and agent.capacity >= 1):
        problems.append(
            Problem("capacity", f"expected an integer >= 1, got {shown(agent.capacity)}")
        )
    return problems


def skill_problems(skills: Mapping[str, int]) -> list[Problem]:
    """A problem for each skill that is not a non-blank name with a level >= 1."""
    return [
        Problem(f"skills.{skill}", f"expected a level >= 1, got {shown(level)}")
        for skill, level in skills.items()
        if not (is_text(skill) and is_int(level) and level >= 1)
    ]


def read_skills(value: object, path: str, problems: list[Problem]) -> dict[str, int] | None:
    """Skill names mapped to integer levels ``>= 1`` (None and problems when malformed)."""
    data = as_mapping(value, path, problems)
    if data is None:
        return None
    before = len(problems)
    for key, level in data.items():
        if not is_text(key):
            problems.append(Problem(join(path, key), "expected a non-blank name"))
        if not (is_int(level) and level >= 1):
            problems.append(
                Problem(join(path, key), f"expected an integer >= 1, got {shown(level)}")
            )
    if len(problems) > before:
        return None
    return {key: level for key, level in data.items() if is_int(level)}


_OPTIONAL = ("name", "level", "senior", "skills", "languages", "capacity")


def read_agent(value: object, path: str, problems: list[Problem]) -> Agent | None:
    """An agent from plain data, or None with the problems recorded under ``path``."""
    data = as_mapping(value, path, problems)
    if data is None:
        return None
    before = len(problems)
    check_keys(data, path, ("id", "roster", "groups"), _OPTIONAL, problems)
    level = read_enum(data.get("level", "l1"), SupportLevel, f"{path}.level", problems)
    skills = read_skills(data.get("skills", {}), f"{path}.skills", problems)
    languages = texts(data.get("languages", []), f"{path}.languages", problems)
    groups = texts(data.get("groups", []), f"{path}.groups", problems)
    if len(problems) > before or level is None or skills is None:
        return None
    return build(
        lambda: Agent(
            id=data["id"],  # type: ignore[arg-type]
            roster=data["roster"],  # type: ignore[arg-type]
            groups=groups or frozenset(),
            name=data.get("name", ""),  # type: ignore[arg-type]
            level=level,
            senior=data.get("senior", False),  # type: ignore[arg-type]
            skills=skills,
            languages=languages or frozenset(),
            capacity=data.get("capacity", 1),  # type: ignore[arg-type]
        ),
        InvalidRouting,
        path,
        problems,
    )
