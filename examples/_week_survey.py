"""Sunday night: the satisfaction survey round over the tickets resolved this week.

Which tickets get a survey is decided by a ``SamplingRule`` (a deterministic hash of the ticket
id and the round's seed, never a random draw). The customers' answers are made up with a
seeded ``random.Random``, but they follow the week: a customer whose resolution clock was
breached answers the speed question worse. The responses are stored in an in-memory
repository; the figures come from ``itsm_core.satisfaction``: CSAT with Wilson intervals, NPS
with its adjusted-Wald interval, SERVQUAL gaps and a Kano classification.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

from _week_desk import END_OF_WEEK, table
from _week_run import Week

from itsm_core.metrics import SurveyAnswer
from itsm_core.repositories import InMemoryRepository, Repository
from itsm_core.satisfaction import (
    FIVE_POINT,
    YES_NO,
    ZERO_TO_TEN,
    KanoAnswer,
    KanoCategory,
    Question,
    SamplingOutcome,
    SamplingRule,
    ServqualInstrument,
    ServqualResponse,
    Survey,
    SurveyResponse,
    classify_feature,
    csat,
    nps,
    servqual,
)
from itsm_core.sla import ClockStatus
from itsm_core.tickets import TicketKind

SEED = "2025-W39"
RULE = SamplingRule(rate=0.8, delay=dt.timedelta(hours=2), validity=dt.timedelta(days=7))
SURVEY = Survey(
    "ticket-follow-up",
    (
        Question(id="overall", text="Overall satisfaction?", scale=FIVE_POINT, dimension="overall"),
        Question(id="speed", text="The speed of the answer?", scale=FIVE_POINT, dimension="speed"),
        Question(
            id="attitude", text="The engineer's attitude?", scale=FIVE_POINT, dimension="attitude"
        ),
        Question(id="resolved", text="Was it resolved?", scale=YES_NO, dimension="effectiveness"),
        Question(id="recommend", text="Would you recommend us?", scale=ZERO_TO_TEN, required=False),
    ),
    title="回访 follow-up survey",
)
SURVEYED_KINDS = (
    TicketKind.INCIDENT,
    TicketKind.SERVICE_REQUEST,
    TicketKind.CONSULTATION,
    TicketKind.COMPLAINT,
)
KANO_NAMES = {
    KanoCategory.MUST_BE: "must-be",
    KanoCategory.ONE_DIMENSIONAL: "one-dimensional",
    KanoCategory.ATTRACTIVE: "attractive",
    KanoCategory.INDIFFERENT: "indifferent",
    KanoCategory.REVERSE: "reverse",
    KanoCategory.QUESTIONABLE: "questionable",
}
KANO_FEATURES = ("SMS status updates", "self-service password reset", "chat after 18:00")


@dataclasses.dataclass(frozen=True)
class Round:
    """What the survey round produced."""

    sampled: dict[SamplingOutcome, int]
    responses: Repository[SurveyResponse]
    late: frozenset[str]
    answers: tuple[SurveyAnswer, ...]


def _late_tickets(week: Week) -> frozenset[str]:
    """Tickets with a clock that ended (or stands) past its target."""
    late = set()
    for ticket_id in week.rows:
        report = week.desk.evaluate(ticket_id, END_OF_WEEK)
        if any(c.status in (ClockStatus.MET_LATE, ClockStatus.BREACHED) for c in report.clocks):
            late.add(ticket_id)
    return frozenset(late)


def run_round(week: Week) -> Round:
    """Sample the resolved tickets, collect the answers, store the responses."""
    rng = random.Random(SEED)
    late = _late_tickets(week)
    repository: InMemoryRepository[SurveyResponse] = InMemoryRepository("survey_response")
    sampled = dict.fromkeys(SamplingOutcome, 0)
    answers = []
    for ticket_id in week.rows:
        ticket = week.desk.ticket(ticket_id)
        if ticket.kind not in SURVEYED_KINDS or ticket.resolved_at is None:
            continue
        decision = RULE.decide(
            ticket_id=ticket_id, closed_at=ticket.resolved_at, now=END_OF_WEEK, seed=SEED
        )
        sampled[decision.outcome] += 1
        if decision.outcome is not SamplingOutcome.SEND or rng.random() < 0.2:
            continue  # not sent, or sent and never answered
        was_late = ticket_id in late
        good = (2, 3, 3, 4) if was_late else (3, 4, 4, 5, 5, 5)
        overall = rng.choice(good)
        recommend = rng.choice((3, 5, 6, 7, 8, None) if was_late else (6, 7, 8, 9, 9, 10, 10, None))
        values: dict[str, int | bool | None] = {
            "overall": overall,
            "speed": rng.choice((1, 2, 2, 3) if was_late else (3, 4, 5, 5)),
            "attitude": rng.choice((3, 4, 5, 5)),
            "resolved": ticket.reopen_count == 0 or rng.random() < 0.5,
            "recommend": recommend,
        }
        response = SURVEY.response(week.requesters[ticket_id], values, ticket_id=ticket_id)
        repository.save(ticket_id, response, expected_version=0)
        answers.append(
            SurveyAnswer(ticket_id=ticket_id, at=ticket.opened_at, csat=overall, nps=recommend)
        )
    return Round(sampled=sampled, responses=repository, late=late, answers=tuple(answers))


def _servqual_responses(round_: Round) -> list[ServqualResponse]:
    """The SERVQUAL part of the questionnaire: 22 expectations and perceptions (1-5)."""
    rng = random.Random(f"{SEED}-servqual")
    responses = []
    respondents = round_.responses.keys()
    for key in respondents:
        late = key in round_.late
        expectations = {item: rng.choice((4, 5, 5)) for item in range(1, 23)}
        perceptions = {}
        for item in range(1, 23):
            if 10 <= item <= 13:  # responsiveness: what the breaches hurt
                choices: tuple[int, ...] = (2, 3, 3) if late else (3, 3, 4, 4)
            elif 14 <= item <= 17:  # assurance: the engineers know their job
                choices = (4, 5, 5)
            else:
                choices = (3, 4, 4, 5)
            perceptions[item] = rng.choice(choices)
        responses.append(
            ServqualResponse(respondent_id=key, expectations=expectations, perceptions=perceptions)
        )
    return responses


def _kano(feature: str, respondents: int) -> list[tuple[KanoAnswer, KanoAnswer]]:
    """The Kano pair (if present, if absent) each respondent gave for ``feature``."""
    rng = random.Random(f"{SEED}-{feature}")
    like, must, neutral, live, dislike = (
        KanoAnswer.LIKE,
        KanoAnswer.MUST_BE,
        KanoAnswer.NEUTRAL,
        KanoAnswer.LIVE_WITH,
        KanoAnswer.DISLIKE,
    )
    profiles = {
        "SMS status updates": ((must, dislike), (must, dislike), (like, dislike), (neutral, live)),
        "self-service password reset": ((like, dislike), (like, dislike), (like, neutral)),
        "chat after 18:00": ((like, neutral), (like, neutral), (neutral, neutral), (like, live)),
    }
    return [rng.choice(profiles[feature]) for _ in range(respondents)]


def show(round_: Round) -> None:
    """Print the survey round."""
    keys = round_.responses.keys()
    stored = [round_.responses.get(key).value for key in keys]
    sent = round_.sampled[SamplingOutcome.SEND]
    print(
        f"Sampling rule: {RULE.rate:.0%} of resolved tickets, 2 h after resolution, seed {SEED!r}"
    )
    print(
        "  "
        + ", ".join(f"{outcome.value} {n}" for outcome, n in round_.sampled.items() if n)
        + f"; {len(stored)} of {sent} sent answered"
    )
    print()
    report = csat(SURVEY, stored)
    rows: list[tuple[object, ...]] = []
    for score in report.by_dimension:
        assert score.top_box is not None
        assert score.mean is not None
        interval = score.top_box.interval
        rows.append(
            (
                score.key,
                score.n,
                f"{score.top_box.percent:.1f} %",
                f"[{100 * interval.lower:.1f}, {100 * interval.upper:.1f}]",
                "yes/no" if score.scale.yes_no else f"{score.mean.mean:.2f}",
            )
        )
    print("CSAT (top-2-box: 4 or 5 of 5; yes for yes/no)")
    table(("dimension", ">n", ">CSAT", ">Wilson 95 %", ">mean"), rows)
    scores = [int(v) for r in stored if (v := r.get("recommend")) is not None]
    result = nps(scores)
    iv = result.interval
    print()
    print(
        f"NPS {result.score:+.1f} (n = {result.n}: {result.counts.promoters} promoters, "
        f"{result.counts.passives} passives, {result.counts.detractors} detractors); "
        f"95 % {iv.method.value} interval [{iv.lower:+.1f}, {iv.upper:+.1f}]"
    )
    gaps = servqual(ServqualInstrument.pzb_1991(FIVE_POINT), _servqual_responses(round_))
    rows = [
        (
            gap.dimension.value,
            f"{gap.expectation:.2f}",
            f"{gap.perception:.2f}",
            f"{gap.gap.mean:+.2f}",
        )
        for gap in gaps.dimensions
    ]
    print()
    print(f"SERVQUAL gaps, perception - expectation (n = {gaps.n}, 1-5 scale)")
    table(("dimension", ">E", ">P", ">gap"), rows)
    print(f"  overall {gaps.unweighted:+.2f}; improve first: {gaps.most_in_need.value}")
    rows = []
    for feature in KANO_FEATURES:
        kano = classify_feature(feature, _kano(feature, len(stored)))
        rows.append(
            (
                feature,
                KANO_NAMES[kano.category],
                "-" if kano.better is None else f"{kano.better:.2f}",
                "-" if kano.worse is None else f"{kano.worse:.2f}",
            )
        )
    print()
    print(f"Kano: what to build next ({len(stored)} respondents)")
    table(("feature", "category", ">better", ">worse"), rows)
