"""Assignment groups: a support tier, how work is shared inside, and where it escalates."""

from __future__ import annotations

import enum

import attrs

from itsm_core._plain import as_mapping, build, check_keys, is_a, is_text, read_enum, shown
from itsm_core.errors import InvalidRouting, Problem
from itsm_core.tickets import SupportLevel


class AssignmentStrategy(enum.StrEnum):
    """How a group picks one agent among those who qualify."""

    LEAST_LOADED = "least_loaded"
    """Fewest open tickets; ties go to the smallest agent id."""
    ROUND_ROBIN = "round_robin"
    """The next agent id after the group's last assignee, in id order, wrapping around."""


@attrs.frozen(kw_only=True)
class Group:
    """An assignment group (a queue): its support tier, its strategy, its escalation target.

    ``escalates_to`` names the group of the next tier that takes a ticket when nobody in this
    one qualifies; the team checks that its level is higher, so escalation always ends.

    >>> Group(name="service-desk", escalates_to="network-l2").level
    <SupportLevel.L1: 'l1'>
    """

    name: str
    level: SupportLevel = SupportLevel.L1
    strategy: AssignmentStrategy = AssignmentStrategy.LEAST_LOADED
    escalates_to: str | None = None

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        if not is_text(self.name):
            problems.append(Problem("name", f"expected a non-blank string, got {shown(self.name)}"))
        if not is_a(self.level, SupportLevel):
            problems.append(Problem("level", f"{shown(self.level)} is not a SupportLevel"))
        if not is_a(self.strategy, AssignmentStrategy):
            problems.append(
                Problem("strategy", f"{shown(self.strategy)} is not an AssignmentStrategy")
            )
        target = self.escalates_to
        if target is not None and not is_text(target):
            problems.append(Problem("escalates_to", f"expected a group name, got {shown(target)}"))
        elif target is not None and target == self.name:
            problems.append(Problem("escalates_to", "a group cannot escalate to itself"))
        if problems:
            raise InvalidRouting(f"group {shown(self.name)}", problems)

    def to_dict(self) -> dict[str, object]:
        """Plain, JSON-safe data (the form ``Team.from_dict`` reads)."""
        return {
            "name": self.name,
            "level": self.level.value,
            "strategy": self.strategy.value,
            "escalates_to": self.escalates_to,
        }


def read_group(value: object, path: str, problems: list[Problem]) -> Group | None:
    """A group from plain data, or None with the problems recorded under ``path``."""
    data = as_mapping(value, path, problems)
    if data is None:
        return None
    before = len(problems)
    check_keys(data, path, ("name",), ("level", "strategy", "escalates_to"), problems)
    level = read_enum(data.get("level", "l1"), SupportLevel, f"{path}.level", problems)
    strategy = read_enum(
        data.get("strategy", "least_loaded"), AssignmentStrategy, f"{path}.strategy", problems
    )
    if len(problems) > before or level is None or strategy is None:
        return None
    target = data.get("escalates_to")
    return build(
        lambda: Group(
            name=data["name"],  # type: ignore[arg-type]
            level=level,
            strategy=strategy,
            escalates_to=target,  # type: ignore[arg-type]
        ),
        InvalidRouting,
        path,
        problems,
    )
