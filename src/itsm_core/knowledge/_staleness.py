"""The staleness report: published articles whose review is due (定期更新)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from itsm_core._checks import check_aware
from itsm_core.errors import Problem, ValidationError
from itsm_core.knowledge._article import Article
from itsm_core.knowledge._fields import positive_int_problems
from itsm_core.knowledge._lifecycle import ArticleStatus


@attrs.frozen(kw_only=True)
class StalenessPolicy:
    """How long a published article stays current without a review (``max_age_days``), and
    how many days ahead a coming review is reported (``warn_days``)."""

    max_age_days: int = 180
    warn_days: int = 14

    def __attrs_post_init__(self) -> None:
        problems = positive_int_problems(self.max_age_days, "max_age_days")
        problems.extend(positive_int_problems(self.warn_days, "warn_days"))
        if problems:
            raise ValidationError("StalenessPolicy", problems)


@attrs.frozen(kw_only=True)
class StaleArticle:
    """One published article with its review date and whether it is overdue or due soon."""

    article_id: str
    title: str
    category: str | None
    due: dt.datetime
    overdue: bool


def review_due(article: Article, policy: StalenessPolicy) -> dt.datetime | None:
    """When ``article`` must be reviewed next: its ``review_by`` when set after its last
    review, else ``max_age_days`` after that review (publishing or a confirmed review). None
    for an article that is not published."""
    if article.status is not ArticleStatus.PUBLISHED:
        return None
    reviewed = article.reviewed_at or article.published_at or article.updated_at
    if article.review_by is not None and article.review_by > reviewed:
        return article.review_by
    return reviewed + dt.timedelta(days=policy.max_age_days)


def staleness_report(
    articles: Iterable[Article], now: dt.datetime, policy: StalenessPolicy | None = None
) -> tuple[StaleArticle, ...]:
    """The published articles whose review is overdue at ``now`` or due within
    ``warn_days``: overdue first, then by due date and id.

    >>> import datetime as dt
    >>> from itsm_core.knowledge import ArticleContext, CreateArticle, decide_article
    >>> march = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    >>> li = ArticleContext(actor="li", role="author", now=march, self_publish=True)
    >>> new = CreateArticle(article_id="KB-1", title="VPN 809", body="Open UDP 500.",
    ...                     publish=True)
    >>> article = decide_article(None, new, li).state
    >>> [row.article_id for row in staleness_report([article], march)]
    []
    >>> row, = staleness_report([article], march + dt.timedelta(days=200))
    >>> row.article_id, row.overdue, row.due.date()
    ('KB-1', True, datetime.date(2026, 8, 29))
    """
    check_aware(now, "now")
    policy = StalenessPolicy() if policy is None else policy
    if not isinstance(policy, StalenessPolicy):
        raise ValidationError("staleness_report", [Problem("policy", "expected a StalenessPolicy")])
    horizon = now + dt.timedelta(days=policy.warn_days)
    rows = []
    for article in articles:
        due = review_due(article, policy)
        if due is not None and due <= horizon:
            rows.append(
                StaleArticle(
                    article_id=article.article_id,
                    title=article.title,
                    category=article.category,
                    due=due,
                    overdue=due <= now,
                )
            )
    rows.sort(key=lambda row: (not row.overdue, row.due, row.article_id))
    return tuple(rows)
