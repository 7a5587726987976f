"""ResponseGrading: complaints and emergencies graded to response levels, explained."""

from __future__ import annotations

import json
from itertools import product

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
    COMPLAINT_GRADING,
    EMERGENCY_GRADING,
    GradingDecision,
    ResponseGrading,
)

# Complaint severity (Severe, Moderate, Minor) x urgency (High, Medium, Low), written by hand:
# severe and pressing complaints are major (level 1); minor or unhurried ones general (3).
COMPLAINT_TABLE = {
    ("Severe", "High"): "Major",
    ("Severe", "Medium"): "Major",
    ("Severe", "Low"): "Serious",
    ("Moderate", "High"): "Serious",
    ("Moderate", "Medium"): "Serious",
    ("Moderate", "Low"): "General",
    ("Minor", "High"): "Serious",
    ("Minor", "Medium"): "General",
    ("Minor", "Low"): "General",
}


@pytest.mark.parametrize(("severity", "urgency"), list(product(range(1, 4), range(1, 4))))
def test_complaint_table_cell_by_cell(severity: int, urgency: int) -> None:
    decision = COMPLAINT_GRADING.grade(severity, urgency)
    matrix = COMPLAINT_GRADING.matrix
    key = (matrix.rows.label(severity), matrix.columns.label(urgency))
    assert decision.label == COMPLAINT_TABLE[key]
    assert decision.level == decision.matrix_level
    assert len(decision.steps) == 1


def test_a_vip_complaint_is_handled_one_level_higher() -> None:
    decision = COMPLAINT_GRADING.grade(2, 1, tier="vip")
    assert (decision.matrix_level, decision.level, decision.label) == (2, 1, "Major")
    assert decision.lines() == (
        "1. matrix: complaint-3x3[severity=2][urgency=1] -> response level 2 (Serious): "
        "severity 2 (Moderate) x urgency 1 (High)",
        "2. tier: tier 'vip' -> response level 1 (Major): raises by 1 level from 2 (Serious)",
    )
    assert str(decision).splitlines()[0] == "level 1 (Major) by grading 'complaint'"


def test_unknown_tier_and_off_scale_input_are_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        COMPLAINT_GRADING.grade(1, 1, tier="gold")
    assert "known: regular, vip, enterprise, standard" in str(caught.value)
    assert isinstance(caught.value, UnknownTier)
    with pytest.raises(ValidationError) as caught:
        EMERGENCY_GRADING.grade(1, 1, tier="vip")
    assert "known: none" in str(caught.value)
    with pytest.raises(ValidationError):
        EMERGENCY_GRADING.grade(6, 1)


@given(st.integers(1, 5), st.integers(1, 5))
def test_emergency_grading_is_monotone_in_both_inputs(likelihood: int, severity: int) -> None:
    level = EMERGENCY_GRADING.grade(likelihood, severity).level
    for more_likely in range(1, likelihood + 1):
        for more_severe in range(1, severity + 1):
            assert EMERGENCY_GRADING.grade(more_likely, more_severe).level <= level


@given(st.integers(1, 3), st.integers(1, 3), st.sampled_from(["standard", "vip", None]))
def test_tiers_never_lower_a_response_level(severity: int, urgency: int, tier: str | None) -> None:
    decision = COMPLAINT_GRADING.grade(severity, urgency, tier=tier)
    assert 1 <= decision.level <= decision.matrix_level
    again = GradingDecision.from_dict(json.loads(json.dumps(decision.to_dict())))
    assert again == decision


@pytest.mark.parametrize("grading", [COMPLAINT_GRADING, EMERGENCY_GRADING])
def test_gradings_round_trip_through_json(grading: ResponseGrading) -> None:
    assert ResponseGrading.from_dict(json.loads(json.dumps(grading.to_dict()))) == grading


def test_grading_definitions_are_validated() -> None:
    with pytest.raises(InvalidPriorityMatrix) as caught:
        ResponseGrading(name="", matrix=None, tiers={"vip": 1.5})  # type: ignore[arg-type,dict-item]
    assert [p.path for p in caught.value.problems] == ["name", "matrix", "tiers.vip"]
    with pytest.raises(InvalidPriorityMatrix) as caught:
        ResponseGrading(name="x", matrix=COMPLAINT_GRADING.matrix, tiers=["vip"])  # type: ignore[arg-type]
    assert [p.path for p in caught.value.problems] == ["tiers"]
    data = COMPLAINT_GRADING.to_dict()
    with pytest.raises(InvalidPriorityMatrix) as caught:
        ResponseGrading.from_dict({**data, "tiers": {"vip": -1}, "extra": 1})
    assert [p.path for p in caught.value.problems] == ["extra", "tiers.vip"]
    with pytest.raises(InvalidPriorityMatrix):
        ResponseGrading.from_dict(())  # type: ignore[arg-type]


def test_grading_decision_from_dict_refuses_bad_data() -> None:
    with pytest.raises(DeserializationError) as caught:
        GradingDecision.from_dict({"grading": "g"})
    assert "matrix" in [p.path for p in caught.value.problems]
