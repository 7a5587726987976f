"""Workflows, transitions and guards are values: equal exactly when every field is."""

from __future__ import annotations

import enum

import attrs
import pytest

from itsm_core.workflow import Guard, GuardContext, StatusCategory, Transition, Workflow


class Door(enum.StrEnum):
    OPEN = "open"
    SHUT = "shut"
    GONE = "gone"


def never(_: GuardContext[None]) -> str | None:
    return "never"


def always(_: GuardContext[None]) -> str | None:
    return None


def door(
    shut: StatusCategory = StatusCategory.ON_HOLD,
    choices: tuple[str, ...] = ("brass", "steel"),
    guard: Guard[None] | None = None,
) -> Workflow[Door, None]:
    return Workflow(
        name="door",
        states={Door.OPEN: StatusCategory.OPEN, Door.SHUT: shut, Door.GONE: StatusCategory.CLOSED},
        initial=Door.OPEN,
        transitions=[
            Transition(
                event="shut",
                sources={Door.OPEN},
                target=Door.SHUT,
                field_choices={"key": choices},
                guards=[guard or Guard("quiet", always)],
            ),
            Transition(event="open", sources={Door.SHUT}, target=Door.OPEN),
            Transition(event="remove", sources={Door.OPEN, Door.SHUT}, target=Door.GONE),
        ],
    )


def test_two_workflows_differing_only_in_their_states_are_unequal() -> None:
    a, b = door(), door(shut=StatusCategory.OPEN)
    differing = [f.name for f in attrs.fields(Workflow) if getattr(a, f.name) != getattr(b, f.name)]
    assert differing == ["states"]
    assert a != b
    assert door() == door()
    assert hash(door()) == hash(door())  # equal values, equal hashes


def test_two_transitions_differing_only_in_their_field_choices_are_unequal() -> None:
    assert door(choices=("brass",)) != door()
    assert door().transitions[0] != door(choices=("brass",)).transitions[0]
    assert door(choices=("steel", "brass")) == door()  # choices are a set


def test_guards_compare_by_name_rule_and_description() -> None:
    quiet = Guard("quiet", always)
    assert Guard("quiet", always) == quiet
    assert hash(Guard("quiet", always)) == hash(quiet)
    assert Guard("quiet", never) != quiet  # the same name for another rule
    assert Guard("quiet", always, "at night") != quiet
    assert door(guard=Guard("quiet", never)) != door()


@pytest.mark.parametrize("cls", [Workflow, Transition, Guard, GuardContext])
def test_no_workflow_value_leaves_a_field_out_of_equality(cls: type) -> None:
    # Workflow's two lookups (_index, _by_value) are derived from its compared fields.
    left_out = {f.name for f in attrs.fields(cls) if not f.eq}
    assert left_out <= {"_index", "_by_value"}
