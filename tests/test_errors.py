"""The error tree: shape, messages, structured fields, pickling."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest

from itsm_core import errors
from itsm_core.errors import (
    CalendarCoverageError,
    CommandRejected,
    DefinitionError,
    DeserializationError,
    DomainError,
    InvalidCalendar,
    InvalidMapping,
    InvalidPolicy,
    InvalidPriorityMatrix,
    InvalidSurvey,
    InvalidTemplate,
    InvalidWorkflowDefinition,
    ItsmError,
    NaiveDatetimeError,
    NotFound,
    Problem,
    RepositoryError,
    TransitionNotAllowed,
    UnknownRole,
    UnknownTier,
    ValidationError,
    VersionConflict,
)

BRANCHES = {
    InvalidCalendar: DefinitionError,
    InvalidMapping: DefinitionError,
    InvalidWorkflowDefinition: DefinitionError,
    InvalidPriorityMatrix: DefinitionError,
    InvalidPolicy: DefinitionError,
    InvalidSurvey: DefinitionError,
    InvalidTemplate: DefinitionError,
    NaiveDatetimeError: ValidationError,
    DeserializationError: ValidationError,
    UnknownTier: ValidationError,
    UnknownRole: ValidationError,
    CommandRejected: DomainError,
    TransitionNotAllowed: CommandRejected,
    CalendarCoverageError: DomainError,
    NotFound: RepositoryError,
    VersionConflict: RepositoryError,
}


@pytest.mark.parametrize(("error", "branch"), BRANCHES.items())
def test_every_error_sits_on_its_branch_under_the_root(
    error: type[Exception], branch: type[Exception]
) -> None:
    assert issubclass(error, branch)
    assert issubclass(error, ItsmError)


def test_stdlib_bases_match_the_meaning() -> None:
    assert issubclass(DefinitionError, ValueError)
    assert issubclass(ValidationError, ValueError)
    assert issubclass(NotFound, LookupError)
    assert issubclass(CalendarCoverageError, LookupError)
    assert not issubclass(DomainError, ValueError)


def test_every_exported_error_is_documented_in_the_module_tree() -> None:
    doc = errors.__doc__ or ""
    for name in errors.__all__:
        if name != "Problem":
            assert name in doc, name


def test_definition_error_lists_every_problem_with_its_path() -> None:
    problems = [Problem("states.done", "unreachable"), Problem("", "no initial state")]
    error = InvalidWorkflowDefinition("'incident'", problems)
    assert error.problems == tuple(problems)
    assert str(error).splitlines() == [
        "invalid workflow 'incident': 2 problems",
        "  - states.done: unreachable",
        "  - no initial state",
    ]


def test_a_problems_error_needs_a_problem() -> None:
    with pytest.raises(ValueError, match="at least one problem"):
        InvalidPolicy("'sla'", [])


def test_naive_datetime_error_names_the_field_and_value() -> None:
    error = NaiveDatetimeError("start", dt.datetime(2026, 1, 5, 9, 0))
    assert error.where == "start"
    assert "start: naive datetime 2026-01-05T09:00:00" in str(error)


def test_transition_not_allowed_lists_allowed_events_sorted() -> None:
    error = TransitionNotAllowed("close", "new", ["resolve", "assign"])
    assert error.allowed == ("assign", "resolve")
    assert error.state == "new"
    assert error.reasons == ("no transition 'close' from 'new'; allowed: assign, resolve",)
    terminal = TransitionNotAllowed("reopen", "closed", [])
    assert "none (terminal state)" in str(terminal)


def test_command_rejected_joins_reasons() -> None:
    error = CommandRejected("resolve", ["resolution code missing", "note missing"], state="open")
    assert str(error) == (
        "command 'resolve' rejected in state 'open': resolution code missing; note missing"
    )
    assert str(CommandRejected("x", [])) == "command 'x' rejected: no reason given"


def test_unknown_names_carry_the_name_and_the_known_ones() -> None:
    error = UnknownRole("agnet", ("agent", "customer"), path="ctx.role", subject="context",
                        others=[Problem("now", "naive")])  # fmt: skip
    assert (error.value, error.known, error.path) == ("agnet", ("agent", "customer"), "ctx.role")
    assert [str(p) for p in error.problems] == [
        "now: naive",
        "ctx.role: unknown role 'agnet' (known: agent, customer)",
    ]
    assert str(UnknownTier("x", ())).endswith("unknown customer tier 'x' (known: none)")


def test_repository_and_coverage_errors_carry_fields() -> None:
    conflict = VersionConflict("ticket-1", expected=3, actual=5)
    assert (conflict.stream, conflict.expected, conflict.actual) == ("ticket-1", 3, 5)
    missing = NotFound("ticket", "T-9")
    assert str(missing) == "no ticket with id 'T-9'"
    covered = (dt.date(2025, 1, 1), dt.date(2026, 12, 31))
    coverage = CalendarCoverageError("china", dt.date(2027, 2, 1), covered)
    assert "2025-01-01 to 2026-12-31" in str(coverage)
    assert coverage.requested == dt.date(2027, 2, 1)


@pytest.mark.parametrize(
    "error",
    [
        InvalidCalendar("'office'", [Problem("tz", "unknown zone 'Mars/Base'")]),
        DeserializationError("Ticket", [Problem("priority", "not an int")]),
        NaiveDatetimeError("now", dt.datetime(2026, 1, 1)),
        CommandRejected("close", ["no resolution"], state="open"),
        TransitionNotAllowed("close", "new", ["assign"]),
        CalendarCoverageError(
            "cn", dt.date(2027, 1, 4), (dt.date(2025, 1, 1), dt.date(2026, 12, 31))
        ),
        NotFound("ticket", "T-1"),
        VersionConflict("s", 1, 2),
        UnknownTier("gold", ["regular", "vip"], path="tier", subject="s"),
        UnknownRole("agnet", ["agent"], others=[Problem("now", "naive")]),
    ],
    ids=lambda e: type(e).__name__,
)
def test_errors_survive_pickling_for_process_pools(error: ItsmError) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)


def test_every_public_error_subclass_is_in_the_errors_page() -> None:
    """Each module-specific error is listed on docs/errors.md with its branch."""
    import importlib
    import pkgutil
    from pathlib import Path

    import itsm_core

    page = (Path(__file__).resolve().parents[1] / "docs" / "errors.md").read_text("utf-8")
    public = [
        info.name
        for info in pkgutil.walk_packages(itsm_core.__path__, "itsm_core.")
        if not any(part.startswith("_") for part in info.name.split("."))
    ]
    missing = []
    for module_name in sorted(public):
        module = importlib.import_module(module_name)
        for name in module.__all__:
            item = getattr(module, name)
            if isinstance(item, type) and issubclass(item, ItsmError) and name not in page:
                missing.append(f"{module_name}.{name}")
    assert not missing
