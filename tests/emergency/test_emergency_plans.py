"""Emergency plans as data, the resource pool and its reserve (应急预案, 应急资源库)."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsm_core.emergency import (
    EmergencyPlan,
    PlanRegistry,
    Resource,
    ResourcePool,
    ResponseStep,
    Shortfall,
)
from itsm_core.errors import CommandRejected, InvalidEmergencyPlan, ValidationError


def plan_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "plan_id": "EP-DC",
        "title": "Data centre power loss",
        "event_types": ["power_loss", "datacentre_outage"],
        "likelihood": 4,
        "severity": 1,
        "owner": "ops-manager",
        "review_by": "2026-06-30",
        "drill_every_months": 6,
        "roles": {"commander": "duty manager", "engineer": "on-call engineer"},
        "response_flow": [
            {"name": "assemble", "role": "commander", "within_minutes": 15},
            {"name": "switch to backup", "role": "engineer", "within_minutes": 30},
        ],
        "resources": {"ups": 2, "generator-fuel": 4},
        "communication": [
            {"audience": "customers", "channel": "sms", "within_minutes": 30},
            {"audience": "management", "channel": "phone", "within_minutes": 10},
        ],
    }
    data.update(changes)
    return data


def registry(*plans: dict[str, Any]) -> PlanRegistry:
    return PlanRegistry.from_dict({"plans": list(plans) or [plan_data()]})


def test_a_plan_is_read_from_data_and_written_back() -> None:
    loaded = registry()
    plan = loaded.get("EP-DC")
    assert plan.step("switch to backup").within == dt.timedelta(minutes=30)
    assert PlanRegistry.from_dict(loaded.to_dict()) == loaded
    assert loaded.for_event("power_loss") is plan


def test_the_risk_level_comes_from_the_emergency_risk_matrix() -> None:
    # likelihood 4 (unlikely) x severity 1 (catastrophic): row 4, column 1 of the 5x5 matrix = 2
    decision = registry().risk("EP-DC")
    assert (decision.level, decision.label) == (2, "Serious")
    assert registry(plan_data(likelihood=1)).risk("EP-DC").level == 1


def test_plan_loading_names_every_problem_with_its_path() -> None:
    bad = plan_data(
        likelihood=6,
        review_by="30/06/2026",
        response_flow=[
            {"name": "assemble", "role": "commandr", "within_minutes": 15},
            {"name": "assemble", "role": "engineer", "within_minutes": -5},
        ],
        colour="red",
    )
    other = plan_data(plan_id="EP-2", event_types=["power_loss"], resources={"ups": 0})
    with pytest.raises(InvalidEmergencyPlan) as caught:
        registry(bad, other)
    paths = {problem.path for problem in caught.value.problems}
    assert paths == {
        "plans[0].colour",
        "plans[0].review_by",
        "plans[0].response_flow[1].within_minutes",
        "plans[1].resources.ups",
    }
    # once readable, the plan's own checks and the registry's find the rest
    fixed = plan_data(
        likelihood=6,
        response_flow=[
            {"name": "assemble", "role": "commandr", "within_minutes": 15},
            {"name": "assemble", "role": "engineer", "within_minutes": 5},
        ],
    )
    with pytest.raises(InvalidEmergencyPlan) as caught:
        registry(fixed)
    messages = {str(problem) for problem in caught.value.problems}
    assert messages == {
        "plans[0].response_flow[0].role: unknown role 'commandr' (roles: commander, engineer)",
        "plans[0].response_flow[1].name: repeated step 'assemble'",
    }
    with pytest.raises(InvalidEmergencyPlan) as caught:
        registry(plan_data(likelihood=6), plan_data(plan_id="EP-2", event_types=["power_loss"]))
    assert [p.path for p in caught.value.problems] == [
        "plans[0].likelihood",
        "plans[1].event_types",
    ]


def test_bad_top_level_data_is_one_error() -> None:
    with pytest.raises(InvalidEmergencyPlan) as caught:
        PlanRegistry.from_dict({"plan": []})
    assert [str(p) for p in caught.value.problems] == [
        "plans: missing",
        "plan: unknown key (expected one of grading, plans)",
    ]
    with pytest.raises(InvalidEmergencyPlan):
        PlanRegistry.from_dict({"plans": []})


def test_unknown_plans_and_event_types_are_named() -> None:
    with pytest.raises(ValidationError, match="no plan for 'flood'"):
        registry().for_event("flood")
    with pytest.raises(ValidationError, match=r"unknown plan 'EP-X' \(known: EP-DC\)"):
        registry().get("EP-X")


def test_reviews_overdue() -> None:
    loaded = registry(
        plan_data(), plan_data(plan_id="EP-2", event_types=["flood"], review_by="2026-01-31")
    )
    assert loaded.overdue_reviews(dt.date(2026, 6, 30)) == (loaded.get("EP-2"),)
    assert [p.plan_id for p in loaded.overdue_reviews(dt.date(2026, 7, 1))] == ["EP-2", "EP-DC"]
    assert loaded.overdue_reviews(dt.date(2026, 1, 31)) == ()


def pool() -> ResourcePool:
    return ResourcePool.from_dict(
        {
            "resources": [
                {
                    "resource_id": "ups",
                    "name": "UPS unit",
                    "kind": "equipment",
                    "quantity": 3,
                    "reserve": 1,
                },
                {
                    "resource_id": "water",
                    "name": "Water (case)",
                    "kind": "material",
                    "quantity": 10,
                    "reserve": 8,
                },
            ]
        }
    )


def test_reserve_and_plan_checks() -> None:
    held = pool()
    assert held.below_reserve() == ()
    plan = registry().get("EP-DC")
    # the plan needs 2 UPS (3 available) and 4 generator-fuel (not held at all)
    assert held.shortfalls(plan) == (
        Shortfall(resource_id="generator-fuel", needed=4, available=0, held=False),
    )
    after = held.allocate("ups", 2).allocate("water", 3)
    assert after.get("ups").available == 1
    assert [(s.resource_id, s.short) for s in after.below_reserve()] == [("water", 1)]
    assert [s.resource_id for s in after.shortfalls(plan)] == ["generator-fuel", "ups"]
    spent = after.consume("water", 3).restock("water", 5)
    assert (spent.get("water").quantity, spent.get("water").available) == (12, 12)
    assert after.release("ups", 2) == held.allocate("water", 3)


def test_refused_pool_changes_change_nothing() -> None:
    held = pool()
    with pytest.raises(CommandRejected, match="5 asked, 3 available"):
        held.allocate("ups", 5)
    with pytest.raises(CommandRejected, match="1 released, 0 allocated"):
        held.release("ups", 1)
    with pytest.raises(ValidationError, match="unknown resource 'fuel'"):
        held.allocate("fuel", 1)
    with pytest.raises(ValidationError, match="expected an integer >= 1"):
        held.restock("ups", 0)
    assert held == pool()


def test_pool_loading_errors_name_paths() -> None:
    with pytest.raises(InvalidEmergencyPlan) as caught:
        ResourcePool.from_dict(
            {
                "resources": [
                    {"resource_id": "ups", "name": "UPS", "kind": "weapon", "quantity": -1},
                    {
                        "resource_id": "x",
                        "name": "X",
                        "kind": "team",
                        "quantity": 1,
                        "allocated": 2,
                    },
                    {"resource_id": "x", "name": "X", "kind": "team", "quantity": 1},
                ]
            }
        )
    assert [p.path for p in caught.value.problems] == [
        "resources[0].kind",
        "resources[0].quantity",
        "resources[1].allocated",
    ]
    with pytest.raises(InvalidEmergencyPlan, match=r"resources\[1\].resource_id: repeated"):
        ResourcePool([Resource(resource_id="x", name="X", kind="team", quantity=1)] * 2)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["allocate", "release", "consume", "restock"]), st.integers(1, 6)
        ),
        max_size=20,
    )
)
def test_the_pool_never_allocates_more_than_it_holds(steps: list[tuple[str, int]]) -> None:
    held = ResourcePool(
        [Resource(resource_id="ups", name="UPS", kind="equipment", quantity=5, reserve=2)]
    )
    for action, quantity in steps:
        with contextlib.suppress(CommandRejected):
            held = getattr(held, action)("ups", quantity)
        ups = held.get("ups")
        assert 0 <= ups.allocated <= ups.quantity
        assert (ups.available < ups.reserve) == bool(held.below_reserve())


def test_plans_are_checked_when_built() -> None:
    with pytest.raises(InvalidEmergencyPlan) as caught:
        EmergencyPlan(
            plan_id=" ",
            title="t",
            event_types="outage",
            likelihood=0,
            severity=1,
            owner="o",
            review_by=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
            roles={},
            response_flow=[ResponseStep(name="a", role="r", within=dt.timedelta(seconds=30))],
        )
    assert {p.path for p in caught.value.problems} == {
        "plan_id",
        "event_types",
        "likelihood",
        "review_by",
        "roles",
        "response_flow[0].within",
        "response_flow[0].role",
    }
