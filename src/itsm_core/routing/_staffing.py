"""Hotline staffing: agents needed per interval for a service target, with shrinkage."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable

import attrs

from itsm_core._checks import check_aware_fields, is_int
from itsm_core._plain import as_mapping, as_seconds, check_keys, is_duration, is_number, shown
from itsm_core.errors import Problem, ValidationError
from itsm_core.routing._erlang import (
    QueueFigures,
    blocking_of,
    figures_from_blocking,
    level_from_waiting,
    waiting_from_blocking,
)

_ZERO = dt.timedelta(0)


@attrs.frozen(kw_only=True)
class ServiceTarget:
    """What a staffing level must achieve in every interval.

    ``service_level`` of calls answered within ``answer_within`` (80 % within 20 s is
    ``0.8`` and 20 s), and optionally at most ``max_occupancy`` (agents' busy share, e.g. 0.85),
    an average speed of answer of at most ``max_average_speed_of_answer``, and at least
    ``minimum_agents`` on the phones whatever the traffic (a hotline open around the clock).

    >>> target = ServiceTarget(service_level=0.8, answer_within=dt.timedelta(seconds=20))
    >>> ServiceTarget.from_dict(target.to_dict()) == target
    True
    """

    service_level: float
    answer_within: dt.timedelta
    max_occupancy: float | None = None
    max_average_speed_of_answer: dt.timedelta | None = None
    minimum_agents: int = 0

    def __attrs_post_init__(self) -> None:
        problems = []
        if not (is_number(self.service_level) and 0 < self.service_level < 1):
            problems.append(
                Problem(
                    "service_level", f"expected a share in (0, 1), got {shown(self.service_level)}"
                )
            )
        if not is_duration(self.answer_within, positive=False):
            problems.append(
                Problem(
                    "answer_within", f"expected a timedelta >= 0, got {shown(self.answer_within)}"
                )
            )
        occupancy = self.max_occupancy
        if occupancy is not None and not (is_number(occupancy) and 0 < occupancy <= 1):
            problems.append(
                Problem("max_occupancy", f"expected a share in (0, 1], got {shown(occupancy)}")
            )
        asa = self.max_average_speed_of_answer
        if asa is not None and not is_duration(asa, positive=True):
            problems.append(
                Problem(
                    "max_average_speed_of_answer",
                    f"expected a positive timedelta, got {shown(asa)}",
                )
            )
        if not (is_int(self.minimum_agents) and self.minimum_agents >= 0):
            problems.append(
                Problem(
                    "minimum_agents", f"expected an integer >= 0, got {shown(self.minimum_agents)}"
                )
            )
        if problems:
            raise ValidationError("service target", problems)

    def met_by(self, figures: QueueFigures) -> bool:
        """True when ``figures`` reach every part of the target."""
        asa = figures.average_speed_of_answer
        return (
            figures.agents >= self.minimum_agents
            and figures.service_level >= self.service_level
            and (self.max_occupancy is None or figures.occupancy <= self.max_occupancy)
            and (
                self.max_average_speed_of_answer is None
                or (asa is not None and asa <= self.max_average_speed_of_answer)
            )
        )

    def to_dict(self) -> dict[str, object]:
        """Plain, JSON-safe data (durations in seconds); :meth:`from_dict` reads it back."""
        asa = self.max_average_speed_of_answer
        return {
            "service_level": self.service_level,
            "answer_within_seconds": self.answer_within.total_seconds(),
            "max_occupancy": self.max_occupancy,
            "max_average_speed_of_answer_seconds": None if asa is None else asa.total_seconds(),
            "minimum_agents": self.minimum_agents,
        }

    @staticmethod
    def from_dict(data: object) -> ServiceTarget:
        """A target from plain data; ``ValidationError`` lists every problem.

        Field problems (a share out of range...) are reported once the data is readable.
        """
        problems: list[Problem] = []
        mapping = as_mapping(data, "", problems) or {}
        optional = ("max_occupancy", "max_average_speed_of_answer_seconds", "minimum_agents")
        check_keys(mapping, "", ("service_level", "answer_within_seconds"), optional, problems)
        durations: dict[str, dt.timedelta | None] = {}
        for key in ("answer_within_seconds", "max_average_speed_of_answer_seconds"):
            value = mapping.get(key)
            if (duration := as_seconds(value)) is not None:
                durations[key] = duration
            elif value is not None:
                problems.append(Problem(key, f"expected a number of seconds, got {shown(value)}"))
        if problems:
            raise ValidationError("service target", problems)
        return ServiceTarget(
            service_level=mapping["service_level"],  # type: ignore[arg-type]
            answer_within=durations.get("answer_within_seconds"),  # type: ignore[arg-type]
            max_occupancy=mapping.get("max_occupancy"),  # type: ignore[arg-type]
            max_average_speed_of_answer=durations.get("max_average_speed_of_answer_seconds"),
            minimum_agents=mapping.get("minimum_agents", 0),  # type: ignore[arg-type]
        )


@attrs.frozen(kw_only=True)
class Staffing:
    """The staffing of one interval: ``agents`` on the phones meet the target (``figures``
    are what they achieve), ``scheduled`` agents are rostered so that ``agents`` remain after
    shrinkage (breaks, training, absence): ``ceil(agents / (1 - shrinkage))``."""

    calls: float
    handle_time: dt.timedelta
    traffic: float
    agents: int
    scheduled: int
    figures: QueueFigures


def traffic_of(calls: float, interval: dt.timedelta, handle_time: dt.timedelta) -> float:
    """Offered load in erlangs: ``calls * handle_time / interval``.

    >>> traffic_of(100, dt.timedelta(minutes=30), dt.timedelta(seconds=180))
    10.0
    """
    problems = []
    if not (is_number(calls) and calls >= 0):
        problems.append(Problem("calls", f"expected a number >= 0, got {shown(calls)}"))
    for name, value in (("interval", interval), ("handle_time", handle_time)):
        if not is_duration(value, positive=True):
            problems.append(Problem(name, f"expected a positive timedelta, got {shown(value)}"))
    if problems:
        raise ValidationError("traffic", problems)
    return calls * handle_time.total_seconds() / interval.total_seconds()


def agents_needed(
    *,
    calls: float,
    interval: dt.timedelta,
    handle_time: dt.timedelta,
    target: ServiceTarget,
    shrinkage: float = 0.0,
) -> Staffing:
    """The fewest agents that meet ``target`` for ``calls`` arriving in ``interval``.

    Searches upwards from the smallest stable number (more than the traffic, and enough for
    the occupancy cap), stepping Erlang B by its recursion so each step costs O(1); the
    service level only grows with each agent added, so the first that meets the target is the
    answer. ``shrinkage`` (in [0, 1)) is the share of paid time not on the phones.

    >>> plan = agents_needed(calls=100, interval=dt.timedelta(minutes=30),
    ...                      handle_time=dt.timedelta(seconds=180), shrinkage=0.3,
    ...                      target=ServiceTarget(service_level=0.8,
    ...                                           answer_within=dt.timedelta(seconds=20)))
    >>> plan.agents, plan.scheduled, round(plan.figures.service_level, 4)
    (14, 20, 0.8884)
    """
    traffic = traffic_of(calls, interval, handle_time)
    return _staffing(calls, handle_time, traffic, target, _on_the_phones(shrinkage))


def _on_the_phones(shrinkage: float) -> tuple[int, int]:
    """``1 - shrinkage`` exactly, as a numerator and a denominator."""
    if not (is_number(shrinkage) and 0 <= shrinkage < 1):
        raise ValidationError(
            "staffing",
            [Problem("shrinkage", f"expected a share in [0, 1), got {shown(shrinkage)}")],
        )
    shrunk, whole = shrinkage.as_integer_ratio()
    return whole - shrunk, whole


def _staffing(
    calls: float,
    handle_time: dt.timedelta,
    traffic: float,
    target: ServiceTarget,
    on_the_phones: tuple[int, int],
) -> Staffing:
    """The search of :func:`agents_needed` on checked input.

    Each step tests the service level and occupancy in plain floats (the same arithmetic as
    :class:`QueueFigures`); the figures are built only for an agent count that passes, and
    :meth:`ServiceTarget.met_by` has the last word.
    """
    aht = handle_time.total_seconds()
    within = target.answer_within.total_seconds()
    level, cap = target.service_level, target.max_occupancy
    agents = target.minimum_agents
    if traffic > 0:
        agents = max(agents, math.floor(traffic) + 1)
        if cap is not None:
            agents = max(agents, math.ceil(traffic / cap))
    blocking = blocking_of(agents, traffic)
    while True:
        if traffic == 0 or (
            level_from_waiting(
                waiting_from_blocking(agents, traffic, blocking), agents - traffic, within, aht
            )
            >= level
            and (cap is None or traffic / agents <= cap)
        ):
            figures = figures_from_blocking(agents, traffic, blocking, aht, target.answer_within)
            if target.met_by(figures):
                break
        agents += 1
        carried = traffic * blocking
        blocking = carried / (agents + carried)
    numerator, denominator = on_the_phones
    return Staffing(
        calls=calls,
        handle_time=handle_time,
        traffic=traffic,
        agents=agents,
        scheduled=-(-agents * denominator // numerator),  # ceil(agents / (1 - shrinkage))
        figures=figures,
    )


@attrs.frozen
class IntervalForecast:
    """The calls expected in the interval starting at ``start``, and their handle time."""

    start: dt.datetime
    calls: float
    handle_time: dt.timedelta

    def __attrs_post_init__(self) -> None:
        check_aware_fields(self, "start")


@attrs.frozen(kw_only=True)
class IntervalStaffing:
    """One row of a staffing plan: the interval ``[start, end)`` and its staffing."""

    start: dt.datetime
    end: dt.datetime
    staffing: Staffing


@attrs.frozen(kw_only=True)
class StaffingPlan:
    """Agents needed per interval over a day (or any run of equal, contiguous intervals)."""

    interval: dt.timedelta
    target: ServiceTarget
    shrinkage: float
    rows: tuple[IntervalStaffing, ...]

    @property
    def peak(self) -> IntervalStaffing | None:
        """The first interval needing the most scheduled agents (None for an empty plan)."""
        return max(self.rows, key=lambda row: row.staffing.scheduled, default=None)

    @property
    def scheduled_hours(self) -> float:
        """Agent-hours to roster: scheduled agents times the interval length, summed."""
        hours = self.interval.total_seconds() / 3600
        return sum(row.staffing.scheduled for row in self.rows) * hours

    def to_text(self) -> str:
        """A plain-text table, one line per interval (local start time of each row)."""
        header = (
            f"{'start':<5} {'calls':>6} {'AHT s':>6} {'erlangs':>8} {'agents':>6} "
            f"{'rostered':>8} {'SL':>6} {'ASA s':>6} {'occ':>5}"
        )
        lines = [header, "-" * len(header)]
        for row in self.rows:
            s = row.staffing
            asa = s.figures.average_speed_of_answer
            lines.append(
                f"{row.start:%H:%M} {s.calls:>6.0f} {s.handle_time.total_seconds():>6.0f} "
                f"{s.traffic:>8.2f} {s.agents:>6} {s.scheduled:>8} "
                f"{s.figures.service_level:>6.1%} "
                f"{'-' if asa is None else f'{asa.total_seconds():.1f}':>6} "
                f"{s.figures.occupancy:>5.0%}"
            )
        return "\n".join(lines)


def staffing_plan(
    forecasts: Iterable[IntervalForecast],
    *,
    interval: dt.timedelta,
    target: ServiceTarget,
    shrinkage: float = 0.0,
) -> StaffingPlan:
    """The staffing of each forecast interval (e.g. 96 of 15 minutes, or 48 of 30, a day).

    The forecasts must follow each other exactly ``interval`` apart (in physical time);
    ``ValidationError`` lists every gap, overlap and bad value at once. Intervals with the same
    calls and handle time share one search (and one :class:`Staffing`).
    """
    rows = tuple(forecasts)
    problems: list[Problem] = []
    if not is_duration(interval, positive=True):
        raise ValidationError(
            "staffing plan",
            [Problem("interval", f"expected a positive timedelta, got {shown(interval)}")],
        )
    starts = [forecast.start.astimezone(dt.UTC) for forecast in rows]
    for i in range(1, len(rows)):
        gap = starts[i] - starts[i - 1]
        if gap != interval:
            problems.append(
                Problem(f"forecasts[{i}].start", f"{gap} after the previous one, not {interval}")
            )
    if problems:
        raise ValidationError("staffing plan", problems)
    on_the_phones, bad_shrinkage = (1, 1), None
    try:
        on_the_phones = _on_the_phones(shrinkage)
    except ValidationError as error:
        bad_shrinkage = error  # reported on every interval, as agents_needed does
    # one search per (calls, handle time): only checked values are stored, and zero is left
    # out (0.0 == -0.0, and it needs no search)
    known: dict[tuple[type, float, dt.timedelta], Staffing] = {}
    staffed = []
    for i, forecast in enumerate(rows):
        calls, handle_time = forecast.calls, forecast.handle_time
        key = (type(calls), calls, handle_time)
        shared = type(calls) in (int, float) and calls != 0 and type(handle_time) is dt.timedelta
        staffing = known.get(key) if shared else None
        if staffing is None:
            try:
                traffic = traffic_of(calls, interval, handle_time)
                if bad_shrinkage is not None:
                    raise bad_shrinkage
            except ValidationError as error:
                problems.extend(
                    Problem(f"forecasts[{i}].{p.path}", p.message) for p in error.problems
                )
                continue
            staffing = _staffing(calls, handle_time, traffic, target, on_the_phones)
            if shared:
                known[key] = staffing
        end = (starts[i] + interval).astimezone(forecast.start.tzinfo)
        staffed.append(IntervalStaffing(start=forecast.start, end=end, staffing=staffing))
    if problems:
        raise ValidationError("staffing plan", problems)
    return StaffingPlan(interval=interval, target=target, shrinkage=shrinkage, rows=tuple(staffed))
