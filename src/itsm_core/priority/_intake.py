"""Intake facts and the ordered rules that derive impact and urgency from them."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping, Sequence

import attrs

from itsm_core._checks import is_int
from itsm_core._plain import (
    as_list,
    as_mapping,
    blank_problem,
    check_keys,
    join,
    read_enum,
    read_int,
    read_str,
    shown,
    type_problem,
    under,
)
from itsm_core.errors import InvalidPriorityMatrix, Problem, ValidationError


class Interruption(enum.StrEnum):
    """How much of the business the reported fault interrupts."""

    NONE = "none"
    """Work goes on as usual (a question, a cosmetic fault, a request)."""
    PARTIAL = "partial"
    """Work is degraded or some functions are unavailable."""
    FULL = "full"
    """Work has stopped."""


@attrs.frozen(kw_only=True)
class IntakeFacts:
    """The facts the standards ask the desk to collect when a request is accepted.

    ``service_criticality`` is the criticality level of the affected service, 1 the most critical
    (as in ServiceNow's business criticality); ``expected_resolution`` is the time within which the
    customer needs the problem solved, or None when they did not say.
    """

    interruption: Interruption
    users_affected: int
    service_criticality: int
    expected_resolution: dt.timedelta | None = None

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        found = type_problem(self.interruption, Interruption, "interruption", "an Interruption")
        if found is not None:
            problems.append(found)
        if not (is_int(self.users_affected) and self.users_affected >= 0):
            problems.append(
                Problem(
                    "users_affected", f"expected an integer >= 0, got {shown(self.users_affected)}"
                )
            )
        if not (is_int(self.service_criticality) and self.service_criticality >= 1):
            problems.append(
                Problem(
                    "service_criticality",
                    f"expected an integer >= 1, got {shown(self.service_criticality)}",
                )
            )
        resolution: object = self.expected_resolution
        if resolution is not None and not (
            isinstance(resolution, dt.timedelta) and resolution > dt.timedelta(0)
        ):
            problems.append(
                Problem(
                    "expected_resolution", f"expected a positive timedelta, got {shown(resolution)}"
                )
            )
        if problems:
            raise ValidationError("intake facts", problems)


def _as_interruptions(
    value: Iterable[Interruption] | None,
) -> frozenset[Interruption] | None:
    if value is None or isinstance(value, str):
        return value  # a bare string is refused by validation
    return frozenset(value)


def _duration(value: dt.timedelta) -> str:
    """A short text for a duration: ``1d 2h``, ``4h``, ``30min``, ``90s`` -> ``1min 30s``."""
    seconds = int(value.total_seconds())
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60), ("s", 1)):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return " ".join(parts) or "0s"


_CONDITIONS = ("interruption", "min_users", "max_criticality", "max_expected_resolution")


@attrs.frozen(kw_only=True)
class IntakeRule:
    """A rule that sets impact or urgency to ``level`` when all its conditions hold.

    Conditions left as None are not checked; a rule without conditions always fires (a
    catch-all). Conditions:

    * ``interruption``: the interruption is one of these;
    * ``min_users``: at least this many users are affected;
    * ``max_criticality``: the service is at least this critical (its level is at most this);
    * ``max_expected_resolution``: the customer needs resolution within this time.

    >>> rule = IntakeRule(name="many users", level=1, min_users=100)
    >>> facts = IntakeFacts(interruption=Interruption.PARTIAL, users_affected=250,
    ...                     service_criticality=2)
    >>> rule.reasons(facts)
    ('250 users affected, at least 100',)
    """

    name: str
    level: int
    interruption: frozenset[Interruption] | None = attrs.field(
        default=None, converter=_as_interruptions
    )
    min_users: int | None = None
    max_criticality: int | None = None
    max_expected_resolution: dt.timedelta | None = None

    def __attrs_post_init__(self) -> None:
        problems = _rule_problems(self)
        if problems:
            raise InvalidPriorityMatrix(f"intake rule {shown(self.name)}", problems)

    @property
    def is_catch_all(self) -> bool:
        """True when the rule has no conditions and so always fires."""
        return all(getattr(self, name) is None for name in _CONDITIONS)

    def reasons(self, facts: IntakeFacts) -> tuple[str, ...] | None:
        """Why the rule fires for ``facts`` (one line per condition), or None if it does not."""
        reasons: list[str] = []
        if self.interruption is not None:
            if facts.interruption not in self.interruption:
                return None
            allowed = ", ".join(sorted(i.value for i in self.interruption))
            reasons.append(f"interruption is {facts.interruption.value} (one of: {allowed})")
        if self.min_users is not None:
            if facts.users_affected < self.min_users:
                return None
            reasons.append(f"{facts.users_affected} users affected, at least {self.min_users}")
        if self.max_criticality is not None:
            if facts.service_criticality > self.max_criticality:
                return None
            reasons.append(
                f"service criticality {facts.service_criticality}, "
                f"at least as critical as {self.max_criticality}"
            )
        if self.max_expected_resolution is not None:
            wanted = facts.expected_resolution
            if wanted is None or wanted > self.max_expected_resolution:
                return None
            reasons.append(
                f"resolution expected within {_duration(wanted)}, "
                f"at most {_duration(self.max_expected_resolution)}"
            )
        return tuple(reasons) if reasons else ("no conditions: catch-all",)

    def to_dict(self) -> dict[str, object]:
        """Plain, JSON-safe data (durations in whole seconds); :meth:`from_dict` reads it back."""
        data: dict[str, object] = {"name": self.name, "level": self.level}
        if self.interruption is not None:
            data["interruption"] = sorted(i.value for i in self.interruption)
        if self.min_users is not None:
            data["min_users"] = self.min_users
        if self.max_criticality is not None:
            data["max_criticality"] = self.max_criticality
        if self.max_expected_resolution is not None:
            data["max_expected_resolution_seconds"] = int(
                self.max_expected_resolution.total_seconds()
            )
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> IntakeRule:
        """Read a rule from plain data; every problem is reported in ``InvalidPriorityMatrix``."""
        problems: list[Problem] = []
        rule = read_rule(data, "", problems)
        if rule is None:
            raise InvalidPriorityMatrix("intake rule", problems)
        return rule


def _rule_problems(rule: IntakeRule) -> list[Problem]:
    problems: list[Problem] = []
    found = blank_problem(rule.name, "name")
    if found is not None:
        problems.append(found)
    if not (is_int(rule.level) and rule.level >= 1):
        problems.append(Problem("level", f"expected a level >= 1, got {shown(rule.level)}"))
    kinds: object = rule.interruption
    if kinds is not None and not (
        isinstance(kinds, frozenset) and kinds and all(isinstance(k, Interruption) for k in kinds)
    ):
        problems.append(
            Problem("interruption", f"expected a non-empty set of Interruption, got {shown(kinds)}")
        )
    for name, minimum in (("min_users", 0), ("max_criticality", 1)):
        value = getattr(rule, name)
        if value is not None and not (is_int(value) and value >= minimum):
            problems.append(Problem(name, f"expected an integer >= {minimum}, got {shown(value)}"))
    limit: object = rule.max_expected_resolution
    if limit is not None and not (
        isinstance(limit, dt.timedelta)
        and limit > dt.timedelta(0)
        and not limit % dt.timedelta(seconds=1)
    ):
        problems.append(
            Problem(
                "max_expected_resolution",
                f"expected a positive timedelta of whole seconds, got {shown(limit)}",
            )
        )
    return problems


def read_rule(value: object, path: str, problems: list[Problem]) -> IntakeRule | None:
    """Read one rule at ``path``; record problems and return None when invalid."""
    data = as_mapping(value, path, problems)
    if data is None:
        return None
    before = len(problems)
    optional = ("interruption", "min_users", "max_criticality", "max_expected_resolution_seconds")
    check_keys(data, path, ("name", "level"), optional, problems)
    name = read_str(data, "name", path, problems)
    level = read_int(data, "level", path, problems, minimum=1)
    min_users = read_int(data, "min_users", path, problems, minimum=0)
    max_criticality = read_int(data, "max_criticality", path, problems, minimum=1)
    seconds = read_int(data, "max_expected_resolution_seconds", path, problems, minimum=1)
    kinds: set[Interruption] | None = None
    if "interruption" in data:
        items = as_list(data["interruption"], join(path, "interruption"), problems)
        read = [
            read_enum(item, Interruption, join(join(path, "interruption"), index), problems)
            for index, item in enumerate(items or [])
        ]
        kinds = {kind for kind in read if kind is not None}
        if items == []:
            problems.append(Problem(join(path, "interruption"), "expected at least one value"))
    if len(problems) > before or name is None or level is None:
        return None
    return IntakeRule(
        name=name,
        level=level,
        interruption=kinds,
        min_users=min_users,
        max_criticality=max_criticality,
        max_expected_resolution=None if seconds is None else dt.timedelta(seconds=seconds),
    )


@attrs.frozen(kw_only=True)
class RuleMatch:
    """The rule that fired: its position in its list (0-based), the rule, and why it fired."""

    index: int
    rule: IntakeRule
    reasons: tuple[str, ...]


def _as_rules(value: Iterable[IntakeRule]) -> tuple[IntakeRule, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class IntakeRules:
    """Two ordered lists of rules, one deriving impact, one deriving urgency.

    Each list is evaluated in order and the first rule whose conditions hold fires. Each list must
    end with a catch-all rule (no conditions), so every set of facts gets a level, and only the
    last rule may be a catch-all (rules after one could never fire).
    """

    impact: tuple[IntakeRule, ...] = attrs.field(converter=_as_rules)
    urgency: tuple[IntakeRule, ...] = attrs.field(converter=_as_rules)

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        for target in ("impact", "urgency"):
            problems.extend(_list_problems(target, getattr(self, target)))
        if problems:
            raise InvalidPriorityMatrix("intake rules", problems)

    def first_match(self, target: str, facts: IntakeFacts) -> RuleMatch:
        """The first rule of the ``"impact"`` or ``"urgency"`` list that fires for ``facts``."""
        if target not in ("impact", "urgency"):
            raise ValidationError("intake target", [Problem("target", f"unknown {shown(target)}")])
        rules: tuple[IntakeRule, ...] = getattr(self, target)
        for index, rule in enumerate(rules):
            reasons = rule.reasons(facts)
            if reasons is not None:
                return RuleMatch(index=index, rule=rule, reasons=reasons)
        raise AssertionError("unreachable: validation guarantees a final catch-all rule")

    def to_dict(self) -> dict[str, object]:
        """Plain, JSON-safe data; :meth:`from_dict` reads it back."""
        return {
            "impact": [rule.to_dict() for rule in self.impact],
            "urgency": [rule.to_dict() for rule in self.urgency],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> IntakeRules:
        """Read rules from plain data; every problem is reported in ``InvalidPriorityMatrix``."""
        problems: list[Problem] = []
        rules = read_rules(data, "", problems)
        if rules is None:
            raise InvalidPriorityMatrix("intake rules", problems)
        return rules


def _list_problems(target: str, rules: Sequence[object]) -> list[Problem]:
    problems: list[Problem] = []
    if not rules:
        return [Problem(target, "no rules: end the list with a catch-all rule")]
    names: dict[str, int] = {}
    for index, rule in enumerate(rules):
        path = join(target, index)
        if not isinstance(rule, IntakeRule):
            problems.append(Problem(path, f"expected an IntakeRule, got {shown(rule)}"))
            continue
        if rule.name in names:
            problems.append(
                Problem(path, f"rule name {shown(rule.name)} repeats {target}[{names[rule.name]}]")
            )
        names.setdefault(rule.name, index)
        if rule.is_catch_all and index < len(rules) - 1:
            problems.append(
                Problem(
                    path,
                    f"catch-all rule {shown(rule.name)} is not last: the rules after it never fire",
                )
            )
    last = rules[-1]
    if isinstance(last, IntakeRule) and not last.is_catch_all:
        problems.append(
            Problem(
                join(target, len(rules) - 1),
                (
                    f"the last rule {shown(last.name)} has "
                    "conditions: end the list with a catch-all rule"
                ),
            )
        )
    return problems


def read_rules(value: object, path: str, problems: list[Problem]) -> IntakeRules | None:
    """Read both rule lists at ``path``; record problems and return None when invalid."""
    data = as_mapping(value, path, problems)
    if data is None:
        return None
    before = len(problems)
    check_keys(data, path, ("impact", "urgency"), (), problems)
    lists: dict[str, list[IntakeRule]] = {}
    for target in ("impact", "urgency"):
        items = as_list(data[target], join(path, target), problems) if target in data else None
        read = [
            read_rule(item, join(join(path, target), i), problems)
            for i, item in enumerate(items or [])
        ]
        lists[target] = [rule for rule in read if rule is not None]
    if len(problems) > before:
        return None
    try:
        return IntakeRules(impact=lists["impact"], urgency=lists["urgency"])
    except InvalidPriorityMatrix as error:
        problems.extend(under(path, error.problems))
        return None
