"""What an agent must have to take a ticket: skills at levels, a language, seniority."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from itsm_core._checks import frozen_mapping
from itsm_core.routing._agents import Agent


@attrs.frozen(kw_only=True)
class Requirements:
    """The static qualifications a ticket asks of an agent (duty and load are checked apart).

    >>> needs = Requirements(skills={"network": 2}, language="en")
    >>> needs.unmet(Agent(id="bo", roster="day", groups={"desk"}, skills={"network": 1}))
    ['network level 1 < 2', "does not speak 'en'"]
    >>> str(needs)
    "skills network>=2, language 'en'"
    """

    skills: Mapping[str, int] = attrs.field(factory=dict, converter=frozen_mapping)
    language: str | None = None
    senior: bool = False

    def unmet(self, agent: Agent) -> list[str]:
        """Why ``agent`` does not qualify, one line per requirement missed (empty: qualifies)."""
        missing = [
            f"{skill} level {agent.skill_level(skill)} < {level}"
            for skill, level in sorted(self.skills.items())
            if agent.skill_level(skill) < level
        ]
        if self.language is not None and self.language not in agent.languages:
            missing.append(f"does not speak {self.language!r}")
        if self.senior and not agent.senior:
            missing.append("not a senior agent")
        return missing

    def __str__(self) -> str:
        parts = []
        if self.skills:
            listed = ", ".join(f"{k}>={v}" for k, v in sorted(self.skills.items()))
            parts.append(f"skills {listed}")
        if self.language is not None:
            parts.append(f"language {self.language!r}")
        if self.senior:
            parts.append("senior")
        return ", ".join(parts) or "none"
