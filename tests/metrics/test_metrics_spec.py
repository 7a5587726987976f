"""Definitions, periods and specs are data: validated, every problem reported with its path,
and read back equal."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from itsm_core.errors import InvalidKpiDefinition, NaiveDatetimeError, ValidationError
from itsm_core.metrics import (
    BUSINESS_KPIS,
    STANDARD_KPIS,
    Dimension,
    DurationKpi,
    Granularity,
    Milestone,
    Outcome,
    PeriodGrid,
    Population,
    RateKpi,
    ReportSpec,
    SlaOutcome,
    SlaStatus,
    SurveyAnswer,
    kpi_from_dict,
)
from itsm_core.metrics._periods import Period
from itsm_core.tickets import TicketKind


def test_daily_periods_follow_local_midnight_across_daylight_saving() -> None:
    grid = PeriodGrid(Granularity.DAY, "Europe/Lisbon", dt.date(2026, 3, 28), dt.date(2026, 3, 30))
    lengths = [p.end.astimezone(dt.UTC) - p.start.astimezone(dt.UTC) for p in grid.periods]
    # 29 March 2026: Lisbon moves from UTC+0 to UTC+1 at 01:00, a 23-hour day.
    assert lengths == [dt.timedelta(hours=24), dt.timedelta(hours=23), dt.timedelta(hours=24)]
    assert [p.label for p in grid.periods] == ["2026-03-28", "2026-03-29", "2026-03-30"]


def test_weeks_and_months() -> None:
    weeks = PeriodGrid(Granularity.WEEK, "UTC", dt.date(2025, 12, 31), dt.date(2026, 1, 5))
    assert [p.label for p in weeks.periods] == ["2026-W01", "2026-W02"]
    assert weeks.start == dt.datetime(2025, 12, 29, tzinfo=weeks.start.tzinfo)
    months = PeriodGrid(
        Granularity.MONTH, "Asia/Shanghai", dt.date(2025, 11, 15), dt.date(2026, 1, 1)
    )
    assert [p.label for p in months.periods] == ["2025-11", "2025-12", "2026-01"]
    assert months.end.isoformat() == "2026-02-01T00:00:00+08:00"
    assert months.index(months.start - dt.timedelta(seconds=1)) is None
    assert months.index(months.end) is None
    assert months.index(dt.datetime(2025, 12, 31, 16, tzinfo=dt.UTC)) == 2  # 00:00 in Shanghai
    assert months.periods[0].contains(months.start)


def test_a_bad_grid_lists_every_problem() -> None:
    with pytest.raises(InvalidKpiDefinition) as caught:
        PeriodGrid("hour", "Mars/Base", dt.date(2026, 2, 1), dt.date(2026, 1, 1))  # type: ignore[arg-type]
    assert {p.path for p in caught.value.problems} == {"granularity", "tz", "last"}
    with pytest.raises(NaiveDatetimeError):
        Period("x", dt.datetime(2026, 1, 1), dt.datetime(2026, 1, 2))


def test_kpis_round_trip_through_json() -> None:
    for kpi in (*STANDARD_KPIS, *BUSINESS_KPIS):
        assert kpi_from_dict(json.loads(json.dumps(kpi.to_dict()))) == kpi
    custom = RateKpi(
        name="vip_fcr",
        numerator=Outcome.FIRST_CONTACT_RESOLVED,
        population=Population(
            kinds={TicketKind.INCIDENT},
            priorities={1, 2},
            channels={"phone"},
            categories={"network"},
            include_cancelled=False,
        ),
    )
    assert kpi_from_dict(custom.to_dict()) == custom
    assert "priority in {1, 2}" in custom.describe()
    assert "not cancelled" in custom.describe()


def test_bad_kpi_data_reports_every_problem_with_its_path() -> None:
    with pytest.raises(InvalidKpiDefinition) as caught:
        kpi_from_dict(
            {
                "type": "duration",
                "name": "",
                "start": "born",
                "end": "opened",
                "basis": "lunar",
                "statistics": ["mode"],
                "population": {
                    "kinds": ["ufo"],
                    "priorities": [0],
                    "include_cancelled": "y",
                    "colour": [],
                },
                "extra": 1,
            }
        )
    paths = {p.path for p in caught.value.problems}
    assert paths == {
        "kpi.name",
        "kpi.start",
        "kpi.basis",
        "kpi.statistics[0]",
        "kpi.population.kinds[0]",
        "kpi.population.priorities[0]",
        "kpi.population.include_cancelled",
        "kpi.population.colour",
        "kpi.extra",
    }
    with pytest.raises(InvalidKpiDefinition, match="type"):
        kpi_from_dict({"type": "gauge", "name": "x"})
    with pytest.raises(InvalidKpiDefinition, match=r"kpi\.end"):
        kpi_from_dict({"type": "duration", "name": "x", "start": "opened", "end": "opened"})
    with pytest.raises(InvalidKpiDefinition, match="only a denominator"):
        kpi_from_dict({"type": "rate", "name": "x", "numerator": "all"})


def test_definitions_validate_when_built() -> None:
    with pytest.raises(InvalidKpiDefinition):
        DurationKpi(name="", start=Milestone.OPENED, end=Milestone.OPENED, statistics=())
    with pytest.raises(InvalidKpiDefinition, match="denominator"):
        RateKpi(name="x", numerator=Outcome.REOPENED, denominator=Outcome.COMPLAINT)


def test_spec_round_trips_and_reports_every_problem() -> None:
    grid = PeriodGrid(Granularity.WEEK, "UTC", dt.date(2026, 3, 2), dt.date(2026, 3, 15))
    spec = ReportSpec(periods=grid, group_by=(Dimension.GROUP,), reopen_window=dt.timedelta(days=3))
    assert ReportSpec.from_dict(json.loads(json.dumps(spec.to_dict()))) == spec
    assert ReportSpec.from_dict({"periods": grid.to_dict()}) == ReportSpec(periods=grid)
    with pytest.raises(InvalidKpiDefinition) as caught:
        ReportSpec.from_dict(
            {
                "periods": {"granularity": "year", "tz": "UTC", "first": "x", "last": "2026-01-01"},
                "kpis": [{"type": "rate", "name": "r", "numerator": "happiness"}],
                "group_by": ["colour"],
                "reopen_window_seconds": "week",
                "surprise": True,
            }
        )
    paths = {p.path for p in caught.value.problems}
    assert paths == {
        "periods.granularity",
        "periods.first",
        "kpis[0].numerator",
        "group_by[0]",
        "reopen_window_seconds",
        "surprise",
    }
    with pytest.raises(InvalidKpiDefinition) as caught:
        ReportSpec(
            periods=grid,
            kpis=(*STANDARD_KPIS, STANDARD_KPIS[0]),
            group_by=(Dimension.KIND, Dimension.KIND),
            reopen_window=dt.timedelta(0),
            age_buckets=(dt.timedelta(days=2), dt.timedelta(days=1)),
        )
    assert len(caught.value.problems) == 4
    assert spec.age_labels() == ("<= 1 d", "<= 3 d", "<= 7 d", "<= 30 d", "> 30 d")


def test_inputs_validate() -> None:
    at = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
    with pytest.raises(ValidationError) as caught:
        SlaOutcome(ticket_id="", metric="", status="late", at=at)  # type: ignore[arg-type]
    assert len(caught.value.problems) == 3
    with pytest.raises(NaiveDatetimeError):
        SlaOutcome(ticket_id="t", metric="m", status=SlaStatus.MET, at=dt.datetime(2026, 1, 1))
    with pytest.raises(ValidationError) as caught:
        SurveyAnswer(ticket_id="", at=at, csat=6, nps=True)
    assert {p.path for p in caught.value.problems} == {"ticket_id", "csat", "nps"}
    with pytest.raises(ValidationError, match="give a csat"):
        SurveyAnswer(ticket_id="t", at=at)
    with pytest.raises(NaiveDatetimeError):
        SurveyAnswer(ticket_id="t", at=dt.datetime(2026, 1, 1), csat=3)
