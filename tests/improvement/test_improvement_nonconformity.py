"""Nonconformity and corrective action: no closure without an effective effectiveness review."""

from __future__ import annotations

import datetime as dt

import pytest

from itsm_core.errors import CommandRejected, TransitionNotAllowed
from itsm_core.improvement import (
    ActionItem,
    ActionStatus,
    EffectivenessReview,
    InvalidImprovementStream,
    NonconformityState,
    SourceKind,
    act_on_nonconformity,
    from_servqual_gap,
    raise_nonconformity,
    replay_nonconformity,
)
from itsm_core.satisfaction import (
    FIVE_POINT,
    ServqualDimension,
    ServqualInstrument,
    ServqualResponse,
    servqual,
)

T0 = dt.datetime(2026, 4, 1, 9, tzinfo=dt.UTC)


def test_nonconformity_cannot_close_without_effectiveness_review() -> None:
    nc, first = raise_nonconformity("NC-1", "SLA report sent late", actor="audit", now=T0)
    events = [first]

    def act(name: str, **changes: object) -> None:
        nonlocal nc
        nc, event = act_on_nonconformity(nc, name, actor="li", now=T0, **changes)
        events.append(event)

    with pytest.raises(CommandRejected) as info:
        act("analyse")
    assert len(info.value.reasons) == 3
    act("record_correction", correction="report sent manually")
    act("record_cause", root_cause="job not scheduled", corrective_action_required=True)
    act("analyse")
    with pytest.raises(CommandRejected, match="every action must be done"):
        act("implement")
    done = ActionItem(
        action_id="A1",
        description="schedule job",
        owner="wang",
        due=T0,
        status=ActionStatus.DONE,
        completed_at=T0,
    )
    act("record_action", action=done)
    act("implement")
    with pytest.raises(CommandRejected, match="missing 'effectiveness_review'"):
        act("close")
    with pytest.raises(CommandRejected, match="only after a review"):
        act("reanalyse")
    review = EffectivenessReview(reviewed_at=T0, reviewer="qa", effective=False, finding="late")
    act("record_review", review=review)
    with pytest.raises(CommandRejected, match="ineffective"):
        act("close")
    act("reanalyse")
    assert nc.state.value == "analysed"
    assert nc.review is None
    act("implement")
    act(
        "record_review",
        review=EffectivenessReview(
            reviewed_at=T0, reviewer="qa", effective=True, finding="on time 3 months"
        ),
        sms_change_ref="SMS-CR-9",
    )
    act("close")
    assert nc.state.value == NonconformityState.CLOSED.value
    assert nc.closed_at == T0
    assert replay_nonconformity(events) == nc
    with pytest.raises(TransitionNotAllowed):
        act("close")
    with pytest.raises(CommandRejected, match="not allowed in state"):
        act("record_correction", correction="x")
    with pytest.raises(CommandRejected, match="not recorded by"):
        act("record_review", colour="red")
    with pytest.raises(CommandRejected, match="takes no fields"):
        act("close", x=1)
    with pytest.raises(InvalidImprovementStream):
        replay_nonconformity(events[1:])
    with pytest.raises(InvalidImprovementStream):
        replay_nonconformity([])


def test_no_corrective_action_still_needs_a_review() -> None:
    nc, _ = raise_nonconformity("NC-2", "typo in SOP", actor="audit", now=T0)
    nc, _ = act_on_nonconformity(nc, "record_correction", actor="li", now=T0, correction="fixed")
    nc, _ = act_on_nonconformity(
        nc, "record_cause", actor="li", now=T0, root_cause="typo", corrective_action_required=False
    )
    nc, _ = act_on_nonconformity(nc, "analyse", actor="li", now=T0)
    nc, _ = act_on_nonconformity(nc, "implement", actor="li", now=T0)
    with pytest.raises(CommandRejected, match="effectiveness_review"):
        act_on_nonconformity(nc, "close", actor="li", now=T0)


def test_cycle_source_from_servqual_gap() -> None:
    instrument = ServqualInstrument.pzb_1991(FIVE_POINT)
    expectations = dict.fromkeys(range(1, 23), 5)
    perceptions = {i: (2 if 5 <= i <= 9 else 4) for i in range(1, 23)}
    responses = [
        ServqualResponse(respondent_id=f"r{k}", expectations=expectations, perceptions=perceptions)
        for k in range(2)
    ] + [
        ServqualResponse(
            respondent_id="r2",
            expectations=expectations,
            perceptions=dict.fromkeys(range(1, 23), 4),
        )
    ]
    report = servqual(instrument, responses)
    worst = report.dimension(report.most_in_need)
    source = from_servqual_gap(worst)
    assert report.most_in_need is ServqualDimension.RELIABILITY
    assert source.kind is SourceKind.SURVEY_GAP
    assert source.reference == "reliability"
    assert source.detail.startswith("gap -2.33")
