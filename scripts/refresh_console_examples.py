"""Rewrite the output shown in the ```console blocks of docs pages by running each command.

Usage: ``python scripts/refresh_console_examples.py docs/cli.md [more pages]``. The test suite
(tests/test_docs_examples.py) then checks that the page shows exactly what the commands print;
read the diff before committing it.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "tests"))

import test_docs_examples as docs  # noqa: E402


def refresh(page: Path) -> None:
    """Run the page's commands in a scratch directory laid out like the test's."""
    text = page.read_text(encoding="utf-8")
    scratch = Path(tempfile.mkdtemp())
    work = scratch / "work"
    work.mkdir()
    (work / "examples").symlink_to(REPO_ROOT / "examples")
    if docs.SHARED.is_dir():
        (scratch / "shared").symlink_to(docs.SHARED)
    here = Path.cwd()
    os.chdir(work)
    try:
        out: list[str] = []
        position = 0
        for match in docs.BLOCK.finditer(text):
            language, attributes, body = match.group(1), match.group(2), match.group(3)
            title = docs.TITLE.search(attributes)
            if title:
                (work / title.group(1)).write_text(body, encoding="utf-8")
            if language != "console":
                continue
            lines: list[str] = []
            for command, _ in docs.console_commands(body):
                lines.append(f"$ {command}")
                if not command.startswith(docs.NOT_RUN):
                    printed = docs.run_command(command).rstrip("\n")
                    if printed:
                        lines.append(printed)
            out += [text[position : match.start(3)], "\n".join(lines) + "\n"]
            position = match.end(3)
        out.append(text[position:])
    finally:
        os.chdir(here)
    page.write_text("".join(out), encoding="utf-8")


if __name__ == "__main__":
    for name in sys.argv[1:]:
        refresh(Path(name).resolve())
