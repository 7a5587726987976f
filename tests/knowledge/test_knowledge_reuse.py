"""Reuse: suggestions for a new ticket, drafts from resolved tickets, the knowledge-gap report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from itsm_core.errors import DeserializationError, ValidationError
from itsm_core.knowledge import (
    Article,
    ArticleContext,
    ArticleIndex,
    ArticleStatus,
    GapPolicy,
    GapReport,
    LinkTicket,
    TicketFacts,
    decide_article,
    draft_from_ticket,
    knowledge_gaps,
    suggest_articles,
)

MakeArticle = Callable[..., Article]


def test_suggestions_for_new_tickets_in_both_languages(corpus: tuple[Article, ...]) -> None:
    index = ArticleIndex(corpus)
    chinese = TicketFacts(
        ticket_id="INC-101",
        category="network/vpn",
        symptom="VPN 连不上",
        description="在家连接公司 VPN 时提示错误 809。",
    )
    english = TicketFacts(
        ticket_id="INC-102", symptom="Printer jam", description="Paper stuck in the printer"
    )
    assert suggest_articles(index, chinese)[0].article_id == "KB-1"
    assert [h.category for h in suggest_articles(index, chinese, same_category=True)] == [
        "network/vpn",
        "network/vpn",
    ]
    assert suggest_articles(index, english, limit=1)[0].article_id == "KB-6"
    assert suggest_articles(index, TicketFacts(ticket_id="INC-103")) == ()


def test_a_resolved_ticket_drafts_an_article_that_goes_through_review(now: dt.datetime) -> None:
    ticket = TicketFacts(
        ticket_id="INC-7",
        category="email",
        symptom="Outlook 无法同步",
        description="Outlook 一直显示正在更新文件夹。",
        resolution="重建 OST 文件后恢复。",
    )
    command = draft_from_ticket(ticket, article_id="KB-20", tags=frozenset({"outlook"}))
    assert command.title == "Outlook 无法同步"
    assert command.body == (
        "Outlook 无法同步\n\nOutlook 一直显示正在更新文件夹。\n\n重建 OST 文件后恢复。"
    )
    assert command.note == "drafted from ticket INC-7"
    article = decide_article(
        None, command, ArticleContext(actor="li", role="author", now=now)
    ).state
    article = decide_article(
        article, LinkTicket(ticket.ticket_id), ArticleContext(actor="li", role="author", now=now)
    ).state
    assert article.status is ArticleStatus.DRAFT
    assert article.tickets == frozenset({"INC-7"})
    titled = draft_from_ticket(ticket, article_id="KB-21", title="Outlook 文件夹不同步")
    assert titled.title == "Outlook 文件夹不同步"


def test_only_a_resolved_categorised_ticket_with_a_symptom_drafts() -> None:
    with pytest.raises(ValidationError) as caught:
        draft_from_ticket(TicketFacts(ticket_id="INC-8"), article_id="KB-1")
    assert [p.path for p in caught.value.problems] == ["resolution", "category", "symptom"]


def test_ticket_facts_validate() -> None:
    with pytest.raises(ValidationError) as caught:
        TicketFacts(
            ticket_id="",
            category="a/",
            symptom=None,  # type: ignore[arg-type]
            resolution=" ",
        )
    assert [p.path for p in caught.value.problems] == [
        "ticket_id",
        "category",
        "symptom",
        "resolution",
    ]


def _tickets(category: str | None, count: int) -> list[TicketFacts]:
    return [TicketFacts(ticket_id=f"{category}-{i}", category=category) for i in range(count)]


def test_knowledge_gap_report_counts_and_orders(
    corpus: tuple[Article, ...], article_factory: MakeArticle
) -> None:
    tickets = [
        *_tickets("email", 45),  # 2 published articles: 22.5 per article, a gap
        *_tickets("network/vpn", 30),  # 2 articles: 15 per article, covered
        *_tickets("software/erp", 12),  # none published: a gap
        *_tickets("accounts", 9),  # 1 article, and too few tickets anyway
        *_tickets("facilities", 3),  # none published, but too few tickets
        *_tickets(None, 4),
    ]
    draft = article_factory("KB-90", "ERP 登录失败", "draft only", "software/erp", publish=False)
    report = knowledge_gaps(tickets, [*corpus, draft])
    rows = [(r.category, r.tickets, r.published_articles, r.gap) for r in report.rows]
    assert rows == [
        ("software/erp", 12, 0, True),
        ("email", 45, 2, True),
        ("facilities", 3, 0, False),
        ("network/vpn", 30, 2, False),
        ("accounts", 9, 1, False),
        ("hardware/printer", 0, 2, False),
        ("network/wifi", 0, 1, False),
    ]
    assert [r.category for r in report.gaps] == ["software/erp", "email"]
    assert report.rows[1].tickets_per_article == 22.5
    assert report.rows[0].tickets_per_article is None
    assert report.uncategorised == 4
    text = report.to_text()
    assert text.splitlines()[0].split() == [
        "category",
        "tickets",
        "articles",
        "per",
        "article",
        "gap",
    ]
    assert text.splitlines()[1].split() == ["software/erp", "12", "0", "-", "GAP"]
    assert text.splitlines()[2].split() == ["email", "45", "2", "22.5", "GAP"]
    assert text.splitlines()[-1] == "uncategorised tickets: 4"


def test_the_gap_policy_is_data() -> None:
    strict = GapPolicy(min_tickets=5, max_tickets_per_article=5)
    report = knowledge_gaps(_tickets("accounts", 9), [], strict)
    assert isinstance(report, GapReport)
    assert report.gaps[0].category == "accounts"
    assert knowledge_gaps(_tickets("accounts", 9), []).gaps == ()
    assert GapPolicy.from_dict(strict.to_dict()) == strict
    with pytest.raises(DeserializationError) as caught:
        GapPolicy.from_dict({"min_tickets": 0, "max_tickets_per_article": "many", "x": 1})
    assert [p.path for p in caught.value.problems] == [
        "x",
        "min_tickets",
        "max_tickets_per_article",
    ]
    assert knowledge_gaps([], []).to_text().splitlines()[0].startswith("category")
