"""Knowledge articles on the aggregate kernel: one decide shape, one fold, one table of names."""

from __future__ import annotations

import datetime as dt
import importlib
import typing

import attrs
import pytest
from hypothesis import given

from itsm_core import kernel
from itsm_core.errors import InvalidEventStream, NaiveDatetimeError, ValidationError
from itsm_core.knowledge import (
    ARTICLE,
    ARTICLE_WORKFLOW,
    Article,
    ArticleCommand,
    ArticleContext,
    ArticleEvent,
    CategoryTree,
    CreateArticle,
    Revise,
    Submit,
    decide_article,
)
from itsm_core.knowledge._commands import EVENT_NAMES, VERSION_EVENTS
from itsm_core.testing import article_histories

T0 = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
LI = ArticleContext(actor="li", role="author", now=T0)
NEW = CreateArticle(article_id="KB-1", title="VPN 809", body="开放 UDP 端口", category="vpn")


def test_one_table_names_the_event_of_every_command() -> None:
    assert set(EVENT_NAMES) == set(typing.get_args(ArticleCommand))
    assert len(set(EVENT_NAMES.values())) == len(EVENT_NAMES)  # no two commands share one
    assert set(ARTICLE_WORKFLOW.events) <= set(EVENT_NAMES.values())
    assert {EVENT_NAMES[CreateArticle], EVENT_NAMES[Revise]} == VERSION_EVENTS


@given(article_histories())
def test_every_event_name_comes_from_the_table(history: tuple[ArticleEvent, ...]) -> None:
    assert {event.name for event in history} <= set(EVENT_NAMES.values())


def test_a_decision_is_the_kernels_and_unpacks_like_a_pair() -> None:
    decision = decide_article(None, NEW, LI)
    assert isinstance(decision, kernel.Decision)
    article, events = decision
    assert (article, events) == (decision.state, decision.events)
    assert [event.name for event in events] == ["create"]
    assert ARTICLE.replay(events) == article


def test_events_and_articles_expose_their_stream_and_version() -> None:
    article, events = decide_article(None, NEW, LI)
    article, more = decide_article(article, Submit(), LI)
    assert [event.stream_id for event in (*events, *more)] == ["KB-1", "KB-1"]
    assert (article.stream_id, article.version) == ("KB-1", 2)
    assert isinstance(ARTICLE, kernel.Aggregate)


def test_the_context_carries_the_category_tree_and_checks_what_it_adds() -> None:
    tree = CategoryTree({"vpn": "VPN"})
    assert isinstance(ArticleContext(actor="li", role="author", now=T0), kernel.Context)
    decide_article(None, NEW, attrs.evolve(LI, categories=tree))  # 'vpn' is in the tree
    with pytest.raises(ValidationError) as caught:
        ArticleContext(actor=" ", role="author", now=T0, categories={"vpn": "VPN"})  # type: ignore[arg-type]
    assert [p.path for p in caught.value.problems] == ["actor", "categories"]
    with pytest.raises(NaiveDatetimeError, match=r"ArticleContext\.now"):
        ArticleContext(actor="li", role="author", now=dt.datetime(2026, 3, 2, 9))
    with pytest.raises(ValidationError, match="role"):
        ArticleContext(actor="li", role="", now=T0)


def test_something_that_is_not_an_article_command_is_a_validation_error() -> None:
    with pytest.raises(ValidationError, match="str is not an article command"):
        decide_article(None, "create", LI)  # type: ignore[arg-type]


def test_a_lone_string_of_tags_is_refused_in_commands_too() -> None:
    with pytest.raises(ValidationError, match="expected a collection, got 'vpn'"):
        CreateArticle(article_id="KB-1", title="t", body="b", category="c", tags="vpn")
    with pytest.raises(ValidationError, match="expected a collection"):
        Revise(note="n", tags="vpn")
    assert Revise(note="n").tags is None


def test_a_stream_problem_names_the_event_by_its_sequence() -> None:
    article, events = decide_article(None, NEW, LI)
    submitted = decide_article(article, Submit(), LI).events[0]
    with pytest.raises(InvalidEventStream) as caught:
        ARTICLE.replay([*events, attrs.evolve(submitted, from_status=submitted.to_status)])
    assert [(p.path, p.message) for p in caught.value.problems] == [
        ("#2.from_status", "review is not the status draft")
    ]
    assert caught.value.subject == "'KB-1'"


def test_a_create_without_a_version_does_not_start_a_stream() -> None:
    (create,) = decide_article(None, NEW, LI).events
    with pytest.raises(InvalidEventStream, match="starts with 'create'"):
        ARTICLE.replay([attrs.evolve(create, version=None)])


@pytest.mark.parametrize(
    "package",
    [
        "tickets",
        "improvement",
        "workflow",
        "sla",
        "metrics",
        "records",
        "routing",
        "priority",
        "satisfaction",
        "calendar",
        "repositories",
        "serialization",
        "testing",
        "kernel",
        "errors",
    ],
)
def test_no_public_name_of_knowledge_means_something_else_elsewhere(package: str) -> None:
    knowledge = set(importlib.import_module("itsm_core.knowledge").__all__)
    assert not knowledge & set(importlib.import_module(f"itsm_core.{package}").__all__)
    assert {"decide", "replay", "apply_event"}.isdisjoint(knowledge)


def test_an_article_from_the_fold_keeps_its_fields() -> None:
    article: Article = ARTICLE.replay(decide_article(None, NEW, LI).events)
    assert (article.version, article.created_at, article.current.author) == (1, T0, "li")
