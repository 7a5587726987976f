"""What the search index reads of an article: a small plain value, for bulk indexing too."""

from __future__ import annotations

import attrs

from itsm_core._plain import shown
from itsm_core.errors import Problem, ValidationError
from itsm_core.knowledge._article import Article
from itsm_core.knowledge._categories import category_problems
from itsm_core.knowledge._fields import tag_problems, tag_set, text_problems
from itsm_core.knowledge._lifecycle import ArticleStatus
from itsm_core.knowledge._visibility import Visibility


@attrs.frozen(kw_only=True)
class ArticleDocument:
    """An article as the index sees it: the latest content, status, visibility and usage.

    :meth:`of` takes it from an :class:`Article`; build it directly to index articles kept
    elsewhere (an import, a database) without deciding each one: the bulk path.

    >>> doc = ArticleDocument(article_id="KB-1", title="VPN 809", body="Open UDP 500.")
    >>> doc.status.value, doc.visibility.value, doc.category
    ('published', 'public', None)
    """

    article_id: str
    title: str
    body: str
    category: str | None = None
    tags: frozenset[str] = attrs.field(default=frozenset(), converter=tag_set)
    status: ArticleStatus = ArticleStatus.PUBLISHED
    visibility: Visibility = Visibility.PUBLIC
    solved: int = 0
    helpful: int = 0
    not_helpful: int = 0

    def __attrs_post_init__(self) -> None:
        problems = text_problems(self.article_id, "article_id")
        for name in ("title", "body"):
            value: object = getattr(self, name)
            if not isinstance(value, str):
                problems.append(Problem(name, f"must be a string, got {shown(value)}"))
        if self.category is not None:
            problems.extend(category_problems(self.category, "category"))
        problems.extend(tag_problems(self.tags, "tags"))
        status: object = self.status
        if not isinstance(status, ArticleStatus):
            problems.append(Problem("status", f"{shown(status)} is not an ArticleStatus"))
        visibility: object = self.visibility
        if not isinstance(visibility, Visibility):
            problems.append(Problem("visibility", f"{shown(visibility)} is not a Visibility"))
        for name in ("solved", "helpful", "not_helpful"):
            count: object = getattr(self, name)
            if not isinstance(count, int) or isinstance(count, bool) or count < 0:
                problems.append(Problem(name, f"must be an int >= 0, got {shown(count)}"))
        if problems:
            raise ValidationError("ArticleDocument", problems)

    @classmethod
    def of(cls, article: Article) -> ArticleDocument:
        """The document of an article's latest version, status and usage."""
        current = article.current
        return cls(
            article_id=article.article_id,
            title=current.title,
            body=current.body,
            category=current.category,
            tags=current.tags,
            status=article.status,
            visibility=current.visibility,
            solved=article.solved_count,
            helpful=article.helpful,
            not_helpful=article.not_helpful,
        )

    @property
    def text(self) -> str:
        """What search indexes: title, tags (sorted) and body."""
        return "\n".join((self.title, " ".join(sorted(self.tags)), self.body))
