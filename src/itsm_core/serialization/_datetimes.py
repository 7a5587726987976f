"""Aware datetimes as text: ISO 8601 with the offset, and the IANA zone name when there is one.

The format is RFC 9557 (ISO 8601 plus a bracketed zone suffix), so a ticket opened at 09:00 in
Shanghai reads back as 09:00 *in Asia/Shanghai*, not merely as 09:00 at UTC+08:00: the instant
and the zone both survive, and later arithmetic across a daylight-saving change stays right.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from itsm_core._plain import shown
from itsm_core.errors import DeserializationError, NaiveDatetimeError, Problem


def format_datetime(value: dt.datetime) -> str:
    """``value`` as RFC 9557 text: the ISO form with its offset, then ``[Zone/Name]`` if any.

    >>> import zoneinfo
    >>> shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
    >>> format_datetime(dt.datetime(2026, 1, 5, 9, 30, tzinfo=shanghai))
    '2026-01-05T09:30:00+08:00[Asia/Shanghai]'
    >>> format_datetime(dt.datetime(2026, 1, 5, 1, 30, tzinfo=dt.UTC))
    '2026-01-05T01:30:00+00:00'
    """
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError("datetime", value)
    text = value.isoformat()
    if isinstance(value.tzinfo, zoneinfo.ZoneInfo) and value.tzinfo.key is not None:
        text += f"[{value.tzinfo.key}]"
    return text


def parse_datetime(text: object) -> dt.datetime:
    """Read :func:`format_datetime` text back.

    Raises:
        DeserializationError: (a ValueError) when the text is not an aware ISO 8601 datetime
            with a known zone, or names an instant its zone cannot show (past year 9999).
        TypeError: when ``text`` is not a string at all.

    >>> parse_datetime("2026-01-05T09:30:00+08:00[Asia/Shanghai]").tzinfo
    zoneinfo.ZoneInfo(key='Asia/Shanghai')
    >>> parse_datetime("2026-01-05T09:30:00")
    Traceback (most recent call last):
    ...
    itsm_core.errors.DeserializationError: invalid data for datetime: 1 problem
      - '2026-01-05T09:30:00' has no UTC offset (a time zone is required)
    """
    if not isinstance(text, str):
        raise TypeError(f"expected a datetime string, got {shown(text)}")
    zone_name = None
    stamp = text
    if text.endswith("]") and "[" in text:
        stamp, _, rest = text.partition("[")
        zone_name = rest[:-1]
    try:
        value = dt.datetime.fromisoformat(stamp)
    except ValueError:
        message = f"expected an ISO 8601 datetime with its offset, got {shown(text)}"
        raise DeserializationError("datetime", [Problem("", message)]) from None
    if value.tzinfo is None or value.utcoffset() is None:
        message = f"{shown(text)} has no UTC offset (a time zone is required)"
        raise DeserializationError("datetime", [Problem("", message)])
    if zone_name is None:
        return value
    try:
        zone = zoneinfo.ZoneInfo(zone_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        message = f"unknown time zone {shown(zone_name)}"
        raise DeserializationError("datetime", [Problem("", message)]) from None
    try:
        return value.astimezone(zone)
    except OverflowError:
        message = f"{shown(text)} is outside the years {zone_name} can show (1 to 9999)"
        raise DeserializationError("datetime", [Problem("", message)]) from None
