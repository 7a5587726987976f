"""Hypothesis strategies for the knowledge base: articles, their events, categories, ranking.

Articles are never assembled field by field: :func:`article_histories` draws a list of
commands (create, revise, submit, publish, request changes, links, usage, retire) and runs
them through :func:`~itsm_core.knowledge.decide_article`, skipping the ones the workflow
refuses, so every drawn article is one the domain can actually produce and
``ARTICLE.replay`` of its events gives it back.
"""

from __future__ import annotations

import datetime as dt
import functools

from hypothesis import strategies as st

from itsm_core.errors import ItsmError
from itsm_core.knowledge import (
    ARTICLE,
    Article,
    ArticleCommand,
    ArticleContext,
    ArticleEvent,
    Bm25,
    CategoryTree,
    CreateArticle,
    GapPolicy,
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
from itsm_core.testing._strategies import _optional, aware_datetimes, identifiers, texts

_SEGMENT_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-"
#: The role of ARTICLE_WORKFLOW that may publish, request changes and retire.
_REVIEWER = "reviewer"

#: Step kinds; usage (view, solved, feedback) is weighted up, as it is most of an article's life.
_STEPS = (
    "submit",
    "publish",
    "revise",
    "request_changes",
    "link_ticket",
    "link_problem",
    "view",
    "view",
    "solved",
    "solved",
    "feedback",
    "feedback",
    "retire",
)


# Built once (functools.cache), as in _strategies: a strategy is validated on its first draw.
@functools.cache
def category_paths() -> st.SearchStrategy[str]:
    """Category paths of one to three segments (``network/vpn``)."""
    segment = st.text(alphabet=_SEGMENT_CHARS, min_size=1, max_size=8)
    return st.lists(segment, min_size=1, max_size=3).map("/".join)


@functools.cache
def _tags() -> st.SearchStrategy[frozenset[str]]:
    return st.frozensets(identifiers(), max_size=3)


def _later(start: dt.datetime, minutes: int) -> dt.datetime:
    """``minutes`` of elapsed time after ``start``, in its zone (never an imaginary time)."""
    return (start.astimezone(dt.UTC) + dt.timedelta(minutes=minutes)).astimezone(start.tzinfo)


def _step(
    draw: st.DrawFn, kind: str, article: Article, author: str, reviewer: str
) -> tuple[ArticleCommand, str, str]:
    """The command of one step, with its actor and role."""
    # The reviewer who publishes is whichever of the two did not write the current version.
    other = reviewer if article.current.author == author else author
    command: ArticleCommand
    actor, role = author, "author"
    if kind == "submit":
        command = Submit()
    elif kind == "publish":
        command, actor, role = Publish(), other, _REVIEWER
    elif kind == "revise":
        command = Revise(
            note=draw(texts()),
            title=draw(_optional(texts())),
            body=draw(_optional(texts())),
            category=draw(_optional(category_paths())),
            tags=draw(_optional(_tags())),
        )
        actor = draw(st.sampled_from([author, reviewer]))
    elif kind == "request_changes":
        command, actor, role = RequestChanges(reason=draw(texts())), reviewer, _REVIEWER
    elif kind == "retire":
        command, actor, role = Retire(reason=draw(texts())), reviewer, _REVIEWER
    elif kind == "link_ticket":
        command = LinkTicket(ticket_id=draw(identifiers()))
    elif kind == "link_problem":
        command = LinkProblem(problem_id=draw(identifiers()))
    elif kind == "view":
        command = RecordView()
    elif kind == "solved":
        command = RecordSolved(ticket_id=draw(identifiers()))
    else:
        command = RecordFeedback(helpful=draw(st.booleans()))
    return command, actor, role


@st.composite
def article_histories(draw: st.DrawFn, max_steps: int = 8) -> tuple[ArticleEvent, ...]:
    """The events of one article, oldest first: a ``create``, then up to ``max_steps`` more
    (plus a submit and a publish right after the ``create`` in half the histories).

    Each step is a command decided on the article so far; commands the workflow refuses
    (publishing a draft, a revision that changes nothing, a duplicate link...) are skipped.
    Event times move forward by whole minutes in the zone of the first one.
    """
    author = draw(identifiers())
    reviewer = draw(identifiers().filter(lambda name: name != author))
    at = draw(aware_datetimes())
    create = CreateArticle(
        article_id=draw(identifiers()),
        title=draw(texts()),
        body=draw(texts()),
        category=draw(category_paths()),
        tags=draw(_tags()),
    )
    article, first = decide_article(
        None, create, ArticleContext(actor=author, role="author", now=at)
    )
    events = list(first)
    kinds = draw(st.lists(st.sampled_from(_STEPS), max_size=max_steps))
    if draw(st.booleans()):  # half the articles are published first, so usage is recorded
        kinds = ["submit", "publish", *kinds]
    for kind in kinds:
        command, actor, role = _step(draw, kind, article, author, reviewer)
        at = _later(at, draw(st.integers(1, 60 * 24 * 30)))
        try:
            decision = decide_article(
                article, command, ArticleContext(actor=actor, role=role, now=at)
            )
        except ItsmError:
            continue
        article = decision.state
        events.extend(decision.events)
    return tuple(events)


def articles() -> st.SearchStrategy[Article]:
    """Articles in every status, with versions, links, usage and votes (replayed histories)."""
    return article_histories().map(ARTICLE.replay)


def article_events() -> st.SearchStrategy[ArticleEvent]:
    """Article events of every kind (one event taken from a drawn history)."""
    return article_histories().flatmap(st.sampled_from)


@st.composite
def category_trees(draw: st.DrawFn) -> CategoryTree:
    """Category trees of up to eight categories, every parent present, with labels."""
    paths = draw(st.lists(category_paths(), max_size=8))
    closed: set[str] = set()
    for path in paths:
        segments = path.split("/")
        closed.update("/".join(segments[: end + 1]) for end in range(len(segments)))
    labels = {path: draw(texts()) for path in sorted(closed)}
    return CategoryTree(labels)


def bm25_parameters() -> st.SearchStrategy[Bm25]:
    """BM25 ranking parameters: ``k1`` in [0, 3], ``b`` in [0, 1], a solved boost in [0, 2]."""
    return st.builds(
        Bm25,
        k1=st.floats(0.0, 3.0),
        b=st.floats(0.0, 1.0),
        solved_boost=st.floats(0.0, 2.0),
    )


def gap_policies() -> st.SearchStrategy[GapPolicy]:
    """Knowledge-gap policies: a ticket threshold and a tickets-per-article ratio."""
    return st.builds(
        GapPolicy,
        min_tickets=st.integers(1, 1000),
        max_tickets_per_article=st.floats(0.0, 1e6, exclude_min=True),
    )
