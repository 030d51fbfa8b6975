"""A progress bar on stderr for long runs, only when stderr is a terminal."""

from __future__ import annotations

import sys
import time


class Progress:
    """Draw 'path [#####-----] 512/1,587 entries' on one line, at most ten times a second."""

    def __init__(self, total: int, label: str, stream=None):
        self.total = max(total, 1)
        self.label = label
        self.done = 0
        self.stream = stream or sys.stderr
        self.last = 0.0

    def advance(self, n: int) -> None:
        self.done += n
        now = time.monotonic()
        if now - self.last >= 0.1 or self.done >= self.total:
            self.last = now
            filled = int(30 * self.done / self.total)
            bar = "#" * filled + "-" * (30 - filled)
            self.stream.write(f"\r{self.label} [{bar}] {self.done:,}/{self.total:,} entries")
            self.stream.flush()

    def close(self) -> None:
        self.stream.write("\r" + " " * (len(self.label) + 60) + "\r")
        self.stream.flush()


def wanted(settings_progress: bool, entries: int) -> bool:
    """A bar is worth drawing for large inputs on an interactive stderr."""
    return settings_progress and entries >= 200 and sys.stderr.isatty()
