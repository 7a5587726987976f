"""A progress bar on stderr for long files: a line redrawn in place, at most ten times a second."""

from __future__ import annotations

import time
from typing import TextIO


class ProgressBar:
    """``bar(done, total)`` redraws ``label [#####.....]  52%``; ``close()`` ends the line.

    When disabled, every call does nothing, so callers need not ask.
    """

    WIDTH = 30

    def __init__(self, stream: TextIO, *, enabled: bool, interval: float = 0.1) -> None:
        self.stream = stream
        self.enabled = enabled
        self.interval = interval
        self.label = ""
        self._last = float("-inf")
        self._drawn = False
        self._shown = ""

    def phase(self, label: str) -> None:
        """Start a new phase (``reading``, ``replaying``...)."""
        self.label = label
        self._last = float("-inf")

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if done < total and now - self._last < self.interval:
            return
        self._last = now
        share = done / total if total > 0 else 1.0
        filled = round(share * self.WIDTH)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        shown = f"\r{self.label:<10} [{bar}] {share:4.0%}"
        if shown != self._shown:
            self.stream.write(shown)
            self.stream.flush()
            self._shown, self._drawn = shown, True

    def close(self) -> None:
        """End the bar's line (if one was drawn)."""
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False
