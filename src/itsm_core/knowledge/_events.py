"""Article events, and the aggregate that folds them into an article."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from itsm_core._checks import check_aware
from itsm_core._plain import shown
from itsm_core.errors import InvalidEventStream, Problem
from itsm_core.kernel import Aggregate
from itsm_core.knowledge._article import Article, ArticleVersion
from itsm_core.knowledge._commands import (
    EVENT_NAMES,
    VERSION_EVENTS,
    ConfirmReview,
    CreateArticle,
    Publish,
    RecordSolved,
    RecordView,
    Retire,
)
from itsm_core.knowledge._lifecycle import ArticleStatus


@attrs.frozen(kw_only=True)
class ArticleEvent:
    """Something that happened to an article: what, who, when, the status move and its data.

    ``version`` is set by ``create`` and ``revise``; ``ticket_id`` by ``link_ticket`` and
    ``record_solved``; ``problem_id`` by ``link_problem``; ``helpful`` by ``record_feedback``;
    ``reason`` by ``request_changes`` and ``retire``; ``review_by`` (optional) by ``create``,
    ``revise`` and ``confirm_review``.
    """

    article_id: str
    sequence: int
    name: str
    at: dt.datetime
    actor: str
    from_status: ArticleStatus | None
    to_status: ArticleStatus
    version: ArticleVersion | None = None
    ticket_id: str | None = None
    problem_id: str | None = None
    helpful: bool | None = None
    reason: str | None = None
    review_by: dt.datetime | None = None

    def __attrs_post_init__(self) -> None:
        check_aware(self.at, "ArticleEvent.at")
        if self.review_by is not None:
            check_aware(self.review_by, "ArticleEvent.review_by")

    @property
    def stream_id(self) -> str:
        """The stream the event belongs to: its ``article_id``."""
        return self.article_id


def _refuse(event: ArticleEvent, field: str, message: str) -> InvalidEventStream:
    return InvalidEventStream(
        repr(event.article_id), [Problem(f"#{event.sequence}.{field}", message)]
    )


def _start(event: ArticleEvent) -> Article:
    if event.name != EVENT_NAMES[CreateArticle] or event.version is None:
        raise _refuse(event, "name", f"a stream starts with 'create', not {shown(event.name)}")
    return Article(
        article_id=event.article_id,
        status=event.to_status,
        versions=(event.version,),
        version=event.sequence,
        created_at=event.at,
        updated_at=event.at,
        review_by=event.review_by,
    )


def _evolve(article: Article, event: ArticleEvent) -> Article:
    """The article after ``event``; the kernel has checked the stream and the sequence."""
    if event.from_status is not article.status:
        raise _refuse(
            event, "from_status", f"{event.from_status} is not the status {article.status}"
        )
    if (event.name in VERSION_EVENTS) != (event.version is not None):
        raise _refuse(
            event, "version", f"only create and revise carry a version, not {shown(event.name)}"
        )
    changes: dict[str, Any] = {
        "status": event.to_status,
        "version": event.sequence,
        "updated_at": event.at,
    }
    if event.version is not None:
        changes["versions"] = (*article.versions, event.version)
    if event.ticket_id is not None:
        changes["tickets"] = article.tickets | {event.ticket_id}
        if event.name == EVENT_NAMES[RecordSolved]:
            changes["solved_tickets"] = article.solved_tickets | {event.ticket_id}
    if event.problem_id is not None:
        changes["problems"] = article.problems | {event.problem_id}
    if event.name == EVENT_NAMES[RecordView]:
        changes["views"] = article.views + 1
    if event.helpful is not None:
        key = "helpful" if event.helpful else "not_helpful"
        changes[key] = getattr(article, key) + 1
    if event.name == EVENT_NAMES[Publish]:
        changes["published_at"] = event.at
    if event.name in (EVENT_NAMES[Publish], EVENT_NAMES[ConfirmReview]):
        changes["reviewed_at"] = event.at
    if event.review_by is not None:
        changes["review_by"] = event.review_by
    if event.name == EVENT_NAMES[Retire]:
        changes["retired_reason"] = event.reason
    return attrs.evolve(article, **changes)


ARTICLE: Aggregate[Article, ArticleEvent] = Aggregate(name="article", start=_start, evolve=_evolve)
"""The article aggregate as the kernel folds it: ``ARTICLE.replay(events)`` rebuilds an article
from its stream, ``ARTICLE.apply(article, event)`` moves it one event on. A stream that does not
fold (empty, a gap in the sequence, another article's event, a status or version that does not
follow) raises :class:`~itsm_core.errors.InvalidEventStream`.

>>> import datetime as dt
>>> from itsm_core.knowledge import ArticleContext, CreateArticle, decide_article
>>> context = ArticleContext(actor="li", role="author",
...                          now=dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC))
>>> new = CreateArticle(article_id="KB-1", title="重置密码", body="在自助门户重置。",
...                     category="accounts")
>>> article, events = decide_article(None, new, context)
>>> ARTICLE.replay(events) == article
True
>>> ARTICLE.replay([*events, *events])
Traceback (most recent call last):
...
itsm_core.errors.InvalidEventStream: invalid event stream for 'KB-1': 1 problem
  - [1].sequence: #1 does not follow #1
"""
