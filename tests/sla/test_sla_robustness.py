"""SLA policy data that once escaped as a non-ItsmError (found by tests/fuzz), or that was
kept with a wrong type: now refused with an InvalidPolicy naming the path and the value."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from itsm_core.errors import InvalidPolicy, ValidationError
from itsm_core.sla import (
    RESOLUTION,
    STANDARD_POLICIES,
    AllOf,
    ClockDefinition,
    Duration,
    MetricSpec,
    Not,
    PolicySet,
    SlaPolicy,
    Threshold,
)
from itsm_core.sla._conditions import ALWAYS, NEVER
from itsm_core.sla._duration import ACCEPTED_UNITS

POLICY = STANDARD_POLICIES.policies[0].to_dict()


def _junk(value: object) -> Any:
    """``value``, typed as anything: the tests pass wrong types on purpose."""
    return value


def _with_metric(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(POLICY)
    data["metrics"][0].update(changes)
    return data


def _problems(data: Any) -> dict[str, str]:
    with pytest.raises(InvalidPolicy) as caught:
        SlaPolicy.from_dict(data)
    return {problem.path: problem.message for problem in caught.value.problems}


@pytest.mark.parametrize("value", [0, False, 1.5, [], {}, dt.date(2026, 1, 1)])
def test_effective_from_neither_text_nor_datetime(value: Any) -> None:
    # Was: AttributeError 'int' object has no attribute 'tzinfo'.
    assert _problems(POLICY | {"effective_from": value}) == {
        "effective_from": f"expected an ISO 8601 datetime with offset, got {value!r}"
    }


def test_effective_from_still_reads_text_and_datetimes() -> None:
    aware = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for value in (aware, aware.isoformat()):
        assert SlaPolicy.from_dict(POLICY | {"effective_from": value}).effective_from == aware
    assert _problems(POLICY | {"effective_from": "2026-01-01T00:00:00"}) == {
        "effective_from": "naive datetime (a time zone is required)"
    }


@pytest.mark.parametrize("value", [None, 3, "warn", {"name": "w"}])
def test_thresholds_not_a_list(value: Any) -> None:
    # Was: TypeError 'NoneType' object is not iterable.
    assert _problems(_with_metric(thresholds=value)) == {
        "metrics[0].thresholds": f"expected a list, got {value!r}"
    }


@pytest.mark.parametrize("value", [[], {}, None, 1, "sometimes"])
def test_on_change_not_a_mode(value: Any) -> None:
    # Was (for a list or a mapping): TypeError unhashable type.
    assert _problems(_with_metric(on_change=value)) == {
        "metrics[0].on_change": f"unknown mode {value!r}"
    }


@pytest.mark.parametrize("value", [[], {}, None, "shout"])
def test_threshold_action_not_an_action(value: Any) -> None:
    # Was (for a list or a mapping): TypeError unhashable type, through PolicySet.from_dict too.
    data = _with_metric(thresholds=[{"name": "warn", "action": value, "percent": 50}])
    with pytest.raises(InvalidPolicy) as caught:
        PolicySet.from_dict({"policies": [data]})
    assert [(p.path, p.message) for p in caught.value.problems] == [
        ("policies[0].metrics[0].thresholds[0].action", f"unknown action {value!r}")
    ]


@pytest.mark.parametrize("value", [None, "manager", [""], [1], {"a": 1}])
def test_threshold_notify_not_a_list_of_names(value: Any) -> None:
    # Was (None): TypeError 'NoneType' object is not iterable; a string was split into letters.
    data = _with_metric(thresholds=[{"name": "warn", "percent": 50, "notify": value}])
    assert _problems(data) == {
        "metrics[0].thresholds[0].notify": f"expected a list of non-empty names, got {value!r}"
    }


def test_every_problem_of_a_metric_is_reported_at_once() -> None:
    data = _with_metric(
        thresholds=[{"name": 5, "percent": float("inf"), "action": [], "notify": None}],
        on_change={},
        calendar=3,
        customer_calendar="yes",
    )
    data |= {"description": 7, "precedence": "1", "effective_from": 0, _junk(1): "odd key"}
    assert set(_problems(data)) == {
        "1",
        "description",
        "precedence",
        "effective_from",
        "metrics[0].calendar",
        "metrics[0].customer_calendar",
        "metrics[0].thresholds[0].action",
        "metrics[0].thresholds[0].notify",
        "metrics[0].on_change",
    }


def test_threshold_checks_name_and_finite_percent_together() -> None:
    data = _with_metric(thresholds=[{"name": 5, "percent": float("inf")}])
    assert _problems(data) == {
        "metrics[0].thresholds[0].name": "expected a string, got 5",
        "metrics[0].thresholds[0].percent": "inf is not a positive finite number",
    }


def test_a_percent_beyond_the_float_range_is_not_a_finite_number() -> None:
    data = _with_metric(thresholds=[{"name": "warn", "percent": 10**400}])
    assert list(_problems(data)) == ["metrics[0].thresholds[0].percent"]


def test_python_constructors_refuse_wrong_types_without_coercing() -> None:
    refused: list[tuple[Any, str]] = [
        (lambda: Threshold(name="t", percent=1, notify="ab"), "notify"),
        (lambda: Threshold(name="t", percent=1, notify=None), "notify"),
        (lambda: Threshold(name="t", percent=1, action="shout"), "action"),
        (lambda: Threshold(name=_junk(3), percent=1), "name"),
        (lambda: MetricSpec(clock=RESOLUTION, targets={}, thresholds=None), "thresholds"),
        (lambda: MetricSpec(clock=RESOLUTION, targets={}, on_change="sometimes"), "on_change"),
        (lambda: MetricSpec(clock=RESOLUTION, targets={}, calendar=""), "calendar"),
        (
            lambda: MetricSpec(clock=RESOLUTION, targets={}, customer_calendar=_junk(1)),
            "customer_calendar",
        ),
        (lambda: MetricSpec(clock=_junk("resolution"), targets={}), "clock"),
        (lambda: MetricSpec(clock=RESOLUTION, targets=_junk(None)), "targets"),
        (lambda: ClockDefinition(name=_junk(5), start=ALWAYS, stop=NEVER), "name"),
    ]
    for build, path in refused:
        with pytest.raises(InvalidPolicy) as caught:
            build()
        assert path in {p.path for p in caught.value.problems}
    spec = MetricSpec(clock=RESOLUTION, targets={"*": "4 hours"})
    with pytest.raises(InvalidPolicy) as caught:
        SlaPolicy(name="p", metrics=[spec], description=3, effective_from=0)  # type: ignore[arg-type]
    assert {p.path for p in caught.value.problems} == {"description", "effective_from"}
    # What is right is still converted: lists to tuples, names to enums.
    kept = Threshold(name="t", percent=50, notify=["lead"], action="breach")
    assert kept.notify == ("lead",)
    assert kept.action.value == "breach"


def test_duration_amounts_stay_within_what_a_timedelta_holds() -> None:
    # Was: ValueError from int() for more than 4300 digits, OverflowError later for big ones.
    for text in ("1" * 5000 + " hours", "1000000000 minutes"):
        with pytest.raises(ValidationError, match="is above 999999999"):
            Duration.parse(text)
    with pytest.raises(ValidationError, match="above 999999999"):
        Duration(10**9, _junk("hours"))
    largest = Duration.parse("999999999 calendar days")
    assert largest.clock_time_plain() == dt.timedelta(days=999_999_999)
    assert Duration.parse("0004 hours") == Duration(4, _junk("hours"))


def test_metric_problems_found_at_construction_keep_their_path() -> None:
    twice = [{"name": "w", "percent": 50}, {"name": "w", "percent": 75}]
    assert _problems(_with_metric(thresholds=twice)) == {
        "metrics[0].thresholds[1].name": "'w' is used twice"
    }
    data = copy.deepcopy(POLICY)
    del data["metrics"][0]["targets"]
    del data["metrics"][0]["clock"]
    data["metrics"][0]["thresholds"] = [{"name": "w", "before_breach": "soon"}]
    assert _problems(data) == {
        "metrics[0].targets": "missing",
        "metrics[0].clock": "missing",
        "metrics[0].thresholds[0].before_breach": "cannot read 'soon' as a duration: expected "
        f"a number and a unit; write a whole number and one of: {ACCEPTED_UNITS}",
    }


def test_conditions_given_as_anything_but_conditions_are_refused() -> None:
    # Was: a dict (or any object) kept as a policy's condition or a clock's, and a TypeError
    # ("'dict' object is not callable") at the first evaluation.
    metric = MetricSpec(clock=RESOLUTION, targets={"*": "4 hours"})
    with pytest.raises(InvalidPolicy) as caught:
        SlaPolicy(name="p", metrics=[metric], condition=_junk({"status_in": ["open"]}))
    assert [p.path for p in caught.value.problems] == ["condition"]
    assert "condition_from_dict" in caught.value.problems[0].message
    nested = AllOf([ALWAYS, Not(_junk("open"))])
    with pytest.raises(InvalidPolicy, match="got 'open'"):
        SlaPolicy(name="p", metrics=[metric], condition=nested)
    with pytest.raises(InvalidPolicy) as caught:
        ClockDefinition(name="c", start=_junk(None), stop=NEVER, pause=_junk(len))
    assert [p.path for p in caught.value.problems] == ["start", "pause"]
    assert ClockDefinition(name="c", start=ALWAYS, stop=NEVER, resume=None).resume is None
    with pytest.raises(InvalidPolicy, match="resume"):
        ClockDefinition(name="c", start=ALWAYS, stop=NEVER, resume=_junk(True))
