"""The API reference lists every public name, one entry each, grouped by importance.

Each page of docs/reference/ names its entries one by one (``::: itsm_core.sla.evaluate``)
under ``##`` group headings ("Start here", "Results", "Rarely"...), never as one whole-module
block rendered alphabetically. So a name added to an ``__all__`` without a place in the
reference, or a reference entry left behind by a removed name, fails here.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import re
import textwrap
import tomllib
from pathlib import Path
from typing import Any

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


# -- the docstrings render cleanly -----------------------------------------------------------------

ROOT = REFERENCE.parents[1]


def _roles_extension() -> Any:
    """scripts/griffe_rest_roles.py, the Griffe extension mkdocs.yml loads."""
    spec = importlib.util.spec_from_file_location(
        "griffe_rest_roles", ROOT / "scripts" / "griffe_rest_roles.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_mkdocs_loads_the_roles_extension_and_orders_members_by_source() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "- scripts/griffe_rest_roles.py:RestRoles" in config
    assert "members_order: source" in config


def test_the_docs_tools_are_pinned_exactly() -> None:
    pins = (ROOT / "docs" / "requirements.txt").read_text(encoding="utf-8")
    pinned = dict(re.findall(r"^([A-Za-z0-9_.\[\]-]+)==(\S+)$", pins, flags=re.M))
    for name in ("mkdocs", "mkdocs-material", "mkdocstrings", "mkdocstrings-python", "griffelib"):
        assert name in pinned, name
    assert all(version[0].isdigit() for version in pinned.values())
    # make test installs the dev extra: it must pin the same versions.
    dev = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    extra = dev["project"]["optional-dependencies"]["dev"]
    in_dev = dict(
        re.findall(r"^([A-Za-z0-9_.-]+)(?:\[\w+\])?==(\S+)$", "\n".join(extra), flags=re.M)
    )
    assert in_dev == pinned


def test_roles_become_cross_references_and_doctests_code_blocks() -> None:
    griffe = pytest.importorskip("griffe")
    roles = _roles_extension()
    text = '''\
    """Uses :class:`Store`, :meth:`Store.add`, :func:`~pkg._private.helper`, :mod:`json`.

    >>> Store().add(1)
    >>> 1 + 1
    2
    After.
    """

    class Store:
        """A store."""

        def add(self, value: int) -> None:
            """See :meth:`add` and :class:`Title <pkg.Store>`."""
    '''
    with griffe.temporary_visited_package("pkg", {"__init__.py": textwrap.dedent(text)}) as pkg:
        public = roles.public_paths(pkg, frozenset({"pkg.Store"}))
        top = roles.fence_doctests(roles.rewrite(pkg.docstring.value, pkg, pkg, public))
        method = pkg["Store.add"]
        inner = roles.rewrite(method.docstring.value, method, pkg, public)
    assert top.splitlines()[0] == (
        "Uses [`Store`][pkg.Store], [`Store.add`][pkg.Store.add], `helper`, `json`."
    )
    assert top.splitlines()[1:] == [
        "",
        "```pycon",
        ">>> Store().add(1)",
        ">>> 1 + 1",
        "2",
        "After.",
        "```",
    ]
    assert inner == "See [`add`][pkg.Store.add] and [`Title`][pkg.Store]."


def test_no_docstring_of_the_package_keeps_a_raw_role() -> None:
    griffe = pytest.importorskip("griffe")
    roles = _roles_extension()
    pkg = griffe.load("itsm_core", search_paths=[str(ROOT / "src")], resolve_aliases=False)
    roles.RestRoles().on_package(pkg=pkg)
    texts = [obj.docstring.value for obj in roles._walk(pkg) if obj.docstring is not None]
    raw = [t for t in texts if re.search(r":(py:)?[a-z]+:`", t)]
    assert raw == [], raw[:3]
    links = sum(len(re.findall(r"\]\[itsm_core\.", t)) for t in texts)
    assert links > 600  # nearly every role names a documented object and links to it
    for text in texts:  # every doctest line sits in a fenced block
        fenced = False
        for line in text.splitlines():
            if line.strip().startswith("```"):
                fenced = not fenced
            assert fenced or not line.lstrip().startswith(">>>"), text


def test_public_modules_at_any_depth_have_their_names_in_the_reference() -> None:
    # The pages above cover the packages and the adapters' modules; a public module deeper
    # down (itsm_core.x.y) must not escape the reference either.
    listed = {entry for page in PAGES for entry in entries(page)}
    missing = []
    for info in pkgutil.walk_packages(itsm_core.__path__, "itsm_core."):
        if any(part.startswith("_") for part in info.name.split(".")):
            continue
        module = importlib.import_module(info.name)
        names = getattr(module, "__all__", [])
        missing += [f"{info.name}.{n}" for n in names if f"{info.name}.{n}" not in listed]
    assert missing == []
