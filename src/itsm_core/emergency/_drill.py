"""Drills (定期组织演练): scheduled on the business calendar, held and recorded with findings
that open improvement cycles; the Drill aggregate."""

from __future__ import annotations

import calendar as _months
import datetime as dt
import enum
import types
from collections.abc import Mapping
from typing import ClassVar

import attrs

from itsm_core._checks import check_aware, check_aware_fields, is_int
from itsm_core._plain import blank_problem, is_a, is_text, shown, tuple_or_given
from itsm_core.calendar import BusinessTime
from itsm_core.emergency._plan import EmergencyPlan
from itsm_core.errors import CommandRejected, InvalidEventStream, Problem, ValidationError
from itsm_core.improvement import StartCycle, from_drill_finding
from itsm_core.kernel import Aggregate, Context, Decision


class DrillState(enum.StrEnum):
    """Where a drill stands."""

    SCHEDULED = "scheduled"
    HELD = "held"
    CANCELLED = "cancelled"


def _text_problems(subject: object, *names: str) -> list[Problem]:
    found = [blank_problem(getattr(subject, name), name) for name in names]
    return [problem for problem in found if problem is not None]


@attrs.frozen(kw_only=True)
class DrillFinding:
    """What the drill showed should improve: an id unique in the drill and a description."""

    finding_id: str
    description: str

    def __attrs_post_init__(self) -> None:
        problems = _text_problems(self, "finding_id", "description")
        if problems:
            raise ValidationError("DrillFinding", problems)


@attrs.frozen(kw_only=True)
class ScheduleDrill:
    """Plan a drill of ``plan_id`` on ``scenario`` at ``planned_at`` (aware)."""

    drill_id: str
    plan_id: str
    scenario: str
    planned_at: dt.datetime

    def __attrs_post_init__(self) -> None:
        problems = _text_problems(self, "drill_id", "plan_id", "scenario")
        if problems:
            raise ValidationError("ScheduleDrill", problems)
        check_aware(self.planned_at, "ScheduleDrill.planned_at")


@attrs.frozen(kw_only=True)
class RescheduleDrill:
    """Move a scheduled drill to ``planned_at``."""

    planned_at: dt.datetime

    def __attrs_post_init__(self) -> None:
        check_aware(self.planned_at, "RescheduleDrill.planned_at")


@attrs.frozen(kw_only=True)
class RecordDrill:
    """The drill was held (at the context's ``now``): who took part and what it found (an
    empty list when it found nothing to improve)."""

    participants: tuple[str, ...] = attrs.field(converter=tuple_or_given)
    findings: tuple[DrillFinding, ...] = attrs.field(default=(), converter=tuple_or_given)

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        if not is_a(self.participants, tuple) or not self.participants:
            message = f"give who took part, got {shown(self.participants)}"
            problems.append(Problem("participants", message))
        else:
            problems.extend(
                Problem(f"participants[{i}]", f"expected a name, got {shown(who)}")
                for i, who in enumerate(self.participants)
                if not is_text(who)
            )
        ids: set[str] = set()
        findings = self.findings if is_a(self.findings, tuple) else ()
        if not is_a(self.findings, tuple):
            problems.append(Problem("findings", f"expected a list, got {shown(self.findings)}"))
        for i, finding in enumerate(findings):
            if not is_a(finding, DrillFinding):
                message = f"expected a DrillFinding, got {shown(finding)}"
                problems.append(Problem(f"findings[{i}]", message))
            elif finding.finding_id in ids:
                message = f"repeated finding {shown(finding.finding_id)}"
                problems.append(Problem(f"findings[{i}].finding_id", message))
            else:
                ids.add(finding.finding_id)
        if problems:
            raise ValidationError("RecordDrill", problems)


@attrs.frozen(kw_only=True)
class CancelDrill:
    """The drill will not be held, and why."""

    reason: str

    def __attrs_post_init__(self) -> None:
        problems = _text_problems(self, "reason")
        if problems:
            raise ValidationError("CancelDrill", problems)


DrillCommand = ScheduleDrill | RescheduleDrill | RecordDrill | CancelDrill

# The one table: each command, its event name and the state it moves to (None: stays).
_TABLE: dict[type, tuple[str, DrillState]] = {
    ScheduleDrill: ("scheduled", DrillState.SCHEDULED),
    RescheduleDrill: ("rescheduled", DrillState.SCHEDULED),
    RecordDrill: ("held", DrillState.HELD),
    CancelDrill: ("cancelled", DrillState.CANCELLED),
}


@attrs.frozen(kw_only=True)
class DrillEvent:
    """A command the drill accepted, when and by whom; ``name`` from the commands' table
    (``"scheduled"``, ``"rescheduled"``, ``"held"``, ``"cancelled"``); :attr:`COMMANDS` maps each
    name to its command class (the wire format tags the command with it)."""

    #: The command class of each event name, from the commands' table.
    COMMANDS: ClassVar[Mapping[str, type]] = types.MappingProxyType(
        {name: command for command, (name, _) in _TABLE.items()}
    )

    drill_id: str
    sequence: int
    at: dt.datetime
    actor: str
    command: DrillCommand

    def __attrs_post_init__(self) -> None:
        check_aware_fields(self, "at")

    @property
    def stream_id(self) -> str:
        """The id of the drill's event stream."""
        return self.drill_id

    @property
    def name(self) -> str:
        """The event's name."""
        return _TABLE[type(self.command)][0]


@attrs.frozen(kw_only=True)
class Drill:
    """One drill of an emergency plan, as of its last event (:func:`decide_drill` changes it,
    ``DRILL.replay(events)`` rebuilds it)."""

    drill_id: str
    version: int
    state: DrillState
    plan_id: str
    scenario: str
    planned_at: dt.datetime
    held_at: dt.datetime | None = None
    participants: tuple[str, ...] = ()
    findings: tuple[DrillFinding, ...] = ()
    cancel_reason: str | None = None

    @property
    def stream_id(self) -> str:
        """The id of the drill's event stream."""
        return self.drill_id

    def improvement_cycles(self, owner: str) -> tuple[StartCycle, ...]:
        """The PDCA cycles the findings open, one per finding, with the drill finding as the
        source (``from_drill_finding``); ids ``<drill>-<finding>``. Empty before it is held."""
        return tuple(
            StartCycle(
                cycle_id=f"{self.drill_id}-{finding.finding_id}",
                title=finding.description,
                owner=owner,
                source=from_drill_finding(self.drill_id, finding.finding_id, finding.description),
            )
            for finding in self.findings
        )


def _start(event: DrillEvent) -> Drill:
    command = event.command
    if not isinstance(command, ScheduleDrill):
        raise InvalidEventStream(
            repr(event.drill_id), [Problem("[0]", "a drill starts with 'scheduled'")]
        )
    return Drill(
        drill_id=event.drill_id,
        version=event.sequence,
        state=DrillState.SCHEDULED,
        plan_id=command.plan_id,
        scenario=command.scenario,
        planned_at=command.planned_at,
    )


def _evolve(drill: Drill, event: DrillEvent) -> Drill:
    command = event.command
    state = _TABLE[type(command)][1]
    if isinstance(command, RescheduleDrill):
        return attrs.evolve(drill, version=event.sequence, planned_at=command.planned_at)
    if isinstance(command, RecordDrill):
        return attrs.evolve(
            drill,
            version=event.sequence,
            state=state,
            held_at=event.at,
            participants=command.participants,
            findings=command.findings,
        )
    if isinstance(command, CancelDrill):
        return attrs.evolve(
            drill, version=event.sequence, state=state, cancel_reason=command.reason
        )
    raise InvalidEventStream(repr(drill.drill_id), [Problem("command", "scheduled twice")])


DRILL: Aggregate[Drill, DrillEvent] = Aggregate(name="drill", start=_start, evolve=_evolve)
"""The drill aggregate for the kernel: ``DRILL.replay(events)`` rebuilds one."""


def decide_drill(
    drill: Drill | None, command: DrillCommand, context: Context
) -> Decision[Drill, DrillEvent]:
    """Apply ``command`` to ``drill`` (None before :class:`ScheduleDrill`): the new drill and
    its event. Only a scheduled drill is rescheduled, held or cancelled.

    Raises:
        CommandRejected: a command in a state that does not take it, a drill that exists.
        ValidationError: not a drill command.
    """
    entry = _TABLE.get(type(command))
    if entry is None:
        raise ValidationError(
            "decide_drill", [Problem("command", f"{shown(command)} is not a drill command")]
        )
    name = entry[0]
    if drill is None:
        if not isinstance(command, ScheduleDrill):
            raise CommandRejected(name, ["no drill: schedule one first"])
        first = DrillEvent(
            drill_id=command.drill_id,
            sequence=1,
            at=context.now,
            actor=context.actor,
            command=command,
        )
        return DRILL.decided(None, [first])
    if isinstance(command, ScheduleDrill):
        reason = f"drill {drill.drill_id!r} already exists"
        raise CommandRejected(name, [reason], state=drill.state.value)
    if drill.state is not DrillState.SCHEDULED:
        reason = f"{name} is not allowed in state {drill.state.value!r} (only scheduled)"
        raise CommandRejected(name, [reason], state=drill.state.value)
    event = DrillEvent(
        drill_id=drill.drill_id,
        sequence=drill.version + 1,
        at=context.now,
        actor=context.actor,
        command=command,
    )
    return DRILL.decided(drill, [event])


def add_months(when: dt.datetime, months: int) -> dt.datetime:
    """``when`` moved by whole calendar ``months``, its day kept or cut to the month's last.

    >>> add_months(dt.datetime(2026, 1, 31, 10, tzinfo=dt.UTC), 1).date()
    datetime.date(2026, 2, 28)
    """
    index = when.year * 12 + when.month - 1 + months
    year, month = divmod(index, 12)
    day = min(when.day, _months.monthrange(year, month + 1)[1])
    return when.replace(year=year, month=month + 1, day=day)


def schedule_drills(
    plan: EmergencyPlan, calendar: BusinessTime, *, first: dt.datetime, count: int
) -> tuple[ScheduleDrill, ...]:
    """The next ``count`` drills of ``plan``, every ``plan.drill_every_months`` months from
    ``first``, each moved to the next working moment of ``calendar`` (a drill falling on a
    holiday is held on the next working day). Ids are ``<plan>-D1``, ``-D2``...

    Raises:
        CalendarCoverageError: a drill date beyond the calendar's holiday data.
        ValidationError: a naive ``first``, or ``count`` not from 1 to 100.

    >>> from itsm_core.calendar import TWENTY_FOUR_SEVEN
    >>> from itsm_core.emergency import ResponseStep
    >>> plan = EmergencyPlan(plan_id="EP-1", title="Outage", event_types={"outage"},
    ...     likelihood=3, severity=1, owner="ops", review_by=dt.date(2026, 6, 30),
    ...     roles={"lead": "ops"}, drill_every_months=6,
    ...     response_flow=[ResponseStep(name="call", role="lead", within=dt.timedelta(0))])
    >>> first = dt.datetime(2026, 3, 10, 14, tzinfo=dt.UTC)
    >>> [d.planned_at.date().isoformat() for d in schedule_drills(plan, TWENTY_FOUR_SEVEN,
    ...                                                            first=first, count=3)]
    ['2026-03-10', '2026-09-10', '2027-03-10']
    """
    check_aware(first, "schedule_drills.first")
    if not is_int(count) or not 1 <= count <= 100:
        raise ValidationError(
            "schedule_drills", [Problem("count", f"expected 1 to 100, got {shown(count)}")]
        )
    return tuple(
        ScheduleDrill(
            drill_id=f"{plan.plan_id}-D{k + 1}",
            plan_id=plan.plan_id,
            scenario=plan.title,
            planned_at=calendar.next_working(add_months(first, k * plan.drill_every_months)),
        )
        for k in range(count)
    )
