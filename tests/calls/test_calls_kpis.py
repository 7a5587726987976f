"""Call KPIs on a constructed call log, checked against figures computed by hand (the
arithmetic is in the comments) and cross-checked with pandas on the raw log."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from itsm_core.calendar import BusinessCalendar
from itsm_core.calls import (
    CALL,
    Call,
    ServiceLevelConvention,
    interval_kpis,
    kpi_table,
    plan_vs_actual,
    schedule_callbacks,
)
from itsm_core.calls import call_events as events_of
from itsm_core.errors import ValidationError
from itsm_core.routing import IntervalForecast, ServiceTarget, staffing_plan

SHANGHAI = ZoneInfo("Asia/Shanghai")
NINE = dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)  # a Monday
S = dt.timedelta(seconds=1)

# The constructed log: (id, offered minute:second after 09:00, wait s, agent or None for an
# abandon, talk s, wrap-up s, resolved on the call, caller, callback asked)
LOG = [
    ("C1", (0, 0), 10, "ana", 180, 60, True, "131", False),
    ("C2", (2, 0), 30, "bo", 240, 30, False, "132", False),
    ("C3", (5, 0), 3, None, None, None, False, "133", False),  # a short abandon (3 s <= 5 s)
    ("C4", (10, 0), 45, None, None, None, False, "134", True),  # abandoned, asks a callback
    ("C5", (27, 0), 20, "ana", 300, 60, True, "135", False),  # busy across 09:30
    ("C6", (20, 0), 5, "bo", 120, 0, True, "136", False),
    ("C7", (25, 0), 60, None, None, None, False, "137", False),
    ("C8", (31, 0), 15, "ana", 600, 120, False, "138", False),
    ("C9", (40, 0), None, None, None, None, False, None, False),  # still waiting
    ("C10", (50, 0), 8, "bo", 300, 60, True, "139", False),
]


def build(log: list[tuple]) -> list[Call]:  # type: ignore[type-arg]
    calls = []
    for call_id, (m, s), wait, agent, talk, wrap, resolved, caller, callback in log:
        events = events_of(
            call_id,
            NINE + dt.timedelta(minutes=m, seconds=s),
            caller=caller,
            queue="hotline",
            wait=None if wait is None else wait * S,
            answered_by=agent,
            talk=None if talk is None else talk * S,
            wrap_up=None if wrap is None else wrap * S,
            resolved=resolved,
            callback=callback,
        )
        calls.append(CALL.replay(events))
    return calls


CALLS = build(LOG)


def kpis(**kwargs: object) -> tuple:  # type: ignore[type-arg]
    return interval_kpis(
        CALLS,
        start=NINE,
        end=NINE + dt.timedelta(hours=1),
        interval=dt.timedelta(minutes=30),
        answer_within=20 * S,
        short_abandon=5 * S,
        staffed={NINE: 2, NINE + dt.timedelta(minutes=30): 2},
        **kwargs,  # type: ignore[arg-type]
    )


def test_the_first_interval_by_hand() -> None:
    first, _ = kpis()
    # offered 09:00-09:30: C1..C7 = 7; answered C1 C2 C5 C6 = 4; abandoned C3 C4 C7 = 3,
    # of which short (wait <= 5 s): C3 = 1
    assert (first.offered, first.answered, first.abandoned, first.short_abandoned) == (7, 4, 3, 1)
    # within 20 s (<=): C1 10, C5 20, C6 5 = 3 (C2 waited 30)
    assert first.answered_within == 3
    # default convention, short abandons ignored: 3 / (4 + 3 - 1) = 3/6
    assert first.service_level == pytest.approx(0.5)
    # ASA: (10 + 30 + 20 + 5) / 4 = 16.25 s
    assert first.average_speed_of_answer == dt.timedelta(seconds=16.25)
    # abandonment: 3 / 7; without short abandons: 2 / 6
    assert first.abandonment_rate == pytest.approx(3 / 7)
    assert first.abandonment_rate_excluding_short == pytest.approx(1 / 3)
    # AHT: (180+60) + (240+30) + (300+60) + (120+0) = 240 + 270 + 360 + 120 = 990 / 4 = 247.5
    assert first.average_handle_time == dt.timedelta(seconds=247.5)
    # FCR: C1, C5, C6 settled on the call of 4 answered = 0.75
    assert first.first_contact_resolution == pytest.approx(0.75)
    assert first.callbacks_requested == 1
    # occupancy, busy time inside 09:00-09:30: C1 240, C2 270, C6 120, and C5 answered
    # 09:27:20 busy to 09:33:20 -> 160 s before 09:30: 790 s of 2 agents x 1800 s = 3600
    assert first.occupancy == pytest.approx(790 / 3600)


def test_the_second_interval_by_hand() -> None:
    _, second = kpis()
    # offered 09:30-10:00: C8, C9 (waiting), C10
    assert (second.offered, second.answered, second.abandoned, second.waiting) == (3, 2, 0, 1)
    # both within 20 s (15, 8): 2 / 2
    assert second.service_level == 1.0
    assert second.average_speed_of_answer == dt.timedelta(seconds=11.5)  # (15 + 8) / 2
    assert second.abandonment_rate == 0.0
    assert second.average_handle_time == dt.timedelta(seconds=540)  # (720 + 360) / 2
    assert second.first_contact_resolution == 0.5  # C10 of C8, C10
    # busy: C5's last 200 s + C8 720 + C10 360 = 1280 of 3600
    assert second.occupancy == pytest.approx(1280 / 3600)


@pytest.mark.parametrize(
    ("convention", "expected"),
    [
        (ServiceLevelConvention.SHORT_ABANDONS_IGNORED, 3 / 6),
        (ServiceLevelConvention.ABANDONS_MISSED, 3 / 7),  # 3 / (4 answered + 3 abandoned)
        (ServiceLevelConvention.ABANDONS_IGNORED, 3 / 4),  # 3 / 4 answered
    ],
)
def test_service_level_conventions(convention: ServiceLevelConvention, expected: float) -> None:
    first, _ = kpis(convention=convention)
    assert first.service_level == pytest.approx(expected)


def test_the_kpis_agree_with_pandas_on_the_raw_log() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        [
            {
                "offered": NINE + dt.timedelta(minutes=m, seconds=s),
                "wait": w,
                "agent": a,
                "handle": None if t is None else t + (r or 0),
                "resolved": ok,
            }
            for _, (m, s), w, a, t, r, ok, _, _ in LOG
        ]
    )
    frame["slot"] = frame["offered"].map(lambda at: int((at - NINE) // dt.timedelta(minutes=30)))
    for row in kpis():
        part = frame[frame["slot"] == int((row.start - NINE) // dt.timedelta(minutes=30))]
        answered = part[part["agent"].notna()]
        abandoned = part[part["agent"].isna() & part["wait"].notna()]
        short = abandoned[abandoned["wait"] <= 5]
        within = (answered["wait"] <= 20).sum()
        assert row.service_level == pytest.approx(
            within / (len(answered) + len(abandoned) - len(short))
        )
        assert row.average_speed_of_answer.total_seconds() == pytest.approx(answered["wait"].mean())
        assert row.average_handle_time.total_seconds() == pytest.approx(answered["handle"].mean())
        assert row.first_contact_resolution == pytest.approx(answered["resolved"].mean())


def test_empty_intervals_have_no_rates() -> None:
    (row,) = interval_kpis(
        [], start=NINE, end=NINE + dt.timedelta(minutes=15), interval=dt.timedelta(minutes=15)
    )
    assert (row.offered, row.service_level, row.average_speed_of_answer, row.occupancy) == (
        0,
        None,
        None,
        None,
    )


def test_bad_arguments_are_all_named() -> None:
    with pytest.raises(ValidationError) as caught:
        interval_kpis(CALLS, start=NINE, end=NINE, interval=dt.timedelta(0), answer_within=-S)
    assert {p.path for p in caught.value.problems} == {"interval", "answer_within"}
    with pytest.raises(ValidationError, match="end"):
        interval_kpis(CALLS, start=NINE, end=NINE)


def test_plan_vs_actual_sets_the_erlang_plan_beside_the_measures() -> None:
    target = ServiceTarget(service_level=0.8, answer_within=20 * S)
    plan = staffing_plan(
        [
            IntervalForecast(NINE, 8, 240 * S),
            IntervalForecast(NINE + dt.timedelta(minutes=30), 3, 240 * S),
        ],
        interval=dt.timedelta(minutes=30),
        target=target,
    )
    first, second = plan_vs_actual(plan, kpis())
    assert (first.calls_forecast, first.calls_offered, first.calls_variance) == (8, 7, -1)
    assert first.agents_planned == plan.rows[0].staffing.agents
    assert first.agents_variance == 2 - plan.rows[0].staffing.agents
    assert first.target_met is False  # 50 % < 80 %
    assert second.target_met is True
    assert first.occupancy_planned == pytest.approx(plan.rows[0].staffing.figures.occupancy)
    with pytest.raises(ValidationError, match=r"plan.rows\[1\]"):
        plan_vs_actual(plan, kpis()[:1])


OFFICE = BusinessCalendar.from_dict(
    {
        "timezone": "Asia/Shanghai",
        "weekly": {
            d: [["09:00", "18:00"]]
            for d in ("monday", "tuesday", "wednesday", "thursday", "friday")
        },
    }
)


def test_callbacks_are_due_in_working_time() -> None:
    plan = schedule_callbacks(CALLS, OFFICE, within=dt.timedelta(hours=2))
    # C3 is a short abandon (no callback); C4 abandoned 09:10:45 and asked; C7 09:26:00
    assert [(c.call_id, c.due.time().isoformat(), c.requested) for c in plan.callbacks] == [
        ("C4", "11:10:45", True),
        ("C7", "11:26:00", False),
    ]
    evening = CALL.replay(
        events_of("L1", NINE.replace(hour=17, minute=55), caller="140", wait=30 * S)
    )
    (late,) = schedule_callbacks([evening], OFFICE, within=dt.timedelta(minutes=30)).callbacks
    # lost 17:55:30 with 4.5 min of the day left: the other 25.5 min run from 09:00 Tuesday
    assert late.due == dt.datetime(2026, 3, 3, 9, 25, 30, tzinfo=SHANGHAI)
    assert late.earliest == late.lost_at
    assert late.overdue(late.due + S)
    nameless = CALL.replay(events_of("N1", NINE, wait=30 * S))
    assert schedule_callbacks([nameless], OFFICE, within=S).without_number == ("N1",)


def test_the_table_speaks_both_languages() -> None:
    english = kpi_table(kpis(), "en").splitlines()
    chinese = kpi_table(kpis(), "zh-CN").splitlines()
    assert english[0].startswith("Interval\tOffered")
    assert chinese[0].startswith("时段\t呼入")
    assert english[1].split("\t")[:5] == ["09:00-09:30", "7", "4", "3", "50.0%"]
    assert "16.2 s" in english[1] or "16.3 s" in english[1]
    assert "秒" in chinese[1]
