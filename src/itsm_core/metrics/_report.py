"""Turning a tally into a :class:`KpiReport`: statistics, intervals, backlog and flows."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from itsm_core.metrics._definitions import DurationKpi, RateKpi
from itsm_core.metrics._periods import Period
from itsm_core.metrics._results import (
    ALL_PERIODS,
    BacklogPoint,
    Breakdown,
    Compliance,
    Diagnostics,
    DurationResult,
    Flow,
    KpiReport,
    RateResult,
    Satisfaction,
    TicketCount,
)
from itsm_core.metrics._tally import VERDICTS, Cell, DurationCell, Tally
from itsm_core.satisfaction import NpsCounts, nps
from itsm_core.stats import proportion

_US = dt.timedelta(microseconds=1)


def _us(value: float | int | None) -> dt.timedelta | None:
    return None if value is None else dt.timedelta(microseconds=round(value))


def _duration(
    kpi: DurationKpi, period: Period, group: tuple[str, ...], cell: DurationCell
) -> DurationResult:
    n = cell.n
    mean = cell.total / n if n else None
    sd = None
    if n > 1:
        # Exact integer arithmetic up to the one division: (n Σx² − (Σx)²) / (n (n − 1)).
        variance = (n * cell.sum_squares - cell.total * cell.total) / (n * (n - 1))
        sd = max(variance, 0.0) ** 0.5
    return DurationResult(
        kpi=kpi,
        period=period,
        group=group,
        n=n,
        censored=cell.censored,
        excluded=cell.excluded,
        mean=_us(mean),
        median=_us(cell.store.quantile(50, kpi.quantiles)),
        p90=_us(cell.store.quantile(90, kpi.quantiles)),
        standard_deviation=_us(sd),
        exact_quantiles=cell.store.exact,
    )


def _rate(
    kpi: RateKpi, period: Period, group: tuple[str, ...], rates: list[int], position: int
) -> RateResult:
    base = position * len(VERDICTS)
    counts = dict(zip(VERDICTS, rates[base : base + len(VERDICTS)], strict=True))
    successes = counts["yes"] + counts["open_yes"]
    n = successes + counts["no"] + counts["open_no"]
    return RateResult(
        kpi=kpi,
        period=period,
        group=group,
        successes=successes,
        n=n,
        censored=counts["censored"] + counts["open_yes"] + counts["open_no"],
        estimate=proportion(successes, n) if n else None,
    )


def build_report(tally: Tally, as_of: dt.datetime, in_flight: int) -> KpiReport:
    """The report of a tally whose in-flight tickets were emitted as of ``as_of``."""
    spec = tally.spec
    periods = spec.periods.periods
    everything = Period(ALL_PERIODS, spec.periods.start, spec.periods.end)
    labelled = [*periods, everything]
    total = len(periods)  # the index of "all"

    grouped = bool(spec.group_by)
    cells = dict(tally.cells)
    if grouped:
        # Each period over all groups, each group over the whole range, then everything.
        by_period: dict[int, list[Cell]] = {}
        by_group: dict[tuple[str, ...], list[Cell]] = {}
        for (i, group), cell in tally.cells.items():
            by_period.setdefault(i, []).append(cell)
            by_group.setdefault(group, []).append(cell)
        for i, parts in by_period.items():
            cells[(i, ())] = Cell.combined(parts)
        for group, parts in by_group.items():
            cells[(total, group)] = Cell.combined(parts)
        if by_period:
            cells[(total, ())] = Cell.combined([cells[(i, ())] for i in by_period])
    elif tally.cells:
        cells[(total, ())] = Cell.combined(list(tally.cells.values()))
    keys = sorted(cells)

    tickets = tuple(
        TicketCount(period=labelled[i], group=g, tickets=cells[(i, g)].tickets) for i, g in keys
    )
    duration_kpis = [k for k in spec.kpis if isinstance(k, DurationKpi)]
    rate_kpis = [k for k in spec.kpis if isinstance(k, RateKpi)]
    durations = tuple(
        _duration(kpi, labelled[i], g, cells[(i, g)].durations[k].settled())
        for k, kpi in enumerate(duration_kpis)
        for i, g in keys
    )
    counts = {key: cells[key].rate_counts() for key in keys}
    rates = tuple(
        _rate(kpi, labelled[i], g, counts[(i, g)], k)
        for k, kpi in enumerate(rate_kpis)
        for i, g in keys
    )

    breakdown_counts: Counter[tuple[int, str, str]] = Counter(tally.breakdowns)
    for (_, dimension, value), count in tally.breakdowns.items():
        breakdown_counts[(total, dimension, value)] += count
    order = {d.value: k for k, d in enumerate(spec.breakdowns)}
    breakdowns = tuple(
        Breakdown(period=labelled[i], dimension=d, value=v, tickets=breakdown_counts[(i, d, v)])
        for i, d, v in sorted(breakdown_counts, key=lambda k: (k[0], order[k[1]], k[2]))
    )

    bounds = spec.periods.boundaries
    buckets = len(spec.age_buckets) + 1
    known = [j for j, b in enumerate(spec.periods.utc_boundaries) if b <= as_of]
    backlog = tuple(
        BacklogPoint(
            at=bounds[j],
            open=tally.backlog[j],
            ages=tuple(tally.ages[j * buckets : (j + 1) * buckets]),
        )
        for j in known
    )
    level = {j: tally.backlog[j] for j in known}
    flows = []
    for i, period in enumerate(periods):
        if period.start > as_of:
            break
        flows.append(
            Flow(
                period=period,
                backlog_start=level.get(i),
                opened=tally.flows["opened"][i],
                reopened=tally.flows["reopened"][i],
                closed=tally.flows["closed"][i],
                cancelled=tally.flows["cancelled"][i],
                backlog_end=level.get(i + 1),
            )
        )

    sla_counts: Counter[tuple[int, tuple[str, ...], str, str]] = Counter(tally.sla)
    for (i, group, metric, status), count in tally.sla.items():
        for index, where in _totals(i, group, total, grouped):
            sla_counts[(index, where, metric, status)] += count
    sla = []
    for i, group, metric in sorted({(i, g, m) for i, g, m, _ in sla_counts}):
        met, breached, late, within = (
            sla_counts[(i, group, metric, s)]
            for s in ("met", "breached", "open_breached", "open_within")
        )
        decided = met + breached + late
        sla.append(
            Compliance(
                period=labelled[i],
                group=group,
                metric=metric,
                met=met,
                breached=breached,
                open_breached=late,
                open_within=within,
                rate=proportion(met, decided) if decided else None,
            )
        )

    satisfaction = _satisfaction(tally, labelled, total, grouped)
    diagnostics = Diagnostics(
        events=tally.diagnostics["events"],
        tickets=tally.diagnostics["tickets"],
        in_flight=in_flight,
        orphan_events=tally.diagnostics["orphan_events"],
        reordered_events=tally.diagnostics["reordered_events"],
    )
    return KpiReport(
        spec=spec,
        as_of=as_of,
        periods=tuple(labelled),
        tickets=tickets,
        breakdowns=breakdowns,
        durations=durations,
        rates=rates,
        backlog=backlog,
        flows=tuple(flows),
        sla=tuple(sla),
        satisfaction=satisfaction,
        diagnostics=diagnostics,
    )


def _totals(
    period: int, group: tuple[str, ...], total: int, grouped: bool
) -> list[tuple[int, tuple[str, ...]]]:
    """Where a count also goes: the whole range, and (when grouped) all groups."""
    if grouped:
        return [(total, group), (period, ()), (total, ())]
    return [(total, group)]


def _satisfaction(
    tally: Tally, labelled: list[Period], total: int, grouped: bool
) -> tuple[Satisfaction, ...]:
    csat: Counter[tuple[int, tuple[str, ...], int]] = Counter(tally.csat)
    scores: Counter[tuple[int, tuple[str, ...], int]] = Counter(tally.nps)
    for source, target in ((tally.csat, csat), (tally.nps, scores)):
        for (i, group, score), count in source.items():
            for index, key in _totals(i, group, total, grouped):
                target[(index, key, score)] += count
    out = []
    for i, group in sorted({(i, g) for i, g, _ in csat} | {(i, g) for i, g, _ in scores}):
        counts = tuple(csat[(i, group, s)] for s in range(1, 6))
        answered = sum(counts)
        promoters = sum(scores[(i, group, s)] for s in (9, 10))
        passives = sum(scores[(i, group, s)] for s in (7, 8))
        detractors = sum(scores[(i, group, s)] for s in range(7))
        nps_counts = NpsCounts(promoters, passives, detractors)
        out.append(
            Satisfaction(
                period=labelled[i],
                group=group,
                csat_counts=(counts[0], counts[1], counts[2], counts[3], counts[4]),
                nps_counts=nps_counts,
                csat=proportion(counts[3] + counts[4], answered) if answered else None,
                nps=nps(nps_counts) if nps_counts.n else None,
            )
        )
    return tuple(out)
