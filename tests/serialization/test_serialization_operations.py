"""The wire format of the operations aggregates: an emergency event's command is tagged with
the event's name, and the plan an activation keeps is in the plan's own data format."""

from __future__ import annotations

import datetime as dt

import pytest

from itsm_core.emergency import (
    ActivatePlan,
    ActivationEvent,
    DrillEvent,
    EmergencyPlan,
    RecordStep,
    ScheduleDrill,
    Trigger,
)
from itsm_core.errors import DeserializationError, InvalidEmergencyPlan
from itsm_core.serialization import Serializer

SERIALIZER = Serializer()
AT = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
PLAN_DATA = {
    "plan_id": "EP-1",
    "title": "Network outage",
    "event_types": ["outage"],
    "likelihood": 3,
    "severity": 1,
    "owner": "ops",
    "review_by": "2026-06-30",
    "roles": {"commander": "ops-manager"},
    "response_flow": [{"name": "assemble", "role": "commander", "within_minutes": 15}],
}
PLAN = EmergencyPlan.from_dict(PLAN_DATA)


def test_the_command_is_tagged_with_the_event_name() -> None:
    activate = ActivatePlan(
        activation_id="A1", plan=PLAN, event_type="outage", trigger=Trigger.DECLARED, level=1
    )
    event = ActivationEvent(activation_id="A1", sequence=1, at=AT, actor="li", command=activate)
    data = SERIALIZER.dump(event)["data"]
    assert data["command"]["_type"] == event.name == "activated"
    assert data["command"]["plan"] == PLAN.to_dict()
    step = ActivationEvent(
        activation_id="A1", sequence=2, at=AT, actor="li", command=RecordStep(step="assemble")
    )
    assert SERIALIZER.dump(step)["data"]["command"] == {
        "_type": "step_recorded",
        "step": "assemble",
        "note": "",
    }
    drill = DrillEvent(
        drill_id="D1",
        sequence=1,
        at=AT,
        actor="li",
        command=ScheduleDrill(drill_id="D1", plan_id="EP-1", scenario="x", planned_at=AT),
    )
    assert SERIALIZER.dump(drill)["data"]["command"]["_type"] == "scheduled"
    assert ActivationEvent.COMMANDS["step_recorded"] is RecordStep
    assert DrillEvent.COMMANDS["scheduled"] is ScheduleDrill


@pytest.mark.parametrize(
    ("tag", "message"),
    [
        ({}, "data.command._type: missing (one of activated, communication_recorded"),
        ({"_type": "RecordStep"}, "data.command._type: 'RecordStep' is unknown (one of"),
        ({"_type": ["x"]}, "data.command._type: ['x'] is unknown"),
    ],
)
def test_a_missing_or_unknown_tag_names_the_known_ones(
    tag: dict[str, object], message: str
) -> None:
    data = {"activation_id": "A1", "sequence": 2, "at": "2026-03-02T09:00:00+00:00"}
    command = {"step": "assemble", "note": "", **tag}
    envelope = {
        "type": "activation_event",
        "version": 1,
        "data": {**data, "actor": "li", "command": command},
    }
    with pytest.raises(DeserializationError, match=message.replace("[", r"\[").replace("(", r"\(")):
        SERIALIZER.load(envelope)


def test_a_stored_plan_with_bad_data_names_the_path() -> None:
    bad = {
        **PLAN_DATA,
        "response_flow": [{"name": "assemble", "role": "nobody", "within_minutes": -1}],
    }
    with pytest.raises(InvalidEmergencyPlan, match=r"response_flow\[0\]\.within_minutes"):
        EmergencyPlan.from_dict(bad)
    with pytest.raises(DeserializationError, match=r"data\..*response_flow\[0\]\.role"):
        SERIALIZER.load(
            {
                "type": "emergency_plan",
                "version": 1,
                "data": {
                    **bad,
                    "response_flow": [{"name": "assemble", "role": "nobody", "within_minutes": 1}],
                },
            }
        )
