"""The architecture of DESIGN.md, enforced: import layers and a pure domain.

Each package may import only the packages its layer names (and, through them, what they import),
plus `itsm_core.errors`. Domain packages never touch the clock, files, the environment or
randomness; I/O lives only in `adapters`, `cli` and the examples. The application layer (`desk`)
takes time and ids from its caller too, and is the lowest layer that logs.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "itsm_core"

DOMAIN = {
    "stats",
    "calendar",
    "priority",
    "satisfaction",
    "workflow",
    "tickets",
    "sla",
    "metrics",
    "improvement",
    "knowledge",
    "records",
    "routing",
    "i18n",
    "customers",
    "communications",
    "calls",
    "inspection",
    "emergency",
    "people",
    "reports",
}
# Direct imports each layer may make (DESIGN.md, "Layers and the direction of imports").
LAYERS: dict[str, set[str]] = {
    "stats": set(),
    "calendar": set(),
    "priority": set(),
    "satisfaction": {"stats"},
    "workflow": set(),
    "tickets": {"workflow", "priority", "calendar", "i18n"},
    "sla": {"calendar", "tickets"},
    "metrics": {"tickets", "sla", "satisfaction", "stats"},
    "improvement": {"workflow", "metrics", "satisfaction", "stats"},
    "knowledge": {"workflow"},
    # records seals and exports events in the one wire format: it sits above serialization.
    "records": {"tickets", "serialization"},
    "routing": {"calendar", "tickets"},
    # Message catalogues (gettext files shipped in the package): every layer may use them.
    "i18n": set(),
    "customers": {"calendar", "priority", "tickets", "sla", "satisfaction", "i18n"},
    "communications": {"customers", "tickets", "sla", "calendar", "i18n"},
    "calls": {"calendar", "routing", "tickets", "stats", "i18n"},
    "inspection": {"calls", "tickets", "stats", "improvement", "i18n"},
    "emergency": {"priority", "calendar", "tickets", "improvement", "i18n"},
    "people": {"stats", "routing", "metrics", "inspection", "calendar", "i18n"},
    "reports": {
        "metrics",
        "improvement",
        "satisfaction",
        "stats",
        "sla",
        "routing",
        "calls",
        "customers",
        "inspection",
        "tickets",
        "i18n",
    },
    "serialization": set(DOMAIN) - {"records", "reports"},
    "repositories": {"serialization", *DOMAIN},
    "desk": {"repositories", "serialization", *DOMAIN},
    "testing": {"desk", "repositories", "serialization", *DOMAIN},
    "adapters": {"desk", "repositories", "serialization", *DOMAIN},
    "cli": {"adapters", "desk", "repositories", *DOMAIN},
}
# Neither clock, files, environment nor randomness: the domain, and the desk above it (the
# caller passes `now` and an id generator; the desk's I/O goes through the store port).
PURE = {*DOMAIN, "serialization", "repositories", "desk"}
# Logging belongs to the application layer and the adapters, never to the domain.
SILENT = PURE - {"desk"}
# The foundation every layer stands on: the error tree, the aggregate kernel and the shared
# private checks. They import only each other (see test_the_foundation_imports_only_itself).
FOUNDATION = {"errors", "kernel", "_checks", "_plain"}
FORBIDDEN_MODULES = {
    "os",
    "random",
    "secrets",
    "time",
    "pathlib",
    "socket",
    "sqlite3",
    "subprocess",
    "urllib",
    "http",
    "shutil",
    "tempfile",
}
FORBIDDEN_CALLS = {"now", "today", "utcnow", "uuid1", "uuid4", "getenv", "perf_counter"}


def closure(layer: str) -> set[str]:
    """What a layer may reach: its own imports and, transitively, theirs."""
    seen: set[str] = set()
    todo = list(LAYERS[layer])
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(LAYERS.get(name, set()))
    return seen


def modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if len(parts) > 1:
            yield parts[0], path


def imported(tree: ast.AST) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


def test_every_subpackage_has_a_layer() -> None:
    packages = {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert packages <= set(LAYERS), packages - set(LAYERS)


def test_layers_only_import_downwards() -> None:
    wrong = []
    for layer, path in modules():
        allowed = closure(layer) | {layer, *FOUNDATION}
        for line, name in imported(ast.parse(path.read_text(encoding="utf-8"))):
            parts = name.split(".")
            if parts[0] == "itsm_core" and len(parts) > 1 and parts[1] not in allowed:
                wrong.append(f"{path.relative_to(PACKAGE)}:{line} imports {name}")
    assert not wrong, "\n".join(wrong)


def test_the_foundation_imports_only_itself() -> None:
    wrong = []
    for path in sorted(PACKAGE.glob("*.py")):
        for line, name in imported(ast.parse(path.read_text(encoding="utf-8"))):
            parts = name.split(".")
            if parts[0] == "itsm_core" and len(parts) > 1 and parts[1] not in FOUNDATION:
                wrong.append(f"{path.name}:{line} imports {name}")
    assert not wrong, "\n".join(wrong)


def test_the_domain_never_touches_clock_files_environment_or_randomness() -> None:
    wrong = []
    for layer, path in modules():
        if layer not in PURE:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for line, name in imported(tree):
            if name.split(".")[0] in FORBIDDEN_MODULES:
                wrong.append(f"{path.relative_to(PACKAGE)}:{line} imports {name}")
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in FORBIDDEN_CALLS:
                wrong.append(f"{path.relative_to(PACKAGE)}:{node.lineno} calls .{func.attr}()")
            if isinstance(func, ast.Name) and func.id in {"open", "input", "print"}:
                wrong.append(f"{path.relative_to(PACKAGE)}:{node.lineno} calls {func.id}()")
    assert not wrong, "\n".join(wrong)


def test_the_domain_does_not_log() -> None:
    wrong = []
    for layer, path in modules():
        if layer not in SILENT:
            continue
        for line, name in imported(ast.parse(path.read_text(encoding="utf-8"))):
            if name.split(".")[0] == "logging":
                wrong.append(f"{path.relative_to(PACKAGE)}:{line} imports {name}")
    assert not wrong, "\n".join(wrong)


def test_the_desk_stands_on_the_domain_and_the_ports() -> None:
    assert closure("desk") >= {"tickets", "sla", "records", "priority", "repositories"}
    assert "adapters" not in closure("desk")
    assert "desk" in closure("adapters")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import os\n", [(1, "os")]),
        ("from itsm_core.tickets import Ticket\n", [(1, "itsm_core.tickets")]),
        ("from . import _x\n", []),
    ],
)
def test_import_finder(source: str, expected: list[tuple[int, str]]) -> None:
    assert list(imported(ast.parse(source))) == expected


def test_closure_follows_layers_transitively() -> None:
    assert closure("sla") == {"calendar", "tickets", "workflow", "priority", "i18n"}
    assert closure("calendar") == set()


def test_records_sits_above_serialization() -> None:
    assert "serialization" in closure("records")
    assert "records" not in closure("serialization")
