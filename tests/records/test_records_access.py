"""Access policies: can(actor, action, ticket) with reasons, enforced commands, redacted views."""

from __future__ import annotations

import datetime as dt
import typing

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsm_core.errors import (
    AccessDenied,
    CommandRejected,
    InvalidPolicy,
    UnknownRole,
    ValidationError,
)
from itsm_core.records import (
    STANDARD_ACCESS_POLICY,
    AccessPolicy,
    AccessRule,
    Actor,
    MaskingPolicy,
    decide_as,
    redacted_view,
)
from itsm_core.records._access import Condition
from itsm_core.records._enforce import COMMAND_ACTIONS, command_action
from itsm_core.tickets import (
    COMMAND_EVENTS,
    AddComment,
    Advance,
    Cancel,
    Command,
    CommandContext,
    OpenTicket,
    Resolve,
    Ticket,
    TicketEvent,
    TicketKind,
    Transfer,
    WorkflowStep,
    decide,
    replay,
)

Story = tuple[Ticket, tuple[TicketEvent, ...]]
NOW = dt.datetime(2026, 3, 3, 9, tzinfo=dt.UTC)
POLICY = STANDARD_ACCESS_POLICY

ZHANG = Actor(id="zhang", roles={"customer"})
WANG = Actor(id="wang", roles={"customer"})
ANA = Actor(id="ana", roles={"agent"}, groups={"network"})
LI = Actor(id="li", roles={"agent"}, groups={"database"})
MEI = Actor(id="mei", roles={"supervisor"}, groups={"database"})
BOSS = Actor(id="boss", roles={"manager"})


def in_progress(story: Story) -> Ticket:
    """INC1 assigned to ana of group network, in progress (after event 5)."""
    return replay(story[1][:5])


@pytest.mark.parametrize(
    ("actor", "action", "allowed"),
    [
        (ZHANG, "read", True),
        (ZHANG, "comment", True),
        (ZHANG, "work_note", False),
        (ZHANG, "read_confidential", False),
        (WANG, "read", False),
        (ANA, "resolve", True),
        (LI, "read", True),  # any agent triages
        (LI, "resolve", False),
        (MEI, "export", True),
        (MEI, "resolve", False),
        (BOSS, "resolve", True),
        (Actor(id="x", roles={"approver"}), "approve", True),
        (Actor(id="x", roles={"approver"}), "resolve", False),
    ],
)
def test_the_standard_policy(story: Story, actor: Actor, action: str, allowed: bool) -> None:
    decision = POLICY.can(actor, action, in_progress(story))
    assert decision.allowed is allowed
    assert (decision.rule is not None) is allowed
    assert decision.reason


def test_reasons_say_which_rule_and_which_condition(story: Story) -> None:
    ticket = in_progress(story)
    denied = POLICY.can(LI, "resolve", ticket)
    assert (
        "rule 1 (agent: * when own_group) does not apply: ticket group 'network'" in denied.reason
    )
    assert "not one of theirs (database)" in denied.reason
    assert "rule 2 (agent: * when assigned_to_actor) does not apply" in denied.reason
    assert "assigned to 'ana', not to them" in denied.reason
    granted = POLICY.can(ANA, "resolve", ticket)
    assert granted.reason == "granted by rule 1 (agent: * when own_group)"
    nobody = POLICY.can(Actor(id="x", roles={"auditor"}), "read", ticket)
    assert nobody.reason == "no rule grants 'read' to role 'auditor'"
    with pytest.raises(ValidationError, match="not an action name"):
        POLICY.can(ANA, " read", ticket)


def test_conditions_all_hold_for_a_rule_to_grant(story: Story) -> None:
    ticket = in_progress(story)
    both = AccessPolicy(
        name="strict",
        rules=[
            AccessRule(
                role="agent",
                actions={"resolve"},
                when={Condition.OWN_GROUP, Condition.ASSIGNED_TO_ACTOR},
            )
        ],
    )
    assert both.can(ANA, "resolve", ticket).allowed
    colleague = Actor(id="bo", roles={"agent"}, groups={"network"})
    assert not both.can(colleague, "resolve", ticket).allowed
    no_group = attrs.evolve(ticket, assignment_group=None)
    assert "ticket group None" in both.can(ANA, "resolve", no_group).reason


def test_policies_round_trip_and_report_every_problem() -> None:
    assert AccessPolicy.from_dict(POLICY.to_dict()) == POLICY
    with pytest.raises(InvalidPolicy) as info:
        AccessPolicy.from_dict(
            {
                "name": "bad",
                "rules": [
                    {"role": "", "actions": []},
                    {"role": "agent", "actions": ["read", "re ad"], "when": ["own_team"]},
                    {"role": "agent", "actions": ["read"], "description": 3, "x": 1},
                    "rule",
                ],
                "confidential_fields": ["work_notes", "password", "id"],
            }
        )
    assert [p.path for p in info.value.problems] == [
        "rules[0].role",
        "rules[0].actions",
        "rules[1].actions[1]",
        "rules[1].when[0]",
        "rules[2].x",
        "rules[2].description",
        "rules[3]",
        "confidential_fields[1]",
        "confidential_fields[2]",
    ]
    assert "when[0]: expected one of 'own_group', " in str(info.value)
    assert "got 'own_team'" in str(info.value)
    for data in (None, {"name": "x", "rules": 3}, {"name": 1, "rules": []}):
        with pytest.raises(InvalidPolicy):
            AccessPolicy.from_dict(data)


def test_direct_construction_validates() -> None:
    with pytest.raises(InvalidPolicy, match="at least one action"):
        AccessRule(role="agent", actions=())
    with pytest.raises(InvalidPolicy, match="own_team"):
        AccessRule(role="agent", actions={"read"}, when={"own_team"})
    with pytest.raises(InvalidPolicy, match="not a ticket field"):
        AccessPolicy(name="p", rules=(), confidential_fields={"secret"})
    with pytest.raises(InvalidPolicy, match="id cannot be confidential"):
        AccessPolicy(name="p", rules=(), confidential_fields={"id"})
    with pytest.raises(ValidationError, match="at least one role"):
        Actor(id="a", roles=())
    with pytest.raises(ValidationError, match="does not hold role"):
        ANA.acting_as("manager")
    assert (
        AccessRule(role="agent", actions={"read"}, description="d").to_dict()["description"] == "d"
    )


# --- enforced commands ----------------------------------------------------------------------


def test_every_command_has_an_action_that_matches_its_event() -> None:
    commands = set(typing.get_args(Command))
    assert commands == set(COMMAND_ACTIONS) | {Advance}
    for kind, action in COMMAND_ACTIONS.items():
        if issubclass(kind, WorkflowStep):  # a typed workflow step: its event, as for Advance
            assert action == kind.EVENT
            assert action not in COMMAND_EVENTS
        else:
            assert kind.__name__ in COMMAND_EVENTS[action]
    with pytest.raises(ValidationError, match="not a ticket command"):
        command_action("resolve")  # type: ignore[arg-type]


def ctx(actor: Actor, role: str | None = None) -> CommandContext:
    return CommandContext(actor=actor.id, role=role or min(actor.roles), now=NOW)


def test_a_customer_opens_tickets_for_themselves_only() -> None:
    own = OpenTicket(ticket_id="INC7", kind=TicketKind.INCIDENT, requester="zhang")
    ticket, events = decide_as(POLICY, ZHANG, None, own, ctx(ZHANG))
    assert (ticket, events) == tuple(decide(None, own, ctx(ZHANG)))
    for_other = attrs.evolve(own, requester="wang")
    with pytest.raises(AccessDenied) as info:
        decide_as(POLICY, ZHANG, None, for_other, ctx(ZHANG))
    assert info.value.action == "open"
    assert "requested by 'wang'" in str(info.value)


def test_an_agent_outside_the_group_cannot_resolve(story: Story) -> None:
    ticket = in_progress(story)
    resolve = Resolve(code="fixed", note="done")
    with pytest.raises(AccessDenied) as info:
        decide_as(POLICY, LI, ticket, resolve, ctx(LI))
    assert (info.value.actor, info.value.action, info.value.resource) == ("li", "resolve", "INC1")
    assert decide_as(POLICY, ANA, ticket, resolve, ctx(ANA)) == decide(ticket, resolve, ctx(ANA))


def test_customers_cannot_write_work_notes_even_on_their_tickets(story: Story) -> None:
    ticket = in_progress(story)
    with pytest.raises(AccessDenied, match="'work_note'"):
        decide_as(POLICY, ZHANG, ticket, AddComment(text="x", internal=True), ctx(ZHANG))
    new, _ = decide_as(POLICY, ZHANG, ticket, AddComment(text="any news?"), ctx(ZHANG))
    assert new.comments[-1].text == "any news?"


def test_the_context_must_be_the_actor_in_one_of_their_roles(story: Story) -> None:
    ticket = in_progress(story)
    cancel = Cancel(reason="dup")
    with pytest.raises(ValidationError) as info:
        decide_as(POLICY, ANA, ticket, cancel, CommandContext(actor="li", role="manager", now=NOW))
    assert [p.path for p in info.value.problems] == ["ctx.actor", "ctx.role"]
    two_hats = Actor(id="sam", roles={"agent", "manager"}, groups={"database"})
    with pytest.raises(AccessDenied):
        decide_as(POLICY, two_hats, ticket, cancel, ctx(two_hats, "agent"))
    assert (
        decide_as(POLICY, two_hats, ticket, cancel, ctx(two_hats, "manager")).state.state
        == "cancelled"
    )


def test_workflow_refusals_still_apply_after_access(story: Story) -> None:
    with pytest.raises(CommandRejected, match="no ticket"):
        decide_as(POLICY, BOSS, None, Cancel(reason="x"), ctx(BOSS))
    with pytest.raises(CommandRejected):
        decide_as(POLICY, BOSS, story[0], Transfer(reason="x", group="db"), ctx(BOSS))


ACTORS = st.builds(
    Actor,
    id=st.sampled_from(["ana", "li", "zhang", "wang"]),
    roles=st.sets(
        st.sampled_from(["agent", "supervisor", "customer", "manager", "cab"]), min_size=1
    ),
    groups=st.sets(st.sampled_from(["network", "database"])),
)
COMMANDS: list[Command] = [
    Resolve(code="fixed", note="done"),
    AddComment(text="hello"),
    AddComment(text="internal", internal=True),
    Cancel(reason="duplicate"),
    Transfer(reason="skills", group="database"),
]


@given(actor=ACTORS, command=st.sampled_from(COMMANDS), data=st.data())
def test_decide_as_is_decide_exactly_when_can_allows(
    story: Story, actor: Actor, command: Command, data: st.DataObject
) -> None:
    ticket = in_progress(story)
    role = data.draw(st.sampled_from(sorted(actor.roles)))
    context = ctx(actor, role)
    allowed = POLICY.can(actor.acting_as(role), command_action(command), ticket).allowed
    try:
        expected: object = decide(ticket, command, context)
    except CommandRejected as error:
        expected = type(error)
    try:
        got: object = decide_as(POLICY, actor, ticket, command, context)
    except AccessDenied:
        assert not allowed
        return
    except CommandRejected as error:
        got = type(error)
    assert allowed
    assert got == expected


# --- redacted views -------------------------------------------------------------------------


def test_a_customer_view_hides_work_notes(story: Story) -> None:
    ticket = story[0]
    assert ticket.work_notes
    view = redacted_view(POLICY, ZHANG, ticket)
    assert view.hidden == {"work_notes"}
    assert "work_notes" not in view.fields
    assert view["comments"][0]["text"] == "Please mail logs to ana@example.com"
    agent_view = redacted_view(POLICY, ANA, ticket)
    assert agent_view.hidden == frozenset()
    assert agent_view["work_notes"][0]["text"] == "caller ID 11010519491231002X"
    with pytest.raises(AccessDenied, match="'read'"):
        redacted_view(POLICY, WANG, ticket)


def test_a_view_can_mask_personal_data(story: Story) -> None:
    view = redacted_view(POLICY, MEI, story[0], masking=MaskingPolicy())
    assert view["symptom"] == "VPN down since 8:00, call me on 138****5678"
    assert view["work_notes"][0]["text"] == "caller ID 110***********002X"
    assert view["id"] == "INC1"
    assert view.fields["requester"] == "zhang"


def test_access_denied_pickles_with_its_fields() -> None:
    import pickle

    error = AccessDenied("li", "resolve", "INC1", "no rule")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.actor, copy.action, copy.resource, copy.reason) == (
        "li",
        "resolve",
        "INC1",
        "no rule",
    )
    assert str(copy) == str(error)


def test_a_bare_string_is_never_split_into_letters() -> None:
    with pytest.raises(ValidationError, match="expected a set of strings, got 'agent'"):
        Actor(id="ana", roles="agent")
    with pytest.raises(InvalidPolicy, match="expected a set of strings, got 'read'"):
        AccessRule(role="agent", actions="read")
    with pytest.raises(InvalidPolicy, match="confidential_fields"):
        AccessPolicy(name="p", rules=(), confidential_fields="work_notes")
    with pytest.raises(InvalidPolicy, match="drop_fields"):
        MaskingPolicy(drop_fields="work_notes")
    with pytest.raises(ValidationError, match="is not a non-empty string"):
        Actor(id="ana", roles={"agent", ""})


def test_keys_that_are_not_strings_are_problems_with_their_path() -> None:
    with pytest.raises(InvalidPolicy) as info:
        AccessPolicy.from_dict({"name": "p", "rules": [{"role": "agent", 5: "read"}]})
    assert [str(p) for p in info.value.problems] == ["rules[0]: expected string keys, got 5"]
    with pytest.raises(InvalidPolicy) as info:
        MaskingPolicy.from_dict({None: [], "mask": []})
    assert [str(p) for p in info.value.problems] == ["expected string keys, got None"]


def test_a_rule_lists_its_actions_as_non_blank_strings() -> None:
    with pytest.raises(InvalidPolicy) as info:
        AccessPolicy.from_dict(
            {
                "name": "p",
                "rules": [{"role": "agent", "actions": []}, {"role": "x", "actions": [""]}],
            }
        )
    assert [str(p) for p in info.value.problems] == [
        "rules[0].actions: a rule grants at least one action",
        "rules[1].actions[0]: expected a non-blank string, got ''",
    ]


def test_conditions_and_kinds_given_directly_are_checked_one_by_one() -> None:
    with pytest.raises(InvalidPolicy) as info:
        AccessRule(role="agent", actions={"read"}, when="own_group")
    assert [str(p) for p in info.value.problems] == [
        "when: expected a set of Condition, got 'own_group'"
    ]
    with pytest.raises(InvalidPolicy) as info:
        AccessRule(role="agent", actions={"read"}, when=[Condition.OWN_GROUP, "own_team"])
    assert [str(p) for p in info.value.problems] == [
        "when: expected one of 'own_group', 'assigned_to_actor', 'requested_by_actor', "
        "got 'own_team'"
    ]
    rule = AccessRule(role="agent", actions={"read"}, when=["own_group", Condition.OWN_GROUP])
    assert rule.when == frozenset({Condition.OWN_GROUP})
    with pytest.raises(InvalidPolicy, match="mask: expected one of 'email'"):
        MaskingPolicy(mask=["fax"])


def test_a_role_the_policy_never_names_is_an_unknown_role(story: Story) -> None:
    assert POLICY.roles == (
        "agent",
        "approver",
        "cab",
        "customer",
        "duty_officer",
        "manager",
        "supervisor",
        "system",
    )
    ticket = in_progress(story)
    typo = Actor(id="ana", roles={"agnet"}, groups={"network"})
    with pytest.raises(UnknownRole) as info:
        decide_as(POLICY, typo, ticket, AddComment(text="hi"), ctx(typo))
    assert info.value.known == POLICY.roles
    assert info.value.path == "ctx.role"
    assert "unknown role 'agnet' (known: agent, approver, cab" in str(info.value)
