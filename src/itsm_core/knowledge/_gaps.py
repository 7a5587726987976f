"""The knowledge-gap report: categories with many tickets and few published articles."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from itsm_core._plain import is_number, shown
from itsm_core.errors import Problem, ValidationError
from itsm_core.knowledge._article import Article
from itsm_core.knowledge._fields import (
    positive_int_problems,
    settings_from_dict,
)
from itsm_core.knowledge._lifecycle import ArticleStatus
from itsm_core.knowledge._suggest import TicketFacts

_FIELDS = ("min_tickets", "max_tickets_per_article", "min_helpful_ratio")


@attrs.frozen(kw_only=True)
class GapPolicy:
    """When a category counts as a knowledge gap.

    A category is a gap when it has at least ``min_tickets`` tickets and more than
    ``max_tickets_per_article`` tickets per published article (so any category with enough
    tickets and no published article at all). With ``min_helpful_ratio`` above 0, a category
    with enough tickets whose articles' readers vote helpful less often than that is a gap
    too: the articles exist but do not help.

    >>> GapPolicy.from_dict({"min_tickets": 5}).to_dict()
    {'min_tickets': 5, 'max_tickets_per_article': 20.0, 'min_helpful_ratio': 0.0}
    """

    min_tickets: int = 10
    max_tickets_per_article: float = 20.0
    min_helpful_ratio: float = 0.0

    def __attrs_post_init__(self) -> None:
        problems = positive_int_problems(self.min_tickets, "min_tickets")
        ratio: object = self.max_tickets_per_article
        if not (is_number(ratio) and ratio > 0):
            problems.append(
                Problem("max_tickets_per_article", f"must be a positive number, got {shown(ratio)}")
            )
        helpful: object = self.min_helpful_ratio
        if not (is_number(helpful) and 0 <= helpful <= 1):
            problems.append(
                Problem("min_helpful_ratio", f"must be between 0 and 1, got {shown(helpful)}")
            )
        if problems:
            raise ValidationError("GapPolicy", problems)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> GapPolicy:
        """Build from plain data; missing keys take their defaults, unknown keys are errors."""
        return settings_from_dict(cls, data, _FIELDS, "GapPolicy")

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-safe data :meth:`from_dict` reads back."""
        return {
            "min_tickets": self.min_tickets,
            "max_tickets_per_article": float(self.max_tickets_per_article),
            "min_helpful_ratio": float(self.min_helpful_ratio),
        }


@attrs.frozen(kw_only=True)
class GapRow:
    """One category: its tickets, its published articles, and whether it is a gap; the
    tickets its articles solved and their helpful and not-helpful votes (usage feedback)."""

    category: str
    tickets: int
    published_articles: int
    gap: bool
    solved: int = 0
    helpful: int = 0
    not_helpful: int = 0

    @property
    def helpful_ratio(self) -> float | None:
        """Helpful votes over all votes on the category's articles; None without votes."""
        votes = self.helpful + self.not_helpful
        return None if votes == 0 else self.helpful / votes

    @property
    def tickets_per_article(self) -> float | None:
        """Tickets per published article; None when there is no published article."""
        return self.tickets / self.published_articles if self.published_articles else None


@attrs.frozen(kw_only=True)
class GapReport:
    """Every category with tickets or published articles, the gaps first.

    Rows are ordered: gaps first; then by tickets per published article, highest first (none
    published counts as highest); then by tickets, most first; then by category.
    ``uncategorised`` counts the tickets without a category (not in any row).
    """

    policy: GapPolicy
    rows: tuple[GapRow, ...]
    uncategorised: int

    @property
    def gaps(self) -> tuple[GapRow, ...]:
        """The rows that are gaps, worst first."""
        return tuple(row for row in self.rows if row.gap)

    def to_text(self) -> str:
        """A plain-text table of the report."""
        width = max([len("category"), *(len(row.category) for row in self.rows)])
        lines = [
            f"{'category':<{width}}  {'tickets':>7}  {'articles':>8}  {'per article':>11}  gap"
        ]
        for row in self.rows:
            ratio = row.tickets_per_article
            shown = "-" if ratio is None else f"{ratio:.1f}"
            mark = "GAP" if row.gap else ""
            lines.append(
                f"{row.category:<{width}}  {row.tickets:>7}  {row.published_articles:>8}  "
                f"{shown:>11}  {mark}".rstrip()
            )
        if self.uncategorised:
            lines.append(f"uncategorised tickets: {self.uncategorised}")
        return "\n".join(lines)


def knowledge_gaps(
    tickets: Iterable[TicketFacts], articles: Iterable[Article], policy: GapPolicy | None = None
) -> GapReport:
    """Where the knowledge base is thin: tickets and published articles per category.

    Tickets and articles are counted in their own category exactly (an article in
    ``network/vpn`` does not cover tickets filed under ``network``).

    >>> report = knowledge_gaps(
    ...     [TicketFacts(ticket_id=f"T{i}", category="email") for i in range(12)], []
    ... )
    >>> [(row.category, row.tickets, row.gap) for row in report.gaps]
    [('email', 12, True)]
    """
    policy = GapPolicy() if policy is None else policy
    ticket_counts: Counter[str] = Counter()
    uncategorised = 0
    for ticket in tickets:
        if ticket.category is None:
            uncategorised += 1
        else:
            ticket_counts[ticket.category] += 1
    published: Counter[str] = Counter()
    usage: dict[str, Counter[str]] = {}
    for article in articles:
        if article.status is ArticleStatus.PUBLISHED and article.category is not None:
            published[article.category] += 1
            counts = usage.setdefault(article.category, Counter())
            counts["solved"] += article.solved_count
            counts["helpful"] += article.helpful
            counts["not_helpful"] += article.not_helpful
    rows = []
    for category in set(ticket_counts) | set(published):
        counts = usage.get(category, Counter())
        count = ticket_counts[category]
        row = GapRow(
            category=category,
            tickets=count,
            published_articles=published[category],
            gap=False,
            solved=counts["solved"],
            helpful=counts["helpful"],
            not_helpful=counts["not_helpful"],
        )
        ratio = row.helpful_ratio
        unhelpful = ratio is not None and ratio < policy.min_helpful_ratio
        gap = count >= policy.min_tickets and (
            count > policy.max_tickets_per_article * published[category] or unhelpful
        )
        rows.append(attrs.evolve(row, gap=gap))
    rows.sort(key=_order)
    return GapReport(policy=policy, rows=tuple(rows), uncategorised=uncategorised)


def _order(row: GapRow) -> tuple[bool, float, int, str]:
    ratio = row.tickets_per_article
    return (not row.gap, -(math.inf if ratio is None else ratio), -row.tickets, row.category)
