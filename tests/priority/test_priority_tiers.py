"""The customer-tier vocabulary: one home for tier names, used by policies and gradings."""

from __future__ import annotations

import json
import pickle

import attrs
import pytest

from itsm_core.errors import InvalidPriorityMatrix, UnknownTier, ValidationError
from itsm_core.priority import (
    COMPLAINT_GRADING,
    DEFAULT_TIERS,
    ITIL_POLICY,
    PriorityPolicy,
    ResponseGrading,
    TierVocabulary,
)
from itsm_core.tickets import CustomerTier

GOLD = TierVocabulary(["bronze", "silver", "gold"], aliases={"premium": "gold"})


def test_the_default_vocabulary_is_the_ticket_tiers_with_standard_read_as_regular() -> None:
    assert DEFAULT_TIERS.names == tuple(tier.value for tier in CustomerTier)
    assert DEFAULT_TIERS.canonical("standard") == "regular"
    assert DEFAULT_TIERS.canonical(CustomerTier.VIP) == "vip"
    assert type(DEFAULT_TIERS.canonical(CustomerTier.VIP)) is str
    assert "standard" in DEFAULT_TIERS
    assert "gold" not in DEFAULT_TIERS
    assert 1 not in DEFAULT_TIERS
    assert list(DEFAULT_TIERS) == ["regular", "vip", "enterprise"]
    assert len(DEFAULT_TIERS) == 3


def test_an_unknown_tier_names_where_and_lists_the_known_ones() -> None:
    with pytest.raises(UnknownTier) as caught:
        GOLD.canonical("platinum", path="customer_tier")
    error = caught.value
    assert isinstance(error, ValidationError)
    assert (error.value, error.known, error.path) == (
        "platinum",
        ("bronze", "silver", "gold", "premium"),
        "customer_tier",
    )
    assert str(error).splitlines()[1] == (
        "  - customer_tier: unknown customer tier 'platinum' (known: bronze, silver, gold, premium)"
    )
    again = pickle.loads(pickle.dumps(error))
    assert (type(again), str(again), again.known) == (UnknownTier, str(error), error.known)
    assert GOLD.problem(7, "t") is not None
    assert GOLD.problem("premium", "t") is None


@pytest.mark.parametrize(
    ("names", "aliases", "paths"),
    [
        ([], {}, ["names"]),
        ("vip", {}, ["names"]),
        (["vip", "vip", " "], {}, ["names[1]", "names[2]"]),
        (["vip"], {"vip": "vip", "x": "gold"}, ["aliases.vip", "aliases.x"]),
        (["vip"], ["x"], ["aliases"]),
    ],
)
def test_a_vocabulary_is_checked_when_built(
    names: object, aliases: object, paths: list[str]
) -> None:
    with pytest.raises(InvalidPriorityMatrix) as caught:
        TierVocabulary(names, aliases)  # type: ignore[arg-type]
    assert [p.path for p in caught.value.problems] == paths


def test_a_vocabulary_round_trips_through_plain_data() -> None:
    data = json.loads(json.dumps(GOLD.to_dict()))
    assert TierVocabulary.from_dict(data) == GOLD
    with pytest.raises(InvalidPriorityMatrix) as caught:
        TierVocabulary.from_dict({"names": ["a", "a"], "colour": 1}, "tiers")
    assert [p.path for p in caught.value.problems] == ["tiers.colour", "tiers.names[1]"]
    with pytest.raises(InvalidPriorityMatrix):
        TierVocabulary.from_dict([])


def test_shipped_policy_and_grading_know_every_default_tier() -> None:
    for tier in CustomerTier:
        assert ITIL_POLICY.decide_levels(2, 2, tier=tier).priority in (2, 3)
        assert COMPLAINT_GRADING.grade(2, 2, tier=tier).level in (1, 2)
    assert ITIL_POLICY.decide_levels(2, 2, tier="enterprise").priority == 3
    assert ITIL_POLICY.tiers == {"regular": 0, "vip": 1, "enterprise": 0}


def test_a_tier_of_the_vocabulary_not_listed_raises_nothing() -> None:
    policy = attrs.evolve(ITIL_POLICY, tiers={"vip": 1})
    decision = policy.decide_levels(2, 2, tier="enterprise")
    assert (decision.matrix_priority, decision.priority) == (3, 3)
    assert decision.lines()[-1].endswith("raises by 0 levels from 3 (Medium)")


def test_aliases_are_kept_under_their_tier_name_and_old_data_loads() -> None:
    old = {**ITIL_POLICY.to_dict(), "tiers": {"standard": 0, "vip": 1}}
    policy = PriorityPolicy.from_dict(old)
    assert policy.tiers == {"regular": 0, "vip": 1}
    assert policy.decide_levels(2, 2, tier="standard").steps[-1].source == "tier 'regular'"
    with pytest.raises(InvalidPriorityMatrix) as caught:
        attrs.evolve(ITIL_POLICY, tiers={"standard": 0, "regular": 1})
    assert "same tier ('regular')" in str(caught.value)


def test_a_configured_vocabulary_is_used_and_saved_with_the_policy() -> None:
    policy = PriorityPolicy(
        name="gold",
        matrix=ITIL_POLICY.matrix,
        intake=ITIL_POLICY.intake,
        tiers={"premium": 2, "silver": 1},
        tier_vocabulary=GOLD,
    )
    assert policy.tiers == {"silver": 1, "gold": 2}  # the vocabulary's order, names only
    assert policy.decide_levels(3, 3, tier="premium").priority == 3
    with pytest.raises(UnknownTier, match="known: bronze, silver, gold, premium"):
        policy.decide_levels(3, 3, tier="vip")
    data = json.loads(json.dumps(policy.to_dict()))
    assert data["tier_vocabulary"] == GOLD.to_dict()
    assert PriorityPolicy.from_dict(data) == policy
    assert "tier_vocabulary" not in ITIL_POLICY.to_dict()  # the default is left out
    with pytest.raises(InvalidPriorityMatrix) as caught:
        PriorityPolicy.from_dict({**data, "tier_vocabulary": {"names": []}})
    assert [p.path for p in caught.value.problems] == ["tier_vocabulary.names"]
    with pytest.raises(InvalidPriorityMatrix) as caught:
        attrs.evolve(policy, tier_vocabulary=["gold"])  # type: ignore[arg-type]
    assert [p.path for p in caught.value.problems] == ["tier_vocabulary"]


def test_gradings_take_the_vocabulary_too() -> None:
    grading = ResponseGrading(
        name="gold", matrix=COMPLAINT_GRADING.matrix, tiers={"gold": 1}, tier_vocabulary=GOLD
    )
    assert grading.grade(2, 2, tier="premium").level == 1
    assert grading.grade(2, 2, tier="bronze").level == 2
    with pytest.raises(UnknownTier, match="'vip'"):
        grading.grade(2, 2, tier="vip")
    assert ResponseGrading.from_dict(json.loads(json.dumps(grading.to_dict()))) == grading
    with pytest.raises(InvalidPriorityMatrix) as caught:
        ResponseGrading(name="x", matrix=COMPLAINT_GRADING.matrix, tiers={"vip": 1},
                        tier_vocabulary=GOLD)  # fmt: skip
    assert "unknown customer tier 'vip'" in str(caught.value)


@pytest.mark.parametrize(
    "data",
    [
        {"names": [["vip"]]},  # found by make fuzz: a name that is a list (unhashable)
        {"names": ["vip"], "aliases": {"gold": ["vip"]}},
        {"names": ["vip"], "aliases": {10**5000: "vip"}},
    ],
)
def test_a_vocabulary_of_junk_is_refused_naming_the_place(data: object) -> None:
    with pytest.raises(InvalidPriorityMatrix) as caught:
        TierVocabulary.from_dict(data)
    assert caught.value.problems
