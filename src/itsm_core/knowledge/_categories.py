"""The category tree: categories as slash paths (``network/vpn``), with labels, as data."""

from __future__ import annotations

import types
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from itsm_core._plain import shown
from itsm_core.errors import DeserializationError, Problem, ValidationError

SEPARATOR = "/"


def category_problems(path: object, where: str) -> list[Problem]:
    """Why ``path`` is not a category path (``"network/vpn"``), or an empty list.

    A path is one or more non-empty segments joined by ``/``, without surrounding whitespace.
    """
    if not isinstance(path, str):
        return [Problem(where, f"{shown(path)} is not a string")]
    segments = path.split(SEPARATOR)
    if any(not segment or segment != segment.strip() for segment in segments):
        return [
            Problem(
                where,
                f"{path!r} is not a category path (non-empty segments joined by '/', "
                "no surrounding spaces)",
            )
        ]
    return []


def parent_of(path: str) -> str | None:
    """The parent category of ``path``, or None for a top-level category.

    >>> parent_of("network/vpn"), parent_of("network")
    ('network', None)
    """
    head, separator, _ = path.rpartition(SEPARATOR)
    return head if separator else None


def within(path: str, category: str) -> bool:
    """True when ``path`` is ``category`` or one of its descendants.

    >>> within("network/vpn", "network"), within("networking", "network")
    (True, False)
    """
    return path == category or path.startswith(category + SEPARATOR)


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _labels(value: Mapping[str, str]) -> Mapping[str, str]:
    return types.MappingProxyType(dict(sorted(value.items(), key=lambda item: _name(item[0]))))


def _name(key: object) -> str:
    """A mapping key as it appears in a path: the string itself, else its representation."""
    return key if isinstance(key, str) else shown(key)


@attrs.frozen
class CategoryTree:
    """The categories of a knowledge base: each path with a display label; parents first.

    Every category's parent must be in the tree too, so the tree has no orphans. Build it from
    nested plain data with :meth:`from_dict`; :meth:`to_dict` gives the same data back.

    >>> tree = CategoryTree.from_dict(
    ...     {"network": {"label": "网络 Network", "children": {"vpn": {"label": "VPN"}}}}
    ... )
    >>> tree.paths
    ('network', 'network/vpn')
    >>> tree.label("network/vpn"), tree.subtree("network")
    ('VPN', ('network', 'network/vpn'))
    """

    labels: Mapping[str, str] = attrs.field(converter=_labels)

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        for path, label in self.labels.items():
            where = f"labels[{shown(path)}]"
            found = category_problems(path, where)
            problems.extend(found)
            if found:
                continue
            parent = parent_of(path)
            if parent is not None and parent not in self.labels:
                problems.append(Problem(where, f"parent category {parent!r} is not in the tree"))
            if not _is_text(label):
                problems.append(Problem(where, "the label must be a non-empty string"))
        if problems:
            raise ValidationError("CategoryTree", problems)

    @property
    def paths(self) -> tuple[str, ...]:
        """Every category path, sorted (so each parent comes before its children)."""
        return tuple(self.labels)

    def __contains__(self, path: object) -> bool:
        return path in self.labels

    def label(self, path: str) -> str:
        """The display label of ``path``; ValidationError for an unknown category."""
        self.require(path, "category")
        return self.labels[path]

    def require(self, path: str, where: str) -> None:
        """Raise ValidationError unless ``path`` is a category of this tree."""
        if path not in self.labels:
            raise ValidationError(where, [Problem(where, f"unknown category {shown(path)}")])

    def subtree(self, path: str) -> tuple[str, ...]:
        """``path`` and every category below it, sorted."""
        self.require(path, "category")
        return tuple(p for p in self.labels if within(p, path))

    def children(self, path: str | None = None) -> tuple[str, ...]:
        """The direct children of ``path`` (the top-level categories for None), sorted."""
        if path is not None:
            self.require(path, "category")
        return tuple(p for p in self.labels if parent_of(p) == path)

    # -- data ------------------------------------------------------------------------------

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CategoryTree:
        """Build from nested data ``{segment: {"label": str, "children": {...}}}``.

        A missing label defaults to the segment itself. Every problem is reported at once in
        one :class:`~itsm_core.errors.DeserializationError`.
        """
        labels: dict[str, str] = {}
        problems: list[Problem] = []
        _walk(data, labels, problems)
        if problems:
            raise DeserializationError("CategoryTree", problems)
        return cls(labels)

    def to_dict(self) -> dict[str, Any]:
        """The nested plain data :meth:`from_dict` reads."""
        root: dict[str, Any] = {}
        nodes: dict[str, dict[str, Any]] = {}
        for path, label in self.labels.items():
            parent = parent_of(path)
            siblings = root if parent is None else nodes[parent].setdefault("children", {})
            node: dict[str, Any] = {"label": label}
            siblings[path.rpartition(SEPARATOR)[2]] = node
            nodes[path] = node
        return root


def _walk(data: object, labels: dict[str, str], problems: list[Problem]) -> None:
    """Read nested categories depth first, parents before their children, without recursion
    (a tree nested thousands deep is read, not a RecursionError)."""
    if not isinstance(data, Mapping):
        problems.append(Problem("", f"expected a mapping of categories, got {shown(data)}"))
        return
    stack: list[tuple[str | None, str, Iterator[tuple[object, object]]]] = [
        (None, "", iter(data.items()))
    ]
    while stack:
        parent, where, items = stack[-1]
        item = next(items, None)
        if item is None:
            stack.pop()
            continue
        segment, node = item
        here = f"{where}.{_name(segment)}" if where else _name(segment)
        if not isinstance(segment, str) or SEPARATOR in segment or category_problems(segment, ""):
            problems.append(Problem(here, f"{shown(segment)} is not a category name"))
            continue
        if not isinstance(node, Mapping):
            problems.append(Problem(here, f"expected a mapping with 'label', got {shown(node)}"))
            continue
        unknown = sorted(_name(key) for key in node if key not in {"label", "children"})
        if unknown:
            problems.append(Problem(here, f"unknown keys: {', '.join(unknown)}"))
        path = segment if parent is None else f"{parent}{SEPARATOR}{segment}"
        label = node.get("label", segment)
        if not isinstance(label, str) or not label.strip():
            problems.append(Problem(f"{here}.label", "must be a non-empty string"))
        else:
            labels[path] = label
        children = node.get("children", {})
        if isinstance(children, Mapping):
            stack.append((path, f"{here}.children", iter(children.items())))
        else:
            problems.append(
                Problem(
                    f"{here}.children",
                    f"expected a mapping of categories, got {shown(children)}",
                )
            )
