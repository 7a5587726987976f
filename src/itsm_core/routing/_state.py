"""The team's state at a moment: open tickets per agent and each group's round-robin position."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from itsm_core._checks import frozen_mapping, is_int
from itsm_core._plain import shown
from itsm_core.errors import Problem, ValidationError
from itsm_core.routing._team import Team


@attrs.frozen(kw_only=True)
class TeamState:
    """A team and its load: ``loads`` (open tickets per agent id, absent means 0) and
    ``last_assigned`` (per group, the agent who got its last ticket, for round-robin).

    Frozen: :meth:`assign` and :meth:`release` return a new state. Routing reads it and never
    changes it, so the same state, ticket and instant always give the same decision.

    >>> from itsm_core.routing import Agent, Group, Team
    >>> from itsm_core.calendar import BusinessCalendar, Window, WeeklyPattern
    >>> always = BusinessCalendar(timezone="UTC",
    ...                           weekly=WeeklyPattern.uniform([Window.of("00:00", "24:00")]))
    >>> team = Team(rosters={"24x7": always}, groups=[Group(name="desk")],
    ...             agents=[Agent(id="ann", roster="24x7", groups={"desk"}, capacity=2)])
    >>> state = TeamState(team=team).assign("ann", "desk")
    >>> state.load("ann"), state.last_assigned["desk"], state.release("ann").load("ann")
    (1, 'ann', 0)
    """

    team: Team
    loads: Mapping[str, int] = attrs.field(factory=dict, converter=frozen_mapping)
    last_assigned: Mapping[str, str] = attrs.field(factory=dict, converter=frozen_mapping)

    def __attrs_post_init__(self) -> None:
        problems = [
            Problem(
                f"loads.{agent_id}", f"expected a count >= 0 of a known agent, got {shown(count)}"
            )
            for agent_id, count in self.loads.items()
            if not (is_int(count) and count >= 0 and self.team.agent(agent_id) is not None)
        ]
        for group, agent_id in self.last_assigned.items():
            if agent_id not in {a.id for a in self.team.members(group)}:
                problems.append(
                    Problem(
                        f"last_assigned.{group}",
                        f"{shown(agent_id)} is not a member of {shown(group)}",
                    )
                )
        if problems:
            raise ValidationError("team state", problems)

    def load(self, agent_id: str) -> int:
        """The agent's open tickets (0 for an agent without any).

        Raises:
            ValidationError: when ``agent_id`` is not text.
        """
        if not isinstance(agent_id, str):
            raise ValidationError(
                "team state", [Problem("agent_id", f"expected text, got {shown(agent_id)}")]
            )
        return self.loads.get(agent_id, 0)

    def assign(self, agent_id: str, group: str) -> TeamState:
        """The state after ``agent_id`` takes one more ticket in ``group``."""
        loads = dict(self.loads)
        loads[agent_id] = loads.get(agent_id, 0) + 1
        last = dict(self.last_assigned)
        last[group] = agent_id
        return TeamState(team=self.team, loads=loads, last_assigned=last)

    def release(self, agent_id: str) -> TeamState:
        """The state after ``agent_id`` closes (or hands over) one ticket; never below zero."""
        if self.load(agent_id) == 0:
            raise ValidationError(
                "team state", [Problem(f"loads.{agent_id}", "has no open ticket to release")]
            )
        loads = dict(self.loads)
        loads[agent_id] -= 1
        return attrs.evolve(self, loads=loads)
