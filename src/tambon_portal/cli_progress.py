"""How the command line shows `progress.Progress`: a live bar on a terminal, one plain line
per finished stage otherwise (CI logs, pipes), and a table of stage times at the end; and
`progress.RowProgress` as one live line of rows on a terminal, then a summary line."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from tambon_portal.core import lazy
from tambon_portal.core.progress import Progress, RowProgress, StageTime, is_live

# Imported on first use (core.lazy): only a build on a terminal draws a bar, and every command
# imports this module.
rich_console = lazy.module("rich.console")
rich_progress = lazy.module("rich.progress")

REFRESH_SECONDS = 0.5  # how often the live line of rows is redrawn at most
_CHECK_EVERY_ROWS = 1024  # rows between two looks at the clock (time.monotonic is not free)


class LineProgress(Progress):
    """One line per finished stage: quiet enough for CI, enough to see where time goes."""

    def __init__(self, command: str, stream: TextIO) -> None:
        super().__init__()
        self.command, self.stream = command, stream

    def on_end(self, name: str, seconds: float, detail: str) -> None:
        text = f" · {detail}" if detail else ""
        print(f"{self.command}: {name} {seconds:.1f} s{text}", file=self.stream, flush=True)


class BarProgress(Progress):
    """A rich progress bar per stage on a terminal; each stage leaves one line when done."""

    def __init__(self, command: str, stream: TextIO) -> None:
        super().__init__()
        self.command = command
        self.console = rich_console.Console(file=stream)
        self.bar = rich_progress.Progress(
            rich_progress.TextColumn("{task.description}"),
            rich_progress.BarColumn(),
            rich_progress.MofNCompleteColumn(),
            rich_progress.TimeElapsedColumn(),
            console=self.console,
            transient=True,
        )
        self.task: int | None = None

    def on_start(self, name: str, total: int | None) -> None:
        self.bar.start()
        self.task = self.bar.add_task(f"{self.command}: {name}", total=total)

    def on_advance(self, count: int) -> None:
        if self.task is not None:
            self.bar.advance(self.task, count)

    def on_end(self, name: str, seconds: float, detail: str) -> None:
        if self.task is not None:
            self.bar.remove_task(self.task)
            self.task = None
        self.bar.stop()
        text = f" · {detail}" if detail else ""
        self.console.print(f"{self.command}: {name} {seconds:.1f} s{text}", highlight=False)


def reporter(command: str, stream: TextIO | None = None) -> Progress:
    stream = stream or sys.stderr  # looked up now: tests and callers may have replaced it
    live = is_live(stream)
    return BarProgress(command, stream) if live else LineProgress(command, stream)


class RowLine(RowProgress):
    """A live line (stage, rows, seconds) redrawn in place on a terminal, nothing live in a
    log or CI; `finish()` always writes one summary line."""

    def __init__(self, command: str, stream: TextIO | None = None) -> None:
        super().__init__()
        self.command = command
        self.stream = stream if stream is not None else sys.stderr
        self.live = is_live(self.stream)
        self._drawn_at = 0.0
        self._width = 0  # of the last live line, to blank it out

    def stage(self, name: str) -> None:
        super().stage(name)
        self._draw()

    def rows(self, count: int) -> None:
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


def stage_table(stages: list[StageTime]) -> str:
    """The time each stage took, slowest first, for the end of a run."""
    total = sum(s.seconds for s in stages) or 1.0
    width = max((len(s.name) for s in stages), default=5)
    lines = [f"{'stage'.ljust(width)}  seconds  share"]
    for s in sorted(stages, key=lambda s: -s.seconds):
        lines.append(f"{s.name.ljust(width)}  {s.seconds:7.1f}  {100 * s.seconds / total:4.0f} %")
    return "\n".join(lines)
