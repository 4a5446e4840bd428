"""Progress of long work: stages timed in order and shown as lines in CI and bars on a
terminal; a row count live on a terminal, and one summary line for everyone."""

from __future__ import annotations

import io
import re

import pytest

from tambon_portal import cli_progress
from tambon_portal.core.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_stages_are_timed_in_order_with_what_they_did():
    progress = Progress()
    with progress.stage("load"):
        progress.note("3 packages")
    with progress.stage("charts", total=2):
        progress.advance()
        progress.advance()
    assert [(s.name, s.detail) for s in progress.stages] == [("load", "3 packages"), ("charts", "")]
    assert all(s.seconds >= 0 for s in progress.stages)


def test_in_ci_each_finished_stage_is_one_plain_line(monkeypatch):
    monkeypatch.setenv("CI", "true")
    stream = Terminal()
    progress = cli_progress.reporter("tambon build", stream)
    assert isinstance(progress, cli_progress.LineProgress)
    with progress.stage("load"):
        progress.note("3 packages")
    assert re.match(r"tambon build: load \d+\.\d s · 3 packages\n", stream.getvalue())


def test_on_a_terminal_a_bar_runs_and_each_stage_leaves_one_line(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    stream = Terminal()
    progress = cli_progress.reporter("tambon build", stream)
    assert isinstance(progress, cli_progress.BarProgress)
    with progress.stage("charts", total=3):
        for _ in range(3):
            progress.advance()
    assert re.search(r"tambon build: charts \d+\.\d s", stream.getvalue())  # seconds vary


def test_the_stage_table_lists_the_slowest_first():
    progress = Progress()
    for name in ("a", "b"):
        with progress.stage(name):
            pass
    progress.stages[1] = progress.stages[1].__class__("b", 3.0)
    table = cli_progress.stage_table(progress.stages).splitlines()
    assert table[0].split() == ["stage", "seconds", "share"]
    assert table[1].split()[0] == "b"


def _run(stream: io.StringIO) -> str:
    work = cli_progress.RowLine("tambon import", stream=stream)
    work.stage("reading v.csv")
    for count in range(1, 5000):
        work.rows(count)
    work.finish("4,999 rows of v.csv read; written")
    return re.sub(r"\d+(\.\d)? s\b", "T s", stream.getvalue())  # seconds vary


def test_a_terminal_sees_the_stage_and_rows_then_the_summary(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    out = _run(Terminal())
    assert out.startswith("\rtambon import: reading v.csv, T s")
    assert out.endswith("\rtambon import: 4,999 rows of v.csv read; written (T s)\n")


@pytest.mark.parametrize(("stream", "ci"), [(io.StringIO(), None), (Terminal(), "true")])
def test_a_log_or_ci_gets_only_the_summary_line(monkeypatch, stream, ci):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    assert _run(stream) == "tambon import: 4,999 rows of v.csv read; written (T s)\n"
