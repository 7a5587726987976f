"""Packaging promises: typed, and runtime dependencies kept to the chosen few."""

from __future__ import annotations

import importlib.resources
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def test_package_ships_py_typed_marker() -> None:
    assert importlib.resources.files("itsm_core").joinpath("py.typed").is_file()


def test_runtime_dependencies_are_the_chosen_few() -> None:
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    names = {
        dep.split(">")[0].split("=")[0].split("[")[0].strip() for dep in project["dependencies"]
    }
    # Adding one is a decision: say why in CHANGELOG.md, then update this set.
    assert names == {"attrs", "cattrs", "python-dateutil", "tzdata"}


def test_optional_extras_exist() -> None:
    extras = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]
    assert {"testing", "holidays", "numpy", "dev"} <= set(extras)
