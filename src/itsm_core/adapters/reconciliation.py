"""Reconciling our figures with the source helpdesk's own: side by side, every difference
explained.

The importers keep the source's own figures on each :class:`~itsm_core.tickets.ImportResult`
(its ``source``, a :class:`~itsm_core.tickets.SourceFigures`: ServiceNow's ``made_sla``,
``resolved_at``, ``closed_at``, ``reassignment_count``, ``reopen_count``; Zendesk's metric set;
Jira's ``Resolved``). :func:`reconcile` computes the same figures from the imported events, by
our definitions or by the source's (:class:`KpiProfile`), and puts them side by side in a
:class:`Reconciliation`: one :class:`ReconciliationLine` per figure (ours, theirs, the
difference, the reasons) and one :class:`TicketDifference` per ticket and figure that differ,
each with its :class:`Reason` and the evidence from the export's own rows.

Our definitions and ServiceNow's differ in two places, and the source-compatible profile takes
the source's:

* **Reassignment.** We count a change away from an assignment group that was set (a first
  assignment is not a reassignment); ServiceNow's ``reassignment_count`` also counts setting a
  group on an incident that had none.
* **Resolution time.** We take the entry into the resolved state (the final resolution);
  ServiceNow's ``resolved_at`` is stamped again when a resolved incident is updated, so it can be
  a later update in the same state. The same holds for ``closed_at``.

Import leniently (``ImportMode.LENIENT``) to reconcile: every row is then an event, and the
reasons can cite the rows.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from itsm_core.reports import Cell, Column, ReportTable
from itsm_core.stats import median
from itsm_core.tickets import ImportResult, SourceFigures, TicketEvent

__all__ = [
    "KpiProfile",
    "Reason",
    "Reconciliation",
    "ReconciliationLine",
    "TicketDifference",
    "reconcile",
]

_HOUR = dt.timedelta(hours=1)


class KpiProfile(enum.StrEnum):
    """Whose definitions our side of the reconciliation uses."""

    NATIVE = "native"
    """Ours: a reassignment moves a ticket away from a set group; resolution and closure are the
    entries into those states."""
    SOURCE_COMPATIBLE = "source_compatible"
    """The source's (ServiceNow's): a first assignment counts as a reassignment; resolution,
    closure and opening are taken at the source's ``resolved_at``, ``closed_at`` and
    ``opened_at`` where it has them."""


class Reason(enum.StrEnum):
    """Why one ticket's figure differs from the source's."""

    FIRST_ASSIGNMENT = "first_assignment"
    """The source counts setting a group on a ticket that had none as a reassignment; we
    count only moves away from a set group."""
    COUNTER_WITHOUT_CHANGE = "counter_without_change"
    """The source's reassignment counter rose on a row whose assignment group is the same as
    the row before: no change of group is in the export."""
    RESTAMPED = "restamped"
    """The source's time is a later update in the same state (the tool stamps it again); ours
    is the entry into the state."""
    MISSING_IN_SOURCE = "missing_in_source"
    """The export has no value (``?``) although its rows show the state; ours comes from the
    rows."""
    OPENED_BEFORE = "opened_before"
    """A row was recorded before the source's ``opened_at``; we open the ticket at that row."""
    UNEXPLAINED = "unexplained"
    """Not explained by the export's own columns."""

    @property
    def text(self) -> str:
        """One line saying why."""
        return _REASON_TEXT[self]


_REASON_TEXT = {
    Reason.FIRST_ASSIGNMENT: "a group set on a ticket that had none: a reassignment for the "
    "source, not for us",
    Reason.COUNTER_WITHOUT_CHANGE: "the source's counter rose on a row with the same "
    "assignment group as the row before",
    Reason.RESTAMPED: "the source's time is a later update in the same state; ours is the "
    "entry into the state",
    Reason.MISSING_IN_SOURCE: "the source has no value (`?`); ours is the row showing the state",
    Reason.OPENED_BEFORE: "a row was recorded before the source's opened_at; we open there",
    Reason.UNEXPLAINED: "not explained by the export's columns",
}


@attrs.frozen(kw_only=True)
class TicketDifference:
    """One ticket whose figure differs from the source's: both values, the reason and the
    evidence from the export's rows."""

    ticket_id: str
    figure: str
    ours: str
    theirs: str
    reason: Reason
    evidence: str


@attrs.frozen(kw_only=True)
class ReconciliationLine:
    """One figure: ours, the source's, the difference (ours minus theirs) and how many
    tickets each reason accounts for."""

    figure: str
    unit: str
    ours: float | None
    theirs: float | None
    reasons: tuple[tuple[Reason, int], ...] = ()
    note: str = ""

    @property
    def difference(self) -> float | None:
        """Ours minus theirs (None when either is missing)."""
        if self.ours is None or self.theirs is None:
            return None
        return self.ours - self.theirs

    @property
    def explanation(self) -> str:
        """The reasons, each with its count of tickets ("equal" when there is no difference)."""
        if not self.reasons:
            return "equal" if self.difference == 0 else self.note
        return "; ".join(f"{reason.text} ({count})" for reason, count in self.reasons)


@attrs.frozen(kw_only=True)
class Reconciliation:
    """Our figures against the source's, with the reason for every difference."""

    system: str
    profile: KpiProfile
    lines: tuple[ReconciliationLine, ...]
    differences: tuple[TicketDifference, ...]

    @property
    def unexplained(self) -> tuple[TicketDifference, ...]:
        """The differences the export's columns do not explain."""
        return tuple(d for d in self.differences if d.reason is Reason.UNEXPLAINED)

    def line(self, figure: str) -> ReconciliationLine:
        """The line of ``figure`` (KeyError when there is none)."""
        for line in self.lines:
            if line.figure == figure:
                return line
        raise KeyError(figure)

    def records(self) -> list[dict[str, Any]]:
        """One plain record per line (figure, unit, ours, theirs, difference, reasons), for
        reports and DataFrames."""
        return [
            {
                "figure": line.figure,
                "unit": line.unit,
                "ours": line.ours,
                "theirs": line.theirs,
                "difference": line.difference,
                "reasons": line.explanation,
            }
            for line in self.lines
        ]

    def difference_records(self) -> list[dict[str, Any]]:
        """One plain record per ticket difference."""
        return [
            {
                "ticket": d.ticket_id,
                "figure": d.figure,
                "ours": d.ours,
                "theirs": d.theirs,
                "reason": d.reason.value,
                "evidence": d.evidence,
            }
            for d in self.differences
        ]

    def report_table(self) -> ReportTable:
        """The lines as the reconciliation table of a service report
        (:func:`itsm_core.reports.build_report`'s ``reconciliation``), one row per figure and
        reason: the figure, its unit, ours, the source's and the difference (on the figure's
        first row), the reason and how many tickets it accounts for.

        Cells are keys the ``reports`` catalogue translates (figure names, reason values,
        ``equal``), so the same table shows in Chinese and English:

        >>> line = ReconciliationLine(figure="reassignments", unit="reassignments", ours=3,
        ...                           theirs=4, reasons=((Reason.FIRST_ASSIGNMENT, 1),))
        >>> table = Reconciliation(system="ServiceNow", profile=KpiProfile.NATIVE,
        ...                        lines=(line,), differences=()).report_table()
        >>> table.records()[0]["reason"], table.records()[0]["difference"]
        ('first_assignment', -1)
        """
        rows: list[tuple[Cell, ...]] = []
        for line in self.lines:
            unit = _UNITS.get(line.unit, line.unit)
            figures: tuple[Cell, ...] = (line.ours, line.theirs, line.difference)
            if line.reasons:
                explained: list[tuple[str, int | None]] = [
                    (reason.value, count) for reason, count in line.reasons
                ]
            else:
                explained = [("equal" if line.difference == 0 else line.note, None)]
            for index, (reason, tickets) in enumerate(explained):
                shown = figures if index == 0 else (None, None, None)
                rows.append((line.figure, unit, *shown, reason, tickets))
        return ReportTable(
            key="reconciliation",
            title="Our figures and {system}'s",
            facts=(("system", self.system),),
            note=_PROFILE_NOTES[self.profile],
            columns=(
                Column("figure", "Figure", terms=True),
                Column("unit", "Unit", terms=True),
                Column("ours", "Ours", "@unit", digits=2),
                Column("theirs", "Source's", "@unit", digits=2),
                Column("difference", "Difference", "@unit", digits=2),
                Column("reason", "Reason", terms=True),
                Column("tickets", "Tickets", "tickets", digits=0),
            ),
            rows=rows,
        )

    def to_markdown(self) -> str:
        """The table of lines in Markdown (hours with two decimals)."""
        out = [
            "| figure | unit | ours | theirs | difference | reason |",
            "|---|---|---|---|---|---|",
        ]
        for line in self.lines:
            cells = [_number(v) for v in (line.ours, line.theirs, line.difference)]
            out.append(
                f"| {line.figure} | {line.unit} | {' | '.join(cells)} | {line.explanation} |"
            )
        return "\n".join(out) + "\n"

    def differences_markdown(self) -> str:
        """The per-ticket differences in Markdown."""
        out = [
            "| ticket | figure | ours | theirs | reason | evidence |",
            "|---|---|---|---|---|---|",
        ]
        out += [
            f"| {d.ticket_id} | {d.figure} | {d.ours} | {d.theirs} | {d.reason.value} | "
            f"{d.evidence} |"
            for d in self.differences
        ]
        return "\n".join(out) + "\n"


#: Units of the lines as a report spells them.
_UNITS = {"hours": "h"}

#: What the report table's note says of each profile (message ids of the ``reports``
#: catalogue).
_PROFILE_NOTES = {
    KpiProfile.NATIVE: "Ours by our definitions, the source's from the export's own columns; "
    "each difference with its reason and the number of tickets it accounts for.",
    KpiProfile.SOURCE_COMPATIBLE: "Ours by the source's definitions, the source's from the "
    "export's own columns; each difference with its reason and the number of tickets it "
    "accounts for.",
}


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


def _time(value: dt.datetime | None) -> str:
    return "?" if value is None else value.strftime("%Y-%m-%d %H:%M")


# -- one ticket ----------------------------------------------------------------------------------


@attrs.frozen
class _Change:
    at: dt.datetime
    before: str | None
    after: str | None


def _group_changes(events: Sequence[TicketEvent]) -> list[_Change]:
    """Every change of the assignment group the events carry after the ``open`` event."""
    changes: list[_Change] = []
    group: str | None = None
    for index, event in enumerate(events):
        if "assignment_group" not in event.payload:
            continue
        raw = event.payload["assignment_group"]
        new = raw if isinstance(raw, str) else None
        if index > 0 and new != group:
            changes.append(_Change(event.at, group, new))
        group = new
    return changes


def _reassignments(
    ticket: str, changes: list[_Change], source: SourceFigures, profile: KpiProfile
) -> tuple[int, list[TicketDifference]]:
    """Our count of reassignments and, if the source's differs, why."""
    counted = [
        c for c in changes if c.before is not None or profile is KpiProfile.SOURCE_COMPATIBLE
    ]
    ours, theirs = len(counted), source.reassignment_count
    if theirs is None or theirs == ours:
        return ours, []
    found: list[TicketDifference] = []

    def differ(reason: Reason, evidence: str) -> None:
        found.append(
            TicketDifference(
                ticket_id=ticket,
                figure="reassignments",
                ours=str(ours),
                theirs=str(theirs),
                reason=reason,
                evidence=evidence,
            )
        )

    gap = theirs - ours
    first = [c for c in changes if c.before is None] if profile is KpiProfile.NATIVE else []
    if first and gap > 0:
        times = ", ".join(_time(c.at) for c in first)
        differ(Reason.FIRST_ASSIGNMENT, f"group set from `?` to {first[0].after} at {times}")
        gap -= len(first)
    change_times = {c.at for c in changes}
    silent = [at for at in source.reassigned_at if at not in change_times]
    if silent and gap > 0:
        differ(
            Reason.COUNTER_WITHOUT_CHANGE,
            f"reassignment_count rose at {', '.join(_time(at) for at in silent)} with the "
            "assignment group unchanged",
        )
        gap -= len(silent)
    if gap != 0:
        differ(Reason.UNEXPLAINED, f"{gap:+d} not accounted for by the rows")
    return ours, found


def _stamp(
    ticket: str,
    figure: str,
    ours: dt.datetime | None,
    theirs: dt.datetime | None,
    events: Sequence[TicketEvent],
) -> list[TicketDifference]:
    """Why our time of entering a state (resolved, closed) differs from the source's stamp."""
    if ours == theirs:
        return []
    if theirs is None and ours is not None:
        reason, evidence = Reason.MISSING_IN_SOURCE, f"the rows show the state at {_time(ours)}"
    elif ours is not None and theirs is not None and _stayed(events, ours, theirs):
        reason = Reason.RESTAMPED
        evidence = f"entered at {_time(ours)}, updated in the same state at {_time(theirs)}"
    else:
        reason, evidence = Reason.UNEXPLAINED, "no row of the export shows the source's time"
    return [
        TicketDifference(
            ticket_id=ticket,
            figure=figure,
            ours=_time(ours),
            theirs=_time(theirs),
            reason=reason,
            evidence=evidence,
        )
    ]


def _stayed(events: Sequence[TicketEvent], entered: dt.datetime, later: dt.datetime) -> bool:
    """True when a row at ``later`` shows the ticket still in the state it entered at
    ``entered``, with no change of state between."""
    state = next(
        (e.to_state for e in reversed(events) if e.at == entered and e.from_state != e.to_state),
        None,
    )
    between = [e for e in events if entered < e.at <= later]
    return (
        state is not None
        and any(e.at == later for e in between)
        and all(e.from_state == e.to_state == state for e in between)
    )


def _opened(ticket: str, ours: dt.datetime, theirs: dt.datetime | None) -> list[TicketDifference]:
    if theirs is None or theirs == ours:
        return []
    reason = Reason.OPENED_BEFORE if ours < theirs else Reason.UNEXPLAINED
    evidence = f"first row at {_time(ours)}" if ours < theirs else "opened after opened_at"
    return [
        TicketDifference(
            ticket_id=ticket,
            figure="opened_at",
            ours=_time(ours),
            theirs=_time(theirs),
            reason=reason,
            evidence=evidence,
        )
    ]


@attrs.frozen
class _Ticket:
    """One ticket's figures, ours and theirs."""

    id: str
    reassignments: tuple[int, int | None]
    reopens: tuple[int, int | None]
    resolve_hours: tuple[float | None, float | None]
    close_hours: tuple[float | None, float | None]
    made_sla: bool | None
    differences: tuple[TicketDifference, ...]


def _hours(start: dt.datetime | None, end: dt.datetime | None) -> float | None:
    return None if start is None or end is None else (end - start) / _HOUR


def _ticket(result: ImportResult, profile: KpiProfile) -> _Ticket:
    ticket, source = result.ticket, result.source
    assert source is not None
    events = result.events
    reassigned, differences = _reassignments(ticket.id, _group_changes(events), source, profile)
    resolved, closed, opened = ticket.resolved_at, ticket.closed_at, ticket.opened_at
    if profile is KpiProfile.NATIVE:
        differences += _opened(ticket.id, ticket.opened_at, source.opened_at)
    else:
        resolved = source.resolved_at or resolved
        closed = source.closed_at or closed
        opened = source.opened_at or opened
    differences += _stamp(ticket.id, "resolved_at", resolved, source.resolved_at, events)
    differences += _stamp(ticket.id, "closed_at", closed, source.closed_at, events)
    if source.reopen_count is not None and source.reopen_count != ticket.reopen_count:
        differences.append(
            TicketDifference(
                ticket_id=ticket.id,
                figure="reopens",
                ours=str(ticket.reopen_count),
                theirs=str(source.reopen_count),
                reason=Reason.UNEXPLAINED,
                evidence="the rows show a different number of reopens",
            )
        )
    theirs_opened = source.opened_at
    return _Ticket(
        id=ticket.id,
        reassignments=(reassigned, source.reassignment_count),
        reopens=(ticket.reopen_count, source.reopen_count),
        resolve_hours=(_hours(opened, resolved), _hours(theirs_opened, source.resolved_at)),
        close_hours=(_hours(opened, closed), _hours(theirs_opened, source.closed_at)),
        made_sla=source.made_sla,
        differences=tuple(differences),
    )


# -- the table -----------------------------------------------------------------------------------


def _reasons(differences: Iterable[TicketDifference]) -> tuple[tuple[Reason, int], ...]:
    """How many tickets each reason accounts for."""
    tickets: dict[Reason, set[str]] = {}
    for d in differences:
        tickets.setdefault(d.reason, set()).add(d.ticket_id)
    return tuple((reason, len(tickets[reason])) for reason in Reason if reason in tickets)


def _summary(values: list[float], statistic: str) -> float | None:
    if not values:
        return None
    return sum(values) / len(values) if statistic == "mean" else median(values)


def reconcile(
    results: Iterable[ImportResult], *, profile: KpiProfile = KpiProfile.NATIVE
) -> Reconciliation:
    """Our figures of the imported tickets against the source's own (those the importer kept
    in each result's ``source``; results without are left out), by ``profile``'s definitions.

    The lines: tickets; tickets reassigned at least once and reassignments in all; reopens;
    tickets with a resolution (closure) time and its mean and median in hours, opened to
    resolved (closed); tickets that made their SLA by the source's verdict (ours needs an SLA
    policy: see :mod:`itsm_core.sla`). Medians are linear (:func:`itsm_core.stats.median`).
    """
    tickets = [_ticket(r, profile) for r in results if r.source is not None]
    systems = sorted({r.source.system for r in results if r.source is not None})
    differences = tuple(d for t in tickets for d in t.differences)
    lines: list[ReconciliationLine] = []

    def add(
        figure: str,
        unit: str,
        ours: float | None,
        theirs: float | None,
        figures: set[str],
        reasons: set[Reason] | None = None,
        among: set[str] | None = None,
    ) -> None:
        """A line; its reasons are those of the ticket differences of ``figures`` (of
        ``reasons``, of the tickets ``among``)."""
        selected = [
            d
            for d in differences
            if d.figure in figures
            and (reasons is None or d.reason in reasons)
            and (among is None or d.ticket_id in among)
        ]
        explained = _reasons(selected) if ours != theirs else ()
        lines.append(
            ReconciliationLine(
                figure=figure, unit=unit, ours=ours, theirs=theirs, reasons=explained
            )
        )

    add("tickets", "tickets", len(tickets), len(tickets), set())
    counts = [(t.id, o, s) for t in tickets for o, s in [t.reassignments] if s is not None]
    if counts:
        flipped = {ticket for ticket, o, s in counts if (o > 0) != (s > 0)}
        reassigned = ({"reassignments"}, None, flipped)
        add(
            "tickets reassigned at least once",
            "tickets",
            sum(1 for _, o, _ in counts if o > 0),
            sum(1 for _, _, s in counts if s > 0),
            *reassigned,
        )
        add(
            "reassignments",
            "reassignments",
            sum(o for _, o, _ in counts),
            sum(s for _, _, s in counts),
            {"reassignments"},
        )
    reopens = [(o, s) for t in tickets for o, s in [t.reopens] if s is not None]
    if reopens:
        ours_reopens, theirs_reopens = sum(o for o, _ in reopens), sum(s for _, s in reopens)
        add("reopens", "reopens", ours_reopens, theirs_reopens, {"reopens"})
    missing = {Reason.MISSING_IN_SOURCE, Reason.UNEXPLAINED}
    for name, attribute, stamp in (
        ("resolution", "resolve_hours", "resolved_at"),
        ("closure", "close_hours", "closed_at"),
    ):
        values = [getattr(t, attribute) for t in tickets]
        ours_values = [o for o, _ in values if o is not None]
        theirs_values = [s for _, s in values if s is not None]
        if not theirs_values:
            continue
        counted = (len(ours_values), len(theirs_values))
        add(f"tickets with a {name} time", "tickets", *counted, {stamp}, missing)
        for statistic in ("mean", "median"):
            add(
                f"time to {name}, {statistic}",
                "hours",
                _summary(ours_values, statistic),
                _summary(theirs_values, statistic),
                {stamp, "opened_at"},
            )
    verdicts = [t.made_sla for t in tickets if t.made_sla is not None]
    if verdicts:
        lines.append(
            ReconciliationLine(
                figure="tickets that made their SLA (the source's verdict)",
                unit="tickets",
                ours=None,
                theirs=sum(verdicts),
                note="ours needs SLA policies: see itsm_core.sla.evaluate",
            )
        )
    return Reconciliation(
        system=", ".join(systems),
        profile=profile,
        lines=tuple(lines),
        differences=differences,
    )
