"""Quality inspection: sheets, sampling, records, calibration (Fleiss' kappa checked against
statsmodels) and the results appraisal and PDCA read."""

from __future__ import annotations

import datetime as dt

import pytest

from itsm_core.calls import CALL, call_events
from itsm_core.errors import InsufficientData, InvalidPolicy, ValidationError
from itsm_core.improvement import SourceKind
from itsm_core.inspection import (
    HOTLINE_SHEET,
    Candidate,
    InspectionSampling,
    ScoringSheet,
    SubjectKind,
    agreement_band,
    calibrate,
    calibration_text,
    call_candidates,
    fleiss_kappa,
    improvement_source,
    inspect,
    quality_by_agent,
    quality_table,
    sample,
)

T = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
S = dt.timedelta(seconds=1)
FULL = {
    "greeting": 1,
    "listening": 5,
    "accuracy": 5,
    "record": 1,
    "closing": 1,
    "confidentiality": 1,
}


def candidate(subject: str, agent: str = "ana") -> Candidate:
    return Candidate(kind=SubjectKind.CALL, subject_id=subject, agent=agent, at=T)


def test_scores_are_weighted_and_critical_items_fail_the_contact() -> None:
    # weights 1, 2, 3, 2, 1, 1 (total 10); listening 3/5 of 2 = 1.2, accuracy 4/5 of 3 = 2.4
    # -> 1 + 1.2 + 2.4 + 2 + 1 + 1 = 8.6 of 10 = 86 %
    score = HOTLINE_SHEET.score({**FULL, "listening": 3, "accuracy": 4})
    assert score.percent == pytest.approx(86.0)
    assert score.passed
    # record not made: 10 - 2 = 8 of 10 = 80 %, at the pass mark: passes
    assert HOTLINE_SHEET.score({**FULL, "record": 0}).passed
    # confidentiality broken: 90 % but failed
    broken = HOTLINE_SHEET.score({**FULL, "confidentiality": 0})
    assert broken.percent == pytest.approx(90.0)
    assert not broken.passed
    assert broken.failed_critical == ("confidentiality",)
    with pytest.raises(ValidationError) as caught:
        HOTLINE_SHEET.score({**FULL, "listening": 6, "accuracy": True, "smile": 1, "closing": None})  # type: ignore[dict-item]
    assert {p.path for p in caught.value.problems} == {
        "marks.listening",
        "marks.accuracy",
        "marks.smile",
        "marks.closing",
    }


def test_sheets_are_data() -> None:
    assert ScoringSheet.from_dict(HOTLINE_SHEET.to_dict()) == HOTLINE_SHEET
    with pytest.raises(InvalidPolicy) as caught:
        ScoringSheet.from_dict(
            {
                "name": "",
                "subject": "email",
                "pass_mark": 120,
                "items": [
                    {"key": "a", "label": "A", "weight": 0},
                    {"key": "a", "label": "A again", "points": 0},
                    {"label": "no key"},
                ],
            }
        )
    paths = {p.path for p in caught.value.problems}
    assert paths == {"subject", "items[2].key"}  # data errors first, then the values:
    with pytest.raises(InvalidPolicy) as caught:
        ScoringSheet.from_dict(
            {
                "name": "",
                "subject": "call",
                "pass_mark": 120,
                "items": [
                    {"key": "a", "label": "A", "weight": 0},
                    {"key": "a", "label": "A again", "points": 0},
                ],
            }
        )
    assert {p.path for p in caught.value.problems} == {
        "name",
        "pass_mark",
        "items[0].weight",
        "items[1].key",
        "items[1].points",
    }


def test_sampling_is_deterministic_per_seed_and_follows_the_rule() -> None:
    pool = [
        candidate(f"C{i}", agent)
        for i in range(12)
        for agent in ("ana", "bo")
        if i % 2 == (agent == "bo")
    ]
    weekly = InspectionSampling(name="weekly", kind=SubjectKind.CALL, per_agent=2)
    first = sample(pool, weekly, seed=2026)
    assert first == sample(
        list(reversed(pool)), weekly, seed=2026
    )  # order of the pool is irrelevant
    assert [c.agent for c in first] == ["ana", "ana", "bo", "bo"]
    seeds = {tuple(c.subject_id for c in sample(pool, weekly, seed=s)) for s in range(20)}
    assert len(seeds) > 5  # other seeds, other samples
    share = InspectionSampling(name="5%", kind=SubjectKind.CALL, rate=0.25)
    assert len(sample(pool, share, seed=1)) == 3  # ceil(0.25 * 12)
    assert (
        sample(pool, InspectionSampling(name="t", kind=SubjectKind.TICKET, rate=1.0), seed=1) == ()
    )
    assert InspectionSampling.from_dict(weekly.to_dict()) == weekly
    with pytest.raises(InvalidPolicy) as caught:
        InspectionSampling(name="x", kind=SubjectKind.CALL, per_agent=0, rate=2.0)
    assert {p.path for p in caught.value.problems} == {"per_agent", "rate"}
    with pytest.raises(ValidationError, match="seed"):
        sample(pool, weekly, seed="2026")  # type: ignore[arg-type]


def test_calls_become_candidates_with_tags() -> None:
    answered = CALL.replay(
        call_events(
            "C1", T, queue="vpn", wait=5 * S, answered_by="ana", talk=60 * S, transferred_to=["bo"]
        )
    )
    lost = CALL.replay(call_events("C2", T, wait=50 * S))
    (only,) = call_candidates([answered, lost])
    assert (only.subject_id, only.agent) == ("C1", "ana")
    assert only.tags == {"queue=vpn", "transferred", "unresolved"}
    tagged = InspectionSampling(
        name="transfers", kind=SubjectKind.CALL, rate=1.0, require=["transferred"]
    )
    assert sample([only], tagged, seed=0) == (only,)


def test_an_agent_cannot_inspect_their_own_call_nor_a_ticket_with_a_call_sheet() -> None:
    with pytest.raises(ValidationError) as caught:
        inspect(
            HOTLINE_SHEET,
            Candidate(kind=SubjectKind.TICKET, subject_id="INC1", agent="ana", at=T),
            FULL,
            inspection_id="",
            inspector="ana",
            at=T,
        )
    assert {p.path for p in caught.value.problems} == {"inspection_id", "sheet", "inspector"}


# A calibration session: three inspectors score the same four calls (marks below). Whether
# each item is fully met, per call and item, is the unit of Fleiss' kappa.
SESSION = {
    "C1": {"li": FULL, "wang": FULL, "zhao": {**FULL, "listening": 4}},
    "C2": {
        "li": {**FULL, "record": 0},
        "wang": {**FULL, "record": 0},
        "zhao": {**FULL, "record": 0},
    },
    "C3": {
        "li": {**FULL, "accuracy": 3},
        "wang": {**FULL, "accuracy": 3, "closing": 0},
        "zhao": FULL,
    },
    "C4": {
        "li": {**FULL, "confidentiality": 0},
        "wang": {**FULL, "confidentiality": 0},
        "zhao": FULL,
    },
}


def session() -> list:  # type: ignore[type-arg]
    return [
        inspect(
            HOTLINE_SHEET,
            candidate(call),
            marks,
            inspection_id=f"{call}-{who}",
            inspector=who,
            at=T,
        )
        for call, scored in SESSION.items()
        for who, marks in scored.items()
    ]


def test_calibration_kappa_agrees_with_statsmodels() -> None:
    inter_rater = pytest.importorskip("statsmodels.stats.inter_rater")
    found = calibrate(HOTLINE_SHEET, session())
    assert found.inspectors == ("li", "wang", "zhao")
    # the same table built independently: per call and item, raters saying "fully met"
    table = []
    for scored in SESSION.values():
        for item in HOTLINE_SHEET.items:
            met = sum(marks[item.key] == item.points for marks in scored.values())
            table.append([met, 3 - met])
    assert found.item_kappa == pytest.approx(inter_rater.fleiss_kappa(table, method="fleiss"))
    verdicts = [
        [
            sum(
                inspect(HOTLINE_SHEET, candidate(c), m, inspection_id="x", inspector=w, at=T).passed
                for w, m in scored.items()
            ),
            0,
        ]
        for c, scored in SESSION.items()
    ]
    verdicts = [[p, 3 - p] for p, _ in verdicts]
    assert found.verdict_kappa == pytest.approx(inter_rater.fleiss_kappa(verdicts, method="fleiss"))
    # C3: li 100 - 3*(2/5)*10 = 88, wang 88 - 10 = 78, zhao 100: widest gap 22 points
    spread, subject = found.largest_spread
    assert spread == pytest.approx(22.0)
    assert subject == "C3"
    assert "kappa" in calibration_text(found)
    assert "质检员" in calibration_text(found, "zh-CN")


def test_fleiss_kappa_by_hand_and_its_limits() -> None:
    # 4 units, 2 raters: P_i = 1, 1, 0, 1 -> P = 0.75; shares (5/8, 3/8) -> Pe = 34/64
    # kappa = (0.75 - 0.53125) / (1 - 0.53125) = 0.21875 / 0.46875 = 0.4667
    assert fleiss_kappa([[2, 0], [0, 2], [1, 1], [2, 0]]) == pytest.approx(0.21875 / 0.46875)
    assert fleiss_kappa([[3, 0], [0, 3]]) == 1.0
    with pytest.raises(InsufficientData, match="one category"):
        fleiss_kappa([[2, 0], [2, 0]])
    with pytest.raises(InsufficientData):
        fleiss_kappa([])
    with pytest.raises(ValidationError, match=r"table\[1\]"):
        fleiss_kappa([[2, 0], [1, 0]])
    assert [agreement_band(k) for k in (-0.1, 0.1, 0.3, 0.5, 0.7, 0.9)] == [
        "poor",
        "slight",
        "fair",
        "moderate",
        "substantial",
        "almost perfect",
    ]


def test_calibration_needs_everyone_on_every_call() -> None:
    rows = session()[:-1]
    with pytest.raises(ValidationError, match="C4"):
        calibrate(HOTLINE_SHEET, rows)


def test_results_for_appraisal_and_pdca() -> None:
    records = [
        inspect(
            HOTLINE_SHEET, candidate("C1", "ana"), FULL, inspection_id="Q1", inspector="li", at=T
        ),
        inspect(
            HOTLINE_SHEET,
            candidate("C2", "ana"),
            {**FULL, "confidentiality": 0},
            inspection_id="Q2",
            inspector="li",
            at=T + S,
        ),
        inspect(
            HOTLINE_SHEET,
            candidate("C3", "bo"),
            {**FULL, "record": 0, "accuracy": 4},
            inspection_id="Q3",
            inspector="li",
            at=T,
        ),
    ]
    by_agent = quality_by_agent(HOTLINE_SHEET, records)
    ana, bo = by_agent["ana"], by_agent["bo"]
    assert (ana.inspections, ana.mean_score, ana.pass_rate, ana.critical_failures) == (
        2,
        95.0,
        0.5,
        1,
    )
    assert ana.failed == ("Q2",)
    assert ana.needs_remedial_training
    # bo: 100 - 20 (record) - 3 * 1/5 * 10 (accuracy) = 74 % < 80: failed
    assert bo.mean_score == pytest.approx(74.0)
    assert bo.failed == ("Q3",)
    assert list(bo.weakest_items) == ["record", "accuracy"]
    source = improvement_source(HOTLINE_SHEET, records)
    # lost weighted marks: record 2, accuracy 0.6, confidentiality 1 -> record
    assert (source.kind, source.reference) == (SourceKind.QUALITY_INSPECTION, "hotline/record")
    assert "1 of 3" in source.detail
    with pytest.raises(InsufficientData):
        improvement_source(HOTLINE_SHEET, records[:1])
    table = quality_table(by_agent, "zh-CN").splitlines()
    assert table[0].split("\t")[0] == "坐席"
    assert table[1].split("\t")[-1] == "是"
