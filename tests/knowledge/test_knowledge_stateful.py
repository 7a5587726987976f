"""Stateful test of the article workflow: random commands by random people, invariants held."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from itsm_core.errors import CommandRejected
from itsm_core.knowledge import (
    ARTICLE,
    ARTICLE_WORKFLOW,
    Article,
    ArticleCommand,
    ArticleContext,
    ArticleEvent,
    ArticleIndex,
    ArticleStatus,
    CreateArticle,
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

T0 = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
PEOPLE = st.sampled_from(["li", "wang", "zhao"])
ROLES = st.sampled_from(["author", "reviewer"])
COMMANDS: st.SearchStrategy[ArticleCommand] = st.one_of(
    st.just(Submit()),
    st.just(Publish()),
    st.builds(RequestChanges, st.sampled_from(["", "add steps"])),
    st.builds(Retire, st.sampled_from(["", "obsolete"])),
    st.builds(
        Revise,
        note=st.sampled_from(["", "fix"]),
        title=st.sampled_from([None, "VPN 809", "VPN 812"]),
        body=st.sampled_from([None, "开放 UDP 端口", "open the UDP ports"]),
    ),
    st.builds(LinkTicket, st.sampled_from(["INC-1", "INC-2"])),
    st.builds(RecordSolved, st.sampled_from(["INC-1", "INC-3"])),
    st.just(RecordView()),
    st.builds(RecordFeedback, st.booleans()),
)


class ArticleMachine(RuleBasedStateMachine):
    """Drives one article; the events must always replay to it and the rules must hold."""

    def __init__(self) -> None:
        super().__init__()
        self.article: Article
        self.events: list[ArticleEvent] = []
        self.minutes = 0
        self.accepted: list[str] = []
        self.publisher: str | None = None

    @initialize(author=PEOPLE)
    def create(self, author: str) -> None:
        command = CreateArticle(
            article_id="KB-1", title="VPN 809", body="开放 UDP 端口", category="network/vpn"
        )
        decision = decide_article(
            None, command, ArticleContext(actor=author, role="author", now=T0)
        )
        self.article = decision.state
        self.events.extend(decision.events)

    @rule(command=COMMANDS, actor=PEOPLE, role=ROLES)
    def act(self, command: ArticleCommand, actor: str, role: str) -> None:
        self.minutes += 1
        before = self.article
        allowed = ARTICLE_WORKFLOW.events_from(before.status)
        try:
            decision = decide_article(
                before,
                command,
                ArticleContext(actor=actor, role=role, now=T0 + dt.timedelta(minutes=self.minutes)),
            )
        except CommandRejected:
            assert self.article is before
            return
        (event,) = decision.events
        if event.from_status is not event.to_status or event.name in ("revise", "submit"):
            assert event.name in allowed
        if event.name == "publish":
            assert role == "reviewer"
            assert actor != before.current.author
            self.publisher = actor
        self.article = decision.state
        self.events.append(event)
        self.accepted.append(event.name)

    @invariant()
    def replays_to_the_same_article(self) -> None:
        assert ARTICLE.replay(self.events) == self.article

    @invariant()
    def versions_are_numbered_and_counters_count(self) -> None:
        article = self.article
        assert [v.number for v in article.versions] == list(range(1, len(article.versions) + 1))
        assert len(article.versions) == 1 + self.accepted.count("revise")
        assert article.views == self.accepted.count("record_view")
        assert article.helpful + article.not_helpful == self.accepted.count("record_feedback")
        assert article.solved_tickets <= article.tickets
        assert article.version == len(self.events)

    @invariant()
    def a_published_article_was_published_by_someone_else(self) -> None:
        if self.article.status is ArticleStatus.PUBLISHED:
            assert self.publisher is not None
            assert self.publisher != self.article.current.author

    @invariant()
    def the_index_shows_it_only_while_published(self) -> None:
        visible = ArticleIndex([self.article]).search("VPN")
        assert bool(visible) == (self.article.status is ArticleStatus.PUBLISHED)


TestArticleMachine = ArticleMachine.TestCase
