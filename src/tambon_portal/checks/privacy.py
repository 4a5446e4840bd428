"""The personal-data scan: cells, columns and descriptor text that must never be published.

It runs on every package, tambon or generic, over the raw CSV text (before any typing), so
that what is checked is exactly what would be published (docs/architecture.md §4). Detectors are
deliberately narrow, so that the real third-party packages in the conformance set and the
pilot packages come out clean:

- national-id: a 13-digit number with a valid checksum (Thai digits too), anywhere;
- phone-number: a Thai number's shape, written 081-234-5678, 081.234.5678, (081) 234 5678,
  +66 81 234 5678 or in Thai digits, anywhere;
- email: an e-mail address, anywhere;
- person-name: a person-name column (first_name, ชื่อ - สกุล, ...), a title and two names
  (นายสมชาย ใจดี, Mr. John Smith) anywhere, and two Thai words with no place word in front
  (สมชาย ใจดี) in the "name" column of a place or code list (Thai place names are one word:
  บ้านท่าไร่; they start with a place word when they are not: บ้านนา ใต้);
- house-number, household-id, birth-date, social-handle: columns with such headers, and house
  numbers, DOPA house codes (1234-567890-1) and "Line: handle" written in text;
- precise-location: a coordinate column (lat, lng, latitude, lat_lon, gps, ละติจูด, พิกัด ...)
  whose value has 4 or more decimals of a degree (about 11 m: one house) or is a UTM metre
  value (6–7 digits), and a latitude, longitude pair inside Thailand with 4 or more decimals
  anywhere in text. 3 decimals (about 110 m) is an area, not a house: the tambon centroids the
  portal ships (src/tambon_portal/data) have 3 and are never published as a dataset.

Where each part is: `privacy_words` (which header holds what), `privacy_detectors` (what text
holds), `privacy_review` (publicReviewed declarations, and the reporter that honours them),
`privacy_descriptor` (the descriptor's text); this module scans a table and names the public
functions of all five, which other modules use from here.

A table is scanned column by column on its text, each distinct text of a column judged once
(a column of 1,200 counts holds a few hundred texts). Walked cell by cell as a frame, with a
groupby per count column, the 600 tables of the pilot packages took 1.0 s; 0.3 s this way.

Small counts (1–4) and complements that reveal a suppressed cell are checked for tambon
packages only, where the shared schemas say which counts describe households or persons.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence

import pandas as pd

from tambon_portal.checks.privacy_descriptor import (
    DescriptorText,
    descriptor_texts,
    reviewed_properties,
    scan_descriptor,
)
from tambon_portal.checks.privacy_detectors import (
    LOCATION_CODES,
    find_coordinate_pairs,
    find_emails,
    find_house_numbers,
    find_household_ids,
    find_national_ids,
    find_phone_numbers,
    find_social_handles,
    find_titled_names,
    is_precise_coordinate,
    is_untitled_thai_name,
    is_valid_national_id,
    text_findings,
)
from tambon_portal.checks.privacy_review import (
    CODES,
    REVIEW_HINT,
    REVIEW_PROPERTY,
    REVIEWABLE,
    Reporter,
    review_problem,
    reviewed_columns,
)
from tambon_portal.checks.privacy_words import (
    HEADER_WORDS,
    column_kind,
    header_key,
    is_ambiguous_name_column,
    is_location_column,
    is_place_or_code_list,
)
from tambon_portal.core import schemas
from tambon_portal.core.problems import Problem
from tambon_portal.stats import suppress

__all__ = [
    "CODES", "HEADER_WORDS", "REVIEWABLE", "REVIEW_PROPERTY", "SUPPRESSED_VALUES",
    "DescriptorText", "column_kind", "descriptor_texts", "find_coordinate_pairs", "find_emails",
    "find_house_numbers", "find_household_ids", "find_national_ids", "find_phone_numbers",
    "find_social_handles", "find_titled_names", "header_key", "is_location_column",
    "is_place_or_code_list", "is_precise_coordinate", "is_small_count", "is_untitled_thai_name",
    "is_valid_national_id", "review_problem", "reviewed_columns", "reviewed_properties",
    "scan_descriptor", "scan_table",
]  # fmt: skip

SUPPRESSED_VALUES = frozenset(schemas.MISSING_VALUES)  # "" and "x"
_Table = Mapping[str, Sequence[str]]  # column name -> its cells, as text


# --- the table as text, by column ------------------------------------------------------------


def _unique(names: Sequence[object]) -> list[str]:
    """Column names made unique (a repeated header is frictionless's to report)."""
    seen: dict[str, int] = {}
    out = []
    for position, name in enumerate(map(str, names)):
        out.append(name if name not in seen else f"{name} (column {position + 1})")
        seen[name] = position
    return out


def _text_columns(
    table: pd.DataFrame | Iterable[Sequence[str]], header: Sequence[str] | None
) -> tuple[list[str], list[Sequence[str]]]:
    """(uniquely named columns, each column's cells as str, "" for missing)."""
    if isinstance(table, pd.DataFrame):
        names = list(table.columns)
        values = table.astype(object).where(table.notna(), "").astype(str).to_numpy()
        return _unique(names), [values[:, i].tolist() for i in range(len(names))]
    names = list(header or [])
    width = len(names)
    rows = table if isinstance(table, list) else list(table)
    if any(len(row) != width for row in rows):
        # Ragged rows are frictionless's to report; pad or cut them so every cell is scanned.
        rows = [(list(row) + [""] * width)[:width] for row in rows]
    columns = list(zip(*rows, strict=True)) if rows else []
    return _unique(names), columns or [() for _ in names]


_COLUMN_MESSAGES = {
    "person-name": "holds names of persons (ชื่อบุคคล), which are never published; remove the"
    " column (publish counts, not people)",
    "house-number": "holds house numbers or addresses (บ้านเลขที่/ที่อยู่), which identify a"
    " household; remove the column",
    "household-id": "holds household IDs (รหัสประจำบ้าน/รหัสครัวเรือน), which identify a"
    " household; remove the column (publish counts per village)",
    "birth-date": "holds dates of birth (วันเกิด), which with a village identify a person;"
    " remove the column (publish counts by age group)",
    "social-handle": "holds LINE or social-media accounts (ไลน์/โซเชียลมีเดีย), which are personal"
    " contact details; remove the column" + REVIEW_HINT,
}


def _column_problem(column: str, place_list: bool) -> str | None:
    """The kind of personal data a column holds by its header, or None.

    A bare "name" is a person's name unless the table lists places or codes.
    """
    kind = column_kind(column)
    if kind is None and is_ambiguous_name_column(column) and not place_list:
        return "person-name"
    return kind if kind in _COLUMN_MESSAGES else None


def _scan_columns(names: list[str], columns: list[Sequence[str]], report: Reporter) -> None:
    place_list = is_place_or_code_list(names)
    for column, cells in zip(names, columns, strict=True):
        kind = _column_problem(column, place_list)
        if kind and any(cell.strip() != "" for cell in set(cells)):
            report.add(None, column, kind, f"column '{column}' {_COLUMN_MESSAGES[kind]}")
        if is_location_column(column):
            _scan_coordinates(cells, column, report)
        if place_list and is_ambiguous_name_column(column):
            _scan_place_names(cells, column, report)


def _rows_of(cells: Sequence[str], texts: set[str]) -> Iterable[tuple[int, str]]:
    """(index, cell) of the cells that are one of `texts`, in row order."""
    return ((index, cell) for index, cell in enumerate(cells) if cell in texts) if texts else ()


def _scan_coordinates(cells: Sequence[str], column: str, report: Reporter) -> None:
    precise = {value for value in set(cells) if value and is_precise_coordinate(value)}
    for index, value in _rows_of(cells, precise):
        report.add(
            index,
            column,
            "precise-location",
            f"'{value.strip()}' in '{column}' is a coordinate precise to a house"
            " (พิกัดละเอียดถึงระดับบ้าน: 4 or more decimals is about 11 m); publish at most"
            " 3 decimals (about 110 m) or the village instead; if the column locates public"
            f" places, declare it reviewed ({REVIEW_PROPERTY}, see docs/publishing.md)",
        )


def _scan_place_names(cells: Sequence[str], column: str, report: Reporter) -> None:
    """The "name" of a place or code list: a person's name there is two Thai words."""
    names = {
        value
        for value in set(cells)
        if value and is_untitled_thai_name(value) and not find_titled_names(value)
    }
    for index, value in _rows_of(cells, names):
        report.add(
            index,
            column,
            "person-name",
            f"'{value.strip()}' in '{column}' looks like a person's given name and surname"
            " (ชื่อ-นามสกุล), not a place: place names are one word or start with บ้าน,"
            " ตำบล, หมู่ ...; names of persons are never published: remove it",
        )


def _may_hold_text(value: str) -> bool:
    """Long enough to hold an ID, a phone number, a name or a pair of coordinates."""
    return bool(value) and (len(value) >= 8 or not value.isascii() or "@" in value)


def _scan_cells(names: list[str], columns: list[Sequence[str]], report: Reporter) -> None:
    for column, cells in zip(names, columns, strict=True):
        # A coordinate column's cells are judged by their precision (_scan_coordinates).
        skip = LOCATION_CODES if is_location_column(column) else frozenset()
        found = {
            value: findings
            for value in set(cells)
            if _may_hold_text(value) and (findings := text_findings(value, skip))
        }
        for index, value in _rows_of(cells, set(found)):
            for code, message in found[value]:
                report.add(index, column, code, message)


# --- counts: small cells and complements (tambon packages) -----------------------------------


def is_small_count(value: str) -> bool:
    """1–4 however the integer is written: frictionless reads "03", "+3" and Thai "๓" as 3."""
    try:
        count = int(value)
    except ValueError:
        return False
    return 1 <= count < suppress.SMALLEST_PUBLISHED


def _scan_small_counts(table: _Table, fields: Sequence[str], report: Reporter) -> None:
    for field in fields:
        if field not in table:
            continue
        cells = table[field]
        for index, value in _rows_of(cells, {v for v in set(cells) if is_small_count(v)}):
            report.add(
                index,
                field,
                "small-count",
                f"count {value.strip()} is 1–4 and could identify a household"
                " (ข้อมูลจำนวนน้อย); suppress it: write x (and suppress a second cell"
                " where a total would reveal it)",
            )


def _is_suppressed(value: str) -> bool:
    return value.strip() in SUPPRESSED_VALUES


def _suppressed(cells: Sequence[str]) -> list[bool]:
    """Whether each cell is suppressed, each distinct text judged once."""
    return _by_text(cells, _is_suppressed)


def _by_text(cells: Sequence[str], rule: Callable[[str], bool]) -> list[bool]:
    """`rule` of each cell, each distinct text judged once."""
    verdict = {value: rule(value) for value in set(cells)}
    return [verdict[value] for value in cells]


def _scan_bmn_pairs(table: _Table, report: Reporter) -> None:
    """passed + failed = surveyed: one cell of a row must not be worked back from the others."""
    if not {"surveyed", "passed", "failed"} <= set(table):
        return
    counts = (_suppressed(table[name]) for name in ("surveyed", "passed", "failed"))
    hidden = zip(*counts, strict=True)
    for index, (surveyed, passed, failed) in enumerate(hidden):
        if surveyed:
            # A published passed or failed bounds (both together give) the hidden surveyed.
            for name, suppressed in (("passed", passed), ("failed", failed)):
                if not suppressed:
                    report.add(
                        index,
                        name,
                        "complement-revealed",
                        f"'surveyed' is suppressed but '{name}' is published, which gives it"
                        f" back or bounds it (เปิดเผยค่าที่ปกปิด); suppress {name} too: write x",
                    )
            continue
        if passed == failed:
            continue
        hidden_name, shown = ("passed", "failed") if passed else ("failed", "passed")
        report.add(
            index,
            shown,
            "complement-revealed",
            f"'{hidden_name}' is suppressed but surveyed − {shown} gives it back"
            f" (เปิดเผยค่าที่ปกปิด); suppress {shown} too: write x",
        )


def _group_keys(resource: str, table: _Table) -> dict[int, tuple]:
    """Row index -> the key of its group (suppress.GROUPS), for the rows that form groups."""
    keys, _columns = suppress.GROUPS[resource]
    if resource != "bmn_results":
        return dict(enumerate(zip(*(table[k] for k in keys), strict=True)))
    # Only village rows form groups (their tambon: the area code's first six digits); the
    # tambon row is their total.
    tambons = [area.strip()[:6] for area in table["area_code"]]
    parts = [tambons if key == "tambon" else table[key] for key in keys]
    villages = _by_text(table["area_level"], lambda level: level.strip() == "village")
    rows = zip(zip(*parts, strict=True), villages, strict=True)
    return {i: key for i, (key, village) in enumerate(rows) if village}


def _hidden_totals(resource: str, table: _Table, suppressed: Sequence[bool]) -> set[tuple]:
    """The groups of village rows whose total (the tambon's row, in `bmn_results`) is
    suppressed too: there no total minus the others gives a lone cell back (whether anything
    else does is the disclosure audit's to say, over every relation)."""
    if resource != "bmn_results":
        return set()
    keys, _ = suppress.GROUPS[resource]
    tambon_rows = _by_text(table["area_level"], lambda level: level.strip() == "tambon")
    areas = [area.strip()[:6] for area in table["area_code"]]
    parts = [areas if key == "tambon" else table[key] for key in keys]
    return {
        key for key, total, hidden in zip(zip(*parts, strict=True), tambon_rows, suppressed,
                                          strict=True)
        if total and hidden
    }  # fmt: skip


def _scan_lone_suppressed(resource: str, table: _Table, report: Reporter) -> None:
    # Cells of one group add up to a published total: one suppressed cell alone is revealed.
    keys, columns = suppress.GROUPS[resource]
    needed = (set(keys) - {"tambon"}) | set(columns)
    if resource == "bmn_results":
        needed |= {"area_code", "area_level"}
    if not needed <= set(table):
        return
    groups: dict[int, tuple] | None = None
    for column in columns:
        suppressed = _suppressed(table[column])
        if not any(suppressed):
            continue
        groups = _group_keys(resource, table) if groups is None else groups
        hidden = [i for i in groups if suppressed[i]]
        per_group = Counter(groups[i] for i in hidden)
        hidden_totals = _hidden_totals(resource, table, suppressed)
        for index in hidden:
            if per_group[groups[index]] != 1 or groups[index] in hidden_totals:
                continue
            report.add(
                index,
                column,
                "complement-revealed",
                f"the only suppressed '{column}' of its group (เปิดเผยค่าที่ปกปิด): the total"
                " minus the other cells gives it back; suppress a second cell of the group"
                " (the smallest non-zero one): write x",
            )


# --- one table -------------------------------------------------------------------------------


def scan_table(
    resource: str,
    table: pd.DataFrame | Iterable[Sequence[str]],
    header: Sequence[str] | None = None,
    *,
    package: str = "",
    file: str = "",
    tambon: bool = False,
    first_row: int = 2,
    reviewed: Mapping[str, frozenset[str]] | None = None,
    by_column: bool = False,
) -> list[Problem]:
    """Personal data in one table; `table` is a frame or the data rows (without the header),
    or with `by_column` its cells column by column, one column per header name (as the fast
    path read them: `fast_frames.CheckedTable.columns`).

    `first_row` is the row number of the first data row (frictionless counts the header as 1).
    With `tambon=True` the small-count and complement rules of the shared schemas apply too.
    `reviewed` (from `reviewed_columns`) exempts columns from the detectors declared for them.
    """
    if by_column:
        names, columns = _unique(list(header or [])), list(table)
    else:
        names, columns = _text_columns(table, header)
    report = Reporter(package, resource, file, first_row, reviewed)
    _scan_columns(names, columns, report)
    _scan_cells(names, columns, report)
    if tambon:
        by_name = dict(zip(names, columns, strict=True))
        _scan_small_counts(by_name, schemas.SMALL_COUNT_FIELDS.get(resource, ()), report)
        if resource == "bmn_results":
            _scan_bmn_pairs(by_name, report)
        if resource in suppress.GROUPS:
            _scan_lone_suppressed(resource, by_name, report)
    return sorted(report.problems, key=_order)


def _order(problem: Problem) -> tuple:
    return (problem.row or 0, problem.field or "", problem.code)
