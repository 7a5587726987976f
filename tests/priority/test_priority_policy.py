"""PriorityPolicy: intake rules, modifiers, explanations and their laws."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsm_core.errors import (
    DeserializationError,
    InvalidPriorityMatrix,
    UnknownTier,
    ValidationError,
)
from itsm_core.priority import (
    ITIL_MATRIX,
    ITIL_POLICY,
    MATRIX_5X5,
    SERVICENOW_MATRIX,
    IntakeFacts,
    IntakeRule,
    IntakeRules,
    Interruption,
    Override,
    PriorityDecision,
    PriorityPolicy,
    TierVocabulary,
)
from itsm_core.priority._catalogue import DEFAULT_INTAKE_RULES
from itsm_core.priority._explanation import ExplanationStep, StepKind

facts_strategy = st.builds(
    IntakeFacts,
    interruption=st.sampled_from(Interruption),
    users_affected=st.integers(0, 10_000),
    service_criticality=st.integers(1, 5),
    expected_resolution=st.none() | st.timedeltas(dt.timedelta(minutes=1), dt.timedelta(days=30)),
)
policies = st.sampled_from(
    [
        ITIL_POLICY,
        PriorityPolicy(
            name="servicenow",
            matrix=SERVICENOW_MATRIX,
            intake=DEFAULT_INTAKE_RULES,
            tiers={"standard": 0, "vip": 1, "platinum": 3},
            tier_vocabulary=TierVocabulary(
                ["regular", "vip", "platinum"], aliases={"standard": "regular"}
            ),
        ),
        PriorityPolicy(
            name="five",
            matrix=MATRIX_5X5,
            intake=DEFAULT_INTAKE_RULES,
            tiers={"standard": 0, "vip": 2},
        ),
    ]
)


def test_a_full_outage_of_a_critical_service_is_p1() -> None:
    facts = IntakeFacts(interruption=Interruption.FULL, users_affected=3, service_criticality=1)
    decision = ITIL_POLICY.decide(facts)
    assert (decision.impact, decision.urgency, decision.priority) == (1, 1, 1)
    assert decision.label == "Critical"
    assert decision.lines() == (
        "1. rule: impact rule 1 'critical service stopped' -> impact 1 (High): "
        "interruption is full (one of: full); service criticality 1, at least as critical as 1",
        "2. rule: urgency rule 2 'work stopped' -> urgency 1 (High): "
        "interruption is full (one of: full); service criticality 1, at least as critical as 2",
        "3. matrix: itil-3x3[impact=1][urgency=1] -> priority 1 (Critical): "
        "impact 1 (High) x urgency 1 (High)",
    )


@pytest.mark.parametrize(
    ("facts", "impact_rule", "urgency_rule", "priority"),
    [
        # a question from one user, no deadline: catch-all rules, P5 planning
        (IntakeFacts(interruption=Interruption.NONE, users_affected=1, service_criticality=3),
         "otherwise", "otherwise", 5),
        # 150 users degraded, needed within the day
        (IntakeFacts(interruption=Interruption.PARTIAL, users_affected=150, service_criticality=3,
                     expected_resolution=dt.timedelta(hours=8)),
         "many users interrupted", "needed within a day", 2),
        # 20 users, no interruption, needed within 2 hours
        (IntakeFacts(interruption=Interruption.NONE, users_affected=20, service_criticality=2,
                     expected_resolution=dt.timedelta(hours=2)),
         "several users affected", "needed within 4 hours", 2),
        # one user's work degraded on a non-critical service, wants it next week
        (IntakeFacts(interruption=Interruption.PARTIAL, users_affected=1, service_criticality=4,
                     expected_resolution=dt.timedelta(days=7)),
         "business interrupted", "work degraded", 3),
    ],
)  # fmt: skip
def test_intake_rules_fire_in_order(
    facts: IntakeFacts, impact_rule: str, urgency_rule: str, priority: int
) -> None:
    decision = ITIL_POLICY.decide(facts)
    assert decision.steps[0].source.endswith(repr(impact_rule))
    assert decision.steps[1].source.endswith(repr(urgency_rule))
    assert decision.priority == priority


def test_first_match_reports_index_and_reasons() -> None:
    facts = IntakeFacts(interruption=Interruption.FULL, users_affected=500, service_criticality=3)
    match = DEFAULT_INTAKE_RULES.first_match("impact", facts)
    assert match.index == 1  # rule 0 needs criticality 1
    assert match.rule.name == "many users interrupted"
    assert match.reasons == (
        "interruption is full (one of: full, partial)",
        "500 users affected, at least 100",
    )
    with pytest.raises(ValidationError):
        DEFAULT_INTAKE_RULES.first_match("priority", facts)


def test_vip_raises_one_level_but_never_above_p1() -> None:
    assert ITIL_POLICY.decide_levels(2, 2, tier="vip").priority == 2
    top = ITIL_POLICY.decide_levels(1, 1, tier="vip")
    assert top.priority == 1
    assert top.steps[-1].reason == "raises by 1 level from 1 (Critical) (capped at level 1)"
    assert ITIL_POLICY.decide_levels(2, 2, tier="standard").priority == 3


def test_major_incident_forces_p1() -> None:
    decision = ITIL_POLICY.decide_levels(3, 3, major_incident=True)
    assert (decision.matrix_priority, decision.priority) == (5, 1)
    assert decision.steps[-1].kind is StepKind.MAJOR_INCIDENT


def test_override_needs_a_reason_and_may_lower() -> None:
    override = Override(priority=4, reason="customer asked to wait until Monday", by="li.na")
    decision = ITIL_POLICY.decide_levels(1, 1, major_incident=True, override=override)
    assert (decision.matrix_priority, decision.priority, decision.label) == (1, 4, "Low")
    assert decision.overridden
    assert str(decision.steps[-1]) == (
        "override: manual override by 'li.na' -> priority 4 (Low): "
        "reason: customer asked to wait until Monday (was 1 (Critical))"
    )
    with pytest.raises(ValidationError) as caught:
        Override(priority=0, reason="", by=" ")
    assert [p.path for p in caught.value.problems] == ["priority", "reason", "by"]


def test_bad_decision_inputs_are_all_reported() -> None:
    with pytest.raises(UnknownTier) as unknown:
        ITIL_POLICY.decide_levels(
            2,
            2,
            tier="gold",
            major_incident=1,  # type: ignore[arg-type]
            override=Override(priority=9, reason="x"),
        )
    assert [p.path for p in unknown.value.problems] == [
        "major_incident",
        "override.priority",
        "tier",
    ]
    assert "known: regular, vip, enterprise, standard" in str(unknown.value)
    assert unknown.value.known == ("regular", "vip", "enterprise", "standard")
    with pytest.raises(ValidationError) as caught:
        ITIL_POLICY.decide_levels(4, 0)
    assert [p.path for p in caught.value.problems] == ["impact", "urgency"]
    with pytest.raises(ValidationError):
        ITIL_POLICY.decide_levels(1, 1, override="P4")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        ITIL_POLICY.decide("facts")  # type: ignore[arg-type]


def test_bad_facts_are_all_reported() -> None:
    with pytest.raises(ValidationError) as caught:
        IntakeFacts(
            interruption="full",  # type: ignore[arg-type]
            users_affected=-1,
            service_criticality=0,
            expected_resolution=dt.timedelta(0),
        )
    assert [p.path for p in caught.value.problems] == [
        "interruption",
        "users_affected",
        "service_criticality",
        "expected_resolution",
    ]


# --- laws -------------------------------------------------------------------------------------


@given(
    policies,
    facts_strategy,
    st.data(),
    st.booleans(),
)
def test_modifiers_never_lower_a_priority(
    policy: PriorityPolicy, facts: IntakeFacts, data: st.DataObject, major: bool
) -> None:
    tier = data.draw(st.none() | st.sampled_from(sorted(policy.tiers)))
    decision = policy.decide(facts, tier=tier, major_incident=major)
    assert decision.matrix_priority == policy.matrix.grade(decision.impact, decision.urgency)
    assert 1 <= decision.priority <= decision.matrix_priority
    if major:
        assert decision.priority == 1
    if tier is not None and not major:
        raised = decision.matrix_priority - policy.tiers[tier]
        assert decision.priority == max(1, raised)
    assert not decision.overridden


@given(policies, st.data(), st.booleans())
def test_an_override_always_wins_and_is_explained(
    policy: PriorityPolicy, data: st.DataObject, major: bool
) -> None:
    impact = data.draw(st.sampled_from(policy.impact_scale.levels))
    urgency = data.draw(st.sampled_from(policy.urgency_scale.levels))
    wanted = data.draw(st.sampled_from(policy.priority_scale.levels))
    override = Override(priority=wanted, reason="agreed with the customer")
    decision = policy.decide_levels(impact, urgency, major_incident=major, override=override)
    assert decision.priority == wanted
    assert decision.steps[-1].kind is StepKind.OVERRIDE
    assert "agreed with the customer" in decision.lines()[-1]


@given(policies, facts_strategy)
def test_more_impact_or_urgency_never_gives_a_less_urgent_priority(
    policy: PriorityPolicy, facts: IntakeFacts
) -> None:
    decision = policy.decide(facts)
    for impact in range(1, decision.impact + 1):
        for urgency in range(1, decision.urgency + 1):
            assert policy.decide_levels(impact, urgency).priority <= decision.priority


@given(policies, facts_strategy, st.booleans())
def test_decisions_round_trip_through_json(
    policy: PriorityPolicy, facts: IntakeFacts, major: bool
) -> None:
    decision = policy.decide(facts, tier="vip", major_incident=major)
    assert PriorityDecision.from_dict(json.loads(json.dumps(decision.to_dict()))) == decision
    assert str(decision).splitlines()[1:] == list(decision.lines())
    assert len(decision.lines()) == len(decision.steps)


# --- definitions as data ----------------------------------------------------------------------


@pytest.mark.parametrize("policy", [ITIL_POLICY])
def test_policy_round_trips_through_json(policy: PriorityPolicy) -> None:
    again = PriorityPolicy.from_dict(json.loads(json.dumps(policy.to_dict())))
    assert again == policy
    facts = IntakeFacts(
        interruption=Interruption.PARTIAL,
        users_affected=12,
        service_criticality=2,
        expected_resolution=dt.timedelta(hours=3),
    )
    assert again.decide(facts) == policy.decide(facts)


def test_rule_lists_need_one_final_catch_all() -> None:
    conditional = IntakeRule(name="many", level=1, min_users=100)
    catch_all = IntakeRule(name="otherwise", level=3)
    with pytest.raises(InvalidPriorityMatrix) as caught:
        IntakeRules(impact=[catch_all, conditional], urgency=[])
    assert [p.path for p in caught.value.problems] == ["impact[0]", "impact[1]", "urgency"]
    with pytest.raises(InvalidPriorityMatrix) as caught:
        IntakeRules(impact=[conditional, conditional, catch_all], urgency=["x"])  # type: ignore[list-item]
    assert [p.path for p in caught.value.problems] == ["impact[1]", "urgency[0]"]


def test_rule_fields_are_validated() -> None:
    with pytest.raises(InvalidPriorityMatrix) as caught:
        IntakeRule(
            name="",
            level=0,
            interruption=[],
            min_users=-1,
            max_criticality=0,
            max_expected_resolution=dt.timedelta(hours=-1),
        )
    assert [p.path for p in caught.value.problems] == [
        "name",
        "level",
        "interruption",
        "min_users",
        "max_criticality",
        "max_expected_resolution",
    ]
    with pytest.raises(InvalidPriorityMatrix):
        IntakeRule(name="s", level=1, interruption="full")  # type: ignore[arg-type]
    with pytest.raises(InvalidPriorityMatrix):  # JSON keeps whole seconds: refuse, not truncate
        IntakeRule(name="s", level=1, max_expected_resolution=dt.timedelta(seconds=1.5))


def test_rule_levels_must_be_on_the_matrix_scales() -> None:
    rules = IntakeRules(
        impact=[IntakeRule(name="otherwise", level=4)],
        urgency=[IntakeRule(name="otherwise", level=3)],
    )
    with pytest.raises(InvalidPriorityMatrix) as caught:
        PriorityPolicy(name="p", matrix=ITIL_MATRIX, intake=rules, tiers={"vip": -1, " ": 0})
    assert [p.path for p in caught.value.problems] == [
        "intake.impact[0].level",
        "tiers.vip",
        "tiers.' '",
    ]
    with pytest.raises(InvalidPriorityMatrix) as caught:
        PriorityPolicy(name="", matrix="itil", intake=None)  # type: ignore[arg-type]
    assert [p.path for p in caught.value.problems] == ["name", "matrix", "intake"]


def test_policy_from_dict_reports_every_problem() -> None:
    data = ITIL_POLICY.to_dict()
    intake = data["intake"]
    assert isinstance(intake, dict)
    bad = {
        **data,
        "tiers": {"vip": "one"},
        "intake": {
            "impact": [
                {"name": "x", "level": 1, "interruption": ["total"], "speed": 3},
                {"name": "otherwise", "level": "3"},
            ],
            "urgency": intake["urgency"],
        },
    }
    with pytest.raises(InvalidPriorityMatrix) as caught:
        PriorityPolicy.from_dict(bad)
    assert [p.path for p in caught.value.problems] == [
        "intake.impact[0].speed",
        "intake.impact[0].interruption[0]",
        "intake.impact[1].level",
        "tiers.vip",
    ]
    assert str(caught.value).startswith("invalid priority matrix policy 'itil': 4 problems")


def test_policy_from_dict_checks_the_assembled_policy() -> None:
    data = ITIL_POLICY.to_dict()
    data["intake"] = {
        "impact": [{"name": "otherwise", "level": 9}],
        "urgency": [{"name": "soon", "level": 1, "max_expected_resolution_seconds": 3600}],
    }
    with pytest.raises(InvalidPriorityMatrix) as caught:
        PriorityPolicy.from_dict(data)
    assert [p.path for p in caught.value.problems] == ["intake.urgency[0]"]
    data["intake"] = {"impact": [{"name": "otherwise", "level": 9}], "urgency": []}
    with pytest.raises(InvalidPriorityMatrix) as caught:
        PriorityPolicy.from_dict(data)
    assert [p.path for p in caught.value.problems] == ["intake.urgency"]
    data["intake"] = {
        "impact": [{"name": "otherwise", "level": 9}],
        "urgency": [{"name": "otherwise", "level": 1}],
    }
    with pytest.raises(InvalidPriorityMatrix) as caught:
        PriorityPolicy.from_dict(data)
    assert [p.path for p in caught.value.problems] == ["intake.impact[0].level"]
    with pytest.raises(InvalidPriorityMatrix):
        PriorityPolicy.from_dict({"name": "p"})
    with pytest.raises(InvalidPriorityMatrix):
        PriorityPolicy.from_dict("p")  # type: ignore[arg-type]


def test_rule_and_rules_round_trip() -> None:
    for rule in DEFAULT_INTAKE_RULES.impact + DEFAULT_INTAKE_RULES.urgency:
        assert IntakeRule.from_dict(json.loads(json.dumps(rule.to_dict()))) == rule
    assert IntakeRules.from_dict(DEFAULT_INTAKE_RULES.to_dict()) == DEFAULT_INTAKE_RULES
    with pytest.raises(InvalidPriorityMatrix):
        IntakeRule.from_dict({"name": "x", "level": 1, "interruption": []})
    with pytest.raises(InvalidPriorityMatrix):
        IntakeRules.from_dict({"impact": "all"})


def test_decision_from_dict_reports_every_problem() -> None:
    data = ITIL_POLICY.decide_levels(1, 2).to_dict()
    steps = data["steps"]
    assert isinstance(steps, list)
    bad = {**data, "priority": 0, "label": "", "steps": [{**steps[0], "kind": "magic"}, 7]}
    del bad["impact"]
    with pytest.raises(DeserializationError) as caught:
        PriorityDecision.from_dict(bad)
    assert [p.path for p in caught.value.problems] == [
        "impact",
        "label",
        "priority",
        "steps[0].kind",
        "steps[1]",
    ]
    with pytest.raises(DeserializationError):
        PriorityDecision.from_dict(None)  # type: ignore[arg-type]
    step = ExplanationStep.from_dict(steps[0])
    assert step.kind is StepKind.GIVEN
    with pytest.raises(DeserializationError):
        ExplanationStep.from_dict({**steps[0], "value": "1"})
