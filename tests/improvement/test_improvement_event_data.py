"""Cycle and nonconformity events through the serializer (the one wire format): round trips
with their zones, and every problem of malformed data listed with its path."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from collections.abc import Iterator
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsm_core.errors import DeserializationError
from itsm_core.improvement import (
    CYCLE,
    NONCONFORMITY,
    Abandon,
    ActionItem,
    ActionStatus,
    ActionUpdate,
    AdvancePhase,
    AnalyseNonconformity,
    CheckResult,
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
    RaiseNonconformity,
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
    decide_cycle,
    decide_nonconformity,
    from_pareto_category,
    pareto,
)
from itsm_core.kernel import Context
from itsm_core.serialization import Serializer

SERIALIZER = Serializer()
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
        context = Context(actor="li", role="member", now=at(self.clock))
        decision = decide_cycle(self.cycle, command, context)
        self.cycle = decision.state
        self.events.extend(decision.events)
        return decision.state


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
    j.do(AdvancePhase())
    j.do(Record(ActionUpdate(action_id="A1", status=ActionStatus.DONE, at=at(21), evidence="v4")))
    j.do(AdvancePhase())
    j.clock = 60
    j.do(Record(MeasuredResult(result=mean(11.5, 5.0, 8), evidence=["KPI report"])))
    j.do(AdvancePhase())
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
    j.do(AdvancePhase())
    j.do(Record(ActionUpdate(action_id="A", status=ActionStatus.DONE, at=at(8))))
    j.do(AdvancePhase())
    after = Measurement.proportion("reopen_rate", 29, 300, period_start=at(40), period_end=at(47))
    j.do(Record(MeasuredResult(result=after, evidence=["report"])))
    j.do(AdvancePhase())
    j.do(ContinueWith(next_cycle_id="C5", reason="target not met"))
    return j.events


def through_json(event: CycleEvent) -> CycleEvent:
    return SERIALIZER.loads(SERIALIZER.dumps(event), CycleEvent)


def zones(value: object, path: str = "") -> Iterator[tuple[str, object]]:
    """Every datetime inside ``value`` with its path and zone: the IANA key, else the offset."""
    if isinstance(value, dt.datetime):
        assert value.tzinfo is not None
        yield path, getattr(value.tzinfo, "key", None) or value.utcoffset()
    elif isinstance(value, tuple | list):
        for index, item in enumerate(value):
            yield from zones(item, f"{path}[{index}]")
    else:
        kind = type(value)
        if attrs.has(kind):
            for field in attrs.fields(kind):
                yield from zones(getattr(value, field.name), f"{path}.{field.name}")


def data_of(event: object) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SERIALIZER.dumps(event))["data"]
    return data


def problems(data: dict[str, Any], name: str = "cycle_event") -> dict[str, str]:
    with pytest.raises(DeserializationError) as info:
        SERIALIZER.load({"type": name, "version": 1, "data": data})
    return {p.path: p.message for p in info.value.problems}


def test_every_cycle_event_round_trips_through_json_and_replays() -> None:
    for events, cycle in (pdca_events(), itil_events()):
        decoded = [through_json(e) for e in events]
        assert decoded == events
        assert [list(zones(e)) for e in decoded] == [list(zones(e)) for e in events]
        assert CYCLE.replay(decoded) == cycle
    events = continued_events()
    assert [through_json(e) for e in events] == events
    kinds = {data_of(e)["change"]["_type"] for e in pdca_events()[0] if e.change is not None}
    assert kinds == {
        "StartCycle",
        "ProblemStatement",
        "Measurement",
        "Target",
        "Fishbone",
        "ActionItem",
        "ActionUpdate",
        "CheckResult",
        "Standard",
    }


def test_the_data_is_plain_and_keeps_the_zone() -> None:
    events, _ = pdca_events()
    data = data_of(events[0])
    assert data["at"] == "2026-03-03T09:00:00+08:00[Asia/Shanghai]"
    assert through_json(events[0]).at.tzinfo == SHANGHAI
    assert data["change"]["source"] == {
        "kind": "complaint_category",
        "reference": "billing",
        "detail": "rank 1 of 2: 30 of 42 (71.4%), vital few",
    }
    check = data_of(next(e for e in events if e.name == "record_check"))["change"]
    assert set(check) == {"_type", "comparison", "target", "verdict", "evidence"}
    assert check["verdict"] == "met"  # 11.5 h is at or below the 12 h target
    loaded = through_json(next(e for e in events if e.name == "record_check"))
    assert isinstance(loaded.change, CheckResult)
    assert loaded.change.result.period_start.tzinfo == SHANGHAI


def test_a_malformed_cycle_event_lists_every_problem() -> None:
    events, _ = pdca_events()
    target = data_of(next(e for e in events if e.name == "record_target"))
    target.pop("cycle_id")
    target["at"] = "2026-03-02T09:00:00"  # naive
    target["sequence"] = "2"
    target["colour"] = "red"
    target["change"]["direction"] = "sideways"
    target["change"]["value"] = float("nan")
    assert sorted(problems(target)) == [
        "data.at",
        "data.change.direction",
        "data.change.value",
        "data.colour",
        "data.cycle_id",
        "data.sequence",
    ]


def test_bad_artefacts_and_tags_are_reported_with_their_paths() -> None:
    events, _ = pdca_events()
    start = data_of(events[0])
    start["change"]["model"] = "six_sigma"
    start["change"]["source"] = {"kind": "rumour", "reference": ""}
    assert sorted(problems(start)) == ["data.change.model", "data.change.source.kind"]
    fishbone = data_of(next(e for e in events if e.name == "record_root_cause"))
    fishbone["change"]["causes"] = [["method", []], "tools"]
    assert sorted(problems(fishbone)) == ["data.change.causes[1]"]
    fishbone["change"]["causes"] = [["method", []]]
    assert problems(fishbone) == {"data.change.causes.method": "no cause listed"}
    unknown = dict(fishbone, change={"_type": "horoscope"})
    found = problems(unknown)
    assert list(found) == ["data.change._type"]
    assert found["data.change._type"].startswith("'horoscope' is unknown (one of ActionItem,")
    untagged = dict(fishbone, change={"text": "x"})
    assert problems(untagged)["data.change._type"].startswith("missing (one of")
    with pytest.raises(DeserializationError, match="expected a mapping"):
        SERIALIZER.load({"type": "cycle_event", "version": 1, "data": []})


def test_a_check_record_whose_verdict_does_not_follow_is_refused() -> None:
    events, _ = pdca_events()
    check = data_of(next(e for e in events if e.name == "record_check"))
    check["change"]["verdict"] = "not_met"
    assert problems(check) == {
        "data.change.verdict": "'not_met' does not follow from the measurements ('met')"
    }
    check["change"]["comparison"]["after"]["kpi"] = "csat"
    check["change"]["evidence"] = []
    assert list(problems(check)) == ["data.change.comparison.after"]
    check["change"]["comparison"]["after"]["kpi"] = "time_to_resolve"
    assert list(problems(check)) == ["data.change.evidence", "data.change.verdict"]


def nonconformity_events() -> list[NonconformityEvent]:
    opened = RaiseNonconformity(nc_id="NC-1", description="SLA report sent late")
    nc, events = decide_nonconformity(None, opened, Context(actor="audit", role="qa", now=T0))
    history = list(events)
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
        context = Context(actor="li", role="member", now=at(len(history)))
        nc, events = decide_nonconformity(nc, command, context)
        history.extend(events)
    assert NONCONFORMITY.replay(history) == nc
    return history


def through_json_nc(event: NonconformityEvent) -> NonconformityEvent:
    return SERIALIZER.loads(SERIALIZER.dumps(event), NonconformityEvent)


def test_nonconformity_events_round_trip_through_json() -> None:
    events = nonconformity_events()
    decoded = [through_json_nc(e) for e in events]
    assert decoded == events
    assert [list(zones(e)) for e in decoded] == [list(zones(e)) for e in events]
    assert NONCONFORMITY.replay(decoded) == NONCONFORMITY.replay(events)
    assert data_of(events[6])["changes"] == [
        [
            "review",
            {
                "reviewed_at": "2026-04-01T09:00:00+08:00[Asia/Shanghai]",
                "reviewer": "qa",
                "effective": True,
                "finding": "ok",
            },
        ],
        ["sms_change_ref", "CR-9"],
    ]
    review = decoded[6].changes[0][1]
    assert isinstance(review, EffectivenessReview)
    assert review.reviewed_at.tzinfo == SHANGHAI


def test_a_malformed_nonconformity_event_lists_every_problem() -> None:
    events = nonconformity_events()
    data = data_of(events[4])  # record_action
    data["changes"][0][1][0]["status"] = "maybe"
    data["changes"][0][1][0]["due"] = 3
    data["changes"].append(["mood", "sad"])
    data["to_state"] = None
    assert sorted(problems(data, "nonconformity_event")) == [
        "data.changes[0][1][0].due",
        "data.changes[0][1][0].status",
        "data.changes[1]",
        "data.to_state",
    ]
    review = data_of(events[6])
    review["changes"][0][1]["effective"] = "yes"
    found = problems(review, "nonconformity_event")
    assert found == {"data.changes[0][1].effective": "expected true or false, got 'yes'"}
    with pytest.raises(DeserializationError, match="expected a mapping"):
        SERIALIZER.load({"type": "nonconformity_event", "version": 1, "data": None})
    done = data_of(events[4])
    done["changes"][0][1][0]["completed_at"] = None  # done without a completion time
    assert list(problems(done, "nonconformity_event")) == ["data.changes[0][1][0].completed_at"]


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
    assert list(zones(decoded)) == list(zones(event))
