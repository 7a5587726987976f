"""From tickets to knowledge: suggest articles for a new ticket, draft one from a resolved one."""

from __future__ import annotations

import attrs

from itsm_core._plain import shown
from itsm_core.errors import Problem, ValidationError
from itsm_core.knowledge._categories import category_problems
from itsm_core.knowledge._commands import CreateArticle
from itsm_core.knowledge._fields import text_problems
from itsm_core.knowledge._index import ArticleIndex
from itsm_core.knowledge._query import SearchHit, SearchQuery


@attrs.frozen(kw_only=True)
class TicketFacts:
    """What the knowledge base needs of a ticket, built by the caller from its own records.

    ``category`` uses the same category paths as the articles (map them first if the ticket
    system has its own). ``resolution`` is set once the ticket is resolved.

    >>> TicketFacts(ticket_id="INC-7", category="network/vpn", symptom="VPN 809").symptom
    'VPN 809'
    """

    ticket_id: str
    category: str | None = None
    symptom: str = ""
    description: str = ""
    resolution: str | None = None

    def __attrs_post_init__(self) -> None:
        problems = text_problems(self.ticket_id, "ticket_id")
        if self.category is not None:
            problems.extend(category_problems(self.category, "category"))
        problems.extend(
            Problem(name, f"must be a string, got {shown(getattr(self, name))}")
            for name in ("symptom", "description")
            if not isinstance(getattr(self, name), str)
        )
        if self.resolution is not None:
            problems.extend(text_problems(self.resolution, "resolution"))
        if problems:
            raise ValidationError("TicketFacts", problems)


def suggest_articles(
    index: ArticleIndex, ticket: TicketFacts, *, limit: int = 5, same_category: bool = False
) -> tuple[SearchHit, ...]:
    """Published articles for a new ticket, searched with its symptom and description.

    With ``same_category``, only articles in the ticket's category (or below it) are offered.

    >>> import datetime as dt
    >>> from itsm_core.knowledge import (
    ...     ArticleContext, CreateArticle, Publish, Submit, decide_article)
    >>> now = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    >>> li = ArticleContext(actor="li", role="author", now=now)
    >>> wang = ArticleContext(actor="wang", role="reviewer", now=now)
    >>> new = CreateArticle(article_id="KB-1", title="打印机卡纸", body="打开后盖取出纸张。",
    ...                     category="hardware")
    >>> article = decide_article(None, new, li).state
    >>> article = decide_article(article, Submit(), li).state
    >>> article = decide_article(article, Publish(), wang).state
    >>> ticket = TicketFacts(ticket_id="INC-1", symptom="打印机又卡纸了")
    >>> [hit.article_id for hit in suggest_articles(ArticleIndex([article]), ticket)]
    ['KB-1']
    """
    category = ticket.category if same_category else None
    text = f"{ticket.symptom}\n{ticket.description}"
    return index.search(SearchQuery(text=text, category=category, limit=limit))


def draft_from_ticket(
    ticket: TicketFacts,
    *,
    article_id: str,
    title: str | None = None,
    tags: frozenset[str] = frozenset(),
) -> CreateArticle:
    """A :class:`CreateArticle` command drafting an article from a resolved ticket.

    The title is the symptom unless given; the body holds the symptom, the description and the
    resolution. The caller decides it with :func:`decide_article` (it starts as a draft, to be
    reviewed) and then links the ticket with :class:`LinkTicket`.

    Raises:
        ValidationError: the ticket has no resolution, no category or no symptom.
    """
    problems: list[Problem] = []
    if ticket.resolution is None:
        problems.append(Problem("resolution", "only a resolved ticket can feed the knowledge base"))
    if ticket.category is None:
        problems.append(Problem("category", "the ticket has no category"))
    if title is None and not ticket.symptom.strip():
        problems.append(Problem("symptom", "the ticket has no symptom to use as a title"))
    if problems:
        raise ValidationError(f"ticket {ticket.ticket_id!r}", problems)
    assert ticket.category is not None
    assert ticket.resolution is not None
    sections = [ticket.symptom.strip(), ticket.description.strip(), ticket.resolution.strip()]
    return CreateArticle(
        article_id=article_id,
        title=ticket.symptom.strip() if title is None else title,
        body="\n\n".join(section for section in sections if section),
        category=ticket.category,
        tags=tags,
        note=f"drafted from ticket {ticket.ticket_id}",
    )
