"""Cronbach's alpha: the internal consistency of a multi-item scale.

``α = k/(k − 1) · (1 − Σ_i σ²_i / σ²_X)`` with ``X`` the sum of the ``k`` items, or, from the
item covariance matrix ``C``, ``α = k/(k − 1) · (1 − trace(C) / sum(C))``, which equals
``k·c̄ / (v̄ + (k − 1)·c̄)`` (c̄ the mean inter-item covariance, v̄ the mean variance). Sample
(n − 1) variances are used throughout; the factor cancels.

Missing answers (``None``) are handled in one of two stated ways:

* ``LISTWISE`` (default): respondents with any missing item are dropped, n counts the rest;
* ``PAIRWISE``: each variance and covariance uses every respondent who answered the item(s)
  involved (pingouin's default); n counts respondents who answered at least one item. The two
  give different α on the same data.

The Feldt (1987) interval: ``1 − (1 − α)·F(1 − a/2; n − 1, (n − 1)(k − 1))`` to
``1 − (1 − α)·F(a/2; n − 1, (n − 1)(k − 1))`` with ``a = 1 − confidence``.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Sequence

import attrs

from itsm_core._plain import shown
from itsm_core.errors import InsufficientData, Problem
from itsm_core.satisfaction._checks import instance_of
from itsm_core.stats import Interval, IntervalMethod
from itsm_core.stats._checks import confidence_problems, is_number, raise_if
from itsm_core.stats._distributions import f_quantile


class MissingPolicy(enum.StrEnum):
    """How missing answers enter Cronbach's alpha."""

    LISTWISE = "listwise"
    """Drop every respondent with a missing item."""
    PAIRWISE = "pairwise"
    """Use every available pair of answers for each covariance."""


@attrs.frozen(kw_only=True)
class CronbachAlpha:
    """Cronbach's alpha with its n, k, the missing-data policy and the Feldt interval."""

    alpha: float
    k: int
    n: int
    missing: MissingPolicy
    interval: Interval


def _covariance(rows: list[list[float | None]], i: int, j: int) -> tuple[float, int]:
    pairs = [(r[i], r[j]) for r in rows if r[i] is not None and r[j] is not None]
    count = len(pairs)
    if count < 2:
        return math.nan, count
    mean_i = math.fsum(a for a, _ in pairs if a is not None) / count
    mean_j = math.fsum(b for _, b in pairs if b is not None) / count
    total = math.fsum(
        (a - mean_i) * (b - mean_j) for a, b in pairs if a is not None and b is not None
    )
    return total / (count - 1), count


def cronbach_alpha(
    rows: Iterable[Sequence[float | None]],
    *,
    missing: MissingPolicy = MissingPolicy.LISTWISE,
    confidence: float = 0.95,
) -> CronbachAlpha:
    """Cronbach's alpha of a respondents x items table (``None`` marks a missing answer).

    Raises:
        ValidationError: rows of different lengths, non-numeric answers (all listed).
        InsufficientData: fewer than 2 items, fewer than 2 usable respondents, a pair of
            items with fewer than 2 joint answers (pairwise), or a total score that does not
            vary (alpha undefined).

    >>> result = cronbach_alpha([[4, 5, 4], [2, 3, 3], [5, 5, 4], [3, 3, 2], [4, 4, 5]])
    >>> round(result.alpha, 4), result.n, result.k
    (0.8793, 5, 3)
    """
    subject = "cronbach_alpha"
    table = [list(row) for row in rows]
    problems = confidence_problems(confidence)
    if not instance_of(missing, MissingPolicy):
        problems.append(Problem("missing", f"not a MissingPolicy: {shown(missing)}"))
    k = len(table[0]) if table else 0
    clean: list[list[float | None]] = []
    for r, row in enumerate(table):
        if len(row) != k:
            problems.append(Problem(f"rows[{r}]", f"has {len(row)} items, rows[0] has {k}"))
            continue
        values: list[float | None] = []
        for c, value in enumerate(row):
            if value is None:
                values.append(None)
            elif is_number(value) and math.isfinite(value):
                values.append(float(value))
            else:
                problems.append(
                    Problem(f"rows[{r}][{c}]", f"not a finite number or None: {shown(value)}")
                )
        clean.append(values)
    raise_if(subject, problems)
    if k < 2:
        raise InsufficientData(subject, [Problem("rows", f"alpha needs at least 2 items, got {k}")])
    if missing is MissingPolicy.LISTWISE:
        used = [row for row in clean if all(v is not None for v in row)]
    else:
        used = [row for row in clean if any(v is not None for v in row)]
    n = len(used)
    if n < 2:
        raise InsufficientData(
            subject, [Problem("rows", f"alpha needs at least 2 respondents, got {n} ({missing})")]
        )
    variances: list[float] = []
    covariances: list[float] = []
    for i in range(k):
        for j in range(i, k):
            value, count = _covariance(used, i, j)
            if math.isnan(value):
                raise InsufficientData(
                    subject,
                    [Problem(f"items[{i}], items[{j}]", f"only {count} joint answers")],
                )
            (variances if i == j else covariances).append(value)
    total_variance = math.fsum(variances) + 2.0 * math.fsum(covariances)
    if total_variance <= 0.0:
        raise InsufficientData(
            subject, [Problem("rows", "the total score does not vary: alpha is undefined")]
        )
    alpha = k / (k - 1) * (1.0 - math.fsum(variances) / total_variance)
    a = 1.0 - confidence
    df1, df2 = n - 1, (n - 1) * (k - 1)
    lower = 1.0 - (1.0 - alpha) * f_quantile(1.0 - a / 2.0, df1, df2)
    upper = 1.0 - (1.0 - alpha) * f_quantile(a / 2.0, df1, df2)
    return CronbachAlpha(
        alpha=alpha,
        k=k,
        n=n,
        missing=missing,
        interval=Interval(
            lower=lower, upper=upper, confidence=confidence, method=IntervalMethod.FELDT
        ),
    )
