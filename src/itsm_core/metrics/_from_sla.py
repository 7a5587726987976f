"""From the SLA engine to compliance: clock states of :mod:`itsm_core.sla` as SLA outcomes.

:func:`itsm_core.sla.evaluate` measures a ticket's clocks at an instant; compliance counts one
outcome per clock. The mapping (the docs of :func:`sla_status` state it in full) keeps the
compliance denominator honest: a clock still running past its target is a breach already,
a clock still within its target is undecided, and a cancelled clock is no outcome at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from itsm_core.metrics._definitions import Dimension
from itsm_core.metrics._inputs import SlaOutcome, SlaStatus
from itsm_core.sla import ClockState, ClockStatus, SlaReport

_ZERO = dt.timedelta(0)


def sla_status(clock: ClockState) -> SlaStatus | None:
    """The compliance outcome of one clock cycle, None for a cancelled one.

    | clock status (``ClockStatus``)     | outcome (``SlaStatus``) |
    |------------------------------------|-------------------------|
    | ``met``                            | ``met``                 |
    | ``met_late``                       | ``breached``            |
    | ``breached`` (still under way)     | ``open_breached``       |
    | ``running``/``paused``, past due   | ``open_breached``       |
    | ``running``/``paused``, within     | ``open_within``         |
    | ``not_started``                    | ``open_within``         |
    | ``cancelled``                      | None: not counted       |

    "Past due" means no clock time remains (``remaining <= 0``); the SLA engine already calls
    such a cycle ``breached``, the rule only covers states built by hand. A clock without a
    target never breaches: while it runs it is ``open_within``.

    >>> import datetime as dt
    >>> from itsm_core.sla import ClockKind
    >>> now = dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)
    >>> clock = ClockState(name="resolution", group=None, kind=ClockKind.SLA, policy="std",
    ...                    cycle=1, status=ClockStatus.MET_LATE, measured_at=now)
    >>> sla_status(clock)
    <SlaStatus.BREACHED: 'breached'>
    """
    status = clock.status
    if status is ClockStatus.MET:
        return SlaStatus.MET
    if status is ClockStatus.MET_LATE:
        return SlaStatus.BREACHED
    if status is ClockStatus.CANCELLED:
        return None
    if status is ClockStatus.BREACHED:
        return SlaStatus.OPEN_BREACHED
    if status.ongoing and clock.remaining is not None and clock.remaining <= _ZERO:
        return SlaStatus.OPEN_BREACHED
    return SlaStatus.OPEN_WITHIN


def sla_outcomes(
    report: SlaReport,
    *,
    at: dt.datetime,
    dimensions: Mapping[str, str] | None = None,
    history: bool = False,
) -> tuple[SlaOutcome, ...]:
    """The outcomes of a ticket's SLA report, ready for :meth:`KpiAccumulator.add_sla`.

    One outcome per clock (its latest cycle; every cycle when ``history``), named by the
    clock (``"first_response"``, ``"resolution"``); cancelled cycles give none (see
    :func:`sla_status` for the mapping).

    Args:
        report: what :func:`itsm_core.sla.evaluate` returned for the ticket.
        at: the instant that places the outcomes in a period; pass the ticket's opening time
            to keep them in the same cohort as its other KPIs.
        dimensions: the ticket's group values (``{"priority": "2"}``). A per-group clock
            (an OLA of one assignment group) also gets ``assignment_group`` set to its group.
        history: also count the earlier cycles of each clock (a restarted clock).

    Raises:
        NaiveDatetimeError: ``at`` is naive.
    """
    base = dict(dimensions or {})
    cycles = (*report.history, *report.clocks) if history else report.clocks
    out = []
    for clock in cycles:
        status = sla_status(clock)
        if status is None:
            continue
        values = base
        if clock.group is not None:
            values = {**base, Dimension.GROUP.value: clock.group}
        out.append(
            SlaOutcome(
                ticket_id=report.ticket_id,
                metric=clock.name,
                status=status,
                at=at,
                dimensions=values,
            )
        )
    return tuple(out)
