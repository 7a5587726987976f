"""The emergency resource pool (应急资源库, 应急物资储备): what is held, what is free, and whether
the reserve and each plan's needs are covered."""

from __future__ import annotations

import enum
from collections.abc import Mapping

import attrs

from itsm_core._checks import is_int
from itsm_core._plain import (
    as_mapping,
    blank_problem,
    build,
    check_keys,
    integer,
    is_a,
    join,
    member_or_given,
    member_problems,
    read_enum,
    read_list,
    shown,
    text,
    tuple_or_given,
)
from itsm_core.emergency._plan import EmergencyPlan
from itsm_core.errors import CommandRejected, InvalidEmergencyPlan, Problem, ValidationError


class ResourceKind(enum.StrEnum):
    """What a resource is: stocked material (应急物资), equipment, a standby team, a facility."""

    MATERIAL = "material"
    EQUIPMENT = "equipment"
    TEAM = "team"
    FACILITY = "facility"


def _kind(value: object) -> object:
    return member_or_given(ResourceKind, value)


@attrs.frozen(kw_only=True)
class Resource:
    """One line of the pool: ``quantity`` held, ``allocated`` to a response now, ``reserve``
    the minimum that must stay available (the 储备 level), and where it is kept.

    >>> Resource(resource_id="ups", name="UPS unit", kind="equipment", quantity=4,
    ...          allocated=1, reserve=2).available
    3
    """

    resource_id: str
    name: str
    kind: ResourceKind = attrs.field(converter=_kind)
    quantity: int
    reserve: int = 0
    allocated: int = 0
    location: str = ""

    def __attrs_post_init__(self) -> None:
        found = (blank_problem(self.resource_id, "resource_id"), blank_problem(self.name, "name"))
        problems = [problem for problem in found if problem is not None]
        if not is_a(self.kind, ResourceKind):
            known = ", ".join(kind.value for kind in ResourceKind)
            problems.append(Problem("kind", f"expected one of {known}, got {shown(self.kind)}"))
        for name in ("quantity", "reserve", "allocated"):
            value = getattr(self, name)
            if not is_int(value) or value < 0:
                problems.append(Problem(name, f"expected an integer >= 0, got {shown(value)}"))
        if not problems and self.allocated > self.quantity:
            message = f"{self.allocated} allocated of {self.quantity} held"
            problems.append(Problem("allocated", message))
        if not is_a(self.location, str):
            problems.append(Problem("location", f"expected text, got {shown(self.location)}"))
        if problems:
            raise InvalidEmergencyPlan(f"resource {shown(self.resource_id)}", problems)

    @property
    def available(self) -> int:
        """What can be allocated now: held minus allocated."""
        return self.quantity - self.allocated

    def to_dict(self) -> dict[str, object]:
        """Plain data."""
        return {
            "resource_id": self.resource_id,
            "name": self.name,
            "kind": self.kind.value,
            "quantity": self.quantity,
            "reserve": self.reserve,
            "allocated": self.allocated,
            "location": self.location,
        }


@attrs.frozen(kw_only=True)
class Shortfall:
    """A resource with less available than ``needed`` (the reserve, or what a plan needs):
    ``short`` units missing. A resource the pool does not hold has ``held`` False."""

    resource_id: str
    needed: int
    available: int
    held: bool = True

    @property
    def short(self) -> int:
        """How many units are missing."""
        return self.needed - self.available


@attrs.frozen
class ResourcePool:
    """The emergency resource pool, a value: each change returns a new pool, a refused one
    (:class:`~itsm_core.errors.CommandRejected`) changes nothing.

    >>> pool = ResourcePool([Resource(resource_id="water", name="Bottled water (case)",
    ...                               kind="material", quantity=10, reserve=8)])
    >>> pool = pool.allocate("water", 3)
    >>> [(s.resource_id, s.needed, s.available) for s in pool.below_reserve()]
    [('water', 8, 7)]
    """

    resources: tuple[Resource, ...] = attrs.field(converter=tuple_or_given)

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        if not is_a(self.resources, tuple):
            problems.append(Problem("resources", f"expected a list, got {shown(self.resources)}"))
        else:
            problems.extend(
                member_problems(self.resources, Resource, "resource_id", "resources", "resource")
            )
        if problems:
            raise InvalidEmergencyPlan("resource pool", problems)

    def get(self, resource_id: str) -> Resource:
        """The resource with that id; ValidationError naming the known ids."""
        for resource in self.resources:
            if resource.resource_id == resource_id:
                return resource
        known = ", ".join(r.resource_id for r in self.resources) or "none"
        problem = Problem("resource_id", f"unknown resource {shown(resource_id)} (known: {known})")
        raise ValidationError("resource pool", [problem])

    def allocate(self, resource_id: str, quantity: int) -> ResourcePool:
        """The pool with ``quantity`` more allocated to a response; refused beyond what is
        available."""
        resource = self._changed(resource_id, quantity, "allocate")
        if quantity > resource.available:
            reason = f"{resource_id!r}: {quantity} asked, {resource.available} available"
            raise CommandRejected("allocate", [reason])
        return self._with(attrs.evolve(resource, allocated=resource.allocated + quantity))

    def release(self, resource_id: str, quantity: int) -> ResourcePool:
        """The pool with ``quantity`` allocated units back (unused)."""
        resource = self._changed(resource_id, quantity, "release")
        if quantity > resource.allocated:
            reason = f"{resource_id!r}: {quantity} released, {resource.allocated} allocated"
            raise CommandRejected("release", [reason])
        return self._with(attrs.evolve(resource, allocated=resource.allocated - quantity))

    def consume(self, resource_id: str, quantity: int) -> ResourcePool:
        """The pool after a response used up ``quantity`` allocated units (material spent)."""
        resource = self._changed(resource_id, quantity, "consume")
        if quantity > resource.allocated:
            reason = f"{resource_id!r}: {quantity} consumed, {resource.allocated} allocated"
            raise CommandRejected("consume", [reason])
        return self._with(
            attrs.evolve(
                resource,
                quantity=resource.quantity - quantity,
                allocated=resource.allocated - quantity,
            )
        )

    def restock(self, resource_id: str, quantity: int) -> ResourcePool:
        """The pool with ``quantity`` more units held (bought, repaired, returned)."""
        resource = self._changed(resource_id, quantity, "restock")
        return self._with(attrs.evolve(resource, quantity=resource.quantity + quantity))

    def below_reserve(self) -> tuple[Shortfall, ...]:
        """The resources whose available quantity is below their reserve (储备), by id."""
        return tuple(
            Shortfall(resource_id=r.resource_id, needed=r.reserve, available=r.available)
            for r in sorted(self.resources, key=lambda r: r.resource_id)
            if r.available < r.reserve
        )

    def shortfalls(self, plan: EmergencyPlan) -> tuple[Shortfall, ...]:
        """What ``plan`` needs and the pool cannot give now (a resource the pool does not
        hold at all is listed with ``held`` False), by id. Empty: the plan is covered."""
        held = {r.resource_id: r for r in self.resources}
        found = []
        for resource_id, needed in sorted(plan.resources.items()):
            resource = held.get(resource_id)
            available = 0 if resource is None else resource.available
            if available < needed:
                found.append(
                    Shortfall(
                        resource_id=resource_id,
                        needed=needed,
                        available=available,
                        held=resource is not None,
                    )
                )
        return tuple(found)

    def to_dict(self) -> dict[str, object]:
        """Plain data; :meth:`from_dict` reads it back."""
        return {"resources": [resource.to_dict() for resource in self.resources]}

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> ResourcePool:
        """A pool from plain data; InvalidEmergencyPlan lists every problem with its path."""
        problems: list[Problem] = []
        top = as_mapping(data, "", problems)
        if top is None:
            raise InvalidEmergencyPlan("resource pool", problems)
        check_keys(top, "", ("resources",), (), problems)
        resources = []
        for i, raw in enumerate(read_list(top, "resources", "", problems)):
            resource = _read_resource(raw, f"resources[{i}]", problems)
            if resource is not None:
                resources.append(resource)
        if problems:
            raise InvalidEmergencyPlan("resource pool", problems)
        return cls(resources)

    def _changed(self, resource_id: str, quantity: int, action: str) -> Resource:
        if not is_int(quantity) or quantity < 1:
            problem = Problem("quantity", f"expected an integer >= 1, got {shown(quantity)}")
            raise ValidationError(action, [problem])
        return self.get(resource_id)

    def _with(self, resource: Resource) -> ResourcePool:
        return ResourcePool(
            tuple(resource if r.resource_id == resource.resource_id else r for r in self.resources)
        )


def _read_resource(raw: object, path: str, problems: list[Problem]) -> Resource | None:
    data = as_mapping(raw, path, problems)
    if data is None:
        return None
    before = len(problems)
    required = ("resource_id", "name", "kind", "quantity")
    check_keys(data, path, required, ("reserve", "allocated", "location"), problems)
    values: dict[str, object] = {}
    for name in ("resource_id", "name"):
        if name in data:
            values[name] = text(data[name], join(path, name), problems)
    if "kind" in data:
        values["kind"] = read_enum(data["kind"], ResourceKind, join(path, "kind"), problems)
    for name in ("quantity", "reserve", "allocated"):
        if name in data:
            values[name] = integer(data[name], join(path, name), problems, minimum=0)
    if "location" in data:
        values["location"] = text(data["location"], join(path, "location"), problems)
    if len(problems) > before:
        return None
    return build(lambda: Resource(**values), InvalidEmergencyPlan, path, problems)  # type: ignore[arg-type]
