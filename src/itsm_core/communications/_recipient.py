"""Who a notification goes to: an address, a name, a language, a time zone and a channel."""

from __future__ import annotations

import zoneinfo
from typing import Any

import attrs

from itsm_core._plain import blank_problem, shown
from itsm_core.errors import Problem, UnknownLanguage, ValidationError
from itsm_core.i18n import LANGUAGES, language_of


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
