"""Progress of long work. Two shapes, one rule for when a person is watching (`is_live`):

- `Progress`: a command made of stages (`tambon build`). The library says which stage it is
  in and what it did; the command line decides how to show it (`cli_progress`: a rich bar on
  a terminal, one line per finished stage otherwise). Stages are timed whether or not anyone
  watches, so the command can print what each took at the end.
- `RowProgress`: one long pass over rows (`tambon import`): the library says which stage it
  is in and how many rows it has done; the command line (`cli_progress.RowLine`) redraws a
  live line (stage, rows, seconds) in place on a terminal, and always ends with one summary.

Nothing live is drawn when the stream is not a terminal (a log, a pipe) or in CI (`CI=true`,
as GitHub Actions sets it), where a line rewritten with carriage returns is only noise.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TextIO


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
    """`stage()` names the step, `rows()` counts what it has done; shows nothing (what a
    library call gets by default). `cli_progress.RowLine` draws it for the command line."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.stage_name = ""
        self.count = 0

    def seconds(self) -> float:
        return time.monotonic() - self.started

    def stage(self, name: str) -> None:
        self.stage_name = name

    def rows(self, count: int) -> None:
        """The number of rows done so far in this stage; cheap enough to call for every row."""
        self.count = count
