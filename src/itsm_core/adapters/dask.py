"""KPIs and SLA sweeps on Dask: event logs partitioned by ticket, folded, merged by a tree.

A team with years of history from several desks runs the same definitions on a Dask cluster
instead of one process (the ``dask`` extra: ``pip install itsm-core[dask]``):

* :func:`read_log` reads event logs (CSV, JSON Lines, or Parquet through pyarrow) into a Dask
  DataFrame of text cells, one partition per file by default;
* :func:`by_ticket` repartitions it so that every event of a ticket lands in one partition
  (a hash shuffle on the mapping's ticket column);
* :func:`kpi_report` folds each partition into a :class:`~itsm_core.metrics.KpiAccumulator`
  (the records parsed and replayed as :func:`~itsm_core.adapters.eventlog.import_log` does) and
  merges the partial accumulators with Dask's tree reduction (``DataFrame.reduction``), giving the
  same :class:`~itsm_core.metrics.KpiReport` as one pass over the whole log;
* :func:`sla_sweep` measures the SLA clocks of every open ticket at one instant the same way,
  partition by partition, and gathers the results by ticket.

Nothing here starts a cluster: the work runs on Dask's current scheduler, so a
``distributed.Client`` made before the call (a local cluster, or one of many machines) is the
one used. Each partition is parsed and folded where it is, so a worker's memory is bounded by
its partition and the accumulator's sketches, not by the data.

When the data is already partitioned by ticket (a warehouse table bucketed on the ticket
column), skip :func:`by_ticket`: if two partitions do hold events of one ticket after all, the
merge raises :class:`~itsm_core.errors.ShardOverlap` naming the ticket instead of counting it
twice.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import reduce
from pathlib import Path
from typing import Any, Literal, TextIO

import attrs

from itsm_core._checks import check_aware, is_int
from itsm_core.adapters._reading import cannot_read, csv_records, csv_rows, jsonl_rows
from itsm_core.adapters.eventlog import (
    EventLogMapping,
    LogRecord,
    import_log,
    parse_records,
)
from itsm_core.calendar import BusinessCalendar
from itsm_core.errors import (
    DeserializationError,
    InvalidMapping,
    Problem,
    ShardOverlap,
    ValidationError,
)
from itsm_core.metrics import KpiAccumulator, KpiReport, ReportSpec, sla_outcomes
from itsm_core.sla import (
    ClockStatus,
    DueAction,
    PolicySet,
    SlaReport,
    SlaTracker,
    SweepError,
    evaluate,
    sweep,
)
from itsm_core.tickets import TicketEvent

__all__ = ["SweepSummary", "by_ticket", "kpi_report", "read_log", "sla_sweep"]

Format = Literal["csv", "jsonl", "parquet"]
#: A ``dask.dataframe.DataFrame`` (Dask's own type hints are partial, so it is ``Any`` here).
Frame = Any
#: Columns :func:`read_log` adds: the file a row came from and where in it: the line of a CSV
#: (2 for the first row after the header, when no cell spans lines) or JSON Lines file, the
#: row (from 1) of a Parquet file.
SOURCE, ROW = "_source", "_line"
_SUFFIXES: dict[str, Format] = {
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
}


def _dask() -> Any:
    try:
        import dask.dataframe
    except ImportError as exc:  # pragma: no cover - the dask extra is part of dev
        raise ImportError(
            "itsm_core.adapters.dask needs Dask: pip install 'itsm-core[dask]'"
        ) from exc
    return dask.dataframe


def _format_of(paths: Sequence[str], format: Format | None) -> Format:
    if format is not None:
        if format not in ("csv", "jsonl", "parquet"):
            raise InvalidMapping(
                "event log", [Problem("format", f"expected csv, jsonl or parquet, not {format!r}")]
            )
        return format
    found = {_SUFFIXES.get(Path(p).suffix.lower(), "csv") for p in paths}
    if len(found) != 1:
        raise InvalidMapping(
            "event log",
            [
                Problem(
                    "paths",
                    f"files of several formats ({', '.join(sorted(found))}): "
                    "read each format on its own",
                )
            ],
        )
    return found.pop()


def _frame(rows: Iterable[tuple[int, Mapping[str, object]]], path: str) -> Any:
    """Rows as a frame of Python values (None where missing), with the source and line."""
    import pandas as pd

    lines: list[int] = []
    records: list[Mapping[str, object]] = []
    for line, row in rows:
        lines.append(line)
        records.append(row)
    try:
        frame = pd.DataFrame.from_records(records) if records else pd.DataFrame()
    except UnicodeError as error:  # a lone surrogate ("\ud800" in JSON) in a key or a cell
        problem = Problem("file", f"holds text that is not Unicode: {error}")
        raise DeserializationError(path, [problem]) from None
    frame = frame.astype(object)
    frame = frame.where(pd.notna(frame), None)
    frame[SOURCE] = path
    frame[ROW] = lines
    return frame


def _parquet_rows(path: str) -> Iterator[tuple[int, Mapping[str, object]]]:
    """A Parquet file's rows with every cell as text (timestamps in ISO 8601), as in a CSV."""
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    columns = table.column_names
    cells = zip(*(table.column(c).to_pylist() for c in columns), strict=True)
    for n, values in enumerate(cells, start=1):
        yield n, {c: None if v is None else _cell(v) for c, v in zip(columns, values, strict=True)}


def _cell(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    return str(value)


@contextlib.contextmanager
def _text(path: str) -> Iterator[TextIO]:
    """The file at ``path`` as text, decoded as the event-log reader decodes it: a byte that is
    not UTF-8 becomes a lone surrogate, reported with its line; an unreadable file is a
    DeserializationError naming it."""
    try:
        binary = Path(path).open("rb")  # noqa: SIM115 - closed below; the open alone may fail
    except OSError as error:
        raise cannot_read(path, error) from None
    with binary:
        yield io.TextIOWrapper(binary, encoding="utf-8-sig", errors="surrogateescape", newline="")


def _read_file(path: str, format: Format) -> Any:
    """One file as a pandas DataFrame, read as :func:`~itsm_core.adapters.eventlog.read_event_log`
    reads it (the same decoding and the same errors, naming the file and line)."""
    if format == "parquet":
        try:
            return _frame(list(_parquet_rows(path)), path)
        except OSError as error:
            if isinstance(error, FileNotFoundError | IsADirectoryError | PermissionError):
                raise cannot_read(path, error) from None
            problem = Problem("file", f"cannot read as parquet: {error}")
            raise DeserializationError(path, [problem]) from None
        except (ValueError, TypeError, ArithmeticError) as error:  # pyarrow's ArrowInvalid...
            problem = Problem("file", f"cannot read as parquet: {error}")
            raise DeserializationError(path, [problem]) from None
    with _text(path) as text:
        rows = jsonl_rows(text, path) if format == "jsonl" else csv_rows(text, path)
        return _frame(list(rows), path)


def read_log(paths: str | Path | Iterable[str | Path], *, format: Format | None = None) -> Frame:
    """The event logs at ``paths`` as one Dask DataFrame, one partition per file.

    ``format`` is ``"csv"``, ``"jsonl"`` or ``"parquet"``; by default it comes from the files'
    suffixes (``.jsonl``/``.ndjson``, ``.parquet``/``.pq``, anything else CSV), which must
    agree. Every cell is text, as in a CSV file (Parquet timestamps become ISO 8601 text, so
    give such a log a mapping with ``time_format = "iso"`` or the matching format), with None
    where a cell is missing; two columns say where each row came from (file and row number),
    so a bad cell found on a worker is reported with its place.

    Reading is lazy: a file that cannot be read raises
    :class:`~itsm_core.errors.DeserializationError` naming it when the data is computed.
    """
    dd = _dask()
    import dask

    given = [paths] if isinstance(paths, str | Path) else list(paths)
    names = [str(p) for p in given]
    if not names:
        raise InvalidMapping("event log", [Problem("paths", "no files given")])
    kind = _format_of(names, format)
    # Cells stay the Python values the reader gave (Dask would turn them into Arrow strings,
    # and a JSON number or a null with them).
    with dask.config.set({"dataframe.convert-string": False}):
        return dd.from_map(
            _read_file, names, format=kind, meta=_meta_of(names[0], kind), enforce_metadata=False
        )


def _meta_of(path: str, format: Format) -> Any:
    """An empty frame with the columns of the first file: a CSV file's header line, a Parquet
    file's schema, a JSON Lines file's keys (read whole: each line may name other keys)."""
    import pandas as pd

    if format == "jsonl":
        return _read_file(path, format).iloc[:0]
    if format == "parquet":
        import pyarrow.parquet as pq

        try:
            columns = list(pq.read_schema(path).names)
        except (OSError, ValueError, TypeError, ArithmeticError):
            return _read_file(path, format).iloc[:0]  # raises the file's own error
    else:
        with _text(path) as text:
            header = next(csv_records(text, path), None)
        if header is None:
            raise DeserializationError(path, [Problem("line 1", "no header row")])
        columns = list(dict.fromkeys(header[1]))
    return pd.DataFrame({name: pd.Series(dtype=object) for name in [*columns, SOURCE, ROW]})


def by_ticket(frame: Frame, mapping: EventLogMapping, *, partitions: int | None = None) -> Frame:
    """``frame`` repartitioned so that all events of one ticket share a partition.

    A hash shuffle on the mapping's ticket column, into ``partitions`` partitions (by default
    as many as ``frame`` has), chosen for the scheduler in force when this is called (Dask's
    peer-to-peer shuffle on a distributed cluster). Within a partition, a ticket's rows keep
    their order in the log. Raises :class:`~itsm_core.errors.InvalidMapping` when the ticket
    column is not in the data (naming the columns it has): such a log cannot be partitioned by
    ticket.
    """
    column = mapping.columns["ticket"]
    if column not in frame.columns:
        known = ", ".join(c for c in frame.columns if c not in (SOURCE, ROW))
        raise InvalidMapping(
            "event log",
            [Problem("columns.ticket", f"column {column!r} is not in the log (columns: {known})")],
        )
    count = frame.npartitions if partitions is None else partitions
    if not is_int(count) or count < 1:
        raise ValidationError("by_ticket", [Problem("partitions", f"expected >= 1, not {count!r}")])
    keyed = frame.assign(**{column: frame[column].fillna("")})
    return keyed.shuffle(on=column, npartitions=count, shuffle_method=_shuffle_method())


#: Dask's schedulers that run in this process or its pool, not on a distributed cluster.
_LOCAL_SCHEDULERS = frozenset(
    {"sync", "synchronous", "single-threaded", "threads", "threading", "processes"}
)


def _shuffle_method() -> str | None:
    """The shuffle for the scheduler in force now: Dask's own choice (its peer-to-peer shuffle
    on a distributed cluster, which spills to disk, so a worker holds its share of the data in
    flight rather than all of it), but the task shuffle when a local scheduler is configured,
    even with a distributed client about (Dask would pick peer-to-peer, which needs one)."""
    import dask

    chosen = dask.config.get("scheduler", None)
    return "tasks" if isinstance(chosen, str) and chosen in _LOCAL_SCHEDULERS else None


def _rows(part: Any) -> Iterator[tuple[int, Mapping[str, object]]]:
    columns = [c for c in part.columns if c not in (SOURCE, ROW)]
    cells = part[columns].itertuples(index=False, name=None)
    for values, line in zip(cells, part[ROW], strict=True):
        yield int(line), dict(zip(columns, values, strict=True))


def _histories(part: Any, mapping: EventLogMapping) -> list[tuple[TicketEvent, ...]]:
    """The tickets of one partition replayed: each ticket's events, in the log's order.

    Rows are grouped by file (each file parsed with its own name, so an error says which)
    and kept in their order within it.
    """
    histories: list[tuple[TicketEvent, ...]] = []
    records: list[LogRecord] = []
    for source, rows in part.groupby(SOURCE, sort=True) if len(part) else ():
        ordered = rows.sort_values(ROW, kind="stable")
        records.extend(parse_records(_rows(ordered), mapping, source=str(source)))
    histories.extend(result.events for result in import_log(records, mapping))
    return histories


def _check_as_of(as_of: dt.datetime | None) -> None:
    if as_of is not None:
        check_aware(as_of, "as_of")


@attrs.frozen
class _Fold:
    """The work on one partition: parse, replay, fold (picklable, sent to the workers)."""

    mapping: EventLogMapping
    spec: ReportSpec
    as_of: dt.datetime | None
    policies: PolicySet | None
    calendars: Mapping[str, BusinessCalendar]

    def __call__(self, part: Any) -> _Partial:
        accumulator = KpiAccumulator(self.spec)
        histories = _histories(part, self.mapping)
        for events in histories:
            kept = [e for e in events if self.as_of is None or e.at <= self.as_of]
            if not kept:
                continue
            accumulator.add_all(kept)
            if self.policies is not None and self.as_of is not None:
                report = evaluate(self.policies, kept, self.as_of, calendars=self.calendars)
                for outcome in sla_outcomes(report, at=kept[0].at):
                    accumulator.add_sla(outcome)
        return _Partial(accumulator, frozenset(events[0].ticket_id for events in histories))


@attrs.frozen
class _Partial:
    """A partition's accumulator and the tickets it saw (to catch a ticket in two partitions:
    the accumulator itself forgets closed tickets)."""

    accumulator: KpiAccumulator
    tickets: frozenset[str]

    def merge(self, other: _Partial) -> _Partial:
        shared = self.tickets & other.tickets
        if shared:
            listed = ", ".join(sorted(shared)[:5])
            raise ShardOverlap(
                "event log partitions",
                [
                    Problem(
                        "tickets",
                        f"{len(shared)} tickets in more than one partition: {listed}"
                        " (partition the log with by_ticket)",
                    )
                ],
            )
        return _Partial(self.accumulator.merge(other.accumulator), self.tickets | other.tickets)


def _merge_all(partials: Iterable[_Partial]) -> _Partial:
    return reduce(_Partial.merge, partials)


def kpi_report(
    frame: Frame,
    mapping: EventLogMapping,
    spec: ReportSpec,
    *,
    as_of: dt.datetime | None = None,
    policies: PolicySet | None = None,
    calendars: Mapping[str, BusinessCalendar] | None = None,
    split_every: int = 8,
) -> KpiReport:
    """The KPI report of the log in ``frame``, computed partition by partition.

    Equal to folding every ticket's events (those at or before ``as_of``, all by default) into
    one ``KpiAccumulator(spec)`` and reporting ``as_of``; with ``policies`` (which need
    ``as_of``, the instant the clocks are measured at) each ticket's SLA outcomes are folded
    too, as ``itsm-core replay`` does. Partition ``frame`` by ticket first (:func:`by_ticket`)
    unless it already is. The partial accumulators are merged ``split_every`` at a time by
    Dask's tree reduction. A bad cell raises :class:`~itsm_core.errors.DeserializationError`
    naming its file, row and field.
    """
    _check_as_of(as_of)
    if policies is not None and as_of is None:
        raise ValidationError(
            "kpi_report", [Problem("as_of", "SLA policies need the instant to measure them at")]
        )
    if not is_int(split_every) or split_every < 2:
        raise ValidationError(
            "kpi_report", [Problem("split_every", f"expected >= 2, not {split_every!r}")]
        )
    fold = _Fold(mapping, spec, as_of, policies, dict(calendars or {}))
    # Each partition is folded where it lies, then the accumulators merge up a tree.
    merged: _Partial = frame.reduction(
        fold, aggregate=_merge_all, combine=_merge_all, split_every=split_every, meta=object
    ).compute()
    return merged.accumulator.report(as_of)


@attrs.frozen(kw_only=True)
class SweepSummary:
    """The SLA clocks of every open ticket at ``at``, gathered from the partitions.

    ``reports`` maps each ticket measured to its :class:`~itsm_core.sla.SlaReport` (in ticket
    order); ``due_actions`` are the actions due of all of them, in the order a single
    :func:`~itsm_core.sla.sweep` gives (by instant, then ticket); ``next_change_at`` is the
    earliest next change; ``errors`` the tickets that could not be measured, with the reason
    (their ``index`` is the position within their partition).
    """

    at: dt.datetime
    reports: Mapping[str, SlaReport]
    due_actions: tuple[DueAction, ...]
    next_change_at: dt.datetime | None
    errors: tuple[SweepError, ...]

    @property
    def breached(self) -> tuple[str, ...]:
        """The tickets with a breached clock, in ticket order."""
        return tuple(
            ticket
            for ticket, report in self.reports.items()
            if any(clock.status is ClockStatus.BREACHED for clock in report.clocks)
        )


@attrs.frozen
class _Sweep:
    mapping: EventLogMapping
    policies: PolicySet
    now: dt.datetime
    calendars: Mapping[str, BusinessCalendar]

    def __call__(self, part: Any) -> SweepSummary:
        trackers = []
        for events in _histories(part, self.mapping):
            kept = [e for e in events if e.at <= self.now]
            if kept:
                tracker = SlaTracker(
                    policies=self.policies, calendars=dict(self.calendars)
                ).apply_all(kept)
                if tracker.ticket is not None and tracker.ticket.is_open:
                    trackers.append(tracker)
        result = sweep(trackers, self.now)
        reports = dict(zip((str(t) for t in result.ticket_ids), result.reports(), strict=False))
        return SweepSummary(
            at=self.now,
            reports=reports,
            due_actions=result.due_actions,
            next_change_at=result.next_change_at,
            errors=result.errors,
        )


def _join(summaries: Iterable[SweepSummary]) -> SweepSummary:
    parts = list(summaries)
    reports: dict[str, SlaReport] = {}
    for part in parts:
        shared = reports.keys() & part.reports.keys()
        if shared:
            listed = ", ".join(sorted(shared)[:5])
            problem = Problem("tickets", f"in more than one partition: {listed} (use by_ticket)")
            raise ShardOverlap("event log partitions", [problem])
        reports.update(part.reports)
    changes = [p.next_change_at for p in parts if p.next_change_at is not None]
    return SweepSummary(
        at=parts[0].at,
        reports=dict(sorted(reports.items())),
        due_actions=tuple(
            sorted(
                (a for p in parts for a in p.due_actions),
                key=lambda a: (a.due_at, a.key),
            )
        ),
        next_change_at=min(changes, default=None),
        errors=tuple(sorted((e for p in parts for e in p.errors), key=lambda e: str(e.ticket_id))),
    )


def sla_sweep(
    frame: Frame,
    mapping: EventLogMapping,
    policies: PolicySet,
    now: dt.datetime,
    *,
    calendars: Mapping[str, BusinessCalendar] | None = None,
    split_every: int = 8,
) -> SweepSummary:
    """The SLA clocks of every ticket still open at ``now``, measured partition by partition.

    Each partition replays its tickets (events at or before ``now``), keeps a tracker per open
    ticket and sweeps them at ``now`` (:func:`~itsm_core.sla.sweep`); the partial summaries are
    joined by Dask's tree reduction. The reports equal one sweep over every open ticket.
    """
    check_aware(now, "now")
    if not is_int(split_every) or split_every < 2:
        raise ValidationError(
            "sla_sweep", [Problem("split_every", f"expected >= 2, not {split_every!r}")]
        )
    work = _Sweep(mapping, policies, now, dict(calendars or {}))
    summary: SweepSummary = frame.reduction(
        work, aggregate=_join, combine=_join, split_every=split_every, meta=object
    ).compute()
    return summary
