"""Instants and durations as the command line reads and writes them."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from itsm_core._checks import is_aware
from itsm_core._plain import shown
from itsm_core.cli._files import CliError


def zone(name: str, *, option: str) -> zoneinfo.ZoneInfo:
    """The IANA zone ``name``; CliError naming the option otherwise."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise CliError([f"{option}: unknown time zone {shown(name)}"], code=2) from None


#: The instants the command line takes: a day inside datetime's range at both ends, so that
#: any UTC offset and the calendar's look at the day around an instant stay in range.
EARLIEST = dt.datetime(1, 1, 3, tzinfo=dt.UTC)
LATEST = dt.datetime(9999, 12, 29, tzinfo=dt.UTC)


def instant(text: str, *, option: str, tz: dt.tzinfo) -> dt.datetime:
    """An ISO 8601 instant; one written without an offset is local to ``tz`` (the calendar's).

    >>> instant("2025-09-30T16:00", option="--start", tz=zoneinfo.ZoneInfo("Asia/Shanghai"))
    datetime.datetime(2025, 9, 30, 16, 0, tzinfo=zoneinfo.ZoneInfo(key='Asia/Shanghai'))
    >>> instant("9999-12-31T23:00", option="--start", tz=dt.UTC)
    Traceback (most recent call last):
    ...
    itsm_core.cli._files.CliError: --start: 9999-12-31T23:00 is outside 0001-01-03 to 9999-12-29 UTC
    """
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise CliError(
            [f"{option}: {shown(text)} is not an ISO 8601 time (2025-09-30T16:00 or with +08:00)"],
            code=2,
        ) from None
    if not is_aware(value):
        value = value.replace(tzinfo=tz)
    try:
        inside = EARLIEST <= value <= LATEST
    except OverflowError:  # its offset moves it past year 1 or 9999
        inside = False
    if not inside:
        raise CliError(
            [f"{option}: {text} is outside {EARLIEST.date()} to {LATEST.date()} UTC"],
            code=2,
        )
    return value


def hms(value: dt.timedelta) -> str:
    """``H:MM:SS`` with unbounded hours and a sign (``-1:30:00``, ``52:00:00``).

    >>> hms(dt.timedelta(days=2, hours=4)), hms(dt.timedelta(minutes=-90))
    ('52:00:00', '-1:30:00')
    """
    total = value // dt.timedelta(microseconds=1)
    sign = "-" if total < 0 else ""
    seconds, micro = divmod(abs(total), 1_000_000)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    text = f"{sign}{hours}:{minutes:02}:{seconds:02}"
    return f"{text}.{micro:06}" if micro else text


def in_unit(value: dt.timedelta, unit: str) -> str:
    """``value`` as ``H:MM:SS`` (``hms``) or as a number of hours, minutes or seconds.

    >>> in_unit(dt.timedelta(minutes=90), "hours"), in_unit(dt.timedelta(minutes=90), "minutes")
    ('1.5', '90')
    """
    if unit == "hms":
        return hms(value)
    size = {"hours": 3600, "minutes": 60, "seconds": 1}[unit]
    number = value.total_seconds() / size
    return f"{number:.6f}".rstrip("0").rstrip(".")
