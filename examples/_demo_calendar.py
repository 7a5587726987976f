"""Business calendars for `make demo`: deadlines across lunch, holidays, make-up days, DST."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from itsm_core.calendar import BusinessCalendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")


def _office() -> BusinessCalendar:
    return BusinessCalendar.from_dict(
        {
            "name": "Shanghai service desk",
            "timezone": "Asia/Shanghai",
            "weekly": {day: [["09:00", "12:00"], ["13:00", "18:00"]] for day in WEEKDAYS},
            "holidays": [{"start": "2025-10-01", "end": "2025-10-08", "name": "National Day"}],
            "overrides": {
                "2025-09-28": {"like": "monday", "name": "make-up working day"},
                "2025-10-11": {"like": "monday", "name": "make-up working day"},
            },
            "coverage": {"start": "2025-01-01", "end": "2025-12-31"},
        }
    )


def _night_desk() -> BusinessCalendar:
    return BusinessCalendar.from_dict(
        {
            "name": "New York night desk",
            "timezone": "America/New_York",
            "weekly": {day: [["22:00", "30:00"]] for day in (*WEEKDAYS, "saturday", "sunday")},
        }
    )


def _table(title: str, rows: list[tuple[str, str, str]]) -> None:
    header = ("opened (local)", "budget", "due (local)")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(3)]
    print(title)
    for row in [header, tuple("-" * w for w in widths), *rows]:
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        print(("  " + "  ".join(cells)).rstrip())
    print()


def show() -> None:
    """Print deadlines computed by two calendars."""
    office = _office()
    print("Business calendars: deadlines in working time")
    print()
    cases = [
        (dt.datetime(2025, 3, 3, 11, 0, tzinfo=SHANGHAI), 2),  # across lunch
        (dt.datetime(2025, 3, 7, 17, 0, tzinfo=SHANGHAI), 2),  # across the weekend
        (dt.datetime(2025, 3, 7, 10, 0, tzinfo=SHANGHAI), 7),  # ends at closing time: stays
        (dt.datetime(2025, 9, 26, 17, 0, tzinfo=SHANGHAI), 2),  # Sunday 28 Sep is a make-up day
        (dt.datetime(2025, 9, 30, 16, 0, tzinfo=SHANGHAI), 4),  # across National Day
    ]
    rows = []
    for opened, hours in cases:
        due = office.add(opened, dt.timedelta(hours=hours))
        rows.append(
            (opened.strftime("%a %Y-%m-%d %H:%M"), f"{hours} h", due.strftime("%a %Y-%m-%d %H:%M"))
        )
    _table(f"{office.name} (09-12, 13-18, Mon-Fri; 调休 make-up days)", rows)

    night = _night_desk()
    rows = []
    for opened in (
        dt.datetime(2025, 3, 8, 22, 0, tzinfo=NEW_YORK),
        dt.datetime(2025, 11, 1, 22, 0, tzinfo=NEW_YORK),
    ):
        due = night.add(opened, dt.timedelta(hours=8))
        rows.append(
            (opened.strftime("%a %Y-%m-%d %H:%M %Z"), "8 h", due.strftime("%a %Y-%m-%d %H:%M %Z"))
        )
    _table(f"{night.name} (22:00-06:00 daily; clocks change inside the shift)", rows)
    spring = dt.datetime(2025, 3, 8, 12, tzinfo=NEW_YORK)
    autumn = dt.datetime(2025, 11, 1, 12, tzinfo=NEW_YORK)
    day = dt.timedelta(days=1)
    print(
        f"  shift of Sat 8 Mar 2025: {night.elapsed(spring, spring + day)} of physical working time"
    )
    print(
        f"  shift of Sat 1 Nov 2025: {night.elapsed(autumn, autumn + day)} of physical working time"
    )
    print()


if __name__ == "__main__":
    show()
