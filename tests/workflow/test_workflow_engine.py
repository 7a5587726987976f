"""The generic workflow engine: validation, queries, renderers, data round trip."""

from __future__ import annotations

import datetime as dt
import enum
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsm_core.errors import InvalidWorkflowDefinition, NaiveDatetimeError, ValidationError
from itsm_core.workflow import (
    Guard,
    GuardContext,
    StatusCategory,
    Transition,
    Verdict,
    Workflow,
    render_markdown_table,
    render_mermaid,
    workflow_from_dict,
)

NOW = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)


class Door(enum.StrEnum):
    OPEN = "open"
    SHUT = "shut"
    LOCKED = "locked"
    GONE = "gone"


class Other(enum.Enum):
    X = "x"


def quiet_hours(ctx: GuardContext[str]) -> str | None:
    return "not at night" if ctx.now.hour >= 22 else None


QUIET = Guard("quiet_hours", quiet_hours, "no slamming at night")
CATS = {Door.OPEN: StatusCategory.OPEN, Door.SHUT: StatusCategory.ON_HOLD}


def door(**overrides: object) -> Workflow[Door, str]:
    spec: dict[str, object] = {
        "name": "door",
        "states": {**CATS, Door.LOCKED: StatusCategory.ON_HOLD, Door.GONE: StatusCategory.CLOSED},
        "initial": Door.OPEN,
        "transitions": [
            Transition(event="shut", sources={Door.OPEN}, target=Door.SHUT, guards=[QUIET]),
            Transition(event="open", sources={Door.SHUT}, target=Door.OPEN),
            Transition(
                event="lock",
                sources={Door.SHUT},
                target=Door.LOCKED,
                roles={"porter"},
                required_fields={"key"},
                field_choices={"key": ["brass", "steel"]},
            ),
            Transition(event="unlock", sources={Door.LOCKED}, target=Door.SHUT, roles={"porter"}),
            Transition(
                event="remove", sources={Door.OPEN, Door.SHUT}, target=Door.GONE, roles={"builder"}
            ),
        ],
    }
    spec.update(overrides)
    return Workflow(**spec)  # type: ignore[arg-type]


def ctx(role: str = "porter", hour: int = 10, **fields: object) -> GuardContext[str]:
    return GuardContext(
        subject="door-1", actor="ana", role=role, now=NOW.replace(hour=hour), fields=fields
    )


def test_valid_workflow_structure() -> None:
    wf = door()
    assert wf.state_type is Door
    assert wf.terminal == {Door.GONE}
    assert wf.events == ("shut", "open", "lock", "unlock", "remove")
    assert wf.events_from(Door.SHUT) == ("open", "lock", "remove")
    assert wf.category(Door.SHUT) is StatusCategory.ON_HOLD
    assert wf.is_terminal(Door.GONE)
    assert not wf.is_terminal(Door.OPEN)
    assert wf.state_named("locked") is Door.LOCKED
    assert wf.transition(Door.GONE, "open") is None


def test_state_named_unknown() -> None:
    with pytest.raises(ValidationError, match="unknown state 'ajar'"):
        door().state_named("ajar")


def test_every_definition_problem_is_reported_at_once() -> None:
    with pytest.raises(InvalidWorkflowDefinition) as info:
        Workflow(
            name="Bad Name",
            states={Door.OPEN: StatusCategory.OPEN, Door.SHUT: StatusCategory.OPEN},
            initial=Door.LOCKED,
            terminal={Door.GONE},
            transitions=[
                Transition(event="shut", sources={Door.OPEN}, target=Door.LOCKED),
                Transition(event="shut", sources={Door.OPEN}, target=Door.SHUT),
                Transition(event="Bad-Event", sources=set(), target=Door.SHUT, roles={""}),
                Transition(
                    event="x",
                    sources={Door.SHUT},
                    target=Door.OPEN,
                    required_fields={"Bad Field"},
                    field_choices={"colour": []},
                    guards=[QUIET, QUIET],
                ),
            ],
        )
    messages = [str(p) for p in info.value.problems]
    expected = [
        "name: 'Bad Name' is not a lower_snake_case name",
        "initial: unknown state 'locked'",
        "terminal: unknown state 'gone'",
        "transitions[0].target: unknown state 'locked'",
        "transitions[1].event: event 'shut' from state 'open' is already declared by "
        "transitions[0]",
        "transitions[2].event: 'Bad-Event' is not lower_snake_case",
        "transitions[2].sources: no source state",
        "transitions[2].roles: empty role name",
        "transitions[3].fields: 'Bad Field' is not a lower_snake_case name",
        "transitions[3].field_choices.colour: no choice given",
        "transitions[3].guards: guard 'quiet_hours' listed twice",
    ]
    assert messages == expected
    assert f"{len(expected)} problems" in str(info.value)


def test_unreachable_states_and_dead_ends() -> None:
    with pytest.raises(InvalidWorkflowDefinition) as info:
        Workflow(
            name="door",
            states={**CATS, Door.LOCKED: StatusCategory.OPEN, Door.GONE: StatusCategory.CLOSED},
            initial=Door.OPEN,
            transitions=[
                Transition(event="shut", sources={Door.OPEN}, target=Door.SHUT),
                Transition(event="wait", sources={Door.SHUT}, target=Door.SHUT),
                Transition(event="remove", sources={Door.LOCKED}, target=Door.GONE),
            ],
        )
    assert [str(p) for p in info.value.problems] == [
        "states.LOCKED: unreachable from the initial state 'open'",
        "states.GONE: unreachable from the initial state 'open'",
        "states.SHUT: not terminal but no transition leaves it (dead end)",
    ]


def test_terminal_state_with_a_way_out_and_bad_states() -> None:
    with pytest.raises(InvalidWorkflowDefinition) as info:
        Workflow(
            name="door",
            states={Door.OPEN: StatusCategory.OPEN, Other.X: "closed"},  # type: ignore[dict-item]
            initial=Door.OPEN,
            terminal={Door.OPEN},
            transitions=[Transition(event="spin", sources={Door.OPEN}, target=Door.OPEN)],
        )
    text = str(info.value)
    assert "states come from several enums: Door, Other" in text
    assert "category 'closed' is not a StatusCategory" in text
    assert "terminal state 'open' has a way out" in text


def test_empty_and_non_string_states() -> None:
    class Numbered(enum.Enum):
        ONE = 1

    with pytest.raises(InvalidWorkflowDefinition, match="value 1 is not a lower_snake_case str"):
        Workflow(
            name="n",
            states={Numbered.ONE: StatusCategory.CLOSED},
            initial=Numbered.ONE,
            transitions=[],
        )
    with pytest.raises(InvalidWorkflowDefinition, match="at least one state"):
        Workflow(name="n", states={}, initial=Door.OPEN, transitions=[])
    with pytest.raises(InvalidWorkflowDefinition, match="is not an enum member"):
        Workflow(name="n", states={"open": StatusCategory.CLOSED}, initial="open", transitions=[])  # type: ignore[type-var]


def test_check_reports_refusals_and_invalid_input_separately() -> None:
    wf = door()
    verdict = wf.check(Door.SHUT, "lock", ctx(role="guest", key="wood"))
    assert not verdict.allowed
    assert verdict.refusals == ("role 'guest' may not fire 'lock' (allowed: porter)",)
    assert verdict.invalid_input == ("field 'key' is 'wood', not one of: brass, steel",)
    assert verdict.reasons == verdict.refusals + verdict.invalid_input
    missing = wf.check(Door.SHUT, "lock", ctx())
    assert missing.invalid_input == ("field 'key' is required to lock",)
    ok = wf.check(Door.SHUT, "lock", ctx(key="brass"))
    assert ok == Verdict(event="lock", target="locked")
    assert ok.allowed


def test_check_guard_and_missing_transition() -> None:
    wf = door()
    night = wf.check(Door.OPEN, "shut", ctx(hour=23))
    assert night.refusals == ("quiet_hours: not at night",)
    nowhere = wf.check(Door.GONE, "open", ctx())
    assert nowhere.refusals == (
        "no transition 'open' from state 'gone' in workflow 'door' "
        "(allowed: none (terminal state))",
    )
    assert "allowed: open, lock, remove" in wf.check(Door.SHUT, "shut", ctx()).refusals[0]


def test_allowed_events_depend_on_role_and_instant() -> None:
    wf = door()
    assert wf.allowed_events(Door.OPEN, ctx(role="porter")) == ("shut",)
    assert wf.allowed_events(Door.OPEN, ctx(role="builder")) == ("shut", "remove")
    assert wf.allowed_events(Door.OPEN, ctx(role="porter", hour=23)) == ()
    # input is not judged by allowed_events: 'lock' is listed before a key is given
    assert wf.allowed_events(Door.SHUT, ctx()) == ("open", "lock")


@given(
    state=st.sampled_from(Door),
    event=st.sampled_from(["shut", "open", "lock", "unlock", "remove", "fly"]),
    role=st.sampled_from(["porter", "builder", "guest"]),
    hour=st.integers(0, 23),
)
def test_check_agrees_with_allowed_events(state: Door, event: str, role: str, hour: int) -> None:
    wf = door()
    context = ctx(role=role, hour=hour)
    verdict = wf.check(state, event, context)
    listed = event in wf.allowed_events(state, context)
    assert listed == (not verdict.refusals)
    if verdict.allowed:
        transition = wf.transition(state, event)
        assert transition is not None
        assert verdict.target == transition.target.value


@given(
    state=st.sampled_from(Door),
    event=st.sampled_from(["shut", "open", "lock", "unlock", "remove", "fly"]),
    role=st.sampled_from(["porter", "builder", "guest"]),
    hour=st.integers(0, 23),
    fields=st.dictionaries(
        st.sampled_from(["key", "note"]), st.sampled_from([None, "", "brass", "wood", ()])
    ),
    proxy=st.booleans(),
)
def test_check_attempt_gives_the_verdict_of_check(
    state: Door, event: str, role: str, hour: int, fields: dict[str, object], proxy: bool
) -> None:
    wf = door()
    now = NOW.replace(hour=hour)
    context = GuardContext(subject="door-1", actor="ana", role=role, now=now, fields=fields)
    given_fields = context.fields if proxy else fields
    attempt = wf.check_attempt(
        state, event, subject="door-1", actor="ana", role=role, now=now, fields=given_fields
    )
    assert attempt == wf.check(state, event, context)


def test_check_attempt_without_fields_and_its_allowed_verdict_is_shared() -> None:
    wf = door()
    first = wf.check_attempt(Door.SHUT, "open", subject="d", actor="ana", role="guest", now=NOW)
    again = wf.check_attempt(Door.SHUT, "open", subject="d", actor="kim", role="porter", now=NOW)
    assert first == Verdict(event="open", target="open")
    assert first is again  # a frozen value, worked out once per transition
    missing = wf.check_attempt(Door.SHUT, "lock", subject="d", actor="a", role="porter", now=NOW)
    assert missing.invalid_input == ("field 'key' is required to lock",)


@pytest.mark.parametrize(
    ("state", "event"),
    [(Door.SHUT, "open"), (Door.OPEN, "shut"), (Door.GONE, "open")],
    ids=["no guard", "a guard", "no transition"],
)
def test_check_attempt_refuses_bad_parts_as_the_guard_context_does(state: Door, event: str) -> None:
    wf = door()
    naive = dt.datetime(2026, 1, 1)
    with pytest.raises(NaiveDatetimeError):
        wf.check_attempt(state, event, subject="d", actor="a", role="r", now=naive)
    with pytest.raises(ValidationError) as info:
        wf.check_attempt(state, event, subject="d", actor="", role="", now=NOW)
    assert [p.path for p in info.value.problems] == ["actor", "role"]


def test_guard_context_and_guard_validation() -> None:
    with pytest.raises(NaiveDatetimeError):
        GuardContext(subject=None, actor="a", role="r", now=dt.datetime(2026, 1, 1))
    with pytest.raises(ValidationError) as info:
        GuardContext(subject=None, actor="", role="", now=NOW)
    assert len(info.value.problems) == 2
    with pytest.raises(ValidationError, match="lower_snake_case"):
        Guard("Quiet Hours", quiet_hours)


def test_mermaid_rendering() -> None:
    text = render_mermaid(door())
    lines = text.splitlines()
    assert lines[0] == "stateDiagram-v2"
    assert "    [*] --> open" in lines
    assert "    shut : shut (on_hold)" in lines
    assert "    open --> gone : remove" in lines
    assert "    shut --> gone : remove" in lines
    assert "    gone --> [*]" in lines
    arrows = [line for line in lines if re.match(r"^    \w+ --> \w+ : \w+$", line)]
    assert len(arrows) == sum(len(t.sources) for t in door().transitions)


def test_markdown_rendering() -> None:
    text = render_markdown_table(door())
    lines = text.splitlines()
    assert len(lines) == 2 + len(door().transitions)
    assert "| `lock` | shut | locked | porter | key ∈ {brass, steel} | – |" in lines
    assert "| `shut` | open | shut | any | – | quiet_hours |" in lines


def test_data_round_trip_with_guards() -> None:
    wf = door()
    data = wf.to_dict()
    assert data["transitions"][0]["guards"] == ["quiet_hours"]
    again = workflow_from_dict(data, Door, {"quiet_hours": QUIET})
    assert again == wf
    assert again.to_dict() == data


def test_from_dict_reports_every_problem_with_its_path() -> None:
    data = door().to_dict()
    data["name"] = 3
    data["initial"] = "ajar"
    data["states"]["open"] = "half"
    data["terminal"] = "gone"
    data["transitions"][0]["guards"] = ["nope"]
    data["transitions"][1]["to"] = "ajar"
    data["transitions"][2]["colour"] = "red"
    data["transitions"][3]["field_choices"] = []
    data["transitions"][4]["event"] = None
    data["transitions"].append("junk")
    with pytest.raises(InvalidWorkflowDefinition) as info:
        workflow_from_dict(data, Door)
    paths = [p.path for p in info.value.problems]
    assert paths == [
        "name",
        "states.open",
        "initial",
        "terminal",
        "transitions[0].guards",
        "transitions[1].to",
        "transitions[2]",
        "transitions[3].field_choices",
        "transitions[4].event",
        "transitions[5]",
    ]


def test_from_dict_rejects_non_containers() -> None:
    with pytest.raises(InvalidWorkflowDefinition) as info:
        workflow_from_dict({"name": "n", "states": [], "initial": "open", "transitions": {}}, Door)
    assert [p.path for p in info.value.problems] == ["states", "transitions"]


def test_status_categories() -> None:
    assert [c for c in StatusCategory if c.pauses_sla] == [StatusCategory.ON_HOLD]
    assert {c for c in StatusCategory if c.is_active} == {
        StatusCategory.NEW,
        StatusCategory.OPEN,
        StatusCategory.ON_HOLD,
    }
    assert {c for c in StatusCategory if c.is_final} == {
        StatusCategory.CLOSED,
        StatusCategory.CANCELLED,
    }
