"""Phase I: estimate limits, set aside the out-of-control points, re-estimate until stable."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

import attrs

from itsm_core.errors import Problem, ValidationError


class SupportsPhaseOne(Protocol):
    """A chart that can say which points are out of control and which were excluded."""

    @property
    def out_of_control(self) -> tuple[int, ...]:
        """Indices of the points on or beyond a limit."""
        ...

    @property
    def excluded(self) -> tuple[int, ...]:
        """Indices left out of the estimate."""
        ...


C = TypeVar("C", bound=SupportsPhaseOne)


@attrs.frozen(kw_only=True)
class PhaseOne(Generic[C]):
    """The charts of each round (first: all points; last: the trial limits to freeze)."""

    rounds: tuple[C, ...]
    removed: tuple[int, ...]
    stable: bool

    @property
    def initial(self) -> C:
        """The chart estimated from every point."""
        return self.rounds[0]

    @property
    def final(self) -> C:
        """The chart after the last recomputation: its limits are the Phase II limits."""
        return self.rounds[-1]


def phase_one(build: Callable[[frozenset[int]], C], *, max_rounds: int = 10) -> PhaseOne[C]:
    """Re-estimate a chart without its out-of-control points until none is left, or give up.

    ``build(excluded)`` returns the chart estimated without the points in ``excluded``, e.g.
    ``lambda ex: p_chart(counts, sizes, exclude=ex)``. Each round removes every point that is
    beyond the limits and not yet removed (Montgomery's practice in the p chart examples:
    drop the samples with assignable causes, recompute, look again). Removing a point is a
    claim that it had an assignable cause: review :attr:`PhaseOne.removed` before freezing
    the limits. ``stable`` is False when ``max_rounds`` ran out first.

    >>> from itsm_core.improvement import p_chart
    >>> result = phase_one(lambda ex: p_chart([3, 2, 4, 15, 3, 2], 100, exclude=ex))
    >>> result.removed, round(result.final.centre, 3), result.stable
    ((3,), 0.028, True)
    """
    if max_rounds < 1:
        raise ValidationError("phase_one", [Problem("max_rounds", f"must be >= 1: {max_rounds}")])
    removed: set[int] = set()
    chart = build(frozenset())
    rounds = [chart]
    order: list[int] = []
    for _ in range(max_rounds):
        new = [i for i in chart.out_of_control if i not in removed]
        if not new:
            return PhaseOne(rounds=tuple(rounds), removed=tuple(order), stable=True)
        removed.update(new)
        order.extend(new)
        chart = build(frozenset(removed))
        rounds.append(chart)
    stable = all(i in removed for i in chart.out_of_control)
    return PhaseOne(rounds=tuple(rounds), removed=tuple(order), stable=stable)
