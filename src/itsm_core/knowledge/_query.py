"""What a search asks (text and filters) and what it answers (ranked hits)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

import attrs

from itsm_core._checks import frozen_set
from itsm_core._plain import shown
from itsm_core.errors import Problem, ValidationError
from itsm_core.knowledge._categories import category_problems
from itsm_core.knowledge._fields import positive_int_problems, tag_problems
from itsm_core.knowledge._lifecycle import ArticleStatus
from itsm_core.knowledge._visibility import Visibility


def _one_or_many(values: Iterable[object]) -> frozenset[object]:
    """A filter as a frozenset; a lone string is one value (not a set of its characters)."""
    return frozen_set([values] if isinstance(values, str) else values)


@attrs.frozen(kw_only=True)
class SearchQuery:
    """A search: free text (Chinese, English or both) and filters.

    Attributes:
        text: the words searched for; tokenised like the articles.
        category: only articles in this category or below it (``"network"`` takes
            ``"network/vpn"``); None for all.
        tags: only articles carrying every one of these tags.
        statuses: only articles in one of these statuses (published by default).
        visibilities: only articles with one of these visibilities (any by default; a
            customer self-help portal asks for ``{Visibility.PUBLIC}``).
        limit: at most this many hits.

    >>> SearchQuery(text="VPN 809", category="network", tags={"vpn"}).limit
    10
    >>> SearchQuery(text="x", limit=0)
    Traceback (most recent call last):
    ...
    itsm_core.errors.ValidationError: invalid value for SearchQuery: 1 problem
      - limit: must be a positive int, got 0
    """

    text: str
    category: str | None = None
    tags: frozenset[str] = attrs.field(default=frozenset(), converter=_one_or_many)
    statuses: frozenset[ArticleStatus] = attrs.field(
        default=frozenset({ArticleStatus.PUBLISHED}), converter=_one_or_many
    )
    visibilities: frozenset[Visibility] = attrs.field(
        default=frozenset(Visibility), converter=_one_or_many
    )
    limit: int = 10

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        text: object = self.text
        if not isinstance(text, str):
            problems.append(Problem("text", f"must be a string, got {shown(text)}"))
        if self.category is not None:
            problems.extend(category_problems(self.category, "category"))
        problems.extend(tag_problems(self.tags, "tags"))
        if not self.statuses:
            problems.append(Problem("statuses", "at least one status"))
        problems.extend(
            Problem("statuses", f"{shown(status)} is not an ArticleStatus")
            for status in sorted(self.statuses, key=shown)
            if not isinstance(cast(object, status), ArticleStatus)
        )
        if not self.visibilities:
            problems.append(Problem("visibilities", "at least one visibility"))
        problems.extend(
            Problem("visibilities", f"{shown(visibility)} is not a Visibility")
            for visibility in sorted(self.visibilities, key=shown)
            if not isinstance(cast(object, visibility), Visibility)
        )
        problems.extend(positive_int_problems(self.limit, "limit"))
        if problems:
            raise ValidationError("SearchQuery", problems)


@attrs.frozen(kw_only=True)
class SearchHit:
    """One ranked article: its score, split into BM25 relevance and the usage boost.

    ``matched`` lists the query terms (as the analyzer made them) found in the article, sorted.
    """

    article_id: str
    title: str
    category: str | None
    status: ArticleStatus
    visibility: Visibility = Visibility.PUBLIC
    score: float
    relevance: float
    boost: float
    matched: tuple[str, ...]
