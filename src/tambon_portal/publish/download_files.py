"""The download files' shapes and the pure conversions of one table: Excel-safe CSV, typed
JSON, zip, checksums (`downloads` writes them; `xlsx` makes the workbooks).

Every output is a deterministic function of its input (no clock): zip entries carry the time of
SOURCE_DATE_EPOCH, else 1980-01-01.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import math
import os
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from tambon_portal.packages import table_reader
from tambon_portal.packages.discovery import PackageRef
from tambon_portal.packages.writer import EXCEL_BOM, csv_bytes

MEDIA_TYPES: dict[str, str] = {
    "csv": "text/csv",
    "excel-csv": "text/csv",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
}

# A spreadsheet treats a cell starting with one of these as a formula (or a formula's start).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NUMERIC_TYPES = frozenset({"integer", "number", "year"})
XLSX_SHEET_NAME_MAX = 31
README_SHEET = "README"


@dataclass(frozen=True)
class DownloadFile:
    path: str  # relative to the downloads folder, with forward slashes
    size: int
    sha256: str
    media_type: str
    package: str | None  # package name; "tambons-<pp>" for a province bundle
    resource: str | None
    format: str  # csv | excel-csv | json | xlsx | zip

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Table:
    """One CSV resource of a package, kept as the text cells of the source."""

    name: str
    title: str
    description: str
    fields: list[dict]  # Table Schema fields; one {"name", "type": "string"} per column when none
    header: list[str]
    rows: list[list[str]]
    missing_values: tuple[str, ...]
    source: bytes


@dataclass
class Package:
    """A package read for publishing: its descriptor, CSV tables and the files its zip holds."""

    ref: PackageRef
    name: str
    descriptor: dict
    descriptor_json: bytes  # the source bytes when the descriptor is JSON, else a JSON rendering
    tables: list[Table]
    files: dict[str, bytes] = field(default_factory=dict)  # zip arcname -> bytes


@dataclass(frozen=True)
class Output:
    """One download file of a package or a province bundle, made in memory (written by
    `downloads`)."""

    rel: str
    data: bytes
    fmt: str
    resource: str | None


# (key parts of each item, compute) -> each item's result: the one saved for its parts, else
# made by `compute(indices)` (of the items not saved, in order). The build passes its stage
# cache (`pipeline.cache`) here, so what comes of a package whose bytes did not change is not
# made again; without one (`no_memo`), everything is computed.
Memo = Callable[[Sequence[tuple], Callable[[list[int]], list[Any]]], list[Any]]


def no_memo(parts: Sequence[tuple], compute: Callable[[list[int]], list[Any]]) -> list[Any]:
    return compute(list(range(len(parts))))


# --- pure helpers ---------------------------------------------------------------------------


CellValue = Callable[[str], Any]


def value_reader(field_: dict, missing_values: Sequence[str]) -> CellValue:
    """How a cell of `field_` is written to JSON and XLSX: None when it is empty; a missing-value
    marker as it is (a suppressed count is "x" in the CSV, the XLSX and the JSON alike: the
    descriptor's missingValues say what it means, and null would not tell suppressed from
    empty); else the value `table_reader.cell_reader` types it as (the one typer, the pages').

    A cell that does not parse as its type (or a number JSON cannot hold: NaN, infinity) is
    the text, unchanged: the validator reports it, and a download must never silently drop or
    alter a value.
    """
    missing = frozenset(table_reader.field_missing_values(field_, missing_values))
    read = table_reader.cell_reader(field_)

    def value(text: str) -> Any:
        if text in missing:
            return None if text == "" else text
        typed = read(text)
        if typed is None or (isinstance(typed, float) and not math.isfinite(typed)):
            return text
        return typed

    return value


def typed_value(text: str, field_: dict, missing_values: Sequence[str]) -> Any:
    """One cell as `value_reader` writes it (a column's reader is faster for many cells)."""
    return value_reader(field_, missing_values)(text)


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def neutralise_for_excel(text: str, field_: dict, missing_values: Sequence[str] = ("",)) -> str:
    """Prefix an apostrophe to a text cell a spreadsheet would run as a formula.

    A number in a numeric column (`-5` as an integer) is data, not a formula, and stays as is;
    the same `-5` in a text column gets the apostrophe (decided by the schema, not the look).
    """
    if not looks_like_formula(text):
        return text
    value = typed_value(text, field_, missing_values)
    if field_.get("type") in NUMERIC_TYPES and isinstance(value, int | float):
        return text
    return "'" + text  # text, or a missing-value marker such as "-": data, never a formula


def sheet_names(resource_names: Sequence[str]) -> list[str]:
    """Excel sheet names for resources: at most 31 characters, legal, unique (case-insensitive)."""
    taken = {README_SHEET.lower()}
    names = []
    for resource in resource_names:
        base = re.sub(r"[\[\]:*?/\\]", "_", resource).strip("'")[:XLSX_SHEET_NAME_MAX] or "sheet"
        name, n = base, 2
        while name.lower() in taken:
            suffix = f"~{n}"
            name = base[: XLSX_SHEET_NAME_MAX - len(suffix)] + suffix
            n += 1
        taken.add(name.lower())
        names.append(name)
    return names


def zip_date_time() -> tuple[int, int, int, int, int, int]:
    """The timestamp of every zip entry: SOURCE_DATE_EPOCH when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return (1980, 1, 1, 0, 0, 0)
    when = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return max((1980, 1, 1, 0, 0, 0), when.timetuple()[:6])


def zip_bytes(entries: Iterable[tuple[str, bytes]], *, sort: bool = True) -> bytes:
    """A deterministic zip: fixed timestamps and permissions, entries sorted by name."""
    items = sorted(entries) if sort else list(entries)
    when = zip_date_time()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in items:
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # unix, so the permissions above are honoured by unzip
            archive.writestr(info, data)
    return buffer.getvalue()


def package_zip_entries(package: Package, prefix: str = "") -> list[tuple[str, bytes]]:
    """A package's zip as (arcname, bytes): its descriptor and the files it names."""
    entries = [(f"{prefix}datapackage.json", package.descriptor_json)]
    entries += [(prefix + path.replace("\\", "/"), data) for path, data in package.files.items()]
    return entries


def excel_csv_bytes(table: Table) -> bytes:
    return excel_header(table.header) + excel_rows(table)


def excel_header(header: Sequence[str]) -> bytes:
    """The BOM and header line of an Excel-CSV. A header could be formula-looking too: it is
    neutralised as text."""
    return csv_bytes([[neutralise_for_excel(h, {"type": "string"}) for h in header]], excel=True)


def excel_rows(table: Table) -> bytes:
    """The rows of `table`'s Excel-CSV: formula-looking text cells neutralised, CRLF, no BOM."""
    fields = fields_by_column(table)
    rows = [
        [
            neutralise_for_excel(cell, fields[i], table.missing_values) if i < len(fields) else cell
            for i, cell in enumerate(row)
        ]
        for row in table.rows
    ]
    return csv_bytes(rows, excel=True)[len(EXCEL_BOM) :]


def json_bytes(table: Table) -> bytes:
    values = column_values(table)
    records = [
        {
            column: values[i](cell)
            for i, (column, cell) in enumerate(zip(table.header, row, strict=False))
        }
        for row in table.rows
    ]
    # One record per line: readable in a browser, a fraction of the size of indented JSON.
    lines = ",\n".join(json.dumps(r, ensure_ascii=False) for r in records)
    return f"[\n{lines}\n]\n".encode() if records else b"[]\n"


def column_values(table: Table) -> list[CellValue]:
    """The `value_reader` of each column of the CSV header."""
    return [value_reader(f, table.missing_values) for f in fields_by_column(table)]


def fields_by_column(table: Table) -> list[dict]:
    """Schema fields in the order of the CSV header (matched by name; string when unknown)."""
    by_name = {f.get("name"): f for f in table.fields}
    return [by_name.get(column, {"name": column, "type": "string"}) for column in table.header]


def files_by_package(files: Iterable[DownloadFile]) -> dict[str | None, list[DownloadFile]]:
    """`files` grouped by the package they belong to, in their order."""
    grouped: dict[str | None, list[DownloadFile]] = {}
    for file in files:
        grouped.setdefault(file.package, []).append(file)
    return grouped


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256sums(files: Sequence[DownloadFile]) -> bytes:
    """`sha256sum -c` format, sorted by path."""
    lines = [f"{f.sha256}  {f.path}\n" for f in sorted(files, key=lambda f: f.path)]
    return "".join(lines).encode("utf-8")
