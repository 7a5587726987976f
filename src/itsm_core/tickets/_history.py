"""Importing a state history observed in another tool, strictly or leniently."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from itsm_core._checks import Json, check_aware, frozen_json
from itsm_core.tickets._commands import OpenTicket
from itsm_core.tickets._context import CommandContext
from itsm_core.tickets._decide import decide, only_changed, reopen_changes, status_effects
from itsm_core.tickets._event import EventFlag, TicketEvent
from itsm_core.tickets._fold import apply_event
from itsm_core.tickets._registry import BUILTIN_WORKFLOWS, WorkflowRegistry
from itsm_core.tickets._ticket import Ticket
from itsm_core.tickets._vocabulary import HoldReason, Role
from itsm_core.workflow import StatusCategory

#: Event name of an imported row that is not a transition of the workflow (lenient mode).
_OBSERVED = "observe"


class ImportMode(enum.StrEnum):
    """Strict: only workflow transitions become events, the rest is reported. Lenient: every
    observation becomes an event; those the workflow would refuse are flagged."""

    STRICT = "strict"
    LENIENT = "lenient"


@attrs.frozen(kw_only=True)
class Observation:
    """One row of another tool's history: at ``at``, ``actor`` saw the ticket in ``state``.

    ``state`` is a state value of the target workflow (map the tool's names first).
    ``fields`` may carry ``hold_reason`` and ``resolution_code``/``resolution_note``.
    ``row`` is the source row number, for reports.
    """

    at: dt.datetime
    state: str
    actor: str = "import"
    row: int | None = None
    fields: Mapping[str, Json] = attrs.field(factory=dict, converter=frozen_json)

    def __attrs_post_init__(self) -> None:
        check_aware(self.at, "Observation.at")


@attrs.frozen(kw_only=True)
class ImportIssue:
    """A row strict mode refused, and why."""

    ticket_id: str
    row: int | None
    at: dt.datetime
    from_state: str
    to_state: str
    reason: str


@attrs.frozen(kw_only=True)
class SourceFigures:
    """The source tool's own figures for one imported ticket, kept as the export states them
    (None where the export does not have them), to reconcile our figures with its reports.

    ``reassignment_count`` and ``reopen_count`` are the tool's counters on the ticket's last
    row; ``reassigned_at`` the times of the rows where its reassignment counter rose (the
    evidence for a counter our events do not explain). ``made_sla`` is the tool's own SLA
    verdict.
    """

    system: str
    opened_at: dt.datetime | None = None
    resolved_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    made_sla: bool | None = None
    reassignment_count: int | None = None
    reopen_count: int | None = None
    reassigned_at: tuple[dt.datetime, ...] = ()

    def __attrs_post_init__(self) -> None:
        for name in ("opened_at", "resolved_at", "closed_at"):
            value = getattr(self, name)
            if value is not None:
                check_aware(value, f"SourceFigures.{name}")


@attrs.frozen(kw_only=True)
class ImportResult:
    """The imported ticket and events, with counts and (strict mode) the refused rows.

    ``accepted`` counts the state changes that are workflow transitions; ``repeated`` the rows
    that repeat the current state; ``flagged`` the events recorded despite the workflow
    (lenient mode only). ``source`` keeps the source tool's own figures for the ticket when
    the importer reads them (see :class:`SourceFigures`).
    """

    ticket: Ticket
    events: tuple[TicketEvent, ...]
    mode: ImportMode
    accepted: int
    repeated: int
    flagged: int
    issues: tuple[ImportIssue, ...]
    source: SourceFigures | None = None


def import_history(
    opening: OpenTicket,
    observations: Sequence[Observation],
    *,
    opened_at: dt.datetime,
    opened_by: str,
    mode: ImportMode = ImportMode.STRICT,
    workflows: WorkflowRegistry = BUILTIN_WORKFLOWS,
) -> ImportResult:
    """Rebuild a ticket from the states another tool recorded, in the order it recorded them.

    The ticket is opened at ``opened_at``; each observation then is, in order:

    * the same state (and hold reason) as now: a *repeated* row, recorded in lenient mode as
      an ``observe`` event flagged ``repeated_state``;
    * earlier than the last event: *out of order*; strict mode refuses it, lenient mode
      records it flagged ``out_of_order``;
    * a state reachable by one workflow transition: recorded under that event's name
      (``resolve``, ``reopen``...), with the usual effects (a reopen counts);
    * any other state: strict mode refuses it; lenient mode records an ``observe`` event
      flagged ``not_in_workflow`` and moves the ticket there.

    Roles, guards and required fields are not checked: the source tool does not say who did
    what in which role; every imported event is flagged ``imported``. Refused rows are listed
    in ``issues``; the ticket stays where it was.
    """
    ctx = CommandContext(actor=opened_by, role=Role.SYSTEM, now=opened_at, workflows=workflows)
    ticket, opened = decide(None, opening, ctx)
    workflow = workflows.get(ticket.workflow)
    events = list(opened)
    accepted = repeated = flagged = 0
    issues: list[ImportIssue] = []
    for obs in observations:
        target = workflow.state_named(obs.state)
        to_status = workflow.category(target)
        hold = obs.fields.get("hold_reason")
        hold_reason = HoldReason(hold) if isinstance(hold, str) else None
        flags = {EventFlag.IMPORTED}
        name = _OBSERVED
        changes: dict[str, Any] = {}
        problem: str | None = None
        if obs.state == ticket.state and hold_reason == ticket.hold_reason:
            repeated += 1
            if mode is ImportMode.STRICT:
                continue
            flags.add(EventFlag.REPEATED_STATE)
            if obs.at < ticket.updated_at:
                flags.add(EventFlag.OUT_OF_ORDER)
        else:
            transition = _transition_to(workflow, ticket.state, target)
            if obs.at < ticket.updated_at:
                problem = f"recorded before the previous event ({ticket.updated_at.isoformat()})"
                flags.add(EventFlag.OUT_OF_ORDER)
            if transition is None:
                allowed = _moves(workflow, ticket.state)
                problem = problem or f"no transition to {obs.state!r} (allowed: {allowed})"
                flags.add(EventFlag.NOT_IN_WORKFLOW)
            else:
                name = transition
                changes = _changes(ticket, name, obs, hold_reason)
            if problem is not None and mode is ImportMode.STRICT:
                issues.append(
                    ImportIssue(
                        ticket_id=ticket.id,
                        row=obs.row,
                        at=obs.at,
                        from_state=ticket.state,
                        to_state=obs.state,
                        reason=problem,
                    )
                )
                continue
            if problem is None:
                accepted += 1
            if to_status is StatusCategory.ON_HOLD and hold_reason is not None:
                changes["hold_reason"] = hold_reason
        if flags != {EventFlag.IMPORTED}:
            flagged += 1
        changes.update(status_effects(ticket, to_status, obs.at))
        event = TicketEvent(
            ticket_id=ticket.id,
            sequence=ticket.version + 1,
            name=name,
            at=obs.at,
            actor=obs.actor,
            role=Role.SYSTEM,
            from_state=ticket.state,
            from_status=ticket.status,
            to_state=obs.state,
            to_status=to_status,
            payload=only_changed(ticket, changes),
            flags=flags,
        )
        ticket = apply_event(ticket, event)
        events.append(event)
    return ImportResult(
        ticket=ticket,
        events=tuple(events),
        mode=mode,
        accepted=accepted,
        repeated=repeated,
        flagged=flagged,
        issues=tuple(issues),
    )


def _transition_to(workflow: Any, state: str, target: enum.Enum) -> str | None:
    """The first declared event leading from ``state`` to ``target``, if any."""
    source = workflow.state_named(state)
    for event in workflow.events_from(source):
        if workflow.transition(source, event).target == target:
            return str(event)
    return None


def _moves(workflow: Any, state: str) -> str:
    source = workflow.state_named(state)
    moves = [
        f"{event} -> {workflow.transition(source, event).target.value}"
        for event in workflow.events_from(source)
    ]
    return ", ".join(moves) or "none"


def _changes(
    ticket: Ticket, event: str, obs: Observation, hold_reason: HoldReason | None
) -> dict[str, Any]:
    if event == "resolve":
        code, note = obs.fields.get("resolution_code"), obs.fields.get("resolution_note")
        return {
            "resolution_code": code if isinstance(code, str) else None,
            "resolution_note": note if isinstance(note, str) else None,
            "resolved_at": obs.at,
            "resolved_by": obs.actor,
            "first_contact_resolution": ticket.status is StatusCategory.NEW,
        }
    if event == "reopen":
        return reopen_changes(ticket)
    if event == "acknowledge" and ticket.acknowledged_at is None:
        return {"acknowledged_at": obs.at}
    return {}
