"""Improvement values stored by the released format still load, zones included.

``fixtures/released/improvement.jsonl`` was written once, one envelope per line, by
``Serializer().dumps`` of the code released before issue 18 (the aggregate kernel) changed the
improvement package; it is never regenerated. Each line must load with today's serializer as
the value :func:`released_values` builds, every datetime in the zone it was written in.
"""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from itsm_core.improvement import (
    CYCLE,
    NONCONFORMITY,
    ActionItem,
    ActionStatus,
    ActionUpdate,
    CycleEvent,
    CycleModel,
    Direction,
    EffectivenessReview,
    Fishbone,
    FiveWhys,
    ImprovementCycle,
    ImprovementSource,
    MeasuredResult,
    Measurement,
    Nonconformity,
    NonconformityEvent,
    ProblemStatement,
    SourceKind,
    Standard,
    StartCycle,
    Target,
    Vision,
    Why,
)
from itsm_core.improvement._artefacts import check_result
from itsm_core.serialization import Serializer

FIXTURE = Path(__file__).parent / "fixtures" / "released" / "improvement.jsonl"
#: One serializer for every line (building one costs tens of milliseconds).
SERIALIZER = Serializer()

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
LONDON = zoneinfo.ZoneInfo("Europe/London")
KOLKATA_OFFSET = dt.timezone(dt.timedelta(hours=5, minutes=30))
T0 = dt.datetime(2026, 3, 2, 9, tzinfo=SHANGHAI)


def at(days: float) -> dt.datetime:
    return T0 + dt.timedelta(days=days)


def week(start_day: float) -> dict[str, dt.datetime]:
    return {"period_start": at(start_day), "period_end": at(start_day + 7)}


# -- a PDCA cycle, every kind of change --------------------------------------------------------

SOURCE = ImprovementSource(
    kind=SourceKind.COMPLAINT_CATEGORY, reference="billing", detail="rank 1 of 3, vital few"
)
BASELINE = Measurement.proportion("reopen_rate", 30, 300, **week(-28))
TARGET = Target(kpi="reopen_rate", value=0.05, direction=Direction.LOWER_IS_BETTER, due=at(90))
AFTER = Measurement.proportion("reopen_rate", 12, 300, **week(40))
MEASURED = MeasuredResult(result=AFTER, evidence=("KPI report 2026-W16", "抽样回访"))
ACTION = ActionItem(action_id="A1", description="自动导入资费", owner="wang", due=at(20))


def pdca_events() -> list[CycleEvent]:
    """A PDCA cycle from start to standardised, as the released ``decide`` wrote it."""
    steps: list[tuple[str, str, str, Any]] = [
        ("record_problem_statement", "plan", "plan", ProblemStatement("账单类工单重开太多")),
        ("record_baseline", "plan", "plan", BASELINE),
        ("record_target", "plan", "plan", TARGET),
        (
            "record_root_cause",
            "plan",
            "plan",
            FiveWhys(
                chain=(
                    Why(why="Why reopened?", because="wrong tariff"),
                    Why(why="Why wrong?", because="keyed by hand"),
                ),
                root_cause="manual tariff keying",
            ),
        ),
        (
            "record_root_cause",
            "plan",
            "plan",
            Fishbone(
                causes={"method": ["manual keying"], "tools": ["no import", "old sheet"]},
                root_cause="manual keying",
            ),
        ),
        ("record_action", "plan", "plan", ACTION),
        ("advance", "plan", "do", None),
        (
            "record_action_update",
            "do",
            "do",
            ActionUpdate(action_id="A1", status=ActionStatus.DONE, at=at(19), evidence="v4"),
        ),
        ("advance", "do", "check", None),
        ("record_check", "check", "check", check_result(BASELINE, TARGET, MEASURED)),
        ("advance", "check", "act", None),
        (
            "standardise",
            "act",
            "standardised",
            Standard(description="Tariff import job", reference="SOP-12"),
        ),
    ]
    start = CycleEvent(
        cycle_id="CI-7",
        sequence=1,
        name="start",
        at=T0,
        actor="li",
        from_phase=None,
        to_phase="plan",
        change=StartCycle(
            cycle_id="CI-7",
            title="账单投诉处理太慢",
            owner="li",
            source=SOURCE,
            previous_cycle="CI-6",
        ),
        link="CI-6",
    )
    events = [start]
    for index, (name, from_phase, to_phase, change) in enumerate(steps, start=2):
        events.append(
            CycleEvent(
                cycle_id="CI-7",
                sequence=index,
                name=name,
                at=at(index * 5),
                actor="li",
                from_phase=from_phase,
                to_phase=to_phase,
                change=change,
            )
        )
    return events


def itil_events() -> list[CycleEvent]:
    """An ITIL 4 cycle in London summer time: a vision, then abandoned."""
    summer = dt.datetime(2026, 7, 1, 10, tzinfo=LONDON)
    return [
        CycleEvent(
            cycle_id="CI-8",
            sequence=1,
            name="start",
            at=summer,
            actor="amy",
            from_phase=None,
            to_phase="what_is_the_vision",
            change=StartCycle(
                cycle_id="CI-8", title="Same-day answers", owner="amy", model=CycleModel.ITIL4
            ),
        ),
        CycleEvent(
            cycle_id="CI-8",
            sequence=2,
            name="record_vision",
            at=summer + dt.timedelta(hours=1),
            actor="amy",
            from_phase="what_is_the_vision",
            to_phase="what_is_the_vision",
            change=Vision("Customers get answers the same day"),
        ),
        CycleEvent(
            cycle_id="CI-8",
            sequence=3,
            name="abandon",
            at=summer + dt.timedelta(days=2),
            actor="amy",
            from_phase="what_is_the_vision",
            to_phase="abandoned",
            reason="superseded by CI-9",
        ),
    ]


def single_events() -> list[CycleEvent]:
    """Events outside a stream: a measured result, a mean with its Welch comparison, a
    continuation, at a fixed +05:30 offset and in UTC."""
    start = dt.datetime(2026, 5, 4, 9, tzinfo=KOLKATA_OFFSET)
    span = {"period_start": start, "period_end": start + dt.timedelta(days=7)}
    later = {
        "period_start": start + dt.timedelta(days=30),
        "period_end": start + dt.timedelta(days=37),
    }
    before = Measurement.mean_of("time_to_resolve", [20.0, 26.0, 14.0, 22.0], unit="h", **span)
    after = Measurement.mean_of("time_to_resolve", [11.0, 12.5, 10.0, 13.5], unit="h", **later)
    target = Target(
        kpi="time_to_resolve", value=12.0, direction=Direction.LOWER_IS_BETTER, due=at(120)
    )
    check = check_result(before, target, MeasuredResult(result=after, evidence=("report",)))
    base = {"cycle_id": "CI-9", "actor": "raj", "from_phase": "check", "to_phase": "check"}
    return [
        CycleEvent(sequence=4, name="record_check", at=start, change=MEASURED, **base),
        CycleEvent(sequence=5, name="record_check", at=start, change=check, **base),
        CycleEvent(
            cycle_id="CI-9",
            sequence=6,
            name="continue_with",
            at=dt.datetime(2026, 6, 1, 3, tzinfo=dt.UTC),
            actor="raj",
            from_phase="act",
            to_phase="continued",
            reason="target not met",
            link="CI-10",
        ),
    ]


# -- a nonconformity, through an ineffective review -------------------------------------------


def nonconformity_events() -> list[NonconformityEvent]:
    """A nonconformity raised, analysed, found ineffective once, then closed."""
    done = ActionItem(
        action_id="A1",
        description="schedule the job",
        owner="wang",
        due=at(3),
        status=ActionStatus.DONE,
        completed_at=at(2),
        evidence="cron entry",
    )
    again = ActionItem(
        action_id="A2",
        description="alert on a late job",
        owner="wang",
        due=at(12),
        status=ActionStatus.DONE,
        completed_at=at(11),
    )
    weak = EffectivenessReview(
        reviewed_at=at(9), reviewer="qa", effective=False, finding="job ran, report still late"
    )
    good = EffectivenessReview(reviewed_at=at(30), reviewer="qa", effective=True, finding="ok")
    steps: list[tuple[str, str | None, str, tuple[tuple[str, Any], ...]]] = [
        ("raise", None, "reported", (("description", "SLA 报告迟发"),)),
        ("record_correction", "reported", "reported", (("correction", "sent by hand"),)),
        (
            "record_cause",
            "reported",
            "reported",
            (("corrective_action_required", True), ("root_cause", "job not scheduled")),
        ),
        ("analyse", "reported", "analysed", ()),
        ("record_action", "analysed", "analysed", (("actions", (done,)),)),
        ("implement", "analysed", "action_taken", ()),
        ("record_review", "action_taken", "action_taken", (("review", weak),)),
        ("reanalyse", "action_taken", "analysed", (("review", None),)),
        ("record_action", "analysed", "analysed", (("actions", (done, again)),)),
        ("implement", "analysed", "action_taken", ()),
        (
            "record_review",
            "action_taken",
            "action_taken",
            (("review", good), ("sms_change_ref", "CR-9")),
        ),
        ("close", "action_taken", "closed", ()),
    ]
    return [
        NonconformityEvent(
            nc_id="NC-1",
            sequence=index,
            name=name,
            at=at(index),
            actor="audit" if index == 1 else "li",
            from_state=from_state,
            to_state=to_state,
            changes=changes,
        )
        for index, (name, from_state, to_state, changes) in enumerate(steps, start=1)
    ]


def replay_cycle(events: list[CycleEvent]) -> ImprovementCycle:
    return CYCLE.replay(events)


def replay_nc(events: list[NonconformityEvent]) -> Nonconformity:
    return NONCONFORMITY.replay(events)


def released_values() -> list[object]:
    """What each line of the fixture holds, in order."""
    pdca, itil, nc = pdca_events(), itil_events(), nonconformity_events()
    return [
        *pdca,
        *itil,
        *single_events(),
        *nc,
        replay_cycle(pdca),
        replay_cycle(itil),
        replay_nc(nc),
        replay_nc(nc[:7]),
        SOURCE,
        BASELINE,
        TARGET,
        nc[4].changes[0][1][0],
        nc[6].changes[0][1],
    ]


# -- the tests ---------------------------------------------------------------------------------


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


def fixture_lines() -> list[str]:
    return FIXTURE.read_text(encoding="utf-8").splitlines()


def test_the_fixture_holds_one_envelope_per_value() -> None:
    lines = fixture_lines()
    assert len(lines) == len(released_values())
    assert all(set(json.loads(line)) == {"type", "version", "data"} for line in lines)


@pytest.mark.parametrize(
    ("index", "expected"), list(enumerate(released_values())), ids=lambda v: str(v)[:30]
)
def test_every_released_line_loads_as_its_value_in_its_zone(index: int, expected: object) -> None:
    loaded = SERIALIZER.loads(fixture_lines()[index])
    assert loaded == expected
    assert list(zones(loaded)) == list(zones(expected))


def test_the_zones_written_are_the_ones_read() -> None:
    shanghai_start = SERIALIZER.loads(fixture_lines()[0], CycleEvent)
    assert shanghai_start.at.tzinfo == SHANGHAI
    assert (
        json.loads(fixture_lines()[0])["data"]["at"] == "2026-03-02T09:00:00+08:00[Asia/Shanghai]"
    )
    london = SERIALIZER.loads(fixture_lines()[len(pdca_events())], CycleEvent)
    assert london.at.tzinfo == LONDON
    assert london.at.utcoffset() == dt.timedelta(hours=1)


def test_the_released_streams_replay_to_the_released_states() -> None:
    lines = [SERIALIZER.loads(line) for line in fixture_lines()]
    cycles = [value for value in lines if isinstance(value, ImprovementCycle)]
    events = [value for value in lines if isinstance(value, CycleEvent)]
    assert replay_cycle([e for e in events if e.cycle_id == "CI-7"]) == cycles[0]
    assert replay_cycle([e for e in events if e.cycle_id == "CI-8"]) == cycles[1]
    ncs = [value for value in lines if isinstance(value, Nonconformity)]
    nc_events = [value for value in lines if isinstance(value, NonconformityEvent)]
    assert replay_nc(nc_events) == ncs[0]
    assert ncs[0].closed_at is not None
    assert ncs[0].closed_at.tzinfo == SHANGHAI
