"""Progress of long work: the library says which stage it is in and how far it got; the
command line decides how (and whether) to show it (`cli_progress`).

A stage is timed whether or not anyone watches, so `tambon build` can print what each stage
took at the end.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field


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
