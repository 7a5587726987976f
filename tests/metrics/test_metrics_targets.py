"""KPI targets: the complaints' average response and satisfaction, checked and alerted on."""

from __future__ import annotations

import datetime as dt

import pytest

from itsm_core.errors import InvalidKpiDefinition
from itsm_core.metrics import (
    COMPLAINT_TARGETS,
    Dimension,
    Granularity,
    KpiAccumulator,
    KpiTarget,
    PeriodGrid,
    ReportSpec,
    SurveyAnswer,
    check_targets,
)
from itsm_core.tickets import (
    Acknowledge,
    CommandContext,
    OpenTicket,
    TicketEvent,
    TicketKind,
    decide,
)

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
SPEC = ReportSpec(
    periods=PeriodGrid(Granularity.WEEK, "UTC", dt.date(2026, 3, 2), dt.date(2026, 3, 15)),
    group_by=(Dimension.KIND,),
)


def answered(ticket_id: str, kind: TicketKind, hours: float) -> list[TicketEvent]:
    opened = decide(
        None,
        OpenTicket(ticket_id=ticket_id, kind=kind, requester="li"),
        CommandContext(actor="ana", role="agent", now=T0),
    )
    later = CommandContext(actor="ana", role="agent", now=T0 + dt.timedelta(hours=hours))
    return [*opened.events, *decide(opened.state, Acknowledge(), later).events]


def report(hours: list[float], scores: list[int]) -> KpiAccumulator:
    acc = KpiAccumulator(SPEC)
    for i, h in enumerate(hours):
        acc.add_all(answered(f"CMP-{i}", TicketKind.COMPLAINT, h))
    acc.add_all(answered("INC-1", TicketKind.INCIDENT, 100))  # not a complaint: not counted
    for i, score in enumerate(scores):
        acc.add_survey(
            SurveyAnswer(ticket_id=f"CMP-{i}", at=T0, csat=score, dimensions={"kind": "complaint"})
        )
    return acc


def test_complaint_targets_met() -> None:
    checks = check_targets(
        report([2, 20, 30], [5, 5, 4, 5, 4, 5, 5, 5, 4, 5]).report(), COMPLAINT_TARGETS
    )
    assert [(c.target.name, c.met) for c in checks] == [
        ("complaint_average_response", True),  # mean 17.3 h, though one took 30 h
        ("complaint_satisfaction", True),
    ]
    assert not any(c.alert for c in checks)
    assert checks[0].value == pytest.approx(52 / 3)


def test_complaint_targets_missed_are_alerts_that_quote_the_standard() -> None:
    checks = check_targets(report([20, 40], [5, 4, 3, 2]).report(), COMPLAINT_TARGETS)
    assert [c.alert for c in checks] == [True, True]
    assert [c.describe() for c in checks] == [
        "ALERT complaint_average_response: time_to_first_response in complaint <= 24 h (mean)"
        " (got 30.0 h) [平均响应时间24小时内]",
        "ALERT complaint_satisfaction: csat in complaint >= 90% (got 50.0%) [满意度90%以上]",
    ]


def test_no_data_is_no_alert() -> None:
    checks = check_targets(KpiAccumulator(SPEC).report(as_of=T0), COMPLAINT_TARGETS)
    assert [(c.met, c.alert, c.value) for c in checks] == [(None, False, None)] * 2
    assert checks[1].describe().startswith("no data complaint_satisfaction")


@pytest.mark.parametrize(
    ("fields", "paths"),
    [
        ({"at_most": 1.0, "at_least": 2.0}, ["at_most"]),
        ({}, ["at_most"]),
        ({"at_most": -1.0}, ["at_most"]),
        ({"at_least": float("nan")}, ["at_least"]),
        ({"at_most": 1.0, "name": " "}, ["name"]),
        ({"at_most": 1.0, "statistic": "mean"}, ["statistic"]),
        ({"at_most": 1.0, "group": [1]}, ["group"]),
        ({"at_most": 1.0, "group": "complaint"}, ["group"]),
    ],
)
def test_a_target_is_checked_when_built(fields: dict[str, object], paths: list[str]) -> None:
    values: dict[str, object] = {"name": "t", "kpi": "csat", **fields}
    with pytest.raises(InvalidKpiDefinition) as caught:
        KpiTarget(**values)  # type: ignore[arg-type]
    assert [p.path for p in caught.value.problems] == paths
