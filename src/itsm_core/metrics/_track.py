"""The per-ticket fold: what the KPI stream remembers about one ticket while it is in flight.

Only the few facts KPIs need are kept (milestone times, outcome bits, the dimension values),
never the events. A track is dropped as soon as its ticket reaches a final status (closed or
cancelled); tickets still in flight are counted as open (censored) when a report is made.

Times are kept in UTC (Python subtracts datetimes that share a time zone on the wall clock,
which is wrong across a daylight-saving change) and made monotone per ticket: an event
recorded earlier than the previous event of the same ticket (real exports have them) is timed
at the previous event and counted in the report's diagnostics, so no duration is ever
negative and the backlog flow identity holds.

The stream folds millions of events, so :meth:`Track.apply` is written for speed: status
categories are tested against frozensets (an enum's own properties cost a call each) and the
payload is searched only for the keys that can still matter to this ticket.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from itsm_core._checks import is_int
from itsm_core.metrics._definitions import Dimension, Milestone, Outcome
from itsm_core.tickets import TicketEvent, TicketKind
from itsm_core.workflow import StatusCategory

NONE_LABEL = "(none)"
NEW = StatusCategory.NEW
CLOSED = StatusCategory.CLOSED
CANCELLED = StatusCategory.CANCELLED
#: Work still due: new, open, on hold.
ACTIVE = frozenset(s for s in StatusCategory if s.is_active)
#: Nothing more expected: closed, cancelled.
FINAL = frozenset(s for s in StatusCategory if s.is_final)
#: Standing resolved: resolved, or closed after a resolution.
RESOLVED = frozenset({StatusCategory.RESOLVED, StatusCategory.CLOSED})
#: Payload keys that set a field a KPI reads (the others only matter by name, see ``apply``).
FIELD_KEYS = frozenset(
    {"assignment_group", "assignee", "priority", "category", "channel", "first_contact_resolution"}
)
#: The track attribute holding each dimension.
DIMENSION_FIELDS = {
    Dimension.KIND: "kind",
    Dimension.CHANNEL: "channel",
    Dimension.CATEGORY: "category",
    Dimension.PRIORITY: "priority",
    Dimension.GROUP: "group",
    Dimension.ASSIGNEE: "assignee",
}
_COMPLAINT = TicketKind.COMPLAINT.value
_INCIDENT = TicketKind.INCIDENT.value

#: The position of each milestone in :meth:`Track.milestones`.
MILESTONE_INDEX = {
    Milestone.OPENED: 0,
    Milestone.ACKNOWLEDGED: 1,
    Milestone.FIRST_RESPONSE: 2,
    Milestone.FIRST_RESOLVED: 3,
    Milestone.RESOLVED: 4,
    Milestone.CLOSED: 5,
}
#: The bit of each outcome in :meth:`Track.outcomes`.
OUTCOME_BIT = {outcome: 1 << i for i, outcome in enumerate(Outcome)}
_ALL = OUTCOME_BIT[Outcome.ALL]
_RESOLVED = _ALL | OUTCOME_BIT[Outcome.RESOLVED]
_RESOLVED_FCR = _RESOLVED | OUTCOME_BIT[Outcome.FIRST_CONTACT_RESOLVED]
_REOPENED = OUTCOME_BIT[Outcome.REOPENED]
_REOPENED_IN_WINDOW = OUTCOME_BIT[Outcome.REOPENED_IN_WINDOW]
_REASSIGNED = OUTCOME_BIT[Outcome.REASSIGNED]
_FUNCTIONAL = OUTCOME_BIT[Outcome.ESCALATED] | OUTCOME_BIT[Outcome.ESCALATED_FUNCTIONAL]
_HIERARCHICAL = OUTCOME_BIT[Outcome.ESCALATED] | OUTCOME_BIT[Outcome.ESCALATED_HIERARCHICAL]
_COMPLAINT_FLAGS = _ALL | OUTCOME_BIT[Outcome.COMPLAINT]


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _int(value: object) -> int | None:
    return value if is_int(value) else None


def label(value: object) -> str:
    """A dimension value as a label: ``(none)`` for None."""
    return NONE_LABEL if value is None else str(value)


class Track:
    """What is known about one in-flight ticket (mutable, private to the stream)."""

    __slots__ = (
        "acknowledged_at",
        "active_since",
        "assignee",
        "category",
        "channel",
        "closed_at",
        "cohort",
        "fcr",
        "first_resolved_at",
        "first_response_at",
        "flags",
        "group",
        "kind",
        "last_at",
        "last_resolution_at",
        "opened_at",
        "priority",
        "status",
    )

    def __init__(self, event: TicketEvent, at: dt.datetime, cohort: int | None) -> None:
        get = event.payload.get
        channel, category, group = get("channel"), get("category"), get("assignment_group")
        assignee, priority = get("assignee"), get("priority")
        self.cohort = cohort
        self.opened_at = at
        self.last_at = at
        self.status = event.to_status
        self.active_since: dt.datetime | None = at if event.to_status in ACTIVE else None
        self.kind = str(get("kind", _INCIDENT))
        self.channel = None if channel is None else str(channel)
        self.category = None if category is None else str(category)
        self.priority = priority if is_int(priority) else None
        self.group = None if group is None else str(group)
        self.assignee = None if assignee is None else str(assignee)
        self.acknowledged_at: dt.datetime | None = None
        self.first_response_at: dt.datetime | None = None
        self.first_resolved_at: dt.datetime | None = None
        self.last_resolution_at: dt.datetime | None = None
        self.closed_at: dt.datetime | None = None
        self.fcr: bool | None = None
        # The outcomes the ticket has had (bits of OUTCOME_BIT): all but resolved and
        # first-contact resolved, which hold only while the ticket stands resolved.
        self.flags = _COMPLAINT_FLAGS if self.kind == _COMPLAINT else _ALL

    # -- folding -------------------------------------------------------------------------------

    def apply(
        self, event: TicketEvent, at: dt.datetime, reopen_window: dt.timedelta
    ) -> StatusCategory | None:
        """Fold one event (timed ``at``, already made monotone) into the track.

        Returns the status before the event when the event moved the ticket to another status
        or left it in a final one (the caller counts the move); None otherwise.
        """
        payload = event.payload
        name = event.name
        if not FIELD_KEYS.isdisjoint(payload):
            self._fields(payload)
        if name == "escalate":
            if "management_involved" in payload:
                self.flags |= _HIERARCHICAL
            else:
                self.flags |= _FUNCTIONAL
        if self.acknowledged_at is None and (name == "acknowledge" or "acknowledged_at" in payload):
            self.acknowledged_at = at
        before = self.status
        after = event.to_status
        if (
            self.first_response_at is None
            and event.role != "customer"
            and (
                name == "acknowledge"
                or name == "resolve"
                or "comment" in payload
                or (before is NEW and after is not NEW and after is not CANCELLED)
            )
        ):
            self.first_response_at = at
        if after is before:
            return before if before in FINAL else None
        if after in RESOLVED:
            if before not in RESOLVED:
                if self.first_resolved_at is None:
                    self.first_resolved_at = at
                self.last_resolution_at = at
        elif after in ACTIVE and before in RESOLVED:
            self.flags |= _REOPENED
            last = self.last_resolution_at
            if last is not None and at - last <= reopen_window:
                self.flags |= _REOPENED_IN_WINDOW
            self.fcr = None
        if after in FINAL:
            self.closed_at = at
        self.status = after
        return before

    def _fields(self, payload: Mapping[str, object]) -> None:
        for key in FIELD_KEYS.intersection(payload):
            value = payload[key]
            if key == "first_contact_resolution":
                self.fcr = value if isinstance(value, bool) else None
            elif key == "assignment_group":
                group = _text(value)
                if self.group is not None and group != self.group:
                    self.flags |= _REASSIGNED
                self.group = group
            elif key == "priority":
                self.priority = _int(value)
            elif key == "category":
                self.category = _text(value)
            elif key == "channel":
                self.channel = _text(value)
            else:
                self.assignee = _text(value)

    # -- reading -------------------------------------------------------------------------------

    @property
    def resolved(self) -> bool:
        """True when the ticket stands resolved (or closed after a resolution)."""
        return self.status in RESOLVED and self.last_resolution_at is not None

    def milestones(self) -> tuple[dt.datetime | None, ...]:
        """When the ticket reached each :class:`Milestone`, at its ``MILESTONE_INDEX`` (None: not
        yet)."""
        resolved = self.resolved
        return (
            self.opened_at,
            self.acknowledged_at,
            self.first_response_at,
            self.first_resolved_at,
            self.last_resolution_at if resolved else None,
            self.closed_at if self.status is CLOSED else None,
        )

    def outcomes(self) -> int:
        """The outcomes the ticket has so far, as bits of ``OUTCOME_BIT``."""
        if self.status in RESOLVED and self.last_resolution_at is not None:
            return self.flags | (_RESOLVED_FCR if self.fcr is True else _RESOLVED)
        return self.flags

    def decided(self, outcome: Outcome, as_of: dt.datetime, reopen_window: dt.timedelta) -> bool:
        """True when ``outcome`` can no longer change for this ticket as of ``as_of``."""
        if self.status in FINAL:
            return True
        if outcome is Outcome.COMPLAINT or outcome is Outcome.ALL:
            return True
        if outcome is Outcome.REOPENED_IN_WINDOW:
            if self.flags & _REOPENED_IN_WINDOW:
                return True
            last = self.last_resolution_at
            return self.resolved and last is not None and as_of - last > reopen_window
        return self.status not in ACTIVE
