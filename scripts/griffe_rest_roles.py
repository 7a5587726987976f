"""A Griffe extension: reST roles in docstrings become cross-references in the API reference,
and doctest examples code blocks.

The docstrings are Google style with Sphinx-style roles (``:class:`X```, ``:func:`f```,
``:meth:``, ``:attr:``, ``:mod:``, ``:data:``, ``:exc:``, ``:obj:``, ``:const:``). mkdocstrings
renders Markdown, where a role shows as raw text. This extension rewrites each role, once the
package is loaded, into what mkdocstrings renders:

* ``[X][itsm_core.pkg.X]``, an autorefs cross-reference, when the target resolves (from the
  object's own scope outwards, as Sphinx does) to a name the reference pages document;
* `` `X` `` (inline code) otherwise: the standard library, private helpers, parameters.

``~a.b.C`` shows ``C``, as in Sphinx. Doctest blocks (``>>>`` lines up to the next blank line)
are fenced as ``pycon`` code, which Markdown would otherwise fold into nested quotes. The source
files are not changed. mkdocs.yml loads it
(``extensions: [scripts/griffe_rest_roles.py:RestRoles]``); tests/test_reference_docs.py runs
it on docstrings of the package and checks that no role is left.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import griffe

#: A reST role: ``:class:`~a.b.C```, ``:py:func:`f```, ``:meth:`Title <a.b.C.m>```.
ROLE = re.compile(
    r":(?:py:)?(?P<role>class|func|meth|attr|mod|data|exc|obj|const):"
    r"`(?P<tilde>~?)(?P<target>[^`]+)`"
)
REFERENCE = Path(__file__).resolve().parents[1] / "docs" / "reference"
_ENTRY = re.compile(r"^::: *(\S+)", flags=re.M)


def documented_entries(reference: Path = REFERENCE) -> frozenset[str]:
    """The names the reference pages render (``::: name`` lines)."""
    names: set[str] = set()
    for page in sorted(reference.glob("*.md")):
        names.update(_ENTRY.findall(page.read_text(encoding="utf-8")))
    return frozenset(names)


def _walk(obj: griffe.Object) -> Iterator[griffe.Object]:
    yield obj
    for member in obj.members.values():
        if not member.is_alias and isinstance(member, griffe.Object):
            yield from _walk(member)


def _scopes(obj: griffe.Object) -> Iterator[griffe.Object]:
    scope: griffe.Object | None = obj
    while scope is not None:
        yield scope
        scope = scope.parent


def _get(root: griffe.Object, path: str) -> Any:
    """The object ``path`` names in the loaded package (aliases resolved), None if none."""
    top, _, rest = path.partition(".")
    if top != root.name:
        return None
    current: Any = root
    try:
        for part in rest.split(".") if rest else ():
            current = current.members[part]
        return current.final_target if current.is_alias else current
    except (KeyError, AttributeError, griffe.AliasResolutionError, griffe.CyclicAliasError):
        return None


def public_paths(root: griffe.Object, entries: frozenset[str]) -> dict[str, str]:
    """The canonical path (``itsm_core.metrics._quantiles.QuantileStore``) of every documented
    entry of ``root``, to the entry (``itsm_core.metrics.QuantileStore``)."""
    out: dict[str, str] = {}
    for entry in sorted(entries):
        obj = _get(root, entry)
        if obj is not None:
            out.setdefault(obj.path, entry)
    return out


def _documented(canonical: str, public: dict[str, str]) -> str | None:
    """The rendered path of the object at ``canonical``: an entry, or a public member of one."""
    parts = canonical.split(".")
    for i in range(len(parts), 0, -1):
        entry = public.get(".".join(parts[:i]))
        if entry is not None:
            rest = parts[i:]
            return None if any(p.startswith("_") for p in rest) else ".".join([entry, *rest])
    return None


def resolve(
    obj: griffe.Object, root: griffe.Object, target: str, public: dict[str, str]
) -> str | None:
    """The documented path ``target`` names from ``obj``'s scope (innermost first, as Sphinx
    looks names up), None when it names nothing the reference renders."""
    name = target.removesuffix("()")
    for candidate in [name] + [f"{scope.path}.{name}" for scope in _scopes(obj)]:
        found = _get(root, candidate)
        if found is not None:
            return _documented(found.path, public)
    return None


def rewrite(text: str, obj: griffe.Object, root: griffe.Object, public: dict[str, str]) -> str:
    """``text`` with every role replaced by a cross-reference or inline code."""

    def replace(match: re.Match[str]) -> str:
        target = match["target"].strip()
        title, _, inner = target.partition("<")
        if inner.endswith(">"):  # :meth:`Title <a.b.C.m>`
            shown, target = title.strip(), inner[:-1].strip()
        else:
            shown = target.rsplit(".", 1)[-1] if match["tilde"] else target
        path = resolve(obj, root, target, public)
        return f"`{shown}`" if path is None else f"[`{shown}`][{path}]"

    return ROLE.sub(replace, text)


def fence_doctests(text: str) -> str:
    """``text`` with every doctest block (a ``>>>`` line and the non-blank lines after it) in a
    ``pycon`` code fence, at its own indentation, so it renders as code rather than as nested
    quotes."""
    out: list[str] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.lstrip().startswith(">>>"):
            out.append(line)
            i += 1
            continue
        indent = line[: len(line) - len(line.lstrip())]
        if out and out[-1].strip():
            out.append("")
        out.append(f"{indent}```pycon")
        while i < len(lines) and lines[i].strip():
            out.append(lines[i])
            i += 1
        out.append(f"{indent}```")
    return "\n".join(out)


class RestRoles(griffe.Extension):
    """Rewrite reST roles of every docstring of a loaded package (see the module docstring)."""

    def __init__(self, reference: str | None = None) -> None:
        super().__init__()
        self.entries = documented_entries(Path(reference) if reference else REFERENCE)

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        public = public_paths(pkg, self.entries)
        for obj in _walk(pkg):
            if obj.docstring is not None:
                value = rewrite(obj.docstring.value, obj, pkg, public)
                obj.docstring.value = fence_doctests(value) if ">>>" in value else value
