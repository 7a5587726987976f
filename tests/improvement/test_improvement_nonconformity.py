"""Nonconformity and corrective action: no closure without an effective effectiveness review."""

from __future__ import annotations

import datetime as dt

import pytest

from itsm_core.errors import (
    CommandRejected,
    InvalidEventStream,
    TransitionNotAllowed,
    ValidationError,
)
from itsm_core.improvement import (
    ActionItem,
    ActionStatus,
    AnalyseNonconformity,
    CloseNonconformity,
    EffectivenessReview,
    ImplementCorrectiveAction,
    NonconformityState,
    ReanalyseNonconformity,
    RecordCause,
    RecordCorrection,
    RecordCorrectiveAction,
    RecordEffectivenessReview,
    SourceKind,
    decide_nonconformity,
    from_servqual_gap,
    raise_nonconformity,
    replay_nonconformity,
)
from itsm_core.improvement._nonconformity import NonconformityCommand
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

    def act(command: NonconformityCommand) -> None:
        nonlocal nc
        nc, event = decide_nonconformity(nc, command, actor="li", now=T0)
        events.append(event)

    with pytest.raises(CommandRejected) as info:
        act(AnalyseNonconformity())
    assert len(info.value.reasons) == 3
    act(RecordCorrection("report sent manually"))
    act(RecordCause(root_cause="job not scheduled", corrective_action_required=True))
    act(AnalyseNonconformity())
    with pytest.raises(CommandRejected, match="every action must be done"):
        act(ImplementCorrectiveAction())
    done = ActionItem(
        action_id="A1",
        description="schedule job",
        owner="wang",
        due=T0,
        status=ActionStatus.DONE,
        completed_at=T0,
    )
    act(RecordCorrectiveAction(done))
    act(ImplementCorrectiveAction())
    with pytest.raises(CommandRejected, match="missing 'effectiveness_review'"):
        act(CloseNonconformity())
    with pytest.raises(CommandRejected, match="only after a review"):
        act(ReanalyseNonconformity())
    review = EffectivenessReview(reviewed_at=T0, reviewer="qa", effective=False, finding="late")
    act(RecordEffectivenessReview(review=review))
    with pytest.raises(CommandRejected, match="ineffective"):
        act(CloseNonconformity())
    act(ReanalyseNonconformity())
    assert nc.state.value == "analysed"
    assert nc.review is None
    act(ImplementCorrectiveAction())
    act(
        RecordEffectivenessReview(
            review=EffectivenessReview(
                reviewed_at=T0, reviewer="qa", effective=True, finding="on time 3 months"
            ),
            sms_change_ref="SMS-CR-9",
        )
    )
    act(CloseNonconformity())
    assert nc.state.value == NonconformityState.CLOSED.value
    assert nc.closed_at == T0
    assert nc.sms_change_ref == "SMS-CR-9"
    assert replay_nonconformity(events) == nc
    assert [e.name for e in events] == [
        "raise",
        "record_correction",
        "record_cause",
        "analyse",
        "record_action",
        "implement",
        "record_review",
        "reanalyse",
        "implement",
        "record_review",
        "close",
    ]
    with pytest.raises(TransitionNotAllowed):
        act(CloseNonconformity())
    with pytest.raises(CommandRejected, match="not allowed in state 'closed'"):
        act(RecordCorrection("x"))
    with pytest.raises(InvalidEventStream):
        replay_nonconformity(events[1:])
    with pytest.raises(InvalidEventStream):
        replay_nonconformity([])


def test_a_corrective_action_with_the_same_id_replaces_the_earlier_one() -> None:
    nc, _ = raise_nonconformity("NC-4", "backup not verified", actor="audit", now=T0)
    for command in (
        RecordCorrection("verified by hand"),
        RecordCause(root_cause="no check in the runbook"),
        RecordCause(corrective_action_required=True),
        AnalyseNonconformity(),
    ):
        nc, _ = decide_nonconformity(nc, command, actor="li", now=T0)
    assert (nc.root_cause, nc.corrective_action_required) == ("no check in the runbook", True)
    planned = ActionItem(action_id="A1", description="add check", owner="wang", due=T0)
    nc, _ = decide_nonconformity(nc, RecordCorrectiveAction(planned), actor="li", now=T0)
    done = ActionItem(
        action_id="A1",
        description="add check",
        owner="wang",
        due=T0,
        status=ActionStatus.DONE,
        completed_at=T0,
    )
    nc, event = decide_nonconformity(nc, RecordCorrectiveAction(done), actor="li", now=T0)
    assert nc.actions == (done,)
    assert event.changes == (("actions", (done,)),)


def test_commands_are_validated_when_built() -> None:
    with pytest.raises(ValidationError, match="nothing to record"):
        RecordCause()
    with pytest.raises(ValidationError, match="root_cause"):
        RecordCause(root_cause=" ")
    with pytest.raises(ValidationError, match="corrective_action_required"):
        RecordCause(corrective_action_required="yes")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="correction"):
        RecordCorrection("")
    with pytest.raises(ValidationError, match="description"):
        raise_nonconformity("NC-5", "", actor="audit", now=T0)
    nc, _ = raise_nonconformity("NC-5", "x", actor="audit", now=T0)
    with pytest.raises(ValidationError, match="not a nonconformity command"):
        decide_nonconformity(nc, "close", actor="li", now=T0)  # type: ignore[arg-type]


def test_no_corrective_action_still_needs_a_review() -> None:
    nc, _ = raise_nonconformity("NC-2", "typo in SOP", actor="audit", now=T0)
    for command in (
        RecordCorrection("fixed"),
        RecordCause(root_cause="typo", corrective_action_required=False),
        AnalyseNonconformity(),
        ImplementCorrectiveAction(),
    ):
        nc, _ = decide_nonconformity(nc, command, actor="li", now=T0)
    with pytest.raises(CommandRejected, match="effectiveness_review"):
        decide_nonconformity(nc, CloseNonconformity(), actor="li", now=T0)


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
