"""SLA policies as data: who they apply to, from when, and the targets of each metric."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from typing import Any

import attrs

from itsm_core.errors import DeserializationError, InvalidPolicy, Problem, ValidationError
from itsm_core.sla._conditions import (
    ALWAYS,
    Condition,
    condition_from_dict,
    field_problem,
    field_value,
)
from itsm_core.sla._definition import ClockDefinition
from itsm_core.sla._duration import Duration, nonempty
from itsm_core.sla._thresholds import Threshold
from itsm_core.tickets import Ticket

#: The key of the target used when no other key matches.
ANY = "*"


class OnChange(enum.StrEnum):
    """What a clock under way does when its target, calendar or policy changes mid-flight.

    ``carry_over`` keeps the cycle (its start, elapsed time and pauses) and measures it against
    the new target on the new calendar; ``restart`` cancels the cycle and starts a new one at
    the change; ``retroactive`` recomputes the cycle as if the new metric had applied since the
    cycle (or the ticket) started, replaying its pauses (ServiceNow's retroactive start and
    pause: a P3 raised to P1 after 3 h is measured against the P1 target from the opening).
    """

    CARRY_OVER = "carry_over"
    RESTART = "restart"
    RETROACTIVE = "retroactive"


def _targets(value: Mapping[str, Duration | str]) -> Mapping[str, Duration]:
    out: dict[str, Duration] = {}
    for key, target in value.items():
        out[str(key)] = target if isinstance(target, Duration) else Duration.parse(target)
    return dict(sorted(out.items()))


def _thresholds(values: Any) -> tuple[Threshold, ...]:
    return tuple(values)


@attrs.frozen(kw_only=True)
class MetricSpec:
    """One metric of a policy: a clock definition, its targets, calendar and thresholds.

    ``targets`` maps a value of the ticket field ``target_by`` (``"priority"`` by default,
    so keys ``"1"``, ``"2"``...) to a :class:`Duration`; ``"*"`` is the fallback. A ticket
    with no matching key has a clock without a target (measured, never breached).

    ``calendar`` names a business calendar passed at evaluation (None: 24x7 calendar time);
    with ``customer_calendar`` the requester's own calendar (and so time zone) is used when
    the evaluation has one for them.
    """

    clock: ClockDefinition
    targets: Mapping[str, Duration] = attrs.field(converter=_targets)
    target_by: str = "priority"
    calendar: str | None = None
    customer_calendar: bool = False
    thresholds: tuple[Threshold, ...] = attrs.field(default=(), converter=_thresholds)
    on_change: OnChange = attrs.field(default=OnChange.CARRY_OVER, converter=OnChange)

    def __attrs_post_init__(self) -> None:
        problems = []
        target_by = field_problem(self.target_by)
        if target_by is not None:
            problems.append(Problem("target_by", target_by))
        names = [t.name for t in self.thresholds]
        problems.extend(
            Problem(f"thresholds[{i}].name", f"{name!r} is used twice")
            for i, name in enumerate(names)
            if name in names[:i]
        )
        if problems:
            raise InvalidPolicy(f"metric {self.clock.name!r}", problems)

    @property
    def name(self) -> str:
        """The metric's name (its clock's)."""
        return self.clock.name

    def target_for(self, ticket: Ticket) -> Duration | None:
        """The target for ``ticket``: the one keyed by its ``target_by`` value, else ``"*"``."""
        value = field_value(ticket, self.target_by)
        if value is not None and str(value) in self.targets:
            return self.targets[str(value)]
        return self.targets.get(ANY)

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "clock": self.clock.to_dict(),
            "targets": {k: str(v) for k, v in self.targets.items()},
            "target_by": self.target_by,
            "calendar": self.calendar,
            "customer_calendar": self.customer_calendar,
            "thresholds": [t.to_dict() for t in self.thresholds],
            "on_change": self.on_change.value,
        }


def _metrics(values: Any) -> tuple[MetricSpec, ...]:
    return tuple(values)


@attrs.frozen(kw_only=True)
class SlaPolicy:
    """An SLA policy: a name, a version in force from ``effective_from``, a selection
    ``condition`` on the ticket, a ``precedence`` (lower wins) and its metrics.

    Several policies may share a name: they are versions, and a ticket gets the version in
    force when it was opened (the latest ``effective_from`` at or before ``opened_at``).
    """

    name: str
    metrics: tuple[MetricSpec, ...] = attrs.field(converter=_metrics)
    condition: Condition = ALWAYS
    precedence: int = 100
    effective_from: dt.datetime | None = None
    description: str = ""

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        if not nonempty(self.name):
            problems.append(Problem("name", "must not be empty"))
        if isinstance(self.precedence, bool) or not isinstance(self.precedence, int):
            problems.append(Problem("precedence", f"{self.precedence!r} is not an int"))
        if self.effective_from is not None and (
            self.effective_from.tzinfo is None or self.effective_from.utcoffset() is None
        ):
            problems.append(Problem("effective_from", "naive datetime (a time zone is required)"))
        if not self.metrics:
            problems.append(Problem("metrics", "a policy has at least one metric"))
        names = [m.name for m in self.metrics]
        problems.extend(
            Problem(f"metrics[{i}]", f"metric {name!r} is defined twice")
            for i, name in enumerate(names)
            if name in names[:i]
        )
        if problems:
            raise InvalidPolicy(repr(self.name), problems)

    def metric(self, name: str) -> MetricSpec:
        """The metric called ``name``."""
        for metric in self.metrics:
            if metric.name == name:
                return metric
        raise ValidationError(repr(self.name), [Problem("metric", f"no metric {name!r}")])

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-safe data that :meth:`from_dict` reads back to an equal policy."""
        return {
            "name": self.name,
            "description": self.description,
            "precedence": self.precedence,
            "effective_from": None
            if self.effective_from is None
            else self.effective_from.isoformat(),
            "condition": self.condition.to_dict(),
            "metrics": [m.to_dict() for m in self.metrics],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SlaPolicy:
        """Build a policy from plain data; InvalidPolicy lists every problem with its path."""
        if not isinstance(data, Mapping):
            raise InvalidPolicy("policy", [Problem("", f"expected a mapping, got {data!r}")])
        subject = repr(data.get("name", "policy"))
        problems: list[Problem] = []
        known = {"name", "description", "precedence", "effective_from", "condition", "metrics"}
        problems.extend(Problem(k, "unknown key") for k in sorted(set(data) - known))
        values: dict[str, Any] = {k: v for k, v in data.items() if k in known}
        problems.extend(Problem(k, "missing") for k in ("name", "metrics") if k not in data)
        if isinstance(values.get("effective_from"), str):
            try:
                values["effective_from"] = dt.datetime.fromisoformat(values["effective_from"])
            except ValueError as exc:
                problems.append(Problem("effective_from", str(exc)))
        if "condition" in values:
            try:
                values["condition"] = condition_from_dict(values["condition"])
            except DeserializationError as exc:
                problems.extend(
                    Problem("condition" + (f".{p.path}" if p.path else ""), p.message)
                    for p in exc.problems
                )
        metrics = values.get("metrics", [])
        if not isinstance(metrics, list | tuple):
            problems.append(Problem("metrics", "expected a list"))
            metrics = []
        values["metrics"] = [_metric(m, f"metrics[{i}]", problems) for i, m in enumerate(metrics)]
        if problems:
            raise InvalidPolicy(subject, problems)
        return cls(**values)


def _metric(data: Any, path: str, problems: list[Problem]) -> MetricSpec | None:
    if not isinstance(data, Mapping):
        problems.append(Problem(path, "expected a mapping"))
        return None
    known = {f.name for f in attrs.fields(MetricSpec)}
    problems.extend(Problem(f"{path}.{k}", "unknown key") for k in sorted(set(data) - known))
    values: dict[str, Any] = {k: v for k, v in data.items() if k in known}
    before = len(problems)
    if "clock" not in data:
        problems.append(Problem(f"{path}.clock", "missing"))
    else:
        try:
            values["clock"] = ClockDefinition.from_dict(data["clock"], f"{path}.clock")
        except InvalidPolicy as exc:
            problems.extend(exc.problems)
    targets = data.get("targets", {})
    if not isinstance(targets, Mapping):
        problems.append(Problem(f"{path}.targets", "expected a mapping"))
    else:
        for key, text in targets.items():
            try:
                Duration.parse(text)
            except ValidationError as exc:
                problems.extend(Problem(f"{path}.targets.{key}", p.message) for p in exc.problems)
    values["thresholds"] = []
    for i, raw in enumerate(data.get("thresholds", [])):
        try:
            values["thresholds"].append(Threshold.from_dict(raw, f"{path}.thresholds[{i}]"))
        except InvalidPolicy as exc:
            problems.extend(exc.problems)
    if "on_change" in values and values["on_change"] not in {o.value for o in OnChange}:
        problems.append(Problem(f"{path}.on_change", f"unknown mode {values['on_change']!r}"))
    if len(problems) > before:
        return None
    try:
        return MetricSpec(**values)
    except (InvalidPolicy, TypeError) as exc:
        found = exc.problems if isinstance(exc, InvalidPolicy) else [Problem("", str(exc))]
        problems.extend(Problem(f"{path}.{p.path}", p.message) for p in found)
        return None
