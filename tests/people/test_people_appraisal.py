"""Appraisal: KPI scores with self, superior and 360-degree ratings, weighed by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsm_core.errors import InvalidPeopleDefinition, ValidationError
from itsm_core.metrics import EXAMPLE_SCORECARD, ScorecardResult
from itsm_core.metrics._scorecard import DimensionScore
from itsm_core.people import (
    DEFAULT_DIMENSIONS,
    AppraisalScheme,
    AppraisalSource,
    InspectionOutcome,
    Rating,
    RatingBand,
    inspection_ratings,
)

S = AppraisalSource


def rating(source: AppraisalSource, dimension: str, score: float, rater: str = "r") -> Rating:
    return Rating(rater=rater, source=source, dimension=dimension, score=score)


def test_the_default_dimensions_are_the_specs_four() -> None:
    assert dict(DEFAULT_DIMENSIONS) == {
        "work_quality": 0.3,
        "attitude": 0.2,
        "ability": 0.3,
        "output": 0.2,
    }
    assert [d.name for d in EXAMPLE_SCORECARD.dimensions] == list(DEFAULT_DIMENSIONS)


def test_appraisal_arithmetic_by_hand() -> None:
    scheme = AppraisalScheme(
        dimensions={"quality": 0.6, "output": 0.4},
        weights={"kpi": 0.5, "self": 0.1, "superior": 0.2, "feedback_360": 0.2},
    )
    result = scheme.appraise(
        "ana",
        kpi={"quality": 80.0, "output": 90.0},
        ratings=[
            rating(S.SELF, "quality", 100),
            rating(S.SUPERIOR, "quality", 70),
            rating(S.FEEDBACK_360, "quality", 60, "peer-1"),
            rating(S.FEEDBACK_360, "quality", 80, "peer-2"),
            rating(S.SUPERIOR, "output", 60),
        ],
    )
    quality, output = result.dimensions
    # quality: kpi 80, self 100, superior 70, 360 mean(60, 80) = 70
    #   (0.5*80 + 0.1*100 + 0.2*70 + 0.2*70) / 1.0 = 40 + 10 + 14 + 14 = 78
    assert dict(quality.sources) == {S.KPI: 80, S.SELF: 100, S.SUPERIOR: 70, S.FEEDBACK_360: 70}
    assert quality.score == pytest.approx(78.0)
    # output: kpi 90, superior 60 (self and 360 missing, left out of the weighting)
    #   (0.5*90 + 0.2*60) / 0.7 = 57 / 0.7 = 81.428...
    assert output.score == pytest.approx(57 / 0.7)
    # total: (0.6*78 + 0.4*81.43) / 1.0 = 46.8 + 32.571 = 79.371 -> "qualified" (60 <= t < 80)
    assert result.total == pytest.approx(0.6 * 78 + 0.4 * 57 / 0.7)
    assert result.band == "qualified"
    assert result.missing == (("output", S.SELF), ("output", S.FEEDBACK_360))


def test_kpi_scores_come_from_a_scorecard_result() -> None:
    card = ScorecardResult(
        group=("ana",),
        period="all",
        total=None,
        dimensions=(
            DimensionScore(name="work_quality", weight=0.3, score=95.0, items=()),
            DimensionScore(name="attitude", weight=0.2, score=None, items=()),
        ),
    )
    inspected = InspectionOutcome(
        agent_id="ana", passed=True, score=85, at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    )
    result = AppraisalScheme().appraise("ana", kpi=card, ratings=inspection_ratings([inspected]))
    quality = result.dimensions[0]
    # default weights: kpi 0.4, inspection 0.1 -> (0.4*95 + 0.1*85) / 0.5 = 93
    assert quality.score == pytest.approx(93.0)
    assert [d.score for d in result.dimensions[1:]] == [None, None, None]
    assert result.total == pytest.approx(93.0)
    assert result.band == "excellent"


def test_bands_at_their_edges() -> None:
    scheme = AppraisalScheme()
    assert [scheme.band(t) for t in (100, 90, 89.99, 80, 60, 59.99, 0)] == [
        "excellent",
        "excellent",
        "good",
        "good",
        "qualified",
        "unqualified",
        "unqualified",
    ]


def test_nothing_scored_has_no_band() -> None:
    result = AppraisalScheme().appraise("ana")
    assert (result.total, result.band) == (None, None)
    assert len(result.missing) == 4 * 5


def test_refused_inputs_name_their_place() -> None:
    scheme = AppraisalScheme(weights={"kpi": 1.0})
    with pytest.raises(ValidationError) as caught:
        scheme.appraise(
            "ana",
            kpi={"speed": 50, "output": 120},
            ratings=[rating(S.SELF, "output", 50), rating(S.SUPERIOR, "charm", 50)],
        )
    assert [p.path for p in caught.value.problems] == [
        "kpi.speed",
        "kpi.output",
        "ratings[0].source",
        "ratings[1].dimension",
        "ratings[1].source",
    ]
    with pytest.raises(ValidationError, match="not kpi"):
        rating(S.KPI, "output", 50)


def test_schemes_are_data_and_checked() -> None:
    scheme = AppraisalScheme.from_dict(
        {
            "weights": {"kpi": 0.7, "superior": 0.3},
            "bands": [{"label": "pass", "minimum": 50}, {"label": "fail", "minimum": 0}],
        }
    )
    assert AppraisalScheme.from_dict(scheme.to_dict()) == scheme
    assert scheme.band(50) == "pass"
    with pytest.raises(InvalidPeopleDefinition) as caught:
        AppraisalScheme.from_dict(
            {
                "dimensions": {"output": 0},
                "weights": {"boss": 1, "kpi": -1},
                "bands": [{"label": "a", "minimum": 60}, {"label": "a", "minimum": 70}],
            }
        )
    assert [str(p) for p in caught.value.problems] == [
        "dimensions.output: expected a positive weight, got 0",
        "weights.boss: unknown source (known: kpi, self, superior, feedback_360, inspection)",
        "weights.kpi: expected a weight >= 0, got -1",
        "weights: give at least one positive weight",
        "bands[1].label: blank or repeated: 'a'",
        "bands[1].minimum: 70 is not below the band before (60): highest first",
        "bands[1].minimum: the last band starts at 0, not 70 (every total has a band)",
    ]
    with pytest.raises(InvalidPeopleDefinition, match="unknown key"):
        AppraisalScheme.from_dict({"weight": {}})
    assert RatingBand(label="x", minimum=0).minimum == 0


SCORES = st.floats(0, 100)


@given(
    st.dictionaries(st.sampled_from(list(DEFAULT_DIMENSIONS)), SCORES),
    st.lists(
        st.tuples(
            st.sampled_from([S.SELF, S.SUPERIOR, S.FEEDBACK_360]),
            st.sampled_from(list(DEFAULT_DIMENSIONS)),
            SCORES,
        ),
        max_size=8,
    ),
)
def test_the_total_stays_between_the_lowest_and_highest_score(
    kpi: dict[str, float], given_ratings: list[tuple[AppraisalSource, str, float]]
) -> None:
    ratings = [rating(source, dimension, score) for source, dimension, score in given_ratings]
    result = AppraisalScheme().appraise("ana", kpi=kpi, ratings=ratings)
    scores = [*kpi.values(), *(score for _, _, score in given_ratings)]
    if not scores:
        assert result.total is None
        return
    assert result.total is not None
    assert min(scores) - 1e-9 <= result.total <= max(scores) + 1e-9
    assert result.band == AppraisalScheme().band(result.total)
