"""The XLSX downloads: a package's workbook (README sheet + one sheet per table) and the
labelled province workbook, deterministic (no clock in the file) and with text never turned
into a formula.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from typing import Any

from tambon_portal.core import lazy, settings, siteurl, urls
from tambon_portal.core.licences import first_licence
from tambon_portal.publish import sheet_xml
from tambon_portal.publish.download_files import (
    README_SHEET,
    CellValue,
    Package,
    column_values,
    fields_by_column,
    looks_like_formula,
    sheet_names,
    zip_bytes,
    zip_date_time,
)
from tambon_portal.publish.pieced_zip import Piece, piece, pieced_zip_bytes

openpyxl = lazy.module("openpyxl")  # imported when an XLSX is written, not by every command

# --- XLSX ------------------------------------------------------------------------------------


def xlsx_text(text: str) -> str:
    """Text XML can hold: control characters (other than tab and line ends) are dropped.

    openpyxl refuses them and one stray byte would stop the whole build; the CSV downloads
    keep them, so nothing is lost to a reader who needs the exact bytes.
    """
    return openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE.sub("", text)


def _text_cell(sheet: Any, text: str, *, bold: bool = False) -> Any:
    """A cell holding `text` as a string, never a formula, whatever it starts with."""
    cell = openpyxl.cell.WriteOnlyCell(sheet, value=xlsx_text(text))
    cell.data_type = "s"
    if looks_like_formula(text):
        cell.quotePrefix = True  # Excel keeps it text even when someone edits the cell
    if bold:
        cell.font = openpyxl.styles.Font(bold=True)
    return cell


def _xlsx_cell(sheet: Any, text: str, value_of: CellValue) -> Any:
    if text == "":
        return None
    value = value_of(text)
    if isinstance(value, bool | int | float):
        return value
    # Missing-value markers ("x" = suppressed) stay visible as text. A plain str is several
    # times cheaper for openpyxl than a styled cell, and it only turns "=..." into a formula.
    return _text_cell(sheet, text) if looks_like_formula(text) else xlsx_text(text)


def _sheet_value(sheet: Any, value: Any) -> Any:
    """A labelled sheet's value: text stays text (never a formula), numbers stay numbers. Plain
    text is handed over as a str: openpyxl writes it as a string cell, and a styled cell per
    text made the province's labelled workbook most of a one-cell rebuild."""
    if not isinstance(value, str):
        return value
    return _text_cell(sheet, value) if looks_like_formula(value) else xlsx_text(value)


def _readme_rows(package: Package, *, version: str, site_url: str, license: dict) -> list[list]:
    descriptor = package.descriptor
    licence = first_licence(descriptor, license)
    sources = "; ".join(
        s.get("title") or s.get("name") or s.get("path", "") for s in descriptor.get("sources", [])
    )
    rows: list[list] = [
        ["ชื่อชุดข้อมูล / Title", descriptor.get("title") or package.name],
        ["ชื่อภาษาอังกฤษ / English title", descriptor.get("title_en", "")],
        ["คำอธิบาย / Description", descriptor.get("description", "")],
        ["ชื่อแพ็กเกจ / Package name", package.name],
        [
            "สัญญาอนุญาต / Licence",
            " ".join(
                x for x in (licence.get("title") or licence.get("name"), licence.get("path")) if x
            ),
        ],
        ["แหล่งที่มา / Source", sources],
        ["รุ่นข้อมูล / Version", version],
        [
            "เว็บไซต์ / Website",
            siteurl.NOT_SET
            if siteurl.is_placeholder(site_url)
            else urls.version_root(site_url, version),
        ],
    ]
    if any(settings.SUPPRESSED in t.missing_values for t in package.tables):
        rows.append(["หมายเหตุ / Note", settings.SUPPRESSED_NOTE])
    rows.append([])
    return rows


def xlsx_bytes(package: Package, *, version: str, site_url: str, license: dict) -> bytes:
    """README sheet, then one sheet per table: bold frozen header, numbers as numbers."""
    workbook = openpyxl.Workbook(write_only=True)
    fixed = dt.datetime(*zip_date_time())
    workbook.properties.created = fixed
    workbook.properties.modified = fixed
    workbook.properties.creator = "tambon-portal"
    workbook.properties.title = str(package.descriptor.get("title") or package.name)
    workbook.properties.version = version

    readme = workbook.create_sheet(README_SHEET)
    readme.column_dimensions["A"].width = 30
    readme.column_dimensions["B"].width = 24
    readme.column_dimensions["C"].width = 12
    readme.column_dimensions["D"].width = 30
    readme.column_dimensions["E"].width = 60
    for row in _readme_rows(package, version=version, site_url=site_url, license=license):
        label, *values = row or [""]
        readme.append(
            [_text_cell(readme, label, bold=True), *(_text_cell(readme, str(v)) for v in values)]
        )
    names = sheet_names([t.name for t in package.tables])
    header = ["ตาราง / Sheet", "คอลัมน์ / Field", "ชนิด / Type", "ชื่อ / Title", "คำอธิบาย / Description"]
    readme.append([_text_cell(readme, h, bold=True) for h in header])
    for table, sheet_name in zip(package.tables, names, strict=True):
        for f in fields_by_column(table):
            values = [
                sheet_name,
                f["name"],
                f.get("type", "string"),
                f.get("title", ""),
                f.get("description", ""),
            ]
            readme.append([_text_cell(readme, str(v)) for v in values])

    for table, sheet_name in zip(package.tables, names, strict=True):
        sheet = workbook.create_sheet(sheet_name)
        sheet.freeze_panes = "A2"
        sheet.append([_text_cell(sheet, h, bold=True) for h in table.header])
        values = column_values(table)
        for row in table.rows:
            sheet.append(
                [
                    _xlsx_cell(sheet, cell, values[i] if i < len(values) else str)
                    for i, cell in enumerate(row)
                ]
            )
    return _deterministic_xlsx(workbook)


def sheets_xlsx_bytes(sheets: Sequence[tuple[str, Sequence[str], list[list], str]]) -> bytes:
    """A workbook of (title, header, rows, note) sheets: bold frozen header, text kept text,
    numbers as numbers, the note under the rows (`labelled`).

    openpyxl writes the workbook with each sheet's header; the rows below it are written by
    `sheet_xml`, the same bytes openpyxl gives, several times faster. A sheet holding a value
    `sheet_xml` does not cover is written by openpyxl whole."""
    entries = _entries(_labelled_workbook(sheets, with_rows=False))
    for number, (_, _, rows, note) in enumerate(sheets, 1):
        below = _rows_below_header([*rows, [], [note]])
        name = f"xl/worksheets/sheet{number}.xml"
        end = entries[name].rfind(b"</sheetData>")
        if below is None or end < 0:
            return _deterministic_xlsx(_labelled_workbook(sheets, with_rows=True))
        entries[name] = entries[name][:end] + below.encode("ascii") + entries[name][end:]
    return zip_bytes(list(entries.items()), sort=False)


def pieced_sheets_xlsx_bytes(
    sheets: Sequence[tuple[str, Sequence[str], Sequence[Piece], int, str]],
) -> bytes | None:
    """`sheets_xlsx_bytes` of (title, header, rows, note) sheets whose rows below the header
    come as compressed pieces (`pieced_zip`) of `count` rows numbered from 2 on
    (`sheet_xml.row_templates`): the same cells, with no row made or compressed again. None
    when the note is one `sheet_xml` does not cover."""
    heads = [(title, header, [], note) for title, header, _, _, note in sheets]
    workbook = _labelled_workbook(heads, with_rows=False)
    entries: dict[str, bytes | list[Piece]] = {**_entries(workbook)}
    for number, (_, _, pieces, count, note) in enumerate(sheets, 1):
        name = f"xl/worksheets/sheet{number}.xml"
        head = entries[name]
        assert isinstance(head, bytes)
        end, below = head.rfind(b"</sheetData>"), row_templates([[], [note]])
        if below is None or end < 0:
            return None
        tail = sheet_xml.numbered(below, 2 + count).encode("ascii") + head[end:]
        entries[name] = [piece(head[:end]), *pieces, piece(tail)]
    return pieced_zip_bytes(list(entries.items()), zip_date_time())


def _labelled_workbook(
    sheets: Sequence[tuple[str, Sequence[str], list[list], str]], *, with_rows: bool
) -> Any:
    workbook = openpyxl.Workbook(write_only=True)
    fixed = dt.datetime(*zip_date_time())
    workbook.properties.created = fixed
    workbook.properties.modified = fixed
    workbook.properties.creator = "tambon-portal"
    for title, header, rows, note in sheets:
        sheet = workbook.create_sheet(title[:31])
        sheet.freeze_panes = "A2"
        sheet.append([_text_cell(sheet, h, bold=True) for h in header])
        if with_rows:
            for row in rows:
                sheet.append([_sheet_value(sheet, v) for v in row])
            sheet.append([])
            sheet.append([_text_cell(sheet, note)])
    return workbook


def _rows_below_header(rows: list[list]) -> str | None:
    templates = row_templates(rows)
    return None if templates is None else sheet_xml.numbered(templates, first_row=2)


def row_templates(rows: Sequence[Sequence[Any]]) -> list[str] | None:
    """`sheet_xml.row_templates` of rows cleaned as openpyxl would hold them (`xlsx_text`);
    None where openpyxl must write the sheet (a formula-looking text, a value not covered)."""
    cleaned = []
    texts: dict[str, str] = {}  # a sheet repeats its labels and names: each cleaned once
    for row in rows:
        values = []
        for value in row:
            if isinstance(value, str):
                if (text := texts.get(value)) is None:
                    if looks_like_formula(value):
                        return None  # openpyxl styles it with a quote prefix
                    text = texts[value] = xlsx_text(value)
                value = text
            values.append(value)
        cleaned.append(values)
    return sheet_xml.row_templates(cleaned)


def _entries(workbook: Any) -> dict[str, bytes]:
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        openpyxl.writer.excel.ExcelWriter(workbook, archive).save()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _deterministic_xlsx(workbook: Any) -> bytes:
    # openpyxl's save() stamps the clock into docProps/core.xml and every zip entry: write with
    # its ExcelWriter directly, then re-pack the entries with fixed timestamps (order kept).
    return zip_bytes(list(_entries(workbook).items()), sort=False)
