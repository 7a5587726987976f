"""Follow-up policies as data: which resolved tickets are followed up, how many business days
after their resolution, how often the desk tries, and by which channel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import attrs

from itsm_core._checks import is_int
from itsm_core._plain import (
    as_list,
    as_mapping,
    build,
    check_keys,
    is_a,
    is_text,
    join,
    read_enum,
    shown,
)
from itsm_core.calendar import BusinessTime
from itsm_core.customers._followup import DissatisfiedAction, ScheduleFollowUp
from itsm_core.errors import InvalidPolicy, Problem, ValidationError
from itsm_core.priority import DEFAULT_TIERS, TierVocabulary
from itsm_core.tickets import RESPONSE_LEVELS, Channel, ComplaintType, Ticket, TicketKind

_SETS = ("kinds", "tiers", "complaint_types", "response_levels")
_ENUMS: dict[str, type[Any]] = {
    "kinds": TicketKind,
    "complaint_types": ComplaintType,
    "channel": Channel,
    "on_dissatisfied": DissatisfiedAction,
}


def _set(value: Iterable[Any] | None) -> frozenset[Any] | None:
    if value is None or isinstance(value, str) or not isinstance(value, Iterable):
        return value  # type: ignore[return-value]  # refused by the checks
    try:
        return frozenset(value)
    except TypeError:  # members that cannot be in a set (lists, mappings): refused by the checks
        return value  # type: ignore[return-value]


def _members(kind: type[Any]) -> Any:
    """A converter: a set whose values (members of ``kind`` or their values) become members;
    anything else kept as given, for the checks to refuse."""

    def convert(value: Any) -> Any:
        found = _set(value)
        if not isinstance(found, frozenset):
            return found
        return frozenset(_member(kind)(item) for item in found)

    return convert


def _member(kind: type[Any]) -> Any:
    def convert(value: Any) -> Any:
        for member in kind:
            if value is member or (isinstance(value, str) and member.value == value):
                return member
        return value

    return convert


def _kinds(value: Any) -> Any:
    return _members(TicketKind)(value)


def _complaint_types(value: Any) -> Any:
    return _members(ComplaintType)(value)


def _channel(value: Any) -> Any:
    return _member(Channel)(value)


def _on_dissatisfied(value: Any) -> Any:
    return _member(DissatisfiedAction)(value)


@attrs.frozen(kw_only=True)
class FollowUpPolicy:
    """Follow up the resolved tickets that match every condition given (a condition left None
    matches any ticket): ``kinds``, customer ``tiers`` (names of the policies' tier vocabulary),
    ``complaint_types`` and ``response_levels`` (1 major .. 3 general, the complaint's level).

    The follow-up is due ``business_days`` working days after the resolution on the customer's
    calendar (the same working position that many working days later; 0: at the resolution),
    by ``channel``; after ``max_attempts`` attempts without reaching the customer it ends
    unreachable. A dissatisfied customer's ticket is reopened or gets a complaint
    (``on_dissatisfied``).

    >>> FollowUpPolicy(name="complaints", kinds={"complaint"}, business_days=1).conditions()
    "kind in {'complaint'}"
    """

    name: str
    kinds: frozenset[TicketKind] | None = attrs.field(default=None, converter=_kinds)
    tiers: frozenset[str] | None = attrs.field(default=None, converter=_set)
    complaint_types: frozenset[ComplaintType] | None = attrs.field(
        default=None, converter=_complaint_types
    )
    response_levels: frozenset[int] | None = attrs.field(default=None, converter=_set)
    business_days: int = 1
    max_attempts: int = 3
    channel: Channel = attrs.field(default=Channel.PHONE, converter=_channel)
    on_dissatisfied: DissatisfiedAction = attrs.field(
        default=DissatisfiedAction.REOPEN, converter=_on_dissatisfied
    )

    def __attrs_post_init__(self) -> None:
        problems = _policy_problems(self)
        if problems:
            raise InvalidPolicy(f"follow-up {shown(self.name)}", problems)

    def matches(self, ticket: Ticket) -> bool:
        """True when ``ticket`` meets every condition (its tier read as recorded)."""
        facts = (
            (ticket.kind, self.kinds),
            (ticket.customer_tier, self.tiers),
            (ticket.complaint_type, self.complaint_types),
            (ticket.response_level, self.response_levels),
        )
        return all(allowed is None or value in allowed for value, allowed in facts)

    def due_at(self, resolved_at: dt.datetime, calendar: BusinessTime) -> dt.datetime:
        """When the follow-up of a ticket resolved at ``resolved_at`` is due on ``calendar``
        (any calendar that counts working days, ``TWENTY_FOUR_SEVEN`` included)."""
        add_days = getattr(calendar, "add_working_days", None)
        if add_days is None:
            problem = Problem("calendar", f"{shown(calendar)} cannot count working days")
            raise ValidationError(f"follow-up {self.name!r}", [problem])
        due: dt.datetime = add_days(resolved_at, self.business_days)
        return due

    def conditions(self) -> str:
        """The policy's conditions in plain words."""
        parts = []
        for key in _SETS:
            allowed = getattr(self, key)
            if allowed is not None:
                listed = ", ".join(sorted(repr(getattr(v, "value", v)) for v in allowed))
                parts.append(f"{key.removesuffix('s')} in {{{listed}}}")
        return " and ".join(parts) or "any ticket"

    def to_dict(self) -> dict[str, object]:
        """Plain, JSON-safe data; conditions left None are left out."""
        data: dict[str, object] = {"name": self.name}
        for key in _SETS:
            allowed = getattr(self, key)
            if allowed is not None:
                data[key] = sorted(getattr(v, "value", v) for v in allowed)
        data.update(
            business_days=self.business_days,
            max_attempts=self.max_attempts,
            channel=self.channel.value,
            on_dissatisfied=self.on_dissatisfied.value,
        )
        return data


def _policy_problems(policy: FollowUpPolicy) -> list[Problem]:
    problems = []
    if not is_text(policy.name):
        problems.append(Problem("name", f"expected a non-blank string, got {shown(policy.name)}"))
    for key in _SETS:
        allowed = getattr(policy, key)
        if allowed is None:
            continue
        if not isinstance(allowed, frozenset) or not allowed:
            problems.append(Problem(key, f"expected a non-empty set or None, got {shown(allowed)}"))
            continue
        kind = _ENUMS.get(key)
        for value in sorted(allowed, key=shown):
            if kind is not None and not isinstance(value, kind):
                problems.append(Problem(key, f"{shown(value)} is not a {kind.__name__}"))
            elif key == "response_levels" and not (is_int(value) and value in RESPONSE_LEVELS):
                problems.append(Problem(key, f"{shown(value)} is not a response level (1, 2, 3)"))
            elif key == "tiers" and not is_text(value):
                problems.append(Problem(key, f"expected tier names, got {shown(value)}"))
    for key, low in (("business_days", 0), ("max_attempts", 1)):
        value = getattr(policy, key)
        if not (is_int(value) and low <= value <= 366):
            problems.append(
                Problem(key, f"expected an integer from {low} to 366, got {shown(value)}")
            )
    problems.extend(
        Problem(key, f"{shown(getattr(policy, key))} is not a {_ENUMS[key].__name__}")
        for key in ("channel", "on_dissatisfied")
        if not isinstance(getattr(policy, key), _ENUMS[key])
    )
    return problems


def _policies(value: Any) -> Any:
    if isinstance(value, str) or not isinstance(value, Iterable):
        return value
    return tuple(value)


@attrs.frozen(kw_only=True)
class FollowUpPolicies:
    """Ordered follow-up policies: a resolved ticket is followed up by the first that matches
    it, and not at all when none does. ``tiers`` is the desk's tier vocabulary: a policy's
    tiers outside it are refused and aliases are read as their tier names.

    >>> import datetime as dt
    >>> from itsm_core.calendar import TWENTY_FOUR_SEVEN
    >>> policies = FollowUpPolicies.from_dict({"policies": [  # doctest: +ELLIPSIS
    ...     {"name": "vip", "tiers": ["vip"], "business_days": 1},
    ...     {"name": "fax", "channel": "fax", "max_attempts": 0}]})
    Traceback (most recent call last):
    ...
    itsm_core.errors.InvalidPolicy: invalid policy follow-up policies: 2 problems
      - policies[1].channel: expected one of 'phone', ..., got 'fax'
      - policies[1].max_attempts: expected an integer from 1 to 366, got 0
    """

    policies: tuple[FollowUpPolicy, ...] = attrs.field(converter=_policies)
    tiers: TierVocabulary = DEFAULT_TIERS

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        if not is_a(self.tiers, TierVocabulary):
            problems.append(Problem("tiers", f"expected a TierVocabulary, got {shown(self.tiers)}"))
        if not is_a(self.policies, tuple):
            problems.append(Problem("policies", f"expected a list, got {shown(self.policies)}"))
        if problems:
            raise InvalidPolicy("follow-up policies", problems)
        names: set[str] = set()
        checked = []
        for i, policy in enumerate(self.policies):
            if not is_a(policy, FollowUpPolicy):
                problems.append(
                    Problem(f"policies[{i}]", f"expected a FollowUpPolicy, got {shown(policy)}")
                )
                continue
            if policy.name in names:
                problems.append(Problem(f"policies[{i}].name", f"{policy.name!r} twice"))
            names.add(policy.name)
            if policy.tiers is not None:
                unknown = [
                    p
                    for tier in sorted(policy.tiers)
                    if (p := self.tiers.problem(tier, f"policies[{i}].tiers")) is not None
                ]
                problems.extend(unknown)
                if not unknown:
                    policy = attrs.evolve(
                        policy, tiers={self.tiers.canonical(t) for t in policy.tiers}
                    )
            checked.append(policy)
        if problems:
            raise InvalidPolicy("follow-up policies", problems)
        object.__setattr__(self, "policies", tuple(checked))

    def policy_for(self, ticket: Ticket) -> FollowUpPolicy | None:
        """The first policy that matches ``ticket``, or None."""
        return next((p for p in self.policies if p.matches(ticket)), None)

    def schedule(
        self, ticket: Ticket, *, task_id: str, calendar: BusinessTime
    ) -> ScheduleFollowUp | None:
        """The command that schedules the follow-up of a resolved ``ticket`` by its policy
        (due on ``calendar``, the customer's); None when the ticket has no resolution or no
        policy matches it."""
        policy = self.policy_for(ticket)
        if policy is None or ticket.resolved_at is None:
            return None
        return ScheduleFollowUp(
            task_id=task_id,
            ticket_id=ticket.id,
            customer=ticket.requester,
            policy=policy.name,
            due_at=policy.due_at(ticket.resolved_at, calendar),
            channel=policy.channel,
            max_attempts=policy.max_attempts,
            on_dissatisfied=policy.on_dissatisfied,
        )

    def to_dict(self) -> dict[str, object]:
        """Plain, JSON-safe data; :meth:`from_dict` reads it back."""
        data: dict[str, object] = {"policies": [p.to_dict() for p in self.policies]}
        if self.tiers != DEFAULT_TIERS:
            data["tiers"] = self.tiers.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: object) -> FollowUpPolicies:
        """Policies from plain data; :class:`~itsm_core.errors.InvalidPolicy` lists every
        problem with its path."""
        problems: list[Problem] = []
        found = _read_policies(data, problems)
        if found is None or problems:
            raise InvalidPolicy("follow-up policies", problems or [Problem("", "unreadable")])
        return found


def _read_policies(data: object, problems: list[Problem]) -> FollowUpPolicies | None:
    mapping = as_mapping(data, "", problems)
    if mapping is None:
        return None
    check_keys(mapping, "", ("policies",), ("tiers",), problems)
    tiers = DEFAULT_TIERS
    if "tiers" in mapping:
        try:
            tiers = TierVocabulary.from_dict(mapping["tiers"], "tiers")
        except ValueError as error:  # InvalidPriorityMatrix
            problems.extend(getattr(error, "problems", ()))
    items = as_list(mapping.get("policies", []), "policies", problems) or []
    policies = [_read_policy(item, f"policies[{i}]", problems) for i, item in enumerate(items)]
    if problems:
        return None
    return build(
        lambda: FollowUpPolicies(policies=[p for p in policies if p is not None], tiers=tiers),
        InvalidPolicy,
        "",
        problems,
    )


_OPTIONAL = (*_SETS, "business_days", "max_attempts", "channel", "on_dissatisfied")


def _read_policy(value: object, path: str, problems: list[Problem]) -> FollowUpPolicy | None:
    data = as_mapping(value, path, problems)
    if data is None:
        return None
    before = len(problems)
    check_keys(data, path, ("name",), _OPTIONAL, problems)
    fields: dict[str, Any] = {
        k: data[k] for k in ("name", "business_days", "max_attempts") if k in data
    }
    for key in _SETS:
        if key not in data:
            continue
        where = join(path, key)
        items = as_list(data[key], where, problems) or []
        kind = _ENUMS.get(key)
        fields[key] = (
            [read_enum(item, kind, join(where, i), problems) for i, item in enumerate(items)]
            if kind is not None
            else items
        )
    for key in ("channel", "on_dissatisfied"):
        if key in data:
            fields[key] = read_enum(data[key], _ENUMS[key], join(path, key), problems)
    if len(problems) > before:
        # Report the numbers too: they are checked by the policy itself.
        probe = {k: v for k, v in fields.items() if k in ("business_days", "max_attempts")}
        build(lambda: FollowUpPolicy(name="probe", **probe), InvalidPolicy, path, problems)
        return None
    return build(lambda: FollowUpPolicy(**fields), InvalidPolicy, path, problems)
