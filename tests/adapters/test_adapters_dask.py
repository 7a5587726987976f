"""KPIs and SLA sweeps on Dask equal one pass: on the ServiceNow sample, whatever the partitions.

Most tests run Dask's synchronous scheduler (the partitioning and the tree reduction are the
same; only where the tasks run differs); the last ones run a real ``dask.distributed`` local
cluster of two worker processes.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itsm_core.adapters import dask as on_dask
from itsm_core.adapters.eventlog import EventLogMapping, import_log, read_event_log
from itsm_core.errors import DeserializationError, InvalidMapping, ShardOverlap, ValidationError
from itsm_core.metrics import (
    Granularity,
    KpiAccumulator,
    KpiReport,
    PeriodGrid,
    ReportSpec,
    sla_outcomes,
)
from itsm_core.sla import STANDARD_POLICIES, SlaTracker, evaluate, sweep
from itsm_core.tickets import TicketEvent

dask = pytest.importorskip("dask", reason="the dask extra (part of dev) is not installed")
pd = pytest.importorskip("pandas", reason="Dask DataFrames need pandas")
dd = pytest.importorskip("dask.dataframe", reason="the dask extra is not installed")

ROOT = Path(__file__).resolve().parents[2]
MAPPING = EventLogMapping.from_dict(
    tomllib.loads((ROOT / "examples" / "mappings" / "servicenow.toml").read_text("utf-8"))
)
SPEC = ReportSpec(
    periods=PeriodGrid(Granularity.MONTH, "UTC", dt.date(2016, 2, 1), dt.date(2017, 1, 31))
)
AS_OF = dt.datetime(2016, 3, 10, tzinfo=dt.UTC)  # 96 tickets open, 30 breached


@pytest.fixture(autouse=True)
def synchronous() -> Iterator[None]:
    with dask.config.set(scheduler="synchronous"):
        yield


@pytest.fixture(scope="module")
def histories(servicenow_csv: Path) -> list[tuple[TicketEvent, ...]]:
    return [r.events for r in import_log(read_event_log(servicenow_csv, MAPPING), MAPPING)]


def one_pass(
    histories: list[tuple[TicketEvent, ...]], as_of: dt.datetime | None = None, *, sla: bool = False
) -> KpiReport:
    accumulator = KpiAccumulator(SPEC)
    for events in histories:
        kept = [e for e in events if as_of is None or e.at <= as_of]
        if kept:
            accumulator.add_all(kept)
            if sla and as_of is not None:
                report = evaluate(STANDARD_POLICIES, kept, as_of)
                for outcome in sla_outcomes(report, at=kept[0].at):
                    accumulator.add_sla(outcome)
    return accumulator.report(as_of)


def test_the_sample_on_partitions_equals_one_pass(
    servicenow_csv: Path, histories: list[tuple[TicketEvent, ...]]
) -> None:
    frame = on_dask.by_ticket(on_dask.read_log(servicenow_csv), MAPPING, partitions=5)
    assert frame.npartitions == 5
    with_sla = on_dask.kpi_report(
        frame, MAPPING, SPEC, as_of=AS_OF, policies=STANDARD_POLICIES, split_every=2
    )
    assert with_sla == one_pass(histories, AS_OF, sla=True)
    assert with_sla.diagnostics.events < sum(map(len, histories))


def test_json_lines_and_parquet_give_the_same_report(
    servicenow_csv: Path, tmp_path: Path, sample_table: Any
) -> None:
    table = pd.read_csv(servicenow_csv, dtype=str, keep_default_na=False)
    table = table[table["number"].isin(set(sample_table["number"]))]
    (tmp_path / "log.csv").write_text(table.to_csv(index=False), encoding="utf-8")
    half = len(table) // 2
    for n, part in enumerate((table.iloc[:half], table.iloc[half:])):
        part.to_parquet(tmp_path / f"log{n}.parquet")
        with (tmp_path / f"log{n}.jsonl").open("w", encoding="utf-8") as out:
            for row in part.to_dict("records"):
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    expected = on_dask.kpi_report(on_dask.read_log(tmp_path / "log.csv"), MAPPING, SPEC)
    assert expected.diagnostics.events > 100
    for suffix in ("parquet", "jsonl"):
        frame = on_dask.read_log(sorted(tmp_path.glob(f"*.{suffix}")))
        assert frame.npartitions == 2
        assert on_dask.kpi_report(on_dask.by_ticket(frame, MAPPING), MAPPING, SPEC) == expected


def open_sweep(histories: list[tuple[TicketEvent, ...]], now: dt.datetime) -> Any:
    trackers = []
    for events in histories:
        kept = [e for e in events if e.at <= now]
        if kept:
            tracker = SlaTracker(policies=STANDARD_POLICIES).apply_all(kept)
            if tracker.ticket is not None and tracker.ticket.is_open:
                trackers.append(tracker)
    return sweep(trackers, now)


def check_sweep(summary: on_dask.SweepSummary, histories: list[tuple[TicketEvent, ...]]) -> None:
    single = open_sweep(histories, AS_OF)
    assert summary.reports == dict(sorted(zip(single.ticket_ids, single.reports(), strict=False)))
    assert summary.due_actions == single.due_actions
    assert summary.next_change_at == single.next_change_at
    assert len(summary.reports) == 96
    assert len(summary.breached) == 30
    assert summary.due_actions


def test_the_sla_sweep_on_partitions_equals_one_sweep(
    servicenow_csv: Path, histories: list[tuple[TicketEvent, ...]]
) -> None:
    frame = on_dask.by_ticket(on_dask.read_log(servicenow_csv), MAPPING, partitions=3)
    check_sweep(on_dask.sla_sweep(frame, MAPPING, STANDARD_POLICIES, AS_OF), histories)


def partitioned(table: Any, assignment: list[int], parts: int) -> Any:
    """``table``'s rows in ``parts`` partitions, each ticket's rows in the partition given."""
    ticket = table["number"].map(dict(zip(sorted(set(table["number"])), assignment, strict=False)))
    pieces = [table[ticket == p].reset_index(drop=True) for p in range(parts)]
    return dd.from_map(
        lambda i: pieces[i], range(parts), meta=table.iloc[:0], enforce_metadata=False
    )


@pytest.fixture(scope="module")
def sample_table(servicenow_csv: Path) -> Any:
    read = on_dask.read_log(servicenow_csv).compute()
    numbers = sorted(set(read["number"]))[:40]  # 40 tickets keep each example quick
    return read[read["number"].isin(numbers)].reset_index(drop=True)


@pytest.fixture(scope="module")
def sample_report(sample_table: Any) -> KpiReport:
    whole = dd.from_map(lambda i: sample_table, [0], meta=sample_table.iloc[:0])
    return on_dask.kpi_report(whole, MAPPING, SPEC)


@settings(max_examples=10, deadline=None)
@given(data=st.data(), parts=st.integers(1, 6), split_every=st.integers(2, 5))
def test_any_partitioning_by_ticket_gives_the_same_report(
    sample_table: Any, sample_report: KpiReport, data: st.DataObject, parts: int, split_every: int
) -> None:
    tickets = sorted(set(sample_table["number"]))
    assignment = data.draw(
        st.lists(st.integers(0, parts - 1), min_size=len(tickets), max_size=len(tickets))
    )
    frame = partitioned(sample_table, assignment, parts)
    assert on_dask.kpi_report(frame, MAPPING, SPEC, split_every=split_every) == sample_report


def test_a_ticket_split_across_partitions_is_refused_by_name(sample_table: Any) -> None:
    first = sample_table["number"].iloc[0]
    rows = sample_table[sample_table["number"] == first]
    assert len(rows) > 1
    pieces = [rows.iloc[:1], rows.iloc[1:]]
    frame = dd.from_map(lambda i: pieces[i], [0, 1], meta=sample_table.iloc[:0])
    with pytest.raises(ShardOverlap, match=first):
        on_dask.kpi_report(frame, MAPPING, SPEC)


def test_a_log_without_the_ticket_column_cannot_be_partitioned(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text("id,at\nT1,2016-01-01\n", encoding="utf-8")
    with pytest.raises(InvalidMapping, match=r"columns\.ticket.*'number'.*id, at"):
        on_dask.by_ticket(on_dask.read_log(path), MAPPING)


def test_a_bad_cell_is_reported_with_its_file_line_and_field(
    servicenow_csv: Path, tmp_path: Path
) -> None:
    lines = servicenow_csv.read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].replace("-2016 ", "-20x6 ", 1)
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    frame = on_dask.by_ticket(on_dask.read_log(path), MAPPING, partitions=3)
    with pytest.raises(DeserializationError) as caught:
        on_dask.kpi_report(frame, MAPPING, SPEC)
    assert str(path) in str(caught.value)
    assert "line 6" in str(caught.value)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("latin.csv", "number,sys_updated_at\nT\xe9,x\n".encode("latin-1"), "not UTF-8"),
        ("cut.parquet", b"PAR1 not really", "cannot read as parquet"),
        ("cut.csv", b"number,sys_updated_at\nT1\n", "line 2"),
        ("deep.jsonl", b"[" * 5000 + b"\n", "line 1"),
    ],
)
def test_unreadable_files_are_refused_by_name(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DeserializationError, match=message) as caught:
        on_dask.read_log(path).compute()
    assert name in str(caught.value)


def test_arguments_are_checked(servicenow_csv: Path, tmp_path: Path) -> None:
    frame = on_dask.read_log(servicenow_csv)
    with pytest.raises(InvalidMapping, match="several formats"):
        on_dask.read_log([servicenow_csv, tmp_path / "x.parquet"])
    with pytest.raises(InvalidMapping, match="no files"):
        on_dask.read_log([])
    with pytest.raises(InvalidMapping, match="format"):
        on_dask.read_log(servicenow_csv, format="xlsx")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="as_of"):
        on_dask.kpi_report(frame, MAPPING, SPEC, policies=STANDARD_POLICIES)
    with pytest.raises(ValidationError, match="split_every"):
        on_dask.kpi_report(frame, MAPPING, SPEC, split_every=1)
    with pytest.raises(ValidationError, match="partitions"):
        on_dask.by_ticket(frame, MAPPING, partitions=0)


# --- a real cluster: two worker processes ------------------------------------------------


@pytest.fixture(scope="module")
def cluster_client() -> Iterator[Any]:
    distributed = pytest.importorskip(
        "distributed", reason="dask.distributed (the dask extra) is not installed"
    )
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def test_on_a_local_cluster_of_two_processes(
    cluster_client: Any, servicenow_csv: Path, histories: list[tuple[TicketEvent, ...]]
) -> None:
    with dask.config.set(scheduler=cluster_client):
        frame = on_dask.by_ticket(on_dask.read_log(servicenow_csv), MAPPING, partitions=2)
        frame = frame.persist()  # read and shuffled once, on the workers, for both uses
        report = on_dask.kpi_report(frame, MAPPING, SPEC)
        summary = on_dask.sla_sweep(frame, MAPPING, STANDARD_POLICIES, AS_OF)
        pids = set(cluster_client.run(os.getpid).values())
    assert report == one_pass(histories)
    check_sweep(summary, histories)
    assert len(pids) == 2
    assert os.getpid() not in pids


def test_a_local_scheduler_gets_the_task_shuffle_even_with_a_cluster_about(
    cluster_client: Any, servicenow_csv: Path, histories: list[tuple[TicketEvent, ...]]
) -> None:
    # With a distributed client alive, Dask would pick its peer-to-peer shuffle, which fails
    # outside the cluster's workers; by_ticket picks for the scheduler configured.
    frame = on_dask.by_ticket(on_dask.read_log(servicenow_csv), MAPPING, partitions=2)
    assert on_dask.kpi_report(frame, MAPPING, SPEC) == one_pass(histories)
