"""Rewrite the PUBLIC_API table of tests/test_public_api.py from the modules' current __all__.

Run after a deliberate change of the public surface, then read the diff: every added or removed
name is a user-visible change that belongs in CHANGELOG.md.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

TEST = Path(__file__).resolve().parents[1] / "tests" / "test_public_api.py"


def main() -> None:
    text = TEST.read_text(encoding="utf-8")
    tree = ast.parse(text)
    node = next(
        n
        for n in tree.body
        if isinstance(n, ast.AnnAssign)
        and isinstance(n.target, ast.Name)
        and n.target.id == "PUBLIC_API"
    )
    assert isinstance(node.value, ast.Dict)
    modules = [ast.literal_eval(key) for key in node.value.keys if key is not None]
    extra = re.findall(r"^# pin: (\S+)$", text, flags=re.M)
    lines = ["PUBLIC_API: dict[str, set[str]] = {"]
    for name in dict.fromkeys([*modules, *extra]):
        exported = sorted(importlib.import_module(name).__all__)
        lines.append(f'    "{name}": {{' if exported else f'    "{name}": set(),')
        if exported:
            lines.extend(f'        "{item}",' for item in exported)
            lines.append("    },")
    lines.append("}")
    source = text.splitlines(keepends=True)
    new = "".join(source[: node.lineno - 1]) + "\n".join(lines) + "\n"
    new += "".join(source[node.end_lineno :])
    TEST.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    main()
