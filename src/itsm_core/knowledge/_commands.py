"""The commands an article accepts (ids come from the caller), and the event each records."""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Mapping

import attrs

from itsm_core.knowledge._fields import optional_tag_set, tag_set
from itsm_core.knowledge._visibility import Visibility


@attrs.frozen(kw_only=True)
class CreateArticle:
    """Write the first version of a new article (it starts as a draft).

    ``category`` is optional. ``review_by`` (aware) is when the article must be reviewed again.
    With ``publish=True`` and a context whose policy allows self-publishing
    (``ArticleContext(self_publish=True)``), the article is created, submitted and published
    in one decision: searchable in one call.
    """

    article_id: str
    title: str
    body: str
    category: str | None = None
    tags: frozenset[str] = attrs.field(default=frozenset(), converter=tag_set)
    note: str = "first version"
    visibility: Visibility = Visibility.PUBLIC
    review_by: dt.datetime | None = None
    publish: bool = False


@attrs.frozen(kw_only=True)
class Revise:
    """Write a new version: the fields given change, the others are kept; ``note`` says why."""

    note: str
    title: str | None = None
    body: str | None = None
    category: str | None = None
    tags: frozenset[str] | None = attrs.field(default=None, converter=optional_tag_set)
    visibility: Visibility | None = None
    review_by: dt.datetime | None = None


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
class ConfirmReview:
    """Reviewer: the published article is still right; ``review_by`` sets the next review."""

    review_by: dt.datetime | None = None


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
    | ConfirmReview
)
"""Any command :func:`~itsm_core.knowledge.decide_article` accepts."""

#: The event each command records when it is accepted: the one table of event names. The
#: workflow's transitions, the fold and ``decide_article`` all read their names from it.
EVENT_NAMES: Mapping[type[ArticleCommand], str] = types.MappingProxyType(
    {
        CreateArticle: "create",
        Revise: "revise",
        Submit: "submit",
        RequestChanges: "request_changes",
        Publish: "publish",
        Retire: "retire",
        LinkTicket: "link_ticket",
        LinkProblem: "link_problem",
        RecordView: "record_view",
        RecordSolved: "record_solved",
        RecordFeedback: "record_feedback",
        ConfirmReview: "confirm_review",
    }
)

#: The events that write a version of the content.
VERSION_EVENTS = frozenset({EVENT_NAMES[CreateArticle], EVENT_NAMES[Revise]})
