"""Hypothesis strategies for the domain types: valid values, built through the public API.

Each strategy draws values that satisfy the type's own validation (so it exercises storage
and serialisation, not error paths). They are deliberately varied where storage can go wrong:
time zones with daylight saving, offsets like +05:30, Chinese text, empty and nested payloads,
optional fields left out.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from typing import Any

import attrs
from hypothesis import strategies as st

from itsm_core.calendar import BusinessCalendar
from itsm_core.errors import CommandRejected
from itsm_core.improvement import (
    CYCLE,
    NONCONFORMITY,
    Abandon,
    ActionItem,
    ActionStatus,
    ActionUpdate,
    AdvancePhase,
    AnalyseNonconformity,
    CloseNonconformity,
    ContinueWith,
    CycleEvent,
    CycleModel,
    Direction,
    EffectivenessReview,
    Fishbone,
    FiveWhys,
    ImplementCorrectiveAction,
    ImprovementCycle,
    ImprovementSource,
    KpiKind,
    MeasuredResult,
    Measurement,
    Nonconformity,
    NonconformityEvent,
    ProblemStatement,
    RaiseNonconformity,
    ReanalyseNonconformity,
    Record,
    RecordCause,
    RecordCorrection,
    RecordCorrectiveAction,
    RecordEffectivenessReview,
    SourceKind,
    Standard,
    Standardise,
    StartCycle,
    Target,
    Vision,
    Why,
    decide_cycle,
    decide_nonconformity,
)
from itsm_core.kernel import Context
from itsm_core.priority import (
    ITIL_MATRIX,
    ITIL_POLICY,
    MATRIX_5X5,
    SERVICENOW_MATRIX,
    GradingMatrix,
    PriorityDecision,
    PriorityPolicy,
    PriorityScale,
)
from itsm_core.satisfaction import (
    FIVE_POINT,
    SEVEN_POINT,
    YES_NO,
    ZERO_TO_TEN,
    Question,
    Survey,
    SurveyResponse,
)
from itsm_core.sla import STANDARD_POLICIES, SlaPolicy
from itsm_core.tickets import (
    ChangeType,
    Channel,
    Comment,
    ComplaintType,
    CustomerTier,
    HoldReason,
    SupportLevel,
    Ticket,
    TicketEvent,
    TicketKind,
)
from itsm_core.workflow import StatusCategory

_ZONES = (
    dt.UTC,
    dt.timezone(dt.timedelta(hours=5, minutes=30)),
    zoneinfo.ZoneInfo("Asia/Shanghai"),
    zoneinfo.ZoneInfo("Europe/London"),
    zoneinfo.ZoneInfo("America/New_York"),
)
_ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"
_TEXT_CHARS = "abcdefghijklmnopqrstuvwxyz ABCXYZ0123456789.,!?工单投诉处理回访满意度"

# The strategies without parameters are built once (functools.cache): hypothesis validates a
# strategy object on its first draw, so a composite that built new ones inside would pay that
# again on every draw of every example.


@functools.cache
def identifiers() -> st.SearchStrategy[str]:
    """Short non-empty ids (``"INC-0042"``-like)."""
    return st.text(alphabet=_ID_CHARS, min_size=1, max_size=10)


@functools.cache
def texts() -> st.SearchStrategy[str]:
    """Non-blank text with Latin and Chinese characters."""
    return st.text(alphabet=_TEXT_CHARS, min_size=1, max_size=20).filter(lambda s: s.strip())


@functools.cache
def aware_datetimes() -> st.SearchStrategy[dt.datetime]:
    """Aware datetimes in 2000-2099, in UTC, a fixed +05:30 offset or an IANA zone with DST."""
    return st.datetimes(
        min_value=dt.datetime(2000, 1, 1),
        max_value=dt.datetime(2099, 12, 31),
        timezones=st.sampled_from(_ZONES),
        allow_imaginary=False,
    )


@functools.cache
def json_values() -> st.SearchStrategy[Any]:
    """JSON-safe values: None, bools, ints, finite floats, text, lists and string-keyed dicts."""
    leaves = (
        st.none()
        | st.booleans()
        | st.integers(-(2**53), 2**53)
        | st.floats(allow_nan=False, allow_infinity=False)
        | texts()
    )
    return st.recursive(
        leaves,
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(identifiers(), inner, max_size=3)
        ),
        max_leaves=8,
    )


@functools.cache
def comments() -> st.SearchStrategy[Comment]:
    """Public comments or work notes."""
    return st.builds(
        Comment,
        at=aware_datetimes(),
        author=identifiers(),
        role=st.sampled_from(["agent", "customer", "supervisor"]),
        text=texts(),
    )


# Bounded: a caller may pass a strategy built anew on every draw.
@functools.lru_cache(maxsize=256)
def _optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


# Enumerations to draw from, built once (``sampled_from`` strategies are not reused by
# hypothesis itself).
_TICKET_KINDS = st.sampled_from(TicketKind)
_WORKFLOWS = st.sampled_from(["incident", "complaint", "service_request"])
_STATES = st.sampled_from(["new", "in_progress", "on_hold", "resolved", "closed"])
_STATUSES = st.sampled_from(StatusCategory)
_CHANNELS = st.sampled_from(Channel)
_TIERS = st.sampled_from(CustomerTier)
_COMPLAINT_TYPES = st.sampled_from(ComplaintType)
_RESPONSE_LEVELS = st.sampled_from([1, 2, 3])
_CHANGE_TYPES = st.sampled_from(ChangeType)
_SUPPORT_LEVELS = st.sampled_from(SupportLevel)
_HOLD_REASONS = st.sampled_from(HoldReason)


@st.composite
def tickets(draw: st.DrawFn) -> Ticket:
    """Tickets of every kind and state category, with optional fields set or left out."""
    opened = draw(aware_datetimes())
    level = st.integers(1, 5)
    return Ticket(
        id=draw(identifiers()),
        kind=draw(_TICKET_KINDS),
        workflow=draw(_WORKFLOWS),
        state=draw(_STATES),
        status=draw(_STATUSES),
        version=draw(st.integers(1, 500)),
        opened_at=opened,
        opened_by=draw(identifiers()),
        updated_at=draw(aware_datetimes()),
        requester=draw(identifiers()),
        channel=draw(_optional(_CHANNELS)),
        customer_tier=draw(_TIERS),
        symptom=draw(_optional(texts())),
        occurred_at=draw(_optional(aware_datetimes())),
        category=draw(_optional(texts())),
        impact=draw(_optional(level)),
        urgency=draw(_optional(level)),
        priority=draw(_optional(level)),
        priority_explanation=tuple(draw(st.lists(texts(), max_size=3))),
        complaint_type=draw(_optional(_COMPLAINT_TYPES)),
        response_level=draw(_optional(_RESPONSE_LEVELS)),
        change_type=draw(_optional(_CHANGE_TYPES)),
        assignee=draw(_optional(identifiers())),
        support_level=draw(_SUPPORT_LEVELS),
        management_involved=draw(st.booleans()),
        hold_reason=draw(_optional(_HOLD_REASONS)),
        comments=tuple(draw(st.lists(comments(), max_size=2))),
        work_notes=tuple(draw(st.lists(comments(), max_size=2))),
        resolved_at=draw(_optional(aware_datetimes())),
        first_contact_resolution=draw(_optional(st.booleans())),
        reopen_count=draw(st.integers(0, 5)),
        archived=draw(st.booleans()),
        attributes=draw(st.dictionaries(identifiers(), json_values(), max_size=3)),
    )


@functools.cache
def ticket_payloads() -> st.SearchStrategy[dict[str, Any]]:
    """Event payloads: ticket fields of every type (text, ints, enums, aware datetimes, flags,
    explanations), a comment or work note, JSON attributes; each value of its field's type."""
    level = st.integers(1, 5)
    values: dict[str, st.SearchStrategy[Any]] = {
        "symptom": _optional(texts()),
        "assignment_group": _optional(identifiers()),
        "priority": _optional(level),
        "response_level": _optional(_RESPONSE_LEVELS),
        "reopen_count": st.integers(0, 5),
        "channel": _optional(_CHANNELS),
        "support_level": _SUPPORT_LEVELS,
        "hold_reason": _optional(_HOLD_REASONS),
        "resolved_at": _optional(aware_datetimes()),
        "management_involved": st.booleans(),
        "first_contact_resolution": _optional(st.booleans()),
        "priority_explanation": st.lists(texts(), max_size=2).map(tuple),
        "comment": comments(),
        "work_note": comments(),
        "attributes": st.dictionaries(identifiers(), json_values(), max_size=3),
    }
    return st.lists(st.sampled_from(sorted(values)), unique=True, max_size=4).flatmap(
        lambda keys: st.fixed_dictionaries({key: values[key] for key in keys})
    )


@st.composite
def ticket_events(draw: st.DrawFn, ticket_id: str | None = None) -> TicketEvent:
    """Ticket events (the audit trail records), with typed payloads and import flags."""
    first = draw(st.booleans())
    return TicketEvent(
        ticket_id=ticket_id if ticket_id is not None else draw(identifiers()),
        sequence=1 if first else draw(st.integers(2, 1000)),
        name="open" if first else draw(st.sampled_from(["assign", "hold", "resolve", "comment"])),
        at=draw(aware_datetimes()),
        actor=draw(identifiers()),
        role=draw(st.sampled_from(["agent", "customer", "system"])),
        from_state=None if first else "in_progress",
        from_status=None if first else StatusCategory.OPEN,
        to_state=draw(st.sampled_from(["new", "in_progress", "on_hold", "resolved"])),
        to_status=draw(st.sampled_from(StatusCategory)),
        payload=draw(ticket_payloads()),
        reason=draw(_optional(texts())),
        flags=draw(st.frozensets(st.sampled_from(["imported", "repeated_state", "out_of_order"]))),
    )


# -- priority -------------------------------------------------------------------------------


@st.composite
def grading_matrices(draw: st.DrawFn) -> GradingMatrix:
    """Total, monotone matrices of 2..5 rows and columns (``cell = min(k, 1 + a[r] + b[c])``
    with non-decreasing ``a`` and ``b``), or one of the built-in matrices."""
    if draw(st.booleans()):
        return draw(st.sampled_from([ITIL_MATRIX, MATRIX_5X5, SERVICENOW_MATRIX]))
    rows, columns, levels = (draw(st.integers(2, 5)) for _ in range(3))

    def steps(count: int) -> list[int]:
        increments = draw(st.lists(st.integers(0, 2), min_size=count - 1, max_size=count - 1))
        out = [0]
        for step in increments:
            out.append(out[-1] + step)
        return out

    a, b = steps(rows), steps(columns)
    return GradingMatrix(
        name=draw(identifiers()),
        rows=PriorityScale("impact", [f"I{i}" for i in range(1, rows + 1)]),
        columns=PriorityScale("urgency", [f"U{i}" for i in range(1, columns + 1)]),
        result=PriorityScale("priority", [f"P{i}" for i in range(1, levels + 1)]),
        cells=[[min(levels, 1 + a[r] + b[c]) for c in range(columns)] for r in range(rows)],
    )


def priority_policies() -> st.SearchStrategy[PriorityPolicy]:
    """The ITIL policy under other names and tier uplifts."""
    return st.builds(
        lambda name, vip: attrs.evolve(ITIL_POLICY, name=name, tiers={"standard": 0, "vip": vip}),
        identifiers(),
        st.integers(0, 2),
    )


def priority_decisions() -> st.SearchStrategy[PriorityDecision]:
    """Decisions of the ITIL policy for every impact, urgency and tier."""
    return st.builds(
        lambda i, u, tier, major: ITIL_POLICY.decide_levels(i, u, tier=tier, major_incident=major),
        st.integers(1, 3),
        st.integers(1, 3),
        st.sampled_from([None, "standard", "vip"]),
        st.booleans(),
    )


# -- satisfaction ---------------------------------------------------------------------------


@st.composite
def surveys(draw: st.DrawFn) -> Survey:
    """Surveys of 1..4 questions on the standard scales; a dimension shares one scale."""
    count = draw(st.integers(1, 4))
    ids = draw(st.lists(identifiers(), min_size=count, max_size=count, unique=True))
    questions = []
    for qid in ids:
        scale = draw(st.sampled_from([FIVE_POINT, SEVEN_POINT, ZERO_TO_TEN, YES_NO]))
        questions.append(
            Question(
                id=qid,
                text=draw(texts()),
                scale=scale,
                dimension=f"dim-{qid}" if draw(st.booleans()) else None,
                required=draw(st.booleans()),
            )
        )
    return Survey(draw(identifiers()), tuple(questions), title=draw(st.text(max_size=10)))


@st.composite
def survey_responses(draw: st.DrawFn, survey: Survey | None = None) -> SurveyResponse:
    """Valid responses to ``survey`` (or to a drawn one)."""
    target = survey if survey is not None else draw(surveys())
    answers: dict[str, int | bool | None] = {}
    for question in target.questions:
        if question.scale.yes_no:
            value: int | bool | None = draw(st.booleans())
        else:
            value = draw(st.integers(question.scale.low, question.scale.high))
        answers[question.id] = None if not question.required and draw(st.booleans()) else value
    return target.response(draw(identifiers()), answers, ticket_id=draw(_optional(identifiers())))


# -- improvement ----------------------------------------------------------------------------


@st.composite
def measurements(
    draw: st.DrawFn, kpi: str | None = None, kind: KpiKind | None = None, unit: str | None = None
) -> Measurement:
    """Measurements of a KPI over a period: proportions, means (with a deviation) or values.

    Give ``kpi``, ``kind`` and ``unit`` to draw comparable measurements (a baseline and a
    Check result).
    """
    start = draw(aware_datetimes())
    end = start + dt.timedelta(days=draw(st.integers(1, 90)))
    name = kpi if kpi is not None else draw(identifiers())
    chosen = kind if kind is not None else draw(st.sampled_from(KpiKind))
    if chosen is KpiKind.PROPORTION:
        n = draw(st.integers(1, 500))
        return Measurement.proportion(
            name, draw(st.integers(0, n)), n, period_start=start, period_end=end
        )
    finite = st.floats(-1e6, 1e6, allow_nan=False)
    return Measurement(
        kpi=name,
        value=draw(finite),
        n=draw(st.integers(2, 500)),
        period_start=start,
        period_end=end,
        kind=chosen,
        unit=unit if unit is not None else draw(st.sampled_from(["", "h", "tickets"])),
        standard_deviation=draw(_optional(st.floats(0, 1e3))) if chosen is KpiKind.MEAN else None,
    )


def targets(kpi: str | None = None) -> st.SearchStrategy[Target]:
    """Targets: a KPI value to reach by a date, and which way is better."""
    return st.builds(
        Target,
        kpi=st.just(kpi) if kpi is not None else identifiers(),
        value=st.floats(-1e6, 1e6, allow_nan=False),
        direction=st.sampled_from(Direction),
        due=aware_datetimes(),
    )


@st.composite
def action_items(draw: st.DrawFn) -> ActionItem:
    """Action items in every status (done ones carry their completion time)."""
    status = draw(st.sampled_from(ActionStatus))
    return ActionItem(
        action_id=draw(identifiers()),
        description=draw(texts()),
        owner=draw(identifiers()),
        due=draw(aware_datetimes()),
        status=status,
        completed_at=draw(aware_datetimes()) if status is ActionStatus.DONE else None,
        evidence=draw(_optional(texts())),
    )


def improvement_sources() -> st.SearchStrategy[ImprovementSource]:
    """Where a cycle comes from."""
    return st.builds(
        ImprovementSource,
        kind=st.sampled_from(SourceKind),
        reference=identifiers(),
        detail=st.text(max_size=10),
    )


def effectiveness_reviews() -> st.SearchStrategy[EffectivenessReview]:
    """Effectiveness reviews of a corrective action."""
    return st.builds(
        EffectivenessReview,
        reviewed_at=aware_datetimes(),
        reviewer=identifiers(),
        effective=st.booleans(),
        finding=texts(),
    )


def _root_causes() -> st.SearchStrategy[FiveWhys | Fishbone]:
    whys = st.lists(st.builds(Why, why=texts(), because=texts()), min_size=1, max_size=5)
    causes = st.dictionaries(
        texts(), st.lists(texts(), min_size=1, max_size=3), min_size=1, max_size=3
    )
    return st.builds(FiveWhys, chain=whys, root_cause=texts()) | st.builds(
        Fishbone, causes=causes, root_cause=texts()
    )


def _later(start: dt.datetime, seconds: int) -> dt.datetime:
    """``start`` plus ``seconds`` of physical time, in ``start``'s zone (never an imaginary
    wall time across a daylight-saving gap)."""
    return (start.astimezone(dt.UTC) + dt.timedelta(seconds=seconds)).astimezone(start.tzinfo)


# Built once: a strategy built inside a composite is validated again on every draw.
_STEP = st.integers(0, 3 * 86_400)
_ID = identifiers()
_TEXT = texts()
_MAYBE_TEXT = _optional(_TEXT)
_MAYBE_ID = _optional(_ID)
_WHEN = aware_datetimes()
_EVIDENCE = st.lists(_TEXT, min_size=1, max_size=3)
_ROOT_CAUSE = _root_causes()
_MAYBE_SOURCE = _optional(improvement_sources())
_KINDS = st.sampled_from([KpiKind.PROPORTION, KpiKind.VALUE])
_MODELS = st.sampled_from(CycleModel)


@st.composite
def _cycle_histories(draw: st.DrawFn) -> tuple[CycleEvent, ...]:
    """The events of a cycle driven through :func:`decide_cycle` and stopped at any step
    (sometimes abandoned there): a start with or without a source, every artefact of its model
    (PDCA or ITIL 4), an action update, a judged Check record, and a standard or a
    continuation."""
    kpi, kind, model, cycle_id = draw(_ID), draw(_KINDS), draw(_MODELS), draw(_ID)
    previous = draw(_MAYBE_ID)
    baseline = draw(measurements(kpi, kind, ""))
    later = draw(measurements(kpi, kind, ""))
    span = later.period_end - later.period_start
    start = _later(baseline.period_end, draw(_STEP))
    after = attrs.evolve(later, period_start=start, period_end=start + span)
    action = ActionItem(
        action_id=draw(_ID), description=draw(_TEXT), owner=draw(_ID), due=draw(_WHEN)
    )
    update = ActionUpdate(
        action_id=action.action_id,
        status=ActionStatus.DONE,
        at=draw(_WHEN),
        evidence=draw(_MAYBE_TEXT),
    )
    opening: list[Any] = [Record(Vision(draw(_TEXT))), AdvancePhase()]
    plan: list[Any] = [
        Record(ProblemStatement(draw(_TEXT))),
        Record(baseline),
        *([AdvancePhase()] if model is CycleModel.ITIL4 else []),
        Record(draw(targets(kpi))),
        *([AdvancePhase()] if model is CycleModel.ITIL4 else []),
        Record(draw(_ROOT_CAUSE)),
        Record(action),
    ]
    commands: list[Any] = [
        StartCycle(
            cycle_id=cycle_id,
            title=draw(_TEXT),
            owner=draw(_ID),
            model=model,
            source=draw(_MAYBE_SOURCE),
            previous_cycle=None if previous == cycle_id else previous,
        ),
        *(opening if model is CycleModel.ITIL4 else []),
        *plan,
        AdvancePhase(),
        Record(update),
        AdvancePhase(),
        Record(MeasuredResult(result=after, evidence=draw(_EVIDENCE))),
        AdvancePhase(),
        Standardise(Standard(description=draw(_TEXT), reference=draw(_MAYBE_TEXT)))
        if draw(st.booleans())
        else ContinueWith(next_cycle_id=f"{cycle_id}-next", reason=draw(_TEXT)),
    ]
    commands = commands[: draw(st.integers(1, len(commands)))]
    if draw(st.booleans()):
        commands.append(Abandon(draw(_TEXT)))
    first, step, actor = draw(_WHEN), draw(_STEP), draw(_ID)
    cycle: ImprovementCycle | None = None
    events: list[CycleEvent] = []
    for index, command in enumerate(commands):
        context = Context(actor=actor, role="member", now=_later(first, index * step))
        try:
            cycle, new = decide_cycle(cycle, command, context)
        except CommandRejected:  # standardising a target not met, abandoning a closed cycle
            continue
        events.extend(new)
    return tuple(events)


@st.composite
def improvement_cycles(draw: st.DrawFn) -> ImprovementCycle:
    """Cycles in every phase of both models, as the events of a drawn history fold them."""
    return CYCLE.replay(draw(_cycle_histories()))


@st.composite
def cycle_events(draw: st.DrawFn) -> CycleEvent:
    """Cycle events carrying each kind of change (a start command, an artefact, a judged Check
    record, a standard, nothing), taken from a drawn history."""
    return draw(st.sampled_from(draw(_cycle_histories())))


@st.composite
def _nonconformity_histories(draw: st.DrawFn) -> tuple[NonconformityEvent, ...]:
    """The events of a nonconformity driven through :func:`decide_nonconformity` and stopped
    at any step: raised, corrected, analysed with or without corrective action, sometimes found
    ineffective once, reviewed and closed."""
    required = draw(st.booleans())
    done = ActionItem(
        action_id=draw(_ID),
        description=draw(_TEXT),
        owner=draw(_ID),
        due=draw(_WHEN),
        status=ActionStatus.DONE,
        completed_at=draw(_WHEN),
        evidence=draw(_MAYBE_TEXT),
    )
    commands: list[Any] = [
        RaiseNonconformity(nc_id=draw(_ID), description=draw(_TEXT)),
        RecordCorrection(draw(_TEXT)),
        RecordCause(root_cause=draw(_TEXT), corrective_action_required=required),
        AnalyseNonconformity(),
        *([RecordCorrectiveAction(done)] if required else []),
        ImplementCorrectiveAction(),
    ]
    if draw(st.booleans()):
        weak = EffectivenessReview(
            reviewed_at=draw(_WHEN), reviewer=draw(_ID), effective=False, finding=draw(_TEXT)
        )
        commands += [
            RecordEffectivenessReview(review=weak),
            ReanalyseNonconformity(),
            ImplementCorrectiveAction(),
        ]
    good = EffectivenessReview(
        reviewed_at=draw(_WHEN), reviewer=draw(_ID), effective=True, finding=draw(_TEXT)
    )
    commands += [
        RecordEffectivenessReview(review=good, sms_change_ref=draw(_MAYBE_ID)),
        CloseNonconformity(),
    ]
    commands = commands[: draw(st.integers(1, len(commands)))]
    first, step, actor = draw(_WHEN), draw(_STEP), draw(_ID)
    nc: Nonconformity | None = None
    events: list[NonconformityEvent] = []
    for index, command in enumerate(commands):
        context = Context(actor=actor, role="member", now=_later(first, index * step))
        nc, new = decide_nonconformity(nc, command, context)
        events.extend(new)
    return tuple(events)


@st.composite
def nonconformities(draw: st.DrawFn) -> Nonconformity:
    """Nonconformities in every state, with their corrective actions and review, as the events
    of a drawn history fold them."""
    return NONCONFORMITY.replay(draw(_nonconformity_histories()))


@st.composite
def nonconformity_events(draw: st.DrawFn) -> NonconformityEvent:
    """Nonconformity events whose changes set fields of every type (text, flag, actions, a
    review or none), taken from a drawn history."""
    return draw(st.sampled_from(draw(_nonconformity_histories())))


# -- calendars and SLA policies -------------------------------------------------------------

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@st.composite
def business_calendars(draw: st.DrawFn) -> BusinessCalendar:
    """Calendars in several zones, with whole-hour windows, holidays and a make-up day."""
    weekly: dict[str, list[list[str]]] = {}
    for day in draw(st.lists(st.sampled_from(_WEEKDAYS), min_size=1, max_size=7, unique=True)):
        start = draw(st.integers(0, 11))
        end = draw(st.integers(start + 1, 23))
        weekly[day] = [[f"{start:02d}:00", f"{end:02d}:00"]]
    year = draw(st.integers(2020, 2030))
    data: dict[str, Any] = {
        "name": draw(identifiers()),
        "timezone": draw(st.sampled_from(["Asia/Shanghai", "Europe/London", "UTC"])),
        "weekly": weekly,
    }
    if draw(st.booleans()):
        data["holidays"] = [{"start": f"{year}-10-01", "end": f"{year}-10-08", "name": "国庆节"}]
        data["overrides"] = {f"{year}-09-27": {"like": "monday", "name": "调休"}}
    return BusinessCalendar.from_dict(data)


def sla_policies() -> st.SearchStrategy[SlaPolicy]:
    """The standard SLA policies (complaint and technical response)."""
    return st.sampled_from(STANDARD_POLICIES.policies)
