"""KPI reports from Parquet event logs: one process against a local Dask cluster.

Generates event logs of N events (an incident's new / active / resolved / closed rows, five
groups, a year) as Parquet files in time order, as a warehouse exports them, then computes the
same KPI report twice with ``itsm_core.adapters.dask``:

* one process: Dask's synchronous scheduler in this process (the same partitions, one at a
  time);
* a local cluster: ``distributed.LocalCluster`` with two worker processes of one thread.

Both read, partition by ticket (a hash shuffle), parse, replay and fold; the reports must be
equal. Printed per size: events per second (median of the rounds) and the peak resident memory
of the process or of each worker (``ru_maxrss``), with the Parquet size beside it.

Run: ``.venv/bin/python benchmarks/dask_bench.py [events ...] [--rounds R]``; the default
sizes are 100,000 (median of 5 rounds) and 1,000,000 events (one round; 10,000,000 takes about
half an hour here: pass it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import dask
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from distributed import Client, LocalCluster

from itsm_core.adapters import dask as on_dask
from itsm_core.adapters.eventlog import EventLogMapping
from itsm_core.metrics import Dimension, Granularity, PeriodGrid, ReportSpec

MAPPING = EventLogMapping.from_dict(
    {
        "time_zone": "UTC",
        "columns": {
            "ticket": "ticket",
            "at": "at",
            "status": "status",
            "assignment_group": "group",
            "priority": "priority",
        },
        "workflow": "incident",
        "statuses": {
            "New": "new",
            "Active": "in_progress",
            "Resolved": "resolved",
            "Closed": "closed",
        },
    }
)
SPEC = ReportSpec(
    periods=PeriodGrid(Granularity.MONTH, "UTC", dt.date(2025, 1, 1), dt.date(2026, 1, 31)),
    group_by=(Dimension.GROUP,),
)
START = np.datetime64("2025-01-01T00:00:00")
STATUSES = np.array(["New", "Active", "Resolved", "Closed"], dtype=object)
GROUPS = np.array(["desk", "network", "apps", "db", "field"], dtype=object)
FILE_EVENTS = 100_000  # rows per Parquet file: the partitions as read, and after the shuffle


def generate(events: int, folder: Path) -> int:
    """Write ``events`` events (four per ticket) as Parquet files in time order; their size."""
    tickets = events // 4
    rng = np.random.default_rng(7)
    opened = START + (rng.integers(0, 365 * 24 * 60, tickets) * 60).astype("timedelta64[s]")
    steps = rng.integers(5, 600, (tickets, 3)).cumsum(axis=1) * 60
    at = np.concatenate(
        [opened[:, None], opened[:, None] + steps.astype("timedelta64[s]")], axis=1
    ).ravel()
    ticket = np.repeat(np.char.add("INC", np.arange(tickets).astype(str)), 4).astype(object)
    status = np.tile(STATUSES, tickets)
    group = np.repeat(GROUPS[rng.integers(0, len(GROUPS), tickets)], 4)
    priority = np.repeat(rng.integers(1, 5, tickets).astype(str).astype(object), 4)
    order = np.argsort(at, kind="stable")
    text = np.datetime_as_string(at[order], unit="s")
    size = 0
    for n, first in enumerate(range(0, len(order), FILE_EVENTS)):
        rows = slice(first, first + FILE_EVENTS)
        table = pa.table(
            {
                "ticket": ticket[order][rows].tolist(),
                "at": text[rows].tolist(),
                "status": status[order][rows].tolist(),
                "group": group[order][rows].tolist(),
                "priority": priority[order][rows].tolist(),
            }
        )
        path = folder / f"events-{n:04d}.parquet"
        pq.write_table(table, path)
        size += path.stat().st_size
    return size


def report(folder: Path) -> Any:
    frame = on_dask.read_log(sorted(folder.glob("*.parquet")))
    return on_dask.kpi_report(on_dask.by_ticket(frame, MAPPING), MAPPING, SPEC)


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("events", nargs="*", type=int, default=[100_000, 1_000_000])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--cluster-only",
        action="store_true",
        help="skip the one-process run (and the comparison with it): for sizes it takes long",
    )
    args = parser.parse_args()
    rows = []
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,
    ):
        for events in args.events:
            rounds = args.rounds if events <= 100_000 else 1
            with tempfile.TemporaryDirectory() as name:
                folder = Path(name)
                size = generate(events, folder)
                single, spread, expected = [], [], None
                for _ in range(rounds):
                    if not args.cluster_only:
                        began = time.perf_counter()
                        with dask.config.set(scheduler="synchronous"):
                            expected = report(folder)
                        single.append(time.perf_counter() - began)
                    began = time.perf_counter()
                    with dask.config.set(scheduler=client):
                        got = report(folder)
                    spread.append(time.perf_counter() - began)
                    if expected is not None:
                        assert got == expected, "the cluster's report differs from one process"
                workers = client.run(peak_mib)
            rows.append(
                (
                    events,
                    size / 2**20,
                    rounds,
                    events / statistics.median(single) if single else float("nan"),
                    peak_mib(),
                    events / statistics.median(spread),
                    max(workers.values()),
                )
            )
            print(f"{events:,} events done", flush=True)
    print()
    print(
        "| events | Parquet MiB | rounds | one process events/s | its peak MiB |"
        " local cluster (2 workers) events/s | peak MiB per worker |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for events, mib, rounds, one, one_peak, two, two_peak in rows:
        print(
            f"| {events:,} | {mib:.1f} | {rounds} | {one:,.0f} | {one_peak:,.0f} |"
            f" {two:,.0f} | {two_peak:,.0f} |"
        )
    events, _, _, one, _, two, two_peak = rows[-1]
    print(
        f"figure: dask kpi report at {events:,} events = {two:,.0f} events/s"
        f" (goal: equal to one pass, memory per worker bounded by its partition;"
        f" one process {one:,.0f} events/s; peak {two_peak:,.0f} MiB per worker)"
    )


if __name__ == "__main__":
    main()
