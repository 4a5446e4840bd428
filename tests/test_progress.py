"""Progress on stderr: live for a person at a terminal, one summary line for everyone."""

from __future__ import annotations

import io
import re

import pytest

from tambon_portal import progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _run(stream: io.StringIO) -> str:
    work = progress.Progress("tambon import", stream=stream)
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
