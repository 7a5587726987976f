"""The customer's side of the week: notices derived from the events and the SLA clocks, kept in
an outbox, and a delay told in Chinese before the target is missed (提前告知客户).

An outbox feed derives the acknowledgements, resolutions and survey invitations from the
event log (messages and checkpoint committed together); at each SLA wake-up the desk derives
the delay notices of the warnings due then. Every message has an idempotency key, so deriving
again stores nothing twice; a sender claims them under a lease and marks them sent.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections import Counter

from _week_desk import CALENDARS, END_OF_WEEK, POLICIES, heading
from _week_run import Week

from itsm_core.communications import Moment, Notification, Recipient, Templates, notifications
from itsm_core.customers import Contact, Customer, CustomerDirectory
from itsm_core.desk import InMemoryOutbox, OutboxFeed
from itsm_core.sla import evaluate, next_change_at
from itsm_core.tickets import Ticket, TicketEvent, replay

#: The week's customers: each requester is the contact of a customer (two firms, and people
#: on their own), with the channels they prefer; their notices go where they prefer.
CUSTOMERS = CustomerDirectory(
    [
        Customer(
            id="jinqiao-bank",
            name="金桥银行",
            tier="vip",
            vip_channel="vip-desk",
            contacts=[
                Contact(id="Ms Zhao", name="赵女士", phone="13800000001", channels=["mobile"]),
                Contact(id="Mr Qian", name="钱先生", email="qian@jinqiao.cn", channels=["email"]),
            ],
        ),
        Customer(
            id="huadong-logistics",
            name="华东物流",
            contacts=[
                Contact(
                    id="Ms Sun", name="孙女士", phone="13800000003", channels=["chat", "phone"]
                ),
                Contact(id="Mr Li", name="李先生", email="li@huadong.cn", phone="13800000004"),
            ],
        ),
        *(
            Customer(
                id=slug,
                name=name,
                contacts=[Contact(id=requester, name=name, phone=phone, channels=["mobile"])],
            )
            for requester, name, slug, phone in (
                ("Ms Zhou", "周女士", "zhou", "13800000005"),
                ("Mr Wu", "吴先生", "wu", "13800000006"),
                ("Ms Zheng", "郑女士", "zheng", "13800000007"),
                ("Mr Wang", "王先生", "wang", "13800000008"),
            )
        ),
    ]
)
TEMPLATES = Templates.default()


def recipient(requester: str) -> Recipient | None:
    """The requester as their customer's contact: told in the customer's language and time
    zone, on the channel they prefer; None for the desk's own staff (internal requests)."""
    customer = CUSTOMERS.customer_of(requester)
    return None if customer is None else Recipient.of(customer, requester)


def derive(
    ticket: Ticket, history: tuple[TicketEvent, ...], new: tuple[TicketEvent, ...]
) -> list[Notification]:
    """The event-driven notices of one ticket (the feed's ``derive``)."""
    now = new[-1].at
    to = recipient(ticket.requester)
    if to is None:
        return []
    report = evaluate(POLICIES, history, now, calendars=CALENDARS)
    return list(notifications(ticket, new, report, to, TEMPLATES, now))


def delay_notices(week: Week, outbox: InMemoryOutbox) -> tuple[int, int]:
    """Wake at every SLA change of every ticket, as a scheduler would, and put the notices
    due then; the number derived and the number stored (each key once)."""
    derived = stored = 0
    for ticket_id in week.rows:
        history = week.desk.history(ticket_id)
        now: dt.datetime | None = history[0].at
        while now is not None and now < END_OF_WEEK:
            seen = tuple(event for event in history if event.at <= now)
            report = evaluate(POLICIES, seen, now, calendars=CALENDARS)
            ticket = replay(seen)
            to = recipient(ticket.requester)
            found = () if to is None else notifications(ticket, (), report, to, TEMPLATES, now)
            derived += len(found)
            stored += outbox.put(found)
            later = [event.at for event in history if event.at > now]
            change = next_change_at(report, now)
            now = min([*later, *([change] if change is not None else [])], default=None)
    return derived, stored


def show(week: Week) -> None:
    """Print the customer notices of the week and one delay notice in full."""
    heading("Customer notices: told at once, warned before a delay (即时响应与安抚, 提前告知客户)")
    outbox = InMemoryOutbox()
    fed = OutboxFeed(week.desk.store, outbox, derive).catch_up()
    stored_by_feed = outbox.count()
    OutboxFeed(week.desk.store, outbox, derive, name="replayed").catch_up()  # from 0 again
    assert outbox.count() == stored_by_feed  # every key was already there
    derived, stored = delay_notices(week, outbox)
    delay_notices(week, outbox)  # the scheduler woken again: nothing new
    claimed = outbox.claim(
        END_OF_WEEK, worker="sms-gateway", lease=dt.timedelta(minutes=5), limit=10_000
    )
    for entry in claimed:
        outbox.mark_sent(entry.key, at=END_OF_WEEK)
    kinds = Counter(entry.message.kind for entry in claimed)
    again = outbox.claim(END_OF_WEEK, worker="again", lease=dt.timedelta(minutes=5))
    print(
        f"The outbox feed read {fed.events} events and stored {stored_by_feed} notices; a second"
        " feed from the start stored none."
    )
    print(
        f"The SLA scheduler derived {derived} delay notices at its wake-ups and stored {stored}:"
        " each key once."
    )
    sent = ", ".join(f"{kind.value} {kinds[kind]}" for kind in Moment if kinds[kind])
    print(f"Sent: {sent}; claimed again after: {len(again)}.")
    channels = Counter(entry.message.channel for entry in claimed)
    on = ", ".join(f"{channel} {n}" for channel, n in sorted(channels.items()))
    print(f"On each contact's preferred channel: {on}; internal requests get no customer notice.")
    delays = [entry.message for entry in claimed if entry.message.kind is Moment.DELAY_NOTICE]
    if delays:
        notice = min(delays, key=lambda message: (message.at, message.key))
        print()
        print(f"The first delay notice, due {notice.at:%A %H:%M} ({notice.key}):")
        print(f"  [{notice.channel} to {notice.recipient.address}] {notice.subject}")
        for line in textwrap.wrap(notice.body, 60):  # CJK text: 60 characters fill a line
            print(f"  {line}")
