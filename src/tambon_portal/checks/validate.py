"""`tambon validate`: every package checked, every problem explained.

For each package, in this order (each step only sees what the previous ones let through):

1. the descriptor parses (JSON or YAML), else one "invalid-descriptor" problem;
2. safety: a resource path that is absolute, has `..`, starts with `~` or is a URL is refused
   ("unsafe-path") before anything opens it; nothing is ever fetched;
3. encoding: the bytes are read first; anything but UTF-8 (a BOM is fine) is an "encoding"
   problem naming the detected encoding and the iconv command that fixes it;
4. frictionless validates what is left (types, constraints, keys, ragged rows), its error
   types kept as codes and its messages rewritten to say how to fix the data;
5. tambon packages: the project checks of `tambon_checks` on the tables frictionless passed;
6. every package: the personal-data scan of `privacy` on the raw rows and on the descriptor's
   text (titles, descriptions, contributors ...), with its publicReviewed declarations;
7. the whole tree: no two packages share a published address and none takes a name the portal
   uses itself ("name-collision", `name_collisions`): one would overwrite the other's files.

Data is only read, never written. One package's problems never stop another's checks.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import charset_normalizer

from tambon_portal.checks import fastcheck, privacy, tambon_checks, verdict_cache
from tambon_portal.core import schemas, settings, urls
from tambon_portal.core.problems import CHECK_CRASHED, Problem
from tambon_portal.packages import descriptor_reader, discovery, table_reader
from tambon_portal.packages.discovery import PackageRef

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Problem", "check_folder", "validate_package", "validate_tree"]

CE_YEARS = range(1900, 2200)  # a year_be in this range was almost surely written in CE
_KNOWN_PROFILE_PREFIXES = (
    "https://datapackage.org/profiles/",
    "https://specs.frictionlessdata.io/",
)
# The profiles frictionless knows by name, without opening a file or fetching a URL
# (frictionless 5 package.py and resource.py; "fiscal-data-package" is fetched, so not here).
_PROFILE_NAMES = frozenset(
    {"data-package", "tabular-data-package", "data-resource", "tabular-data-resource"}
)


def current_year_be() -> int:
    return date.today().year + settings.BE_OFFSET


# --- reading bytes safely -------------------------------------------------------------------


@dataclass
class _Resource:
    """One resource of the descriptor and what the pre-checks learned about it."""

    descriptor: dict
    position: int  # index in the descriptor's resources list
    name: str
    file: str  # relative to the data root (the first path of a multipart resource)
    text: str | None = None  # decoded CSV text, when it could be read
    refused: bool = False  # unsafe, missing or undecodable: frictionless must not see it
    problems: list[Problem] = field(default_factory=list)
    # "schema" / "dialect" given as a file, read by descriptor_reader.read_descriptor:
    # frictionless gets them inline, so it never parses a file itself (its YAML reader has
    # no bounds).
    referenced: dict[str, dict] = field(default_factory=dict)
    checked: fastcheck.CheckedTable | None = None  # read by the fast path, which found it valid


def detected_encoding(data: bytes) -> str:
    """A human name for the encoding of bytes that are not UTF-8.

    charset-normalizer guesses Hebrew or Korean for short Thai cp874 files, so Thai is tried
    first: bytes that decode as cp874 into mostly Thai letters are Thai.
    """
    try:
        text = data.decode("cp874")
        non_ascii = [ch for ch in text if ord(ch) > 127]
        thai = [ch for ch in non_ascii if "\u0e00" <= ch <= "\u0e7f"]
        if non_ascii and len(thai) >= 0.9 * len(non_ascii):
            return "cp874 (Thai Windows, also TIS-620)"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    return best.encoding if best else "unknown"


def _encoding_problem(ref: PackageRef, res: _Resource, data: bytes, error: UnicodeError) -> Problem:
    found = detected_encoding(data)
    source = found.split(" ")[0].upper().replace("_", "-") if found != "unknown" else "CP874"
    return Problem(
        ref.name, res.name, res.file, None, None, "encoding",
        f"the file is not UTF-8 (byte {getattr(error, 'start', '?')}); it looks like {found}."
        f" Convert it: `iconv -f {source} -t UTF-8 in.csv > out.csv`, or in Excel save as"
        " 'CSV UTF-8 (Comma delimited)' (ไฟล์ต้องเป็น UTF-8)",
    )  # fmt: skip


def _precheck(ref: PackageRef, root: Path, descriptor: dict, position: int) -> _Resource:
    name = str(descriptor.get("name") or f"resource {position + 1}")
    paths = descriptor_reader.resource_paths(descriptor)
    descriptor_file = _relative(ref.descriptor_path, root)
    res = _Resource(descriptor, position, name, descriptor_file)
    for reference in descriptor_reader.named_files(descriptor):
        reason = descriptor_reader.unsafe_path_reason(reference, ref.folder)
        if reason:
            res.refused = True
            res.problems.append(
                Problem(
                    ref.name,
                    name,
                    descriptor_file,
                    None,
                    None,
                    "unsafe-path",
                    f"resource '{name}' refers to {reference!r}, which was not opened: {reason}",
                )
            )
    if res.refused:
        return res
    _read_referenced(ref, root, res)
    if res.refused or not paths:
        return res
    res.file = _relative(ref.folder / paths[0], root)
    texts = []
    for relative in paths:
        path = ref.folder / relative
        try:
            data = path.read_bytes()
        except OSError:
            res.refused = True
            res.problems.append(
                Problem(
                    ref.name,
                    name,
                    _relative(path, root),
                    None,
                    None,
                    "missing-file",
                    f"file {relative} named by resource '{name}' is not there; add it or fix"
                    " the path in the descriptor (paths are relative to the package folder)",
                )
            )
            continue
        try:
            texts.append(data.decode(table_reader.text_encoding(descriptor)))
        except UnicodeDecodeError as error:
            res.refused = True
            res.problems.append(_encoding_problem(ref, res, data, error))
        except LookupError:  # "encoding": "no-such" (or 5): not a codec at all
            res.refused = True
            res.problems.append(
                Problem(ref.name, res.name, res.file, None, None, "encoding",
                        f"resource '{name}' declares the encoding"
                        f" {descriptor.get('encoding')!r}, which is not a known text encoding;"
                        ' declare "utf-8" and save the file as UTF-8')
            )  # fmt: skip
    if not res.refused:
        res.text = "".join(texts)
    return res


def _read_referenced(ref: PackageRef, root: Path, res: _Resource) -> None:
    """Reads the schema and dialect files (already found safe) with the descriptor's bounds."""
    for key, relative in descriptor_reader.referenced_files(res.descriptor).items():
        path = ref.folder / relative.strip()
        try:
            res.referenced[key] = descriptor_reader.read_descriptor(path)
        except descriptor_reader.DescriptorError as error:
            res.refused = True
            res.problems.append(
                Problem(ref.name, res.name, _relative(path, root), None, None,
                        "invalid-descriptor",
                        f"the {key} of resource '{res.name}' cannot be used: {error}")
            )  # fmt: skip


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


# --- frictionless ---------------------------------------------------------------------------


def _frictionless_descriptor(
    descriptor: dict, refused: set[int], referenced: dict[int, dict[str, dict]] | None = None
) -> dict:
    """The descriptor with refused resources (by position), and foreign keys into them, left out,
    and the schema and dialect files already read (`referenced`, by position) put inline.

    Everything else stays as written, unnamed or malformed resources too: frictionless names
    what is wrong with them.
    """
    out = copy.deepcopy(descriptor)
    for position, inline in (referenced or {}).items():
        out["resources"][position].update(copy.deepcopy(inline))
    out["resources"] = [r for i, r in enumerate(out["resources"]) if i not in refused]
    resources = [r for r in out["resources"] if isinstance(r, dict)]
    kept = {r.get("name") for r in resources} | {"", None}  # "" and None: the resource itself
    for resource in resources:
        schema = resource.get("schema")
        if isinstance(schema, dict) and isinstance(schema.get("foreignKeys"), list):
            schema["foreignKeys"] = [
                fk
                for fk in schema["foreignKeys"]
                if not isinstance(fk, dict)
                or not isinstance(fk.get("reference"), dict)
                or fk["reference"].get("resource") in kept
            ]
    # A profile given as an unknown URL (any case: HTTP:// too) or as a file would be fetched
    # or opened to validate against (a relative path from the current folder, not the
    # package's, and parsed by frictionless' unbounded YAML reader): drop it.
    for item in [out, *resources]:
        for key in ("profile", "$schema"):
            value = item.get(key)
            if isinstance(value, str) and not _profile_frictionless_knows(value):
                item.pop(key)
    return out


def _profile_frictionless_knows(value: str) -> bool:
    return value in _PROFILE_NAMES or value.startswith(_KNOWN_PROFILE_PREFIXES)


_FIX_BY_TYPE = {
    "integer": "a whole number such as 1200 (no thousands separator)",
    "number": "a number such as 12.5 (a point for decimals, no thousands separator)",
    "boolean": "true or false",
    "date": "a date as YYYY-MM-DD (Christian Era), e.g. 2025-09-30",
    "year": "a 4-digit year",
}


def _missing_hint(schema: dict, spec: dict) -> str:
    """A count that may be suppressed accepts x: say so where it applies."""
    suppressible = spec.get("type") == "integer" and not spec.get("constraints", {}).get("required")
    return (
        " (or x for a suppressed count)"
        if suppressible and schemas.SUPPRESSED in (schema.get("missingValues") or [])
        else ""
    )


def _field_schema(resource: dict, name: str | None) -> tuple[dict, dict]:
    schema = resource.get("schema") if isinstance(resource.get("schema"), dict) else {}
    for item in schema.get("fields", []):
        if item.get("name") == name:
            return schema, item
    return schema, {}


def _constraint_message(error, resource: dict) -> tuple[str, str]:
    """(code, message) of a frictionless constraint-error, by the constraint that failed."""
    _schema, spec = _field_schema(resource, error.field_name)
    constraints = spec.get("constraints", {})
    match = re.match(r'constraint "(\w+)"', error.note or "")
    constraint = match.group(1) if match else ""
    cell, name = error.cell, error.field_name
    if constraint == "required":
        only_counts = " (x is only allowed where a count may be suppressed)"
        return "constraint-error", (
            f"'{name}' is required but empty (ต้องมีค่า); fill it in"
            + (only_counts if cell == schemas.SUPPRESSED else "")
        )
    if constraint == "minimum" and name in tambon_checks.YEAR_FIELDS and cell.isdigit():
        if int(cell) in CE_YEARS:
            return "ce-year", (
                f"{cell} looks like a Christian Era year; years here are Buddhist Era (พ.ศ.):"
                f" add {settings.BE_OFFSET} (write {int(cell) + settings.BE_OFFSET})"
            )
        return "constraint-error", f"year {cell} is before พ.ศ. 2500; check the year"
    hints = {
        "pattern": f"does not have the required form ({constraints.get('pattern')});"
        " codes are digits only, with their leading zeros (รูปแบบรหัสไม่ถูกต้อง)",
        "enum": "is not one of the allowed codes ("
        + ", ".join(map(str, constraints.get("enum", [])[:12]))
        + (", ..." if len(constraints.get("enum", [])) > 12 else "")
        + ")",
        "minimum": f"is below the minimum {constraints.get('minimum')}",
        "maximum": f"is above the maximum {constraints.get('maximum')}",
        "maxLength": f"is longer than {constraints.get('maxLength')} characters; shorten it",
        "minLength": f"is shorter than {constraints.get('minLength')} characters; check the value",
        "unique": "appears more than once but must be unique",
    }
    return "constraint-error", f"'{cell}' in '{name}' {hints.get(constraint, error.note)}"


def _message(error, resource: dict) -> tuple[str, str]:
    """(code, plain-English message with a fix) for one frictionless error."""
    kind = error.type
    if kind == "constraint-error":
        return _constraint_message(error, resource)
    if kind == "type-error":
        schema, spec = _field_schema(resource, error.field_name)
        wanted = spec.get("type", "the field's type")
        fix = _FIX_BY_TYPE.get(wanted, f"a valid {wanted}")
        return kind, (
            f"'{error.cell}' is not a valid {wanted} (ชนิดข้อมูลไม่ถูกต้อง);"
            f" write {fix}{_missing_hint(schema, spec)}"
        )
    if kind == "missing-cell":
        return kind, (
            f"the row has fewer cells than the header: '{error.field_name}' is missing"
            " (ข้อมูลไม่ครบคอลัมน์); check for a missing comma or an unclosed quote"
        )
    if kind == "extra-cell":
        return kind, (
            f"the row has more cells than the header (extra cell '{error.cell}');"
            " a value containing a comma must be in double quotes"
        )
    if kind == "primary-key":
        return kind, (
            f"the row repeats the key {_primary_key(resource)} of another row ({error.note})"
            " (ข้อมูลซ้ำ); remove the duplicate or fix the key"
        )
    if kind == "foreign-key":
        reference = (
            f"{error.reference_name or 'this resource'}.{','.join(error.reference_field_names)}"
        )
        return kind, (
            f"{', '.join(error.field_names)} = {', '.join(map(str, error.field_cells))} is not"
            f" found in {reference} (ไม่พบรหัสอ้างอิง); add it there or fix the code"
        )
    if kind == "blank-row":
        return kind, "the row is completely blank; delete it"
    if kind in (
        "duplicate-label",
        "blank-label",
        "missing-label",
        "extra-label",
        "incorrect-label",
    ):
        return (
            kind,
            f"header problem: {error.message}; the header row must list the schema's field"
            " names in order",
        )
    if kind == "source-error":
        return kind, (
            f"the file cannot be read as a table ({error.note}); it needs a header row and"
            " comma-separated rows"
        )
    return kind, f"{error.message} ({error.description})".replace("..", ".")


def _primary_key(resource: dict) -> str:
    schema = resource.get("schema") if isinstance(resource.get("schema"), dict) else {}
    key = schema.get("primaryKey") or []
    return "(" + ", ".join([key] if isinstance(key, str) else key) + ")"


def _drop_redundant(problems: list[Problem]) -> list[Problem]:
    """A missing cell also fails `required`: report the cause (missing-cell) only."""
    missing = {(p.file, p.row, p.field) for p in problems if p.code == "missing-cell"}
    return [
        p
        for p in problems
        if not (p.code == "constraint-error" and (p.file, p.row, p.field) in missing)
    ]


def _exception_reason(error) -> str:
    """The innermost reasons frictionless gives, which name the property at fault."""
    reasons = [reason.message for reason in getattr(error, "reasons", None) or []]
    return "; ".join(reasons) if reasons else error.error.message


def _frictionless_problems(
    ref: PackageRef, root: Path, descriptor: dict, resources: list[_Resource]
) -> list[Problem]:
    from frictionless import FrictionlessException, Package  # slow import, only when needed

    descriptor_file = _relative(ref.descriptor_path, root)
    refused = {res.position for res in resources if res.refused}
    referenced = {res.position: res.referenced for res in resources if res.referenced}
    given = _frictionless_descriptor(descriptor, refused, referenced)
    texts = {res.name: res.text for res in resources if res.text is not None}
    proof = fastcheck.proves_valid(given, texts) if not refused else None
    if proof is not None:
        for res in resources:
            res.checked = proof[res.name]  # its typed frame is made from what was read
        return []  # frictionless would find nothing (fastcheck proved it): not run
    try:
        package = Package(given, basepath=str(ref.folder))
        report = package.validate()
    except FrictionlessException as error:
        return [
            Problem(
                ref.name,
                None,
                descriptor_file,
                None,
                None,
                "invalid-descriptor",
                f"the descriptor is not a valid data package: {_exception_reason(error)};"
                " fix the descriptor (see https://datapackage.org/standard/data-package/)",
            )
        ]
    problems = [
        Problem(ref.name, None, descriptor_file, None, None, e.type, e.message)
        for e in report.errors
    ]
    named = {res.name: res for res in resources if not res.refused}
    for task in report.tasks:
        res = named.get(task.name)
        resource = res.descriptor if res else {}
        file = res.file if res else descriptor_file
        for error in task.errors:
            code, message = _message(error, resource)
            row = getattr(error, "row_number", None)
            name = getattr(error, "field_name", None) or getattr(error, "label", None) or None
            problems.append(Problem(ref.name, task.name, file, row, name, code, message))
    return _drop_redundant(problems)


# --- one package ----------------------------------------------------------------------------


def _table_rows(res: _Resource) -> tuple[list[str], list[list[str]]]:
    """Header and data rows as text: from the CSV file, or from inline `data`."""
    if res.text is None:
        data = res.descriptor.get("data")
        if not isinstance(data, list) or not data:
            return [], []
        frame = table_reader.inline_frame(data)
        return list(frame.columns), frame.to_numpy().tolist()
    options = table_reader.csv_options({**res.descriptor, **res.referenced})  # a dialect file too
    reader = csv.reader(io.StringIO(res.text), delimiter=options["sep"])
    rows = list(reader)
    return (rows[0] if rows else []), rows[1:]


def _privacy_problems(
    ref: PackageRef, root: Path, descriptor: dict, resources: Iterable[_Resource]
) -> list[Problem]:
    """The personal-data scan of the descriptor's text and of every table that could be read."""
    problems = privacy.scan_descriptor(
        descriptor, package=ref.name, file=_relative(ref.descriptor_path, root)
    )
    for res in resources:
        if res.refused:
            continue
        try:
            header, rows = _table_rows(res)
        except csv.Error:
            continue  # frictionless has reported the malformed CSV
        problems += privacy.scan_table(
            res.name, rows, header, package=ref.name, file=res.file,
            tambon=ref.kind == "tambon", reviewed=privacy.reviewed_columns(res.descriptor),
        )  # fmt: skip
    return problems


def _typed_table(res: _Resource, folder: Path) -> pd.DataFrame:
    """The resource's typed frame: made from what the fast path read, else loaded again."""
    frame = fastcheck.typed_frame(res.checked, res.descriptor["schema"]) if res.checked else None
    return table_reader.load_table(res.descriptor, folder) if frame is None else frame


def _tambon_problems(
    ref: PackageRef, root: Path, descriptor: dict, resources: list[_Resource], dirty: set[str],
    year_be: int,
) -> list[Problem]:  # fmt: skip
    tables = {}
    for res in resources:
        if res.refused or res.text is None or res.name in dirty:
            continue
        if res.name not in schemas.SCHEMAS:
            continue
        if tambon_checks.schema_difference(res.name, res.descriptor.get("schema")):
            continue
        try:
            tables[res.name] = _typed_table(res, ref.folder)
        except (descriptor_reader.PackageError, ValueError):
            continue
    pkg = tambon_checks.TambonPackage(
        package=ref.name,
        code=ref.tambon_code or ref.folder.name,
        folder_name=ref.folder.name,
        descriptor=descriptor,
        descriptor_file=_relative(ref.descriptor_path, root),
        files={res.name: res.file for res in resources},
        tables=tables,
        current_year_be=year_be,
    )
    return tambon_checks.check_tambon_package(pkg)


def validate_package(
    ref: PackageRef, root: Path | None = None, year_be: int | None = None
) -> list[Problem]:
    """Every problem of one package; files are named relative to `root` (default: its parent)."""
    root = Path(root) if root is not None else ref.folder.parent
    year_be = year_be or current_year_be()
    try:
        descriptor = descriptor_reader.read_descriptor(ref.descriptor_path)
    except descriptor_reader.DescriptorError as error:
        return [
            Problem(ref.name, None, _relative(ref.descriptor_path, root), None, None,
                    "invalid-descriptor", f"{error}; nothing else in this package was checked")
        ]  # fmt: skip
    listed = descriptor.get("resources")
    if not isinstance(listed, list) or not listed:
        return [
            Problem(ref.name, None, _relative(ref.descriptor_path, root), None, None,
                    "invalid-descriptor",
                    "the descriptor has no 'resources' list; add one entry per data file")
        ]  # fmt: skip
    resources = [
        _precheck(ref, root, item, i) for i, item in enumerate(listed) if isinstance(item, dict)
    ]
    problems = [p for res in resources for p in res.problems]
    if len(listed) > sum(res.refused for res in resources):  # something left to validate
        problems += _frictionless_problems(ref, root, descriptor, resources)
    if ref.kind == "tambon":
        dirty = {p.resource for p in problems if p.resource}
        problems += _tambon_problems(ref, root, descriptor, resources, dirty, year_be)
    problems += _privacy_problems(ref, root, descriptor, resources)
    problems += _resource_collisions(ref, root, descriptor)
    return _ordered(problems)


def _ordered(problems: list[Problem]) -> list[Problem]:
    """Grouped by file, then row; the order of checks is kept within a row."""
    return sorted(problems, key=lambda p: (p.file, p.row or 0))


def _checked(ref: PackageRef, root: Path, year_be: int | None) -> list[Problem]:
    """validate_package, but a crash in one package is reported and the others still run."""
    try:
        return validate_package(ref, root, year_be)
    except Exception as error:  # a bug or an unforeseen input must not hide other packages
        return [
            Problem(ref.name, None, _relative(ref.descriptor_path, root), None, None,
                    CHECK_CRASHED,
                    f"the validator crashed on this package ({type(error).__name__}: {error});"
                    " please report it with the package attached")
        ]  # fmt: skip


# --- the whole tree: published names -------------------------------------------------------

NAME_COLLISION = "name-collision"
# Names of a generic package that look like the portal's own: a tambon package (tambon-<code>)
# or a province bundle (tambons-<pp>). Refused even when no such tambon is in the tree yet, or
# adding it later would take the generic package's address.
_OWN_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(re.escape(urls.TAMBON_SLUG_PREFIX) + r"\d{6}"), "a tambon package's name"),
    (re.compile(re.escape(urls.BUNDLE_PREFIX) + r"\d{2}"), "a province bundle's name"),
)


def reserved_names() -> dict[str, str]:
    """Slugs the portal publishes under itself -> what uses them (no package may take one)."""
    index = PurePosixPath(urls.DATASETS_PATH).stem  # datasets/index.md, downloads/index.md
    return {
        urls.ROLLUP_PACKAGE_NAME: "the provincial roll-up package the build publishes",
        urls.slug(urls.BUNDLES_DIR): f"the folder downloads/{urls.BUNDLES_DIR}/",
        urls.slug(urls.INDEX_FILE): f"the file downloads/{urls.INDEX_FILE}",
        urls.slug(urls.SUMS_FILE): f"the file downloads/{urls.SUMS_FILE}",
        index: f"the list of datasets, {urls.DATASETS_PATH}",
        f"{index}.html": f"the pages datasets/{index}.html and downloads/{index}.html",
    }


def _addresses(ref: PackageRef) -> str:
    """Where a package is published, for a message."""
    slug = discovery.published_slug(ref)
    page = (
        urls.dataset_path(slug) if ref.kind != "tambon" else urls.tambon_path(str(ref.tambon_code))
    )
    return f"{urls.package_downloads(slug)}, {urls.url_of(page)} and {urls.ckan_package(slug)}"


def _collision(ref: PackageRef, others: Sequence[PackageRef], root: Path) -> Problem:
    slug = discovery.published_slug(ref)
    named = ", ".join(f"package '{o.name}' ({_relative(o.descriptor_path, root)})" for o in others)
    same_tambon = ref.kind == "tambon" and all(o.kind == "tambon" for o in others)
    fix = (
        f"both are tambon {ref.tambon_code}: keep one package per tambon"
        if same_tambon
        else "give one of them another 'name' in its descriptor (a-z, 0-9, '-')"
    )
    message = (
        f"this package is published as '{slug}' ({_addresses(ref)}), like {named}: one would"
        f" overwrite the other's files (ชื่อซ้ำกัน); {fix}"
    )
    return Problem(ref.name, None, _relative(ref.descriptor_path, root), None, "name",
                   NAME_COLLISION, message)  # fmt: skip


def _reserved_use(slug: str) -> str | None:
    """What the portal itself publishes under `slug`, or None when it is free."""
    if (use := reserved_names().get(slug)) is not None:
        return use
    return next((use for pattern, use in _OWN_PATTERNS if pattern.fullmatch(slug)), None)


def _reserved(ref: PackageRef, use: str, root: Path) -> Problem:
    slug = discovery.published_slug(ref)
    message = (
        f"this package would be published as '{slug}', which is {use} (ชื่อนี้สงวนไว้);"
        " give it another 'name' in its descriptor (a-z, 0-9, '-')"
    )
    return Problem(ref.name, None, _relative(ref.descriptor_path, root), None, "name",
                   NAME_COLLISION, message)  # fmt: skip


def name_collisions(refs: Sequence[PackageRef], root: Path) -> dict[Path, list[Problem]]:
    """Descriptor path -> its name-collision problems: packages with one published slug
    (`discovery.published_slug`), each told about the others, and generic packages that take a
    name the portal uses itself (`reserved_names`, tambon-<code>, tambons-<pp>)."""
    by_slug: dict[str, list[PackageRef]] = {}
    for ref in refs:
        by_slug.setdefault(discovery.published_slug(ref), []).append(ref)
    problems: dict[Path, list[Problem]] = {}
    for slug, group in by_slug.items():
        for ref in group:
            others = [o for o in group if o is not ref]
            use = _reserved_use(slug) if ref.kind == "generic" else None
            if others:  # the pair is the problem; each side is told about the other
                problems.setdefault(ref.descriptor_path, []).append(_collision(ref, others, root))
            elif use is not None:
                problems.setdefault(ref.descriptor_path, []).append(_reserved(ref, use, root))
    return problems


def _resource_collisions(ref: PackageRef, root: Path, descriptor: dict) -> list[Problem]:
    """Tables of one package whose download files would have one name (`t/x` and `t-x` both
    write t-x.csv; `t.excel` writes t.excel.csv, the Excel copy of `t`)."""
    writers: dict[str, list[str]] = {}
    for resource in table_reader.tabular_resources(descriptor):
        if (name := table_reader.table_name(resource)) is not None:
            for file in urls.table_files(name).values():
                writers.setdefault(file, []).append(name)
    # One problem per pair of resources (on the later one), with the first file they share.
    pairs: dict[tuple[str, str], str] = {}
    for file, names in writers.items():
        for name in names[1:]:
            pairs.setdefault((name, names[0]), file)
    return [
        Problem(ref.name, name, _relative(ref.descriptor_path, root), None, "name",
                NAME_COLLISION,
                f"resource '{name}' would be published as {file}, like resource '{first}':"
                " one would overwrite the other (ชื่อซ้ำกัน); rename one of them (a-z, 0-9, '-')")
        for (name, first), file in pairs.items()
    ]  # fmt: skip


def _tree_problems(
    refs: Sequence[PackageRef], root: Path, year_be: int | None,
    cache: verdict_cache.VerdictCache | None = None,
) -> list[Problem]:  # fmt: skip
    """Every package's problems, each followed by its name collisions with the others."""
    collisions = name_collisions(refs, root)
    return [
        p
        for ref in refs
        for p in [
            *_package_problems(ref, root, year_be, cache),
            *collisions.get(ref.descriptor_path, []),
        ]
    ]


def _package_problems(
    ref: PackageRef, root: Path, year_be: int | None, cache: verdict_cache.VerdictCache | None
) -> list[Problem]:
    """`_checked`, or the verdict kept in `cache` when the package's inputs did not change."""
    if cache is None:
        return _checked(ref, root, year_be)
    year = year_be or current_year_be()
    return cache.problems(ref, root, year, lambda: _checked(ref, root, year))


def validate_tree(
    root: Path, year_be: int | None = None, cache_dir: Path | None = None
) -> list[Problem]:
    """Every problem of every package under `root`; with `cache_dir`, a package whose inputs
    did not change since its verdict was kept there is not checked again (`verdict_cache`)."""
    root = Path(root)
    cache = verdict_cache.VerdictCache(cache_dir) if cache_dir is not None else None
    problems = _tree_problems(discovery.discover(root), root, year_be or current_year_be(), cache)
    if cache is not None:
        cache.save()
    return problems


# --- the command ----------------------------------------------------------------------------


def _broken_packages(refs: list[PackageRef], problems: list[Problem], root: Path) -> int:
    """Packages with a problem, by the folder its file is in (not by name: two packages of one
    name, a name-collision, are two). Package folders never nest, so a prefix is one package."""
    files = {p.file for p in problems}
    folders = [_relative(ref.folder, root) for ref in refs]
    return sum(any(f == "." or file.startswith(f"{f}/") for file in files) for f in folders)


def summary(refs: list[PackageRef], problems: list[Problem], root: Path) -> str:
    tambons = sum(1 for r in refs if r.kind == "tambon")
    checked = f"{len(refs)} packages checked ({tambons} tambon, {len(refs) - tambons} generic)"
    if not problems:
        return f"{checked}: all valid"
    broken = _broken_packages(refs, problems, root)
    noun = "problem" if len(problems) == 1 else "problems"
    return f"{len(problems)} {noun} in {broken} of {len(refs)} packages"


def format_text(refs: list[PackageRef], problems: list[Problem], root: Path) -> str:
    return "\n".join([*(p.as_text() for p in problems), summary(refs, problems, root)])


def format_json(problems: list[Problem]) -> str:
    return json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2)


class FolderUnusable(Exception):
    """`tambon validate --data` names no folder of packages; the message says why (exit 2)."""


@dataclass(frozen=True)
class FolderReport:
    """What `tambon validate` found; `cached` is (from cache, checked), None without a cache."""

    refs: list[PackageRef]
    problems: list[Problem]
    cached: tuple[int, int] | None = None


def check_folder(data: Path, cache_dir: Path | None = None) -> FolderReport:
    """Every problem of the packages in `data`, for `tambon validate`; raises FolderUnusable
    for a folder that is not one, cannot be read or holds no package (nothing to say valid).

    `cache_dir`: the folder where the verdicts are kept between runs (`verdict_cache`; the CLI
    gives one in the build's work folder); None checks every package and keeps nothing.
    """
    data = Path(data)
    if not data.is_dir():
        raise FolderUnusable(f"{data} is not a folder (give --data DIR)")
    try:
        refs = discovery.discover(data)
    except OSError as error:
        raise FolderUnusable(f"cannot read {data}: {error}") from error
    if not refs:
        raise FolderUnusable(
            f"no data packages in {data} (empty folder): a package is a folder"
            " with a datapackage.json"
        )
    cache = verdict_cache.VerdictCache(cache_dir) if cache_dir is not None else None
    problems = _tree_problems(refs, data, current_year_be(), cache)
    if cache is None:
        return FolderReport(refs, problems)
    cache.save()
    return FolderReport(refs, problems, (cache.from_cache, cache.checked))
