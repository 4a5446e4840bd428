"""Download files for every published data package: CSV, Excel-safe CSV, JSON, XLSX, zip, bundles.

Layout under `out_dir` (which becomes `<site>/downloads/`):

    <package>/<resource>.csv          the source CSV, byte for byte
    <package>/<resource>.excel.csv    UTF-8 with BOM, CRLF, formula-looking text cells neutralised
    <package>/<resource>.json         records typed per the Table Schema, null if missing
    <package>/<package>.xlsx          README sheet + one sheet per resource
    <package>/<package>.zip           datapackage.json + the resource files exactly as the source
    bundles/tambons-<pp>.zip          every tambon package of province <pp>, one folder each
    bundles/<resource>-<pp>.csv       one table per resource across the province (+ .excel.csv)
    index.json, SHA256SUMS            what was written, with sizes and checksums

`<package>` is the package's `discovery.published_slug`, `<resource>` its `urls.slug`; no
path is written twice in one build (`DuplicateDownload`).

Every output is a deterministic function of the inputs (no clock): zip entries carry the time
of SOURCE_DATE_EPOCH, else 1980-01-01, so two builds of the same data give identical bytes.
"""

from __future__ import annotations

import csv
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
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.writer.excel import ExcelWriter

from tambon_portal.core import licences, siteurl, urls
from tambon_portal.core.licences import first_licence
from tambon_portal.packages import descriptor_reader, discovery, table_reader
from tambon_portal.packages.discovery import PackageRef
from tambon_portal.packages.file_store import FileStore
from tambon_portal.packages.writer import csv_bytes, descriptor_text, json_document
from tambon_portal.publish import labelled

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


# --- pure helpers ---------------------------------------------------------------------------


CellValue = Callable[[str], Any]


def value_reader(field_: dict, missing_values: Sequence[str]) -> CellValue:
    """How a cell of `field_` is written to JSON and XLSX: None when it is a missing value, else
    the value `table_reader.cell_reader` types it as (the one typer, the pages' too).

    A cell that does not parse as its type (or a number JSON cannot hold: NaN, infinity) is
    the text, unchanged: the validator reports it, and a download must never silently drop or
    alter a value.
    """
    missing = frozenset(table_reader.field_missing_values(field_, missing_values))
    read = table_reader.cell_reader(field_)

    def value(text: str) -> Any:
        if text in missing:
            return None
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


def excel_csv_bytes(table: Table) -> bytes:
    fields = _fields_by_column(table)
    rows = [
        [
            neutralise_for_excel(cell, fields[i], table.missing_values) if i < len(fields) else cell
            for i, cell in enumerate(row)
        ]
        for row in table.rows
    ]
    # A header could be formula-looking too: neutralise it as text.
    header = [neutralise_for_excel(h, {"type": "string"}) for h in table.header]
    return csv_bytes([header, *rows], excel=True)


def json_bytes(table: Table) -> bytes:
    values = _column_values(table)
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


def _column_values(table: Table) -> list[CellValue]:
    """The `value_reader` of each column of the CSV header."""
    return [value_reader(f, table.missing_values) for f in _fields_by_column(table)]


def _fields_by_column(table: Table) -> list[dict]:
    """Schema fields in the order of the CSV header (matched by name; string when unknown)."""
    by_name = {f.get("name"): f for f in table.fields}
    return [by_name.get(column, {"name": column, "type": "string"}) for column in table.header]


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256sums(files: Sequence[DownloadFile]) -> bytes:
    """`sha256sum -c` format, sorted by path."""
    lines = [f"{f.sha256}  {f.path}\n" for f in sorted(files, key=lambda f: f.path)]
    return "".join(lines).encode("utf-8")


# --- XLSX ------------------------------------------------------------------------------------


def xlsx_text(text: str) -> str:
    """Text XML can hold: control characters (other than tab and line ends) are dropped.

    openpyxl refuses them and one stray byte would stop the whole build; the CSV downloads
    keep them, so nothing is lost to a reader who needs the exact bytes.
    """
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _text_cell(sheet: Any, text: str, *, bold: bool = False) -> WriteOnlyCell:
    """A cell holding `text` as a string, never a formula, whatever it starts with."""
    cell = WriteOnlyCell(sheet, value=xlsx_text(text))
    cell.data_type = "s"
    if looks_like_formula(text):
        cell.quotePrefix = True  # Excel keeps it text even when someone edits the cell
    if bold:
        cell.font = Font(bold=True)
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
    if any("x" in t.missing_values for t in package.tables):
        rows.append(["หมายเหตุ / Note", "x = ปกปิดจำนวนน้อย 1–4 (suppressed small count 1–4)"])
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
        for f in _fields_by_column(table):
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
        values = _column_values(table)
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
    numbers as numbers, the note under the rows (`labelled`)."""
    workbook = openpyxl.Workbook(write_only=True)
    fixed = dt.datetime(*zip_date_time())
    workbook.properties.created = fixed
    workbook.properties.modified = fixed
    workbook.properties.creator = "tambon-portal"
    for title, header, rows, note in sheets:
        sheet = workbook.create_sheet(title[:31])
        sheet.freeze_panes = "A2"
        sheet.append([_text_cell(sheet, h, bold=True) for h in header])
        for row in rows:
            sheet.append([_sheet_value(sheet, v) for v in row])
        sheet.append([])
        sheet.append([_text_cell(sheet, note)])
    return _deterministic_xlsx(workbook)


def _deterministic_xlsx(workbook: openpyxl.Workbook) -> bytes:
    # openpyxl's save() stamps the clock into docProps/core.xml and every zip entry: write with
    # its ExcelWriter directly, then re-pack the entries with fixed timestamps (order kept).
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as archive:
        entries = [(name, archive.read(name)) for name in archive.namelist()]
    return zip_bytes(entries, sort=False)


# --- reading packages ------------------------------------------------------------------------


def _dialect_delimiter(resource: dict) -> str:
    dialect = resource.get("dialect") or {}
    if not isinstance(dialect, dict):
        return ","
    # frictionless v5 nests CSV options under dialect.csv; Table Dialect v1 puts them at the top.
    return str({**dialect, **(dialect.get("csv") or {})}.get("delimiter") or ",")


def _parse_csv(source: bytes, delimiter: str) -> list[list[str]]:
    text = source.decode("utf-8-sig")
    return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) if row]


def _package_files(descriptor: dict, folder: Path, store: FileStore) -> dict[str, bytes]:
    """The files a package's zip holds: resource data and external schemas, by relative path.

    Unsafe paths (absolute, `..`, URLs) are skipped, never opened: `tambon validate` refuses
    such a package before a build gets here.
    """
    files: dict[str, bytes] = {}
    for resource in descriptor.get("resources") or []:
        if not isinstance(resource, dict):
            continue
        schema = resource.get("schema")
        paths = descriptor_reader.resource_paths(resource) + (
            [schema] if isinstance(schema, str) else []
        )
        for path in paths:
            if (
                descriptor_reader.unsafe_path_reason(path, folder) is None
                and (folder / path).is_file()
            ):
                files[path] = store.read(folder / path)
    return files


def _table(resource: dict, folder: Path, files: dict[str, bytes], store: FileStore) -> Table | None:
    name, paths = table_reader.table_name(resource), descriptor_reader.resource_paths(resource)
    if name is None or paths[0] not in files:
        return None
    schema = table_reader.resource_schema(resource, folder, store)
    rows = _parse_csv(files[paths[0]], _dialect_delimiter(resource))
    dialect = resource.get("dialect")
    if isinstance(dialect, dict) and dialect.get("header") is False:
        rows.insert(0, [str(f.get("name")) for f in schema.get("fields", [])])
    header = rows[0] if rows else []
    return Table(
        name=name,
        title=str(resource.get("title") or ""),
        description=str(resource.get("description") or ""),
        fields=schema.get("fields") or [{"name": h, "type": "string"} for h in header],
        header=header,
        rows=rows[1:],
        missing_values=tuple(str(v) for v in schema.get("missingValues", [""])),
        source=files[paths[0]],
    )


@dataclass(frozen=True)
class Source:
    """A package's bytes as published (read without parsing a table): enough to know whether
    its downloads changed."""

    ref: PackageRef
    name: str
    descriptor: dict
    descriptor_json: bytes  # the source bytes when the descriptor is JSON, else a JSON rendering
    files: dict[str, bytes]  # zip arcname -> bytes

    def digest(self) -> str:
        digest = hashlib.sha256(f"{self.name}\0".encode() + self.descriptor_json)
        for arcname, data in sorted(self.files.items()):
            digest.update(f"\0{arcname}\0{len(data)}\0".encode() + data)
        return digest.hexdigest()

    def province(self) -> str | None:
        code = self.ref.tambon_code or self.descriptor.get("tambon_code")
        return str(code)[:2] if self.ref.kind == "tambon" and code else None

    def tambon_order(self) -> tuple[str, str]:
        return (str(self.ref.tambon_code or self.descriptor.get("tambon_code") or ""), self.name)


def read_source(ref: PackageRef, store: FileStore | None = None) -> Source:
    """The package's bytes, read through `store` (`file_store`; a new one when None)."""
    store = store or FileStore()
    descriptor = discovery.descriptor_of(ref)
    if ref.descriptor_path.suffix.lower() == ".json":
        descriptor_json = store.read(ref.descriptor_path)
    else:  # a YAML descriptor: the zip must still carry a datapackage.json
        descriptor_json = descriptor_text(descriptor).encode()
    files = _package_files(descriptor, ref.folder, store)
    return Source(ref, discovery.published_slug(ref), descriptor, descriptor_json, files)


def read_package(
    ref: PackageRef, source: Source | None = None, store: FileStore | None = None
) -> Package:
    """Read a package's descriptor, its CSV tables and the files its zip holds."""
    store = store or FileStore()
    source = source or read_source(ref, store)
    tables = [
        table
        for resource in table_reader.tabular_resources(source.descriptor)
        if (table := _table(resource, ref.folder, source.files, store)) is not None
    ]
    return Package(
        ref=ref,
        name=source.name,
        descriptor=source.descriptor,
        descriptor_json=source.descriptor_json,
        tables=tables,
        files=source.files,
    )


def package_zip_entries(package: Package, prefix: str = "") -> list[tuple[str, bytes]]:
    entries = [(f"{prefix}datapackage.json", package.descriptor_json)]
    entries += [(prefix + path.replace("\\", "/"), data) for path, data in package.files.items()]
    return entries


# --- province bundles --------------------------------------------------------------------------


def bundle_name(province: str) -> str:
    """The package name of the bundle of every tambon package of `province`."""
    return f"{urls.BUNDLE_PREFIX}{province}"


def concatenated_table(tables: Sequence[Table], name: str) -> Table:
    """One table from many with the same resource: header once, columns in first-seen order."""
    header: list[str] = []
    for table in tables:
        header += [c for c in table.header if c not in header]
    rows = []
    for table in tables:
        index = {c: i for i, c in enumerate(table.header)}
        rows += [
            [row[index[c]] if c in index and index[c] < len(row) else "" for c in header]
            for row in table.rows
        ]
    first = tables[0]
    fields = {f.get("name"): f for t in reversed(tables) for f in t.fields}
    return Table(
        name=name,
        title=first.title,
        description=first.description,
        fields=[fields.get(c, {"name": c, "type": "string"}) for c in header],
        header=header,
        rows=rows,
        missing_values=tuple(dict.fromkeys(m for t in tables for m in t.missing_values)),
        source=csv_bytes([header, *rows]),
    )


def _tambon_order(package: Package) -> tuple[str, str]:
    return (
        str(package.ref.tambon_code or package.descriptor.get("tambon_code") or ""),
        package.name,
    )


# --- writing -----------------------------------------------------------------------------------


class DuplicateDownload(RuntimeError):
    """Two downloads of one build were given the same path: a bug, never to be silent.

    `tambon validate` refuses packages whose names collide (name-collision), so this is only
    reached when a published name is derived without `discovery.published_slug`.
    """


class _Writer:
    """Writes files under the downloads folder and remembers a DownloadFile for each.

    A path is written at most once per build: the second file would replace the first and
    SHA256SUMS would then list a checksum the folder no longer matches.
    """

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.files: list[DownloadFile] = []
        self._writers: dict[str, str] = {}  # casefolded path -> who wrote it

    def write_unlisted(self, rel: str, data: bytes, *, by: str) -> None:
        """Write `rel` without listing it among the downloads (index.json, SHA256SUMS)."""
        # Casefolded: on a case-insensitive disk (a copy on Windows or macOS) A.csv is a.csv.
        key = rel.casefold()
        if key in self._writers:
            raise DuplicateDownload(
                f"{urls.download_path(rel)} would be written twice in one build, by"
                f" {self._writers[key]}"
                f" and then by {by}; the second would overwrite the first"
            )
        self._writers[key] = by
        target = self.out_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)

    def write(
        self, rel: str, data: bytes, *, fmt: str, package: str | None, resource: str | None
    ) -> None:
        by = f"package {package}" + (f", resource {resource}" if resource else "")
        self.write_unlisted(rel, data, by=by)
        self.files.append(
            DownloadFile(
                path=rel,
                size=len(data),
                sha256=sha256_hex(data),
                media_type=MEDIA_TYPES[fmt],
                package=package,
                resource=resource,
                format=fmt,
            )
        )


@dataclass(frozen=True)
class Output:
    """One download file of a package, made in memory (written by `_Writer`)."""

    rel: str
    data: bytes
    fmt: str
    resource: str | None


# (key parts, compute) -> compute()'s value, or the value saved for those parts. The build
# passes its stage cache (`pipeline.cache`) here, so a package whose bytes did not change is
# not converted again; without one, everything is computed.
Memo = Callable[[tuple, Callable[[], list[Output]]], list[Output]]


def _no_memo(parts: tuple, compute: Callable[[], list[Output]]) -> list[Output]:
    return compute()


def package_outputs(
    package: Package, *, version: str, site_url: str, license: dict
) -> list[Output]:
    """Every download of one package: per table CSV, Excel-CSV and JSON; the XLSX; the zip."""
    name = package.name
    outputs = []
    for table in package.tables:
        contents = {
            "csv": table.source,
            "excel-csv": excel_csv_bytes(table),
            "json": json_bytes(table),
        }
        for fmt, file in urls.table_files(table.name).items():
            outputs.append(Output(f"{name}/{file}", contents[fmt], fmt, table.name))
    if package.tables:
        data = xlsx_bytes(package, version=version, site_url=site_url, license=license)
        outputs.append(Output(f"{name}/{name}.xlsx", data, "xlsx", None))
    outputs.append(
        Output(f"{name}/{name}.zip", zip_bytes(package_zip_entries(package)), "zip", None)
    )
    return outputs


def province_bundle_outputs(province: str, members: list[Package]) -> list[Output]:
    """The bundle of a province's tambon packages: one zip, and per table one CSV and one
    Excel-CSV of every tambon (BMN also labelled XLSX)."""
    members = sorted(members, key=_tambon_order)
    entries = [e for p in members for e in package_zip_entries(p, prefix=f"{p.name}/")]
    outputs = [Output(f"{urls.BUNDLES_DIR}/{bundle_name(province)}.zip", zip_bytes(entries),
                      "zip", None)]  # fmt: skip
    by_resource: dict[str, list[Table]] = {}
    for member in members:
        for table in member.tables:
            by_resource.setdefault(table.name, []).append(table)
    for resource, tables in by_resource.items():
        table = concatenated_table(tables, resource)
        stem = f"{urls.BUNDLES_DIR}/{urls.slug(resource)}-{province}"
        outputs.append(Output(f"{stem}.csv", table.source, "csv", resource))
        outputs.append(Output(f"{stem}.excel.csv", excel_csv_bytes(table), "excel-csv", resource))
        if resource == labelled.BMN_RESOURCE:
            sheets = labelled.bmn_sheets(_cells(table), _village_names(members))
            outputs.append(
                Output(f"{stem}{labelled.LABELLED_SUFFIX}", sheets_xlsx_bytes(sheets), "xlsx",
                       resource)
            )  # fmt: skip
    return outputs


def _cells(table: Table) -> list[dict[str, str]]:
    return [dict(zip(table.header, row, strict=False)) for row in table.rows]


def _village_names(members: Sequence[Package]) -> dict[str, str]:
    """Village code -> Thai name, from the members' `villages` tables."""
    names: dict[str, str] = {}
    for member in members:
        for table in member.tables:
            if table.name == "villages":
                names.update({r.get("village_code", ""): r.get("name_th", "")
                              for r in _cells(table)})  # fmt: skip
    return names


def write_downloads(
    refs: list[PackageRef],
    out_dir: Path,
    *,
    version: str,
    site_url: str,
    license: dict | None = None,
    memo: Memo | None = None,
    store: FileStore | None = None,
) -> list[DownloadFile]:
    """Write every download of `refs` under `out_dir`; return them sorted by path.

    With `memo`, a package's files are made only when its bytes (or the settings) changed.

    `license` is stated in the XLSX README of packages whose descriptor names none
    (default CC BY 4.0). Also writes `index.json` and `SHA256SUMS` (which covers index.json).
    """
    license = license or licences.DEFAULT
    memo = memo or _no_memo
    writer = _Writer(out_dir)
    store = store or FileStore()  # every file read once (`file_store`)
    sources = [read_source(ref, store) for ref in refs]  # bytes only: no table parsed yet
    digests = [source.digest() for source in sources]
    read: dict[int, Package] = {}

    def package(i: int) -> Package:  # parsed only when something of it must be made
        if i not in read:
            read[i] = read_package(sources[i].ref, sources[i], store)
        return read[i]

    settings = json.dumps(license, sort_keys=True)  # hashable, for any memo
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")  # zip timestamps
    for i, source in enumerate(sources):
        made = memo(
            (digests[i], version, site_url, settings, epoch),
            lambda i=i: package_outputs(
                package(i), version=version, site_url=site_url, license=license
            ),
        )
        _write_all(writer, made, source.name)
    provinces: dict[str, list[int]] = {}
    for i, source in enumerate(sources):
        if code := source.province():
            provinces.setdefault(code, []).append(i)
    for code, members in sorted(provinces.items()):
        members.sort(key=lambda i: sources[i].tambon_order())
        made = memo(
            ("bundle", code, tuple(digests[i] for i in members), epoch),
            lambda code=code, members=members: province_bundle_outputs(
                code, [package(i) for i in members]
            ),
        )
        _write_all(writer, made, bundle_name(code))

    files = sorted(writer.files, key=lambda f: f.path)
    index = index_document(files, version=version, site_url=site_url)
    index_data = json_document(index)
    writer.write_unlisted(urls.INDEX_FILE, index_data, by="the index of downloads")
    index_entry = DownloadFile(
        urls.INDEX_FILE,
        len(index_data),
        sha256_hex(index_data),
        "application/json",
        None,
        None,
        "json",
    )
    writer.write_unlisted(urls.SUMS_FILE, sha256sums([*files, index_entry]), by="the checksums")
    return files


def _write_all(writer: _Writer, outputs: list[Output], package: str) -> None:
    for output in outputs:
        writer.write(
            output.rel, output.data, fmt=output.fmt, package=package, resource=output.resource
        )


def index_document(files: Sequence[DownloadFile], *, version: str, site_url: str) -> dict:
    return {
        "version": version,
        "files": [
            {**f.to_dict(), "url": urls.download_url(site_url, version, f.path)} for f in files
        ],
    }
