"""Every ```python block in README.md and docs/ runs here, so the docs cannot rot.

The blocks of one page run in order in one namespace, the way a reader would type them. Output is
shown in ```text blocks, which are not run; claims are made with `assert` inside the blocks.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted([REPO_ROOT / "README.md", *(REPO_ROOT / "docs").rglob("*.md")])
FENCE = re.compile(r"^```python[^\n]*\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)


def python_blocks(text: str) -> list[tuple[int, str]]:
    """The ```python blocks of a Markdown text, each with the line number it starts on."""
    return [(text.count("\n", 0, m.start(1)) + 1, m.group(1)) for m in FENCE.finditer(text)]


def test_fence_parser_finds_blocks_and_their_lines() -> None:
    text = "# t\n\n```python\nx = 1\n```\n\n```text\nno\n```\n```python\ny = x\n```\n"
    assert python_blocks(text) == [(4, "x = 1\n"), (11, "y = x\n")]


def test_pages_with_python_blocks_are_found() -> None:
    assert any(python_blocks(page.read_text(encoding="utf-8")) for page in PAGES)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_page_code_blocks_run(page: Path) -> None:
    namespace: dict[str, object] = {"__name__": f"docs:{page.name}"}
    for line, source in python_blocks(page.read_text(encoding="utf-8")):
        label = f"{page.relative_to(REPO_ROOT)}:{line}"
        code = compile("\n" * (line - 1) + source, str(page), "exec")
        try:
            exec(code, namespace)
        except Exception as error:
            raise AssertionError(f"code block at {label} failed: {error!r}") from error
