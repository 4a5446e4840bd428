"""`tambon import`: a spreadsheet a data officer has (CSV or XLSX) -> one resource of a package.

Officers' files come from Excel and from older Thai systems: CSV in UTF-8, UTF-8 with a BOM or
TIS-620 (cp874), column headings in Thai or in English with odd spacing, Thai digits, thousands
separators, and years or dates in Buddhist Era. This module maps the columns onto the resource's
Table Schema, converts the values to what the schema wants, and writes the CSV in the schema's
column order, so the result diffs cleanly in git and validates.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from tambon_portal import packages, validate
from tambon_portal.schemas import SUPPRESSED
from tambon_portal.tambon_checks import BE_DATE_FROM, BE_OFFSET

# Headings officers use that are neither a field name nor its Thai title, normalised as by
# `packages.normalise_heading`. An alias only applies when the resource has the field it names.
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


def decode_bytes(data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 (with or without BOM), then Thai Windows cp874 (a superset of
    TIS-620), then whatever charset-normalizer names."""
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")):  # not UTF-16 ("Unicode Text")
        for encoding in ("utf-8-sig", "cp874"):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ImportFileError("cannot tell the file's text encoding; save it as CSV UTF-8")
    return str(best), best.encoding


def read_csv_bytes(data: bytes) -> tuple[pd.DataFrame, str]:
    text, encoding = decode_bytes(data)
    header = text.split("\n", 1)[0]
    # Excel's "Unicode Text" export is tab-separated; everything else here is comma-separated.
    sep = "\t" if "\t" in header and "," not in header else ","
    frame = pd.read_csv(
        io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, na_filter=False
    )
    return frame, encoding


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


def read_xlsx(path: Path, sheet: str | None = None) -> pd.DataFrame:
    """The first non-empty row is the header; every cell becomes text."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            names = ", ".join(workbook.sheetnames)
            raise ImportFileError(f"no sheet named {sheet!r} in {path.name} (sheets: {names})")
        rows = [
            [_cell_text(v) for v in row]
            for row in (workbook[sheet] if sheet else workbook.worksheets[0]).iter_rows(
                values_only=True
            )
        ]
    finally:
        workbook.close()
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        return pd.DataFrame()
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    return pd.DataFrame(rows[1:], columns=rows[0], dtype=str)


def read_table(path: Path, sheet: str | None = None) -> tuple[pd.DataFrame, str]:
    """(all-text frame, what was read: the encoding or "xlsx")."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_xlsx(path, sheet), "xlsx"
    return read_csv_bytes(path.read_bytes())


# --- mapping columns -----------------------------------------------------------------------


def _without_brackets(title: str) -> str:
    return re.sub(r"\(.*?\)", "", title)


def heading_index(schema: dict) -> dict[str, str]:
    """Normalised heading -> field name, strongest match first when two would collide."""
    fields = schema.get("fields", [])
    index: dict[str, str] = {}
    for f in fields:
        index.setdefault(packages.normalise_heading(f["name"]), f["name"])
    for f in fields:
        if f.get("title"):
            index.setdefault(packages.normalise_heading(f["title"]), f["name"])
    for f in fields:
        if f.get("title"):
            index.setdefault(packages.normalise_heading(_without_brackets(f["title"])), f["name"])
    names = {f["name"] for f in fields}
    for alias, name in ALIASES.items():
        if name in names:
            index.setdefault(alias, name)
    return index


def map_columns(columns: list[str], schema: dict) -> tuple[dict[str, str], list[str]]:
    """({source column: field name}, source columns that could not be mapped).

    A column whose field is already taken by an earlier column counts as unmapped.
    """
    index = heading_index(schema)
    mapping: dict[str, str] = {}
    unmapped: list[str] = []
    for column in columns:
        name = index.get(packages.normalise_heading(column))
        if name and name not in mapping.values():
            mapping[column] = name
        else:
            unmapped.append(column)
    return mapping, unmapped


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
        year -= BE_OFFSET
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
    text = text.translate(packages.THAI_DIGITS)
    if text.lower() == SUPPRESSED:
        return SUPPRESSED
    if kind in ("integer", "number"):
        text = re.sub(r"[,\s]|บาท", "", text)
        if kind == "integer":
            text = _whole_number(text)
            if _is_year_be(field_) and text.isdigit() and int(text) in validate.CE_YEARS:
                text = str(int(text) + BE_OFFSET)  # a CE year in a BE column
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
    table: pd.DataFrame  # text, columns in schema order
    mapping: dict[str, str]
    unmapped: list[str]
    empty_required: list[str]  # required fields with at least one empty cell
    problems: list[str] = field(default_factory=list)


def _required_fields(schema: dict) -> list[str]:
    return [f["name"] for f in schema["fields"] if (f.get("constraints") or {}).get("required")]


def to_resource_table(source: pd.DataFrame, schema: dict, tambon_code: str) -> ImportResult:
    """Pure: maps and converts `source` onto `schema`; the tambon code fills a missing column."""
    mapping, unmapped = map_columns([str(c) for c in source.columns], schema)
    source = source.loc[~(source.astype(str).apply(lambda c: c.str.strip()) == "").all(axis=1)]
    table = pd.DataFrame(index=range(len(source)))
    problems = []
    by_field = {name: column for column, name in mapping.items()}
    for f in schema["fields"]:
        name = f["name"]
        if name in by_field:
            values = source[by_field[name]].astype(str).tolist()
            table[name] = [convert_value(v, f) for v in values]
        elif name == "tambon_code":
            table[name] = tambon_code
        else:
            table[name] = ""
    if "tambon_code" in table.columns:
        table.loc[table["tambon_code"] == "", "tambon_code"] = tambon_code
        others = sorted(set(table["tambon_code"]) - {tambon_code})
        if others:
            problems.append(
                f"rows for other tambons ({', '.join(others)}): "
                f"this file is imported into tambon {tambon_code} only"
            )
    if "village_code" in table.columns and "village_code" not in by_field:
        table["village_code"] = _village_codes(table, tambon_code)
    empty_required = [n for n in _required_fields(schema) if (table[n] == "").any()]
    return ImportResult(table, mapping, unmapped, empty_required, problems)


def _village_codes(table: pd.DataFrame, tambon_code: str) -> list[str]:
    """Village codes from หมู่ที่ when the file has no code column: tambon code + 2 digits."""
    numbers = table.get("village_no", pd.Series([""] * len(table)))
    return [f"{tambon_code}{int(n):02d}" if n.isdigit() and int(n) < 100 else "" for n in numbers]


def csv_text(table: pd.DataFrame) -> str:
    buffer = io.StringIO()
    table.to_csv(buffer, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    return buffer.getvalue()


# --- the package ---------------------------------------------------------------------------


def package_folder(data_root: Path, tambon_code: str) -> Path:
    # The code becomes two path parts: only 6 digits may, or `--tambon ../x` leaves the data root.
    if not packages.TAMBON_FOLDER.fullmatch(tambon_code):
        raise ImportFileError(f"{tambon_code!r} is not a 6-digit tambon code, e.g. 800106")
    return data_root / tambon_code[:2] / tambon_code


def _resource_path(resource: dict, folder: Path) -> str:
    """The one file the import replaces; a path leaving the package is never written to."""
    paths = packages.resource_paths(resource)
    reason = packages.unsafe_path_reason(paths[0], folder) if paths else "it has no path"
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


def validation_problems(folder: Path, resource_path: str, text: str) -> list[str]:
    """What `tambon validate` would say of the package with `text` as one resource's file.

    Checked in a copy, so the package is only changed when the result is valid.
    """
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        copy = root / folder.parent.name / folder.name
        shutil.copytree(folder, copy)
        (copy / resource_path).write_bytes(text.encode("utf-8"))
        problems = validate.validate_package(packages.package_ref(copy), root)
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


def import_file(
    path: Path,
    data_root: Path,
    tambon_code: str,
    resource_name: str,
    sheet: str | None = None,
    force: bool = False,
) -> ImportReport:
    """Imports `path` into one resource; writes only a valid result unless `force`."""
    folder = package_folder(data_root, tambon_code)
    descriptor_path = packages.find_descriptor(folder)
    if descriptor_path is None:
        raise ImportFileError(
            f"no package for tambon {tambon_code} in {folder}; "
            f"create it first with `tambon new-tambon {tambon_code}`"
        )
    resource = _resource(packages.read_descriptor(descriptor_path), resource_name)
    schema = packages.resource_schema(resource, folder)
    try:
        source, read_as = read_table(path, sheet)
    except (OSError, ValueError) as err:
        raise ImportFileError(f"cannot read {path}: {err}") from err
    result = to_resource_table(source, schema, tambon_code)
    text = csv_text(result.table)
    resource_path = _resource_path(resource, folder)
    problems = result.problems + validation_problems(folder, resource_path, text)
    written = None
    if force or not problems:
        written = folder / resource_path
        written.parent.mkdir(parents=True, exist_ok=True)
        written.write_bytes(text.encode("utf-8"))
    return ImportReport(written, read_as, result, problems)


def format_report(report: ImportReport, path: Path) -> str:
    result = report.result
    lines = [f"อ่าน {path.name} ({report.read_as}): {len(result.table):,} แถว (rows)"]
    for column, name in result.mapping.items():
        lines.append(f"  {column} -> {name}")
    if result.unmapped:
        lines.append("คอลัมน์ที่จับคู่ไม่ได้ (columns not mapped, left out): " + ", ".join(result.unmapped))
    if result.empty_required:
        lines.append(
            "ช่องบังคับที่ว่าง (required fields left empty): " + ", ".join(result.empty_required)
        )
    if report.problems:
        lines.append("ปัญหา (problems):")
        lines += [f"  - {p}" for p in report.problems]
    if report.written:
        lines.append(f"เขียนแล้ว (written): {report.written}")
    else:
        lines.append("ยังไม่ได้เขียนไฟล์: ข้อมูลไม่ผ่านการตรวจ (not written: the result would not validate;")
        lines.append("  fix the file, or write it anyway with --force and fix it in the package)")
    return "\n".join(lines)


def main(
    path: Path,
    data_root: Path,
    tambon_code: str,
    resource_name: str,
    sheet: str | None = None,
    force: bool = False,
) -> int:
    """0 written and valid, 1 the result would not validate, 2 file or package unusable."""
    try:
        report = import_file(path, data_root, tambon_code, resource_name, sheet, force)
    except (ImportFileError, packages.PackageError) as err:
        print(f"tambon import: {err}", file=sys.stderr)
        return 2
    print(format_report(report, path))
    return 0 if report.ok else 1
