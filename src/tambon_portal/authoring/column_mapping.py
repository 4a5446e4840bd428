"""An officer's columns and values onto a resource's Table Schema, for `tambon import`.

Headings in Thai or in English with odd spacing (a field's name, its Thai title, or a known
alias), Thai digits, thousands separators, years and dates in Buddhist Era: each row is mapped
and converted to what the schema wants, in its column order, and what the report says (rows,
columns not mapped, required fields left empty, rows of another tambon) is kept in memory that
does not grow with the file. Pure: rows in, rows out.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from tambon_portal.authoring.spreadsheet import nonblank
from tambon_portal.checks import validate
from tambon_portal.checks.tambon_checks import BE_DATE_FROM
from tambon_portal.core import codelists as cl
from tambon_portal.core import settings
from tambon_portal.core.schemas import SUPPRESSED
from tambon_portal.packages import table_reader

# Headings officers use that are neither a field name nor its Thai title, normalised as by
# `table_reader.normalise_heading`. An alias only applies when the resource has the field it names.
ALIASES: dict[str, str] = {
    "tambon": "tambon_code",
    "tamboncode": "tambon_code",
    "subdistrictcode": "tambon_code",
    "รหัสตำบล": "tambon_code",
    "villagecode": "village_code",
    "รหัสหมู่บ้าน": "village_code",
    "หมู่": "village_no",
    "หมู่ที่": "village_no",
    "moo": "village_no",
    "ปี": "year_be",
    "พศ": "year_be",
    "ปีพศ": "year_be",
    "year": "year_be",
    "ชื่อ": "name_th",
    "ชื่อภาษาไทย": "name_th",
    "ชื่อภาษาอังกฤษ": "name_en",
    "จำนวนครัวเรือน": "households",
    "จำนวนประชากร": "population",
    "จำนวนคน": "persons",
    "คน": "persons",
    "งบประมาณ": "budget_baht",
    "budget": "budget_baht",
    "แหล่งงบประมาณ": "funding_source",
    "แหล่งงบ": "funding_source",
    "หน่วยงานรับผิดชอบ": "responsible_th",
    "สำรวจ": "surveyed",
    "ผ่าน": "passed",
    "ไม่ผ่าน": "failed",
    # The household input (core.schemas.households): headings of survey exports.
    "รหัสครัวเรือน": "household_id",
    "householdid": "household_id",
    "hhid": "household_id",
    "เลขที่แบบสำรวจ": "household_id",
    "จำนวนสมาชิก": "members",
    "สมาชิก": "members",
    "รายได้": "income_baht",
    "รายได้ครัวเรือน": "income_baht",
    "รายได้ทั้งปี": "income_baht",
    "หนี้สิน": "debt_baht",
    "หนี้": "debt_baht",
    "เงินออม": "savings_baht",
    "การออม": "savings_baht",
    "อาชีพหลัก": "main_occupation",
    "ชุดตัวชี้วัด": "bmn_set",
    "ลำดับที่": "person_no",
    "ลำดับ": "person_no",
    "คนที่": "person_no",
    "อายุ": "age",
    **{f"ข้อ{n}": cl.bmn_field(n) for n in range(1, 100)},
    **{f"ตัวชี้วัดที่{n}": cl.bmn_field(n) for n in range(1, 100)},
}

TRUE_WORDS = frozenset({"true", "yes", "y", "1", "ใช่", "จริง", "เป็น"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "ไม่", "ไม่ใช่", "เท็จ", "ไม่เป็น"})
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
LISTED = 10  # columns or rows named in one message; the rest are counted


# --- mapping columns -----------------------------------------------------------------------


def _without_brackets(title: str) -> str:
    return re.sub(r"\(.*?\)", "", title)


def heading_index(schema: dict) -> dict[str, str]:
    """Normalised heading -> field name, strongest match first when two would collide."""
    fields = schema.get("fields", [])
    index: dict[str, str] = {}
    for f in fields:
        index.setdefault(table_reader.normalise_heading(f["name"]), f["name"])
    for f in fields:
        if f.get("title"):
            index.setdefault(table_reader.normalise_heading(f["title"]), f["name"])
    for f in fields:
        if f.get("title"):
            index.setdefault(
                table_reader.normalise_heading(_without_brackets(f["title"])), f["name"]
            )
    names = {f["name"] for f in fields}
    for alias, name in ALIASES.items():
        if name in names:
            index.setdefault(alias, name)
    return index


def column_positions(columns: list[str], schema: dict) -> tuple[dict[str, int], list[int]]:
    """({field name: position of its source column}, positions of the columns not mapped).

    A column whose field is already taken by an earlier column counts as unmapped. Positions,
    not headings, so two columns with the same heading stay two columns.
    """
    index = heading_index(schema)
    positions: dict[str, int] = {}
    unmapped: list[int] = []
    for position, column in enumerate(columns):
        name = index.get(table_reader.normalise_heading(column))
        if name and name not in positions:
            positions[name] = position
        else:
            unmapped.append(position)
    return positions, unmapped


def map_columns(columns: list[str], schema: dict) -> tuple[dict[str, str], list[str]]:
    """({source column: field name}, source columns that could not be mapped)."""
    positions, unmapped = column_positions(columns, schema)
    mapping = {columns[position]: name for name, position in positions.items()}
    return mapping, [columns[position] for position in unmapped]


# --- converting values ---------------------------------------------------------------------


def _is_year_be(field_: dict) -> bool:
    return field_["name"] == "year_be" or field_["name"].endswith("_year_be")


def _whole_number(text: str) -> str:
    try:
        number = float(text)
    except ValueError:
        return text
    return str(int(number)) if number.is_integer() else text


def _to_date(text: str) -> str:
    """ISO date (CE) from `YYYY-MM-DD` or `D/M/YYYY`, with a BE year taken back to CE."""
    if m := _YMD.match(text):
        year, month, day = (int(g) for g in m.groups())
    elif m := _DMY.match(text):
        day, month, year = (int(g) for g in m.groups())
    else:
        return text
    if year >= BE_DATE_FROM:  # the year the validator calls a BE year typed into a date
        year -= settings.BE_OFFSET
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return text


def convert_value(value: str, field_: dict) -> str:
    """One cell as the schema wants it; a value it cannot read is left for validation to name."""
    text = unicodedata.normalize("NFC", str(value)).replace("\u00a0", " ").strip()
    kind = field_.get("type", "string")
    is_code = bool((field_.get("constraints") or {}).get("pattern"))
    if kind == "string" and not is_code:
        return text  # names keep their Thai digits
    text = text.translate(table_reader.THAI_DIGITS)
    if text.lower() == SUPPRESSED:
        return SUPPRESSED
    if kind in ("integer", "number"):
        text = re.sub(r"[,\s]|บาท", "", text)
        if kind == "integer":
            text = _whole_number(text)
            if _is_year_be(field_) and text.isdigit() and int(text) in validate.CE_YEARS:
                text = str(int(text) + settings.BE_OFFSET)  # a CE year in a BE column
        return text
    if kind == "date":
        return _to_date(text)
    if kind == "boolean":
        word = text.lower()
        return "true" if word in TRUE_WORDS else "false" if word in FALSE_WORDS else text
    return text


# --- the whole conversion ------------------------------------------------------------------


@dataclass
class ImportResult:
    mapping: dict[str, str]
    unmapped: list[str]
    empty_required: list[str]  # required fields with at least one empty cell
    problems: list[str] = field(default_factory=list)
    rows: int = 0  # rows written (blank rows of the file are left out)
    empty_rows: dict[str, str] = field(default_factory=dict)  # required field -> its empty rows
    table: pd.DataFrame | None = None  # text, columns in schema order (to_resource_table only)


def _required_fields(schema: dict) -> list[str]:
    return [f["name"] for f in schema["fields"] if (f.get("constraints") or {}).get("required")]


def listed(items: list[str], total: int) -> str:
    more = f" and {total - len(items):,} more" if total > len(items) else ""
    return ", ".join(items) + more


class RowConverter:
    """Maps and converts the rows of one file onto a schema, one row at a time, and keeps
    what the report needs (how many rows, which required fields were left empty, ...) in
    memory that does not grow with the file."""

    def __init__(self, header: list[str], schema: dict, tambon_code: str) -> None:
        self.header = [str(column) for column in header]
        self.tambon_code = tambon_code
        positions, self._unmapped = column_positions(self.header, schema)
        self.fields = list(schema["fields"])
        self.names = [f["name"] for f in self.fields]
        self._plan = [(f, positions.get(f["name"])) for f in self.fields]
        self.mapping = {self.header[i]: name for name, i in positions.items()}
        self._required = _required_fields(schema)
        self._empty_required: dict[str, list[int]] = {}  # field -> the first rows it is empty in
        self._empty_counts: dict[str, int] = {}
        self._village_from_number = "village_code" in self.names and "village_code" not in positions
        self._other_tambons: set[str] = set()  # the first few, to name them
        self._other_tambon_rows = 0
        self._long_rows: list[int] = []  # the first few rows with more cells than headings
        self._long_row_count = 0
        self.rows = 0

    def convert(self, number: int, cells: list[str]) -> list[str]:
        """One row of the file (numbered as in the file) as the schema's cells, in its order."""
        self.rows += 1
        if len(cells) > len(self.header) and nonblank(cells[len(self.header) :]):
            self._note_long_row(number)
        out = {}
        for field_, position in self._plan:
            raw = cells[position] if position is not None and position < len(cells) else ""
            out[field_["name"]] = convert_value(raw, field_) if raw else ""
        self._fill_tambon(out)
        if self._village_from_number:
            out["village_code"] = _village_code(out.get("village_no", ""), self.tambon_code)
        for name in self._required:
            if out[name] == "":
                self._note_empty(name, number)
        return [out[name] for name in self.names]

    def _note_empty(self, name: str, number: int) -> None:
        self._empty_counts[name] = self._empty_counts.get(name, 0) + 1
        rows = self._empty_required.setdefault(name, [])
        if len(rows) < LISTED:
            rows.append(number)

    def empty_rows(self) -> dict[str, str]:
        """Required field -> the rows where it is empty, as text ("2, 3 and 10 more")."""
        return {
            name: listed([str(n) for n in rows], self._empty_counts[name])
            for name, rows in self._empty_required.items()
        }

    def _fill_tambon(self, out: dict[str, str]) -> None:
        if "tambon_code" not in out:
            return
        if out["tambon_code"] == "":
            out["tambon_code"] = self.tambon_code
        elif out["tambon_code"] != self.tambon_code:
            self._other_tambon_rows += 1
            if len(self._other_tambons) < LISTED:
                self._other_tambons.add(out["tambon_code"])

    def _note_long_row(self, number: int) -> None:
        self._long_row_count += 1
        if len(self._long_rows) < LISTED:
            self._long_rows.append(number)

    def cannot_be_valid(self) -> bool:
        """Whether validation could only fail (see NOT_VALIDATED)."""
        return bool(self._empty_required or self._other_tambons or self._long_rows)

    def problems(self) -> list[str]:
        problems = []
        if self._other_tambons:
            others = sorted(self._other_tambons)
            more = " and others" if self._other_tambon_rows > len(others) else ""
            problems.append(
                f"rows for other tambons ({', '.join(others)}{more}): "
                f"this file is imported into tambon {self.tambon_code} only"
            )
        if self._long_rows:
            rows = listed([str(n) for n in self._long_rows], self._long_row_count)
            problems.append(
                f"rows with more cells than the heading row ({len(self.header)} columns): {rows};"
                " a value containing a comma must be in double quotes, or a heading is missing"
            )
        return problems

    def result(self) -> ImportResult:
        unmapped = [self.header[i] or f"(column {i + 1}, no heading)" for i in self._unmapped]
        empty = [name for name in self._required if name in self._empty_required]
        return ImportResult(
            self.mapping, unmapped, empty, self.problems(), self.rows, self.empty_rows()
        )


def _village_code(village_no: str, tambon_code: str) -> str:
    """A village code from หมู่ที่ when the file has no code column: tambon code + 2 digits."""
    if village_no.isdigit() and int(village_no) < 100:
        return f"{tambon_code}{int(village_no):02d}"
    return ""


def to_resource_table(source: pd.DataFrame, schema: dict, tambon_code: str) -> ImportResult:
    """Pure: maps and converts `source` onto `schema`; the tambon code fills a missing column."""
    converter = RowConverter([str(c) for c in source.columns], schema, tambon_code)
    rows = [
        converter.convert(number, cells)
        for number, cells in enumerate(source.astype(str).values.tolist(), start=2)
        if nonblank(cells)
    ]
    result = converter.result()
    result.table = pd.DataFrame(rows, columns=converter.names, dtype=str)
    return result
