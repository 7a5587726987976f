"""The business calendar: a time zone, a weekly pattern, and what particular dates do."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from itsm_core._plain import shown
from itsm_core.errors import InvalidCalendar, Problem, ValidationError

from ._base import Calendar, CoverageLimit, bounds_of
from ._instants import (
    EPOCH_ORDINAL,
    US,
    US_PER_DAY,
    delta_us,
    local_to_us,
    month_start_us,
)
from ._intervals import Span, clip, normalise, subtract
from ._special_days import Closure, DayOverride, FrozenMapping, Holiday, HolidayRule
from ._timeline import Timeline
from ._weekly import PatternVersion, Weekday, WeeklyPattern
from ._window import window_set
from ._workdays import Workday, WorkdayIndex
from ._zone import ZoneMap

_DAY = dt.timedelta(days=1)
_LOCAL_EPOCH = dt.datetime(1970, 1, 1)


def _overrides(value: Mapping[dt.date, DayOverride]) -> Mapping[dt.date, DayOverride]:
    return FrozenMapping(dict(sorted(value.items())))


def _versions(value: Iterable[PatternVersion]) -> tuple[PatternVersion, ...]:
    return tuple(value)


def _holidays(value: Iterable[Holiday]) -> tuple[Holiday, ...]:
    return tuple(value)


def _rules(value: Iterable[HolidayRule]) -> tuple[HolidayRule, ...]:
    return tuple(value)


def _closures(value: Iterable[Closure]) -> tuple[Closure, ...]:
    return tuple(value)


def zone_problem(key: object) -> str | None:
    """Why ``key`` is not an IANA time zone, or None."""
    if not isinstance(key, str) or not key:
        return f"expected an IANA time zone name, got {shown(key)}"
    try:
        zoneinfo.ZoneInfo(key)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a directory
        return f"unknown time zone {shown(key)}"
    return None


def calendar_problems(
    timezone: object,
    versions: tuple[PatternVersion, ...],
    holidays: tuple[Holiday, ...],
    overrides: Mapping[dt.date, DayOverride],
    coverage: tuple[dt.date, dt.date] | None,
) -> list[Problem]:
    """Problems that involve several fields of a business calendar."""
    problems = []
    zone = zone_problem(timezone)
    if zone is not None:
        problems.append(Problem("timezone", zone))
    previous: dt.date | None = None
    for i, version in enumerate(versions):
        if previous is not None and version.valid_from <= previous:
            problems.append(
                Problem(
                    f"versions[{i}].valid_from", f"{version.valid_from} is not after {previous}"
                )
            )
        previous = version.valid_from
    holiday_days: dict[dt.date, int] = {}
    for i, holiday in enumerate(holidays):
        for day in holiday.dates():
            holiday_days.setdefault(day, i)
    for day in overrides:
        if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
            problems.append(Problem(f"overrides.{day}", "keys must be dates"))
        elif day in holiday_days:
            problems.append(
                Problem(
                    f"overrides.{day}",
                    f"is also a holiday (holidays[{holiday_days[day]}]); keep one of the two",
                )
            )
    if coverage is not None:
        first, last = coverage
        if last < first:
            problems.append(Problem("coverage", f"ends ({last}) before it starts ({first})"))
    return problems


@attrs.frozen(kw_only=True)
class BusinessCalendar(Calendar):
    """Working time defined by local rules in one IANA time zone. Frozen.

    For a local date, its working windows are, by precedence: the date's :class:`DayOverride`;
    nothing if the date is a holiday (a :class:`Holiday` or a :class:`HolidayRule` occurrence);
    else the windows of its weekday in the weekly pattern in force on that date (``weekly``,
    or the last of ``versions`` valid from that date or earlier). Windows are local wall-clock
    times; a window crossing midnight belongs to the date it starts on. ``closures`` are then
    cut out of the resulting instants.

    ``coverage`` is the range of local dates the holiday data is known for; instants outside it
    raise ``CalendarCoverageError`` unless ``extrapolate`` is true (here, or on the call).

    >>> cal = BusinessCalendar.from_dict({
    ...     "name": "office", "timezone": "Asia/Shanghai",
    ...     "weekly": {day: [["09:00", "12:00"], ["13:00", "18:00"]]
    ...                for day in ("monday", "tuesday", "wednesday", "thursday", "friday")},
    ...     "holidays": [{"start": "2025-10-01", "end": "2025-10-08", "name": "National Day"}],
    ...     "overrides": {"2025-09-28": {"like": "monday", "name": "make-up day"}},
    ... })
    >>> from zoneinfo import ZoneInfo
    >>> sunday = dt.datetime(2025, 9, 28, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    >>> cal.add(sunday, dt.timedelta(hours=16)).isoformat()  # Sunday works like a Monday
    '2025-09-29T18:00:00+08:00'
    """

    timezone: str
    weekly: WeeklyPattern
    name: str = ""
    versions: tuple[PatternVersion, ...] = attrs.field(default=(), converter=_versions)
    holidays: tuple[Holiday, ...] = attrs.field(default=(), converter=_holidays)
    holiday_rules: tuple[HolidayRule, ...] = attrs.field(default=(), converter=_rules)
    overrides: Mapping[dt.date, DayOverride] = attrs.field(factory=dict, converter=_overrides)
    closures: tuple[Closure, ...] = attrs.field(default=(), converter=_closures)
    coverage: tuple[dt.date, dt.date] | None = None
    extrapolate: bool = False

    _zone: zoneinfo.ZoneInfo = attrs.field(init=False, eq=False, repr=False, hash=False)
    _holiday_days: frozenset[dt.date] = attrs.field(init=False, eq=False, repr=False, hash=False)
    _version_starts: tuple[dt.date, ...] = attrs.field(init=False, eq=False, repr=False, hash=False)
    #: The normalised windows of each weekday, for ``weekly`` then each of ``versions``.
    _week: tuple[tuple[list[Span], ...], ...] = attrs.field(
        init=False, eq=False, repr=False, hash=False
    )
    _closure_spans: list[Span] = attrs.field(init=False, eq=False, repr=False, hash=False)
    _timeline: Timeline = attrs.field(init=False, eq=False, repr=False, hash=False)
    _workdays: WorkdayIndex = attrs.field(init=False, eq=False, repr=False, hash=False)
    _limits: tuple[CoverageLimit, ...] = attrs.field(init=False, eq=False, repr=False, hash=False)
    _bounds: tuple[dt.timedelta, dt.timedelta] = attrs.field(
        init=False, eq=False, repr=False, hash=False
    )
    _extrapolating: Calendar | None = attrs.field(
        init=False, default=None, eq=False, repr=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        problems = calendar_problems(
            self.timezone, self.versions, self.holidays, self.overrides, self.coverage
        )
        if problems:
            raise InvalidCalendar(repr(self.name or "calendar"), problems)
        zone = zoneinfo.ZoneInfo(self.timezone)
        days = frozenset(day for holiday in self.holidays for day in holiday.dates())
        limits: tuple[CoverageLimit, ...] = ()
        if self.coverage is not None and not self.extrapolate:
            first, last = self.coverage
            low = local_to_us(dt.datetime.combine(first, dt.time()), zone)
            high = local_to_us(dt.datetime.combine(last + _DAY, dt.time()), zone)
            limits = (CoverageLimit(low, high, self.name, self.coverage, zone),)
        bounds = bounds_of(limits)
        setters = {
            "_zone": zone,
            "_holiday_days": days,
            "_version_starts": tuple(v.valid_from for v in self.versions),
            "_week": tuple(
                tuple(normalise(window_set(windows)) for windows in pattern.days)
                for pattern in (self.weekly, *(v.weekly for v in self.versions))
            ),
            "_closure_spans": normalise(c.span_us for c in self.closures),
            "_timeline": Timeline(bounds),
            "_workdays": WorkdayIndex(),
            "_limits": limits,
            "_bounds": bounds,
        }
        for key, value in setters.items():
            object.__setattr__(self, key, value)

    # -- rules of one date --------------------------------------------------------------------

    def pattern_on(self, day: dt.date) -> WeeklyPattern:
        """The weekly pattern in force on a local date."""
        index = bisect_right(self._version_starts, day) - 1
        return self.weekly if index < 0 else self.versions[index].weekly

    def _rule_days(self, year: int) -> frozenset[dt.date]:
        key = ("rule-days", year)
        found = self._timeline.memo.get(key)
        if found is None:
            first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
            found = frozenset(
                d for rule in self.holiday_rules for d in rule.dates_between(first, last)
            )
            self._timeline.memo[key] = found
        return found  # type: ignore[return-value]

    def is_holiday(self, day: dt.date) -> bool:
        """True when a holiday or a holiday rule falls on the local date ``day``."""
        return day in self._holiday_days or (
            bool(self.holiday_rules) and day in self._rule_days(day.year)
        )

    def windows_on(self, day: dt.date) -> list[Span]:
        """The local windows of a date, as normalised microsecond offsets from its midnight."""
        return list(self._windows_on(day))

    def _windows_on(self, day: dt.date) -> list[Span]:
        # The same as windows_on, but the weekday's list itself: read it, never change it.
        override = self.overrides.get(day)
        if override is not None:
            return override.resolve(self.pattern_on(day), day.weekday())
        if self.is_holiday(day):
            return []
        return self._week[bisect_right(self._version_starts, day)][day.weekday()]

    def day_spans(self, day: dt.date) -> list[Span]:
        """The date's own windows as instants (UTC microseconds), closures not applied.

        A boundary that falls in a daylight-saving gap is read with the offset before the gap;
        one in a repeated hour is its first occurrence. A window whose end instant is not after
        its start instant (it lies wholly in a gap) has no working time.
        """
        month = day.year * 12 + day.month - 1
        return self._day_spans(day, self._timeline.zone_map(self._zone, month - 1, month + 1))

    def _day_spans(self, day: dt.date, zone_map: ZoneMap) -> list[Span]:
        """``day_spans``, with a zone map that covers the two days from the date's midnight."""
        windows = self._windows_on(day)
        if not windows:
            return []
        midnight = (day.toordinal() - EPOCH_ORDINAL) * US_PER_DAY  # on the local wall clock
        offset = zone_map.wall_offset(midnight, midnight + 2 * US_PER_DAY)
        if offset is not None:  # one offset for every window of the day: no gap, no overlap
            utc = midnight - offset
            return [(utc + start, utc + end) for start, end in windows]
        spans = []
        for start, end in windows:
            a = self._local_us(midnight + start)
            b = self._local_us(midnight + end)
            if a < b:
                spans.append((a, b))
        return normalise(spans)

    def _local_us(self, wall: int) -> int:
        """The instant read ``wall`` (microseconds since 1970-01-01 00:00) on the local clock."""
        return local_to_us(_LOCAL_EPOCH + dt.timedelta(microseconds=wall), self._zone)

    def _chunk(self, month: int) -> list[Span]:
        low, high = month_start_us(month), month_start_us(month + 1)
        zone_map = self._timeline.zone_map(self._zone, month - 1, month + 1)
        # The local dates whose windows can reach into the month: windows last at most a day
        # from their own date, and offsets are under a day.
        first = EPOCH_ORDINAL + low // US_PER_DAY - 3
        last = EPOCH_ORDINAL + high // US_PER_DAY
        spans: list[Span] = []
        for ordinal in range(first, last + 1):
            spans += self._day_spans(dt.date.fromordinal(ordinal), zone_map)
        merged = normalise(spans)
        if self._closure_spans:
            merged = subtract(merged, self._closure_spans)
        return clip(merged, low, high)

    # -- working days -------------------------------------------------------------------------

    def _working_days(self, year: int) -> list[Workday]:
        """The working days of a local year: each date with spans of its own, and its spans."""
        found = []
        zone_map = self._timeline.zone_map(self._zone, year * 12 - 1, year * 12 + 12)
        day = dt.date(year, 1, 1)
        while day.year == year:
            spans = self._day_spans(day, zone_map)
            if spans:
                found.append((day.toordinal(), spans))
            day += _DAY
        return found

    def add_working_days(
        self, start: dt.datetime, days: int, *, extrapolate: bool = False
    ) -> dt.datetime:
        """The same working position ``days`` working days later (earlier when negative).

        A working day is a local date with working windows of its own. The working position of
        ``start`` is the working time of its day's windows before it: its day is the date whose
        window holds it (a night shift after midnight belongs to the evening before), else its
        local date; on a date without working time it is the start of the next working day.
        The result is the instant at that position on the target working day, or that day's
        closing time when the day is shorter (a half day).

        The working days are kept in a sorted index built lazily, a year at a time, so the cost
        does not depend on ``days``: two binary searches and the target day's windows.

        >>> from zoneinfo import ZoneInfo
        >>> from itsm_core.calendar import Window
        >>> cal = BusinessCalendar(timezone="Europe/London", weekly=WeeklyPattern.uniform(
        ...     [Window.of("09:00", "17:00")], *list(Weekday)[:5]))
        >>> friday = dt.datetime(2025, 3, 7, 11, 30, tzinfo=ZoneInfo("Europe/London"))
        >>> cal.add_working_days(friday, 2).isoformat()
        '2025-03-11T11:30:00+00:00'
        """
        count: object = days
        if isinstance(count, bool) or not isinstance(count, int):
            raise ValidationError("days", [Problem("days", f"expected an int, got {shown(days)}")])
        instant = self._instant(start, "start")
        if not extrapolate:
            self._check(instant)
        if days == 0:
            return start
        s = delta_us(instant)
        index, source = self._workdays, self._working_days
        local = self._datetime(instant, self._zone).date().toordinal()
        owner, spans = local - 1, index.spans_on(source, local - 1)
        if not any(a <= s < b for a, b in spans):
            owner, spans = local, index.spans_on(source, local)
        if spans:
            position = sum(min(max(s - a, 0), b - a) for a, b in spans)
        else:
            owner, spans = index.shift(source, owner, 1, self.name)
            position = 0
        _, target_spans = index.shift(source, owner, days, self.name)
        t = US * _at_position(target_spans, position)
        if not extrapolate:
            self._check(t)
        return self._datetime(t, start.tzinfo)

    # -- holiday coverage -----------------------------------------------------------------------

    def _coverages(self) -> tuple[tuple[dt.date, dt.date], ...]:
        return () if self.coverage is None else (self.coverage,)

    def _twin(self) -> Calendar:
        return attrs.evolve(self, extrapolate=True)

    # -- data -----------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-safe data; ``BusinessCalendar.from_dict`` reads it back to an equal value."""
        return {
            "name": self.name,
            "timezone": self.timezone,
            "weekly": self.weekly.to_data(),
            "versions": [v.to_data() for v in self.versions],
            "holidays": [h.to_data() for h in self.holidays],
            "holiday_rules": [r.to_data() for r in self.holiday_rules],
            "overrides": {day.isoformat(): o.to_data() for day, o in self.overrides.items()},
            "closures": [c.to_data() for c in self.closures],
            "coverage": (
                None
                if self.coverage is None
                else {"start": self.coverage[0].isoformat(), "end": self.coverage[1].isoformat()}
            ),
            "extrapolate": self.extrapolate,
        }

    @staticmethod
    def from_dict(data: object) -> BusinessCalendar:
        """A business calendar from plain data; ``InvalidCalendar`` lists every problem."""
        from ._data import business_from_dict

        return business_from_dict(data)

    @staticmethod
    def from_holidays(
        country: str,
        years: Iterable[int],
        *,
        timezone: str,
        weekly: WeeklyPattern,
        subdiv: str | None = None,
        make_up_like: Weekday = Weekday.MONDAY,
        name: str = "",
    ) -> BusinessCalendar:
        """A calendar with a country's holidays and make-up working days from ``holidays``.

        Needs the ``holidays`` extra. See :func:`itsm_core.calendar.from_holidays`.
        """
        from ._country import from_holidays

        return from_holidays(
            country,
            years,
            timezone=timezone,
            weekly=weekly,
            subdiv=subdiv,
            make_up_like=make_up_like,
            name=name,
        )


def _at_position(spans: list[Span], position: int) -> int:
    """The earliest instant with ``position`` working time of ``spans`` before it (clamped)."""
    done = 0
    for a, b in spans:
        if done + (b - a) >= position:
            return a + max(position - done, 0)
        done += b - a
    return spans[-1][1]
