"""Tickets: the frozen Ticket aggregate, its commands and events, and the built-in workflows.

``decide(ticket, command, ctx)`` is the one way to change a ticket: it returns the new ticket
and the events that happened (a :class:`~itsm_core.kernel.Decision`, which unpacks like a
pair), or raises with every reason. ``replay(events)`` rebuilds the ticket from its events;
both go through the one fold of the aggregate kernel (:mod:`itsm_core.kernel`). The built-in
workflows (incident, service request, consultation, complaint, problem, three change types,
major incident) are plain :class:`~itsm_core.workflow.Workflow` values in
:data:`BUILTIN_WORKFLOWS` (``BUILTIN_WORKFLOWS.get("incident")``) that users copy and adapt.
"""

from itsm_core._checks import Json
from itsm_core.tickets._autoclose import after, after_business_time, due_for_auto_close
from itsm_core.tickets._commands import (
    COMMAND_EVENTS,
    EVENT_OF_COMMAND,
    Acknowledge,
    AddComment,
    Advance,
    Archive,
    Assign,
    Cancel,
    Classify,
    Close,
    Command,
    ConfirmResolution,
    Escalate,
    Hold,
    LinkSurvey,
    OpenTicket,
    RejectResolution,
    Reopen,
    Resolve,
    Resume,
    Transfer,
    event_name,
)
from itsm_core.tickets._comment import Comment
from itsm_core.tickets._context import CommandContext
from itsm_core.tickets._decide import allowed_events, decide
from itsm_core.tickets._event import EventFlag, TicketEvent
from itsm_core.tickets._fold import apply_event, replay
from itsm_core.tickets._guards import BUILTIN_GUARDS
from itsm_core.tickets._history import (
    ImportIssue,
    ImportMode,
    ImportResult,
    Observation,
    import_history,
)
from itsm_core.tickets._registry import BUILTIN_WORKFLOWS, WorkflowRegistry
from itsm_core.tickets._states import (
    ChangeState,
    ComplaintState,
    ConsultationState,
    IncidentState,
    MajorIncidentState,
    ProblemState,
    RequestState,
)
from itsm_core.tickets._ticket import Ticket
from itsm_core.tickets._vocabulary import (
    RESPONSE_LEVELS,
    STAFF_ROLES,
    ChangeType,
    Channel,
    ComplaintType,
    CustomerTier,
    EscalationKind,
    HoldReason,
    Role,
    SupportLevel,
    TicketKind,
)

__all__ = [
    "BUILTIN_GUARDS",
    "BUILTIN_WORKFLOWS",
    "COMMAND_EVENTS",
    "EVENT_OF_COMMAND",
    "RESPONSE_LEVELS",
    "STAFF_ROLES",
    "Acknowledge",
    "AddComment",
    "Advance",
    "Archive",
    "Assign",
    "Cancel",
    "ChangeState",
    "ChangeType",
    "Channel",
    "Classify",
    "Close",
    "Command",
    "CommandContext",
    "Comment",
    "ComplaintState",
    "ComplaintType",
    "ConfirmResolution",
    "ConsultationState",
    "CustomerTier",
    "Escalate",
    "EscalationKind",
    "EventFlag",
    "Hold",
    "HoldReason",
    "ImportIssue",
    "ImportMode",
    "ImportResult",
    "IncidentState",
    "Json",
    "LinkSurvey",
    "MajorIncidentState",
    "Observation",
    "OpenTicket",
    "ProblemState",
    "RejectResolution",
    "Reopen",
    "RequestState",
    "Resolve",
    "Resume",
    "Role",
    "SupportLevel",
    "Ticket",
    "TicketEvent",
    "TicketKind",
    "Transfer",
    "WorkflowRegistry",
    "after",
    "after_business_time",
    "allowed_events",
    "apply_event",
    "decide",
    "due_for_auto_close",
    "event_name",
    "import_history",
    "replay",
]
