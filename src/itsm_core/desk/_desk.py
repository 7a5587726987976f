"""The service desk: one call per ticket command (load, check, decide, append, retry)."""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Callable, Mapping, Sequence

import attrs

from itsm_core._checks import frozen_mapping
from itsm_core._plain import shown, text
from itsm_core.calendar import BusinessTime
from itsm_core.desk._outcome import CommandOutcome
from itsm_core.desk._priority import prioritised
from itsm_core.desk._runner import (
    LOG,
    Request,
    check_request,
    desk_problems,
    retries_problems,
    run_command,
    when_problem,
)
from itsm_core.errors import AccessDenied, ItsmError, NotFound, Problem, ValidationError
from itsm_core.kernel import Decision
from itsm_core.priority import DEFAULT_TIERS, PriorityDecision, PriorityPolicy, TierVocabulary
from itsm_core.records import STANDARD_ACCESS_POLICY, AccessPolicy, Actor, decide_as
from itsm_core.repositories import EventStore
from itsm_core.sla import PolicySet, SlaReport, due_actions, evaluate, next_change_at
from itsm_core.tickets import (
    BUILTIN_WORKFLOWS,
    Command,
    CommandContext,
    OpenTicket,
    Ticket,
    TicketEvent,
    WorkflowRegistry,
    event_name,
    replay,
)

_COMMANDS = typing.get_args(Command)


def _calendars(value: Mapping[str, BusinessTime]) -> Mapping[str, BusinessTime]:
    found: object = value
    return frozen_mapping(value) if isinstance(found, Mapping) else value


@attrs.frozen(kw_only=True, eq=False)
class ServiceDesk:
    """The application's one door to tickets: each command is one call that loads the
    ticket, checks the actor may do it, decides, appends, and says what happened.

    >>> import datetime as dt, itertools
    >>> from itsm_core.repositories import InMemoryEventStore
    >>> from itsm_core.tickets import OpenTicket, TicketKind
    >>> numbers = itertools.count(1)
    >>> desk = ServiceDesk(store=InMemoryEventStore(), ids=lambda: f"evt-{next(numbers)}")
    >>> now = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    >>> opened = desk.execute("INC1", OpenTicket(ticket_id="INC1", kind=TicketKind.INCIDENT,
    ...     requester="zhang"), actor="ana", role="agent", now=now, idempotency_key="web-1")
    >>> opened.ticket.state, [event.name for event in opened.events], opened.duplicate
    ('new', ['open'], False)
    >>> again = desk.execute("INC1", OpenTicket(ticket_id="INC1", kind=TicketKind.INCIDENT,
    ...     requester="zhang"), actor="ana", role="agent", now=now, idempotency_key="web-1")
    >>> again.duplicate, again.events == opened.events, desk.ticket("INC1").version
    (True, True, 1)

    Attributes:
        store: where the tickets' events are (one stream per ticket, named by its id).
        ids: makes a new unique id each call (event ids, and command ids when no idempotency
            key is given), e.g. ``lambda: str(uuid.uuid4())``. The desk reads no randomness
            of its own: ids come from this generator, as ``now`` comes from the caller.
        sla: the SLA policies that give tickets their clocks (None: no clocks are measured).
        calendars: the business calendars the policies name, by name.
        priority: decides the priority of commands that give impact and urgency but no
            priority (None: priorities are the caller's).
        access: who may do what (:class:`~itsm_core.records.AccessPolicy`); the standard
            service-desk policy by default.
        workflows: the workflows tickets follow (the built-in ones by default).
        tiers: the customer-tier vocabulary tickets are checked against (the one the
            priority and SLA policies use; :data:`~itsm_core.priority.DEFAULT_TIERS` by
            default).
        max_retries: how many times a command is decided again after a version conflict
            (another writer appended to the ticket in between) before the conflict is raised.
    """

    store: EventStore[TicketEvent]
    ids: Callable[[], str]
    sla: PolicySet | None = None
    calendars: Mapping[str, BusinessTime] = attrs.field(factory=dict, converter=_calendars)
    priority: PriorityPolicy | None = None
    access: AccessPolicy = STANDARD_ACCESS_POLICY
    workflows: WorkflowRegistry = BUILTIN_WORKFLOWS
    tiers: TierVocabulary = DEFAULT_TIERS
    max_retries: int = 3

    def __attrs_post_init__(self) -> None:
        problems = desk_problems(self.store, self.ids)
        for name, value, kind in (
            ("sla", self.sla, PolicySet),
            ("priority", self.priority, PriorityPolicy),
            ("access", self.access, AccessPolicy),
            ("workflows", self.workflows, WorkflowRegistry),
            ("tiers", self.tiers, TierVocabulary),
        ):
            if not isinstance(value, kind) and not (value is None and name in ("sla", "priority")):
                problems.append(Problem(name, f"expected a {kind.__name__}, got {shown(value)}"))
        problems.extend(retries_problems(self.max_retries))
        calendars: object = self.calendars
        if not isinstance(calendars, Mapping):
            problems.append(
                Problem("calendars", f"expected a mapping of names, got {shown(calendars)}")
            )
        elif isinstance(self.sla, PolicySet):
            problems.extend(_missing_calendars(self.sla, calendars))
        if problems:
            raise ValidationError("ServiceDesk", problems)

    # -- commands --------------------------------------------------------------------------------

    def execute(
        self,
        ticket_id: str,
        command: Command,
        *,
        actor: Actor | str,
        role: str,
        now: dt.datetime,
        idempotency_key: str | None = None,
        correlation_id: str | None = None,
    ) -> CommandOutcome:
        """Apply ``command`` to the ticket ``ticket_id`` as ``actor`` in ``role`` at ``now``.

        The desk reads the ticket's events and replays them, checks the access policy
        (:func:`~itsm_core.records.decide_as`), decides, and appends the events at the
        version it read (:attr:`ExpectedVersion.NO_STREAM <itsm_core.repositories.
        ExpectedVersion.NO_STREAM>` to open a ticket). If another writer appended in between,
        the store refuses with :class:`~itsm_core.errors.VersionConflict` and the desk reads
        and decides again, at most ``max_retries`` times before raising the conflict.

        Each event is stored with :class:`~itsm_core.repositories.EventMetadata`: a new id
        from ``ids``, ``recorded_at`` = ``now``, the command's id as ``causation_id`` (its
        idempotency key, or a new id) and ``correlation_id`` (the one given, else the
        command's id).

        With an ``idempotency_key`` (a webhook delivery id, a request id), a command whose
        key was already used appends nothing and returns the first outcome
        (``duplicate=True``), also when two deliveries of it race: the store refuses the
        second append (:class:`~itsm_core.errors.DuplicateAppend`), or the second decision is
        refused because the first already took effect, and either way the desk finds the
        first one's receipt. A key belongs to one ticket: reusing it for another is an error.

        Args:
            ticket_id: the ticket (for :class:`~itsm_core.tickets.OpenTicket`, its
                ``ticket_id``).
            command: any ticket command.
            actor: who acts: an :class:`~itsm_core.records.Actor` (with their groups, for the
                access rules that look at them), or just their id.
            role: the role they act in (one of the actor's roles).
            now: when (aware); the time of the events and of the SLA measurement.
            idempotency_key: makes a repeated delivery of the same command harmless.
            correlation_id: ties the events to the conversation they belong to.

        Raises:
            ValidationError: bad arguments (every problem listed), a command the ticket
                cannot take (e.g. fields the workflow requires), or a key used for another
                ticket.
            NotFound: no ticket ``ticket_id`` (for any command but opening).
            AccessDenied: the access policy does not let the actor do it.
            CommandRejected: the ticket's workflow or rules refuse it now (with every reason).
            VersionConflict: other writers kept appending through every retry.

        Refused commands append nothing.
        """
        who = _check_request(ticket_id, command, actor, role, now, idempotency_key, correlation_id)
        context = CommandContext(
            actor=who.id, role=role, now=now, workflows=self.workflows, tier_vocabulary=self.tiers
        )

        def decided(
            history: tuple[TicketEvent, ...],
        ) -> tuple[Decision[Ticket, TicketEvent], PriorityDecision | None]:
            ticket = _replayed(ticket_id, history, command)
            wanted, decided_priority = prioritised(self.priority, command, ticket)
            return decide_as(self.access, who, ticket, wanted, context), decided_priority

        def readable(then: Ticket) -> None:
            seen = self.access.can(who.acting_as(role), "read", then)
            if not seen.allowed:
                raise AccessDenied(who.id, "read", ticket_id, seen.reason)

        ran = run_command(
            self.store,
            self.ids,
            "ServiceDesk",
            self.max_retries,
            Request(
                kind="ticket",
                stream_id=ticket_id,
                what=event_name(command),
                who=who,
                role=role,
                now=now,
                idempotency_key=idempotency_key,
                correlation_id=correlation_id,
                decide=decided,
                replay=replay,
                readable=readable,
            ),
        )
        return self._outcome(
            ticket_id,
            ran.command_id,
            ran.events,
            ran.state,
            ran.history,
            now,
            duplicate=ran.duplicate,
            attempts=ran.attempts,
            priority=ran.extra,
        )

    def _outcome(
        self,
        ticket_id: str,
        command_id: str,
        events: Sequence[TicketEvent],
        ticket: Ticket,
        history: Sequence[TicketEvent],
        now: dt.datetime,
        *,
        duplicate: bool = False,
        attempts: int,
        priority: PriorityDecision | None = None,
    ) -> CommandOutcome:
        found = CommandOutcome(
            ticket_id=ticket_id,
            command_id=command_id,
            events=tuple(events),
            ticket=ticket,
            duplicate=duplicate,
            attempts=attempts,
            priority=priority,
        )
        if self.sla is None:
            return found
        try:
            report = self._report(ticket_id, history, now)
        except ItsmError as error:
            LOG.warning("cannot measure the SLA clocks of %r at %s: %s", ticket_id, now, error)
            return attrs.evolve(found, sla_error=error)
        for warning in report.coverage_warnings:  # measured on the weekly pattern: say so
            LOG.warning("SLA clocks of %r at %s: %s", ticket_id, now, warning)
        return attrs.evolve(
            found,
            sla=report,
            due=due_actions(report, now),
            wake_at=next_change_at(report, now),
        )

    # -- queries ---------------------------------------------------------------------------------

    def history(self, ticket_id: str) -> tuple[TicketEvent, ...]:
        """Every event of the ticket, oldest first; :class:`~itsm_core.errors.NotFound` if
        there is no such ticket."""
        _check_id(ticket_id)
        events = self.store.read(ticket_id)
        if not events:
            raise NotFound("ticket", ticket_id)
        return events

    def ticket(self, ticket_id: str) -> Ticket:
        """The ticket as of its last event (the replay of its history)."""
        return replay(self.history(ticket_id))

    def evaluate(self, ticket_id: str, now: dt.datetime) -> SlaReport:
        """The ticket's SLA clocks at ``now`` (:func:`itsm_core.sla.evaluate` over its
        history, with the desk's policies and calendars).

        Raises :class:`~itsm_core.errors.NotFound` for an unknown ticket, and a
        :class:`~itsm_core.errors.ValidationError` when the desk has no SLA policies or the
        ticket has no events yet at ``now``.
        """
        _check_id(ticket_id)
        problem = when_problem(now)
        if problem is not None:
            raise ValidationError("evaluate", [problem])
        return self._report(ticket_id, self.store.read(ticket_id), now)

    def _report(
        self, ticket_id: str, history: Sequence[TicketEvent], now: dt.datetime
    ) -> SlaReport:
        if self.sla is None:
            raise ValidationError(
                "ServiceDesk", [Problem("sla", "the desk has no SLA policies to measure with")]
            )
        if not history:
            raise NotFound("ticket", ticket_id)
        if history[0].at > now:
            raise ValidationError(
                f"evaluation of ticket {ticket_id!r}",
                [
                    Problem(
                        "now",
                        f"ticket {ticket_id!r} has no events at or before {now.isoformat()} "
                        f"(it was opened at {history[0].at.isoformat()})",
                    )
                ],
            )
        return evaluate(self.sla, history, now, calendars=self.calendars)


def _missing_calendars(policies: PolicySet, calendars: Mapping[str, object]) -> list[Problem]:
    """A problem for each calendar a metric names that ``calendars`` lacks."""
    given = ", ".join(sorted(calendars)) or "none"
    return [
        Problem(
            f"sla.policies[{p}].metrics[{m}].calendar",
            f"policy {policy.name!r} names calendar {metric.calendar!r}, "
            f"which is not among the calendars given ({given})",
        )
        for p, policy in enumerate(policies.policies)
        for m, metric in enumerate(policy.metrics)
        if metric.calendar is not None and metric.calendar not in calendars
    ]


def _check_id(ticket_id: object) -> None:
    problems: list[Problem] = []
    text(ticket_id, "ticket_id", problems)
    if problems:
        raise ValidationError("ticket id", problems)


def _check_request(
    ticket_id: object,
    command: object,
    actor: object,
    role: object,
    now: object,
    idempotency_key: object,
    correlation_id: object,
) -> Actor:
    """The acting :class:`Actor`, once every argument of ``execute`` is checked."""
    problems: list[Problem] = []
    if not isinstance(command, _COMMANDS):
        problems.append(Problem("command", f"expected a ticket command, got {shown(command)}"))
    elif isinstance(command, OpenTicket) and command.ticket_id != ticket_id:
        problems.append(
            Problem("ticket_id", f"{ticket_id!r} is not the id it opens ({command.ticket_id!r})")
        )
    return check_request(
        ticket_id, "ticket_id", problems, actor, role, now, idempotency_key, correlation_id
    )


def _replayed(ticket_id: str, history: Sequence[TicketEvent], command: Command) -> Ticket | None:
    """The ticket the command applies to; None to open one, NotFound for another command."""
    if history:
        return replay(history)
    if isinstance(command, OpenTicket):
        return None
    raise NotFound("ticket", ticket_id)
