"""Assignment rules as data: which ticket goes to which group, asking what of the agent."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from itsm_core._checks import frozen_mapping, is_int
from itsm_core._plain import (
    as_list,
    as_mapping,
    build,
    check_keys,
    is_a,
    is_text,
    read_enum,
    shown,
    texts,
)
from itsm_core.errors import InvalidPriorityMatrix, InvalidRouting, Problem
from itsm_core.priority import DEFAULT_TIERS, TierVocabulary
from itsm_core.routing._agents import read_skills, skill_problems
from itsm_core.tickets import RESPONSE_LEVELS, Channel, Ticket, TicketKind

_Values = frozenset[Any] | None


def _set(value: Iterable[Any] | None) -> _Values:
    if value is None or isinstance(value, str):
        return value  # type: ignore[return-value]  # a bare string is refused by validation
    return frozenset(value)


@attrs.frozen(kw_only=True)
class RoutingRule:
    """Send the tickets that match every condition to ``group``, asking ``skills`` (and a
    ``senior`` agent if set) of whoever takes them.

    Conditions left as None are not checked; a rule without conditions matches every ticket.
    ``languages`` is checked against the ticket's language (see
    :attr:`RoutingRules.language_attribute`); ``customer_tiers`` are names of the rules'
    :attr:`RoutingRules.tier_vocabulary` (aliases are read as their names there).

    >>> vip = RoutingRule(name="vip", group="vip-desk", customer_tiers={"vip"}, senior=True)
    >>> vip.mismatches(kind=TicketKind.INCIDENT, category=None, channel=None, language=None,
    ...                tier="regular", response_level=None)
    ["customer tier 'regular' not in {'vip'}"]
    """

    name: str
    group: str
    kinds: frozenset[TicketKind] | None = attrs.field(default=None, converter=_set)
    categories: frozenset[str] | None = attrs.field(default=None, converter=_set)
    channels: frozenset[Channel] | None = attrs.field(default=None, converter=_set)
    languages: frozenset[str] | None = attrs.field(default=None, converter=_set)
    customer_tiers: frozenset[str] | None = attrs.field(default=None, converter=_set)
    response_levels: frozenset[int] | None = attrs.field(default=None, converter=_set)
    skills: Mapping[str, int] = attrs.field(factory=dict, converter=frozen_mapping)
    senior: bool = False

    def __attrs_post_init__(self) -> None:
        problems = _rule_problems(self)
        if problems:
            raise InvalidRouting(f"rule {shown(self.name)}", problems)

    def mismatches(
        self,
        *,
        kind: TicketKind,
        category: str | None,
        channel: Channel | None,
        language: str | None,
        tier: str,
        response_level: int | None,
    ) -> list[str]:
        """Each condition the ticket's facts fail, in plain words (empty: the rule matches)."""
        facts: tuple[tuple[str, object, _Values], ...] = (
            ("kind", kind, self.kinds),
            ("category", category, self.categories),
            ("channel", channel, self.channels),
            ("language", language, self.languages),
            ("customer tier", tier, self.customer_tiers),
            ("response level", response_level, self.response_levels),
        )
        return [
            f"{label} {_plain(value)} not in {_listed(allowed)}"
            for label, value, allowed in facts
            if allowed is not None and value not in allowed
        ]

    def conditions(self) -> str:
        """The rule's conditions in plain words."""
        parts = [
            f"{label} in {_listed(allowed)}"
            for label, allowed in (
                ("kind", self.kinds),
                ("category", self.categories),
                ("channel", self.channels),
                ("language", self.languages),
                ("customer tier", self.customer_tiers),
                ("response level", self.response_levels),
            )
            if allowed is not None
        ]
        return " and ".join(parts) or "any ticket"

    def to_dict(self) -> dict[str, object]:
        """Plain, JSON-safe data; unchecked conditions are left out."""
        data: dict[str, object] = {"name": self.name, "group": self.group}
        for key in _CONDITIONS:
            allowed = getattr(self, key)
            if allowed is not None:
                data[key] = sorted(_plain_value(v) for v in allowed)  # type: ignore[type-var]
        if self.skills:
            data["skills"] = dict(sorted(self.skills.items()))
        if self.senior:
            data["senior"] = True
        return data


_CONDITIONS = ("kinds", "categories", "channels", "languages", "customer_tiers", "response_levels")
_ENUMS: dict[str, type[Any]] = {
    "kinds": TicketKind,
    "channels": Channel,
}


def _plain_value(value: object) -> object:
    return getattr(value, "value", value)


def _plain(value: object) -> str:
    return repr(_plain_value(value))


def _listed(values: frozenset[Any]) -> str:
    return "{" + ", ".join(sorted(_plain(v) for v in values)) + "}"


def _rule_problems(rule: RoutingRule) -> list[Problem]:
    problems = [
        Problem(name, f"expected a non-blank string, got {shown(getattr(rule, name))}")
        for name in ("name", "group")
        if not is_text(getattr(rule, name))
    ]
    for key in _CONDITIONS:
        allowed = getattr(rule, key)
        if allowed is None:
            continue
        if not isinstance(allowed, frozenset) or not allowed:
            problems.append(Problem(key, f"expected a non-empty set or None, got {shown(allowed)}"))
            continue
        kind = _ENUMS.get(key)
        for value in sorted(allowed, key=repr):
            if kind is not None and not isinstance(value, kind):
                problems.append(Problem(key, f"{shown(value)} is not a {kind.__name__}"))
            elif key == "response_levels" and not (is_int(value) and value in RESPONSE_LEVELS):
                problems.append(Problem(key, f"{shown(value)} is not a response level (1, 2, 3)"))
            elif key in ("categories", "languages", "customer_tiers") and not is_text(value):
                problems.append(Problem(key, f"expected non-blank strings, got {shown(value)}"))
    problems.extend(skill_problems(rule.skills))
    if not is_a(rule.senior, bool):
        problems.append(Problem("senior", f"expected true or false, got {shown(rule.senior)}"))
    return problems


def _rule_tuple(value: Iterable[RoutingRule]) -> tuple[RoutingRule, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class RoutingRules:
    """Ordered rules, evaluated first to last: the first that matches gives the group. A ticket
    no rule matches goes to ``default_group``.

    ``language_attribute`` names the ticket attribute that holds the requester's language (a
    ticket carries it in ``Ticket.attributes``); when present, agents must speak it.

    ``tier_vocabulary`` is the desk's customer-tier vocabulary: a rule's ``customer_tiers``
    outside it are refused (listing the known tiers), an alias is kept as its tier name, and
    :func:`route` refuses a ticket whose tier it does not know
    (:class:`~itsm_core.errors.UnknownTier`).
    """

    rules: tuple[RoutingRule, ...] = attrs.field(converter=_rule_tuple)
    default_group: str
    language_attribute: str = "language"
    tier_vocabulary: TierVocabulary = DEFAULT_TIERS

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        names: set[str] = set()
        for i, rule in enumerate(self.rules):
            if not is_a(rule, RoutingRule):
                problems.append(
                    Problem(f"rules[{i}]", f"expected a RoutingRule, got {shown(rule)}")
                )
            elif rule.name in names:
                problems.append(Problem(f"rules[{i}].name", f"duplicate rule {shown(rule.name)}"))
            else:
                names.add(rule.name)
        problems.extend(
            Problem(name, "expected a non-blank string")
            for name in ("default_group", "language_attribute")
            if not is_text(getattr(self, name))
        )
        vocabulary: object = self.tier_vocabulary
        if not isinstance(vocabulary, TierVocabulary):
            problems.append(
                Problem("tier_vocabulary", f"expected a TierVocabulary, got {shown(vocabulary)}")
            )
        elif not problems:
            rules = [self._with_tier_names(i, rule, problems) for i, rule in enumerate(self.rules)]
            object.__setattr__(self, "rules", tuple(rules))
        if problems:
            raise InvalidRouting("rules", problems)

    def _with_tier_names(
        self, index: int, rule: RoutingRule, problems: list[Problem]
    ) -> RoutingRule:
        """``rule`` with its customer tiers as tier names; a problem for each unknown one."""
        if rule.customer_tiers is None:
            return rule
        where = f"rules[{index}].customer_tiers"
        names: set[str] = set()
        for tier in sorted(rule.customer_tiers):
            problem = self.tier_vocabulary.problem(tier, where)
            if problem is not None:
                problems.append(problem)
            else:
                names.add(self.tier_vocabulary.canonical(tier))
        if names == rule.customer_tiers:
            return rule
        return attrs.evolve(rule, customer_tiers=names)

    def tier_of(self, ticket: Ticket) -> str:
        """The ticket's customer tier as a name of :attr:`tier_vocabulary`;
        :class:`~itsm_core.errors.UnknownTier` when the vocabulary does not know it."""
        return self.tier_vocabulary.canonical(
            ticket.customer_tier, path="customer_tier", subject=f"ticket {ticket.id!r}"
        )

    def groups(self) -> frozenset[str]:
        """Every group the rules send tickets to."""
        return frozenset({self.default_group, *(rule.group for rule in self.rules)})

    def language_of(self, ticket: Ticket) -> str | None:
        """The ticket's language, from its attributes (None when absent or not a string)."""
        value = ticket.attributes.get(self.language_attribute)
        return value if is_text(value) else None

    def to_dict(self) -> dict[str, object]:
        """Plain, JSON-safe data; :meth:`from_dict` reads it back to equal rules."""
        data: dict[str, object] = {
            "rules": [rule.to_dict() for rule in self.rules],
            "default_group": self.default_group,
            "language_attribute": self.language_attribute,
        }
        if self.tier_vocabulary != DEFAULT_TIERS:
            data["tier_vocabulary"] = self.tier_vocabulary.to_dict()
        return data

    @staticmethod
    def from_dict(data: object) -> RoutingRules:
        """Rules from plain data; ``InvalidRouting`` lists every problem with its path.

        >>> rules = RoutingRules.from_dict({"default_group": "desk", "rules": [
        ...     {"name": "network", "group": "net", "categories": ["network"],
        ...      "skills": {"network": 2}}]})
        >>> rules.rules[0].conditions()
        "category in {'network'}"
        >>> RoutingRules.from_dict({"rules": [{"name": "x", "channels": ["fax"]}]})
        Traceback (most recent call last):
        ...
        itsm_core.errors.InvalidRouting: invalid routing definition rules: 3 problems
          - default_group: missing
          - rules[0].group: missing
          - rules[0].channels[0]: expected one of 'phone', ..., got 'fax'
        """
        problems: list[Problem] = []
        found = _read_rules(data, problems)
        if found is None or problems:
            raise InvalidRouting("rules", problems or [Problem("", "unreadable")])
        return found


def _read_rules(data: object, problems: list[Problem]) -> RoutingRules | None:
    mapping = as_mapping(data, "", problems)
    if mapping is None:
        return None
    check_keys(
        mapping,
        "",
        ("rules", "default_group"),
        ("language_attribute", "tier_vocabulary"),
        problems,
    )
    vocabulary = DEFAULT_TIERS
    if "tier_vocabulary" in mapping:
        try:
            vocabulary = TierVocabulary.from_dict(mapping["tier_vocabulary"], "tier_vocabulary")
        except InvalidPriorityMatrix as error:
            problems.extend(error.problems)
    problems.extend(
        Problem(key, f"expected a non-blank string, got {shown(mapping[key])}")
        for key in ("default_group", "language_attribute")
        if key in mapping and not is_text(mapping[key])
    )
    items = as_list(mapping.get("rules", []), "rules", problems) or []
    rules = [_read_rule(value, f"rules[{i}]", problems) for i, value in enumerate(items)]
    if problems:
        return None
    return build(
        lambda: RoutingRules(
            rules=[rule for rule in rules if rule is not None],
            default_group=mapping["default_group"],  # type: ignore[arg-type]
            language_attribute=mapping.get("language_attribute", "language"),  # type: ignore[arg-type]
            tier_vocabulary=vocabulary,
        ),
        InvalidRouting,
        "",
        problems,
    )


def _read_rule(value: object, path: str, problems: list[Problem]) -> RoutingRule | None:
    data = as_mapping(value, path, problems)
    if data is None:
        return None
    before = len(problems)
    check_keys(data, path, ("name", "group"), (*_CONDITIONS, "skills", "senior"), problems)
    conditions: dict[str, Any] = {}
    for key in _CONDITIONS:
        if key not in data:
            continue
        where = f"{path}.{key}"
        kind = _ENUMS.get(key)
        if kind is not None:
            items = as_list(data[key], where, problems) or []
            conditions[key] = [
                read_enum(item, kind, f"{where}[{i}]", problems) for i, item in enumerate(items)
            ]
        elif key == "response_levels":
            conditions[key] = as_list(data[key], where, problems)
        else:
            conditions[key] = texts(data[key], where, problems)
    skills = read_skills(data.get("skills", {}), f"{path}.skills", problems)
    if len(problems) > before or skills is None:
        return None
    return build(
        lambda: RoutingRule(
            name=data["name"],  # type: ignore[arg-type]
            group=data["group"],  # type: ignore[arg-type]
            skills=skills,
            senior=data.get("senior", False),  # type: ignore[arg-type]
            **conditions,
        ),
        InvalidRouting,
        path,
        problems,
    )
