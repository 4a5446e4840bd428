"""`tambon import`: a spreadsheet a data officer has (CSV or XLSX) -> one resource of a package.

Officers' files come from Excel and from older Thai systems: CSV in UTF-8, UTF-8 with a BOM or
TIS-620 (cp874), column headings in Thai or in English with odd spacing, Thai digits, thousands
separators, and years or dates in Buddhist Era. This module maps the columns onto the resource's
Table Schema, converts the values to what the schema wants, and writes the CSV in the schema's
column order, so the result diffs cleanly in git and validates.

The file is streamed, row by row, straight into a temporary file beside the resource's file
(so memory does not grow with the file, and a file of 100,000 columns costs what its bytes
cost); it replaces the resource's file in one rename once it validates, and is removed
whatever happens before that (an error, Ctrl-C, SIGTERM).
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import secrets
import shutil
import tempfile
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from charset_normalizer import from_bytes
from defusedxml import DefusedXmlException
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from tambon_portal.checks import validate
from tambon_portal.checks.tambon_checks import BE_DATE_FROM
from tambon_portal.core import settings
from tambon_portal.core.progress import RowProgress
from tambon_portal.core.schemas import SUPPRESSED
from tambon_portal.packages import descriptor_reader, discovery, table_reader
from tambon_portal.packages import writer as package_writer

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
}

TRUE_WORDS = frozenset({"true", "yes", "y", "1", "ใช่", "จริง", "เป็น"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "ไม่", "ไม่ใช่", "เท็จ", "ไม่เป็น"})
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")


class ImportFileError(Exception):
    """The file or the package cannot be used; the message says why (exit 2)."""


# --- reading a file ------------------------------------------------------------------------

XLSX_SUFFIXES = (".xlsx", ".xlsm")
# The bytes an encoding is guessed from when it is neither UTF-8 nor cp874 (charset-normalizer
# reads what it is given in full), and the size of the pieces a file is decoded in.
_SAMPLE_BYTES = 1024 * 1024
_CHUNK_BYTES = 64 * 1024
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 .xls, Word .doc
# A longer cell is almost always a quote that is never closed, which would read the rest of the
# file into one cell (and into memory). csv's default limit, set while a file is read:
# frictionless raises the process-wide limit when it is imported.
MAX_CELL_CHARACTERS = 131_072
_LISTED = 10  # columns or rows named in one message; the rest are counted


def decode_bytes(data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 (with or without BOM), then Thai Windows cp874 (a superset of
    TIS-620), then whatever charset-normalizer names."""
    if not data.startswith(_UTF16_BOMS):  # not UTF-16 ("Unicode Text")
        for encoding in ("utf-8-sig", "cp874"):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                continue
    best = from_bytes(data).best()
    if best is None:
        raise ImportFileError("cannot tell the file's text encoding; save it as CSV UTF-8")
    return str(best), best.encoding


def _decodes_in_full(file: io.BufferedReader, encoding: str) -> bool:
    """Whether the whole file decodes, read in pieces (the file is never held in memory)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    file.seek(0)
    try:
        while piece := file.read(_CHUNK_BYTES):
            decoder.decode(piece)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _refuse_binary(path: Path, head: bytes) -> None:
    if head.startswith(_OLE_MAGIC):
        raise ImportFileError(
            f"{path.name} is an Excel 97-2003 .xls file (or another binary file), not a CSV;"
            " in Excel, save it as .xlsx or as 'CSV UTF-8 (Comma delimited)'"
        )
    if head.startswith(_ZIP_MAGIC):
        raise ImportFileError(
            f"{path.name} is a zip archive (an Excel .xlsx file under another name?), not a"
            " CSV; if it is a workbook, name it .xlsx"
        )


def file_encoding(path: Path) -> str:
    """The encoding `decode_bytes` would find, found without reading the file into memory
    (one opening, two passes at most, three for a file in neither UTF-8 nor cp874)."""
    with path.open("rb") as file:
        head = file.read(len(_OLE_MAGIC))
        _refuse_binary(path, head)
        if not head.startswith(_UTF16_BOMS):
            for encoding in ("utf-8-sig", "cp874"):
                if _decodes_in_full(file, encoding):
                    return encoding
        file.seek(0)
        sample = file.read(_SAMPLE_BYTES)
    best = from_bytes(sample).best()
    if best is None:
        raise ImportFileError(f"cannot tell the text encoding of {path.name}; save it as CSV UTF-8")
    return best.encoding


@dataclass
class SourceTable:
    """A file being read: its heading row, then its other rows as text, one at a time."""

    header: list[str]
    rows: Iterator[tuple[int, list[str]]]  # (row number as in the file, header = 1, cells)
    read_as: str  # the encoding, or "xlsx"


def _separator(heading_line: str) -> str:
    # Excel's "Unicode Text" export is tab-separated; everything else here is comma-separated.
    return "\t" if "\t" in heading_line and "," not in heading_line else ","


def _nonblank(cells: list[str]) -> bool:
    return any(cell.strip() for cell in cells)


def _csv_rows(path: Path, lines: Iterator[str]) -> Iterator[tuple[int, list[str]]]:
    """Non-blank rows of CSV text, numbered by the file's line; a malformed one is named."""
    lines = iter(lines)
    first = next(lines, "")
    reader = csv.reader(_chain_first(first, lines), delimiter=_separator(first))
    while True:
        starts = reader.line_num + 1  # a quoted cell may run over several lines
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            raise _csv_error(path, starts, err) from err
        if _nonblank(cells):
            yield starts, cells


def _csv_error(path: Path, line: int, err: csv.Error) -> ImportFileError:
    if "field larger than field limit" in str(err):
        return ImportFileError(
            f"{path.name}, line {line}: a cell is longer than {MAX_CELL_CHARACTERS:,}"
            ' characters; a quote (") opened on this line is probably never closed'
        )
    return ImportFileError(f"{path.name}, line {line}: {err}")


def _chain_first(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


def _decoded_lines(path: Path, text: io.TextIOWrapper) -> Iterator[str]:
    try:
        yield from text
    except UnicodeDecodeError as err:
        raise ImportFileError(
            f"{path.name} is not all {text.encoding} text (a byte near {text.buffer.tell():,}"
            " cannot be read); save it as CSV UTF-8"
        ) from err


def _with_header(path: Path, rows: Iterator[tuple[int, list[str]]], read_as: str) -> SourceTable:
    """The first non-blank row is the heading row."""
    first = next(rows, None)
    if first is None:
        raise ImportFileError(
            f"{path.name} is empty: it has no heading row (and no rows); check that it is the"
            " file you meant, and for XLSX the sheet (--sheet)"
        )
    return SourceTable(first[1], rows, read_as)


def read_csv_bytes(data: bytes) -> tuple[pd.DataFrame, str]:
    """A whole CSV (given as bytes) as an all-text frame, and its encoding."""
    text, encoding = decode_bytes(data)
    name = Path("the file")
    source = _with_header(name, _csv_rows(name, io.StringIO(text, newline="")), encoding)
    rows = [cells for _, cells in source.rows]
    return pd.DataFrame(rows, columns=source.header, dtype=str), encoding


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores 1200 as 1200.0
    return str(value)


# What a damaged or hostile workbook raises, from zipfile, zlib, openpyxl and the XML parsers
# (ParseError and lxml's XMLSyntaxError are SyntaxErrors; defusedxml's refusals come first).
_XLSX_REFUSED = (DefusedXmlException,)
_XLSX_DAMAGED = (zipfile.BadZipFile, zlib.error, SyntaxError, KeyError, EOFError, ValueError,
                 TypeError, IndexError, AttributeError, InvalidFileException)  # fmt: skip


def _starts_with(path: Path, magic: bytes) -> bool:
    with path.open("rb") as file:
        return file.read(len(magic)) == magic


def _caused_by(err: BaseException, kinds: tuple[type[BaseException], ...]) -> bool:
    """Whether `err` or an error it was raised from is one of `kinds` (openpyxl wraps what
    the XML parser raised in a ValueError of its own)."""
    seen: BaseException | None = err
    while seen is not None:
        if isinstance(seen, kinds):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _xlsx_error(path: Path, err: Exception) -> ImportFileError:
    if _caused_by(err, _XLSX_REFUSED):
        return ImportFileError(
            f"{path.name} was refused: its XML declares entities (<!ENTITY>), which Excel never"
            " writes and which can read other files or exhaust memory; open it in Excel and"
            " save it again, or save it as CSV UTF-8"
        )
    if isinstance(err, zipfile.BadZipFile) and _starts_with(path, _OLE_MAGIC):
        return ImportFileError(
            f"{path.name} is a password-protected workbook or an Excel 97-2003 .xls file, not"
            " an .xlsx; save it without a password as .xlsx, or as CSV UTF-8"
        )
    if isinstance(err, zipfile.BadZipFile) and not zipfile.is_zipfile(path):
        return ImportFileError(
            f"{path.name} is not an Excel .xlsx file (it is not a zip archive);"
            " save it as .xlsx or .csv"
        )
    return ImportFileError(
        f"{path.name} is not a readable Excel .xlsx workbook ({type(err).__name__}: {err});"
        " open it in Excel and save it again as .xlsx, or as CSV UTF-8"
    )


# openpyxl streams the sheets but reads every other part (shared strings, styles) whole: a
# part this large once unzipped is a zip bomb, not an officer's table.
MAX_XLSX_PART_BYTES = 256 * 1024 * 1024
_STREAMED_PARTS = "xl/worksheets/"


def _refuse_zip_bomb(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        for part in archive.infolist():
            if part.file_size > MAX_XLSX_PART_BYTES and not part.filename.startswith(
                _STREAMED_PARTS
            ):
                raise ImportFileError(
                    f"{path.name} was refused: its part {part.filename} unzips to"
                    f" {part.file_size:,} bytes (more than {MAX_XLSX_PART_BYTES:,});"
                    " save the sheet as CSV UTF-8"
                )


def _open_workbook(path: Path) -> Any:
    try:
        _refuse_zip_bomb(path)
        return load_workbook(path, read_only=True, data_only=True)
    except (*_XLSX_REFUSED, *_XLSX_DAMAGED) as err:
        raise _xlsx_error(path, err) from err


def _xlsx_rows(path: Path, workbook: Any, sheet: str | None) -> Iterator[tuple[int, list[str]]]:
    """Non-blank rows of a sheet as text, streamed (openpyxl's read-only mode)."""
    if sheet is not None and sheet not in workbook.sheetnames:
        names = ", ".join(workbook.sheetnames)
        raise ImportFileError(f"no sheet named {sheet!r} in {path.name} (sheets: {names})")
    try:
        worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(v) for v in values]
            if _nonblank(cells):
                yield number, cells
    except (*_XLSX_REFUSED, *_XLSX_DAMAGED) as err:  # a sheet is only parsed as it is read
        raise _xlsx_error(path, err) from err


@contextmanager
def open_source(path: Path, sheet: str | None = None) -> Iterator[SourceTable]:
    """The file as a heading row and a stream of rows; the file is closed on leaving."""
    if path.suffix.lower() in XLSX_SUFFIXES:
        workbook = _open_workbook(path)
        try:
            yield _with_header(path, _xlsx_rows(path, workbook, sheet), "xlsx")
        finally:
            workbook.close()
        return
    encoding = file_encoding(path)
    limit = csv.field_size_limit(MAX_CELL_CHARACTERS)
    try:
        with path.open("r", encoding=encoding, newline="") as text:
            yield _with_header(path, _csv_rows(path, _decoded_lines(path, text)), encoding)
    finally:
        csv.field_size_limit(limit)


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


def _listed(items: list[str], total: int) -> str:
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
        if len(cells) > len(self.header) and _nonblank(cells[len(self.header) :]):
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
        if len(rows) < _LISTED:
            rows.append(number)

    def empty_rows(self) -> dict[str, str]:
        """Required field -> the rows where it is empty, as text ("2, 3 and 10 more")."""
        return {
            name: _listed([str(n) for n in rows], self._empty_counts[name])
            for name, rows in self._empty_required.items()
        }

    def _fill_tambon(self, out: dict[str, str]) -> None:
        if "tambon_code" not in out:
            return
        if out["tambon_code"] == "":
            out["tambon_code"] = self.tambon_code
        elif out["tambon_code"] != self.tambon_code:
            self._other_tambon_rows += 1
            if len(self._other_tambons) < _LISTED:
                self._other_tambons.add(out["tambon_code"])

    def _note_long_row(self, number: int) -> None:
        self._long_row_count += 1
        if len(self._long_rows) < _LISTED:
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
            rows = _listed([str(n) for n in self._long_rows], self._long_row_count)
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
        if _nonblank(cells)
    ]
    result = converter.result()
    result.table = pd.DataFrame(rows, columns=converter.names, dtype=str)
    return result


# --- the package ---------------------------------------------------------------------------


def package_folder(data_root: Path, tambon_code: str) -> Path:
    # The code becomes two path parts: only 6 digits may, or `--tambon ../x` leaves the data root.
    if not discovery.TAMBON_FOLDER.fullmatch(tambon_code):
        raise ImportFileError(f"{tambon_code!r} is not a 6-digit tambon code, e.g. 800106")
    return data_root / tambon_code[:2] / tambon_code


def _resource_path(resource: dict, folder: Path) -> str:
    """The one file the import replaces; a path leaving the package is never written to."""
    paths = descriptor_reader.resource_paths(resource)
    reason = descriptor_reader.unsafe_path_reason(paths[0], folder) if paths else "it has no path"
    if len(paths) != 1 or reason:
        raise ImportFileError(
            f"resource {resource.get('name')!r} cannot be imported into: its path {paths!r}"
            f" must be one file inside the package ({reason or 'it has several parts'})"
        )
    return paths[0]


def _resource(descriptor: dict, name: str) -> dict:
    for resource in descriptor.get("resources", []):
        if resource.get("name") == name:
            return resource
    names = ", ".join(r.get("name", "?") for r in descriptor.get("resources", []))
    raise ImportFileError(f"the package has no resource {name!r} (it has: {names})")


# Work files end so, are hidden (discovery and globs skip them) and are never copied along.
WORK_SUFFIX = ".importing"


def _is_work_file(name: str) -> bool:
    return name.startswith(".") and name.endswith(WORK_SUFFIX)


def _link_or_copy(source: Path, target: Path) -> None:
    """A second name for the file (no second copy of a large file), else a copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def validation_problems(folder: Path, resource_path: str, new_file: Path) -> list[str]:
    """What `tambon validate` would say of the package with `new_file` as one resource's file.

    Checked in a copy beside the package (hidden, removed on leaving), so the package is only
    changed when the result is valid; the resource's old file and work files are not copied.
    """
    replaced = (folder / resource_path).resolve()

    def left_out(directory: str, names: list[str]) -> list[str]:
        here = Path(directory).resolve()
        return [n for n in names if _is_work_file(n) or here / n == replaced]

    with tempfile.TemporaryDirectory(prefix=f".{folder.name}.validate-", dir=folder.parent) as tmp:
        root = Path(tmp)
        copy = root / folder.parent.name / folder.name
        shutil.copytree(folder, copy, symlinks=True, ignore=left_out)
        (copy / resource_path).parent.mkdir(parents=True, exist_ok=True)
        _link_or_copy(new_file, copy / resource_path)
        problems = validate.validate_package(discovery.package_ref(copy), root)
    return [p.as_text() for p in problems]


@dataclass
class ImportReport:
    written: Path | None
    read_as: str
    result: ImportResult
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _Target:
    folder: Path  # the package
    resource_path: str  # relative to the package
    schema: dict

    @property
    def file(self) -> Path:
        return self.folder / self.resource_path


def _target(data_root: Path, tambon_code: str, resource_name: str) -> _Target:
    """Where the import goes; everything about the package is checked before the file is read."""
    folder = package_folder(data_root, tambon_code)
    descriptor_path = discovery.find_descriptor(folder)
    if descriptor_path is None:
        raise ImportFileError(
            f"no package for tambon {tambon_code} in {folder}; "
            f"create it first with `tambon new-tambon {tambon_code}`"
        )
    resource = _resource(descriptor_reader.read_descriptor(descriptor_path), resource_name)
    schema = table_reader.resource_schema(resource, folder)
    return _Target(folder, _resource_path(resource, folder), schema)


@contextmanager
def _work_file(target: Path) -> Iterator[Path]:
    """A hidden file beside `target` (so the final rename stays on one file system), removed
    on leaving unless it was renamed onto `target`; a folder made for it is removed too."""
    made = [p for p in [target.parent, *target.parent.parents] if not p.exists()]
    target.parent.mkdir(parents=True, exist_ok=True)
    work = target.parent / f".{target.name}.{secrets.token_hex(4)}{WORK_SUFFIX}"
    try:
        yield work
    finally:
        work.unlink(missing_ok=True)
        for folder in made:  # innermost first; only if still empty
            try:
                folder.rmdir()
            except OSError:
                break


def _write_rows(
    source: SourceTable, converter: RowConverter, work: Path, progress: RowProgress, force: bool
) -> None:
    """Converts every row (the report counts them all) but, unless `force`, stops writing once
    the result cannot be valid: it will not be written, so its rows need no disk."""
    with work.open("x", encoding="utf-8", newline="") as out:
        writer = package_writer.csv_writer(out)
        writer.writerow(converter.names)
        for number, cells in source.rows:
            row = converter.convert(number, cells)
            if force or not converter.cannot_be_valid():
                writer.writerow(row)
            progress.rows(converter.rows)


# A result with empty required cells (or rows of another tambon, or cut rows) cannot be valid:
# validating it anyway costs about a millisecond a row in frictionless, for nothing new.
NOT_VALIDATED = (
    "the rest was not validated: the result cannot be valid until the problems above are fixed"
    " (with --force it is written, and `tambon validate` then lists every problem)"
)


def _io_error_message(path: Path, err: OSError | UnicodeError) -> str:
    if isinstance(err, OSError) and err.filename not in (None, str(path)):
        return f"cannot import {path.name}: {err.strerror or err} ({err.filename})"
    if isinstance(err, OSError):
        return f"cannot read {path}: {err.strerror or err}"
    return f"cannot read {path}: {err}"


def import_file(
    path: Path,
    data_root: Path,
    tambon_code: str,
    resource_name: str,
    sheet: str | None = None,
    force: bool = False,
    progress: RowProgress | None = None,
) -> ImportReport:
    """Imports `path` into one resource; writes only a valid result unless `force`.

    The file is read twice at most (once to find its encoding, once to convert it) and once
    more for a cp874 file; nothing of it is held in memory but the row being converted.
    """
    progress = progress or RowProgress()
    target = _target(data_root, tambon_code, resource_name)
    progress.stage(f"reading {path.name}")
    with _work_file(target.file) as work:
        try:
            with open_source(path, sheet) as source:
                converter = RowConverter(source.header, target.schema, tambon_code)
                _write_rows(source, converter, work, progress, force)
        except (OSError, UnicodeError) as err:
            raise ImportFileError(_io_error_message(path, err)) from err
        result = converter.result()
        problems = list(result.problems)
        if converter.cannot_be_valid():
            problems.append(NOT_VALIDATED)
        else:
            progress.stage(f"validating {result.rows:,} rows")
            problems += validation_problems(target.folder, target.resource_path, work)
        written = None
        if force or not problems:
            os.replace(work, target.file)
            written = target.file
    return ImportReport(written, source.read_as, result, problems)


def format_report(report: ImportReport, path: Path) -> str:
    result = report.result
    lines = [f"อ่าน {path.name} ({report.read_as}): {result.rows:,} แถว (rows)"]
    for column, name in result.mapping.items():
        lines.append(f"  {column} -> {name}")
    if result.unmapped:
        lines.append(
            "คอลัมน์ที่จับคู่ไม่ได้ (columns not mapped, left out): "
            + _listed(result.unmapped[:_LISTED], len(result.unmapped))
        )
    if result.empty_required:
        lines.append(
            "ช่องบังคับที่ว่าง (required fields left empty): " + ", ".join(result.empty_required)
        )
        lines += [f"  {name}: rows {rows}" for name, rows in result.empty_rows.items()]
    if report.problems:
        lines.append("ปัญหา (problems):")
        lines += [f"  - {p}" for p in report.problems]
    if report.written:
        lines.append(f"เขียนแล้ว (written): {report.written}")
    else:
        lines.append("ยังไม่ได้เขียนไฟล์: ข้อมูลไม่ผ่านการตรวจ (not written: the result would not validate;")
        lines.append("  fix the file, or write it anyway with --force and fix it in the package)")
    return "\n".join(lines)
