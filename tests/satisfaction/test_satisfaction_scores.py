"""CSAT, NPS and CES against hand computation, independent arithmetic and properties."""

from __future__ import annotations

import math
import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsm_core.errors import InsufficientData, InvalidSurvey, ValidationError
from itsm_core.satisfaction import (
    CES_1,
    CES_2,
    FIVE_POINT,
    SEVEN_POINT,
    YES_NO,
    ZERO_TO_TEN,
    NpsBreaks,
    NpsCategory,
    NpsCounts,
    Question,
    Scale,
    Survey,
    ces,
    compare_nps,
    csat,
    mean_index,
    mean_score,
    nps,
    top_box,
)
from itsm_core.stats import IntervalMethod

Z95 = statistics.NormalDist().inv_cdf(0.975)

# --- CSAT ---------------------------------------------------------------------------------


def test_top_2_box_is_a_share_not_a_mean() -> None:
    scores = [5, 4, 4, 3, 5, 2, 5, 4, 1, 5]
    share = top_box(scores, FIVE_POINT)
    assert (share.successes, share.n, share.percent) == (7, 10, 70.0)
    assert top_box(scores, FIVE_POINT, positive={5}).successes == 4
    assert mean_score(scores, FIVE_POINT).mean == pytest.approx(3.8)
    assert mean_index(3.8, FIVE_POINT) == pytest.approx(70.0)
    assert mean_index(2.0, Scale(1, 5, higher_is_better=False)) == pytest.approx(75.0)


def test_top_box_errors() -> None:
    with pytest.raises(InsufficientData):
        top_box([], FIVE_POINT)
    with pytest.raises(ValidationError) as info:
        top_box([5, 6, 0], FIVE_POINT)
    assert [p.path for p in info.value.problems] == ["scores[1]", "scores[2]"]
    with pytest.raises(ValidationError) as info:
        top_box([5], FIVE_POINT, positive={6, True})
    assert len(info.value.problems) == 2
    with pytest.raises(ValidationError, match="empty"):
        top_box([5], FIVE_POINT, positive=set())


def test_mean_score_clips_to_the_scale_and_says_so() -> None:
    estimate = mean_score([5, 5, 4, 5], FIVE_POINT)
    assert estimate.interval is not None
    assert estimate.interval.upper == 5.0
    assert estimate.interval.clipped


def round_survey() -> Survey:
    return Survey(
        "round",
        (
            Question(id="speed1", text="", scale=FIVE_POINT, dimension="speed"),
            Question(id="speed2", text="", scale=FIVE_POINT, dimension="speed", required=False),
            Question(id="attitude", text="", scale=FIVE_POINT, dimension="attitude"),
            Question(id="fixed", text="", scale=YES_NO, dimension="effectiveness"),
            Question(id="other", text="", scale=SEVEN_POINT, required=False),
        ),
    )


def test_csat_per_question_and_dimension_by_hand() -> None:
    survey = round_survey()
    rows = [
        {"speed1": 5, "speed2": 4, "attitude": 5, "fixed": True},
        {"speed1": 3, "attitude": 4, "fixed": False},
        {"speed1": 4, "speed2": 2, "attitude": 2, "fixed": True},
    ]
    responses = [survey.response(f"r{i}", row) for i, row in enumerate(rows)]
    report = csat(survey, responses)
    assert report.respondents == 3
    speed1 = report.question("speed1")
    assert speed1.top_box is not None
    assert (speed1.n, speed1.top_box.successes) == (3, 2)
    speed = report.dimension("speed")
    assert speed.top_box is not None
    assert speed.mean is not None
    assert (speed.n, speed.respondents, speed.top_box.successes) == (5, 3, 3)
    assert speed.mean.mean == pytest.approx((5 + 4 + 3 + 4 + 2) / 5)
    fixed = report.question("fixed")
    assert fixed.positive == frozenset({1})
    assert fixed.top_box is not None
    assert fixed.top_box.successes == 2
    other = report.question("other")
    assert (other.n, other.top_box, other.mean, other.index) == (0, None, None, None)
    assert report.dimension("attitude").index == pytest.approx(
        mean_index((5 + 4 + 2) / 3, FIVE_POINT)
    )
    with pytest.raises(ValidationError):
        report.question("nope")
    with pytest.raises(ValidationError):
        report.dimension("nope")


def test_csat_positive_overrides_by_question_and_dimension() -> None:
    survey = round_survey()
    responses = [
        survey.response("a", {"speed1": 5, "speed2": 3, "attitude": 3, "fixed": True}),
        survey.response("b", {"speed1": 3, "speed2": 3, "attitude": 4, "fixed": True}),
    ]
    report = csat(survey, responses, positive={"speed": {3, 4, 5}, "attitude": {4, 5}})
    speed = report.dimension("speed").top_box
    assert speed is not None
    assert speed.successes == 4
    speed2 = report.question("speed2").top_box
    assert speed2 is not None
    assert speed2.successes == 2
    report = csat(survey, responses, positive={"speed1": {5}})
    speed1 = report.question("speed1").top_box
    assert speed1 is not None
    assert speed1.successes == 1
    with pytest.raises(ValidationError, match="neither a question"):
        csat(survey, responses, positive={"nope": {5}})
    with pytest.raises(ValidationError, match="not a value of the scale"):
        csat(survey, responses, positive={"speed": {9}})


# --- NPS ----------------------------------------------------------------------------------


def wald_by_hand(p: float, q: float, d: float, z: float = Z95) -> tuple[float, float, float]:
    """Independent computation: mean and population variance of +1/0/-1 values."""
    n = p + q + d
    mean = (p - d) / n
    second_moment = (p + d) / n
    se = 100 * math.sqrt((second_moment - mean**2) / n)
    return 100 * mean, 100 * mean - z * se, 100 * mean + z * se


def test_nps_wald_matches_independent_trinomial_computation() -> None:
    values = [1] * 50 + [0] * 30 + [-1] * 20
    result = nps(NpsCounts(50, 30, 20), method=IntervalMethod.WALD)
    assert result.score == pytest.approx(100 * statistics.fmean(values))
    assert result.standard_error == pytest.approx(100 * statistics.pstdev(values) / 10)
    _, low, high = wald_by_hand(50, 30, 20)
    assert (result.interval.lower, result.interval.upper) == pytest.approx((low, high))


def test_nps_adjusted_wald_adds_pseudo_observations() -> None:
    # Rocks (2016) / MeasuringU: add 3 to n, 3/4 to promoters and detractors (1.5 passives).
    result = nps(NpsCounts(7, 2, 1))
    assert result.score == pytest.approx(60.0)  # the raw NPS is the point estimate
    _, low, high = wald_by_hand(7.75, 3.5, 1.75)
    assert (result.interval.lower, result.interval.upper) == pytest.approx((low, high))
    assert result.interval.method is IntervalMethod.ADJUSTED_WALD


def test_nps_from_scores_with_default_and_custom_breaks() -> None:
    scores = [10, 9, 9, 8, 7, 6, 5, 0, 10, 3]
    result = nps(scores)
    assert result.counts == NpsCounts(4, 2, 4)
    assert result.score == 0.0
    assert result.n == 10
    custom = nps(scores, breaks=NpsBreaks(detractor_max=5, promoter_min=8))
    assert custom.counts == NpsCounts(5, 2, 3)
    assert NpsBreaks.from_dict(NpsBreaks(4, 8).to_dict()) == NpsBreaks(4, 8)
    assert NpsBreaks(6, 7).classify(7) is NpsCategory.PROMOTER


def test_cybaea_rule_of_thumb_width() -> None:
    # CYBAEA: with p = d = 1/3 the 95 % Wald width is about 320 / sqrt(n) points.
    result = nps(NpsCounts(342, 342, 342), method=IntervalMethod.WALD)
    assert result.interval.width == pytest.approx(320 / math.sqrt(1026), rel=1e-3)


def test_nps_edge_cases() -> None:
    with pytest.raises(InsufficientData):
        nps([])
    with pytest.raises(InsufficientData):
        nps(NpsCounts(0, 0, 0))
    single = nps([10], method=IntervalMethod.WALD)
    assert single.score == 100.0
    assert single.interval.width == 0.0  # one category only: sigma = 0
    adjusted = nps([10, 10, 9, 10])
    assert adjusted.interval.clipped
    assert adjusted.interval.upper == 100.0
    assert adjusted.rounded == 100
    assert nps(NpsCounts(1, 0, 1)).rounded == 0
    assert nps(NpsCounts(1, 6, 1)).promoter_percent == 12.5
    assert nps(NpsCounts(1, 6, 1)).detractor_percent == 12.5


def test_nps_rounding_is_half_away_from_zero() -> None:
    assert nps(NpsCounts(1, 6, 0)).score == pytest.approx(100 / 7)
    assert nps(NpsCounts(3, 3, 2)).rounded == 13  # 12.5 -> 13
    assert nps(NpsCounts(2, 3, 3)).rounded == -13  # -12.5 -> -13


def test_nps_rejects_bad_scores_breaks_and_methods() -> None:
    with pytest.raises(ValidationError) as info:
        nps([10, 11, -1, 7.5, True])  # type: ignore[list-item]
    assert [p.path for p in info.value.problems] == [
        "scores[1]",
        "scores[2]",
        "scores[3]",
        "scores[4]",
    ]
    with pytest.raises(InvalidSurvey):
        NpsBreaks(8, 7)
    with pytest.raises(InvalidSurvey) as breaks_info:
        NpsBreaks.from_dict({"detractor_max": 11, "promoter_min": "9", "x": 1})
    assert len(breaks_info.value.problems) == 3
    with pytest.raises(ValidationError, match="method"):
        nps([9], method=IntervalMethod.WILSON)
    with pytest.raises(ValidationError, match="breaks"):
        nps(NpsCounts(1, 1, 1), breaks=NpsBreaks())
    with pytest.raises(ValidationError):
        NpsCounts(-1, 0, 0)


def test_compare_nps_two_sample_wald() -> None:
    a, b = NpsCounts(60, 25, 15), NpsCounts(45, 30, 25)
    diff = compare_nps(a, b, method=IntervalMethod.WALD)
    var_a = 0.75 - 0.45**2
    var_b = 0.70 - 0.20**2
    se = 100 * math.sqrt(var_a / 100 + var_b / 100)
    assert diff.estimate == pytest.approx(25.0)
    assert diff.standard_error == pytest.approx(se)
    assert diff.statistic == pytest.approx(25.0 / se)
    assert diff.p_value == pytest.approx(2 * (1 - statistics.NormalDist().cdf(25.0 / se)))
    adjusted = compare_nps(a, b)
    assert adjusted.estimate == pytest.approx(25.0)
    assert adjusted.interval.method is IntervalMethod.ADJUSTED_WALD
    same = compare_nps([10], [10], method=IntervalMethod.WALD)
    assert same.statistic is None
    assert same.p_value is None
    with pytest.raises(InsufficientData):
        compare_nps([], [10])
    wide = compare_nps([10], [0])
    assert -200.0 <= wide.interval.lower <= wide.interval.upper <= 200.0


counts_strategy = st.builds(
    NpsCounts, st.integers(0, 200), st.integers(0, 200), st.integers(0, 200)
).filter(lambda c: c.n > 0)


@given(
    counts=counts_strategy,
    method=st.sampled_from([IntervalMethod.WALD, IntervalMethod.ADJUSTED_WALD]),
)
def test_nps_stays_in_range(counts: NpsCounts, method: IntervalMethod) -> None:
    result = nps(counts, method=method)
    assert -100.0 <= result.score <= 100.0
    assert -100.0 <= result.interval.lower <= result.interval.upper <= 100.0
    assert -100 <= result.rounded <= 100


@given(counts=counts_strategy)
def test_adding_a_promoter_never_lowers_nps(counts: NpsCounts) -> None:
    more = NpsCounts(counts.promoters + 1, counts.passives, counts.detractors)
    assert nps(more).score >= nps(counts).score - 1e-12


@given(scores=st.lists(st.integers(0, 10), min_size=1, max_size=60), data=st.data())
def test_permuting_respondents_changes_nothing(scores: list[int], data: st.DataObject) -> None:
    shuffled = data.draw(st.permutations(scores))
    assert nps(scores) == nps(shuffled)
    assert top_box(scores, ZERO_TO_TEN) == top_box(shuffled, ZERO_TO_TEN)


# --- CES ----------------------------------------------------------------------------------


def test_ces_2_on_seven_points_by_hand() -> None:
    scores = [7, 6, 6, 5, 4, 2, 7, 6, 3, 7]
    result = ces(scores, CES_2)
    assert result.mean.mean == pytest.approx(5.3)
    assert result.favourable_values == frozenset({5, 6, 7})
    assert result.favourable.percent == 70.0
    assert result.index_positive == frozenset({6, 7})
    assert result.index_negative == frozenset({1, 2, 3})
    assert result.index == pytest.approx(60.0 - 20.0)
    _, low, high = wald_by_hand(6, 2, 2)
    assert (result.index_interval.lower, result.index_interval.upper) == pytest.approx((low, high))


def test_ces_1_lower_is_better() -> None:
    result = ces([1, 2, 2, 3, 5], CES_1)
    assert result.favourable_values == frozenset({1, 2})
    assert result.favourable.successes == 3
    assert result.index == pytest.approx(100 * (3 - 1) / 5)


def test_ces_errors() -> None:
    with pytest.raises(ValidationError, match="5- or 7-point"):
        ces([1], ZERO_TO_TEN)
    with pytest.raises(ValidationError, match="overlaps"):
        ces([1], CES_2, index_positive={6, 7}, index_negative={7})
    with pytest.raises(InsufficientData):
        ces([], CES_2)
    clipped = ces([7, 7, 7], CES_2)
    assert clipped.index == 100.0
    assert not clipped.index_interval.clipped  # sigma = 0: a zero-width interval at 100


@given(scores=st.lists(st.integers(1, 7), min_size=1, max_size=50))
def test_ces_index_stays_in_range(scores: list[int]) -> None:
    result = ces(scores, CES_2)
    assert -100.0 <= result.index_interval.lower <= result.index <= result.index_interval.upper
    assert result.index_interval.upper <= 100.0
    assert 1.0 <= result.mean.mean <= 7.0
