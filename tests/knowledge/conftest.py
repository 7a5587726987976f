"""Fixtures of the knowledge tests: a clock value and a small bilingual knowledge base."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

import pytest

from itsm_core.knowledge import (
    Article,
    ArticleContext,
    CreateArticle,
    Publish,
    RecordSolved,
    Submit,
    decide_article,
)

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
LI = ArticleContext(actor="li", role="author", now=NOW)
WANG = ArticleContext(actor="wang", role="reviewer", now=NOW)

MakeArticle = Callable[..., Article]


@pytest.fixture(scope="session")
def now() -> dt.datetime:
    """The instant every test article is written at."""
    return NOW


def make_article(
    article_id: str,
    title: str,
    body: str,
    category: str = "general",
    tags: Iterable[str] = (),
    *,
    publish: bool = True,
    solved: int = 0,
) -> Article:
    """An article written by 'li', published by 'wang' (unless ``publish`` is False)."""
    command = CreateArticle(
        article_id=article_id, title=title, body=body, category=category, tags=frozenset(tags)
    )
    article = decide_article(None, command, LI).state
    if publish:
        article = decide_article(article, Submit(), LI).state
        article = decide_article(article, Publish(), WANG).state
        for i in range(solved):
            article = decide_article(article, RecordSolved(f"INC-{i}"), LI).state
    return article


@pytest.fixture(scope="session")
def article_factory() -> MakeArticle:
    """The :func:`make_article` helper."""
    return make_article


# A small bilingual knowledge base; each article answers one known question.
CORPUS_DATA: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    (
        "KB-1",
        "VPN 连接失败，错误 809",
        "防火墙没有放行 UDP 500 和 4500 端口。在路由器上开放端口后重新连接。",
        "network/vpn",
        ("vpn",),
    ),
    (
        "KB-2",
        "VPN error 691: wrong user name or password",
        "Reset your domain password in the self-service portal, then reconnect the VPN client.",
        "network/vpn",
        ("vpn", "password"),
    ),
    (
        "KB-3",
        "重置域账号密码",
        "登录自助服务门户，验证手机号码后重置密码。新密码需包含大小写字母和数字。",
        "accounts",
        ("password",),
    ),
    (
        "KB-4",
        "Outlook keeps asking for the password",
        "Remove the cached credentials in Windows Credential Manager and restart Outlook.",
        "email",
        ("outlook", "password"),
    ),
    (
        "KB-5",
        "打印机卡纸",
        "打开打印机后盖，取出卡住的纸张，检查进纸器是否有异物。",
        "hardware/printer",
        ("printer",),
    ),
    (
        "KB-6",
        "Printer shows offline",
        "Check the network cable and restart the print spooler service.",
        "hardware/printer",
        ("printer",),
    ),
    (
        "KB-7",
        "无线网络 WiFi 频繁断开",
        "更新无线网卡驱动，并在电源选项中关闭网卡节能模式。",
        "network/wifi",
        ("wifi",),
    ),
    (
        "KB-8",
        "Email bounced: mailbox full",
        "Archive old mail or ask the service desk for a larger mailbox quota.",
        "email",
        ("outlook",),
    ),
)


@pytest.fixture(scope="session")
def corpus() -> tuple[Article, ...]:
    """The eight published articles of :data:`CORPUS_DATA`."""
    return tuple(
        make_article(article_id, title, body, category, tags)
        for article_id, title, body, category, tags in CORPUS_DATA
    )
