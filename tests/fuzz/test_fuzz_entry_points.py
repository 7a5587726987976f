"""Robustness: fuzz every public entry point that takes outside data.

For any input, an entry point either succeeds or raises an :class:`~itsm_core.errors.ItsmError`
with a useful message; nothing else escapes, and the input is left as it was. Inputs are junk
(any JSON-like value, and bytes, NaN, huge numbers, naive datetimes) and mutations of valid
definitions (a value replaced, a key removed or added), so that the fuzzing reaches deep into
the validation instead of stopping at the first check.

No escape is tolerated: an input that makes a package raise anything but an ItsmError fails
here, and is fixed in that package with a regression test of its own.
"""

from __future__ import annotations

import copy
import datetime as dt
import enum
import typing
from collections.abc import Callable
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsm_core.adapters.eventlog import EventLogMapping
from itsm_core.adapters.mapping import StatusMap
from itsm_core.adapters.servicenow import STATUS_MAP as SERVICENOW_STATUS_MAP
from itsm_core.calendar import BusinessCalendar
from itsm_core.errors import ItsmError
from itsm_core.priority import ITIL_MATRIX, GradingMatrix
from itsm_core.records import (
    STANDARD_ACCESS_POLICY,
    AccessPolicy,
    MaskingPolicy,
    RetentionPolicy,
    Seal,
    SealedStream,
    mask_text,
    seal_events,
    verify_sealed,
)
from itsm_core.satisfaction import Survey
from itsm_core.serialization import Serializer
from itsm_core.sla import STANDARD_POLICIES, PolicySet, SlaPolicy
from itsm_core.tickets import (
    BUILTIN_GUARDS,
    BUILTIN_WORKFLOWS,
    Acknowledge,
    AddComment,
    Advance,
    Archive,
    Assign,
    Cancel,
    Classify,
    Close,
    CommandContext,
    ConfirmResolution,
    Escalate,
    Hold,
    IncidentState,
    LinkSurvey,
    OpenTicket,
    RejectResolution,
    Reopen,
    Resolve,
    Resume,
    Ticket,
    TicketEvent,
    TicketKind,
    Transfer,
    apply_event,
    decide,
    replay,
)
from itsm_core.workflow import workflow_from_dict

Path = tuple[str | int, ...]

LEAVES: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(-3, 30),
    st.floats(),
    st.text(max_size=8),
    st.sampled_from(["", " ", "09:00", "25:00", "monday", "P1D", "1h", "new", "x" * 3, "*"]),
    st.binary(max_size=4),
    st.datetimes(),
    st.datetimes(timezones=st.just(dt.UTC)),
    st.dates(),
)
#: Any JSON-like value, and then some (bytes, NaN, huge ints, naive datetimes).
JUNK: st.SearchStrategy[Any] = st.recursive(
    LEAVES,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(max_size=6), children, max_size=3)
        | st.tuples(children, children)
    ),
    max_leaves=8,
)


def paths(value: Any, prefix: Path = ()) -> list[Path]:
    """Every path into nested dicts and lists, the root included."""
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(paths(item, (*prefix, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(paths(item, (*prefix, index)))
    return found


@st.composite
def mutations(draw: st.DrawFn, valid: dict[str, Any], rounds: int = 3) -> Any:
    """``valid`` with a few random changes: a value replaced, a key removed or added."""
    data: Any = copy.deepcopy(valid)
    for _ in range(draw(st.integers(1, rounds))):
        path = draw(st.sampled_from(paths(data)))
        if not path:
            if draw(st.integers(0, 9)) == 0:
                data = draw(JUNK)
            continue
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        op = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
        if op == "replace":
            parent[path[-1]] = draw(JUNK)
        elif op == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.text(max_size=6))] = draw(JUNK)
        else:
            parent.append(draw(JUNK))
    return data


def fuzz_call(function: Callable[..., Any], *args: Any) -> Any:
    """Call ``function``; return its result or the ItsmError it raised (checked to be useful).

    Anything else propagates and fails the test. The arguments must come back unchanged.
    """
    before = repr(args)
    try:
        result: Any = function(*args)
    except ItsmError as error:
        result = error
    if isinstance(result, ItsmError):
        assert str(result).strip(), f"{type(result).__name__} without a message"
        for problem in getattr(result, "problems", ()):
            assert problem.message.strip(), f"empty problem message at {problem.path!r}"
    assert repr(args) == before, "the input was changed"
    return result


# --- seeds: valid definitions the mutations start from --------------------------------------

CALENDAR = {
    "name": "office",
    "timezone": "Asia/Shanghai",
    "weekly": {
        "monday": [["09:00", "12:00"], ["13:00", "18:00"]],
        "saturday": [["22:00", "24:00"]],
    },
    "versions": [{"valid_from": "2026-01-01", "weekly": {"tuesday": [["08:00", "16:00"]]}}],
    "holidays": [
        "2025-01-01",
        {"start": "2025-10-01", "end": "2025-10-08", "name": "National Day"},
    ],
    "holiday_rules": [{"rrule": "DTSTART:20250101\nRRULE:FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=1"}],
    "overrides": {
        "2025-09-28": {"like": "monday", "name": "make-up"},
        "2025-12-31": {"remove": [["12:00", "18:00"]]},
    },
    "closures": [{"start": "2025-03-01T00:00:00+08:00", "end": "2025-03-01T06:00:00+08:00"}],
    "coverage": {"start": "2025-01-01", "end": "2026-12-31"},
}
SURVEY = {
    "id": "after-ticket",
    "title": "How did we do?",
    "questions": [
        {"id": "overall", "text": "Overall?", "scale": {"low": 1, "high": 5}, "dimension": "d"},
        {"id": "solved", "text": "Solved?", "scale": {"yes_no": True}, "required": False},
    ],
}
RESPONSE = {"respondent_id": "zhang", "answers": {"overall": 4, "solved": True}, "ticket_id": "T"}
RETENTION = {
    "name": "records",
    "default": {"archive_after_days": 30, "destroy_after_years": 3},
    "by_kind": {"complaint": {"archive_after_days": 90, "destroy_after_years": None}},
}


def test_the_seeds_are_valid() -> None:
    assert isinstance(BusinessCalendar.from_dict(CALENDAR), BusinessCalendar)
    survey = Survey.from_dict(SURVEY)
    assert survey.response_from_dict(RESPONSE).respondent_id == "zhang"
    assert RetentionPolicy.from_dict(RETENTION).name == "records"


EVENT_LOG_MAPPING = {
    "time_zone": "Asia/Shanghai",
    "time_format": "%Y-%m-%d %H:%M",
    "missing": ["?", ""],
    "columns": {"ticket": "id", "at": "time", "status": "status", "priority": "level"},
    **SERVICENOW_STATUS_MAP.to_dict(),
    "channels": {"Phone": "phone"},
    "levels": {"High": 2},
}


#: (entry point, loader, a valid seed the mutations start from).
DEFINITIONS: list[tuple[str, Callable[[Any], Any], Any]] = [
    ("BusinessCalendar.from_dict", BusinessCalendar.from_dict, CALENDAR),
    ("PolicySet.from_dict", PolicySet.from_dict, STANDARD_POLICIES.to_dict()),
    ("SlaPolicy.from_dict", SlaPolicy.from_dict, STANDARD_POLICIES.policies[0].to_dict()),
    ("GradingMatrix.from_dict", GradingMatrix.from_dict, ITIL_MATRIX.to_dict()),
    (
        "workflow_from_dict",
        lambda data: workflow_from_dict(data, IncidentState, BUILTIN_GUARDS),
        BUILTIN_WORKFLOWS.get("incident").to_dict(),
    ),
    ("Survey.from_dict", Survey.from_dict, SURVEY),
    ("RetentionPolicy.from_dict", RetentionPolicy.from_dict, RETENTION),
    ("AccessPolicy.from_dict", AccessPolicy.from_dict, STANDARD_ACCESS_POLICY.to_dict()),
    ("MaskingPolicy.from_dict", MaskingPolicy.from_dict, {"mask": ["email"]}),
    ("Seal.from_dict", Seal.from_dict, {"ticket_id": "T", "count": 1, "head": "a" * 64}),
    ("StatusMap.from_dict", StatusMap.from_dict, SERVICENOW_STATUS_MAP.to_dict()),
    ("EventLogMapping.from_dict", EventLogMapping.from_dict, EVENT_LOG_MAPPING),
]
IDS = [entry[0] for entry in DEFINITIONS]


@pytest.mark.parametrize(("name", "load", "seed"), DEFINITIONS, ids=IDS)
@given(data=st.data())
def test_definitions_from_junk(
    name: str, load: Callable[[Any], Any], seed: Any, data: st.DataObject
) -> None:
    fuzz_call(load, data.draw(JUNK))


@pytest.mark.parametrize(("name", "load", "seed"), DEFINITIONS, ids=IDS)
@given(data=st.data())
def test_definitions_from_mutated_seeds(
    name: str, load: Callable[[Any], Any], seed: Any, data: st.DataObject
) -> None:
    result = fuzz_call(load, data.draw(mutations(seed)))
    if not isinstance(result, BaseException) and hasattr(result, "to_dict"):
        assert isinstance(result.to_dict(), dict)  # what loads also writes back


# --- survey answers ---------------------------------------------------------------------------


@given(data=st.data())
def test_survey_answers(data: st.DataObject) -> None:
    survey = Survey.from_dict(SURVEY)
    response = data.draw(mutations(RESPONSE))
    fuzz_call(survey.response_from_dict, response)
    fuzz_call(survey.response_from_dict, data.draw(JUNK))
    answers = data.draw(st.dictionaries(st.sampled_from(["overall", "solved", "x"]), JUNK))
    fuzz_call(survey.response, data.draw(JUNK), answers)


# --- ticket events from plain data --------------------------------------------------------------

EVENT = {
    "ticket_id": "INC1",
    "sequence": 2,
    "name": "hold",
    "at": "2026-01-05T09:00:00+00:00",
    "actor": "ana",
    "role": "agent",
    "from_state": "in_progress",
    "from_status": "open",
    "to_state": "on_hold",
    "to_status": "on_hold",
    "payload": {"hold_reason": "awaiting_customer", "comment": {"at": "x", "author": "a"}},
    "reason": None,
    "flags": [],
}


# One serializer for every example (building one compiles its converter's hooks: ~15 ms); a
# load that left anything behind in it would show in the examples after.
SERIALIZER = Serializer()


def event_from_data(data: Any) -> TicketEvent:
    """Plain data as an event, the one way: the serializer's converter and checks."""
    return SERIALIZER.load({"type": "ticket_event", "version": 2, "data": data}, TicketEvent)


@given(data=st.data())
def test_ticket_events_from_plain_data(data: st.DataObject) -> None:
    fuzz_call(event_from_data, data.draw(JUNK))
    mutated = data.draw(mutations(EVENT))
    event = fuzz_call(event_from_data, mutated)
    if isinstance(event, TicketEvent):
        # A loadable event folded into a ticket: a ticket or an ItsmError, never anything else.
        fuzz_call(apply_event, None, attrs.evolve(event, sequence=1, name="open"))


# --- command payloads -------------------------------------------------------------------------

COMMANDS: list[type] = [
    OpenTicket,
    Acknowledge,
    Classify,
    Assign,
    Transfer,
    Escalate,
    AddComment,
    Hold,
    Resume,
    Resolve,
    ConfirmResolution,
    RejectResolution,
    Close,
    Reopen,
    Cancel,
    Archive,
    LinkSurvey,
    Advance,
]
NOW = dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC)


def _ticket() -> Ticket:
    return decide(
        None,
        OpenTicket(ticket_id="INC1", kind=TicketKind.INCIDENT, requester="zhang"),
        CommandContext(actor="ana", role="agent", now=NOW - dt.timedelta(hours=1)),
    ).state


TICKET = _ticket()


_TYPED: dict[object, st.SearchStrategy[Any]] = {
    str: st.text(min_size=1, max_size=8),
    int: st.integers(-1, 5),
    bool: st.booleans(),
    dt.datetime: st.datetimes(timezones=st.just(dt.UTC)),
}


def _field_values(hint: Any) -> st.SearchStrategy[Any]:
    """Junk, or a value of the field's own type (to get past the type checks, deeper)."""
    kinds = typing.get_args(hint) or (hint,)
    options = [JUNK]
    for kind in kinds:
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            options.append(st.sampled_from(list(kind.__members__.values())))
        elif kind in _TYPED:
            options.append(_TYPED[kind])
    return st.one_of(options)


@given(data=st.data())
def test_command_payloads(data: st.DataObject) -> None:
    kind = data.draw(st.sampled_from(COMMANDS))
    fields = attrs.fields(kind)
    optional = data.draw(st.sets(st.sampled_from([f.name for f in fields])))
    # Required fields are always given (a missing keyword is a Python error, not data).
    given_names = optional | {f.name for f in fields if f.default is attrs.NOTHING}
    hints = typing.get_type_hints(kind)
    kwargs = {
        f.name: data.draw(_field_values(hints[f.name])) for f in fields if f.name in given_names
    }
    command = fuzz_call(lambda values: kind(**values), kwargs)
    if isinstance(command, BaseException):
        return
    role = data.draw(st.sampled_from(["agent", "customer", "manager", "system", "cab"]))
    ctx = CommandContext(actor="ana", role=role, now=NOW)
    before = repr(TICKET)
    ticket = None if isinstance(command, OpenTicket) else TICKET
    fuzz_call(decide, ticket, command, ctx)
    assert before == repr(TICKET)


# --- records: sealed streams from bytes, masking any text --------------------------------------

SEALED = seal_events(
    [
        event_from_data(
            {
                **EVENT,
                "sequence": 1,
                "name": "open",
                "from_state": None,
                "from_status": None,
                "payload": {},
            }
        ),
        event_from_data(EVENT | {"payload": {"hold_reason": "awaiting_customer"}}),
    ]
)


@given(data=st.binary())
def test_sealed_streams_from_random_bytes(data: bytes) -> None:
    loaded = fuzz_call(SealedStream.from_bytes, data)
    if isinstance(loaded, SealedStream):
        verify_sealed(loaded)


@given(data=st.data())
def test_sealed_streams_from_spliced_bytes(data: st.DataObject) -> None:
    original = SEALED.to_bytes()
    start = data.draw(st.integers(0, len(original)))
    end = data.draw(st.integers(start, len(original)))
    spliced = original[:start] + data.draw(st.binary(max_size=6)) + original[end:]
    loaded = fuzz_call(SealedStream.from_bytes, spliced)
    if isinstance(loaded, SealedStream):
        verification = verify_sealed(loaded, SEALED.seal())
        assert verification.intact == (loaded == SEALED)


@given(st.text())
def test_masking_never_fails(text: str) -> None:
    assert isinstance(mask_text(text), str)


def test_replay_of_junk_events_is_an_itsm_error() -> None:
    with pytest.raises(ItsmError):
        replay([])


# --- escapes found by this suite, now fixed: each input must raise an ItsmError ---------------


def _sla_policy(**metric_changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(STANDARD_POLICIES.policies[0].to_dict())
    data["metrics"][0].update(metric_changes)
    return data


def _escapes_as_itsm_error(load: Callable[[Any], Any], data: Any) -> None:
    with pytest.raises(ItsmError):
        load(data)


def test_escape_calendar_version_with_unreadable_window() -> None:
    data = {
        "name": "c",
        "timezone": "UTC",
        "weekly": {},
        "versions": [{"valid_from": "2026-01-01", "weekly": {"tuesday": [[]]}}],
    }
    _escapes_as_itsm_error(BusinessCalendar.from_dict, data)


def test_escape_sla_effective_from_not_a_datetime() -> None:
    data = STANDARD_POLICIES.policies[0].to_dict() | {"effective_from": 0}
    _escapes_as_itsm_error(SlaPolicy.from_dict, data)


def test_escape_sla_thresholds_null() -> None:
    _escapes_as_itsm_error(SlaPolicy.from_dict, _sla_policy(thresholds=None))


def test_escape_sla_on_change_a_list() -> None:
    _escapes_as_itsm_error(SlaPolicy.from_dict, _sla_policy(on_change=[]))


def test_escape_sla_threshold_action_a_list() -> None:
    data = _sla_policy(thresholds=[{"name": "warn", "action": [], "percent": 50}])
    _escapes_as_itsm_error(PolicySet.from_dict, {"policies": [data]})


def test_escape_sla_threshold_notify_null() -> None:
    data = _sla_policy(
        thresholds=[{"name": "warn", "action": "warn", "percent": 50, "notify": None}]
    )
    _escapes_as_itsm_error(SlaPolicy.from_dict, data)


def test_escape_workflow_from_non_mapping() -> None:
    _escapes_as_itsm_error(lambda data: workflow_from_dict(data, IncidentState), None)


def test_escape_survey_from_non_mapping() -> None:
    _escapes_as_itsm_error(Survey.from_dict, [])


def test_escape_survey_response_from_non_mapping() -> None:
    _escapes_as_itsm_error(Survey.from_dict(SURVEY).response_from_dict, None)


@pytest.mark.parametrize("data", [None, [[1]], [None, False]])
def test_escape_ticket_event_from_non_mapping(data: Any) -> None:
    _escapes_as_itsm_error(event_from_data, data)


@pytest.mark.parametrize("explanation", [None, 3])
def test_escape_classify_explanation_not_a_list(explanation: Any) -> None:
    with pytest.raises(ItsmError):
        Classify(category="network", explanation=explanation)


# --- coercions found by this suite, now refused -------------------------------------------------


@pytest.mark.parametrize("explanation", ["ab", [1]])
def test_coercion_classify_explanation(explanation: Any) -> None:
    with pytest.raises(ItsmError):
        Classify(category="network", explanation=explanation)


@pytest.mark.parametrize(
    "change",
    [{"ticket_id": 5}, {"name": [1]}, {"sequence": True}, {"sequence": 2.5}, {"reason": 7}],
)
def test_coercion_ticket_event_field_types(change: dict[str, Any]) -> None:
    with pytest.raises(ItsmError):
        event_from_data(EVENT | {"payload": {}} | change)


@pytest.mark.parametrize("change", [{"default": []}, {"mode": {}}])
def test_sla_policy_set_default_or_mode_not_a_string(change: dict[str, Any]) -> None:
    _escapes_as_itsm_error(PolicySet.from_dict, STANDARD_POLICIES.to_dict() | change)
