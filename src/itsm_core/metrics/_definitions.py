"""KPI definitions as data: who is counted, from which event to which, in which time, how.

A duration KPI (:class:`DurationKpi`) measures the time from a start milestone to an end
milestone of each ticket of a population, in calendar or business time, and reports its mean,
median and 90th percentile, the quantiles by a named method (numpy's default linear
interpolation unless nearest rank is asked for: the median of an even count averages the two
middle values). A rate KPI (:class:`RateKpi`) counts the tickets with an outcome
over a stated denominator. Both read and write plain data (``to_dict``/``from_dict``) and are
validated when built.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from itsm_core._checks import frozen_set, is_int
from itsm_core._plain import as_mapping, join, read_enum, read_list, shown, texts
from itsm_core.errors import InvalidKpiDefinition, Problem
from itsm_core.stats import QuantileMethod
from itsm_core.tickets import TicketKind


class Milestone(enum.StrEnum):
    """A point in a ticket's life that a duration starts or ends at."""

    OPENED = "opened"
    """The ``open`` event."""
    ACKNOWLEDGED = "acknowledged"
    """The first ``acknowledge`` event (or the first event setting ``acknowledged_at``)."""
    FIRST_RESPONSE = "first_response"
    """The first event by someone other than the customer that acknowledges, comments publicly,
    resolves, or moves the ticket out of ``new`` (but not by cancelling it)."""
    FIRST_RESOLVED = "first_resolved"
    """The first time the ticket reached a resolved (or closed) status."""
    RESOLVED = "resolved"
    """The final resolution: the last one, if the ticket was not reopened since."""
    CLOSED = "closed"
    """The ticket reached the closed status."""


class TimeBasis(enum.StrEnum):
    """Calendar time (plain subtraction) or business time (a calendar's ``elapsed``)."""

    CALENDAR = "calendar"
    BUSINESS = "business"


class Statistic(enum.StrEnum):
    """A summary of durations. The median and p90 are taken by the KPI's ``quantiles`` method
    (:class:`~itsm_core.stats.QuantileMethod`, linear by default)."""

    MEAN = "mean"
    MEDIAN = "median"
    P90 = "p90"

    @property
    def percent(self) -> int | None:
        """The quantile in percent (50, 90), None for the mean."""
        return {Statistic.MEDIAN: 50, Statistic.P90: 90}.get(self)


class Dimension(enum.StrEnum):
    """A ticket field to group or break down by (its value when the ticket is counted)."""

    KIND = "kind"
    CHANNEL = "channel"
    CATEGORY = "category"
    PRIORITY = "priority"
    GROUP = "assignment_group"
    ASSIGNEE = "assignee"


class Outcome(enum.StrEnum):
    """What a rate KPI counts about a ticket."""

    ALL = "all"
    """Every ticket of the population (a denominator)."""
    RESOLVED = "resolved"
    """Resolved or closed (not cancelled) as of the report instant."""
    FIRST_CONTACT_RESOLVED = "first_contact_resolved"
    """Resolved straight from ``new`` and not reopened since (the ticket's
    ``first_contact_resolution`` flag)."""
    REOPENED = "reopened"
    """Reopened at least once after a resolution (whenever)."""
    REOPENED_IN_WINDOW = "reopened_in_window"
    """Reopened within the report's reopen window after a resolution."""
    REASSIGNED = "reassigned"
    """Its assignment group changed at least once after the first one was set."""
    ESCALATED = "escalated"
    """Escalated functionally or hierarchically."""
    ESCALATED_FUNCTIONAL = "escalated_functional"
    ESCALATED_HIERARCHICAL = "escalated_hierarchical"
    COMPLAINT = "complaint"
    """A ticket of kind complaint."""


class OpenTickets(enum.StrEnum):
    """How a rate treats tickets still open at the report instant (always reported)."""

    EXCLUDE = "exclude"
    """Censored: counted in neither numerator nor denominator (the outcome is undecided)."""
    COUNT = "count"
    """Counted in the denominator with the outcome they have so far."""


@attrs.frozen(kw_only=True)
class Population:
    """The tickets a KPI looks at: each non-empty set restricts one field (empty: any value).

    >>> Population(kinds={TicketKind.INCIDENT}).describe()
    'kind in {incident}'
    >>> Population().describe()
    'all tickets'
    """

    kinds: frozenset[TicketKind] = attrs.field(default=frozenset(), converter=frozen_set)
    channels: frozenset[str] = attrs.field(default=frozenset(), converter=frozen_set)
    categories: frozenset[str] = attrs.field(default=frozenset(), converter=frozen_set)
    priorities: frozenset[int] = attrs.field(default=frozenset(), converter=frozen_set)
    include_cancelled: bool = True

    def admits(
        self,
        kind: str,
        channel: str | None,
        category: str | None,
        priority: int | None,
        cancelled: bool,
    ) -> bool:
        """True when a ticket with these values belongs to the population."""
        return (
            (not self.kinds or kind in self.kinds)
            and (not self.channels or channel in self.channels)
            and (not self.categories or category in self.categories)
            and (not self.priorities or priority in self.priorities)
            and (self.include_cancelled or not cancelled)
        )

    def describe(self) -> str:
        """A short reading of the filter."""
        parts = [
            f"{name} in {{{', '.join(sorted(str(v) for v in values))}}}"
            for name, values in (
                ("kind", self.kinds),
                ("channel", self.channels),
                ("category", self.categories),
                ("priority", self.priorities),
            )
            if values
        ]
        if not self.include_cancelled:
            parts.append("not cancelled")
        return " and ".join(parts) or "all tickets"

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "kinds": sorted(k.value for k in self.kinds),
            "channels": sorted(self.channels),
            "categories": sorted(self.categories),
            "priorities": sorted(self.priorities),
            "include_cancelled": self.include_cancelled,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], path: str, problems: list[Problem]) -> Population:
        """Read :meth:`to_dict` data, adding problems (with paths) to ``problems``."""
        table = as_mapping(data, path, problems)
        if table is None:
            return cls()
        kinds = set()
        for i, raw in enumerate(read_list(table, "kinds", path, problems)):
            kind = read_enum(raw, TicketKind, f"{path}.kinds[{i}]", problems)
            if kind is not None:
                kinds.add(kind)
        priorities = set()
        for i, raw in enumerate(read_list(table, "priorities", path, problems)):
            if is_int(raw) and raw >= 1:
                priorities.add(raw)
            else:
                problems.append(Problem(f"{path}.priorities[{i}]", f"not a priority: {shown(raw)}"))
        include = table.get("include_cancelled", True)
        if not isinstance(include, bool):
            problems.append(Problem(f"{path}.include_cancelled", f"not a bool: {shown(include)}"))
            include = True
        names = {}
        for key in ("channels", "categories"):
            names[key] = texts(table.get(key, []), join(path, key), problems) or ()
        unknown = set(table) - {
            "kinds",
            "channels",
            "categories",
            "priorities",
            "include_cancelled",
        }
        problems.extend(Problem(join(path, key), "unknown key") for key in sorted(unknown))
        return cls(
            kinds=kinds,
            channels=names["channels"],
            categories=names["categories"],
            priorities=priorities,
            include_cancelled=include,
        )


def _statistics(values: Iterable[Statistic]) -> tuple[Statistic, ...]:
    return tuple(values)


@attrs.frozen(kw_only=True)
class DurationKpi:
    """Time from ``start`` to ``end`` for each ticket of ``population``.

    A ticket that has not reached ``end`` is *censored* while it can still reach it (it is
    open) and *excluded* when it never will (cancelled, or closed without reaching it); neither
    enters the statistics, both are counted in the result.

    The median and p90 are taken by ``quantiles``: ``linear`` (the default, numpy's default
    method: the median of an even count averages the two middle values) or ``nearest_rank``
    (always one of the durations: the lower middle value for an even count). The definition
    states it, and so does :meth:`describe`.

    >>> mttr = DurationKpi(name="time_to_resolve", start=Milestone.OPENED, end=Milestone.RESOLVED)
    >>> mttr.describe()
    'time_to_resolve: opened -> resolved, calendar time, all tickets, linear quantiles'
    """

    name: str
    start: Milestone
    end: Milestone
    basis: TimeBasis = TimeBasis.CALENDAR
    population: Population = Population()
    statistics: tuple[Statistic, ...] = attrs.field(
        default=(Statistic.MEAN, Statistic.MEDIAN, Statistic.P90), converter=_statistics
    )
    quantiles: QuantileMethod = QuantileMethod.LINEAR

    def __attrs_post_init__(self) -> None:
        problems = []
        if not self.name:
            problems.append(Problem("name", "must not be empty"))
        if self.start is self.end:
            problems.append(Problem("end", f"is the start milestone {shown(self.start.value)}"))
        if not self.statistics:
            problems.append(Problem("statistics", "ask for at least one"))
        if problems:
            raise InvalidKpiDefinition(shown(self.name), problems)

    def describe(self) -> str:
        """One line: name, milestones, time basis, population, quantile method."""
        method = self.quantiles.value.replace("_", " ")
        return (
            f"{self.name}: {self.start.value} -> {self.end.value}, {self.basis.value} time, "
            f"{self.population.describe()}, {method} quantiles"
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "type": "duration",
            "name": self.name,
            "start": self.start.value,
            "end": self.end.value,
            "basis": self.basis.value,
            "population": self.population.to_dict(),
            "statistics": [s.value for s in self.statistics],
            "quantiles": self.quantiles.value,
        }


@attrs.frozen(kw_only=True)
class RateKpi:
    """Tickets with ``numerator`` among those with ``denominator``, in ``population``.

    >>> fcr = RateKpi(name="first_contact_resolution",
    ...               numerator=Outcome.FIRST_CONTACT_RESOLVED, denominator=Outcome.RESOLVED)
    >>> print(fcr.describe())
    first_contact_resolution: first_contact_resolved / resolved, all tickets, open tickets excluded
    """

    name: str
    numerator: Outcome
    denominator: Outcome = Outcome.ALL
    population: Population = Population()
    open_tickets: OpenTickets = OpenTickets.EXCLUDE

    def __attrs_post_init__(self) -> None:
        problems = []
        if not self.name:
            problems.append(Problem("name", "must not be empty"))
        if self.numerator is Outcome.ALL:
            problems.append(Problem("numerator", "'all' is only a denominator"))
        if self.denominator not in (Outcome.ALL, Outcome.RESOLVED):
            problems.append(
                Problem("denominator", f"{shown(self.denominator.value)}: use 'all' or 'resolved'")
            )
        if problems:
            raise InvalidKpiDefinition(shown(self.name), problems)

    def describe(self) -> str:
        """One line: name, numerator / denominator, population, open tickets."""
        treated = "excluded" if self.open_tickets is OpenTickets.EXCLUDE else "counted"
        return (
            f"{self.name}: {self.numerator.value} / {self.denominator.value}, "
            f"{self.population.describe()}, open tickets {treated}"
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "type": "rate",
            "name": self.name,
            "numerator": self.numerator.value,
            "denominator": self.denominator.value,
            "population": self.population.to_dict(),
            "open_tickets": self.open_tickets.value,
        }


Kpi = DurationKpi | RateKpi


def _enum(kind: type[enum.StrEnum], raw: object, path: str, problems: list[Problem]) -> Any:
    return read_enum(raw, kind, path, problems)


def kpi_from_dict(data: Mapping[str, Any], path: str = "kpi") -> Kpi:
    """Build a KPI from :meth:`DurationKpi.to_dict` or :meth:`RateKpi.to_dict` data.

    Raises InvalidKpiDefinition listing every problem with its path.

    >>> kpi = kpi_from_dict({"type": "duration", "name": "tta", "start": "opened",
    ...                      "end": "acknowledged"})
    >>> kpi_from_dict(kpi.to_dict()) == kpi
    True
    """
    problems: list[Problem] = []
    if as_mapping(data, path, problems) is None:
        raise InvalidKpiDefinition("KPI", problems)
    kind = data.get("type")
    name = data.get("name")
    if not isinstance(name, str) or not name:
        problems.append(Problem(f"{path}.name", "must be a non-empty string"))
    population = Population.from_dict(data.get("population", {}), f"{path}.population", problems)
    if kind == "duration":
        start = _enum(Milestone, data.get("start"), f"{path}.start", problems)
        end = _enum(Milestone, data.get("end"), f"{path}.end", problems)
        basis = _enum(TimeBasis, data.get("basis", "calendar"), f"{path}.basis", problems)
        statistics = [
            _enum(Statistic, raw, f"{path}.statistics[{i}]", problems)
            for i, raw in enumerate(
                read_list(data, "statistics", path, problems, ["mean", "median", "p90"])
            )
        ]
        quantiles = _enum(
            QuantileMethod, data.get("quantiles", "linear"), f"{path}.quantiles", problems
        )
        known = {"type", "name", "start", "end", "basis", "population", "statistics", "quantiles"}
    elif kind == "rate":
        numerator = _enum(Outcome, data.get("numerator"), f"{path}.numerator", problems)
        denominator = _enum(
            Outcome, data.get("denominator", "all"), f"{path}.denominator", problems
        )
        open_tickets = _enum(
            OpenTickets, data.get("open_tickets", "exclude"), f"{path}.open_tickets", problems
        )
        known = {"type", "name", "numerator", "denominator", "population", "open_tickets"}
    else:
        problems.append(Problem(f"{path}.type", f"{shown(kind)} is not 'duration' or 'rate'"))
        known = set(data)
    problems.extend(Problem(join(path, key), "unknown key") for key in sorted(set(data) - known))
    if problems:
        raise InvalidKpiDefinition(shown(name), problems)
    try:
        if kind == "duration":
            return DurationKpi(
                name=str(name),
                start=start,
                end=end,
                basis=basis,
                population=population,
                statistics=statistics,
                quantiles=quantiles,
            )
        return RateKpi(
            name=str(name),
            numerator=numerator,
            denominator=denominator,
            population=population,
            open_tickets=open_tickets,
        )
    except InvalidKpiDefinition as error:
        raise InvalidKpiDefinition(
            shown(name), [Problem(f"{path}.{p.path}", p.message) for p in error.problems]
        ) from error


#: The standard KPI set of the issue in calendar time: acknowledge, first response, resolve,
#: close; first-contact resolution, resolution, reopen, reassignment, escalation and complaint
#: rates.
STANDARD_KPIS: tuple[Kpi, ...] = (
    DurationKpi(name="time_to_acknowledge", start=Milestone.OPENED, end=Milestone.ACKNOWLEDGED),
    DurationKpi(
        name="time_to_first_response", start=Milestone.OPENED, end=Milestone.FIRST_RESPONSE
    ),
    DurationKpi(name="time_to_resolve", start=Milestone.OPENED, end=Milestone.RESOLVED),
    DurationKpi(name="time_to_close", start=Milestone.OPENED, end=Milestone.CLOSED),
    RateKpi(
        name="first_contact_resolution",
        numerator=Outcome.FIRST_CONTACT_RESOLVED,
        denominator=Outcome.RESOLVED,
    ),
    RateKpi(name="resolution_rate", numerator=Outcome.RESOLVED, open_tickets=OpenTickets.COUNT),
    RateKpi(name="reopen_rate", numerator=Outcome.REOPENED_IN_WINDOW, denominator=Outcome.RESOLVED),
    RateKpi(name="reassignment_rate", numerator=Outcome.REASSIGNED),
    RateKpi(name="escalation_rate", numerator=Outcome.ESCALATED),
    RateKpi(name="functional_escalation_rate", numerator=Outcome.ESCALATED_FUNCTIONAL),
    RateKpi(name="hierarchical_escalation_rate", numerator=Outcome.ESCALATED_HIERARCHICAL),
    RateKpi(name="complaint_rate", numerator=Outcome.COMPLAINT, open_tickets=OpenTickets.COUNT),
)

#: The business-time counterparts (they need a calendar passed to the accumulator).
BUSINESS_KPIS: tuple[Kpi, ...] = (
    DurationKpi(
        name="business_time_to_first_response",
        start=Milestone.OPENED,
        end=Milestone.FIRST_RESPONSE,
        basis=TimeBasis.BUSINESS,
    ),
    DurationKpi(
        name="business_time_to_resolve",
        start=Milestone.OPENED,
        end=Milestone.RESOLVED,
        basis=TimeBasis.BUSINESS,
    ),
)
