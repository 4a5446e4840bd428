"""`tambon import`: a spreadsheet a data officer has (CSV or XLSX) -> one resource of a package.

Officers' files come from Excel and from older Thai systems: CSV in UTF-8, UTF-8 with a BOM or
TIS-620 (cp874), column headings in Thai or in English with odd spacing, Thai digits, thousands
separators, and years or dates in Buddhist Era. `spreadsheet` reads the file, `column_mapping`
maps its columns onto the resource's Table Schema and converts the values to what the schema
wants; this module finds the package and resource, writes the CSV in the schema's column order
(so the result diffs cleanly in git), validates it and puts it in place.

The file is streamed, row by row, straight into a temporary file beside the resource's file
(so memory does not grow with the file, and a file of 100,000 columns costs what its bytes
cost); it replaces the resource's file in one rename once it validates, and is removed
whatever happens before that (an error, Ctrl-C, SIGTERM).
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tambon_portal.authoring.column_mapping import (
    LISTED,
    ImportResult,
    RowConverter,
    convert_value,
    listed,
    map_columns,
    to_resource_table,
)
from tambon_portal.authoring.spreadsheet import (
    ImportFileError,
    SourceTable,
    decode_bytes,
    open_source,
    read_csv_bytes,
)
from tambon_portal.checks import validate
from tambon_portal.core.progress import RowProgress
from tambon_portal.packages import descriptor_reader, discovery, table_reader
from tambon_portal.packages import writer as package_writer

__all__ = [  # `tambon import`'s names; reading is `spreadsheet`, mapping `column_mapping`
    "ImportFileError",
    "ImportReport",
    "ImportResult",
    "RowConverter",
    "convert_value",
    "decode_bytes",
    "format_report",
    "import_file",
    "map_columns",
    "read_csv_bytes",
    "to_resource_table",
]

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
            + listed(result.unmapped[:LISTED], len(result.unmapped))
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
