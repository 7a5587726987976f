"""The Ticket aggregate: a frozen record of everything the standards ask a ticket to keep."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from itsm_core._checks import Json, check_aware_fields, frozen_json, is_int
from itsm_core._plain import shown
from itsm_core.errors import Problem, ValidationError
from itsm_core.tickets._comment import Comment
from itsm_core.tickets._vocabulary import (
    RESPONSE_LEVELS,
    ChangeType,
    Channel,
    ComplaintType,
    CustomerTier,
    HoldReason,
    ProblemLevel,
    SupportLevel,
    TicketKind,
)
from itsm_core.workflow import StatusCategory

_DATETIMES = (
    "opened_at",
    "updated_at",
    "occurred_at",
    "expected_resolution_at",
    "acknowledged_at",
    "resolved_at",
    "closed_at",
)


def _plain_text(value: Any) -> Any:
    """Text as a plain ``str`` (``CustomerTier.VIP`` becomes ``"vip"``); anything else as
    given."""
    return str(value) if isinstance(value, str) else value


# Not slotted: a ticket keeps its fields in one dict, so the fold copies them in one step and
# builds the next ticket from one dict (``ticket_values``, ``checked_ticket``).
@attrs.frozen(kw_only=True, slots=False)
class Ticket:
    """One ticket as of its last event; :func:`decide` builds it, :func:`replay` rebuilds it.

    Identity and lifecycle: ``id``, ``kind``, ``workflow`` (the name of its workflow), ``state``
    (the state's value in that workflow), ``status`` (its status category) and ``version`` (the
    number of events folded into it).

    Intake: ``channel``, ``requester``, ``customer_tier``, ``service`` and ``configuration_item``
    affected, ``symptom``, ``occurred_at``, ``impact_scope``, ``expected_resolution_at``. The
    customer tier is a name of the desk's tier vocabulary (``CommandContext.tier_vocabulary``,
    by default ``regular``, ``vip`` or ``enterprise``, the values of :class:`CustomerTier`).

    Classification: ``category``, ``impact``, ``urgency`` and ``priority`` (positive ints, 1 is
    highest, as in ITIL and ServiceNow), ``priority_explanation``, ``complaint_type``,
    ``response_level`` (1 major, 2 serious, 3 general; also the emergency level of a major
    incident), ``problem_level`` (general, complex or major technical problem: what the
    standards' response targets hang on) and ``change_type``.

    Handling: ``assignment_group``, ``assignee``, ``support_level``, ``management_involved``,
    ``acknowledged_at``, ``hold_reason``, ``comments`` (public), ``work_notes`` (internal).

    Outcome: ``resolution_code``, ``resolution_note``, ``resolved_at``, ``resolved_by``,
    ``first_contact_resolution``, ``customer_confirmation`` (True confirmed, False rejected),
    ``auto_confirmed`` (True when an explicit auto-confirmation policy confirmed for a customer
    who did not answer, never by default), ``reopen_count``, ``closed_at``,
    ``survey`` (satisfaction survey link), ``archived``; ``attributes`` holds the JSON-safe
    extra fields that workflow events carry (a CAB approval reference, a root cause...).
    """

    id: str
    kind: TicketKind
    workflow: str
    state: str
    status: StatusCategory
    version: int
    opened_at: dt.datetime
    opened_by: str
    updated_at: dt.datetime
    requester: str
    channel: Channel | None = None
    customer_tier: str = attrs.field(default=CustomerTier.REGULAR.value, converter=_plain_text)
    service: str | None = None
    configuration_item: str | None = None
    symptom: str | None = None
    occurred_at: dt.datetime | None = None
    impact_scope: str | None = None
    expected_resolution_at: dt.datetime | None = None
    category: str | None = None
    impact: int | None = None
    urgency: int | None = None
    priority: int | None = None
    priority_explanation: tuple[str, ...] = ()
    complaint_type: ComplaintType | None = None
    response_level: int | None = None
    problem_level: ProblemLevel | None = None
    change_type: ChangeType | None = None
    assignment_group: str | None = None
    assignee: str | None = None
    support_level: SupportLevel = SupportLevel.L1
    management_involved: bool = False
    acknowledged_at: dt.datetime | None = None
    hold_reason: HoldReason | None = None
    comments: tuple[Comment, ...] = ()
    work_notes: tuple[Comment, ...] = ()
    resolution_code: str | None = None
    resolution_note: str | None = None
    resolved_at: dt.datetime | None = None
    resolved_by: str | None = None
    first_contact_resolution: bool | None = None
    customer_confirmation: bool | None = None
    auto_confirmed: bool = False
    reopen_count: int = 0
    closed_at: dt.datetime | None = None
    survey: str | None = None
    archived: bool = False
    attributes: Mapping[str, Json] = attrs.field(factory=dict, converter=frozen_json)

    def __attrs_post_init__(self) -> None:
        check_aware_fields(self, *_DATETIMES)
        problems = field_problems({name: getattr(self, name) for name in CHECKED_FIELDS})
        if problems:
            raise ValidationError(f"Ticket {shown(self.id)}", problems)

    @property
    def stream_id(self) -> str:
        """The id of the ticket's event stream: its ``id``."""
        return self.id

    @property
    def is_open(self) -> bool:
        """True while work is still due (status new, open or on hold)."""
        return self.status.is_active


def ticket_field_problems(
    *,
    impact: int | None = None,
    urgency: int | None = None,
    priority: int | None = None,
    response_level: int | None = None,
) -> list[Problem]:
    """Problems with the numeric classification fields (shared by tickets and commands)."""
    problems = [
        Problem(name, f"{shown(value)} is not a positive int (1 is highest)")
        for name, value in _numbers(impact=impact, urgency=urgency, priority=priority)
        if value is not None and not (is_int(value) and value >= 1)
    ]
    if response_level is not None and response_level not in RESPONSE_LEVELS:
        problems.append(
            Problem("response_level", f"{shown(response_level)} is not 1 (major), 2 or 3 (general)")
        )
    return problems


def _numbers(**values: object) -> list[tuple[str, object]]:
    return list(values.items())


_NUMBERS = ("impact", "urgency", "priority", "response_level")
_REQUIRED = ("id", "workflow", "state", "opened_by", "requester", "customer_tier")

#: The fields a ticket checks beyond their types (and beyond its datetimes being aware).
CHECKED_FIELDS = frozenset((*_NUMBERS, *_REQUIRED, "version", "reopen_count"))


def field_problems(values: Mapping[str, Any]) -> list[Problem]:
    """What a ticket refuses among ``values`` (field name to value; a field not given is not
    checked): a classification number out of range, an empty required text, a version below 1,
    a negative reopen count. A ticket checks all its fields with it; the fold only the fields
    an event sets."""
    numbers = {name: values[name] for name in _NUMBERS if name in values}
    problems = ticket_field_problems(**numbers) if numbers else []
    problems.extend(
        Problem(name, "must not be empty")
        for name in _REQUIRED
        if name in values and not values[name]
    )
    if values.get("version", 1) < 1:
        problems.append(Problem("version", f"{values['version']} is not a positive event count"))
    if values.get("reopen_count", 0) < 0:
        problems.append(Problem("reopen_count", "must not be negative"))
    return problems


def ticket_values(ticket: Ticket) -> dict[str, Any]:
    """A new dict of every field of ``ticket``: the working copy a fold changes in place."""
    return dict(ticket.__dict__)


def checked_ticket(values: dict[str, Any]) -> Ticket:
    """The ticket whose fields are ``values`` (every field, each already checked), built without
    running the checks again: the fold's last step, once the events it applied were checked
    where they entered (:class:`TicketEvent`, :func:`field_problems`). The ticket takes the
    dict over as its own: the caller must not change it afterwards."""
    ticket: Ticket = object.__new__(Ticket)
    object.__setattr__(ticket, "__dict__", values)
    return ticket
