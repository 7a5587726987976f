"""Erlang B and Erlang C: the M/M/c queue of a hotline, computed stably for any traffic.

``traffic`` is the offered load in erlangs, ``A = calls per interval * handle time / interval``;
``agents`` is the number of agents answering, ``c``.

* Erlang B (blocking, no queue) by the recursion ``B(0) = 1``,
  ``B(n) = A B(n-1) / (n + A B(n-1))``: every term stays in [0, 1], no power or factorial is
  ever formed, so 10,000 erlangs are as safe as 10.
* Erlang C (the probability that a call waits) from B:
  ``C = c B / (c - A (1 - B))`` for ``c > A``; with ``c <= A`` the queue grows without bound
  and every call waits (``C = 1``).
* Service level, the probability that a call is answered within ``t``:
  ``P(W <= t) = 1 - C exp(-(c - A) t / AHT)``.
* Average speed of answer ``ASA = C AHT / (c - A)``; occupancy ``A / c``.

Erlang A (with abandonment) is not provided: see docs/routing.md.
"""

from __future__ import annotations

import datetime as dt
import math

import attrs

from itsm_core._checks import is_int
from itsm_core._plain import is_duration, is_number, shown
from itsm_core.errors import Problem, ValidationError


def _check(agents: int, traffic: float) -> None:
    problems = []
    if not (is_int(agents) and agents >= 0):
        problems.append(Problem("agents", f"expected an integer >= 0, got {shown(agents)}"))
    if not (is_number(traffic) and traffic >= 0):
        problems.append(Problem("traffic", f"expected a finite number >= 0, got {shown(traffic)}"))
    if problems:
        raise ValidationError("Erlang formula", problems)


def erlang_b(agents: int, traffic: float) -> float:
    """The probability that a call finds every one of ``agents`` busy with no queue (Erlang B).

    >>> round(erlang_b(10, 4.461), 4)  # the Erlang B table: 10 lines carry 4.461 E at 1 %
    0.01
    >>> erlang_b(0, 3.0), erlang_b(5, 0.0)
    (1.0, 0.0)
    """
    _check(agents, traffic)
    return blocking_of(agents, traffic)


def blocking_of(agents: int, traffic: float) -> float:
    """Erlang B by its recursion, for checked ``agents`` and ``traffic``."""
    blocking = 1.0
    for n in range(1, agents + 1):
        carried = traffic * blocking
        blocking = carried / (n + carried)
    return blocking


def erlang_c(agents: int, traffic: float) -> float:
    """The probability that a call has to wait for one of ``agents`` (Erlang C).

    1.0 when ``agents <= traffic`` (the queue is unstable: everyone waits).

    >>> round(erlang_c(14, 10.0), 7)  # 100 calls in 30 min, 180 s each, 14 agents
    0.1741319
    """
    _check(agents, traffic)
    if traffic == 0:
        return 0.0
    if agents <= traffic:
        return 1.0
    return waiting_from_blocking(agents, traffic, erlang_b(agents, traffic))


def waiting_from_blocking(agents: int, traffic: float, blocking: float) -> float:
    """Erlang C from Erlang B for the same agents and traffic (``agents > traffic > 0``)."""
    return agents * blocking / (agents - traffic * (1.0 - blocking))


def level_from_waiting(waiting: float, spare: float, answer_within: float, aht: float) -> float:
    """The service level ``1 - C exp(-(c - A) t / AHT)``, not clamped; ``spare`` is ``c - A``
    and ``answer_within`` and ``aht`` are seconds."""
    return 1.0 - waiting * math.exp(-spare * answer_within / aht)


def _positive_seconds(value: dt.timedelta, name: str, problems: list[Problem]) -> float:
    if not is_duration(value, positive=True):
        problems.append(Problem(name, f"expected a positive timedelta, got {shown(value)}"))
        return 1.0
    return value.total_seconds()


@attrs.frozen(kw_only=True)
class QueueFigures:
    """What ``agents`` answering ``traffic`` erlangs achieve (Erlang C).

    With no traffic nobody waits: service level 1, ASA 0, occupancy 0, whatever the agents.
    ``stable`` is false when ``0 < traffic`` and ``agents <= traffic``: every call waits, the
    queue grows without bound, the service level is 0, the average speed of answer is None
    (infinite) and occupancy is 1. An ASA longer than a timedelta holds (traffic a hair below
    the agents, 4.999999999 erlangs on 5) is ``timedelta.max``.
    """

    agents: int
    traffic: float
    probability_of_waiting: float
    service_level: float
    answer_within: dt.timedelta
    average_speed_of_answer: dt.timedelta | None
    occupancy: float

    @property
    def stable(self) -> bool:
        """True when the agents can carry the traffic (``agents > traffic``)."""
        return self.average_speed_of_answer is not None


def queue_figures(
    *,
    agents: int,
    traffic: float,
    handle_time: dt.timedelta,
    answer_within: dt.timedelta,
) -> QueueFigures:
    """Probability of waiting, service level within ``answer_within``, ASA and occupancy.

    >>> figures = queue_figures(agents=14, traffic=10.0, handle_time=dt.timedelta(seconds=180),
    ...                         answer_within=dt.timedelta(seconds=20))
    >>> round(figures.service_level, 4), round(figures.occupancy, 4)
    (0.8884, 0.7143)
    >>> figures.average_speed_of_answer
    datetime.timedelta(seconds=7, microseconds=835937)
    """
    problems: list[Problem] = []
    aht = _positive_seconds(handle_time, "handle_time", problems)
    if not is_duration(answer_within, positive=False):
        problems.append(
            Problem("answer_within", f"expected a timedelta >= 0, got {shown(answer_within)}")
        )
    if problems:
        raise ValidationError("queue figures", problems)
    _check(agents, traffic)
    blocking = erlang_b(agents, traffic) if 0 < traffic < agents else 0.0
    return figures_from_blocking(agents, traffic, blocking, aht, answer_within)


def figures_from_blocking(
    agents: int, traffic: float, blocking: float, aht: float, answer_within: dt.timedelta
) -> QueueFigures:
    """The figures of ``agents`` for ``traffic`` given Erlang B (``aht`` in seconds)."""
    if traffic == 0:
        return QueueFigures(
            agents=agents,
            traffic=traffic,
            probability_of_waiting=0.0,
            service_level=1.0,
            answer_within=answer_within,
            average_speed_of_answer=dt.timedelta(0),
            occupancy=0.0,
        )
    if agents <= traffic:
        return QueueFigures(
            agents=agents,
            traffic=traffic,
            probability_of_waiting=1.0,
            service_level=0.0,
            answer_within=answer_within,
            average_speed_of_answer=None,
            occupancy=1.0,
        )
    waiting = waiting_from_blocking(agents, traffic, blocking)
    spare = agents - traffic
    level = level_from_waiting(waiting, spare, answer_within.total_seconds(), aht)
    return QueueFigures(
        agents=agents,
        traffic=traffic,
        probability_of_waiting=waiting,
        service_level=min(max(level, 0.0), 1.0),
        answer_within=answer_within,
        average_speed_of_answer=_seconds(waiting * aht / spare),
        occupancy=traffic / agents,
    )


def _seconds(value: float) -> dt.timedelta:
    """``value`` seconds, or :attr:`datetime.timedelta.max` beyond it: with traffic a hair
    below the agents (4.999999999 erlangs on 5) the average speed of answer is finite but
    longer than a timedelta holds (about 2.7 million years), which no target can meet."""
    try:
        return dt.timedelta(seconds=value)
    except OverflowError:
        return dt.timedelta.max
