"""Pareto analysis: which few categories account for most of the complaints (or cost)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import attrs

from itsm_core._plain import is_number
from itsm_core.errors import Problem, ValidationError

DEFAULT_THRESHOLD = 0.8


@attrs.frozen(kw_only=True)
class ParetoBar:
    """One category of a Pareto analysis.

    Attributes:
        rank: 1 for the largest category.
        category: its name.
        count: its count (or weight: cost, minutes lost...).
        share: ``count / total``.
        cumulative_share: the share of this bar and every bar before it.
        vital: True for the vital few (see :func:`pareto`).
    """

    rank: int
    category: str
    count: float
    share: float
    cumulative_share: float
    vital: bool


@attrs.frozen(kw_only=True)
class ParetoAnalysis:
    """Categories sorted largest first with cumulative shares, and the vital few."""

    bars: tuple[ParetoBar, ...]
    total: float
    threshold: float
    other: str | None

    @property
    def vital_few(self) -> tuple[str, ...]:
        """The categories of the smallest prefix whose cumulative share reaches the threshold."""
        return tuple(bar.category for bar in self.bars if bar.vital)

    @property
    def worst(self) -> ParetoBar:
        """The largest category that is not the catch-all ``other`` one."""
        return next(
            (bar for bar in self.bars if bar.category != self.other and bar.count > 0),
            self.bars[0],
        )

    def bar(self, category: str) -> ParetoBar:
        """The bar of ``category``; ValidationError naming the known ones if absent."""
        for bar in self.bars:
            if bar.category == category:
                return bar
        known = ", ".join(bar.category for bar in self.bars)
        raise ValidationError(
            "ParetoAnalysis.bar", [Problem("category", f"unknown {category!r} (known: {known})")]
        )

    def to_markdown(self) -> str:
        """A Markdown table: rank, category, count, share, cumulative share, vital few mark."""
        lines = [
            "| # | category | count | share | cumulative | vital few |",
            "|---|---|---:|---:|---:|---|",
        ]
        lines.extend(
            f"| {b.rank} | {b.category} | {b.count:g} | {100 * b.share:.1f}% "
            f"| {100 * b.cumulative_share:.1f}% | {'yes' if b.vital else ''} |"
            for b in self.bars
        )
        return "\n".join(lines)


def _name(value: object) -> bool:
    return isinstance(value, str) and bool(value)


def _pairs(counts: Mapping[str, float] | Iterable[tuple[str, float]]) -> list[tuple[str, float]]:
    items = counts.items() if isinstance(counts, Mapping) else counts
    return [(category, count) for category, count in items]


def pareto(
    counts: Mapping[str, float] | Iterable[tuple[str, float]],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    other: str | None = "Other",
) -> ParetoAnalysis:
    """Pareto analysis of counts (or weights) per category.

    The steps (University of Alberta, Reshef, "Pareto analysis in nine steps"): sort the
    categories by count, largest first; ``share = count / total``; the cumulative share adds the
    shares in that order; the **vital few** are the smallest prefix whose cumulative share
    reaches ``threshold`` (inclusive: exactly 80 % reaches 80 %).

    Conventions, so that the result never depends on input order:

    * equal counts are ordered by category name;
    * the catch-all category named ``other`` (``"Other"`` by default; None to disable) is
      pinned last whatever its size, as the Alberta guide prescribes; it still counts towards
      the cumulative share, so it can be among the vital few when the named categories are not
      enough;
    * categories with a zero count are kept (last, before ``other``) and are never vital.

    Weighted Pareto (by cost or impact) is the same call with weights instead of counts: the
    most frequent problem is not always the most important one.

    Raises:
        ValidationError: a negative, non-finite or non-numeric count, a category given twice
            or empty, no categories, an all-zero total, a threshold outside (0, 1].

    >>> analysis = pareto({"password": 50, "network": 30, "printer": 12, "Other": 8})
    >>> [(b.category, round(b.cumulative_share, 2)) for b in analysis.bars]
    [('password', 0.5), ('network', 0.8), ('printer', 0.92), ('Other', 1.0)]
    >>> analysis.vital_few
    ('password', 'network')
    """
    pairs = _pairs(counts)
    problems: list[Problem] = []
    if not is_number(threshold) or not 0.0 < threshold <= 1.0:
        problems.append(Problem("threshold", f"must lie in (0, 1], got {threshold!r}"))
    seen: set[str] = set()
    for category, count in pairs:
        where = f"counts[{category!r}]"
        if not _name(category):
            problems.append(Problem(where, "a category needs a non-empty name"))
        elif category in seen:
            problems.append(Problem(where, "category given twice"))
        seen.add(category)
        if not is_number(count) or count < 0:
            problems.append(Problem(where, f"must be a finite number >= 0, got {count!r}"))
    if not pairs:
        problems.append(Problem("counts", "no categories"))
    if not problems and math.fsum(count for _, count in pairs) == 0:
        problems.append(Problem("counts", "every count is zero: nothing to analyse"))
    if problems:
        raise ValidationError("pareto", problems)
    total = math.fsum(count for _, count in pairs)
    ordered = sorted(pairs, key=lambda pair: (pair[0] == other, -pair[1], pair[0]))
    bars: list[ParetoBar] = []
    running = 0.0
    reached = False
    for rank, (category, count) in enumerate(ordered, start=1):
        vital = not reached and count > 0
        running += count
        cumulative = min(running / total, 1.0)
        if cumulative >= threshold or math.isclose(cumulative, threshold, rel_tol=1e-12):
            reached = True
        bars.append(
            ParetoBar(
                rank=rank,
                category=category,
                count=count,
                share=count / total,
                cumulative_share=1.0 if rank == len(ordered) else cumulative,
                vital=vital,
            )
        )
    return ParetoAnalysis(bars=tuple(bars), total=total, threshold=threshold, other=other)
