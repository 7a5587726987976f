"""Shared test configuration: hypothesis profiles and the real-data fixture."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

REPO_ROOT = Path(__file__).resolve().parents[1]
# ../shared/data beside the clone; ITSM_SHARED_DATA points elsewhere (a git worktree, say).
SHARED_DATA = Path(os.environ.get("ITSM_SHARED_DATA") or REPO_ROOT.parent / "shared" / "data")
SERVICENOW_CSV = SHARED_DATA / "servicenow_incident_events_sample.csv"

# Three profiles; HYPOTHESIS_PROFILE names one, else CI=true picks `ci` and anything else `dev`.
#
# * `dev` keeps the edit-test loop quick and draws new examples on every run, so local runs keep
#   exploring;
# * `ci` searches harder, never times out on a busy machine, and is derandomized so that a CI
#   verdict is reproducible (a counterexample found locally becomes a regression test);
# * `fuzz` (`make fuzz`) is the long random search: fresh seeds every run, twenty times `ci`'s
#   examples, for the property and fuzz tests (the `property` marker).
#
# All print the reproduction blob of a failure.
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
settings.register_profile(
    "fuzz",
    max_examples=2000,
    deadline=None,
    print_blob=True,
    derandomize=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def _profile() -> str:
    chosen = os.environ.get("HYPOTHESIS_PROFILE", "").strip()
    if chosen:
        return chosen
    return "ci" if os.environ.get("CI", "").lower() in {"1", "true", "yes"} else "dev"


settings.load_profile(_profile())


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "property: a hypothesis test (property, stateful or fuzz); set automatically"
    )


def _is_hypothesis_test(item: pytest.Item) -> bool:
    function = getattr(item, "function", None)
    if getattr(function, "is_hypothesis_test", False):
        return True
    cls = getattr(item, "cls", None)  # a stateful machine's TestCase
    return cls is not None and any(base.__module__ == "hypothesis.stateful" for base in cls.__mro__)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every hypothesis test `property`, so `make fuzz` selects them all (`-m property`)."""
    for item in items:
        if _is_hypothesis_test(item):
            item.add_marker(pytest.mark.property)


@pytest.fixture(scope="session")
def servicenow_csv() -> Path:
    """The real ServiceNow incident event log sample, read in place from ../shared/data."""
    if not SERVICENOW_CSV.is_file():
        pytest.skip(f"real data sample absent: {SERVICENOW_CSV} (see DESIGN.md, 'Real data')")
    return SERVICENOW_CSV
