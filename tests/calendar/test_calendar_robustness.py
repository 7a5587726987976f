"""Calendar data that once escaped as a non-ItsmError (found by tests/fuzz): now refused."""

from __future__ import annotations

from typing import Any

import pytest

from itsm_core.calendar import BusinessCalendar
from itsm_core.errors import InvalidCalendar


def _problems(data: Any) -> dict[str, str]:
    with pytest.raises(InvalidCalendar) as caught:
        BusinessCalendar.from_dict(data)
    return {problem.path: problem.message for problem in caught.value.problems}


def test_an_empty_window_in_a_version_is_a_problem_with_its_path() -> None:
    # Was: AttributeError 'NoneType' object has no attribute 'valid_from' (the version was
    # dropped without a problem, and None reached the constructor).
    data = {
        "name": "c",
        "timezone": "UTC",
        "weekly": {},
        "versions": [{"valid_from": "2026-01-01", "weekly": {"tuesday": [[]]}}],
    }
    assert _problems(data) == {
        "versions[0].weekly.tuesday[0]": 'expected ["HH:MM", "HH:MM"], got []'
    }


@pytest.mark.parametrize("window", [[], ["09:00"], ["09:00", "10:00", "11:00"], "09:00", None, 7])
def test_a_window_that_is_not_a_pair_names_the_value(window: Any) -> None:
    problems = _problems({"timezone": "UTC", "weekly": {"monday": [window]}})
    assert problems == {"weekly.monday[0]": f'expected ["HH:MM", "HH:MM"], got {window!r}'}


def test_every_unreadable_window_is_reported_at_once() -> None:
    data = {
        "timezone": "UTC",
        "weekly": {"monday": [[], ["09:00", "10:00"], [1]]},
        "versions": [{"valid_from": "2026-01-01", "weekly": {"friday": [[]]}}],
        "overrides": {"2025-12-24": {"add": [[]]}},
    }
    assert set(_problems(data)) == {
        "weekly.monday[0]",
        "weekly.monday[2]",
        "versions[0].weekly.friday[0]",
        "overrides.2025-12-24.add[0]",
    }


def test_unreadable_weekly_and_override_windows_are_problems() -> None:
    assert _problems({"timezone": "UTC", "weekly": []}) == {
        "weekly": "expected an object, got list"
    }
    assert _problems({"timezone": "UTC", "weekly": {}, "overrides": {"2025-01-01": [[]]}}) == {
        "overrides.2025-01-01[0]": 'expected ["HH:MM", "HH:MM"], got []'
    }
