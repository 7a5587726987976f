"""Who a notification goes to: an address, a name, a language, a time zone and a channel."""

from __future__ import annotations

import zoneinfo
from typing import Any

import attrs

from itsm_core._plain import blank_problem, shown
from itsm_core.customers import Contact, Customer
from itsm_core.errors import Problem, UnknownLanguage, ValidationError
from itsm_core.i18n import LANGUAGES, language_of
from itsm_core.tickets import Channel

#: The channels a message can be delivered on, and the contact detail each needs: a request
#: that came by web, chat or walk-in is answered by e-mail or phone.
_DELIVERY: dict[Channel, str] = {
    Channel.EMAIL: "email",
    Channel.PHONE: "phone",
    Channel.MOBILE: "phone",
}


def _zone_problem(name: object) -> Problem | None:
    if not isinstance(name, str) or not name.strip():
        return Problem("zone", f"expected an IANA time zone name, got {shown(name)}")
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return Problem("zone", f"unknown time zone {shown(name)} (expected e.g. 'Asia/Shanghai')")
    return None


def _language(tag: Any) -> Any:
    """A language tag as its catalogue language (``"zh-CN"`` is ``"zh_CN"``); anything that
    is not a known tag is kept as given, for the checks to refuse with the others."""
    try:
        return language_of(tag)
    except UnknownLanguage:
        return tag


@attrs.frozen(kw_only=True)
class Recipient:
    """The customer a notification is for, as the communications need them.

    Attributes:
        address: where the channel delivers (an e-mail address, a phone number, an account).
        name: how to address them (``张先生``, ``ACME IT``).
        language: a language tag with a catalogue (``zh-CN``, ``en-GB``), kept as the
            catalogue's language (``zh_CN``, ``en``).
        zone: their IANA time zone: due times are shown in it.
        channel: how they prefer to be told (``email``, ``sms``, ``wechat``...: the
            embedding app's vocabulary).

    >>> Recipient(address="li@example.cn", name="李女士", language="zh-Hans",
    ...           zone="Asia/Shanghai").language
    'zh_CN'
    """

    address: str
    name: str
    language: str = attrs.field(converter=_language)
    zone: str = "UTC"
    channel: str = "email"

    def __attrs_post_init__(self) -> None:
        problems = [
            found
            for found in (
                blank_problem(self.address, "address"),
                blank_problem(self.name, "name"),
                blank_problem(self.channel, "channel"),
                _zone_problem(self.zone),
            )
            if found is not None
        ]
        language: object = self.language
        try:
            language_of(self.language, path="language")
        except UnknownLanguage as exc:
            raise UnknownLanguage(
                language if isinstance(language, str) else repr(language),
                LANGUAGES,
                path="language",
                subject="Recipient",
                others=problems,
            ) from exc
        if problems:
            raise ValidationError("Recipient", problems)

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        """The time zone as a ``tzinfo``."""
        return zoneinfo.ZoneInfo(self.zone)

    @classmethod
    def of(
        cls, customer: Customer, contact_id: str | None = None, *, channel: str | None = None
    ) -> Recipient:
        """The contact ``contact_id`` of ``customer`` (its first contact when None) as a
        recipient: the contact's name, the customer's language and time zone, and the
        contact's first preferred channel that a message can be delivered on (``email`` to
        the e-mail address, ``phone`` or ``mobile`` to the number); without one, e-mail when
        the contact has an address, else the phone. ``channel`` overrides the choice (the
        address is then the e-mail address for ``email``, else the number when there is one).

        >>> from itsm_core.customers import Contact, Customer
        >>> acme = Customer(id="acme", name="ACME", contacts=[Contact(id="li", name="李女士",
        ...     phone="13800000000", email="li@acme.cn", channels=["chat", "phone"])])
        >>> li = Recipient.of(acme, "li")
        >>> li.address, li.channel, li.language, li.zone
        ('13800000000', 'phone', 'zh_CN', 'Asia/Shanghai')
        >>> Recipient.of(acme, channel="email").address
        'li@acme.cn'

        Raises:
            ValidationError: the customer has no contact of that id (or none at all).
        """
        contact = _contact(customer, contact_id)
        if channel is None:
            chosen = next(
                (c for c in contact.channels if _address(contact, _DELIVERY.get(c))), None
            )
            channel = (
                chosen.value if chosen is not None else ("email" if contact.email else "phone")
            )
        detail = _DELIVERY.get(Channel(channel)) if channel in set(Channel) else None
        address = _address(contact, detail) or contact.email or contact.phone
        assert address is not None  # a contact has a phone number or an e-mail address
        return cls(
            address=address,
            name=contact.name,
            language=customer.language,
            zone=customer.time_zone,
            channel=channel,
        )


def _contact(customer: Customer, contact_id: str | None) -> Contact:
    found = customer.contacts[0] if customer.contacts and contact_id is None else None
    if contact_id is not None:
        found = customer.contact(contact_id)
    if found is None:
        if contact_id is None:
            problem = Problem("contacts", "the customer has no contact to tell")
        else:
            known = ", ".join(c.id for c in customer.contacts) or "none"
            problem = Problem("contact_id", f"no contact {shown(contact_id)} (contacts: {known})")
        raise ValidationError(f"Recipient.of customer {shown(customer.id)}", [problem])
    return found


def _address(contact: Contact, detail: str | None) -> str | None:
    if detail == "email":
        return contact.email
    if detail == "phone":
        return contact.phone
    return None
