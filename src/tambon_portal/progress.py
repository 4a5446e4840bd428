"""Progress of long work on stderr: a live line (stage, rows, seconds) for a person at a
terminal, and always one summary line at the end.

The live line is left out when stderr is not a terminal (a log, a pipe) or in CI (`CI=true`,
as GitHub Actions sets it), where a line rewritten with carriage returns is only noise.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

REFRESH_SECONDS = 0.5  # how often the live line is redrawn at most
_CHECK_EVERY_ROWS = 1024  # rows between two looks at the clock (time.monotonic is not free)


def is_live(stream: TextIO) -> bool:
    """True when a person is watching: a terminal, and not a CI job."""
    in_ci = os.environ.get("CI", "").strip().lower() in ("true", "1")
    return not in_ci and hasattr(stream, "isatty") and stream.isatty()


class Progress:
    """`stage()` names the step, `rows()` counts what it has done, `finish()` sums it up."""

    def __init__(self, command: str, stream: TextIO | None = None) -> None:
        self.command = command
        self.stream = stream if stream is not None else sys.stderr
        self.live = is_live(self.stream)
        self.started = time.monotonic()
        self.stage_name = ""
        self.count = 0
        self._drawn_at = 0.0
        self._width = 0  # of the last live line, to blank it out

    def seconds(self) -> float:
        return time.monotonic() - self.started

    def stage(self, name: str) -> None:
        self.stage_name = name
        self._draw()

    def rows(self, count: int) -> None:
        """The number of rows done so far in this stage; cheap enough to call for every row."""
        self.count = count
        if self.live and count % _CHECK_EVERY_ROWS == 0:
            now = time.monotonic()
            if now - self._drawn_at >= REFRESH_SECONDS:
                self._draw(now)

    def finish(self, summary: str, timed: bool = True) -> None:
        """Clears the live line and writes the summary (with the total time) on its own line."""
        self._clear()
        took = f" ({self.seconds():.1f} s)" if timed else ""
        print(f"{self.command}: {summary}{took}", file=self.stream, flush=True)

    def _draw(self, now: float | None = None) -> None:
        if not self.live:
            return
        self._drawn_at = now if now is not None else time.monotonic()
        rows = f", {self.count:,} rows" if self.count else ""
        line = f"{self.command}: {self.stage_name}{rows}, {self.seconds():.0f} s"
        self.stream.write("\r" + line.ljust(self._width))
        self.stream.flush()
        self._width = len(line)

    def _clear(self) -> None:
        if self.live and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self._width = 0
