"""Typed frames made from the text `fastcheck` read, equal to those `load_table` gives.

The project checks (`tambon_checks`) need each table as `table_reader.load_table` types it;
the fast path has already read every cell, so the frame is made from those cells instead of
reading the file a second time. Only what is certain to come out the same is made here: a
table pandas' C parser would split into the same cells (`CheckedTable.plain`), text columns and
integers written plainly; numbers, booleans and integers written another way (" 12", "1_000")
are typed by `table_reader.type_column` itself. tests/test_fastcheck.py compares the frames.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from tambon_portal.packages import table_reader


@dataclass(frozen=True)
class CheckedTable:
    """One resource the fast path read: its header and its data rows, as text."""

    header: list[str]
    rows: list[list[str]]
    # pandas' C parser (table_reader.load_table) splits the text into these same cells.
    plain: bool
    columns: list[Sequence[str]]  # the rows' cells by column, in header order


# An integer cell pandas and Python read alike (after Thai digits), exact as a float below
# 2**53 and in Int64; any other way of writing one is left to table_reader.type_column.
_PLAIN_INTEGER = re.compile(r"-?[0-9]{1,15}")
_INTEGER_TYPES = ("integer", "year")
_TYPED_BY_PANDAS = ("number", "boolean")  # left to table_reader.type_column


def typed_frame(table: CheckedTable, schema: dict) -> pd.DataFrame | None:
    """The frame `table_reader.load_table` gives for this table, without reading the file again;
    None when it cannot be sure of giving the same (then load it)."""
    if not table.plain or not table.rows:
        return None
    columns = {}
    for field, cells in zip(schema["fields"], table.columns, strict=True):
        missing = set(table_reader.missing_values(schema, field))
        columns[field["name"]] = _typed_column(field, cells, missing)
    return pd.DataFrame(columns, copy=False)  # the arrays were made for it: no copy


def _typed_column(field: dict, cells: Sequence[str], missing: set[str]) -> Any:
    kind = field.get("type", "string")
    if kind in _INTEGER_TYPES and field.get("bareNumber", True) is not False:
        integers = _plain_integers(cells, missing)
        if integers is not None:
            return integers
    elif kind not in _INTEGER_TYPES and kind not in _TYPED_BY_PANDAS:
        return pd.array([None if c in missing else c for c in cells], dtype="str")
    return table_reader.type_column(pd.Series(cells, dtype="str"), field, sorted(missing))


def _plain_integers(cells: Sequence[str], missing: set[str]) -> Any:
    """The column as Int64 (missing cells <NA>), each distinct text read once; None when a
    cell is not a plain integer."""
    codes, uniques = pd.factorize(np.asarray(cells, dtype=object))
    values = [None if text in missing else _plain_integer(text) for text in uniques]
    if any(value is _NOT_PLAIN for value in values):
        return None
    data = np.array([0 if v is None else v for v in values], dtype=np.int64).take(codes)
    mask = np.array([v is None for v in values], dtype=bool).take(codes)
    return pd.arrays.IntegerArray(data, mask)


_NOT_PLAIN = object()


@functools.lru_cache(maxsize=1 << 16)  # the pilots' counts repeat from package to package
def _plain_integer(text: str) -> Any:
    """The integer a plain integer cell holds (Thai digits too), else _NOT_PLAIN."""
    digits = text.translate(table_reader.THAI_DIGITS)
    return int(digits) if _PLAIN_INTEGER.fullmatch(digits) else _NOT_PLAIN
