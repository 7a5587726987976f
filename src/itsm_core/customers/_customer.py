"""Customers and their contacts as data: who they are, how to reach them, how to serve them."""

from __future__ import annotations

import zoneinfo
from collections.abc import Mapping
from typing import Any

import attrs

from itsm_core._plain import (
    as_list,
    as_mapping,
    build,
    check_keys,
    is_a,
    is_text,
    join,
    read_enum,
    shown,
    tuple_or_given,
)
from itsm_core.errors import DeserializationError, Problem, UnknownLanguage, ValidationError
from itsm_core.i18n import language_of
from itsm_core.tickets import Channel


def _text_problem(value: object, path: str) -> Problem | None:
    if is_text(value):
        return None
    return Problem(path, f"expected a non-blank string, got {shown(value)}")


def _optional_text_problems(owner: object, *names: str) -> list[Problem]:
    found = []
    for name in names:
        value = getattr(owner, name)
        if value is not None and not is_text(value):
            found.append(Problem(name, f"expected a non-blank string or None, got {shown(value)}"))
    return found


def zone_problem(key: object, path: str) -> Problem | None:
    """The problem of ``key`` as an IANA time zone name (``Asia/Shanghai``), or None."""
    if is_text(key):
        try:
            zoneinfo.ZoneInfo(key)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError, OSError):
            pass
        else:
            return None
    return Problem(path, f"expected an IANA time zone name, got {shown(key)}")


def language_problems(tag: object, path: str) -> list[Problem]:
    """The problems of ``tag`` as a language with a message catalogue (none when it has one)."""
    try:
        language_of(tag, path=path)  # type: ignore[arg-type]  # checked by language_of
    except UnknownLanguage as error:
        return list(error.problems)
    return []


@attrs.frozen(kw_only=True)
class Contact:
    """A person to reach at a customer: by phone and/or e-mail, through ``channels`` in the
    order they prefer (values of :class:`~itsm_core.tickets.Channel`).

    ``id`` is what tickets name as their ``requester`` when this person files them.

    >>> Contact(id="li", name="Li Wei", phone="+86 10 5555 0101", channels=["phone"]).channels
    (<Channel.PHONE: 'phone'>,)
    >>> Contact(id="li", name="Li Wei", channels=["fax"])
    Traceback (most recent call last):
    ...
    itsm_core.errors.ValidationError: invalid value for Contact 'li': 2 problems
      - phone: a contact needs a phone number or an e-mail address
      - channels[0]: expected one of 'phone', 'email', 'web', 'chat', 'on_site', 'mobile', got 'fax'
    """

    id: str
    name: str
    phone: str | None = None
    email: str | None = None
    channels: tuple[Channel, ...] = attrs.field(default=(), converter=tuple_or_given)

    def __attrs_post_init__(self) -> None:
        problems = [
            p for p in (_text_problem(self.id, "id"), _text_problem(self.name, "name")) if p
        ]
        problems.extend(_optional_text_problems(self, "phone", "email"))
        if self.phone is None and self.email is None:
            problems.append(Problem("phone", "a contact needs a phone number or an e-mail address"))
        if self.email is not None and is_text(self.email) and "@" not in self.email:
            problems.append(Problem("email", f"{shown(self.email)} is not an e-mail address"))
        if not is_a(self.channels, tuple):
            problems.append(Problem("channels", f"expected a list, got {shown(self.channels)}"))
        else:
            channels = [
                read_enum(c, Channel, f"channels[{i}]", problems)
                for i, c in enumerate(self.channels)
            ]
            if len(set(channels)) < len(channels):
                problems.append(Problem("channels", "a channel is listed twice"))
            object.__setattr__(self, "channels", tuple(channels))
        if problems:
            raise ValidationError(f"Contact {shown(self.id)}", problems)

    def to_dict(self) -> dict[str, object]:
        """Plain, JSON-safe data (fields left unset are left out)."""
        data: dict[str, object] = {"id": self.id, "name": self.name}
        for name in ("phone", "email"):
            if getattr(self, name) is not None:
                data[name] = getattr(self, name)
        if self.channels:
            data["channels"] = [channel.value for channel in self.channels]
        return data


@attrs.frozen(kw_only=True)
class Customer:
    """A customer of the desk, and how to serve them.

    Attributes:
        id: the customer's id; tickets name it (or one of its contacts' ids) as ``requester``.
        name: how the customer is called.
        tier: a name of the desk's customer-tier vocabulary
            (:class:`~itsm_core.priority.TierVocabulary`, the one priority, SLA selection,
            routing and reports use); ``regular`` by default.
        segment: a name of the desk's value segments (:class:`SegmentVocabulary`: ``high``,
            ``mid`` or ``low`` value by default), or None when not segmented.
        language: the language messages to the customer are written in (a tag with a message
            catalogue, see :func:`~itsm_core.i18n.language_of`); ``zh-CN`` by default.
        time_zone: the IANA time zone the customer reads times in; ``Asia/Shanghai`` by default.
        calendar: the name of the business calendar the customer is served on (follow-up
            visits count business days on it), or None for the desk's own.
        contacts: the people to reach, each with their preferred channels.
        vip_channel: the assignment group of the customer's VIP dedicated channel
            (VIP客户专属客服通道), or None. Routing sends tickets by tier, so the customers of
            one tier share one channel (:meth:`CustomerDirectory.vip_routing_rules`).

    The tier and segment are checked against the vocabularies in use by
    :class:`CustomerDirectory`; the rest is checked here.

    >>> Customer(id="acme", name="ACME", language="fr", time_zone="Mars/Olympus")
    Traceback (most recent call last):
    ...
    itsm_core.errors.ValidationError: invalid value for Customer 'acme': 2 problems
      - language: unknown language 'fr' (known: en, zh_CN)
      - time_zone: expected an IANA time zone name, got 'Mars/Olympus'
    """

    id: str
    name: str
    tier: str = "regular"
    segment: str | None = None
    language: str = "zh-CN"
    time_zone: str = "Asia/Shanghai"
    calendar: str | None = None
    contacts: tuple[Contact, ...] = attrs.field(default=(), converter=tuple_or_given)
    vip_channel: str | None = None

    def __attrs_post_init__(self) -> None:
        problems = [
            p
            for p in (
                _text_problem(self.id, "id"),
                _text_problem(self.name, "name"),
                _text_problem(self.tier, "tier"),
            )
            if p
        ]
        problems.extend(_optional_text_problems(self, "segment", "calendar", "vip_channel"))
        problems.extend(language_problems(self.language, "language"))
        zone = zone_problem(self.time_zone, "time_zone")
        if zone is not None:
            problems.append(zone)
        if not is_a(self.contacts, tuple):
            problems.append(Problem("contacts", f"expected a list, got {shown(self.contacts)}"))
        else:
            seen: set[object] = set()
            for i, contact in enumerate(self.contacts):
                if not is_a(contact, Contact):
                    problems.append(
                        Problem(f"contacts[{i}]", f"expected a Contact, got {shown(contact)}")
                    )
                elif contact.id in seen:
                    problems.append(Problem(f"contacts[{i}].id", f"{contact.id!r} twice"))
                else:
                    seen.add(contact.id)
        if problems:
            raise ValidationError(f"Customer {shown(self.id)}", problems)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The customer's time zone (due times shown to them are in it)."""
        return zoneinfo.ZoneInfo(self.time_zone)

    def contact(self, contact_id: str) -> Contact | None:
        """The contact with that id, or None."""
        return next((c for c in self.contacts if c.id == contact_id), None)

    def preferred_channel(self, contact_id: str | None = None) -> Channel | None:
        """The first preferred channel of the contact (the first contact when None) that has
        any, or None."""
        contacts = self.contacts if contact_id is None else (self.contact(contact_id),)
        for contact in contacts:
            if contact is not None and contact.channels:
                return contact.channels[0]
        return None

    def to_dict(self) -> dict[str, object]:
        """Plain, JSON-safe data; :meth:`from_dict` reads it back to an equal customer."""
        data: dict[str, object] = {
            "id": self.id,
            "name": self.name,
            "tier": self.tier,
            "language": self.language,
            "time_zone": self.time_zone,
        }
        for name in ("segment", "calendar", "vip_channel"):
            if getattr(self, name) is not None:
                data[name] = getattr(self, name)
        if self.contacts:
            data["contacts"] = [contact.to_dict() for contact in self.contacts]
        return data

    @classmethod
    def from_dict(cls, data: object, path: str = "") -> Customer:
        """A customer from plain data; :class:`~itsm_core.errors.DeserializationError` lists
        every problem with its path (``contacts[0].email``).

        >>> acme = Customer.from_dict({"id": "acme", "name": "ACME", "contacts": [
        ...     {"id": "li", "name": "Li", "email": "li@acme", "channels": ["email"]}]})
        >>> acme.preferred_channel("li")
        <Channel.EMAIL: 'email'>
        """
        problems: list[Problem] = []
        found = read_customer(data, path, problems)
        if found is None or problems:
            raise DeserializationError("customer", problems or [Problem(path, "unreadable")])
        return found


_KEYS = ("tier", "segment", "language", "time_zone", "calendar", "contacts", "vip_channel")
_CONTACT_KEYS = ("phone", "email", "channels")


def read_contact(value: object, path: str, problems: list[Problem]) -> Contact | None:
    """A contact from plain data at ``path``; None after recording its problems."""
    data = as_mapping(value, path, problems)
    if data is None:
        return None
    before = len(problems)
    check_keys(data, path, ("id", "name"), _CONTACT_KEYS, problems)
    channels = as_list(data.get("channels", []), join(path, "channels"), problems)
    if len(problems) > before or channels is None:
        return None
    fields: dict[str, Any] = {
        key: data[key] for key in ("id", "name", *_CONTACT_KEYS) if key in data
    }
    fields["channels"] = channels
    return build(lambda: Contact(**fields), ValidationError, path, problems)


def read_customer(value: object, path: str, problems: list[Problem]) -> Customer | None:
    """A customer from plain data at ``path``; None after recording its problems."""
    data = as_mapping(value, path, problems)
    if data is None:
        return None
    before = len(problems)
    check_keys(data, path, ("id", "name"), _KEYS, problems)
    items = as_list(data.get("contacts", []), join(path, "contacts"), problems) or []
    contacts = [
        read_contact(item, join(join(path, "contacts"), i), problems)
        for i, item in enumerate(items)
    ]
    if len(problems) > before:
        # Report the customer's own fields too, with the contacts that did load.
        contacts = [c for c in contacts if c is not None]
        _customer_field_problems(data, contacts, path, problems)
        return None
    fields: dict[str, Any] = {key: data[key] for key in ("id", "name", *_KEYS) if key in data}
    fields["contacts"] = contacts
    return build(lambda: Customer(**fields), ValidationError, path, problems)


def _customer_field_problems(
    data: Mapping[str, object], contacts: list[Contact | None], path: str, problems: list[Problem]
) -> None:
    """Record the problems of the customer's own fields (unknown keys already recorded)."""
    known = ("id", "name", *_KEYS)
    fields: dict[str, Any] = {key: data[key] for key in known if key in data}
    fields["contacts"] = contacts
    fields.setdefault("id", "?")
    fields.setdefault("name", "?")
    try:
        Customer(**fields)
    except ValidationError as error:
        problems.extend(
            Problem(join(path, p.path), p.message)
            for p in error.problems
            if not p.path.startswith("contacts")
        )
