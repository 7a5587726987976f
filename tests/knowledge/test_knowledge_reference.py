"""The reference page lists every public name of the package once, and nothing else."""

from __future__ import annotations

import re
from pathlib import Path

import itsm_core.knowledge

PAGE = Path(__file__).resolve().parents[2] / "docs" / "reference" / "knowledge.md"


def test_the_reference_lists_every_public_name_once() -> None:
    entries = re.findall(r"^::: itsm_core\.knowledge\.(\w+)$", PAGE.read_text("utf-8"), re.M)
    assert sorted(entries) == sorted(itsm_core.knowledge.__all__)
