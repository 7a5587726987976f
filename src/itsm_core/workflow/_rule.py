"""A transition compiled once, when its workflow is built, into what a check reads.

:meth:`Workflow.check` asks the same questions of a transition on every attempt: is the role
allowed, does every guard allow, is every required field supplied and every constrained field
one of its choices. A :class:`Rule` holds the answers' ingredients ready (the roles listed for
the message, the fields in message order, the verdict of an allowed attempt), so a check is a
few lookups, and an attempt on a transition without guards needs no
:class:`~itsm_core.workflow.GuardContext` at all.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any, Generic, TypeVar

import attrs

from itsm_core.workflow._guard import Guard, GuardContext
from itsm_core.workflow._transition import Transition
from itsm_core.workflow._verdict import Verdict

S = TypeVar("S", bound=enum.Enum)
T = TypeVar("T")


def supplied(value: object) -> bool:
    """True when an input field has a value (not None, nor empty text or list)."""
    return value is not None and value != "" and value != () and value != []


@attrs.frozen
class Rule(Generic[S, T]):
    """A transition and what checking an attempt on it reads, worked out once."""

    transition: Transition[S, T]
    event: str
    roles: frozenset[str]
    #: The allowed roles as the refusal lists them.
    listed_roles: str
    guards: tuple[Guard[T], ...]
    #: The required fields, in the order their problems are reported.
    required: tuple[str, ...]
    #: ``(field, choices, choices as listed)``, in the order their problems are reported.
    choices: tuple[tuple[str, frozenset[str], str], ...]
    #: The verdict of an attempt that nothing refuses (a frozen value, shared).
    allowed: Verdict

    @classmethod
    def of(cls, transition: Transition[S, T]) -> Rule[S, T]:
        return cls(
            transition=transition,
            event=transition.event,
            roles=transition.roles,
            listed_roles=", ".join(sorted(transition.roles)),
            guards=transition.guards,
            required=tuple(sorted(transition.required_fields)),
            choices=tuple(
                (name, options, ", ".join(sorted(options)))
                for name, options in sorted(transition.field_choices.items())
            ),
            allowed=Verdict(event=transition.event, target=str(transition.target.value)),
        )

    def verdict(
        self, role: str, fields: Mapping[str, Any], context: GuardContext[T] | None
    ) -> Verdict:
        """The verdict for an attempt by ``role`` with ``fields``; ``context`` is needed (and
        read) only when the transition has guards."""
        refusals: list[str] = []
        if self.roles and role not in self.roles:
            refusals.append(
                f"role {role!r} may not fire {self.event!r} (allowed: {self.listed_roles})"
            )
        if self.guards:
            assert context is not None  # the workflow builds one for a transition with guards
            for guard in self.guards:
                reason = guard(context)
                if reason is not None:
                    refusals.append(f"{guard.name}: {reason}")
        invalid: list[str] = [
            f"field {name!r} is required to {self.event}"
            for name in self.required
            if not supplied(fields.get(name))
        ]
        for name, options, listed in self.choices:
            value = fields.get(name)
            if supplied(value) and value not in options:
                invalid.append(f"field {name!r} is {value!r}, not one of: {listed}")
        if not refusals and not invalid:
            return self.allowed
        return attrs.evolve(self.allowed, invalid_input=tuple(invalid), refusals=tuple(refusals))
