"""Customer communications: templates, every moment, keys that never duplicate, the outbox feed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from itsm_core.adapters.sqlite import SqliteEventStore, SqliteOutbox
from itsm_core.communications import (
    Moment,
    NoticeRules,
    Notification,
    Recipient,
    Templates,
    follow_up_reminder,
    notifications,
)
from itsm_core.customers import Contact, Customer
from itsm_core.desk import OutboxFeed, OutboxStatus
from itsm_core.errors import InvalidTemplate, UnknownLanguage, ValidationError
from itsm_core.sla import PolicySet, evaluate
from itsm_core.tickets import (
    AddComment,
    Command,
    CommandContext,
    LinkSurvey,
    OpenTicket,
    Resolve,
    Ticket,
    TicketEvent,
    TicketKind,
    decide,
)

T0 = dt.datetime(2026, 12, 7, 1, 0, tzinfo=dt.UTC)  # 09:00 in Shanghai
LI = Recipient(address="li@example.cn", name="李女士", language="zh-CN", zone="Asia/Shanghai")
ANN = Recipient(address="ann@example.com", name="Ann", language="en-GB", zone="Europe/London")
TEMPLATES = Templates.default()
POLICIES = PolicySet.from_dict(
    {
        "policies": [
            {
                "name": "incidents",
                "metrics": [
                    {
                        "clock": "resolution",
                        "targets": {"*": "8 hours"},
                        "thresholds": [
                            {"name": "warn-75", "percent": 75},
                            {"name": "breach", "action": "breach", "percent": 100},
                        ],
                    }
                ],
            }
        ]
    }
)


Decided = tuple[Ticket, tuple[TicketEvent, ...]]
Derived = list[Notification]


def opened(kind: TicketKind = TicketKind.INCIDENT, **fields: Any) -> Decided:
    command = OpenTicket(
        ticket_id="INC7", kind=kind, requester="li", symptom="VPN 无法连接", **fields
    )
    return decide(None, command, CommandContext(actor="li", role="customer", now=T0))


def then(ticket: Ticket, command: Command, at: dt.datetime) -> Decided:
    return decide(ticket, command, CommandContext(actor="ana", role="agent", now=at))


def test_an_acknowledgement_has_the_reference_next_steps_and_expected_time() -> None:
    ticket, events = opened()
    report = evaluate(POLICIES, events, T0)
    [ack] = notifications(ticket, events, report, LI, TEMPLATES, T0)
    assert ack.kind is Moment.ACKNOWLEDGEMENT
    assert ack.key == "INC7/acknowledgement/1/li@example.cn"
    assert (ack.channel, ack.language, ack.at) == ("email", "zh_CN", T0)
    assert "INC7" in ack.subject
    assert "工程师正在处理" in ack.body
    assert ack.facts["expected"] == "2026年12月7日 17:00"  # 8 hours later, in Shanghai
    [english] = notifications(ticket, events, report, ANN, TEMPLATES, T0)
    assert english.body.startswith("Dear Ann, we have received your request INC7")
    assert "Dec 7, 2026" in english.facts["expected"]


def test_a_delay_notice_comes_before_the_breach_and_only_once() -> None:
    ticket, events = opened()
    at_70 = T0 + dt.timedelta(hours=5, minutes=36)
    at_80 = T0 + dt.timedelta(hours=6, minutes=24)
    assert notifications(ticket, (), evaluate(POLICIES, events, at_70), LI, TEMPLATES, at_70) == ()
    [notice] = notifications(ticket, (), evaluate(POLICIES, events, at_80), LI, TEMPLATES, at_80)
    assert notice.kind is Moment.DELAY_NOTICE
    assert notice.at == T0 + dt.timedelta(hours=6)  # the 75 % threshold
    assert notice.key == "INC7/delay_notice/resolution/1/warn-75/li@example.cn"
    assert notice.facts["due"] == "2026年12月7日 17:00"
    assert notice.facts["new_due"] == "2026年12月8日 17:00"  # the default extension: 24 h
    assert "处理工作需要比计划更多的时间" in notice.body
    later = T0 + dt.timedelta(hours=7)
    [same] = notifications(ticket, (), evaluate(POLICIES, events, later), LI, TEMPLATES, later)
    assert same == notice  # derived again: the same key, nothing new for an outbox
    after_breach = T0 + dt.timedelta(hours=9)
    report = evaluate(POLICIES, events, after_breach)
    assert notifications(ticket, (), report, LI, TEMPLATES, after_breach) == ()  # too late


def test_a_delay_gives_the_agents_reason_and_the_promised_time() -> None:
    promised = T0 + dt.timedelta(days=2)
    reason = {"delay_reason": "等待备件到货"}
    ticket, events = opened(expected_resolution_at=promised, attributes=reason)
    now = T0 + dt.timedelta(hours=7)
    [notice] = notifications(ticket, (), evaluate(POLICIES, events, now), LI, TEMPLATES, now)
    assert notice.facts["reason"] == "等待备件到货"
    assert notice.facts["new_due"] == "2026年12月9日 09:00"


def test_resolution_survey_progress_bulletin_and_follow_up() -> None:
    ticket, _ = opened()
    ticket, _ = then(ticket, AddComment(text="正在排查"), T0 + dt.timedelta(hours=1))
    rules = NoticeRules(progress_every=dt.timedelta(hours=4))
    now = T0 + dt.timedelta(hours=9, minutes=30)
    [update] = notifications(ticket, (), None, LI, TEMPLATES, now, rules=rules)
    assert update.kind is Moment.PROGRESS_UPDATE
    assert update.at == T0 + dt.timedelta(hours=9)  # two intervals after the last reply
    assert update.facts["expected"] == "尽快"
    ticket, resolved = then(ticket, Resolve(code="fixed", note="已重置 VPN 证书"), now)
    ticket, linked = then(ticket, LinkSurvey(survey="https://s.example.cn/1"), now)
    found = notifications(ticket, (*resolved, *linked), None, LI, TEMPLATES, now, rules=rules)
    assert [n.kind for n in found] == [Moment.RESOLUTION, Moment.SURVEY_INVITATION]
    assert "已重置 VPN 证书" in found[0].body
    assert "确认" in found[0].subject
    assert found[1].facts["survey"] == "https://s.example.cn/1"
    major, events = opened(TicketKind.MAJOR_INCIDENT, service="电子邮件")
    [bulletin] = notifications(major, events, None, ANN, TEMPLATES, T0)
    assert bulletin.kind is Moment.EMERGENCY_BULLETIN
    assert bulletin.subject == "Service alert: 电子邮件"
    visit = T0 + dt.timedelta(days=3)
    reminder = follow_up_reminder(ticket, LI, TEMPLATES, visit, at=T0 + dt.timedelta(days=2))
    assert reminder.kind is Moment.FOLLOW_UP_REMINDER
    assert reminder.facts["visit_at"] == "2026年12月10日 09:00"
    again = follow_up_reminder(ticket, LI, TEMPLATES, visit, at=T0 + dt.timedelta(days=2))
    assert reminder == again


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{ticket.id}", "field {ticket.id} is not a plain {name} field"),
        ("{reference[0]}", "field {reference[0]} is not a plain {name} field"),
        ("{reference!r}", "field {reference!r} is not a plain {name} field"),
        ("{reference:>9}", "field {reference:>9} is not a plain {name} field"),
        ("{0}", "field {0} is not a plain {name} field"),
        ("{secret}", "unknown field {secret} for delay_notice"),
        ("{reference", "not a template"),
        (" ", "expected a non-blank string"),
    ],
)
def test_user_templates_may_use_only_the_moments_plain_fields(text: str, message: str) -> None:
    data = {"delay_notice": {"zh-CN": {"subject": "延迟", "body": text}}}
    with pytest.raises(InvalidTemplate) as caught:
        Templates.from_dict(data, base=TEMPLATES)
    assert caught.value.problems[0].path == "delay_notice.zh-CN.body"  # as given
    assert message in caught.value.problems[0].message


def test_templates_load_from_plain_data_and_round_trip() -> None:
    assert Templates.from_dict(TEMPLATES.to_dict()) == TEMPLATES
    own = Templates.from_dict(
        {"acknowledgement": {"zh": {"subject": "已受理 {reference}", "body": "{name}：已受理"}}},
        base=TEMPLATES,
    )
    ticket, events = opened()
    [ack] = notifications(ticket, events, None, LI, own, T0)
    assert (ack.subject, ack.body) == ("已受理 INC7", "李女士：已受理")
    with pytest.raises(InvalidTemplate) as caught:
        Templates.from_dict({"greeting": {}, "resolution": {"fr": {}, "en": {"subject": "x"}}})
    paths = [problem.path for problem in caught.value.problems]
    assert paths == ["greeting", "resolution.fr", "resolution.en.body"]
    assert own.merged(Templates({})) == own
    with pytest.raises(InvalidTemplate, match=r"survey_invitation\.en"):
        Templates({}).get(Moment.SURVEY_INVITATION, "en")


def test_recipients_and_rules_are_checked() -> None:
    with pytest.raises(UnknownLanguage, match="language"):
        Recipient(address="x", name="x", language="fr")
    with pytest.raises(ValidationError) as caught:
        Recipient(address=" ", name="x", language="en", zone="Mars/Olympus", channel="")
    assert [p.path for p in caught.value.problems] == ["address", "channel", "zone"]
    with pytest.raises(ValidationError, match="progress_every"):
        NoticeRules(progress_every=dt.timedelta(0))
    ticket, events = opened()
    with pytest.raises(ValidationError, match="now"):
        notifications(ticket, events, None, LI, TEMPLATES, T0.replace(tzinfo=None))


def _derive(
    ticket: Ticket, history: tuple[TicketEvent, ...], new: tuple[TicketEvent, ...]
) -> Derived:
    return list(notifications(ticket, new, None, LI, TEMPLATES, new[-1].at))


def _desk_events() -> list[tuple[str, tuple[TicketEvent, ...]]]:
    appends = []
    for n in range(6):
        ticket, events = decide(
            None,
            OpenTicket(ticket_id=f"T{n}", kind=TicketKind.INCIDENT, requester="li"),
            CommandContext(actor="li", role="customer", now=T0 + dt.timedelta(minutes=n)),
        )
        appends.append((ticket.id, events))
        if n % 2:
            _, resolved = then(ticket, Resolve(code="fixed", note="ok"), T0 + dt.timedelta(hours=n))
            appends.append((ticket.id, resolved))
    return appends


def test_a_customers_contact_is_a_recipient_on_their_preferred_channel() -> None:
    zhao = Contact(id="zhao", name="赵女士", phone="13800000001", channels=["chat", "mobile"])
    ann = Contact(id="ann", name="Ann", phone="+44 20 5555 0100", email="ann@acme.co.uk")
    acme = Customer(
        id="acme", name="ACME", language="en-GB", time_zone="Europe/London", contacts=[ann, zhao]
    )
    # The first contact; no preferred channel: e-mail, since Ann has an address.
    assert Recipient.of(acme) == Recipient(
        address="ann@acme.co.uk", name="Ann", language="en", zone="Europe/London"
    )
    # Chat cannot carry a message: the next preferred channel, mobile, to the number.
    ticket, events = opened()
    (zhao_told,) = notifications(ticket, events, None, Recipient.of(acme, "zhao"), TEMPLATES, T0)
    assert (zhao_told.channel, zhao_told.recipient.address) == ("mobile", "13800000001")
    assert zhao_told.recipient.name == "赵女士"
    assert zhao_told.language == "en"  # the customer's language, not a guess from the name
    assert Recipient.of(acme, "ann", channel="phone").address == "+44 20 5555 0100"
    assert Recipient.of(acme, "zhao", channel="email").address == "13800000001"  # none better
    with pytest.raises(ValidationError, match=r"contact_id: no contact 'wu' \(contacts: ann"):
        Recipient.of(acme, "wu")
    with pytest.raises(ValidationError, match="no contact to tell"):
        Recipient.of(Customer(id="solo", name="Solo"))


def test_a_feed_and_a_sender_that_crash_lose_nothing_and_send_nothing_twice(tmp_path: Path) -> None:
    db = tmp_path / "desk.db"
    events = SqliteEventStore[TicketEvent](db)
    for stream, batch in _desk_events():
        events.append(stream, batch, batch[0].sequence - 1)

    def crash_on_third(
        ticket: Ticket, history: tuple[TicketEvent, ...], new: tuple[TicketEvent, ...]
    ) -> Derived:
        if ticket.id == "T3":
            raise RuntimeError("killed")
        return _derive(ticket, history, new)

    outbox = SqliteOutbox(db)
    with pytest.raises(RuntimeError):
        OutboxFeed(events, outbox, crash_on_third, batch=2).catch_up()
    assert outbox.position("notifications") == 4  # two batches committed before the crash
    outbox.close()
    restarted = SqliteOutbox(db)  # a new process on the same file
    OutboxFeed(events, restarted, _derive, batch=3).catch_up()
    assert restarted.count() == 9  # six acknowledgements, three resolutions: each once
    lease = dt.timedelta(minutes=1)
    later = T0 + dt.timedelta(days=1)
    taken = restarted.claim(later, worker="crashed", lease=lease, limit=4)  # then it dies
    retaken = restarted.claim(later + lease, worker="w2", lease=lease, limit=100)
    assert {e.key for e in taken} <= {e.key for e in retaken}
    assert len(retaken) == 9
    for entry in retaken:
        restarted.mark_sent(entry.key, at=later + lease)
    assert restarted.claim(later + 10 * lease, worker="w3", lease=lease) == ()
    assert restarted.count(OutboxStatus.SENT) == 9
    restarted.close()
    events.close()
