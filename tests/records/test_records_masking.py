"""Masking personal data: mobiles, landlines, e-mail addresses and resident ID numbers."""

from __future__ import annotations

import datetime as dt
import json
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsm_core.errors import InvalidPolicy
from itsm_core.records import (
    STANDARD_ACCESS_POLICY,
    Actor,
    MaskingPolicy,
    export_event,
    export_ticket,
    mask_text,
    redacted_view,
)
from itsm_core.records._masking import MASK_ALL
from itsm_core.records._personal_data import (
    PersonalDataKind,
    find_personal_data,
    is_resident_id,
    resident_id_check_digit,
)
from itsm_core.serialization import make_converter
from itsm_core.tickets import (
    AddComment,
    CommandContext,
    OpenTicket,
    Ticket,
    TicketEvent,
    TicketKind,
    decide,
)

Story = tuple[Ticket, tuple[TicketEvent, ...]]


def iso7064_valid(number: str) -> bool:
    """ISO 7064 MOD 11-2 as the standard states it: sum(a_i * 2^(i-1)) = 1 (mod 11), counting
    positions from the right with the check character at position 1 (X = 10)."""
    values = [10 if c == "X" else int(c) for c in reversed(number)]
    total: int = sum(a * 2**i for i, a in enumerate(values))
    return total % 11 == 1


@pytest.mark.parametrize(
    "number",
    [
        "11010519491231002X",  # the example of GB 11643-1999
        "440524188001010014",  # the example in the Wikipedia article on the resident ID
    ],
)
def test_published_id_numbers_are_valid(number: str) -> None:
    assert is_resident_id(number)
    assert iso7064_valid(number)
    assert resident_id_check_digit(number[:17]) == number[17]


@given(st.text(alphabet=string.digits, min_size=17, max_size=17))
def test_exactly_one_check_character_fits_and_it_agrees_with_the_standard(first17: str) -> None:
    fitting = [c for c in "0123456789X" if is_resident_id(first17 + c)]
    assert fitting == [resident_id_check_digit(first17)]
    assert iso7064_valid(first17 + fitting[0])


def test_id_numbers_are_recognised_only_with_the_right_shape() -> None:
    assert is_resident_id("11010519491231002x")
    assert not is_resident_id("11010519491231002")
    assert not is_resident_id("1101051949123100XX")


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("call 13812345678 now", "call 138****5678 now"),
        ("+86 138 1234 5678", "+86 138 **** 5678"),
        ("8613812345678", "86138****5678"),
        ("手机：１３８１２３４５６７８。", "手机：１３８****５６７８。"),
        ("座机 010-62345678 转 8", "座机 010-******78 转 8"),
        ("(0755)88776655", "(0755)******55"),
        ("021 5555555", "021 *****55"),
        ("mail li.ming+it@mail.example.com.cn!", "mail l*********@mail.example.com.cn!"),
        ("ID 11010519491231002X.", "ID 110***********002X."),
        ("ID 440524188001010014", "ID 440***********0014"),
        # Not personal data: a wrong check digit, too many digits, a non-mobile prefix, dates.
        ("ID 440524188001010015", "ID 440524188001010015"),
        ("order 138123456789", "order 138123456789"),
        ("12812345678", "12812345678"),
        ("INC0012345 on 2026-03-02 10:30", "INC0012345 on 2026-03-02 10:30"),
        ("no address@here", "no address@here"),
    ],
)
def test_masking_examples(text: str, masked: str) -> None:
    assert mask_text(text) == masked


def test_findings_are_ordered_and_do_not_overlap() -> None:
    text = "13812345678@163.com, then 13912345678"
    findings = find_personal_data(text)
    assert [(f.kind, text[f.start : f.end]) for f in findings] == [
        (PersonalDataKind.EMAIL, "13812345678@163.com"),
        (PersonalDataKind.MOBILE, "13912345678"),
    ]
    assert find_personal_data(text, frozenset({PersonalDataKind.MOBILE}))[0].end == 11


@given(st.text())
def test_masking_keeps_length_and_is_idempotent(text: str) -> None:
    masked = mask_text(text)
    assert len(masked) == len(text)
    assert mask_text(masked) == masked


PHONES = st.builds(
    lambda second, rest: f"1{second}{rest}",
    st.sampled_from("3456789"),
    st.text(alphabet=string.digits, min_size=9, max_size=9),
)
FILLER = st.text(alphabet=string.ascii_letters + " ,.:;，。", max_size=10)


@given(before=FILLER, phone=PHONES, after=FILLER)
def test_a_mobile_in_any_text_is_masked(before: str, phone: str, after: str) -> None:
    masked = mask_text(before + phone + after)
    assert phone not in masked
    assert masked == before + phone[:3] + "****" + phone[7:] + after


def test_policies_choose_kinds_and_round_trip() -> None:
    only_email = MaskingPolicy(mask={PersonalDataKind.EMAIL})
    assert only_email.mask_text("13812345678 a@b.cn") == "13812345678 a@b.cn"
    assert only_email.mask_text("13812345678 ab@b.cn") == "13812345678 a*@b.cn"
    assert MaskingPolicy.from_dict(MASK_ALL.to_dict()) == MASK_ALL
    assert MaskingPolicy.from_dict({}) == MASK_ALL
    assert MASK_ALL.to_dict()["mask"] == ["email", "id_card", "mobile", "landline"]
    for data in (None, {"mask": "email"}, {"drop_fields": ["id"]}, {"other": 1}):
        with pytest.raises(InvalidPolicy):
            MaskingPolicy.from_dict(data)
    with pytest.raises(InvalidPolicy, match="not a ticket field"):
        MaskingPolicy(drop_fields={"secret"})
    with pytest.raises(InvalidPolicy, match="'fax'"):
        MaskingPolicy(mask={"fax"})


SECRETS = ("13812345678", "ana@example.com", "11010519491231002X", "62345678")


def test_an_export_masks_every_text_and_drops_fields(story: Story) -> None:
    ticket = story[0]
    raw = json.dumps(export_ticket(ticket, MaskingPolicy()), ensure_ascii=False)
    assert not [secret for secret in SECRETS if secret in raw]
    assert "138****5678" in raw
    exported = export_ticket(ticket, MaskingPolicy(drop_fields={"work_notes"}))
    assert "work_notes" not in exported
    assert exported["id"] == "INC1"
    assert exported["status"] == "closed"
    plain = export_ticket(ticket, MaskingPolicy(mask=()))
    assert plain["symptom"] == ticket.symptom


def test_an_exported_audit_trail_is_masked(story: Story) -> None:
    policy = MaskingPolicy(drop_fields={"work_notes", "comments"})
    exported = [export_event(event, policy) for event in story[1]]
    raw = json.dumps(exported, ensure_ascii=False)
    assert not [secret for secret in SECRETS if secret in raw]
    assert [e["name"] for e in exported] == [e.name for e in story[1]]
    assert all("comment" not in e["payload"] and "work_note" not in e["payload"] for e in exported)
    kept = [export_event(event, MaskingPolicy()) for event in story[1]]
    assert kept[3]["payload"]["comment"]["text"] == "Please mail logs to a**@example.com"


# --- one person, masked the same way in every export and view -------------------------------

CUSTOMER = "zhang.wei@example.com"
AGENT = "ana.li@example.com"


def _story_by_email() -> tuple[Ticket, tuple[TicketEvent, ...]]:
    """The customer (an e-mail address) opens and comments; the agent (another) answers."""
    ctx = CommandContext(
        actor=CUSTOMER, role="customer", now=dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
    )
    ticket, opened = decide(
        None, OpenTicket(ticket_id="INC9", kind=TicketKind.INCIDENT, requester=CUSTOMER), ctx
    )
    ticket, commented = decide(ticket, AddComment(text="still down"), ctx)
    agent = CommandContext(actor=AGENT, role="agent", now=ctx.now + dt.timedelta(minutes=5))
    ticket, answered = decide(ticket, AddComment(text="on it"), agent)
    return ticket, (*opened, *commented, *answered)


def test_the_same_person_is_masked_the_same_way_in_every_export() -> None:
    ticket, events = _story_by_email()
    policy = MaskingPolicy()
    masked_customer = policy.mask_text(CUSTOMER)
    assert masked_customer != CUSTOMER
    exported = export_ticket(ticket, policy)
    trail = [export_event(event, policy) for event in events]
    view = redacted_view(
        STANDARD_ACCESS_POLICY, Actor(id="boss", roles={"manager"}), ticket, policy
    )
    assert exported["requester"] == masked_customer
    assert view["requester"] == masked_customer
    assert exported["comments"][0]["author"] == masked_customer
    assert [entry["actor"] for entry in trail] == [
        masked_customer,
        masked_customer,
        policy.mask_text(AGENT),
    ]
    assert trail[0]["payload"]["requester"] == masked_customer
    assert trail[1]["payload"]["comment"]["author"] == masked_customer
    raw = json.dumps([exported, trail, dict(view.fields)], ensure_ascii=False)
    assert CUSTOMER not in raw
    assert AGENT not in raw


def test_identifiers_and_vocabulary_of_an_event_are_kept() -> None:
    _, events = _story_by_email()
    exported = export_event(events[0], MaskingPolicy())
    plain = make_converter().unstructure(events[0])
    kept = {name: value for name, value in exported.items() if value == plain[name]}
    assert set(kept) >= {"ticket_id", "sequence", "name", "at", "role", "to_state", "to_status"}
    assert exported["actor"] != plain["actor"]
    assert set(exported) == set(plain)
