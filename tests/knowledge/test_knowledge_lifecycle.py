"""The knowledge lifecycle: self-publishing in one call, visibility, review dates and the
staleness report, usage feedback in the gap report."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from itsm_core.errors import CommandRejected, ValidationError
from itsm_core.knowledge import (
    ARTICLE,
    ArticleContext,
    ArticleIndex,
    ArticleStatus,
    ConfirmReview,
    CreateArticle,
    GapPolicy,
    RecordFeedback,
    Revise,
    StalenessPolicy,
    TicketFacts,
    Visibility,
    decide_article,
    knowledge_gaps,
    review_due,
    staleness_report,
)

NOW = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
AGENT = ArticleContext(actor="zhao", role="agent", now=NOW, self_publish=True)
WANG = ArticleContext(actor="wang", role="reviewer", now=NOW)
NEW = CreateArticle(article_id="KB-1", title="VPN 809", body="Open UDP 500 and 4500.", publish=True)


def test_one_call_makes_an_article_searchable_where_the_policy_allows_it() -> None:
    article, events = decide_article(None, NEW, AGENT)
    assert article.status is ArticleStatus.PUBLISHED
    assert [event.name for event in events] == ["create", "submit", "publish"]
    assert ARTICLE.replay(events) == article
    assert article.category is None
    assert article.reviewed_at == NOW
    assert [hit.article_id for hit in ArticleIndex([article]).search("809")] == ["KB-1"]
    with pytest.raises(CommandRejected, match="self_publish"):
        decide_article(None, NEW, attrs.evolve(AGENT, self_publish=False))


def test_visibility_is_written_and_revised() -> None:
    internal = attrs.evolve(NEW, visibility=Visibility.INTERNAL)
    article = decide_article(None, internal, AGENT).state
    assert article.visibility is Visibility.INTERNAL
    public = decide_article(
        article, Revise(note="safe for customers", visibility=Visibility.PUBLIC), AGENT
    ).state
    assert public.visibility is Visibility.PUBLIC
    assert public.status is ArticleStatus.DRAFT
    assert public.current.body == article.current.body


def test_review_dates_and_the_staleness_report() -> None:
    article = decide_article(None, NEW, AGENT).state
    policy = StalenessPolicy(max_age_days=90, warn_days=7)
    assert review_due(article, policy) == NOW + dt.timedelta(days=90)
    assert staleness_report([article], NOW + dt.timedelta(days=80), policy) == ()
    (soon,) = staleness_report([article], NOW + dt.timedelta(days=85), policy)
    assert not soon.overdue
    (late,) = staleness_report([article], NOW + dt.timedelta(days=95), policy)
    assert late.overdue
    assert late.due == NOW + dt.timedelta(days=90)
    later = NOW + dt.timedelta(days=95)
    confirmed = decide_article(
        article,
        ConfirmReview(review_by=later + dt.timedelta(days=30)),
        attrs.evolve(WANG, now=later),
    ).state
    assert confirmed.reviewed_at == later
    assert review_due(confirmed, policy) == later + dt.timedelta(days=30)
    assert staleness_report([confirmed], later, policy) == ()
    with pytest.raises(CommandRejected, match="reviewer"):
        decide_article(article, ConfirmReview(), AGENT)
    with pytest.raises(ValidationError, match="review_by"):
        decide_article(article, ConfirmReview(review_by=dt.datetime(2026, 9, 1)), WANG)
    draft = decide_article(None, attrs.evolve(NEW, publish=False), AGENT).state
    assert review_due(draft, policy) is None
    with pytest.raises(CommandRejected, match="published"):
        decide_article(draft, ConfirmReview(), WANG)
    with pytest.raises(ValidationError):
        StalenessPolicy(max_age_days=0)


def test_an_explicit_review_date_on_creation() -> None:
    due = NOW + dt.timedelta(days=10)
    article = decide_article(None, attrs.evolve(NEW, review_by=due), AGENT).state
    assert article.review_by == due
    assert review_due(article, StalenessPolicy()) == due


def test_feedback_feeds_the_gap_report() -> None:
    article = decide_article(None, attrs.evolve(NEW, category="network/vpn"), AGENT).state
    for helpful in (False, False, False, True):
        article = decide_article(article, RecordFeedback(helpful=helpful), AGENT).state
    tickets = [TicketFacts(ticket_id=f"T{i}", category="network/vpn") for i in range(12)]
    (row,) = knowledge_gaps(tickets, [article]).rows
    assert (row.helpful, row.not_helpful, row.helpful_ratio, row.gap) == (1, 3, 0.25, False)
    strict = GapPolicy(min_helpful_ratio=0.5)
    (row,) = knowledge_gaps(tickets, [article], strict).rows
    assert row.gap  # the article exists but does not help
    assert GapPolicy.from_dict(strict.to_dict()) == strict
    with pytest.raises(ValidationError, match="min_helpful_ratio"):
        GapPolicy(min_helpful_ratio=2)
