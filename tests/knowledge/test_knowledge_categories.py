"""The category tree: paths, labels, validation of every problem, plain-data round trip."""

from __future__ import annotations

import pytest

from itsm_core.errors import DeserializationError, ValidationError
from itsm_core.knowledge import CategoryTree

DATA = {
    "network": {
        "label": "网络 Network",
        "children": {"vpn": {"label": "VPN"}, "wifi": {"label": "无线 WiFi"}},
    },
    "accounts": {"label": "账号 Accounts"},
    "hardware": {"children": {"printer": {"label": "打印机 Printer"}}},
}


def test_tree_paths_labels_children_and_subtrees() -> None:
    tree = CategoryTree.from_dict(DATA)
    assert tree.paths == (
        "accounts",
        "hardware",
        "hardware/printer",
        "network",
        "network/vpn",
        "network/wifi",
    )
    assert tree.label("network/wifi") == "无线 WiFi"
    assert tree.label("hardware") == "hardware"  # the label defaults to the name
    assert tree.children() == ("accounts", "hardware", "network")
    assert tree.children("network") == ("network/vpn", "network/wifi")
    assert tree.subtree("network") == ("network", "network/vpn", "network/wifi")
    assert "network/vpn" in tree
    assert "network/lan" not in tree
    assert CategoryTree.from_dict(tree.to_dict()) == tree
    assert tree.to_dict()["hardware"] == {
        "label": "hardware",
        "children": {"printer": {"label": "打印机 Printer"}},
    }


def test_unknown_categories_are_named() -> None:
    tree = CategoryTree.from_dict(DATA)
    for call in (tree.label, tree.subtree, tree.children):
        with pytest.raises(ValidationError, match="unknown category 'email'"):
            call("email")


def test_loading_reports_every_problem_with_its_path() -> None:
    with pytest.raises(DeserializationError) as caught:
        CategoryTree.from_dict(
            {
                "network": {"label": "", "children": {"a/b": {}, "vpn": "VPN"}, "icon": "x"},
                " x": {},
                "ok": {"children": ["not", "a", "mapping"]},
            }
        )
    assert [(p.path, p.message) for p in caught.value.problems] == [
        ("network", "unknown keys: icon"),
        ("network.label", "must be a non-empty string"),
        ("network.children.a/b", "'a/b' is not a category name"),
        ("network.children.vpn", "expected a mapping with 'label', got 'VPN'"),
        (" x", "' x' is not a category name"),
        ("ok.children", "expected a mapping of categories, got ['not', 'a', 'mapping']"),
    ]


def test_a_tree_without_parents_or_with_bad_paths_cannot_exist() -> None:
    with pytest.raises(ValidationError) as caught:
        CategoryTree({"network/vpn": "VPN", "a//b": "x", "ok": " ", 7: "seven"})  # type: ignore[dict-item]
    assert [p.message for p in caught.value.problems] == [
        "7 is not a string",
        "'a//b' is not a category path (non-empty segments joined by '/', no surrounding spaces)",
        "parent category 'network' is not in the tree",
        "the label must be a non-empty string",
    ]
