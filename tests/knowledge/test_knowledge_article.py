"""The article aggregate: workflow, versions, links, usage, feedback, events and replay."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from itsm_core.errors import (
    CommandRejected,
    InvalidEventStream,
    NaiveDatetimeError,
    TransitionNotAllowed,
    ValidationError,
)
from itsm_core.knowledge import (
    ARTICLE,
    ARTICLE_WORKFLOW,
    Article,
    ArticleCommand,
    ArticleContext,
    ArticleEvent,
    ArticleStatus,
    ArticleVersion,
    CategoryTree,
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
    decide_article,
)
from itsm_core.workflow import StatusCategory, render_markdown_table

T0 = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
LI = ArticleContext(actor="li", role="author", now=T0)
WANG = ArticleContext(actor="wang", role="reviewer", now=T0)
NEW = CreateArticle(
    article_id="KB-1",
    title="VPN 错误 809",
    body="防火墙未放行 UDP 500/4500。",
    category="network/vpn",
    tags=frozenset({"vpn"}),
)


def run(*steps: tuple[object, str, str]) -> tuple[Article, list[ArticleEvent]]:
    """Apply (command, actor, role) steps from nothing, one minute apart."""
    article: Article | None = None
    events: list[ArticleEvent] = []
    for minute, (command, actor, role) in enumerate(steps):
        decision = decide_article(
            article,
            command,  # type: ignore[arg-type]
            ArticleContext(actor=actor, role=role, now=T0 + dt.timedelta(minutes=minute)),
        )
        article = decision.state
        events.extend(decision.events)
    assert article is not None
    return article, events


def published() -> tuple[Article, list[ArticleEvent]]:
    return run((NEW, "li", "author"), (Submit(), "li", "author"), (Publish(), "wang", "reviewer"))


def test_the_workflow_is_an_itsm_core_workflow_with_four_states() -> None:
    assert ARTICLE_WORKFLOW.initial is ArticleStatus.DRAFT
    assert set(ARTICLE_WORKFLOW.states) == set(ArticleStatus)
    assert ARTICLE_WORKFLOW.terminal == frozenset({ArticleStatus.RETIRED})
    assert ARTICLE_WORKFLOW.category(ArticleStatus.RETIRED) is StatusCategory.CLOSED
    assert "| `publish` | review | published | reviewer | – | four_eyes |" in (
        render_markdown_table(ARTICLE_WORKFLOW)
    )


def test_draft_review_publish_with_versions_and_timestamps() -> None:
    article, events = published()
    assert article.status is ArticleStatus.PUBLISHED
    assert [e.name for e in events] == ["create", "submit", "publish"]
    assert [(e.from_status, e.to_status) for e in events] == [
        (None, ArticleStatus.DRAFT),
        (ArticleStatus.DRAFT, ArticleStatus.REVIEW),
        (ArticleStatus.REVIEW, ArticleStatus.PUBLISHED),
    ]
    assert article.version == 3
    assert article.created_at == T0
    assert article.published_at == article.updated_at == T0 + dt.timedelta(minutes=2)
    assert (article.title, article.category, article.tags) == (
        "VPN 错误 809",
        "network/vpn",
        frozenset({"vpn"}),
    )
    assert article.current.author == "li"
    assert article.current.note == "first version"


def test_revising_a_published_article_sends_the_new_version_back_to_draft() -> None:
    article, _ = published()
    revised = decide_article(
        article,
        Revise(note="add the error 812 case", body="Also covers 812."),
        ArticleContext(actor="zhao", role="author", now=T0 + dt.timedelta(hours=1)),
    ).state
    assert revised.status is ArticleStatus.DRAFT
    assert [v.number for v in revised.versions] == [1, 2]
    assert revised.body == "Also covers 812."
    assert revised.title == article.title  # unchanged fields are kept
    assert (revised.current.author, revised.current.note) == ("zhao", "add the error 812 case")
    assert revised.versions[0] == article.current  # history is kept


def test_four_eyes_rule_and_roles_are_enforced_with_every_reason() -> None:
    article, _ = run((NEW, "li", "author"), (Submit(), "li", "author"))
    with pytest.raises(CommandRejected) as caught:
        decide_article(article, Publish(), LI)
    assert caught.value.reasons == (
        "role 'author' may not fire 'publish' (allowed: reviewer)",
        "four_eyes: 'li' wrote version 1; another reviewer must publish it",
    )
    assert caught.value.state == "review"
    with pytest.raises(CommandRejected, match="field 'reason' is required"):
        decide_article(article, RequestChanges(""), WANG)
    back = decide_article(article, RequestChanges("cite the port list"), WANG)
    assert back.state.status is ArticleStatus.DRAFT
    assert back.events[0].reason == "cite the port list"


def test_transitions_not_in_the_workflow_are_refused_with_the_allowed_ones() -> None:
    article, _ = published()
    with pytest.raises(TransitionNotAllowed) as caught:
        decide_article(article, Submit(), LI)
    assert caught.value.allowed == ("retire", "revise")
    retired = decide_article(article, Retire("obsolete"), WANG).state
    assert retired.retired_reason == "obsolete"
    with pytest.raises(TransitionNotAllowed, match="terminal"):
        decide_article(retired, Revise(note="x", title="y"), LI)
    with pytest.raises(CommandRejected, match="retired"):
        decide_article(retired, LinkTicket("INC-1"), LI)


def test_links_usage_and_feedback_counters() -> None:
    article, events = published()
    steps: list[ArticleCommand] = [
        LinkTicket("INC-1"),
        LinkProblem("PRB-9"),
        RecordView(),
        RecordView(),
        RecordSolved("INC-2"),
        RecordFeedback(helpful=True),
        RecordFeedback(helpful=True),
        RecordFeedback(helpful=False),
    ]
    for command in steps:
        decision = decide_article(article, command, LI)
        article = decision.state
        events.extend(decision.events)
        assert decision.events[0].to_status is ArticleStatus.PUBLISHED
    assert article.tickets == frozenset({"INC-1", "INC-2"})
    assert article.linked_count == 2
    assert article.solved_tickets == frozenset({"INC-2"})
    assert article.solved_count == 1
    assert article.problems == frozenset({"PRB-9"})
    assert article.views == 2
    assert (article.helpful, article.not_helpful) == (2, 1)
    assert article.helpful_ratio == pytest.approx(2 / 3)
    assert ARTICLE.replay(events) == article


@pytest.mark.parametrize(
    ("command", "reason"),
    [
        (LinkTicket("INC-1"), "ticket 'INC-1' is already linked"),
        (RecordSolved("INC-7"), "ticket 'INC-7' is already recorded as solved"),
        (LinkProblem("PRB-1"), "problem 'PRB-1' is already linked"),
    ],
)
def test_duplicate_links_are_refused(command: object, reason: str) -> None:
    article, _ = published()
    for first in (LinkTicket("INC-1"), RecordSolved("INC-7"), LinkProblem("PRB-1")):
        article = decide_article(article, first, LI).state
    with pytest.raises(CommandRejected) as caught:
        decide_article(article, command, LI)  # type: ignore[arg-type]
    assert caught.value.reasons == (reason,)


def test_usage_is_recorded_on_published_articles_only() -> None:
    article, _ = run((NEW, "li", "author"))
    assert article.helpful_ratio is None
    for command in (RecordView(), RecordSolved("INC-1"), RecordFeedback(helpful=True)):
        with pytest.raises(CommandRejected, match="published articles; this one is draft"):
            decide_article(article, command, LI)
    linked = decide_article(article, LinkTicket("INC-1"), LI).state  # links: any time
    assert linked.tickets == frozenset({"INC-1"})


def test_bad_input_is_a_validation_error_naming_every_problem() -> None:
    with pytest.raises(ValidationError) as caught:
        decide_article(
            None,
            CreateArticle(article_id="KB-1", title=" ", body="", category="/x", tags={" vpn"}),
            LI,
        )
    assert [p.path for p in caught.value.problems] == ["title", "body", "category", "tags"]
    with pytest.raises(ValidationError, match="article_id"):
        decide_article(None, attrs.evolve(NEW, article_id=""), LI)
    with pytest.raises(ValidationError, match="actor"):
        decide_article(None, NEW, ArticleContext(actor="", role="author", now=T0))
    with pytest.raises(NaiveDatetimeError):
        decide_article(
            None, NEW, ArticleContext(actor="li", role="author", now=dt.datetime(2026, 3, 2, 9))
        )
    article, _ = published()
    with pytest.raises(ValidationError, match="ticket_id"):
        decide_article(article, LinkTicket(""), LI)
    with pytest.raises(ValidationError, match="problem_id"):
        decide_article(article, LinkProblem(" "), LI)
    with pytest.raises(ValidationError, match="helpful"):
        decide_article(article, RecordFeedback(helpful=1), LI)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="expected a collection"):
        ArticleVersion(
            number=1, title="t", body="b", category="c", tags="vpn", author="a", at=T0, note="n"
        )
    with pytest.raises(ValidationError, match="positive int"):
        ArticleVersion(number=0, title="t", body="b", category="c", author="a", at=T0, note="n")


def test_commands_in_the_wrong_place_are_refused() -> None:
    article, _ = published()
    with pytest.raises(CommandRejected, match="already exists"):
        decide_article(article, NEW, LI)
    with pytest.raises(CommandRejected, match="create one first"):
        decide_article(None, Submit(), LI)
    with pytest.raises(CommandRejected, match="nothing changes"):
        decide_article(article, Revise(note="same", title=article.title), LI)
    with pytest.raises(CommandRejected, match="field 'note' is required"):
        decide_article(article, Revise(note="", title="new"), LI)


def test_categories_are_checked_against_a_tree_when_given() -> None:
    tree = CategoryTree.from_dict({"network": {"children": {"vpn": {}}}})
    assert (
        decide_article(
            None, NEW, ArticleContext(actor="li", role="author", now=T0, categories=tree)
        ).state.category
        == "network/vpn"
    )
    with pytest.raises(ValidationError, match="unknown category 'email'"):
        decide_article(
            None,
            attrs.evolve(NEW, category="email"),
            ArticleContext(actor="li", role="author", now=T0, categories=tree),
        )
    article, _ = published()
    with pytest.raises(ValidationError, match="unknown category 'email'"):
        decide_article(
            article,
            Revise(note="move", category="email"),
            ArticleContext(actor="li", role="author", now=T0, categories=tree),
        )


def test_replay_rebuilds_the_article_and_refuses_broken_streams() -> None:
    article, events = published()
    assert ARTICLE.replay(events) == article
    with pytest.raises(InvalidEventStream, match="no events"):
        ARTICLE.replay([])
    with pytest.raises(InvalidEventStream, match=r"starts at #1, not #2"):
        ARTICLE.replay(events[1:])
    with pytest.raises(InvalidEventStream, match="starts with 'create', not 'submit'"):
        ARTICLE.replay([attrs.evolve(events[1], sequence=1, from_status=None)])
    with pytest.raises(InvalidEventStream, match="does not follow"):
        ARTICLE.replay([events[0], events[2]])
    with pytest.raises(InvalidEventStream, match="'KB-2' is another article than 'KB-1'"):
        ARTICLE.apply(ARTICLE.replay(events[:1]), attrs.evolve(events[1], article_id="KB-2"))
    with pytest.raises(InvalidEventStream, match="is not the status"):
        ARTICLE.apply(
            ARTICLE.replay(events[:1]), attrs.evolve(events[1], from_status=ArticleStatus.REVIEW)
        )
    with pytest.raises(InvalidEventStream, match="only create and revise carry a version"):
        ARTICLE.apply(
            ARTICLE.replay(events[:1]), attrs.evolve(events[1], version=events[0].version)
        )
    with pytest.raises(NaiveDatetimeError):
        attrs.evolve(events[0], at=dt.datetime(2026, 3, 2))
