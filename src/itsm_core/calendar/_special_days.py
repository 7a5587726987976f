"""What particular dates do differently: holidays, holiday rules, day overrides, closures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TypeVar

import attrs
from dateutil import rrule as rrules

from itsm_core._plain import shown
from itsm_core.errors import InvalidCalendar, Problem

from ._instants import to_us
from ._intervals import Span, normalise, subtract, union
from ._weekly import Weekday, WeeklyPattern
from ._window import Window, overlap_problems, window_set

K = TypeVar("K")
V = TypeVar("V")


def plain_date(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """attrs validator: a ``date`` that is not a ``datetime``."""
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise InvalidCalendar(
            attribute.name, [Problem(attribute.name, f"expected a date, got {shown(value)}")]
        )


@attrs.frozen
class Holiday:
    """A day off, or a range of days off from ``start`` to ``end`` inclusive (local dates).

    >>> Holiday(dt.date(2025, 10, 1), dt.date(2025, 10, 8), "National Day").days
    8
    """

    start: dt.date = attrs.field(validator=plain_date)
    end: dt.date = attrs.field(
        default=attrs.Factory(lambda self: self.start, takes_self=True), validator=plain_date
    )
    name: str = ""

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidCalendar(
                "holiday", [Problem("end", f"{self.end} is before start {self.start}")]
            )

    @property
    def days(self) -> int:
        """How many dates the holiday spans."""
        return (self.end - self.start).days + 1

    def dates(self) -> list[dt.date]:
        """Every date of the holiday."""
        return [self.start + dt.timedelta(days=i) for i in range(self.days)]

    def to_data(self) -> str | dict[str, str]:
        """``"YYYY-MM-DD"`` for a single unnamed day, else ``{"start", "end"?, "name"?}``."""
        if self.end == self.start and not self.name:
            return self.start.isoformat()
        data = {"start": self.start.isoformat()}
        if self.end != self.start:
            data["end"] = self.end.isoformat()
        if self.name:
            data["name"] = self.name
        return data


def parse_rrule(text: str) -> rrules.rrule:
    """Parse an RFC 5545 rule that carries its own ``DTSTART`` (never the current time).

    Raises:
        ValueError: the rule is malformed or has no DTSTART.
    """
    if "DTSTART" not in text.upper():
        raise ValueError(
            "a holiday rule needs a DTSTART, e.g. "
            '"DTSTART:20000101\\nRRULE:FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25"'
        )
    parsed = rrules.rrulestr(text, cache=False)
    if not isinstance(parsed, rrules.rrule):
        raise ValueError("expected a single RRULE (use one HolidayRule per rule)")
    return parsed


@attrs.frozen
class HolidayRule:
    """Recurring days off, as an RFC 5545 rule text read by :func:`dateutil.rrule.rrulestr`.

    The text must carry its ``DTSTART`` so that the rule never depends on the current time.
    Every occurrence's date is a day off.

    >>> rule = HolidayRule("DTSTART:20000101\\nRRULE:FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25")
    >>> rule.dates_between(dt.date(2025, 1, 1), dt.date(2026, 12, 31))
    [datetime.date(2025, 12, 25), datetime.date(2026, 12, 25)]
    """

    rrule: str
    name: str = ""
    _rule: rrules.rrule = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        try:
            rule = parse_rrule(self.rrule)
        except (ValueError, TypeError) as error:
            raise InvalidCalendar("holiday rule", [Problem("rrule", str(error))]) from None
        object.__setattr__(self, "_rule", rule)

    @classmethod
    def from_rrule(cls, rule: rrules.rrule, name: str = "") -> HolidayRule:
        """A holiday rule from a dateutil ``rrule`` object (its text keeps its DTSTART)."""
        return cls(str(rule), name)

    def dates_between(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """The dates of the occurrences from ``first`` to ``last`` inclusive."""
        start = dt.datetime.combine(first, dt.time())
        end = dt.datetime.combine(last, dt.time.max)
        tz = getattr(self._rule, "_dtstart").tzinfo  # noqa: B009 - untyped private attribute
        if tz is not None:  # an rrule compares aware with aware only
            start, end = start.replace(tzinfo=tz), end.replace(tzinfo=tz)
        return sorted({when.date() for when in self._rule.between(start, end, inc=True)})

    def to_data(self) -> dict[str, str]:
        """``{"rrule": ..., "name"?: ...}``."""
        return {"rrule": self.rrule, "name": self.name} if self.name else {"rrule": self.rrule}


class FrozenMapping(Mapping[K, V]):
    """A read-only, hashable, picklable mapping (the overrides of a frozen calendar)."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[K, V]) -> None:
        self._data = dict(data)

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def get(self, key: K, default: Any = None) -> Any:
        return self._data.get(key, default)

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(frozenset(self._data.items()))

    def __repr__(self) -> str:
        return f"FrozenMapping({self._data!r})"


def _optional_windows(value: Iterable[Window] | None) -> tuple[Window, ...] | None:
    return None if value is None else tuple(value)


def _windows(value: Iterable[Window]) -> tuple[Window, ...]:
    return tuple(value)


def _weekday(value: Weekday | int | None) -> Weekday | None:
    return None if value is None else Weekday(value)


def override_problems(
    windows: tuple[Window, ...] | None,
    like: Weekday | None,
    add: tuple[Window, ...],
    remove: tuple[Window, ...],
) -> list[Problem]:
    """Problems of a day override's fields, with paths relative to the override."""
    problems = []
    if windows is not None and like is not None:
        problems.append(Problem("like", "give either windows or like, not both"))
    if windows is not None:
        problems.extend(overlap_problems(windows, "windows"))
    problems.extend(overlap_problems(add, "add"))
    return problems


@attrs.frozen
class DayOverride:
    """How one date differs from its weekly pattern.

    The day's windows are: ``windows`` when given, else the pattern's windows of the weekday
    ``like`` (a make-up working day that follows Monday's hours), else the date's own weekday;
    then ``add`` is united with them and ``remove`` is cut out of them. An override wins over
    holidays on the same date.

    >>> DayOverride(windows=()).is_day_off          # a day off
    True
    >>> half_day = DayOverride(remove=(Window.of("12:00", "24:00"),), name="Christmas Eve")
    """

    windows: tuple[Window, ...] | None = attrs.field(default=None, converter=_optional_windows)
    like: Weekday | None = attrs.field(default=None, converter=_weekday)
    add: tuple[Window, ...] = attrs.field(default=(), converter=_windows)
    remove: tuple[Window, ...] = attrs.field(default=(), converter=_windows)
    name: str = ""

    def __attrs_post_init__(self) -> None:
        problems = override_problems(self.windows, self.like, self.add, self.remove)
        if problems:
            raise InvalidCalendar("day override", problems)

    @property
    def is_day_off(self) -> bool:
        """True when the override leaves no window at all, whatever the pattern."""
        return self.windows == () and not self.add

    def resolve(self, pattern: WeeklyPattern, weekday: int) -> list[Span]:
        """The day's windows as normalised offsets in microseconds."""
        if self.windows is not None:
            base = window_set(self.windows)
        else:
            base = window_set(pattern.day(weekday if self.like is None else self.like))
        return subtract(union(base, window_set(self.add)), normalise(window_set(self.remove)))

    def to_data(self) -> dict[str, object]:
        """Plain data with only the fields that are set."""
        data: dict[str, object] = {}
        if self.windows is not None:
            data["windows"] = [w.to_data() for w in self.windows]
        if self.like is not None:
            data["like"] = self.like.key
        if self.add:
            data["add"] = [w.to_data() for w in self.add]
        if self.remove:
            data["remove"] = [w.to_data() for w in self.remove]
        if self.name:
            data["name"] = self.name
        return data


@attrs.frozen
class Closure:
    """An absolute stretch of time taken out of working time (maintenance, an outage).

    >>> from zoneinfo import ZoneInfo
    >>> at = dt.datetime(2025, 3, 1, 22, tzinfo=ZoneInfo("Europe/London"))
    >>> Closure(at, at + dt.timedelta(hours=4), "upgrade").name
    'upgrade'
    """

    start: dt.datetime
    end: dt.datetime
    name: str = ""

    def __attrs_post_init__(self) -> None:
        problems = closure_problems(self.start, self.end)
        if problems:
            raise InvalidCalendar("closure", problems)

    @property
    def span_us(self) -> Span:
        """The closure as instants in microseconds."""
        return (to_us(self.start, "start"), to_us(self.end, "end"))

    def to_data(self) -> dict[str, str]:
        """``{"start": ISO, "end": ISO, "name"?: ...}``."""
        data = {"start": self.start.isoformat(), "end": self.end.isoformat()}
        if self.name:
            data["name"] = self.name
        return data


def closure_problems(start: object, end: object) -> list[Problem]:
    """Problems of a closure's bounds: not aware datetimes, or not in order."""
    problems = []
    for label, value in (("start", start), ("end", end)):
        if not isinstance(value, dt.datetime):
            problems.append(Problem(label, f"expected a datetime, got {shown(value)}"))
        elif value.utcoffset() is None:
            problems.append(Problem(label, f"naive datetime {value.isoformat()}"))
    if not problems and not to_us(start, "start") < to_us(end, "end"):  # type: ignore[arg-type]
        problems.append(Problem("end", "must be after start"))
    return problems
