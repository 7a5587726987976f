"""Instants as integer microseconds since the Unix epoch (UTC), and back.

All arithmetic of the calendar happens on these integers: exact, and free of the wall-clock
pitfalls of aware-datetime arithmetic within one zone (two datetimes sharing a ``tzinfo`` subtract
as wall times in Python). Conversion uses ``datetime`` subtraction, which honours ``fold``.
"""

from __future__ import annotations

import datetime as dt

from itsm_core.errors import NaiveDatetimeError, Problem, ValidationError

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
US_PER_SECOND = 1_000_000
US_PER_DAY = 86_400 * US_PER_SECOND
EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()

#: UTC years the calendar can compute (a window of a day needs its neighbours to exist).
FIRST_YEAR = 2
LAST_YEAR = 9997


def bad_instant(value: object, where: str) -> ValidationError:
    """The error for something that is not an aware datetime."""
    if isinstance(value, dt.datetime):
        return NaiveDatetimeError(where, value)
    return ValidationError(
        where, [Problem(where, f"expected an aware datetime, got {type(value).__name__}")]
    )


def to_us(value: dt.datetime, where: str) -> int:
    """Microseconds since the epoch of an aware datetime; a naive one raises."""
    try:
        delta = value - EPOCH
    except TypeError:
        raise bad_instant(value, where) from None
    return delta.days * US_PER_DAY + delta.seconds * US_PER_SECOND + delta.microseconds


def from_us(us: int, tz: dt.tzinfo | None) -> dt.datetime:
    """The aware datetime of an instant, expressed in ``tz``."""
    return (EPOCH + dt.timedelta(microseconds=us)).astimezone(tz)


def duration_us(value: dt.timedelta, where: str) -> int:
    """Microseconds of a timedelta; anything else raises a ValidationError."""
    if not isinstance(value, dt.timedelta):
        raise ValidationError(
            where, [Problem(where, f"expected a timedelta, got {type(value).__name__}")]
        )
    return value.days * US_PER_DAY + value.seconds * US_PER_SECOND + value.microseconds


def date_to_us(day: dt.date) -> int:
    """The instant of UTC midnight starting ``day``."""
    return (day.toordinal() - EPOCH_ORDINAL) * US_PER_DAY


def utc_year(us: int) -> int:
    """The UTC calendar year of an instant."""
    return (EPOCH + dt.timedelta(microseconds=us)).year


def local_to_us(naive: dt.datetime, zone: dt.tzinfo) -> int:
    """The instant of a local wall-clock time, as RFC 5545 and ``fold=0`` read it.

    An ambiguous time (a fall-back night's repeated hour) is its first occurrence; a time that
    does not exist (a spring-forward gap) is read with the offset before the gap, that is
    shifted forward by the length of the gap.
    """
    return to_us(naive.replace(tzinfo=zone, fold=0), "local time")
