"""Reporting periods: days, ISO weeks or calendar months in one IANA time zone."""

from __future__ import annotations

import datetime as dt
import enum
import zoneinfo
from bisect import bisect_right

import attrs

from itsm_core._checks import check_aware_fields
from itsm_core._plain import as_mapping, read_enum, shown
from itsm_core.errors import InvalidKpiDefinition, Problem


class Granularity(enum.StrEnum):
    """The length of a reporting period, in local (wall-clock) time."""

    DAY = "day"
    WEEK = "week"
    """An ISO week, Monday 00:00 to the next Monday 00:00."""
    MONTH = "month"


@attrs.frozen
class Period:
    """One reporting period ``[start, end)``; ``label`` names it (``2026-03-02``, ``2026-03``)."""

    label: str
    start: dt.datetime
    end: dt.datetime

    def __attrs_post_init__(self) -> None:
        check_aware_fields(self, "start", "end")

    def contains(self, instant: dt.datetime) -> bool:
        """True when ``start <= instant < end``."""
        return self.start <= instant < self.end


def _local_floor(day: dt.date, granularity: Granularity) -> dt.date:
    if granularity is Granularity.WEEK:
        return day - dt.timedelta(days=day.weekday())
    if granularity is Granularity.MONTH:
        return day.replace(day=1)
    return day


def _next(day: dt.date, granularity: Granularity) -> dt.date:
    if granularity is Granularity.DAY:
        return day + dt.timedelta(days=1)
    if granularity is Granularity.WEEK:
        return day + dt.timedelta(days=7)
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _label(day: dt.date, granularity: Granularity) -> str:
    if granularity is Granularity.MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    if granularity is Granularity.WEEK:
        year, week, _ = day.isocalendar()
        return f"{year:04d}-W{week:02d}"
    return day.isoformat()


@attrs.frozen
class PeriodGrid:
    """Consecutive periods of one granularity in time zone ``tz``, covering ``first..last``.

    ``first`` and ``last`` are local dates; the grid starts at the period holding ``first`` and
    ends with the period holding ``last``. Boundaries are local midnights, so a day is 23 or 25
    hours long across a daylight-saving change.

    >>> first, last = dt.date(2026, 3, 4), dt.date(2026, 3, 10)
    >>> grid = PeriodGrid(Granularity.WEEK, "Europe/Lisbon", first, last)
    >>> [p.label for p in grid.periods]
    ['2026-W10', '2026-W11']
    >>> grid.periods[0].start.isoformat()
    '2026-03-02T00:00:00+00:00'
    """

    granularity: Granularity
    tz: str
    first: dt.date
    last: dt.date
    periods: tuple[Period, ...] = attrs.field(init=False, eq=False, repr=False)
    boundaries: tuple[dt.datetime, ...] = attrs.field(init=False, eq=False, repr=False)
    utc_boundaries: tuple[dt.datetime, ...] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        if type(self.granularity) is not Granularity:
            problems.append(
                Problem("granularity", f"{shown(self.granularity)} is not day/week/month")
            )
        zone: zoneinfo.ZoneInfo | None = None
        try:
            zone = zoneinfo.ZoneInfo(self.tz)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError, OSError):
            problems.append(Problem("tz", f"{shown(self.tz)} is not an IANA time zone"))
        if self.last < self.first:
            problems.append(Problem("last", f"{self.last} is before first {self.first}"))
        if problems:
            raise InvalidKpiDefinition("period grid", problems)
        assert zone is not None
        day = _local_floor(self.first, self.granularity)
        periods = []
        while day <= self.last:
            following = _next(day, self.granularity)
            periods.append(
                Period(
                    _label(day, self.granularity),
                    dt.datetime.combine(day, dt.time(), zone),
                    dt.datetime.combine(following, dt.time(), zone),
                )
            )
            day = following
        object.__setattr__(self, "periods", tuple(periods))
        boundaries = (periods[0].start, *(p.end for p in periods))
        object.__setattr__(self, "boundaries", boundaries)
        # Python compares and subtracts datetimes sharing a tzinfo on the wall clock; UTC
        # boundaries keep comparisons and ages exact across daylight-saving changes.
        object.__setattr__(self, "utc_boundaries", tuple(b.astimezone(dt.UTC) for b in boundaries))

    @property
    def start(self) -> dt.datetime:
        """The start of the first period."""
        return self.periods[0].start

    @property
    def end(self) -> dt.datetime:
        """The end of the last period."""
        return self.periods[-1].end

    def index(self, instant: dt.datetime) -> int | None:
        """The index of the period holding ``instant``, or None outside the grid."""
        bounds = self.utc_boundaries
        if instant < bounds[0] or instant >= bounds[-1]:
            return None
        return bisect_right(bounds, instant) - 1

    def to_dict(self) -> dict[str, str]:
        """Plain data; :meth:`from_dict` reads it back."""
        return {
            "granularity": self.granularity.value,
            "tz": self.tz,
            "first": self.first.isoformat(),
            "last": self.last.isoformat(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, str], path: str = "periods") -> PeriodGrid:
        """Build from :meth:`to_dict` data; every problem is reported with its path."""
        problems: list[Problem] = []
        if as_mapping(data, path, problems) is None:
            raise InvalidKpiDefinition("report spec", problems)
        granularity = read_enum(
            data.get("granularity"), Granularity, f"{path}.granularity", problems
        )
        dates: dict[str, dt.date] = {}
        for key in ("first", "last"):
            raw = data.get(key)
            try:
                dates[key] = dt.date.fromisoformat(raw)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                problems.append(Problem(f"{path}.{key}", f"not an ISO date: {shown(raw)}"))
        tz = data.get("tz")
        if not isinstance(tz, str):
            problems.append(Problem(f"{path}.tz", "missing"))
        if problems:
            raise InvalidKpiDefinition("report spec", problems)
        assert granularity is not None
        assert isinstance(tz, str)
        return cls(granularity, tz, dates["first"], dates["last"])
