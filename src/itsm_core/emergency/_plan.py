"""Emergency plans (应急预案) as data: event types, risk, response flow, roles, resources,
communication plan, owner and review date; and the registry that holds them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from itsm_core._checks import frozen_mapping, is_int
from itsm_core._plain import (
    as_mapping,
    blank_problem,
    build,
    check_keys,
    integer,
    is_a,
    is_text,
    iso_date,
    join,
    read_list,
    shown,
    text,
    texts,
    tuple_or_given,
)
from itsm_core.errors import InvalidEmergencyPlan, InvalidPriorityMatrix, Problem, ValidationError
from itsm_core.priority import EMERGENCY_GRADING, GradingDecision, ResponseGrading

_MINUTE = dt.timedelta(minutes=1)


def _minutes(value: dt.timedelta) -> int:
    return int(value / _MINUTE)


def _within_problem(value: object, path: str) -> Problem | None:
    if isinstance(value, dt.timedelta) and value >= dt.timedelta(0) and not value % _MINUTE:
        return None
    return Problem(path, f"expected whole minutes from activation (>= 0), got {shown(value)}")


@attrs.frozen(kw_only=True)
class ResponseStep:
    """One step of the response flow: what is done, by which role of the plan, at the latest
    ``within`` after activation (whole minutes)."""

    name: str
    role: str
    within: dt.timedelta

    def problems(self) -> list[Problem]:
        """What is wrong with the step, paths relative to it."""
        found = [
            blank_problem(self.name, "name"),
            blank_problem(self.role, "role"),
            _within_problem(self.within, "within"),
        ]
        return [problem for problem in found if problem is not None]

    def to_dict(self) -> dict[str, object]:
        """Plain data."""
        return {"name": self.name, "role": self.role, "within_minutes": _minutes(self.within)}


@attrs.frozen(kw_only=True)
class CommunicationStep:
    """Who is told (``audience``: customers, management, a regulator), how (``channel``) and
    at the latest when (``within`` after activation)."""

    audience: str
    channel: str
    within: dt.timedelta

    def problems(self) -> list[Problem]:
        """What is wrong with the step, paths relative to it."""
        found = [
            blank_problem(self.audience, "audience"),
            blank_problem(self.channel, "channel"),
            _within_problem(self.within, "within"),
        ]
        return [problem for problem in found if problem is not None]

    def to_dict(self) -> dict[str, object]:
        """Plain data."""
        return {
            "audience": self.audience,
            "channel": self.channel,
            "within_minutes": _minutes(self.within),
        }


def _text_set(values: Iterable[str]) -> Any:
    return values if isinstance(values, str) else frozenset(values)


@attrs.frozen(kw_only=True)
class EmergencyPlan:
    """An emergency plan (应急预案): the event types it answers, its place on the risk matrix
    (``likelihood`` x ``severity``, graded by the registry's :class:`ResponseGrading`), the
    response flow, the roles that run it, the resources it needs from the resource pool, the
    communication plan, its owner, the date it must be reviewed by and how often it is drilled
    (定期组织演练, every ``drill_every_months`` months).

    Checked on construction; :class:`~itsm_core.errors.InvalidEmergencyPlan` lists every
    problem with its path.

    >>> plan = EmergencyPlan(plan_id="EP-1", title="Data centre outage",
    ...     event_types={"datacentre_outage"}, likelihood=3, severity=1, owner="ops-manager",
    ...     review_by=dt.date(2026, 6, 30), roles={"commander": "ops-manager"},
    ...     response_flow=[ResponseStep(name="assemble", role="commander",
    ...                                 within=dt.timedelta(minutes=15))])
    >>> plan.review_overdue(dt.date(2026, 7, 1))
    True
    """

    plan_id: str
    title: str
    event_types: frozenset[str] = attrs.field(converter=_text_set)
    likelihood: int
    severity: int
    owner: str
    review_by: dt.date
    roles: Mapping[str, str] = attrs.field(converter=frozen_mapping)
    response_flow: tuple[ResponseStep, ...] = attrs.field(converter=tuple_or_given)
    resources: Mapping[str, int] = attrs.field(factory=dict, converter=frozen_mapping)
    communication: tuple[CommunicationStep, ...] = attrs.field(default=(), converter=tuple_or_given)
    drill_every_months: int = 12

    def __attrs_post_init__(self) -> None:
        problems = _plan_problems(self)
        if problems:
            raise InvalidEmergencyPlan(shown(self.plan_id), problems)

    def review_overdue(self, on: dt.date) -> bool:
        """True when the plan was due for review before ``on`` (the review date has passed)."""
        return self.review_by < on

    def step(self, name: str) -> ResponseStep:
        """The response step called ``name``; ValidationError naming the known steps."""
        for step in self.response_flow:
            if step.name == name:
                return step
        known = ", ".join(step.name for step in self.response_flow)
        raise ValidationError(
            f"plan {shown(self.plan_id)}",
            [Problem("step", f"unknown step {shown(name)} (known: {known})")],
        )

    def to_dict(self) -> dict[str, object]:
        """Plain, JSON-safe data; :meth:`PlanRegistry.from_dict` reads a list of them."""
        return {
            "plan_id": self.plan_id,
            "title": self.title,
            "event_types": sorted(self.event_types),
            "likelihood": self.likelihood,
            "severity": self.severity,
            "owner": self.owner,
            "review_by": self.review_by.isoformat(),
            "drill_every_months": self.drill_every_months,
            "roles": dict(self.roles),
            "response_flow": [step.to_dict() for step in self.response_flow],
            "resources": dict(self.resources),
            "communication": [step.to_dict() for step in self.communication],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> EmergencyPlan:
        """A plan from the data of :meth:`to_dict` (one entry of a registry's ``plans``);
        :class:`~itsm_core.errors.InvalidEmergencyPlan` lists every problem with its path.

        >>> plan = EmergencyPlan.from_dict({"plan_id": "EP-1", "title": "Outage",
        ...     "event_types": ["outage"], "likelihood": 3, "severity": 1, "owner": "ops",
        ...     "review_by": "2026-06-30", "roles": {"commander": "ops-manager"},
        ...     "response_flow": [{"name": "assemble", "role": "commander",
        ...                        "within_minutes": 15}]})
        >>> EmergencyPlan.from_dict(plan.to_dict()) == plan
        True
        """
        problems: list[Problem] = []
        plan = _read_plan(data, "", problems)
        if plan is None or problems:
            raise InvalidEmergencyPlan("plan", problems)
        return plan


def _plan_problems(plan: EmergencyPlan) -> list[Problem]:
    found = [blank_problem(getattr(plan, name), name) for name in ("plan_id", "title", "owner")]
    problems = [problem for problem in found if problem is not None]
    if is_a(plan.event_types, str) or not plan.event_types:
        message = f"give a set of event types, got {shown(plan.event_types)}"
        problems.append(Problem("event_types", message))
    else:
        problems.extend(
            Problem("event_types", f"expected a non-blank string, got {shown(kind)}")
            for kind in sorted(plan.event_types, key=str)
            if blank_problem(kind, "") is not None
        )
    for name in ("likelihood", "severity"):
        value = getattr(plan, name)
        if not is_int(value) or value < 1:
            problems.append(Problem(name, f"expected a level >= 1, got {shown(value)}"))
    if not is_a(plan.review_by, dt.date) or is_a(plan.review_by, dt.datetime):
        problems.append(Problem("review_by", f"expected a date, got {shown(plan.review_by)}"))
    if not is_int(plan.drill_every_months) or not 1 <= plan.drill_every_months <= 36:
        problems.append(
            Problem("drill_every_months", f"expected 1 to 36, got {shown(plan.drill_every_months)}")
        )
    if not plan.roles:
        problems.append(Problem("roles", "give at least one role"))
    for role, holder in plan.roles.items():
        if blank_problem(role, "") is not None or blank_problem(holder, "") is not None:
            message = f"blank role or holder {shown(holder)}"
            problems.append(Problem(join("roles", str(role)), message))
    problems.extend(_flow_problems(plan))
    for resource, quantity in plan.resources.items():
        if blank_problem(resource, "") is not None or not is_int(quantity) or quantity < 1:
            message = f"expected a quantity >= 1, got {shown(quantity)}"
            problems.append(Problem(join("resources", str(resource)), message))
    if not is_a(plan.communication, tuple):
        message = f"expected a list, got {shown(plan.communication)}"
        problems.append(Problem("communication", message))
        return problems
    for i, told in enumerate(plan.communication):
        where = f"communication[{i}]"
        if not is_a(told, CommunicationStep):
            problems.append(Problem(where, f"expected a CommunicationStep, got {shown(told)}"))
        else:
            problems.extend(Problem(join(where, p.path), p.message) for p in told.problems())
    return problems


def _flow_problems(plan: EmergencyPlan) -> list[Problem]:
    if not is_a(plan.response_flow, tuple) or not plan.response_flow:
        message = f"give at least one step, got {shown(plan.response_flow)}"
        return [Problem("response_flow", message)]
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, step in enumerate(plan.response_flow):
        where = f"response_flow[{i}]"
        if not is_a(step, ResponseStep):
            problems.append(Problem(where, f"expected a ResponseStep, got {shown(step)}"))
            continue
        problems.extend(Problem(join(where, p.path), p.message) for p in step.problems())
        if step.name in seen:
            problems.append(Problem(f"{where}.name", f"repeated step {shown(step.name)}"))
        seen.add(step.name)
        if is_text(step.role) and step.role not in plan.roles:
            known = ", ".join(sorted(plan.roles)) or "none"
            problems.append(
                Problem(f"{where}.role", f"unknown role {shown(step.role)} (roles: {known})")
            )
    return problems


@attrs.frozen
class PlanRegistry:
    """Every emergency plan, graded on one risk matrix (:data:`~itsm_core.priority.
    EMERGENCY_GRADING` unless told otherwise), each event type answered by exactly one plan.

    >>> registry = PlanRegistry.from_dict({"plans": [{
    ...     "plan_id": "EP-1", "title": "Data centre outage", "event_types": ["outage"],
    ...     "likelihood": 3, "severity": 1, "owner": "ops", "review_by": "2026-06-30",
    ...     "roles": {"commander": "ops-manager"},
    ...     "response_flow": [{"name": "assemble", "role": "commander", "within_minutes": 15}]}]})
    >>> registry.for_event("outage").plan_id, registry.risk("EP-1").label
    ('EP-1', 'Major')
    """

    plans: tuple[EmergencyPlan, ...] = attrs.field(converter=tuple_or_given)
    grading: ResponseGrading = EMERGENCY_GRADING

    def __attrs_post_init__(self) -> None:
        problems = _registry_problems(self.plans, self.grading)
        if problems:
            raise InvalidEmergencyPlan("registry", problems)

    def get(self, plan_id: str) -> EmergencyPlan:
        """The plan with that id; ValidationError naming the known ids."""
        for plan in self.plans:
            if plan.plan_id == plan_id:
                return plan
        known = ", ".join(plan.plan_id for plan in self.plans)
        raise ValidationError(
            "plan registry", [Problem("plan_id", f"unknown plan {shown(plan_id)} (known: {known})")]
        )

    def for_event(self, event_type: str) -> EmergencyPlan:
        """The plan that answers ``event_type``; ValidationError naming the known types."""
        for plan in self.plans:
            if event_type in plan.event_types:
                return plan
        known = ", ".join(sorted(kind for plan in self.plans for kind in plan.event_types))
        raise ValidationError(
            "plan registry",
            [Problem("event_type", f"no plan for {shown(event_type)} (plans answer: {known})")],
        )

    def risk(self, plan_id: str) -> GradingDecision:
        """The plan's risk-matrix grading: its response level (1 major ... 3 general),
        explained."""
        plan = self.get(plan_id)
        return self.grading.grade(plan.likelihood, plan.severity)

    def overdue_reviews(self, on: dt.date) -> tuple[EmergencyPlan, ...]:
        """The plans whose review date passed before ``on``, the most overdue first."""
        late = [plan for plan in self.plans if plan.review_overdue(on)]
        return tuple(sorted(late, key=lambda plan: (plan.review_by, plan.plan_id)))

    def to_dict(self) -> dict[str, object]:
        """Plain, JSON-safe data; :meth:`from_dict` reads it back."""
        return {
            "plans": [plan.to_dict() for plan in self.plans],
            "grading": self.grading.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> PlanRegistry:
        """A registry from plain data; :class:`~itsm_core.errors.InvalidEmergencyPlan` lists
        every problem with its path (``plans[1].response_flow[0].within_minutes``)."""
        problems: list[Problem] = []
        top = as_mapping(data, "", problems)
        if top is None:
            raise InvalidEmergencyPlan("registry", problems)
        check_keys(top, "", ("plans",), ("grading",), problems)
        grading = EMERGENCY_GRADING
        if "grading" in top:
            raw = top["grading"]
            read = build(
                lambda: ResponseGrading.from_dict(raw),  # type: ignore[arg-type]
                InvalidPriorityMatrix,
                "grading",
                problems,
            )
            grading = read if read is not None else grading
        plans = []
        for i, raw_plan in enumerate(read_list(top, "plans", "", problems)):
            plan = _read_plan(raw_plan, f"plans[{i}]", problems)
            if plan is not None:
                plans.append(plan)
        if problems:
            raise InvalidEmergencyPlan("registry", problems)
        return cls(plans, grading)


def _registry_problems(plans: tuple[EmergencyPlan, ...], grading: ResponseGrading) -> list[Problem]:
    if not is_a(grading, ResponseGrading):
        return [Problem("grading", f"expected a ResponseGrading, got {shown(grading)}")]
    if not is_a(plans, tuple) or not plans:
        return [Problem("plans", f"give at least one plan, got {shown(plans)}")]
    problems: list[Problem] = []
    ids: set[str] = set()
    answered: dict[str, str] = {}
    matrix = grading.matrix
    for i, plan in enumerate(plans):
        where = f"plans[{i}]"
        if not is_a(plan, EmergencyPlan):
            problems.append(Problem(where, f"expected an EmergencyPlan, got {shown(plan)}"))
            continue
        if plan.plan_id in ids:
            problems.append(Problem(f"{where}.plan_id", f"repeated plan {shown(plan.plan_id)}"))
        ids.add(plan.plan_id)
        for kind in sorted(plan.event_types):
            if kind in answered:
                message = f"{shown(kind)} is already answered by plan {shown(answered[kind])}"
                problems.append(Problem(f"{where}.event_types", message))
            answered.setdefault(kind, plan.plan_id)
        for name, scale in (("likelihood", matrix.rows), ("severity", matrix.columns)):
            problem = scale.problem(getattr(plan, name), join(where, name))
            if problem is not None:
                problems.append(problem)
    return problems


_PLAN_KEYS = ("plan_id", "title", "event_types", "likelihood", "severity", "owner", "review_by")
_PLAN_OPTIONAL = ("roles", "response_flow", "resources", "communication", "drill_every_months")


def _read_plan(raw: object, path: str, problems: list[Problem]) -> EmergencyPlan | None:
    data = as_mapping(raw, path, problems)
    if data is None:
        return None
    before = len(problems)
    check_keys(data, path, (*_PLAN_KEYS, "roles", "response_flow"), _PLAN_OPTIONAL, problems)
    values: dict[str, Any] = {}
    for name in ("plan_id", "title", "owner"):
        if name in data:
            values[name] = text(data[name], join(path, name), problems)
    if "event_types" in data:
        values["event_types"] = texts(data["event_types"], join(path, "event_types"), problems)
    for name in ("likelihood", "severity"):
        if name in data:
            values[name] = integer(data[name], join(path, name), problems, minimum=1)
    if "review_by" in data:
        values["review_by"] = iso_date(data["review_by"], join(path, "review_by"), problems)
    if "drill_every_months" in data:
        where = join(path, "drill_every_months")
        values["drill_every_months"] = integer(
            data["drill_every_months"], where, problems, minimum=1, maximum=36
        )
    for name in ("roles", "resources"):
        if name in data:
            values[name] = as_mapping(data[name], join(path, name), problems)
    values["response_flow"] = [
        _read_step(item, join(join(path, "response_flow"), i), ("name", "role"), problems)
        for i, item in enumerate(read_list(data, "response_flow", path, problems))
    ]
    values["communication"] = [
        _read_step(item, join(join(path, "communication"), i), ("audience", "channel"), problems)
        for i, item in enumerate(read_list(data, "communication", path, problems))
    ]
    if len(problems) > before:
        return None
    values["response_flow"] = [ResponseStep(**step) for step in values["response_flow"]]
    values["communication"] = [CommunicationStep(**step) for step in values["communication"]]
    return build(lambda: EmergencyPlan(**values), InvalidEmergencyPlan, path, problems)


def _read_step(
    raw: object, path: str, names: tuple[str, str], problems: list[Problem]
) -> dict[str, Any]:
    data = as_mapping(raw, path, problems)
    if data is None:
        return {}
    check_keys(data, path, (*names, "within_minutes"), (), problems)
    step: dict[str, Any] = {
        name: text(data[name], join(path, name), problems) for name in names if name in data
    }
    if "within_minutes" in data:
        minutes = integer(data["within_minutes"], join(path, "within_minutes"), problems, minimum=0)
        step["within"] = None if minutes is None else dt.timedelta(minutes=minutes)
    return step
