"""The argument parser and the five commands of ``itsm-core``.

Exit codes: 0 done; 1 an input file is wrong (every problem is listed on stderr, with the file,
line and field); 2 the command line is wrong. Output goes to stdout, or whole to ``--output``;
nothing is written when anything fails.
"""

from __future__ import annotations

import argparse
import sys
import zoneinfo
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

import itsm_core
from itsm_core.adapters.eventlog import EventLogMapping, LogRecord, import_log, read_event_log
from itsm_core.adapters.reconciliation import reconcile
from itsm_core.adapters.servicenow import import_incidents, read_incident_log
from itsm_core.calendar import BusinessCalendar
from itsm_core.cli._files import CliError, load, write_whole
from itsm_core.cli._progress import ProgressBar
from itsm_core.cli._replay import TABLES, Replay, replay
from itsm_core.cli._timetext import in_unit, instant, zone
from itsm_core.errors import DeserializationError, ItsmError, UnknownLanguage, ValidationError
from itsm_core.i18n import language_of
from itsm_core.metrics import Granularity
from itsm_core.reports import (
    REPORT_POLICIES,
    ChartFormat,
    ReportTable,
    render_html,
    render_report_markdown,
)
from itsm_core.sla import Duration, PolicySet, Unit
from itsm_core.tickets import BUILTIN_WORKFLOWS, ImportMode, ImportResult
from itsm_core.workflow import render_markdown_table, render_mermaid

PROG = "itsm-core"

#: Helpdesk exports ``--source`` reads with their own importer (keeping the source's figures).
SOURCES = ("servicenow",)


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run ``itsm-core`` with ``argv`` (default: ``sys.argv[1:]``); returns the exit code."""
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse has printed the usage error or the help
        return exit_.code if isinstance(exit_.code, int) else 2
    command: Callable[[argparse.Namespace, TextIO, TextIO], str] = args.command
    try:
        text = command(args, out, err)
    except CliError as error:
        for line in error.lines:
            err.write(f"{PROG}: error: {line}\n")
        return error.code
    if args.output is None:
        try:
            out.write(text)
            out.flush()
        except BrokenPipeError:  # `itsm-core ... | head`: the reader has had enough
            return 0
    else:
        try:
            write_whole(Path(args.output), text)
        except CliError as error:
            err.write(f"{PROG}: error: {error.lines[0]}\n")
            return error.code
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Business time, SLA clocks, event log replay and workflows from itsm_core.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {itsm_core.__version__}")
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    due = commands.add_parser(
        "due",
        help="when a target is due on a calendar",
        description="The instant when DURATION has passed since START on the calendar.",
    )
    _calendar_options(due)
    due.add_argument("--start", required=True, help="ISO 8601; without an offset: calendar time")
    due.add_argument(
        "--duration",
        required=True,
        help="'4 working hours', '2 working days', '90 working minutes' or physical '24 hours'",
    )
    due.set_defaults(command=_due)

    elapsed = commands.add_parser(
        "elapsed",
        help="working time between two instants",
        description="The working time in [START, END) on the calendar (negative if reversed).",
    )
    _calendar_options(elapsed)
    elapsed.add_argument(
        "--start", required=True, help="ISO 8601; without an offset: calendar time"
    )
    elapsed.add_argument("--end", required=True, help="ISO 8601; without an offset: calendar time")
    elapsed.add_argument(
        "--unit", choices=("hms", "hours", "minutes", "seconds"), default="hms", help="default hms"
    )
    elapsed.set_defaults(command=_elapsed)

    log = commands.add_parser(
        "replay",
        help="an event log to ticket states, SLA results and KPIs",
        description=(
            "Replay a CSV or JSON Lines event log, read through a mapping file, onto a built-in "
            "workflow; print the KPI report (its summary first), ticket states, refused rows "
            "and SLA clocks."
        ),
    )
    _log_options(log)
    log.add_argument("--format", choices=("markdown", "csv"), default="markdown")
    log.add_argument(
        "--table",
        choices=TABLES,
        action="append",
        help="only this table (repeat for several; CSV takes exactly one)",
    )
    log.add_argument("--lang", default="en", help="language of the KPI report: en or zh-CN")
    log.add_argument("--output", help="write here (whole, or not at all) instead of stdout")
    _progress_options(log)
    log.set_defaults(command=_replay)

    report = commands.add_parser(
        "report",
        help="an event log to the service report (HTML with charts, or Markdown)",
        description=(
            "Replay an event log like `replay` and write the service report: headline KPIs "
            "against their targets first, charts, breakdowns by volume, detail tables. The "
            "HTML page is self-contained and opens offline."
        ),
    )
    _log_options(report)
    report.add_argument("--format", choices=("html", "markdown"), default="html")
    report.add_argument("--lang", default="en", help="language of the report: en or zh-CN")
    report.add_argument(
        "--charts",
        choices=[f.value for f in ChartFormat],
        default="svg",
        help="image format of the HTML report's charts (default svg)",
    )
    report.add_argument("--output", help="write here (whole, or not at all) instead of stdout")
    _progress_options(report)
    report.set_defaults(command=_report)

    flow = commands.add_parser(
        "workflow",
        help="print a built-in workflow",
        description="Print a built-in workflow as a Mermaid diagram or a Markdown table.",
    )
    flow.add_argument("name", nargs="?", help="omit to list the built-in workflows")
    flow.add_argument("--format", choices=("mermaid", "markdown"), default="mermaid")
    flow.set_defaults(command=_workflow)

    for sub in (due, elapsed, flow):
        sub.set_defaults(output=None)
    return parser


def _log_options(log: argparse.ArgumentParser) -> None:
    log.add_argument("log", help="the event log (.csv, or .jsonl / .ndjson)")
    reading = log.add_mutually_exclusive_group(required=True)
    reading.add_argument("--mapping", help="mapping file (.toml or .json)")
    reading.add_argument(
        "--source",
        choices=SOURCES,
        help="read the log with this helpdesk's importer instead of a mapping, keeping the "
        "source's own figures: the report then reconciles ours with them",
    )
    log.add_argument(
        "--mode", choices=[m.value for m in ImportMode], default="strict", help="default strict"
    )
    log.add_argument(
        "--policies",
        help="SLA policy set file (.toml or .json); default: the standard response targets "
        "and resolution targets by priority",
    )
    log.add_argument(
        "--calendar",
        action="append",
        default=[],
        help="calendar file the policies name (repeat for several)",
    )
    log.add_argument("--now", help="evaluate as of this instant (default: the last event)")
    log.add_argument(
        "--period", choices=[g.value for g in Granularity], default="month", help="KPI periods"
    )
    log.add_argument("--tz", help="time zone of the report (default: the mapping's, else UTC)")


def _progress_options(log: argparse.ArgumentParser) -> None:
    progress = log.add_mutually_exclusive_group()
    progress.add_argument(
        "--progress", dest="progress", action="store_true", default=None, help="always"
    )
    progress.add_argument(
        "--no-progress", dest="progress", action="store_false", help="never (default: on a tty)"
    )


def _calendar_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--calendar", required=True, help="calendar file (.toml or .json)")
    parser.add_argument(
        "--extrapolate",
        action="store_true",
        help="use the weekly pattern beyond the calendar's holiday data",
    )


def _load_calendar(name: str) -> BusinessCalendar:
    return load(Path(name), BusinessCalendar.from_dict)


def _due(args: argparse.Namespace, out: TextIO, err: TextIO) -> str:
    calendar = _load_calendar(args.calendar)
    tz = zone(calendar.timezone, option="--calendar")
    start = instant(args.start, option="--start", tz=tz)
    try:
        duration = Duration.parse(args.duration)
    except ValidationError as error:
        raise CliError([f"--duration: {error.problems[0].message}"], code=2) from None
    try:
        if duration.unit is Unit.WORKING_DAYS:
            due = calendar.add_working_days(start, duration.amount, extrapolate=args.extrapolate)
        elif duration.working:
            due = calendar.add(start, duration.clock_time_plain(), extrapolate=args.extrapolate)
        else:
            due = start + duration.clock_time_plain()
        return due.astimezone(tz).isoformat() + "\n"
    except ItsmError as error:
        raise CliError([f"{args.calendar}: {error}"]) from None
    except OverflowError:  # clock time past the year 9999 (a calendar raises an ItsmError)
        raise CliError([f"--duration: {args.duration} from {args.start} is past 9999"]) from None


def _elapsed(args: argparse.Namespace, out: TextIO, err: TextIO) -> str:
    calendar = _load_calendar(args.calendar)
    tz = zone(calendar.timezone, option="--calendar")
    start = instant(args.start, option="--start", tz=tz)
    end = instant(args.end, option="--end", tz=tz)
    try:
        working = calendar.elapsed(start, end, extrapolate=args.extrapolate)
    except ItsmError as error:
        raise CliError([f"{args.calendar}: {error}"]) from None
    return in_unit(working, args.unit) + "\n"


def _workflow(args: argparse.Namespace, out: TextIO, err: TextIO) -> str:
    if args.name is None:
        return "\n".join(BUILTIN_WORKFLOWS.names) + "\n"
    if args.name not in BUILTIN_WORKFLOWS.names:
        known = ", ".join(BUILTIN_WORKFLOWS.names)
        raise CliError([f"no built-in workflow {args.name!r} (known: {known})"], code=2)
    workflow = BUILTIN_WORKFLOWS.get(args.name)
    if args.format == "mermaid":
        return render_mermaid(workflow).rstrip("\n") + "\n"
    return render_markdown_table(workflow).rstrip("\n") + "\n"


def _language(tag: str) -> str:
    try:
        return language_of(tag, path="--lang")
    except UnknownLanguage as error:
        raise CliError([str(error)], code=2) from None


def _replay(args: argparse.Namespace, out: TextIO, err: TextIO) -> str:
    tables: list[str] = args.table or list(TABLES)
    if args.format == "csv" and len(tables) != 1:
        raise CliError(["--format csv: choose one table with --table"], code=2)
    language = _language(args.lang)
    done = _replayed(args, err)
    if args.format == "csv":
        return done.csv(tables[0])
    return done.markdown(tables, language=language)


def _report(args: argparse.Namespace, out: TextIO, err: TextIO) -> str:
    language = _language(args.lang)
    report = _replayed(args, err).report()
    if args.format == "markdown":
        return render_report_markdown(report, language=language)
    try:
        return render_html(report, language=language, chart_format=args.charts)
    except ModuleNotFoundError as error:  # pragma: no cover - matplotlib is part of dev
        raise CliError([str(error)]) from None


def _replayed(args: argparse.Namespace, err: TextIO) -> Replay:
    mapping = load(Path(args.mapping), EventLogMapping.from_dict) if args.mapping else None
    policies = _load_policies(args.policies)
    calendars = {c.name: c for c in (_load_calendar(name) for name in args.calendar)}
    time_zone = mapping.time_zone if mapping is not None else None
    tz = zone(args.tz or time_zone or "UTC", option="--tz")
    now = instant(args.now, option="--now", tz=tz) if args.now else None
    enabled = args.progress if args.progress is not None else err.isatty()
    bar = ProgressBar(err, enabled=enabled)
    mode = ImportMode(args.mode)
    try:
        bar.phase("reading")
        reconciliation = None
        if mapping is None:
            results, reconciliation = _read_servicenow(Path(args.log), mode, tz)
        else:
            records = _read_log(Path(args.log), mapping, bar)
            try:
                results = import_log(records, mapping, mode=mode)
            except ItsmError as error:
                raise CliError([f"{args.log}: {error}"]) from None
        bar.phase("replaying")
        try:
            return replay(
                args.log,
                results,
                policies=policies,
                calendars=calendars,
                now=now,
                granularity=Granularity(args.period),
                tz=tz,
                progress=bar,
                reconciliation=reconciliation,
            )
        except ItsmError as error:
            raise CliError([f"{args.log}: {error}"]) from None
    finally:
        bar.close()


def _read_log(path: Path, mapping: EventLogMapping, bar: ProgressBar) -> tuple[LogRecord, ...]:
    try:
        return read_event_log(path, mapping, progress=bar)
    except DeserializationError as error:
        raise CliError(_problem_lines(error)) from None


def _read_servicenow(
    path: Path, mode: ImportMode, tz: zoneinfo.ZoneInfo
) -> tuple[tuple[ImportResult, ...], ReportTable]:
    """The incidents of a ServiceNow export (``--source servicenow``) and the reconciliation
    of our figures with the export's own. The reconciliation replays every row (lenient
    import), whatever ``mode`` the report uses, so each difference can cite the rows."""
    try:
        rows = read_incident_log(path, tz=tz)
        lenient = import_incidents(rows, mode=ImportMode.LENIENT)
        results = lenient if mode is ImportMode.LENIENT else import_incidents(rows, mode=mode)
    except DeserializationError as error:
        raise CliError(_problem_lines(error)) from None
    except ItsmError as error:
        raise CliError([f"{path}: {error}"]) from None
    return results, reconcile(lenient).report_table()


def _problem_lines(error: DeserializationError) -> list[str]:
    lines = []
    for problem in error.problems:
        where = f"{error.subject}, {problem.path}" if problem.path else error.subject
        lines.append(f"{where}: {problem.message}")
    return lines


def _load_policies(name: str | None) -> PolicySet:
    if name is None:
        return REPORT_POLICIES
    return load(Path(name), PolicySet.from_dict)
