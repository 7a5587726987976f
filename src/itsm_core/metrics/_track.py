"""The per-ticket fold: what the KPI stream remembers about one ticket while it is in flight.

Only the few facts KPIs need are kept (milestone times, counters, the dimension values), never
the events. A track is dropped as soon as its ticket reaches a final status (closed or
cancelled); tickets still in flight are counted as open (censored) when a report is made.

Times are kept in UTC (Python subtracts datetimes that share a time zone on the wall clock,
which is wrong across a daylight-saving change) and made monotone per ticket: an event
recorded earlier than the previous event of the same ticket (real exports have them) is timed
at the previous event and counted in the report's diagnostics, so no duration is ever
negative and the backlog flow identity holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from itsm_core._checks import is_int
from itsm_core.metrics._definitions import Dimension, Milestone, Outcome
from itsm_core.tickets import TicketEvent, TicketKind
from itsm_core.workflow import StatusCategory

NONE_LABEL = "(none)"
_RESOLVED_STATUSES = (StatusCategory.RESOLVED, StatusCategory.CLOSED)
_NEW = StatusCategory.NEW
_CANCELLED = StatusCategory.CANCELLED


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _int(value: object) -> int | None:
    return value if is_int(value) else None


class Track:
    """What is known about one in-flight ticket (mutable, private to the stream)."""

    __slots__ = (
        "acknowledged_at",
        "active_since",
        "assignee",
        "category",
        "channel",
        "closed_at",
        "escalated_functional",
        "escalated_hierarchical",
        "fcr",
        "first_resolved_at",
        "first_response_at",
        "group",
        "id",
        "kind",
        "last_at",
        "last_resolution_at",
        "opened_at",
        "priority",
        "reassignments",
        "reopened_in_window",
        "reopens",
        "status",
    )

    def __init__(self, event: TicketEvent, at: dt.datetime) -> None:
        payload = event.payload
        self.id = event.ticket_id
        self.opened_at = at
        self.last_at = at
        self.status = event.to_status
        self.active_since: dt.datetime | None = at if event.to_status.is_active else None
        self.kind = str(payload.get("kind", TicketKind.INCIDENT.value))
        self.channel = _text(payload.get("channel"))
        self.category = _text(payload.get("category"))
        self.priority = _int(payload.get("priority"))
        self.group = _text(payload.get("assignment_group"))
        self.assignee = _text(payload.get("assignee"))
        self.acknowledged_at: dt.datetime | None = None
        self.first_response_at: dt.datetime | None = None
        self.first_resolved_at: dt.datetime | None = None
        self.last_resolution_at: dt.datetime | None = None
        self.closed_at: dt.datetime | None = None
        self.fcr: bool | None = None
        self.reassignments = 0
        self.escalated_functional = 0
        self.escalated_hierarchical = 0
        self.reopens = 0
        self.reopened_in_window = False

    # -- folding -------------------------------------------------------------------------------

    def apply(self, event: TicketEvent, at: dt.datetime, reopen_window: dt.timedelta) -> None:
        """Fold one event (timed ``at``, already made monotone) into the track."""
        payload = event.payload
        if payload:
            self._fields(payload)
        name = event.name
        if name == "escalate":
            if "management_involved" in payload:
                self.escalated_hierarchical += 1
            else:
                self.escalated_functional += 1
        if self.acknowledged_at is None and (name == "acknowledge" or "acknowledged_at" in payload):
            self.acknowledged_at = at
        before = self.status
        after = event.to_status
        if (
            self.first_response_at is None
            and event.role != "customer"
            and (
                name in ("acknowledge", "resolve")
                or "comment" in payload
                or (before is _NEW and after is not _NEW and after is not _CANCELLED)
            )
        ):
            self.first_response_at = at
        if after is before:
            return
        if after in _RESOLVED_STATUSES and before not in _RESOLVED_STATUSES:
            if self.first_resolved_at is None:
                self.first_resolved_at = at
            self.last_resolution_at = at
        elif after.is_active and before in _RESOLVED_STATUSES:
            self.reopens += 1
            last = self.last_resolution_at
            if last is not None and at - last <= reopen_window:
                self.reopened_in_window = True
            self.fcr = None
        if after is StatusCategory.CLOSED or after is StatusCategory.CANCELLED:
            self.closed_at = at
        self.status = after

    def _fields(self, payload: Mapping[str, object]) -> None:
        if "assignment_group" in payload:
            group = _text(payload["assignment_group"])
            if self.group is not None and group != self.group:
                self.reassignments += 1
            self.group = group
        if "assignee" in payload:
            self.assignee = _text(payload["assignee"])
        if "priority" in payload:
            self.priority = _int(payload["priority"])
        if "category" in payload:
            self.category = _text(payload["category"])
        if "channel" in payload:
            self.channel = _text(payload["channel"])
        if "first_contact_resolution" in payload:
            value = payload["first_contact_resolution"]
            self.fcr = value if isinstance(value, bool) else None

    # -- reading -------------------------------------------------------------------------------

    @property
    def cancelled(self) -> bool:
        """True when the ticket was cancelled."""
        return self.status is StatusCategory.CANCELLED

    @property
    def resolved(self) -> bool:
        """True when the ticket stands resolved (or closed after a resolution)."""
        return self.status in _RESOLVED_STATUSES and self.last_resolution_at is not None

    def milestone(self, milestone: Milestone) -> dt.datetime | None:
        """When the ticket reached ``milestone``, None if it has not (yet)."""
        if milestone is Milestone.OPENED:
            return self.opened_at
        if milestone is Milestone.ACKNOWLEDGED:
            return self.acknowledged_at
        if milestone is Milestone.FIRST_RESPONSE:
            return self.first_response_at
        if milestone is Milestone.FIRST_RESOLVED:
            return self.first_resolved_at
        if milestone is Milestone.RESOLVED:
            return self.last_resolution_at if self.resolved else None
        return self.closed_at if self.status is StatusCategory.CLOSED else None

    def dimension(self, dimension: Dimension) -> str:
        """The ticket's value for ``dimension`` as a label."""
        value: object
        if dimension is Dimension.KIND:
            value = self.kind
        elif dimension is Dimension.CHANNEL:
            value = self.channel
        elif dimension is Dimension.CATEGORY:
            value = self.category
        elif dimension is Dimension.PRIORITY:
            value = self.priority
        elif dimension is Dimension.GROUP:
            value = self.group
        else:
            value = self.assignee
        return NONE_LABEL if value is None else str(value)

    def has(self, outcome: Outcome) -> bool:
        """True when the ticket has ``outcome`` so far."""
        if outcome is Outcome.ALL:
            return True
        if outcome is Outcome.RESOLVED:
            return self.resolved
        if outcome is Outcome.FIRST_CONTACT_RESOLVED:
            return self.resolved and self.fcr is True
        if outcome is Outcome.REOPENED_IN_WINDOW:
            return self.reopened_in_window
        if outcome is Outcome.REOPENED:
            return self.reopens > 0
        if outcome is Outcome.REASSIGNED:
            return self.reassignments > 0
        if outcome is Outcome.ESCALATED:
            return self.escalated_functional + self.escalated_hierarchical > 0
        if outcome is Outcome.ESCALATED_FUNCTIONAL:
            return self.escalated_functional > 0
        if outcome is Outcome.ESCALATED_HIERARCHICAL:
            return self.escalated_hierarchical > 0
        return self.kind == TicketKind.COMPLAINT.value

    def decided(self, outcome: Outcome, as_of: dt.datetime, reopen_window: dt.timedelta) -> bool:
        """True when ``outcome`` can no longer change for this ticket as of ``as_of``."""
        if self.status.is_final:
            return True
        if outcome is Outcome.COMPLAINT or outcome is Outcome.ALL:
            return True
        if outcome is Outcome.REOPENED_IN_WINDOW:
            if self.reopened_in_window:
                return True
            last = self.last_resolution_at
            return self.resolved and last is not None and as_of - last > reopen_window
        return not self.status.is_active
