"""A working window of a day: local wall-clock offsets from that day's midnight.

Offsets, not times of day, so that a window may cross midnight: ``22:00-30:00`` is a night shift
that starts at 22:00 and ends at 06:00 the next morning, and belongs to the day it starts on.
In plain data an offset is written ``"HH:MM"`` (or ``"HH:MM:SS"``, ``"HH:MM:SS.ffffff"``), with
hours up to 48.
"""

from __future__ import annotations

import datetime as dt
import re

import attrs

from itsm_core._plain import shown
from itsm_core.errors import InvalidCalendar, Problem

from ._instants import US_PER_DAY, US_PER_SECOND

_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?")
_US_PER_HOUR = 3600 * US_PER_SECOND


def parse_clock(text: object) -> int:
    """Microseconds after midnight of an ``"HH:MM[:SS[.ffffff]]"`` offset (hours up to 48).

    >>> parse_clock("09:30") == 9.5 * 3600 * 10**6
    True

    Raises:
        ValueError: the text is not such an offset (callers turn this into a Problem).
    """
    match = _CLOCK.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f'expected "HH:MM" (hours 00-48), got {shown(text)}')
    hours, minutes = int(match[1]), int(match[2])
    seconds = int(match[3] or 0)
    micros = int((match[4] or "0").ljust(6, "0"))
    if minutes > 59 or seconds > 59:
        raise ValueError(f"minutes and seconds must be below 60 in {text!r}")
    total = hours * _US_PER_HOUR + (minutes * 60 + seconds) * US_PER_SECOND + micros
    if total > 2 * US_PER_DAY:
        raise ValueError(f"offset {text!r} is beyond 48:00")
    return total


def format_clock(us: int) -> str:
    """The ``"HH:MM"`` text of an offset (seconds and microseconds only when present).

    >>> format_clock(30 * 3600 * 10**6), format_clock(61 * 10**6 + 5)
    ('30:00', '00:01:01.000005')
    """
    seconds, micros = divmod(us, US_PER_SECOND)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    text = f"{hours:02d}:{minutes:02d}"
    if seconds or micros:
        text += f":{seconds:02d}"
    if micros:
        text += f".{micros:06d}"
    return text


def _offset_us(value: dt.timedelta) -> int:
    return value.days * US_PER_DAY + value.seconds * US_PER_SECOND + value.microseconds


def window_problem(start_us: int, end_us: int) -> str | None:
    """Why ``[start, end)`` is not a valid window, or None.

    A window starts on its day (``0 <= start < 24:00``), is not empty, and lasts at most 24 hours.
    """
    if not 0 <= start_us < US_PER_DAY:
        return f"start {format_clock(max(start_us, 0))} must be in 00:00-23:59 (its own day)"
    if end_us <= start_us:
        return f"end {format_clock(max(end_us, 0))} must be after start {format_clock(start_us)}"
    if end_us - start_us > US_PER_DAY:
        return "a window lasts at most 24 hours"
    return None


@attrs.frozen
class Window:
    """A half-open working window ``[start, end)`` of one day, as offsets from its midnight.

    >>> Window.of("22:00", "30:00")
    Window(start=datetime.timedelta(seconds=79200), end=datetime.timedelta(days=1, seconds=21600))
    >>> str(Window.of("09:00", "12:30"))
    '09:00-12:30'
    """

    start: dt.timedelta
    end: dt.timedelta

    def __attrs_post_init__(self) -> None:
        problem = window_problem(_offset_us(self.start), _offset_us(self.end))
        if problem is not None:
            raise InvalidCalendar("window", [Problem("", problem)])

    @classmethod
    def of(cls, start: str | dt.timedelta, end: str | dt.timedelta) -> Window:
        """A window from two ``"HH:MM"`` texts or timedeltas after midnight."""
        problems = []
        bounds: list[int] = []
        for label, value in (("start", start), ("end", end)):
            if isinstance(value, dt.timedelta):
                bounds.append(_offset_us(value))
                continue
            try:
                bounds.append(parse_clock(value))
            except ValueError as error:
                problems.append(Problem(label, str(error)))
        if problems:
            raise InvalidCalendar("window", problems)
        return cls.from_us(bounds[0], bounds[1])

    @classmethod
    def from_us(cls, start_us: int, end_us: int) -> Window:
        """A window from offsets in microseconds."""
        return cls(dt.timedelta(microseconds=start_us), dt.timedelta(microseconds=end_us))

    @property
    def start_us(self) -> int:
        """The start offset in microseconds."""
        return _offset_us(self.start)

    @property
    def end_us(self) -> int:
        """The end offset in microseconds."""
        return _offset_us(self.end)

    @property
    def overnight(self) -> bool:
        """True when the window ends after the midnight that closes its day."""
        return self.end_us > US_PER_DAY

    def to_data(self) -> list[str]:
        """The plain-data form ``["HH:MM", "HH:MM"]``."""
        return [format_clock(self.start_us), format_clock(self.end_us)]

    def __str__(self) -> str:
        return "-".join(self.to_data())


def window_set(windows: tuple[Window, ...]) -> list[tuple[int, int]]:
    """Offsets of windows as a sorted list of ``(start_us, end_us)`` pairs."""
    return sorted((w.start_us, w.end_us) for w in windows)


def overlap_problems(windows: tuple[Window, ...], path: str) -> list[Problem]:
    """One problem per window that overlaps an earlier one of the same day."""
    problems = []
    for i, window in enumerate(windows):
        for j in range(i):
            other = windows[j]
            if window.start_us < other.end_us and other.start_us < window.end_us:
                problems.append(Problem(f"{path}[{i}]", f"{window} overlaps [{j}] {other}"))
    return problems
