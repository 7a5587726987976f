"""Who asks: an actor's id, roles and groups (the attributes access rules look at)."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from itsm_core._plain import is_text, shown, string_set
from itsm_core.errors import Problem, ValidationError


def _roles(values: Iterable[str]) -> frozenset[str]:
    return string_set(values, ValidationError, "actor", "roles")


def _groups(values: Iterable[str]) -> frozenset[str]:
    return string_set(values, ValidationError, "actor", "groups")


@attrs.frozen(kw_only=True)
class Actor:
    """A person or a system acting on tickets.

    ``id`` is what tickets record (``assignee``, ``requester``, event ``actor``); ``roles`` are
    the roles they hold (``agent``, ``customer``...); ``groups`` the assignment groups they
    belong to.

    >>> Actor(id="ana", roles={"agent"}, groups={"service-desk"}).roles
    frozenset({'agent'})
    """

    id: str
    roles: frozenset[str] = attrs.field(converter=_roles)
    groups: frozenset[str] = attrs.field(default=frozenset(), converter=_groups)

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        if not is_text(self.id):
            problems.append(Problem("id", "must be a non-empty string"))
        if not self.roles:
            problems.append(Problem("roles", "an actor holds at least one role"))
        problems.extend(
            Problem(name, f"{shown(value)} is not a non-empty string")
            for name in ("roles", "groups")
            for value in sorted(getattr(self, name), key=repr)
            if not is_text(value)
        )
        if problems:
            raise ValidationError(f"actor {shown(self.id)}", problems)

    def acting_as(self, role: str) -> Actor:
        """The same actor restricted to one of their roles (the role of a command context)."""
        if role not in self.roles:
            raise ValidationError(
                f"actor {shown(self.id)}",
                [
                    Problem(
                        "roles", (f"does not hold role {shown(role)} (holds {sorted(self.roles)})")
                    )
                ],
            )
        return attrs.evolve(self, roles=frozenset({role}))
