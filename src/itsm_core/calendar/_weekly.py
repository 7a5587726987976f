"""The weekly pattern: working windows per weekday, and date-bounded versions of it."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping

import attrs

from itsm_core.errors import InvalidCalendar, Problem

from ._instants import US_PER_DAY
from ._window import Window, overlap_problems


class Weekday(enum.IntEnum):
    """Days of the week, numbered like :meth:`datetime.date.weekday`."""

    MONDAY = 0
    TUESDAY = 1
    WEDNESDAY = 2
    THURSDAY = 3
    FRIDAY = 4
    SATURDAY = 5
    SUNDAY = 6

    @property
    def key(self) -> str:
        """The lower-case name used in plain data (``"monday"``)."""
        return self.name.lower()


DAY_KEYS = tuple(day.key for day in Weekday)


def _windows(value: Iterable[Window]) -> tuple[Window, ...]:
    return tuple(value)


def weekly_problems(days: tuple[tuple[Window, ...], ...]) -> list[Problem]:
    """Overlaps within a day, and between a window crossing midnight and the next day's."""
    problems: list[Problem] = []
    for index, windows in enumerate(days):
        problems.extend(overlap_problems(windows, DAY_KEYS[index]))
    for index, windows in enumerate(days):
        following = (index + 1) % 7
        for i, window in enumerate(windows):
            tail_end = window.end_us - US_PER_DAY
            if tail_end <= 0:
                continue
            for j, other in enumerate(days[following]):
                if other.start_us < tail_end:
                    problems.append(
                        Problem(
                            f"{DAY_KEYS[index]}[{i}]",
                            f"{window} runs into {DAY_KEYS[following]}[{j}] {other}",
                        )
                    )
    return problems


@attrs.frozen
class WeeklyPattern:
    """Working windows for each weekday (any number per day; none is a day off).

    >>> office = WeeklyPattern.uniform(
    ...     [Window.of("09:00", "12:00"), Window.of("13:00", "18:00")], Weekday.MONDAY,
    ...     Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY)
    >>> [str(w) for w in office.day(Weekday.FRIDAY)], office.day(Weekday.SATURDAY)
    (['09:00-12:00', '13:00-18:00'], ())
    """

    monday: tuple[Window, ...] = attrs.field(default=(), converter=_windows)
    tuesday: tuple[Window, ...] = attrs.field(default=(), converter=_windows)
    wednesday: tuple[Window, ...] = attrs.field(default=(), converter=_windows)
    thursday: tuple[Window, ...] = attrs.field(default=(), converter=_windows)
    friday: tuple[Window, ...] = attrs.field(default=(), converter=_windows)
    saturday: tuple[Window, ...] = attrs.field(default=(), converter=_windows)
    sunday: tuple[Window, ...] = attrs.field(default=(), converter=_windows)

    def __attrs_post_init__(self) -> None:
        problems = weekly_problems(self.days)
        if problems:
            raise InvalidCalendar("weekly pattern", problems)

    @classmethod
    def uniform(cls, windows: Iterable[Window], *weekdays: Weekday) -> WeeklyPattern:
        """The same windows on each of ``weekdays`` (every day when none is given)."""
        chosen = set(weekdays) if weekdays else set(Weekday)
        shared = tuple(windows)
        return cls(**{day.key: shared if day in chosen else () for day in Weekday})

    @classmethod
    def from_days(cls, days: Mapping[Weekday, Iterable[Window]]) -> WeeklyPattern:
        """A pattern from a mapping of weekday to windows (missing days are off)."""
        return cls(**{day.key: tuple(windows) for day, windows in days.items()})

    @property
    def days(self) -> tuple[tuple[Window, ...], ...]:
        """The windows of Monday to Sunday, in that order."""
        return (
            self.monday,
            self.tuesday,
            self.wednesday,
            self.thursday,
            self.friday,
            self.saturday,
            self.sunday,
        )

    def day(self, weekday: Weekday | int) -> tuple[Window, ...]:
        """The windows of one weekday."""
        return self.days[weekday]

    def to_data(self) -> dict[str, list[list[str]]]:
        """Plain data: ``{"monday": [["09:00", "12:00"], ...], ...}`` with all seven days."""
        return {
            key: [w.to_data() for w in windows]
            for key, windows in zip(DAY_KEYS, self.days, strict=True)
        }


@attrs.frozen
class PatternVersion:
    """A weekly pattern in force from ``valid_from`` (a local date) until the next version."""

    valid_from: dt.date
    weekly: WeeklyPattern

    def to_data(self) -> dict[str, object]:
        """Plain data: ``{"valid_from": "YYYY-MM-DD", "weekly": {...}}``."""
        return {"valid_from": self.valid_from.isoformat(), "weekly": self.weekly.to_data()}
