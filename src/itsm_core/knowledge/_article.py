"""The article aggregate: its versions, status, links to tickets and problems, usage, feedback."""

from __future__ import annotations

import datetime as dt

import attrs

from itsm_core._checks import check_aware
from itsm_core.errors import Problem, ValidationError
from itsm_core.knowledge._categories import category_problems
from itsm_core.knowledge._fields import positive_int_problems, tag_problems, tag_set, text_problems
from itsm_core.knowledge._lifecycle import ArticleStatus
from itsm_core.knowledge._visibility import Visibility


@attrs.frozen(kw_only=True)
class ArticleVersion:
    """One version of an article's content, with who wrote it, when, and why.

    >>> import datetime as dt
    >>> v = ArticleVersion(number=1, title="VPN 错误 809", body="打开 UDP 500 和 4500 端口。",
    ...                    category="network/vpn", tags={"vpn"}, author="li",
    ...                    at=dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), note="first version")
    >>> v.number, sorted(v.tags)
    (1, ['vpn'])
    """

    number: int
    title: str
    body: str
    category: str | None = None
    tags: frozenset[str] = attrs.field(default=frozenset(), converter=tag_set)
    author: str
    at: dt.datetime
    note: str
    visibility: Visibility = Visibility.PUBLIC

    def __attrs_post_init__(self) -> None:
        check_aware(self.at, "ArticleVersion.at")
        problems: list[Problem] = []
        problems.extend(positive_int_problems(self.number, "number"))
        for name in ("title", "body", "author", "note"):
            problems.extend(text_problems(getattr(self, name), name))
        if self.category is not None:
            problems.extend(category_problems(self.category, "category"))
        visibility: object = self.visibility
        if not isinstance(visibility, Visibility):
            problems.append(Problem("visibility", f"{visibility!r} is not a Visibility"))
        problems.extend(tag_problems(self.tags, "tags"))
        if problems:
            raise ValidationError("ArticleVersion", problems)

    @property
    def text(self) -> str:
        """What search indexes: title, tags (sorted) and body."""
        return "\n".join((self.title, " ".join(sorted(self.tags)), self.body))


@attrs.frozen(kw_only=True)
class Article:
    """A knowledge article (知识库文章): the fold of its events (:data:`ARTICLE`); change it
    with :func:`decide_article`.

    The current content is the last of ``versions``. Usage counters: ``views``; the tickets
    linked (``tickets``) and, among them, those it solved (``solved_tickets``); helpful and
    not-helpful votes. ``problems`` are the problem records (known errors) it documents.
    ``reviewed_at`` is when a reviewer last published or confirmed it; ``review_by``, when set
    by the author or reviewer, is when it must be reviewed again (see
    :func:`~itsm_core.knowledge.staleness_report`).
    """

    article_id: str
    status: ArticleStatus
    versions: tuple[ArticleVersion, ...]
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    tickets: frozenset[str] = frozenset()
    problems: frozenset[str] = frozenset()
    solved_tickets: frozenset[str] = frozenset()
    views: int = 0
    helpful: int = 0
    not_helpful: int = 0
    published_at: dt.datetime | None = None
    retired_reason: str | None = None
    reviewed_at: dt.datetime | None = None
    review_by: dt.datetime | None = None

    @property
    def stream_id(self) -> str:
        """The article's event stream: its ``article_id`` (what the aggregate kernel reads)."""
        return self.article_id

    @property
    def current(self) -> ArticleVersion:
        """The latest version."""
        return self.versions[-1]

    @property
    def title(self) -> str:
        """The title of the latest version."""
        return self.current.title

    @property
    def body(self) -> str:
        """The body of the latest version."""
        return self.current.body

    @property
    def category(self) -> str | None:
        """The category path of the latest version (``network/vpn``), None without one."""
        return self.current.category

    @property
    def visibility(self) -> Visibility:
        """Who may read the latest version: public (self-help) or internal (agents)."""
        return self.current.visibility

    @property
    def tags(self) -> frozenset[str]:
        """The tags of the latest version."""
        return self.current.tags

    @property
    def linked_count(self) -> int:
        """How many tickets are linked to the article."""
        return len(self.tickets)

    @property
    def solved_count(self) -> int:
        """How many tickets were solved with the article."""
        return len(self.solved_tickets)

    @property
    def helpful_ratio(self) -> float | None:
        """Helpful votes over all votes, or None before the first vote."""
        votes = self.helpful + self.not_helpful
        return None if votes == 0 else self.helpful / votes
