"""A notification intent: what to tell whom, on which channel, in which language, once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import attrs

from itsm_core._checks import check_aware, frozen_mapping

from ._moments import Moment
from ._recipient import Recipient


@attrs.frozen(kw_only=True)
class Notification:
    """A message the embedding app is to deliver: the library decides, the app sends.

    Attributes:
        key: its idempotency key (:func:`notification_key`): the same moment of the same
            ticket for the same recipient always gets the same key, however often it is
            derived again, so an outbox stores it once and a gateway can drop a repeat.
        kind: the moment (:class:`Moment`).
        ticket_id: the ticket it is about.
        recipient: whom it is for.
        channel: how to send it (the recipient's preferred channel).
        language: the catalogue language it is written in (``zh_CN``, ``en``).
        subject, body: the rendered texts.
        facts: the rendered facts the template was filled with, by field name.
        at: when it is due: the instant of its moment (the event, the threshold...).

    Notifications compare by value; they are not hashable (``facts`` is a mapping).
    """

    key: str
    kind: Moment = attrs.field(converter=Moment)
    ticket_id: str
    recipient: Recipient
    channel: str
    language: str
    subject: str
    body: str
    facts: Mapping[str, str] = attrs.field(factory=dict, converter=frozen_mapping)
    at: dt.datetime

    def __attrs_post_init__(self) -> None:
        check_aware(self.at, "Notification.at")


def notification_key(ticket_id: str, moment: Moment, anchor: str, address: str) -> str:
    """``ticket/moment/anchor/address``: ``anchor`` is what makes the moment happen once
    (the event's sequence number, the SLA threshold's ``clock/cycle/threshold``, the
    follow-up's time...).

    >>> notification_key("INC7", Moment.ACKNOWLEDGEMENT, "1", "li@example.cn")
    'INC7/acknowledgement/1/li@example.cn'
    """
    return f"{ticket_id}/{Moment(moment).value}/{anchor}/{address}"
