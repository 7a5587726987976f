"""Reading calendars from plain data, reporting every problem with its path.

The shape (all keys but ``timezone`` and ``weekly`` optional)::

    {"name": "office", "timezone": "Asia/Shanghai",
     "weekly": {"monday": [["09:00", "12:00"], ["13:00", "18:00"]], ...},
     "versions": [{"valid_from": "2026-01-01", "weekly": {...}}],
     "holidays": ["2025-01-01", {"start": "2025-10-01", "end": "2025-10-08", "name": "..."}],
     "holiday_rules": [{"rrule": "DTSTART:20000101\\nRRULE:FREQ=YEARLY;...", "name": "..."}],
     "overrides": {"2025-09-28": {"like": "monday"}, "2025-12-24": {"remove": [["12:00", "24:00"]]},
                   "2025-12-31": [["09:00", "12:00"]]},
     "closures": [{"start": "2025-03-01T22:00:00+00:00", "end": "...", "name": "..."}],
     "coverage": {"start": "2025-01-01", "end": "2026-12-31"}, "extrapolate": false}

and for combinations ``{"union": [calendar, ...], "name": ...}`` (or ``intersection``,
``difference``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from itsm_core._plain import join, key_text, shown
from itsm_core.errors import InvalidCalendar, Problem

from ._business import BusinessCalendar, calendar_problems
from ._combined import OPERATIONS, CombinedCalendar
from ._special_days import (
    Closure,
    DayOverride,
    Holiday,
    HolidayRule,
    closure_problems,
    override_problems,
    parse_rrule,
)
from ._weekly import DAY_KEYS, PatternVersion, Weekday, WeeklyPattern, weekly_problems
from ._window import Window, overlap_problems, parse_clock, window_problem

_CALENDAR_KEYS = {
    "name",
    "timezone",
    "weekly",
    "versions",
    "holidays",
    "holiday_rules",
    "overrides",
    "closures",
    "coverage",
    "extrapolate",
}


class _Reader:
    """Collects problems while reading; every method returns None for what it could not read."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def extend(self, path: str, problems: list[Problem]) -> None:
        for problem in problems:
            self.add(join(path, problem.path) if problem.path else path, problem.message)

    def mapping(
        self, value: object, path: str, allowed: set[str], required: tuple[str, ...] = ()
    ) -> Mapping[str, Any] | None:
        if not isinstance(value, Mapping):
            self.add(path, f"expected an object, got {type(value).__name__}")
            return None
        for key in value:
            if key not in allowed:
                self.add(
                    join(path, key_text(key)),
                    f"unknown key (expected: {', '.join(sorted(allowed))})",
                )
        for key in required:
            if key not in value:
                self.add(join(path, key), "is required")
        return value

    def sequence(self, value: object, path: str) -> list[Any]:
        if not isinstance(value, list | tuple):
            self.add(path, f"expected a list, got {type(value).__name__}")
            return []
        return list(value)

    def text(self, value: object, path: str) -> str | None:
        if not isinstance(value, str):
            self.add(path, f"expected a string, got {shown(value)}")
            return None
        return value

    def date(self, value: object, path: str) -> dt.date | None:
        try:
            if isinstance(value, str) and len(value) == 10:
                return dt.date.fromisoformat(value)
        except ValueError:
            pass
        self.add(path, f'expected a date "YYYY-MM-DD", got {shown(value)}')
        return None

    def instant(self, value: object, path: str) -> dt.datetime | None:
        try:
            parsed = dt.datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            parsed = None
        if parsed is None:
            self.add(path, f"expected an ISO 8601 datetime with offset, got {shown(value)}")
            return None
        if parsed.utcoffset() is None:
            self.add(path, f"naive datetime {value} (a UTC offset is required)")
            return None
        return parsed

    def window(self, value: object, path: str) -> Window | None:
        if not isinstance(value, list | tuple) or len(value) != 2:
            self.add(path, f'expected ["HH:MM", "HH:MM"], got {shown(value)}')
            return None
        bounds = []
        for i, item in enumerate(value):
            try:
                bounds.append(parse_clock(item))
            except ValueError as error:
                self.add(join(path, i), str(error))
        if len(bounds) != 2:
            return None
        problem = window_problem(bounds[0], bounds[1])
        if problem is not None:
            self.add(path, problem)
            return None
        return Window.from_us(bounds[0], bounds[1])

    def windows(self, value: object, path: str) -> tuple[Window, ...] | None:
        items = self.sequence(value, path)
        windows = [self.window(item, join(path, i)) for i, item in enumerate(items)]
        if any(w is None for w in windows):
            return None
        return tuple(w for w in windows if w is not None)

    def weekly(self, value: object, path: str) -> WeeklyPattern | None:
        data = self.mapping(value, path, set(DAY_KEYS))
        if data is None:
            return None
        days = [self.windows(data.get(key, []), join(path, key)) for key in DAY_KEYS]
        # Check what could be read (an unreadable day counts as empty) to report every problem.
        checked = tuple(() if day is None else day for day in days)
        problems = weekly_problems(checked)
        self.extend(path, problems)
        if problems or any(day is None for day in days):
            return None
        return WeeklyPattern(*checked)

    def version(self, value: object, path: str) -> PatternVersion | None:
        data = self.mapping(value, path, {"valid_from", "weekly"}, ("valid_from", "weekly"))
        if data is None or "valid_from" not in data or "weekly" not in data:
            return None
        valid_from = self.date(data["valid_from"], join(path, "valid_from"))
        weekly = self.weekly(data["weekly"], join(path, "weekly"))
        if valid_from is None or weekly is None:
            return None
        return PatternVersion(valid_from, weekly)

    def holiday(self, value: object, path: str) -> Holiday | None:
        if isinstance(value, str):
            day = self.date(value, path)
            return None if day is None else Holiday(day)
        data = self.mapping(value, path, {"start", "end", "name"}, ("start",))
        if data is None or "start" not in data:
            return None
        start = self.date(data["start"], join(path, "start"))
        end = self.date(data.get("end", data["start"]), join(path, "end"))
        name = self.text(data.get("name", ""), join(path, "name"))
        if start is None or end is None or name is None:
            return None
        if end < start:
            self.add(join(path, "end"), f"{end} is before start {start}")
            return None
        return Holiday(start, end, name)

    def rule(self, value: object, path: str) -> HolidayRule | None:
        data = self.mapping(value, path, {"rrule", "name"}, ("rrule",))
        if data is None or "rrule" not in data:
            return None
        text = self.text(data["rrule"], join(path, "rrule"))
        name = self.text(data.get("name", ""), join(path, "name"))
        if text is None or name is None:
            return None
        try:
            parse_rrule(text)
        except (ValueError, TypeError) as error:
            self.add(join(path, "rrule"), str(error))
            return None
        return HolidayRule(text, name)

    def override(self, value: object, path: str) -> DayOverride | None:
        if isinstance(value, list | tuple):
            windows = self.windows(value, path)
            if windows is None:
                return None
            problems = overlap_problems(windows, "")
            for problem in problems:
                self.add(path + problem.path, problem.message)
            return None if problems else DayOverride(windows=windows)
        allowed = {"windows", "like", "add", "remove", "name"}
        data = self.mapping(value, path, allowed)
        if data is None:
            return None
        fields: dict[str, Any] = {}
        ok = True
        for key in ("windows", "add", "remove"):
            if key in data:
                fields[key] = self.windows(data[key], join(path, key))
                ok = ok and fields[key] is not None
        if "like" in data:
            like = data["like"]
            if like in DAY_KEYS:
                fields["like"] = Weekday[like.upper()]
            else:
                self.add(join(path, "like"), f"expected a weekday name, got {shown(like)}")
                ok = False
        name = self.text(data.get("name", ""), join(path, "name"))
        if not ok or name is None:
            return None
        problems = override_problems(
            fields.get("windows"),
            fields.get("like"),
            fields.get("add", ()),
            fields.get("remove", ()),
        )
        self.extend(path, problems)
        return None if problems else DayOverride(**fields, name=name)

    def closure(self, value: object, path: str) -> Closure | None:
        data = self.mapping(value, path, {"start", "end", "name"}, ("start", "end"))
        if data is None or "start" not in data or "end" not in data:
            return None
        start = self.instant(data["start"], join(path, "start"))
        end = self.instant(data["end"], join(path, "end"))
        name = self.text(data.get("name", ""), join(path, "name"))
        if start is None or end is None or name is None:
            return None
        problems = closure_problems(start, end)
        self.extend(path, problems)
        return None if problems else Closure(start, end, name)

    def coverage(self, value: object, path: str) -> tuple[dt.date, dt.date] | None:
        data = self.mapping(value, path, {"start", "end"}, ("start", "end"))
        if data is None or "start" not in data or "end" not in data:
            return None
        start = self.date(data["start"], join(path, "start"))
        end = self.date(data["end"], join(path, "end"))
        return None if start is None or end is None else (start, end)

    def business(self, value: object, path: str) -> BusinessCalendar | None:
        data = self.mapping(value, path, _CALENDAR_KEYS, ("timezone", "weekly"))
        if data is None:
            return None
        before = len(self.problems)
        name = self.text(data.get("name", ""), join(path, "name"))
        timezone = data.get("timezone")
        weekly = self.weekly(data["weekly"], join(path, "weekly")) if "weekly" in data else None

        def listed(key: str, read: Any) -> list[Any]:
            items = self.sequence(data.get(key, []), join(path, key))
            return [read(item, join(join(path, key), i)) for i, item in enumerate(items)]

        versions = listed("versions", self.version)
        holidays = listed("holidays", self.holiday)
        rules = listed("holiday_rules", self.rule)
        closures = listed("closures", self.closure)
        overrides: dict[dt.date, DayOverride] = {}
        raw_overrides = data.get("overrides", {})
        if isinstance(raw_overrides, Mapping):
            for key, item in raw_overrides.items():
                where = join(join(path, "overrides"), key_text(key))
                day = self.date(key, where)
                override = self.override(item, where)
                if day is not None and override is not None:
                    overrides[day] = override
        else:
            self.add(join(path, "overrides"), "expected an object keyed by dates")
        coverage = None
        if data.get("coverage") is not None:
            coverage = self.coverage(data["coverage"], join(path, "coverage"))
        extrapolate = data.get("extrapolate", False)
        if not isinstance(extrapolate, bool):
            self.add(join(path, "extrapolate"), f"expected true or false, got {shown(extrapolate)}")
        self.extend(
            path,
            calendar_problems(
                timezone,
                tuple(v for v in versions if v is not None),
                tuple(h for h in holidays if h is not None),
                overrides,
                coverage,
            ),
        )
        # Every reader reports a problem when it returns None; checking the items too keeps an
        # unread item from ever reaching the constructor.
        unread = any(item is None for item in (*versions, *holidays, *rules, *closures))
        if len(self.problems) > before or weekly is None or name is None or unread:
            return None
        return BusinessCalendar(
            name=name,
            timezone=str(timezone),
            weekly=weekly,
            versions=versions,
            holidays=holidays,
            holiday_rules=rules,
            overrides=overrides,
            closures=closures,
            coverage=coverage,
            extrapolate=extrapolate,
        )

    def calendar(self, value: object, path: str) -> BusinessCalendar | CombinedCalendar | None:
        if isinstance(value, Mapping) and any(op in value for op in OPERATIONS):
            operations = [op for op in OPERATIONS if op in value]
            data = self.mapping(value, path, {*OPERATIONS, "name"})
            if data is None or len(operations) != 1:
                self.add(path, f"give exactly one of {', '.join(OPERATIONS)}")
                return None
            operation = operations[0]
            items = self.sequence(data[operation], join(path, operation))
            parts = [
                self.calendar(item, join(join(path, operation), i)) for i, item in enumerate(items)
            ]
            name = self.text(data.get("name", ""), join(path, "name"))
            if len(parts) < 2:
                self.add(join(path, operation), "combine at least two calendars")
                return None
            read = [part for part in parts if part is not None]
            if len(read) < len(parts) or name is None:
                return None
            return CombinedCalendar(operation, read, name=name)
        return self.business(value, path)


def _subject(data: object) -> str:
    name = data.get("name") if isinstance(data, Mapping) else None
    return repr(name) if isinstance(name, str) and name else "'calendar'"


def business_from_dict(data: object) -> BusinessCalendar:
    """Read a business calendar, raising ``InvalidCalendar`` with every problem found."""
    reader = _Reader()
    calendar = reader.business(data, "")
    if calendar is None:
        raise InvalidCalendar(_subject(data), reader.problems or [Problem("", "unreadable")])
    return calendar


def calendar_from_dict(data: object) -> BusinessCalendar | CombinedCalendar:
    """Read a business or combined calendar, raising ``InvalidCalendar`` with every problem."""
    reader = _Reader()
    calendar = reader.calendar(data, "")
    if calendar is None:
        raise InvalidCalendar(_subject(data), reader.problems or [Problem("", "unreadable")])
    return calendar
