"""A call fact as a command, for the desk: :class:`RecordCall` and :func:`decide_call`, the
kernel's ``decide`` shape over :func:`~itsm_core.calls.record`."""

from __future__ import annotations

import datetime as dt

import attrs

from itsm_core._checks import check_aware
from itsm_core._plain import is_text, shown
from itsm_core.calls._call import Call, CallEvent, CallEventKind, record
from itsm_core.errors import Problem, ValidationError
from itsm_core.kernel import Context, Decision


@attrs.frozen(kw_only=True)
class RecordCall:
    """Record one fact the switch reports about the call ``call_id``: the fields of
    :class:`CallEvent`, at ``at`` (None: the context's ``now``, the time the desk is told).
    An ``OFFERED`` fact starts the call."""

    call_id: str
    kind: CallEventKind
    at: dt.datetime | None = None
    agent: str | None = None
    queue: str | None = None
    caller: str | None = None
    ticket_id: str | None = None
    resolved: bool | None = None

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        if not is_text(self.call_id):
            problems.append(Problem("call_id", f"expected a call id, got {shown(self.call_id)}"))
        if type(self.kind) is not CallEventKind:
            problems.append(Problem("kind", f"expected a CallEventKind, got {shown(self.kind)}"))
        if problems:
            raise ValidationError("RecordCall", problems)
        if self.at is not None:
            check_aware(self.at, "RecordCall.at")


def decide_call(
    call: Call | None, command: RecordCall, context: Context
) -> Decision[Call, CallEvent]:
    """The call after ``command``'s fact, and its event (:func:`record`).

    Raises :class:`~itsm_core.errors.InvalidEventStream` for a fact that does not fit the call
    (answered twice, time going backwards), and :class:`~itsm_core.errors.ValidationError`
    for another call's fact or not a :class:`RecordCall`; nothing changes.

    >>> import datetime as dt
    >>> ctx = Context(actor="acd", role="system", now=dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC))
    >>> call, _ = decide_call(None, RecordCall(call_id="C1", kind=CallEventKind.OFFERED), ctx)
    >>> call, events = decide_call(
    ...     call, RecordCall(call_id="C1", kind=CallEventKind.ANSWERED, agent="ana"), ctx)
    >>> call.status.value, events[0].sequence
    ('talking', 2)
    """
    if not isinstance(command, RecordCall):
        raise ValidationError(
            "decide_call", [Problem("command", f"{shown(command)} is not a call command")]
        )
    if call is not None and command.call_id != call.call_id:
        raise ValidationError(
            "decide_call",
            [Problem("call_id", f"{command.call_id!r} is not the call {call.call_id!r}")],
        )
    return record(
        call,
        command.kind,
        context.now if command.at is None else command.at,
        call_id=command.call_id,
        agent=command.agent,
        queue=command.queue,
        caller=command.caller,
        ticket_id=command.ticket_id,
        resolved=command.resolved,
    )
