"""The exceptions of itsm_core: one root, four branches, structured fields.

Every error the library raises on purpose is an :class:`ItsmError`. The tree separates *when* the
problem was made, so callers can catch exactly what they can handle::

    ItsmError
    ├── DefinitionError (ValueError)        a rule set you configured is wrong
    │   ├── InvalidCalendar                   business calendar definition
    │   ├── InvalidMapping                    mapping of another tool's export (columns, statuses)
    │   ├── InvalidWorkflowDefinition         workflow states, events, guards
    │   ├── InvalidPriorityMatrix             priority matrix, rules, grading tables, tiers
    │   ├── InvalidPolicy                     SLA, retention, access or follow-up policy
    │   ├── InvalidSurvey                     survey definition, weights
    │   ├── InvalidKpiDefinition              KPI definition, report spec, scorecard
    │   ├── InvalidRouting                    team, agents, rosters, routing rules
    │   ├── InvalidTemplate                   message templates (moments, languages, fields)
    │   ├── InvalidEmergencyPlan              emergency plan registry, resource pool
    │   ├── InvalidPeopleDefinition           training course, exam, appraisal scheme, bands
    │   ├── InvalidAuditPlan                  quarterly internal audit plan
    │   └── InvalidTypeSpec                   a serializer type registration
    ├── ValidationError (ValueError)        a value passed in is wrong
    │   ├── NaiveDatetimeError                a datetime without a time zone
    │   ├── DeserializationError              data that does not load into a type
    │   ├── InvalidEventStream                events that do not fold into an aggregate
    │   ├── InsufficientData                  too little data for a statistic (n = 0, k < 2)
    │   ├── ShardOverlap                      partial KPI results that share a ticket
    │   ├── SealBroken                        a sealed event stream that does not verify
    │   ├── UnknownTier                       a customer tier outside the tier vocabulary
    │   ├── UnknownRole                       a role the access policy or workflows never name
    │   └── UnknownLanguage                   a language no message catalogue has
    ├── DomainError                         a valid request the rules refuse now
    │   ├── CommandRejected                   a command refused, with reasons
    │   │   └── TransitionNotAllowed            no such event from the current state
    │   ├── CalendarCoverageError (LookupError)  working time asked beyond the holiday data
    │   ├── NoWorkingTimeError (LookupError)     no working time within the search horizon
    │   ├── AccessDenied                      the access policy refuses an action
    │   └── IndexConflict                     an index change that does not fit its content
    └── RepositoryError                     storage
        ├── NotFound (LookupError)            no aggregate or stream with that id
        ├── VersionConflict                   a stale write, never applied
        ├── DuplicateAppend                   an idempotency key used again (first receipt inside)
        └── DuplicateEventId                  an event id already in the store

This module is the only home of the library's errors: every package raises these classes and
none defines its own.

Errors that collect several findings (definitions, validation, deserialisation) carry them as a
tuple of :class:`Problem` values, each with the path where it was found, and list every one in
the message, so a user fixes a definition in one round instead of one error at a time.

>>> err = InvalidCalendar("'office'", [Problem("weekly.monday[1]", "overlaps [0]")])
>>> print(err)
invalid calendar 'office': 1 problem
  - weekly.monday[1]: overlaps [0]
>>> isinstance(err, ValueError), err.problems[0].path
(True, 'weekly.monday[1]')
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence

import attrs

__all__ = [
    "AccessDenied",
    "CalendarCoverageError",
    "CommandRejected",
    "DefinitionError",
    "DeserializationError",
    "DomainError",
    "DuplicateAppend",
    "DuplicateEventId",
    "IndexConflict",
    "InsufficientData",
    "InvalidAuditPlan",
    "InvalidCalendar",
    "InvalidEmergencyPlan",
    "InvalidEventStream",
    "InvalidKpiDefinition",
    "InvalidMapping",
    "InvalidPeopleDefinition",
    "InvalidPolicy",
    "InvalidPriorityMatrix",
    "InvalidRouting",
    "InvalidSurvey",
    "InvalidTemplate",
    "InvalidTypeSpec",
    "InvalidWorkflowDefinition",
    "ItsmError",
    "NaiveDatetimeError",
    "NoWorkingTimeError",
    "NotFound",
    "Problem",
    "RepositoryError",
    "SealBroken",
    "ShardOverlap",
    "TransitionNotAllowed",
    "UnknownLanguage",
    "UnknownRole",
    "UnknownTier",
    "ValidationError",
    "VersionConflict",
]


@attrs.frozen
class Problem:
    """One finding: where (a dotted path into the input, empty for the whole) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class ItsmError(Exception):
    """Root of every error raised on purpose by itsm_core."""


def _problems_message(headline: str, problems: Sequence[Problem]) -> str:
    count = len(problems)
    noun = "problem" if count == 1 else "problems"
    lines = [f"{headline}: {count} {noun}"]
    lines.extend(f"  - {problem}" for problem in problems)
    return "\n".join(lines)


class _ProblemsError(ItsmError, ValueError):
    """Shared shape of errors that report every problem found at once."""

    _kind = "input"

    def __init__(self, subject: str, problems: Iterable[Problem]) -> None:
        self.subject = subject
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError(f"{type(self).__name__} needs at least one problem")
        super().__init__(_problems_message(f"invalid {self._kind} {subject}", self.problems))

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.subject, self.problems))


class DefinitionError(_ProblemsError):
    """A configured rule set (calendar, workflow, matrix, policy, survey) is invalid.

    Raised at construction, so an invalid definition never exists.
    """

    _kind = "definition"


class InvalidCalendar(DefinitionError):
    """A business calendar definition is invalid."""

    _kind = "calendar"


class InvalidWorkflowDefinition(DefinitionError):
    """A workflow definition is invalid (unknown or unreachable states, dead ends...)."""

    _kind = "workflow"


class InvalidPriorityMatrix(DefinitionError):
    """A priority matrix, priority rule set, grading table or customer-tier vocabulary is
    invalid."""

    _kind = "priority matrix"


class InvalidPolicy(DefinitionError):
    """An SLA, retention, access or follow-up policy is invalid (follow-up policies, the churn
    rule and the customer value segments of ``itsm_core.customers`` included)."""

    _kind = "policy"


class InvalidSurvey(DefinitionError):
    """A survey definition or a set of scoring weights is invalid."""

    _kind = "survey"


class InvalidMapping(DefinitionError):
    """A mapping of another tool's export onto the model (columns, statuses) is invalid."""

    _kind = "mapping"


class InvalidKpiDefinition(DefinitionError):
    """A KPI definition, report spec or scorecard is invalid; every problem is listed.

    >>> from itsm_core.errors import Problem
    >>> print(InvalidKpiDefinition("'mttr'", [Problem("end", "unknown milestone 'fixed'")]))
    invalid KPI definition 'mttr': 1 problem
      - end: unknown milestone 'fixed'
    """

    _kind = "KPI definition"


class InvalidRouting(DefinitionError):
    """A team (agents, groups, rosters) or a set of routing rules is invalid.

    Like every definition error it lists every problem found, each with its path.

    >>> from itsm_core.errors import Problem
    >>> print(InvalidRouting("team", [Problem("agents[0].roster", "unknown roster 'late'")]))
    invalid routing definition team: 1 problem
      - agents[0].roster: unknown roster 'late'
    """

    _kind = "routing definition"


class InvalidTemplate(DefinitionError):
    """A set of message templates is invalid: an unknown moment or language, a field the
    moment does not offer, or a field that is not a plain ``{name}`` (attribute access,
    indexing, conversions and format specs are refused). Every problem names its path.

    >>> from itsm_core.errors import Problem
    >>> print(InvalidTemplate("set", [Problem("delay_notice.zh_CN.body", "field {a.b}")]))
    invalid message template set: 1 problem
      - delay_notice.zh_CN.body: field {a.b}
    """

    _kind = "message template"


class InvalidEmergencyPlan(DefinitionError):
    """An emergency plan, a plan registry or an emergency resource pool is invalid; every
    problem is listed with its path (``plans[1].response_flow[0].role``)."""

    _kind = "emergency plan"


class InvalidPeopleDefinition(DefinitionError):
    """A training course, an exam, a course catalogue, an appraisal scheme or its rating bands
    is invalid; every problem is listed with its path."""

    _kind = "people definition"


class InvalidAuditPlan(DefinitionError):
    """A quarterly internal audit plan (scope areas, auditors, the day of each quarter) is
    invalid; every problem is listed with its path."""

    _kind = "audit plan"


class InvalidTypeSpec(DefinitionError):
    """A type registration (name, version, upgrades) is invalid, or two collide."""

    _kind = "type registration"


class ValidationError(_ProblemsError):
    """A value passed to the library is invalid; nothing was changed."""

    _kind = "value for"


class NaiveDatetimeError(ValidationError):
    """A datetime without a time zone was passed where an aware one is required."""

    def __init__(self, where: str, value: _dt.datetime) -> None:
        self.where = where
        self.value = value
        super().__init__(
            where,
            [Problem(where, f"naive datetime {value.isoformat()} (a time zone is required)")],
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.where, self.value))


class DeserializationError(ValidationError):
    """Plain data could not be loaded into a type; lists every problem with its path."""

    _kind = "data for"


class InvalidEventStream(ValidationError):
    """Events that do not fold into an aggregate: an empty stream, a gap or repeat in the
    sequence, an event of another stream, or data that does not fit the state.

    The one error of the kernel's fold for every event-sourced aggregate (tickets, improvement
    cycles, nonconformities, knowledge articles).
    """

    _kind = "event stream for"


class InsufficientData(ValidationError):
    """There is too little data for the statistic asked for (no responses, n = 0, k < 2...).

    A rate over zero observations is undefined, not 0 %: the library says so instead of
    returning a number. It is a :class:`~itsm_core.errors.ValidationError`, so it carries
    ``subject`` and ``problems`` like every other validation failure.

    >>> from itsm_core.errors import Problem
    >>> err = InsufficientData("nps", [Problem("responses", "no responses (n = 0)")])
    >>> print(err)
    invalid data for nps: 1 problem
      - responses: no responses (n = 0)
    """

    _kind = "data for"


class ShardOverlap(ValidationError):
    """Two partial results being merged both hold the same open ticket.

    Shards must partition the tickets: every event of one ticket goes to the same shard.
    """

    _kind = "shards for"


class SealBroken(ValidationError):
    """A sealed event stream does not verify: an event was altered, removed, inserted or moved."""

    _kind = "sealed stream for"


class _UnknownName(ValidationError):
    """Shared shape of the errors for a name outside a configured vocabulary: ``value`` is the
    name given, ``known`` the names the vocabulary has, ``path`` where the name was given.
    ``others`` are the other problems found in the same input, listed first (every problem
    is reported at once)."""

    _noun = "name"

    def __init__(
        self,
        value: str,
        known: Iterable[str],
        *,
        path: str = "",
        subject: str = "",
        others: Iterable[Problem] = (),
    ) -> None:
        self.value = value
        self.known: tuple[str, ...] = tuple(known)
        self.path = path
        self.others: tuple[Problem, ...] = tuple(others)
        super().__init__(
            subject or self._noun, [*self.others, self.problem(value, self.known, path)]
        )

    @classmethod
    def problem(cls, value: str, known: Iterable[str], path: str) -> Problem:
        """The problem this error reports: ``value`` at ``path`` is unknown; ``known`` listed."""
        listed = ", ".join(known) or "none"
        return Problem(path, f"unknown {cls._noun} {value!r} (known: {listed})")

    def __reduce__(self) -> tuple[object, ...]:
        return (
            _rebuild_unknown_name,
            (type(self), self.value, self.known, self.path, self.subject, self.others),
        )


def _rebuild_unknown_name(
    cls: type[_UnknownName],
    value: str,
    known: tuple[str, ...],
    path: str,
    subject: str,
    others: tuple[Problem, ...],
) -> _UnknownName:
    return cls(value, known, path=path, subject=subject, others=others)


class UnknownTier(_UnknownName):
    """A customer tier the configured tier vocabulary does not know (see
    ``itsm_core.priority.TierVocabulary``); ``known`` lists its tiers, aliases after them.

    >>> print(UnknownTier("gold", ["regular", "vip", "enterprise"], path="customer_tier"))
    invalid value for customer tier: 1 problem
      - customer_tier: unknown customer tier 'gold' (known: regular, vip, enterprise)
    """

    _noun = "customer tier"


class UnknownRole(_UnknownName):
    """A role that the access policy (or the workflows) in use never names: a typo, or a role
    missing from the policy. ``known`` lists the roles it does name.

    >>> print(UnknownRole("agnet", ["agent", "customer"], path="ctx.role"))
    invalid value for role: 1 problem
      - ctx.role: unknown role 'agnet' (known: agent, customer)
    """

    _noun = "role"


class UnknownLanguage(_UnknownName):
    """A language (a tag such as ``"zh-CN"`` or ``"en"``) that no message catalogue of
    ``itsm_core.i18n`` has; ``known`` lists the languages shipped.

    >>> print(UnknownLanguage("fr", ["en", "zh_CN"], path="customer.language"))
    invalid value for language: 1 problem
      - customer.language: unknown language 'fr' (known: en, zh_CN)
    """

    _noun = "language"


class DomainError(ItsmError):
    """A well-formed request that the domain rules refuse in the current state."""


class CommandRejected(DomainError):
    """A command was refused; the aggregate is unchanged. ``reasons`` says why, one per rule."""

    def __init__(self, command: str, reasons: Iterable[str], *, state: str | None = None) -> None:
        self.command = command
        self.reasons: tuple[str, ...] = tuple(reasons)
        self.state = state
        where = f" in state {state!r}" if state is not None else ""
        detail = "; ".join(self.reasons) if self.reasons else "no reason given"
        super().__init__(f"command {command!r} rejected{where}: {detail}")

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_command_rejected, (type(self), self.command, self.reasons, self.state))


def _rebuild_command_rejected(
    cls: type[CommandRejected], command: str, reasons: tuple[str, ...], state: str | None
) -> CommandRejected:
    error = cls.__new__(cls)
    CommandRejected.__init__(error, command, reasons, state=state)
    return error


class TransitionNotAllowed(CommandRejected):
    """No transition for this event from the current state; ``allowed`` lists those there are."""

    def __init__(self, event: str, state: str, allowed: Iterable[str]) -> None:
        self.event = event
        self.allowed: tuple[str, ...] = tuple(sorted(allowed))
        listed = ", ".join(self.allowed) if self.allowed else "none (terminal state)"
        super().__init__(
            event, [f"no transition {event!r} from {state!r}; allowed: {listed}"], state=state
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.event, self.state, self.allowed))


class CalendarCoverageError(DomainError, LookupError):
    """Working time was asked for beyond the dates the calendar's holiday data covers.

    China's official holidays and make-up working days are published one year at a time, so a
    calendar built from them knows where its data ends. Pass ``extrapolate=True`` to the calendar
    to fall back on the weekly pattern knowingly.
    """

    def __init__(
        self, calendar: str, requested: _dt.date, covered: tuple[_dt.date, _dt.date]
    ) -> None:
        self.calendar = calendar
        self.requested = requested
        self.covered = covered
        super().__init__(
            f"calendar {calendar!r} has holiday data for {covered[0]} to {covered[1]} only; "
            f"{requested} is outside it (allow extrapolation from the weekly pattern explicitly)"
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.calendar, self.requested, self.covered))


class NoWorkingTimeError(DomainError, LookupError):
    """A search for working time found none within the search horizon.

    Raised by ``add``, ``next_working`` and their kin when a calendar has no working time at all
    for ``years`` consecutive years in the direction searched (an empty pattern, an intersection
    of calendars that never overlap), instead of searching forever.
    """

    def __init__(self, calendar: str, direction: str, years: int) -> None:
        self.calendar = calendar
        self.direction = direction
        self.years = years
        super().__init__(
            f"calendar {calendar!r} has no working time in {years} consecutive years "
            f"searching {direction}"
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.calendar, self.direction, self.years))


class AccessDenied(DomainError):
    """The access policy does not let ``actor`` do ``action`` on ``resource``; nothing happened.

    ``reason`` says which rules were considered and why none applies; ``kind`` is the kind of
    record ``resource`` names (a ticket, or another aggregate's: ``"drill"``, ``"call"``).

    >>> print(AccessDenied("bob", "read", "INC1", "no rule grants 'read' to role 'customer'"))
    'bob' may not 'read' ticket 'INC1': no rule grants 'read' to role 'customer'
    """

    def __init__(
        self, actor: str, action: str, resource: str, reason: str, kind: str = "ticket"
    ) -> None:
        self.actor = actor
        self.action = action
        self.resource = resource
        self.reason = reason
        self.kind = kind
        super().__init__(f"{actor!r} may not {action!r} {kind} {resource!r}: {reason}")

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.actor, self.action, self.resource, self.reason, self.kind))


class IndexConflict(DomainError):
    """An index change that does not fit its content: adding an article already indexed,
    updating or removing one that is not. The index is unchanged.
    """

    def __init__(self, article_id: str, problem: str) -> None:
        self.article_id = article_id
        self.problem = problem
        super().__init__(f"article {article_id!r} {problem}")

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.article_id, self.problem))


class RepositoryError(ItsmError):
    """A storage operation failed."""


class NotFound(RepositoryError, LookupError):
    """No aggregate or event stream with the given id."""

    def __init__(self, kind: str, key: str) -> None:
        self.kind = kind
        self.key = key
        super().__init__(f"no {kind} with id {key!r}")

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.kind, self.key))


class VersionConflict(RepositoryError):
    """A write expected a version the store no longer has; nothing was written."""

    def __init__(self, stream: str, expected: int | str, actual: int) -> None:
        self.stream = stream
        #: The version the writer expected: an int, or ``"no stream"`` / ``"exists"``.
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"version conflict on {stream!r}: expected version {expected}, store has {actual}"
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.stream, self.expected, self.actual))


class DuplicateAppend(RepositoryError):
    """An append reused an idempotency key: nothing was written.

    ``receipt`` (an :class:`~itsm_core.repositories.AppendReceipt`) says what the first append
    under that key wrote, so a caller can answer a repeated delivery with the first outcome.
    """

    def __init__(self, key: str, receipt: object) -> None:
        self.key = key
        self.receipt = receipt
        super().__init__(f"idempotency key {key!r} was already used: {receipt!r}")

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.key, self.receipt))


class DuplicateEventId(RepositoryError):
    """An appended event's id is already in the store (or twice in the batch); nothing was
    written."""

    def __init__(self, event_id: str) -> None:
        self.event_id = event_id
        super().__init__(f"event id {event_id!r} is already in the store")

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.event_id,))
