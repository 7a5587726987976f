"""Measured hotline KPIs per interval, and the measured figures beside the Erlang plan.

Each call counts in the interval in which it was **offered** (its arrival); occupancy alone is
measured in the interval in which the agents were busy (answered to wrapped up, split at the
interval boundaries), as workforce tools measure it.

Service level conventions (:class:`ServiceLevelConvention`): calls still waiting when the
figures are taken have no outcome and are left out of every rate.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping, Sequence

import attrs

from itsm_core._checks import check_aware
from itsm_core._plain import is_a, is_duration, is_number, shown
from itsm_core.calls._call import Call
from itsm_core.errors import Problem, ValidationError
from itsm_core.routing import StaffingPlan

_ZERO = dt.timedelta(0)


class ServiceLevelConvention(enum.StrEnum):
    """How abandoned calls count in the service level ``answered within X s / calls``.

    * ``SHORT_ABANDONS_IGNORED`` (the default): ``answered within X / (answered + abandoned -
      short abandons)``. A caller who hangs up within the short-abandon threshold (a wrong
      number, a caller who changes their mind) is not counted; every other abandon is a miss.
    * ``ABANDONS_MISSED``: ``answered within X / (answered + abandoned)``: every abandon is a
      miss.
    * ``ABANDONS_IGNORED``: ``answered within X / answered``: abandons are left out (the most
      flattering; state it when you publish it).
    """

    SHORT_ABANDONS_IGNORED = "short_abandons_ignored"
    ABANDONS_MISSED = "abandons_missed"
    ABANDONS_IGNORED = "abandons_ignored"


@attrs.frozen(kw_only=True)
class IntervalKpis:
    """The measured figures of one interval ``[start, end)``.

    Counts are of calls offered in the interval. Rates are None when their denominator is 0.

    Attributes:
        offered: calls offered.
        answered: of them, answered; ``answered_within``: answered within the target.
        abandoned: hung up before an answer; ``short_abandoned``: of them, within the
            short-abandon threshold.
        waiting: still waiting when measured (no outcome yet).
        service_level: per ``convention``.
        average_speed_of_answer: mean wait of the answered calls.
        abandonment_rate: ``abandoned / (answered + abandoned)``;
            ``abandonment_rate_excluding_short``: ``(abandoned - short) / (answered + abandoned
            - short)``.
        average_handle_time: mean talk + wrap-up of the answered calls that have ended.
        occupancy: agents' busy time in the interval / their staffed time (None when the
            staffing of the interval was not given).
        first_contact_resolution: answered calls that ended settled on the call / answered
            calls that ended.
        callbacks_requested: calls that asked for a callback.
        staffed_agents: the agents on the phones given for the interval (None if not given).
    """

    start: dt.datetime
    end: dt.datetime
    answer_within: dt.timedelta
    convention: ServiceLevelConvention
    offered: int
    answered: int
    answered_within: int
    abandoned: int
    short_abandoned: int
    waiting: int
    service_level: float | None
    average_speed_of_answer: dt.timedelta | None
    abandonment_rate: float | None
    abandonment_rate_excluding_short: float | None
    average_handle_time: dt.timedelta | None
    occupancy: float | None
    first_contact_resolution: float | None
    callbacks_requested: int
    staffed_agents: float | None


def _ratio(part: float, whole: float) -> float | None:
    return None if whole == 0 else part / whole


def _mean(values: Sequence[dt.timedelta]) -> dt.timedelta | None:
    return None if not values else sum(values, _ZERO) / len(values)


def _busy(call: Call) -> tuple[dt.datetime, dt.datetime] | None:
    """When the agent was busy with ``call``: answered to wrapped up (or to ended)."""
    end = call.wrapped_up_at or call.ended_at
    if call.answered_at is None or end is None:
        return None
    return call.answered_at, end


def interval_kpis(
    calls: Iterable[Call],
    *,
    start: dt.datetime,
    end: dt.datetime,
    interval: dt.timedelta = dt.timedelta(minutes=30),
    answer_within: dt.timedelta = dt.timedelta(seconds=20),
    short_abandon: dt.timedelta = dt.timedelta(seconds=5),
    convention: ServiceLevelConvention = ServiceLevelConvention.SHORT_ABANDONS_IGNORED,
    staffed: Mapping[dt.datetime, float] | None = None,
) -> tuple[IntervalKpis, ...]:
    """The KPIs of each interval from ``start`` to ``end`` (``interval`` apart, e.g. 15 or 30
    minutes), for the calls offered in it.

    ``short_abandon``: an abandon after at most this wait is a short abandon (``<=``).
    ``answer_within``: answered after at most this wait counts for the service level (``<=``).
    ``staffed``: the interval's start -> agents on the phones (an average, may be fractional),
    for occupancy.

    Raises ValidationError listing every bad argument.
    """
    problems: list[Problem] = []
    for name, value in (("start", start), ("end", end)):
        if not is_a(value, dt.datetime):
            problems.append(Problem(name, f"expected an aware datetime, got {shown(value)}"))
    if not is_duration(interval, positive=True):
        problems.append(
            Problem("interval", f"expected a positive timedelta, got {shown(interval)}")
        )
    for name, span in (("answer_within", answer_within), ("short_abandon", short_abandon)):
        if not is_duration(span, positive=False):
            problems.append(Problem(name, f"expected a timedelta >= 0, got {shown(span)}"))
    if not is_a(convention, ServiceLevelConvention):
        problems.append(
            Problem("convention", f"expected a ServiceLevelConvention, got {shown(convention)}")
        )
    if problems:
        raise ValidationError("interval_kpis", problems)
    check_aware(start, "interval_kpis.start")
    check_aware(end, "interval_kpis.end")
    if end <= start:
        raise ValidationError("interval_kpis", [Problem("end", "must be after start")])
    given: dict[dt.datetime, float] = {}
    for at, count in (staffed or {}).items():
        if not (is_a(at, dt.datetime) and is_number(count) and count >= 0):
            problems.append(
                Problem(f"staffed[{shown(at)}]", f"expected agents >= 0, got {shown(count)}")
            )
        else:
            given[check_aware(at, "interval_kpis.staffed").astimezone(dt.UTC)] = count
    if problems:
        raise ValidationError("interval_kpis", problems)
    starts = []
    at = start.astimezone(dt.UTC)
    while at < end:
        starts.append(at)
        at += interval
    by_start: dict[dt.datetime, list[Call]] = {s: [] for s in starts}
    busy: list[tuple[dt.datetime, dt.datetime]] = []
    for call in calls:
        offered = call.offered_at.astimezone(dt.UTC)
        if start <= offered < end:
            index = int((offered - starts[0]) // interval)
            by_start[starts[index]].append(call)
        busy_span = _busy(call)
        if busy_span is not None:
            busy.append(busy_span)
    rows = []
    for first in starts:
        last = min(first + interval, end.astimezone(dt.UTC))
        agents = given.get(first)
        busy_seconds = sum(
            max(_ZERO, min(b_end, last) - max(b_start, first)).total_seconds()
            for b_start, b_end in busy
        )
        occupancy = (
            None
            if agents is None
            else _ratio(busy_seconds, agents * (last - first).total_seconds())
        )
        rows.append(
            _figures(
                by_start[first],
                first.astimezone(start.tzinfo),
                last.astimezone(start.tzinfo),
                answer_within,
                short_abandon,
                convention,
                occupancy,
                agents,
            )
        )
    return tuple(rows)


def _figures(
    calls: Sequence[Call],
    start: dt.datetime,
    end: dt.datetime,
    answer_within: dt.timedelta,
    short_abandon: dt.timedelta,
    convention: ServiceLevelConvention,
    occupancy: float | None,
    agents: float | None,
) -> IntervalKpis:
    answered = [c for c in calls if c.answered_at is not None]
    abandoned = [c for c in calls if c.abandoned_at is not None]
    waits = [c.wait for c in answered if c.wait is not None]
    within = sum(1 for w in waits if w <= answer_within)
    short = sum(1 for c in abandoned if c.wait is not None and c.wait <= short_abandon)
    denominator = {
        ServiceLevelConvention.SHORT_ABANDONS_IGNORED: len(answered) + len(abandoned) - short,
        ServiceLevelConvention.ABANDONS_MISSED: len(answered) + len(abandoned),
        ServiceLevelConvention.ABANDONS_IGNORED: len(answered),
    }[convention]
    ended = [c for c in answered if c.ended_at is not None]
    handles = [c.handle for c in ended if c.handle is not None]
    return IntervalKpis(
        start=start,
        end=end,
        answer_within=answer_within,
        convention=convention,
        offered=len(calls),
        answered=len(answered),
        answered_within=within,
        abandoned=len(abandoned),
        short_abandoned=short,
        waiting=len(calls) - len(answered) - len(abandoned),
        service_level=_ratio(within, denominator),
        average_speed_of_answer=_mean(waits),
        abandonment_rate=_ratio(len(abandoned), len(answered) + len(abandoned)),
        abandonment_rate_excluding_short=_ratio(
            len(abandoned) - short, len(answered) + len(abandoned) - short
        ),
        average_handle_time=_mean(handles),
        occupancy=occupancy,
        first_contact_resolution=_ratio(sum(1 for c in ended if c.resolved), len(ended)),
        callbacks_requested=sum(1 for c in calls if c.callback_requested_at is not None),
        staffed_agents=agents,
    )


@attrs.frozen(kw_only=True)
class PlanActual:
    """One interval of the Erlang staffing plan beside what was measured.

    ``*_planned`` come from :func:`itsm_core.routing.staffing_plan`; the others from
    :func:`interval_kpis`. ``calls_variance`` is offered minus forecast; ``agents_variance``
    staffed minus the agents the plan needs on the phones (None when staffing was not given).
    """

    start: dt.datetime
    calls_forecast: float
    calls_offered: int
    agents_planned: int
    agents_staffed: float | None
    service_level_planned: float
    service_level: float | None
    average_speed_of_answer_planned: dt.timedelta | None
    average_speed_of_answer: dt.timedelta | None
    handle_time_planned: dt.timedelta
    average_handle_time: dt.timedelta | None
    occupancy_planned: float
    occupancy: float | None

    @property
    def calls_variance(self) -> float:
        return self.calls_offered - self.calls_forecast

    @property
    def agents_variance(self) -> float | None:
        return None if self.agents_staffed is None else self.agents_staffed - self.agents_planned

    @property
    def target_met(self) -> bool | None:
        """True when the measured service level reached the planned target's level (None: no
        call with an outcome)."""
        if self.service_level is None:
            return None
        return self.service_level >= self.service_level_planned


def plan_vs_actual(plan: StaffingPlan, kpis: Sequence[IntervalKpis]) -> tuple[PlanActual, ...]:
    """Each interval of ``plan`` beside the measured :class:`IntervalKpis` of the same start.

    ``service_level_planned`` is the plan's target level (what the Erlang staffing was built to
    reach). Raises ValidationError naming every planned interval with no measured figures, and
    every measured interval whose length differs from the plan's.
    """
    measured = {row.start.astimezone(dt.UTC): row for row in kpis}
    problems = []
    out = []
    for index, row in enumerate(plan.rows):
        found = measured.get(row.start.astimezone(dt.UTC))
        if found is None:
            problems.append(
                Problem(
                    f"plan.rows[{index}]", f"no measured interval starts at {row.start.isoformat()}"
                )
            )
            continue
        if found.end - found.start != plan.interval:
            problems.append(
                Problem(
                    f"plan.rows[{index}]",
                    f"measured over {found.end - found.start}, planned over {plan.interval}",
                )
            )
            continue
        staffing = row.staffing
        out.append(
            PlanActual(
                start=row.start,
                calls_forecast=staffing.calls,
                calls_offered=found.offered,
                agents_planned=staffing.agents,
                agents_staffed=found.staffed_agents,
                service_level_planned=plan.target.service_level,
                service_level=found.service_level,
                average_speed_of_answer_planned=staffing.figures.average_speed_of_answer,
                average_speed_of_answer=found.average_speed_of_answer,
                handle_time_planned=staffing.handle_time,
                average_handle_time=found.average_handle_time,
                occupancy_planned=staffing.figures.occupancy,
                occupancy=found.occupancy,
            )
        )
    if problems:
        raise ValidationError("plan_vs_actual", problems)
    return tuple(out)
