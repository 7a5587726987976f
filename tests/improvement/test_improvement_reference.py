"""The reference page lists every public name of ``itsm_core.improvement`` once, and no other."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import itsm_core.improvement

PAGE = Path(__file__).resolve().parents[2] / "docs" / "reference" / "improvement.md"


def test_the_reference_lists_every_public_name_once() -> None:
    listed = re.findall(r"^::: itsm_core\.improvement\.(\w+)$", PAGE.read_text("utf-8"), re.M)
    assert [name for name, count in Counter(listed).items() if count > 1] == []
    assert set(listed) == set(itsm_core.improvement.__all__)
