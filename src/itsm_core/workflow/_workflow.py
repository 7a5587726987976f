"""The declarative workflow: states, categories, transitions; validated; queried without effects."""

from __future__ import annotations

import datetime as dt
import enum
import re
import types
from collections import deque
from collections.abc import Iterable, Mapping
from typing import Any, Generic, TypeVar, cast

import attrs

from itsm_core._checks import frozen_mapping, frozen_set, is_aware
from itsm_core._plain import shown
from itsm_core.errors import InvalidWorkflowDefinition, Problem, ValidationError
from itsm_core.workflow._category import StatusCategory
from itsm_core.workflow._guard import GuardContext
from itsm_core.workflow._rule import Rule
from itsm_core.workflow._transition import Transition
from itsm_core.workflow._verdict import Verdict

S = TypeVar("S", bound=enum.Enum)
T = TypeVar("T")

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


# Typed for the attrs plugin (a generic converter leaves the __init__ argument unsolved).
def _states(value: Mapping[Any, StatusCategory]) -> Mapping[Any, StatusCategory]:
    return frozen_mapping(value)


def _states_set(values: Iterable[Any]) -> frozenset[Any]:
    return frozen_set(values)


def _tuple(values: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(values)


def _final_states(self: Workflow[Any, Any]) -> frozenset[Any]:
    return frozenset(state for state, category in self.states.items() if category.is_final)


#: No input fields: the default of :meth:`Workflow.check_attempt` (read-only, shared).
_NO_FIELDS: Mapping[str, Any] = types.MappingProxyType({})


@attrs.frozen(kw_only=True)
class Workflow(Generic[S, T]):
    """A state machine as data: enum states in status categories, transitions, terminal states.

    ``S`` is the state enum (its values are the state names used in events and storage), ``T``
    the subject the guards look at (a ticket, a change request...). The definition is checked
    when built; every problem is reported in one
    :class:`~itsm_core.errors.InvalidWorkflowDefinition`: unknown states, unreachable states,
    non-terminal states without a way out, terminal states with one, and the same event
    declared twice from one state.

    ``terminal`` defaults to the states whose category is closed or cancelled.

    Two workflows are equal when every field is: name, states and their categories, initial
    state, transitions (with their guards) and terminal states.

    >>> import datetime as dt, enum
    >>> class Door(enum.StrEnum):
    ...     OPEN = "open"
    ...     SHUT = "shut"
    ...     GONE = "gone"
    >>> door = Workflow(
    ...     name="door",
    ...     states={Door.OPEN: StatusCategory.OPEN, Door.SHUT: StatusCategory.ON_HOLD,
    ...             Door.GONE: StatusCategory.CLOSED},
    ...     initial=Door.OPEN,
    ...     transitions=[
    ...         Transition(event="shut", sources={Door.OPEN}, target=Door.SHUT),
    ...         Transition(event="open", sources={Door.SHUT}, target=Door.OPEN),
    ...         Transition(event="remove", sources={Door.OPEN, Door.SHUT}, target=Door.GONE,
    ...                    roles={"builder"}),
    ...     ],
    ... )
    >>> ctx = GuardContext(subject=None, actor="ana", role="porter",
    ...                    now=dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC))
    >>> door.allowed_events(Door.OPEN, ctx)
    ('shut',)
    >>> door.check(Door.OPEN, "remove", ctx).reasons
    ("role 'porter' may not fire 'remove' (allowed: builder)",)
    """

    name: str
    # A mapping is compared, not hashed (the hash uses the other fields, which equal workflows
    # share too).
    states: Mapping[S, StatusCategory] = attrs.field(converter=_states, hash=False)
    initial: S
    transitions: tuple[Transition[S, T], ...] = attrs.field(converter=_tuple)
    terminal: frozenset[S] = attrs.field(
        default=attrs.Factory(_final_states, takes_self=True), converter=_states_set
    )
    # Lookups derived from the fields above, so equal workflows have equal lookups: the
    # transition from a state by an event, compiled once for checking attempts (``_rule``).
    _index: Mapping[tuple[S, str], Rule[S, T]] = attrs.field(init=False, eq=False, repr=False)
    _by_value: Mapping[str, S] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        problems = _validate(self)
        if problems:
            raise InvalidWorkflowDefinition(repr(self.name), problems)
        index = {
            (source, rule.transition.event): rule
            for rule in map(Rule.of, self.transitions)
            for source in rule.transition.sources
        }
        object.__setattr__(self, "_index", types.MappingProxyType(index))
        by_value = {str(state.value): state for state in self.states}
        object.__setattr__(self, "_by_value", types.MappingProxyType(by_value))

    # -- structure -------------------------------------------------------------------------

    @property
    def state_type(self) -> type[S]:
        """The enum class of the states."""
        return type(self.initial)

    @property
    def events(self) -> tuple[str, ...]:
        """Every event name, in declaration order, once each."""
        return tuple(dict.fromkeys(t.event for t in self.transitions))

    def category(self, state: S) -> StatusCategory:
        """The status category of ``state``."""
        return self.states[state]

    def is_terminal(self, state: S) -> bool:
        """True when no transition leaves ``state``."""
        return state in self.terminal

    def state_named(self, value: str) -> S:
        """The state whose enum value is ``value``; ValidationError if there is none.

        >>> from itsm_core.tickets import BUILTIN_WORKFLOWS
        >>> INCIDENT_WORKFLOW = BUILTIN_WORKFLOWS.get("incident")
        >>> INCIDENT_WORKFLOW.state_named("on_hold").name
        'ON_HOLD'
        """
        try:
            return self._by_value[value]
        except KeyError:
            known = ", ".join(self._by_value)
            raise ValidationError(
                f"state of workflow {self.name!r}",
                [Problem("state", f"unknown state {value!r} (known: {known})")],
            ) from None

    def transition(self, state: S, event: str) -> Transition[S, T] | None:
        """The transition for ``event`` from ``state``, or None."""
        rule = self._index.get((state, event))
        return None if rule is None else rule.transition

    def events_from(self, state: S) -> tuple[str, ...]:
        """The events declared from ``state``, whoever asks and whenever."""
        return tuple(t.event for t in self.transitions if state in t.sources)

    # -- queries ---------------------------------------------------------------------------

    def check(self, state: S, event: str, context: GuardContext[T]) -> Verdict:
        """Whether ``event`` may fire from ``state`` in ``context``, with every reason if not.

        Evaluates, and reports together: the transition exists, the role is allowed, every guard
        (refusals); each required field is supplied and each constrained field is one of its
        choices (invalid input).
        """
        rule = self._index.get((state, event))
        if rule is None:
            allowed = ", ".join(self.events_from(state)) or "none (terminal state)"
            return Verdict(
                event=event,
                refusals=(
                    f"no transition {event!r} from state {state.value!r} "
                    f"in workflow {self.name!r} (allowed: {allowed})",
                ),
            )
        return rule.verdict(context.role, context.fields, context)

    def check_attempt(
        self,
        state: S,
        event: str,
        *,
        subject: T,
        actor: str,
        role: str,
        now: dt.datetime,
        fields: Mapping[str, Any] = _NO_FIELDS,
    ) -> Verdict:
        """:meth:`check` for an attempt given by its parts (who, when, with which fields):
        the same verdict, and the same errors for a bad part, but the
        :class:`~itsm_core.workflow.GuardContext` is built only when a guard of the transition
        reads it. For callers that check many attempts, such as a ticket's ``decide``.

        >>> import enum
        >>> class Door(enum.StrEnum):
        ...     OPEN = "open"
        ...     SHUT = "shut"
        >>> door = Workflow(
        ...     name="door",
        ...     states={Door.OPEN: StatusCategory.OPEN, Door.SHUT: StatusCategory.CLOSED},
        ...     initial=Door.OPEN,
        ...     transitions=[Transition(event="shut", sources={Door.OPEN}, target=Door.SHUT,
        ...                             required_fields={"reason"})],
        ... )
        >>> door.check_attempt(Door.OPEN, "shut", subject=None, actor="ana", role="porter",
        ...                    now=dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)).reasons
        ("field 'reason' is required to shut",)
        """
        rule = self._index.get((state, event))
        if (
            rule is None
            or rule.guards
            or type(fields) not in (dict, types.MappingProxyType)
            or not (type(actor) is str and actor and type(role) is str and role)
            or not (isinstance(cast(object, now), dt.datetime) and is_aware(now))
        ):
            # The context checks every part and raises for a bad one, as check's caller does.
            context = GuardContext(subject=subject, actor=actor, role=role, now=now, fields=fields)
            return self.check(state, event, context)
        return rule.verdict(role, fields, None)

    def allowed_events(self, state: S, context: GuardContext[T]) -> tuple[str, ...]:
        """The events this actor, role and instant may fire from ``state``.

        Input fields are not judged here (the caller has not supplied them yet): an event is
        listed when its role and guards allow it.
        """
        return tuple(
            event
            for event in self.events_from(state)
            if not self.check(state, event, context).refusals
        )

    # -- data ------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The workflow as plain JSON-safe data (states by value, guards by name), the format
        :func:`workflow_from_dict` reads back.

        >>> from itsm_core.tickets import BUILTIN_WORKFLOWS
        >>> INCIDENT_WORKFLOW = BUILTIN_WORKFLOWS.get("incident")
        >>> data = INCIDENT_WORKFLOW.to_dict()
        >>> data["initial"], data["states"]["on_hold"], data["terminal"]
        ('new', 'on_hold', ['cancelled', 'closed'])
        """
        from itsm_core.workflow._data import workflow_to_dict

        return workflow_to_dict(self)


def _validate(workflow: Workflow[Any, Any]) -> list[Problem]:
    problems: list[Problem] = []
    if not _NAME.match(workflow.name):
        problems.append(Problem("name", f"{workflow.name!r} is not a lower_snake_case name"))
    states = workflow.states
    if not states:
        problems.append(Problem("states", "a workflow needs at least one state"))
    enum_types = {type(state) for state in states}
    if len(enum_types) > 1:
        names = ", ".join(sorted(t.__name__ for t in enum_types))
        problems.append(Problem("states", f"states come from several enums: {names}"))
    for state, category in states.items():
        state = cast(Any, state)  # data may not match the annotations: check it all
        where = f"states.{state.name if isinstance(state, enum.Enum) else shown(state)}"
        if not isinstance(state, enum.Enum):
            problems.append(Problem(where, f"{shown(state)} is not an enum member"))
        elif not isinstance(state.value, str) or not _NAME.match(state.value):
            problems.append(
                Problem(where, f"value {shown(state.value)} is not a lower_snake_case str")
            )
        if not isinstance(cast(object, category), StatusCategory):
            problems.append(Problem(where, f"category {shown(category)} is not a StatusCategory"))
    if workflow.initial not in states:
        problems.append(Problem("initial", f"unknown state {_label(workflow.initial)}"))
    problems.extend(
        Problem("terminal", f"unknown state {_label(state)}")
        for state in sorted(workflow.terminal - set(states), key=_label)
    )
    seen: dict[tuple[Any, str], int] = {}
    for i, transition in enumerate(workflow.transitions):
        problems.extend(_validate_transition(i, transition, workflow, seen))
    if not problems:
        problems.extend(_validate_graph(workflow))
    return problems


def _validate_transition(
    i: int, transition: Transition[Any, Any], workflow: Workflow[Any, Any], seen: dict[Any, int]
) -> list[Problem]:
    where = f"transitions[{i}]"
    problems: list[Problem] = []
    states = workflow.states
    if not _NAME.match(transition.event):
        problems.append(Problem(f"{where}.event", f"{transition.event!r} is not lower_snake_case"))
    if not transition.sources:
        problems.append(Problem(f"{where}.sources", "no source state"))
    for source in sorted(transition.sources, key=_label):
        if source not in states:
            problems.append(Problem(f"{where}.sources", f"unknown state {_label(source)}"))
        elif source in workflow.terminal:
            problems.append(
                Problem(f"{where}.sources", f"terminal state {_label(source)} has a way out")
            )
        key = (source, transition.event)
        if key in seen:
            problems.append(
                Problem(
                    f"{where}.event",
                    f"event {transition.event!r} from state {_label(source)} is already "
                    f"declared by transitions[{seen[key]}]",
                )
            )
        else:
            seen[key] = i
    if transition.target not in states:
        problems.append(Problem(f"{where}.target", f"unknown state {_label(transition.target)}"))
    problems.extend(
        Problem(f"{where}.fields", f"{name!r} is not a lower_snake_case name")
        for name in sorted(transition.required_fields | set(transition.field_choices))
        if not _NAME.match(name)
    )
    for name, options in sorted(transition.field_choices.items()):
        if not options:
            problems.append(Problem(f"{where}.field_choices.{name}", "no choice given"))
    if any(not role for role in transition.roles):
        problems.append(Problem(f"{where}.roles", "empty role name"))
    names = transition.guard_names
    problems.extend(
        Problem(f"{where}.guards", f"guard {name!r} listed twice")
        for name in sorted({n for n in names if names.count(n) > 1})
    )
    return problems


def _validate_graph(workflow: Workflow[Any, Any]) -> list[Problem]:
    outgoing: dict[Any, set[Any]] = {state: set() for state in workflow.states}
    for transition in workflow.transitions:
        for source in transition.sources:
            outgoing[source].add(transition.target)
    reached = {workflow.initial}
    queue: deque[Any] = deque([workflow.initial])
    while queue:
        for target in outgoing[queue.popleft()]:
            if target not in reached:
                reached.add(target)
                queue.append(target)
    problems = [
        Problem(
            f"states.{state.name}", f"unreachable from the initial state {_label(workflow.initial)}"
        )
        for state in workflow.states
        if state not in reached
    ]
    problems.extend(
        Problem(f"states.{state.name}", "not terminal but no transition leaves it (dead end)")
        for state in workflow.states
        if state not in workflow.terminal and not outgoing[state] - {state}
    )
    return problems


def _label(state: object) -> str:
    return shown(state.value) if isinstance(state, enum.Enum) else shown(state)
