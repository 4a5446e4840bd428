"""How the command line shows `progress.Progress`: a live bar on a terminal, one plain line
per finished stage otherwise (CI logs, pipes), and a table of stage times at the end."""

from __future__ import annotations

import sys
from typing import TextIO

from tambon_portal.core import lazy
from tambon_portal.core.progress import Progress, StageTime, is_live

# Imported on first use (core.lazy): only a build on a terminal draws a bar, and every command
# imports this module.
rich_console = lazy.module("rich.console")
rich_progress = lazy.module("rich.progress")


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


def stage_table(stages: list[StageTime]) -> str:
    """The time each stage took, slowest first, for the end of a run."""
    total = sum(s.seconds for s in stages) or 1.0
    width = max((len(s.name) for s in stages), default=5)
    lines = [f"{'stage'.ljust(width)}  seconds  share"]
    for s in sorted(stages, key=lambda s: -s.seconds):
        lines.append(f"{s.name.ljust(width)}  {s.seconds:7.1f}  {100 * s.seconds / total:4.0f} %")
    return "\n".join(lines)
