"""From the KPI module to a cycle: a metrics result as the :class:`Measurement` a baseline or a
Check step records."""

from __future__ import annotations

import datetime as dt

from itsm_core.errors import InsufficientData, Problem, ValidationError
from itsm_core.improvement._measurement import KpiKind, Measurement
from itsm_core.metrics import DurationResult, RateResult

#: The time units a duration KPI's mean can be expressed in.
TIME_UNITS: dict[str, dt.timedelta] = {
    "s": dt.timedelta(seconds=1),
    "min": dt.timedelta(minutes=1),
    "h": dt.timedelta(hours=1),
    "d": dt.timedelta(days=1),
}


def measurement_from_kpi(
    result: DurationResult | RateResult, *, kpi: str | None = None, unit: str = "h"
) -> Measurement:
    """The measurement of a KPI result: what a baseline or a Check step records.

    A :class:`~itsm_core.metrics.RateResult` gives a proportion (``successes / n`` of the
    decided tickets; open, undecided ones are not in it). A
    :class:`~itsm_core.metrics.DurationResult` gives its mean in ``unit`` (``"s"``, ``"min"``,
    ``"h"``, ``"d"``) with the standard deviation, over the ``n`` tickets that reached the end
    milestone. The period is the result's period; the name is the KPI's unless ``kpi`` is
    given. Two measurements of the same KPI definition compare with
    :func:`~itsm_core.improvement.compare`.

    Raises:
        InsufficientData: no ticket is behind the result (``n == 0``): a rate or mean over
            nothing is undefined, not 0.
        ValidationError: an unknown ``unit``.

    >>> import datetime as dt
    >>> from itsm_core.metrics import Granularity, KpiAccumulator, PeriodGrid, ReportSpec
    >>> from itsm_core.tickets import CommandContext, OpenTicket, TicketKind, decide
    >>> now = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    >>> _, events = decide(None, OpenTicket(ticket_id="C1", kind=TicketKind.COMPLAINT,
    ...                                     requester="li"),
    ...                    CommandContext(actor="li", role="customer", now=now))
    >>> week = PeriodGrid(Granularity.WEEK, "UTC", dt.date(2026, 3, 2), dt.date(2026, 3, 8))
    >>> report = KpiAccumulator(ReportSpec(periods=week)).add_all(events).report()
    >>> measurement_from_kpi(report.rate("complaint_rate")).describe()
    'complaint_rate 100.0% (n=1)'
    """
    name = result.kpi.name if kpi is None else kpi
    where = f"measurement_from_kpi({name!r})"
    period = result.period
    if isinstance(result, RateResult):
        if result.n == 0:
            problem = Problem("n", "no decided ticket: the rate is undefined")
            raise InsufficientData(where, [problem])
        return Measurement.proportion(
            name,
            result.successes,
            result.n,
            period_start=period.start,
            period_end=period.end,
        )
    scale = TIME_UNITS.get(unit)
    if scale is None:
        raise ValidationError(
            where, [Problem("unit", f"{unit!r} is not one of {', '.join(TIME_UNITS)}")]
        )
    if result.mean is None:
        raise InsufficientData(
            where, [Problem("n", "no ticket reached the end milestone: the mean is undefined")]
        )
    sd = result.standard_deviation
    return Measurement(
        kpi=name,
        value=result.mean / scale,
        n=result.n,
        period_start=period.start,
        period_end=period.end,
        kind=KpiKind.MEAN,
        unit=unit,
        standard_deviation=None if sd is None else sd / scale,
    )
