"""Reading an officer's file for `tambon import`: CSV (UTF-8, UTF-8 with a BOM, TIS-620 or
cp874, Excel's tab-separated "Unicode Text") or XLSX, as a heading row and a stream of rows of
text, one at a time, so memory does not grow with the file.

What is not a table (an .xls or a zip under a .csv name, a damaged or hostile workbook, an
XML entity, a zip bomb, a quote never closed) is refused with a message naming the file and
what to do (ImportFileError); nothing here knows the schema the rows are mapped onto.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from charset_normalizer import from_bytes
from defusedxml import DefusedXmlException

from tambon_portal.core import lazy

openpyxl = lazy.module("openpyxl")  # imported when a workbook is opened, not by every command


class ImportFileError(Exception):
    """The file or the package cannot be used; the message says why (exit 2)."""


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


def separator(heading_line: str) -> str:
    # Excel's "Unicode Text" export is tab-separated; everything else here is comma-separated.
    return "\t" if "\t" in heading_line and "," not in heading_line else ","


def nonblank(cells: list[str]) -> bool:
    return any(cell.strip() for cell in cells)


def _csv_rows(path: Path, lines: Iterator[str]) -> Iterator[tuple[int, list[str]]]:
    """Non-blank rows of CSV text, numbered by the file's line; a malformed one is named."""
    lines = iter(lines)
    first = next(lines, "")
    reader = csv.reader(_chain_first(first, lines), delimiter=separator(first))
    while True:
        starts = reader.line_num + 1  # a quoted cell may run over several lines
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            raise _csv_error(path, starts, err) from err
        if nonblank(cells):
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


def _xlsx_damaged() -> tuple[type[Exception], ...]:
    return (zipfile.BadZipFile, zlib.error, SyntaxError, KeyError, EOFError, ValueError,
            TypeError, IndexError, AttributeError,
            openpyxl.utils.exceptions.InvalidFileException)  # fmt: skip


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
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (*_XLSX_REFUSED, *_xlsx_damaged()) as err:
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
            if nonblank(cells):
                yield number, cells
    except (*_XLSX_REFUSED, *_xlsx_damaged()) as err:  # a sheet is only parsed as it is read
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
