"""Follow-up visits (回访) as an aggregate on the kernel: scheduled after a resolution, attempts
recorded, completed with an outcome; and the ticket command a dissatisfied customer calls for.

::

    ScheduleFollowUp ──▶ FollowUpScheduled
    RecordAttempt    ──▶ AttemptRecorded [+ FollowUpCompleted]
                           reached and satisfied      → SATISFIED
                           reached and dissatisfied   → DISSATISFIED (reopen, or a complaint)
                           not reached, last attempt  → UNREACHABLE
"""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from itsm_core._checks import check_aware_fields, is_int
from itsm_core._plain import is_a, is_text, member_or_given, shown
from itsm_core.errors import CommandRejected, InvalidEventStream, Problem, ValidationError
from itsm_core.i18n import N_
from itsm_core.kernel import Aggregate, Context, Decision
from itsm_core.tickets import Channel, ComplaintType, OpenTicket, Reopen, TicketKind


class DissatisfiedAction(enum.StrEnum):
    """What a dissatisfied customer's follow-up leads to: the ticket reopened, or a complaint."""

    REOPEN = "reopen"
    COMPLAINT = "complaint"


class FollowUpOutcome(enum.StrEnum):
    """How a follow-up ended."""

    SATISFIED = "satisfied"
    """The customer was reached and is satisfied."""
    DISSATISFIED = "dissatisfied"
    """The customer was reached and is not satisfied: the ticket reopens or a complaint opens."""
    UNREACHABLE = "unreachable"
    """Every attempt allowed failed to reach the customer."""

    @property
    def reached(self) -> bool:
        """True when the customer was reached (the follow-up counts towards coverage)."""
        return self is not FollowUpOutcome.UNREACHABLE


#: Labels of the outcomes, translated by the ``customers`` catalogue.
OUTCOME_LABELS = {
    FollowUpOutcome.SATISFIED: N_("Reached and satisfied"),
    FollowUpOutcome.DISSATISFIED: N_("Dissatisfied"),
    FollowUpOutcome.UNREACHABLE: N_("Unreachable"),
}

#: The CSAT scale a follow-up records (1 very dissatisfied .. 5 very satisfied).
SCORES = range(1, 6)


def _channel(value: object) -> object:
    return member_or_given(Channel, value)


def _action(value: object) -> object:
    return member_or_given(DissatisfiedAction, value)


def _text_problems(owner: object, *names: str) -> list[Problem]:
    return [
        Problem(name, f"expected a non-blank string, got {shown(getattr(owner, name))}")
        for name in names
        if not is_text(getattr(owner, name))
    ]


# -- commands -----------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ScheduleFollowUp:
    """Schedule the follow-up of ticket ``ticket_id`` for ``customer`` (the ticket's requester),
    due at ``due_at``, by ``channel``, at most ``max_attempts`` attempts; ``policy`` names the
    :class:`FollowUpPolicy` that asked for it. :meth:`FollowUpPolicies.schedule` builds it."""

    task_id: str
    ticket_id: str
    customer: str
    policy: str
    due_at: dt.datetime
    channel: Channel = attrs.field(default=Channel.PHONE, converter=_channel)
    max_attempts: int = 3
    on_dissatisfied: DissatisfiedAction = attrs.field(
        default=DissatisfiedAction.REOPEN, converter=_action
    )

    def __attrs_post_init__(self) -> None:
        check_aware_fields(self, "due_at")
        problems = _text_problems(self, "task_id", "ticket_id", "customer", "policy")
        if not is_a(self.channel, Channel):
            problems.append(Problem("channel", f"{shown(self.channel)} is not a Channel"))
        if not (is_int(self.max_attempts) and self.max_attempts >= 1):
            problems.append(
                Problem("max_attempts", f"expected an integer >= 1, got {shown(self.max_attempts)}")
            )
        if not is_a(self.on_dissatisfied, DissatisfiedAction):
            problems.append(
                Problem(
                    "on_dissatisfied",
                    f"expected 'reopen' or 'complaint', got {shown(self.on_dissatisfied)}",
                )
            )
        if problems:
            raise ValidationError("ScheduleFollowUp", problems)


@attrs.frozen(kw_only=True)
class RecordAttempt:
    """One attempt to reach the customer: ``reached`` or not; when reached, whether they are
    ``satisfied`` and, if they gave one, their ``score`` (1-5); ``channel`` used (the task's
    when None) and a ``note``."""

    reached: bool
    satisfied: bool | None = None
    score: int | None = None
    channel: Channel | None = attrs.field(default=None, converter=_channel)
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        if not is_a(self.reached, bool):
            problems.append(
                Problem("reached", f"expected true or false, got {shown(self.reached)}")
            )
        if self.reached is True and not is_a(self.satisfied, bool):
            problems.append(Problem("satisfied", "a reached customer is satisfied or not"))
        if self.reached is False:
            problems.extend(
                Problem(name, "only a reached customer answers")
                for name in ("satisfied", "score")
                if getattr(self, name) is not None
            )
        if self.score is not None and not (is_int(self.score) and self.score in SCORES):
            problems.append(
                Problem("score", f"expected an integer 1 to 5, got {shown(self.score)}")
            )
        if self.channel is not None and not is_a(self.channel, Channel):
            problems.append(Problem("channel", f"{shown(self.channel)} is not a Channel"))
        if self.note is not None and not is_text(self.note):
            problems.append(Problem("note", f"expected a non-blank string, got {shown(self.note)}"))
        if problems:
            raise ValidationError("RecordAttempt", problems)


FollowUpCommand = ScheduleFollowUp | RecordAttempt

# -- events -------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class FollowUpScheduled:
    """A follow-up was scheduled (the fields of :class:`ScheduleFollowUp`)."""

    task_id: str
    sequence: int
    at: dt.datetime
    actor: str
    ticket_id: str
    customer: str
    policy: str
    due_at: dt.datetime
    channel: Channel
    max_attempts: int
    on_dissatisfied: DissatisfiedAction

    @property
    def stream_id(self) -> str:
        """The task's id."""
        return self.task_id


@attrs.frozen(kw_only=True)
class AttemptRecorded:
    """An attempt to reach the customer (the fields of :class:`RecordAttempt`; ``number``
    counts the task's attempts from 1). Every follow-up event names its ``ticket_id``, so read
    models key them by ticket."""

    task_id: str
    sequence: int
    at: dt.datetime
    actor: str
    ticket_id: str
    number: int
    reached: bool
    channel: Channel
    satisfied: bool | None = None
    score: int | None = None
    note: str | None = None

    @property
    def stream_id(self) -> str:
        """The task's id."""
        return self.task_id


@attrs.frozen(kw_only=True)
class FollowUpCompleted:
    """The follow-up ended with ``outcome``; ``action`` is what a dissatisfied customer's
    ticket needs (None otherwise)."""

    task_id: str
    sequence: int
    at: dt.datetime
    actor: str
    ticket_id: str
    outcome: FollowUpOutcome
    action: DissatisfiedAction | None = None

    @property
    def stream_id(self) -> str:
        """The task's id."""
        return self.task_id


FollowUpEvent = FollowUpScheduled | AttemptRecorded | FollowUpCompleted

# -- state --------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Attempt:
    """One attempt as the task keeps it."""

    at: dt.datetime
    actor: str
    reached: bool
    channel: Channel
    satisfied: bool | None = None
    score: int | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class FollowUpTask:
    """A follow-up as of its last event: what :func:`decide_follow_up` builds and
    :data:`FOLLOW_UP` replays. Open while ``outcome`` is None."""

    task_id: str
    version: int
    ticket_id: str
    customer: str
    policy: str
    scheduled_at: dt.datetime
    due_at: dt.datetime
    channel: Channel
    max_attempts: int
    on_dissatisfied: DissatisfiedAction
    attempts: tuple[Attempt, ...] = ()
    outcome: FollowUpOutcome | None = None
    completed_at: dt.datetime | None = None

    @property
    def stream_id(self) -> str:
        """The task's id: its event stream."""
        return self.task_id

    @property
    def is_open(self) -> bool:
        """True until the follow-up has an outcome."""
        return self.outcome is None

    @property
    def score(self) -> int | None:
        """The last score the customer gave, or None."""
        return next((a.score for a in reversed(self.attempts) if a.score is not None), None)

    def is_due(self, now: dt.datetime) -> bool:
        """True when the task is open and its due time has come."""
        return self.is_open and self.due_at <= now


def _start(event: FollowUpEvent) -> FollowUpTask:
    if not isinstance(event, FollowUpScheduled):
        raise InvalidEventStream(
            repr(event.task_id), [Problem("[0]", "a follow-up starts with its scheduling")]
        )
    return FollowUpTask(
        task_id=event.task_id,
        version=event.sequence,
        ticket_id=event.ticket_id,
        customer=event.customer,
        policy=event.policy,
        scheduled_at=event.at,
        due_at=event.due_at,
        channel=event.channel,
        max_attempts=event.max_attempts,
        on_dissatisfied=event.on_dissatisfied,
    )


def _evolve(task: FollowUpTask, event: FollowUpEvent) -> FollowUpTask:
    if isinstance(event, FollowUpScheduled) or task.outcome is not None:
        what = "is scheduled again" if isinstance(event, FollowUpScheduled) else "is completed"
        raise InvalidEventStream(
            repr(task.task_id), [Problem(f"#{event.sequence}", f"the follow-up {what}")]
        )
    if isinstance(event, AttemptRecorded):
        attempt = Attempt(
            at=event.at,
            actor=event.actor,
            reached=event.reached,
            channel=event.channel,
            satisfied=event.satisfied,
            score=event.score,
            note=event.note,
        )
        return attrs.evolve(task, version=event.sequence, attempts=(*task.attempts, attempt))
    return attrs.evolve(task, version=event.sequence, outcome=event.outcome, completed_at=event.at)


#: The follow-up aggregate: fold, replay and decided, as for every aggregate.
FOLLOW_UP: Aggregate[FollowUpTask, FollowUpEvent] = Aggregate(
    name="follow-up", start=_start, evolve=_evolve
)


def decide_follow_up(
    task: FollowUpTask | None, command: FollowUpCommand, context: Context
) -> Decision[FollowUpTask, FollowUpEvent]:
    """The events ``command`` leads to, and the task after them.

    Raises :class:`~itsm_core.errors.CommandRejected` for scheduling a task that exists, or an
    attempt on a task that does not exist or is completed; nothing changes.

    >>> import datetime as dt
    >>> now = dt.datetime(2026, 3, 5, 10, tzinfo=dt.UTC)
    >>> ctx = Context(actor="ana", role="agent", now=now)
    >>> task, _ = decide_follow_up(None, ScheduleFollowUp(task_id="FU-1", ticket_id="INC1",
    ...     customer="acme", policy="all", due_at=now, max_attempts=2), ctx)
    >>> task, _ = decide_follow_up(task, RecordAttempt(reached=False), ctx)
    >>> task, events = decide_follow_up(task, RecordAttempt(reached=False), ctx)
    >>> task.outcome, [type(e).__name__ for e in events]
    (<FollowUpOutcome.UNREACHABLE: 'unreachable'>, ['AttemptRecorded', 'FollowUpCompleted'])
    """
    at, actor = context.now, context.actor
    if isinstance(command, ScheduleFollowUp):
        if task is not None:
            raise CommandRejected("schedule", [f"follow-up {task.task_id!r} exists"])
        return FOLLOW_UP.decided(
            None,
            [
                FollowUpScheduled(
                    task_id=command.task_id,
                    sequence=1,
                    at=at,
                    actor=actor,
                    ticket_id=command.ticket_id,
                    customer=command.customer,
                    policy=command.policy,
                    due_at=command.due_at,
                    channel=command.channel,
                    max_attempts=command.max_attempts,
                    on_dissatisfied=command.on_dissatisfied,
                )
            ],
        )
    if not isinstance(command, RecordAttempt):
        raise ValidationError(
            "command", [Problem("", f"not a follow-up command: {shown(command)}")]
        )
    if task is None:
        raise CommandRejected("record_attempt", ["no follow-up to record an attempt on"])
    if task.outcome is not None:
        raise CommandRejected(
            "record_attempt", [f"follow-up {task.task_id!r} is completed ({task.outcome})"]
        )
    number = len(task.attempts) + 1
    events: list[FollowUpEvent] = [
        AttemptRecorded(
            task_id=task.task_id,
            sequence=task.version + 1,
            at=at,
            actor=actor,
            ticket_id=task.ticket_id,
            number=number,
            reached=command.reached,
            channel=command.channel or task.channel,
            satisfied=command.satisfied,
            score=command.score,
            note=command.note,
        )
    ]
    outcome = _outcome(command, number, task.max_attempts)
    if outcome is not None:
        action = task.on_dissatisfied if outcome is FollowUpOutcome.DISSATISFIED else None
        events.append(
            FollowUpCompleted(
                task_id=task.task_id,
                sequence=task.version + 2,
                at=at,
                actor=actor,
                ticket_id=task.ticket_id,
                outcome=outcome,
                action=action,
            )
        )
    return FOLLOW_UP.decided(task, events)


def _outcome(command: RecordAttempt, number: int, most: int) -> FollowUpOutcome | None:
    if command.reached:
        return FollowUpOutcome.SATISFIED if command.satisfied else FollowUpOutcome.DISSATISFIED
    return FollowUpOutcome.UNREACHABLE if number >= most else None


def ticket_command(
    task: FollowUpTask, *, complaint_id: str | None = None
) -> Reopen | OpenTicket | None:
    """The ticket command a completed follow-up calls for, for the desk to execute: None unless
    the customer was dissatisfied; then :class:`~itsm_core.tickets.Reopen` of the ticket, or,
    when the policy says so, the :class:`~itsm_core.tickets.OpenTicket` of a service complaint
    with id ``complaint_id`` (required then) that names the ticket and the follow-up.
    """
    if task.outcome is not FollowUpOutcome.DISSATISFIED:
        return None
    last = task.attempts[-1] if task.attempts else None
    said = f": {last.note}" if last is not None and last.note else ""
    reason = f"follow-up {task.task_id}: the customer is not satisfied{said}"
    if task.on_dissatisfied is DissatisfiedAction.REOPEN:
        return Reopen(reason=reason)
    if not is_text(complaint_id):
        raise ValidationError(
            "ticket_command", [Problem("complaint_id", "a complaint needs a ticket id")]
        )
    return OpenTicket(
        ticket_id=complaint_id,
        kind=TicketKind.COMPLAINT,
        requester=task.customer,
        symptom=reason,
        complaint_type=ComplaintType.SERVICE,
        attributes={"follow_up": task.task_id, "ticket": task.ticket_id},
    )
