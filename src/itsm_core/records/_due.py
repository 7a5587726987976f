"""The retention query: which closed tickets are due for archiving or destruction at an instant."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable

import attrs

from itsm_core._checks import check_aware
from itsm_core._plain import shown
from itsm_core.errors import Problem, ValidationError
from itsm_core.records._legal_hold import LegalHold
from itsm_core.records._retention import RetentionPolicy, closed_at
from itsm_core.tickets import Ticket


class RetentionAction(enum.StrEnum):
    """What a retention rule asks for a closed ticket."""

    ARCHIVE = "archive"
    DESTROY = "destroy"


@attrs.frozen(kw_only=True)
class RetentionItem:
    """One ticket due for ``action`` since ``due_at``; ``held_by`` lists the legal holds that
    block its destruction (empty unless the destruction is blocked)."""

    ticket_id: str
    action: RetentionAction
    due_at: dt.datetime
    held_by: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class RetentionDue:
    """The answer of :func:`retention_due` at ``at``, each list ordered by due date then id.

    ``archive``: closed tickets not yet archived whose archiving date has passed.
    ``destroy``: tickets whose destruction date has passed and that no active hold covers.
    ``held``: tickets whose destruction date has passed but an active legal hold blocks it.
    """

    at: dt.datetime
    archive: tuple[RetentionItem, ...]
    destroy: tuple[RetentionItem, ...]
    held: tuple[RetentionItem, ...]


def _order(items: list[RetentionItem]) -> tuple[RetentionItem, ...]:
    return tuple(sorted(items, key=lambda item: (item.due_at, item.ticket_id)))


def retention_due(
    tickets: Iterable[Ticket],
    policy: RetentionPolicy,
    at: dt.datetime,
    holds: Iterable[LegalHold] = (),
) -> RetentionDue:
    """What ``policy`` asks to archive or destroy at ``at``; pure, nothing is changed.

    A ticket counts from its closure (closed or cancelled); open tickets are never due. A
    ticket past its destruction date is listed under ``destroy`` (not ``archive``), unless an
    active legal hold covers it: it is then listed under ``held``, and under ``archive`` too
    when it still waits for archiving.

    >>> import datetime as dt
    >>> from itsm_core.records import RetentionPolicy
    >>> policy = RetentionPolicy.from_dict(
    ...     {"name": "p", "default": {"archive_after_days": 30, "destroy_after_years": 3}})
    >>> retention_due([], policy, dt.datetime(2030, 1, 1, tzinfo=dt.UTC)).destroy
    ()
    """
    check_aware(at, "retention_due.at")
    active = [hold for hold in holds if hold.active_at(at)]
    seen: set[str] = set()
    problems: list[Problem] = []
    archive: list[RetentionItem] = []
    destroy: list[RetentionItem] = []
    held: list[RetentionItem] = []
    for index, ticket in enumerate(tickets):
        if ticket.id in seen:
            problems.append(Problem(f"tickets[{index}]", f"ticket {shown(ticket.id)} listed twice"))
            continue
        seen.add(ticket.id)
        closed = closed_at(ticket)
        if closed is None:
            continue
        rule = policy.rule_for(ticket.kind)
        destroy_at = rule.destroy_at(closed)
        archive_at = rule.archive_at(closed)
        if destroy_at is not None and destroy_at <= at:
            holders = tuple(sorted(hold.id for hold in active if hold.covers(ticket)))
            item = RetentionItem(
                ticket_id=ticket.id,
                action=RetentionAction.DESTROY,
                due_at=destroy_at,
                held_by=holders,
            )
            if not holders:
                destroy.append(item)
                continue  # destruction supersedes archiving
            held.append(item)
        if not ticket.archived and archive_at is not None and archive_at <= at:
            archive.append(
                RetentionItem(
                    ticket_id=ticket.id, action=RetentionAction.ARCHIVE, due_at=archive_at
                )
            )
    if problems:
        raise ValidationError("retention_due", problems)
    return RetentionDue(at=at, archive=_order(archive), destroy=_order(destroy), held=_order(held))
