"""Demo section: a small bilingual knowledge base, searched in Chinese and English."""

from __future__ import annotations

import datetime as dt

from itsm_core.knowledge import (
    Article,
    ArticleContext,
    ArticleIndex,
    CreateArticle,
    Publish,
    RecordSolved,
    SearchHit,
    Submit,
    TicketFacts,
    decide_article,
    knowledge_gaps,
    suggest_articles,
)

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
AUTHOR = ArticleContext(actor="li", role="author", now=NOW)
REVIEWER = ArticleContext(actor="wang", role="reviewer", now=NOW)

#: (id, title, body, category, tags, tickets solved with it)
ARTICLES: list[tuple[str, str, str, str, set[str], int]] = [
    (
        "KB-1",
        "VPN 连接失败，错误 809",
        "防火墙没有放行 UDP 500 和 4500 端口。开放端口后重新连接。",
        "network/vpn",
        {"vpn"},
        6,
    ),
    (
        "KB-2",
        "VPN error 691: wrong user name or password",
        "Reset your domain password in the self-service portal, then reconnect.",
        "network/vpn",
        {"vpn", "password"},
        2,
    ),
    (
        "KB-3",
        "重置域账号密码",
        "登录自助服务门户，验证手机号码后重置密码。",
        "accounts",
        {"password"},
        9,
    ),
    (
        "KB-4",
        "Outlook keeps asking for the password",
        "Remove the cached credentials in Credential Manager and restart Outlook.",
        "email",
        {"outlook", "password"},
        1,
    ),
    (
        "KB-5",
        "打印机卡纸",
        "打开打印机后盖，取出卡住的纸张，检查进纸器。",
        "hardware/printer",
        {"printer"},
        3,
    ),
    (
        "KB-6",
        "Printer shows offline",
        "Check the network cable and restart the print spooler.",
        "hardware/printer",
        {"printer"},
        0,
    ),
    (
        "KB-7",
        "无线网络 WiFi 频繁断开",
        "更新无线网卡驱动，关闭网卡节能模式。",
        "network/wifi",
        {"wifi"},
        0,
    ),
]

#: Tickets of the month per category (for the gap report).
MONTH = {"email": 48, "software/erp": 17, "network/vpn": 26, "accounts": 8, "network/wifi": 5}


def _publish(row: tuple[str, str, str, str, set[str], int]) -> Article:
    article_id, title, body, category, tags, solved = row
    command = CreateArticle(
        article_id=article_id, title=title, body=body, category=category, tags=frozenset(tags)
    )
    article = decide_article(None, command, AUTHOR).state
    article = decide_article(article, Submit(), AUTHOR).state
    article = decide_article(article, Publish(), REVIEWER).state
    for i in range(solved):
        article = decide_article(article, RecordSolved(f"INC-{article_id}-{i}"), AUTHOR).state
    return article


def _table(title: str, hits: tuple[SearchHit, ...]) -> None:
    print(title)
    print(f"  {'article':<7} {'score':>6} {'bm25':>6} {'boost':>6}  title")
    for hit in hits:
        print(
            f"  {hit.article_id:<7} {hit.score:>6.3f} {hit.relevance:>6.3f} {hit.boost:>6.3f}  "
            f"{hit.title}"
        )


def show() -> None:
    """Print two searches, suggestions for a new ticket, and the knowledge-gap report."""
    articles = [_publish(row) for row in ARTICLES]
    index = ArticleIndex(articles)
    print(f"Knowledge base: {len(index)} published articles (BM25 k1=1.2 b=0.75, RSJ idf)")
    _table('Search "VPN 连不上 809"', index.search("VPN 连不上 809", limit=3))
    _table('Search "password reset"', index.search("password reset", limit=3))
    ticket = TicketFacts(
        ticket_id="INC-2041",
        category="hardware/printer",
        symptom="打印机卡纸了",
        description="三楼打印机打印时卡纸，printer shows paper jam.",
    )
    _table(
        f"Suggestions for {ticket.ticket_id} ({ticket.symptom})", suggest_articles(index, ticket)
    )
    tickets = [
        TicketFacts(ticket_id=f"{category}-{i}", category=category)
        for category, count in MONTH.items()
        for i in range(count)
    ]
    print("Knowledge gaps (>= 10 tickets, > 20 tickets per published article)")
    for line in knowledge_gaps(tickets, articles).to_text().splitlines():
        print(f"  {line}")


if __name__ == "__main__":
    show()
