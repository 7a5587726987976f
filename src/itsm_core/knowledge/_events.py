"""Article events and the fold that turns them into an article."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import attrs

from itsm_core.errors import InvalidEventStream, Problem
from itsm_core.knowledge._article import Article, ArticleVersion, check_aware
from itsm_core.knowledge._lifecycle import ArticleStatus

#: Event names that write a version.
VERSION_EVENTS = frozenset({"create", "revise"})


@attrs.frozen(kw_only=True)
class ArticleEvent:
    """Something that happened to an article: what, who, when, the status move and its data.

    ``version`` is set by ``create`` and ``revise``; ``ticket_id`` by ``link_ticket`` and
    ``record_solved``; ``problem_id`` by ``link_problem``; ``helpful`` by ``record_feedback``;
    ``reason`` by ``request_changes`` and ``retire``.
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

    def __attrs_post_init__(self) -> None:
        check_aware(self.at, "ArticleEvent.at")


def _stream_problem(event: ArticleEvent, article: Article | None) -> Problem | None:
    if article is None:
        if event.name != "create" or event.sequence != 1 or event.version is None:
            return Problem("sequence", f"a stream starts with 'create' #1, not {event.name!r}")
        return None
    if event.article_id != article.article_id:
        return Problem("article_id", f"{event.article_id!r} is not {article.article_id!r}")
    if event.sequence != article.version + 1:
        return Problem("sequence", f"#{event.sequence} does not follow #{article.version}")
    if event.from_status is not article.status:
        return Problem("from_status", f"{event.from_status} is not the status {article.status}")
    if (event.name in VERSION_EVENTS) != (event.version is not None):
        return Problem("version", f"only create and revise carry a version, not {event.name!r}")
    return None


def apply_event(article: Article | None, event: ArticleEvent) -> Article:
    """The article after ``event``; the only place an article's fields change.

    Raises:
        InvalidEventStream: the event does not follow ``article``.
    """
    problem = _stream_problem(event, article)
    if problem is not None:
        raise InvalidEventStream(repr(event.article_id), [problem])
    if article is None:
        assert event.version is not None
        return Article(
            article_id=event.article_id,
            status=event.to_status,
            versions=(event.version,),
            version=1,
            created_at=event.at,
            updated_at=event.at,
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
        if event.name == "record_solved":
            changes["solved_tickets"] = article.solved_tickets | {event.ticket_id}
    if event.problem_id is not None:
        changes["problems"] = article.problems | {event.problem_id}
    if event.name == "record_view":
        changes["views"] = article.views + 1
    if event.helpful is not None:
        key = "helpful" if event.helpful else "not_helpful"
        changes[key] = getattr(article, key) + 1
    if event.name == "publish":
        changes["published_at"] = event.at
    if event.name == "retire":
        changes["retired_reason"] = event.reason
    return attrs.evolve(article, **changes)


def replay(events: Iterable[ArticleEvent]) -> Article:
    """Fold an article's events, oldest first, into the article.

    Raises:
        InvalidEventStream: no events, or events that do not follow one another.
    """
    article: Article | None = None
    for event in events:
        article = apply_event(article, event)
    if article is None:
        raise InvalidEventStream("(empty)", [Problem("events", "no events to replay")])
    return article
