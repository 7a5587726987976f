"""Worklists: the tickets an agent or a queue works next, by their fields and deadlines."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import attrs

from itsm_core._checks import is_aware
from itsm_core._plain import integer, is_a, member_or_given, shown, text
from itsm_core.desk._rows import RowQuery
from itsm_core.desk._ticket_view import TicketEntry, TicketRows, term
from itsm_core.errors import Problem, ValidationError
from itsm_core.tickets import ComplaintType, CustomerTier, TicketKind
from itsm_core.workflow import StatusCategory

_MICROSECOND = dt.timedelta(microseconds=1)

#: The text fields of a worklist, and the enum fields with their enums.
_TEXTS = ("state", "workflow", "group", "assignee", "customer", "category")
_ENUMS: dict[str, type[enum.Enum]] = {
    "status": StatusCategory,
    "kind": TicketKind,
    "tier": CustomerTier,
    "complaint_type": ComplaintType,
}
_NUMBERS = ("priority", "level")


def _status(value: Any) -> Any:
    return member_or_given(StatusCategory, value)


def _kind(value: Any) -> Any:
    return member_or_given(TicketKind, value)


def _tier(value: Any) -> Any:
    return member_or_given(CustomerTier, value)


def _complaint_type(value: Any) -> Any:
    return member_or_given(ComplaintType, value)


@attrs.frozen(kw_only=True)
class Worklist:
    """Which tickets a worklist shows: every field given must match, a field left None matches
    anything. A plain value: keep worklists as data ("my open tickets", "network, breached").

    Attributes:
        status: the status category (``new``, ``open``, ``on_hold``...; a value or member).
        active: True for tickets still being worked (new, open or on hold), False for the
            others.
        state: the workflow state (``in_progress``, ``handling``...).
        kind, workflow: the ticket kind (``incident``...) and workflow name.
        group, assignee: the assignment group and assignee; ``unassigned=True`` for tickets
            without an assignee.
        customer, tier: the requester and their customer tier.
        category, priority: the category and priority (1 is highest).
        complaint_type, level: a complaint's type and its response level (1 major, 2
            serious, 3 general).
        due_before: only tickets with a clock due before this instant (breached ones
            included).
        breached_at: only tickets with a clock breached at this instant.

    >>> Worklist(status="open", level=0)
    Traceback (most recent call last):
    ...
    itsm_core.errors.ValidationError: invalid value for Worklist: 1 problem
      - level: expected an integer >= 1, got 0
    """

    status: StatusCategory | None = attrs.field(default=None, converter=_status)
    active: bool | None = None
    state: str | None = None
    kind: TicketKind | None = attrs.field(default=None, converter=_kind)
    workflow: str | None = None
    group: str | None = None
    assignee: str | None = None
    unassigned: bool = False
    customer: str | None = None
    tier: CustomerTier | None = attrs.field(default=None, converter=_tier)
    category: str | None = None
    priority: int | None = None
    complaint_type: ComplaintType | None = attrs.field(default=None, converter=_complaint_type)
    level: int | None = None
    due_before: dt.datetime | None = None
    breached_at: dt.datetime | None = None

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        for name in _TEXTS:
            value = getattr(self, name)
            if value is not None:
                text(value, name, problems)
        for name, kind in _ENUMS.items():
            value = getattr(self, name)
            if value is not None and not isinstance(value, kind):
                choices = ", ".join(str(member.value) for member in kind)
                problems.append(Problem(name, f"expected one of {choices}, got {shown(value)}"))
        for name in _NUMBERS:
            value = getattr(self, name)
            if value is not None:
                integer(value, name, problems, minimum=1)
        for name in ("active", "unassigned"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, bool):
                problems.append(Problem(name, f"expected true or false, got {shown(value)}"))
        if self.unassigned and self.assignee is not None:
            problems.append(
                Problem("unassigned", "a worklist of unassigned tickets names no assignee")
            )
        for name in ("due_before", "breached_at"):
            value = getattr(self, name)
            if value is not None and not (is_a(value, dt.datetime) and is_aware(value)):
                problems.append(Problem(name, f"expected an aware datetime, got {shown(value)}"))
        if problems:
            raise ValidationError("Worklist", problems)

    def terms(self) -> frozenset[str]:
        """The index terms a ticket must carry to be on the worklist."""
        found = {
            term(name, getattr(self, name))
            for name in (*_TEXTS, *_ENUMS, *_NUMBERS)
            if getattr(self, name) is not None
        }
        if self.active is not None:
            found.add(term("active", self.active))
        if self.unassigned:
            found.add(term("assignee", None))
        return frozenset(found)


class Worklists(TicketRows):
    """Worklists over the ticket read model (:class:`TicketProjection`) in a projection store.

    Tickets come soonest due first (their earliest deadline; ties by ticket id), then, for a
    worklist without a deadline filter, the tickets without deadline, oldest first.

    Args:
        store: the projection store.
        name: the ticket read model's name in it.
        serializer: reads the rows (default ``Serializer()``).
    """

    def items(self, worklist: Worklist, *, limit: int | None = 50) -> tuple[TicketEntry, ...]:
        """The tickets on ``worklist``, at most ``limit`` (None: all)."""
        _check_worklist(worklist)
        terms, end = worklist.terms(), _due_end(worklist)
        due = self._views(RowQuery(terms=terms, slot="due", end=end, limit=limit))
        if end is not None or (limit is not None and len(due) >= limit):
            return due
        listed = {view.ticket.id for view in due}
        more = RowQuery(terms=terms, slot="opened", limit=None if limit is None else limit)
        rest = [view for view in self._views(more) if view.ticket.id not in listed]
        return due + tuple(rest[: None if limit is None else limit - len(due)])

    def count(self, worklist: Worklist) -> int:
        """How many tickets are on ``worklist``."""
        _check_worklist(worklist)
        end = _due_end(worklist)
        if end is None:
            return self.store.count(self.name, RowQuery(terms=worklist.terms()))
        return self.store.count(self.name, RowQuery(terms=worklist.terms(), slot="due", end=end))


def _due_end(worklist: Worklist) -> dt.datetime | None:
    """The instant every listed deadline comes before (None: no deadline filter)."""
    ends = [] if worklist.due_before is None else [worklist.due_before]
    if worklist.breached_at is not None:
        ends.append(worklist.breached_at + _MICROSECOND)  # due at ``breached_at`` is breached
    return min(ends) if ends else None


def _check_worklist(worklist: object) -> None:
    if not isinstance(worklist, Worklist):
        raise ValidationError(
            "Worklists", [Problem("worklist", f"expected a Worklist, got {shown(worklist)}")]
        )
