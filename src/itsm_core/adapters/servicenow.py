"""Reading a ServiceNow incident event log (CSV) and replaying it onto the incident workflow.

The format is the one of the "Incident management process enriched event log" (Amaral,
Fantinato, Reijers, Peres, 2018; UCI Machine Learning Repository, CC BY 4.0): one row per
update of an incident, ``DD-MM-YYYY HH:MM`` local times, ``?`` for a missing value.

ServiceNow states map onto the built-in incident workflow as follows:

===================== ============== ====================
ServiceNow            incident state hold reason
===================== ============== ====================
New                   new
Active                in_progress
Awaiting User Info    on_hold        awaiting_customer
Awaiting Evidence     on_hold        awaiting_customer
Awaiting Problem      on_hold        awaiting_problem
Awaiting Vendor       on_hold        awaiting_vendor
Resolved              resolved
Closed                closed
===================== ============== ====================
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

import attrs

from itsm_core._checks import check_aware
from itsm_core._plain import shown
from itsm_core.adapters._carry import carry_fields
from itsm_core.adapters._reading import csv_records, read_utf8
from itsm_core.adapters.mapping import StatusMap, StatusTarget
from itsm_core.errors import DeserializationError, Problem
from itsm_core.tickets import (
    Channel,
    EventFlag,
    HoldReason,
    ImportMode,
    ImportResult,
    IncidentState,
    Observation,
    OpenTicket,
    SourceFigures,
    TicketKind,
    import_history,
)

__all__ = [
    "ServiceNowFigures",
    "ServiceNowRow",
    "figures",
    "import_incidents",
    "read_incident_log",
    "source_figures",
]

#: ServiceNow incident state -> (incident workflow state, hold reason).
STATE_MAP: Mapping[str, tuple[IncidentState, HoldReason | None]] = {
    "New": (IncidentState.NEW, None),
    "Active": (IncidentState.IN_PROGRESS, None),
    "Awaiting User Info": (IncidentState.ON_HOLD, HoldReason.AWAITING_CUSTOMER),
    "Awaiting Evidence": (IncidentState.ON_HOLD, HoldReason.AWAITING_CUSTOMER),
    "Awaiting Problem": (IncidentState.ON_HOLD, HoldReason.AWAITING_PROBLEM),
    "Awaiting Vendor": (IncidentState.ON_HOLD, HoldReason.AWAITING_VENDOR),
    "Resolved": (IncidentState.RESOLVED, None),
    "Closed": (IncidentState.CLOSED, None),
}

#: :data:`STATE_MAP` as a :class:`~itsm_core.adapters.mapping.StatusMap` (the form the other
#: importers and ``itsm-core replay`` mapping files use).
STATUS_MAP = StatusMap(
    workflow="incident",
    statuses={
        name: StatusTarget(state.value, hold_reason)
        for name, (state, hold_reason) in STATE_MAP.items()
    },
)

#: The row columns (named as ticket fields) that imported events carry when they change:
#: ``assignment_group``, ``assignee`` (ServiceNow's ``assigned_to``), ``priority``, ``impact``,
#: ``urgency`` and ``category``.
CARRIED_FIELDS = ("assignment_group", "assignee", "priority", "impact", "urgency", "category")

_CHANNELS = {
    "Phone": Channel.PHONE,
    "Email": Channel.EMAIL,
    "Self service": Channel.WEB,
    "IVR": Channel.PHONE,
    "Direct opening": Channel.ON_SITE,
}

_MISSING = "?"


def parse_timestamp(text: str, tz: dt.tzinfo) -> dt.datetime | None:
    """``DD-MM-YYYY HH:MM`` in time zone ``tz``; None for ``?``. DeserializationError (a
    ValueError) for anything else.

    >>> import zoneinfo
    >>> parse_timestamp("29-02-2016 01:16", zoneinfo.ZoneInfo("Europe/Lisbon")).isoformat()
    '2016-02-29T01:16:00+00:00'
    >>> parse_timestamp("?", dt.UTC) is None
    True
    """
    if text == _MISSING:
        return None
    try:
        naive = dt.datetime.strptime(text, "%d-%m-%Y %H:%M")
    except (TypeError, ValueError) as exc:
        raise DeserializationError("ServiceNow time", [Problem("", str(exc))]) from None
    return naive.replace(tzinfo=tz)


def parse_level(text: str) -> int | None:
    """The number of a ``"2 - Medium"`` style value; None for ``?``. DeserializationError (a
    ValueError) for anything else.

    >>> parse_level("1 - Critical"), parse_level("?")
    (1, None)
    """
    raw: object = text  # any value reaches here from data read
    if raw == _MISSING:
        return None
    number = raw.split(" - ", 1)[0].strip() if isinstance(raw, str) else ""
    if not (number.isascii() and number.isdigit() and len(number) <= 9):
        raise DeserializationError(
            "ServiceNow level", [Problem("", f"expected '<number> - <name>', got {shown(text)}")]
        )
    return int(number)


def _text(value: str) -> str | None:
    return None if value == _MISSING or not value.strip() else value


@attrs.frozen(kw_only=True)
class ServiceNowRow:
    """The columns of one audit row that the import uses (``row`` is the 1-based data row)."""

    row: int
    number: str
    state: str
    updated_at: dt.datetime
    updated_by: str
    opened_at: dt.datetime
    opened_by: str
    caller: str | None
    contact_type: str | None
    category: str | None
    symptom: str | None
    configuration_item: str | None
    impact: int | None
    urgency: int | None
    priority: int | None
    assignment_group: str | None
    assignee: str | None
    closed_code: str | None
    reopen_count: int
    #: The tool's own figures on this row (None when the column is absent or ``?``).
    reassignment_count: int | None = None
    made_sla: bool | None = None
    resolved_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None


def read_incident_log(path: Path | str, *, tz: dt.tzinfo) -> tuple[ServiceNowRow, ...]:
    """Read the CSV at ``path``; times are local to ``tz`` (the instance's time zone).

    Raises DeserializationError naming the file and, for every bad cell of every row,
    ``line N, field F`` (the header is line 1) and what is wrong.
    """
    check_aware(dt.datetime(2000, 1, 1, tzinfo=tz), "read_incident_log.tz")
    rows: list[ServiceNowRow] = []
    problems: list[Problem] = []
    source = f"ServiceNow log {str(path)!r}"
    records = csv_records(io.StringIO(read_utf8(path), newline=""), source)
    _, header = next(records, (1, []))
    for i, (line, cells) in enumerate(records, start=1):
        row = _row(i, line, dict(zip(header, cells, strict=False)), tz, problems)
        if row is not None:
            rows.append(row)
    if problems:
        raise DeserializationError(source, problems)
    return tuple(rows)


_T = TypeVar("_T")


def _cell(
    raw: Mapping[str, str],
    column: str,
    parse: Callable[[str], _T],
    where: str,
    problems: list[Problem],
) -> _T | None:
    """``parse`` of the cell in ``column``; None, with a problem recorded, when it fails."""
    if column not in raw or raw[column] is None:
        problems.append(Problem(f"{where}, field {column}", "missing column"))
        return None
    try:
        return parse(raw[column])
    except ValueError as exc:
        message = exc.problems[0].message if isinstance(exc, DeserializationError) else str(exc)
        problems.append(Problem(f"{where}, field {column}", f"{shown(raw[column])}: {message}"))
        return None


def _count(text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) <= 9):
        raise ValueError("expected a whole number")
    return int(text)


def _flag(text: str) -> bool | None:
    if text == _MISSING:
        return None
    if text not in ("TRUE", "FALSE"):
        raise ValueError("expected TRUE or FALSE")
    return text == "TRUE"


def _optional_count(text: str) -> int | None:
    return None if text == _MISSING else _count(text)


def _state(text: str) -> str:
    if text not in STATE_MAP:
        raise ValueError(f"unknown incident_state (known: {', '.join(STATE_MAP)})")
    return text


def _row(
    i: int, line: int, raw: Mapping[str, str], tz: dt.tzinfo, problems: list[Problem]
) -> ServiceNowRow | None:
    where = f"line {line}"
    before = len(problems)

    def stamp(text: str) -> dt.datetime | None:
        return parse_timestamp(text, tz)

    def cell(column: str, parse: Callable[[str], _T]) -> _T | None:
        return _cell(raw, column, parse, where, problems)

    def optional(column: str, parse: Callable[[str], _T]) -> _T | None:
        """The source's own figures: an export without the column has none."""
        return cell(column, parse) if raw.get(column) is not None else None

    updated_at = cell("sys_updated_at", stamp)
    opened_at = cell("opened_at", stamp) or cell("sys_created_at", stamp)
    state = cell("incident_state", _state)
    levels = {name: cell(name, parse_level) for name in ("impact", "urgency", "priority")}
    reopen_count = cell("reopen_count", _count)
    reassignment_count = optional("reassignment_count", _optional_count)
    made_sla = optional("made_sla", _flag)
    resolved_at = optional("resolved_at", stamp)
    closed_at = optional("closed_at", stamp)
    texts = {
        column: cell(column, _text)
        for column in (
            "number",
            "sys_updated_by",
            "opened_by",
            "caller_id",
            "contact_type",
            "category",
            "u_symptom",
            "cmdb_ci",
            "assignment_group",
            "assigned_to",
            "closed_code",
        )
    }
    if len(problems) == before and (updated_at is None or opened_at is None):
        problems.append(
            Problem(where, "sys_updated_at and opened_at (or sys_created_at) are required")
        )
    if len(problems) > before:
        return None
    assert updated_at is not None
    assert opened_at is not None
    assert state is not None
    assert reopen_count is not None
    return ServiceNowRow(
        row=i,
        number=raw["number"],
        state=state,
        updated_at=updated_at,
        updated_by=texts["sys_updated_by"] or "unknown",
        opened_at=opened_at,
        opened_by=texts["opened_by"] or "unknown",
        caller=texts["caller_id"],
        contact_type=texts["contact_type"],
        category=texts["category"],
        symptom=texts["u_symptom"],
        configuration_item=texts["cmdb_ci"],
        impact=levels["impact"],
        urgency=levels["urgency"],
        priority=levels["priority"],
        assignment_group=texts["assignment_group"],
        assignee=texts["assigned_to"],
        closed_code=texts["closed_code"],
        reopen_count=reopen_count,
        reassignment_count=reassignment_count,
        made_sla=made_sla,
        resolved_at=resolved_at,
        closed_at=closed_at,
    )


def opening(first: ServiceNowRow) -> OpenTicket:
    """The command that opens the incident, from its first row."""
    return OpenTicket(
        ticket_id=first.number,
        kind=TicketKind.INCIDENT,
        requester=first.caller or "unknown caller",
        channel=_CHANNELS.get(first.contact_type or ""),
        symptom=first.symptom,
        configuration_item=first.configuration_item,
        category=first.category,
        impact=first.impact,
        urgency=first.urgency,
        priority=first.priority,
    )


def observations(rows: Iterable[ServiceNowRow]) -> tuple[Observation, ...]:
    """The observed states of one incident's rows, mapped onto the incident workflow."""
    out = []
    for row in rows:
        state, hold_reason = STATE_MAP[row.state]
        fields: dict[str, str] = {}
        if hold_reason is not None:
            fields["hold_reason"] = hold_reason.value
        if state is IncidentState.RESOLVED and row.closed_code is not None:
            fields["resolution_code"] = row.closed_code
        out.append(
            Observation(
                at=row.updated_at,
                state=state.value,
                actor=row.updated_by,
                row=row.row,
                fields=fields,
            )
        )
    return tuple(out)


def _by_incident(rows: Iterable[ServiceNowRow]) -> dict[str, list[ServiceNowRow]]:
    incidents: dict[str, list[ServiceNowRow]] = {}
    for row in rows:
        incidents.setdefault(row.number, []).append(row)
    return incidents


def import_incidents(
    rows: Sequence[ServiceNowRow], *, mode: ImportMode = ImportMode.STRICT
) -> tuple[ImportResult, ...]:
    """Replay every incident of the log (in order of first appearance) on the incident workflow.

    Each row is a snapshot of the incident, so each event also carries the
    :data:`CARRIED_FIELDS` whose value in its row differs from the ticket before it (the
    ``open`` event carries the first row's; a ``?`` clears the field): reassignments and
    priority changes can be counted from the events alone. Strict mode records no event for a
    repeated row; its changes arrive with the next recorded event if they still hold then.
    """
    results = []
    for group in _by_incident(rows).values():
        seen = observations(group)
        result = import_history(
            opening(group[0]),
            seen,
            opened_at=min(group[0].opened_at, group[0].updated_at),
            opened_by=group[0].opened_by,
            mode=mode,
        )
        values = [{name: getattr(row, name) for name in CARRIED_FIELDS} for row in group]
        result = carry_fields(result, seen, values)
        results.append(attrs.evolve(result, source=source_figures(group)))
    return tuple(results)


def source_figures(rows: Sequence[ServiceNowRow]) -> SourceFigures:
    """ServiceNow's own figures for one incident, from its rows (in the order recorded): the
    last row's ``made_sla``, ``resolved_at``, ``closed_at``, ``reassignment_count`` and
    ``reopen_count``, the ``opened_at`` of the first, and the times of the rows where
    ``reassignment_count`` rose."""
    first, last = rows[0], rows[-1]
    steps = [
        row.updated_at
        for before, row in itertools.pairwise(rows)
        if (row.reassignment_count or 0) > (before.reassignment_count or 0)
    ]
    return SourceFigures(
        system="ServiceNow",
        opened_at=first.opened_at,
        resolved_at=last.resolved_at,
        closed_at=last.closed_at,
        made_sla=last.made_sla,
        reassignment_count=last.reassignment_count,
        reopen_count=last.reopen_count,
        reassigned_at=tuple(steps),
    )


@attrs.frozen(kw_only=True)
class ServiceNowFigures:
    """What replaying a log gives, strict and lenient (see :func:`figures`)."""

    incidents: int
    rows: int
    strict_transitions: int
    strict_repeated_rows: int
    strict_breaking_rows: int
    strict_incidents_with_breaks: int
    lenient_events: int
    lenient_flagged: int
    lenient_repeated: int
    lenient_out_of_order: int
    reopens: int
    reopens_reported: int
    closed: int

    def to_markdown(self) -> str:
        """A Markdown table of the figures (the docs embed it; a test keeps it current)."""
        lines = [
            "| figure | value |",
            "|---|---|",
            f"| incidents | {self.incidents} |",
            f"| rows | {self.rows} |",
            f"| transitions accepted strictly | {self.strict_transitions} |",
            f"| rows repeating the current state | {self.strict_repeated_rows} |",
            f"| rows breaking the workflow (strict) | {self.strict_breaking_rows} |",
            f"| incidents with a breaking row | {self.strict_incidents_with_breaks} |",
            f"| events recorded leniently (including `open`) | {self.lenient_events} |",
            f"| flagged events (lenient) | {self.lenient_flagged} |",
            f"| flagged `repeated_state` | {self.lenient_repeated} |",
            f"| flagged `out_of_order` | {self.lenient_out_of_order} |",
            f"| reopen events replayed | {self.reopens} |",
            f"| reopens reported by ServiceNow (`reopen_count`, max per incident) | "
            f"{self.reopens_reported} |",
            f"| incidents replayed to closed | {self.closed} |",
        ]
        return "\n".join(lines) + "\n"


def figures(rows: Sequence[ServiceNowRow]) -> ServiceNowFigures:
    """Replay ``rows`` strictly and leniently and count what happened."""
    strict = import_incidents(rows, mode=ImportMode.STRICT)
    lenient = import_incidents(rows, mode=ImportMode.LENIENT)
    groups = _by_incident(rows)
    return ServiceNowFigures(
        incidents=len(strict),
        rows=len(rows),
        strict_transitions=sum(r.accepted for r in strict),
        strict_repeated_rows=sum(r.repeated for r in strict),
        strict_breaking_rows=sum(len(r.issues) for r in strict),
        strict_incidents_with_breaks=sum(1 for r in strict if r.issues),
        lenient_events=sum(len(r.events) for r in lenient),
        lenient_flagged=sum(r.flagged for r in lenient),
        lenient_repeated=sum(
            1 for r in lenient for e in r.events if EventFlag.REPEATED_STATE in e.flags
        ),
        lenient_out_of_order=sum(
            1 for r in lenient for e in r.events if EventFlag.OUT_OF_ORDER in e.flags
        ),
        reopens=sum(r.ticket.reopen_count for r in strict),
        reopens_reported=sum(max(row.reopen_count for row in g) for g in groups.values()),
        closed=sum(1 for r in strict if r.ticket.state == IncidentState.CLOSED),
    )
