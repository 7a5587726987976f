"""Instants as integer microseconds since the Unix epoch (UTC), or as timedeltas since it.

All arithmetic of the calendar happens on these: exact, and free of the wall-clock pitfalls of
aware-datetime arithmetic within one zone (two datetimes sharing a ``tzinfo`` subtract as wall
times in Python). Conversion uses ``datetime`` subtraction, which honours ``fold``.

Compiling works on integers. The searchable state of ``_timeline`` holds the same instants as
``timedelta`` objects since the epoch, because then converting an aware datetime is a single
subtraction, and comparing, adding and returning durations all run in C.
"""

from __future__ import annotations

import datetime as dt

from itsm_core.errors import NaiveDatetimeError, Problem, ValidationError

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
US_PER_SECOND = 1_000_000
US_PER_DAY = 86_400 * US_PER_SECOND
EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
#: One microsecond; ``US * n`` is the timedelta of ``n`` microseconds.
US = dt.timedelta(microseconds=1)
ZERO = dt.timedelta()

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
    """The aware datetime of an instant, expressed in ``tz``; ValidationError when a datetime
    cannot show it (its date in ``tz`` is before year 1 or after 9999)."""
    try:
        return (EPOCH + dt.timedelta(microseconds=us)).astimezone(tz)
    except OverflowError:  # only ever at the ends of time: no cost on the way in
        raise outside_years(us // US_PER_DAY, tz) from None


def to_delta(value: dt.datetime, where: str) -> dt.timedelta:
    """The instant of an aware datetime as a timedelta since the epoch; a naive one raises."""
    if type(value) is dt.datetime:  # a subclass (pandas) may subtract to its own type
        try:
            return value - EPOCH
        except TypeError:
            raise bad_instant(value, where) from None
    return US * to_us(value, where)


def from_delta(delta: dt.timedelta, tz: dt.tzinfo | None) -> dt.datetime:
    """The aware datetime of an instant given as a timedelta since the epoch, in ``tz``;
    ValidationError when a datetime cannot show it (its date in ``tz`` is before year 1 or
    after 9999: a result near the ends of time, or a time zone that moves it past them).

    >>> from_delta(dt.timedelta(days=2932896), dt.UTC).year
    9999
    >>> from_delta(dt.timedelta(days=2932897), dt.UTC)
    Traceback (most recent call last):
    ...
    itsm_core.errors.ValidationError: invalid value for instant: 1 problem
      - instant: 2932897 days after 1970-01-01 UTC is outside the years 1 to 9999 in UTC
    """
    try:
        return (EPOCH + delta).astimezone(tz)
    except OverflowError:  # only ever at the ends of time: no cost on the way in
        raise outside_years(delta.days, tz) from None


def outside_years(days: int, tz: dt.tzinfo | None) -> ValidationError:
    """The error for an instant ``days`` after the epoch that no datetime in ``tz`` can show."""
    message = f"{days} days after 1970-01-01 UTC is outside the years 1 to 9999 in {tz}"
    return ValidationError("instant", [Problem("instant", message)])


def delta_us(delta: dt.timedelta) -> int:
    """Microseconds of a timedelta (no check)."""
    return delta.days * US_PER_DAY + delta.seconds * US_PER_SECOND + delta.microseconds


def plain_duration(value: dt.timedelta, where: str) -> dt.timedelta:
    """A duration as a plain ``timedelta`` (a subclass is read through ``duration_us``)."""
    if type(value) is dt.timedelta:
        return value
    return US * duration_us(value, where)


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


def month_start_us(month: int) -> int:
    """The instant starting a UTC month, numbered ``year * 12 + month - 1``."""
    year, index = divmod(month, 12)
    return date_to_us(dt.date(year, index + 1, 1))


def utc_month(us: int) -> int:
    """The UTC month of an instant, numbered ``year * 12 + month - 1`` (``-1`` before year 1,
    ``10000 * 12`` after year 9999)."""
    ordinal = EPOCH_ORDINAL + us // US_PER_DAY
    if ordinal < 1:
        return -1
    if ordinal > dt.date.max.toordinal():
        return 10000 * 12
    day = dt.date.fromordinal(ordinal)
    return day.year * 12 + day.month - 1


def local_to_us(naive: dt.datetime, zone: dt.tzinfo) -> int:
    """The instant of a local wall-clock time, as RFC 5545 and ``fold=0`` read it.

    An ambiguous time (a fall-back night's repeated hour) is its first occurrence; a time that
    does not exist (a spring-forward gap) is read with the offset before the gap, that is
    shifted forward by the length of the gap.
    """
    return to_us(naive.replace(tzinfo=zone, fold=0), "local time")
