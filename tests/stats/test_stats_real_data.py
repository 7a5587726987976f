"""Rates with intervals on the real ServiceNow incident event log sample (read in place)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from itsm_core.stats import difference_of_proportions, proportion


def final_states(path: Path) -> dict[str, dict[str, str]]:
    """The last event (highest sys_mod_count) of every incident."""
    latest: dict[str, dict[str, str]] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            current = latest.get(row["number"])
            if current is None or int(row["sys_mod_count"]) >= int(current["sys_mod_count"]):
                latest[row["number"]] = row
    return latest


def test_sla_and_reopen_rates_with_wilson_intervals(servicenow_csv: Path) -> None:
    incidents = final_states(servicenow_csv)
    closed = [r for r in incidents.values() if r["incident_state"] == "Closed"]
    assert closed, "the sample has closed incidents"
    met = sum(r["made_sla"] == "TRUE" for r in closed)
    reopened = sum(int(r["reopen_count"]) > 0 for r in closed)
    sla = proportion(met, len(closed))
    reopen = proportion(reopened, len(closed))
    assert sla.n == reopen.n == len(closed)
    for rate in (sla, reopen):
        assert rate.interval.contains(rate.estimate)
    sm = pytest.importorskip("statsmodels.stats.proportion")
    low, high = sm.proportion_confint(met, len(closed), method="wilson")
    assert (sla.interval.lower, sla.interval.upper) == pytest.approx((low, high), abs=1e-10)
    # SLA compliance of incidents never reassigned vs reassigned at least once.
    direct = [r for r in closed if r["reassignment_count"] == "0"]
    moved = [r for r in closed if r["reassignment_count"] != "0"]
    assert direct
    assert moved
    counts = (
        sum(r["made_sla"] == "TRUE" for r in direct),
        len(direct),
        sum(r["made_sla"] == "TRUE" for r in moved),
        len(moved),
    )
    diff = difference_of_proportions(*counts)
    low, high = sm.confint_proportions_2indep(*counts, method="newcomb")
    assert (diff.interval.lower, diff.interval.upper) == pytest.approx((low, high), abs=1e-10)
