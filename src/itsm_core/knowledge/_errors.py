"""The error classes of the knowledge package that the shared tree does not already have."""

from __future__ import annotations

from itsm_core.errors import DomainError, ValidationError


class InvalidArticleStream(ValidationError):
    """Events that do not fold into an article (wrong order, wrong id, wrong status)."""

    _kind = "event stream"


class IndexConflict(DomainError):
    """An index change that does not fit its content: adding an article already indexed,
    updating or removing one that is not. The index is unchanged.
    """

    def __init__(self, article_id: str, problem: str) -> None:
        self.article_id = article_id
        self.problem = problem
        super().__init__(f"article {article_id!r} {problem}")

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.article_id, self.problem))
