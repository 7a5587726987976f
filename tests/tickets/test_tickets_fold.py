"""The ticket fold without rebuilding: events go into one working copy and the ticket is built
once, yet every stream folds to the same ticket, and fails with the same error, as it did when
each event rebuilt (and re-checked) a whole ticket. The reference below is that former fold."""

from __future__ import annotations

import datetime as dt
import functools
import types
from collections.abc import Callable, Mapping
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsm_core.errors import CommandRejected, InvalidEventStream, ItsmError, Problem
from itsm_core.errors import ValidationError as Refused
from itsm_core.kernel import Aggregate
from itsm_core.serialization import make_converter
from itsm_core.tickets import (
    BUILTIN_WORKFLOWS,
    COMMAND_EVENTS,
    Acknowledge,
    AddComment,
    Advance,
    Archive,
    Assign,
    Cancel,
    ChangeType,
    Classify,
    Close,
    Command,
    CommandContext,
    Comment,
    ComplaintType,
    ConfirmResolution,
    Escalate,
    EscalationKind,
    Hold,
    HoldReason,
    LinkSurvey,
    OpenTicket,
    RejectResolution,
    Reopen,
    Resolve,
    Resume,
    Role,
    Ticket,
    TicketEvent,
    TicketKind,
    Transfer,
    apply_event,
    decide,
    replay,
)
from itsm_core.tickets._fold import _DEFAULTS, TICKET
from itsm_core.workflow import StatusCategory

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
# One converter for every example (building one compiles its hooks anew: ~15 ms each).
CONVERTER = make_converter()

# -- the reference: the fold as it was, one validated ticket per event ------------------------


def _changes(ticket: Ticket | None, payload: Mapping[str, object]) -> dict[str, Any]:
    changes = dict(payload)
    comment = changes.pop("comment", None)
    if comment is not None:
        changes["comments"] = (*ticket.comments, comment) if ticket else (comment,)
    note = changes.pop("work_note", None)
    if note is not None:
        changes["work_notes"] = (*ticket.work_notes, note) if ticket else (note,)
    attributes = changes.get("attributes")
    if ticket is not None and isinstance(attributes, Mapping):
        changes["attributes"] = {**ticket.attributes, **attributes}
    return changes


def _misfit(event: TicketEvent, exc: Refused) -> InvalidEventStream:
    return InvalidEventStream(
        repr(event.ticket_id),
        [
            Problem(
                f"payload.{problem.path}" if problem.path else "payload",
                f"{problem.message} (event #{event.sequence})",
            )
            for problem in exc.problems
        ],
    )


def _start(event: TicketEvent) -> Ticket:
    problems = []
    if event.name != "open":
        problems.append(
            Problem("name", f"a ticket's stream starts with 'open', not {event.name!r}")
        )
    missing = [name for name in ("kind", "workflow", "requester") if name not in event.payload]
    if missing:
        problems.append(Problem("payload", f"an 'open' event sets {', '.join(missing)}"))
    if problems:
        raise InvalidEventStream(repr(event.ticket_id), problems)
    try:
        return Ticket(
            id=event.ticket_id,
            opened_at=event.at,
            opened_by=event.actor,
            state=event.to_state,
            status=event.to_status,
            version=event.sequence,
            updated_at=event.at,
            **_changes(None, event.payload),
        )
    except Refused as exc:
        raise _misfit(event, exc) from exc


def _evolve(ticket: Ticket, event: TicketEvent) -> Ticket:
    if event.from_state != ticket.state:
        raise InvalidEventStream(
            repr(ticket.id),
            [
                Problem(
                    "from_state",
                    f"{event.from_state!r} is not the state {ticket.state!r} "
                    f"(event #{event.sequence}, {event.name!r})",
                )
            ],
        )
    try:
        return attrs.evolve(
            ticket,
            state=event.to_state,
            status=event.to_status,
            version=event.sequence,
            updated_at=event.at,
            **_changes(ticket, event.payload),
        )
    except Refused as exc:
        raise _misfit(event, exc) from exc


REFERENCE: Aggregate[Ticket, TicketEvent] = Aggregate(name="ticket", start=_start, evolve=_evolve)
#: Today's fold one event at a time (``apply``), without the kernel's draft path.
ONE_BY_ONE: Aggregate[Ticket, TicketEvent] = Aggregate(
    name="ticket", start=TICKET.start, evolve=TICKET.evolve
)


# -- histories: random commands decided on every built-in workflow ---------------------------

# Strategies are built once (module constants, functools.cache): hypothesis validates a new
# strategy object on its first draw, and a history draws up to forty commands.
TEXT = st.sampled_from(["a", "b", "c"])
MAYBE_TEXT = st.none() | TEXT
ROLES = st.sampled_from([Role.MANAGER, Role.MANAGER, Role.CUSTOMER, *Role])
CODES = ["fixed", "fix_applied", "risk_accepted", "successful", "unsuccessful"]


def _advance(draw: st.DrawFn, workflow: str) -> Command:
    custom = [
        t for t in BUILTIN_WORKFLOWS.get(workflow).transitions if t.event not in COMMAND_EVENTS
    ]
    if not custom:
        return Advance(event="dance")
    transition = draw(st.sampled_from(custom))
    fields = {
        name: sorted(transition.field_choices.get(name, {f"{name}-ref"}))[0]
        for name in sorted(transition.required_fields - {"reason"})
    }
    return Advance(event=transition.event, fields=fields, reason="because")


@functools.cache
@st.composite
def commands(draw: st.DrawFn, workflow: str) -> Command:
    """A command, weighted towards moving the ticket along (cancel is rare: it ends a run)."""
    moves: list[Callable[[], Command]] = [
        lambda: Acknowledge(),
        lambda: Resolve(code=draw(st.sampled_from(CODES)), note="n"),
        lambda: ConfirmResolution(),
        lambda: Close(fields=draw(st.sampled_from([{}, {"review": "ok", "pir": [1, "x"]}]))),
        lambda: Reopen(reason="again"),
        lambda: RejectResolution(reason="no"),
        lambda: Archive(),
        lambda: _advance(draw, workflow),
        lambda: _advance(draw, workflow),
    ]
    sides: list[Callable[[], Command]] = [
        lambda: Classify(impact=draw(st.integers(1, 3)), priority=draw(st.integers(1, 5))),
        lambda: Classify(
            complaint_type=draw(st.sampled_from(ComplaintType)),
            response_level=draw(st.integers(1, 3)),
        ),
        lambda: Assign(group=draw(TEXT), assignee=draw(MAYBE_TEXT)),
        lambda: Transfer(reason="r", group=draw(TEXT)),
        lambda: Escalate(kind=EscalationKind.FUNCTIONAL, reason="r", group=draw(MAYBE_TEXT)),
        lambda: Escalate(kind=EscalationKind.HIERARCHICAL, reason="r"),
        lambda: AddComment(text=draw(TEXT), internal=draw(st.booleans())),
        lambda: Hold(reason=draw(st.sampled_from(HoldReason))),
        lambda: Resume(),
        lambda: LinkSurvey(survey=draw(TEXT)),
    ]
    bucket = draw(st.integers(0, 99))
    if bucket == 0:
        return Cancel(reason="dup")
    return draw(st.sampled_from(moves if bucket < 60 else sides))()


KINDS = [
    (TicketKind.INCIDENT, None),
    (TicketKind.SERVICE_REQUEST, None),
    (TicketKind.COMPLAINT, None),
    (TicketKind.PROBLEM, None),
    (TicketKind.CHANGE, ChangeType.NORMAL),
    (TicketKind.CHANGE, ChangeType.EMERGENCY),
    (TicketKind.MAJOR_INCIDENT, None),
]


@st.composite
def histories(draw: st.DrawFn) -> list[TicketEvent]:
    """The events of one ticket: an opening, then the commands a workflow accepted."""
    kind, change_type = draw(st.sampled_from(KINDS))
    opening = OpenTicket(
        ticket_id="T-1",
        kind=kind,
        requester="bob",
        change_type=change_type,
        symptom=draw(MAYBE_TEXT),
        attributes={"affects_customer_business": True, "plan_confirmation": "p"}
        if change_type
        else {},
    )
    now = T0
    ticket, events = decide(None, opening, CommandContext(actor="ana", role="agent", now=now))
    trail = list(events)
    for _ in range(draw(st.integers(0, 40))):
        command = draw(commands(ticket.workflow))
        role = draw(ROLES)
        now += dt.timedelta(minutes=draw(st.integers(0, 600)))
        try:
            ticket, events = decide(ticket, command, CommandContext(actor="x", role=role, now=now))
        except CommandRejected:
            continue
        trail.extend(events)
    return trail


# -- broken streams ---------------------------------------------------------------------------

ELSEWHERE = Comment(at=T0, author="eve", role="agent", text="late")

#: Ways to break one event of a stream (each builds a valid event: the stream is what breaks).
BREAKS: dict[str, Callable[[TicketEvent], TicketEvent]] = {
    "sequence+1": lambda e: attrs.evolve(e, sequence=e.sequence + 1),
    "sequence-1": lambda e: attrs.evolve(e, sequence=max(1, e.sequence - 1)),
    "other ticket": lambda e: attrs.evolve(e, ticket_id="T-2"),
    "other state": lambda e: attrs.evolve(
        e, from_state="resolved", from_status=StatusCategory.RESOLVED
    ),
    "no from_state": lambda e: attrs.evolve(e, from_state=None, from_status=None),
    "named open": lambda e: attrs.evolve(e, name="open"),
    "named comment": lambda e: attrs.evolve(e, name="comment"),
    "empty requester": lambda e: attrs.evolve(e, payload={**e.payload, "requester": ""}),
    "empty workflow": lambda e: attrs.evolve(e, payload={**e.payload, "workflow": ""}),
    "negative reopens": lambda e: attrs.evolve(e, payload={**e.payload, "reopen_count": -1}),
    "two problems": lambda e: attrs.evolve(
        e, payload={**e.payload, "reopen_count": -2, "workflow": "", "priority": 1}
    ),
    "no payload": lambda e: attrs.evolve(e, payload={}),
    "new requester": lambda e: attrs.evolve(e, payload={**e.payload, "requester": "zoe"}),
    "more": lambda e: attrs.evolve(
        e, payload={**e.payload, "attributes": {"x": [1]}, "work_note": ELSEWHERE}
    ),
}


def outcome(fold: Callable[..., Ticket | None], *args: object) -> object:
    """What ``fold(*args)`` gives: the ticket, or the error's type and message (what both folds
    must agree on)."""
    try:
        return fold(*args)
    except ItsmError as exc:
        return type(exc), str(exc)


@given(events=histories(), data=st.data())
def test_the_fold_equals_the_former_fold_on_decided_histories(
    events: list[TicketEvent], data: st.DataObject
) -> None:
    ticket = replay(events)
    assert ticket == REFERENCE.replay(events) == ONE_BY_ONE.replay(events)
    cut = data.draw(st.integers(1, len(events)))
    start = REFERENCE.replay(events[:cut])
    assert TICKET.fold(start, events[cut:]) == ticket
    # The ticket is a valid one: its own constructor accepts every value, to the same ticket.
    assert Ticket(**attrs.asdict(ticket, recurse=False)) == ticket
    assert isinstance(ticket.attributes, types.MappingProxyType)


@given(events=histories(), data=st.data())
def test_a_broken_stream_fails_as_the_former_fold_failed(
    events: list[TicketEvent], data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(events) - 1))
    broken = list(events)
    broken[index] = data.draw(st.sampled_from(sorted(BREAKS)).map(BREAKS.get))(events[index])  # type: ignore[misc]
    if data.draw(st.booleans()):
        del broken[data.draw(st.integers(0, len(events) - 1))]
    expected = outcome(REFERENCE.replay, broken)
    assert outcome(replay, broken) == expected
    assert outcome(ONE_BY_ONE.replay, broken) == expected
    cut = data.draw(st.integers(1, len(events)))
    if cut <= index:  # the break lies in what is folded onto a good state
        start = replay(events[:cut])
        expected = outcome(REFERENCE.fold, start, broken[cut:])
        assert outcome(TICKET.fold, start, broken[cut:]) == expected


def _life() -> list[TicketEvent]:
    """A long incident life: every kind of payload (comments, notes, a reopen, attributes)."""
    steps: list[tuple[Role, Command]] = [
        (Role.AGENT, Classify(impact=2, urgency=2, priority=3, explanation=["matrix"])),
        (Role.AGENT, Assign(group="network", assignee="ana")),
        (Role.AGENT, Acknowledge()),
        (Role.AGENT, AddComment(text="looking into it")),
        (Role.AGENT, Hold(reason=HoldReason.AWAITING_CUSTOMER)),
        (Role.CUSTOMER, AddComment(text="here is the log")),
        (Role.CUSTOMER, Resume()),
        (Role.AGENT, AddComment(text="found it", internal=True)),
        (Role.AGENT, Escalate(kind=EscalationKind.FUNCTIONAL, reason="deep", group="l2")),
        (Role.AGENT, Resolve(code="fixed", note="restarted the service")),
        (Role.CUSTOMER, RejectResolution(reason="it came back")),
        (Role.AGENT, Classify(priority=2)),
        (Role.AGENT, Resolve(code="fixed", note="replaced the disk")),
        (Role.CUSTOMER, ConfirmResolution()),
        (Role.AGENT, Archive()),
    ]
    opening = OpenTicket(
        ticket_id="T-1",
        kind=TicketKind.INCIDENT,
        requester="bob",
        symptom="slow",
        attributes={"site": "lyon", "tags": ["a"]},
    )
    ticket, events = decide(None, opening, CommandContext(actor="ana", role="agent", now=T0))
    trail = list(events)
    for minutes, (role, command) in enumerate(steps, start=1):
        ctx = CommandContext(actor="x", role=role, now=T0 + dt.timedelta(minutes=minutes))
        ticket, events = decide(ticket, command, ctx)
        trail.extend(events)
    assert ticket.archived
    assert ticket.reopen_count == 1
    return trail


LIFE = _life()


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_every_break_of_every_event_of_a_long_life_fails_as_before(name: str) -> None:
    assert replay(LIFE) == REFERENCE.replay(LIFE)
    for index, event in enumerate(LIFE):
        broken = [*LIFE[:index], BREAKS[name](event), *LIFE[index + 1 :]]
        expected = outcome(REFERENCE.replay, broken)
        assert outcome(replay, broken) == expected, (name, index)
        if index:
            start = replay(LIFE[:index])
            expected = outcome(REFERENCE.fold, start, broken[index:])
            assert outcome(TICKET.fold, start, broken[index:]) == expected, (name, index)


@given(events=histories())
def test_decided_events_are_the_events_their_own_checks_accept(events: list[TicketEvent]) -> None:
    # decide builds its events without checking them again; building them anew checks every
    # value and gives the same events, and so does loading their plain form.
    for event in events:
        fields = {field.name: getattr(event, field.name) for field in attrs.fields(TicketEvent)}
        assert TicketEvent(**fields) == event
        assert CONVERTER.structure(CONVERTER.unstructure(event), TicketEvent) == event
        assert isinstance(event.payload, types.MappingProxyType)
        assert isinstance(event.flags, frozenset)


def test_a_fold_leaves_the_ticket_it_starts_from_as_it_was() -> None:
    ctx = CommandContext(actor="ana", role="agent", now=T0)
    opening = OpenTicket(ticket_id="T-9", kind=TicketKind.INCIDENT, requester="bob")
    ticket, _ = decide(None, opening, ctx)
    before = attrs.asdict(ticket, recurse=False)
    later, events = decide(ticket, AddComment(text="hi"), ctx)
    assert attrs.asdict(ticket, recurse=False) == before
    assert ticket.comments == ()
    assert later.comments[0].text == "hi"
    assert apply_event(ticket, events[0]) == later
    assert TICKET.fold(ticket, events) == later
    assert attrs.asdict(ticket, recurse=False) == before


def test_the_defaults_of_the_fold_are_the_tickets_own() -> None:
    required = {f.name for f in attrs.fields(Ticket) if f.default is attrs.NOTHING}
    ticket = Ticket(
        id="T",
        kind=TicketKind.INCIDENT,
        workflow="incident",
        state="new",
        status=StatusCategory.NEW,
        version=1,
        opened_at=T0,
        opened_by="ana",
        updated_at=T0,
        requester="bob",
    )
    defaults = {k: v for k, v in attrs.asdict(ticket, recurse=False).items() if k not in required}
    assert dict(_DEFAULTS) == defaults
    assert {k: type(v) for k, v in _DEFAULTS.items()} == {k: type(v) for k, v in defaults.items()}


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"requester": ""}, r"payload\.requester: must not be empty \(event #3\)"),
        ({"workflow": ""}, r"payload\.workflow: must not be empty \(event #3\)"),
        ({"reopen_count": -1}, r"payload\.reopen_count: must not be negative \(event #3\)"),
    ],
)
def test_a_value_the_ticket_refuses_is_refused_by_the_fold(
    payload: dict[str, Any], message: str
) -> None:
    ctx = CommandContext(actor="ana", role="agent", now=T0)
    opening = OpenTicket(ticket_id="T-9", kind=TicketKind.INCIDENT, requester="bob")
    ticket, events = decide(None, opening, ctx)
    ticket, more = decide(ticket, AddComment(text="hi"), ctx)
    bad = attrs.evolve(more[0], sequence=3, payload=payload)
    stream = [*events, *more, attrs.evolve(more[0], sequence=3, payload={}), bad]
    stream[3] = attrs.evolve(bad, sequence=4)
    with pytest.raises(InvalidEventStream, match=message.replace("#3", "#4")):
        replay(stream)
    with pytest.raises(InvalidEventStream, match=message):
        apply_event(ticket, bad)
