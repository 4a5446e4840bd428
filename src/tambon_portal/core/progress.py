"""Progress of long work. Two shapes, one rule for when a person is watching (`is_live`):

- `Progress`: a command made of stages (`tambon build`). The library says which stage it is
  in and what it did; the command line decides how to show it (`cli_progress`: a rich bar on
  a terminal, one line per finished stage otherwise). Stages are timed whether or not anyone
  watches, so the command can print what each took at the end.
- `RowProgress`: one long pass over rows (`tambon import`): a live line (stage, rows,
  seconds) redrawn in place on a terminal, and always one summary line at the end.

Nothing live is drawn when the stream is not a terminal (a log, a pipe) or in CI (`CI=true`,
as GitHub Actions sets it), where a line rewritten with carriage returns is only noise.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TextIO

REFRESH_SECONDS = 0.5  # how often the live line is redrawn at most
_CHECK_EVERY_ROWS = 1024  # rows between two looks at the clock (time.monotonic is not free)


def is_live(stream: TextIO) -> bool:
    """True when a person is watching: a terminal, and not a CI job."""
    in_ci = os.environ.get("CI", "").strip().lower() in ("true", "1")
    return not in_ci and hasattr(stream, "isatty") and stream.isatty()


@dataclass(frozen=True)
class StageTime:
    name: str
    seconds: float
    detail: str = ""  # e.g. "323 charts, 12 rendered"


@dataclass
class Progress:
    """Records stage timings and shows nothing; the CLI's reporters override the `on_*` hooks."""

    stages: list[StageTime] = field(default_factory=list)
    _detail: str = ""

    @contextlib.contextmanager
    def stage(self, name: str, total: int | None = None) -> Iterator[Progress]:
        started = time.perf_counter()
        self._detail = ""
        self.on_start(name, total)
        yield self
        seconds = time.perf_counter() - started
        self.stages.append(StageTime(name, seconds, self._detail))
        self.on_end(name, seconds, self._detail)

    def advance(self, count: int = 1) -> None:
        self.on_advance(count)

    def note(self, detail: str) -> None:
        """What the current stage did, in a few words (shown when it ends)."""
        self._detail = detail

    def on_start(self, name: str, total: int | None) -> None:
        pass

    def on_advance(self, count: int) -> None:
        pass

    def on_end(self, name: str, seconds: float, detail: str) -> None:
        pass


class RowProgress:
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
