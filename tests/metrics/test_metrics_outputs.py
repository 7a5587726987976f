"""Renderers, period comparison, scorecards and the examples, on the demo's simulated week."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import math
import statistics
from pathlib import Path
from types import ModuleType

import pytest

from itsm_core.errors import InvalidKpiDefinition, ValidationError
from itsm_core.metrics import (
    EXAMPLE_SCORECARD,
    Dimension,
    DurationKpi,
    Granularity,
    KpiAccumulator,
    KpiReport,
    Milestone,
    PeriodGrid,
    ReportSpec,
    Scorecard,
    ScoreDimension,
    ScoreItem,
    Statistic,
    compare_periods,
    render_csv,
    render_markdown,
)
from itsm_core.metrics._render import CSV_COLUMNS
from itsm_core.stats import difference_of_proportions

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


DEMO = load("_demo_metrics")


@pytest.fixture(scope="module")
def week() -> KpiReport:
    report = DEMO.week_report()
    assert isinstance(report, KpiReport)
    return report


@pytest.fixture(scope="module")
def teams() -> KpiReport:
    report = DEMO.week_report(group_by=(Dimension.GROUP,))
    assert isinstance(report, KpiReport)
    return report


def test_markdown_shows_every_section_and_figure(week: KpiReport) -> None:
    text = render_markdown(week)
    for heading in (
        "Tickets opened",
        "Durations",
        "Rates",
        "Backlog",
        "flow",
        "SLA",
        "Satisfaction",
        "Stream",
        "Definitions",
    ):
        assert heading in text
    ttr = week.duration("time_to_resolve")
    assert ttr.mean is not None
    assert f"{ttr.mean / dt.timedelta(hours=1):.2f}" in text
    assert all(line.startswith("|") or not line.startswith("|-") for line in text.splitlines())


def test_csv_reads_back_to_the_report_figures(week: KpiReport) -> None:
    rows = list(csv.DictReader(io.StringIO(render_csv(week))))
    assert tuple(rows[0]) == CSV_COLUMNS
    by_key = {(r["section"], r["period"], r["kpi"], r["statistic"]): r for r in rows}
    rate = week.rate("reopen_rate")
    row = by_key[("rate", "all", "reopen_rate", "rate")]
    assert rate.estimate is not None
    assert float(row["value"]) == pytest.approx(rate.estimate.estimate, abs=1e-6)
    assert (int(row["n"]), int(row["open"])) == (rate.n, rate.censored)
    assert float(row["lower"]) == pytest.approx(rate.estimate.interval.lower, abs=1e-6)
    ttr = week.duration("time_to_resolve")
    row = by_key[("duration", "all", "time_to_resolve", "median")]
    assert ttr.median is not None
    assert float(row["value"]) == pytest.approx(ttr.median / dt.timedelta(hours=1), abs=0.005)
    assert sum(1 for r in rows if r["section"] == "backlog") == len(week.backlog)
    assert sum(1 for r in rows if r["section"] == "sla") == len(week.sla)


def test_compare_rates_uses_newcombe_and_the_z_test(week: KpiReport) -> None:
    first, second = "2026-11-16", "2026-11-17"
    comparisons = {c.kpi: c for c in compare_periods(week, first, second)}
    rate = comparisons["resolution_rate"]
    a, b = week.rate("resolution_rate", first), week.rate("resolution_rate", second)
    expected = difference_of_proportions(b.successes, b.n, a.successes, a.n)
    assert rate.difference == expected
    assert rate.delta == pytest.approx(b.successes / b.n - a.successes / a.n)
    assert rate.significant is (expected.p_value is not None and expected.p_value < 0.05)


def test_compare_duration_means_with_welch_on_raw_values() -> None:
    grid = PeriodGrid(Granularity.DAY, "UTC", dt.date(2026, 3, 2), dt.date(2026, 3, 3))
    import itsm_core.tickets as t

    spec = ReportSpec(
        periods=grid,
        kpis=(DurationKpi(name="tta", start=Milestone.OPENED, end=Milestone.ACKNOWLEDGED),),
    )
    acc = KpiAccumulator(spec)
    minutes = {0: [10, 20, 30, 45], 1: [50, 70, 65, 90, 80]}
    for day, values in minutes.items():
        for k, value in enumerate(values):
            opened = dt.datetime(2026, 3, 2 + day, 9, tzinfo=dt.UTC)
            ctx = t.CommandContext(actor="a", role="agent", now=opened)
            ticket, events = t.decide(
                None,
                t.OpenTicket(ticket_id=f"{day}-{k}", kind=t.TicketKind.INCIDENT, requester="c"),
                ctx,
            )
            ctx = t.CommandContext(
                actor="a", role="agent", now=opened + dt.timedelta(minutes=value)
            )
            _, more = t.decide(ticket, t.Acknowledge(), ctx)
            acc.add_all([*events, *more])
    (comparison,) = compare_periods(acc.report(), "2026-03-02", "2026-03-03")
    a, b = [v / 60 for v in minutes[0]], [v / 60 for v in minutes[1]]
    se = math.sqrt(statistics.variance(a) / 4 + statistics.variance(b) / 5)
    assert comparison.difference is not None
    assert comparison.delta == pytest.approx(statistics.fmean(b) - statistics.fmean(a))
    assert comparison.difference.standard_error == pytest.approx(se)
    assert comparison.delta is not None
    assert comparison.difference.statistic == pytest.approx(comparison.delta / se)
    assert comparison.unit == "h"
    assert comparison.significant is True  # z is about 4.1


def test_compare_refuses_unknown_periods(week: KpiReport) -> None:
    with pytest.raises(ValidationError) as caught:
        compare_periods(week, "1999", "2000", alpha=2.0)
    assert len(caught.value.problems) == 3


def test_scorecard_weighs_items_and_dimensions(teams: KpiReport) -> None:
    cards = {c.group: c for c in EXAMPLE_SCORECARD.score(teams)}
    network = cards[("network",)]
    dims = {d.name: d for d in network.dimensions}
    fcr = teams.rate("first_contact_resolution", group=("network",))
    assert fcr.estimate is not None
    ability = dims["ability"].items[0]  # first-contact resolution counts as ability
    assert ability.item.kpi == "first_contact_resolution"
    assert ability.value == fcr.estimate.percent
    assert ability.score == min(100.0, 100 * fcr.estimate.percent / 70)
    quality = [item.item.kpi for item in dims["work_quality"].items]
    assert quality == ["csat", "time_to_first_response"]  # satisfaction and response speed
    output = [item.item.kpi for item in dims["output"].items]
    assert output == ["complaint_rate", "resolution_rate"]  # complaint rate and service count
    scored = [d for d in network.dimensions if d.score is not None]
    total = sum(d.weight * (d.score or 0) for d in scored) / sum(d.weight for d in scored)
    assert network.total == pytest.approx(total)
    assert () in cards  # the team figures together


def test_scorecard_lists_items_without_data() -> None:
    card = Scorecard(
        dimensions=[
            ScoreDimension(
                name="x",
                weight=1,
                items=[
                    ScoreItem(kpi="missing", target=1),
                    ScoreItem(kpi="tickets", target=4),
                    ScoreItem(
                        kpi="time_to_close",
                        target=1,
                        higher_is_better=False,
                        statistic=Statistic.P90,
                    ),
                ],
            )
        ]
    )
    (result,) = card.score(DEMO.week_report())
    assert result.missing == ("missing",)
    assert result.dimensions[0].items[1].score == 100.0


def test_scorecards_are_data() -> None:
    assert Scorecard.from_dict(EXAMPLE_SCORECARD.to_dict()) == EXAMPLE_SCORECARD
    with pytest.raises(InvalidKpiDefinition) as caught:
        Scorecard.from_dict(
            {
                "dimensions": [
                    {
                        "name": "q",
                        "weight": -1,
                        "items": [
                            {"kpi": "", "target": 0, "statistic": "mode"},
                            {"kpi": "x", "target": 1, "colour": 1},
                        ],
                    },
                    {"name": "q", "weight": 1, "items": []},
                ]
            }
        )
    paths = {p.path for p in caught.value.problems}
    assert {
        "dimensions[0].items[0].statistic",
        "dimensions[0].items[1].colour",
        "dimensions[0].weight",
        "dimensions[1].name",
        "dimensions[1].items",
    } <= paths
    with pytest.raises(InvalidKpiDefinition):
        Scorecard(dimensions=[])


def test_demo_prints_a_deterministic_section(capsys: pytest.CaptureFixture[str]) -> None:
    DEMO.show()
    first = capsys.readouterr().out
    DEMO.show()
    assert capsys.readouterr().out == first
    assert "simulated week of 24 tickets" in first
    assert "BROKEN" not in first


def test_sharded_example_agrees_with_one_pass() -> None:
    # A subprocess, as a user runs it: the pool's workers import the example by name.
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "sharded_kpis.py"), "120", "2"],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    assert "merged report == one-pass report" in done.stdout
