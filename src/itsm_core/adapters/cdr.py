"""Call-detail records (CDR) of a hotline switch, read from CSV through a mapping file.

A call-detail export has one row per call: its id, when it was offered, its outcome (the
switch's disposition: answered, abandoned...), how long it waited, talked and was wrapped up,
the agent, the queue, the caller, and sometimes a ticket number, a "resolved on the call" flag
and a callback request. A :class:`CdrMapping`, data (a JSON or TOML mapping file), says which
column holds what, how times are written, which cell values mean "missing" and which
dispositions mean answered or abandoned. :func:`read_cdr` reads a file and :func:`parse_cdr`
rows already split into cells; both give one :class:`ImportedCall` per row: the
:class:`~itsm_core.calls.CallEvent` values of the call and the :class:`~itsm_core.calls.Call`
they fold into, ready for an event store or for :func:`~itsm_core.calls.interval_kpis`.

Durations are seconds (``"95"``, ``"95.5"``) or ``H:MM:SS`` (``"0:01:35"``); with no ``wait``
column a call is taken as answered (or abandoned) when offered. Every bad cell of
every row is reported at once, as one :class:`~itsm_core.errors.DeserializationError` naming
the file, the line and the field; nothing is returned half-read.

>>> mapping = CdrMapping.from_dict({
...     "time_zone": "Asia/Shanghai",
...     "columns": {"call": "id", "offered_at": "start", "outcome": "disposition",
...                 "wait": "queue_s", "talk": "talk_s", "agent": "agent"},
...     "outcomes": {"ANSWERED": "answered", "ABANDON": "abandoned"},
... })
>>> [first, second] = parse_cdr(
...     [(2, {"id": "C1", "start": "2026-03-02 09:00:00", "disposition": "ANSWERED",
...           "queue_s": "12", "talk_s": "0:03:00", "agent": "ana"}),
...      (3, {"id": "C2", "start": "2026-03-02 09:01:00", "disposition": "ABANDON",
...           "queue_s": "40", "talk_s": "", "agent": ""})],
...     mapping, source="cdr.csv")
>>> first.call.wait.seconds, first.call.talk.seconds, second.call.status.value
(12, 180, 'abandoned')
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zoneinfo
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from itsm_core._checks import frozen_mapping, is_aware
from itsm_core._plain import as_mapping, shown
from itsm_core.adapters._reading import cannot_read, csv_rows
from itsm_core.calls import CALL, Call, CallEvent, call_events
from itsm_core.errors import DeserializationError, InvalidMapping, ItsmError, Problem

__all__ = ["CdrMapping", "ImportedCall", "parse_cdr", "read_cdr"]

#: Fields every mapping must name a column for.
REQUIRED_FIELDS = ("call", "offered_at", "outcome")
#: Every field a mapping may name a column for.
FIELDS = (
    *REQUIRED_FIELDS,
    "wait",
    "talk",
    "wrap_up",
    "agent",
    "queue",
    "caller",
    "ticket",
    "resolved",
    "callback",
    "transferred_to",
)
_OUTCOMES = ("answered", "abandoned")
_KEYS = {"columns", "outcomes", "time_zone", "time_format", "missing", "true_values"}
_SECONDS = re.compile(r"\d{1,7}(?:\.\d{1,6})?")  # at most 115 days: no huge number reaches int()
_CLOCK = re.compile(r"(\d{1,4}):([0-5]\d):([0-5]\d)")


@attrs.frozen(kw_only=True)
class CdrMapping:
    """How to read one switch's call-detail export.

    Attributes:
        columns: our field (see :data:`FIELDS`) -> the export's column.
        outcomes: the export's dispositions -> ``"answered"`` or ``"abandoned"``.
        time_zone: IANA name for times written without an offset (None: each must carry one).
        time_format: ``"iso"`` (ISO 8601) or a :func:`~datetime.datetime.strptime` format.
        missing: cell values that mean "no value".
        true_values: cell values (any case) that mean yes, for ``resolved`` and ``callback``.
    """

    columns: Mapping[str, str] = attrs.field(converter=frozen_mapping)
    outcomes: Mapping[str, str] = attrs.field(converter=frozen_mapping)
    time_zone: str | None = None
    time_format: str = "iso"
    missing: tuple[str, ...] = ("",)
    true_values: tuple[str, ...] = ("1", "true", "yes", "y")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CdrMapping:
        """Read a mapping (the content of a JSON or TOML file); InvalidMapping lists every
        problem with its path."""
        problems: list[Problem] = []
        raw: object = data
        if not isinstance(raw, Mapping) or as_mapping(raw, "", problems) is None:
            raise InvalidMapping(
                "call-detail mapping", problems or [Problem("", "expected a table")]
            )
        problems.extend(Problem(key, "unknown key") for key in sorted(set(data) - _KEYS))
        columns = _text_table(data.get("columns"), "columns", problems)
        problems.extend(
            Problem(f"columns.{field}", f"unknown field ({', '.join(FIELDS)})")
            for field in columns
            if field not in FIELDS
        )
        if isinstance(data.get("columns"), Mapping):
            problems.extend(
                Problem(f"columns.{field}", "required: name the column that holds it")
                for field in REQUIRED_FIELDS
                if field not in columns
            )
        outcomes = _text_table(data.get("outcomes"), "outcomes", problems)
        for name, outcome in outcomes.items():
            if outcome not in _OUTCOMES:
                problems.append(
                    Problem(f"outcomes.{name}", f"expected one of {', '.join(_OUTCOMES)}")
                )
        if isinstance(data.get("outcomes"), Mapping) and not outcomes:
            problems.append(Problem("outcomes", "name at least one disposition"))
        time_zone = data.get("time_zone")
        if time_zone is not None and not _known_zone(time_zone):
            problems.append(Problem("time_zone", f"unknown time zone {shown(time_zone)}"))
        time_format = data.get("time_format", "iso")
        if not isinstance(time_format, str) or not time_format:
            problems.append(Problem("time_format", "expected 'iso' or a strptime format"))
        missing = _strings(data.get("missing", [""]), "missing", problems)
        true_values = _strings(
            data.get("true_values", ["1", "true", "yes", "y"]), "true_values", problems
        )
        if problems:
            raise InvalidMapping("call-detail mapping", problems)
        return cls(
            columns=columns,
            outcomes=outcomes,
            time_zone=time_zone,
            time_format=str(time_format),
            missing=missing,
            true_values=tuple(value.lower() for value in true_values),
        )

    def to_dict(self) -> dict[str, Any]:
        """The plain data :meth:`from_dict` reads."""
        data: dict[str, Any] = {
            "columns": dict(self.columns),
            "outcomes": dict(self.outcomes),
            "time_format": self.time_format,
            "missing": list(self.missing),
            "true_values": list(self.true_values),
        }
        if self.time_zone is not None:
            data["time_zone"] = self.time_zone
        return data


def _text_table(raw: object, path: str, problems: list[Problem]) -> dict[str, str]:
    if not isinstance(raw, Mapping):
        problems.append(Problem(path, "expected a table of names"))
        return {}
    if as_mapping(raw, path, problems) is None:
        return {}
    out: dict[str, str] = {}
    for key, value in raw.items():
        if isinstance(value, str) and value:
            out[key] = value
        else:
            problems.append(Problem(f"{path}.{key}", f"expected a name, got {shown(value)}"))
    return out


def _strings(raw: object, path: str, problems: list[Problem]) -> tuple[str, ...]:
    if isinstance(raw, list) and all(isinstance(item, str) for item in raw):
        return tuple(raw)
    problems.append(Problem(path, "expected a list of strings"))
    return ()


def _known_zone(name: object) -> bool:
    if not isinstance(name, str):
        return False
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


@attrs.frozen(kw_only=True)
class ImportedCall:
    """One row read: its ``line`` in the file (the header is line 1), the call's ``events``
    and the ``call`` they fold into."""

    line: int
    events: tuple[CallEvent, ...]
    call: Call


def parse_cdr(
    rows: Iterable[tuple[int, Mapping[str, object]]], mapping: CdrMapping, *, source: str
) -> tuple[ImportedCall, ...]:
    """Parse ``(line, row)`` pairs (a CSV row as a column -> cell mapping) into calls.

    Raises DeserializationError naming ``source`` and, for every bad cell of every row,
    ``line N, field F (column 'C')`` and what is wrong; a call id seen on an earlier line is a
    problem too.
    """
    reader = _RowReader(mapping)
    calls: list[ImportedCall] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(rows):
        if not _is_row(item):
            problems.append(Problem(f"rows[{index}]", "expected a (line number, row) pair"))
            continue
        line, row = item
        imported = reader.call(line, row, problems)
        if imported is None:
            continue
        first = seen.setdefault(imported.call.call_id, line)
        if first != line:
            problems.append(
                reader.problem(
                    line, "call", f"call {imported.call.call_id!r} already on line {first}"
                )
            )
            continue
        calls.append(imported)
    if problems:
        raise DeserializationError(source, problems)
    return tuple(calls)


def _is_row(item: object) -> bool:
    return (
        isinstance(item, tuple)
        and len(item) == 2
        and type(item[0]) is int
        and item[0].bit_length() < 64
        and isinstance(item[1], Mapping)
    )


class _RowReader:
    """Reads the cells of one row as the mapping says; records each bad cell as a problem."""

    def __init__(self, mapping: CdrMapping) -> None:
        self.mapping = mapping
        self.missing = frozenset(mapping.missing)
        self.tz = zoneinfo.ZoneInfo(mapping.time_zone) if mapping.time_zone else None

    def problem(self, line: int, field: str, message: str) -> Problem:
        column = self.mapping.columns.get(field)
        where = f"line {line}, field {field}" + ("" if column is None else f" (column {column!r})")
        return Problem(where, message)

    def call(
        self, line: int, row: Mapping[str, object], problems: list[Problem]
    ) -> ImportedCall | None:
        before = len(problems)
        cells = {field: self.cell(line, row, field, problems) for field in self.mapping.columns}
        unreadable = {p.path for p in problems[before:]}
        problems.extend(
            self.problem(line, field, "required, but missing")
            for field in REQUIRED_FIELDS
            if cells.get(field) is None and self.problem(line, field, "").path not in unreadable
        )
        offered = self.time(line, cells.get("offered_at"), problems)
        outcome = None
        disposition = cells.get("outcome")
        if disposition is not None:
            outcome = self.mapping.outcomes.get(disposition)
            if outcome is None:
                known = ", ".join(repr(name) for name in self.mapping.outcomes)
                problems.append(
                    self.problem(line, "outcome", f"unmapped outcome {disposition!r} ({known})")
                )
        durations = {
            field: self.duration(line, field, cells.get(field), problems)
            for field in ("wait", "talk", "wrap_up")
        }
        agent = cells.get("agent")
        if outcome == "answered" and agent is None:
            problems.append(self.problem(line, "agent", "required for an answered call"))
        if "wait" in self.mapping.columns and outcome is not None and cells.get("wait") is None:
            problems.append(self.problem(line, "wait", f"required for an {outcome} call"))
        if len(problems) > before or offered is None or outcome is None:
            return None
        call_id = cells["call"]
        assert call_id is not None
        transfers = (cells.get("transferred_to") or "").split(";")
        try:
            events = call_events(
                call_id,
                offered,
                caller=cells.get("caller"),
                queue=cells.get("queue"),
                wait=durations["wait"] or dt.timedelta(0),
                answered_by=agent if outcome == "answered" else None,
                talk=durations["talk"],
                wrap_up=durations["wrap_up"],
                resolved=self.yes(cells.get("resolved")),
                transferred_to=[name.strip() for name in transfers if name.strip()],
                callback=self.yes(cells.get("callback")),
                ticket_id=cells.get("ticket"),
            )
            call = CALL.replay(events)
        except OverflowError:
            problems.append(self.problem(line, "offered_at", "the call's times run past year 9999"))
            return None
        except ItsmError as error:
            problems.append(Problem(f"line {line}", str(error)))
            return None
        return ImportedCall(line=line, events=events, call=call)

    def cell(
        self, line: int, row: Mapping[str, object], field: str, problems: list[Problem]
    ) -> str | None:
        column = self.mapping.columns[field]
        if column not in row:
            problems.append(self.problem(line, field, "no such column in this record"))
            return None
        value = row[column]
        if value is None:
            return None
        if not isinstance(value, str):
            problems.append(self.problem(line, field, f"expected text, not {shown(value)}"))
            return None
        text = value.strip()
        if any("\ud800" <= char <= "\udfff" for char in text):
            problems.append(self.problem(line, field, "not UTF-8 text"))
            return None
        return None if text in self.missing or value in self.missing else text

    def time(self, line: int, text: str | None, problems: list[Problem]) -> dt.datetime | None:
        if text is None:
            return None
        fmt = self.mapping.time_format
        try:
            value = (
                dt.datetime.fromisoformat(text) if fmt == "iso" else dt.datetime.strptime(text, fmt)
            )
        except ValueError:
            expected = "ISO 8601" if fmt == "iso" else repr(fmt)
            problems.append(
                self.problem(line, "offered_at", f"{shown(text)} is not a time in {expected}")
            )
            return None
        if not is_aware(value):
            if self.tz is None:
                problems.append(
                    self.problem(
                        line,
                        "offered_at",
                        f"{shown(text)} has no offset and the mapping no time_zone",
                    )
                )
                return None
            value = value.replace(tzinfo=self.tz)
        return value

    def duration(
        self, line: int, field: str, text: str | None, problems: list[Problem]
    ) -> dt.timedelta | None:
        if text is None:
            return None
        if _SECONDS.fullmatch(text):
            return dt.timedelta(seconds=float(text))
        clock = _CLOCK.fullmatch(text)
        if clock:
            hours, minutes, seconds = (int(part) for part in clock.groups())
            return dt.timedelta(hours=hours, minutes=minutes, seconds=seconds)
        problems.append(
            self.problem(line, field, f"{shown(text)} is not a duration (seconds, or H:MM:SS)")
        )
        return None

    def yes(self, text: str | None) -> bool:
        return text is not None and text.lower() in self.mapping.true_values


def read_cdr(path: Path | str, mapping: CdrMapping) -> tuple[ImportedCall, ...]:
    """Read the CSV call-detail export at ``path`` (UTF-8, a byte-order mark allowed; the first
    row is the header).

    Raises DeserializationError naming the file, with every bad line and field: also for a
    line that is not UTF-8, a record the ``csv`` module refuses (a cell over its field limit,
    a stray NUL), a row with more or fewer cells than the header, and a file that cannot be
    read at all.
    """
    path = Path(path)
    try:
        binary = path.open("rb")
    except OSError as error:
        raise cannot_read(path, error) from None
    with binary:
        text = io.TextIOWrapper(binary, encoding="utf-8-sig", errors="surrogateescape", newline="")
        try:
            return parse_cdr(csv_rows(text, str(path)), mapping, source=str(path))
        except OSError as error:  # a read that fails midway (a directory on some systems)
            raise cannot_read(path, error) from None
