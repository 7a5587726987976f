"""Access policies: role-based rules with attribute conditions, answering ``can`` with a reason."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any

import attrs

from itsm_core._plain import (
    as_list,
    as_mapping,
    check_keys,
    enum_set,
    is_text,
    join,
    read_enum,
    shown,
    string_set,
    text,
    texts,
)
from itsm_core.errors import InvalidPolicy, Problem, ValidationError
from itsm_core.kernel import State
from itsm_core.records._actor import Actor
from itsm_core.records._ticket_data import TICKET_FIELDS
from itsm_core.tickets import Ticket

#: Read a ticket (its non-confidential fields).
READ = "read"
#: Read the confidential fields of a ticket (see :attr:`AccessPolicy.confidential_fields`).
READ_CONFIDENTIAL = "read_confidential"
#: Export a ticket (exports are masked by a :class:`~itsm_core.records.MaskingPolicy`).
EXPORT = "export"
#: Write an internal work note (a public comment is the action ``comment``).
WORK_NOTE = "work_note"
#: In a rule, every action.
ANY_ACTION = "*"
#: Ends an action of a rule that grants every action of one kind of record: ``"drill.*"``
#: grants ``drill.read``, ``drill.schedule_drill``... (the actions of an aggregate run by an
#: :class:`~itsm_core.desk.AggregateDesk` are named ``<aggregate>.<command>``).
_ANY_OF_KIND = ".*"

_RULE_KEYS = {"role", "actions", "when", "description"}
_POLICY_KEYS = {"name", "rules", "confidential_fields"}


class Condition(enum.StrEnum):
    """An attribute condition of a rule, about the actor and the ticket (it never holds on
    another kind of record: a drill, a call...)."""

    #: The ticket's assignment group is one of the actor's groups.
    OWN_GROUP = "own_group"
    #: The ticket is assigned to the actor (their own tickets, as a handler).
    ASSIGNED_TO_ACTOR = "assigned_to_actor"
    #: The actor is the ticket's requester (a customer's own tickets).
    REQUESTED_BY_ACTOR = "requested_by_actor"

    def failure(self, actor: Actor, ticket: Ticket | State) -> str | None:
        """Why the condition does not hold, or None when it does."""
        if not isinstance(ticket, Ticket):
            return f"{self.value} applies to tickets, not to {type(ticket).__name__} records"
        if self is Condition.OWN_GROUP:
            if ticket.assignment_group is not None and ticket.assignment_group in actor.groups:
                return None
            groups = ", ".join(sorted(actor.groups)) or "none"
            return f"ticket group {ticket.assignment_group!r} is not one of theirs ({groups})"
        if self is Condition.ASSIGNED_TO_ACTOR:
            if ticket.assignee == actor.id:
                return None
            return f"ticket is assigned to {ticket.assignee!r}, not to them"
        if ticket.requester == actor.id:
            return None
        return f"ticket was requested by {ticket.requester!r}, not by them"


def _conditions(values: Iterable[Condition | str]) -> frozenset[Condition]:
    return enum_set(values, Condition, InvalidPolicy, "for access rule", "when")


def _actions(values: Iterable[str]) -> frozenset[str]:
    return string_set(values, InvalidPolicy, "for access rule", "actions")


def _confidential(values: Iterable[str]) -> frozenset[str]:
    return string_set(values, InvalidPolicy, "for access", "confidential_fields")


@attrs.frozen(kw_only=True)
class AccessRule:
    """Actors in ``role`` may do ``actions`` (``"*"``: all) when every condition of ``when`` holds.

    Actions are ticket event names (``acknowledge``, ``resolve``, a custom workflow event...)
    plus ``read``, ``read_confidential``, ``export`` and ``work_note``; the actions on other
    records are ``<aggregate>.<command>`` and ``<aggregate>.read`` (``drill.schedule_drill``,
    ``activation.read``), and ``"drill.*"`` grants every action on drills.
    """

    role: str
    actions: frozenset[str] = attrs.field(converter=_actions)
    when: frozenset[Condition] = attrs.field(default=frozenset(), converter=_conditions)
    description: str = ""

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        if not is_text(self.role):
            problems.append(Problem("role", "must be a non-empty string"))
        if not self.actions:
            problems.append(Problem("actions", "a rule grants at least one action"))
        problems.extend(
            Problem("actions", f"{shown(action)} is not an action name")
            for action in sorted(self.actions, key=repr)
            if not _is_action(action)
        )
        if problems:
            raise InvalidPolicy(f"for access rule {shown(self.role)}", problems)

    def grants(self, action: str) -> bool:
        """True when the rule names ``action``, all actions, or all actions of its kind.

        >>> rule = AccessRule(role="duty_officer", actions={"drill.*", "read"})
        >>> rule.grants("drill.cancel_drill"), rule.grants("read"), rule.grants("call.read")
        (True, True, False)
        """
        if action in self.actions or ANY_ACTION in self.actions:
            return True
        kind, dot, _ = action.partition(".")
        return bool(dot) and kind + _ANY_OF_KIND in self.actions

    def summary(self) -> str:
        """One line: ``agent: read, resolve when own_group``."""
        actions = ", ".join(sorted(self.actions))
        when = f" when {' and '.join(sorted(self.when))}" if self.when else ""
        return f"{self.role}: {actions}{when}"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-safe data."""
        data: dict[str, Any] = {
            "role": self.role,
            "actions": sorted(self.actions),
            "when": sorted(c.value for c in self.when),
        }
        if self.description:
            data["description"] = self.description
        return data


def _is_action(action: object) -> bool:
    return (
        isinstance(action, str)
        and bool(action)
        and action.strip() == action
        and (" " not in action)
    )


@attrs.frozen(kw_only=True)
class AccessDecision:
    """The answer of :meth:`AccessPolicy.can`: allowed or not, and why.

    ``ticket_id`` is the id of the record asked about (a ticket's id, or the stream id of
    another record); ``rule`` is the index of the granting rule (None when denied).
    """

    allowed: bool
    actor: str
    action: str
    ticket_id: str
    reason: str
    rule: int | None = None


def _rules(values: Iterable[AccessRule]) -> tuple[AccessRule, ...]:
    return tuple(values)


@attrs.frozen(kw_only=True)
class AccessPolicy:
    """Allow rules (anything not granted is denied) and the ticket fields that are confidential.

    >>> import datetime as dt
    >>> from itsm_core.tickets import CommandContext, OpenTicket, TicketKind, decide
    >>> policy = AccessPolicy.from_dict({"name": "desk", "rules": [
    ...     {"role": "customer", "actions": ["read"], "when": ["requested_by_actor"]}]})
    >>> ctx = CommandContext(actor="ana", role="agent", now=dt.datetime(2026, 1, 5, tzinfo=dt.UTC))
    >>> ticket, _ = decide(None, OpenTicket(ticket_id="INC1", kind=TicketKind.INCIDENT,
    ...                                     requester="zhang"), ctx)
    >>> policy.can(Actor(id="zhang", roles={"customer"}), "read", ticket).allowed
    True
    >>> print(policy.can(Actor(id="li", roles={"customer"}), "read", ticket).reason)
    rule 0 (customer: read when requested_by_actor) does not apply: ticket was requested by
    'zhang', not by them
    """

    name: str
    rules: tuple[AccessRule, ...] = attrs.field(converter=_rules)
    confidential_fields: frozenset[str] = attrs.field(
        default=frozenset({"work_notes"}),
        converter=_confidential,
    )

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        if not is_text(self.name):
            problems.append(Problem("name", "must be a non-empty string"))
        problems.extend(
            Problem("confidential_fields", f"{shown(name)} is not a ticket field")
            for name in sorted(self.confidential_fields, key=repr)
            if name not in TICKET_FIELDS
        )
        if "id" in self.confidential_fields:
            problems.append(Problem("confidential_fields", "the ticket id cannot be confidential"))
        if problems:
            raise InvalidPolicy(f"for access {shown(self.name)}", problems)

    @property
    def roles(self) -> tuple[str, ...]:
        """The roles its rules name, sorted: the policy's role vocabulary."""
        return tuple(sorted({rule.role for rule in self.rules}))

    def can(self, actor: Actor, action: str, resource: Ticket | State) -> AccessDecision:
        """May ``actor`` (in any of their roles) do ``action`` on the ticket ``resource``
        (or on another record: any aggregate's state, for the actions named after it)?

        Rules are read in order; the first that names one of the actor's roles and the action,
        and whose conditions all hold, grants it. The reason of a denial lists every rule
        that named the role and action, and the condition that failed.
        """
        if not _is_action(action):
            raise ValidationError(
                "access check", [Problem("action", f"{shown(action)} is not an action name")]
            )
        failures: list[str] = []
        for index, rule in enumerate(self.rules):
            if rule.role not in actor.roles or not rule.grants(action):
                continue
            missing = [
                failure
                for condition in sorted(rule.when)
                if (failure := condition.failure(actor, resource)) is not None
            ]
            if not missing:
                return AccessDecision(
                    allowed=True,
                    actor=actor.id,
                    action=action,
                    ticket_id=resource.stream_id,
                    reason=f"granted by rule {index} ({rule.summary()})",
                    rule=index,
                )
            failures.append(f"rule {index} ({rule.summary()}) does not apply: {'; '.join(missing)}")
        if not failures:
            roles = ", ".join(shown(role) for role in sorted(actor.roles))
            failures.append(f"no rule grants {action!r} to role {roles}")
        return AccessDecision(
            allowed=False,
            actor=actor.id,
            action=action,
            ticket_id=resource.stream_id,
            reason="; ".join(failures),
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-safe data; :meth:`from_dict` reads it back."""
        return {
            "name": self.name,
            "rules": [rule.to_dict() for rule in self.rules],
            "confidential_fields": sorted(self.confidential_fields),
        }

    @classmethod
    def from_dict(cls, data: object) -> AccessPolicy:
        """Build a policy from plain data; :class:`~itsm_core.errors.InvalidPolicy` lists every
        problem with its path."""
        problems: list[Problem] = []
        top = as_mapping(data, "", problems)
        if top is None:
            raise InvalidPolicy("for access", problems)
        check_keys(top, "", (), _POLICY_KEYS, problems)
        name = text(top.get("name"), "name", problems)
        rules: list[AccessRule] = []
        raw_rules = as_list(top.get("rules"), "rules", problems) or []
        for index, raw in enumerate(raw_rules):
            rule = _rule_from(raw, f"rules[{index}]", problems)
            if rule is not None:
                rules.append(rule)
        confidential = (
            texts(top.get("confidential_fields", ["work_notes"]), "confidential_fields", problems)
            or ()
        )
        for position, field in enumerate(confidential):
            if field not in TICKET_FIELDS or field == "id":
                problems.append(
                    Problem(
                        f"confidential_fields[{position}]",
                        (f"{shown(field)} is not a ticket field"),
                    )
                )
        if problems or name is None:
            raise InvalidPolicy(f"for access {shown(name)}" if name else "for access", problems)
        return cls(name=name, rules=rules, confidential_fields=confidential)


def _rule_from(raw: object, path: str, problems: list[Problem]) -> AccessRule | None:
    data = as_mapping(raw, path, problems)
    if data is None:
        return None
    count = len(problems)
    check_keys(data, path, (), _RULE_KEYS, problems)
    role = text(data.get("role"), join(path, "role"), problems)
    actions = texts(data.get("actions"), join(path, "actions"), problems)
    if actions == ():
        problems.append(Problem(join(path, "actions"), "a rule grants at least one action"))
    for index, action in enumerate(actions or ()):
        if not _is_action(action):
            problems.append(
                Problem(f"{path}.actions[{index}]", f"{shown(action)} is not an action name")
            )
    when = as_list(data.get("when", []), join(path, "when"), problems) or []
    conditions = [
        read_enum(raw, Condition, join(join(path, "when"), index), problems)
        for index, raw in enumerate(when)
    ]
    description = data.get("description", "")
    if not isinstance(description, str):
        problems.append(
            Problem(join(path, "description"), f"expected a string, got {shown(description)}")
        )
    if len(problems) > count or role is None or actions is None:
        return None
    assert isinstance(description, str)
    return AccessRule(
        role=role,
        actions=actions,
        when=[c for c in conditions if c is not None],
        description=description,
    )
