"""Follow-up visits run by the application: one call per follow-up command, as for tickets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import attrs

from itsm_core._checks import check_aware
from itsm_core._plain import shown, text
from itsm_core.customers import (
    FOLLOW_UP,
    DissatisfiedAction,
    FollowUpCommand,
    FollowUpCompleted,
    FollowUpEvent,
    FollowUpOutcome,
    FollowUpTask,
    ScheduleFollowUp,
    decide_follow_up,
    ticket_command,
)
from itsm_core.errors import NotFound, Problem, ValidationError
from itsm_core.kernel import Context
from itsm_core.repositories import EventMetadata, EventStore, ExpectedVersion
from itsm_core.tickets import OpenTicket, Reopen


@attrs.frozen(kw_only=True)
class FollowUpResult:
    """What a follow-up command did: the ``task`` after it, its new ``events``, and the
    ``ticket_command`` the outcome calls for (``Reopen`` of the ticket, or the ``OpenTicket``
    of a complaint) for the application to execute with :meth:`ServiceDesk.execute`; None
    when there is nothing to do."""

    task: FollowUpTask
    events: tuple[FollowUpEvent, ...]
    ticket_command: Reopen | OpenTicket | None = None


@attrs.frozen(kw_only=True, eq=False)
class FollowUpDesk:
    """The application's door to follow-up visits: each command is one call that loads the
    task, decides, and appends its events (one stream per task, named by its id) with an id
    from ``ids`` per event, ``now`` as their recorded time.

    Keep the follow-up events in the same event store as the tickets' to have them in the
    customer profiles (:class:`CustomerProfileProjection`), which list the follow-ups due.

    Attributes:
        store: the event store.
        ids: makes a new unique id each call (event ids, complaint ticket ids).
    """

    store: EventStore[Any]
    ids: Callable[[], str]

    def __attrs_post_init__(self) -> None:
        problems = [
            Problem(name, f"not an event store: no {name} method")
            for name in ("append", "read")
            if not callable(getattr(self.store, name, None))
        ]
        ids: object = self.ids
        if not callable(ids):
            problems.append(Problem("ids", f"expected a function making ids, got {shown(ids)}"))
        if problems:
            raise ValidationError("FollowUpDesk", problems)

    def task(self, task_id: str) -> FollowUpTask:
        """The follow-up ``task_id`` as of its last event; :class:`~itsm_core.errors.NotFound`
        when there is none."""
        events = self.store.read(task_id)
        if not events:
            raise NotFound("follow-up", task_id)
        return FOLLOW_UP.replay(events)

    def execute(
        self,
        task_id: str,
        command: FollowUpCommand,
        *,
        actor: str,
        role: str,
        now: dt.datetime,
        complaint_id: str | None = None,
    ) -> FollowUpResult:
        """Apply ``command`` to the follow-up ``task_id`` as ``actor`` in ``role`` at ``now``.

        Scheduling needs no task (``task_id`` must be the command's); every other command
        needs one (:class:`~itsm_core.errors.NotFound`). The result's ``ticket_command`` is
        the ticket's ``Reopen``, or a complaint opened with ``complaint_id`` (a new id from
        ``ids`` when None), when the customer is dissatisfied.

        Raises :class:`~itsm_core.errors.CommandRejected` when the task refuses the command
        and :class:`~itsm_core.errors.VersionConflict` when another writer appended first;
        either way nothing is appended.
        """
        problems: list[Problem] = []
        text(task_id, "task_id", problems)
        if isinstance(command, ScheduleFollowUp) and command.task_id != task_id:
            problems.append(Problem("task_id", f"{task_id!r} is not the command's task id"))
        if problems:
            raise ValidationError("FollowUpDesk.execute", problems)
        check_aware(now, "now")
        context = Context(actor=actor, role=role, now=now)
        existing = self.store.read(task_id)
        task = FOLLOW_UP.replay(existing) if existing else None
        if task is None and not isinstance(command, ScheduleFollowUp):
            raise NotFound("follow-up", task_id)
        task, events = decide_follow_up(task, command, context)
        expected = ExpectedVersion.NO_STREAM if not existing else len(existing)
        metadata = [EventMetadata(event_id=self.ids(), recorded_at=now) for _ in events]
        self.store.append(task_id, events, expected, metadata=metadata)
        follow = None
        if any(isinstance(event, FollowUpCompleted) for event in events):
            complaint = task.on_dissatisfied is DissatisfiedAction.COMPLAINT
            if complaint and complaint_id is None and task.outcome is FollowUpOutcome.DISSATISFIED:
                complaint_id = self.ids()
            follow = ticket_command(task, complaint_id=complaint_id)
        return FollowUpResult(task=task, events=events, ticket_command=follow)
