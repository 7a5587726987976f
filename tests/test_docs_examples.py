"""Every ```python block in README.md and docs/ runs here, so the docs cannot rot.

The blocks of one page run in order in one namespace, the way a reader would type them. Output is
shown in ```text blocks, which are not run; claims are made with `assert` inside the blocks.
"""

from __future__ import annotations

import io
import re
import shlex
from pathlib import Path

import pytest

from itsm_core.cli import main

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
        # dont_inherit: run as typed, not under this module's `from __future__ import
        # annotations` (which would leave a page's annotations as strings pydantic cannot read).
        code = compile("\n" * (line - 1) + source, str(page), "exec", dont_inherit=True)
        try:
            exec(code, namespace)
        except Exception as error:
            raise AssertionError(f"code block at {label} failed: {error!r}") from error


# ---------------------------------------------------------------------------------------------
# Command-line examples. A block with a title, such as ```toml title="shanghai.toml", is a file
# the reader saves; a ```console block holds `$ itsm-core ...` commands, each followed by the
# output it prints (stdout, then stderr). The test writes a page's files into a temporary working
# directory (with `examples/` of the repository and `../shared` beside it, as in a clone), runs
# each command through `itsm_core.cli.main` there and compares the output exactly.

BLOCK = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)
TITLE = re.compile(r'title="([^"]+)"')
#: Commands shown for the reader to type but not run by the test (installing, cloning).
NOT_RUN = ("pip install", "python -m pip install", "git clone", "cd ", "make ")
SHARED = REPO_ROOT.parent / "shared"


def blocks(text: str) -> list[tuple[int, str, str | None, str]]:
    """Every fenced block: (line, language, title, body)."""
    out = []
    for m in BLOCK.finditer(text):
        title = TITLE.search(m.group(2))
        out.append(
            (
                text.count("\n", 0, m.start(3)) + 1,
                m.group(1),
                title.group(1) if title else None,
                m.group(3),
            )
        )
    return out


def console_commands(body: str) -> list[tuple[str, str]]:
    """The ``$ command`` lines of a console block, each with the output shown after it."""
    commands: list[tuple[str, list[str]]] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            commands.append((line[2:], []))
        elif commands:
            commands[-1][1].append(line)
        elif line.strip():
            raise AssertionError(f"console block starts with output, not a command: {line!r}")
    return [(command, "\n".join(lines)) for command, lines in commands]


def run_command(command: str) -> str:
    """Run one ``itsm-core`` command line (optionally ``| head -n N``) in the current
    directory; its stdout then stderr."""
    command, _, pipe = command.partition(" | ")
    argv = shlex.split(command)
    assert argv[0] == "itsm-core", f"only itsm-core commands run here: {command!r}"
    out, err = io.StringIO(), io.StringIO()
    main(argv[1:], stdout=out, stderr=err)
    text = out.getvalue() + err.getvalue()
    if pipe:
        head = shlex.split(pipe)
        assert head[:2] == ["head", "-n"], f"unsupported pipe {pipe!r}"
        assert len(head) == 3, f"unsupported pipe {pipe!r}"
        text = "".join(text.splitlines(keepends=True)[: int(head[2])])
    return text


def test_console_parser_pairs_commands_with_output() -> None:
    body = "$ itsm-core workflow\nincident\nproblem\n$ pip install itsm-core\n"
    assert console_commands(body) == [
        ("itsm-core workflow", "incident\nproblem"),
        ("pip install itsm-core", ""),
    ]
    assert blocks('```toml title="a.toml"\nx = 1\n```\n') == [(2, "toml", "a.toml", "x = 1\n")]


def test_run_command_compares_what_the_cli_prints() -> None:
    assert run_command("itsm-core workflow | head -n 2") == "change_emergency\nchange_normal\n"


PAGES_WITH_CONSOLE = [p for p in PAGES if "```console" in p.read_text(encoding="utf-8")]


def test_pages_with_console_blocks_are_found() -> None:
    assert PAGES_WITH_CONSOLE


@pytest.mark.parametrize("page", PAGES_WITH_CONSOLE, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_page_console_blocks_print_what_they_show(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "examples").symlink_to(REPO_ROOT / "examples")
    if SHARED.is_dir():
        (tmp_path / "shared").symlink_to(SHARED)
    monkeypatch.chdir(work)
    monkeypatch.setenv("COLUMNS", "100")  # argparse help wraps to the terminal width
    for line, language, title, body in blocks(page.read_text(encoding="utf-8")):
        if title is not None:
            (work / title).write_text(body, encoding="utf-8")
        if language != "console":
            continue
        for command, shown in console_commands(body):
            if command.startswith(NOT_RUN):
                continue
            if "../shared/" in command and not SHARED.is_dir():
                pytest.skip(f"{SHARED} is absent: the ServiceNow sample sits beside the clone")
            printed = run_command(command)
            label = f"{page.relative_to(REPO_ROOT)}:{line}"
            assert printed.rstrip("\n") == shown.rstrip("\n"), (
                f"{label}: `{command}` printed:\n{printed}"
            )
