"""Which policies apply to a ticket, in a deterministic order, and why."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from itsm_core._plain import shown
from itsm_core.errors import InvalidPolicy, InvalidPriorityMatrix, Problem
from itsm_core.priority import DEFAULT_TIERS, TierVocabulary
from itsm_core.sla._conditions import AllOf, AnyOf, Condition, Fact, FieldIn, Not
from itsm_core.sla._policy import ANY, MetricSpec, SlaPolicy
from itsm_core.tickets import Ticket

#: The ticket field that holds the customer tier.
_TIER = "customer_tier"


class SelectionMode(enum.StrEnum):
    """``first``: the first matching policy (Zendesk, JSM, Zammad); ``all``: every matching
    policy applies, and for a metric defined by several the first one's definition wins."""

    FIRST = "first"
    ALL = "all"


@attrs.frozen
class Selection:
    """The outcome of selecting policies for a ticket.

    ``metrics`` maps each metric name to the policy that supplies it and its spec;
    ``explanation`` says, line by line, why each candidate applied or not.
    """

    policies: tuple[str, ...]
    metrics: Mapping[str, tuple[SlaPolicy, MetricSpec]]
    explanation: tuple[str, ...]


def _policies(values: Iterable[SlaPolicy]) -> tuple[SlaPolicy, ...]:
    return tuple(values)


@attrs.frozen(kw_only=True)
class PolicySet:
    """The SLA policies in force, how they are chosen, and the default.

    Candidates are tried by ``precedence`` then name, so the order never depends on storage;
    the ``default`` policy (by name) applies only when no other matched.

    Customer tiers in the policies (``FieldIn("customer_tier", [...])`` conditions, targets
    keyed by ``customer_tier``) are names of ``tier_vocabulary``: one outside it is refused,
    listing the known tiers, and an alias is kept as its tier name.

    >>> from itsm_core.sla import STANDARD_POLICIES
    >>> [p.name for p in STANDARD_POLICIES.policies]
    ['complaint-response', 'service-handling', 'technical-response']
    """

    policies: tuple[SlaPolicy, ...] = attrs.field(converter=_policies)
    mode: SelectionMode = attrs.field(default=SelectionMode.FIRST, converter=SelectionMode)
    default: str | None = None
    tier_vocabulary: TierVocabulary = DEFAULT_TIERS

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        vocabulary: object = self.tier_vocabulary
        if not isinstance(vocabulary, TierVocabulary):
            problems.append(
                Problem("tier_vocabulary", f"expected a TierVocabulary, got {vocabulary!r}")
            )
        else:
            policies = tuple(
                _with_tier_names(policy, vocabulary, f"policies[{i}]", problems)
                for i, policy in enumerate(self.policies)
            )
            object.__setattr__(self, "policies", policies)
        seen: dict[tuple[str, object], int] = {}
        for i, policy in enumerate(self.policies):
            key = (policy.name, policy.effective_from)
            if key in seen:
                problems.append(
                    Problem(f"policies[{i}]", f"same name and effective_from as [{seen[key]}]")
                )
            seen.setdefault(key, i)
        if self.default is not None and self.default not in {p.name for p in self.policies}:
            problems.append(Problem("default", f"no policy named {shown(self.default)}"))
        if problems:
            raise InvalidPolicy("policy set", problems)

    def in_force(self, ticket: Ticket) -> tuple[SlaPolicy, ...]:
        """For each policy name, the version in force when ``ticket`` was opened, in order."""
        chosen: dict[str, SlaPolicy] = {}
        for policy in self.policies:
            if policy.effective_from is not None and policy.effective_from > ticket.opened_at:
                continue
            current = chosen.get(policy.name)
            if current is None or _from(policy) > _from(current):
                chosen[policy.name] = policy
        return tuple(sorted(chosen.values(), key=lambda p: (p.precedence, p.name)))

    def select(self, ticket: Ticket, fact: Fact | None = None) -> Selection:
        """The policies that apply to ``ticket`` now, with the reasons."""
        return _choose(self, ticket, fact or Fact(None, ticket), explain=True)

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        data: dict[str, Any] = {
            "mode": self.mode.value,
            "default": self.default,
            "policies": [p.to_dict() for p in self.policies],
        }
        if self.tier_vocabulary != DEFAULT_TIERS:
            data["tier_vocabulary"] = self.tier_vocabulary.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: object) -> PolicySet:
        """Load :meth:`to_dict` data; InvalidPolicy lists every problem of every policy."""
        problems: list[Problem] = []
        policies = []
        if not isinstance(data, Mapping):
            raise InvalidPolicy("policy set", [Problem("", "expected a mapping")])
        raw = data.get("policies", [])
        if not isinstance(raw, list | tuple):
            raise InvalidPolicy("policy set", [Problem("policies", "expected a list")])
        for i, item in enumerate(raw):
            try:
                policies.append(SlaPolicy.from_dict(item))
            except InvalidPolicy as exc:
                problems.extend(Problem(f"policies[{i}].{p.path}", p.message) for p in exc.problems)
        mode = data.get("mode", "first")
        if not isinstance(mode, str) or mode not in {m.value for m in SelectionMode}:
            problems.append(Problem("mode", f"{shown(mode)} is not 'first' or 'all'"))
        default = data.get("default")
        if default is not None and not isinstance(default, str):
            problems.append(Problem("default", f"{shown(default)} is not a policy name"))
        vocabulary = DEFAULT_TIERS
        if "tier_vocabulary" in data:
            try:
                vocabulary = TierVocabulary.from_dict(data["tier_vocabulary"], "tier_vocabulary")
            except InvalidPriorityMatrix as exc:
                problems.extend(exc.problems)
        if problems:
            raise InvalidPolicy("policy set", problems)
        return cls(policies=policies, mode=mode, default=default, tier_vocabulary=vocabulary)


def _with_tier_names(
    policy: SlaPolicy, vocabulary: TierVocabulary, path: str, problems: list[Problem]
) -> SlaPolicy:
    """``policy`` with the customer tiers it names as tier names of ``vocabulary``; a problem
    (listing the known tiers) for each tier outside it."""
    condition = _tier_condition(policy.condition, vocabulary, f"{path}.condition", problems)
    metrics = tuple(
        _tier_targets(metric, vocabulary, f"{path}.metrics[{j}]", problems)
        for j, metric in enumerate(policy.metrics)
    )
    if condition is policy.condition and metrics == policy.metrics:
        return policy
    return attrs.evolve(policy, condition=condition, metrics=metrics)


def _tier_condition(
    condition: Condition, vocabulary: TierVocabulary, path: str, problems: list[Problem]
) -> Condition:
    if isinstance(condition, FieldIn) and condition.field == _TIER:
        names: set[str | int | bool | None] = set()
        for value in sorted(condition.values, key=repr):
            problem = None if value is None else vocabulary.problem(value, path)
            if problem is not None:
                problems.append(problem)
            names.add(None if value is None else vocabulary.find(value))
        return condition if names == condition.values else FieldIn(_TIER, names)
    if isinstance(condition, AllOf | AnyOf):
        parts = tuple(
            _tier_condition(part, vocabulary, f"{path}[{i}]", problems)
            for i, part in enumerate(condition.conditions)
        )
        return condition if parts == condition.conditions else type(condition)(parts)
    if isinstance(condition, Not):
        inner = _tier_condition(condition.condition, vocabulary, path, problems)
        return condition if inner is condition.condition else Not(inner)
    return condition


def _tier_targets(
    metric: MetricSpec, vocabulary: TierVocabulary, path: str, problems: list[Problem]
) -> MetricSpec:
    if metric.target_by != _TIER:
        return metric
    targets = {}
    for key, target in metric.targets.items():
        problem = None if key == ANY else vocabulary.problem(key, f"{path}.targets.{key}")
        if problem is not None:
            problems.append(problem)
        name = key if key == ANY else vocabulary.find(key) or key
        if name in targets:
            problems.append(Problem(f"{path}.targets.{key}", f"tier {name!r} has two targets"))
        targets[name] = target
    return metric if targets == metric.targets else attrs.evolve(metric, targets=targets)


def _label(policy: SlaPolicy) -> str:
    """The policy's name, and its version when it has one."""
    if policy.effective_from is None:
        return policy.name
    return f"{policy.name} (version of {policy.effective_from.isoformat()})"


def _from(policy: SlaPolicy) -> float:
    return float("-inf") if policy.effective_from is None else policy.effective_from.timestamp()


def metrics_in_force(policies: PolicySet, fact: Fact) -> Mapping[str, tuple[SlaPolicy, MetricSpec]]:
    """The ``metrics`` of :meth:`PolicySet.select` for ``fact``, without writing the
    explanation (the engine asks this on every event, and explains only the last one)."""
    return _choose(policies, fact.ticket, fact, explain=False).metrics


def _choose(policies: PolicySet, ticket: Ticket, fact: Fact, *, explain: bool) -> Selection:
    """Select the policies for ``ticket`` on ``fact``; the explanation is left empty unless
    ``explain`` (it is the costly part: every condition described in words)."""
    lines: list[str] = []
    matched: list[SlaPolicy] = []
    default: SlaPolicy | None = None
    for policy in policies.in_force(ticket):
        if policy.name == policies.default:
            default = policy
            continue
        if policies.mode is SelectionMode.FIRST and matched:
            if explain:
                lines.append(f"{_label(policy)}: not tried, {matched[0].name} came first")
            continue
        if policy.condition(fact):
            matched.append(policy)
            if explain:
                lines.append(f"{_label(policy)}: applies, {policy.condition.describe()}")
        elif explain:
            lines.append(f"{_label(policy)}: does not apply, not {policy.condition.describe()}")
    if not matched and default is not None:
        matched.append(default)
        lines.append(f"{default.name}: applies as the default policy, no other matched")
    if not matched:
        lines.append("no policy applies")
    metrics: dict[str, tuple[SlaPolicy, MetricSpec]] = {}
    for policy in matched:
        for metric in policy.metrics:
            if metric.name in metrics:
                if explain:
                    lines.append(
                        f"{metric.name}: from {metrics[metric.name][0].name}, "
                        f"which comes before {policy.name}"
                    )
                continue
            metrics[metric.name] = (policy, metric)
    return Selection(tuple(p.name for p in matched), metrics, tuple(lines) if explain else ())
