"""24-hour duty: shifts that must cover every minute, and the handover log between them."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable

import attrs

from itsm_core._checks import check_aware_fields, is_int
from itsm_core._plain import is_a, is_duration, is_text, shown
from itsm_core.errors import Problem, ValidationError


@attrs.frozen(kw_only=True)
class Shift:
    """``agent`` on duty from ``start`` to ``end``."""

    agent: str
    start: dt.datetime
    end: dt.datetime

    def __attrs_post_init__(self) -> None:
        check_aware_fields(self, "start", "end")
        problems = []
        if not is_text(self.agent):
            problems.append(Problem("agent", f"expected a name, got {shown(self.agent)}"))
        if self.end <= self.start:
            problems.append(Problem("end", "must be after start"))
        if problems:
            raise ValidationError("shift", problems)

    def covers(self, at: dt.datetime) -> bool:
        return self.start <= at < self.end


@attrs.frozen(kw_only=True)
class HandoverEntry:
    """One entry of the handover log (交接班记录): at ``at``, ``from_agent`` hands the duty to
    ``to_agent`` with the ``open_items`` still running (calls to return, tickets) and a note."""

    at: dt.datetime
    from_agent: str
    to_agent: str
    open_items: tuple[str, ...] = ()
    note: str = ""

    def __attrs_post_init__(self) -> None:
        check_aware_fields(self, "at")
        problems = [
            Problem(name, f"expected a name, got {shown(getattr(self, name))}")
            for name in ("from_agent", "to_agent")
            if not is_text(getattr(self, name))
        ]
        if problems:
            raise ValidationError("handover entry", problems)


@attrs.frozen(kw_only=True)
class CoverageGap:
    """From ``start`` to ``end``, fewer than the minimum agents were on duty (``on_duty``)."""

    start: dt.datetime
    end: dt.datetime
    on_duty: int


@attrs.frozen(kw_only=True)
class MissingHandover:
    """A shift that ended at ``at`` without a handover entry from its agent (``problem`` says
    what is missing or wrong)."""

    agent: str
    at: dt.datetime
    problem: str


@attrs.frozen(kw_only=True)
class DutyCheck:
    """What :func:`check_duty` found: coverage gaps and shift ends with no proper handover."""

    gaps: tuple[CoverageGap, ...]
    missing_handovers: tuple[MissingHandover, ...]

    @property
    def continuous(self) -> bool:
        """True when the duty was covered throughout and every shift was handed over."""
        return not self.gaps and not self.missing_handovers


def check_duty(
    shifts: Iterable[Shift],
    handovers: Iterable[HandoverEntry],
    *,
    start: dt.datetime,
    end: dt.datetime,
    minimum: int = 1,
    tolerance: dt.timedelta = dt.timedelta(minutes=15),
) -> DutyCheck:
    """Check 24-hour duty continuity from ``start`` to ``end``.

    A gap is a stretch with fewer than ``minimum`` agents on duty. Every shift that ends
    inside the window while the duty goes on must have a handover entry from its agent within
    ``tolerance`` of its end, to an agent on duty at that moment.

    >>> import datetime as dt
    >>> day = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
    >>> h = dt.timedelta(hours=1)
    >>> shifts = [Shift(agent="ana", start=day, end=day + 12 * h),
    ...           Shift(agent="bo", start=day + 13 * h, end=day + 24 * h)]
    >>> found = check_duty(shifts, [], start=day, end=day + 24 * h)
    >>> [(g.start.hour, g.end.hour) for g in found.gaps], [m.agent for m in found.missing_handovers]
    ([(12, 13)], ['ana'])
    """
    shifts = tuple(shifts)
    handovers = tuple(handovers)
    problems = []
    if not (is_int(minimum) and minimum >= 1):
        problems.append(Problem("minimum", f"expected an integer >= 1, got {shown(minimum)}"))
    if not is_duration(tolerance, positive=False):
        problems.append(Problem("tolerance", f"expected a timedelta >= 0, got {shown(tolerance)}"))
    problems.extend(
        Problem(f"shifts[{i}]", f"expected a Shift, got {shown(s)}")
        for i, s in enumerate(shifts)
        if not is_a(s, Shift)
    )
    problems.extend(
        Problem(f"handovers[{i}]", f"expected a HandoverEntry, got {shown(h)}")
        for i, h in enumerate(handovers)
        if not is_a(h, HandoverEntry)
    )
    if problems:
        raise ValidationError("check_duty", problems)
    probe = Shift(agent="window", start=start, end=end)  # checks start and end
    # sweep: every instant where the number on duty changes
    marks = sorted(
        {probe.start, probe.end, *(t for s in shifts for t in (s.start, s.end) if start < t < end)}
    )
    gaps: list[CoverageGap] = []
    for left, right in itertools.pairwise(marks):
        on_duty = sum(1 for s in shifts if s.start <= left and s.end >= right)
        if on_duty < minimum:
            if gaps and gaps[-1].end == left and gaps[-1].on_duty == on_duty:
                gaps[-1] = attrs.evolve(gaps[-1], end=right)
            else:
                gaps.append(CoverageGap(start=left, end=right, on_duty=on_duty))
    missing = []
    for shift in sorted(shifts, key=lambda s: (s.end, s.agent)):
        if not (start < shift.end < end):
            continue
        entries = [
            h
            for h in handovers
            if h.from_agent == shift.agent and abs(h.at - shift.end) <= tolerance
        ]
        if not entries:
            missing.append(
                MissingHandover(agent=shift.agent, at=shift.end, problem="no handover entry")
            )
        elif not any(any(_takes_over(s, h, tolerance) for s in shifts) for h in entries):
            missing.append(
                MissingHandover(
                    agent=shift.agent, at=shift.end, problem="handed over to no one on duty"
                )
            )
    return DutyCheck(gaps=tuple(gaps), missing_handovers=tuple(missing))


def _takes_over(shift: Shift, entry: HandoverEntry, tolerance: dt.timedelta) -> bool:
    """True when ``shift`` is the receiving agent's, on duty at the entry (or starting within
    ``tolerance`` of it)."""
    return shift.agent == entry.to_agent and shift.start - tolerance <= entry.at < shift.end
