"""Cycle and nonconformity events as plain JSON data: round trips, and every problem listed."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsm_core.errors import DeserializationError
from itsm_core.improvement import (
    Abandon,
    ActionItem,
    ActionStatus,
    ActionUpdate,
    Advance,
    AnalyseNonconformity,
    CloseNonconformity,
    ContinueWith,
    CycleEvent,
    CycleModel,
    Direction,
    EffectivenessReview,
    Fishbone,
    FiveWhys,
    ImplementCorrectiveAction,
    ImprovementCycle,
    KpiKind,
    MeasuredResult,
    Measurement,
    NonconformityEvent,
    ProblemStatement,
    Record,
    RecordCause,
    RecordCorrection,
    RecordCorrectiveAction,
    RecordEffectivenessReview,
    Standard,
    Standardise,
    StartCycle,
    Target,
    Vision,
    Why,
    decide,
    decide_nonconformity,
    from_pareto_category,
    pareto,
    raise_nonconformity,
    replay,
    replay_nonconformity,
)

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
T0 = dt.datetime(2026, 3, 2, 9, tzinfo=SHANGHAI)


def at(days: float) -> dt.datetime:
    return T0 + dt.timedelta(days=days)


def mean(value: float, sd: float, week: int) -> Measurement:
    return Measurement(
        kpi="time_to_resolve",
        value=value,
        n=50,
        period_start=at(7 * week),
        period_end=at(7 * week + 7),
        kind=KpiKind.MEAN,
        unit="h",
        standard_deviation=sd,
    )


class Journal:
    def __init__(self) -> None:
        self.cycle: ImprovementCycle | None = None
        self.events: list[CycleEvent] = []
        self.clock = 0.0

    def do(self, command: Any) -> ImprovementCycle:
        self.clock += 1
        decision = decide(self.cycle, command, actor="li", now=at(self.clock))
        self.cycle = decision.cycle
        self.events.extend(decision.events)
        return decision.cycle


def pdca_events() -> tuple[list[CycleEvent], ImprovementCycle]:
    j = Journal()
    source = from_pareto_category(pareto({"billing": 30, "outage": 12}))
    j.do(StartCycle(cycle_id="C1", title="Slow fixes", owner="li", source=source))
    for artefact in (
        ProblemStatement("Billing tickets take too long to fix"),
        mean(20.0, 6.0, 0),
        Target(kpi="time_to_resolve", value=12.0, direction=Direction.LOWER_IS_BETTER, due=at(90)),
        Fishbone(
            causes={"method": ["manual tariff keying"], "tools": ["no import"]},
            root_cause="manual tariff keying",
        ),
        ActionItem(action_id="A1", description="Automate import", owner="wang", due=at(20)),
    ):
        j.do(Record(artefact))
    j.do(Advance())
    j.do(Record(ActionUpdate(action_id="A1", status=ActionStatus.DONE, at=at(21), evidence="v4")))
    j.do(Advance())
    j.clock = 60
    j.do(Record(MeasuredResult(result=mean(11.5, 5.0, 8), evidence=["KPI report"])))
    j.do(Advance())
    cycle = j.do(Standardise(Standard(description="Tariff import job", reference="SOP-12")))
    return j.events, cycle


def itil_events() -> tuple[list[CycleEvent], ImprovementCycle]:
    j = Journal()
    j.do(StartCycle(cycle_id="C2", title="t", owner="li", model=CycleModel.ITIL4))
    j.do(Record(Vision("Customers get answers the same day")))
    cycle = j.do(Abandon("superseded by C3"))
    return j.events, cycle


def continued_events() -> list[CycleEvent]:
    j = Journal()
    j.do(StartCycle(cycle_id="C4", title="t", owner="li", previous_cycle="C1"))
    whys = FiveWhys(chain=[Why(why="Why late?", because="queue")], root_cause="queue")
    baseline = Measurement.proportion("reopen_rate", 30, 300, period_start=T0, period_end=at(7))
    target = Target(kpi="reopen_rate", value=0.05, direction=Direction.LOWER_IS_BETTER, due=at(60))
    action = ActionItem(action_id="A", description="d", owner="o", due=at(9))
    for artefact in (ProblemStatement("p"), baseline, target, whys, action):
        j.do(Record(artefact))
    j.do(Advance())
    j.do(Record(ActionUpdate(action_id="A", status=ActionStatus.DONE, at=at(8))))
    j.do(Advance())
    after = Measurement.proportion("reopen_rate", 29, 300, period_start=at(40), period_end=at(47))
    j.do(Record(MeasuredResult(result=after, evidence=["report"])))
    j.do(Advance())
    j.do(ContinueWith(next_cycle_id="C5", reason="target not met"))
    return j.events


def through_json(event: CycleEvent) -> CycleEvent:
    return CycleEvent.from_dict(json.loads(json.dumps(event.to_dict())))


def test_every_cycle_event_round_trips_through_json_and_replays() -> None:
    for events, cycle in (pdca_events(), itil_events()):
        decoded = [through_json(e) for e in events]
        assert decoded == events
        assert replay(decoded) == cycle
    events = continued_events()
    assert [through_json(e) for e in events] == events
    kinds = {e.to_dict()["change"]["type"] for e in pdca_events()[0] if e.change is not None}
    assert kinds == {
        "start",
        "problem_statement",
        "measurement",
        "target",
        "fishbone",
        "action_item",
        "action_update",
        "check_result",
        "standard",
    }


def test_the_data_is_plain_and_keeps_the_offset() -> None:
    events, _ = pdca_events()
    data = events[0].to_dict()
    assert data["at"] == "2026-03-03T09:00:00+08:00"
    assert data["change"]["source"] == {
        "kind": "complaint_category",
        "reference": "billing",
        "detail": "rank 1 of 2: 30 of 42 (71.4%), vital few",
    }
    check = next(e for e in events if e.name == "record_check").to_dict()["change"]
    assert set(check) == {"type", "baseline", "result", "target", "verdict", "evidence"}
    assert check["verdict"] == "met"  # 11.5 h is at or below the 12 h target


def test_a_malformed_cycle_event_lists_every_problem() -> None:
    events, _ = pdca_events()
    target = next(e for e in events if e.name == "record_target").to_dict()
    target.pop("cycle_id")
    target["at"] = "2026-03-02T09:00:00"  # naive
    target["sequence"] = "2"
    target["colour"] = "red"
    target["change"]["direction"] = "sideways"
    target["change"]["value"] = float("nan")
    with pytest.raises(DeserializationError) as info:
        CycleEvent.from_dict(target)
    paths = sorted(p.path for p in info.value.problems)
    assert paths == [
        "event.at",
        "event.change.direction",
        "event.change.value",
        "event.colour",
        "event.cycle_id",
        "event.sequence",
    ]


def test_bad_artefacts_and_tags_are_reported_with_their_paths() -> None:
    events, _ = pdca_events()
    start = events[0].to_dict()
    start["change"]["model"] = "six_sigma"
    start["change"]["source"] = {"kind": "rumour", "reference": ""}
    with pytest.raises(DeserializationError) as info:
        CycleEvent.from_dict(start)
    assert sorted(p.path for p in info.value.problems) == [
        "event.change.model",
        "event.change.source.kind",
    ]
    fishbone = next(e for e in events if e.name == "record_root_cause").to_dict()
    fishbone["change"]["causes"] = [{"category": "method", "causes": []}, "tools"]
    with pytest.raises(DeserializationError) as info:
        CycleEvent.from_dict(fishbone)
    assert sorted(p.path for p in info.value.problems) == ["event.change.causes[1]"]
    fishbone["change"]["causes"] = [{"category": "method", "causes": []}]
    with pytest.raises(DeserializationError, match="no cause listed"):
        CycleEvent.from_dict(fishbone)
    unknown = dict(fishbone, change={"type": "horoscope"})
    with pytest.raises(DeserializationError, match="'horoscope' is not one of"):
        CycleEvent.from_dict(unknown)
    with pytest.raises(DeserializationError, match="expected an object"):
        CycleEvent.from_dict([])  # type: ignore[arg-type]


def test_a_check_record_whose_verdict_does_not_follow_is_refused() -> None:
    events, _ = pdca_events()
    check = next(e for e in events if e.name == "record_check").to_dict()
    check["change"]["verdict"] = "not_met"
    with pytest.raises(DeserializationError) as info:
        CycleEvent.from_dict(check)
    assert [p.path for p in info.value.problems] == ["event.change.verdict"]
    check["change"]["result"]["kpi"] = "csat"
    check["change"]["evidence"] = []
    with pytest.raises(DeserializationError) as info:
        CycleEvent.from_dict(check)
    assert [p.path for p in info.value.problems] == ["event.change.evidence"]


def nonconformity_events() -> list[NonconformityEvent]:
    nc, first = raise_nonconformity("NC-1", "SLA report sent late", actor="audit", now=T0)
    events = [first]
    done = ActionItem(
        action_id="A1",
        description="schedule job",
        owner="wang",
        due=at(3),
        status=ActionStatus.DONE,
        completed_at=at(2),
        evidence="cron entry",
    )
    review = EffectivenessReview(reviewed_at=at(30), reviewer="qa", effective=True, finding="ok")
    for command in (
        RecordCorrection("sent by hand"),
        RecordCause(root_cause="job not scheduled", corrective_action_required=True),
        AnalyseNonconformity(),
        RecordCorrectiveAction(done),
        ImplementCorrectiveAction(),
        RecordEffectivenessReview(review=review, sms_change_ref="CR-9"),
        CloseNonconformity(),
    ):
        nc, event = decide_nonconformity(nc, command, actor="li", now=at(len(events)))
        events.append(event)
    assert replay_nonconformity(events) == nc
    return events


def test_nonconformity_events_round_trip_through_json() -> None:
    events = nonconformity_events()
    decoded = [NonconformityEvent.from_dict(json.loads(json.dumps(e.to_dict()))) for e in events]
    assert decoded == events
    assert replay_nonconformity(decoded) == replay_nonconformity(events)
    assert events[6].to_dict()["changes"] == {
        "review": {
            "reviewed_at": "2026-04-01T09:00:00+08:00",
            "reviewer": "qa",
            "effective": True,
            "finding": "ok",
        },
        "sms_change_ref": "CR-9",
    }


def test_a_malformed_nonconformity_event_lists_every_problem() -> None:
    events = nonconformity_events()
    data = events[4].to_dict()  # record_action
    data["changes"]["actions"][0]["status"] = "maybe"
    data["changes"]["actions"][0]["due"] = 3
    data["changes"]["mood"] = "sad"
    data["to_state"] = None
    with pytest.raises(DeserializationError) as info:
        NonconformityEvent.from_dict(data)
    assert sorted(p.path for p in info.value.problems) == [
        "event.changes.actions[0].due",
        "event.changes.actions[0].status",
        "event.changes.mood",
        "event.to_state",
    ]
    review = events[6].to_dict()
    review["changes"]["review"]["effective"] = "yes"
    with pytest.raises(DeserializationError, match="expected a bool"):
        NonconformityEvent.from_dict(review)
    with pytest.raises(DeserializationError, match="expected an object"):
        NonconformityEvent.from_dict(None)  # type: ignore[arg-type]
    done = events[4].to_dict()
    done["changes"]["actions"][0]["completed_at"] = None  # done without a completion time
    with pytest.raises(DeserializationError) as info:
        NonconformityEvent.from_dict(done)
    assert [p.path for p in info.value.problems] == ["event.changes.actions[0].completed_at"]


offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
    lambda m: dt.timezone(dt.timedelta(minutes=m))
)
instants = st.datetimes(
    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=offsets
)


@given(
    start=instants,
    n=st.integers(min_value=1, max_value=10_000),
    data=st.data(),
    unit=st.sampled_from(["", "h", "tickets"]),
)
def test_measurement_events_round_trip(
    start: dt.datetime, n: int, data: st.DataObject, unit: str
) -> None:
    successes = data.draw(st.integers(min_value=0, max_value=n))
    measurement = Measurement.proportion(
        "kpi", successes, n, period_start=start, period_end=start + dt.timedelta(days=7)
    )
    event = CycleEvent(
        cycle_id="C",
        sequence=2,
        name="record_baseline",
        at=start,
        actor="li",
        from_phase="plan",
        to_phase="plan",
        change=measurement,
    )
    decoded = through_json(event)
    assert decoded == event
    assert decoded.at.utcoffset() == start.utcoffset()
