"""Transitions: one named event from some states to one state, with its rules, as data."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any, Generic, TypeVar

import attrs

from itsm_core._checks import frozen_mapping, frozen_set
from itsm_core.workflow._guard import Guard

S = TypeVar("S", bound=enum.Enum)
T = TypeVar("T")


# Typed for the attrs plugin (a generic converter leaves the __init__ argument unsolved).
def _set(values: Iterable[Any]) -> frozenset[Any]:
    return frozen_set(values)


def _tuple(values: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(values)


def _choices(value: Mapping[str, Iterable[str]]) -> Mapping[str, frozenset[str]]:
    return frozen_mapping({key: frozen_set(options) for key, options in value.items()})


@attrs.frozen(kw_only=True)
class Transition(Generic[S, T]):
    """Event ``event`` moves a subject from any of ``sources`` to ``target``.

    Attributes:
        event: the event name, lower_snake_case (``"resolve"``).
        sources: the states the event may fire from.
        target: the state it leads to (may be one of the sources: a self-loop).
        required_fields: input fields that must be supplied, non-empty (``"resolution_code"``).
        field_choices: for some fields, the only values accepted.
        roles: roles allowed to fire the event; empty means any role.
        guards: "may I?" rules over the context, all evaluated, every refusal reported.
        description: one line for the rendered table.

    >>> import enum
    >>> class Door(enum.StrEnum):
    ...     OPEN = "open"
    ...     SHUT = "shut"
    >>> t = Transition(event="close", sources={Door.OPEN}, target=Door.SHUT, roles={"porter"})
    >>> sorted(t.roles), t.target.value
    (['porter'], 'shut')
    """

    event: str
    sources: frozenset[S] = attrs.field(converter=_set)
    target: S
    required_fields: frozenset[str] = attrs.field(default=frozenset(), converter=_set)
    # A mapping is compared, not hashed (the hash uses the other fields).
    field_choices: Mapping[str, frozenset[str]] = attrs.field(
        factory=dict, converter=_choices, hash=False
    )
    roles: frozenset[str] = attrs.field(default=frozenset(), converter=_set)
    guards: tuple[Guard[T], ...] = attrs.field(default=(), converter=_tuple)
    description: str = ""

    @property
    def guard_names(self) -> tuple[str, ...]:
        """The names of the guards, in evaluation order."""
        return tuple(guard.name for guard in self.guards)
