"""Shared test configuration: hypothesis profiles and the real-data fixture."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"
SERVICENOW_CSV = SHARED_DATA / "servicenow_incident_events_sample.csv"

# `dev` keeps the edit-test loop quick and draws new examples on every run, so local runs keep
# exploring; `ci` (CI=true) searches harder, never times out on a busy machine, and is
# derandomized so that a CI verdict is reproducible (a counterexample found locally becomes a
# regression test). Both print the reproduction blob of a failure.
settings.register_profile(
    "dev",
    max_examples=60,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "ci",
    # Hypothesis's own default. Derandomized, CI draws the same examples on every run, so more
    # of them buy little; the long search with fresh seeds and many examples is `make fuzz`.
    max_examples=100,
    deadline=None,
    print_blob=True,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("ci" if os.environ.get("CI", "").lower() in {"1", "true", "yes"} else "dev")


@pytest.fixture(scope="session")
def servicenow_csv() -> Path:
    """The real ServiceNow incident event log sample, read in place from ../shared/data."""
    if not SERVICENOW_CSV.is_file():
        pytest.skip(f"real data sample absent: {SERVICENOW_CSV} (see DESIGN.md, 'Real data')")
    return SERVICENOW_CSV
