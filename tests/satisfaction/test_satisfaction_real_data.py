"""Survey sampling on the real ServiceNow incident event log sample (read in place)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from itsm_core.satisfaction import SamplingRule
from itsm_core.stats import proportion


def incident_numbers(path: Path) -> list[str]:
    """The incident numbers of the sample, sorted."""
    with path.open(newline="", encoding="utf-8") as handle:
        return sorted({row["number"] for row in csv.DictReader(handle)})


def test_survey_sampling_over_real_incident_numbers(servicenow_csv: Path) -> None:
    incidents = incident_numbers(servicenow_csv)
    rule = SamplingRule(rate=0.3, validity=dt.timedelta(days=7))
    chosen = [number for number in incidents if rule.selects(number, "2016-03")]
    assert chosen == [number for number in incidents if rule.selects(number, "2016-03")]
    share = proportion(len(chosen), len(incidents))
    # The sampled share's 99.9 % Wilson interval must cover the rate (hash behaves uniformly).
    wide = proportion(len(chosen), len(incidents), confidence=0.999)
    assert wide.interval.contains(0.3), share
