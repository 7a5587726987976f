"""The API reference lists every public name, one entry each, grouped by importance.

Each page of docs/reference/ names its entries one by one (``::: itsm_core.sla.evaluate``)
under ``##`` group headings ("Start here", "Results", "Rarely"...), never as one whole-module
block rendered alphabetically. So a name added to an ``__all__`` without a place in the
reference, or a reference entry left behind by a removed name, fails here.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import itsm_core
import itsm_core.adapters

REFERENCE = Path(__file__).resolve().parents[1] / "docs" / "reference"
ENTRY = re.compile(r"^::: *(\S+)", flags=re.M)


def public_modules() -> dict[str, list[str]]:
    """Each reference page -> the public modules it documents."""
    pages: dict[str, list[str]] = {}
    for info in pkgutil.iter_modules(itsm_core.__path__):
        if not info.name.startswith("_"):
            pages.setdefault(info.name, []).append(f"itsm_core.{info.name}")
    for info in pkgutil.iter_modules(itsm_core.adapters.__path__):
        if not info.name.startswith("_"):
            pages["adapters"].append(f"itsm_core.adapters.{info.name}")
    return pages


def expected_entries(modules: list[str]) -> set[str]:
    return {f"{name}.{item}" for name in modules for item in importlib.import_module(name).__all__}


def entries(page: str) -> list[str]:
    path = REFERENCE / f"{page}.md"
    return ENTRY.findall(path.read_text(encoding="utf-8")) if path.exists() else []


PAGES = public_modules()


def test_the_root_package_exports_only_the_base_error() -> None:
    # itsm_core itself has no reference page: its one name is the errors page's ItsmError.
    assert set(itsm_core.__all__) == {"ItsmError", "__version__"}
    assert itsm_core.ItsmError is importlib.import_module("itsm_core.errors").ItsmError


@pytest.mark.parametrize("page", sorted(PAGES))
def test_the_page_lists_every_public_name_once(page: str) -> None:
    found = entries(page)
    bare = [entry for entry in found if entry in PAGES[page] or entry == "itsm_core.adapters"]
    assert not bare, f"docs/reference/{page}.md renders whole modules: {bare}"
    assert len(found) == len(set(found)), "an entry is listed twice"
    expected = expected_entries(PAGES[page])
    assert sorted(expected - set(found)) == [], "public names missing from the page"
    assert sorted(set(found) - expected) == [], "entries that are not public names"


@pytest.mark.parametrize("page", sorted(PAGES))
def test_the_page_groups_its_entries(page: str) -> None:
    text = (REFERENCE / f"{page}.md").read_text(encoding="utf-8")
    first_entry = text.index(":::")
    if len(expected_entries(PAGES[page])) > 1:
        assert "\n## " in text[:first_entry], "entries come under a '## group' heading"


def test_every_page_is_in_the_navigation() -> None:
    nav = (REFERENCE.parents[1] / "mkdocs.yml").read_text(encoding="utf-8")
    missing = [page for page in sorted(PAGES) if f"reference/{page}.md" not in nav]
    assert not missing
