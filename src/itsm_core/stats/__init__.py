"""Honest statistics for the figures a service desk reports: rates, means and comparisons.

Every rate (first-contact resolution, SLA compliance, a CSAT top-box share...) is a
:class:`ProportionEstimate`: its successes, its n and a confidence :class:`Interval` that names
its :class:`IntervalMethod` (Wilson by default). :func:`difference_of_proportions` compares two
rates (Newcombe's hybrid score interval and a pooled z-test), :func:`mean_estimate` gives a
mean with its Student t interval and :func:`difference_of_means` / :func:`welch_from_summaries`
compare two means (Welch). :func:`median` and :func:`percentile` name their
:class:`QuantileMethod`: numpy's default linear interpolation unless nearest rank is asked for
(the median of an even count averages the two middle values). A clipped interval says so; no data is
:class:`~itsm_core.errors.InsufficientData`, never a silent 0 %.

Pure Python: ``math`` and ``statistics.NormalDist``, with the t and F quantiles computed from a
regularised incomplete beta function in this package; scipy and statsmodels are test oracles
only. The package imports nothing of ours but the errors and the shared checks;
``satisfaction``, ``metrics`` and ``improvement`` build on it.
"""

from itsm_core.stats._estimates import (
    Difference,
    Interval,
    IntervalMethod,
    MeanEstimate,
    ProportionEstimate,
)
from itsm_core.stats._means import difference_of_means, mean_estimate, welch_from_summaries
from itsm_core.stats._order import QuantileMethod, median, percentile
from itsm_core.stats._proportions import (
    difference_of_proportions,
    proportion,
    proportion_interval,
)

__all__ = [
    "Difference",
    "Interval",
    "IntervalMethod",
    "MeanEstimate",
    "ProportionEstimate",
    "QuantileMethod",
    "difference_of_means",
    "difference_of_proportions",
    "mean_estimate",
    "median",
    "percentile",
    "proportion",
    "proportion_interval",
    "welch_from_summaries",
]
