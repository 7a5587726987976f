"""Measuring a cycle: clock time elapsed, and the instant a clock time is reached."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import attrs

from itsm_core.calendar import BusinessTime

#: Interval kinds of a cycle: counting, paused, and stopped between a stop and a continue.
RUN, PAUSE, GAP = "run", "pause", "gap"

Interval = tuple[dt.datetime, dt.datetime, str]


@attrs.frozen
class Run:
    """A cycle under way (or as it stood when it stopped): closed intervals and the open one."""

    number: int
    started_at: dt.datetime
    intervals: tuple[Interval, ...]
    since: dt.datetime
    running: bool
    original_due_at: dt.datetime | None = None

    def switch(self, at: dt.datetime, running: bool) -> Run:
        """The run with its open interval closed at ``at`` and a new one opened."""
        closed = (self.since, at, RUN if self.running else PAUSE)
        intervals = self.intervals if at == self.since else (*self.intervals, closed)
        return Run(self.number, self.started_at, intervals, at, running, self.original_due_at)

    def pauses(self, open_end: bool) -> tuple[tuple[dt.datetime, dt.datetime | None], ...]:
        """The pauses, the open one last (ending None) when ``open_end`` and paused."""
        out: list[tuple[dt.datetime, dt.datetime | None]] = [
            (a, b) for a, b, kind in self.intervals if kind == PAUSE
        ]
        if open_end and not self.running:
            out.append((self.since, None))
        return tuple(out)


def running_spans(run: Run, until: dt.datetime) -> Iterator[tuple[dt.datetime, dt.datetime]]:
    """The counting stretches of ``run`` up to ``until``."""
    for a, b, kind in run.intervals:
        if kind == RUN:
            yield a, b
    if run.running and until > run.since:
        yield run.since, until


def elapsed(base: BusinessTime, run: Run, until: dt.datetime) -> dt.timedelta:
    """Clock time of ``run`` up to ``until`` (the plain form of :meth:`Progress.elapsed`)."""
    return sum((base.elapsed(a, b) for a, b in running_spans(run, until)), dt.timedelta(0))


def instant(base: BusinessTime, run: Run, point: dt.timedelta) -> dt.datetime | None:
    """When ``run`` reaches clock time ``point``: in a past counting stretch, or ahead while
    running; None when paused (or stopped) before reaching it. The plain form of
    :meth:`Progress.instant`, which asks the calendar once per stretch for many points."""
    if point <= dt.timedelta(0):
        return run.started_at
    total = dt.timedelta(0)
    for a, b, kind in run.intervals:
        if kind != RUN:
            continue
        length = base.elapsed(a, b)
        if total + length >= point:
            return base.add(a, point - total)
        total += length
    if run.running:
        return base.add(run.since, point - total)
    return None


class Progress:
    """One run on one time base, measured once: the clock time of each closed counting
    stretch is asked of the calendar once, so the elapsed time and several instants (the due
    time and every threshold) cost one calendar call per stretch, not one per question.

    A helper of a single measurement: it is built, asked and dropped by one caller.
    """

    def __init__(self, base: BusinessTime, run: Run) -> None:
        self.base = base
        self.run = run
        #: ``(start, clock time)`` of each closed counting stretch, in order.
        self.stretches = tuple(
            (a, base.elapsed(a, b)) for a, b, kind in run.intervals if kind == RUN
        )

    def elapsed(self, until: dt.datetime) -> dt.timedelta:
        """Clock time of the run up to ``until`` (same as :func:`elapsed`)."""
        total = sum((length for _, length in self.stretches), dt.timedelta(0))
        if self.run.running and until > self.run.since:
            total += self.base.elapsed(self.run.since, until)
        return total

    def instant(self, point: dt.timedelta) -> dt.datetime | None:
        """When the run reaches clock time ``point`` (same as :func:`instant`)."""
        if point <= dt.timedelta(0):
            return self.run.started_at
        total = dt.timedelta(0)
        for a, length in self.stretches:
            if total + length >= point:
                return self.base.add(a, point - total)
            total += length
        if self.run.running:
            return self.base.add(self.run.since, point - total)
        return None
