"""Which policies apply to a ticket, in a deterministic order, and why."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from itsm_core._plain import shown
from itsm_core.errors import InvalidPolicy, Problem
from itsm_core.sla._conditions import Fact
from itsm_core.sla._policy import MetricSpec, SlaPolicy
from itsm_core.tickets import Ticket


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

    >>> from itsm_core.sla import STANDARD_POLICIES
    >>> [p.name for p in STANDARD_POLICIES.policies]
    ['complaint-response', 'technical-response']
    """

    policies: tuple[SlaPolicy, ...] = attrs.field(converter=_policies)
    mode: SelectionMode = attrs.field(default=SelectionMode.FIRST, converter=SelectionMode)
    default: str | None = None

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
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
        return {
            "mode": self.mode.value,
            "default": self.default,
            "policies": [p.to_dict() for p in self.policies],
        }

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
        if problems:
            raise InvalidPolicy("policy set", problems)
        return cls(policies=policies, mode=mode, default=default)


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
