"""Edits a test makes to a committed or generated CSV, to make it wrong in one known cell."""

from __future__ import annotations

from pathlib import Path


def add_to_first_row(path: Path, column: str, amount: int) -> None:
    """Adds `amount` to the whole number in `column` of the first data row of `path`."""
    header, first, *rest = path.read_text("utf-8").splitlines()
    cells = first.split(",")
    at = header.split(",").index(column)
    cells[at] = str(int(cells[at]) + amount)
    path.write_text("\n".join([header, ",".join(cells), *rest]) + "\n", "utf-8")
