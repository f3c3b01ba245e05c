"""A progress bar for long builds, on a terminal only (never in CI logs or when stderr is piped)."""

from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 30


class ProgressBar:
    """Called as progress(done, total) while briefs are processed; redraws at most ten times a second."""

    def __init__(self, stream: TextIO | None = None, label: str = "briefs") -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.label = label
        self.shown = False
        self.last = 0.0

    @staticmethod
    def wanted(stream: TextIO | None = None) -> bool:
        stream = stream if stream is not None else sys.stderr
        return bool(getattr(stream, "isatty", lambda: False)())

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.last < 0.1:
            return
        self.last = now
        filled = WIDTH * done // max(total, 1)
        bar = "█" * filled + "░" * (WIDTH - filled)
        self.stream.write(f"\r{bar} {done:,}/{total:,} {self.label}")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False
