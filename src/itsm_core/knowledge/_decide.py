"""Deciding: a command and an article in, the new article and its events out, or a refusal."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from itsm_core._checks import check_aware
from itsm_core._plain import shown
from itsm_core.errors import CommandRejected, Problem, TransitionNotAllowed, ValidationError
from itsm_core.kernel import Context, Decision
from itsm_core.knowledge._article import Article, ArticleVersion
from itsm_core.knowledge._categories import CategoryTree
from itsm_core.knowledge._commands import (
    EVENT_NAMES,
    ArticleCommand,
    ConfirmReview,
    CreateArticle,
    LinkProblem,
    LinkTicket,
    Publish,
    RecordFeedback,
    RecordSolved,
    RecordView,
    RequestChanges,
    Retire,
    Revise,
    Submit,
)
from itsm_core.knowledge._events import ARTICLE, ArticleEvent
from itsm_core.knowledge._fields import text_problems
from itsm_core.knowledge._lifecycle import ARTICLE_WORKFLOW, REVIEWER, ArticleStatus
from itsm_core.knowledge._visibility import Visibility
from itsm_core.workflow import GuardContext

#: Usage events, recorded on published articles only (no status change).
_USAGE = (RecordView, RecordSolved, RecordFeedback)
#: Records on published articles that change no status (usage, and the reviewer's check).
_RECORDS = (LinkTicket, LinkProblem, ConfirmReview, *_USAGE)


@attrs.frozen(kw_only=True)
class ArticleContext(Context):
    """Who decides on an article and when (``actor``, ``role``, ``now``, aware), and the
    knowledge base's ``categories``: with a tree, a version's category must be one of its.

    The workflow reads the role: ``"reviewer"`` may publish, request changes and retire;
    any other role (``"author"``, ``"agent"``...) may write, submit, link and record usage.
    ``self_publish`` is the knowledge base's policy allowing anyone to publish their own
    article at once (``CreateArticle(..., publish=True)``), without review.

    >>> import datetime as dt
    >>> ArticleContext(actor=" ", role="author", now=dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC))
    Traceback (most recent call last):
    ...
    itsm_core.errors.ValidationError: invalid value for ArticleContext: 1 problem
      - actor: must be a non-empty string, got ' '
    """

    categories: CategoryTree | None = None
    self_publish: bool = False

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        problems = text_problems(self.actor, "actor")
        categories: object = self.categories
        if categories is not None and not isinstance(categories, CategoryTree):
            problems.append(
                Problem("categories", f"expected a CategoryTree, got {shown(categories)}")
            )
        if problems:
            raise ValidationError("ArticleContext", problems)


def decide_article(
    article: Article | None, command: ArticleCommand, context: ArticleContext
) -> Decision[Article, ArticleEvent]:
    """Apply ``command`` to ``article`` (None before it is created): the new article and its
    events, or an error.

    The new article is the fold of the events (:data:`ARTICLE`), so ``ARTICLE.replay`` of an
    article's events always gives the article back. Nothing changes when a command is refused.
    The decision unpacks like a pair: ``article, events = decide_article(...)``.

    Raises:
        ValidationError: malformed content (empty title, bad category path or tag, a category
            not in ``context.categories``...), or not an article command.
        TransitionNotAllowed: the status does not allow the command (a retired article).
        CommandRejected: the workflow refuses it (role, four-eyes rule, missing reason), or a
            usage record on an unpublished article, or a duplicate link.

    >>> import datetime as dt
    >>> from itsm_core.knowledge import Publish, Submit
    >>> now = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    >>> li = ArticleContext(actor="li", role="author", now=now)
    >>> new = CreateArticle(article_id="KB-1", title="重置密码", body="在自助门户重置。",
    ...                     category="accounts")
    >>> article = decide_article(None, new, li).state
    >>> article = decide_article(article, Submit(), li).state
    >>> decide_article(article, Publish(), attrs.evolve(li, role="reviewer"))
    Traceback (most recent call last):
    ...
    itsm_core.errors.CommandRejected: command 'publish' rejected in state 'review': four_eyes: ...
    >>> wang = ArticleContext(actor="wang", role="reviewer", now=now)
    >>> article, events = decide_article(article, Publish(), wang)
    >>> article.status.value, article.version, [event.name for event in events]
    ('published', 3, ['publish'])
    """
    name = EVENT_NAMES.get(type(command))
    if name is None:
        raise ValidationError(
            "decide_article",
            [Problem("command", f"{type(command).__name__} is not an article command")],
        )
    if isinstance(command, CreateArticle):
        if article is not None:
            raise CommandRejected(name, [f"article {article.article_id!r} already exists"])
        problems = text_problems(command.article_id, "article_id")
        problems.extend(_review_by_problems(command.review_by))
        if problems:
            raise ValidationError("CreateArticle", problems)
        version = _version(
            1,
            command.title,
            command.body,
            command.category,
            command.tags,
            context.actor,
            context.now,
            command.note,
            command.visibility,
        )
        _check_category(version, context.categories)
        if command.publish and not context.self_publish:
            raise CommandRejected(
                name, ["publish=True needs a context whose policy allows self_publish"]
            )
        event = ArticleEvent(
            article_id=command.article_id,
            sequence=1,
            name=name,
            at=context.now,
            actor=context.actor,
            from_status=None,
            to_status=ARTICLE_WORKFLOW.initial,
            version=version,
            review_by=command.review_by,
        )
        if not command.publish:
            return ARTICLE.decided(None, (event,))
        moves: tuple[tuple[type[ArticleCommand], ArticleStatus, ArticleStatus], ...] = (
            (Submit, ArticleStatus.DRAFT, ArticleStatus.REVIEW),
            (Publish, ArticleStatus.REVIEW, ArticleStatus.PUBLISHED),
        )
        events = [event]
        for sequence, (kind, source, target) in enumerate(moves, start=2):
            events.append(
                attrs.evolve(
                    event,
                    sequence=sequence,
                    name=EVENT_NAMES[kind],
                    from_status=source,
                    to_status=target,
                    version=None,
                    review_by=None,
                )
            )
        return ARTICLE.decided(None, tuple(events))
    if article is None:
        raise CommandRejected(name, ["no article: create one first"])
    return ARTICLE.decided(article, (_event(article, command, name, context),))


def _version(
    number: int,
    title: str,
    body: str,
    category: str | None,
    tags: frozenset[str],
    author: str,
    at: dt.datetime,
    note: str,
    visibility: Visibility,
) -> ArticleVersion:
    return ArticleVersion(
        number=number,
        title=title,
        body=body,
        category=category,
        tags=tags,
        author=author,
        at=at,
        note=note,
        visibility=visibility,
    )


def _review_by_problems(review_by: object) -> list[Problem]:
    if review_by is None:
        return []
    if not isinstance(review_by, dt.datetime):
        return [Problem("review_by", f"must be an aware datetime, got {shown(review_by)}")]
    try:
        check_aware(review_by, "review_by")
    except ValidationError as error:
        return list(error.problems)
    return []


def _check_category(version: ArticleVersion, categories: CategoryTree | None) -> None:
    if categories is not None and version.category is not None:
        categories.require(version.category, "category")


def _event(
    article: Article, command: ArticleCommand, name: str, context: ArticleContext
) -> ArticleEvent:
    base: dict[str, Any] = {
        "article_id": article.article_id,
        "sequence": article.version + 1,
        "name": name,
        "at": context.now,
        "actor": context.actor,
        "from_status": article.status,
    }
    if isinstance(command, _RECORDS):
        return _record(article, command, name, base, context)
    fields: dict[str, Any] = {}
    if isinstance(command, (RequestChanges, Retire)):
        fields["reason"] = command.reason
    if isinstance(command, Revise):
        fields["note"] = command.note
    state = article.status
    if ARTICLE_WORKFLOW.transition(state, name) is None:
        raise TransitionNotAllowed(name, state.value, ARTICLE_WORKFLOW.events_from(state))
    guard_context = GuardContext(
        subject=article, actor=context.actor, role=context.role, now=context.now, fields=fields
    )
    verdict = ARTICLE_WORKFLOW.check(state, name, guard_context)
    if not verdict.allowed:
        raise CommandRejected(name, verdict.reasons, state=state.value)
    assert verdict.target is not None
    target = ARTICLE_WORKFLOW.state_named(verdict.target)
    if isinstance(command, Revise):
        problems = _review_by_problems(command.review_by)
        if problems:
            raise ValidationError("Revise", problems)
        current = article.current
        version = _version(
            current.number + 1,
            current.title if command.title is None else command.title,
            current.body if command.body is None else command.body,
            current.category if command.category is None else command.category,
            current.tags if command.tags is None else command.tags,
            context.actor,
            context.now,
            command.note,
            current.visibility if command.visibility is None else command.visibility,
        )
        _check_category(version, context.categories)
        content = ("title", "body", "category", "tags", "visibility")
        if command.review_by is None and all(
            getattr(version, field) == getattr(current, field) for field in content
        ):
            raise CommandRejected(
                name,
                ["nothing changes: give a new title, body, category, tags or visibility"],
                state=state.value,
            )
        return ArticleEvent(to_status=target, version=version, review_by=command.review_by, **base)
    return ArticleEvent(to_status=target, reason=fields.get("reason"), **base)


def _record(
    article: Article,
    command: LinkTicket | LinkProblem | RecordView | RecordSolved | RecordFeedback | ConfirmReview,
    name: str,
    base: dict[str, Any],
    context: ArticleContext,
) -> ArticleEvent:
    state = article.status
    reasons: list[str] = []
    ids: dict[str, Any] = {}
    if state is ArticleStatus.RETIRED:
        reasons.append("the article is retired")
    elif isinstance(command, _USAGE) and state is not ArticleStatus.PUBLISHED:
        reasons.append(f"usage is recorded on published articles; this one is {state.value}")
    if isinstance(command, ConfirmReview):
        problems = _review_by_problems(command.review_by)
        if problems:
            raise ValidationError("ConfirmReview", problems)
        ids["review_by"] = command.review_by
        if context.role != REVIEWER:
            reasons.append(f"role {context.role!r} may not confirm a review (allowed: reviewer)")
        if state is ArticleStatus.DRAFT or state is ArticleStatus.REVIEW:
            reasons.append(f"only a published article is confirmed; this one is {state.value}")
    if isinstance(command, (LinkTicket, RecordSolved)):
        problems = text_problems(command.ticket_id, "ticket_id")
        if problems:
            raise ValidationError(type(command).__name__, problems)
        ids["ticket_id"] = command.ticket_id
        if isinstance(command, LinkTicket) and command.ticket_id in article.tickets:
            reasons.append(f"ticket {command.ticket_id!r} is already linked")
        if isinstance(command, RecordSolved) and command.ticket_id in article.solved_tickets:
            reasons.append(f"ticket {command.ticket_id!r} is already recorded as solved")
    if isinstance(command, LinkProblem):
        problems = text_problems(command.problem_id, "problem_id")
        if problems:
            raise ValidationError("LinkProblem", problems)
        ids["problem_id"] = command.problem_id
        if command.problem_id in article.problems:
            reasons.append(f"problem {command.problem_id!r} is already linked")
    if isinstance(command, RecordFeedback):
        if not isinstance(command.helpful, bool):
            raise ValidationError(
                "RecordFeedback",
                [Problem("helpful", f"must be a bool, got {shown(command.helpful)}")],
            )
        ids["helpful"] = command.helpful
    if reasons:
        raise CommandRejected(name, reasons, state=state.value)
    return ArticleEvent(to_status=state, **base, **ids)
