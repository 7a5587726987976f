"""`make demo`: a helpdesk day walked through the public API of itsm_core.

Each section lives in a sibling module `_demo_<name>.py` with a `show()` function, added as its
module lands. The output is deterministic: no clock, no randomness.
"""

from __future__ import annotations

import itsm_core


def banner(title: str) -> None:
    """Print a section title."""
    print()
    print(title)
    print("=" * len(title))


def main() -> None:
    """Run every section of the demo in order."""
    print(f"itsm_core {itsm_core.__version__}: a helpdesk day through the public API")
    sections: list[tuple[str, object]] = []
    for title, show in sections:
        banner(title)
        assert callable(show)
        show()


if __name__ == "__main__":
    main()
