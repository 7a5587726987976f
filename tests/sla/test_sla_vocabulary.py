"""SLA vocabulary and batches: customer tiers, per-ticket errors, the year-end calendar."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest

from itsm_core.calendar import BusinessCalendar
from itsm_core.errors import (
    CalendarCoverageError,
    InvalidPolicy,
    ItsmError,
    ValidationError,
)
from itsm_core.priority import TierVocabulary
from itsm_core.sla import (
    RESOLUTION,
    AllOf,
    ClockStatus,
    Duration,
    FieldIn,
    MetricSpec,
    Not,
    PolicySet,
    SlaBatch,
    SlaPolicy,
    SlaTracker,
    due_actions,
    evaluate,
    evaluate_many,
    sweep,
)
from itsm_core.tickets import CustomerTier, Resolve

SH = ZoneInfo("Asia/Shanghai")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")


def office(end: str | None = None) -> BusinessCalendar:
    data: dict[str, Any] = {
        "name": "office",
        "timezone": "Asia/Shanghai",
        "weekly": {day: [["09:00", "12:00"], ["13:00", "18:00"]] for day in WEEKDAYS},
    }
    if end is not None:
        data["coverage"] = {"start": "2025-01-01", "end": end}
    return BusinessCalendar.from_dict(data)


def policies(target: str = "3 working days") -> PolicySet:
    metric = MetricSpec(clock=RESOLUTION, targets={"*": target}, calendar="office")
    return PolicySet(policies=[SlaPolicy(name="std", metrics=[metric])])


# -- customer tiers ---------------------------------------------------------------------------


def tier_policy(values: list[Any], target_by: str = "priority") -> SlaPolicy:
    metric = MetricSpec(clock=RESOLUTION, targets={"*": "8 hours"}, target_by=target_by)
    return SlaPolicy(name="p", metrics=[metric], condition=FieldIn("customer_tier", values))


def test_tiers_in_policies_are_checked_against_the_vocabulary() -> None:
    with pytest.raises(InvalidPolicy) as caught:
        PolicySet(policies=[tier_policy(["vip", "gold"])])
    assert [str(p) for p in caught.value.problems] == [
        "policies[0].condition: unknown customer tier 'gold' "
        "(known: regular, vip, enterprise, standard)"
    ]
    nested = attrs.evolve(
        tier_policy(["vip"]), condition=AllOf([Not(FieldIn("customer_tier", ["platinum"]))])
    )
    with pytest.raises(InvalidPolicy, match="unknown customer tier 'platinum'"):
        PolicySet(policies=[nested])
    targets = MetricSpec(
        clock=RESOLUTION,
        targets={"vip": "2 hours", "standard": "8 hours", "gold": "1 hour", "*": "9 hours"},
        target_by="customer_tier",
    )
    with pytest.raises(InvalidPolicy) as caught:
        PolicySet(policies=[SlaPolicy(name="t", metrics=[targets])])
    assert [p.path for p in caught.value.problems] == ["policies[0].metrics[0].targets.gold"]


def test_aliases_in_policies_are_kept_as_tier_names(history: Any) -> None:
    metric = MetricSpec(
        clock=RESOLUTION,
        targets={"standard": "8 hours", "vip": "2 hours"},
        target_by="customer_tier",
    )
    policy = SlaPolicy(
        name="p", metrics=[metric], condition=FieldIn("customer_tier", ["standard", "vip"])
    )
    chosen = PolicySet(policies=[policy])
    kept = chosen.policies[0]
    assert kept.condition == FieldIn("customer_tier", ["regular", "vip"])
    assert set(kept.metrics[0].targets) == {"regular", "vip"}
    t0 = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    regular = history(t0).events
    report = evaluate(chosen, regular, t0)
    assert str(report.clock("resolution").target) == "8 hours"
    vip = history(t0, customer_tier=CustomerTier.VIP).events
    assert str(evaluate(chosen, vip, t0).clock("resolution").target) == "2 hours"


def test_a_configured_vocabulary_is_used_and_saved_with_the_policy_set() -> None:
    gold = TierVocabulary(["bronze", "gold"])
    chosen = PolicySet(policies=[tier_policy(["gold"])], tier_vocabulary=gold)
    data = json.loads(json.dumps(chosen.to_dict()))
    assert data["tier_vocabulary"] == gold.to_dict()
    assert PolicySet.from_dict(data) == chosen
    assert "tier_vocabulary" not in PolicySet(policies=[tier_policy(["vip"])]).to_dict()
    with pytest.raises(InvalidPolicy) as caught:
        PolicySet.from_dict({**data, "tier_vocabulary": {"names": []}})
    assert [p.path for p in caught.value.problems] == ["tier_vocabulary.names"]
    with pytest.raises(InvalidPolicy):
        PolicySet(policies=[], tier_vocabulary="gold")  # type: ignore[arg-type]


# -- batches ----------------------------------------------------------------------------------


def test_evaluate_many_collects_each_tickets_error_and_measures_the_others(
    history: Any,
) -> None:
    t0 = dt.datetime(2026, 3, 2, 9, tzinfo=SH)
    good = history(t0, ticket_id="A").events
    later = history(t0 + dt.timedelta(days=2), ticket_id="B").events
    other = history(t0, ticket_id="C").events
    now = t0 + dt.timedelta(hours=1)
    batch = evaluate_many(policies(), [good, [], later, other], now, calendars={"office": office()})
    assert isinstance(batch, SlaBatch)
    assert [r.ticket_id for r in batch] == ["A", "C"]
    assert (len(batch), batch[1].ticket_id, batch.ok) == (2, "C", False)
    assert [(e.index, e.ticket_id) for e in batch.errors] == [(1, None), (2, "B")]
    assert all(isinstance(e.error, ItsmError) for e in batch.errors)
    assert "first event ('open')" in str(batch.errors[0].error)
    assert "has no event at or before now" in str(batch.errors[1].error)
    with pytest.raises(ValidationError, match="no event at or before now"):
        evaluate_many(policies(), [good, later], now, calendars={"office": office()}, strict=True)
    missing = evaluate_many(policies(), [good], now)  # the calendar is not given
    assert missing.reports == ()
    assert "no calendar 'office' was given" in str(missing.errors[0].error)
    with pytest.raises(ValidationError):
        missing.raise_first()
    evaluate_many(policies(), [good], now, calendars={"office": office()}).raise_first()
    with pytest.raises(ValidationError):  # a bad argument still fails the call
        evaluate_many(policies(), [good], dt.datetime(2026, 3, 2, 10))


def test_measuring_before_the_first_event_says_why() -> None:
    with pytest.raises(ValidationError) as caught:
        SlaTracker(policies=policies()).report(dt.datetime(2026, 3, 2, tzinfo=SH))
    assert "no events yet: a ticket's SLA clocks start with its first event" in str(caught.value)
    with pytest.raises(ValidationError, match="no events: a ticket's SLA clocks start"):
        evaluate(policies(), [], dt.datetime(2026, 3, 2, tzinfo=SH))


# -- the year-end calendar --------------------------------------------------------------------


def test_a_ticket_opened_on_30_december_is_measured_past_the_holiday_data(history: Any) -> None:
    """Three working days from Tuesday 30 December run into January, whose holidays are not
    published yet: the clock follows the weekly pattern and says so, instead of failing."""
    short = office("2025-12-31")
    assert short.covered_until == dt.date(2025, 12, 31)
    opened = dt.datetime(2025, 12, 30, 10, tzinfo=SH)
    events = history(opened).events
    now = dt.datetime(2025, 12, 31, 17, tzinfo=SH)
    report = evaluate(policies(), events, now, calendars={"office": short})
    clock = report.clock("resolution")
    assert clock.status is ClockStatus.RUNNING
    assert clock.due_at == dt.datetime(2026, 1, 2, 10, tzinfo=SH)  # Tue, Wed, Thu, Fri 10:00
    assert clock.coverage_warning is not None
    assert "has holiday data for 2025-01-01 to 2025-12-31 only" in clock.coverage_warning
    assert report.coverage_warnings == (clock.coverage_warning,)
    assert due_actions(report, now) == ()
    with pytest.raises(CalendarCoverageError):  # the calendar alone still refuses
        short.add_working_days(opened, 3)
    # A calendar that covers January gives the same figures, without a warning.
    covered = evaluate(policies(), events, now, calendars={"office": office("2026-12-31")})
    assert covered.coverage_warnings == ()
    assert attrs.evolve(clock, coverage_warning=None) == covered.clock("resolution")
    # The batch and the sweep agree, and nothing fails.
    batch = evaluate_many(policies(), [events], now, calendars={"office": short})
    assert batch.errors == ()
    assert batch.reports == (report,)
    tracker = SlaTracker(policies=policies(), calendars={"office": short}).apply_all(events)
    swept = sweep([tracker], now)
    assert swept.errors == ()
    assert swept.report(0) == report


def test_a_clock_within_the_data_has_no_warning_and_one_stopped_there_keeps_none(
    history: Any,
) -> None:
    short = office("2025-12-31")
    opened = dt.datetime(2025, 12, 1, 10, tzinfo=SH)
    h = history(opened)
    h.do(Resolve(code="fixed", note="done"), opened + dt.timedelta(hours=2))
    report = evaluate(policies(), h.events, dt.datetime(2026, 2, 1, tzinfo=SH),
                      calendars={"office": short})  # fmt: skip
    assert report.clock("resolution").status is ClockStatus.MET
    assert report.coverage_warnings == ()
    late = history(dt.datetime(2025, 12, 30, tzinfo=SH)).events
    physical = evaluate(policies("72 hours"), late, dt.datetime(2026, 1, 5, tzinfo=SH),
                        calendars={"office": short})  # fmt: skip
    assert physical.coverage_warnings == ()  # calendar time does not use the holiday data


def test_calendars_say_where_their_coverage_ends() -> None:
    assert office().covered_until is None
    unlimited = office()
    assert unlimited.extrapolating() is unlimited
    short = office("2025-12-31")
    assert (short.covered_from, short.covered_until) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert short.covers(dt.datetime(2025, 12, 31, 23, tzinfo=SH))
    assert short.covers(dt.datetime(2026, 1, 1, tzinfo=SH))  # the end of its last day
    assert not short.covers(dt.datetime(2026, 1, 1, 0, 1, tzinfo=SH))
    lenient = short.extrapolating()
    assert lenient is short.extrapolating()
    assert lenient.covers(dt.datetime(2026, 1, 1, tzinfo=SH))
    assert lenient.covered_until == short.covered_until  # it still knows where the data ends
    both = short | office("2026-06-30")
    assert (both.covered_from, both.covered_until) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert both.extrapolating().covers(dt.datetime(2027, 1, 1, tzinfo=SH))
    assert not both.covers(dt.datetime(2026, 1, 2, tzinfo=SH))
    assert both.extrapolating().extrapolating() is both.extrapolating()


@pytest.mark.parametrize(
    "value", [10**5000, [[[]]] * 3, {"deep": [1] * 3}], ids=["huge", "deep", "mapping"]
)
def test_a_target_of_junk_is_refused_as_an_itsm_error(value: object) -> None:
    # Found by make fuzz: the message showed the value with repr (ValueError for a
    # 5,000-digit number, RecursionError for deep nesting).
    nested: object = value
    if isinstance(value, list):
        for _ in range(5000):
            nested = [nested]
    with pytest.raises(ValidationError):
        Duration.of(nested)  # type: ignore[arg-type]
