"""The synonym and abbreviation table: groups of phrases that mean the same thing, as data.

Each group has a name and its members (English, Chinese or both). A text containing any
member also gets the group's concept term, so a search for ``MFA`` finds an article that
only says "multi-factor authentication", and ``打印机`` finds "printer". Members are matched
after tokenisation and stemming, as whole token sequences ("multi-factor authentication" is
``multi factor authent``), so plurals and case need no entries of their own.
"""

from __future__ import annotations

import types
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from itsm_core._plain import shown
from itsm_core.errors import DeserializationError, Problem, ValidationError

#: The built-in groups: service-desk abbreviations, irregular English forms the stemmer
#: cannot join, and the Chinese and English names of the same things.
DEFAULT_GROUPS: Mapping[str, tuple[str, ...]] = types.MappingProxyType(
    {
        "mfa": (
            "mfa",
            "2fa",
            "multi-factor authentication",
            "multifactor authentication",
            "two-factor authentication",
            "two-step verification",
            "多因素认证",
            "多因子认证",
            "双因素认证",
            "双重验证",
            "二次验证",
        ),
        "vpn": ("vpn", "virtual private network", "虚拟专用网", "远程接入"),
        "wifi": ("wifi", "wi-fi", "wlan", "wireless network", "无线网络", "无线网", "无线"),
        "printer": ("printer", "printing", "打印机", "打印"),
        "password": ("password", "passcode", "passphrase", "密码", "口令"),
        "email": ("email", "e-mail", "mail", "mailbox", "邮件", "邮箱", "电子邮件"),
        "laptop": ("laptop", "notebook computer", "笔记本电脑", "笔记本"),
        "account": ("account", "账号", "帐号", "账户", "帐户"),
        "login": ("login", "log in", "logon", "log on", "sign in", "signin", "登录", "登陆"),
        "forgot": ("forgot", "forgotten", "forget", "忘记", "忘了"),
        "reset": ("reset", "重置", "重设"),
        "locked": ("locked", "lockout", "locked out", "锁定", "被锁"),
        "erp": ("erp", "sap", "enterprise resource planning", "企业资源计划"),
        "phone": ("phone", "mobile", "smartphone", "cell phone", "手机", "电话", "座机"),
        "install": ("install", "installation", "setup", "安装"),
        "software": ("software", "application", "app", "软件", "应用"),
        "slow": ("slow", "sluggish", "lag", "慢", "卡顿", "很卡"),
        "disconnect": ("disconnect", "drops", "dropping", "断开", "掉线", "断线", "断网"),
        "error": ("error", "错误", "报错"),
        "meeting": ("meeting", "conference", "会议"),
        "screen": ("screen", "monitor", "display", "屏幕", "显示器"),
        "expired": ("expired", "expiry", "expiring", "过期", "到期"),
        "certificate": ("certificate", "cert", "证书"),
        "visitor": ("visitor", "guest", "访客"),
        "shared folder": ("shared folder", "network drive", "file share", "共享文件夹", "网盘"),
        "badge": ("badge", "access card", "门禁卡", "工卡"),
    }
)


def _members(value: object, where: str) -> list[Problem]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        return [Problem(where, f"expected a list of phrases, got {shown(value)}")]
    return [
        Problem(where, f"member {shown(member)} must be a non-empty string")
        for member in value
        if not isinstance(member, str) or not member.strip()
    ]


def _groups(value: Mapping[str, Iterable[str]]) -> Mapping[str, tuple[str, ...]]:
    if not isinstance(value, Mapping):
        raise ValidationError("SynonymTable", [Problem("groups", "expected a mapping")])
    problems: list[Problem] = []
    for name in value:
        key: object = name
        if not isinstance(key, str) or not name.strip():
            problems.append(Problem(shown(name), "a group name must be a non-empty string"))
        else:
            problems.extend(_members(value[name], name))
    if problems:
        raise ValidationError("SynonymTable", problems)
    return types.MappingProxyType(
        {name: tuple(dict.fromkeys(value[name])) for name in sorted(value)}
    )


@attrs.frozen
class SynonymTable:
    """Groups of equivalent phrases (synonyms, abbreviations, translations), by group name.

    >>> table = SynonymTable.from_dict({"mfa": ["MFA", "multi-factor authentication"]})
    >>> table.groups["mfa"]
    ('MFA', 'multi-factor authentication')
    >>> SynonymTable.from_dict({"mfa": "MFA"})
    Traceback (most recent call last):
    ...
    itsm_core.errors.DeserializationError: invalid data for SynonymTable: 1 problem
      - mfa: expected a list of phrases, got 'MFA'
    """

    groups: Mapping[str, tuple[str, ...]] = attrs.field(default=DEFAULT_GROUPS, converter=_groups)

    @classmethod
    def default(cls) -> SynonymTable:
        """The built-in table (abbreviations, irregular forms, Chinese and English names)."""
        return cls(DEFAULT_GROUPS)

    @classmethod
    def empty(cls) -> SynonymTable:
        """No synonyms at all."""
        return cls({})

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SynonymTable:
        """Build from ``{group name: [phrases]}``; every problem is reported at once."""
        try:
            return cls(data)
        except ValidationError as error:
            raise DeserializationError("SynonymTable", error.problems) from None

    def to_dict(self) -> dict[str, list[str]]:
        """Plain JSON-safe data :meth:`from_dict` reads back."""
        return {name: list(members) for name, members in self.groups.items()}

    def merged(self, other: SynonymTable) -> SynonymTable:
        """This table with ``other``'s groups added (members of a shared name are joined)."""
        groups = {name: list(members) for name, members in self.groups.items()}
        for name, members in other.groups.items():
            groups.setdefault(name, []).extend(members)
        return SynonymTable(groups)
