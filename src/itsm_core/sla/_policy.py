"""SLA policies as data: who they apply to, from when, and the targets of each metric."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from typing import Any

import attrs

from itsm_core._checks import is_aware, is_int
from itsm_core._plain import key_text, member_or_given, shown, tuple_or_given
from itsm_core.errors import DeserializationError, InvalidPolicy, Problem, ValidationError
from itsm_core.sla._conditions import (
    ALWAYS,
    Condition,
    condition_from_dict,
    condition_problem,
    field_problem,
    field_value,
)
from itsm_core.sla._definition import BUILTIN_CLOCKS, ClockDefinition
from itsm_core.sla._duration import Duration, name_problem, nonempty
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


def _targets(value: Mapping[str, Duration | str | dt.timedelta]) -> Mapping[str, Duration]:
    if not isinstance(value, Mapping):
        raise InvalidPolicy(
            "metric", [Problem("targets", f"expected a mapping, got {shown(value)}")]
        )
    out: dict[str, Duration] = {}
    problems: list[Problem] = []
    for key, target in value.items():
        try:
            out[key_text(key)] = Duration.of(target)
        except ValidationError as error:
            problems.extend(Problem(f"targets.{key_text(key)}", p.message) for p in error.problems)
    if problems:
        raise InvalidPolicy("metric", problems)
    return dict(sorted(out.items()))


def _on_change(value: Any) -> Any:
    return member_or_given(OnChange, value)


_ON_CHANGES = frozenset(o.value for o in OnChange)


@attrs.frozen(kw_only=True)
class MetricSpec:
    """One metric of a policy: a clock definition, its targets, calendar and thresholds.

    ``targets`` maps a value of the ticket field ``target_by`` (``"priority"`` by default,
    so keys ``"1"``, ``"2"``...) to a :class:`Duration` (or its text, ``"4 business hours"``,
    or a ``timedelta`` of working time under a day: see :meth:`Duration.of`); ``"*"`` is the
    fallback. A ticket with no matching key has a clock without a target (measured, never
    breached).

    ``calendar`` names a business calendar passed at evaluation (None: 24x7 calendar time);
    with ``customer_calendar`` the requester's own calendar (and so time zone) is used when
    the evaluation has one for them.
    """

    clock: ClockDefinition
    targets: Mapping[str, Duration] = attrs.field(converter=_targets)
    target_by: str = "priority"
    calendar: str | None = None
    customer_calendar: bool = False
    thresholds: tuple[Threshold, ...] = attrs.field(default=(), converter=tuple_or_given)
    on_change: OnChange = attrs.field(default=OnChange.CARRY_OVER, converter=_on_change)

    def __attrs_post_init__(self) -> None:
        problems = _metric_field_problems(self.target_by, self.calendar, self.customer_calendar)
        # Read as plain objects: the converters keep what they cannot convert, for these checks.
        on_change: object = self.on_change
        if not isinstance(on_change, OnChange):
            choices = ", ".join(o.value for o in OnChange)
            problems.append(Problem("on_change", f"{shown(on_change)} is not one of {choices}"))
        thresholds: object = self.thresholds
        if not isinstance(thresholds, tuple) or not all(
            isinstance(t, Threshold) for t in thresholds
        ):
            problems.append(
                Problem("thresholds", f"expected a list of thresholds, got {shown(thresholds)}")
            )
        else:
            names = [t.name for t in self.thresholds]
            problems.extend(
                Problem(f"thresholds[{i}].name", f"{shown(name)} is used twice")
                for i, name in enumerate(names)
                if name in names[:i]
            )
        clock: object = self.clock
        subject = f"metric {shown(clock.name)}" if isinstance(clock, ClockDefinition) else "metric"
        if not isinstance(clock, ClockDefinition):
            problems.append(Problem("clock", f"expected a ClockDefinition, got {shown(clock)}"))
        if problems:
            raise InvalidPolicy(subject, problems)

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


def _metric_field_problems(
    target_by: object, calendar: object, customer_calendar: object
) -> list[Problem]:
    """What is wrong with the plain fields of a metric (shared by the constructor and
    :meth:`SlaPolicy.from_dict`, which reports them with the other problems of the metric)."""
    problems = []
    target_by_problem = field_problem(target_by)
    if target_by_problem is not None:
        problems.append(Problem("target_by", target_by_problem))
    if calendar is not None and not nonempty(calendar):
        problems.append(Problem("calendar", f"expected a calendar name, got {shown(calendar)}"))
    if not isinstance(customer_calendar, bool):
        problems.append(
            Problem("customer_calendar", f"expected true or false, got {shown(customer_calendar)}")
        )
    return problems


def _policy_field_problems(
    name: object, description: object, precedence: object, effective_from: object
) -> list[Problem]:
    """What is wrong with the plain fields of a policy (shared by the constructor and
    :meth:`SlaPolicy.from_dict`, which reports them with every other problem)."""
    problems = []
    name_message = name_problem(name)
    if name_message is not None:
        problems.append(Problem("name", name_message))
    if not isinstance(description, str):
        problems.append(Problem("description", f"expected a string, got {shown(description)}"))
    if not is_int(precedence):
        problems.append(Problem("precedence", f"{shown(precedence)} is not an int"))
    if effective_from is not None and not isinstance(effective_from, dt.datetime):
        problems.append(
            Problem("effective_from", f"expected a datetime, got {shown(effective_from)}")
        )
    elif isinstance(effective_from, dt.datetime) and not is_aware(effective_from):
        problems.append(Problem("effective_from", "naive datetime (a time zone is required)"))
    return problems


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
        problems = _policy_field_problems(
            self.name, self.description, self.precedence, self.effective_from
        )
        condition = condition_problem(self.condition)
        if condition is not None:
            problems.append(Problem("condition", condition))
        if not self.metrics:
            problems.append(Problem("metrics", "a policy has at least one metric"))
        names = [m.name for m in self.metrics]
        problems.extend(
            Problem(f"metrics[{i}]", f"metric {shown(name)} is defined twice")
            for i, name in enumerate(names)
            if name in names[:i]
        )
        if problems:
            raise InvalidPolicy(shown(self.name), problems)

    def metric(self, name: str) -> MetricSpec:
        """The metric called ``name``."""
        for metric in self.metrics:
            if metric.name == name:
                return metric
        raise ValidationError(shown(self.name), [Problem("metric", f"no metric {shown(name)}")])

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
            raise InvalidPolicy("policy", [Problem("", f"expected a mapping, got {shown(data)}")])
        subject = shown(data.get("name", "policy"))
        problems: list[Problem] = []
        known = {"name", "description", "precedence", "effective_from", "condition", "metrics"}
        unknown = sorted(set(data) - known, key=key_text)
        problems.extend(Problem(key_text(k), "unknown key") for k in unknown)
        values: dict[str, Any] = {k: v for k, v in data.items() if k in known}
        problems.extend(Problem(k, "missing") for k in ("name", "metrics") if k not in data)
        effective_from = _instant(values.get("effective_from"))
        if effective_from is None and values.get("effective_from") is not None:
            raw = values["effective_from"]
            problems.append(
                Problem(
                    "effective_from", f"expected an ISO 8601 datetime with offset, got {shown(raw)}"
                )
            )
        elif "effective_from" in values:
            values["effective_from"] = effective_from
        problems.extend(
            _policy_field_problems(
                values.get("name", "-"),  # a missing name is reported above
                values.get("description", ""),
                values.get("precedence", 100),
                effective_from,
            )
        )
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


def _instant(value: object) -> dt.datetime | None:
    """``value`` as a datetime (given as one, or as ISO 8601 text); None when it is neither."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def _metric(data: Any, path: str, problems: list[Problem]) -> MetricSpec | None:
    if not isinstance(data, Mapping):
        problems.append(Problem(path, "expected a mapping"))
        return None
    known = {f.name for f in attrs.fields(MetricSpec)}
    problems.extend(
        Problem(f"{path}.{key_text(k)}", "unknown key")
        for k in sorted(set(data) - known, key=key_text)
    )
    values: dict[str, Any] = {k: v for k, v in data.items() if k in known}
    before = len(problems)
    if "targets" not in data:
        problems.append(Problem(f"{path}.targets", "missing"))
    if "clock" not in data:
        problems.append(Problem(f"{path}.clock", "missing"))
    elif isinstance(data["clock"], str):
        builtin = {c.name: c for c in BUILTIN_CLOCKS}
        if data["clock"] in builtin:
            values["clock"] = builtin[data["clock"]]
        else:
            names = ", ".join(builtin)
            problems.append(
                Problem(
                    f"{path}.clock", f"no built-in clock {shown(data['clock'])} (known: {names})"
                )
            )
    else:
        try:
            values["clock"] = ClockDefinition.from_dict(data["clock"], f"{path}.clock")
        except InvalidPolicy as exc:
            problems.extend(exc.problems)
    problems.extend(
        Problem(f"{path}.{p.path}", p.message)
        for p in _metric_field_problems(
            data.get("target_by", "priority"),
            data.get("calendar"),
            data.get("customer_calendar", False),
        )
    )
    targets = data.get("targets", {})
    if not isinstance(targets, Mapping):
        problems.append(Problem(f"{path}.targets", "expected a mapping"))
    else:
        for key, text in targets.items():
            try:
                Duration.of(text)
            except ValidationError as exc:
                problems.extend(
                    Problem(f"{path}.targets.{key_text(key)}", p.message) for p in exc.problems
                )
    thresholds = data.get("thresholds", [])
    if not isinstance(thresholds, list | tuple):
        problems.append(Problem(f"{path}.thresholds", f"expected a list, got {shown(thresholds)}"))
        thresholds = []
    values["thresholds"] = []
    for i, raw in enumerate(thresholds):
        try:
            values["thresholds"].append(Threshold.from_dict(raw, f"{path}.thresholds[{i}]"))
        except InvalidPolicy as exc:
            problems.extend(exc.problems)
    on_change = values.get("on_change", OnChange.CARRY_OVER.value)
    if not isinstance(on_change, str) or on_change not in _ON_CHANGES:
        problems.append(Problem(f"{path}.on_change", f"unknown mode {shown(on_change)}"))
    if len(problems) > before:
        return None
    try:
        return MetricSpec(**values)
    except InvalidPolicy as exc:
        problems.extend(
            Problem(f"{path}.{p.path}" if p.path else path, p.message) for p in exc.problems
        )
        return None
