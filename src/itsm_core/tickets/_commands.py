"""Commands: what someone asks to do to a ticket. Each is validated when built."""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

import attrs

from itsm_core._checks import Json, check_aware_fields, frozen_json
from itsm_core.errors import Problem, ValidationError
from itsm_core.tickets._ticket import ticket_field_problems
from itsm_core.tickets._typecheck import plain_classes, strings_problem, type_problem
from itsm_core.tickets._vocabulary import (
    ChangeType,
    Channel,
    ComplaintType,
    EscalationKind,
    HoldReason,
    ProblemLevel,
    TicketKind,
)


def _require(command: object, *names: str) -> None:
    problems = [
        Problem(name, "must not be empty")
        for name in names
        if not (getattr(command, name) or "").strip()
    ]
    if problems:
        raise ValidationError(type(command).__name__, problems)


def _strings(values: Iterable[str]) -> Any:
    """A list or tuple as a tuple; anything else is kept as given, for the checks to refuse.

    A string is not taken for a sequence of lines: ``"ab"`` is refused, not split into
    ``("a", "b")``.
    """
    return tuple(values) if isinstance(values, list | tuple) else values


_C = typing.TypeVar("_C")


def _field_types(cls: type) -> dict[str, tuple[type, ...]]:
    """The plain runtime classes each field of a command accepts (generic fields are skipped)."""
    found: dict[str, tuple[type, ...]] = {}
    for name, hint in typing.get_type_hints(cls).items():
        classes = plain_classes(hint)
        if classes is not None:
            found[name] = classes
    return found


def _typed(cls: type[_C]) -> type[_C]:
    """Check a command's field types on construction, before its own checks run.

    A plain string where an enum is expected (``channel="email"``) or any other wrong type is a
    ValidationError naming every such field, never an AttributeError deep inside ``decide``.
    """
    own_check = cls.__dict__.get("__attrs_post_init__")
    field_types = _field_types(cls)

    def check_then_validate(self: object) -> None:
        problems = [
            problem
            for name, expected in field_types.items()
            if (problem := type_problem(name, getattr(self, name), expected)) is not None
        ]
        if problems:
            raise ValidationError(type(self).__name__, problems)
        if own_check is not None:
            own_check(self)

    cls.__attrs_post_init__ = check_then_validate  # type: ignore[attr-defined]
    return cls


@attrs.frozen(kw_only=True)
@_typed
class OpenTicket:
    """Open a ticket (accept it into the service desk). Decide it on ``None``.

    ``workflow`` names the workflow to follow; by default the built-in one for ``kind`` (and
    ``change_type`` for changes). ``attributes`` are extra JSON-safe fields the workflow's
    guards may read (``{"affects_customer_business": True}`` for a change).
    ``customer_tier`` is a tier of the context's ``tier_vocabulary`` (a :class:`CustomerTier`
    or its value by default); ``decide`` records its name (an alias such as ``standard`` is
    recorded as ``regular``) and refuses a tier outside the vocabulary with
    :class:`~itsm_core.errors.UnknownTier`. Left out, the ticket gets the vocabulary's first
    tier (``regular`` by default).
    """

    EVENT: ClassVar[str] = "open"

    ticket_id: str
    kind: TicketKind
    requester: str
    symptom: str | None = None
    channel: Channel | None = None
    customer_tier: str | None = None
    service: str | None = None
    configuration_item: str | None = None
    occurred_at: dt.datetime | None = None
    impact_scope: str | None = None
    expected_resolution_at: dt.datetime | None = None
    category: str | None = None
    impact: int | None = None
    urgency: int | None = None
    priority: int | None = None
    complaint_type: ComplaintType | None = None
    response_level: int | None = None
    problem_level: ProblemLevel | None = None
    change_type: ChangeType | None = None
    workflow: str | None = None
    attributes: Mapping[str, Json] = attrs.field(factory=dict, converter=frozen_json)

    def __attrs_post_init__(self) -> None:
        check_aware_fields(self, "occurred_at", "expected_resolution_at")
        problems = ticket_field_problems(
            impact=self.impact,
            urgency=self.urgency,
            priority=self.priority,
            response_level=self.response_level,
        )
        problems.extend(
            Problem(name, "must not be empty")
            for name in ("ticket_id", "requester", "customer_tier")
            if getattr(self, name) is not None and not getattr(self, name).strip()
        )
        if self.change_type is not None and self.kind is not TicketKind.CHANGE:
            problems.append(Problem("change_type", f"only changes have one, not a {self.kind}"))
        if problems:
            raise ValidationError("OpenTicket", problems)


@attrs.frozen(kw_only=True)
@_typed
class Acknowledge:
    """The handler takes the ticket in (first response); starts work where the workflow says."""

    EVENT: ClassVar[str] = "acknowledge"

    note: str | None = None


@attrs.frozen(kw_only=True)
@_typed
class Classify:
    """Set category, impact, urgency, priority (1 is highest), the grading of complaints and
    the ``problem_level`` of a technical problem (general, complex, major).

    The priority is computed by the caller (e.g. with a priority matrix); ``explanation`` keeps
    the lines that say why.
    """

    EVENT: ClassVar[str] = "classify"

    category: str | None = None
    impact: int | None = None
    urgency: int | None = None
    priority: int | None = None
    explanation: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    complaint_type: ComplaintType | None = None
    response_level: int | None = None
    problem_level: ProblemLevel | None = None

    def __attrs_post_init__(self) -> None:
        problems = ticket_field_problems(
            impact=self.impact,
            urgency=self.urgency,
            priority=self.priority,
            response_level=self.response_level,
        )
        explanation = strings_problem("explanation", self.explanation)
        if explanation is not None:
            problems.append(explanation)
        values = attrs.astuple(self, recurse=False)
        if all(v is None or v == () for v in values):
            problems.append(Problem("", "nothing to classify"))
        if problems:
            raise ValidationError("Classify", problems)


@attrs.frozen(kw_only=True)
@_typed
class Assign:
    """Assign the ticket to a group and/or an agent."""

    EVENT: ClassVar[str] = "assign"

    group: str | None = None
    assignee: str | None = None
    reason: str | None = None

    def __attrs_post_init__(self) -> None:
        if not (self.group or self.assignee):
            raise ValidationError("Assign", [Problem("", "give a group or an assignee")])


@attrs.frozen(kw_only=True)
@_typed
class Transfer:
    """Move an assigned ticket to another group and/or agent, saying why."""

    EVENT: ClassVar[str] = "transfer"

    reason: str
    group: str | None = None
    assignee: str | None = None

    def __attrs_post_init__(self) -> None:
        _require(self, "reason")
        if not (self.group or self.assignee):
            raise ValidationError("Transfer", [Problem("", "give a group or an assignee")])


@attrs.frozen(kw_only=True)
@_typed
class Escalate:
    """Functional escalation (next support level, optionally a new group) or hierarchical."""

    EVENT: ClassVar[str] = "escalate"

    kind: EscalationKind
    reason: str
    group: str | None = None

    def __attrs_post_init__(self) -> None:
        _require(self, "reason")
        if self.group is not None and self.kind is EscalationKind.HIERARCHICAL:
            raise ValidationError(
                "Escalate", [Problem("group", "a hierarchical escalation keeps the group")]
            )


@attrs.frozen(kw_only=True)
@_typed
class AddComment:
    """A public comment (seen by the customer) or an internal work note."""

    EVENT: ClassVar[str] = "comment"

    text: str
    internal: bool = False

    def __attrs_post_init__(self) -> None:
        _require(self, "text")


@attrs.frozen(kw_only=True)
@_typed
class Hold:
    """Put the ticket on hold for a reason (SLA clocks pause)."""

    EVENT: ClassVar[str] = "hold"

    reason: HoldReason
    note: str | None = None


@attrs.frozen(kw_only=True)
@_typed
class Resume:
    """Take the ticket off hold."""

    EVENT: ClassVar[str] = "resume"

    note: str | None = None


@attrs.frozen(kw_only=True)
@_typed
class Resolve:
    """Resolve with a resolution code and a note."""

    EVENT: ClassVar[str] = "resolve"

    code: str
    note: str

    def __attrs_post_init__(self) -> None:
        _require(self, "code", "note")


@attrs.frozen(kw_only=True)
@_typed
class ConfirmResolution:
    """The customer confirms the resolution (the follow-up succeeded), in the ``customer``
    role; where the workflow says so (the built-in incident, service request, consultation
    and technical service) this is what closes the ticket: staff cannot close it before.

    ``auto=True`` is an auto-confirmation: the ``system`` confirms for a customer who did not
    answer, only as an explicit policy (:class:`AutoConfirmation` builds this command, its
    description as the ``note``). The ticket records ``auto_confirmed`` and the event says so;
    the system cannot confirm otherwise, nor anyone else auto-confirm.
    """

    EVENT: ClassVar[str] = "confirm"

    note: str | None = None
    auto: bool = False

    def __attrs_post_init__(self) -> None:
        if self.auto:
            _require(self, "note")


@attrs.frozen(kw_only=True)
@_typed
class RejectResolution:
    """The customer rejects the resolution: the ticket reopens (counted as a reopen)."""

    EVENT: ClassVar[str] = "reopen"

    reason: str

    def __attrs_post_init__(self) -> None:
        _require(self, "reason")


@attrs.frozen(kw_only=True)
@_typed
class Close:
    """Close a resolved ticket; ``fields`` carries what the workflow requires (a review...)."""

    EVENT: ClassVar[str] = "close"

    reason: str | None = None
    fields: Mapping[str, Json] = attrs.field(factory=dict, converter=frozen_json)


@attrs.frozen(kw_only=True)
@_typed
class Reopen:
    """Reopen a resolved ticket, saying why (counted)."""

    EVENT: ClassVar[str] = "reopen"

    reason: str

    def __attrs_post_init__(self) -> None:
        _require(self, "reason")


@attrs.frozen(kw_only=True)
@_typed
class Cancel:
    """Cancel (or withdraw) the ticket, saying why."""

    EVENT: ClassVar[str] = "cancel"

    reason: str

    def __attrs_post_init__(self) -> None:
        _require(self, "reason")


@attrs.frozen(kw_only=True)
@_typed
class Archive:
    """Archive a finished ticket (the last of the five complaint steps); it becomes read-only."""

    EVENT: ClassVar[str] = "archive"

    note: str | None = None


@attrs.frozen(kw_only=True)
@_typed
class LinkSurvey:
    """Link the satisfaction survey sent for this ticket."""

    EVENT: ClassVar[str] = "link_survey"

    survey: str

    def __attrs_post_init__(self) -> None:
        _require(self, "survey")


@attrs.frozen(kw_only=True)
@_typed
class Advance:
    """Fire a workflow event that has no dedicated command (``approve``, ``implement``...).

    ``fields`` are the event's input (checked against the transition's required fields and
    choices) and are kept in the ticket's ``attributes``.
    """

    event: str
    fields: Mapping[str, Json] = attrs.field(factory=dict, converter=frozen_json)
    reason: str | None = None

    def __attrs_post_init__(self) -> None:
        _require(self, "event")


class WorkflowStep:
    """A typed command for a workflow event that only moves the ticket and records its fields.

    Each built-in workflow event without a command of its own has one (``Handle`` is complaint
    step 3, ``Approve`` a service-request or change approval...). Such a command is short for
    :class:`Advance` with the same event, its fields kept in the ticket's ``attributes`` (a
    datetime as ISO 8601 text) and its ``note`` (or ``reason``) as the event's reason:
    :meth:`as_advance` gives that command, and ``decide`` treats both alike. ``Advance`` stays
    open for these events, so a custom workflow that names one with other fields still works.

    >>> Approve(approval="CAB-42", note="risk accepted").as_advance()
    Advance(event='approve', fields=mappingproxy({'approval': 'CAB-42'}), reason='risk accepted')
    """

    EVENT: ClassVar[str]
    __slots__ = ()

    def as_advance(self) -> Advance:
        """The :class:`Advance` this command is short for."""
        fields: dict[str, Json] = {}
        reason: str | None = None
        for field in attrs.fields(type(self)):  # type: ignore[arg-type]  # attrs classes below
            value = getattr(self, field.name)
            if field.name in ("note", "reason"):
                reason = value
            elif isinstance(value, dt.datetime):
                fields[field.name] = value.isoformat()
            elif value is not None:
                fields[field.name] = value
        return Advance(event=self.EVENT, fields=fields, reason=reason)


@attrs.frozen(kw_only=True)
@_typed
class RequestApproval(WorkflowStep):
    """Service request: ask the approvers (``new`` -> ``awaiting_approval``)."""

    EVENT: ClassVar[str] = "request_approval"

    note: str | None = None


@attrs.frozen(kw_only=True)
@_typed
class Approve(WorkflowStep):
    """Approve a service request (``approval``: the approver's reference) or a change (CAB
    approval, with the ``planned_start`` of its implementation)."""

    EVENT: ClassVar[str] = "approve"

    approval: str
    planned_start: dt.datetime | None = None
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        _require(self, "approval")
        check_aware_fields(self, "planned_start")


@attrs.frozen(kw_only=True)
@_typed
class Deny(WorkflowStep):
    """Deny a service request (it is rejected) or a change authorisation (back to assess)."""

    EVENT: ClassVar[str] = "deny"

    reason: str

    def __attrs_post_init__(self) -> None:
        _require(self, "reason")


@attrs.frozen(kw_only=True)
@_typed
class StartFulfilment(WorkflowStep):
    """Service request: fulfilment starts once approved (``approved`` -> ``in_progress``)."""

    EVENT: ClassVar[str] = "start_fulfilment"

    note: str | None = None


@attrs.frozen(kw_only=True)
@_typed
class Handle(WorkflowStep):
    """Complaint step 3: graded handling starts (``analysing`` -> ``handling``).

    The complaint must be classified (type and response level); a level-1 (major) complaint
    also needs management involved (a hierarchical :class:`Escalate`) first.
    """

    EVENT: ClassVar[str] = "handle"

    note: str | None = None


@attrs.frozen(kw_only=True)
@_typed
class RecordKnownError(WorkflowStep):
    """Problem: record the root cause and the workaround (a known error)."""

    EVENT: ClassVar[str] = "record_known_error"

    root_cause: str
    workaround: str
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        _require(self, "root_cause", "workaround")


@attrs.frozen(kw_only=True)
@_typed
class Assess(WorkflowStep):
    """Normal change: start the assessment (``new`` -> ``assess``)."""

    EVENT: ClassVar[str] = "assess"

    note: str | None = None


@attrs.frozen(kw_only=True)
@_typed
class RequestAuthorisation(WorkflowStep):
    """Change: ask the CAB to authorise it; a normal change states its ``risk`` (``low``,
    ``moderate`` or ``high``, as the workflow's choices say)."""

    EVENT: ClassVar[str] = "request_authorisation"

    risk: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
@_typed
class Schedule(WorkflowStep):
    """Standard change: schedule it from its pre-authorised ``template``."""

    EVENT: ClassVar[str] = "schedule"

    template: str
    planned_start: dt.datetime
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        _require(self, "template")
        check_aware_fields(self, "planned_start")


@attrs.frozen(kw_only=True)
@_typed
class ConfirmPlan(WorkflowStep):
    """The customer confirms a plan that affects their business (in the ``customer`` role),
    before it is applied: a change's, a solution proposed on an incident or a service request
    (:class:`ProposePlan`), a technical service's; ``plan_confirmation`` says how (a mail, a
    signed form...)."""

    EVENT: ClassVar[str] = "confirm_plan"

    plan_confirmation: str
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        _require(self, "plan_confirmation")


def _require_lines(command: object, name: str) -> None:
    """``name`` is a non-empty list of non-blank lines (a checklist, the deliverables)."""
    values = getattr(command, name)
    problem = strings_problem(name, values)
    if problem is None and not values:
        problem = Problem(name, "list at least one item")
    problems = [problem] if problem is not None else []
    if problem is None:
        problems = [
            Problem(f"{name}[{i}]", "must not be blank")
            for i, value in enumerate(values)
            if not value.strip()
        ]
    if problems:
        raise ValidationError(type(command).__name__, problems)


@attrs.frozen(kw_only=True)
@_typed
class ProposePlan(WorkflowStep):
    """Record the service plan (服务方案) or solution before it is applied: ``plan`` says what
    will be done, ``risk`` how risky it is (``low``, ``moderate`` or ``high``; a high-risk plan
    of the technical service needs an internal review), ``affects_customer_business`` whether
    the customer must confirm it before it is applied (the ``plan_confirmed`` guard: true by
    default, as the hotline rules confirm a solution with the customer first)."""

    EVENT: ClassVar[str] = "propose_plan"

    plan: str
    risk: str | None = None
    affects_customer_business: bool = True
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        _require(self, "plan")


@attrs.frozen(kw_only=True)
@_typed
class CollectRequirements(WorkflowStep):
    """Technical service: the requirements are collected (需求信息采集); planning starts."""

    EVENT: ClassVar[str] = "collect_requirements"

    requirements: str
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        _require(self, "requirements")


@attrs.frozen(kw_only=True)
@_typed
class ReviewPlan(WorkflowStep):
    """Technical service: the internal review (内部评审) of the plan, by a supervisor or a
    manager; ``internal_review`` is its record (who reviewed, the conclusion)."""

    EVENT: ClassVar[str] = "review_plan"

    internal_review: str
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        _require(self, "internal_review")


@attrs.frozen(kw_only=True)
@_typed
class Prepare(WorkflowStep):
    """Technical service: preparation (执行前准备) starts, once the plan is recorded, reviewed if
    high-risk, and confirmed by the customer."""

    EVENT: ClassVar[str] = "prepare"

    note: str | None = None


@attrs.frozen(kw_only=True)
@_typed
class StartExecution(WorkflowStep):
    """Technical service: execution starts, with the readiness checklist (each item
    non-blank: people, tools, backups, the customer's window...)."""

    EVENT: ClassVar[str] = "execute"

    readiness_checklist: tuple[str, ...] = attrs.field(converter=_strings)
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        _require_lines(self, "readiness_checklist")


@attrs.frozen(kw_only=True)
@_typed
class Verify(WorkflowStep):
    """Technical service: execution is done; the self-check and the internal verification
    (自我检查与内部验证) are recorded."""

    EVENT: ClassVar[str] = "verify"

    self_check: str
    internal_verification: str
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        _require(self, "self_check", "internal_verification")


@attrs.frozen(kw_only=True)
@_typed
class HandOver(WorkflowStep):
    """Technical service: the deliverables are handed over for the customer's acceptance
    (客户验收); the customer then accepts with :class:`ConfirmResolution`."""

    EVENT: ClassVar[str] = "hand_over"

    deliverables: tuple[str, ...] = attrs.field(converter=_strings)
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        _require_lines(self, "deliverables")


@attrs.frozen(kw_only=True)
@_typed
class Implement(WorkflowStep):
    """Change: implementation starts (``scheduled`` -> ``implement``), once authorised and,
    when it affects the customer's business, its plan confirmed."""

    EVENT: ClassVar[str] = "implement"

    note: str | None = None


@attrs.frozen(kw_only=True)
@_typed
class StartReview(WorkflowStep):
    """Major incident: the mandatory post-incident review starts, led by ``review_lead``."""

    EVENT: ClassVar[str] = "start_review"

    review_lead: str
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        _require(self, "review_lead")


#: Every command :func:`decide` accepts.
Command = (
    OpenTicket
    | Acknowledge
    | Classify
    | Assign
    | Transfer
    | Escalate
    | AddComment
    | Hold
    | Resume
    | Resolve
    | ConfirmResolution
    | RejectResolution
    | Close
    | Reopen
    | Cancel
    | Archive
    | LinkSurvey
    | RequestApproval
    | Approve
    | Deny
    | StartFulfilment
    | Handle
    | RecordKnownError
    | Assess
    | RequestAuthorisation
    | Schedule
    | ConfirmPlan
    | Implement
    | StartReview
    | ProposePlan
    | CollectRequirements
    | ReviewPlan
    | Prepare
    | StartExecution
    | Verify
    | HandOver
    | Advance
)


def _event_of_command() -> Mapping[type, str]:
    dedicated = [cls for cls in typing.get_args(Command) if cls is not Advance]
    return types.MappingProxyType({cls: cls.EVENT for cls in dedicated})


def _commands_of_event() -> Mapping[str, str]:
    names: dict[str, list[str]] = {}
    for cls, event in EVENT_OF_COMMAND.items():
        if not issubclass(cls, WorkflowStep):
            names.setdefault(event, []).append(cls.__name__)
    return types.MappingProxyType({event: " or ".join(sorted(n)) for event, n in names.items()})


#: The event each typed command records, as its class declares it (``Resolve.EVENT`` is
#: ``"resolve"``, ``Handle.EVENT`` is ``"handle"``); :class:`Advance` names its own event and
#: is not listed.
EVENT_OF_COMMAND: Mapping[type, str] = _event_of_command()

#: The events owned by a command that does more than move the ticket, with its name
#: (``"reopen"``: ``"RejectResolution or Reopen"``): :class:`Advance` refuses them. The events
#: of the :class:`WorkflowStep` commands are not listed: ``Advance`` may fire them too.
COMMAND_EVENTS: Mapping[str, str] = _commands_of_event()


def event_name(command: Command) -> str:
    """The name of the event ``command`` records, e.g. ``"resolve"`` for :class:`Resolve`.

    >>> event_name(RejectResolution(reason="still broken")), event_name(Advance(event="approve"))
    ('reopen', 'approve')
    """
    if isinstance(command, Advance):
        return command.event
    return EVENT_OF_COMMAND[type(command)]
