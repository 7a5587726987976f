"""Reading a Jira (Service Management) CSV export and replaying each issue onto our workflows.

Two files are read:

* the issue CSV of Jira's "Export CSV (all fields)": one row per issue, with the columns
  ``Issue key``, ``Issue id``, ``Summary``, ``Issue Type``, ``Status``, ``Priority``,
  ``Reporter``, ``Creator``, ``Assignee``, ``Created``, ``Updated``, ``Resolved`` (Jira
  repeats some columns, such as ``Labels``; the first of a name is read);
* optionally a changelog CSV, one row per changed field (the REST ``changelog.histories[]``
  flattened: ``Issue key``, ``Created``, ``Author``, ``Field``, ``From``/``fromString``,
  ``To``/``toString``; the column names accepted are :data:`CHANGELOG_COLUMNS`). Its
  ``status`` rows are the replayed history.

Without a changelog (or for an issue it does not mention), the import replays what the
snapshot implies: the issue opened at ``Created``, then its current status at ``Resolved``
(for a resolved or closed status, when set) or ``Updated``; a closed issue with a ``Resolved``
time is first resolved then, then closed at ``Updated``.

Dates are Jira's default ``dd/MMM/yy h:mm a`` (``21/Nov/26 9:15 AM``, English month names,
years 20yy) or ISO 8601; the export carries no time zone, so the caller gives it. Empty cells
are missing values. The ``Issue Type`` picks a
:class:`~itsm_core.adapters.mapping.StatusMap` (:data:`JIRA_STATUS_MAPS`, matched ignoring
case), and priorities map as :data:`PRIORITIES`.

>>> import datetime as dt
>>> issues = parse_issues(
...     "Issue key,Issue Type,Status,Priority,Reporter,Created,Updated,Resolved\\n"
...     "IT-7,Incident,Closed,High,ana,21/Nov/26 9:15 AM,23/Nov/26 10:00 AM,21/Nov/26 4:40 PM\\n",
...     tz=dt.UTC,
... )
>>> (result,) = import_issues(issues)
>>> [(event.name, event.at.strftime("%d %H:%M")) for event in result.events]
[('open', '21 09:15'), ('resolve', '21 16:40'), ('close', '23 10:00')]
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from itsm_core._checks import check_aware, is_aware
from itsm_core._plain import as_mapping, shown
from itsm_core.adapters._batch import map_all
from itsm_core.adapters._reading import csv_records, read_utf8
from itsm_core.adapters.mapping import StatusMap, StatusTarget
from itsm_core.errors import DeserializationError, Problem
from itsm_core.tickets import (
    BUILTIN_WORKFLOWS,
    ImportMode,
    ImportResult,
    Json,
    Observation,
    OpenTicket,
    SourceFigures,
    Ticket,
    WorkflowRegistry,
    import_history,
)
from itsm_core.workflow import StatusCategory, Workflow

__all__ = [
    "JIRA_STATUS_MAPS",
    "JiraIssue",
    "JiraStatusChange",
    "import_issues",
    "parse_changelog",
    "parse_issues",
    "read_changelog",
    "read_issues",
]

#: Columns of the issue CSV: the required ones, then the optional ones.
ISSUE_COLUMNS = (
    ("Issue key", "Issue Type", "Status", "Reporter", "Created"),
    ("Issue id", "Summary", "Priority", "Creator", "Assignee", "Updated", "Resolved"),
)

#: Changelog column -> the header names accepted for it, first found wins (Jira's own
#: exporters, the REST field names and the data pipeline's ``issue_history`` file differ).
#: ``author`` and ``from`` are optional.
CHANGELOG_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "issue": ("Issue key", "issue_key", "Key", "key"),
    "at": ("Created", "created", "created_date", "Date"),
    "author": ("Author", "author", "author_key"),
    "field": ("Field", "field"),
    "from": ("fromString", "from_string", "From"),
    "to": ("toString", "to_string", "To"),
}

#: Jira priority -> our priority (1 is highest): the current scheme and the legacy one.
PRIORITIES: Mapping[str, int] = {
    "Highest": 1,
    "High": 2,
    "Medium": 3,
    "Low": 4,
    "Lowest": 5,
    "Blocker": 1,
    "Critical": 2,
    "Major": 3,
    "Minor": 4,
    "Trivial": 5,
}

_CUSTOMER = {"state": "on_hold", "hold_reason": "awaiting_customer"}
_VENDOR = {"state": "on_hold", "hold_reason": "awaiting_vendor"}
_REQUEST_STATUSES: dict[str, object] = {
    "Open": "new",
    "Waiting for support": "in_progress",
    "Waiting for approval": "awaiting_approval",
    "Declined": "rejected",
    "In progress": "in_progress",
    "Work in progress": "in_progress",
    "Escalated": "in_progress",
    "Reopened": "in_progress",
    "Waiting for customer": _CUSTOMER,
    "Pending": _VENDOR,
    "Resolved": "fulfilled",
    "Done": "fulfilled",
    "Closed": "closed",
    "Canceled": "cancelled",
}

#: Jira issue type -> the status map of the workflow it is replayed on (Jira Service
#: Management's IT service management status names; see docs/importers.md for the tables).
JIRA_STATUS_MAPS: Mapping[str, StatusMap] = {
    "Incident": StatusMap.from_dict(
        {
            "workflow": "incident",
            "statuses": {
                "Open": "new",
                "Waiting for support": "in_progress",
                "In progress": "in_progress",
                "Work in progress": "in_progress",
                "Escalated": "in_progress",
                "Reopened": "in_progress",
                "Waiting for customer": _CUSTOMER,
                "Pending": _VENDOR,
                "Resolved": "resolved",
                "Done": "resolved",
                "Closed": "closed",
                "Canceled": "cancelled",
            },
        }
    ),
    "Service request": StatusMap.from_dict(
        {"workflow": "service_request", "statuses": _REQUEST_STATUSES}
    ),
    "Service request with approvals": StatusMap.from_dict(
        {"workflow": "service_request", "statuses": _REQUEST_STATUSES}
    ),
    "Problem": StatusMap.from_dict(
        {
            "workflow": "problem",
            "statuses": {
                "Open": "new",
                "Under investigation": "root_cause_analysis",
                "Under review": "root_cause_analysis",
                "In progress": "root_cause_analysis",
                "Known error": "known_error",
                "Completed": "resolved",
                "Resolved": "resolved",
                "Done": "resolved",
                "Canceled": "resolved",
                "Closed": "closed",
            },
        }
    ),
    "Change": StatusMap.from_dict(
        {
            "workflow": "change_normal",
            "statuses": {
                "Open": "new",
                "Planning": "assess",
                "Awaiting approval": "authorise",
                "Awaiting CAB approval": "authorise",
                "Awaiting implementation": "scheduled",
                "Implementing": "implement",
                "Peer review": "review",
                "Completed": "review",
                "Failed": "review",
                "Closed": "closed",
                "Declined": "cancelled",
                "Canceled": "cancelled",
            },
        }
    ),
}


@attrs.frozen(kw_only=True)
class JiraIssue:
    """The columns of one issue row the import uses (``line``: its physical line, header 1).

    ``source`` names the export (a file name, or ``"payload"``); errors found later cite it.
    """

    key: str
    id: str | None
    summary: str | None
    issue_type: str
    status: str
    priority: str | None
    reporter: str
    creator: str | None
    assignee: str | None
    created: dt.datetime
    updated: dt.datetime | None
    resolved: dt.datetime | None
    line: int
    source: str


@attrs.frozen(kw_only=True)
class JiraStatusChange:
    """One ``status`` row of a changelog: at ``at``, ``author`` moved ``key`` to ``to_status``."""

    key: str
    at: dt.datetime
    author: str | None
    from_status: str | None
    to_status: str
    line: int
    source: str


_JIRA_DATE = re.compile(
    r"(?P<day>\d{1,2})/(?P<month>[A-Za-z]{3})/(?P<year>\d{2}) "
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2}) (?P<half>[AaPp][Mm])"
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def parse_timestamp(text: str, tz: dt.tzinfo) -> dt.datetime | None:
    """A Jira date (``dd/MMM/yy h:mm a``) or ISO 8601 time, local to ``tz`` unless it carries
    an offset; None for an empty cell. DeserializationError (a ValueError) for anything else.

    >>> parse_timestamp("21/Nov/26 9:15 PM", dt.UTC).isoformat()
    '2026-11-21T21:15:00+00:00'
    >>> parse_timestamp("2026-11-21T09:15:00+01:00", dt.UTC).isoformat()
    '2026-11-21T09:15:00+01:00'
    >>> parse_timestamp("", dt.UTC) is None
    True
    """
    try:
        return _parse_timestamp(text, tz)
    except ValueError as exc:
        raise DeserializationError("Jira date", [Problem("", str(exc))]) from None


def _parse_timestamp(text: object, tz: dt.tzinfo) -> dt.datetime | None:
    if not isinstance(text, str):
        raise ValueError(f"expected text, got {shown(text)}")
    text = text.strip()
    if not text:
        return None
    match = _JIRA_DATE.fullmatch(text)
    if match is not None:
        month = match["month"].lower()
        if month not in _MONTHS:
            raise ValueError(f"unknown month {match['month']!r} in {shown(text)}")
        hour = int(match["hour"])
        if not 1 <= hour <= 12:
            raise ValueError(f"hour {hour} is not 1..12 in {shown(text)}")
        hour = hour % 12 + (12 if match["half"].lower() == "pm" else 0)
        try:
            naive = dt.datetime(
                2000 + int(match["year"]),
                _MONTHS.index(month) + 1,
                int(match["day"]),
                hour,
                int(match["minute"]),
            )
        except ValueError as exc:
            raise ValueError(f"{exc} in {shown(text)}") from None
    else:
        try:
            naive = dt.datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(
                f"not a Jira date (dd/MMM/yy h:mm a) or ISO 8601: {shown(text)}"
            ) from None
        if is_aware(naive):
            return naive
    return naive.replace(tzinfo=tz)


Rows = str | Sequence[Mapping[str, str]]


def _records(
    data: Rows, required: Sequence[str], problems: list[Problem], source: str
) -> Iterator[tuple[int, Mapping[str, str]]]:
    """(physical line, row) pairs of CSV text (header on line 1) or of already-read rows
    (numbered as if a header were line 1). Missing header columns of a text are problems; a
    row of text cut short, or an unreadable record, is a DeserializationError naming
    ``source`` and its line."""
    if not isinstance(data, str):
        for line, row in enumerate(_rows(data, problems), start=2):
            if row is not None:
                yield line, row
        return
    records = csv_records(io.StringIO(data, newline=""), source)
    first = next(records, None)
    if first is None:
        problems.append(Problem("line 1", "empty file: expected a header row"))
        return
    columns: dict[str, int] = {}
    for position, name in enumerate(first[1]):
        columns.setdefault(name.strip(), position)
    missing = [name for name in required if name not in columns]
    problems.extend(Problem("line 1", f"missing column {name!r}") for name in missing)
    if missing:
        return
    for start, cells in records:
        yield start, {name: cells[i] for name, i in columns.items()}


def _rows(data: object, problems: list[Problem]) -> list[Mapping[str, str] | None]:
    """Rows already read: a list of mappings of column name to cell text (or None); each
    row that is not is a problem (and None in the result)."""
    if not isinstance(data, list | tuple):
        problems.append(Problem("", "expected CSV text or a list of rows"))
        return []
    rows: list[Mapping[str, str] | None] = []
    for line, row in enumerate(data, start=2):
        where = f"line {line}"
        if not isinstance(row, Mapping):
            problems.append(Problem(where, "expected a row: column name -> cell text"))
            rows.append(None)
        elif as_mapping(row, where, problems) is None:
            rows.append(None)
        elif any(cell is not None and not isinstance(cell, str) for cell in row.values()):
            problems.append(Problem(where, "expected text (or null) in every cell"))
            rows.append(None)
        else:
            rows.append(row)
    return rows


class _Row:
    """Reads the cells of one row, collecting a problem per bad cell."""

    def __init__(self, line: int, row: Mapping[str, str], problems: list[Problem]) -> None:
        self.line = line
        self.row = row
        self.problems = problems
        self.before = len(problems)

    @property
    def ok(self) -> bool:
        return len(self.problems) == self.before

    def problem(self, column: str, message: str) -> None:
        self.problems.append(Problem(f"line {self.line}, {column}", message))

    def text(self, column: str, *, required: bool = False) -> str | None:
        value = self.row.get(column)
        if value is None and required:
            self.problem(column, "missing column")
            return None
        value = (value or "").strip()
        if not value and required:
            self.problem(column, "empty (a value is required)")
        return value or None

    def time(self, column: str, tz: dt.tzinfo, *, required: bool = False) -> dt.datetime | None:
        text = self.text(column, required=required)
        if text is None:
            return None
        try:
            return _parse_timestamp(text, tz)
        except ValueError as exc:
            self.problem(column, str(exc))
            return None


def parse_issues(data: Rows, *, tz: dt.tzinfo, source: str = "payload") -> tuple[JiraIssue, ...]:
    """The issues of an issue CSV (its text, or rows already read as dicts); times are local
    to ``tz`` (the export has none).

    Raises DeserializationError listing every bad cell of every row as ``line N, Column``
    (header = line 1); NaiveDatetimeError if ``tz`` gives no offset.
    """
    check_aware(dt.datetime(2000, 1, 1, tzinfo=tz), "parse_issues.tz")
    problems: list[Problem] = []
    issues: list[JiraIssue] = []
    for line, row in _records(data, ISSUE_COLUMNS[0], problems, f"Jira issues {source!r}"):
        cells = _Row(line, row, problems)
        key = cells.text("Issue key", required=True)
        issue_type = cells.text("Issue Type", required=True)
        status = cells.text("Status", required=True)
        reporter = cells.text("Reporter", required=True)
        created = cells.time("Created", tz, required=True)
        priority = cells.text("Priority")
        if priority is not None and priority not in PRIORITIES:
            cells.problem(
                "Priority", f"unknown priority {shown(priority)} ({', '.join(PRIORITIES)})"
            )
        updated = cells.time("Updated", tz)
        resolved = cells.time("Resolved", tz)
        if not cells.ok:
            continue
        assert key is not None
        assert issue_type is not None
        assert status is not None
        assert reporter is not None
        assert created is not None
        issues.append(
            JiraIssue(
                key=key,
                issue_type=issue_type,
                status=status,
                priority=priority,
                reporter=reporter,
                created=created,
                id=cells.text("Issue id"),
                summary=cells.text("Summary"),
                creator=cells.text("Creator"),
                assignee=cells.text("Assignee"),
                updated=updated,
                resolved=resolved,
                line=line,
                source=source,
            )
        )
    if problems:
        raise DeserializationError(f"Jira issues {source!r}", problems)
    return tuple(issues)


def read_issues(path: Path | str, *, tz: dt.tzinfo) -> tuple[JiraIssue, ...]:
    """Read the issue CSV at ``path`` (UTF-8, a byte-order mark allowed); errors name it."""
    return parse_issues(read_utf8(path), tz=tz, source=str(path))


def parse_changelog(
    data: Rows, *, tz: dt.tzinfo, source: str = "payload"
) -> tuple[JiraStatusChange, ...]:
    """The ``status`` rows of a changelog CSV (text or rows as dicts), in file order; other
    fields' rows are skipped. Column names as :data:`CHANGELOG_COLUMNS`.

    Raises DeserializationError listing every bad cell (``line N, Column``) of a status row,
    or the columns it cannot find.
    """
    check_aware(dt.datetime(2000, 1, 1, tzinfo=tz), "parse_changelog.tz")
    subject = f"Jira changelog {source!r}"
    problems: list[Problem] = []
    if isinstance(data, str):
        header = next(csv_records(io.StringIO(data, newline=""), subject), (1, []))[1]
        names = {name.strip() for name in header}
    else:
        rows = [row for row in _rows(data, problems) if row is not None]
        names = set(rows[0]) if rows else set()
    if problems:
        raise DeserializationError(subject, problems)
    columns: dict[str, str] = {}
    for column, aliases in CHANGELOG_COLUMNS.items():
        found = next((alias for alias in aliases if alias in names), None)
        if found is not None:
            columns[column] = found
        elif column not in ("author", "from"):
            accepted = " or ".join(repr(alias) for alias in aliases)
            problems.append(Problem("line 1", f"missing column {accepted}"))
    if problems:
        raise DeserializationError(subject, problems)
    changes: list[JiraStatusChange] = []
    for line, row in _records(data, [], problems, subject):
        cells = _Row(line, row, problems)
        field = cells.text(columns["field"], required=True)
        if field is None or field.lower() != "status":
            continue
        key = cells.text(columns["issue"], required=True)
        at = cells.time(columns["at"], tz, required=True)
        to_status = cells.text(columns["to"], required=True)
        author = cells.text(columns["author"]) if "author" in columns else None
        from_status = cells.text(columns["from"]) if "from" in columns else None
        if not cells.ok:
            continue
        assert key is not None
        assert at is not None
        assert to_status is not None
        changes.append(
            JiraStatusChange(
                key=key,
                at=at,
                author=author,
                from_status=from_status,
                to_status=to_status,
                line=line,
                source=source,
            )
        )
    if problems:
        raise DeserializationError(f"Jira changelog {source!r}", problems)
    return tuple(changes)


def read_changelog(path: Path | str, *, tz: dt.tzinfo) -> tuple[JiraStatusChange, ...]:
    """Read the changelog CSV at ``path`` (UTF-8, a byte-order mark allowed); errors name it."""
    return parse_changelog(read_utf8(path), tz=tz, source=str(path))


def status_map_for(
    issue: JiraIssue, status_maps: Mapping[str, StatusMap] = JIRA_STATUS_MAPS
) -> StatusMap:
    """The status map of the issue's type (names compared ignoring case).

    DeserializationError citing the issue's line if there is none.
    """
    wanted = issue.issue_type.casefold()
    for name, status_map in status_maps.items():
        if name.casefold() == wanted:
            return status_map
    known = ", ".join(repr(name) for name in status_maps)
    raise DeserializationError(
        f"Jira issues {issue.source!r}",
        [
            Problem(
                f"line {issue.line}, Issue Type",
                f"no status map for issue type {issue.issue_type!r} ({known})",
            )
        ],
    )


def opening(issue: JiraIssue, status_map: StatusMap) -> OpenTicket:
    """The command that opens the issue on ``status_map``'s workflow: the reporter is the
    requester, the summary the symptom; the Jira issue id and assignee are kept in
    ``attributes`` (``jira_issue_id``, ``jira_assignee``)."""
    attributes: dict[str, Json] = {}
    if issue.id is not None:
        attributes["jira_issue_id"] = issue.id
    if issue.assignee is not None:
        attributes["jira_assignee"] = issue.assignee
    return OpenTicket(
        ticket_id=issue.key,
        kind=status_map.ticket_kind,
        workflow=status_map.workflow,
        requester=issue.reporter,
        symptom=issue.summary,
        priority=PRIORITIES.get(issue.priority or ""),
        attributes=attributes,
    )


def _observation(at: dt.datetime, target: StatusTarget, actor: str, row: int) -> Observation:
    fields: dict[str, Json] = {}
    if target.hold_reason is not None:
        fields["hold_reason"] = target.hold_reason.value
    return Observation(at=at, state=target.state, actor=actor, row=row, fields=fields)


def observations(
    issue: JiraIssue,
    status_map: StatusMap,
    changes: Sequence[JiraStatusChange] = (),
    *,
    workflows: WorkflowRegistry = BUILTIN_WORKFLOWS,
) -> tuple[Observation, ...]:
    """The observed states of ``issue``: its ``changes`` (status rows of its changelog, each
    with its line as ``row``), or, with none, what the snapshot implies (see the module doc).

    Raises DeserializationError listing every unmapped status with its line.
    """
    problems: list[Problem] = []
    out: list[Observation] = []
    for change in changes:
        try:
            target = status_map.target(change.to_status, where=f"line {change.line}, To")
        except DeserializationError as exc:
            problems.extend(exc.problems)
            continue
        out.append(_observation(change.at, target, change.author or "unknown", change.line))
    if problems:
        raise DeserializationError(f"Jira changelog {changes[0].source!r}", problems)
    if changes:
        return tuple(out)
    where = f"line {issue.line}, Status"
    try:
        target = status_map.target(issue.status, where=where)
    except DeserializationError as exc:
        raise DeserializationError(f"Jira issues {issue.source!r}", exc.problems) from None
    workflow = workflows.get(status_map.workflow)
    category = workflow.category(workflow.state_named(target.state))
    updated = issue.updated or issue.created
    actor = issue.assignee or "unknown"
    if category is StatusCategory.RESOLVED and issue.resolved is not None:
        return (_observation(issue.resolved, target, actor, issue.line),)
    if category is StatusCategory.CLOSED and issue.resolved is not None:
        resolved = _resolved_before(workflow, target.state)
        if resolved is not None:
            return (
                _observation(issue.resolved, StatusTarget(resolved), actor, issue.line),
                _observation(max(updated, issue.resolved), target, actor, issue.line),
            )
    return (_observation(updated, target, actor, issue.line),)


def _resolved_before(workflow: Workflow[Any, Ticket], state: str) -> str | None:
    """The first resolved-category state with a transition to ``state``, if any."""
    target = workflow.state_named(state)
    for candidate, category in workflow.states.items():
        if category is not StatusCategory.RESOLVED:
            continue
        for event in workflow.events_from(candidate):
            transition = workflow.transition(candidate, event)
            if transition is not None and transition.target == target:
                return str(candidate.value)
    return None


def import_issues(
    issues: Sequence[JiraIssue],
    changelog: Sequence[JiraStatusChange] = (),
    *,
    status_maps: Mapping[str, StatusMap] = JIRA_STATUS_MAPS,
    mode: ImportMode = ImportMode.STRICT,
    workflows: WorkflowRegistry = BUILTIN_WORKFLOWS,
) -> tuple[ImportResult, ...]:
    """Replay every issue on the workflow its type maps to, in the order given.

    An issue is opened at ``Created`` by its creator (else its reporter); its status rows of
    ``changelog`` (sorted by time, file order kept within a minute) are then imported in
    ``mode`` (see :func:`~itsm_core.tickets.import_history`); an issue without any is replayed
    from its snapshot. Every issue is mapped before any is replayed: unmapped issue types and
    statuses, and changelog rows of unknown issues, are raised together as one
    DeserializationError.

    Each result keeps Jira's own figures in ``source``: ``Created`` as ``opened_at`` and
    ``Resolved`` as ``resolved_at`` (the export has no SLA verdict, reopen or reassignment
    counter).
    """
    orphans: list[tuple[str, Problem]] = []
    by_key: dict[str, list[JiraStatusChange]] = {issue.key: [] for issue in issues}
    for change in changelog:
        if change.key in by_key:
            by_key[change.key].append(change)
        else:
            problem = Problem(
                f"line {change.line}, Issue key", f"no issue {change.key!r} in the issues"
            )
            orphans.append((f"Jira changelog {change.source!r}", problem))

    def plan(issue: JiraIssue) -> tuple[JiraIssue, StatusMap, tuple[Observation, ...]]:
        changes = sorted(by_key[issue.key], key=lambda change: change.at)
        status_map = status_map_for(issue, status_maps)
        return issue, status_map, observations(issue, status_map, changes, workflows=workflows)

    plans = map_all(issues, plan, orphans)
    return tuple(
        attrs.evolve(
            import_history(
                opening(issue, status_map),
                seen,
                opened_at=issue.created,
                opened_by=issue.creator or issue.reporter,
                mode=mode,
                workflows=workflows,
            ),
            source=SourceFigures(
                system="Jira", opened_at=issue.created, resolved_at=issue.resolved
            ),
        )
        for issue, status_map, seen in plans
    )
