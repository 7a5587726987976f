"""Warnings before a breach and escalation levels after it."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from typing import Any

import attrs

from itsm_core._plain import is_number, key_text, member_or_given, shown, tuple_or_given
from itsm_core.errors import InvalidPolicy, Problem, ValidationError
from itsm_core.sla._duration import Duration, Unit, name_problem, nonempty, positive_int


class ActionKind(enum.StrEnum):
    """What reaching a threshold asks for."""

    WARN = "warn"
    BREACH = "breach"
    ESCALATE = "escalate"


def _action(value: Any) -> Any:
    return member_or_given(ActionKind, value)


_ACTIONS = frozenset(a.value for a in ActionKind)


def _offset(value: Any) -> Any:
    """A ``timedelta`` offset as a Duration in minutes or hours; anything else as given."""
    if isinstance(value, dt.timedelta):
        try:
            return Duration.from_timedelta(value, working=False)
        except ValidationError:
            return value  # refused by the checks, with the threshold's other problems
    return value


@attrs.frozen(kw_only=True)
class Threshold:
    """A point on a clock and the action due when the clock reaches it.

    The point is exactly one of: ``percent`` of the target (50, 75, 100...), ``before_breach``
    or ``after_breach`` (a :class:`Duration` in minutes or hours, or a ``timedelta`` of whole
    minutes under a day). Points are measured on the
    clock's own time (business time for a business clock): "15 minutes before breach" on a
    9-to-5 clock due at 09:10 Monday is 16:55 on Friday, and a paused clock reaches nothing.

    ``notify`` names whom to tell (roles or addresses, the caller's vocabulary); ``level`` is
    the escalation level for ``escalate`` actions.

    >>> Threshold(name="warn-75", percent=75, notify=("assignee", "manager")).point(
    ...     dt.timedelta(hours=4))
    datetime.timedelta(seconds=10800)
    """

    name: str
    action: ActionKind = attrs.field(default=ActionKind.WARN, converter=_action)
    percent: float | None = None
    before_breach: Duration | None = attrs.field(default=None, converter=_offset)
    after_breach: Duration | None = attrs.field(default=None, converter=_offset)
    notify: tuple[str, ...] = attrs.field(default=(), converter=tuple_or_given)
    level: int | None = None

    def __attrs_post_init__(self) -> None:
        problems = threshold_problems(self)
        if problems:
            raise InvalidPolicy(f"threshold {shown(self.name)}", problems)

    def point(self, target: dt.timedelta) -> dt.timedelta:
        """The clock time at which a clock with ``target`` reaches this threshold."""
        if self.percent is not None:
            return target * (self.percent / 100)
        if self.before_breach is not None:
            return target - self.before_breach.clock_time_plain()
        assert self.after_breach is not None
        return target + self.after_breach.clock_time_plain()

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        data: dict[str, Any] = {"name": self.name, "action": self.action.value}
        if self.percent is not None:
            data["percent"] = self.percent
        if self.before_breach is not None:
            data["before_breach"] = str(self.before_breach)
        if self.after_breach is not None:
            data["after_breach"] = str(self.after_breach)
        if self.notify:
            data["notify"] = list(self.notify)
        if self.level is not None:
            data["level"] = self.level
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], path: str = "") -> Threshold:
        """Load :meth:`to_dict` data; InvalidPolicy lists every problem with its path."""
        prefix = f"{path}." if path else ""
        if not isinstance(data, Mapping):
            raise InvalidPolicy("threshold", [Problem(path, "expected a mapping")])
        problems: list[Problem] = []
        values = dict(data)
        known = {f.name for f in attrs.fields(cls)}
        problems.extend(
            Problem(f"{prefix}{key_text(k)}", "unknown key")
            for k in sorted(set(data) - known, key=key_text)
        )
        for key in ("before_breach", "after_breach"):
            if isinstance(values.get(key), str | dt.timedelta):
                try:
                    values[key] = Duration.of(values[key], working=False)
                except ValidationError as exc:
                    problems.extend(Problem(f"{prefix}{key}", p.message) for p in exc.problems)
        if "name" not in values:
            problems.append(Problem(f"{prefix}name", "missing"))
        action = values.get("action", ActionKind.WARN.value)
        if not isinstance(action, str) or action not in _ACTIONS:
            problems.append(Problem(f"{prefix}action", f"unknown action {shown(action)}"))
        notify = values.get("notify", [])
        if not isinstance(notify, list | tuple) or not all(nonempty(n) for n in notify):
            problems.append(
                Problem(
                    f"{prefix}notify", f"expected a list of non-empty names, got {shown(notify)}"
                )
            )
        if problems:
            raise InvalidPolicy("threshold", problems)
        try:
            return cls(**{k: v for k, v in values.items() if k in known})
        except InvalidPolicy as exc:
            raise InvalidPolicy(
                "threshold",
                [Problem(f"{prefix}{p.path}" if p.path else path, p.message) for p in exc.problems],
            ) from exc


def threshold_problems(threshold: Threshold) -> list[Problem]:
    """Everything wrong with a threshold."""
    problems: list[Problem] = []
    name = name_problem(threshold.name)
    if name is not None:
        problems.append(Problem("name", name))
    # Read as plain objects: the converters keep what they cannot convert, for these checks.
    action: object = threshold.action
    if not isinstance(action, ActionKind):
        choices = ", ".join(a.value for a in ActionKind)
        problems.append(Problem("action", f"{shown(action)} is not one of {choices}"))
    points = [
        p
        for p in (threshold.percent, threshold.before_breach, threshold.after_breach)
        if p is not None
    ]
    if len(points) != 1:
        problems.append(Problem("", "give exactly one of percent, before_breach and after_breach"))
    percent = threshold.percent
    if percent is not None and not (is_number(percent) and percent > 0):
        problems.append(
            Problem("percent", f"{shown(threshold.percent)} is not a positive finite number")
        )
    for key in ("before_breach", "after_breach"):
        value = getattr(threshold, key)
        if value is not None and (
            not isinstance(value, Duration) or value.unit not in (Unit.MINUTES, Unit.HOURS)
        ):
            problems.append(Problem(key, f"{shown(value)} is not a duration in minutes or hours"))
    if threshold.action is ActionKind.ESCALATE and threshold.level is None:
        problems.append(Problem("level", "an escalation names its level"))
    if threshold.level is not None and not positive_int(threshold.level):
        problems.append(Problem("level", f"{shown(threshold.level)} is not a positive int"))
    notify: object = threshold.notify
    if not isinstance(notify, tuple) or not all(nonempty(n) for n in notify):
        problems.append(
            Problem("notify", f"expected a list of non-empty names, got {shown(notify)}")
        )
    return problems


#: ServiceNow's default SLA flow: warn the assignee at 50 %, assignee and manager at 75 %,
#: and the breach at 100 %.
SERVICENOW_THRESHOLDS = (
    Threshold(name="warn-50", percent=50, notify=("assignee",)),
    Threshold(name="warn-75", percent=75, notify=("assignee", "manager")),
    Threshold(name="breach", action=ActionKind.BREACH, percent=100, notify=("assignee", "manager")),
)
