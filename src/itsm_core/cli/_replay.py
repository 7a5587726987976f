"""``itsm-core replay``: an event log to ticket states, SLA results and the KPI report.

Everything is computed in memory first; only then is anything written, so a failure leaves no
partial output.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zoneinfo
from collections.abc import Callable, Mapping, Sequence

import attrs

from itsm_core.calendar import BusinessCalendar
from itsm_core.cli._files import CliError
from itsm_core.metrics import (
    Granularity,
    KpiAccumulator,
    KpiReport,
    PeriodGrid,
    ReportSpec,
    render_csv,
    sla_outcomes,
)
from itsm_core.reports import ReportTable, ServiceReport, build_report, render_report_markdown
from itsm_core.sla import PolicySet, SlaReport, evaluate
from itsm_core.tickets import ImportResult

#: The tables ``replay`` can print, in the order the Markdown report has them: the KPI report
#: (its summary first), then the per-ticket tables.
TABLES = ("kpi", "tickets", "issues", "sla")

_HOUR = dt.timedelta(hours=1)


def _hours(value: dt.timedelta | None) -> str:
    return "" if value is None else f"{value / _HOUR:.4f}"


@attrs.frozen
class Table:
    """A titled table of text cells, written as Markdown or CSV."""

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def markdown(self) -> str:
        """A ``##`` section with a Markdown table (``(none)`` when empty)."""
        lines = [f"## {self.title}", ""]
        if not self.rows:
            return "\n".join([*lines, "(none)", ""])
        lines.append("| " + " | ".join(self.header) + " |")
        lines.append("|" + "---|" * len(self.header))
        lines.extend(
            "| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in self.rows
        )
        return "\n".join([*lines, ""])

    def csv(self) -> str:
        """The header and rows as CSV."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.header)
        writer.writerows(self.rows)
        return out.getvalue()


@attrs.frozen
class Replay:
    """Everything ``replay`` computed, before any of it is written."""

    source: str
    now: dt.datetime
    tz: zoneinfo.ZoneInfo
    results: tuple[ImportResult, ...]
    sla: tuple[SlaReport, ...]
    kpi: KpiReport
    reconciliation: ReportTable | None = None
    """Our figures beside the source's (``--source``), shown after the report's details."""

    def table(self, name: str) -> Table:
        """One of :data:`TABLES` except ``kpi`` (rendered by the metrics package)."""
        return {"tickets": self._tickets, "issues": self._issues, "sla": self._sla}[name]()

    def report(self) -> ServiceReport:
        """The KPI report people look at (summary first; see :mod:`itsm_core.reports`)."""
        return build_report(self.kpi, source=self.source, reconciliation=self.reconciliation)

    def markdown(self, tables: Sequence[str], *, language: str = "en") -> str:
        """The chosen tables as one Markdown document."""
        parts = [f"# Replay of {self.source}", "", f"As of {self._time(self.now)}.", ""]
        for name in tables:
            if name == "kpi":
                parts.append(render_report_markdown(self.report(), language=language, title=False))
            else:
                parts.append(self.table(name).markdown())
        return "\n".join(parts).rstrip("\n") + "\n"

    def csv(self, name: str) -> str:
        """One table as CSV."""
        return render_csv(self.kpi) if name == "kpi" else self.table(name).csv()

    def _time(self, value: dt.datetime | None) -> str:
        return "" if value is None else value.astimezone(self.tz).isoformat(timespec="minutes")

    def _tickets(self) -> Table:
        rows = []
        for result in self.results:
            t = result.ticket
            rows.append(
                (
                    t.id,
                    t.workflow,
                    t.state,
                    t.status.value,
                    "" if t.priority is None else str(t.priority),
                    self._time(t.opened_at),
                    self._time(t.resolved_at),
                    self._time(t.closed_at),
                    str(t.reopen_count),
                    str(len(result.events)),
                    str(result.flagged),
                    str(len(result.issues)),
                )
            )
        header = (
            "ticket",
            "workflow",
            "state",
            "status",
            "priority",
            "opened",
            "resolved",
            "closed",
            "reopens",
            "events",
            "flagged",
            "refused rows",
        )
        return Table("Tickets", header, tuple(rows))

    def _issues(self) -> Table:
        rows = tuple(
            (
                issue.ticket_id,
                "" if issue.row is None else str(issue.row),
                self._time(issue.at),
                issue.from_state,
                issue.to_state,
                issue.reason,
            )
            for result in self.results
            for issue in result.issues
        )
        header = ("ticket", "line", "at", "from", "to", "why refused")
        return Table("Rows the workflow refused", header, rows)

    def _sla(self) -> Table:
        rows = tuple(
            (
                report.ticket_id,
                clock.name,
                clock.policy or "",
                clock.status.value,
                "" if clock.target is None else str(clock.target.amount),
                "" if clock.target is None else clock.target.unit.value,
                _hours(clock.elapsed),
                _hours(clock.paused_time),
                self._time(clock.due_at),
                self._time(clock.breached_at),
            )
            for report in self.sla
            for clock in report.clocks
        )
        header = (
            "ticket",
            "clock",
            "policy",
            "status",
            "target",
            "target unit",
            "elapsed (h)",
            "paused (h)",
            "due",
            "breached at",
        )
        return Table("SLA clocks", header, rows)


def replay(
    source: str,
    results: Sequence[ImportResult],
    *,
    policies: PolicySet,
    calendars: Mapping[str, BusinessCalendar],
    now: dt.datetime | None,
    granularity: Granularity,
    tz: zoneinfo.ZoneInfo,
    progress: Callable[[int, int], None],
    reconciliation: ReportTable | None = None,
) -> Replay:
    """Evaluate every ticket's SLA clocks at ``now`` (default: the log's last event) and fold
    the events and SLA outcomes into a KPI report by ``granularity`` periods in ``tz``.

    Only events at or before ``now`` count: the report is what was known then.
    ``reconciliation`` (our figures beside the source's) joins the report after its details.
    """
    if not results:
        raise CliError([f"{source}: no tickets in the log"])
    last = max(event.at for result in results for event in result.events)
    as_of = now if now is not None else last
    first = min(result.events[0].at for result in results)
    if as_of < first:
        raise CliError([f"--now: {as_of.isoformat()} is before the first event"], code=2)
    first_day, last_day = first.astimezone(tz).date(), max(last, as_of).astimezone(tz).date()
    spec = ReportSpec(periods=PeriodGrid(granularity, tz.key, first_day, last_day))
    accumulator = KpiAccumulator(spec)
    reports = []
    for index, result in enumerate(results, start=1):
        events = [event for event in result.events if event.at <= as_of]
        if events:
            report = evaluate(policies, events, as_of, calendars=calendars)
            reports.append(report)
            accumulator.add_all(events)
            for outcome in sla_outcomes(report, at=events[0].at):
                accumulator.add_sla(outcome)
        progress(index, len(results))
    return Replay(
        source=source,
        now=as_of,
        tz=tz,
        results=tuple(results),
        sla=tuple(reports),
        kpi=accumulator.report(as_of),
        reconciliation=reconciliation,
    )
