"""Country holidays from the `holidays` extra, and the documented China recipe."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from itsm_core.calendar import BusinessCalendar, Weekday, WeeklyPattern, Window, from_holidays
from itsm_core.errors import CalendarCoverageError, InvalidCalendar

holidays = pytest.importorskip("holidays")

HOWTO = Path(__file__).resolve().parents[2] / "docs" / "calendar" / "howto.md"
OFFICE = WeeklyPattern.uniform(
    [Window.of("09:00", "12:00"), Window.of("13:00", "18:00")], *list(Weekday)[:5]
)


def _working_days(calendar: BusinessCalendar, year: int) -> set[dt.date]:
    day, days = dt.date(year, 1, 1), set()
    while day.year == year:
        if calendar.windows_on(day):
            days.add(day)
        day += dt.timedelta(days=1)
    return days


def _package_working_days(year: int) -> set[dt.date]:
    table = holidays.country_holidays("CN", years=year)
    day, days = dt.date(year, 1, 1), set()
    while day.year == year:
        if table.is_working_day(day):
            days.add(day)
        day += dt.timedelta(days=1)
    return days


def test_china_from_holidays_has_make_up_days() -> None:
    calendar = from_holidays("CN", [2025, 2026], timezone="Asia/Shanghai", weekly=OFFICE)
    assert calendar.coverage == (dt.date(2025, 1, 1), dt.date(2026, 12, 31))
    assert calendar.overrides[dt.date(2025, 9, 28)].like == Weekday.MONDAY
    for year in (2025, 2026):
        assert _working_days(calendar, year) == _package_working_days(year)
    # Via the static method too.
    same = BusinessCalendar.from_holidays(
        "CN", range(2025, 2027), timezone="Asia/Shanghai", weekly=OFFICE
    )
    assert same == calendar


def test_china_refuses_years_without_official_data() -> None:
    with pytest.raises(CalendarCoverageError) as caught:
        from_holidays("CN", [2026, 2027], timezone="Asia/Shanghai", weekly=OFFICE)
    assert caught.value.requested == dt.date(2027, 1, 1)
    assert caught.value.covered[1] == dt.date(2026, 12, 31)


def test_other_countries_and_bad_requests() -> None:
    us = from_holidays("US", [2025], timezone="America/New_York", weekly=OFFICE, subdiv="NY")
    assert dt.date(2025, 7, 4) in {h.start for h in us.holidays}
    with pytest.raises(InvalidCalendar):
        from_holidays("CN", [2024, 2026], timezone="Asia/Shanghai", weekly=OFFICE)
    with pytest.raises(InvalidCalendar):
        from_holidays("XX", [2025], timezone="UTC", weekly=OFFICE)


def _recipe() -> dict[str, Any]:
    text = HOWTO.read_text(encoding="utf-8")
    match = re.search(r"```python\n(CHINA_2025_2026 = .*?)```", text, re.DOTALL)
    assert match, "the China recipe block is missing from docs/calendar/howto.md"
    namespace: dict[str, Any] = {}
    exec(match.group(1), namespace)
    recipe: dict[str, Any] = namespace["CHINA_2025_2026"]
    return recipe


def test_documented_china_recipe_agrees_with_the_holidays_package() -> None:
    calendar = BusinessCalendar.from_dict(
        {"timezone": "Asia/Shanghai", "weekly": OFFICE.to_data(), **_recipe()}
    )
    for year in (2025, 2026):
        assert _working_days(calendar, year) == _package_working_days(year)
