"""Demo section: one survey round over a simulated week of closed tickets.

Deterministic: every "random" choice is a hash of the ticket id (``sample_position``), so the
output is the same on every run and machine.
"""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from itsm_core.satisfaction import (
    FIVE_POINT,
    YES_NO,
    ZERO_TO_TEN,
    KanoAnswer,
    KanoCategory,
    QualityIndexWeights,
    Question,
    SamplingOutcome,
    SamplingRule,
    ServqualInstrument,
    ServqualResponse,
    Survey,
    SurveyResponse,
    classify_feature,
    compare_nps,
    csat,
    nps,
    sample_position,
    service_quality_index,
    servqual,
)

T = TypeVar("T")

WEEK_START = dt.datetime(2026, 11, 16, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
SEED = "2026-W47"

SURVEY = Survey(
    "ticket-follow-up",
    (
        Question(
            id="speed",
            text="How satisfied are you with the response speed?",
            scale=FIVE_POINT,
            dimension="speed",
        ),
        Question(
            id="attitude",
            text="How satisfied are you with the engineer's attitude?",
            scale=FIVE_POINT,
            dimension="attitude",
        ),
        Question(
            id="resolved", text="Was your issue resolved?", scale=YES_NO, dimension="effectiveness"
        ),
        Question(
            id="recommend",
            text="How likely are you to recommend the service desk?",
            scale=ZERO_TO_TEN,
            required=False,
        ),
    ),
    title="回访 follow-up survey",
)


def _pick(ticket: str, salt: str, choices: tuple[T, ...]) -> T:
    """A deterministic choice among ``choices`` for one ticket."""
    return choices[int(sample_position(ticket, salt) * len(choices))]


def _week_of_tickets() -> list[tuple[str, dt.datetime]]:
    """60 tickets closed over five working days, every 40 minutes from 09:00."""
    tickets = []
    for index in range(60):
        day, slot = divmod(index, 12)
        closed = WEEK_START + dt.timedelta(days=day, minutes=40 * slot)
        tickets.append((f"INC{2026_1100 + index}", closed))
    return tickets


def _answers(ticket: str, late_week: bool) -> dict[str, int | bool | None]:
    # Speed suffers late in the week (a backlog builds up); attitude stays good.
    speed_choices = (2, 3, 3, 4, 4, 5) if late_week else (3, 4, 4, 5, 5, 5)
    return {
        "speed": _pick(ticket, "speed", speed_choices),
        "attitude": _pick(ticket, "attitude", (3, 4, 5, 5, 5)),
        "resolved": _pick(ticket, "resolved", (0, 1, 1, 1, 1, 1, 1, 1)) == 1,
        "recommend": _pick(ticket, "nps", (3, 6, 7, 8, 8, 9, 9, 10, 10, 10, None)),
    }


def _round() -> tuple[int, list[SurveyResponse], list[SurveyResponse]]:
    rule = SamplingRule(rate=0.6, delay=dt.timedelta(hours=2), validity=dt.timedelta(days=7))
    now = WEEK_START + dt.timedelta(days=7)
    sent = 0
    early: list[SurveyResponse] = []
    late: list[SurveyResponse] = []
    for ticket, closed in _week_of_tickets():
        decision = rule.decide(ticket_id=ticket, closed_at=closed, now=now, seed=SEED)
        if decision.outcome is not SamplingOutcome.SEND:
            continue
        sent += 1
        if sample_position(ticket, "answered") >= 0.75:  # a quarter never answer
            continue
        late_week = closed.weekday() >= 3
        response = SURVEY.response(ticket, _answers(ticket, late_week), ticket_id=ticket)
        (late if late_week else early).append(response)
    return sent, early, late


def _servqual_responses() -> list[ServqualResponse]:
    responses = []
    for index in range(12):
        who = f"customer{index}"
        expectations = {item: _pick(who, f"E{item}", (4, 5, 5)) for item in range(1, 23)}
        perceptions = {}
        for item in range(1, 23):
            # Responsiveness (10-13) falls short; tangibles (1-4) exceed expectations.
            if 10 <= item <= 13:
                choices: tuple[int, ...] = (2, 3, 3, 4)
            elif item <= 4:
                choices = (4, 5, 5)
            else:
                choices = (3, 4, 4, 5)
            perceptions[item] = _pick(who, f"P{item}", choices)
        responses.append(
            ServqualResponse(respondent_id=who, expectations=expectations, perceptions=perceptions)
        )
    return responses


def _kano_answers(feature: str) -> list[tuple[KanoAnswer, KanoAnswer]]:
    profiles = {
        "status e-mails": ((KanoAnswer.MUST_BE, KanoAnswer.DISLIKE),) * 3
        + ((KanoAnswer.LIKE, KanoAnswer.DISLIKE), (KanoAnswer.NEUTRAL, KanoAnswer.NEUTRAL)),
        "self-service portal": ((KanoAnswer.LIKE, KanoAnswer.NEUTRAL),) * 3
        + ((KanoAnswer.LIKE, KanoAnswer.DISLIKE), (KanoAnswer.NEUTRAL, KanoAnswer.NEUTRAL)),
        "chat channel": ((KanoAnswer.NEUTRAL, KanoAnswer.NEUTRAL),) * 3
        + ((KanoAnswer.LIKE, KanoAnswer.LIVE_WITH), (KanoAnswer.LIKE, KanoAnswer.LIKE)),
    }
    choices = profiles[feature]
    return [choices[_pick(f"r{i}", feature, tuple(range(len(choices))))] for i in range(40)]


def show() -> None:
    """Print the satisfaction section of the demo."""
    sent, early, late = _round()
    responses = early + late
    print("Satisfaction: one survey round over a week of closed tickets")
    print(
        f"  60 tickets closed, 60 % sampled with seed {SEED!r}: {sent} surveys sent, "
        f"{len(responses)} answered"
    )
    report = csat(SURVEY, responses)
    print()
    print("  CSAT by dimension (top-2-box)      n   share  Wilson 95 %      mean")
    for score in report.by_dimension:
        assert score.top_box is not None
        assert score.mean is not None
        interval = score.top_box.interval
        mean = "  yes/no" if score.scale.yes_no else f"{score.mean.mean:8.2f}"
        print(
            f"  {score.key:<33} {score.n:>3}  {score.top_box.percent:5.1f} %  "
            f"[{100 * interval.lower:4.1f}, {100 * interval.upper:5.1f}]{mean}"
        )
    recommend = [int(v) for r in responses if (v := r.get("recommend")) is not None]
    result = nps(recommend)
    iv = result.interval
    print()
    print(
        f"  NPS {result.rounded:+d} (n = {result.n}: {result.counts.promoters} promoters, "
        f"{result.counts.passives} passives, {result.counts.detractors} detractors)"
    )
    print(
        f"    95 % {iv.method.value} interval [{iv.lower:.1f}, {iv.upper:.1f}]"
        f"{' (clipped)' if iv.clipped else ''}"
    )
    first = [int(v) for r in early if (v := r.get("recommend")) is not None]
    second = [int(v) for r in late if (v := r.get("recommend")) is not None]
    diff = compare_nps(second, first)
    assert diff.p_value is not None
    print(
        f"    Thu-Fri vs Mon-Wed: {diff.estimate:+.1f} points, "
        f"95 % [{diff.interval.lower:.1f}, {diff.interval.upper:.1f}], p = {diff.p_value:.2f}"
    )
    gaps = servqual(ServqualInstrument.pzb_1991(FIVE_POINT), _servqual_responses())
    print()
    print(f"  SERVQUAL gaps P - E (n = {gaps.n}, 1-5 scale)   E      P     gap")
    for gap in gaps.dimensions:
        print(
            f"  {gap.dimension.value:<36} {gap.expectation:4.2f}  {gap.perception:4.2f}  "
            f"{gap.gap.mean:+5.2f}"
        )
    print(
        f"  overall (unweighted) {gaps.unweighted:+.2f}; improve first: {gaps.most_in_need.value}"
    )
    print()
    print("  Kano (40 respondents each)      category      better  worse  Fong")
    for feature in ("status e-mails", "self-service portal", "chat channel"):
        kano = classify_feature(feature, _kano_answers(feature))
        better = "-" if kano.better is None else f"{kano.better:.2f}"
        worse = "-" if kano.worse is None else f"{kano.worse:.2f}"
        name = {
            KanoCategory.MUST_BE: "must-be",
            KanoCategory.ONE_DIMENSIONAL: "one-dim.",
            KanoCategory.ATTRACTIVE: "attractive",
            KanoCategory.INDIFFERENT: "indifferent",
            KanoCategory.REVERSE: "reverse",
            KanoCategory.QUESTIONABLE: "questionable",
        }
        print(
            f"  {feature:<31} {name[kano.category]:<12} {better:>6} {worse:>6}  "
            f"{'sig.' if kano.fong_significant else 'ns'}"
        )
    weights = QualityIndexWeights.from_points(
        {
            "response": 30,
            "functionality": 20,
            "reliability": 25,
            "security": 15,
            "supportability": 10,
        }
    )
    speed_index = report.dimension("speed").index
    assert speed_index is not None
    scores = {
        "response": speed_index,
        "functionality": 82.0,
        "reliability": 88.0,
        "security": 95.0,
        "supportability": 76.0,
    }
    sqi = service_quality_index(scores, weights)
    print()
    print(
        f"  Service quality index {sqi.value:.1f} / 100 (response = CSAT speed index "
        f"{speed_index:.1f})"
    )


if __name__ == "__main__":
    show()
