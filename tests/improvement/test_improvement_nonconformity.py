"""Nonconformity and corrective action: no closure without an effective effectiveness review."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from itsm_core.errors import (
    CommandRejected,
    InvalidEventStream,
    TransitionNotAllowed,
    ValidationError,
)
from itsm_core.improvement import (
    NONCONFORMITY,
    ActionItem,
    ActionStatus,
    AnalyseNonconformity,
    CloseNonconformity,
    EffectivenessReview,
    ImplementCorrectiveAction,
    Nonconformity,
    NonconformityEvent,
    NonconformityState,
    RaiseNonconformity,
    ReanalyseNonconformity,
    RecordCause,
    RecordCorrection,
    RecordCorrectiveAction,
    RecordEffectivenessReview,
    SourceKind,
    decide_nonconformity,
    from_servqual_gap,
)
from itsm_core.improvement._nonconformity import NonconformityCommand
from itsm_core.kernel import Context, Decision
from itsm_core.satisfaction import (
    FIVE_POINT,
    ServqualDimension,
    ServqualInstrument,
    ServqualResponse,
    servqual,
)

T0 = dt.datetime(2026, 4, 1, 9, tzinfo=dt.UTC)
AUDIT = Context(actor="audit", role="auditor", now=T0)
LI = Context(actor="li", role="member", now=T0)


def raised(nc_id: str, description: str) -> Nonconformity:
    opened = RaiseNonconformity(nc_id=nc_id, description=description)
    return decide_nonconformity(None, opened, AUDIT).state


def test_nonconformity_cannot_close_without_effectiveness_review() -> None:
    opened = RaiseNonconformity(nc_id="NC-1", description="SLA report sent late")
    nc, first = decide_nonconformity(None, opened, AUDIT)
    events = list(first)

    def act(command: NonconformityCommand) -> None:
        nonlocal nc
        nc, new = decide_nonconformity(nc, command, LI)
        events.extend(new)

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
    assert NONCONFORMITY.replay(events) == nc
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
        NONCONFORMITY.replay(events[1:])
    with pytest.raises(InvalidEventStream):
        NONCONFORMITY.replay([])


def test_a_corrective_action_with_the_same_id_replaces_the_earlier_one() -> None:
    nc = raised("NC-4", "backup not verified")
    for command in (
        RecordCorrection("verified by hand"),
        RecordCause(root_cause="no check in the runbook"),
        RecordCause(corrective_action_required=True),
        AnalyseNonconformity(),
    ):
        nc = decide_nonconformity(nc, command, LI).state
    assert (nc.root_cause, nc.corrective_action_required) == ("no check in the runbook", True)
    planned = ActionItem(action_id="A1", description="add check", owner="wang", due=T0)
    nc = decide_nonconformity(nc, RecordCorrectiveAction(planned), LI).state
    done = ActionItem(
        action_id="A1",
        description="add check",
        owner="wang",
        due=T0,
        status=ActionStatus.DONE,
        completed_at=T0,
    )
    nc, (event,) = decide_nonconformity(nc, RecordCorrectiveAction(done), LI)
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
        RaiseNonconformity(nc_id="NC-5", description="")
    nc = raised("NC-5", "x")
    with pytest.raises(ValidationError, match="not a nonconformity command"):
        decide_nonconformity(nc, "close", LI)  # type: ignore[arg-type]


def test_no_corrective_action_still_needs_a_review() -> None:
    nc = raised("NC-2", "typo in SOP")
    for command in (
        RecordCorrection("fixed"),
        RecordCause(root_cause="typo", corrective_action_required=False),
        AnalyseNonconformity(),
        ImplementCorrectiveAction(),
    ):
        nc = decide_nonconformity(nc, command, LI).state
    with pytest.raises(CommandRejected, match="effectiveness_review"):
        decide_nonconformity(nc, CloseNonconformity(), LI)


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


# -- the kernel shape -------------------------------------------------------------------------


def history() -> list[NonconformityEvent]:
    opened = RaiseNonconformity(nc_id="NC-7", description="d")
    nc, events = decide_nonconformity(None, opened, AUDIT)
    out = list(events)
    for command in (RecordCorrection("fixed"), RecordCause(root_cause="typo")):
        nc, events = decide_nonconformity(nc, command, LI)
        out.extend(events)
    return out


def test_the_nonconformity_follows_the_kernel_shape() -> None:
    events = history()
    nc = NONCONFORMITY.replay(events)
    assert nc.stream_id == nc.nc_id == "NC-7"
    assert nc.version == events[-1].sequence == 3
    assert {event.stream_id for event in events} == {"NC-7"}
    assert [event.actor for event in events] == ["audit", "li", "li"]
    decision = decide_nonconformity(nc, RecordCause(corrective_action_required=False), LI)
    assert isinstance(decision, Decision)
    assert NONCONFORMITY.fold(nc, decision.events) == decision.state
    with pytest.raises(CommandRejected, match="'NC-7' already exists"):
        decide_nonconformity(nc, RaiseNonconformity(nc_id="NC-8", description="d"), LI)
    with pytest.raises(CommandRejected, match="raise one first"):
        decide_nonconformity(None, RecordCorrection("x"), LI)


def nc_stream_problem(events: list[NonconformityEvent]) -> str:
    with pytest.raises(InvalidEventStream) as info:
        NONCONFORMITY.replay(events)
    (problem,) = info.value.problems
    return f"{problem.path}: {problem.message}"


def test_a_malformed_nonconformity_stream_is_one_error_naming_the_event() -> None:
    first, correction, cause = history()
    assert nc_stream_problem([correction]) == "[0].sequence: a stream starts at #1, not #2"
    assert nc_stream_problem([attrs.evolve(first, name="analyse")]) == (
        "name: #1: a nonconformity starts with 'raise', not 'analyse'"
    )
    assert nc_stream_problem([attrs.evolve(first, changes=())]) == (
        "changes: #1: a raise sets the description, and only it"
    )
    assert nc_stream_problem([attrs.evolve(first, to_state="lost")]) == (
        "to_state: #1: 'lost' is not one of reported, analysed, action_taken, closed"
    )
    assert nc_stream_problem([first, attrs.evolve(correction, from_state="closed")]) == (
        "from_state: #2: 'closed' is not the state 'reported'"
    )
    renamed = attrs.evolve(correction, changes=(("nc_id", "NC-9"), ("version", 1)))
    assert nc_stream_problem([first, renamed]) == (
        "changes: #2: an event cannot set 'nc_id', 'version'"
    )
    assert nc_stream_problem([first, attrs.evolve(correction, nc_id="NC-9")]) == (
        "[1].stream_id: 'NC-9' is another nonconformity than 'NC-7'"
    )
    assert nc_stream_problem([first, cause]) == "[1].sequence: #3 does not follow #1"
