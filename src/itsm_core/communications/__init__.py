"""Customer communications as pure outputs: what to tell the customer, when, in their language.

The standards ask the desk to answer at once with the next steps and the expected time
(即时响应与安抚), to warn before a delay with the reason and a new time (提前告知客户), to keep
the customer informed of progress, to tell every affected customer first in an emergency
(第一时间向客户通报), to ask for confirmation and satisfaction, and to follow up (回访).

:func:`notifications` decides, from a ticket's new events and its SLA clocks, which of those
moments (:class:`Moment`) happen now for one :class:`Recipient`, and returns each as a
:class:`Notification`: a frozen intent with its texts rendered from :class:`Templates` in the
recipient's language, due times in their time zone, and an idempotency key that deriving
again always gives the same. The library sends nothing: the embedding app delivers the
intents, through an outbox (:class:`itsm_core.desk.Outbox`) so none is lost or sent twice.

>>> import datetime as dt
>>> from itsm_core.tickets import CommandContext, OpenTicket, TicketKind, decide
>>> now = dt.datetime(2026, 12, 8, 1, 30, tzinfo=dt.UTC)
>>> ticket, events = decide(None, OpenTicket(ticket_id="INC7", kind=TicketKind.INCIDENT,
...     requester="li", symptom="VPN 无法连接"), CommandContext(actor="li", role="customer",
...     now=now))
>>> li = Recipient(address="li@example.cn", name="李女士", language="zh-CN",
...                zone="Asia/Shanghai")
>>> [ack] = notifications(ticket, events, None, li, Templates.default(), now)
>>> ack.key, ack.subject
('INC7/acknowledgement/1/li@example.cn', '我们已收到您的请求 INC7')
"""

from itsm_core.communications._derive import NoticeRules, follow_up_reminder, notifications
from itsm_core.communications._moments import FIELDS, Moment
from itsm_core.communications._notification import Notification, notification_key
from itsm_core.communications._recipient import Recipient
from itsm_core.communications._templates import Template, Templates

__all__ = [
    "FIELDS",
    "Moment",
    "NoticeRules",
    "Notification",
    "Recipient",
    "Template",
    "Templates",
    "follow_up_reminder",
    "notification_key",
    "notifications",
]
