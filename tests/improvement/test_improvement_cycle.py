"""The improvement cycle: artefacts per phase, refusals naming what is missing, events, replay."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from itsm_core.errors import (
    CommandRejected,
    InvalidEventStream,
    NotFound,
    TransitionNotAllowed,
    ValidationError,
    VersionConflict,
)
from itsm_core.improvement import (
    CYCLE,
    Abandon,
    ActionItem,
    ActionStatus,
    ActionUpdate,
    AdvancePhase,
    CheckVerdict,
    ContinueWith,
    CycleEvent,
    CycleModel,
    Direction,
    Fishbone,
    FiveWhys,
    ImprovementCycle,
    ImprovementRegister,
    MeasuredResult,
    Measurement,
    ProblemStatement,
    Record,
    SourceKind,
    Standard,
    Standardise,
    StartCycle,
    Target,
    Vision,
    Why,
    decide_cycle,
    from_pareto_category,
    from_post_incident_review,
    pareto,
)
from itsm_core.improvement._artefacts import check_result
from itsm_core.improvement._phases import ITIL4_WORKFLOW, PDCA_WORKFLOW, ItilStep, PdcaPhase
from itsm_core.kernel import Context, Decision
from itsm_core.workflow import StatusCategory

T0 = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)


def at(days: float) -> dt.datetime:
    return T0 + dt.timedelta(days=days)


def rate(successes: int, n: int, week: int) -> Measurement:
    return Measurement.proportion(
        "complaint_rate", successes, n, period_start=at(7 * week), period_end=at(7 * week + 7)
    )


BASELINE = rate(40, 400, 0)
TARGET = Target(kpi="complaint_rate", value=0.06, direction=Direction.LOWER_IS_BETTER, due=at(60))
WHYS = FiveWhys(
    chain=[
        Why(why="Why do customers complain about billing?", because="Invoices are wrong"),
        Why(why="Why are invoices wrong?", because="Tariff changes are keyed by hand"),
    ],
    root_cause="No automated tariff import",
)
ACTION = ActionItem(action_id="A1", description="Automate tariff import", owner="wang", due=at(20))


class Journal:
    """Applies commands and keeps every event, as a caller would."""

    def __init__(self) -> None:
        self.cycle: ImprovementCycle | None = None
        self.events: list = []  # type: ignore[type-arg]
        self.clock = 0.0

    def do(self, command: object) -> ImprovementCycle:
        self.clock += 0.5
        context = Context(actor="li", role="member", now=at(self.clock))
        decision = decide_cycle(self.cycle, command, context)  # type: ignore[arg-type]
        self.cycle = decision.state
        self.events.extend(decision.events)
        return decision.state


def planned(journal: Journal) -> ImprovementCycle:
    journal.do(StartCycle(cycle_id="C1", title="Billing complaints", owner="li"))
    for artefact in (
        ProblemStatement("Billing complaints are 10% of tickets"),
        BASELINE,
        TARGET,
        WHYS,
        ACTION,
    ):
        journal.do(Record(artefact))
    return journal.do(AdvancePhase())


def test_full_pdca_cycle_to_a_standard() -> None:
    journal = Journal()
    cycle = planned(journal)
    assert cycle.phase == "do"
    journal.clock = 21
    journal.do(
        Record(
            ActionUpdate(
                action_id="A1", status=ActionStatus.DONE, at=at(21), evidence="release 4.2"
            )
        )
    )
    assert journal.do(AdvancePhase()).phase == "check"
    journal.do(Record(MeasuredResult(result=rate(20, 400, 5), evidence=["KPI report W14"])))
    cycle = journal.do(AdvancePhase())
    assert cycle.phase == "act"
    assert cycle.check is not None
    assert cycle.check.verdict is CheckVerdict.MET
    assert cycle.benefit == pytest.approx(0.05)
    assert cycle.check.comparison.improved is True
    cycle = journal.do(Standardise(Standard(description="Tariff import job", reference="SOP-12")))
    assert cycle.phase == "standardised"
    assert cycle.status is StatusCategory.CLOSED
    assert cycle.closed_at is not None
    assert cycle.standard is not None
    assert [e.name for e in journal.events][-3:] == ["record_check", "advance", "standardise"]
    assert CYCLE.replay(journal.events) == cycle
    assert [e.sequence for e in journal.events] == list(range(1, len(journal.events) + 1))


def test_advance_names_every_missing_artefact() -> None:
    journal = Journal()
    journal.do(StartCycle(cycle_id="C1", title="t", owner="li"))
    journal.do(Record(BASELINE))
    with pytest.raises(CommandRejected) as info:
        journal.do(AdvancePhase())
    reasons = " | ".join(info.value.reasons)
    for slot in ("problem_statement", "target", "root_cause", "actions"):
        assert f"missing artefact {slot!r}" in reasons
    assert "'baseline'" not in reasons
    assert info.value.state == "plan"
    assert journal.cycle is not None
    assert journal.cycle.phase == "plan"


def test_artefacts_belong_to_their_phase() -> None:
    journal = Journal()
    planned(journal)
    with pytest.raises(CommandRejected, match="baseline is recorded in plan, not in 'do'"):
        journal.do(Record(BASELINE))
    with pytest.raises(CommandRejected, match="missing artefact 'actions_settled'"):
        journal.do(AdvancePhase())
    with pytest.raises(CommandRejected, match="no action 'A9'"):
        journal.do(Record(ActionUpdate(action_id="A9", status=ActionStatus.DONE, at=at(3))))
    with pytest.raises(TransitionNotAllowed):
        journal.do(Standardise(Standard(description="x")))


def test_not_met_cannot_be_standardised_but_can_continue() -> None:
    journal = Journal()
    planned(journal)
    journal.do(Record(ActionUpdate(action_id="A1", status=ActionStatus.DONE, at=at(5))))
    journal.do(AdvancePhase())
    journal.do(Record(MeasuredResult(result=rate(41, 400, 5), evidence=["report"])))
    cycle = journal.do(AdvancePhase())
    assert cycle.check is not None
    assert cycle.check.verdict is CheckVerdict.NOT_MET
    with pytest.raises(CommandRejected, match="not_met"):
        journal.do(Standardise(Standard(description="x")))
    with pytest.raises(CommandRejected, match="own id"):
        journal.do(ContinueWith(next_cycle_id="C1", reason="again"))
    cycle = journal.do(ContinueWith(next_cycle_id="C2", reason="try supplier data feed"))
    assert (cycle.phase, cycle.next_cycle) == ("continued", "C2")
    with pytest.raises(TransitionNotAllowed):
        journal.do(AdvancePhase())
    assert CYCLE.replay(journal.events) == cycle


def test_partially_met_and_consistency_checks() -> None:
    journal = Journal()
    journal.do(StartCycle(cycle_id="C1", title="t", owner="li"))
    journal.do(Record(BASELINE))
    with pytest.raises(CommandRejected, match="not the baseline's"):
        journal.do(
            Record(Target(kpi="mttr", value=1, direction=Direction.LOWER_IS_BETTER, due=at(9)))
        )
    journal = Journal()
    planned(journal)
    journal.do(Record(ActionUpdate(action_id="A1", status=ActionStatus.DONE, at=at(5))))
    journal.do(AdvancePhase())
    wrong = Measurement.proportion("reopen_rate", 1, 10, period_start=at(30), period_end=at(37))
    with pytest.raises(CommandRejected, match="not the baseline's definition"):
        journal.do(Record(MeasuredResult(result=wrong, evidence=["x"])))
    with pytest.raises(CommandRejected, match="after the baseline"):
        journal.do(Record(MeasuredResult(result=rate(30, 400, 0), evidence=["x"])))
    cycle = journal.do(Record(MeasuredResult(result=rate(30, 400, 5), evidence=["x"])))
    assert cycle.check is not None
    assert cycle.check.verdict is CheckVerdict.PARTIALLY_MET


def test_abandon_needs_a_reason_and_start_rules() -> None:
    journal = Journal()
    journal.do(StartCycle(cycle_id="C1", title="t", owner="li"))
    with pytest.raises(CommandRejected, match="reason"):
        journal.do(Abandon(""))
    cycle = journal.do(Abandon("superseded"))
    assert cycle.status is StatusCategory.CANCELLED
    assert cycle.closing_reason == "superseded"
    with pytest.raises(CommandRejected, match="already exists"):
        journal.do(StartCycle(cycle_id="C1", title="t", owner="li"))
    with pytest.raises(CommandRejected, match="start one first"):
        decide_cycle(None, AdvancePhase(), Context(actor="li", role="member", now=T0))


def test_itil4_model_asks_the_seven_questions_in_order() -> None:
    journal = Journal()
    journal.do(StartCycle(cycle_id="I1", title="CSAT", owner="li", model=CycleModel.ITIL4))
    assert journal.cycle is not None
    assert journal.cycle.phase == ItilStep.VISION.value
    with pytest.raises(CommandRejected, match="missing artefact 'vision'"):
        journal.do(AdvancePhase())
    with pytest.raises(CommandRejected, match="recorded in where_are_we_now"):
        journal.do(Record(BASELINE))
    journal.do(Record(Vision("95% of customers satisfied")))
    journal.do(AdvancePhase())
    journal.do(Record(ProblemStatement("Complaints at 10%")))
    journal.do(Record(BASELINE))
    journal.do(AdvancePhase())
    journal.do(Record(TARGET))
    journal.do(AdvancePhase())
    journal.do(Record(Fishbone(causes={"method": ["manual tariff keying"]}, root_cause="manual")))
    journal.do(Record(ACTION))
    journal.do(AdvancePhase())
    journal.do(Record(ActionUpdate(action_id="A1", status=ActionStatus.DONE, at=at(9))))
    journal.do(AdvancePhase())
    journal.do(Record(MeasuredResult(result=rate(22, 400, 5), evidence=["report"])))
    journal.do(AdvancePhase())
    cycle = journal.do(Standardise(Standard(description="automated import")))
    phases = [e.to_phase for e in journal.events if e.name == "advance"]
    assert phases == [s.value for s in list(ItilStep)[1:7]]
    assert cycle.phase == "standardised"
    assert CYCLE.replay(journal.events) == cycle


def test_workflows_only_move_forward() -> None:
    for workflow, order in ((PDCA_WORKFLOW, list(PdcaPhase)), (ITIL4_WORKFLOW, list(ItilStep))):
        rank = {state: i for i, state in enumerate(order)}
        for transition in workflow.transitions:
            assert all(rank[transition.target] > rank[s] for s in transition.sources)


def test_replay_refuses_a_broken_stream() -> None:
    journal = Journal()
    planned(journal)
    with pytest.raises(InvalidEventStream):
        CYCLE.replay(journal.events[1:])
    with pytest.raises(InvalidEventStream):
        CYCLE.replay([journal.events[0], journal.events[2]])
    with pytest.raises(InvalidEventStream):
        CYCLE.replay([])


def test_register_queries_and_links() -> None:
    complaints = pareto({"billing": 42, "outage": 20, "login": 9, "Other": 4})
    source = from_pareto_category(complaints)
    assert source.reference == "billing"
    journal = Journal()
    journal.do(StartCycle(cycle_id="C1", title="Billing", owner="li", source=source))
    for artefact in (ProblemStatement("p"), BASELINE, TARGET, WHYS, ACTION):
        journal.do(Record(artefact))
    journal.do(AdvancePhase())
    journal.do(Record(ActionUpdate(action_id="A1", status=ActionStatus.DONE, at=at(5))))
    journal.do(AdvancePhase())
    journal.do(Record(MeasuredResult(result=rate(30, 400, 5), evidence=["x"])))
    journal.do(AdvancePhase())
    first = journal.do(ContinueWith(next_cycle_id="C2", reason="not yet at target"))
    second = decide_cycle(
        None,
        StartCycle(
            cycle_id="C2", title="Billing 2", owner="zhao", source=source, previous_cycle="C1"
        ),
        Context(actor="li", role="member", now=at(40)),
    ).state
    pir = decide_cycle(
        None,
        StartCycle(
            cycle_id="P1",
            title="Outage",
            owner="zhao",
            source=from_post_incident_review("PIR-7", "DNS outage"),
        ),
        Context(actor="li", role="member", now=at(41)),
    ).state
    register = ImprovementRegister().with_cycle(first).with_cycle(second).with_cycle(pir)
    assert [c.cycle_id for c in register.query(owner="zhao")] == ["C2", "P1"]
    assert [c.cycle_id for c in register.query(status=StatusCategory.CLOSED)] == ["C1"]
    assert [c.cycle_id for c in register.query(status=[StatusCategory.NEW])] == ["C2", "P1"]
    assert [c.cycle_id for c in register.query(kpi="complaint_rate")] == ["C1"]
    assert [c.cycle_id for c in register.query(source_kind=SourceKind.POST_INCIDENT_REVIEW)] == [
        "P1"
    ]
    assert [c.cycle_id for c in register.query(source_reference="billing")] == ["C1", "C2"]
    assert [c.cycle_id for c in register.query(benefit_achieved=True)] == ["C1"]
    assert register.query(benefit_achieved=False) == ()
    assert register.query(min_benefit=0.05) == ()
    assert [c.cycle_id for c in register.query(min_benefit=0.02, phase="continued")] == ["C1"]
    assert [c.cycle_id for c in register.query(model=CycleModel.ITIL4)] == []
    assert [c.cycle_id for c in register.chain("C2")] == ["C1", "C2"]
    assert [c.cycle_id for c in register.chain("C1")] == ["C1", "C2"]
    assert "| C1 | Billing | li | complaint_category: billing |" in register.to_markdown()
    with pytest.raises(NotFound):
        register.get("nope")
    older = CYCLE.replay(journal.events[:3])
    with pytest.raises(VersionConflict):
        register.with_cycle(older)


# -- stateful: phase ordering -----------------------------------------------------------------

PHASE_RANK = {p.value: i for i, p in enumerate(PdcaPhase)}


class CycleMachine(RuleBasedStateMachine):
    """Random commands: phases never go back, refusals change nothing, replay equals state."""

    def __init__(self) -> None:
        super().__init__()
        self.journal = Journal()
        self.journal.do(StartCycle(cycle_id="C1", title="t", owner="li"))
        self.ranks = [0]

    def _try(self, command: object) -> None:
        before = self.journal.cycle
        try:
            self.journal.do(command)
        except CommandRejected:
            assert self.journal.cycle == before
        assert self.journal.cycle is not None
        self.ranks.append(PHASE_RANK[self.journal.cycle.phase])

    @rule(
        artefact=st.sampled_from(
            [
                ProblemStatement("p"),
                BASELINE,
                TARGET,
                WHYS,
                ACTION,
                MeasuredResult(result=rate(20, 400, 9), evidence=["e"]),
                MeasuredResult(result=rate(45, 400, 9), evidence=["e"]),
            ]
        )
    )
    def record(self, artefact: object) -> None:
        self._try(Record(artefact))  # type: ignore[arg-type]

    @rule(status=st.sampled_from(list(ActionStatus)))
    def update_action(self, status: ActionStatus) -> None:
        self._try(Record(ActionUpdate(action_id="A1", status=status, at=at(self.journal.clock))))

    @rule()
    def advance(self) -> None:
        self._try(AdvancePhase())

    @rule()
    def standardise(self) -> None:
        self._try(Standardise(Standard(description="s")))

    @rule()
    def continue_with(self) -> None:
        self._try(ContinueWith(next_cycle_id="C2", reason="r"))

    @rule()
    def abandon(self) -> None:
        self._try(Abandon("r"))

    @invariant()
    def phases_only_move_forward(self) -> None:
        assert self.ranks == sorted(self.ranks)

    @invariant()
    def replay_equals_state(self) -> None:
        assert CYCLE.replay(self.journal.events) == self.journal.cycle

    @invariant()
    def phase_artefacts_present(self) -> None:
        cycle = self.journal.cycle
        assert cycle is not None
        if cycle.phase in ("do", "check", "act", "standardised"):
            assert cycle.baseline is not None
            assert cycle.target is not None
            assert cycle.root_cause is not None
            assert cycle.actions
        if cycle.phase in ("act", "standardised"):
            assert cycle.check is not None
        if cycle.phase == "standardised":
            assert cycle.check is not None
            assert cycle.check.verdict is not CheckVerdict.NOT_MET
            assert cycle.standard is not None


TestCycleMachine = CycleMachine.TestCase


# -- the kernel shape -------------------------------------------------------------------------

CTX = Context(actor="li", role="member", now=T0)


def test_the_cycle_follows_the_kernel_shape() -> None:
    journal = Journal()
    cycle = planned(journal)
    events = journal.events
    assert cycle.stream_id == cycle.cycle_id == "C1"
    assert cycle.version == events[-1].sequence == len(events)
    assert {event.stream_id for event in events} == {"C1"}
    decision = decide_cycle(cycle, Abandon("no budget"), CTX)
    assert isinstance(decision, Decision)
    state, new = decision
    assert (state, new) == (decision.state, decision.events)
    assert [e.sequence for e in new] == [cycle.version + 1]
    assert CYCLE.fold(cycle, new) == state
    assert CYCLE.fold(CYCLE.replay(events[:3]), events[3:]) == cycle


def test_what_is_not_a_cycle_command_is_refused_by_name() -> None:
    with pytest.raises(ValidationError, match="'start' is not a cycle command"):
        decide_cycle(None, "start", CTX)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="'a note' is not an artefact"):
        Record("a note")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"Context\.now"):
        Context(actor="li", role="member", now=dt.datetime(2026, 3, 2))


def stream_problem(events: list[CycleEvent]) -> str:
    with pytest.raises(InvalidEventStream) as info:
        CYCLE.replay(events)
    (problem,) = info.value.problems
    return f"{problem.path}: {problem.message}"


def test_a_malformed_cycle_stream_is_one_error_naming_the_event() -> None:
    journal = Journal()
    planned(journal)
    journal.do(Record(ActionUpdate(action_id="A1", status=ActionStatus.DONE, at=at(5))))
    start, problem, *rest = journal.events
    update = journal.events[-1]
    assert stream_problem([problem]) == "[0].sequence: a stream starts at #1, not #2"
    assert stream_problem([attrs.evolve(start, name="advance")]) == (
        "name: #1: a cycle starts with 'start', not 'advance'"
    )
    assert stream_problem([attrs.evolve(start, cycle_id="C9")]) == (
        "change.cycle_id: #1: 'C1' is not 'C9'"
    )
    assert stream_problem([start, attrs.evolve(problem, cycle_id="C2")]) == (
        "[1].stream_id: 'C2' is another cycle than 'C1'"
    )
    assert stream_problem([start, attrs.evolve(problem, from_phase="do")]) == (
        "from_phase: #2: 'do' is not the phase 'plan'"
    )
    assert stream_problem([start, attrs.evolve(problem, to_phase="limbo")]) == (
        "to_phase: #2: 'limbo' is not a phase of 'pdca_cycle'"
    )
    stray = ActionUpdate(action_id="A9", status=ActionStatus.DONE, at=at(5))
    assert stream_problem([*journal.events[:-1], attrs.evolve(update, change=stray)]) == (
        f"change.action_id: #{update.sequence}: no action 'A9'"
    )
    measured = MeasuredResult(result=rate(20, 400, 5), evidence=["x"])
    assert stream_problem([start, attrs.evolve(problem, change=measured)]) == (
        "change: #2: a MeasuredResult does not change a started cycle"
    )
    assert stream_problem([start, attrs.evolve(problem, change=start.change)]) == (
        "change: #2: a StartCycle does not change a started cycle"
    )
    assert CYCLE.replay([start, problem, *rest]) == journal.cycle


def test_a_check_record_must_follow_from_its_measurements() -> None:
    judged = check_result(BASELINE, TARGET, MeasuredResult(result=rate(20, 400, 5), evidence=["r"]))
    assert judged.verdict is CheckVerdict.MET
    with pytest.raises(ValidationError) as info:
        attrs.evolve(judged, verdict=CheckVerdict.NOT_MET, evidence=())
    assert {p.path: p.message for p in info.value.problems} == {
        "evidence": "name at least one piece of evidence",
        "verdict": "'not_met' does not follow from the measurements ('met')",
    }
    higher = attrs.evolve(TARGET, direction=Direction.HIGHER_IS_BETTER)
    with pytest.raises(ValidationError, match=r"target\.direction"):
        attrs.evolve(judged, target=higher)
    with pytest.raises(ValidationError, match="measures 'reopen_rate'"):
        attrs.evolve(
            judged.comparison,
            after=Measurement.proportion(
                "reopen_rate", 1, 10, period_start=at(40), period_end=at(47)
            ),
        )
