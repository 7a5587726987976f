"""The commands an article accepts (ids come from the caller)."""

from __future__ import annotations

from collections.abc import Iterable

import attrs


def _tags(values: Iterable[str]) -> frozenset[str]:
    return frozenset(values)


def _maybe_tags(values: Iterable[str] | None) -> frozenset[str] | None:
    return None if values is None else frozenset(values)


@attrs.frozen(kw_only=True)
class CreateArticle:
    """Write the first version of a new article (it starts as a draft)."""

    article_id: str
    title: str
    body: str
    category: str
    tags: frozenset[str] = attrs.field(default=frozenset(), converter=_tags)
    note: str = "first version"


@attrs.frozen(kw_only=True)
class Revise:
    """Write a new version: the fields given change, the others are kept; ``note`` says why."""

    note: str
    title: str | None = None
    body: str | None = None
    category: str | None = None
    tags: frozenset[str] | None = attrs.field(default=None, converter=_maybe_tags)


@attrs.frozen
class Submit:
    """Send the draft for review."""


@attrs.frozen
class RequestChanges:
    """Reviewer: send the article back to draft, saying what to change."""

    reason: str


@attrs.frozen
class Publish:
    """Reviewer (not the author of the version): make the article visible."""


@attrs.frozen
class Retire:
    """Reviewer: withdraw the article for good, with a reason."""

    reason: str


@attrs.frozen
class LinkTicket:
    """Link a ticket that the article is relevant to."""

    ticket_id: str


@attrs.frozen
class LinkProblem:
    """Link a problem record (known error) the article documents."""

    problem_id: str


@attrs.frozen
class RecordView:
    """Someone read the published article."""


@attrs.frozen
class RecordSolved:
    """The published article solved ``ticket_id`` (the ticket is linked too)."""

    ticket_id: str


@attrs.frozen
class RecordFeedback:
    """A reader's vote on the published article: helpful or not."""

    helpful: bool


ArticleCommand = (
    CreateArticle
    | Revise
    | Submit
    | RequestChanges
    | Publish
    | Retire
    | LinkTicket
    | LinkProblem
    | RecordView
    | RecordSolved
    | RecordFeedback
)
"""Any command :func:`~itsm_core.knowledge.decide` accepts."""
