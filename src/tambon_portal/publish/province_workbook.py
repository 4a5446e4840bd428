"""The province's labelled BMN workbook (`labelled`), pieced together from each tambon's rows.

Why: the workbook holds every tambon's rows (137,000 rows, 160 MB of sheet XML at Bangkok's
180 tambons), and making it whole again after one tambon changed was about 13 s of a rebuild.
Each tambon package gives its rows of both sheets, labelled, written as sheet XML and compressed
apart (`pieced_zip`), kept by the package's digest and the row number its rows start at (the
downloads memo). After one tambon changed, only its rows are made again, and those of the
tambons after it if its row count changed (their row numbers moved).

The pieces join only when each tambon's rows follow the previous tambon's in the workbook's
order (`labelled.row_order`: tambon, village, year, indicator) and every value is one
`sheet_xml` writes; otherwise the workbook is written whole (`xlsx.sheets_xlsx_bytes`), with the
same cells. A village is named from its own tambon package's `villages` table either way.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tambon_portal.publish import labelled, sheet_xml
from tambon_portal.publish.download_files import Memo, Package, Table
from tambon_portal.publish.pieced_zip import Piece, piece
from tambon_portal.publish.xlsx import pieced_sheets_xlsx_bytes, row_templates, sheets_xlsx_bytes

LEVELS = tuple(level for level, _ in labelled.SHEETS)


@dataclass(frozen=True)
class Span:
    """What joining needs to know of one tambon's rows, per sheet (`LEVELS`)."""

    counts: tuple[int, ...]
    first: tuple[tuple | None, ...]  # `labelled.row_order` of its first and last row
    last: tuple[tuple | None, ...]


def cells(table: Table) -> list[dict[str, str]]:
    return [dict(zip(table.header, row, strict=False)) for row in table.rows]


def _cells_of(package: Package, name: str) -> list[dict[str, str]]:
    return [cell for t in package.tables if t.name == name for cell in cells(t)]


def member_rows(package: Package) -> dict[str, list[list]]:
    """The labelled rows of one tambon package, by sheet level, in the workbook's order."""
    villages = _cells_of(package, "villages")
    names = {r.get("village_code", ""): r.get("name_th", "") for r in villages}
    return labelled.bmn_rows(_cells_of(package, labelled.BMN_RESOURCE), names)


def span(rows: dict[str, list[list]]) -> Span:
    return Span(
        counts=tuple(len(rows[level]) for level in LEVELS),
        first=tuple(labelled.row_order(rows[v][0]) if rows[v] else None for v in LEVELS),
        last=tuple(labelled.row_order(rows[v][-1]) if rows[v] else None for v in LEVELS),
    )


def in_order(spans: Sequence[Span]) -> bool:
    """Each tambon's rows come after the rows of the tambons before it, in every sheet."""
    for sheet in range(len(LEVELS)):
        ends = [(s.first[sheet], s.last[sheet]) for s in spans if s.counts[sheet]]
        if any(last > first for (_, last), (first, _) in itertools.pairwise(ends)):
            return False
    return True


def first_rows(spans: Sequence[Span]) -> list[tuple[int, ...]]:
    """The row number each tambon's rows start at, per sheet: row 1 is the header."""
    starts, at = [], [2] * len(LEVELS)
    for each in spans:
        starts.append(tuple(at))
        at = [n + count for n, count in zip(at, each.counts, strict=True)]
    return starts


def pieces(rows: dict[str, list[list]], first: tuple[int, ...]) -> tuple[Piece, ...] | None:
    """One tambon's rows of each sheet, numbered from `first` on and compressed; None when a
    value is one `sheet_xml` does not write (the workbook is then written whole)."""
    made = []
    for level, number in zip(LEVELS, first, strict=True):
        if (templates := row_templates(rows[level])) is None:
            return None
        made.append(piece(sheet_xml.numbered(templates, number).encode("ascii")))
    return tuple(made)


def labelled_workbook(keys: Sequence[str], load: Callable[[int], Package], memo: Memo) -> bytes:
    """The workbook of the tambon packages `load(i)` whose digests are `keys`, in the order
    of their tambon codes."""
    spans = memo([("labelled-span", k) for k in keys],
                 lambda missing: [span(member_rows(load(i))) for i in missing])  # fmt: skip
    if in_order(spans) and (pieced := _pieced(keys, load, memo, spans)) is not None:
        return pieced
    rows = labelled.merged_rows([member_rows(load(i)) for i in range(len(keys))])
    return sheets_xlsx_bytes(labelled.bmn_sheets(rows))


def _pieced(keys: Sequence[str], load: Callable[[int], Package], memo: Memo,
            spans: Sequence[Span]) -> bytes | None:  # fmt: skip
    """The workbook joined from each tambon's kept pieces; None where one cannot be pieced."""
    starts = first_rows(spans)
    made = memo(
        [("labelled-rows", k, starts[i]) for i, k in enumerate(keys)],
        lambda missing: [pieces(member_rows(load(i)), starts[i]) for i in missing],
    )
    if any(m is None for m in made):
        return None
    sheets = [(title, labelled.COLUMNS, [m[sheet] for m in made],
               sum(s.counts[sheet] for s in spans), labelled.NOTE)
              for sheet, (_, title) in enumerate(labelled.SHEETS)]  # fmt: skip
    return pieced_sheets_xlsx_bytes(sheets)
