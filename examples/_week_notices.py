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
from itsm_core.desk import InMemoryOutbox, OutboxFeed
from itsm_core.sla import evaluate, next_change_at
from itsm_core.tickets import Ticket, TicketEvent, replay

#: The week's customers as their notices address them.
NAMES = {
    "Ms Zhao": ("赵女士", "zhao"),
    "Mr Qian": ("钱先生", "qian"),
    "Ms Sun": ("孙女士", "sun"),
    "Mr Li": ("李先生", "li"),
    "Ms Zhou": ("周女士", "zhou"),
    "Mr Wu": ("吴先生", "wu"),
    "Ms Zheng": ("郑女士", "zheng"),
    "Mr Wang": ("王先生", "wang"),
}
TEMPLATES = Templates.default()


def recipient(requester: str) -> Recipient:
    """The requester as a recipient: Chinese, in Shanghai, told by SMS."""
    name, slug = NAMES.get(requester, (requester, requester.lower().replace(" ", ".")))
    return Recipient(
        address=f"{slug}@example.cn",
        name=name,
        language="zh-CN",
        zone="Asia/Shanghai",
        channel="sms",
    )


def derive(
    ticket: Ticket, history: tuple[TicketEvent, ...], new: tuple[TicketEvent, ...]
) -> list[Notification]:
    """The event-driven notices of one ticket (the feed's ``derive``)."""
    now = new[-1].at
    report = evaluate(POLICIES, history, now, calendars=CALENDARS)
    return list(notifications(ticket, new, report, recipient(ticket.requester), TEMPLATES, now))


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
            found = notifications(ticket, (), report, recipient(ticket.requester), TEMPLATES, now)
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
    delays = [entry.message for entry in claimed if entry.message.kind is Moment.DELAY_NOTICE]
    if delays:
        notice = min(delays, key=lambda message: (message.at, message.key))
        print()
        print(f"The first delay notice, due {notice.at:%A %H:%M} ({notice.key}):")
        print(f"  [{notice.channel} to {notice.recipient.address}] {notice.subject}")
        for line in textwrap.wrap(notice.body, 60):  # CJK text: 60 characters fill a line
            print(f"  {line}")
