"""Any helpdesk's event log (CSV or JSON Lines) replayed onto our workflows, through a mapping.

An event log has one record per update of a ticket: which ticket, when, in which status, by
whom, and whatever else the tool wrote (priority, assignment group...). An
:class:`EventLogMapping` says, as data (a JSON or TOML file for the command line), which column
holds what, how times are written, which cell values mean "missing", and the
:class:`~itsm_core.adapters.mapping.StatusMap` of the tool's statuses onto one of our
workflows. :func:`read_event_log` reads a file into :class:`LogRecord` values, reporting every
bad cell with its line and field; :func:`import_log` replays each ticket's records with
:func:`itsm_core.tickets.import_history`.

>>> mapping = EventLogMapping.from_dict(
...     {
...         "time_zone": "Asia/Shanghai",
...         "columns": {"ticket": "id", "at": "time", "status": "status", "priority": "prio"},
...         "workflow": "incident",
...         "statuses": {"new": "new", "working": "in_progress", "done": "resolved"},
...     }
... )
>>> records = parse_records(
...     [
...         (2, {"id": "T1", "time": "2025-09-22 09:00", "status": "new", "prio": "3"}),
...         (3, {"id": "T1", "time": "2025-09-22 09:20", "status": "working", "prio": "2"}),
...         (4, {"id": "T1", "time": "2025-09-22 11:00", "status": "done", "prio": "2"}),
...     ],
...     mapping,
...     source="log.csv",
... )
>>> [result] = import_log(records, mapping)
>>> result.ticket.state, result.ticket.priority, [e.name for e in result.events]
('resolved', 2, ['open', 'acknowledge', 'resolve'])
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zoneinfo
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from itsm_core._checks import frozen_mapping, is_aware, is_int
from itsm_core._plain import as_mapping, shown
from itsm_core.adapters._carry import carry_fields
from itsm_core.adapters._reading import cannot_read, csv_rows, jsonl_rows
from itsm_core.adapters.mapping import StatusMap
from itsm_core.errors import DeserializationError, InvalidMapping, Problem
from itsm_core.tickets import (
    BUILTIN_WORKFLOWS,
    Channel,
    ImportMode,
    ImportResult,
    Json,
    Observation,
    OpenTicket,
    WorkflowRegistry,
    import_history,
)
from itsm_core.workflow import StatusCategory

__all__ = ["EventLogMapping", "LogRecord", "import_log", "parse_records", "read_event_log"]

#: Fields every mapping must name a column for.
REQUIRED_FIELDS = ("ticket", "at", "status")
#: Ticket fields an event carries when the record's value differs from the ticket's.
CARRIED_FIELDS = ("assignment_group", "assignee", "priority", "impact", "urgency", "category")
_LEVELS = ("priority", "impact", "urgency")
_OPENING_TEXT = ("requester", "symptom", "configuration_item", "service")
#: Every field a mapping may name a column for.
FIELDS = (
    *REQUIRED_FIELDS,
    "actor",
    "opened_at",
    "opened_by",
    "channel",
    "resolution_code",
    *_OPENING_TEXT,
    *CARRIED_FIELDS,
)
_LOG_FORMATS = ("csv", "jsonl")
#: ``progress(done, total)``: bytes read so far and the file's size.
Progress = Callable[[int, int], None]
_LEADING_INT = re.compile(r"\s*(\d{1,9})(?!\d)")
_KEYS = {
    "format",
    "time_zone",
    "time_format",
    "missing",
    "columns",
    "workflow",
    "kind",
    "statuses",
    "channels",
    "levels",
}


@attrs.frozen(kw_only=True)
class EventLogMapping:
    """How to read one tool's event log: columns, times, missing markers and statuses.

    Attributes:
        columns: our field (see :data:`FIELDS`) -> the log's column (for JSON Lines, a dotted
            path such as ``"via.channel"``).
        statuses: the tool's statuses onto one workflow.
        time_zone: IANA name for times written without an offset (None: every time must
            carry one).
        time_format: ``"iso"`` (ISO 8601) or a :func:`~datetime.datetime.strptime` format.
        missing: cell values that mean "no value" (``"?"`` in ServiceNow exports).
        channels: the tool's channel names -> our :class:`~itsm_core.tickets.Channel`
            (a value that already is one of ours needs no entry).
        levels: the tool's priority/impact/urgency names -> our 1-5 levels (``"High": 2``);
            values not listed must start with a number (``"2 - High"``).
        format: ``"csv"`` or ``"jsonl"``; None: from the file's suffix.
    """

    columns: Mapping[str, str] = attrs.field(converter=frozen_mapping)
    statuses: StatusMap
    time_zone: str | None = None
    time_format: str = "iso"
    missing: tuple[str, ...] = ("",)
    channels: Mapping[str, Channel] = attrs.field(factory=dict, converter=frozen_mapping)
    levels: Mapping[str, int] = attrs.field(factory=dict, converter=frozen_mapping)
    format: str | None = None

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], *, workflows: WorkflowRegistry = BUILTIN_WORKFLOWS
    ) -> EventLogMapping:
        """Read a mapping (the content of a JSON or TOML mapping file).

        ``workflow``, ``kind`` and ``statuses`` form the :class:`StatusMap`; the other keys are
        the attributes. Raises InvalidMapping listing every problem with its path.
        """
        problems: list[Problem] = []
        raw: object = data  # any value reaches here from a file
        if not isinstance(raw, Mapping) or as_mapping(raw, "", problems) is None:
            raise InvalidMapping("event log mapping", problems or [Problem("", "expected a table")])
        problems.extend(Problem(key, "unknown key") for key in sorted(set(data) - _KEYS))
        columns = _columns(data.get("columns"), problems)
        time_zone = data.get("time_zone")
        if time_zone is not None:
            _check_zone(time_zone, problems)
        time_format = data.get("time_format", "iso")
        if not isinstance(time_format, str) or not time_format:
            problems.append(Problem("time_format", "expected 'iso' or a strptime format"))
        missing = data.get("missing", [""])
        if not isinstance(missing, list) or not all(isinstance(m, str) for m in missing):
            problems.append(Problem("missing", "expected a list of strings"))
            missing = [""]
        channels = _channels(data.get("channels", {}), problems)
        levels = _levels(data.get("levels", {}), problems)
        log_format = data.get("format")
        if log_format is not None and log_format not in _LOG_FORMATS:
            problems.append(Problem("format", f"expected one of {', '.join(_LOG_FORMATS)}"))
        status_data = {k: data[k] for k in ("workflow", "kind", "statuses") if k in data}
        statuses: StatusMap | None = None
        try:
            statuses = StatusMap.from_dict(status_data, workflows=workflows)
        except InvalidMapping as error:
            problems.extend(error.problems)
        if problems or statuses is None:
            raise InvalidMapping("event log mapping", problems)
        return cls(
            columns=columns,
            statuses=statuses,
            time_zone=time_zone,
            time_format=str(time_format),
            missing=tuple(missing),
            channels=channels,
            levels=levels,
            format=log_format,
        )

    def to_dict(self) -> dict[str, Any]:
        """The plain data :meth:`from_dict` reads."""
        data: dict[str, Any] = {
            "columns": dict(self.columns),
            **self.statuses.to_dict(),
            "time_format": self.time_format,
            "missing": list(self.missing),
        }
        if self.time_zone is not None:
            data["time_zone"] = self.time_zone
        if self.channels:
            data["channels"] = {name: channel.value for name, channel in self.channels.items()}
        if self.levels:
            data["levels"] = dict(self.levels)
        if self.format is not None:
            data["format"] = self.format
        return data


def _columns(raw: object, problems: list[Problem]) -> dict[str, str]:
    if not isinstance(raw, Mapping):
        problems.append(Problem("columns", "expected a table: our field -> the log's column"))
        return {}
    if as_mapping(raw, "columns", problems) is None:
        return {}
    columns: dict[str, str] = {}
    for field, column in raw.items():
        if field not in FIELDS:
            problems.append(Problem(f"columns.{field}", f"unknown field ({', '.join(FIELDS)})"))
        elif not isinstance(column, str) or not column:
            problems.append(Problem(f"columns.{field}", "expected a column name"))
        else:
            columns[field] = column
    problems.extend(
        Problem(f"columns.{field}", "required: name the column that holds it")
        for field in REQUIRED_FIELDS
        if field not in raw
    )
    return columns


def _check_zone(name: object, problems: list[Problem]) -> None:
    if not isinstance(name, str):
        problems.append(Problem("time_zone", "expected an IANA time zone name"))
        return
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        problems.append(Problem("time_zone", f"unknown time zone {shown(name)}"))


def _channels(raw: object, problems: list[Problem]) -> dict[str, Channel]:
    if not isinstance(raw, Mapping):
        problems.append(Problem("channels", "expected a table: the log's channel -> ours"))
        return {}
    if as_mapping(raw, "channels", problems) is None:
        return {}
    known = [channel.value for channel in Channel]
    out: dict[str, Channel] = {}
    for name, value in raw.items():
        if value in known:
            out[str(name)] = Channel(value)
        else:
            problems.append(Problem(f"channels.{name}", f"expected one of {', '.join(known)}"))
    return out


def _levels(raw: object, problems: list[Problem]) -> dict[str, int]:
    if not isinstance(raw, Mapping):
        problems.append(Problem("levels", "expected a table: the log's level name -> 1..5"))
        return {}
    if as_mapping(raw, "levels", problems) is None:
        return {}
    out: dict[str, int] = {}
    for name, value in raw.items():
        if type(value) is int and 1 <= value <= 5:
            out[str(name)] = value
        else:
            problems.append(Problem(f"levels.{name}", "expected a whole number from 1 to 5"))
    return out


@attrs.frozen(kw_only=True)
class LogRecord:
    """One parsed record: ``line`` is its line in the file (the header is line 1)."""

    line: int
    ticket: str
    at: dt.datetime
    status: str
    actor: str | None
    fields: Mapping[str, Json] = attrs.field(factory=dict, converter=frozen_mapping)
    opened_at: dt.datetime | None = None


def parse_records(
    rows: Iterable[tuple[int, Mapping[str, object]]], mapping: EventLogMapping, *, source: str
) -> tuple[LogRecord, ...]:
    """Parse ``(line, row)`` pairs (a CSV row, or a decoded JSON object) into records.

    Raises DeserializationError naming ``source`` and, for every bad cell of every row,
    ``line N, field F (column 'C')`` and what is wrong. Nothing is returned half-parsed.
    """
    reader = _RecordReader(mapping)
    records: list[LogRecord] = []
    problems: list[Problem] = []
    for index, item in enumerate(rows):
        if not _is_row(item):
            problems.append(Problem(f"rows[{index}]", "expected a (line number, row) pair"))
            continue
        line, row = item
        record = reader.record(line, row, problems)
        if record is not None:
            records.append(record)
    if problems:
        raise DeserializationError(source, problems)
    return tuple(records)


def _is_row(item: object) -> bool:
    return (
        isinstance(item, tuple)
        and len(item) == 2
        and type(item[0]) is int
        and item[0].bit_length() < 64  # a line number, not thousands of digits
        and isinstance(item[1], Mapping)
    )


class _RecordReader:
    """Reads the cells of one row as the mapping says; records each bad cell as a problem."""

    def __init__(self, mapping: EventLogMapping) -> None:
        self.mapping = mapping
        self.missing = frozenset(mapping.missing)
        self.tz = zoneinfo.ZoneInfo(mapping.time_zone) if mapping.time_zone else None

    def record(
        self, line: int, row: Mapping[str, object], problems: list[Problem]
    ) -> LogRecord | None:
        before = len(problems)
        cells = {field: self.cell(line, row, field, problems) for field in self.mapping.columns}
        problems.extend(
            self.problem(line, field, "required, but missing")
            for field in REQUIRED_FIELDS
            if field in cells and cells[field] is None
        )
        status = cells.get("status")
        if status is not None:
            try:
                self.mapping.statuses.target(status, where="")
            except DeserializationError:
                known = ", ".join(repr(name) for name in self.mapping.statuses.statuses)
                problems.append(
                    self.problem(line, "status", f"unmapped status {status!r} ({known})")
                )
        at = self.time(line, "at", cells.get("at"), problems)
        opened_at = self.time(line, "opened_at", cells.get("opened_at"), problems)
        fields: dict[str, Json] = {}
        for field in (*_OPENING_TEXT, *CARRIED_FIELDS, "opened_by", "resolution_code", "channel"):
            if field in _LEVELS:
                fields[field] = self.level(line, field, cells.get(field), problems)
            elif field == "channel":
                fields[field] = self.channel(line, cells.get(field), problems)
            elif field in self.mapping.columns:
                fields[field] = cells.get(field)
        if len(problems) > before or at is None or status is None:
            return None
        return LogRecord(
            line=line,
            ticket=str(cells["ticket"]),
            at=at,
            status=status,
            actor=cells.get("actor"),
            fields=fields,
            opened_at=opened_at,
        )

    def problem(self, line: int, field: str, message: str) -> Problem:
        return Problem(
            f"line {line}, field {field} (column {self.mapping.columns[field]!r})", message
        )

    def cell(
        self, line: int, row: Mapping[str, object], field: str, problems: list[Problem]
    ) -> str | None:
        column = self.mapping.columns[field]
        value: object = row
        for part in column.split(".") if column not in row else [column]:
            if not isinstance(value, Mapping) or part not in value:
                problems.append(self.problem(line, field, "no such column in this record"))
                return None
            value = value[part]
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            problems.append(
                self.problem(line, field, f"expected text or a number, not {shown(value)}")
            )
            return None
        if isinstance(value, int) and value.bit_length() > 200:  # str() of it could fail
            problems.append(self.problem(line, field, f"{shown(value)}: too long for a cell"))
            return None
        text = str(value).strip()
        return None if text in self.missing or str(value) in self.missing else text

    def time(
        self, line: int, field: str, text: str | None, problems: list[Problem]
    ) -> dt.datetime | None:
        if text is None:
            return None
        fmt = self.mapping.time_format
        try:
            value = (
                dt.datetime.fromisoformat(text) if fmt == "iso" else dt.datetime.strptime(text, fmt)
            )
        except ValueError:
            shown = "ISO 8601" if fmt == "iso" else repr(fmt)
            problems.append(self.problem(line, field, f"{text!r} is not a time in {shown}"))
            return None
        if not is_aware(value):
            if self.tz is None:
                problems.append(
                    self.problem(
                        line, field, f"{text!r} has no offset and the mapping no time_zone"
                    )
                )
                return None
            value = value.replace(tzinfo=self.tz)
        return value

    def level(self, line: int, field: str, text: str | None, problems: list[Problem]) -> int | None:
        if text is None:
            return None
        if text in self.mapping.levels:
            return self.mapping.levels[text]
        match = _LEADING_INT.match(text)  # at most 9 digits: int() of thousands would fail
        if match is None or not 1 <= int(match.group(1)) <= 5:
            problems.append(self.problem(line, field, f"{text!r} is not a level from 1 to 5"))
            return None
        return int(match.group(1))

    def channel(self, line: int, text: str | None, problems: list[Problem]) -> str | None:
        if text is None:
            return None
        if text in self.mapping.channels:
            return self.mapping.channels[text].value
        if text in {channel.value for channel in Channel}:
            return text
        problems.append(self.problem(line, "channel", f"unmapped channel {text!r}"))
        return None


def read_event_log(
    path: Path | str, mapping: EventLogMapping, *, progress: Progress | None = None
) -> tuple[LogRecord, ...]:
    """Read the CSV or JSON Lines file at ``path`` (format from the mapping, else the suffix:
    ``.jsonl``/``.ndjson`` are JSON Lines, anything else CSV).

    ``progress(done, total)`` is called now and then with the bytes read. Raises
    DeserializationError naming the file, with every bad line and field: also for a line
    that is not UTF-8 or not JSON, a CSV record the ``csv`` module refuses (a cell over its
    field limit), a CSV row with fewer cells than the header (cut short) and a file that
    cannot be read at all (missing, a directory).
    """
    path = Path(path)
    log_format = mapping.format or (
        "jsonl" if path.suffix.lower() in {".jsonl", ".ndjson"} else "csv"
    )
    try:
        total = path.stat().st_size
        binary = path.open("rb")
    except OSError as error:
        raise cannot_read(path, error) from None
    with binary:
        counted = _CountingReader(binary, total, progress)
        # A byte that is not UTF-8 becomes a lone surrogate, reported with its line below.
        text = io.TextIOWrapper(
            io.BufferedReader(counted), encoding="utf-8-sig", errors="surrogateescape", newline=""
        )
        rows = jsonl_rows(text, str(path)) if log_format == "jsonl" else csv_rows(text, str(path))
        records = parse_records(rows, mapping, source=str(path))
    if progress is not None:
        progress(total, total)
    return records


class _CountingReader(io.RawIOBase):
    """A binary reader that reports how far it has read."""

    def __init__(self, inner: io.BufferedReader, total: int, progress: Progress | None) -> None:
        self.inner, self.total, self.progress, self.done = inner, total, progress, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self.inner.readinto(buffer)
        self.done += count
        if self.progress is not None:
            self.progress(self.done, self.total)
        return count


def import_log(
    records: Sequence[LogRecord],
    mapping: EventLogMapping,
    *,
    mode: ImportMode = ImportMode.STRICT,
    workflows: WorkflowRegistry = BUILTIN_WORKFLOWS,
) -> tuple[ImportResult, ...]:
    """Replay each ticket's records (in order of first appearance) on the mapping's workflow.

    The first record opens the ticket (at its ``opened_at`` if mapped and earlier). Each event
    also carries the :data:`CARRIED_FIELDS` whose value in its record differs from the ticket
    before it, so reassignments and priority changes count.
    """
    by_ticket: dict[str, list[LogRecord]] = {}
    for record in records:
        by_ticket.setdefault(record.ticket, []).append(record)
    return tuple(_import_ticket(group, mapping, mode, workflows) for group in by_ticket.values())


def _import_ticket(
    group: Sequence[LogRecord],
    mapping: EventLogMapping,
    mode: ImportMode,
    workflows: WorkflowRegistry,
) -> ImportResult:
    first = group[0]
    fields = first.fields
    channel = fields.get("channel")
    opening = OpenTicket(
        ticket_id=first.ticket,
        kind=mapping.statuses.ticket_kind,
        workflow=mapping.statuses.workflow,
        requester=_text(fields.get("requester")) or "unknown requester",
        channel=Channel(channel) if isinstance(channel, str) else None,
        symptom=_text(fields.get("symptom")),
        configuration_item=_text(fields.get("configuration_item")),
        service=_text(fields.get("service")),
        category=_text(fields.get("category")),
        impact=_level(fields.get("impact")),
        urgency=_level(fields.get("urgency")),
        priority=_level(fields.get("priority")),
    )
    opened_at = min(first.opened_at or first.at, first.at)
    opened_by = _text(fields.get("opened_by")) or first.actor or "import"
    seen = [_observation(record, mapping, workflows) for record in group]
    result = import_history(
        opening, seen, opened_at=opened_at, opened_by=opened_by, mode=mode, workflows=workflows
    )
    carried = [name for name in CARRIED_FIELDS if name in mapping.columns]
    if not carried:
        return result
    values = [{name: record.fields.get(name) for name in carried} for record in group]
    return carry_fields(result, seen, values)


def _observation(
    record: LogRecord, mapping: EventLogMapping, workflows: WorkflowRegistry
) -> Observation:
    target = mapping.statuses.target(record.status, where=f"line {record.line}")
    fields: dict[str, Json] = {}
    if target.hold_reason is not None:
        fields["hold_reason"] = target.hold_reason.value
    workflow = workflows.get(mapping.statuses.workflow)
    resolved = workflow.category(workflow.state_named(target.state)) is StatusCategory.RESOLVED
    code = record.fields.get("resolution_code")
    if resolved and code is not None:
        fields["resolution_code"] = code
    return Observation(
        at=record.at,
        state=target.state,
        actor=record.actor or "import",
        row=record.line,
        fields=fields,
    )


def _text(value: Json) -> str | None:
    return value if isinstance(value, str) else None


def _level(value: Json) -> int | None:
    return value if is_int(value) else None
