"""The article workflow: draft, review, published, retired, as :mod:`itsm_core.workflow` data.

| event | from | to | who |
|---|---|---|---|
| `submit` | draft | review | anyone |
| `revise` | draft, published | draft | anyone (a change `note`) |
| `request_changes` | review | draft | reviewer (a `reason`) |
| `publish` | review | published | reviewer, not the author |
| `retire` | draft, review, published | retired | reviewer (a `reason`) |

Revising a published article sends the new version back to draft: every version readers see
has been reviewed. ``publish`` is guarded by the four-eyes rule: the reviewer is not the author
of the version under review.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from itsm_core.knowledge._commands import (
    EVENT_NAMES,
    Publish,
    RequestChanges,
    Retire,
    Revise,
    Submit,
)
from itsm_core.workflow import Guard, GuardContext, StatusCategory, Transition, Workflow

if TYPE_CHECKING:
    from itsm_core.knowledge._article import Article


class ArticleStatus(enum.StrEnum):
    """Where an article is in its life."""

    DRAFT = "draft"
    """Being written or revised; not searchable by default."""
    REVIEW = "review"
    """Submitted; waiting for a reviewer to publish it or ask for changes."""
    PUBLISHED = "published"
    """Reviewed and visible to agents and customers."""
    RETIRED = "retired"
    """Withdrawn for good (obsolete, superseded); kept for the record."""


#: The role that may publish, request changes and retire.
REVIEWER = "reviewer"


def _four_eyes(context: GuardContext[Article]) -> str | None:
    author = context.subject.current.author
    if context.actor == author:
        number = context.subject.current.number
        return f"{context.actor!r} wrote version {number}; another reviewer must publish it"
    return None


FOUR_EYES: Guard[Article] = Guard(
    "four_eyes", _four_eyes, "the reviewer who publishes is not the author of the version"
)

_S = ArticleStatus
_E = EVENT_NAMES

ARTICLE_WORKFLOW: Workflow[ArticleStatus, Article] = Workflow(
    name="knowledge_article",
    states={
        _S.DRAFT: StatusCategory.NEW,
        _S.REVIEW: StatusCategory.OPEN,
        _S.PUBLISHED: StatusCategory.RESOLVED,
        _S.RETIRED: StatusCategory.CLOSED,
    },
    initial=_S.DRAFT,
    transitions=[
        Transition(event=_E[Submit], sources={_S.DRAFT}, target=_S.REVIEW),
        Transition(
            event=_E[Revise],
            sources={_S.DRAFT, _S.PUBLISHED},
            target=_S.DRAFT,
            required_fields={"note"},
            description="a new version, with a change note",
        ),
        Transition(
            event=_E[RequestChanges],
            sources={_S.REVIEW},
            target=_S.DRAFT,
            roles={REVIEWER},
            required_fields={"reason"},
        ),
        Transition(
            event=_E[Publish],
            sources={_S.REVIEW},
            target=_S.PUBLISHED,
            roles={REVIEWER},
            guards=[FOUR_EYES],
        ),
        Transition(
            event=_E[Retire],
            sources={_S.DRAFT, _S.REVIEW, _S.PUBLISHED},
            target=_S.RETIRED,
            roles={REVIEWER},
            required_fields={"reason"},
        ),
    ],
)
"""The article workflow (see the module docstring for the table)."""
