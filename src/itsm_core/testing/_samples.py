"""Small deterministic domain values for the contract tests."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from itsm_core.knowledge import Article, ArticleContext, CreateArticle, Revise, decide_article
from itsm_core.tickets import Comment, Ticket, TicketEvent, TicketKind
from itsm_core.workflow import StatusCategory

_SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
_START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=_SHANGHAI)


def sample_event(stream: str, version: int, note: str = "") -> TicketEvent:
    """The ``version``-th event of ticket ``stream``: ``open`` first, then comments.

    >>> sample_event("INC1", 1).name, sample_event("INC1", 2).payload["comment"]
    ('open', Comment(at=..., author='ana', role='agent', text='note 2'))
    """
    at = _START + dt.timedelta(minutes=version)
    if version == 1:
        return TicketEvent(
            ticket_id=stream,
            sequence=1,
            name="open",
            at=at,
            actor="ana",
            role="agent",
            from_state=None,
            from_status=None,
            to_state="new",
            to_status=StatusCategory.NEW,
            payload={"kind": TicketKind.INCIDENT, "workflow": "incident", "requester": "王伟"},
        )
    comment = Comment(at=at, author="ana", role="agent", text=note or f"note {version}")
    return TicketEvent(
        ticket_id=stream,
        sequence=version,
        name="comment",
        at=at,
        actor="ana",
        role="agent",
        from_state="new",
        from_status=StatusCategory.NEW,
        to_state="new",
        to_status=StatusCategory.NEW,
        payload={"comment": comment},
    )


def sample_events(stream: str, first: int, count: int) -> list[TicketEvent]:
    """Events ``first .. first + count - 1`` of ``stream``."""
    return [sample_event(stream, version) for version in range(first, first + count)]


def sample_ticket(ticket_id: str, revision: int = 1) -> Ticket:
    """An incident ticket; ``revision`` changes its symptom so saves are distinguishable."""
    return Ticket(
        id=ticket_id,
        kind=TicketKind.INCIDENT,
        workflow="incident",
        state="new",
        status=StatusCategory.NEW,
        version=revision,
        opened_at=_START,
        opened_by="ana",
        updated_at=_START + dt.timedelta(hours=revision),
        requester="王伟",
        symptom=f"VPN drops, revision {revision}",
        attributes={"revision": revision, "tags": ["vpn", "网络"]},
    )


def sample_article(article_id: str, revision: int = 1) -> Article:
    """A draft knowledge article with ``revision`` versions (so its ``version`` is ``revision``).

    Built through :func:`~itsm_core.knowledge.decide_article`: created, then revised
    ``revision - 1`` times, each revision changing the body.

    >>> article = sample_article("KB-1", 3)
    >>> article.version, article.current.number, article.body
    (3, 3, 'Open UDP ports 500 and 4500, revision 3')
    """
    at = _START
    article = decide_article(
        None,
        CreateArticle(
            article_id=article_id,
            title="VPN 连接失败，错误 809",
            body="Open UDP ports 500 and 4500, revision 1",
            category="network/vpn",
            tags=frozenset({"vpn", "网络"}),
        ),
        ArticleContext(actor="li", role="author", now=at),
    ).state
    for number in range(2, revision + 1):
        at += dt.timedelta(hours=1)
        change = Revise(
            note=f"revision {number}", body=f"Open UDP ports 500 and 4500, revision {number}"
        )
        article = decide_article(
            article, change, ArticleContext(actor="li", role="author", now=at)
        ).state
    return article
