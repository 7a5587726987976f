"""Reading a Zendesk ticket export (JSON) and replaying each ticket onto one of our workflows.

The shapes are those of the Zendesk Support API: a ticket object (``id``, ``subject``,
``status``, ``priority``, ``type``, ``via.channel``, ``created_at``, ``updated_at``,
``requester_id``, ``assignee_id``, ``group_id``, ``tags``) and its history as ticket audits
(``created_at``, ``author_id``, ``events``), where a ``Create`` or ``Change`` event with
``field_name`` ``"status"`` records a status. Two documents are read:

* ``{"tickets": [ticket, ...]}``, each ticket optionally carrying its ``audits`` list;
* ``{"ticket": ticket, "audits": [audit, ...]}``, one ticket (the ticket show endpoint plus its
  audits, or a webhook payload).

The Zendesk ``type`` picks the workflow, and a :class:`~itsm_core.adapters.mapping.StatusMap`
per type maps the statuses (:data:`ZENDESK_STATUS_MAPS`; a ticket without a type uses the
``incident`` map):

======= ================== =================== ============== =================
Zendesk ``incident``, null ``problem``         ``question``   ``task``
status  (incident)         (problem)           (consultation) (service_request)
======= ================== =================== ============== =================
new     new                new                 new            new
open    in_progress        root_cause_analysis in_progress    in_progress
pending on_hold, customer  root_cause_analysis in_progress    on_hold, customer
hold    on_hold, vendor    root_cause_analysis in_progress    on_hold, vendor
solved  resolved           resolved            answered       fulfilled
closed  closed             closed              closed         closed
======= ================== =================== ============== =================

``pending`` waits for the requester (hold reason ``awaiting_customer``); Zendesk's ``hold``
("on-hold") waits for a third party (``awaiting_vendor``). The problem and consultation
workflows have no on-hold state, so their clocks do not pause. Priorities map as
:data:`PRIORITIES` (urgent 1, high 2, normal 3, low 4), channels as :data:`CHANNELS`.

>>> export = {
...     "ticket": {
...         "id": 35436, "subject": "VPN drops", "status": "solved", "type": "incident",
...         "priority": "high", "via": {"channel": "email"}, "requester_id": 20978392,
...         "created_at": "2026-11-02T08:00:00Z", "updated_at": "2026-11-02T11:00:00Z",
...     },
...     "audits": [
...         {"created_at": "2026-11-02T08:00:00Z", "author_id": 20978392,
...          "events": [{"type": "Create", "field_name": "status", "value": "new"}]},
...         {"created_at": "2026-11-02T09:30:00Z", "author_id": 1001,
...          "events": [{"type": "Change", "field_name": "status", "value": "open",
...                      "previous_value": "new"}]},
...         {"created_at": "2026-11-02T11:00:00Z", "author_id": 1001,
...          "events": [{"type": "Change", "field_name": "status", "value": "solved",
...                      "previous_value": "open"}]},
...     ],
... }
>>> (result,) = import_tickets(parse_export(export))
>>> [event.name for event in result.events], result.ticket.state, result.ticket.priority
(['open', 'acknowledge', 'resolve'], 'resolved', 2)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from itsm_core._checks import is_aware
from itsm_core._plain import shown
from itsm_core.adapters._batch import map_all
from itsm_core.adapters._reading import load_json, read_utf8
from itsm_core.adapters.mapping import StatusMap
from itsm_core.errors import DeserializationError, Problem
from itsm_core.tickets import (
    BUILTIN_WORKFLOWS,
    Channel,
    ImportMode,
    ImportResult,
    Json,
    Observation,
    OpenTicket,
    SourceFigures,
    WorkflowRegistry,
    import_history,
)

__all__ = [
    "ZENDESK_STATUS_MAPS",
    "ZendeskTicket",
    "import_tickets",
    "loads_export",
    "parse_export",
    "read_export",
]

#: The statuses a Zendesk ticket can have.
STATUSES = ("new", "open", "pending", "hold", "solved", "closed")

#: Zendesk priority -> our priority (1 is highest). Zendesk has four levels, so 5 is unused.
PRIORITIES: Mapping[str, int] = {"urgent": 1, "high": 2, "normal": 3, "low": 4}

#: Zendesk ``via.channel`` -> our channel; any other via type (``rule``, ``system``,
#: ``twitter``...) gives no channel.
CHANNELS: Mapping[str, Channel] = {
    "voice": Channel.PHONE,
    "email": Channel.EMAIL,
    "mail": Channel.EMAIL,
    "web": Channel.WEB,
    "web_form": Channel.WEB,
    "web_widget": Channel.WEB,
    "help_center": Channel.WEB,
    "api": Channel.WEB,
    "web_service": Channel.WEB,
    "chat": Channel.CHAT,
    "native_messaging": Channel.CHAT,
    "mobile": Channel.MOBILE,
    "mobile_sdk": Channel.MOBILE,
    "sms": Channel.MOBILE,
}

_ON_HOLD_CUSTOMER = {"state": "on_hold", "hold_reason": "awaiting_customer"}
_ON_HOLD_VENDOR = {"state": "on_hold", "hold_reason": "awaiting_vendor"}

#: Zendesk ``type`` -> the status map of the workflow it is replayed on (see the module doc).
ZENDESK_STATUS_MAPS: Mapping[str, StatusMap] = {
    "incident": StatusMap.from_dict(
        {
            "workflow": "incident",
            "statuses": {
                "new": "new",
                "open": "in_progress",
                "pending": _ON_HOLD_CUSTOMER,
                "hold": _ON_HOLD_VENDOR,
                "solved": "resolved",
                "closed": "closed",
            },
        }
    ),
    "problem": StatusMap.from_dict(
        {
            "workflow": "problem",
            "statuses": {
                "new": "new",
                "open": "root_cause_analysis",
                "pending": "root_cause_analysis",
                "hold": "root_cause_analysis",
                "solved": "resolved",
                "closed": "closed",
            },
        }
    ),
    "question": StatusMap.from_dict(
        {
            "workflow": "consultation",
            "statuses": {
                "new": "new",
                "open": "in_progress",
                "pending": "in_progress",
                "hold": "in_progress",
                "solved": "answered",
                "closed": "closed",
            },
        }
    ),
    "task": StatusMap.from_dict(
        {
            "workflow": "service_request",
            "statuses": {
                "new": "new",
                "open": "in_progress",
                "pending": _ON_HOLD_CUSTOMER,
                "hold": _ON_HOLD_VENDOR,
                "solved": "fulfilled",
                "closed": "closed",
            },
        }
    ),
}


@attrs.frozen(kw_only=True)
class ZendeskStatusChange:
    """A status recorded by an audit: a ``Create`` or ``Change`` event of field ``status``.

    ``path`` is the JSON path of the event (``tickets[0].audits[2].events[1]``); ``audit_id``
    the audit's ``id`` when the export has one.
    """

    at: dt.datetime
    status: str
    actor: str
    audit_id: int | None
    path: str


@attrs.frozen(kw_only=True)
class ZendeskTicket:
    """The fields of one Zendesk ticket the import uses, and its status history.

    ``status_changes`` is None when the export has no audits for the ticket: the import then
    replays what the snapshot implies (opened at ``created_at``, the current status at
    ``updated_at``). ``source`` names the export (a file name, or ``"payload"``) and ``path``
    is the ticket's JSON path in it; errors found later cite them. ``reopens``,
    ``group_stations`` and ``solved_at`` are Zendesk's own figures from the ticket's
    ``metric_set`` (exported with ``include=metric_sets``), None without it.
    """

    id: str
    subject: str | None
    type: str | None
    status: str
    priority: str | None
    channel: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    requester_id: str
    assignee_id: str | None
    group_id: str | None
    tags: tuple[str, ...]
    created_by: str | None
    status_changes: tuple[ZendeskStatusChange, ...] | None
    source: str
    path: str
    reopens: int | None = None
    group_stations: int | None = None
    solved_at: dt.datetime | None = None

    def source_figures(self) -> SourceFigures:
        """Zendesk's own figures: ``solved_at`` as the resolution time, ``reopens``, and the
        group stations beyond the first as reassignments (Zendesk counts every group a ticket
        passed through, the first included)."""
        stations = self.group_stations
        return SourceFigures(
            system="Zendesk",
            opened_at=self.created_at,
            resolved_at=self.solved_at,
            reopen_count=self.reopens,
            reassignment_count=None if stations is None else max(stations - 1, 0),
        )


def loads_export(text: str, *, source: str = "payload") -> tuple[ZendeskTicket, ...]:
    """Parse the JSON ``text`` of an export (see :func:`parse_export`).

    Invalid JSON raises DeserializationError with the line and column (also for JSON nested
    too deep, numbers of thousands of digits, NaN, and bytes that are not UTF-8).
    """
    return parse_export(load_json(text, f"Zendesk export {source!r}"), source=source)


def read_export(path: Path | str) -> tuple[ZendeskTicket, ...]:
    """Read the JSON export at ``path`` (UTF-8); errors name the file (and the line of a byte
    that is not UTF-8)."""
    return loads_export(read_utf8(path), source=str(path))


def parse_export(data: object, *, source: str = "payload") -> tuple[ZendeskTicket, ...]:
    """The tickets of an already-loaded export: ``{"tickets": [...]}`` (each ticket may carry
    its ``audits``) or ``{"ticket": {...}, "audits": [...]}``.

    Raises DeserializationError listing every bad field of every ticket, each with its JSON
    path (``tickets[3].audits[1].created_at``); nothing is returned half-read.
    """
    problems: list[Problem] = []
    tickets: list[ZendeskTicket] = []
    if isinstance(data, Mapping) and "tickets" in data:
        raw_tickets = data["tickets"]
        if not isinstance(raw_tickets, list):
            problems.append(Problem("tickets", "expected a list of tickets"))
            raw_tickets = []
        for i, raw in enumerate(raw_tickets):
            path = f"tickets[{i}]"
            audits = raw.get("audits") if isinstance(raw, Mapping) else None
            ticket = _ticket(raw, audits, path, f"{path}.audits", source, problems)
            if ticket is not None:
                tickets.append(ticket)
    elif isinstance(data, Mapping) and "ticket" in data:
        ticket = _ticket(data["ticket"], data.get("audits"), "ticket", "audits", source, problems)
        if ticket is not None:
            tickets.append(ticket)
    else:
        problems.append(Problem("", 'expected {"tickets": [...]} or {"ticket": {...}}'))
    if problems:
        raise DeserializationError(f"Zendesk export {source!r}", problems)
    return tuple(tickets)


def _ticket(
    raw: object,
    audits: object,
    path: str,
    audits_path: str,
    source: str,
    problems: list[Problem],
) -> ZendeskTicket | None:
    before = len(problems)
    if not isinstance(raw, Mapping):
        problems.append(Problem(path, "expected a ticket object"))
        return None
    ticket_id = _identifier(raw, "id", path, problems, required=True)
    status = _string(raw, "status", path, problems, required=True)
    priority = _string(raw, "priority", path, problems)
    if priority is not None and priority not in PRIORITIES:
        known = ", ".join(PRIORITIES)
        problems.append(
            Problem(f"{path}.priority", f"unknown priority {shown(priority)} ({known})")
        )
    via = raw.get("via")
    channel: str | None = None
    if via is not None and not isinstance(via, Mapping):
        problems.append(Problem(f"{path}.via", "expected an object"))
    elif via is not None:
        channel = _string(via, "channel", f"{path}.via", problems)
    tags = raw.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        problems.append(Problem(f"{path}.tags", "expected a list of strings"))
        tags = []
    subject = _string(raw, "subject", path, problems)
    ticket_type = _string(raw, "type", path, problems)
    created_at = _timestamp(raw, "created_at", path, problems)
    updated_at = _timestamp(raw, "updated_at", path, problems)
    requester_id = _identifier(raw, "requester_id", path, problems, required=True)
    assignee_id = _identifier(raw, "assignee_id", path, problems)
    group_id = _identifier(raw, "group_id", path, problems)
    metrics = _metric_set(raw, path, problems)
    created_by: str | None = None
    changes: tuple[ZendeskStatusChange, ...] | None = None
    if audits is not None:
        if not isinstance(audits, list):
            problems.append(Problem(audits_path, "expected a list of audits"))
        else:
            created_by, changes = _audits(audits, audits_path, problems)
    if len(problems) > before:
        return None
    assert ticket_id is not None
    assert status is not None
    assert created_at is not None
    assert updated_at is not None
    assert requester_id is not None
    return ZendeskTicket(
        id=ticket_id,
        subject=subject,
        type=ticket_type,
        status=status,
        priority=priority,
        channel=channel,
        created_at=created_at,
        updated_at=updated_at,
        requester_id=requester_id,
        assignee_id=assignee_id,
        group_id=group_id,
        tags=tuple(tags),
        created_by=created_by,
        status_changes=changes,
        source=source,
        path=path,
        **metrics,
    )


def _metric_set(raw: Mapping[str, object], path: str, problems: list[Problem]) -> dict[str, Any]:
    """``reopens``, ``group_stations`` and ``solved_at`` of the ticket's ``metric_set``."""
    metric_set = raw.get("metric_set")
    where = f"{path}.metric_set"
    if metric_set is None:
        return {}
    if not isinstance(metric_set, Mapping):
        problems.append(Problem(where, "expected an object"))
        return {}
    out: dict[str, Any] = {}
    for key in ("reopens", "group_stations"):
        value = metric_set.get(key)
        if value is None:
            continue
        if type(value) is int and 0 <= value < 2**31:
            out[key] = value
        else:
            problems.append(Problem(f"{where}.{key}", f"expected a count, got {shown(value)}"))
    if metric_set.get("solved_at") is not None:
        out["solved_at"] = _timestamp(metric_set, "solved_at", where, problems)
    return out


def _audits(
    audits: list[object], path: str, problems: list[Problem]
) -> tuple[str | None, tuple[ZendeskStatusChange, ...]]:
    changes: list[ZendeskStatusChange] = []
    created_by: str | None = None
    for i, audit in enumerate(audits):
        where = f"{path}[{i}]"
        if not isinstance(audit, Mapping):
            problems.append(Problem(where, "expected an audit object"))
            continue
        at = _timestamp(audit, "created_at", where, problems)
        author = _identifier(audit, "author_id", where, problems)
        if i == 0:
            created_by = author
        audit_id = audit.get("id")
        events = audit.get("events")
        if not isinstance(events, list):
            problems.append(Problem(f"{where}.events", "expected a list of events"))
            continue
        for j, event in enumerate(events):
            at_event = f"{where}.events[{j}]"
            if not isinstance(event, Mapping):
                problems.append(Problem(at_event, "expected an event object"))
                continue
            if event.get("type") not in ("Create", "Change") or event.get("field_name") != "status":
                continue
            status = _string(event, "value", at_event, problems, required=True)
            if at is not None and status is not None:
                changes.append(
                    ZendeskStatusChange(
                        at=at,
                        status=status,
                        actor=author or "unknown",
                        audit_id=audit_id if type(audit_id) is int else None,
                        path=at_event,
                    )
                )
    return created_by, tuple(changes)


def _string(
    raw: Mapping[str, object],
    key: str,
    path: str,
    problems: list[Problem],
    *,
    required: bool = False,
) -> str | None:
    value = raw.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value:
        expected = "a non-empty string" if required else "a non-empty string or null"
        problems.append(Problem(f"{path}.{key}", f"expected {expected}, got {shown(value)}"))
        return None
    return value


def _identifier(
    raw: Mapping[str, object],
    key: str,
    path: str,
    problems: list[Problem],
    *,
    required: bool = False,
) -> str | None:
    value = raw.get(key)
    if value is None and not required:
        return None
    if isinstance(value, str) and value.strip():
        return value
    if type(value) is int and value.bit_length() <= 64:  # Zendesk ids are 64-bit integers
        return str(value)
    problems.append(
        Problem(f"{path}.{key}", f"expected an id (integer or string), got {shown(value)}")
    )
    return None


def _timestamp(
    raw: Mapping[str, object], key: str, path: str, problems: list[Problem]
) -> dt.datetime | None:
    value = raw.get(key)
    where = f"{path}.{key}"
    if not isinstance(value, str):
        problems.append(Problem(where, f"expected an ISO 8601 time, got {shown(value)}"))
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        problems.append(Problem(where, f"not an ISO 8601 time: {shown(value)}"))
        return None
    if not is_aware(parsed):
        problems.append(Problem(where, f"no time zone in {shown(value)} (Zendesk writes ...Z)"))
        return None
    return parsed


def status_map_for(
    ticket: ZendeskTicket,
    status_maps: Mapping[str, StatusMap] = ZENDESK_STATUS_MAPS,
    *,
    untyped: str = "incident",
) -> StatusMap:
    """The status map of the ticket's ``type`` (``untyped`` names the one for no type).

    DeserializationError, citing the ticket's ``type``, if no map is given for it.
    """
    kind = ticket.type if ticket.type is not None else untyped
    try:
        return status_maps[kind]
    except KeyError:
        known = ", ".join(repr(name) for name in status_maps)
        raise DeserializationError(
            f"Zendesk export {ticket.source!r}",
            [Problem(f"{ticket.path}.type", f"no status map for type {kind!r} ({known})")],
        ) from None


def opening(ticket: ZendeskTicket, status_map: StatusMap) -> OpenTicket:
    """The command that opens the ticket on ``status_map``'s workflow.

    The subject becomes the symptom; the tags and the Zendesk assignee and group ids are kept
    in ``attributes`` (``tags``, ``zendesk_assignee_id``, ``zendesk_group_id``).
    """
    attributes: dict[str, Json] = {"tags": ticket.tags}
    if ticket.assignee_id is not None:
        attributes["zendesk_assignee_id"] = ticket.assignee_id
    if ticket.group_id is not None:
        attributes["zendesk_group_id"] = ticket.group_id
    return OpenTicket(
        ticket_id=ticket.id,
        kind=status_map.ticket_kind,
        workflow=status_map.workflow,
        requester=ticket.requester_id,
        symptom=ticket.subject,
        channel=CHANNELS.get(ticket.channel or ""),
        priority=PRIORITIES.get(ticket.priority or ""),
        attributes=attributes,
    )


def observations(ticket: ZendeskTicket, status_map: StatusMap) -> tuple[Observation, ...]:
    """The observed states of the ticket, mapped by ``status_map``.

    With audits: one observation per status event, at its audit's time, by its author, with
    the audit id as ``row``. Without: the current status at ``updated_at``. Raises
    DeserializationError listing every unmapped status with its JSON path.
    """
    problems: list[Problem] = []
    out: list[Observation] = []
    seen: list[tuple[dt.datetime, str, str, int | None, str]]
    if ticket.status_changes is None:
        seen = [(ticket.updated_at, ticket.status, "import", None, f"{ticket.path}.status")]
    else:
        seen = [
            (change.at, change.status, change.actor, change.audit_id, f"{change.path}.value")
            for change in ticket.status_changes
        ]
    for at, status, actor, row, where in seen:
        try:
            target = status_map.target(status, where=where)
        except DeserializationError as exc:
            problems.extend(exc.problems)
            continue
        fields: dict[str, Json] = {}
        if target.hold_reason is not None:
            fields["hold_reason"] = target.hold_reason.value
        out.append(Observation(at=at, state=target.state, actor=actor, row=row, fields=fields))
    if problems:
        raise DeserializationError(f"Zendesk export {ticket.source!r}", problems)
    return tuple(out)


def import_tickets(
    tickets: Sequence[ZendeskTicket],
    *,
    status_maps: Mapping[str, StatusMap] = ZENDESK_STATUS_MAPS,
    untyped: str = "incident",
    mode: ImportMode = ImportMode.STRICT,
    workflows: WorkflowRegistry = BUILTIN_WORKFLOWS,
) -> tuple[ImportResult, ...]:
    """Replay every ticket on the workflow its type maps to, in the order given.

    Each ticket is opened at ``created_at`` by the author of its first audit (else its
    requester), then :func:`observations` are imported in ``mode`` (see
    :func:`~itsm_core.tickets.import_history`). Every ticket is mapped before any is replayed:
    unmapped types and statuses of all tickets are raised together as one
    DeserializationError. Each result keeps Zendesk's own figures in ``source``
    (:meth:`ZendeskTicket.source_figures`).
    """

    def plan(ticket: ZendeskTicket) -> tuple[ZendeskTicket, StatusMap, tuple[Observation, ...]]:
        status_map = status_map_for(ticket, status_maps, untyped=untyped)
        return ticket, status_map, observations(ticket, status_map)

    plans = map_all(tickets, plan)
    return tuple(
        attrs.evolve(
            import_history(
                opening(ticket, status_map),
                seen,
                opened_at=ticket.created_at,
                opened_by=ticket.created_by or ticket.requester_id,
                mode=mode,
                workflows=workflows,
            ),
            source=ticket.source_figures(),
        )
        for ticket, status_map, seen in plans
    )
