"""Follow-up visits run by the application: one call per follow-up command, as for tickets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import attrs

from itsm_core._plain import shown, text
from itsm_core.customers import (
    FOLLOW_UP,
    DissatisfiedAction,
    FollowUpCommand,
    FollowUpCompleted,
    FollowUpEvent,
    FollowUpOutcome,
    FollowUpTask,
    RecordAttempt,
    ScheduleFollowUp,
    decide_follow_up,
    ticket_command,
)
from itsm_core.desk._aggregate_desk import AggregateDesk
from itsm_core.desk._runner import desk_problems, retries_problems
from itsm_core.errors import Problem, ValidationError
from itsm_core.records import STANDARD_ACCESS_POLICY, AccessPolicy, Actor
from itsm_core.repositories import EventStore
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
    task, checks the actor may do it, decides, and appends its events (one stream per task,
    named by its id), with the guarantees of :class:`ServiceDesk`: an
    :class:`AggregateDesk` of :data:`~itsm_core.customers.FOLLOW_UP` runs it (actions
    ``follow-up.schedule_follow_up`` and ``follow-up.record_attempt``).

    Keep the follow-up events in the same event store as the tickets' to have them in the
    customer profiles (:class:`CustomerProfileProjection`), which list the follow-ups due.

    Attributes:
        store: the event store.
        ids: makes a new unique id each call (event ids, command ids, complaint ticket ids).
        access: who may do what; the standard policy by default (agents, supervisors,
            managers and the system run follow-ups).
        max_retries: how many times a command is decided again after a version conflict.
    """

    store: EventStore[Any]
    ids: Callable[[], str]
    access: AccessPolicy = STANDARD_ACCESS_POLICY
    max_retries: int = 3
    _desk: AggregateDesk[FollowUpTask, FollowUpEvent, FollowUpCommand] = attrs.field(
        init=False, repr=False
    )

    def __attrs_post_init__(self) -> None:
        problems = desk_problems(self.store, self.ids)
        problems.extend(retries_problems(self.max_retries))
        access: object = self.access
        if not isinstance(access, AccessPolicy):
            problems.append(Problem("access", f"expected an AccessPolicy, got {shown(access)}"))
        if problems:
            raise ValidationError("FollowUpDesk", problems)
        desk = AggregateDesk(
            aggregate=FOLLOW_UP,
            decide=decide_follow_up,
            commands=(ScheduleFollowUp, RecordAttempt),
            store=self.store,
            ids=self.ids,
            starts=lambda command: isinstance(command, ScheduleFollowUp),
            access=self.access,
            max_retries=self.max_retries,
        )
        object.__setattr__(self, "_desk", desk)

    def task(self, task_id: str) -> FollowUpTask:
        """The follow-up ``task_id`` as of its last event; :class:`~itsm_core.errors.NotFound`
        when there is none."""
        return self._desk.state(task_id)

    def execute(
        self,
        task_id: str,
        command: FollowUpCommand,
        *,
        actor: Actor | str,
        role: str,
        now: dt.datetime,
        complaint_id: str | None = None,
        idempotency_key: str | None = None,
        correlation_id: str | None = None,
    ) -> FollowUpResult:
        """Apply ``command`` to the follow-up ``task_id`` as ``actor`` in ``role`` at ``now``.

        Scheduling needs no task (``task_id`` must be the command's); every other command
        needs one (:class:`~itsm_core.errors.NotFound`). The result's ``ticket_command`` is
        the ticket's ``Reopen``, or a complaint opened with ``complaint_id`` (a new id from
        ``ids`` when None), when the customer is dissatisfied. ``idempotency_key`` and
        ``correlation_id`` work as for :meth:`ServiceDesk.execute`.

        Raises :class:`~itsm_core.errors.AccessDenied` when the access policy refuses,
        :class:`~itsm_core.errors.CommandRejected` when the task refuses the command and
        :class:`~itsm_core.errors.VersionConflict` when other writers kept appending through
        every retry; in every case nothing is appended.
        """
        problems: list[Problem] = []
        text(task_id, "task_id", problems)
        if isinstance(command, ScheduleFollowUp) and command.task_id != task_id:
            problems.append(Problem("task_id", f"{task_id!r} is not the command's task id"))
        if problems:
            raise ValidationError("FollowUpDesk.execute", problems)
        outcome = self._desk.execute(
            task_id,
            command,
            actor=actor,
            role=role,
            now=now,
            idempotency_key=idempotency_key,
            correlation_id=correlation_id,
        )
        task, events = outcome.state, outcome.events
        follow = None
        if any(isinstance(event, FollowUpCompleted) for event in events):
            complaint = task.on_dissatisfied is DissatisfiedAction.COMPLAINT
            if complaint and complaint_id is None and task.outcome is FollowUpOutcome.DISSATISFIED:
                complaint_id = self.ids()
            follow = ticket_command(task, complaint_id=complaint_id)
        return FollowUpResult(task=task, events=events, ticket_command=follow)
