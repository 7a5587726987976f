"""SERVQUAL, Kano, Cronbach's alpha and the service quality index."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsm_core.errors import InsufficientData, InvalidSurvey, ValidationError
from itsm_core.satisfaction import (
    FIVE_POINT,
    SQI_DIMENSIONS,
    YES_NO,
    KanoAnswer,
    KanoCategory,
    MissingPolicy,
    QualityIndexWeights,
    ServqualDimension,
    ServqualInstrument,
    ServqualItem,
    ServqualResponse,
    classify_feature,
    cronbach_alpha,
    kano_category,
    kano_from_counts,
    service_quality_index,
    servqual,
)

D = ServqualDimension
INSTRUMENT = ServqualInstrument.pzb_1991(FIVE_POINT)

# --- SERVQUAL -----------------------------------------------------------------------------


def test_pzb_1988_structure() -> None:
    instrument = ServqualInstrument.pzb_1988()
    counts = {d: sum(1 for i in instrument.items if i.dimension is d) for d in D}
    assert counts == {
        D.TANGIBLES: 4,
        D.RELIABILITY: 5,
        D.RESPONSIVENESS: 4,
        D.ASSURANCE: 4,
        D.EMPATHY: 5,
    }
    assert {i.number for i in instrument.items if i.reverse} == {10, 11, 12, 13, 18, 19, 20, 21, 22}
    assert not any(i.reverse for i in ServqualInstrument.pzb_1991().items)


def uniform(e: int, p: int, **importance: float) -> ServqualResponse:
    """A respondent answering E = e and P = p on all 22 items."""
    return ServqualResponse(
        respondent_id=f"r{e}{p}",
        expectations=dict.fromkeys(range(1, 23), e),
        perceptions=dict.fromkeys(range(1, 23), p),
        importance={D(k): v for k, v in importance.items()} or None,
    )


def test_servqual_gaps_by_hand() -> None:
    # Respondent 1: P - E = -2 on reliability items, 0 elsewhere.
    e1 = dict.fromkeys(range(1, 23), 4)
    p1 = {i: (2 if 5 <= i <= 9 else 4) for i in range(1, 23)}
    # Respondent 2: P - E = +1 everywhere, except item 14 not answered.
    e2 = {i: 3 for i in range(1, 23) if i != 14}
    p2 = dict.fromkeys(range(1, 23), 4)
    weights = {
        D.TANGIBLES: 10,
        D.RELIABILITY: 40,
        D.RESPONSIVENESS: 20,
        D.ASSURANCE: 20,
        D.EMPATHY: 10,
    }
    r1 = ServqualResponse(respondent_id="1", expectations=e1, perceptions=p1, importance=weights)
    r2 = ServqualResponse(respondent_id="2", expectations=e2, perceptions=p2)
    report = servqual(INSTRUMENT, [r1, r2])
    reliability = report.dimension(D.RELIABILITY)
    assert reliability.gap.mean == pytest.approx((-2 + 1) / 2)
    assert reliability.perception == pytest.approx((2 + 4) / 2)
    assert report.dimension(D.TANGIBLES).gap.mean == pytest.approx(0.5)
    assert report.unweighted == pytest.approx((0.5 - 0.5 + 0.5 + 0.5 + 0.5) / 5)
    item14 = next(i for i in report.items if i.number == 14)
    assert (item14.n, item14.gap) == (1, 0.0)
    # Only respondent 1 gave points: weighted = 0.4 * -2 = -0.8.
    assert report.weighted == pytest.approx(-0.8)
    assert report.n_weighted == 1
    assert report.most_in_need is D.RELIABILITY
    assert reliability.importance == pytest.approx(0.4)


def test_servqual_reverse_scoring_of_1988_items() -> None:
    instrument = ServqualInstrument.pzb_1988()
    # Item 10 is negatively worded: raw E = 2, P = 6 on 1..7 -> scored E = 6, P = 2, gap -4.
    response = ServqualResponse(
        respondent_id="x",
        expectations={**dict.fromkeys(range(1, 23), 4), 10: 2},
        perceptions={**dict.fromkeys(range(1, 23), 4), 10: 6},
    )
    report = servqual(instrument, [response])
    item10 = next(i for i in report.items if i.number == 10)
    assert (item10.expectation, item10.perception, item10.gap) == (6, 2, -4)
    assert report.dimension(D.RESPONSIVENESS).gap.mean == pytest.approx(-1.0)


def test_servqual_sample_weights_and_normalised_points() -> None:
    responses = [uniform(5, 3, reliability=60, empathy=60), uniform(4, 4)]
    report = servqual(INSTRUMENT, responses)
    # Points 60 + 60 normalised to 0.5 + 0.5: weighted = -2.
    assert report.weighted == pytest.approx(-2.0)
    with pytest.raises(ValidationError, match="not 100"):
        servqual(INSTRUMENT, responses, require_100_points=True)
    sample = {
        D.RELIABILITY: 32,
        D.RESPONSIVENESS: 22,
        D.ASSURANCE: 19,
        D.EMPATHY: 16,
        D.TANGIBLES: 11,
    }
    weighted = servqual(INSTRUMENT, responses, weights=sample)
    assert weighted.weighted == pytest.approx(weighted.unweighted)  # equal gaps everywhere
    assert weighted.n_weighted == 2


def test_servqual_errors_list_every_problem() -> None:
    bad = ServqualResponse(
        respondent_id="b",
        expectations={1: 6, 99: 3, 2: True},
        perceptions={1: 0},
        importance={"speed": 10, D.EMPATHY: -1},  # type: ignore[arg-type]
    )
    with pytest.raises(ValidationError) as info:
        servqual(INSTRUMENT, [bad], weights={D.EMPATHY: 0})
    paths = [p.path for p in info.value.problems]
    assert paths == [
        "responses[0].expectations[1]",
        "responses[0].expectations[99]",
        "responses[0].expectations[2]",
        "responses[0].perceptions[1]",
        "responses[0].importance.speed",
        "responses[0].importance.empathy",
        "weights",
    ]
    with pytest.raises(InsufficientData):
        servqual(INSTRUMENT, [])
    partial = ServqualResponse(respondent_id="p", expectations={1: 3}, perceptions={1: 4})
    with pytest.raises(InsufficientData) as info2:
        servqual(INSTRUMENT, [partial])
    assert len(info2.value.problems) == 4
    with pytest.raises(InvalidSurvey):
        ServqualInstrument((ServqualItem(1, D.TANGIBLES), ServqualItem(1, D.TANGIBLES)))
    with pytest.raises(InvalidSurvey):
        ServqualInstrument.pzb_1991(YES_NO)


@given(
    gaps=st.lists(st.tuples(st.integers(1, 5), st.integers(1, 5)), min_size=1, max_size=6),
    data=st.data(),
)
def test_servqual_properties(gaps: list[tuple[int, int]], data: st.DataObject) -> None:
    responses = [uniform(e, p) for e, p in gaps]
    report = servqual(INSTRUMENT, responses)
    assert -4.0 <= report.unweighted <= 4.0
    expected = sum(p - e for e, p in gaps) / len(gaps)
    assert report.unweighted == pytest.approx(expected)
    shuffled = data.draw(st.permutations(responses))
    assert servqual(INSTRUMENT, shuffled).unweighted == pytest.approx(report.unweighted)


# --- Kano ---------------------------------------------------------------------------------

A = KanoAnswer


def test_evaluation_table_cells() -> None:
    # Berger et al. 1993, as printed in the stp25kano README (rows functional).
    expected = [
        "QAAAO",
        "RIIIM",
        "RIIIM",
        "RIIIM",
        "RRRRQ",
    ]
    order = [A.LIKE, A.MUST_BE, A.NEUTRAL, A.LIVE_WITH, A.DISLIKE]
    table = ["".join(kano_category(f, d).value for d in order) for f in order]
    assert table == expected
    with pytest.raises(ValidationError):
        kano_category("like", A.LIKE)  # type: ignore[arg-type]


# stp25kano README table (simulated data, n = 296 per attribute): counts M, O, A, I, R, Q and
# the published max category, M>O>A>I category, CS+, CS-, Fong difference/threshold/sig.
STP25KANO = [
    ("Service app", (95, 123, 45, 33, 0, 0), "O", "O", 0.568, -0.736, 28, 19.4, True),
    ("Excellent service", (101, 54, 54, 81, 3, 3), "M", "M", 0.372, -0.534, 20, 18.5, True),
    ("Hotline", (15, 24, 121, 124, 6, 6), "I", "A", 0.511, -0.137, 3, 19.8, False),
    ("Loan machine", (65, 87, 93, 51, 0, 0), "A", "O", 0.608, -0.514, 6, 18.5, False),
    ("Ready-to-use return", (9, 18, 83, 177, 6, 3), "I", "I", 0.352, -0.094, 94, 19.9, True),
]


@pytest.mark.parametrize("row", STP25KANO, ids=[r[0] for r in STP25KANO])
def test_kano_matches_stp25kano_readme(row: tuple[object, ...]) -> None:
    name, counts, mode, rule, better, worse, diff, threshold, significant = row
    assert isinstance(counts, tuple)
    m, o, a, i, r, q = counts
    result = kano_from_counts(
        str(name),
        {
            KanoCategory.MUST_BE: m,
            KanoCategory.ONE_DIMENSIONAL: o,
            KanoCategory.ATTRACTIVE: a,
            KanoCategory.INDIFFERENT: i,
            KanoCategory.REVERSE: r,
            KanoCategory.QUESTIONABLE: q,
        },
    )
    assert result.n == 296
    assert result.mode.value == mode
    assert result.category.value == rule
    assert result.better is not None
    assert result.worse is not None
    assert round(result.better, 3) == better
    assert round(result.worse, 3) == worse
    assert result.fong_difference == diff
    assert round(result.fong_threshold, 1) == threshold
    assert result.fong_significant is significant


def test_kano_strengths_service_app() -> None:
    # stp25kano README: total strength 89 %, category strength 9 %.
    result = kano_from_counts(
        "Service app",
        {
            KanoCategory.MUST_BE: 95,
            KanoCategory.ONE_DIMENSIONAL: 123,
            KanoCategory.ATTRACTIVE: 45,
            KanoCategory.INDIFFERENT: 33,
        },
    )
    assert round(100 * result.total_strength) == 89
    assert round(100 * result.category_strength) == 9
    assert result.share(KanoCategory.ONE_DIMENSIONAL) == pytest.approx(123 / 296)


def test_classify_feature_over_respondents() -> None:
    answers = [(A.LIKE, A.DISLIKE)] * 3 + [(A.NEUTRAL, A.DISLIKE)] * 2 + [(A.LIKE, A.LIKE)]
    result = classify_feature("self-service portal", answers, tie_margin=0.0)
    assert result.count(KanoCategory.ONE_DIMENSIONAL) == 3
    assert result.count(KanoCategory.MUST_BE) == 2
    assert result.mode is KanoCategory.ONE_DIMENSIONAL
    assert result.category is KanoCategory.ONE_DIMENSIONAL
    assert result.questionable_share == pytest.approx(1 / 6)
    assert result.better == pytest.approx(3 / 5)
    assert result.worse == pytest.approx(-5 / 5)
    nothing_valid = classify_feature("x", [(A.LIKE, A.LIKE), (A.DISLIKE, A.LIKE)])
    assert (nothing_valid.better, nothing_valid.worse, nothing_valid.n_valid) == (None, None, 0)
    assert nothing_valid.category is KanoCategory.REVERSE  # exact tie R/Q, R first
    with pytest.raises(InsufficientData):
        classify_feature("x", [])
    with pytest.raises(ValidationError) as info:
        classify_feature("x", [(A.LIKE,), ("like", "dislike")], tie_margin=2)  # type: ignore[list-item]
    assert [p.path for p in info.value.problems] == ["tie_margin", "answers[0]", "answers[1]"]
    with pytest.raises(ValidationError):
        kano_from_counts("x", {KanoCategory.MUST_BE: -1})


@given(
    answers=st.lists(
        st.tuples(st.sampled_from(list(A)), st.sampled_from(list(A))), min_size=1, max_size=40
    ),
    data=st.data(),
)
def test_kano_properties(answers: list[tuple[KanoAnswer, KanoAnswer]], data: st.DataObject) -> None:
    result = classify_feature("f", answers)
    assert sum(c for _, c in result.counts) == len(answers)
    if result.better is not None:
        assert result.worse is not None
        assert 0.0 <= result.better <= 1.0
        assert -1.0 <= result.worse <= 0.0
    assert 0.0 <= result.total_strength <= 1.0
    assert 0.0 <= result.category_strength <= 1.0
    assert classify_feature("f", data.draw(st.permutations(answers))) == result


# --- Cronbach's alpha -----------------------------------------------------------------------

ROWS: list[list[float | None]] = [
    [4, 5, 4, 3],
    [2, 3, 3, 2],
    [5, 5, 4, 5],
    [3, 3, 2, 3],
    [4, 4, 5, 4],
    [1, 2, 2, 1],
    [3, None, 3, 4],
    [5, 4, None, 5],
]


def test_alpha_listwise_matches_numpy_and_feldt_matches_scipy() -> None:
    np = pytest.importorskip("numpy")
    stats = pytest.importorskip("scipy.stats")
    complete = np.array([r for r in ROWS if None not in r], dtype=float)
    k = complete.shape[1]
    expected = k / (k - 1) * (1 - complete.var(0, ddof=1).sum() / complete.sum(1).var(ddof=1))
    result = cronbach_alpha(ROWS)
    assert result.alpha == pytest.approx(expected, abs=1e-12)
    assert (result.n, result.k, result.missing) == (6, 4, MissingPolicy.LISTWISE)
    df1, df2 = 5, 15
    lower = 1 - (1 - expected) * stats.f.ppf(0.975, df1, df2)
    upper = 1 - (1 - expected) * stats.f.ppf(0.025, df1, df2)
    assert (result.interval.lower, result.interval.upper) == pytest.approx((lower, upper), abs=1e-9)


def test_alpha_pairwise_matches_pandas_covariance() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame([[math.nan if v is None else v for v in r] for r in ROWS], dtype=float)
    cov = frame.cov()  # pairwise-complete, ddof = 1
    k = frame.shape[1]
    expected = k / (k - 1) * (1 - float(cov.values.trace()) / float(cov.values.sum()))
    result = cronbach_alpha(ROWS, missing=MissingPolicy.PAIRWISE)
    assert result.alpha == pytest.approx(expected, abs=1e-12)
    assert result.n == 8
    assert result.alpha != pytest.approx(cronbach_alpha(ROWS).alpha)  # the policies differ


def test_alpha_equals_the_covariance_form() -> None:
    # alpha = k c / (v + (k - 1) c): mean inter-item covariance c, mean variance v.
    rows = [[2, 3], [4, 4], [3, 5], [5, 6]]
    result = cronbach_alpha(rows)
    var1, var2, cov = 5 / 3, 5 / 3, 4 / 3
    assert result.alpha == pytest.approx(2 * cov / ((var1 + var2) / 2 + cov))


def test_alpha_errors() -> None:
    with pytest.raises(InsufficientData, match="2 items"):
        cronbach_alpha([[1], [2]])
    with pytest.raises(InsufficientData, match="2 respondents"):
        cronbach_alpha([[1, 2]])
    with pytest.raises(InsufficientData, match="does not vary"):
        cronbach_alpha([[3, 3], [3, 3], [3, 3]])
    with pytest.raises(InsufficientData, match="joint answers"):
        cronbach_alpha([[1, None], [None, 2], [3, None]], missing=MissingPolicy.PAIRWISE)
    with pytest.raises(ValidationError) as info:
        cronbach_alpha([[1, 2], [1, "x"], [1]], missing="all")  # type: ignore[arg-type, list-item]
    assert [p.path for p in info.value.problems] == ["missing", "rows[1][1]", "rows[2]"]
    negative = cronbach_alpha([[1, 5], [5, 2], [3, 3], [2, 4]])
    assert negative.alpha < 0  # alpha can be negative


# --- service quality index ------------------------------------------------------------------


def test_quality_index_by_hand() -> None:
    weights = QualityIndexWeights.from_points(
        {
            "response": 30,
            "functionality": 20,
            "reliability": 25,
            "security": 15,
            "supportability": 10,
        }
    )
    scores = {
        "response": 80,
        "functionality": 70,
        "reliability": 90,
        "security": 100,
        "supportability": 60,
    }
    result = service_quality_index(scores, weights)
    assert result.value == pytest.approx(0.3 * 80 + 0.2 * 70 + 0.25 * 90 + 0.15 * 100 + 0.1 * 60)
    assert dict(result.contributions)["security"] == pytest.approx(15.0)
    assert QualityIndexWeights(weights.to_dict()) == weights
    assert QualityIndexWeights.equal().dimensions == SQI_DIMENSIONS
    assert weights.weight("cost") == 0.0


def test_quality_index_errors() -> None:
    weights = QualityIndexWeights.equal(("response", "security"))
    with pytest.raises(ValidationError) as info:
        service_quality_index({"response": 120, "cost": 50}, weights)
    assert [p.path for p in info.value.problems] == [
        "scores.security",
        "scores.response",
        "scores.cost",
    ]
    with pytest.raises(InvalidSurvey) as info2:
        QualityIndexWeights({"": 0.5, "x": -0.5})
    assert len(info2.value.problems) == 2
    with pytest.raises(InvalidSurvey, match="add up to 0"):
        QualityIndexWeights.from_points({"a": 0, "b": 0})
    with pytest.raises(InvalidSurvey, match="twice"):
        QualityIndexWeights([("a", 0.5), ("a", 0.5)])
    with pytest.raises(InvalidSurvey):
        QualityIndexWeights({})


@given(
    points=st.dictionaries(st.sampled_from(SQI_DIMENSIONS), st.floats(0.1, 100), min_size=1),
    data=st.data(),
)
def test_quality_index_stays_in_range(points: dict[str, float], data: st.DataObject) -> None:
    weights = QualityIndexWeights.from_points(points)
    scores = {name: data.draw(st.floats(0, 100)) for name in points}
    value = service_quality_index(scores, weights).value
    assert min(scores.values()) - 1e-9 <= value <= max(scores.values()) + 1e-9
