"""Outside data that once escaped the knowledge base as something other than an ItsmError:
numbers of thousands of digits (in values, keys and error messages), non-string keys, values
that are not mappings, and category trees nested deeper than Python's recursion limit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from itsm_core.errors import DeserializationError, ItsmError, ValidationError
from itsm_core.knowledge import Bm25, CategoryTree, GapPolicy, SearchQuery, TicketFacts

HUGE = 10**5000  # repr() and str() of it raise ValueError
TOO_LARGE = "an integer of about 5001 digits"


def _problems(read: Callable[[Any], object], data: object) -> list[tuple[str, str]]:
    with pytest.raises(ItsmError) as caught:
        read(data)
    assert isinstance(caught.value, ValidationError)
    return [(p.path, p.message) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({HUGE: {}}, [(TOO_LARGE, f"{TOO_LARGE} is not a category name")]),
        ({"a": {HUGE: 1}}, [("a", f"unknown keys: {TOO_LARGE}")]),
        (
            {"a": {"children": {HUGE: {}}}},
            [(f"a.children.{TOO_LARGE}", f"{TOO_LARGE} is not a category name")],
        ),
        (
            {"a": {"children": [HUGE]}},
            [("a.children", "expected a mapping of categories, got list")],
        ),
        ([HUGE], [("", "expected a mapping of categories, got list")]),
        ({"a": {"label": HUGE}}, [("a.label", "must be a non-empty string")]),
    ],
)
def test_category_data_with_huge_numbers(data: object, expected: list[tuple[str, str]]) -> None:
    assert _problems(CategoryTree.from_dict, data) == expected


def test_a_category_tree_nested_deeper_than_the_recursion_limit_is_read() -> None:
    data: dict[str, Any] = {}
    node = data
    for _ in range(3000):
        node["a"] = {"children": {}}
        node = node["a"]["children"]
    tree = CategoryTree.from_dict(data)
    assert len(tree.paths) == 3000
    node["b/c"] = {}  # a bad name at the bottom is reported with its whole path
    ((path, message),) = _problems(CategoryTree.from_dict, data)
    assert path == "a" + ".children.a" * 2999 + ".children.b/c"
    assert message == "'b/c' is not a category name"


def test_a_category_tree_built_directly_with_a_huge_key() -> None:
    assert _problems(CategoryTree, {HUGE: "x"}) == [
        (f"labels[{TOO_LARGE}]", f"{TOO_LARGE} is not a string")
    ]


@pytest.mark.parametrize(
    ("read", "data", "expected"),
    [
        (Bm25.from_dict, {HUGE: 1}, [(TOO_LARGE, "unknown key")]),
        (Bm25.from_dict, {"k1": HUGE}, [("k1", f"must be a finite number, got {TOO_LARGE}")]),
        (Bm25.from_dict, [1], [("", "expected a mapping, got list")]),
        (GapPolicy.from_dict, None, [("", "expected a mapping, got NoneType")]),
        (GapPolicy.from_dict, {3: 1, "x": 2}, [("3", "unknown key"), ("x", "unknown key")]),
        (
            GapPolicy.from_dict,
            {"max_tickets_per_article": HUGE},
            [("max_tickets_per_article", f"must be a positive number, got {TOO_LARGE}")],
        ),
    ],
)
def test_settings_data_is_refused_with_every_problem(
    read: Callable[[Any], object], data: object, expected: list[tuple[str, str]]
) -> None:
    with pytest.raises(DeserializationError):
        read(data)
    assert _problems(read, data) == expected


@pytest.mark.parametrize(
    ("build", "path"),
    [
        (lambda v: SearchQuery(text=v), "text"),
        (lambda v: SearchQuery(text="x", tags={v}), "tags"),
        (lambda v: SearchQuery(text="x", statuses={v}), "statuses"),
        (lambda v: TicketFacts(ticket_id=v), "ticket_id"),
        (lambda v: TicketFacts(ticket_id="INC-1", symptom=v), "symptom"),
    ],
)
def test_values_with_huge_numbers_name_the_field(build: Callable[[Any], object], path: str) -> None:
    problems = _problems(build, HUGE)
    assert [p for p, _ in problems] == [path]
    assert TOO_LARGE in problems[0][1]
